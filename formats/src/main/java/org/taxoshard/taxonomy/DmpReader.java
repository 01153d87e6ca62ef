package org.taxoshard.taxonomy;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.taxoshard.formats.BadInputException;

/**
 * Reads NCBI taxdump {@code .dmp} files as bytes: rows end with {@code \t|\n}, fields are
 * separated by {@code \t|\t}. No String per field unless asked: the full dump has millions of
 * rows and is loaded by every task.
 */
final class DmpReader implements Closeable {
  private static final int MAX_FIELDS = 16;

  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private int bufPos;
  private int bufLen;
  private final String file;
  private byte[] line = new byte[256];
  private int length;
  private long lineNumber;
  private final int[] starts = new int[MAX_FIELDS];
  private final int[] ends = new int[MAX_FIELDS];
  private int fields;

  DmpReader(InputStream in, String file) {
    this.in = in;
    this.file = file;
  }

  /** Reads the next non-empty row; false at the end of the file. */
  boolean next() throws IOException {
    while (true) {
      length = 0;
      int b;
      while ((b = read()) >= 0 && b != '\n') {
        if (length == line.length) {
          line = Arrays.copyOf(line, line.length * 2);
        }
        line[length++] = (byte) b;
      }
      if (b < 0 && length == 0) {
        return false;
      }
      lineNumber++;
      if (length > 0 && line[length - 1] == '\r') {
        length--;
      }
      if (length == 0) {
        continue;
      }
      split();
      return true;
    }
  }

  private int read() throws IOException {
    if (bufPos == bufLen) {
      bufLen = in.read(buf, 0, buf.length);
      bufPos = 0;
      if (bufLen <= 0) {
        bufLen = 0;
        return -1;
      }
    }
    return buf[bufPos++] & 0xFF;
  }

  private void split() throws BadInputException {
    int end = length;
    // Rows end with "\t|"; tolerate a missing trailing separator but nothing else.
    if (end >= 2 && line[end - 1] == '|' && line[end - 2] == '\t') {
      end -= 2;
    } else if (end >= 1 && line[end - 1] == '|') {
      end -= 1;
    }
    fields = 0;
    int start = 0;
    int i = 0;
    while (i + 2 < end) {
      if (line[i] == '\t' && line[i + 1] == '|' && line[i + 2] == '\t') {
        add(start, i);
        i += 3;
        start = i;
      } else {
        i++;
      }
    }
    add(start, end);
  }

  private void add(int start, int end) throws BadInputException {
    if (fields == MAX_FIELDS) {
      throw bad("more than " + MAX_FIELDS + " fields: not a taxdump row");
    }
    starts[fields] = start;
    ends[fields] = end;
    fields++;
  }

  int fields() {
    return fields;
  }

  /** Requires at least {@code n} fields. */
  void expectFields(int n) throws BadInputException {
    if (fields < n) {
      throw bad("expected at least " + n + " '\\t|\\t'-separated fields, found " + fields);
    }
  }

  int integer(int field, String what) throws BadInputException {
    int s = starts[field];
    int e = ends[field];
    if (s == e) {
      throw bad(what + " is empty");
    }
    long v = 0;
    for (int i = s; i < e; i++) {
      int d = line[i] - '0';
      if (d < 0 || d > 9 || v > Integer.MAX_VALUE) {
        throw bad(what + " '" + string(field) + "' is not a taxid");
      }
      v = v * 10 + d;
    }
    if (v > Integer.MAX_VALUE) {
      throw bad(what + " '" + string(field) + "' is out of range");
    }
    return (int) v;
  }

  /** Whether the field reads as {@code value} the way {@link #integer} reads it. */
  boolean isInteger(int field, int value) {
    int s = starts[field];
    int e = ends[field];
    long v = 0;
    for (int i = s; i < e && v <= Integer.MAX_VALUE; i++) {
      int d = line[i] - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      v = v * 10 + d;
    }
    return s < e && v == value;
  }

  String string(int field) {
    return new String(line, starts[field], ends[field] - starts[field], java.nio.charset.StandardCharsets.UTF_8);
  }

  byte[] bytes() {
    return line;
  }

  int start(int field) {
    return starts[field];
  }

  int end(int field) {
    return ends[field];
  }

  boolean fieldEquals(int field, byte[] value) {
    int s = starts[field];
    int n = ends[field] - s;
    if (n != value.length) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (line[s + i] != value[i]) {
        return false;
      }
    }
    return true;
  }

  BadInputException bad(String problem) {
    return new BadInputException(file, "line " + lineNumber, null, problem);
  }

  long lineNumber() {
    return lineNumber;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
