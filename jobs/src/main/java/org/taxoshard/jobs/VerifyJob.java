package org.taxoshard.jobs;

import java.io.BufferedReader;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.WritableUtils;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Reducer;
import org.apache.hadoop.mapreduce.lib.input.MultipleInputs;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;
import org.apache.hadoop.util.Tool;
import org.taxoshard.fasta.FastaInputFormat;
import org.taxoshard.fasta.FastaRecord;

/**
 * {@code taxoshard verify}: every input record is in exactly one shard, byte for byte (header and
 * residues). Input and shard records meet by id in the reduce; each output line is a problem
 * naming its record, so an empty output means all is well (TeraValidate's way). Exit 0 when
 * empty, 1 otherwise.
 */
public class VerifyJob extends Configured implements Tool {
  public enum Counter {
    INPUT_RECORDS, SHARD_RECORDS, PROBLEMS
  }

  /** Where a record was seen (-1: the input; else the shard) and the hash of header and residues. */
  public static class Sighting implements Writable {
    int shard;
    long hash;

    @Override
    public void write(DataOutput out) throws IOException {
      WritableUtils.writeVInt(out, shard);
      out.writeLong(hash);
    }

    @Override
    public void readFields(DataInput in) throws IOException {
      shard = WritableUtils.readVInt(in);
      hash = in.readLong();
    }
  }

  abstract static class SightingMapper extends ReportingMapper<LongWritable, FastaRecord, Text, Sighting> {
    private final Text id = new Text();
    private final Sighting sighting = new Sighting();

    abstract int shard(FastaRecord r);

    @Override
    protected void map(LongWritable key, FastaRecord r, Context context) throws IOException, InterruptedException {
      if (r.isSkipped()) {
        return;
      }
      id.set(r.id());
      sighting.shard = shard(r);
      sighting.hash = RecordChecksum.of(r.headerBytes(), r.headerLength(), r.sequenceBytes(), r.length());
      context.write(id, sighting);
      context.getCounter(sighting.shard < 0 ? Counter.INPUT_RECORDS : Counter.SHARD_RECORDS).increment(1);
    }
  }

  public static class InputMapper extends SightingMapper {
    @Override
    int shard(FastaRecord r) {
      return -1;
    }
  }

  public static class ShardFileMapper extends SightingMapper {
    private int shard = Integer.MIN_VALUE;

    @Override
    int shard(FastaRecord r) {
      if (shard == Integer.MIN_VALUE) {
        // .../shard-00003/shard-00003.fasta (MultipleInputs hides the split's path from the mapper)
        String dir = new Path(r.file()).getParent().getName();
        shard = Integer.parseInt(dir.substring(dir.indexOf('-') + 1));
      }
      return shard;
    }
  }

  /** Compares, per id, the input's records with the shards' as multisets of hashes. */
  public static class CheckReducer extends Reducer<Text, Sighting, NullWritable, Text> {
    private final Text line = new Text();

    @Override
    protected void reduce(Text id, Iterable<Sighting> values, Context context) throws IOException, InterruptedException {
      Map<Long, Integer> input = new HashMap<>();
      Map<Long, List<Integer>> shards = new HashMap<>();
      for (Sighting s : values) {
        if (s.shard < 0) {
          input.merge(s.hash, 1, Integer::sum);
        } else {
          shards.computeIfAbsent(s.hash, h -> new ArrayList<>()).add(s.shard);
        }
      }
      List<String> problems = new ArrayList<>();
      int missing = 0;
      for (Map.Entry<Long, Integer> e : input.entrySet()) {
        List<Integer> where = shards.getOrDefault(e.getKey(), List.of());
        if (where.size() < e.getValue()) {
          missing += e.getValue() - where.size();
        } else if (where.size() > e.getValue()) {
          problems.add("DUPLICATED: in shards " + where);
        }
      }
      List<Integer> extra = new ArrayList<>();
      for (Map.Entry<Long, List<Integer>> e : shards.entrySet()) {
        if (!input.containsKey(e.getKey())) {
          extra.addAll(e.getValue());
        }
      }
      int changed = Math.min(missing, extra.size());
      if (changed > 0) {
        problems.add("CHANGED: shard " + extra.subList(0, changed)
            + " holds this id with a header or residues that differ from the input's");
      }
      if (missing > changed) {
        problems.add("MISSING: in the input, in no shard");
      }
      if (extra.size() > changed) {
        problems.add("EXTRA: in shard " + extra.subList(changed, extra.size()) + ", not in the input");
      }
      for (String p : problems) {
        line.set(id + "\t" + p);
        context.write(NullWritable.get(), line);
        context.getCounter(Counter.PROBLEMS).increment(1);
      }
    }
  }

