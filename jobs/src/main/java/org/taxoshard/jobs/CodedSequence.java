package org.taxoshard.jobs;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.WritableUtils;

/**
 * A sequence on its way to an index reducer: its id, residue codes (the kernel's coding), and the
 * {@link RecordChecksum} hash of the record as the shard holds it, so that the reducer can check
 * its shard against the manifest.
 */
public class CodedSequence implements Writable {
  String id;
  byte[] codes = new byte[0];
  int length;
  long recordHash;

  @Override
  public void write(DataOutput out) throws IOException {
    WritableUtils.writeString(out, id);
    WritableUtils.writeVInt(out, length);
    out.write(codes, 0, length);
    out.writeLong(recordHash);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    id = WritableUtils.readString(in);
    length = WritableUtils.readVInt(in);
    if (codes.length < length) {
      codes = new byte[Math.max(length, codes.length + codes.length / 2)];
    }
    in.readFully(codes, 0, length);
    recordHash = in.readLong();
  }
}
