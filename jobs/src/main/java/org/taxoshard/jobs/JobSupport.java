package org.taxoshard.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.LazyOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.formats.BadInputException;

/** What every Taxoshard job does the same way: its output folder, and reporting bad input. */
public final class JobSupport {
  private static final Logger LOG = LoggerFactory.getLogger(JobSupport.class);

  /**
   * Where tasks leave the messages of the bad input they met, one file per task attempt, so
   * that the driver can name the file, place and record after the job failed. It sits beside
   * the committed output and is removed with it.
   */
  public static final String BAD_INPUT_DIR = "_bad-input";

  /** Files a folder listing shows users and jobs: not Hadoop's hidden {@code _x} and {@code .x} files. */
  public static final org.apache.hadoop.fs.PathFilter VISIBLE = p -> !p.getName().startsWith("_")
      && !p.getName().startsWith(".");

  private JobSupport() {}

  /**
   * The job jar: the one given with {@code -D mapreduce.job.jar=...} if any (the shaded job jar
   * of a deployment), else the jar holding {@code cls}. Hadoop's own setJarByClass would replace a
   * given jar with whichever jar the class was loaded from.
   */
  public static void setJar(Job job, Class<?> cls) {
    if (job.getConfiguration().get(MRJobConfig.JAR) == null) {
      job.setJarByClass(cls);
    }
  }

  /**
   * Output made of side files the tasks write themselves (no part files): null keys and values,
   * and a lazy output format so that no empty part files appear.
   */
  public static void sideFileOutput(Job job, Path out) {
    job.setOutputKeyClass(NullWritable.class);
    job.setOutputValueClass(NullWritable.class);
    LazyOutputFormat.setOutputFormatClass(job, TextOutputFormat.class);
    FileOutputFormat.setOutputPath(job, out);
  }

  /**
   * For a command that finishes its output after the job (a manifest, a join): removes the job's
   * {@code _SUCCESS} so the folder never looks complete before it is; {@link #markSuccess} puts
   * it back at the end.
   */
  public static void withholdSuccess(FileSystem fs, Path out) throws IOException {
    fs.delete(new Path(out, FileOutputCommitter.SUCCEEDED_FILE_NAME), false);
  }

