package org.taxoshard.jobs;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.WritableUtils;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Partitioner;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.MultipleInputs;
import org.apache.hadoop.mapreduce.lib.input.SequenceFileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.MultipleOutputs;
import org.apache.hadoop.mapreduce.lib.output.SequenceFileOutputFormat;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.formats.BadInputException;

/**
 * The similarity strategy's clusters by MapReduce, for more pairs than the client should hold:
 * the same clusters, placement and per-split files as {@link Clusters#onClient}, with no JVM
 * holding more than one node's neighbours in order (the reducers stream them) and the client one
 * figure per shard.
 *
 * <ol>
 *   <li>Connected components by alternating Large-Star and Small-Star rounds (Kiveris et al.,
 *       "Connected Components in MapReduce and Beyond", 2014): each node u, with its neighbours
 *       sorted so the smallest comes first, re-points edges at the smallest node it sees. Large-Star
 *       links u's larger neighbours to m = min(u, neighbours); Small-Star links u and its smaller
 *       neighbours to the smallest of them. When a pair of rounds changes nothing, every component
 *       is a star around its smallest ordinal, its name. The first round also removes the
 *       sketching job's repeated pairs and writes each node's length and its count of larger
 *       neighbours (so pairs are counted once).
 *   <li>label: each node joined with its star's centre.
 *   <li>summarize: each cluster's records, residues and pairs, one row per cluster.
 *   <li>place, one reducer: clusters in ascending order of name, each placed from its row by
 *       {@link Clusters.Placer}. Memory: one figure per shard. The placement is greedy and in
 *       order, so this is the one step that does not spread; it reads a row per cluster, not
 *       its members.
 *   <li>assign: each kept cluster's shard joined with its members; a too-small cluster's dropped.
 *   <li>route: reducers each write the files of a run of scan splits, ordinals ascending.
 * </ol>
 */
public final class ClusteringJob {
  /** Rounds after which the components are taken not to converge (they take O(log^2 n)). */
  static final int MAX_ROUNDS = 60;
  private static final String FIRST_ROUND = "taxoshard.similarity.first-round";
  private static final String NODES = "nodes";

  public enum Counter {
    /** Edges a round re-pointed; 0 in both rounds of a pair ends the loop. */
    CHANGED,
    /** First round: distinct similar pairs. */
    UNIQUE_PAIRS,
    /** Assign: records in kept clusters. */
    CLUSTERED_RECORDS,
    /** Place: the distinct pairs within kept clusters. */
    PAIRS_TOGETHER
  }

  private ClusteringJob() {}

  /**
   * A clustered record on its way: its database ordinal, length (residues), count of distinct
   * similar partners with a larger ordinal, cluster name and shard, as far as they are known.
   */
  public static class Node implements org.apache.hadoop.io.Writable {
    long ordinal;
    long length;
    long larger;
    long cluster;
    int shard;

    @Override
    public void write(DataOutput out) throws IOException {
      WritableUtils.writeVLong(out, ordinal);
      WritableUtils.writeVLong(out, length);
      WritableUtils.writeVLong(out, larger);
      WritableUtils.writeVLong(out, cluster);
      WritableUtils.writeVInt(out, shard);
    }

    @Override
    public void readFields(DataInput in) throws IOException {
      ordinal = WritableUtils.readVLong(in);
      length = WritableUtils.readVLong(in);
      larger = WritableUtils.readVLong(in);
      cluster = WritableUtils.readVLong(in);
      shard = WritableUtils.readVInt(in);
    }
  }

  /**
   * First round's input: the sketching job's lines {@code a la b lb}, as (node, neighbour) both
   * ways, and each end's length as (node, -1), which sorts ahead of its neighbours.
   */
  public static class PairMapper extends ReportingMapper<LongWritable, Text, LongPair, LongWritable> {
    private final LongPair key = new LongPair();
    private final LongWritable value = new LongWritable();

