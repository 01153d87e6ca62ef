package org.taxoshard.jobs;

import java.io.BufferedReader;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.WritableUtils;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;
import org.taxoshard.avro.DatabaseStats;
import org.taxoshard.avro.SplitStart;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.fasta.FastaInputFormat;
import org.taxoshard.fasta.FastaRecord;
import org.taxoshard.formats.BadInputException;

/**
 * The sketching job behind the similarity strategy: maps sketch each record (MinHash of its
 * k-mers) and emit it once per LSH band, keyed by the band's values; records that share a key in
 * some band are candidates, and the reduce keeps the candidate pairs whose full sketches estimate
 * a Jaccard similarity at or above the threshold. Output: one line per similar pair,
 * {@code ordinalA lengthA ordinalB lengthB}, ordinals in the database's record order.
 */
public final class SimilarityJob {
  /** Rows per LSH band: with 2 rows and 16 bands, pairs at Jaccard 0.5 meet with probability 0.99. */
  static final int ROWS = 2;
  /** Buckets larger than this are linked as a chain, not all pairs (low-complexity sequences). */
  static final int MAX_BUCKET_PAIRS = 200;

  public enum Counter {
    SKETCHED, TOO_SHORT, CANDIDATE_PAIRS, SIMILAR_PAIRS
  }

  private SimilarityJob() {}

  /** A record's sketch on its way to a band bucket. */
  public static class Sketch implements Writable {
    long ordinal;
    int length;
    int[] values = new int[0];

    @Override
    public void write(DataOutput out) throws IOException {
      WritableUtils.writeVLong(out, ordinal);
      WritableUtils.writeVInt(out, length);
      WritableUtils.writeVInt(out, values.length);
      for (int v : values) {
        out.writeInt(v);
      }
    }

    @Override
    public void readFields(DataInput in) throws IOException {
      ordinal = WritableUtils.readVLong(in);
      length = WritableUtils.readVInt(in);
      int n = WritableUtils.readVInt(in);
      if (values.length != n) {
        values = new int[n];
      }
      for (int i = 0; i < n; i++) {
        values[i] = in.readInt();
      }
    }
  }

  /** Emits each record's sketch once per band, keyed by (the band's hash, the record's ordinal). */
  public static class SketchMapper extends ReportingMapper<LongWritable, FastaRecord, LongPair, Sketch> {
    private Sketcher sketcher;
    private long ordinal;
    private final Sketch sketch = new Sketch();
    private final LongPair key = new LongPair();

    @Override
    protected void setup(Context context) throws IOException {
      Configuration conf = context.getConfiguration();
      sketcher = new Sketcher(TaxoshardKeys.SIMILARITY_KMER.getInt(conf), TaxoshardKeys.SIMILARITY_SKETCH.getInt(conf));
      SplitStart s = PlannedInputFormat.find(PlannedInputFormat.splits(conf), (FileSplit) context.getInputSplit());
      ordinal = s.getOrdinal();
      sketch.values = new int[sketcher.size()];
    }

    @Override
    protected void map(LongWritable offset, FastaRecord r, Context context) throws IOException, InterruptedException {
      if (r.isSkipped()) {
        return;
      }
      long o = ordinal++;
      if (!sketcher.sketch(r.sequenceBytes(), r.length(), sketch.values)) {
        context.getCounter(Counter.TOO_SHORT).increment(1);
        return;
      }
      sketch.ordinal = o;
      sketch.length = r.length();
      for (int band = 0; band < sketch.values.length / ROWS; band++) {
        long h = band;
        for (int row = 0; row < ROWS; row++) {
          h = Sketcher.mix(h * 0x100000001b3L ^ (sketch.values[band * ROWS + row] & 0xFFFFFFFFL));
        }
        context.write(key.set(h, o), sketch);
      }
      context.getCounter(Counter.SKETCHED).increment(1);
    }
  }

  /**
   * Checks the candidates of one bucket, whose sketches arrive in ascending ordinal order (a
   * secondary sort): all pairs when the bucket holds at most {@link #MAX_BUCKET_PAIRS}, else the
   * chain of neighbours in that order. Memory: at most that many sketches, whatever the bucket.
   */
  public static class PairReducer extends ReportingReducer<LongPair, Sketch, NullWritable, Text> {
    private double threshold;
    private final Text line = new Text();
    private final Sketch[] held = new Sketch[MAX_BUCKET_PAIRS];
    private org.apache.hadoop.mapreduce.Counter candidates;
    private org.apache.hadoop.mapreduce.Counter similar;

    @Override
    protected void setup(Context context) {
      threshold = Double.parseDouble(TaxoshardKeys.SIMILARITY_THRESHOLD.get(context.getConfiguration()));
      for (int i = 0; i < held.length; i++) {
        held[i] = new Sketch();
      }
      candidates = context.getCounter(Counter.CANDIDATE_PAIRS);
      similar = context.getCounter(Counter.SIMILAR_PAIRS);
    }

