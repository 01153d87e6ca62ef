package org.taxoshard.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The figures a plan and a manifest print: per-shard counts that add up to the total. */
class BalanceFiguresTest {
  @Test
  void expectedSharesAreRoundedToAddUp() {
    // Round-robin's expectation for 824 records in 3 shards; ordinal mod 3 gives shards 0 and 1 the extra.
    assertArrayEquals(new long[] {275, 275, 274}, BalanceFigures.roundToTotal(new double[] {824 / 3.0, 824 / 3.0, 824 / 3.0}));
    assertArrayEquals(new long[] {0, 2, 1}, BalanceFigures.roundToTotal(new double[] {0.2, 1.7, 1.1}));
    assertArrayEquals(new long[] {3, 0, 7}, BalanceFigures.roundToTotal(new double[] {3, 0, 7}));
    assertArrayEquals(new long[] {3}, BalanceFigures.roundToTotal(new double[] {2.9999999999}));
    assertArrayEquals(new long[] {}, BalanceFigures.roundToTotal(new double[] {}));
  }

  @Test
  void aPlansShardsAddUpToItsTotal() {
    // Two bins of 412 records each, shared equally by 3 shards (round-robin's and hash's expectation).
    double[][] sequences = new double[3][2];
    double[][] residues = new double[3][2];
    for (int s = 0; s < 3; s++) {
      for (int b = 0; b < 2; b++) {
        sequences[s][b] = 412 / 3.0;
        residues[s][b] = 412 * 301 / 3.0;
      }
    }
    BalanceFigures f = new BalanceFigures(sequences, residues);
    assertEquals(824, f.shards.stream().mapToLong(x -> x.getSequences()).sum());
    assertEquals(824 * 301, f.shards.stream().mapToLong(x -> x.getResidues()).sum());
  }
}
