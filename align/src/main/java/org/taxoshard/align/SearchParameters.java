package org.taxoshard.align;

import java.util.Locale;

/**
 * What a search does, with BLAST+'s defaults for blastp and for blastn ({@code -task blastn}).
 * Immutable to its users; the {@code with...} methods return a changed copy.
 *
 * <p>X-drop values and the gap trigger are given in bits, as BLAST's options are, and turned into
 * raw scores with the scoring system's lambda.
 */
public final class SearchParameters {
  /** The two programs. */
  public enum Program {
    BLASTP, BLASTN;

    public static Program parse(String name) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "blastp" -> BLASTP;
        case "blastn" -> BLASTN;
        default -> throw new IllegalArgumentException("unknown program " + name + " (blastp or blastn)");
      };
    }

    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Named settings of the seeds and the extension, as DIAMOND names its modes: {@code blast}
   * (the default) is BLAST's own algorithm, exactly; the others trade a little of its sensitivity
   * for speed, measured against blastp (see the README's search section).
   */
  public enum Sensitivity {
    /** blastp's own: words of 3 at threshold 11, two hits in 40, gap trigger 22 bits. */
    BLAST,
    /**
     * Spaced seeds of shape 1101 at threshold 12 (two hits in 40), gap trigger 24 bits, the
     * extension as BLAST's: about a third of the word hits of BLAST's words of 3 at 11, less
     * correlated in a homologous alignment, and a quarter of the gapped extensions.
     */
    FAST;

    public static Sensitivity parse(String name) {
      for (Sensitivity s : values()) {
        if (s.cliName().equals(name.toLowerCase(Locale.ROOT))) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown sensitivity " + name + " (" + names() + ")");
    }

    public String cliName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The names, joined by |, for usage lines. */
    public static String names() {
      StringBuilder b = new StringBuilder();
      for (Sensitivity s : values()) {
        b.append(b.length() > 0 ? "|" : "").append(s.cliName());
      }
      return b.toString();
    }
  }

  private Program program;
  private String matrix;
  private int reward;
  private int penalty;
  private int gapOpen;
  private int gapExtend;
  private double evalue;
  private int maxTargetSeqs;
  private boolean compositionBasedStats;
  private int wordSize;
  private int threshold;
  private int window;
  private double xdropUngappedBits;
  private double xdropGappedBits;
  private double xdropFinalBits;
  private double gapTriggerBits;
  private int maxQueryLength;
  private String seedShape;
  private Sensitivity sensitivity = Sensitivity.BLAST;
  private Seg seg;

  /** A copy, for the {@code with...} methods to change one field of; callers only ever see it finished. */
  private SearchParameters copy() {
    SearchParameters p = new SearchParameters(program, matrix, reward, penalty, gapOpen, gapExtend, evalue, maxTargetSeqs,
        compositionBasedStats, wordSize, threshold, window, xdropUngappedBits, xdropGappedBits, xdropFinalBits,
        gapTriggerBits, maxQueryLength, seedShape);
    p.sensitivity = sensitivity;
    p.seg = seg;
    return p;
  }

  private SearchParameters(Program program, String matrix, int reward, int penalty, int gapOpen, int gapExtend,
      double evalue, int maxTargetSeqs, boolean compositionBasedStats, int wordSize, int threshold, int window,
      double xdropUngappedBits, double xdropGappedBits, double xdropFinalBits, double gapTriggerBits,
      int maxQueryLength, String seedShape) {
    this.program = program;
    this.seedShape = seedShape;
    this.matrix = matrix;
    this.reward = reward;
    this.penalty = penalty;
    this.gapOpen = gapOpen;
    this.gapExtend = gapExtend;
    this.evalue = evalue;
    this.maxTargetSeqs = maxTargetSeqs;
    this.compositionBasedStats = compositionBasedStats;
    this.wordSize = wordSize;
    this.threshold = threshold;
    this.window = window;
    this.xdropUngappedBits = xdropUngappedBits;
    this.xdropGappedBits = xdropGappedBits;
    this.xdropFinalBits = xdropFinalBits;
    this.gapTriggerBits = gapTriggerBits;
    this.maxQueryLength = maxQueryLength;
  }

  /**
   * blastp's defaults: BLOSUM62, gaps 11/1, words of 3 with neighbourhood threshold 11, two hits
   * within 40 residues, X-drops 7/15/25 bits, gap trigger 22 bits, E 10, 500 targets,
   * composition-based statistics on (mode 1).
   */
  public static SearchParameters blastp() {
    return new SearchParameters(Program.BLASTP, "BLOSUM62", 0, 0, 11, 1, 10, 500, true, 3, 11, 40,
        7, 15, 25, 22, 1 << 20, null);
  }

  /**
   * blastn's defaults ({@code -task blastn}): reward 2, penalty -3, gaps 5/2, exact words of 11,
   * one hit, X-drops 20/30/100 bits, gap trigger 27 bits, E 10, 500 targets, both strands.
   */
  public static SearchParameters blastn() {
    return new SearchParameters(Program.BLASTN, null, 2, -3, 5, 2, 10, 500, false, 11, 0, 0,
        20, 30, 100, 27, 1 << 24, null);
  }

  /** The defaults of a program. */
  public static SearchParameters defaults(Program program) {
    return program == Program.BLASTP ? blastp() : blastn();
  }

  public SearchParameters withEvalue(double e) {
    if (!(e > 0)) {
      throw new IllegalArgumentException("E-value threshold must be positive, got " + e);
    }
    SearchParameters p = copy();
    p.evalue = e;
    return p;
  }


  public SearchParameters withMaxTargetSeqs(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("max target sequences must be at least 1, got " + k);
    }
    SearchParameters p = copy();
    p.maxTargetSeqs = k;
    return p;
  }


  /** Composition-based statistics (mode 1) on or off; proteins only. */
  public SearchParameters withCompositionBasedStats(boolean on) {
    SearchParameters p = copy();
    p.compositionBasedStats = on && program == Program.BLASTP;
    return p;
  }


  /** A protein matrix and gap costs; fails now if BLAST has no statistics for them. */
  public SearchParameters withScoring(String matrixName, int open, int extend) {
    KarlinAltschul.protein(matrixName, open, extend);
    SearchParameters p = copy();
    p.matrix = matrixName.toUpperCase(Locale.ROOT);
    p.gapOpen = open;
    p.gapExtend = extend;
    return p;
  }


  /** Nucleotide reward, penalty and gap costs; fails now if BLAST has no statistics for them. */
  public SearchParameters withNucleotideScoring(int newReward, int newPenalty, int open, int extend) {
    KarlinAltschul.nucleotide(newReward, newPenalty, open, extend);
    SearchParameters p = copy();
    p.reward = newReward;
    p.penalty = newPenalty;
    p.gapOpen = open;
    p.gapExtend = extend;
    return p;
  }


  /** Seeds: word size, neighbourhood threshold (proteins) and two-hit window (0: one hit). */
  public SearchParameters withSeeds(int newWordSize, int newThreshold, int newWindow) {
    SearchParameters p = copy();
    p.wordSize = newWordSize;
    p.threshold = newThreshold;
    p.window = newWindow;
    return p;
  }


  /**
   * A named setting of seeds and extension for proteins: {@link Sensitivity#BLAST} gives blastp's
   * own values, the others their measured ones. Later {@code with...} calls may change single
   * values again.
   */
  public SearchParameters withSensitivity(Sensitivity s) {
    if (program != Program.BLASTP && s != Sensitivity.BLAST) {
      throw new IllegalArgumentException("--sensitivity " + s.cliName() + " is for blastp; blastn runs as blastn does");
    }
    SearchParameters base = defaults(program);
    SearchParameters p = copy();
    p.sensitivity = s;
    p.wordSize = base.wordSize;
    p.threshold = base.threshold;
    p.window = base.window;
    p.seedShape = null;
    p.gapTriggerBits = base.gapTriggerBits;
    p.xdropUngappedBits = base.xdropUngappedBits;
    p.xdropGappedBits = base.xdropGappedBits;
    p.xdropFinalBits = base.xdropFinalBits;
    if (s == Sensitivity.FAST) {
      p.seedShape = "1101";
      p.threshold = 12;
      p.gapTriggerBits = 24;
    }
    return p;
  }

  public Sensitivity sensitivity() {
    return sensitivity;
  }

  /**
   * Spaced seeds for proteins ({@link SpacedLookup}): a shape of 1s (columns read) and 0s
   * (skipped), with the neighbourhood threshold of {@link #withSeeds}; null for BLAST's
   * contiguous words.
   */
  public SearchParameters withSeedShape(String shape) {
    if (shape != null) {
      if (program != Program.BLASTP) {
        throw new IllegalArgumentException("spaced seeds are for proteins");
      }
      SpacedLookup.offsets(shape);
    }
    SearchParameters p = copy();
    p.seedShape = shape;
    return p;
  }

  /** The ungapped score, in bits, an ungapped HSP needs to be extended with gaps (blastp 22, blastn 27). */
  public SearchParameters withGapTriggerBits(double bits) {
    if (!(bits > 0)) {
      throw new IllegalArgumentException("gap trigger must be positive, got " + bits);
    }
    SearchParameters p = copy();
    p.gapTriggerBits = bits;
    return p;
  }

  /** X-drop values in bits: ungapped, preliminary gapped, final gapped (blastp 7, 15, 25). */
  public SearchParameters withXdropBits(double ungapped, double gapped, double fin) {
    if (!(ungapped > 0 && gapped > 0 && fin > 0)) {
      throw new IllegalArgumentException("X-drop values must be positive, got " + ungapped + ", " + gapped + ", " + fin);
    }
    SearchParameters p = copy();
    p.xdropUngappedBits = ungapped;
    p.xdropGappedBits = gapped;
    p.xdropFinalBits = fin;
    return p;
  }


  /** The longest query accepted; longer queries are reported and skipped. */
  public SearchParameters withMaxQueryLength(int n) {
    SearchParameters p = copy();
    p.maxQueryLength = n;
    return p;
  }


  public Program program() {
    return program;
  }

  public boolean protein() {
    return program == Program.BLASTP;
  }

  public ScoringMatrix scoringMatrix() {
    return protein() ? ScoringMatrix.protein(matrix) : ScoringMatrix.nucleotide(reward, penalty);
  }

  public KarlinAltschul statistics() {
    return protein() ? KarlinAltschul.protein(matrix, gapOpen, gapExtend)
        : KarlinAltschul.nucleotide(reward, penalty, gapOpen, gapExtend);
  }

  public String matrix() {
    return matrix;
  }

  public int gapOpen() {
    return gapOpen;
  }

  public int gapExtend() {
    return gapExtend;
  }

  public double evalue() {
    return evalue;
  }

  public int maxTargetSeqs() {
    return maxTargetSeqs;
  }

  /**
   * How many subjects a query keeps before traceback, ranked by their preliminary (score-only)
   * alignments: BLAST's preliminary hit list size ({@code GetPrelimHitlistSize}), {@code
   * max_target_seqs} + 50 capped at twice it (at least 10) for plain statistics, 1,050 up to 500
   * targets and twice plus 50 beyond for composition-based statistics. Only these are traced back,
   * and the best {@link #maxTargetSeqs} of them by final E-value are reported, as blastp reports them.
   */
  public int prelimTargetSeqs() {
    long n = maxTargetSeqs;
    long prelim = compositionBasedStats ? (n <= 500 ? 1050 : 2 * n + 50) : Math.min(Math.max(2 * n, 10), n + 50);
    return (int) Math.min(prelim, Integer.MAX_VALUE);
  }

  public boolean compositionBasedStats() {
    return compositionBasedStats;
  }

  public int wordSize() {
    return wordSize;
  }

  public int threshold() {
    return threshold;
  }

  public int window() {
    return window;
  }

  public double xdropUngappedBits() {
    return xdropUngappedBits;
  }

  public double xdropGappedBits() {
    return xdropGappedBits;
  }

  public double xdropFinalBits() {
    return xdropFinalBits;
  }

  public double gapTriggerBits() {
    return gapTriggerBits;
  }

  public int maxQueryLength() {
    return maxQueryLength;
  }

  /**
   * blastp's {@code -seg}: the queries' low-complexity regions, as this SEG finds them, are masked
   * for the whole search (seeds and extensions score them as X), while identities and mismatches
   * are counted against the residues as given, as blastp counts them; null (the default, as
   * blastp's) masks nothing. Proteins only.
   */
  public SearchParameters withSeg(Seg filter) {
    if (filter != null && program != Program.BLASTP) {
      throw new IllegalArgumentException("SEG masking is for proteins (blastp)");
    }
    SearchParameters p = copy();
    p.seg = filter;
    return p;
  }

  /** The SEG that masks the queries ({@link #withSeg}), or null. */
  public Seg seg() {
    return seg;
  }

  /** The spaced seed's shape, or null for contiguous words. */
  public String seedShape() {
    return seedShape;
  }

  @Override
  public String toString() {
    return program.cliName() + " " + (protein() ? matrix : reward + "/" + penalty) + " gaps " + gapOpen + "/" + gapExtend
        + " evalue " + evalue + " max_target_seqs " + maxTargetSeqs + " comp_based_stats " + (compositionBasedStats ? 1 : 0)
        + (seedShape != null ? " seed " + seedShape : " word " + wordSize)
        + (protein() ? " threshold " + threshold + " window " + window : "")
        + (sensitivity != Sensitivity.BLAST ? " sensitivity " + sensitivity.cliName() : "")
        + (seg != null ? " seg " + seg.window() + " " + seg.locut() + " " + seg.hicut() : "");
  }
}