    @Override
    protected void map(LongWritable offset, Text line, Context context) throws IOException, InterruptedException {
      String[] p = line.toString().split("\t");
      long a;
      long la;
      long b;
      long lb;
      try {
        if (p.length != 4) {
          throw new NumberFormatException("4 fields expected");
        }
        a = Long.parseLong(p[0]);
        la = Long.parseLong(p[1]);
        b = Long.parseLong(p[2]);
        lb = Long.parseLong(p[3]);
      } catch (NumberFormatException e) {
        throw new BadInputException(((org.apache.hadoop.mapreduce.lib.input.FileSplit) context.getInputSplit()).getPath()
            .toString(), "byte " + offset.get(), null, "not a similar pair (ordinal, length, ordinal, length): " + line);
      }
      context.write(key.set(a, b), value(lb));
      context.write(key.set(b, a), value(la));
      context.write(key.set(a, -1), value(la));
      context.write(key.set(b, -1), value(lb));
    }

    private LongWritable value(long v) {
      value.set(v);
      return value;
    }
  }

  /** Large-Star's input after the first round: every edge in both directions. */
  public static class BothWaysMapper extends ReportingMapper<LongWritable, LongWritable, LongPair, LongWritable> {
    private final LongPair key = new LongPair();
    private final LongWritable none = new LongWritable();

    @Override
    protected void map(LongWritable a, LongWritable b, Context context) throws IOException, InterruptedException {
      context.write(key.set(a.get(), b.get()), none);
      context.write(key.set(b.get(), a.get()), none);
    }
  }

  /** Small-Star's input: every edge at its larger end. */
  public static class LargerEndMapper extends ReportingMapper<LongWritable, LongWritable, LongPair, LongWritable> {
    private final LongPair key = new LongPair();
    private final LongWritable none = new LongWritable();

    @Override
    protected void map(LongWritable a, LongWritable b, Context context) throws IOException, InterruptedException {
      long x = a.get();
      long y = b.get();
      context.write(key.set(Math.max(x, y), Math.min(x, y)), none);
    }
  }

  /** Keeps one of each repeated edge before the shuffle (the sketching job meets a pair once per band it shares). */
  public static class RepeatCombiner extends org.apache.hadoop.mapreduce.Reducer<LongPair, LongWritable, LongPair, LongWritable> {
    @Override
    protected void reduce(LongPair key, Iterable<LongWritable> values, Context context) throws IOException, InterruptedException {
      context.write(key, values.iterator().next()); // grouped by the whole key: repeats carry the same value
    }
  }

  /**
   * Large-Star at u: m = min(u, neighbours), and an edge (v, m) for every neighbour v above u.
   * It changed something when m is below u and there is such a v. In the first round it also
   * writes u's {@link Node} (length, count of larger neighbours).
   */
  public static class LargeStarReducer extends ReportingReducer<LongPair, LongWritable, LongWritable, LongWritable> {
    private final LongWritable from = new LongWritable();
    private final LongWritable to = new LongWritable();
    private final Node node = new Node();
    private boolean first;
    private MultipleOutputs<LongWritable, LongWritable> outputs;
    private org.apache.hadoop.mapreduce.Counter changed;
    private org.apache.hadoop.mapreduce.Counter unique;

    @Override
    protected void setup(Context context) {
      first = context.getConfiguration().getBoolean(FIRST_ROUND, false);
      outputs = first ? new MultipleOutputs<>(context) : null;
      changed = context.getCounter(Counter.CHANGED);
      unique = context.getCounter(Counter.UNIQUE_PAIRS);
    }

    @Override
    protected void reduce(LongPair key, Iterable<LongWritable> values, Context context) throws IOException, InterruptedException {
      long u = key.first;
      long m = u;
      long length = 0;
      long larger = 0;
      long last = Long.MIN_VALUE;
      boolean seen = false;
      for (LongWritable value : values) {
        long v = key.second; // the key moves with the values
        if (v < 0) {
          length = value.get();
          continue;
        }
        if (v == last) {
          continue; // the same pair from another band, or the same edge from two nodes
        }
        last = v;
        if (!seen) {
          m = Math.min(u, v); // neighbours come smallest first
          seen = true;
        }
        if (v > u) {
          from.set(v);
          to.set(m);
          context.write(from, to);
          larger++;
          if (m != u) {
            changed.increment(1);
          }
        }
      }
      if (first) {
        node.ordinal = u;
        node.length = length;
        node.larger = larger;
        from.set(u);
        outputs.write(NODES, from, node, NODES + "/part");
        unique.increment(larger);
      }
    }

    @Override
    protected void cleanup(Context context) throws IOException, InterruptedException {
      if (outputs != null) {
        outputs.close();
      }
    }
  }

