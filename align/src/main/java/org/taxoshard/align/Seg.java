package org.taxoshard.align;

import java.util.Arrays;

/**
 * SEG low-complexity masking of protein sequences (Wootton and Federhen, Comput. Chem. 17:149, 1993;
 * Methods Enzymol. 266:554, 1996), computing the same segments as NCBI BLAST+ 2.12 ({@code segmasker}, and
 * the masking {@code blastp -comp_based_stats 1} applies to subjects with window 10, locut 1.8, hicut 2.1).
 *
 * <p>The method, as BLAST runs it:
 *
 * <ol>
 *   <li>Only the 20 standard amino acids are counted. Every other code (X, B, Z, U, O, J, {@code *}, ...) is
 *       "bogus": it occupies a place in a window but adds to no count. A window with more than 2 bogus
 *       residues gets no entropy, and it stops the extension below like a high-entropy window.
 *   <li>Each window of {@code window} residues gets the Shannon entropy (bits) of its letter counts. Window
 *       entropies are placed at the window's residue {@code (window + 1) / 2 - 1}.
 *   <li>A window with entropy {@code <= locut} triggers a segment; it is extended left and right over the
 *       contiguous windows whose entropy is {@code <= hicut}, and the segment is the union of those windows.
 *   <li>The segment (n residues) is trimmed to its most improbable part: among its sub-segments longer
 *       than max(1, n - 50) residues, the one with the least probability under uniform residue
 *       frequencies (longest first, then leftmost, wins ties). The log-probability is ln(number of
 *       sequences in the same complexity state) minus length * ln 20, with ln n! taken from a table
 *       rounded to 6 decimals as BLAST's is.
 *   <li>If the trimming removed the trigger window from the segment's left, the part cut off on the left
 *       is searched again by the same method (its segments are reported before this one). The scan then
 *       continues after the segment.
 * </ol>
 *
 * <p>Segments are reported as BLAST produces them: in this order, not merged. They can touch or overlap,
 * and a segment can even start before the previous one: the scan resumes at most {@code (window + 1) / 2 - 1}
 * residues past the end of a trimmed segment, and a new segment reaches that far left of its first
 * low-entropy place. {@link #merge} gives their union; {@link #maskInPlace} masks the union.
 *
 * <p>Instances are immutable and thread-safe; each call allocates a few arrays the length of the sequence
 * and nothing per residue.
 */
public final class Seg {
  /** BLAST's window for subjects in composition-based statistics. */
  public static final int CBS_WINDOW = 10;
  /** BLAST's trigger entropy (bits) for subjects in composition-based statistics. */
  public static final double CBS_LOCUT = 1.8;
  /** BLAST's extension entropy (bits) for subjects in composition-based statistics. */
  public static final double CBS_HICUT = 2.1;

  private static final Seg CBS = new Seg(CBS_WINDOW, CBS_LOCUT, CBS_HICUT);
  private static final Seg BLASTP_QUERIES = new Seg(12, 2.2, 2.5);

  /** Letters counted by SEG: the 20 standard amino acids. */
  private static final String STANDARD = "ACDEFGHIKLMNPQRSTVWY";
  private static final int ALPHABET = 20;
  /** More bogus residues than this in a window void its entropy (BLAST's default, clamped to the window). */
  private static final int MAX_BOGUS = 2;
  /** Trimming keeps sub-segments longer than the segment's length minus this (and longer than 1). */
  private static final int MAX_TRIM = 50;
  /** ln 20 as BLAST writes it. */
  private static final double LN_ALPHABET = 2.9957322735539909;
  private static final double LN_2 = 0.69314718055994530941723212145818;
  /** Entropy of a window that has too many bogus residues (BLAST's marker, never a real entropy). */
  private static final double NO_ENTROPY = -1.0;

  /** Alphabet index of each residue code, -1 for bogus codes. */
  private static final byte[] INDEX = new byte[256];

  /** ln n! rounded to 6 decimals for n = 0..10000, the table BLAST uses (it has these entries). */
  private static final int LN_FACT_SIZE = 10001;

