package org.taxoshard.jobs;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.io.WritableComparable;
import org.apache.hadoop.io.WritableComparator;
import org.apache.hadoop.mapreduce.Partitioner;

/**
 * A map output key of two longs for secondary sorts, sorted by the first then the second: the
 * clustering rounds' (node, neighbour), the sketching job's (band bucket, ordinal), the shard
 * job's (sort position, ordinal). With {@link ByFirst} as the grouping comparator a reduce call
 * sees one first value's seconds in ascending order, streaming; with the full key, one record.
 */
public class LongPair implements WritableComparable<LongPair> {
  long first;
  long second;

  LongPair set(long first, long second) {
    this.first = first;
    this.second = second;
    return this;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeLong(first);
    out.writeLong(second);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    first = in.readLong();
    second = in.readLong();
  }

  @Override
  public int compareTo(LongPair o) {
    return first != o.first ? Long.compare(first, o.first) : Long.compare(second, o.second);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(first * 31 + second);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LongPair p && p.first == first && p.second == second;
  }

  @Override
  public String toString() {
    return first + "\t" + second;
  }

  /**
   * Sets {@code job}'s map output to pairs sorted whole and grouped and partitioned by the first
   * value: each reduce call sees one first value's seconds in ascending order.
   */
  static void groupByFirst(org.apache.hadoop.mapreduce.Job job, Class<?> value) {
    job.setMapOutputKeyClass(LongPair.class);
    job.setMapOutputValueClass(value);
    job.setSortComparatorClass(Comparator.class);
    job.setGroupingComparatorClass(ByFirst.class);
    job.setPartitionerClass(FirstPartitioner.class);
  }

  /** Sorts serialised pairs without reading them into objects. */
  public static class Comparator extends WritableComparator {
    public Comparator() {
      super(LongPair.class);
    }

    @Override
    public int compare(byte[] b1, int s1, int l1, byte[] b2, int s2, int l2) {
      int c = Long.compare(readLong(b1, s1), readLong(b2, s2));
      return c != 0 ? c : Long.compare(readLong(b1, s1 + 8), readLong(b2, s2 + 8));
    }
  }

  /** Groups by the first value alone. */
  public static class ByFirst extends WritableComparator {
    public ByFirst() {
      super(LongPair.class);
    }

    @Override
    public int compare(byte[] b1, int s1, int l1, byte[] b2, int s2, int l2) {
      return Long.compare(readLong(b1, s1), readLong(b2, s2));
    }
  }

  /** Partitions by a hash of the first value alone, so that a group meets in one reducer. */
  public static class FirstPartitioner extends Partitioner<LongPair, Object> {
    @Override
    public int getPartition(LongPair key, Object value, int n) {
      return (int) Math.floorMod(Sketcher.mix(key.first), (long) n);
    }
  }
}
