package org.taxoshard.align;

import java.util.Arrays;

/**
 * X-drop gapped extension (Zhang et al. 2000), the way BLAST's semi-gapped alignment runs it, so
 * that ambiguous cases end where BLAST's do: dynamic programming row by row over the query, each
 * row only over the subject columns whose score is within {@code xdrop} of the best seen so far
 * (the best is updated cell by cell), the row reaching one column past the last live cell of the
 * row above and further only along a horizontal gap; the extension stops when a row has no live
 * cell. The left part runs backwards from the anchor pair inclusive, the right part forwards from
 * the pair after it. The first cell reaching the best score, in row order, ends the extension.
 *
 * <p>Columns (subject residues) are copied into a buffer only as far as the band reaches, so a long
 * subject (a genome) costs nothing beyond the cells explored. The traceback keeps one byte per
 * cell visited. Not thread-safe: one instance per thread, its buffers reused across calls.
 */
public final class XDropAligner implements GappedAligner {
  private static final int DEAD = Integer.MIN_VALUE / 2;
  // Traceback byte: bits 0-1 where H came from, bit 2 the horizontal gap extended, bit 3 the vertical.
  private static final int FROM_DIAG = 0;
  private static final int FROM_E = 1;
  private static final int FROM_F = 2;
  private static final int E_EXT = 4;
  private static final int F_EXT = 8;

  /** Subject residues of the current direction, 1-based: b[j] is the j-th residue away from the anchor. */
  private byte[] b = new byte[256];
  private int bFilled;
  private byte[] bSource;
  private int bBase;
  private int bStep;
  private int bLength;

  private int[] hRow = new int[258];
  private int[] fRow = new int[258];
  private byte[] tb = new byte[1 << 16];
  private int[] rowStart = new int[256];
  private int[] rowLo = new int[256];
  private byte[] opsBuf = new byte[512];

  // Results of the last one-way extension: best score, query residues (rows) and subject residues (columns) used.
  private int bestScore;
  private int bestRows;
  private int bestCols;

  @Override
  public GappedAlignment align(byte[] query, int qFrom, int qTo, byte[] subject, int sFrom, int sTo,
      int qAnchor, int sAnchor, int[] table, int open, int extend, int xdrop, boolean traceback) {
    // Left: the anchor pair and what lies before it, read backwards.
    columns(subject, sAnchor, -1, sAnchor - sFrom + 1);
    extend(query, qAnchor, -1, qAnchor - qFrom + 1, table, open, extend, xdrop, traceback);
    int leftScore = bestScore;
    int leftQ = bestRows;
    int leftS = bestCols;
    byte[] leftOps = traceback ? traceback(bestRows, bestCols) : null;

    columns(subject, sAnchor + 1, 1, sTo - sAnchor - 1);
    extend(query, qAnchor + 1, 1, qTo - qAnchor - 1, table, open, extend, xdrop, traceback);
    byte[] ops = null;
    int score = leftScore + bestScore;
    if (traceback) {
      byte[] rightOps = traceback(bestRows, bestCols);
      ops = new byte[leftOps.length + rightOps.length];
      // The left part was traced from its far end back to the anchor: in traceback order its
      // operations already run from the alignment's start towards the anchor.
      System.arraycopy(leftOps, 0, ops, 0, leftOps.length);
      for (int k = 0; k < rightOps.length; k++) {
        ops[leftOps.length + k] = rightOps[rightOps.length - 1 - k];
      }
      if (leftOps.length > 0 && rightOps.length > 0 && ops[leftOps.length - 1] != GappedAlignment.MATCH
          && ops[leftOps.length - 1] == ops[leftOps.length]) {
        // A gap on both sides of the cut is one gap: its second opening cost was never paid.
        score += open;
      }
    }
    return new GappedAlignment(score, qAnchor + 1 - leftQ, qAnchor + 1 + bestRows, sAnchor + 1 - leftS,
        sAnchor + 1 + bestCols, ops);
  }

  /** Sets the columns of the next extension: n subject residues from base, step +1 or -1. */
  private void columns(byte[] subject, int base, int step, int n) {
    bSource = subject;
    bBase = base;
    bStep = step;
    bLength = n;
    bFilled = 0;
  }

  /** Makes b[1..upTo] (at most bLength) hold their residues. */
  private void fill(int upTo) {
    int want = Math.min(upTo, bLength);
    if (want <= bFilled) {
      return;
    }
    if (b.length <= want) {
      b = Arrays.copyOf(b, Math.max(want + 1, b.length * 2));
    }
    for (int j = bFilled + 1; j <= want; j++) {
      b[j] = bSource[bBase + bStep * (j - 1)];
    }
    bFilled = want;
  }

  /**
   * One-way extension of m query residues (query[qBase], query[qBase + step], ...) against the
   * columns set by {@link #columns}, anchored before both: sets bestScore (at least 0, the empty
   * extension) and its end. hRow[j] holds H of the row above at column j; fRow[j] the vertical gap
   * entering this row at column j.
   */
  private void extend(byte[] query, int qBase, int step, int m, int[] table, int open, int ext, int xdrop,
      boolean traceback) {
    if (traceback) {
      extendWithTraceback(query, qBase, step, m, table, open, ext, xdrop);
    } else {
      extendScoreOnly(query, qBase, step, m, table, open, ext, xdrop);
    }
  }

