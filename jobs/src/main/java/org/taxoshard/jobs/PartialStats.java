package org.taxoshard.jobs;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.WritableUtils;

/**
 * Statistics of part of a database, mergeable in any order: what the scan's mappers build per
 * bin, per file and for the whole split, and its combiner and reducer add up.
 */
public class PartialStats implements Writable {
  /** Residue letters A-Z, '*', '-': the order of the Avro Composition. */
  public static final int LETTERS = 28;
  /** Bucket i counts lengths in [2^(i-1), 2^i - 1]; bucket 0 counts empty sequences. */
  public static final int BUCKETS = 33;
  /** Examples of skipped records kept per key; the counters hold the full count. */
  public static final int MAX_EXAMPLES = 100;

  long sequences;
  long residues;
  long minLength = Long.MAX_VALUE;
  long maxLength;
  long unclassified;
  long noTaxon;
  long skipped;
  final long[] composition = new long[LETTERS];
  final long[] lengths = new long[BUCKETS];
  /** Each example: file, place, id, problem. */
  final List<String[]> examples = new ArrayList<>();
  /** For a split's key only: {bin, stratum, sequences, residues} per cell. */
  final List<long[]> cells = new ArrayList<>();

  public void clear() {
    sequences = residues = maxLength = unclassified = noTaxon = skipped = 0;
    minLength = Long.MAX_VALUE;
    Arrays.fill(composition, 0);
    Arrays.fill(lengths, 0);
    examples.clear();
    cells.clear();
  }

  /** Counts one good sequence whose residues are already tallied into {@code letters}. */
  public void addSequence(int length, long[] letters) {
    sequences++;
    residues += length;
    minLength = Math.min(minLength, length);
    maxLength = Math.max(maxLength, length);
    lengths[bucket(length)]++;
    for (int i = 0; i < LETTERS; i++) {
      composition[i] += letters[i];
    }
  }

  public void addSkipped(String file, String place, String id, String problem) {
    skipped++;
    if (examples.size() < MAX_EXAMPLES) {
      examples.add(new String[] {file, place, id, problem});
    }
  }

  public void merge(PartialStats o) {
    sequences += o.sequences;
    residues += o.residues;
    minLength = Math.min(minLength, o.minLength);
    maxLength = Math.max(maxLength, o.maxLength);
    unclassified += o.unclassified;
    noTaxon += o.noTaxon;
    skipped += o.skipped;
    for (int i = 0; i < LETTERS; i++) {
      composition[i] += o.composition[i];
    }
    for (int i = 0; i < BUCKETS; i++) {
      lengths[i] += o.lengths[i];
    }
    for (String[] e : o.examples) {
      if (examples.size() >= MAX_EXAMPLES) {
        break;
      }
      examples.add(e.clone());
    }
    for (long[] c : o.cells) {
      cells.add(c.clone());
    }
  }

  /** The histogram bucket of a length: 0 for 0, else the bit length of the number. */
  static int bucket(long length) {
    return length == 0 ? 0 : Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(length));
  }

  @Override
  public void write(DataOutput out) throws IOException {
    WritableUtils.writeVLong(out, sequences);
    WritableUtils.writeVLong(out, residues);
    WritableUtils.writeVLong(out, minLength);
    WritableUtils.writeVLong(out, maxLength);
    WritableUtils.writeVLong(out, unclassified);
    WritableUtils.writeVLong(out, noTaxon);
    WritableUtils.writeVLong(out, skipped);
    for (long c : composition) {
      WritableUtils.writeVLong(out, c);
    }
    for (long c : lengths) {
      WritableUtils.writeVLong(out, c);
    }
    WritableUtils.writeVInt(out, examples.size());
    for (String[] e : examples) {
      for (String f : e) {
        Text.writeString(out, f);
      }
    }
    WritableUtils.writeVInt(out, cells.size());
    for (long[] c : cells) {
      for (long v : c) {
        WritableUtils.writeVLong(out, v);
      }
    }
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    clear();
    sequences = WritableUtils.readVLong(in);
    residues = WritableUtils.readVLong(in);
    minLength = WritableUtils.readVLong(in);
    maxLength = WritableUtils.readVLong(in);
    unclassified = WritableUtils.readVLong(in);
    noTaxon = WritableUtils.readVLong(in);
    skipped = WritableUtils.readVLong(in);
    for (int i = 0; i < LETTERS; i++) {
      composition[i] = WritableUtils.readVLong(in);
    }
    for (int i = 0; i < BUCKETS; i++) {
      lengths[i] = WritableUtils.readVLong(in);
    }
    int n = WritableUtils.readVInt(in);
    for (int i = 0; i < n; i++) {
      examples.add(new String[] {Text.readString(in), Text.readString(in), Text.readString(in), Text.readString(in)});
    }
    n = WritableUtils.readVInt(in);
    for (int i = 0; i < n; i++) {
      cells.add(new long[] {WritableUtils.readVLong(in), WritableUtils.readVLong(in), WritableUtils.readVLong(in),
          WritableUtils.readVLong(in)});
    }
  }
}
