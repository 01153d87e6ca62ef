package org.taxoshard.align;

import java.util.Locale;

/**
 * Karlin-Altschul statistics for one scoring system: lambda, K, H and the finite-size parameters,
 * from the tables NCBI BLAST ships (the numbers are BLAST's; only those pairs of matrix and gap
 * costs BLAST supports are accepted), and the E-value and bit score of a raw score.
 *
 * <p>E-values are always for the whole database: the caller passes its residues n and sequences
 * N ({@link DatabaseSize}), never those of the slice being searched, so a shard's E-values equal
 * the unsharded ones. Two formulas, as BLAST+ 2.12 uses them:
 * <ul>
 *   <li>protein matrices (Gumbel parameters known): Spouge's finite-size correction
 *       (BLAST_SpougeStoE), per subject, scaled to the database by n / subject length;</li>
 *   <li>nucleotide scoring: {@code E = (m - l)(n - N l) K exp(-lambda S)} with BLAST's length
 *       adjustment {@code l}, the fixed point of {@code l = beta + (alpha/lambda)(ln K + ln((m-l)(n-N l)))}
 *       ({@link #lengthAdjustment}); scores of 2/-3 style scoring are rounded down to even first.</li>
 * </ul>
 */
public final class KarlinAltschul {
  /** One row of BLAST's tables: the figures of one gap cost pair. */
  public record Parameters(double lambda, double k, double h, double alpha, double beta,
      double c, double alphaV, double sigma) {
    public double logK() {
      return Math.log(k);
    }
  }

  private static final double LN2 = Math.log(2);
  private static final double INF = Double.POSITIVE_INFINITY;

  private final String scoring;
  private final int gapOpen;
  private final int gapExtend;
  private final Parameters ungapped;
  private final Parameters gapped;
  /** Spouge's finite-size correction, derived from the gapped and ungapped rows; null for nucleotides. */
  private final double[] gumbel;
  private final boolean roundDown;

  private KarlinAltschul(String scoring, int gapOpen, int gapExtend, Parameters ungapped, Parameters gapped,
      boolean spouge, boolean roundDown) {
    this.scoring = scoring;
    this.gapOpen = gapOpen;
    this.gapExtend = gapExtend;
    this.ungapped = ungapped;
    this.gapped = gapped;
    this.roundDown = roundDown;
    if (spouge) {
      double g = gapOpen + gapExtend;
      double b = 2 * g * (ungapped.alpha() - gapped.alpha());
      double beta = 2 * g * (ungapped.alphaV() - gapped.alphaV());
      double tau = 2 * g * (ungapped.alphaV() - gapped.sigma());
      gumbel = new double[] {b, beta, tau};
    } else {
      gumbel = null;
    }
  }