  /** {@link #extend} keeping a traceback byte per cell (rowStart, rowLo index it by row). */
  private void extendWithTraceback(byte[] query, int qBase, int step, int m, int[] table, int open, int ext,
      int xdrop) {
    int n = bLength;
    int oe = open + ext;
    int best = 0;
    int bestI = 0;
    int bestJ = 0;
    // Row 0: a horizontal gap from the anchor.
    int hi = 0;
    int[] h = hRow;
    int[] f = fRow;
    h[0] = 0;
    f[0] = -oe;
    tb[0] = FROM_DIAG;
    rowStart[0] = 0;
    rowLo[0] = 0;
    for (int j = 1; j <= n; j++) {
      int s = -(open + j * ext);
      if (s < -xdrop) {
        break;
      }
      ensureRow(j);
      h = hRow;
      f = fRow;
      h[j] = s;
      f[j] = s - oe;
      tb = grow(tb, j + 1);
      tb[j] = (byte) (FROM_E | (j > 1 ? E_EXT : 0));
      hi = j;
    }
    int tbPos = hi + 1;
    int lo = 0;
    fill(hi + 1);
    byte[] cols = b;
    for (int i = 1; i <= m; i++) {
      int qCode = query[qBase + step * (i - 1)];
      int rowBase = qCode << 5;
      int floor = best - xdrop;
      // The row reaches one column past the row above: that cell has nothing above it.
      int end = Math.min(hi + 1, n);
      ensureRow(end + 1);
      h = hRow;
      f = fRow;
      if (hi + 1 <= n) {
        h[hi + 1] = DEAD;
        f[hi + 1] = DEAD;
      }
      if (i >= rowStart.length) {
        rowStart = Arrays.copyOf(rowStart, rowStart.length * 2);
        rowLo = Arrays.copyOf(rowLo, rowLo.length * 2);
      }
      tb = grow(tb, tbPos + (end - lo + 1) + xdrop / Math.max(1, ext) + 4);
      rowStart[i] = tbPos;
      rowLo[i] = lo;
      byte[] t = tb;
      int newLo = -1;
      int newHi = -1;
      int e = DEAD;
      int hLeft = DEAD;
      int diag = DEAD;
      int j = lo;
      for (; j <= end; j++) {
        int up = h[j];
        int fe = f[j];
        int ee = e - ext;
        int eo = hLeft - oe;
        e = Math.max(ee, eo);
        int d = j > lo ? diag + table[rowBase | cols[j]] : DEAD;
        diag = up;
        int s = d;
        int from = FROM_DIAG;
        if (e > s) {
          s = e;
          from = FROM_E;
        }
        if (fe > s) {
          s = fe;
          from = FROM_F;
        }
        int fNext;
        int fExt = 0;
        if (s < floor) {
          s = DEAD;
          fNext = DEAD;
          e = DEAD;
        } else {
          if (newLo < 0) {
            newLo = j;
          }
          newHi = j;
          if (s > best) {
            best = s;
            floor = best - xdrop;
            bestI = i;
            bestJ = j;
          }
          int fx = fe - ext;
          int fo = s - oe;
          if (fx >= fo) {
            fNext = fx;
            fExt = F_EXT;
          } else {
            fNext = fo;
          }
        }
        h[j] = s;
        f[j] = fNext;
        hLeft = s;
        t[tbPos++] = (byte) (from | (ee >= eo ? E_EXT : 0) | fExt);
      }
      // Past the row above only the horizontal gap goes on.
      if (newHi == end) {
        for (; j <= n; j++) {
          int ee = e - ext;
          int eo = hLeft - oe;
          e = Math.max(ee, eo);
          if (e < floor) {
            break;
          }
          if (j >= h.length - 2) {
            ensureRow(j + 2);
            h = hRow;
            f = fRow;
          }
          newHi = j;
          h[j] = e;
          f[j] = e - oe;
          hLeft = e;
          tb = t = grow(t, tbPos + 1);
          t[tbPos++] = (byte) (FROM_E | (ee >= eo ? E_EXT : 0));
        }
      }
      if (newLo < 0) {
        break;
      }
      lo = newLo;
      hi = newHi;
      if (hi + 1 > bFilled) {
        fill(Math.max(hi + 17, 2 * bFilled));
        cols = b;
      }
    }
    bestScore = best;
    bestRows = bestI;
    bestCols = bestJ;
  }

