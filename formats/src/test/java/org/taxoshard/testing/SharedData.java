package org.taxoshard.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;

/**
 * The real data beside the project ({@code ../shared/data}). A test that needs it calls
 * {@link #require(String)}: without the data the test is skipped with a message that says so,
 * never passed silently. Maven passes the location as {@code taxoshard.shared.data}.
 */
public final class SharedData {
  private SharedData() {}

  /** The shared data folder, whether or not it exists. */
  public static File root() {
    String prop = System.getProperty("taxoshard.shared.data");
    if (prop != null && !prop.isEmpty()) {
      return new File(prop);
    }
    // Run outside Maven: look upwards from the working directory.
    File dir = new File("").getAbsoluteFile();
    for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParentFile()) {
      File candidate = new File(dir, "../shared/data");
      if (candidate.isDirectory()) {
        return candidate;
      }
    }
    return new File("../shared/data");
  }

  /**
   * The given folder or file under the shared data, or the test is skipped (JUnit assumption)
   * with a message naming what is missing.
   */
  public static File require(String relative) {
    File f = new File(root(), relative);
    if (!f.exists()) {
      String msg = "SKIPPED: real data " + f.getAbsolutePath()
          + " is not here (a fresh clone has no ../shared); CI always has it.";
      System.err.println(msg);
      assumeTrue(false, msg);
    }
    return f;
  }
}
