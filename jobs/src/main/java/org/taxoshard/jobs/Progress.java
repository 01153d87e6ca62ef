package org.taxoshard.jobs;

import java.io.IOException;
import java.io.PrintStream;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.taxoshard.fasta.FastaInputFormat;

/**
 * Follows a running job for a person: on a terminal one line rewritten in place (map and reduce
 * percent, records read, elapsed, an estimate of what remains); in a log a plain line every 10 s.
 */
final class Progress {
  private Progress() {}

  /** Submits the job and follows it to the end; true when it succeeded. */
  static boolean follow(Job job) throws IOException, InterruptedException, ClassNotFoundException {
    PrintStream out = System.out;
    boolean terminal = System.console() != null;
    String[] words = job.getJobName().split(" ");
    String step = words.length > 1 ? words[1] : job.getJobName();
    long start = System.nanoTime();
    long printed = 0;
    job.submit();
    String line = "";
    while (!job.isComplete()) {
      Thread.sleep(terminal ? 500 : 1000);
      line = line(job, step, start);
      long now = System.nanoTime();
      if (terminal) {
        out.print("\r" + line + "\u001b[K");
        out.flush();
      } else if (now - printed >= 10_000_000_000L) {
        out.println(line);
        printed = now;
      }
    }
    line = line(job, step, start);
    out.print(terminal ? "\r" + line + "\u001b[K\n" : line + "\n");
    return job.isSuccessful();
  }

  private static String line(Job job, String step, long start) throws IOException {
    float map = job.mapProgress();
    boolean reduces = job.getNumReduceTasks() > 0;
    float reduce = reduces ? job.reduceProgress() : 0;
    float done = reduces ? (map + reduce) / 2 : map;
    long records = 0;
    try {
      Counters c = job.getCounters();
      records = c == null ? 0 : c.findCounter(FastaInputFormat.Counter.RECORDS).getValue();
    } catch (IOException | RuntimeException e) {
      // Counters are not always ready while the job starts; the line goes without them.
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    String left = done > 0.05 && done < 1 ? String.format("~%s left", seconds(elapsed * (1 - done) / done)) : "";
    return String.format("%-7s map %3.0f%%  reduce %3.0f%%  %,12d records  %7s elapsed  %s", step, 100 * map,
        100 * reduce, records, seconds(elapsed), left);
  }

  static String seconds(double s) {
    return s < 60 ? String.format("%.0fs", s) : String.format("%dm%02.0fs", (long) s / 60, s % 60);
  }
}
