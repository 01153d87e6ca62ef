package org.taxoshard.align;

import java.util.Arrays;

/**
 * X-drop gapped extension (Zhang et al. 2000; BLAST's semi-gapped alignment): dynamic programming
 * row by row over the subject, each row only over the query columns whose score is within
 * {@code xdrop} of the best seen so far; the extension stops when a row has no such column. The
 * traceback keeps one byte per cell visited. Not thread-safe: one instance per thread, its buffers
 * reused across calls.
 */
public final class XDropAligner implements GappedAligner {
  private static final int DEAD = Integer.MIN_VALUE / 2;
  // Traceback byte: bits 0-1 where H came from, bit 2 E extended, bit 3 F extended.
  private static final int FROM_DIAG = 0;
  private static final int FROM_E = 1;
  private static final int FROM_F = 2;
  private static final int E_EXT = 4;
  private static final int F_EXT = 8;

  private byte[] a = new byte[256];
  private int[] hPrev = new int[258];
  private int[] fPrev = new int[258];
  private int[] hCur = new int[258];
  private int[] fCur = new int[258];
  private byte[] tb = new byte[1 << 16];
  private int[] rowStart = new int[256];
  private int[] rowLo = new int[256];
  private byte[] opsBuf = new byte[512];

  // Results of the last one-way extension.
  private int bestScore;
  private int bestI;
  private int bestJ;

  @Override
  public GappedAlignment align(byte[] query, int qFrom, int qTo, byte[] subject, int sFrom, int sTo,
      int qAnchor, int sAnchor, int[] table, int open, int extend, int xdrop, boolean traceback) {
    // Left: the residues before the anchor, read backwards.
    int m = qAnchor - qFrom;
    int n = sAnchor - sFrom;
    ensure(m, n);
    for (int j = 0; j < m; j++) {
      a[j] = query[qAnchor - 1 - j];
    }
    extend(m, n, subject, sAnchor - 1, -1, table, open, extend, xdrop, traceback);
    int leftScore = bestScore;
    int leftQ = bestJ;
    int leftS = bestI;
    byte[] leftOps = traceback ? traceback(bestI, bestJ) : null;

    m = qTo - qAnchor;
    n = sTo - sAnchor;
    ensure(m, n);
    System.arraycopy(query, qAnchor, a, 0, m);
    extend(m, n, subject, sAnchor, 1, table, open, extend, xdrop, traceback);
    byte[] ops = null;
    if (traceback) {
      byte[] rightOps = traceback(bestI, bestJ);
      ops = new byte[leftOps.length + rightOps.length];
      // The left part was traced from its far end back to the anchor: its operations, in
      // traceback order, already run from the alignment's start towards the anchor.
      System.arraycopy(leftOps, 0, ops, 0, leftOps.length);
      for (int k = 0; k < rightOps.length; k++) {
        ops[leftOps.length + k] = rightOps[rightOps.length - 1 - k];
      }
    }
    int score = leftScore + bestScore;
    if (traceback && leftOps.length > 0 && ops.length > leftOps.length && ops[leftOps.length - 1] != GappedAlignment.MATCH
        && ops[leftOps.length - 1] == ops[leftOps.length]) {
      // A gap on both sides of the anchor is one gap: its second opening cost was never paid.
      score += open;
    }
    return new GappedAlignment(score, qAnchor - leftQ, qAnchor + bestJ, sAnchor - leftS, sAnchor + bestI, ops);
  }

  private void ensure(int m, int n) {
    if (a.length < m + 1) {
      int size = Math.max(m + 1, a.length * 2);
      a = new byte[size];
      hPrev = new int[size + 2];
      fPrev = new int[size + 2];
      hCur = new int[size + 2];
      fCur = new int[size + 2];
    }
  }

