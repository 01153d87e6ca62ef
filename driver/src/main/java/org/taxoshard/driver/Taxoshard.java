package org.taxoshard.driver;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.lib.input.InvalidInputException;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;
import org.taxoshard.formats.BadInputException;
import org.taxoshard.jobs.GenerateCommand;
import org.taxoshard.jobs.OutputFolder;
import org.taxoshard.jobs.IndexJob;
import org.taxoshard.jobs.PlanCommand;
import org.taxoshard.jobs.RunCommand;
import org.taxoshard.jobs.ShardJob;
import org.taxoshard.jobs.VerifyJob;
import org.taxoshard.jobs.ScanJob;
import org.taxoshard.jobs.SearchCommand;
import org.taxoshard.jobs.UsageException;

/**
 * The {@code taxoshard} command: {@code taxoshard COMMAND [generic options] [options]}. Each
 * command is a Hadoop {@link Tool} run through {@link ToolRunner}, so {@code -D}, {@code -conf},
 * {@code -fs}, {@code -jt}, {@code -files} and {@code -libjars} work everywhere.
 *
 * <p>Exit status: 0 done; 1 a job or check failed; 2 bad usage or bad input.
 */
public final class Taxoshard {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int BAD_INPUT = 2;

  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  private record Command(String summary, Supplier<Tool> tool) {}

  static {
    COMMANDS.put("scan", new Command("read FASTA in parallel, write the global statistics", ScanJob::new));
    COMMANDS.put("plan", new Command("make a sharding plan from a scan's statistics", PlanCommand::new));
    COMMANDS.put("shard", new Command("write the shards a plan describes, and their manifest", ShardJob::new));
    COMMANDS.put("verify", new Command("check every input record is in exactly one shard, unchanged", VerifyJob::new));
    COMMANDS.put("index", new Command("build each shard's index for the sharded search, and index.json", IndexJob::new));
    COMMANDS.put("search", new Command("search queries against a database, BLAST-style: hits.tsv", SearchCommand::new));
    COMMANDS.put("run", new Command("run the whole pipeline a TOML config describes; a rerun resumes", RunCommand::new));
    COMMANDS.put("generate", new Command("write a synthetic FASTA database and taxdump to try things on", GenerateCommand::new));
  }

  private Taxoshard() {}

  public static void main(String[] args) {
    System.exit(run(new Configuration(), args));
  }

  /** Runs one command and returns its exit status; never calls System.exit. */
  public static int run(Configuration conf, String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      System.out.print(usage());
      return args.length == 0 ? BAD_INPUT : OK;
    }
    Command command = COMMANDS.get(args[0]);
    if (command == null) {
      System.err.println("taxoshard: unknown command '" + args[0] + "'");
      System.err.print(usage());
      return BAD_INPUT;
    }
    String[] rest = new String[args.length - 1];
    System.arraycopy(args, 1, rest, 0, rest.length);
    String missing = missingConf(rest);
    if (missing != null) {
      System.err.println("taxoshard " + args[0] + ": -conf " + missing + ": no such file");
      System.err.println("(taxoshard " + args[0] + " --help prints the options)");
      return BAD_INPUT;
    }
    int rc;
    try {
      rc = ToolRunner.run(conf, command.tool().get(), rest);
    } catch (Throwable t) {
      rc = report(args[0], t);
    }
    if (rc != OK) {
      putBack(args[0], conf);
    }
    return rc;
  }

  /** Hadoop's generic options that take a value as the next argument ({@code -D k=v} too). */
  private static final Set<String> VALUED = Set.of("D", "conf", "fs", "jt", "files", "libjars",
      "archives", "tokenCacheFile");

  /**
   * The first {@code -conf} file among the leading generic options that is not a file, or null.
   * Hadoop reads a missing one as if it were empty, so a mistyped name would pass unnoticed; it
   * reads {@code -conf} files from the local file system only, whatever the path's scheme.
   */
  static String missingConf(String[] args) {
    for (int i = 0; i < args.length && args[i].startsWith("-"); i++) {
      String name = args[i].replaceFirst("^--?", "");
      if (name.startsWith("D") && name.length() > 1) {
        continue; // -Dkey=value, one argument
      }
      if (!VALUED.contains(name) || i + 1 == args.length) {
        break; // the command's own options begin
      }
      String value = args[++i];
      if (name.equals("conf") && !new File(new Path(value).toUri().getPath()).isFile()) {
        return value;
      }
    }
    return null;
  }

  /** After a failed command: the output folders its --overwrite moved aside go back in place. */
  private static void putBack(String command, Configuration conf) {
    try {
      for (Path p : OutputFolder.restore(conf)) {
        System.err.println("taxoshard " + command + ": " + p + " is as it was before (--overwrite replaces it only"
            + " with a complete output)");
      }
    } catch (java.io.IOException e) {
      System.err.println("taxoshard " + command + ": could not put the replaced output back: " + e.getMessage());
    }
  }

  /** Prints what went wrong in a user's words and chooses the exit status. */
  static int report(String command, Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof UsageException) {
        System.err.println("taxoshard " + command + ": " + c.getMessage());
        System.err.println("(taxoshard " + command + " --help prints the options)");
        return BAD_INPUT;
      }
      if (c instanceof BadInputException || c instanceof InvalidInputException
          || c instanceof java.io.FileNotFoundException || c instanceof org.apache.hadoop.fs.ChecksumException) {
        System.err.println("taxoshard " + command + ": bad input:");
        for (String line : String.valueOf(c.getMessage()).split("\n")) {
          System.err.println("  " + line);
        }
        return BAD_INPUT;
      }
    }
    System.err.println("taxoshard " + command + ": failed: " + t);
    if (System.getenv("TAXOSHARD_DEBUG") != null) {
      t.printStackTrace();
    } else {
      System.err.println("(set TAXOSHARD_DEBUG=1 for the stack trace)");
    }
    return FAILED;
  }

  static String usage() {
    StringBuilder b = new StringBuilder();
    b.append("usage: taxoshard COMMAND [hadoop generic options] [options]\n\ncommands:\n");
    for (Map.Entry<String, Command> e : COMMANDS.entrySet()) {
      b.append(String.format("  %-10s %s%n", e.getKey(), e.getValue().summary()));
    }
    b.append("\n'taxoshard COMMAND --help' prints a command's options.\n");
    return b.toString();
  }
}