  /**
   * Small-Star at u, given its smaller neighbours N: m = min(N), and an edge (v, m) for every v in
   * N and u itself, but m. It changed something when N has more than one node.
   */
  public static class SmallStarReducer extends ReportingReducer<LongPair, LongWritable, LongWritable, LongWritable> {
    private final LongWritable from = new LongWritable();
    private final LongWritable to = new LongWritable();
    private org.apache.hadoop.mapreduce.Counter changed;

    @Override
    protected void setup(Context context) {
      changed = context.getCounter(Counter.CHANGED);
    }

    @Override
    protected void reduce(LongPair key, Iterable<LongWritable> values, Context context) throws IOException, InterruptedException {
      long u = key.first;
      long m = -1;
      long last = Long.MIN_VALUE;
      int count = 0;
      for (LongWritable ignored : values) {
        long v = key.second;
        if (v == last) {
          continue;
        }
        last = v;
        if (count++ == 0) {
          m = v;
        } else {
          from.set(v);
          to.set(m);
          context.write(from, to);
        }
      }
      from.set(u);
      to.set(m);
      context.write(from, to);
      if (count > 1) {
        changed.increment(count - 1);
      }
    }
  }

  /** label's inputs: a star's edge names its outer end's cluster (the other end, the centre) ... */
  public static class StarMapper extends ReportingMapper<LongWritable, LongWritable, LongPair, Node> {
    private final LongPair key = new LongPair();
    private final Node node = new Node();

    @Override
    protected void map(LongWritable a, LongWritable b, Context context) throws IOException, InterruptedException {
      node.cluster = Math.min(a.get(), b.get());
      context.write(key.set(Math.max(a.get(), b.get()), 0), node);
    }
  }

  /** ... and each node's facts follow, sorted after it. */
  public static class NodeMapper extends ReportingMapper<LongWritable, Node, LongPair, Node> {
    private final LongPair key = new LongPair();

    @Override
    protected void map(LongWritable ordinal, Node node, Context context) throws IOException, InterruptedException {
      context.write(key.set(ordinal.get(), 1), node);
    }
  }

  /** A node with its cluster: the star centre it points at, or itself when it is a centre. */
  public static class LabelReducer extends ReportingReducer<LongPair, Node, LongWritable, Node> {
    private final LongWritable out = new LongWritable();

    @Override
    protected void reduce(LongPair key, Iterable<Node> values, Context context) throws IOException, InterruptedException {
      long cluster = key.first;
      boolean labelled = false;
      for (Node n : values) {
        if (key.second == 0) {
          if (!labelled) {
            cluster = n.cluster;
            labelled = true;
          }
        } else {
          n.cluster = cluster;
          out.set(cluster);
          context.write(out, n);
        }
      }
    }
  }

  /**
   * A cluster's figures, or a part of them: its records, their residues and the distinct similar
   * pairs among them.
   */
  public static class Summary implements org.apache.hadoop.io.Writable {
    long size;
    long residues;
    long pairs;

    @Override
    public void write(DataOutput out) throws IOException {
      WritableUtils.writeVLong(out, size);
      WritableUtils.writeVLong(out, residues);
      WritableUtils.writeVLong(out, pairs);
    }

    @Override
    public void readFields(DataInput in) throws IOException {
      size = WritableUtils.readVLong(in);
      residues = WritableUtils.readVLong(in);
      pairs = WritableUtils.readVLong(in);
    }
  }

  /** summarize's map: each member as a cluster of one, under its cluster's name. */
  public static class SummaryMapper extends ReportingMapper<LongWritable, Node, LongWritable, Summary> {
    private final Summary summary = new Summary();

    @Override
    protected void map(LongWritable cluster, Node n, Context context) throws IOException, InterruptedException {
      summary.size = 1;
      summary.residues = n.length;
      summary.pairs = n.larger;
      context.write(cluster, summary);
    }
  }

  /**
   * summarize's combiner: a map task's rows of one cluster summed before the shuffle.
   */
  public static class SummaryCombiner extends org.apache.hadoop.mapreduce.Reducer<LongWritable, Summary, LongWritable, Summary> {
    private final Summary sum = new Summary();

    @Override
    protected void reduce(LongWritable cluster, Iterable<Summary> values, Context context)
        throws IOException, InterruptedException {
      context.write(cluster, add(sum, values));
    }
  }

