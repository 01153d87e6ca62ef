package org.taxoshard.jobs;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.io.WritableComparable;

/**
 * Where a query sits in the input: its query split (numbered in input order: files as listed,
 * then by offset) and the byte offset of its record. Sorting by it gives the input order.
 */
public class QueryKey implements WritableComparable<QueryKey> {
  int split;
  long offset;

  public QueryKey() {}

  QueryKey(int split, long offset) {
    this.split = split;
    this.offset = offset;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeInt(split);
    out.writeLong(offset);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    split = in.readInt();
    offset = in.readLong();
  }

  @Override
  public int compareTo(QueryKey o) {
    return split != o.split ? Integer.compare(split, o.split) : Long.compare(offset, o.offset);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QueryKey k && k.split == split && k.offset == offset;
  }

  @Override
  public int hashCode() {
    return Integer.hashCode(split) * 31 + Long.hashCode(offset);
  }

  @Override
  public String toString() {
    return split + ":" + offset;
  }
}