  private static CommandOptions options() {
    return new CommandOptions("verify", "Checks that every input record is in exactly one shard, unchanged."
        + " Exit 0 only then; otherwise each problem is listed with its record id.")
        .value("input", "P[,P...]", "the FASTA that was sharded")
        .value("shards", "DIR", "a shard command's output folder")
        .value("out", "DIR", "where to keep the report (default: a temporary folder, removed)")
        .flag("overwrite", "replace --out if it exists");
  }

  @Override
  public int run(String[] args) throws Exception {
    CommandOptions opts = options();
    if (!opts.parse(args)) {
      return 0;
    }
    Configuration conf = getConf();
    List<Path> inputs = opts.requirePaths("input");
    Path shards = opts.requirePath("shards");
    boolean keep = opts.has("out");
    Path out = keep ? opts.requirePath("out")
        : new Path(conf.get("hadoop.tmp.dir", "/tmp"), "taxoshard-verify-" + System.nanoTime());
    JobSupport.prepareOutput(conf, out, opts.has("overwrite"));
    JobSupport.useLocalCores(conf);
    Job job = Job.getInstance(conf, "taxoshard verify");
    JobSupport.setJar(job, VerifyJob.class);
    for (Path in : inputs) {
      MultipleInputs.addInputPath(job, in, FastaInputFormat.class, InputMapper.class);
    }
    FileSystem sfs = shards.getFileSystem(conf);
    FileStatus[] files = sfs.globStatus(new Path(shards, "shard-*/*.fasta"));
    if (files == null || files.length == 0) {
      throw new UsageException("--shards " + shards + ": no shard-NNNNN/*.fasta files there");
    }
    for (FileStatus f : files) {
      MultipleInputs.addInputPath(job, f.getPath(), FastaInputFormat.class, ShardFileMapper.class);
    }
    job.getConfiguration().setBoolean("mapreduce.input.fileinputformat.input.dir.recursive", true);
    job.setReducerClass(CheckReducer.class);
    job.setMapOutputKeyClass(Text.class);
    job.setMapOutputValueClass(Sighting.class);
    job.setOutputKeyClass(NullWritable.class);
    job.setOutputValueClass(Text.class);
    job.setOutputFormatClass(TextOutputFormat.class);
    job.setNumReduceTasks(Math.max(1, Math.min(16, files.length)));
    FileOutputFormat.setOutputPath(job, out);
    try {
      if (!JobSupport.runJob(job, out)) {
        return 1;
      }
      long in = job.getCounters().findCounter(Counter.INPUT_RECORDS).getValue();
      long sh = job.getCounters().findCounter(Counter.SHARD_RECORDS).getValue();
      long problems = job.getCounters().findCounter(Counter.PROBLEMS).getValue();
      System.out.printf("verify: %,d input records, %,d shard records, %,d problems%n", in, sh, problems);
      if (problems > 0) {
        printProblems(conf, out, 20);
        return 1;
      }
      return 0;
    } finally {
      if (!keep) {
        out.getFileSystem(conf).delete(out, true);
      }
    }
  }

  private static void printProblems(Configuration conf, Path out, int max) throws IOException {
    FileSystem fs = out.getFileSystem(conf);
    int shown = 0;
    for (FileStatus f : fs.globStatus(new Path(out, "part-*"))) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(f.getPath()), StandardCharsets.UTF_8))) {
        for (String l = r.readLine(); l != null && shown < max; l = r.readLine()) {
          System.out.println("  " + l);
          shown++;
        }
      }
    }
  }
}