  // Columns: gap open, gap extend, lambda, K, H, alpha, beta, C, alpha_v, sigma (BLAST's order
  // without its unused "decline to align" column). The first row is ungapped.
  private static final double[][] BLOSUM45 = {
      {INF, INF, 0.2291, 0.0924, 0.2514, 0.9113, -5.7, 0.641318, 9.611060, 9.611060},
      {13, 3, 0.207, 0.049, 0.14, 1.5, -22, 0.671128, 35.855900, 35.963900},
      {12, 3, 0.199, 0.039, 0.11, 1.8, -34, 0.691530, 45.693600, 45.851700},
      {11, 3, 0.190, 0.031, 0.095, 2.0, -38, 0.691181, 62.874100, 63.103700},
      {10, 3, 0.179, 0.023, 0.075, 2.4, -51, 0.710529, 88.286800, 88.639100},
      {16, 2, 0.210, 0.051, 0.14, 1.5, -24, 0.666680, 36.279800, 36.452400},
      {15, 2, 0.203, 0.041, 0.12, 1.7, -31, 0.673871, 44.825700, 45.060400},
      {14, 2, 0.195, 0.032, 0.10, 1.9, -36, 0.685753, 60.736200, 61.102300},
      {13, 2, 0.185, 0.024, 0.084, 2.2, -45, 0.698480, 85.148100, 85.689400},
      {12, 2, 0.171, 0.016, 0.061, 2.8, -65, 0.713429, 127.758000, 128.582000},
      {19, 1, 0.205, 0.040, 0.11, 1.9, -43, 0.672302, 53.071400, 53.828200},
      {18, 1, 0.198, 0.032, 0.10, 2.0, -43, 0.682580, 72.342400, 73.403900},
      {17, 1, 0.189, 0.024, 0.079, 2.4, -57, 0.695035, 103.055000, 104.721000},
      {16, 1, 0.176, 0.016, 0.063, 2.8, -67, 0.712966, 170.100000, 173.003000}};
  private static final double[][] BLOSUM50 = {
      {INF, INF, 0.2318, 0.112, 0.3362, 0.6895, -4.0, 0.609639, 5.388310, 5.388310},
      {13, 3, 0.212, 0.063, 0.19, 1.1, -16, 0.639287, 18.113800, 18.202800},
      {12, 3, 0.206, 0.055, 0.17, 1.2, -18, 0.644715, 22.654600, 22.777700},
      {11, 3, 0.197, 0.042, 0.14, 1.4, -25, 0.656327, 29.861100, 30.045700},
      {10, 3, 0.186, 0.031, 0.11, 1.7, -34, 0.671150, 42.393800, 42.674000},
      {9, 3, 0.172, 0.022, 0.082, 2.1, -48, 0.694326, 66.069600, 66.516400},
      {16, 2, 0.215, 0.066, 0.20, 1.05, -15, 0.633899, 17.951800, 18.092100},
      {15, 2, 0.210, 0.058, 0.17, 1.2, -20, 0.641985, 21.940100, 22.141800},
      {14, 2, 0.202, 0.045, 0.14, 1.4, -27, 0.650682, 28.681200, 28.961900},
      {13, 2, 0.193, 0.035, 0.12, 1.6, -32, 0.660984, 42.059500, 42.471600},
      {12, 2, 0.181, 0.025, 0.095, 1.9, -41, 0.678090, 63.747600, 64.397300},
      {19, 1, 0.212, 0.057, 0.18, 1.2, -21, 0.635714, 26.311200, 26.923300},
      {18, 1, 0.207, 0.050, 0.15, 1.4, -28, 0.643523, 34.903700, 35.734800},
      {17, 1, 0.198, 0.037, 0.12, 1.6, -33, 0.654504, 48.895800, 50.148600},
      {16, 1, 0.186, 0.025, 0.10, 1.9, -42, 0.667750, 76.469100, 78.443000},
      {15, 1, 0.171, 0.015, 0.063, 2.7, -76, 0.694575, 140.053000, 144.160000}};
  private static final double[][] BLOSUM62 = {
      {INF, INF, 0.3176, 0.134, 0.4012, 0.7916, -3.2, 0.623757, 4.964660, 4.964660},
      {11, 2, 0.297, 0.082, 0.27, 1.1, -10, 0.641766, 12.673800, 12.757600},
      {10, 2, 0.291, 0.075, 0.23, 1.3, -15, 0.649362, 16.474000, 16.602600},
      {9, 2, 0.279, 0.058, 0.19, 1.5, -19, 0.659245, 22.751900, 22.950000},
      {8, 2, 0.264, 0.045, 0.15, 1.8, -26, 0.672692, 35.483800, 35.821300},
      {7, 2, 0.239, 0.027, 0.10, 2.5, -46, 0.702056, 61.238300, 61.886000},
      {6, 2, 0.201, 0.012, 0.061, 3.3, -58, 0.740802, 140.417000, 141.882000},
      {13, 1, 0.292, 0.071, 0.23, 1.2, -11, 0.647715, 19.506300, 19.893100},
      {12, 1, 0.283, 0.059, 0.19, 1.5, -19, 0.656391, 27.856200, 28.469900},
      {11, 1, 0.267, 0.041, 0.14, 1.9, -30, 0.669720, 42.602800, 43.636200},
      {10, 1, 0.243, 0.024, 0.10, 2.5, -44, 0.693267, 83.178700, 85.065600},
      {9, 1, 0.206, 0.010, 0.052, 4.0, -87, 0.731887, 210.333000, 214.842000}};
  private static final double[][] BLOSUM80 = {
      {INF, INF, 0.3430, 0.177, 0.6568, 0.5222, -1.6, 0.564057, 1.918130, 1.918130},
      {25, 2, 0.342, 0.17, 0.66, 0.52, -1.6, 0.563956, 1.731000, 1.731300},
      {13, 2, 0.336, 0.15, 0.57, 0.59, -3, 0.570979, 2.673470, 2.692300},
      {9, 2, 0.319, 0.11, 0.42, 0.76, -6, 0.587837, 5.576090, 5.667860},
      {8, 2, 0.308, 0.090, 0.35, 0.89, -9, 0.597556, 7.536950, 7.686230},
      {7, 2, 0.293, 0.070, 0.27, 1.1, -14, 0.615254, 11.586600, 11.840400},
      {6, 2, 0.268, 0.045, 0.19, 1.4, -19, 0.644054, 19.958100, 20.441200},
      {11, 1, 0.314, 0.095, 0.35, 0.90, -9, 0.590702, 8.808610, 9.223320},
      {10, 1, 0.299, 0.071, 0.27, 1.1, -14, 0.609620, 13.833800, 14.533400},
      {9, 1, 0.279, 0.048, 0.20, 1.4, -19, 0.623800, 24.252000, 25.490400}};
  private static final double[][] BLOSUM90 = {
      {INF, INF, 0.3346, 0.190, 0.7547, 0.4434, -1.4, 0.544178, 1.377760, 1.377760},
      {9, 2, 0.310, 0.12, 0.46, 0.67, -6, 0.570267, 4.232290, 4.334170},
      {8, 2, 0.300, 0.099, 0.39, 0.76, -7, 0.581580, 5.797020, 5.961420},
      {7, 2, 0.283, 0.072, 0.30, 0.93, -11, 0.600024, 9.040880, 9.321600},
      {6, 2, 0.259, 0.048, 0.22, 1.2, -16, 0.629344, 16.024400, 16.531600},
      {11, 1, 0.302, 0.093, 0.39, 0.78, -8, 0.576919, 7.143250, 7.619190},
      {10, 1, 0.290, 0.075, 0.28, 1.04, -15, 0.591366, 11.483900, 12.269800},
      {9, 1, 0.265, 0.044, 0.20, 1.3, -19, 0.613013, 21.408300, 22.840900}};
  private static final double[][] PAM30 = {
      {INF, INF, 0.3400, 0.283, 1.754, 0.1938, -0.3, 0.436164, 0.161818, 0.161818},
      {7, 2, 0.305, 0.15, 0.87, 0.35, -3, 0.479087, 1.014010, 1.162730},
      {6, 2, 0.287, 0.11, 0.68, 0.42, -4, 0.499980, 1.688060, 1.951430},
      {5, 2, 0.264, 0.079, 0.45, 0.59, -7, 0.533009, 3.377010, 3.871950},
      {10, 1, 0.309, 0.15, 0.88, 0.35, -3, 0.474741, 1.372050, 1.788770},
      {9, 1, 0.294, 0.11, 0.61, 0.48, -6, 0.492716, 2.463920, 3.186150},
      {8, 1, 0.270, 0.072, 0.40, 0.68, -10, 0.521286, 5.368130, 6.763480}};
  private static final double[][] PAM70 = {
      {INF, INF, 0.3345, 0.229, 1.029, 0.3250, -0.7, 0.511296, 0.633439, 0.633439},
      {8, 2, 0.301, 0.12, 0.54, 0.56, -5, 0.549019, 2.881650, 3.025710},
      {7, 2, 0.286, 0.093, 0.43, 0.67, -7, 0.565659, 4.534540, 4.785780},
      {6, 2, 0.264, 0.064, 0.29, 0.90, -12, 0.596330, 7.942630, 8.402720},
      {11, 1, 0.305, 0.12, 0.52, 0.59, -6, 0.543514, 3.681400, 4.108020},
      {10, 1, 0.291, 0.091, 0.41, 0.71, -9, 0.560723, 6.002970, 6.716570},
      {9, 1, 0.270, 0.060, 0.28, 0.97, -14, 0.585186, 11.360800, 12.636700}};
  private static final double[][] PAM250 = {
      {INF, INF, 0.2252, 0.0868, 0.2223, 0.98, -5.0, 0.660059, 11.754300, 11.754300},
      {15, 3, 0.205, 0.049, 0.13, 1.6, -23, 0.687656, 34.578400, 34.928000},
      {14, 3, 0.200, 0.043, 0.12, 1.7, -26, 0.689768, 43.353000, 43.443800},
      {13, 3, 0.194, 0.036, 0.10, 1.9, -31, 0.697431, 50.948500, 51.081700},
      {12, 3, 0.186, 0.029, 0.085, 2.2, -41, 0.704565, 69.606500, 69.793600},
      {11, 3, 0.174, 0.020, 0.070, 2.5, -48, 0.722438, 98.653500, 98.927100},
      {17, 2, 0.204, 0.047, 0.12, 1.7, -28, 0.684799, 41.583800, 41.735800},
      {16, 2, 0.198, 0.038, 0.11, 1.8, -29, 0.691098, 51.635200, 51.843900},
      {15, 2, 0.191, 0.031, 0.087, 2.2, -44, 0.699051, 67.256700, 67.558500},
      {14, 2, 0.182, 0.024, 0.073, 2.5, -53, 0.714103, 96.315100, 96.756800},
      {13, 2, 0.171, 0.017, 0.059, 2.9, -64, 0.728738, 135.653000, 136.339000},
      {21, 1, 0.205, 0.045, 0.11, 1.8, -34, 0.683265, 48.728200, 49.218800},
      {20, 1, 0.199, 0.037, 0.10, 1.9, -35, 0.689380, 60.832000, 61.514100},
      {19, 1, 0.192, 0.029, 0.083, 2.3, -52, 0.696344, 84.019700, 84.985600},
      {18, 1, 0.183, 0.021, 0.070, 2.6, -60, 0.710525, 113.829000, 115.184000},
      {17, 1, 0.171, 0.014, 0.052, 3.3, -86, 0.727000, 175.071000, 177.196000}};

