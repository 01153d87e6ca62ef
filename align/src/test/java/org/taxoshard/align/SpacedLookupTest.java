package org.taxoshard.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The spaced-seed lookup lists exactly the words a brute force over every word of the 20 letters
 * finds: those scoring at least the threshold at the shape's 1s, plus each query position's own
 * word; cells ascending; words holding another letter seed nothing.
 */
class SpacedLookupTest {
  private static final int[] BLOSUM62 = ScoringMatrix.protein("BLOSUM62").table();

  @ParameterizedTest
  @CsvSource({"11011, 13", "11011, 15", "1011, 12", "1101, 11", "101, 9", "111, 11", "1, 5", "1001, 8"})
  void cellsHoldExactlyTheNeighbourhood(String shape, int threshold) {
    Random random = new Random(shape.hashCode() * 31L + threshold);
    // Two queries with a sentinel between, one holding an X, as a search lays them out.
    byte[] q1 = GappedAlignerContract.randomProtein(random, 40);
    byte[] q2 = GappedAlignerContract.randomProtein(random, 25);
    q2[7] = (byte) Residue.X;
    byte[] concat = new byte[q1.length + q2.length + 3];
    concat[0] = Search.SENTINEL;
    System.arraycopy(q1, 0, concat, 1, q1.length);
    concat[q1.length + 1] = Search.SENTINEL;
    System.arraycopy(q2, 0, concat, q1.length + 2, q2.length);
    concat[concat.length - 1] = Search.SENTINEL;
    int[] starts = {1, q1.length + 2};
    int[] ends = {q1.length + 1, q1.length + 2 + q2.length};
    SpacedLookup lookup = new SpacedLookup(concat, starts, ends, BLOSUM62, shape, threshold);

    int[] offsets = SpacedLookup.offsets(shape);
    int weight = offsets.length;
    int cells = (int) Math.pow(20, weight);
    List<TreeSet<Integer>> expected = new ArrayList<>();
    for (int w = 0; w < cells; w++) {
      expected.add(new TreeSet<>());
    }
    for (int k = 0; k < starts.length; k++) {
      for (int p = starts[k]; p + shape.length() <= ends[k]; p++) {
        for (int w = 0; w < cells; w++) {
          int score = 0;
          boolean own = true;
          int rest = w;
          for (int i = weight - 1; i >= 0; i--) {
            int letter = SpacedLookup.LETTERS.charAt(rest % 20) - 'A';
            rest /= 20;
            score += BLOSUM62[(concat[p + offsets[i]] << 5) | letter];
            own &= concat[p + offsets[i]] == letter;
          }
          if (score >= threshold || own) {
            expected.get(w).add(p);
          }
        }
      }
    }
    long total = 0;
    for (int w = 0; w < cells; w++) {
      List<Integer> got = new ArrayList<>();
      for (int i = lookup.cellStart[w]; i < lookup.cellStart[w + 1]; i++) {
        got.add(lookup.positions[i]);
      }
      assertEquals(new ArrayList<>(expected.get(w)), got, "cell " + w);
      total += got.size();
    }
    assertEquals(total, lookup.entries());
    assertTrue(total > 0);
  }

  @Test
  void subjectWordsAreReadAtTheOnesAndOnlyOverTheTwentyLetters() {
    SpacedLookup lookup = new SpacedLookup(new byte[] {Search.SENTINEL, 0, Search.SENTINEL}, new int[] {1},
        new int[] {2}, BLOSUM62, "1011", 11);
    byte[] s = Residue.encode("ACDEWXY");
    // The word at 0 reads A, D, E (dense codes 0, 2, 3); at 1, C, E, W.
    assertEquals((0 * 20 + 2) * 20 + 3, lookup.key(s, 0));
    assertEquals(((1 * 20 + 3) * 20) + SpacedLookup.LETTERS.indexOf('W'), lookup.key(s, 1));
    // The words at 2 (D, W, X) and 3 (E, X, Y) read the X at 5.
    assertEquals(-1, lookup.key(s, 2));
    assertEquals(-1, lookup.key(s, 3));
  }

  @Test
  void badShapesAreRefused() {
    for (String bad : new String[] {"", "0110", "1102", "110", "111111"}) {
      assertThrows(IllegalArgumentException.class, () -> SpacedLookup.offsets(bad), bad);
    }
  }
}
