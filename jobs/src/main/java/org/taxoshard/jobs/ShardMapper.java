package org.taxoshard.jobs;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.taxoshard.avro.Plan;
import org.taxoshard.avro.SplitStart;
import org.taxoshard.avro.Strategy;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.fasta.FastaRecord;
import org.taxoshard.formats.BadInputException;

/**
 * Bins each record as the scan did and places it by the plan. The key is the shard in the top
 * 16 bits and the record's sort position below (its ordinal in the database, or its cluster's for
 * similarity plans), then the record's ordinal, so that each shard reducer receives its records in
 * a fixed order, a cluster's members together and in ordinal order: the same input gives the same
 * shard files, byte for byte.
 */
public class ShardMapper extends ReportingMapper<LongWritable, FastaRecord, LongPair, BinnedRecord> {
  static final int SHARD_SHIFT = 48;

  private Binner binner;
  private ShardAssigner assigner;
  private Clusters.Reader clusters;
  private final LongPair key = new LongPair();
  private final BinnedRecord value = new BinnedRecord();
  private org.apache.hadoop.mapreduce.Counter routed;

  @Override
  protected void setup(Context context) throws IOException {
    Configuration conf = context.getConfiguration();
    Plan plan = PlanFiles.read(conf, new Path(TaxoshardKeys.SHARD_PLAN.get(conf)));
    FileSplit split = (FileSplit) context.getInputSplit();
    SplitStart start = PlannedInputFormat.find(plan.getSplits(), split);
    if (start == null) {
      throw new BadInputException(split.getPath().toString(), "byte " + split.getStart(), null,
          "this split is not in the plan");
    }
    clusters = openClusters(conf, plan, start);
    assigner = new ShardAssigner(plan, start, clusters);
    binner = Binner.create(context);
    routed = context.getCounter(ShardJob.Counter.RECORDS_ROUTED);
  }

  @Override
  protected void map(LongWritable offset, FastaRecord record, Context context) throws IOException, InterruptedException {
    if (record.isSkipped()) {
      return; // counted by the reader (SKIPPED_RECORDS); the scan skipped it too
    }
    int bin = binner.bin(record);
    long group = assigner.group();
    value.ordinal = assigner.ordinal();
    int shard = assigner.shard(record, bin);
    key.set(((long) shard << SHARD_SHIFT) | group, value.ordinal);
    value.bin = bin;
    value.record = record; // serialised by write(), so the reader's record needs no copy
    context.write(key, value);
    routed.increment(1);
  }

  /** A similarity plan's file of this split's clustered records, checked against plan.json; else null. */
  private static Clusters.Reader openClusters(Configuration conf, Plan plan, SplitStart start) throws IOException {
    if (plan.getStrategy() != Strategy.SIMILARITY) {
      return null;
    }
    Path dir = new Path(TaxoshardKeys.SHARD_PLAN.get(conf));
    if (plan.getClusters().isEmpty()) {
      throw new BadInputException(new Path(dir, PlanFiles.AVRO).toString(), null, null, "a similarity plan made by an"
          + " older Taxoshard, which listed every clustered record in the plan for every shard task to hold:"
          + " run taxoshard plan again");
    }
    String name = plan.getClusters() + "/" + Clusters.part(plan.getSplits().indexOf(start));
    FileSystem fs = dir.getFileSystem(conf);
    Path file = OutputFiles.checkedFile(fs, dir, PlanFiles.JSON, name, "a plan", "taxoshard plan");
    return new Clusters.Reader(fs, file);
  }

  @Override
  protected void cleanup(Context context) throws IOException {
    binner.close();
    if (clusters != null) {
      clusters.close();
    }
  }
}