  /**
   * summarize's reduce: {@link SummaryCombiner}'s sum as a reporting task (the combiner cannot be
   * one: it runs inside map tasks, where a reduce's injected faults and reports do not belong).
   */
  public static class SummaryReducer extends ReportingReducer<LongWritable, Summary, LongWritable, Summary> {
    private final Summary sum = new Summary();

    @Override
    protected void reduce(LongWritable cluster, Iterable<Summary> values, Context context)
        throws IOException, InterruptedException {
      context.write(cluster, add(sum, values));
    }
  }

  /** {@code sum} set to the sum of {@code values}, and returned. */
  static Summary add(Summary sum, Iterable<Summary> values) {
    sum.size = 0;
    sum.residues = 0;
    sum.pairs = 0;
    for (Summary v : values) {
      sum.size += v.size;
      sum.residues += v.residues;
      sum.pairs += v.pairs;
    }
    return sum;
  }

  /**
   * place, one reducer: clusters in ascending order of name, each placed by {@link Clusters.Placer}
   * from its summary and written with its shard when kept; at the end, each shard's residues and
   * records.
   */
  public static class PlaceReducer extends ReportingReducer<LongWritable, Summary, LongWritable, IntWritable> {
    static final String LOADS = "loads";
    private Clusters.Placer placer;
    private final Summary sum = new Summary();
    private final IntWritable shard = new IntWritable();
    private org.apache.hadoop.mapreduce.Counter together;

    @Override
    protected void setup(Context context) {
      Configuration conf = context.getConfiguration();
      placer = new Clusters.Placer(TaxoshardKeys.SIMILARITY_SHARDS.getInt(conf),
          TaxoshardKeys.SIMILARITY_GROWN_FROM.getInt(conf), TaxoshardKeys.SIMILARITY_RESIDUES.getLong(conf),
          Double.parseDouble(TaxoshardKeys.SIMILARITY_OVERLOAD.get(conf)),
          TaxoshardKeys.SIMILARITY_MIN_CLUSTER.getInt(conf));
      together = context.getCounter(Counter.PAIRS_TOGETHER);
    }

    @Override
    protected void reduce(LongWritable cluster, Iterable<Summary> values, Context context)
        throws IOException, InterruptedException {
      add(sum, values);
      int s = placer.place(cluster.get(), sum.size, sum.residues);
      if (s >= 0) {
        together.increment(sum.pairs);
        shard.set(s);
        context.write(cluster, shard);
      }
    }

    @Override
    protected void cleanup(Context context) throws IOException, InterruptedException {
      Path file = new Path(FileOutputFormat.getWorkOutputPath(context), LOADS);
      try (java.io.PrintWriter w = new java.io.PrintWriter(new java.io.OutputStreamWriter(
          file.getFileSystem(context.getConfiguration()).create(file, true), java.nio.charset.StandardCharsets.UTF_8))) {
        long[] loads = placer.loads();
        long[] counts = placer.counts();
        for (int s = 0; s < loads.length; s++) {
          w.println(loads[s] + "\t" + counts[s]);
        }
        for (long before : placer.loadsBefore()) {
          w.println(before);
        }
      }
    }
  }

  /** assign's inputs: a kept cluster's shard, sorted ahead of its members ... */
  public static class PlacementMapper extends ReportingMapper<LongWritable, IntWritable, LongPair, Node> {
    private final LongPair key = new LongPair();
    private final Node node = new Node();

    @Override
    protected void map(LongWritable cluster, IntWritable shard, Context context) throws IOException, InterruptedException {
      node.cluster = cluster.get();
      node.shard = shard.get();
      context.write(key.set(cluster.get(), 0), node);
    }
  }

  /** ... and the members, every cluster's, kept or not. */
  public static class MemberMapper extends ReportingMapper<LongWritable, Node, LongPair, Node> {
    private final LongPair key = new LongPair();

    @Override
    protected void map(LongWritable cluster, Node n, Context context) throws IOException, InterruptedException {
      context.write(key.set(cluster.get(), 1), n);
    }
  }

  /** The members of a kept cluster with its shard, by ordinal; a cluster with no shard was too small. */
  public static class AssignReducer extends ReportingReducer<LongPair, Node, LongWritable, Node> {
    private final LongWritable out = new LongWritable();
    private org.apache.hadoop.mapreduce.Counter clustered;

    @Override
    protected void setup(Context context) {
      clustered = context.getCounter(Counter.CLUSTERED_RECORDS);
    }

