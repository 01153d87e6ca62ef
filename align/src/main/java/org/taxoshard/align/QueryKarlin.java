package org.taxoshard.align;

/**
 * The ungapped Karlin-Altschul parameters of one protein query, as blastp computes them for its
 * gap trigger and ungapped X-drop: the score distribution of the query's own residue frequencies
 * (every letter it holds but X and O, which BLAST turns into X, so masked residues do not count;
 * U scoring as C, B, J, Z and {@code *} with their rows; measured against blastp's report) against
 * the Robinson &amp; Robinson background
 * of the 20 amino acids, then lambda, H and K of that distribution. BLAST prints them per query in
 * its report footer ("Lambda K H", the first line); E-values use the gapped tables, not these.
 *
 * <p>K follows Karlin &amp; Altschul (1990, appendix): on the lattice of the scores' greatest common
 * divisor d, {@code K = exp(-2 sigma) / ((H / (d lambda)) (1 - exp(-d lambda)))}, where
 * {@code sigma = sum over k >= 1 of (1/k) (E[exp(lambda S_k); S_k < 0] + P(S_k >= 0))} and S_k is the
 * sum of k scores; the sum stops after the first term at most 1e-4, or after 100 terms, as BLAST's
 * does. Distributions whose lattice reaches only -1 or only +1 take the closed forms.
 */
final class QueryKarlin {
  private static final int MAX_TERMS = 100;
  private static final double TERM_LIMIT = 1e-4;
  /** BLAST's first guess for lambda. */
  private static final double LAMBDA0 = 0.5;
  /** The background by Residue code: Robinson &amp; Robinson over the 20 amino acids, 0 elsewhere. */
  private static final double[] BACKGROUND = backgroundByCode();

  private QueryKarlin() {}

  /**
   * The parameters of {@code codes[from, to)} (Residue codes, as searched: masked letters are X)
   * scored with {@code table}, or null when they do not exist (a composition whose expected score is
   * not negative); the caller then keeps the matrix's standard ones.
   */
  static KarlinAltschul.Parameters of(byte[] codes, int from, int to, int[] table) {
    double[] freq = new double[Residue.CODES];
    int n = 0;
    for (int i = from; i < to; i++) {
      int c = codes[i] & 31;
      if (c != Residue.X && c != 'O' - 'A') {
        freq[c]++;
        n++;
      }
    }
    int low = Integer.MAX_VALUE;
    int high = Integer.MIN_VALUE;
    for (int a = 0; a < Residue.CODES; a++) {
      for (int b = 0; b < Residue.CODES; b++) {
        if (freq[a] > 0 && BACKGROUND[b] > 0) {
          low = Math.min(low, table[(a << 5) | b]);
          high = Math.max(high, table[(a << 5) | b]);
        }
      }
    }
    if (low == Integer.MAX_VALUE || low >= 0 || high <= 0) {
      return null;
    }
    double[] probs = new double[high - low + 1];
    for (int a = 0; a < Residue.CODES; a++) {
      if (freq[a] > 0) {
        for (int b = 0; b < Residue.CODES; b++) {
          if (BACKGROUND[b] > 0) {
            probs[table[(a << 5) | b] - low] += freq[a] / n * BACKGROUND[b];
          }
        }
      }
    }
    double sum = 0;
    for (double p : probs) {
      sum += p;
    }
    double avg = 0;
    for (int s = low; s <= high; s++) {
      probs[s - low] /= sum;
      avg += s * probs[s - low];
    }
    // low and high come from pairs of positive probability: the observed range itself.
    double lambda = CompositionAdjustment.karlinLambda(probs, low, high, avg, LAMBDA0);
    if (!(lambda > 0)) {
      return null;
    }
    double h = entropy(probs, low, high, lambda);
    double k = k(probs, low, high, lambda, h, avg);
    if (!(k > 0) || !(h > 0)) {
      return null;
    }
    return new KarlinAltschul.Parameters(lambda, k, h, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }

  private static double[] backgroundByCode() {
    double[] bg = new double[Residue.CODES];
    double[] std = CompositionAdjustment.background().probabilities();
    for (int i = 0; i < std.length; i++) {
      bg[CompositionAdjustment.TRUE_AA.charAt(i) - 'A'] = std[i];
    }
    return bg;
  }

  /** {@code H = lambda sum s p(s) exp(lambda s)}, for {@code probs[s - low]} over [low, high]. */
  static double entropy(double[] probs, int low, int high, double lambda) {
    double h = 0;
    for (int s = low; s <= high; s++) {
      h += s * probs[s - low] * Math.exp(lambda * s);
    }
    return lambda * h;
  }

  /** K of the distribution {@code probs[s - low]} over [low, high] (the class comment's series). */
  static double k(double[] probs, int low, int high, double lambda, double h, double avg) {
    int d = -low;
    for (int i = 1; i <= high - low && d > 1; i++) {
      if (probs[i] != 0) {
        d = CompositionAdjustment.gcd(d, i);
      }
    }
    int lowD = low / d;
    int highD = high / d;
    double lambdaD = lambda * d;
    if (lowD == -1 && highD == 1) {
      double pl = probs[0];
      double ph = probs[high - low];
      return (pl - ph) * (pl - ph) / pl;
    }
    if (lowD == -1 || highD == 1) {
      double first = h / lambdaD;
      if (highD != 1) {
        double mean = avg / d;
        first = mean * mean / first;
      }
      return first * (1 - Math.exp(-lambdaD));
    }
    // p[t - lowD]: the probability of t on the lattice; dist[s - kLow]: that of S_k = s.
    int range = highD - lowD;
    double[] p = new double[range + 1];
    for (int t = lowD; t <= highD; t++) {
      p[t - lowD] = probs[t * d - low];
    }
    double[] dist = {1.0};
    int distLow = 0;
    double sigma = 0;
    double expMinus = Math.exp(-lambdaD);
    for (int k = 1; k <= MAX_TERMS; k++) {
      double[] next = new double[dist.length + range];
      for (int i = 0; i < dist.length; i++) {
        if (dist[i] == 0) {
          continue;
        }
        for (int t = 0; t <= range; t++) {
          next[i + t] += dist[i] * p[t];
        }
      }
      dist = next;
      distLow += lowD;
      // E[exp(lambda S); S < 0] by Horner's rule from the lowest score up, then P(S >= 0).
      double term = 0;
      int s = distLow;
      for (; s < 0; s++) {
        term = term * expMinus + dist[s - distLow];
      }
      term *= expMinus;
      for (; s - distLow < dist.length; s++) {
        term += dist[s - distLow];
      }
      term /= k;
      sigma += term;
      if (term <= TERM_LIMIT) {
        break;
      }
    }
    return Math.exp(-2 * sigma) / ((h / lambdaD) * (1 - expMinus));
  }
}
