package org.taxoshard.jobs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.hadoop.fs.Path;

/**
 * The long options of one command ({@code --input P[,P...] --out DIR}), after ToolRunner has taken
 * Hadoop's generic options. Every command has {@code --help}; commands that write have
 * {@code --out} and {@code --overwrite}.
 */
public final class CommandOptions {
  private final String command;
  private final String summary;
  private final Options options = new Options();
  private CommandLine line;

  public CommandOptions(String command, String summary) {
    this.command = command;
    this.summary = summary;
    options.addOption(Option.builder().longOpt("help").desc("print this help and exit").build());
  }

  /** An option that takes a value. */
  public CommandOptions value(String name, String argName, String description) {
    options.addOption(Option.builder().longOpt(name).hasArg().argName(argName).desc(description).build());
    return this;
  }

  /** An option that takes no value. */
  public CommandOptions flag(String name, String description) {
    options.addOption(Option.builder().longOpt(name).desc(description).build());
    return this;
  }

  /** {@code --out DIR} and {@code --overwrite}. */
  public CommandOptions output() {
    value("out", "DIR", "output folder (must not exist unless --overwrite)");
    flag("overwrite", "replace the output folder if it exists");
    return this;
  }

  /**
   * Parses the command's own arguments.
   *
   * @return false when {@code --help} was asked for (the help is then printed)
   * @throws UsageException for unknown options, missing values or stray arguments
   */
  public boolean parse(String[] args) {
    try {
      line = new DefaultParser().parse(options, args);
    } catch (ParseException e) {
      throw new UsageException(e.getMessage());
    }
    if (line.hasOption("help")) {
      System.out.print(help());
      return false;
    }
    if (!line.getArgList().isEmpty()) {
      throw new UsageException("unexpected argument(s): " + String.join(" ", line.getArgList()));
    }
    return true;
  }

  public boolean has(String name) {
    return line.hasOption(name);
  }

  public String get(String name, String defaultValue) {
    return line.getOptionValue(name, defaultValue);
  }

  /**
   * A whole-number option, or {@code defaultValue} when absent.
   *
   * @throws UsageException when it is not a whole number or is below {@code min}
   */
  public int getInt(String name, int defaultValue, int min) {
    long v = getLong(name, defaultValue);
    if (v < min || v > Integer.MAX_VALUE) {
      throw new UsageException("--" + name + " must be a whole number from " + min + " to " + Integer.MAX_VALUE
          + ", got " + v);
    }
    return (int) v;
  }

  /**
   * A whole-number option, or {@code defaultValue} when absent.
   *
   * @throws UsageException when it is not a whole number
   */
  public long getLong(String name, long defaultValue) {
    String v = line.getOptionValue(name);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a whole number, got " + v);
    }
  }

  /**
   * A numeric option, or {@code defaultValue} when absent.
   *
   * @throws UsageException when it is not a number
   */
  public double getDouble(String name, double defaultValue) {
    String v = line.getOptionValue(name);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a number, got " + v);
    }
  }

  public String require(String name) {
    String v = line.getOptionValue(name);
    if (v == null || v.isEmpty()) {
      throw new UsageException("--" + name + " is required");
    }
    return v;
  }

  public Path requirePath(String name) {
    return new Path(require(name));
  }

  /** A comma-separated list of paths; the option may also be given several times. */
  public List<Path> requirePaths(String name) {
    List<Path> paths = new ArrayList<>();
    String[] values = line.getOptionValues(name);
    if (values != null) {
      for (String v : values) {
        for (String p : v.split(",")) {
          if (!p.isBlank()) {
            paths.add(new Path(p.trim()));
          }
        }
      }
    }
    if (paths.isEmpty()) {
      throw new UsageException("--" + name + " is required");
    }
    return paths;
  }

  public String help() {
    StringWriter out = new StringWriter();
    PrintWriter w = new PrintWriter(out);
    new HelpFormatter().printHelp(w, 100,
        "taxoshard " + command + " [hadoop generic options] [options]",
        summary + "\n\nOptions:", options, 2, 2,
        "\nGeneric options (-D key=value, -conf FILE, -fs, -jt, -files, -libjars) come first."
            + " Exit status: 0 done, 1 a job failed, 2 bad usage or bad input.",
        false);
    w.flush();
    return out.toString();
  }
}