  private static final double[] LN_FACT = new double[LN_FACT_SIZE];

  static {
    Arrays.fill(INDEX, (byte) -1);
    for (int i = 0; i < STANDARD.length(); i++) {
      INDEX[STANDARD.charAt(i) - 'A'] = (byte) i;
    }
    // ln n! by compensated summation of ln k, accurate far beyond the 6 decimals kept.
    double sum = 0;
    double carry = 0;
    for (int n = 1; n < LN_FACT_SIZE; n++) {
      double term = Math.log(n);
      double t = sum + term;
      carry += Math.abs(sum) >= Math.abs(term) ? (sum - t) + term : (term - t) + sum;
      sum = t;
      LN_FACT[n] = roundTo6(sum + carry);
    }
  }

  private final int window;
  private final double locut;
  private final double hicut;
  private final int maxBogus;
  /** Place of a window's entropy relative to its first residue. */
  private final int downset;
  /** Residues of a window from its entropy's place on, that place included. */
  private final int upset;
  /** entropyTerm[total][c] = c log2(c / total), the contribution of a letter seen c times of total. */
  private final double[][] entropyTerm;

  /**
   * SEG with the given window (residues) and trigger/extension entropies (bits). Out-of-range values are
   * adjusted as BLAST adjusts them: negative cuts become 0 and a hicut below locut is raised to locut.
   *
   * @throws IllegalArgumentException if the window is not positive
   */
  public Seg(int window, double locut, double hicut) {
    if (window <= 0) {
      throw new IllegalArgumentException("SEG window must be positive: " + window);
    }
    if (!(locut >= 0)) {
      locut = 0;
    }
    if (!(hicut >= 0)) {
      hicut = 0;
    }
    if (locut > hicut) {
      hicut = locut;
    }
    this.window = window;
    this.locut = locut;
    this.hicut = hicut;
    this.maxBogus = Math.min(MAX_BOGUS, window);
    this.downset = (window + 1) / 2 - 1;
    this.upset = window - downset;
    this.entropyTerm = new double[window + 1][];
    for (int total = 1; total <= window; total++) {
      double[] row = new double[total + 1];
      for (int c = 1; c <= total; c++) {
        row[c] = c * Math.log((double) c / (double) total) / LN_2;
      }
      entropyTerm[total] = row;
    }
  }

  /** SEG as blastp's {@code -seg yes} applies it to queries (segmasker's defaults): window 12, locut 2.2, hicut 2.5. */
  public static Seg blastpQueries() {
    return BLASTP_QUERIES;
  }

  /** SEG as BLAST applies it to subjects in composition-based statistics: window 10, locut 1.8, hicut 2.1. */
  public static Seg compositionBasedStatistics() {
    return CBS;
  }

  public int window() {
    return window;
  }

  public double locut() {
    return locut;
  }

  public double hicut() {
    return hicut;
  }

  /**
   * The masked intervals of codes[from, to): 0-based half-open [start, end) pairs relative to
   * {@code from}, flattened as {@code {start0, end0, start1, end1, ...}}, in the order and form segmasker
   * reports them (not merged: intervals may touch or overlap; see {@link #merge}).
   */
  public int[] mask(byte[] codes, int from, int to) {
    if (from < 0 || to > codes.length || from > to) {
      throw new IndexOutOfBoundsException("[" + from + ", " + to + ") of " + codes.length);
    }
    if (to - from < window) {
      return new int[0];
    }
    Run run = new Run(codes, from, to);
    run.segment(from, to - from);
    return Arrays.copyOf(run.out, run.outSize);
  }

  /**
   * Replaces the masked residues of codes[from, to) with X (code 23) in place.
   *
   * @return the number of residues in the masked intervals (their union)
   */
  public int maskInPlace(byte[] codes, int from, int to) {
    int[] merged = merge(mask(codes, from, to));
    int masked = 0;
    for (int k = 0; k < merged.length; k += 2) {
      Arrays.fill(codes, from + merged[k], from + merged[k + 1], (byte) Residue.X);
      masked += merged[k + 1] - merged[k];
    }
    return masked;
  }

