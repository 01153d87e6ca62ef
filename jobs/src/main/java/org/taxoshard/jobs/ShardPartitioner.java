package org.taxoshard.jobs;

import org.apache.hadoop.mapreduce.Partitioner;

/** Routes each record to the reducer of its shard: reducer i writes shard i. */
public class ShardPartitioner extends Partitioner<LongPair, BinnedRecord> {
  @Override
  public int getPartition(LongPair key, BinnedRecord value, int reducers) {
    return (int) ((key.first >>> ShardMapper.SHARD_SHIFT) % reducers);
  }
}