  /**
   * One-way extension of a[0, m) against the subject residues sBase, sBase + step, ... (n of them)
   * anchored before both: sets bestScore (at least 0, the empty extension) and its end (bestI
   * subject residues, bestJ query residues). The subject is read in place, one residue a row, so
   * a long subject (a genome) costs nothing beyond the rows explored.
   */
  private void extend(int m, int n, byte[] subject, int sBase, int step, int[] table, int open, int ext,
      int xdrop, boolean traceback) {
    if (!traceback) {
      extendScoreOnly(m, n, subject, sBase, step, table, open, ext, xdrop);
      return;
    }
    int oe = open + ext;
    int best = 0;
    int bi = 0;
    int bj = 0;
    int hi = 0;
    int[] hp = hPrev;
    int[] fp = fPrev;
    int[] hc = hCur;
    int[] fc = fCur;
    byte[] q = a;
    hp[0] = 0;
    fp[0] = DEAD;
    tb = grow(tb, m + 1);
    tb[0] = FROM_DIAG;
    for (int j = 1; j <= m; j++) {
      int h = -(open + j * ext);
      if (h < -xdrop) {
        break;
      }
      hp[j] = h;
      fp[j] = DEAD;
      tb[j] = (byte) (FROM_E | (j > 1 ? E_EXT : 0));
      hi = j;
    }
    rowStart[0] = 0;
    rowLo[0] = 0;
    int tbPos = hi + 1;
    int lo = 0;
    for (int i = 1; i <= n; i++) {
      int bCode = subject[sBase + step * (i - 1)];
      int floor = best - xdrop;
      if (i >= rowStart.length) {
        rowStart = Arrays.copyOf(rowStart, rowStart.length * 2);
        rowLo = Arrays.copyOf(rowLo, rowLo.length * 2);
      }
      byte[] t = tb = grow(tb, tbPos + (m - lo + 2));
      rowStart[i] = tbPos;
      rowLo[i] = lo;
      hp[hi + 1] = DEAD;
      fp[hi + 1] = DEAD;
      int newLo = -1;
      int newHi = -1;
      int e = DEAD;
      int hLeft = DEAD;
      int diagH = DEAD;
      int end = Math.min(hi + 1, m);
      int j = lo;
      for (; j <= end; j++) {
        int hUp = hp[j];
        int fe = fp[j] - ext;
        int fo = hUp - oe;
        int f = Math.max(fe, fo);
        int ee = e - ext;
        int eo = hLeft - oe;
        e = Math.max(ee, eo);
        int h = j > 0 ? diagH + table[(q[j - 1] << 5) | bCode] : DEAD;
        diagH = hUp;
        int from = FROM_DIAG;
        if (e > h) {
          h = e;
          from = FROM_E;
        }
        if (f > h) {
          h = f;
          from = FROM_F;
        }
        if (h < floor) {
          h = DEAD;
          f = DEAD;
        } else {
          if (newLo < 0) {
            newLo = j;
          }
          newHi = j;
          if (h > best) {
            best = h;
            bi = i;
            bj = j;
          }
        }
        hc[j] = h;
        fc[j] = f;
        hLeft = h;
        t[tbPos++] = (byte) (from | (ee >= eo ? E_EXT : 0) | (fe >= fo ? F_EXT : 0));
      }
      for (; j <= m; j++) {
        int ee = e - ext;
        int eo = hLeft - oe;
        e = Math.max(ee, eo);
        if (e < floor) {
          break;
        }
        if (newLo < 0) {
          newLo = j;
        }
        newHi = j;
        hc[j] = e;
        fc[j] = DEAD;
        hLeft = e;
        t[tbPos++] = (byte) (FROM_E | (ee >= eo ? E_EXT : 0));
      }
      if (newLo < 0) {
        break;
      }
      int[] sw = hp;
      hp = hc;
      hc = sw;
      sw = fp;
      fp = fc;
      fc = sw;
      lo = newLo;
      hi = newHi;
    }
    hPrev = hp;
    fPrev = fp;
    hCur = hc;
    fCur = fc;
    bestScore = best;
    bestI = bi;
    bestJ = bj;
  }

