package org.taxoshard.jobs;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.WritableUtils;
import org.taxoshard.fasta.FastaRecord;

/** A record on its way to its shard, with the bin it was put in and its ordinal in the database. */
public class BinnedRecord implements Writable {
  int bin;
  long ordinal;
  FastaRecord record = new FastaRecord();

  @Override
  public void write(DataOutput out) throws IOException {
    WritableUtils.writeVInt(out, bin);
    WritableUtils.writeVLong(out, ordinal);
    record.write(out);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    bin = WritableUtils.readVInt(in);
    ordinal = WritableUtils.readVLong(in);
    record.readFields(in);
  }
}
