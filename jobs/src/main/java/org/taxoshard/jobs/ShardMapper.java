package org.taxoshard.jobs;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.taxoshard.avro.Plan;
import org.taxoshard.avro.SplitStart;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.fasta.FastaRecord;
import org.taxoshard.formats.BadInputException;

/**
 * Bins each record as the scan did and places it by the plan. The key is the shard in the top
 * 16 bits and the record's sort position below (its ordinal in the database, or its cluster's for
 * similarity plans), so that each shard reducer receives its records in a fixed order: the same
 * input gives the same shard files, byte for byte.
 */
public class ShardMapper extends ReportingMapper<LongWritable, FastaRecord, LongWritable, BinnedRecord> {
  static final int SHARD_SHIFT = 48;

  private Binner binner;
  private ShardAssigner assigner;
  private final LongWritable key = new LongWritable();
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
    assigner = new ShardAssigner(plan, start);
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
    key.set(((long) shard << SHARD_SHIFT) | group);
    value.bin = bin;
    value.record = record; // serialised by write(), so the reader's record needs no copy
    context.write(key, value);
    routed.increment(1);
  }

  @Override
  protected void cleanup(Context context) throws IOException {
    binner.close();
  }
}
