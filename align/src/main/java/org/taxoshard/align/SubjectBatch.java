package org.taxoshard.align;

import java.util.Arrays;

/**
 * A run of database sequences handed to one search worker: ids and residue codes, the codes of
 * sequence i at {@code codes[start(i), start(i + 1))}. Filled by a reader, then read-only.
 *
 * <p>A sequence may be a fragment of a longer one (an index cuts chromosomes into overlapping
 * fragments): then it carries where it starts in the whole (0-based), the whole's length, which
 * its E-values are computed for, and the end of the stretch it owns (0-based, exclusive): the
 * next fragment's start, or the whole's end. A hit belongs to the fragment whose owned stretch
 * holds its first subject residue, so hits in an overlap are reported once.
 */
public final class SubjectBatch {
  private String[] ids = new String[64];
  private int[] starts = new int[65];
  private byte[] codes;
  private int count;
  /** Only once some sequence is a fragment: where each starts in its whole, the whole's length, the owned end. */
  private int[] fragmentStarts;
  private int[] wholeLengths;
  private int[] ownedEnds;

  public SubjectBatch(int residueCapacity) {
    codes = new byte[Math.max(16, residueCapacity)];
  }

  /** Appends one whole sequence given as letters (any case; non-letters code as X). */
  public void add(String id, byte[] letters, int from, int to) {
    int n = to - from;
    int at = append(id, n, 0, n, n);
    for (int i = 0; i < n; i++) {
      codes[at + i] = (byte) Residue.code(letters[from + i]);
    }
  }

  /** Appends one whole sequence already in residue codes ({@link Residue}). */
  public void addCoded(String id, byte[] coded, int from, int to) {
    addFragment(id, coded, from, to, 0, to - from, to - from);
  }

  /**
   * Appends a fragment, in residue codes, of a longer sequence (see the class comment).
   *
   * @param fragmentStart 0-based offset of coded[from] in the whole sequence
   * @param wholeLength the whole sequence's length
   * @param ownedEnd 0-based exclusive end of the stretch of the whole this fragment owns
   */
  public void addFragment(String id, byte[] coded, int from, int to, int fragmentStart, int wholeLength, int ownedEnd) {
    int n = to - from;
    if (fragmentStart < 0 || fragmentStart + n > wholeLength || ownedEnd <= fragmentStart || ownedEnd > fragmentStart + n) {
      throw new IllegalArgumentException(id + ": fragment [" + fragmentStart + ", " + (fragmentStart + n)
          + ") owning up to " + ownedEnd + " of a sequence of " + wholeLength);
    }
    int at = append(id, n, fragmentStart, wholeLength, ownedEnd);
    System.arraycopy(coded, from, codes, at, n);
  }

  private int append(String id, int n, int fragmentStart, int wholeLength, int ownedEnd) {
    if (count + 1 >= ids.length) {
      ids = Arrays.copyOf(ids, ids.length * 2);
      starts = Arrays.copyOf(starts, starts.length * 2);
      if (fragmentStarts != null) {
        fragmentStarts = Arrays.copyOf(fragmentStarts, ids.length);
        wholeLengths = Arrays.copyOf(wholeLengths, ids.length);
        ownedEnds = Arrays.copyOf(ownedEnds, ids.length);
      }
    }
    int at = starts[count];
    if (at + n > codes.length) {
      codes = Arrays.copyOf(codes, Math.max(at + n, codes.length * 2));
    }
    if (fragmentStarts == null && wholeLength != n) {
      fragmentStarts = new int[ids.length];
      wholeLengths = new int[ids.length];
      ownedEnds = new int[ids.length];
      for (int i = 0; i < count; i++) {
        wholeLengths[i] = length(i);
        ownedEnds[i] = length(i);
      }
    }
    if (fragmentStarts != null) {
      fragmentStarts[count] = fragmentStart;
      wholeLengths[count] = wholeLength;
      ownedEnds[count] = ownedEnd;
    }
    ids[count] = id;
    count++;
    starts[count] = at + n;
    return at;
  }

  /** 0-based offset of sequence i in its whole sequence; 0 unless it is a fragment. */
  public int fragmentStart(int i) {
    return fragmentStarts == null ? 0 : fragmentStarts[i];
  }

  /** The length of the whole sequence that sequence i is (a fragment of), for its E-values. */
  public int wholeLength(int i) {
    return fragmentStarts == null ? length(i) : wholeLengths[i];
  }

  /** 0-based exclusive end, in the whole sequence, of the stretch sequence i owns. */
  public int ownedEnd(int i) {
    return fragmentStarts == null ? length(i) : ownedEnds[i];
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
