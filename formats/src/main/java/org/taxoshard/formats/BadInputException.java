package org.taxoshard.formats;

import java.io.IOException;

/**
 * Input that Taxoshard cannot read as it stands: a bad FASTA record, a malformed taxdump row, a
 * configuration that does not parse. The message always names the file, the place in it and,
 * where there is one, the record; the driver turns it into exit status 2.
 */
public class BadInputException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Marks the message in task diagnostics and error files so the driver can find it. */
  public static final String MARKER = "taxoshard-bad-input: ";

  private final String file;
  private final String place;
  private final String record;
  private final String problem;

  /**
   * @param file the file, as a path or URI string
   * @param place where in the file: "byte 1234", "line 17", "BGZF block 65536 + 12"
   * @param record the record id, or null when the problem is not inside a record
   * @param problem what is wrong, in words a user understands
   */
  public BadInputException(String file, String place, String record, String problem) {
    super(format(file, place, record, problem));
    this.file = file;
    this.place = place;
    this.record = record;
    this.problem = problem;
  }

  public BadInputException(String file, String place, String record, String problem, Throwable cause) {
    this(file, place, record, problem);
    initCause(cause);
  }

  /** Several problems already formatted, e.g. collected from the tasks of a failed job. */
  public BadInputException(String messages) {
    super(messages);
    this.file = null;
    this.place = null;
    this.record = null;
    this.problem = messages;
  }

  static String format(String file, String place, String record, String problem) {
    StringBuilder b = new StringBuilder();
    b.append(file);
    if (place != null) {
      b.append(", ").append(place);
    }
    if (record != null) {
      b.append(", record '").append(record).append('\'');
    }
    b.append(": ").append(problem);
    return b.toString();
  }

  public String file() {
    return file;
  }

  public String place() {
    return place;
  }

  public String record() {
    return record;
  }

  public String problem() {
    return problem;
  }
}
