package org.taxoshard.jobs;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.WritableUtils;

/** A sequence on its way to an index reducer: its id and residue codes (the kernel's coding). */
public class CodedSequence implements Writable {
  String id;
  byte[] codes = new byte[0];
  int length;

  @Override
  public void write(DataOutput out) throws IOException {
    WritableUtils.writeString(out, id);
    WritableUtils.writeVInt(out, length);
    out.write(codes, 0, length);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    id = WritableUtils.readString(in);
    length = WritableUtils.readVInt(in);
    if (codes.length < length) {
      codes = new byte[Math.max(length, codes.length + codes.length / 2)];
    }
    in.readFully(codes, 0, length);
  }
}
