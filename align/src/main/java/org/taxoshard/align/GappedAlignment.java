package org.taxoshard.align;

/**
 * One gapped alignment of a query range with a subject range. Coordinates are 0-based, half-open:
 * the alignment covers {@code query[qStart, qEnd)} and {@code subject[sStart, sEnd)}. The operations,
 * when asked for, run from the start: {@link #MATCH} pairs a query and a subject residue,
 * {@link #QUERY_GAP} a subject residue with a gap in the query, {@link #SUBJECT_GAP} a query residue
 * with a gap in the subject.
 */
public final class GappedAlignment {
  public static final byte MATCH = 0;
  public static final byte QUERY_GAP = 1;
  public static final byte SUBJECT_GAP = 2;

  public final int score;
  public final int qStart;
  public final int qEnd;
  public final int sStart;
  public final int sEnd;
  /** The operations from the start, or null when no traceback was asked for. */
  public final byte[] ops;

  public GappedAlignment(int score, int qStart, int qEnd, int sStart, int sEnd, byte[] ops) {
    this.score = score;
    this.qStart = qStart;
    this.qEnd = qEnd;
    this.sStart = sStart;
    this.sEnd = sEnd;
    this.ops = ops;
  }

  /** Whether this alignment's ranges hold query [qs, qe) and subject [ss, se). */
  public boolean contains(int qs, int qe, int ss, int se) {
    return qs >= qStart && qe <= qEnd && ss >= sStart && se <= sEnd;
  }

  /** Whether this alignment's ranges hold the other's. */
  public boolean contains(GappedAlignment other) {
    return contains(other.qStart, other.qEnd, other.sStart, other.sEnd);
  }

  /** Recomputes the score from the operations (tests and checks). */
  public int rescore(byte[] query, byte[] subject, int[] table, int open, int extend) {
    int q = qStart;
    int s = sStart;
    int total = 0;
    byte prev = MATCH;
    for (byte op : ops) {
      if (op == MATCH) {
        total += table[(query[q++] << 5) | subject[s++]];
      } else {
        total -= (op == prev ? 0 : open) + extend;
        if (op == QUERY_GAP) {
          s++;
        } else {
          q++;
        }
      }
      prev = op;
    }
    return total;
  }

  @Override
  public String toString() {
    return "score " + score + " query [" + qStart + ", " + qEnd + ") subject [" + sStart + ", " + sEnd + ")";
  }
}
