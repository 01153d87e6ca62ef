package org.taxoshard.jobs;

import org.taxoshard.fasta.Residues;

/**
 * MinHash sketches of a sequence's k-mer set: for each of {@code size} seeds, the smallest of
 * the k-mers' hashes mixed with that seed. Two sketches agree at a position with probability
 * equal to the Jaccard similarity of the k-mer sets, so the fraction of agreeing positions
 * estimates it. Case is ignored; k-mers holding '*' or '-' are skipped.
 */
final class Sketcher {
  private final int k;
  private final long[] seeds;

  Sketcher(int k, int size) {
    this.k = k;
    this.seeds = new long[size];
    long x = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < size; i++) {
      x += 0x9E3779B97F4A7C15L;
      seeds[i] = mix(x);
    }
  }

  int size() {
    return seeds.length;
  }

  /**
   * Sketches residues [0, length) into {@code out} (as the low 32 bits of each minimum).
   *
   * @return false when the sequence has no k-mer (shorter than k)
   */
  boolean sketch(byte[] residues, int length, int[] out) {
    long[] min = new long[seeds.length];
    java.util.Arrays.fill(min, Long.MAX_VALUE);
    boolean any = false;
    int run = 0;
    long h = 0;
    long drop = 1;
    for (int i = 1; i < k; i++) {
      drop *= 31;
    }
    for (int i = 0; i < length; i++) {
      int c = Residues.code(residues[i]);
      if (c < 0 || c >= 26) {
        run = 0;
        h = 0;
        continue;
      }
      if (run == k) {
        h -= drop * (Residues.code(residues[i - k]) + 1);
        run--;
      }
      h = h * 31 + (c + 1);
      run++;
      if (run == k) {
        any = true;
        long base = mix(h);
        for (int s = 0; s < seeds.length; s++) {
          long v = mix(base ^ seeds[s]);
          if (v < min[s]) {
            min[s] = v;
          }
        }
      }
    }
    for (int s = 0; s < seeds.length; s++) {
      out[s] = (int) min[s];
    }
    return any;
  }

  /** Estimated Jaccard similarity: the fraction of positions where two sketches agree. */
  static double similarity(int[] a, int[] b) {
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b[i]) {
        same++;
      }
    }
    return same / (double) a.length;
  }

  static long mix(long z) {
    return org.taxoshard.formats.Hashes.mix(z);
  }

}
