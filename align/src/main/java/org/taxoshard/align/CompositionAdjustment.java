package org.taxoshard.align;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Composition-based statistics, mode 1 ({@code blastp -comp_based_stats 1}; Schaffer et al., Nucleic
 * Acids Res. 29:2994-3005, 2001), computed the way NCBI BLAST+ 2.12 computes it: per query/subject pair
 * a ratio {@code LambdaRatio} of the pair's ungapped lambda to the matrix's ideal ungapped lambda, and a
 * score table rebuilt from the matrix's frequency ratios at the scale {@code lambda_ideal / LambdaRatio},
 * in BLAST's scaled (x32) units.
 *
 * <p>Letters: the 20 standard amino acids are counted in the order {@link #TRUE_AA} =
 * {@code ACDEFGHIKLMNPQRSTVWY} (alphabetical by one-letter code, which is also NCBIstdaa order).
 * Internally the class works in BLAST's 28-letter NCBIstdaa alphabet {@code -ABCDEFGHIKLMNPQRSTVWXYZU*OJ};
 * {@link Residue} codes map onto it letter by letter ({@code *} to {@code *}; the unused codes 27-31 to X).
 *
 * <h2>How BLAST's traceback stage uses this in mode 1 (blastp, non-PSSM, X-drop traceback)</h2>
 *
 * <p>Items marked (measured) are reproduced by CompositionAdjustmentTest against blastp 2.12 output; the
 * rest is read from the NCBI C++ Toolkit sources (blast_kappa.c, redo_alignment.c,
 * composition_adjustment.c, blast_parameters.c, blast_stat.c) and not separately measured.
 *
 * <ol>
 *   <li><b>Which subjects are redone.</b> Every subject that keeps at least one HSP after the preliminary
 *       gapped stage. In mode 1 the preliminary E-value cutoff is the user's {@code -evalue} itself
 *       ({@code cbs_stretch} is 5 only for modes 2 and 3, 1 for mode 1; blast_parameters.c). The
 *       preliminary HSPs carry ordinary BLOSUM scores and Spouge E-values. Subjects are taken in the
 *       order the preliminary stage hands them over; a subject is skipped
 *       ({@code BlastCompo_EarlyTermination}) only when the query's heap of redone subjects is already
 *       full ({@code -max_target_seqs}) and the subject's preliminary best E-value exceeds 5 x the heap's
 *       E-value cutoff. There is no minimum subject length and no composition test in mode 1 (those are
 *       the mode 2/3 rules of compo_mode_condition.c). If the query or the (masked) subject has no
 *       standard amino acid at all, BLAST does not adjust and does not realign: the subject gives no hit
 *       ({@link #lambdaRatio} returns NaN for that case).</li>
 *   <li><b>Query composition.</b> {@link #composition} over the whole query context (for blastp the whole
 *       query), computed once per query from the sequence BLAST holds ({@code queryBlk->sequence}); with
 *       blastp's default {@code -seg no} that is the query as given. Only the 20 standard letters count,
 *       U (selenocysteine) as C; B, Z, X, O, J and {@code *} are skipped and are not in the denominator. In
 *       the realignment U scores as C on both sides; {@link #adjustedTable} bakes that in (row and column U =
 *       C's). Measured: with U for C in the query, the subject or both, blastp gives the C pair's E-value
 *       and bit score.
 *       Not confirmed: whether a query masked with {@code -seg yes} is counted masked or unmasked.</li>
 *   <li><b>Subject: SEG and composition.</b> The whole subject is fetched and, before anything else, masked
 *       with SEG window 10, locut 1.8, hicut 2.1 (masked letters become X), unless the pair looks nearly
 *       identical: an HSP whose scaled score per aligned position is at least 1.74 bits (and whose subject
 *       extent is at least min(query length, 50)) triggers an identity count, and if more than 95% of the
 *       aligned positions are identical the subject is left unmasked. The subject composition is
 *       {@link #composition} of the whole masked subject (masked X not counted). The realignment also runs
 *       on the masked subject, so masked positions score with the table's X column (measured: the SEG
 *       intervals of {@code segmasker -window 10 -locut 1.8 -hicut 2.1} are needed to reproduce BLAST's
 *       scores, and a self pair reproduces unmasked). Once computed for the
 *       first HSP, the matrix is kept for the later HSPs of the same subject (it is recomputed only if the
 *       near-identity decision changes between HSPs).</li>
 *   <li><b>Scaling.</b> Everything in the redo runs at scale {@code localScalingFactor = 32} (3 for the
 *       special matrix BLOSUM62_20): the ideal ungapped lambda (Robinson frequencies, the integer matrix) is
 *       divided by 32 to give {@code ungappedLambda}; the start matrix is
 *       {@code round(ln(freqRatio) / ungappedLambda)}; {@link #lambdaRatio} is computed on that start matrix
 *       with the two compositions; the adjusted table is {@code round(ln(freqRatio) * LambdaRatio /
 *       ungappedLambda)} with composition-dependent X/U/O scores and the start matrix's {@code *} row and
 *       column ({@link #adjustedTable}). The preliminary HSP scores are multiplied by 32 (truncated to int) to
 *       compare with the new ones. (Factor 32 measured.)</li>
 *   <li><b>Clamps.</b> {@code LambdaRatio = min(1, lambda_pair / ungappedLambda)}, then
 *       {@code max(LambdaRatio, 0.5)}; a pair whose expected score is not negative (no lambda) gets 0.5. The
 *       min(1, .) applies because blastp's default {@code unifiedP} is 0. So the table is never sharper than
 *       the matrix, at most twice as flat. (Measured: a Plasmodium/cyanobacterium pair whose own ratio
 *       exceeds 1 reproduces only when kept at 1.)</li>
 *   <li><b>Gaps and X-drop.</b> Gap open and extend are multiplied by 32 and rounded: blastp's default 11/1
 *       becomes 352/32; a gap of length L costs {@code 352 + 32 L}. The gapped lambda is divided by 32
 *       (0.267/32 for BLOSUM62 11/1). The traceback X-drop is
 *       {@code (int) max(gap_x_dropoff_final_bits * ln2 / (lambda_gapped / 32), x_dropoff_final_raw)}: with
 *       blastp's default 25 bits, {@code (int)(25 ln2 * 32 / 0.267) = 2076} (from the source, not measured;
 *       the gap costs are measured). Each preliminary HSP (best
 *       score first) is realigned with a gapped X-drop traceback from its preliminary gapped start point
 *       ({@code hsp->query.gapped_start, hsp->subject.gapped_start}) over the whole query and the whole
 *       (masked) subject, unless it is contained in an already-redone alignment of this subject whose
 *       scaled score is at least its own scaled score + 2 bits ({@code 2 ln2 / (lambda_gapped / 32)}).
 *       New alignments sharing a start or an end point with a better one are dropped; alignments contained
 *       in a better one are reaped ({@code s_HitlistReapContained}).</li>
 *   <li><b>E-value.</b> Computed on the scaled score before it is rounded back, with the gapped Karlin block
 *       whose Lambda is divided by 32 (K unchanged) and the matrix's Gumbel block unchanged:
 *       {@code BLAST_SpougeStoE(S32, kbp{Lambda/32, K}, gbp, queryLength, subjectLength)}. Inside, Spouge's
 *       routine takes {@code scale = kbp.Lambda / gbp.Lambda = 1/32} and multiplies the Gumbel a, alpha and
 *       sigma by it (b, beta, tau unchanged), so the finite-size correction sees the same lengths as at
 *       scale 1; the result is {@code area * K * exp(-Lambda/32 * S32) * dbLength/subjectLength}. The
 *       compositional p-value combination ({@code s_AdjustEvaluesForComposition}) is off in mode 1
 *       (unifiedP = 0). HSPs with E-value above {@code -evalue} are dropped; the subject is reported if its
 *       best E-value is at most {@code -evalue}. The E-value printed is this one, from the unrounded
 *       scaled score (measured to 0.2% on every fixture alignment, down to 5e-166; 2.12 evaluates Spouge's
 *       normal probabilities as {@code ErfC(-x / sqrt 2) / 2}).</li>
 *   <li><b>Reported raw score and bits.</b> {@code raw = BLAST_Nint(S32 / 32)} (round half away from zero);
 *       {@code bits = (raw * lambda_gapped - ln K) / ln 2} with the unscaled gapped parameters (BLOSUM62
 *       11/1: lambda 0.267, K 0.041), i.e. from the rounded raw score. {@code -outfmt 6}'s {@code score}
 *       column is {@code raw}; its {@code bitscore} column prints bits with one decimal up to 99.9 and
 *       truncated to an integer above (measured: 459.914 prints as 459; raw and bits measured).</li>
 * </ol>
 *
 * <p>Frequency ratios (BLOSUM45/50/62/80/90, PAM30/70/250) and the Robinson &amp; Robinson background
 * frequencies are read from {@code freqratios/*.tsv}; the integer matrices from {@link ScoringMatrix}.
 */
public final class CompositionAdjustment {

  /** The 20 standard amino acids in the order {@link Composition#probabilities()} uses. */
  public static final String TRUE_AA = "ACDEFGHIKLMNPQRSTVWY";

  /** The scaling factor blastp's composition-adjusted traceback uses. */
  public static final int BLASTP_SCALING_FACTOR = 32;

  /** BLAST's lower clamp of LambdaRatio. */
  public static final double LAMBDA_RATIO_LOWER_BOUND = 0.5;

  /** BLAST's NCBIstdaa alphabet. */
  static final String STDAA = "-ABCDEFGHIKLMNPQRSTVWXYZU*OJ";

  private static final int SIZE = 28;
  private static final int STD_B = 2;
  private static final int STD_C = 3;
  private static final int STD_X = 21;
  private static final int STD_Z = 23;
  private static final int STD_U = 24;
  private static final int STD_STOP = 25;
  private static final int STD_O = 26;
  private static final int STD_J = 27;
  /** Score given to pairs whose frequency ratio is 0 (never aligned). */
  private static final int SCORE_MIN = Short.MIN_VALUE;

  /** NCBIstdaa index of each of the 20 standard letters, ascending. */
  private static final int[] TRUE_POS = new int[20];
  /** For every NCBIstdaa index, its position in {@link #TRUE_AA}, or -1. */
  private static final int[] TRUE_INDEX = new int[SIZE];
  /** NCBIstdaa index of each Residue code. */
  private static final int[] STD_OF_CODE = new int[Residue.CODES];

  static {
    Arrays.fill(TRUE_INDEX, -1);
    for (int k = 0; k < 20; k++) {
      TRUE_POS[k] = STDAA.indexOf(TRUE_AA.charAt(k));
      TRUE_INDEX[TRUE_POS[k]] = k;
    }
    for (int code = 0; code < Residue.CODES; code++) {
      STD_OF_CODE[code] = code < 26 ? STDAA.indexOf('A' + code) : code == Residue.STOP ? STD_STOP : STD_X;
    }
  }

  private CompositionAdjustment() {}

  /**
   * Letter probabilities of one sequence.
   *
   * @param probabilities 20 values in {@link #TRUE_AA} order, summing to 1 (all 0 if nothing counted)
   * @param counted how many standard amino acids were counted
   */
  public record Composition(double[] probabilities, int counted) {
    public Composition {
      if (probabilities.length != 20) {
        throw new IllegalArgumentException("a composition has 20 probabilities, got " + probabilities.length);
      }
      probabilities = probabilities.clone();
    }

    @Override
    public double[] probabilities() {
      return probabilities.clone();
    }

    /** True when no standard amino acid was counted (all probabilities 0). */
    public boolean isEmpty() {
      for (double p : probabilities) {
        if (p != 0) {
          return false;
        }
      }
      return true;
    }

    /** Probabilities over NCBIstdaa (28 entries, 0 for every non-standard letter). */
    double[] stdaa() {
      double[] p = new double[SIZE];
      for (int k = 0; k < 20; k++) {
        p[TRUE_POS[k]] = probabilities[k];
      }
      return p;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Composition c && c.counted == counted && Arrays.equals(c.probabilities, probabilities);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(probabilities) + counted;
    }

    @Override
    public String toString() {
      return "Composition" + Arrays.toString(probabilities) + " of " + counted;
    }
  }

  /**
   * Composition of {@code codes[from, to)} (Residue codes) as BLAST's {@code Blast_ReadAaComposition} counts
   * it: only the 20 standard amino acids (order {@link #TRUE_AA}), U counted as C; X, B, Z, J, O, {@code *}
   * and anything else are skipped and not in the denominator. For a subject, pass the SEG-masked sequence (see the class
   * comment, item 3).
   */
  public static Composition composition(byte[] codes, int from, int to) {
    int[] counts = new int[20];
    int n = 0;
    for (int i = from; i < to; i++) {
      int std = STD_OF_CODE[codes[i] & 31];
      int k = TRUE_INDEX[std == STD_U ? STD_C : std];
      if (k >= 0) {
        counts[k]++;
        n++;
      }
    }
    double[] p = new double[20];
    if (n > 0) {
      for (int k = 0; k < 20; k++) {
        p[k] = (double) counts[k] / n;
      }
    }
    return new Composition(p, n);
  }

  /**
   * The standard background composition (Robinson &amp; Robinson, normalized as BLAST normalizes it);
   * {@code counted} is 0 as it comes from no sequence.
   */
  public static Composition background() {
    double[] std = Tables.ROBINSON;
    double[] p = new double[20];
    for (int k = 0; k < 20; k++) {
      p[k] = std[TRUE_POS[k]];
    }
    return new Composition(p, 0);
  }

  /**
   * Mode 1: BLAST's LambdaRatio for this query/subject pair with the named matrix at blastp's scaling factor
   * 32, clamped to [0.5, 1] as BLAST clamps it.
   *
   * @return the ratio, or NaN when either composition is {@linkplain Composition#isEmpty() empty} (BLAST
   *     then neither adjusts nor realigns the pair)
   */
  public static double lambdaRatio(String matrix, Composition query, Composition subject) {
    return lambdaRatio(matrix, query, subject, BLASTP_SCALING_FACTOR);
  }

  /** {@link #lambdaRatio(String, Composition, Composition)} at another scaling factor. */
  public static double lambdaRatio(String matrix, Composition query, Composition subject, int scalingFactor) {
    if (query.isEmpty() || subject.isEmpty()) {
      return Double.NaN;
    }
    return clamp(pairLambda(matrix, query, subject, scalingFactor) / ungappedLambda(matrix, scalingFactor));
  }

  /** The unclamped ratio (the pair's ungapped lambda on the scaled start matrix over the ideal one). */
  static double rawLambdaRatio(String matrix, Composition query, Composition subject, int scalingFactor) {
    return pairLambda(matrix, query, subject, scalingFactor) / ungappedLambda(matrix, scalingFactor);
  }

  private static double clamp(double ratio) {
    return Math.max(Math.min(1.0, ratio), LAMBDA_RATIO_LOWER_BOUND);
  }

  /** The pair's ungapped lambda on the scaled start matrix (-1 if the expected score is not negative). */
  private static double pairLambda(String matrix, Composition query, Composition subject, int scalingFactor) {
    int[][] start = startMatrix(matrix, scalingFactor);
    double[] q = query.stdaa();
    double[] s = subject.stdaa();
    int min = 0;
    int max = 0;
    for (int row = 0; row < SIZE; row++) {
      for (int col : TRUE_POS) {
        int v = start[row][col];
        if (v < min && v > SCORE_MIN) {
          min = v;
        }
        if (v > max) {
          max = v;
        }
      }
    }
    double[] probs = new double[max - min + 1];
    for (int row = 0; row < SIZE; row++) {
      for (int col : TRUE_POS) {
        int v = start[row][col];
        if (v >= min) {
          probs[v - min] += q[row] * s[col];
        }
      }
    }
    double avg = 0;
    for (int i = 0; i < probs.length; i++) {
      avg += (min + i) * probs[i];
    }
    return karlinLambda(probs, min, max, avg, ungappedLambda(matrix, scalingFactor));
  }

  /**
   * The composition-adjusted score table BLAST aligns with in mode 1, in BLAST's scaled units, flat
   * {@code [(a << 5) | b]} over {@link Residue} codes (a = query, b = subject). The X, U and O scores are those
   * BLAST derives from the standard background composition here; BLAST's real X/U/O scores depend on the
   * pair's compositions, so the kernel should use
   * {@link #adjustedTable(String, double, int, Composition, Composition)}.
   */
  public static int[] adjustedTable(String matrix, double lambdaRatio, int scalingFactor) {
    Composition bg = background();
    return adjustedTable(matrix, lambdaRatio, scalingFactor, bg, bg);
  }

  /**
   * The composition-adjusted score table BLAST aligns with in mode 1, exactly: scaled units (x
   * scalingFactor), flat {@code [(a << 5) | b]} over {@link Residue} codes, a = query code, b = subject code.
   * Standard pairs and B/Z/J score {@code round(ln(ratio) * lambdaRatio / (lambda_ideal / scalingFactor))};
   * X (and O, which BLAST scores as X) against a letter scores the composition-weighted mean of that
   * letter's row (or column) over the 20 standard letters, capped at -1 before rounding; {@code *} scores as
   * the unadjusted scaled start matrix; U scores as C, row and column (as BLAST scores it);
   * Residue codes 27-31 score as X.
   *
   * @param lambdaRatio from {@link #lambdaRatio}
   * @param query the query composition (rows)
   * @param subject the subject composition (columns), of the SEG-masked subject
   */
  public static int[] adjustedTable(String matrix, double lambdaRatio, int scalingFactor, Composition query,
      Composition subject) {
    if (!(lambdaRatio > 0)) {
      throw new IllegalArgumentException("lambdaRatio must be positive, got " + lambdaRatio);
    }
    double[][] ratios = Tables.ratios(matrix);
    double scaledLambda = ungappedLambda(matrix, scalingFactor) / lambdaRatio;
    double[][] m = new double[SIZE][SIZE];
    for (int i = 0; i < SIZE; i++) {
      for (int j = 0; j < SIZE; j++) {
        m[i][j] = ratios[i][j] == 0.0 ? SCORE_MIN : Math.log(ratios[i][j]) / scaledLambda;
      }
    }
    setXuoScores(m, query.stdaa(), subject.stdaa());
    int[][] start = startMatrix(matrix, scalingFactor);
    int[][] rounded = new int[SIZE][SIZE];
    for (int i = 0; i < SIZE; i++) {
      for (int j = 0; j < SIZE; j++) {
        rounded[i][j] = nint(m[i][j]);
      }
    }
    for (int i = 0; i < SIZE; i++) {
      rounded[i][STD_STOP] = start[i][STD_STOP];
      rounded[STD_STOP][i] = start[STD_STOP][i];
    }
    return toResidueTable(rounded, true);
  }

  /**
   * The unadjusted scaled start matrix BLAST's redo derives LambdaRatio from,
   * {@code round(ln(ratio) / (lambda_ideal / scalingFactor))}, as a Residue table (query U not replaced).
   */
  public static int[] startTable(String matrix, int scalingFactor) {
    return toResidueTable(startMatrix(matrix, scalingFactor), false);
  }

  /**
   * The matrix's ideal ungapped lambda as BLAST computes it ({@code kbp_ideal}: the integer matrix with the
   * Robinson frequencies on both sides, BLAST's safeguarded Newton iteration to 1e-5).
   */
  public static double idealLambda(String matrix) {
    return Tables.idealLambda(matrix);
  }

  private static double ungappedLambda(String matrix, int scalingFactor) {
    if (scalingFactor <= 0) {
      throw new IllegalArgumentException("scaling factor must be positive, got " + scalingFactor);
    }
    return idealLambda(matrix) / scalingFactor;
  }

  private static int[] toResidueTable(int[][] std, boolean uAsC) {
    int[] table = new int[Residue.CODES << 5];
    int uCode = 'U' - 'A';
    for (int a = 0; a < Residue.CODES; a++) {
      int row = uAsC && a == uCode ? STD_C : STD_OF_CODE[a];
      for (int b = 0; b < Residue.CODES; b++) {
        table[(a << 5) | b] = std[row][uAsC && b == uCode ? STD_C : STD_OF_CODE[b]];
      }
    }
    return table;
  }

  private static final Map<String, int[][]> START = new ConcurrentHashMap<>();

  private static int[][] startMatrix(String matrix, int scalingFactor) {
    String key = Tables.canonical(matrix) + "/" + scalingFactor;
    return START.computeIfAbsent(key, k -> {
      double lambda = ungappedLambda(matrix, scalingFactor);
      double[][] ratios = Tables.ratios(matrix);
      int[][] m = new int[SIZE][SIZE];
      for (int i = 0; i < SIZE; i++) {
        for (int j = 0; j < SIZE; j++) {
          m[i][j] = ratios[i][j] == 0.0 ? SCORE_MIN : nint(Math.log(ratios[i][j]) / lambda);
        }
      }
      return m;
    });
  }

  /**
   * X scores from the unrounded scores: row letter vs X is the subject-weighted mean of the row over the
   * standard letters, X vs column letter the query-weighted mean of the column, both at most -1; X vs X is
   * the query-weighted mean of the row means (capped after summing); B, Z, J against X likewise; U and O
   * copy X's row and column here ({@link #adjustedTable} then gives U C's).
   */
  private static void setXuoScores(double[][] m, double[] rowProbs, double[] colProbs) {
    double xx = 0;
    for (int i = 0; i < SIZE; i++) {
      if (TRUE_INDEX[i] >= 0) {
        double rowMean = rowMean(m, i, colProbs);
        m[i][STD_X] = Math.min(rowMean, -1.0);
        xx += rowMean * rowProbs[i];
        m[STD_X][i] = Math.min(colMean(m, i, rowProbs), -1.0);
      }
    }
    m[STD_X][STD_X] = Math.min(xx, -1.0);
    for (int amb : new int[] {STD_B, STD_Z, STD_J}) {
      m[amb][STD_X] = Math.min(rowMean(m, amb, colProbs), -1.0);
      m[STD_X][amb] = Math.min(colMean(m, amb, rowProbs), -1.0);
    }
    for (int copy : new int[] {STD_U, STD_O}) {
      System.arraycopy(m[STD_X], 0, m[copy], 0, SIZE);
      for (int i = 0; i < SIZE; i++) {
        m[i][copy] = m[i][STD_X];
      }
    }
  }

  private static double rowMean(double[][] m, int row, double[] colProbs) {
    double sum = 0;
    for (int j : TRUE_POS) {
      sum += m[row][j] * colProbs[j];
    }
    return sum;
  }

  private static double colMean(double[][] m, int col, double[] rowProbs) {
    double sum = 0;
    for (int i : TRUE_POS) {
      sum += m[i][col] * rowProbs[i];
    }
    return sum;
  }

  /** Nearest integer, halves away from zero (BLAST's Nint). */
  static int nint(double x) {
    if (x < Integer.MIN_VALUE) {
      return Integer.MIN_VALUE;
    }
    return (int) (long) (x + (x >= 0 ? 0.5 : -0.5));
  }

  /**
   * BLAST's Karlin-Altschul lambda for a score distribution {@code probs[score - low]} over [low, high]:
   * -1 if the mean is not negative or the range is not valid; otherwise the safeguarded Newton iteration in
   * x = exp(-lambda) on the lattice of the scores' gcd, relative tolerance 1e-5, at most 20 evaluations.
   */
  static double karlinLambda(double[] probs, int low, int high, double avg, double lambda0) {
    if (avg >= 0 || low >= 0 || high <= 0 || low < Short.MIN_VALUE || high > Short.MAX_VALUE) {
      return -1.0;
    }
    int d = -low;
    for (int i = 1; i <= high - low && d > 1; i++) {
      if (probs[i] != 0.0) {
        d = gcd(d, i);
      }
    }
    final double tolerance = 1e-5;
    final int maxEvaluations = 20;
    final int maxNewton = 20 + 17;
    double x0 = Math.exp(-lambda0);
    double x = (0 < x0 && x0 < 1) ? x0 : 0.5;
    double a = 0;
    double b = 1;
    double f = 4;
    boolean newton = false;
    for (int k = 0; k < maxEvaluations; k++) {
      double fOld = f;
      boolean wasNewton = newton;
      newton = false;
      double g = 0;
      f = probs[0];
      for (int i = low + d; i < 0; i += d) {
        g = x * g + f;
        f = f * x + probs[i - low];
      }
      g = x * g + f;
      f = f * x + probs[-low] - 1;
      for (int i = d; i <= high; i += d) {
        g = x * g + f;
        f = f * x + probs[i - low];
      }
      if (f > 0) {
        a = x;
      } else if (f < 0) {
        b = x;
      } else {
        break;
      }
      if (b - a < 2 * a * (1 - b) * tolerance) {
        x = (a + b) / 2;
        break;
      }
      if (k >= maxNewton || (wasNewton && Math.abs(f) > .9 * Math.abs(fOld)) || g >= 0) {
        x = (a + b) / 2;
      } else {
        double p = -f / g;
        double y = x + p;
        if (y <= a || y >= b) {
          x = (a + b) / 2;
        } else {
          newton = true;
          x = y;
          if (Math.abs(p) < tolerance * x * (1 - x)) {
            break;
          }
        }
      }
    }
    return -Math.log(x) / d;
  }

  /** The greatest common divisor of a (at least 0) and |b|. */
  static int gcd(int a, int b) {
    b = Math.abs(b);
    if (b > a) {
      int c = a;
      a = b;
      b = c;
    }
    while (b != 0) {
      int c = a % b;
      a = b;
      b = c;
    }
    return a;
  }

  /** The numbers this class reads: frequency ratios, background frequencies, ideal lambdas. */
  private static final class Tables {
    static final double[] ROBINSON = readRobinson();
    private static final Map<String, double[][]> RATIOS = new ConcurrentHashMap<>();
    private static final Map<String, Double> IDEAL = new ConcurrentHashMap<>();

    static String canonical(String matrix) {
      String upper = matrix.toUpperCase(Locale.ROOT);
      if (!Arrays.asList(ScoringMatrix.PROTEIN).contains(upper)) {
        throw new IllegalArgumentException("no frequency ratios for matrix " + matrix + "; known: "
            + String.join(", ", ScoringMatrix.PROTEIN));
      }
      return upper;
    }

    static double[][] ratios(String matrix) {
      return RATIOS.computeIfAbsent(canonical(matrix), name -> {
        double[][] r = new double[SIZE][SIZE];
        boolean[] seen = new boolean[SIZE];
        for (String[] f : rows("freqratios/" + name.toLowerCase(Locale.ROOT) + ".tsv")) {
          int i = STDAA.indexOf(f[0].charAt(0));
          if (f[0].length() != 1 || i < 0 || f.length != SIZE + 1) {
            throw new IllegalStateException("bad frequency-ratio row for " + name + ": " + String.join(" ", f));
          }
          seen[i] = true;
          for (int j = 0; j < SIZE; j++) {
            r[i][j] = Double.parseDouble(f[j + 1]);
          }
        }
        for (boolean s : seen) {
          if (!s) {
            throw new IllegalStateException("frequency-ratio table for " + name + " is incomplete");
          }
        }
        return r;
      });
    }

    static double idealLambda(String matrix) {
      return IDEAL.computeIfAbsent(canonical(matrix), name -> {
        ScoringMatrix sm = ScoringMatrix.protein(name);
        int low = Integer.MAX_VALUE;
        int high = Integer.MIN_VALUE;
        for (int i : TRUE_POS) {
          for (int j : TRUE_POS) {
            int v = sm.score(STDAA.charAt(i) - 'A', STDAA.charAt(j) - 'A');
            low = Math.min(low, v);
            high = Math.max(high, v);
          }
        }
        double[] probs = new double[high - low + 1];
        for (int i : TRUE_POS) {
          for (int j : TRUE_POS) {
            int v = sm.score(STDAA.charAt(i) - 'A', STDAA.charAt(j) - 'A');
            probs[v - low] += ROBINSON[i] * ROBINSON[j];
          }
        }
        double sum = 0;
        int obsMin = Integer.MIN_VALUE;
        int obsMax = Integer.MIN_VALUE;
        for (int s = low; s <= high; s++) {
          if (probs[s - low] > 0) {
            sum += probs[s - low];
            obsMax = s;
            if (obsMin == Integer.MIN_VALUE) {
              obsMin = s;
            }
          }
        }
        double avg = 0;
        for (int s = obsMin; s <= obsMax; s++) {
          probs[s - low] /= sum;
          avg += s * probs[s - low];
        }
        double[] observed = Arrays.copyOfRange(probs, obsMin - low, obsMax - low + 1);
        double lambda = karlinLambda(observed, obsMin, obsMax, avg, 0.5);
        if (!(lambda > 0)) {
          throw new IllegalStateException("no ideal lambda for " + name);
        }
        return lambda;
      });
    }

    private static double[] readRobinson() {
      double[] p = new double[SIZE];
      for (String[] f : rows("freqratios/robinson.tsv")) {
        p[STDAA.indexOf(f[0].charAt(0))] = Double.parseDouble(f[1]);
      }
      double sum = 0;
      for (int i = 0; i < SIZE; i++) {
        sum += p[i];
      }
      for (int i = 0; i < SIZE; i++) {
        p[i] /= sum;
      }
      return p;
    }

    private static java.util.List<String[]> rows(String resource) {
      try (InputStream in = CompositionAdjustment.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("table missing from the jar: " + resource);
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        java.util.List<String[]> out = new java.util.ArrayList<>();
        for (String line; (line = r.readLine()) != null; ) {
          if (!line.isBlank() && !line.startsWith("#")) {
            out.add(line.split("\t"));
          }
        }
        return out;
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + resource, e);
      }
    }
  }
}
