package org.taxoshard.jobs;

/**
 * Length strata: sequences whose lengths lie within about 5% of each other share one. Dealing a
 * bin's records to shards stratum by stratum gives every shard the same mix of lengths, hence
 * the same residues, not just the same count.
 */
public final class Strata {
  /** Growth factor from one stratum to the next. */
  private static final double LOG_WIDTH = Math.log(1.05);
  public static final int MAX = 255;

  private Strata() {}

  /** The stratum of a sequence length: 0 for empty sequences, at most {@link #MAX}. */
  public static int of(int length) {
    return length <= 0 ? 0 : Math.min(MAX, 1 + (int) (Math.log(length) / LOG_WIDTH));
  }
}
