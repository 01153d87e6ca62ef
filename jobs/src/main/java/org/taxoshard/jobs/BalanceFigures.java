package org.taxoshard.jobs;

import java.util.ArrayList;
import java.util.List;
import org.taxoshard.avro.Balance;
import org.taxoshard.avro.ShardFigures;

/**
 * The balance of a set of shards from their per-bin contents: size (max over mean residues and
 * sequences), taxonomy (each shard's total-variation distance from the database's bin
 * composition, by sequences; distinct bins), and each bin's worst distance from its fair share.
 * The plan computes it from what it expects, the manifest from what the shards hold.
 */
final class BalanceFigures {
  final List<ShardFigures> shards = new ArrayList<>();
  Balance balance;
  final double[][] sequences;
  final double[][] residues;

  /**
   * @param sequences [shard][bin] sequences (expected ones may be fractional)
   * @param residues [shard][bin] residues
   */
  BalanceFigures(double[][] sequences, double[][] residues) {
    this.sequences = sequences;
    this.residues = residues;
    int n = sequences.length;
    int bins = n == 0 ? 0 : sequences[0].length;
    double[] binTotal = new double[bins];
    double total = 0;
    double totalResidues = 0;
    for (int s = 0; s < n; s++) {
      for (int b = 0; b < bins; b++) {
        binTotal[b] += sequences[s][b];
        total += sequences[s][b];
        totalResidues += residues[s][b];
      }
    }
    double maxRes = 0;
    double maxSeq = 0;
    double maxTv = 0;
    double maxDev = 0;
    int minBins = Integer.MAX_VALUE;
    int maxBins = 0;
    long[] roundedSeq = roundToTotal(sums(sequences));
    long[] roundedRes = roundToTotal(sums(residues));
    for (int s = 0; s < n; s++) {
      double seq = 0;
      double res = 0;
      int present = 0;
      for (int b = 0; b < bins; b++) {
        seq += sequences[s][b];
        res += residues[s][b];
        if (sequences[s][b] >= 0.5) {
          present++;
        }
        maxDev = Math.max(maxDev, Math.abs(sequences[s][b] - binTotal[b] / n));
      }
      double tv = 0;
      for (int b = 0; b < bins; b++) {
        double p = seq == 0 ? 0 : sequences[s][b] / seq;
        double q = total == 0 ? 0 : binTotal[b] / total;
        tv += Math.abs(p - q);
      }
      tv /= 2;
      shards.add(ShardFigures.newBuilder().setShard(s).setSequences(roundedSeq[s]).setResidues(roundedRes[s])
          .setBins(present).setTvDistance(tv).build());
      maxRes = Math.max(maxRes, res);
      maxSeq = Math.max(maxSeq, seq);
      maxTv = Math.max(maxTv, tv);
      minBins = Math.min(minBins, present);
      maxBins = Math.max(maxBins, present);
    }
    double meanRes = n == 0 ? 0 : totalResidues / n;
    double meanSeq = n == 0 ? 0 : total / n;
    balance = Balance.newBuilder()
        .setResiduesMaxOverMean(meanRes == 0 ? 1 : maxRes / meanRes)
        .setSequencesMaxOverMean(meanSeq == 0 ? 1 : maxSeq / meanSeq)
        .setMaxTvDistance(maxTv)
        .setMinBins(n == 0 ? 0 : minBins)
        .setMaxBins(maxBins)
        .setMaxFairShareDeviation(maxDev)
        .build();
  }

  private static double[] sums(double[][] perShardAndBin) {
    double[] sums = new double[perShardAndBin.length];
    for (int s = 0; s < sums.length; s++) {
      for (double v : perShardAndBin[s]) {
        sums[s] += v;
      }
    }
    return sums;
  }

  /**
   * Whole numbers that add up to the values' rounded sum, each within 1 of its value (largest
   * remainder; ties go to the lower index). Expected shares (824 records in 3 shards, 274.67 each)
   * then add up to the plan's total, and round-robin's come out exact: 275, 275, 274.
   */
  static long[] roundToTotal(double[] values) {
    long[] out = new long[values.length];
    double sum = 0;
    long floors = 0;
    for (int i = 0; i < values.length; i++) {
      out[i] = (long) Math.floor(values[i] + 1e-9); // a share computed as 3.0 may be 2.9999999
      floors += out[i];
      sum += values[i];
    }
    long left = Math.round(sum) - floors;
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> {
      int c = Double.compare(values[y] - out[y], values[x] - out[x]);
      return c != 0 ? c : Integer.compare(x, y);
    });
    for (int k = 0; k < left && k < order.length; k++) {
      out[order[k]]++;
    }
    return out;
  }
}
