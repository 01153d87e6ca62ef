package org.taxoshard.jobs;

/** A command line that cannot be run as given; the driver prints it with the usage, exit 2. */
public class UsageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
