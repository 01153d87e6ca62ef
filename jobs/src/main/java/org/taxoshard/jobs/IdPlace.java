package org.taxoshard.jobs;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.WritableUtils;

/**
 * Where a record id was seen, for the scan's duplicate check: how many records carry the id, and
 * the first two places (file number in the scan's sorted inputs, record offset and its kind),
 * which is all a message needs. Mergeable in any order; the places kept are the smallest.
 */
public class IdPlace implements Writable {
  int copies;
  final long[] file = new long[2];
  final long[] offset = new long[2];
  final byte[] kind = new byte[2];

  void set(int fileNumber, long recordOffset, byte offsetKind) {
    copies = 1;
    file[0] = fileNumber;
    offset[0] = recordOffset;
    kind[0] = offsetKind;
  }

  /** Adds {@code o}'s sightings, keeping the two smallest places (file, then offset). */
  void merge(IdPlace o) {
    int mine = Math.min(copies, 2);
    int theirs = Math.min(o.copies, 2);
    long[] f = new long[mine + theirs];
    long[] off = new long[mine + theirs];
    byte[] k = new byte[mine + theirs];
    int n = 0;
    for (int i = 0; i < mine; i++, n++) {
      f[n] = file[i];
      off[n] = offset[i];
      k[n] = kind[i];
    }
    for (int i = 0; i < theirs; i++, n++) {
      f[n] = o.file[i];
      off[n] = o.offset[i];
      k[n] = o.kind[i];
    }
    for (int keep = 0; keep < Math.min(2, n); keep++) {
      int best = keep;
      for (int j = keep + 1; j < n; j++) {
        if (f[j] < f[best] || (f[j] == f[best] && off[j] < off[best])) {
          best = j;
        }
      }
      file[keep] = f[best];
      offset[keep] = off[best];
      kind[keep] = k[best];
      f[best] = f[keep];
      off[best] = off[keep];
      k[best] = k[keep];
    }
    copies += o.copies;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    WritableUtils.writeVInt(out, copies);
    for (int i = 0; i < Math.min(copies, 2); i++) {
      WritableUtils.writeVLong(out, file[i]);
      WritableUtils.writeVLong(out, offset[i]);
      out.writeByte(kind[i]);
    }
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    copies = WritableUtils.readVInt(in);
    for (int i = 0; i < Math.min(copies, 2); i++) {
      file[i] = WritableUtils.readVLong(in);
      offset[i] = WritableUtils.readVLong(in);
      kind[i] = in.readByte();
    }
  }
}
