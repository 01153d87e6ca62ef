package org.taxoshard.jobs;

import java.io.IOException;

/**
 * Records that a task counted did not all reach the task after it: a failed job (exit status 1),
 * not bad input. Its message says what was counted where, for the driver to print.
 */
public class RecordsLostException extends IOException {
  private static final long serialVersionUID = 1L;

  public RecordsLostException(String message) {
    super(message);
  }
}
