package org.taxoshard.bench;

import java.io.*;
import java.util.*;
import org.taxoshard.align.Residue;
import org.taxoshard.align.ScoringMatrix;

/**
 * Seed sensitivity along the optimal local alignments of reference pairs (Smith-Waterman,
 * BLOSUM62 11/1), and each seed's random hit rate per (query residue x subject residue) pair,
 * estimated from real residues drawn at random: which seeds can find blastp's weak pairs, before
 * any search is run (the README's search section quotes it).
 *
 * <pre>SeedPaths QUERIES DB PAIRS_TSV MAX_PAIRS SCHEME...</pre>
 *
 * PAIRS_TSV: query id, subject id (as {@link #ident} reads them), anything else. Scheme specs
 * ({@code +} joins several into one that hits where any of them does):
 *   nb:W:T         neighbourhood words of W, threshold T
 *   red:ALPH:SHAPE reduced alphabet (groups separated by '/'), shape of 1s and 0s, exact match at the 1s
 *   nbs:SHAPE:T    spaced neighbourhood: score of the 1-positions >= T
 * For each scheme and windows: fraction of pairs with >= 1 hit, with a two-hit pair (distance in
 * [span, window) on one diagonal, non-overlapping), and hits per cell. With {@code -Dband=B} the
 * two hits may lie on diagonals up to B apart.
 */
public final class SeedPaths {
  private SeedPaths() {}

  static int[] T62 = ScoringMatrix.protein("BLOSUM62").table();

  /** SW local alignment path: match columns only (list of runs on diagonals), as aligned index pairs. */
  static List<int[]> path(byte[] q, byte[] s) {
    int m = q.length, n = s.length, go = 11, ge = 1;
    int[][] H = new int[m + 1][n + 1], E = new int[m + 1][n + 1], F = new int[m + 1][n + 1];
    int best = 0, bi = 0, bj = 0;
    int NEG = -1 << 28;
    for (int j = 0; j <= n; j++) { E[0][j] = NEG; F[0][j] = NEG; }
    for (int i = 1; i <= m; i++) {
      E[i][0] = NEG; F[i][0] = NEG;
      for (int j = 1; j <= n; j++) {
        E[i][j] = Math.max(E[i][j - 1] - ge, H[i][j - 1] - go - ge);
        F[i][j] = Math.max(F[i - 1][j] - ge, H[i - 1][j] - go - ge);
        int h = Math.max(0, H[i - 1][j - 1] + T62[(q[i - 1] << 5) | s[j - 1]]);
        h = Math.max(h, Math.max(E[i][j], F[i][j]));
        H[i][j] = h;
        if (h > best) { best = h; bi = i; bj = j; }
      }
    }
    // traceback
    List<int[]> cols = new ArrayList<>();
    int i = bi, j = bj, state = 0;
    while (i > 0 && j > 0) {
      if (state == 0) {
        if (H[i][j] == 0) break;
        if (H[i][j] == H[i - 1][j - 1] + T62[(q[i - 1] << 5) | s[j - 1]]) { cols.add(new int[] {i - 1, j - 1}); i--; j--; continue; }
        if (H[i][j] == E[i][j]) { state = 1; continue; }
        state = 2; continue;
      } else if (state == 1) {
        boolean ext = E[i][j] == E[i][j - 1] - ge; j--; if (!ext) state = 0;
      } else {
        boolean ext = F[i][j] == F[i - 1][j] - ge; i--; if (!ext) state = 0;
      }
    }
    Collections.reverse(cols);
    return cols;
  }

  interface Scheme { int span(); boolean hit(byte[] q, int qi, byte[] s, int sj); String name(); }

  static Scheme nb(int w, int t) {
    return new Scheme() {
      public int span() { return w; }
      public boolean hit(byte[] q, int qi, byte[] s, int sj) {
        int sc = 0; for (int k = 0; k < w; k++) sc += T62[(q[qi + k] << 5) | s[sj + k]];
        if (sc >= t) return true;
        for (int k = 0; k < w; k++) if (q[qi + k] != s[sj + k]) return false; return true; }
      public String name() { return "nb:" + w + ":" + t; }
    };
  }

  static Scheme nbs(String shape, int t) {
    return new Scheme() {
      public int span() { return shape.length(); }
      public boolean hit(byte[] q, int qi, byte[] s, int sj) {
        int sc = 0; for (int k = 0; k < shape.length(); k++) if (shape.charAt(k) == '1') sc += T62[(q[qi + k] << 5) | s[sj + k]];
        return sc >= t; }
      public String name() { return "nbs:" + shape + ":" + t; }
    };
  }

  static Scheme red(String alph, String shape) {
    int[] g = new int[32]; Arrays.fill(g, -1);
    String[] groups = alph.split("/");
    for (int k = 0; k < groups.length; k++) for (char c : groups[k].toCharArray()) g[c - 'A'] = k;
    return new Scheme() {
      public int span() { return shape.length(); }
      public boolean hit(byte[] q, int qi, byte[] s, int sj) {
        for (int k = 0; k < shape.length(); k++) if (shape.charAt(k) == '1') {
          int a = g[q[qi + k]], b = g[s[sj + k]]; if (a < 0 || a != b) return false; }
        return true; }
      public String name() { return "red" + groups.length + ":" + shape; }
    };
  }