  /**
   * {@link #extend} without the traceback, kept apart so the hot loop holds nothing it does not
   * need: the same cells, the same order, the same result.
   */
  private void extendScoreOnly(byte[] query, int qBase, int step, int m, int[] table, int open, int ext,
      int xdrop) {
    int n = bLength;
    int oe = open + ext;
    int best = 0;
    int bestI = 0;
    int bestJ = 0;
    int hi = 0;
    int reach = Math.min(n, xdrop / Math.max(1, ext) + 1);
    ensureRow(reach + 1);
    int[] h = hRow;
    int[] f = fRow;
    h[0] = 0;
    f[0] = -oe;
    for (int j = 1; j <= reach; j++) {
      int s = -(open + j * ext);
      if (s < -xdrop) {
        break;
      }
      h[j] = s;
      f[j] = s - oe;
      hi = j;
    }
    int lo = 0;
    fill(hi + 1);
    byte[] cols = b;
    for (int i = 1; i <= m; i++) {
      int rowBase = query[qBase + step * (i - 1)] << 5;
      int floor = best - xdrop;
      int end = hi + 1 <= n ? hi + 1 : n;
      if (end + 3 > h.length) {
        ensureRow(end + 1);
        h = hRow;
        f = fRow;
      }
      if (hi + 1 <= n) {
        h[hi + 1] = DEAD;
        f[hi + 1] = DEAD;
      }
      int newLo = -1;
      int newHi = -1;
      int e = DEAD;
      int hLeft = DEAD;
      int diag = DEAD;
      int j = lo;
      // Two loops over the row: up to its first live cell, then the rest, so the second need not
      // track where the row's live stretch begins. A dead cell stores DEAD in h (a cell below may
      // take it diagonally, and a match could lift it back over the floor), but its own vertical
      // gap in f and its horizontal gap e as they are: both are below the floor, stay below it as
      // they extend, and the floor never falls, so no cell lives by them. The same cells live,
      // with the same scores, as when they were DEAD too.
      for (; j <= end; j++) {
        int up = h[j];
        int fe = f[j];
        e = Math.max(e - ext, hLeft - oe);
        int s = Math.max(diag + table[rowBase | cols[j]], Math.max(e, fe));
        diag = up;
        f[j] = Math.max(fe - ext, s - oe);
        if (s >= floor) {
          // A new best is live too (best >= floor): it moves the floor only from the next cell on.
          if (s > best) {
            best = s;
            floor = s - xdrop;
            bestI = i;
            bestJ = j;
          }
          newLo = j;
          newHi = j;
          h[j] = s;
          hLeft = s;
          j++;
          break;
        }
        h[j] = DEAD;
        hLeft = DEAD;
      }
      for (; j <= end; j++) {
        int up = h[j];
        int fe = f[j];
        e = Math.max(e - ext, hLeft - oe);
        int s = Math.max(diag + table[rowBase | cols[j]], Math.max(e, fe));
        diag = up;
        if (s > best) {
          best = s;
          floor = s - xdrop;
          bestI = i;
          bestJ = j;
        }
        // Whether the cell lives is close to a coin toss in a random region: decided without a
        // branch, so the loop does not pay a mispredicted jump on every other cell.
        boolean alive = s >= floor;
        int live = alive ? s : DEAD;
        newHi = alive ? j : newHi;
        h[j] = live;
        f[j] = Math.max(fe - ext, s - oe);
        hLeft = live;
      }
      if (newHi == end) {
        for (; j <= n; j++) {
          e = Math.max(e - ext, hLeft - oe);
          if (e < floor) {
            break;
          }
          if (j + 3 > h.length) {
            ensureRow(j + 1);
            h = hRow;
            f = fRow;
          }
          newHi = j;
          h[j] = e;
          f[j] = e - oe;
          hLeft = e;
        }
      }
      if (newLo < 0) {
        break;
      }
      lo = newLo;
      hi = newHi;
      if (hi + 1 > bFilled) {
        fill(Math.max(hi + 17, 2 * bFilled));
        cols = b;
      }
    }
    bestScore = best;
    bestRows = bestI;
    bestCols = bestJ;
  }

  /** Makes the row arrays hold columns 0..n + 2, keeping what they hold. */
  private void ensureRow(int n) {
    if (hRow.length < n + 3) {
      int size = Math.max(n + 3, hRow.length * 2);
      hRow = Arrays.copyOf(hRow, size);
      fRow = Arrays.copyOf(fRow, size);
    }
  }

  private static byte[] grow(byte[] buf, int need) {
    if (buf.length >= need) {
      return buf;
    }
    return Arrays.copyOf(buf, Math.max(need, buf.length * 2));
  }

  /** Operations from the cell (i query residues, j subject residues) back to the anchor, in that order. */
  private byte[] traceback(int i, int j) {
    int k = 0;
    int state = 0; // 0 H, 1 horizontal gap (subject residues against a gap), 2 vertical (query residues)
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
        opsBuf[k++] = GappedAlignment.QUERY_GAP;
        j--;
        if ((cell & E_EXT) == 0) {
          state = 0;
        }
      } else {
        // The vertical gap entering (i, j) was opened or extended in the row above.
        opsBuf[k++] = GappedAlignment.SUBJECT_GAP;
        i--;
        int above = tb[rowStart[i] + (j - rowLo[i])];
        if ((above & F_EXT) == 0) {
          state = 0;
        }
      }
    }
    return Arrays.copyOf(opsBuf, k);
  }
}
