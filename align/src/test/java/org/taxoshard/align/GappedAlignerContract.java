package org.taxoshard.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What every {@link GappedAligner} must do; one small subclass per implementation. Alignments
 * here are hand-checked against BLOSUM62 with gaps 11/1.
 */
abstract class GappedAlignerContract {
  static final int[] BLOSUM62 = ScoringMatrix.protein("BLOSUM62").table();

  abstract GappedAligner aligner();

  private GappedAlignment align(String q, String s, int qa, int sa, int xdrop) {
    byte[] qc = Residue.encode(q);
    byte[] sc = Residue.encode(s);
    return aligner().align(qc, 0, qc.length, sc, 0, sc.length, qa, sa, BLOSUM62, 11, 1, xdrop, true);
  }

  @Test
  void identicalSequencesAlignWhole() {
    // M5 K5 T5 A4 Y7 I4 A4 K5 Q5 R5 = 49
    GappedAlignment a = align("MKTAYIAKQR", "MKTAYIAKQR", 4, 4, 100);
    assertEquals(49, a.score);
    assertEquals(0, a.qStart);
    assertEquals(10, a.qEnd);
    assertEquals(10, a.ops.length);
  }

  @Test
  void oneResidueGapInTheSubject() {
    // Query has an extra G in the middle of two strong runs: WWWWWCWWWWW vs WWWWWWWWWW.
    // W/W = 11: 10 pairs = 110, one gap of length 1 = -12: 98, better than any ungapped path.
    GappedAlignment a = align("WWWWWGWWWWW", "WWWWWWWWWW", 0, 0, 100);
    assertEquals(98, a.score);
    assertEquals(11, a.qEnd - a.qStart);
    assertEquals(10, a.sEnd - a.sStart);
    int gaps = 0;
    for (byte op : a.ops) {
      gaps += op == GappedAlignment.SUBJECT_GAP ? 1 : 0;
    }
    assertEquals(1, gaps);
  }

  @Test
  void extensionStopsWhereScoresFall() {
    // A strong core flanked by residues that only lose: the alignment is the core.
    GappedAlignment a = align("PPPPPWWWWWPPPPP", "GGGGGWWWWWGGGGG", 7, 7, 20);
    assertEquals(55, a.score);
    assertEquals(5, a.qStart);
    assertEquals(10, a.qEnd);
  }

  @Test
  void tracebackRescoresToTheScoreOnRandomHomologs() {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      byte[] q = randomProtein(random, 30 + random.nextInt(120));
      byte[] s = mutate(random, q);
      int qa = random.nextInt(q.length);
      int sa = Math.min(s.length - 1, qa);
      GappedAlignment a = aligner().align(q, 0, q.length, s, 0, s.length, qa, sa, BLOSUM62, 11, 1, 60, true);
      assertEquals(a.score, a.rescore(q, s, BLOSUM62, 11, 1), "round " + round);
      int qUsed = 0;
      int sUsed = 0;
      for (byte op : a.ops) {
        qUsed += op != GappedAlignment.QUERY_GAP ? 1 : 0;
        sUsed += op != GappedAlignment.SUBJECT_GAP ? 1 : 0;
      }
      assertEquals(a.qEnd - a.qStart, qUsed);
      assertEquals(a.sEnd - a.sStart, sUsed);
      // The alignment runs through the cut between the anchor pair and the pair after it.
      assertTrue(a.qStart <= qa + 1 && qa + 1 <= a.qEnd && a.sStart <= sa + 1 && sa + 1 <= a.sEnd);
    }
  }

  @Test
  void withoutPruningTheScoreIsTheOptimum() {
    Random random = new Random(11);
    GappedAligner full = new FullDynamicProgrammingAligner();
    for (int round = 0; round < 100; round++) {
      byte[] q = randomProtein(random, 20 + random.nextInt(60));
      byte[] s = mutate(random, q);
      int qa = random.nextInt(q.length);
      int sa = Math.min(s.length - 1, qa);
      int expected = full.align(q, 0, q.length, s, 0, s.length, qa, sa, BLOSUM62, 11, 1, 0, false).score;
      int got = aligner().align(q, 0, q.length, s, 0, s.length, qa, sa, BLOSUM62, 11, 1, 1 << 20, false).score;
      assertEquals(expected, got, "round " + round);
    }
  }

  @Test
  void scoreOnlyAndTracebackAgree() {
    Random random = new Random(13);
    for (int round = 0; round < 300; round++) {
      byte[] q = randomProtein(random, 20 + random.nextInt(200));
      byte[] s = random.nextBoolean() ? mutate(random, q) : randomProtein(random, 20 + random.nextInt(200));
      int qa = random.nextInt(q.length);
      int sa = random.nextInt(s.length);
      int xdrop = 10 + random.nextInt(60);
      GappedAlignment fast = aligner().align(q, 0, q.length, s, 0, s.length, qa, sa, BLOSUM62, 11, 1, xdrop, false);
      GappedAlignment full = aligner().align(q, 0, q.length, s, 0, s.length, qa, sa, BLOSUM62, 11, 1, xdrop, true);
      // The traceback may merge a gap across the anchor (one opening less); otherwise identical.
      assertTrue(full.score == fast.score || full.score == fast.score + 11, "round " + round);
      assertEquals(fast.qEnd, full.qEnd, "round " + round);
      assertEquals(fast.sStart, full.sStart, "round " + round);
    }
  }

  static byte[] randomProtein(Random random, int n) {
    String letters = "ARNDCQEGHILKMFPSTWYV";
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) Residue.code((byte) letters.charAt(random.nextInt(20)));
    }
    return b;
  }

  /** About 30% substitutions and a few short insertions and deletions. */
  static byte[] mutate(Random random, byte[] q) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] alphabet = randomProtein(random, 64);
    for (int i = 0; i < q.length; i++) {
      double r = random.nextDouble();
      if (r < 0.03) {
        continue;
      }
      if (r < 0.06) {
        for (int k = random.nextInt(3); k >= 0; k--) {
          out.write(alphabet[random.nextInt(64)]);
        }
      }
      out.write(random.nextDouble() < 0.3 ? alphabet[random.nextInt(64)] : q[i]);
    }
    byte[] s = out.toByteArray();
    return s.length == 0 ? q.clone() : s;
  }
}
