package org.taxoshard.jobs;

import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.Partitioner;

/** Routes each record to the reducer of its shard: reducer i writes shard i. */
public class ShardPartitioner extends Partitioner<LongWritable, BinnedRecord> {
  @Override
  public int getPartition(LongWritable key, BinnedRecord value, int reducers) {
    return (int) ((key.get() >>> ShardMapper.SHARD_SHIFT) % reducers);
  }
}