    @Override
    protected void reduce(LongPair key, Iterable<Node> values, Context context) throws IOException, InterruptedException {
      int shard = -1;
      for (Node n : values) {
        if (key.second == 0) {
          shard = n.shard;
        } else if (shard < 0) {
          return;
        } else {
          n.shard = shard;
          out.set(n.ordinal);
          context.write(out, n);
          clustered.increment(1);
        }
      }
    }
  }

  /** route's reduce: each record to its split's file ({@link ClusterOutputFormat}), ordinals ascending. */
  public static class RouteReducer extends ReportingReducer<LongWritable, Node, LongWritable, Node> {
    @Override
    protected void reduce(LongWritable ordinal, Iterable<Node> values, Context context)
        throws IOException, InterruptedException {
      for (Node n : values) {
        context.write(ordinal, n);
      }
    }
  }

  /**
   * route: each clustered record to the reducer of its scan split; a reducer takes a run of
   * neighbouring splits ({@link #firstSplit}), so a database of thousands of splits needs no
   * thousands of reducers.
   */
  public static class SplitPartitioner extends Partitioner<LongWritable, Node> implements org.apache.hadoop.conf.Configurable {
    private Configuration conf;
    private long[] starts;

    @Override
    public void setConf(Configuration conf) {
      this.conf = conf;
      starts = splitOrdinals(conf);
    }

    @Override
    public Configuration getConf() {
      return conf;
    }

    @Override
    public int getPartition(LongWritable ordinal, Node n, int partitions) {
      return (int) ((long) Clusters.splitOf(starts, ordinal.get()) * partitions / starts.length);
    }
  }

  /** The first split (0-based) of reducer {@code r} of {@code reducers} over {@code splits}: split s goes to s x reducers / splits. */
  static int firstSplit(int r, int reducers, int splits) {
    return (int) (((long) r * splits + reducers - 1) / reducers);
  }

  static long[] splitOrdinals(Configuration conf) {
    String s = TaxoshardKeys.SIMILARITY_SPLIT_ORDINALS.get(conf);
    return s.isEmpty() ? new long[0] : java.util.Arrays.stream(s.split(",")).mapToLong(Long::parseLong).toArray();
  }

  /**
   * Writes the files of a reducer's run of splits in {@link Clusters}' format, every one of them,
   * empty or not; the reducer's keys arrive ascending, so one file is open at a time.
   */
  public static class ClusterOutputFormat extends FileOutputFormat<LongWritable, Node> {
    @Override
    public RecordWriter<LongWritable, Node> getRecordWriter(TaskAttemptContext context) throws IOException {
      long[] starts = splitOrdinals(context.getConfiguration());
      int r = context.getTaskAttemptID().getTaskID().getId();
      int reducers = context.getNumReduceTasks();
      int end = firstSplit(r + 1, reducers, starts.length);
      Path dir = ((org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter) getOutputCommitter(context)).getWorkPath();
      FileSystem fs = dir.getFileSystem(context.getConfiguration());
      return new RecordWriter<>() {
        private int split = firstSplit(r, reducers, starts.length);
        private Clusters.Writer w = new Clusters.Writer(fs, new Path(dir, Clusters.part(split)));

        /** Closes files up to {@code target}'s, opening each (so every split has one). */
        private void moveTo(int target) throws IOException {
          while (split < target) {
            w.close();
            split++;
            w = new Clusters.Writer(fs, new Path(dir, Clusters.part(split)));
          }
        }

        @Override
        public void write(LongWritable ordinal, Node n) throws IOException {
          moveTo(Clusters.splitOf(starts, ordinal.get()));
          w.write(ordinal.get(), n.cluster, n.shard);
        }

        @Override
        public void close(TaskAttemptContext c) throws IOException {
          moveTo(end - 1);
          w.close();
        }
      };
    }
  }

