package org.taxoshard.align;

import java.util.Arrays;

/**
 * A run of database sequences handed to one search worker: ids and residue codes, the codes of
 * sequence i at {@code codes[start(i), start(i + 1))}. Filled by a reader, then read-only.
 */
public final class SubjectBatch {
  private String[] ids = new String[64];
  private int[] starts = new int[65];
  private byte[] codes;
  private int count;

  public SubjectBatch(int residueCapacity) {
    codes = new byte[Math.max(16, residueCapacity)];
  }

  /** Appends one sequence given as letters (any case; non-letters code as X). */
  public void add(String id, byte[] letters, int from, int to) {
    int n = to - from;
    if (count + 1 >= ids.length) {
      ids = Arrays.copyOf(ids, ids.length * 2);
      starts = Arrays.copyOf(starts, starts.length * 2);
    }
    int at = starts[count];
    if (at + n > codes.length) {
      codes = Arrays.copyOf(codes, Math.max(at + n, codes.length * 2));
    }
    for (int i = 0; i < n; i++) {
      codes[at + i] = (byte) Residue.code(letters[from + i]);
    }
    ids[count] = id;
    count++;
    starts[count] = at + n;
  }

  public int count() {
    return count;
  }

  public String id(int i) {
    return ids[i];
  }

  public int start(int i) {
    return starts[i];
  }

  public int length(int i) {
    return starts[i + 1] - starts[i];
  }

  /** Residues held. */
  public long residues() {
    return starts[count];
  }

  public byte[] codes() {
    return codes;
  }
}
