package org.taxoshard.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KarlinAltschulTest {
  private static final KarlinAltschul BLOSUM62 = KarlinAltschul.protein("BLOSUM62", 11, 1);

  @Test
  void tablesHoldBlastsFigures() {
    assertEquals(0.267, BLOSUM62.gapped().lambda());
    assertEquals(0.041, BLOSUM62.gapped().k());
    assertEquals(0.3176, BLOSUM62.ungapped().lambda());
    KarlinAltschul blastn = KarlinAltschul.nucleotide(2, -3, 5, 2);
    assertEquals(0.625, blastn.gapped().lambda());
    assertEquals(0.41, blastn.gapped().k());
    assertThrows(IllegalArgumentException.class, () -> KarlinAltschul.protein("BLOSUM62", 7, 3));
    assertThrows(IllegalArgumentException.class, () -> KarlinAltschul.protein("BLOSUM99", 11, 1));
  }

  @Test
  void bitScoreIsLambdaSMinusLnKInBits() {
    // (0.267 x 100 - ln 0.041) / ln 2 = (26.7 + 3.19418) / 0.693147 = 43.128
    assertEquals(43.128, BLOSUM62.bitScore(100), 0.001);
    // 2/-3 scoring rounds odd scores down before statistics.
    KarlinAltschul blastn = KarlinAltschul.nucleotide(2, -3, 5, 2);
    assertEquals(blastn.bitScore(40), blastn.bitScore(41));
  }

  @Test
  void lengthAdjustmentIsTheFloorOfTheFixedPoint() {
    // Brute force over integers: the largest l with l <= beta + (alpha/lambda)(ln K + ln((m-l)(n-N l))).
    KarlinAltschul.Parameters g = KarlinAltschul.nucleotide(2, -3, 5, 2).gapped();
    long[][] cases = {{100, 1_000_000, 1000}, {1500, 7_615_362, 5181}, {50, 10_000, 20}, {300, 178_226_192, 486_000}};
    for (long[] c : cases) {
      int m = (int) c[0];
      int expected = 0;
      for (int l = 1; l < m; l++) {
        double rhs = g.beta() + g.alpha() / g.lambda() * (Math.log(g.k()) + Math.log((double) (m - l) * (c[1] - c[2] * l)));
        if (l <= rhs) {
          expected = l;
        }
      }
      int got = KarlinAltschul.lengthAdjustment(g.k(), g.alpha() / g.lambda(), g.beta(), m, c[1], c[2]);
      assertEquals(expected, got, "m=" + m + " n=" + c[1] + " N=" + c[2]);
    }
  }

  @Test
  void evalueDependsOnTheWholeDatabaseNotTheSlice() {
    DatabaseSize whole = new DatabaseSize(178_226_192, 486_000);
    DatabaseSize half = new DatabaseSize(89_113_096, 243_000);
    double e1 = BLOSUM62.evalue(120, 300, 400, whole);
    double e2 = BLOSUM62.evalue(120, 300, 400, half);
    // Spouge's E-value scales with the database's residues.
    assertEquals(2.0, e1 / e2, 1e-9);
    assertTrue(BLOSUM62.evalue(121, 300, 400, whole) < e1);
  }

  @Test
  void nucleotideEvaluesUseTheLengthAdjustedSearchSpace() {
    KarlinAltschul blastn = KarlinAltschul.nucleotide(2, -3, 5, 2);
    DatabaseSize db = new DatabaseSize(7_615_362, 5_181);
    // E = (m - l)(n - N l) K exp(-lambda S), the subject's length playing no part.
    double expected = blastn.searchSpace(1400, db) * 0.41 * Math.exp(-0.625 * 100);
    assertEquals(expected, blastn.evalue(100, 1400, 300, db), expected * 1e-12);
    assertEquals(expected, blastn.evalue(101, 1400, 1500, db), expected * 1e-12);
  }

  @Test
  void erfMatchesKnownValues() {
    assertEquals(0.5204998778130465, Erf.erf(0.5), 1e-15);
    assertEquals(0.8427007929497149, Erf.erf(1.0), 1e-15);
    assertEquals(0.9953222650189527, Erf.erf(2.0), 1e-15);
    assertEquals(0.9999779095030014, Erf.erf(3.0), 1e-15);
    assertEquals(-0.8427007929497149, Erf.erf(-1.0), 1e-15);
    assertEquals(0.0, Erf.erf(0.0), 0);
    // The normal distribution function, tails included: Phi(-10) = 7.6198530241605e-24.
    assertEquals(0.8413447460685429, Erf.normalCdf(1.0), 1e-15);
    assertEquals(7.6198530241605e-24, Erf.normalCdf(-10.0), 1e-36);
  }
}
