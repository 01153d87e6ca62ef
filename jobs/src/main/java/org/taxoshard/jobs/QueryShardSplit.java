package org.taxoshard.jobs;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;

/** One map task of the sharded search: a split of the query files against one shard's index. */
public class QueryShardSplit extends InputSplit implements Writable {
  FileSplit queries;
  /** The query split's number, in input order. */
  int querySplit;
  int shard;

  public QueryShardSplit() {
    queries = new FileSplit();
  }

  QueryShardSplit(FileSplit queries, int querySplit, int shard) {
    this.queries = queries;
    this.querySplit = querySplit;
    this.shard = shard;
  }

  @Override
  public long getLength() throws IOException {
    return queries.getLength();
  }

  @Override
  public String[] getLocations() throws IOException {
    return queries.getLocations();
  }

  @Override
  public void write(DataOutput out) throws IOException {
    queries.write(out);
    out.writeInt(querySplit);
    out.writeInt(shard);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    queries.readFields(in);
    querySplit = in.readInt();
    shard = in.readInt();
  }

  @Override
  public String toString() {
    return "queries " + queries + " (split " + querySplit + ") x shard " + shard;
  }
}