  // Nucleotide rows: gap open, gap extend, lambda, K, H, alpha, beta (0/0 gap costs: linear
  // gaps as megablast's greedy extension uses them). The ungapped figures are the 0/0 row's.
  private static final double[][] NUCL_1_2 = {
      {0, 0, 1.28, 0.46, 0.85, 1.5, -2}, {2, 2, 1.33, 0.62, 1.1, 1.2, 0}, {1, 2, 1.30, 0.52, 0.93, 1.4, -2},
      {0, 2, 1.19, 0.34, 0.66, 1.8, -3}, {3, 1, 1.32, 0.57, 1.0, 1.3, -1}, {2, 1, 1.29, 0.49, 0.92, 1.4, -1},
      {1, 1, 1.14, 0.26, 0.52, 2.2, -5}};
  private static final double[][] NUCL_2_3 = {
      {0, 0, 0.55, 0.21, 0.46, 1.2, -5}, {4, 4, 0.63, 0.42, 0.84, 0.75, -2}, {2, 4, 0.615, 0.37, 0.72, 0.85, -3},
      {0, 4, 0.55, 0.21, 0.46, 1.2, -5}, {3, 3, 0.615, 0.37, 0.68, 0.9, -3}, {6, 2, 0.63, 0.42, 0.84, 0.75, -2},
      {5, 2, 0.625, 0.41, 0.78, 0.8, -2}, {4, 2, 0.61, 0.35, 0.68, 0.9, -3}, {2, 2, 0.515, 0.14, 0.33, 1.55, -9}};
  /**
   * The statistics of a protein matrix with affine gaps (a gap of length k costs open + k * extend).
   *
   * @throws IllegalArgumentException when BLAST has no figures for that matrix and gap costs
   */
  public static KarlinAltschul protein(String matrix, int gapOpen, int gapExtend) {
    String name = matrix.toUpperCase(Locale.ROOT);
    double[][] table = switch (name) {
      case "BLOSUM45" -> BLOSUM45;
      case "BLOSUM50" -> BLOSUM50;
      case "BLOSUM62" -> BLOSUM62;
      case "BLOSUM80" -> BLOSUM80;
      case "BLOSUM90" -> BLOSUM90;
      case "PAM30" -> PAM30;
      case "PAM70" -> PAM70;
      case "PAM250" -> PAM250;
      default -> throw new IllegalArgumentException("no statistics for matrix " + matrix);
    };
    Parameters ungapped = row(table[0]);
    StringBuilder supported = new StringBuilder();
    for (int i = 1; i < table.length; i++) {
      if (table[i][0] == gapOpen && table[i][1] == gapExtend) {
        return new KarlinAltschul(name, gapOpen, gapExtend, ungapped, row(table[i]), true, false);
      }
      supported.append(supported.length() == 0 ? "" : ", ").append((int) table[i][0]).append('/').append((int) table[i][1]);
    }
    throw new IllegalArgumentException(name + " with gap costs " + gapOpen + "/" + gapExtend
        + " has no Karlin-Altschul figures; supported open/extend: " + supported);
  }

