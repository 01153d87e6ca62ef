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
  /** Only when some sequence is a fragment: where each starts in its whole sequence, and that one's length. */
  private long[] fragmentStarts;
  private int[] statisticsLengths;

  public SubjectBatch(int residueCapacity) {
    codes = new byte[Math.max(16, residueCapacity)];
  }

  /** Appends one sequence given as letters (any case; non-letters code as X). */
  public void add(String id, byte[] letters, int from, int to) {
    int n = to - from;
    grow(n);
    int at = starts[count];
    for (int i = 0; i < n; i++) {
      codes[at + i] = (byte) Residue.code(letters[from + i]);
    }
    ids[count] = id;
    if (fragmentStarts != null) {
      statisticsLengths[count] = n;
    }
    count++;
    starts[count] = at + n;
  }

  /**
   * Appends one sequence already in residue codes ({@link Residue}), e.g. from an index, whose
   * E-values are those of a whole subject of {@code statisticsLength} residues (longer when the
   * sequence is a fragment of a longer one).
   *
   * @param fragmentStart 0-based offset of codes[0] in the sequence it was cut from (0 if whole)
   */
  public void addCoded(String id, byte[] coded, int from, int to, long fragmentStart, int statisticsLength) {
    int n = to - from;
    grow(n);
    int at = starts[count];
    System.arraycopy(coded, from, codes, at, n);
    ids[count] = id;
    if (fragmentStart != 0 || statisticsLength != n) {
      if (fragmentStarts == null) {
        fragmentStarts = new long[ids.length];
        statisticsLengths = new int[ids.length];
        for (int i = 0; i < count; i++) {
          statisticsLengths[i] = length(i);
        }
      }
    }
    if (fragmentStarts != null) {
      fragmentStarts[count] = fragmentStart;
      statisticsLengths[count] = statisticsLength;
    }
    count++;
    starts[count] = at + n;
  }

  private void grow(int n) {
    if (count + 1 >= ids.length) {
      ids = Arrays.copyOf(ids, ids.length * 2);
      starts = Arrays.copyOf(starts, starts.length * 2);
      if (fragmentStarts != null) {
        fragmentStarts = Arrays.copyOf(fragmentStarts, ids.length);
        statisticsLengths = Arrays.copyOf(statisticsLengths, ids.length);
      }
    }
    int at = starts[count];
    if (at + n > codes.length) {
      codes = Arrays.copyOf(codes, Math.max(at + n, codes.length * 2));
    }
  }

  /** 0-based offset of sequence i in the sequence it was cut from; 0 for a whole sequence. */
  public long fragmentStart(int i) {
    return fragmentStarts == null ? 0 : fragmentStarts[i];
  }

  /** The length of the whole sequence that sequence i is (a fragment of), for its E-values. */
  public int statisticsLength(int i) {
    return fragmentStarts == null ? length(i) : statisticsLengths[i];
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