  /**
   * Marks {@code out} complete, the last thing a command does: puts its waiting JSON in place
   * ({@link OutputFiles#pending}) and writes {@code _SUCCESS}. With
   * {@code taxoshard.test.hold-before-success} naming the command, it first says so on standard
   * error and waits to be killed: every file written, none yet marked, the worst moment for a client
   * to die, which the kill tests choose.
   */
  public static void markSuccess(FileSystem fs, Path out, Configuration conf, String command) throws IOException {
    for (String c : TaxoshardKeys.TEST_HOLD_BEFORE_SUCCESS.get(conf).split(",")) {
      if (c.trim().equals(command)) {
        System.err.println(HOLDING + command);
        System.err.flush();
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("held before " + command + "'s " + FileOutputCommitter.SUCCEEDED_FILE_NAME);
        }
      }
    }
    FileStatus[] pending = fs.listStatus(out, p -> p.getName().startsWith("_")
        && p.getName().endsWith(OutputFiles.PENDING));
    for (FileStatus f : pending) {
      String name = f.getPath().getName();
      Path to = new Path(out, name.substring(1, name.length() - OutputFiles.PENDING.length()));
      if (!fs.rename(f.getPath(), to)) {
        throw new IOException("cannot rename " + f.getPath() + " to " + to);
      }
    }
    fs.create(new Path(out, FileOutputCommitter.SUCCEEDED_FILE_NAME), true).close();
    OutputFolder.complete(fs, out);
  }

  /** What {@link #markSuccess} prints when it holds, followed by the command. */
  public static final String HOLDING = "taxoshard-test: holding before _SUCCESS of ";

  /**
   * Runs tasks in parallel in the embedded local runner: it runs one map at a time unless told
   * otherwise, which would leave all but one core idle.
   */
  public static void useLocalCores(Configuration conf) {
    if (MRConfig.LOCAL_FRAMEWORK_NAME.equals(conf.get(MRConfig.FRAMEWORK_NAME, MRConfig.LOCAL_FRAMEWORK_NAME))
        && conf.get("mapreduce.local.map.tasks.maximum") == null) {
      conf.setInt("mapreduce.local.map.tasks.maximum", Runtime.getRuntime().availableProcessors());
    }
  }

  /**
   * Fails the first attempt of a task when {@code taxoshard.test.fail-first-attempts} lists it:
   * {@code command:kind} for every task of that kind ({@code shard:map}), {@code command:kind:N}
   * for task N alone ({@code shard:reduce:0}). Fault injection for the tests that prove retries
   * and resumes lose nothing. The command is the job name's second word ("taxoshard shard ...").
   */
  private static void injectFault(TaskAttemptContext context, String kind) throws IOException {
    String listed = TaxoshardKeys.TEST_FAIL_FIRST_ATTEMPTS.get(context.getConfiguration());
    if (listed.isEmpty() || context.getTaskAttemptID().getId() > 0) {
      return;
    }
    String[] name = context.getJobName().split(" ");
    String me = (name.length > 1 ? name[1] : name[0]) + ":" + kind;
    String task = me + ":" + context.getTaskAttemptID().getTaskID().getId();
    for (String f : listed.split(",")) {
      if (f.trim().equals(me) || f.trim().equals(task)) {
        throw new IOException("injected failure of " + context.getTaskAttemptID() + " ("
            + TaxoshardKeys.TEST_FAIL_FIRST_ATTEMPTS.key() + " = " + listed + ")");
      }
    }
  }

  /** A task's work, as {@code Mapper.run} or {@code Reducer.run} does it. */
  interface TaskBody {
    void run() throws IOException, InterruptedException;
  }

  /**
   * Runs a task's work: injects the faults tests ask for, and before the task fails on bad input,
   * on a file whose file-system checksum fails, or for lack of memory, leaves why for the driver.
   *
   * @param kind {@code map} or {@code reduce}
   */
  static void runTask(TaskAttemptContext context, String kind, TaskBody body) throws IOException, InterruptedException {
    injectFault(context, kind);
    Path out = FileOutputFormat.getOutputPath(context);
    try {
      body.run();
    } catch (BadInputException e) {
      reportBadInput(context, out, e);
      throw e;
    } catch (RecordsLostException e) {
      reportFailure(context, out, e.getMessage());
      throw e;
    } catch (org.apache.hadoop.fs.ChecksumException e) {
      // The file system's own checksum: the file was changed behind its back, or the disk is failing.
      BadInputException bad = new BadInputException(e.getMessage() + " (the file system's checksum of the data"
          + " does not match: the file was changed or damaged)");
      reportBadInput(context, out, bad);
      throw bad;
    } catch (OutOfMemoryError e) {
      // A stack trace in a task log helps nobody: say why, and what to raise.
      reportFailure(context, out, "a " + kind + " task ran out of memory (heap " + (Runtime.getRuntime().maxMemory() >> 20)
          + " MB): give tasks more (-D mapreduce." + kind + ".java.opts=-Xmx..., or TAXOSHARD_HEAPSIZE for"
          + " bin/taxoshard), or lower " + TaxoshardKeys.FASTA_MAX_RECORD_BYTES.key());
      throw e;
    }
  }

  /** Called by a task that met bad input, before it fails: leaves the message for the driver. */
  public static void reportBadInput(TaskAttemptContext context, Path out, BadInputException e) {
    try {
      Path file = new Path(new Path(out, BAD_INPUT_DIR), context.getTaskAttemptID().toString());
      FileSystem fs = file.getFileSystem(context.getConfiguration());
      try (FSDataOutputStream s = fs.create(file, true)) {
        s.write((e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException io) {
      LOG.warn("could not record bad input {}: {}", e.getMessage(), io.toString());
    }
  }

  /** Where tasks leave why they failed when it is not bad input (out of memory, say). */
  public static final String FAILURE_DIR = "_failures";

  /** Called by a task that is about to fail for a reason a user can act on: leaves it for the driver. */
  public static void reportFailure(TaskAttemptContext context, Path out, String message) {
    try {
      Path file = new Path(new Path(out, FAILURE_DIR), context.getTaskAttemptID().toString());
      FileSystem fs = file.getFileSystem(context.getConfiguration());
      try (FSDataOutputStream s = fs.create(file, true)) {
        s.write((message + "\n").getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException io) {
      LOG.warn("could not record failure {}: {}", message, io.toString());
    }
  }

  /**
   * After a failed job: the bad input its tasks met, as one exception whose message lists each
   * distinct problem once (task retries repeat them), or null when the failure was something else.
   */
  public static BadInputException collectBadInput(Configuration conf, Path out) throws IOException {
    Set<String> messages = messages(conf, new Path(out, BAD_INPUT_DIR));
    return messages.isEmpty() ? null : new BadInputException(String.join("\n", messages));
  }

  /** The distinct lines tasks left in {@code dir}, one file per attempt. */
  private static Set<String> messages(Configuration conf, Path dir) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    Set<String> messages = new LinkedHashSet<>();
    if (!fs.exists(dir)) {
      return messages;
    }
    for (FileStatus st : fs.listStatus(dir)) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(st.getPath()), StandardCharsets.UTF_8))) {
        for (String l = r.readLine(); l != null; l = r.readLine()) {
          if (!l.isBlank()) {
            messages.add(l);
          }
        }
      }
    }
    return messages;
  }

  /**
   * Waits for the job; on failure turns bad input met by its tasks into a BadInputException
   * (exit status 2) and removes the incomplete output.
   *
   * @return true when the job succeeded
   */
  public static boolean runJob(Job job, Path out) throws IOException, InterruptedException, ClassNotFoundException {
    boolean ok = TaxoshardKeys.RUN_PROGRESS.getBoolean(job.getConfiguration()) ? Progress.follow(job)
        : job.waitForCompletion(true);
    if (ok) {
      FileSystem fs = out.getFileSystem(job.getConfiguration());
      fs.delete(new Path(out, BAD_INPUT_DIR), true);
      // Notes of attempts that failed and were retried with success.
      fs.delete(new Path(out, FAILURE_DIR), true);
      return true;
    }
    BadInputException bad = collectBadInput(job.getConfiguration(), out);
    Set<String> failures = messages(job.getConfiguration(), new Path(out, FAILURE_DIR));
    out.getFileSystem(job.getConfiguration()).delete(out, true);
    if (bad != null) {
      throw bad;
    }
    String why = job.getStatus() == null ? null : job.getStatus().getFailureInfo();
    System.err.println(job.getJobName() + " failed" + (why == null || why.isEmpty() || why.equals("NA") ? ""
        : ": " + why.split("\n")[0]));
    for (String f : failures) {
      System.err.println("  " + f);
    }
    return false;
  }
}