  /**
   * The statistics of nucleotide match/mismatch scoring with affine gaps. Gap costs 0/0 stand for
   * megablast's linear gaps.
   *
   * @throws IllegalArgumentException when BLAST has no figures for that scoring
   */
  public static KarlinAltschul nucleotide(int reward, int penalty, int gapOpen, int gapExtend) {
    int r = reward;
    int p = -penalty;
    double[][] table;
    boolean roundDown = false;
    if (r == 1 && p == 2) {
      table = NUCL_1_2;
    } else if (r == 2 && p == 3) {
      table = NUCL_2_3;
      roundDown = true;
    } else {
      throw new IllegalArgumentException("no statistics for reward/penalty " + reward + "/" + penalty
          + "; supported: 1/-2 (megablast), 2/-3 (blastn)");
    }
    Parameters ungapped = null;
    for (double[] row : table) {
      if (row[0] == 0 && row[1] == 0) {
        ungapped = row(row);
      }
    }
    for (double[] row : table) {
      if (row[0] == gapOpen && row[1] == gapExtend) {
        Parameters g = row(row);
        return new KarlinAltschul("reward " + reward + " penalty " + penalty, gapOpen, gapExtend,
            ungapped != null ? ungapped : g, g, false, roundDown);
      }
    }
    throw new IllegalArgumentException("reward/penalty " + reward + "/" + penalty + " with gap costs "
        + gapOpen + "/" + gapExtend + " has no Karlin-Altschul figures");
  }