    @Override
    protected void reduce(LongPair key, Iterable<Sketch> values, Context context)
        throws IOException, InterruptedException {
      int n = 0;
      boolean chain = false;
      for (Sketch s : values) {
        if (!chain && n < MAX_BUCKET_PAIRS) {
          copy(s, held[n++]);
          continue;
        }
        if (!chain) { // more than MAX_BUCKET_PAIRS: a chain through them all keeps them connected
          chain = true;
          for (int i = 0; i + 1 < n; i++) {
            check(held[i], held[i + 1], context);
          }
          copy(held[n - 1], held[0]);
        }
        copy(s, held[1]);
        check(held[0], held[1], context);
        Sketch t = held[0];
        held[0] = held[1];
        held[1] = t;
      }
      if (!chain) {
        for (int i = 0; i < n; i++) {
          for (int j = i + 1; j < n; j++) {
            check(held[i], held[j], context);
          }
        }
      }
    }

    private void check(Sketch a, Sketch b, Context context) throws IOException, InterruptedException {
      candidates.increment(1);
      if (Sketcher.similarity(a.values, b.values) >= threshold) {
        line.set(a.ordinal + "\t" + a.length + "\t" + b.ordinal + "\t" + b.length);
        context.write(NullWritable.get(), line);
        similar.increment(1);
      }
    }

    private static void copy(Sketch from, Sketch to) {
      to.ordinal = from.ordinal;
      to.length = from.length;
      if (to.values.length != from.values.length) {
        to.values = new int[from.values.length];
      }
      System.arraycopy(from.values, 0, to.values, 0, from.values.length);
    }
  }

  /**
   * Runs the sketching job over the scan's splits into {@code out}.
   *
   * @return the similar pairs it wrote (a pair met in several bands counts each time), or -1 when it failed
   */
  static long run(Configuration base, Path scanDir, DatabaseStats stats, List<Path> inputs, int k, Path out)
      throws Exception {
    Configuration conf = new Configuration(base);
    JobSupport.useLocalCores(conf);
    // The sketches must number the records as the scan did, so the job skips what the scan
    // skipped: a scan that skipped none read strictly, and so does this job, naming any bad record
    // it meets; after a lenient scan it reads leniently, and the counts below must agree.
    long scanSkipped = stats.getSkipped().getRecords();
    if (scanSkipped > 0) {
      FastaInputFormat.setLenient(conf, true);
    }
    FileSystem fs = scanDir.getFileSystem(conf);
    TaxoshardKeys.SIMILARITY_SCAN.set(conf, fs.makeQualified(scanDir).toString());
    TaxoshardKeys.SHARD_PLAN.set(conf, "");
    TaxoshardKeys.SIMILARITY_KMER.set(conf, String.valueOf(k));
    Job job = Job.getInstance(conf, "taxoshard plan similarity: sketch");
    JobSupport.setJar(job, SimilarityJob.class);
    FileInputFormat.setInputPaths(job, inputs.toArray(new Path[0]));
    FileInputFormat.setInputDirRecursive(job, true);
    job.setInputFormatClass(PlannedInputFormat.class);
    job.setMapperClass(SketchMapper.class);
    job.setReducerClass(PairReducer.class);
    job.setNumReduceTasks(2);
    LongPair.groupByFirst(job, Sketch.class);
    job.setOutputKeyClass(NullWritable.class);
    job.setOutputValueClass(Text.class);
    job.setOutputFormatClass(TextOutputFormat.class);
    FileOutputFormat.setOutputPath(job, out);
    if (!JobSupport.runJob(job, out)) {
      return -1;
    }
    Counters c = job.getCounters();
    long read = c.findCounter(FastaInputFormat.Counter.RECORDS).getValue();
    long skipped = c.findCounter(FastaInputFormat.Counter.SKIPPED_RECORDS).getValue();
    if (read != stats.getSequences() || skipped != scanSkipped) {
      throw new BadInputException(String.join(",", inputs.stream().map(Path::toString).toList()), null, null,
          String.format("changed since the scan: the sketch job read %,d records and skipped %,d, the scan counted"
              + " %,d and skipped %,d; scan the files again", read, skipped, stats.getSequences(), scanSkipped));
    }
    return c.findCounter(Counter.SIMILAR_PAIRS).getValue();
  }

  /** The similar pairs a run wrote, deduplicated: rows of {ordinalA, lengthA, ordinalB, lengthB}, sorted. */
  static long[][] readPairs(Configuration conf, Path out) throws IOException {
    FileSystem fs = out.getFileSystem(conf);
    List<long[]> pairs = new ArrayList<>();
    for (FileStatus f : fs.globStatus(new Path(out, "part-*"))) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(f.getPath()), StandardCharsets.UTF_8))) {
        for (String l = r.readLine(); l != null; l = r.readLine()) {
          String[] p = l.split("\t");
          pairs.add(new long[] {Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3])});
        }
      }
    }
    pairs.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[2], b[2]));
    List<long[]> unique = new ArrayList<>();
    for (long[] p : pairs) {
      if (unique.isEmpty() || unique.get(unique.size() - 1)[0] != p[0] || unique.get(unique.size() - 1)[2] != p[2]) {
        unique.add(p);
      }
    }
    return unique.toArray(new long[0][]);
  }
}