  /**
   * The same extension without traceback, in the form the hot loop wants: the cells a row can
   * reach from the row above ([lo, hi + 1], with a dead sentinel at hi + 1) in one loop, the
   * horizontal gap beyond them in a second. Dead cells (below best - xdrop) are set to DEAD so no
   * path leads back through them.
   */
  private void extendScoreOnly(int m, int n, byte[] subject, int sBase, int step, int[] table, int open, int ext,
      int xdrop) {
    int oe = open + ext;
    int best = 0;
    int bi = 0;
    int bj = 0;
    int hi = 0;
    int[] hp = hPrev;
    int[] fp = fPrev;
    int[] hc = hCur;
    int[] fc = fCur;
    byte[] q = a;
    hp[0] = 0;
    fp[0] = DEAD;
    for (int j = 1; j <= m; j++) {
      int h = -(open + j * ext);
      if (h < -xdrop) {
        break;
      }
      hp[j] = h;
      fp[j] = DEAD;
      hi = j;
    }
    int lo = 0;
    for (int i = 1; i <= n; i++) {
      int bCode = subject[sBase + step * (i - 1)];
      int floor = best - xdrop;
      hp[hi + 1] = DEAD;
      fp[hi + 1] = DEAD;
      int newLo = -1;
      int newHi = -1;
      int e = DEAD;
      int hLeft = DEAD;
      int diagH = DEAD;
      int end = Math.min(hi + 1, m);
      int j = lo;
      for (; j <= end; j++) {
        int hUp = hp[j];
        int f = Math.max(fp[j] - ext, hUp - oe);
        e = Math.max(e - ext, hLeft - oe);
        int h = j > 0 ? diagH + table[(q[j - 1] << 5) | bCode] : DEAD;
        diagH = hUp;
        h = Math.max(h, Math.max(e, f));
        if (h < floor) {
          h = DEAD;
          f = DEAD;
        } else {
          if (newLo < 0) {
            newLo = j;
          }
          newHi = j;
          if (h > best) {
            best = h;
            bi = i;
            bj = j;
          }
        }
        hc[j] = h;
        fc[j] = f;
        hLeft = h;
      }
      // Beyond the row above: only the horizontal gap continues.
      for (; j <= m; j++) {
        e = Math.max(e - ext, hLeft - oe);
        if (e < floor) {
          break;
        }
        newHi = j;
        if (newLo < 0) {
          newLo = j;
        }
        hc[j] = e;
        fc[j] = DEAD;
        hLeft = e;
      }
      if (newLo < 0) {
        break;
      }
      int[] t = hp;
      hp = hc;
      hc = t;
      t = fp;
      fp = fc;
      fc = t;
      lo = newLo;
      hi = newHi;
    }
    hPrev = hp;
    fPrev = fp;
    hCur = hc;
    fCur = fc;
    bestScore = best;
    bestI = bi;
    bestJ = bj;
  }

  private static byte[] grow(byte[] buf, int need) {
    if (buf.length >= need) {
      return buf;
    }
    return Arrays.copyOf(buf, Math.max(need, buf.length * 2));
  }

  /** Operations from the cell (i, j) back to the anchor, in that (backward) order. */
  private byte[] traceback(int i, int j) {
    int k = 0;
    int state = 0; // 0 H, 1 E, 2 F
    while (i > 0 || j > 0) {
      int cell = tb[rowStart[i] + (j - rowLo[i])];
      if (k + 1 >= opsBuf.length) {
        opsBuf = Arrays.copyOf(opsBuf, opsBuf.length * 2);
      }
      if (state == 0) {
        int from = cell & 3;
        if (from == FROM_DIAG) {
          opsBuf[k++] = GappedAlignment.MATCH;
          i--;
          j--;
          continue;
        }
        state = from == FROM_E ? 1 : 2;
      }
      if (state == 1) {
        opsBuf[k++] = GappedAlignment.SUBJECT_GAP;
        j--;
        if ((cell & E_EXT) == 0) {
          state = 0;
        }
      } else {
        opsBuf[k++] = GappedAlignment.QUERY_GAP;
        i--;
        if ((cell & F_EXT) == 0) {
          state = 0;
        }
      }
    }
    return Arrays.copyOf(opsBuf, k);
  }
}
