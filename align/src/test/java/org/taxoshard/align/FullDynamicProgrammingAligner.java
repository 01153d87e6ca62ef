package org.taxoshard.align;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference {@link GappedAligner}: the same anchored extension by full dynamic programming
 * over the whole rectangle, no pruning. Quadratic; for tests.
 */
final class FullDynamicProgrammingAligner implements GappedAligner {
  private static final int NEG = Integer.MIN_VALUE / 4;

  @Override
  public GappedAlignment align(byte[] query, int qFrom, int qTo, byte[] subject, int sFrom, int sTo, int qAnchor,
      int sAnchor, int[] table, int open, int extend, int xdrop, boolean traceback) {
    byte[] ql = reversed(query, qFrom, qAnchor + 1);
    byte[] sl = reversed(subject, sFrom, sAnchor + 1);
    int[] left = best(ql, sl, table, open, extend);
    byte[] qr = java.util.Arrays.copyOfRange(query, qAnchor + 1, qTo);
    byte[] sr = java.util.Arrays.copyOfRange(subject, sAnchor + 1, sTo);
    int[] right = best(qr, sr, table, open, extend);
    byte[] ops = null;
    int leftCount = 0;
    if (traceback) {
      List<Byte> l = trace(ql, sl, table, open, extend, left[1], left[2]);
      List<Byte> r = trace(qr, sr, table, open, extend, right[1], right[2]);
      leftCount = l.size();
      ops = new byte[l.size() + r.size()];
      int k = 0;
      for (Byte b : l) {
        ops[k++] = b;
      }
      for (int i = r.size() - 1; i >= 0; i--) {
        ops[k++] = r.get(i);
      }
    }
    int score = left[0] + right[0];
    if (ops != null && leftCount > 0 && ops.length > leftCount && ops[leftCount - 1] != GappedAlignment.MATCH
        && ops[leftCount - 1] == ops[leftCount]) {
      score += open; // one gap across the anchor, opened once
    }
    return new GappedAlignment(score, qAnchor + 1 - left[2], qAnchor + 1 + right[2], sAnchor + 1 - left[1],
        sAnchor + 1 + right[1], ops);
  }

  private static byte[] reversed(byte[] a, int from, int to) {
    byte[] r = new byte[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = a[to - 1 - i];
    }
    return r;
  }

  /** Gotoh matrices H, E (gap in subject: consumes query), F (gap in query: consumes subject). */
  private static int[][][] fill(byte[] a, byte[] b, int[] t, int open, int ext) {
    int m = a.length;
    int n = b.length;
    int[][] h = new int[n + 1][m + 1];
    int[][] e = new int[n + 1][m + 1];
    int[][] f = new int[n + 1][m + 1];
    for (int i = 0; i <= n; i++) {
      for (int j = 0; j <= m; j++) {
        if (i == 0 && j == 0) {
          h[0][0] = 0;
          e[0][0] = NEG;
          f[0][0] = NEG;
          continue;
        }
        e[i][j] = j > 0 ? Math.max(e[i][j - 1] - ext, h[i][j - 1] - open - ext) : NEG;
        f[i][j] = i > 0 ? Math.max(f[i - 1][j] - ext, h[i - 1][j] - open - ext) : NEG;
        int d = i > 0 && j > 0 ? h[i - 1][j - 1] + t[(a[j - 1] << 5) | b[i - 1]] : NEG;
        h[i][j] = Math.max(d, Math.max(e[i][j], f[i][j]));
      }
    }
    return new int[][][] {h, e, f};
  }

  /** {best score, subject residues, query residues} of the best cell (first in row-major order). */
  private static int[] best(byte[] a, byte[] b, int[] t, int open, int ext) {
    int[][] h = fill(a, b, t, open, ext)[0];
    int best = 0;
    int bi = 0;
    int bj = 0;
    for (int i = 0; i < h.length; i++) {
      for (int j = 0; j < h[i].length; j++) {
        if (h[i][j] > best) {
          best = h[i][j];
          bi = i;
          bj = j;
        }
      }
    }
    return new int[] {best, bi, bj};
  }

  /** Operations from (i, j) back to the anchor. */
  private static List<Byte> trace(byte[] a, byte[] b, int[] t, int open, int ext, int i, int j) {
    int[][][] m = fill(a, b, t, open, ext);
    int[][] h = m[0];
    int[][] e = m[1];
    int[][] f = m[2];
    List<Byte> ops = new ArrayList<>();
    int state = 0;
    while (i > 0 || j > 0) {
      if (state == 0) {
        if (i > 0 && j > 0 && h[i][j] == h[i - 1][j - 1] + t[(a[j - 1] << 5) | b[i - 1]]) {
          ops.add(GappedAlignment.MATCH);
          i--;
          j--;
          continue;
        }
        state = h[i][j] == e[i][j] ? 1 : 2;
      }
      if (state == 1) {
        ops.add(GappedAlignment.SUBJECT_GAP);
        state = e[i][j] == e[i][j - 1] - ext && j > 1 ? 1 : 0;
        j--;
      } else {
        ops.add(GappedAlignment.QUERY_GAP);
        state = f[i][j] == f[i - 1][j] - ext && i > 1 ? 2 : 0;
        i--;
      }
    }
    return ops;
  }
}