  /**
   * Runs the rounds over the sketching job's {@code pairs} and writes the split files into
   * {@code folder}, using {@code work} (which it removes) for the rounds' edges.
   */
  static Clusters.Result run(Configuration base, Path pairs, long[] splitOrdinals, Path folder, Path work,
      int shards, int grownFrom, long residues, long rawPairs) throws Exception {
    Configuration conf = new Configuration(base);
    JobSupport.useLocalCores(conf);
    TaxoshardKeys.SIMILARITY_SHARDS.setLong(conf, shards);
    TaxoshardKeys.SIMILARITY_GROWN_FROM.setLong(conf, grownFrom);
    TaxoshardKeys.SIMILARITY_RESIDUES.setLong(conf, residues);
    StringBuilder starts = new StringBuilder();
    for (long s : splitOrdinals) {
      starts.append(starts.length() == 0 ? "" : ",").append(s);
    }
    TaxoshardKeys.SIMILARITY_SPLIT_ORDINALS.set(conf, starts.toString());
    int reducers = TaxoshardKeys.SIMILARITY_REDUCERS.getInt(conf);
    if (reducers <= 0) {
      reducers = (int) Math.max(2, Math.min(64, rawPairs / 10_000_000 + 1));
    }
    FileSystem fs = work.getFileSystem(conf);
    fs.delete(work, true);
    Path edges = null;
    long unique = -1;
    for (int round = 1; ; round++) {
      if (round > MAX_ROUNDS) {
        throw new IllegalStateException("the clusters did not settle in " + MAX_ROUNDS + " rounds");
      }
      Path large = new Path(work, "large-" + round);
      Job ls = roundJob(conf, "large-star " + round, reducers, large, LargeStarReducer.class);
      boolean first = round == 1;
      if (first) {
        ls.getConfiguration().setBoolean(FIRST_ROUND, true);
        FileInputFormat.setInputPaths(ls, pairs);
        ls.setInputFormatClass(TextInputFormat.class);
        ls.setMapperClass(PairMapper.class);
        MultipleOutputs.addNamedOutput(ls, NODES, SequenceFileOutputFormat.class, LongWritable.class, Node.class);
      } else {
        FileInputFormat.setInputPaths(ls, edges);
        ls.setMapperClass(BothWaysMapper.class);
      }
      if (!JobSupport.runJob(ls, large)) {
        return null;
      }
      long changedLarge = ls.getCounters().findCounter(Counter.CHANGED).getValue();
      if (first) {
        unique = ls.getCounters().findCounter(Counter.UNIQUE_PAIRS).getValue();
      } else {
        fs.delete(edges, true);
      }
      Path small = new Path(work, "small-" + round);
      Job ss = roundJob(conf, "small-star " + round, reducers, small, SmallStarReducer.class);
      FileInputFormat.setInputPaths(ss, new Path(large, "part-*"));
      ss.setMapperClass(LargerEndMapper.class);
      if (!JobSupport.runJob(ss, small)) {
        return null;
      }
      if (!first) {
        fs.delete(large, true); // large-1 stays: it holds the nodes the label job reads
      }
      edges = small;
      if (changedLarge == 0 && ss.getCounters().findCounter(Counter.CHANGED).getValue() == 0) {
        System.out.printf("clusters by MapReduce: %d rounds of Large-Star and Small-Star over %,d distinct pairs%n",
            round, unique);
        break;
      }
    }
    Path nodes = new Path(new Path(work, "large-1"), NODES);

    Path labelled = new Path(work, "labelled");
    Job label = Job.getInstance(conf, "taxoshard plan similarity: label");
    JobSupport.setJar(label, ClusteringJob.class);
    MultipleInputs.addInputPath(label, edges, SequenceFileInputFormat.class, StarMapper.class);
    MultipleInputs.addInputPath(label, nodes, SequenceFileInputFormat.class, NodeMapper.class);
    LongPair.groupByFirst(label, Node.class);
    label.setReducerClass(LabelReducer.class);
    label.setNumReduceTasks(reducers);
    sequenceOutput(label, labelled, Node.class);
    if (!JobSupport.runJob(label, labelled)) {
      return null;
    }

    Path summaries = new Path(work, "summaries");
    Job summarize = Job.getInstance(conf, "taxoshard plan similarity: summarize");
    JobSupport.setJar(summarize, ClusteringJob.class);
    FileInputFormat.setInputPaths(summarize, labelled);
    summarize.setInputFormatClass(SequenceFileInputFormat.class);
    summarize.setMapperClass(SummaryMapper.class);
    summarize.setCombinerClass(SummaryCombiner.class);
    summarize.setReducerClass(SummaryReducer.class);
    summarize.setNumReduceTasks(reducers);
    sequenceOutput(summarize, summaries, Summary.class);
    if (!JobSupport.runJob(summarize, summaries)) {
      return null;
    }

    Path placed = new Path(work, "placed");
    Job place = Job.getInstance(conf, "taxoshard plan similarity: place");
    JobSupport.setJar(place, ClusteringJob.class);
    FileInputFormat.setInputPaths(place, summaries);
    place.setInputFormatClass(SequenceFileInputFormat.class);
    place.setMapperClass(ReportingMapper.Pass.class);
    place.setMapOutputKeyClass(LongWritable.class);
    place.setMapOutputValueClass(Summary.class);
    place.setReducerClass(PlaceReducer.class);
    place.setNumReduceTasks(1); // placement is in order of name, one cluster after another
    sequenceOutput(place, placed, IntWritable.class);
    if (!JobSupport.runJob(place, placed)) {
      return null;
    }
    long[] loads = new long[shards];
    long[] counts = new long[shards];
    long[] before = new long[grownFrom > 0 ? grownFrom : shards];
    try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
        fs.open(new Path(placed, PlaceReducer.LOADS)), java.nio.charset.StandardCharsets.UTF_8))) {
      for (int s = 0; s < shards; s++) {
        String[] f = r.readLine().split("\t");
        loads[s] = Long.parseLong(f[0]);
        counts[s] = Long.parseLong(f[1]);
      }
      for (int s = 0; s < before.length; s++) {
        before[s] = Long.parseLong(r.readLine());
      }
    }

    Path assigned = new Path(work, "assigned");
    Job assign = Job.getInstance(conf, "taxoshard plan similarity: assign");
    JobSupport.setJar(assign, ClusteringJob.class);
    MultipleInputs.addInputPath(assign, new Path(placed, "part-*"), SequenceFileInputFormat.class, PlacementMapper.class);
    MultipleInputs.addInputPath(assign, labelled, SequenceFileInputFormat.class, MemberMapper.class);
    LongPair.groupByFirst(assign, Node.class);
    assign.setReducerClass(AssignReducer.class);
    assign.setNumReduceTasks(reducers);
    sequenceOutput(assign, assigned, Node.class);
    if (!JobSupport.runJob(assign, assigned)) {
      return null;
    }

    Job route = Job.getInstance(conf, "taxoshard plan similarity: route");
    JobSupport.setJar(route, ClusteringJob.class);
    FileInputFormat.setInputPaths(route, new Path(assigned, "part-*"));
    route.setInputFormatClass(SequenceFileInputFormat.class);
    route.setMapperClass(ReportingMapper.Pass.class);
    route.setReducerClass(RouteReducer.class);
    route.setPartitionerClass(SplitPartitioner.class);
    route.setNumReduceTasks(Math.min(reducers, splitOrdinals.length));
    route.setMapOutputKeyClass(LongWritable.class);
    route.setMapOutputValueClass(Node.class);
    route.setOutputKeyClass(LongWritable.class);
    route.setOutputValueClass(Node.class);
    route.setOutputFormatClass(ClusterOutputFormat.class);
    FileOutputFormat.setOutputPath(route, folder);
    if (!JobSupport.runJob(route, folder)) {
      return null;
    }
    JobSupport.withholdSuccess(fs, folder); // the plan's JSON seals the folder
    long clustered = assign.getCounters().findCounter(Counter.CLUSTERED_RECORDS).getValue();
    long together = place.getCounters().findCounter(Counter.PAIRS_TOGETHER).getValue();
    fs.delete(work, true);
    return new Clusters.Result(loads, counts, before, unique, together, clustered);
  }

  private static Job roundJob(Configuration conf, String name, int reducers, Path out,
      Class<? extends ReportingReducer<LongPair, LongWritable, LongWritable, LongWritable>> reducer) throws IOException {
    Job job = Job.getInstance(conf, "taxoshard plan similarity: " + name);
    JobSupport.setJar(job, ClusteringJob.class);
    job.setInputFormatClass(SequenceFileInputFormat.class);
    LongPair.groupByFirst(job, LongWritable.class);
    job.setCombinerClass(RepeatCombiner.class);
    job.setReducerClass(reducer);
    job.setNumReduceTasks(reducers);
    sequenceOutput(job, out, LongWritable.class);
    return job;
  }

  private static void sequenceOutput(Job job, Path out, Class<?> value) {
    job.setOutputKeyClass(LongWritable.class);
    job.setOutputValueClass(value);
    job.setOutputFormatClass(SequenceFileOutputFormat.class);
    FileOutputFormat.setOutputPath(job, out);
  }
}