  private static Parameters row(double[] r) {
    return r.length > 7
        ? new Parameters(r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9])
        : new Parameters(r[2], r[3], r[4], r[5], r[6], 0, 0, 0);
  }

  public Parameters ungapped() {
    return ungapped;
  }

  public Parameters gapped() {
    return gapped;
  }

  public int gapOpen() {
    return gapOpen;
  }

  public int gapExtend() {
    return gapExtend;
  }

  /** True when E-values use Spouge's finite-size correction (protein matrices). */
  public boolean finiteSizeCorrected() {
    return gumbel != null;
  }

  /** The score E-values and bit scores are computed from: odd scores rounded down where BLAST does. */
  int statisticalScore(int raw) {
    return roundDown ? raw & ~1 : raw;
  }

  /** Bit score of a raw gapped score: {@code (lambda S - ln K) / ln 2}. */
  public double bitScore(int raw) {
    return (gapped.lambda() * statisticalScore(raw) - gapped.logK()) / LN2;
  }

  /**
   * The E-value of a gapped raw score of a query against one subject, for the whole database.
   *
   * @param raw the alignment's raw score
   * @param queryLength residues in the query
   * @param subjectLength residues in the subject
   * @param db the whole database's size, whatever slice of it is being searched
   */
  public double evalue(int raw, int queryLength, int subjectLength, DatabaseSize db) {
    return forQuery(queryLength, db).evalue(raw, 1, subjectLength);
  }

  /**
   * The E-values of one query against the whole database, with what depends only on the query
   * (the length-adjusted search space for nucleotides) worked out once.
   */
  public QueryEvalues forQuery(int queryLength, DatabaseSize db) {
    return new QueryEvalues(queryLength, db, gumbel == null ? searchSpace(queryLength, db) : 0);
  }

  /** E-values of one query, from {@link #forQuery}. Immutable. */
  public final class QueryEvalues {
    private final int queryLength;
    private final DatabaseSize db;
    private final double searchSpace;

    private QueryEvalues(int queryLength, DatabaseSize db, double searchSpace) {
      this.queryLength = queryLength;
      this.db = db;
      this.searchSpace = searchSpace;
    }

    /**
     * The E-value of a raw score in units scaled by {@code scale} (composition-based statistics
     * align in units of 1/32: lambda is divided by the scale, K is not) against a subject of
     * {@code subjectLength} residues.
     */
    public double evalue(int raw, int scale, int subjectLength) {
      int s = statisticalScore(raw);
      double lambda = gapped.lambda() / scale;
      if (gumbel == null) {
        return searchSpace * gapped.k() * Math.exp(-lambda * s);
      }
      return spouge(s, lambda, queryLength, subjectLength, db.residues());
    }
  }

  /**
   * Spouge's finite-size corrected E-value (Park, Sheetlin, Ma, Mott and Spouge 2012), as BLAST
   * computes it for one query-subject pair and scales to the database by {@code dbResidues / n}.
   */
  private double spouge(int y, double lambda, int m, int n, long dbResidues) {
    double scale = lambda / gapped.lambda();
    double ai = gapped.alpha() * scale;
    double bi = gumbel[0];
    double alphai = gapped.alphaV() * scale;
    double betai = gumbel[1];
    double sigma = gapped.sigma() * scale;
    double tau = gumbel[2];
    double dbScale = (double) dbResidues / n;

    double mLy = m - (ai * y + bi);
    double vi = Math.max(2.0 * alphai / lambda, alphai * y + betai);
    double sqrtVi = Math.sqrt(vi);
    double mF = mLy / sqrtVi;
    double pmF = Erf.normalCdf(mF);
    double p1 = mLy * pmF + sqrtVi * INV_SQRT_2PI * Math.exp(-0.5 * mF * mF);

    double nLy = n - (ai * y + bi);
    double vj = Math.max(2.0 * alphai / lambda, alphai * y + betai);
    double sqrtVj = Math.sqrt(vj);
    double nF = nLy / sqrtVj;
    double pnF = Erf.normalCdf(nF);
    double p2 = nLy * pnF + sqrtVj * INV_SQRT_2PI * Math.exp(-0.5 * nF * nF);

    double cy = Math.max(2.0 * sigma / lambda, sigma * y + tau);
    double area = p1 * p2 + cy * pmF * pnF;
    return area * gapped.k() * Math.exp(-lambda * y) * dbScale;
  }

  private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2 * Math.PI);

  /** The effective search space {@code (m - l)(n - N l)}, each factor at least 1. */
  public double searchSpace(int queryLength, DatabaseSize db) {
    int l = lengthAdjustment(queryLength, db);
    double m = Math.max(1, queryLength - l);
    double n = Math.max(1, db.residues() - (double) db.sequences() * l);
    return m * n;
  }

  /** BLAST's length adjustment for this scoring (gapped alpha and beta). */
  public int lengthAdjustment(int queryLength, DatabaseSize db) {
    return lengthAdjustment(gapped.k(), gapped.alpha() / gapped.lambda(), gapped.beta(), queryLength,
        db.residues(), db.sequences());
  }

  /**
   * The length adjustment {@code l}: the largest integer not above the fixed point of
   * {@code l = beta + (alpha/lambda)(ln K + ln((m - l)(n - N l)))}, found as BLAST finds it
   * (bracketing iteration, at most 20 steps, then the ceiling checked). 0 when the search space is
   * too small for the formula ({@code K (m)(n) <= max(m, n)}).
   */
  public static int lengthAdjustment(double k, double alphaOverLambda, double beta, int queryLength,
      long dbResidues, long dbSequences) {
    double m = queryLength;
    double n = dbResidues;
    double bigN = dbSequences;
    double logK = Math.log(k);
    // The largest l with K (m - l)(n - N l) > max(m, n): the root of a quadratic.
    double a = bigN;
    double mb = m * bigN + n;
    double c = n * m - Math.max(m, n) / k;
    if (c < 0) {
      return 0;
    }
    double lMax = 2 * c / (mb + Math.sqrt(mb * mb - 4 * a * c));
    double lMin = 0;
    double next = 0;
    boolean converged = false;
    for (int i = 1; i <= 20; i++) {
      double l = next;
      double proposed = alphaOverLambda * (logK + Math.log((m - l) * (n - bigN * l))) + beta;
      if (proposed >= l) {
        lMin = l;
        if (proposed - lMin <= 1.0) {
          converged = true;
          break;
        }
        if (lMin == lMax) {
          break;
        }
      } else {
        lMax = l;
      }
      if (lMin <= proposed && proposed <= lMax) {
        next = proposed;
      } else {
        next = i == 1 ? lMax : (lMin + lMax) / 2;
      }
    }
    int result = (int) lMin;
    if (converged) {
      double up = Math.ceil(lMin);
      if (up <= lMax && alphaOverLambda * (logK + Math.log((m - up) * (n - bigN * up))) + beta >= up) {
        result = (int) up;
      }
    }
    return result;
  }

  @Override
  public String toString() {
    return scoring + " gaps " + gapOpen + "/" + gapExtend + " (lambda " + gapped.lambda() + ", K " + gapped.k() + ")";
  }
}