  /** The union of half-open intervals given as {start, end} pairs: sorted, disjoint, not touching. */
  public static int[] merge(int[] intervals) {
    int n = intervals.length / 2;
    if (n == 0) {
      return new int[0];
    }
    long[] packed = new long[n];
    for (int k = 0; k < n; k++) {
      packed[k] = ((long) intervals[2 * k] << 32) | (intervals[2 * k + 1] & 0xFFFFFFFFL);
    }
    Arrays.sort(packed);
    int[] out = new int[2 * n];
    int size = 0;
    for (long p : packed) {
      int start = (int) (p >>> 32);
      int end = (int) p;
      if (size > 0 && start <= out[size - 1]) {
        out[size - 1] = Math.max(out[size - 1], end);
      } else {
        out[size++] = start;
        out[size++] = end;
      }
    }
    return Arrays.copyOf(out, size);
  }

  /**
   * ln n! rounded to 6 decimals: BLAST's table up to 10000, Stirling's series beyond (BLAST's table ends
   * there, so segments over 10000 residues have no defined BLAST answer to match).
   */
  static double lnFactorial(int n) {
    if (n < LN_FACT_SIZE) {
      return LN_FACT[n];
    }
    double x = n;
    double stirling = x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x)
        + 1 / (12 * x) - 1 / (360 * x * x * x);
    return roundTo6(stirling);
  }

  private static double roundTo6(double x) {
    return Math.round(x * 1e6) / 1e6;
  }

  /**
   * The letter counts of a stretch of residues kept as BLAST's "state vector": the nonzero counts in
   * descending order followed by zeros. Adding or removing one residue moves one count by one, which keeps
   * the order if the first (adding) or last (removing) of the equal counts is the one changed.
   */
  private static final class State {
    final int[] count = new int[ALPHABET];
    /** Sorted counts; entry ALPHABET is always 0 and ends every scan. */
    final int[] sorted = new int[ALPHABET + 1];
    int bogus;

    void clear() {
      Arrays.fill(count, 0);
      Arrays.fill(sorted, 0);
      bogus = 0;
    }

    void add(byte code) {
      int a = INDEX[code & 0xFF];
      if (a < 0) {
        bogus++;
        return;
      }
      int old = count[a]++;
      int k = 0;
      while (sorted[k] != old) {
        k++;
      }
      sorted[k]++;
    }

    void remove(byte code) {
      int a = INDEX[code & 0xFF];
      if (a < 0) {
        bogus--;
        return;
      }
      int old = count[a]--;
      int k = 0;
      while (sorted[k] != old || sorted[k + 1] == old) {
        k++;
      }
      sorted[k]--;
    }
  }

  /** One sequence being segmented: its window entropies and the segments found so far. */
  private final class Run {
    final byte[] codes;
    final int from;
    /** entropy[s - from]: entropy of the window starting at s, or NO_ENTROPY. */
    final double[] entropy;
    final State state = new State();
    int[] out = new int[16];
    int outSize;
    int trimmedLeft;
    int trimmedRight;

    Run(byte[] codes, int from, int to) {
      this.codes = codes;
      this.from = from;
      int windows = to - from - window + 1;
      entropy = new double[windows];
      State s = state;
      s.clear();
      for (int p = from; p < from + window; p++) {
        s.add(codes[p]);
      }
      for (int w = 0; ; w++) {
        entropy[w] = s.bogus > maxBogus ? NO_ENTROPY : entropyOf(s.sorted, window - s.bogus);
        if (w + 1 == windows) {
          break;
        }
        s.remove(codes[from + w]);
        s.add(codes[from + w + window]);
      }
    }

    /** Shannon entropy in bits of the counts, summed in descending-count order as BLAST does. */
    double entropyOf(int[] sorted, int total) {
      if (total == 0) {
        return 0.0;
      }
      double[] term = entropyTerm[total];
      double sum = 0.0;
      for (int k = 0; sorted[k] != 0; k++) {
        sum += term[sorted[k]];
      }
      return Math.abs(sum / total);
    }

    /** Entropy placed at index i of the stretch starting at start (valid for the stretch's windows). */
    double h(int start, int i) {
      return entropy[start + i - downset - from];
    }

    /**
     * Segments of the stretch codes[start, start + length), searched on its own (entropies of windows
     * reaching outside it do not count), appended to the output.
     */
    void segment(int start, int length) {
      if (length < window) {
        return;
      }
      int last = length - upset;
      int lowlim = downset;
      for (int i = downset; i <= last; i++) {
        double hi = h(start, i);
        if (hi == NO_ENTROPY || hi > locut) {
          continue;
        }
        int loi = i;
        while (loi - 1 >= lowlim && grows(h(start, loi - 1))) {
          loi--;
        }
        int hii = i;
        while (hii + 1 <= last && grows(h(start, hii + 1))) {
          hii++;
        }
        int left = loi - downset;
        int right = hii + upset - 1;
        trim(start + left, start + right);
        // Local copies: the search of a left remainder below trims again.
        int segFirst = trimmedLeft;
        int segLast = trimmedRight;
        if (i + upset - 1 < segFirst - start) {
          // The trigger window was trimmed away: what lies left of the segment gets its own search.
          segment(start + left, segFirst - start - left);
        }
        emit(segFirst, segLast);
        i = Math.min(hii, segLast - start + downset);
        lowlim = i + 1;
      }
    }

    private boolean grows(double h) {
      return h != NO_ENTROPY && h <= hicut;
    }

    private void emit(int first, int last) {
      if (outSize + 2 > out.length) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      out[outSize++] = first - from;
      out[outSize++] = last + 1 - from;
    }

    /**
     * Trims the segment codes[first..last] (inclusive, n residues) to its least probable sub-segment
     * longer than max(1, n - MAX_TRIM); sets trimmedLeft/trimmedRight (inclusive, absolute).
     */
    void trim(int first, int last) {
      int n = last - first + 1;
      int minLength = Math.max(1, n - MAX_TRIM);
      double best = 1.0;
      int bestLeft = 0;
      int bestRight = n - 1;
      State s = state;
      for (int len = n; len > minLength; len--) {
        s.clear();
        for (int p = first; p < first + len; p++) {
          s.add(codes[p]);
        }
        double lnFactLen = lnFactorial(len);
        double lnSequences = len * LN_ALPHABET;
        for (int offset = 0; ; offset++) {
          double p = lnStates(s.sorted) + permutations(s.sorted, lnFactLen) - lnSequences;
          if (p < best) {
            best = p;
            bestLeft = offset;
            bestRight = offset + len - 1;
          }
          if (offset + len >= n) {
            break;
          }
          s.remove(codes[first + offset]);
          s.add(codes[first + offset + len]);
        }
      }
      trimmedLeft = first + bestLeft;
      trimmedRight = first + bestRight;
    }
  }

  /**
   * ln of the number of ways to assign the alphabet's letters to the counts of a complexity state:
   * 20! over the product of (letters sharing each count)!, the zero count included.
   */
  private static double lnStates(int[] sorted) {
    double ans = LN_FACT[ALPHABET];
    if (sorted[0] == 0) {
      return ans;
    }
    int k = 0;
    int remaining = ALPHABET;
    while (k < ALPHABET && sorted[k] != 0) {
      int c = sorted[k];
      int run = 1;
      while (k + run < ALPHABET && sorted[k + run] == c) {
        run++;
      }
      ans -= LN_FACT[run];
      remaining -= run;
      k += run;
    }
    if (remaining > 0) {
      ans -= LN_FACT[remaining];
    }
    return ans;
  }

  /** ln of the multinomial len! / prod(count!) given ln len!. */
  private static double permutations(int[] sorted, double lnFactLen) {
    double ans = lnFactLen;
    for (int k = 0; sorted[k] != 0; k++) {
      ans -= lnFactorial(sorted[k]);
    }
    return ans;
  }
}