  static Scheme parse(String spec) {
    String[] p = spec.split(":");
    return switch (p[0]) {
      case "nb" -> nb(Integer.parseInt(p[1]), Integer.parseInt(p[2]));
      case "nbs" -> nbs(p[1], Integer.parseInt(p[2]));
      default -> red(p[1], p[2]);
    };
  }

  /** UniProt ids as the tools print them: sp|P12345|NAME or tr|...|... to P12345, others as they are. */
  static String ident(String w) {
    String[] p = w.split("\\|");
    return p.length >= 3 && (p[0].equals("sp") || p[0].equals("tr")) ? p[1] : w;
  }

  public static void main(String[] a) throws Exception {
    Map<String, byte[]> q = new HashMap<>();
    for (SettingsSweep.Fasta r : SettingsSweep.read(a[0])) q.put(ident(r.id()), Residue.encode(r.residues(), 0, r.residues().length));
    Map<String, byte[]> s = new HashMap<>();
    List<byte[]> dbList = new ArrayList<>();
    for (SettingsSweep.Fasta r : SettingsSweep.read(a[1])) { byte[] c = Residue.encode(r.residues(), 0, r.residues().length); s.put(ident(r.id()), c); dbList.add(c); }
    List<String[]> pairs = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new FileReader(a[2]))) { for (String l; (l = r.readLine()) != null; ) pairs.add(l.split("\t")); }
    int limit = Integer.parseInt(a[3]);
    List<Scheme> schemes = new ArrayList<>();
    for (int i = 4; i < a.length; i++) {
      List<Scheme> parts = new ArrayList<>();
      for (String part : a[i].split("\\+")) parts.add(parse(part));
      if (parts.size() == 1) { schemes.add(parts.get(0)); continue; }
      int span = 0; for (Scheme x : parts) span = Math.max(span, x.span());
      int fs = span;
      schemes.add(new Scheme() {
        public int span() { return fs; }
        public boolean hit(byte[] q, int qi, byte[] s, int sj) { for (Scheme x : parts) if (x.hit(q, qi, s, sj)) return true; return false; }
        public String name() { return String.join("+", parts.stream().map(Scheme::name).toList()); }
      });
    }
    Random rnd = new Random(5);
    List<byte[]> qList = new ArrayList<>(q.values());
    // paths
    List<byte[][]> seqs = new ArrayList<>();
    List<List<int[]>> paths = new ArrayList<>();
    for (int k = 0; k < pairs.size() && k < limit; k++) {
      String[] p = pairs.get(k);
      byte[] x = q.get(p[0]), y = s.get(p[1]);
      if (x == null || y == null) continue;
      seqs.add(new byte[][] {x, y});
      paths.add(path(x, y));
    }
    int[] windows = {0, 40, 60, 100};
    // -Dband=B: a second hit may lie on a diagonal up to B away from the first's (an indel between).
    int band = Integer.getInteger("band", 0);
    for (Scheme sc : schemes) {
      int[] found = new int[windows.length];
      long totalHits = 0;
      for (int k = 0; k < paths.size(); k++) {
        byte[] x = seqs.get(k)[0], y = seqs.get(k)[1];
        List<int[]> cols = paths.get(k);
        // hits at aligned column starts where span columns are consecutive on one diagonal
        Map<Integer, List<Integer>> byDiag = new HashMap<>();
        for (int c = 0; c + sc.span() <= cols.size(); c++) {
          int qi = cols.get(c)[0], sj = cols.get(c)[1];
          int[] e = cols.get(c + sc.span() - 1);
          if (e[0] - qi != sc.span() - 1 || e[1] - sj != sc.span() - 1) continue;
          if (sc.hit(x, qi, y, sj)) byDiag.computeIfAbsent(qi - sj, d -> new ArrayList<>()).add(sj);
        }
        int hits = 0; for (List<Integer> l : byDiag.values()) hits += l.size();
        totalHits += hits;
        for (int wi = 0; wi < windows.length; wi++) {
          int w = windows[wi];
          boolean ok = false;
          if (w == 0) ok = hits > 0;
          else for (Map.Entry<Integer, List<Integer>> a1 : byDiag.entrySet()) for (int b1 = -band; b1 <= band && !ok; b1++) {
            List<Integer> l = a1.getValue(), l2 = byDiag.get(a1.getKey() + b1);
            if (l2 == null) continue;
            for (int i = 0; i < l.size() && !ok; i++) for (int jj = 0; jj < l2.size(); jj++) {
              int dd = l2.get(jj) - l.get(i); if (dd >= sc.span() && dd < w) { ok = true; break; } } }
          if (ok) found[wi]++;
        }
      }
      // random hit rate
      long tries = 3_000_000, rh = 0;
      for (long t = 0; t < tries; t++) {
        byte[] x = qList.get(rnd.nextInt(qList.size())), y = dbList.get(rnd.nextInt(dbList.size()));
        if (x.length < sc.span() || y.length < sc.span()) { t--; continue; }
        if (sc.hit(x, rnd.nextInt(x.length - sc.span() + 1), y, rnd.nextInt(y.length - sc.span() + 1))) rh++;
      }
      System.out.printf("%-28s pairs %d  onehit %.4f  two40 %.4f  two60 %.4f  two100 %.4f  hits/pair %.1f  random %.2e%n", sc.name(),
          paths.size(), found[0] / (double) paths.size(), found[1] / (double) paths.size(), found[2] / (double) paths.size(),
          found[3] / (double) paths.size(), totalHits / (double) paths.size(), rh / (double) tries);
    }
  }
}
