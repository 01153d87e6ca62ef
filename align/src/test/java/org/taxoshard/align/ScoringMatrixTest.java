package org.taxoshard.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScoringMatrixTest {
  private static int score(ScoringMatrix m, char a, char b) {
    return m.score(Residue.code((byte) a), Residue.code((byte) b));
  }

  @Test
  void blosum62HoldsItsKnownCells() {
    ScoringMatrix m = ScoringMatrix.protein("blosum62");
    assertEquals(4, score(m, 'A', 'A'));
    assertEquals(11, score(m, 'W', 'W'));
    assertEquals(-4, score(m, 'W', 'P'));
    assertEquals(-1, score(m, 'X', 'A'));
    // As BLAST+ scores them: J (I or L) has its own row, U (selenocysteine) scores as C, O as X.
    assertEquals(3, score(m, 'J', 'I'));
    assertEquals(3, score(m, 'L', 'J'));
    assertEquals(3, score(m, 'J', 'J'));
    assertEquals(-4, score(m, 'J', 'G'));
    assertEquals(9, score(m, 'U', 'C'));
    assertEquals(9, score(m, 'U', 'U'));
    assertEquals(score(m, 'C', 'W'), score(m, 'U', 'W'));
    assertEquals(score(m, 'W', 'C'), score(m, 'W', 'U'));
    assertEquals(score(m, 'X', 'W'), score(m, 'O', 'W'));
    assertEquals(score(m, 'X', 'U'), score(m, 'O', 'C'));
    assertEquals(-4, m.min());
    assertEquals(11, m.max());
    assertThrows(IllegalArgumentException.class, () -> ScoringMatrix.protein("BLOSUM99"));
  }

  @Test
  void nucleotideAmbiguityCodesScoreTheirExpectation() {
    ScoringMatrix m = ScoringMatrix.nucleotide(2, -3);
    assertEquals(2, score(m, 'A', 'A'));
    assertEquals(2, score(m, 'T', 'U'));
    assertEquals(-3, score(m, 'A', 'C'));
    // N: (3 x -3 + 2) / 4 = -1.75 -> -2; R (A/G) against A: (-3 + 2) / 2 = -0.5 -> -1, away from zero.
    assertEquals(-2, score(m, 'N', 'N'));
    assertEquals(-2, score(m, 'A', 'N'));
    assertEquals(-1, score(m, 'R', 'A'));
    assertEquals(-1, score(m, 'A', 'R'));
    assertEquals(-3, score(m, 'R', 'Y'));
    assertEquals(score(m, 'N', 'A'), score(m, 'Z', 'A'));
  }
}
