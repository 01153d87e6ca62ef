package org.taxoshard.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link CompositionAdjustment} against BLAST+ 2.12 itself: BLAST's own mode-1 alignments
 * ({@code -comp_based_stats 1}), rescored with the adjusted table and blastp's scaled gap costs, must give
 * BLAST's raw score, bit score and E-value; the same alignments of mode 0 rescored with plain BLOSUM62
 * check the scorer. The proteins are read by position from ../shared/data/proteomes, and blastp and
 * segmasker run during the test (it skips with a message without any of them): nothing BLAST printed
 * is kept in the project.
 */
class CompositionAdjustmentTest {

  private static final String MATRIX = "BLOSUM62";
  private static final int SCALE = 32;
  /** blastp defaults 11/1; the statistics (bit scores, Spouge E-values) are the kernel's own. */
  private static final int GAP_OPEN = 11;
  private static final int GAP_EXTEND = 1;
  private static final KarlinAltschul STATS = KarlinAltschul.protein(MATRIX, GAP_OPEN, GAP_EXTEND);

  /**
   * The pairs blastp aligns (query, subject), each in both modes: Plasmodium against cyanobacteria
   * both ways round, an ortholog, a protein against itself (not SEG-masked: BLAST skips SEG for nearly
   * identical pairs) and a pair with a weak second HSP.
   */
  private static final String[][] PAIRS = {
      {"P.falciparum_5187", "Synechocystis_653"}, {"Synechocystis_653", "P.falciparum_5187"},
      {"P.falciparum_3760", "Synechocystis_3147"}, {"P.falciparum_5187", "P.berghei_4200"},
      {"P.falciparum_5187", "P.falciparum_5187"}, {"P.falciparum_144", "Synechocystis_383"}};

  /** The SEG masks BLAST applies to each subject in the mode-1 traceback: segmasker's, run now. */
  private static Map<String, int[]> SEG;

  /** One alignment blastp printed; path holds a letter per column: M residues, Q a query gap, S a subject gap. */
  private record Hit(int cbs, String query, String subject, int qstart, int sstart, String path,
      int score, double bits, double evalue) {}

  /** What blastp printed for {@link #PAIRS}, mode 1 then mode 0 for each. */
  private static List<Hit> HITS;
  /** The pairs' proteins, read from the shared proteomes (skipped without them). */
  private static Map<String, String> PROTEINS;

  @BeforeAll
  static void runBlast() throws Exception {
    java.util.Set<String> ids = new java.util.TreeSet<>();
    for (String[] pair : PAIRS) {
      ids.addAll(List.of(pair));
    }
    PROTEINS = RealData.proteins(ids);
    RealData.requireTool("blastp", "-version");
    Map<String, String> subjects = new LinkedHashMap<>();
    for (String[] pair : PAIRS) {
      subjects.put(pair[1], PROTEINS.get(pair[1]));
    }
    SEG = RealData.segmasker(subjects);
    HITS = new ArrayList<>();
    File dir = Files.createTempDirectory("cbs").toFile();
    try {
      for (String[] pair : PAIRS) {
        RealData.write(new File(dir, "q.fa"), List.of(new RealData.Record(pair[0], pair[0], PROTEINS.get(pair[0]))));
        RealData.write(new File(dir, "s.fa"), List.of(new RealData.Record(pair[1], pair[1], PROTEINS.get(pair[1]))));
        for (int cbs : new int[] {1, 0}) {
          RealData.run(dir, "blastp", "-query", "q.fa", "-subject", "s.fa", "-comp_based_stats", Integer.toString(cbs),
              "-outfmt", "5", "-out", "out.xml");
          HITS.addAll(blastXml(cbs, pair[0], pair[1], Files.readString(new File(dir, "out.xml").toPath())));
        }
      }
    } finally {
      for (File f : dir.listFiles()) {
        f.delete();
      }
      dir.delete();
    }
  }

  @Test
  void mode1AlignmentsRescoreToBlastScoreBitsAndEvalue() {
    int checked = 0;
    for (Hit h : HITS) {
      if (h.cbs() != 1) {
        continue;
      }
      String query = PROTEINS.get(h.query());
      String subject = maskedSubject(h);
      CompositionAdjustment.Composition cq = composition(query);
      CompositionAdjustment.Composition cs = composition(subject);
      double ratio = CompositionAdjustment.lambdaRatio(MATRIX, cq, cs);
      assertTrue(ratio >= 0.5 && ratio <= 1.0, "ratio " + ratio + " outside BLAST's clamps");
      int[] table = CompositionAdjustment.adjustedTable(MATRIX, ratio, SCALE, cq, cs);

      long scaled = alignmentScore(h, query, subject, table, GAP_OPEN * SCALE, GAP_EXTEND * SCALE);
      int raw = (int) Math.round(scaled / (double) SCALE);
      String what = h + " lambdaRatio " + ratio + " scaled score " + scaled;
      assertEquals(h.score(), raw, what);
      assertEquals(h.bits(), bits(raw), 6e-4 * Math.max(1, h.bits() / 100), what);
      // The production E-value: the scaled score with lambda / 32; one subject is the whole database.
      double e = STATS.forQuery(query.length(), new DatabaseSize(subject.length(), 1))
          .evalue((int) scaled, SCALE, subject.length());
      assertEquals(h.evalue(), e, 2e-3 * h.evalue(), what);
      checked++;
    }
    assertEquals(9, checked);
  }

  @Test
  void mode0AlignmentsRescoreWithPlainBlosum62() {
    int[] plain = ScoringMatrix.protein(MATRIX).table();
    int checked = 0;
    for (Hit h : HITS) {
      if (h.cbs() != 0) {
        continue;
      }
      String query = PROTEINS.get(h.query());
      String subject = PROTEINS.get(h.subject());
      long raw = alignmentScore(h, query, subject, plain, GAP_OPEN, GAP_EXTEND);
      assertEquals(h.score(), raw, h.toString());
      assertEquals(h.bits(), bits((int) raw), 6e-4 * Math.max(1, h.bits() / 100), h.toString());
      if (h.evalue() > 0) {
        assertEquals(h.evalue(), STATS.evalue((int) raw, query.length(), subject.length(),
            new DatabaseSize(subject.length(), 1)),
            2e-3 * h.evalue(), h.toString());
      }
      checked++;
    }
    assertEquals(12, checked);
  }

  /** The adjustment is what makes the numbers match: with ratio 1, or with mode 0's table, they do not. */
  @Test
  void adjustmentIsNeededToReproduceBlast() {
    Hit self = find(1, "P.falciparum_5187", "P.falciparum_5187", 1182);
    String q = PROTEINS.get("P.falciparum_5187");
    CompositionAdjustment.Composition c = composition(q);
    double ratio = CompositionAdjustment.lambdaRatio(MATRIX, c, c);
    assertTrue(ratio > 0.5 && ratio < 0.6, "a N/K-rich protein against itself is far flatter: " + ratio);
    long adjusted = alignmentScore(self, q, q, CompositionAdjustment.adjustedTable(MATRIX, ratio, SCALE, c, c),
        GAP_OPEN * SCALE, GAP_EXTEND * SCALE);
    long unadjusted = alignmentScore(self, q, q, CompositionAdjustment.adjustedTable(MATRIX, 1.0, SCALE, c, c),
        GAP_OPEN * SCALE, GAP_EXTEND * SCALE);
    assertEquals(1182, Math.round(adjusted / (double) SCALE));
    assertNotEquals(1182, Math.round(unadjusted / (double) SCALE));

    // and the subject's SEG mask matters: without it, P.falciparum_5187 vs P.berghei_4200 does not reproduce 331
    Hit ortholog = find(1, "P.falciparum_5187", "P.berghei_4200", 331);
    String unmasked = PROTEINS.get("P.berghei_4200");
    CompositionAdjustment.Composition cu = composition(unmasked);
    double r = CompositionAdjustment.lambdaRatio(MATRIX, c, cu);
    long s = alignmentScore(ortholog, q, unmasked, CompositionAdjustment.adjustedTable(MATRIX, r, SCALE, c, cu),
        GAP_OPEN * SCALE, GAP_EXTEND * SCALE);
    assertNotEquals(331, Math.round(s / (double) SCALE));
  }

  @Test
  void compositionCountsOnlyTheTwentyStandardLetters() {
    // U (selenocysteine) counts as C, as BLAST counts it (BlastAgreementTest.everyLetterPairScoresAsBlastpScoresIt)
    byte[] codes = Residue.encode("AACXBZUOJ*-?w");
    CompositionAdjustment.Composition c = CompositionAdjustment.composition(codes, 0, codes.length);
    assertEquals(5, c.counted());
    double[] p = c.probabilities();
    assertEquals(0.4, p[CompositionAdjustment.TRUE_AA.indexOf('A')]);
    assertEquals(0.4, p[CompositionAdjustment.TRUE_AA.indexOf('C')]);
    assertEquals(0.2, p[CompositionAdjustment.TRUE_AA.indexOf('W')]);
    CompositionAdjustment.Composition part = CompositionAdjustment.composition(codes, 2, 9);
    assertEquals(2, part.counted());
    byte[] none = Residue.encode("XXBZOJ*");
    assertTrue(CompositionAdjustment.composition(none, 0, none.length).isEmpty());
  }

  @Test
  void lambdaRatioStaysWithinBlastClamps() {
    CompositionAdjustment.Composition bg = CompositionAdjustment.background();
    for (String m : ScoringMatrix.PROTEIN) {
      double r = CompositionAdjustment.lambdaRatio(m, bg, bg);
      assertTrue(r >= 0.5 && r <= 1.0, m + " " + r);
    }
    // expected score positive: no lambda, BLAST falls back to the lower bound
    CompositionAdjustment.Composition w = composition("WWWWWWWWWW");
    assertEquals(0.5, CompositionAdjustment.lambdaRatio(MATRIX, w, w));
    // a pair whose own lambda exceeds the ideal one is kept at 1 (Plasmodium vs cyanobacterium, measured above)
    CompositionAdjustment.Composition pf = composition(PROTEINS.get("P.falciparum_5187"));
    CompositionAdjustment.Composition syn = composition(PROTEINS.get("Synechocystis_653"));
    assertEquals(1.0, CompositionAdjustment.lambdaRatio(MATRIX, pf, syn));
    // nothing countable: BLAST neither adjusts nor realigns
    assertTrue(Double.isNaN(CompositionAdjustment.lambdaRatio(MATRIX, pf, composition("XXXX"))));
  }

  /** Equal compositions: the table is symmetric over the standard letters and X is symmetric too. */
  @Test
  void equalCompositionsGiveSymmetricTable() {
    CompositionAdjustment.Composition c = composition(PROTEINS.get("P.falciparum_5187"));
    double ratio = CompositionAdjustment.lambdaRatio(MATRIX, c, c);
    int[] t = CompositionAdjustment.adjustedTable(MATRIX, ratio, SCALE, c, c);
    String letters = "ACDEFGHIKLMNPQRSTVWYBZXJ";
    for (char a : letters.toCharArray()) {
      for (char b : letters.toCharArray()) {
        assertEquals(t[(code(a) << 5) | code(b)], t[(code(b) << 5) | code(a)], a + "/" + b);
      }
    }
    // ratio 1 and the standard letters: the start matrix itself
    int[] one = CompositionAdjustment.adjustedTable(MATRIX, 1.0, SCALE, c, c);
    int[] start = CompositionAdjustment.startTable(MATRIX, SCALE);
    for (char a : "ACDEFGHIKLMNPQRSTVWY".toCharArray()) {
      for (char b : "ACDEFGHIKLMNPQRSTVWY*".toCharArray()) {
        assertEquals(start[(code(a) << 5) | code(b)], one[(code(a) << 5) | code(b)], a + "/" + b);
      }
    }
  }

  @Test
  void everyCodeIsScored() {
    CompositionAdjustment.Composition q = composition(PROTEINS.get("P.falciparum_5187"));
    CompositionAdjustment.Composition s = composition(PROTEINS.get("Synechocystis_383"));
    int[] t = CompositionAdjustment.adjustedTable(MATRIX, CompositionAdjustment.lambdaRatio(MATRIX, q, s), SCALE, q, s);
    assertEquals(Residue.CODES * Residue.CODES, t.length);
    int x = code('X');
    for (int a = 0; a < Residue.CODES; a++) {
      for (int b = 0; b < Residue.CODES; b++) {
        assertTrue(Math.abs(t[(a << 5) | b]) < 1000, a + "/" + b + " = " + t[(a << 5) | b]);
      }
      assertTrue(t[(a << 5) | x] <= -1 || a == code('*'), "X column at most -1");
    }
    // U scores as C on both sides, O as X; unused codes as X; * from the start matrix
    assertEquals(t[(code('L') << 5) | code('C')], t[(code('L') << 5) | code('U')]);
    assertEquals(t[(code('C') << 5) | code('C')], t[(code('U') << 5) | code('U')]);
    assertEquals(t[(code('L') << 5) | x], t[(code('L') << 5) | code('O')]);
    assertEquals(t[(code('C') << 5) | code('W')], t[(code('U') << 5) | code('W')]);
    assertEquals(t[(code('K') << 5) | x], t[(code('K') << 5) | 30]);
    int[] start = CompositionAdjustment.startTable(MATRIX, SCALE);
    assertEquals(start[(code('K') << 5) | code('*')], t[(code('K') << 5) | code('*')]);
    assertEquals(start[(code('*') << 5) | code('*')], t[(code('*') << 5) | code('*')]);
    // the composition-free form uses the background for X and agrees elsewhere
    CompositionAdjustment.Composition bg = CompositionAdjustment.background();
    assertArrayEquals(CompositionAdjustment.adjustedTable(MATRIX, 0.8, SCALE, bg, bg),
        CompositionAdjustment.adjustedTable(MATRIX, 0.8, SCALE));
    assertFalse(CompositionAdjustment.adjustedTable(MATRIX, 0.8, SCALE)[(code('A') << 5) | code('A')]
        == CompositionAdjustment.adjustedTable(MATRIX, 1.0, SCALE)[(code('A') << 5) | code('A')]);
  }

  @Test
  void idealLambdaOfBlosum62IsBlastsKbpIdeal() {
    // kbp_ideal: BLOSUM62 with Robinson & Robinson frequencies on both sides, the published ungapped 0.3176
    assertEquals(0.3176, CompositionAdjustment.idealLambda(MATRIX), 5e-5);
  }

  // ---------------------------------------------------------------------------------------------

  private static int code(char c) {
    return Residue.code((byte) c);
  }

  private static CompositionAdjustment.Composition composition(String s) {
    byte[] codes = Residue.encode(s);
    return CompositionAdjustment.composition(codes, 0, codes.length);
  }

  private static double bits(int raw) {
    return STATS.bitScore(raw);
  }

  private static Hit find(int cbs, String q, String s, int score) {
    return HITS.stream().filter(h -> h.cbs() == cbs && h.query().equals(q) && h.subject().equals(s)
        && h.score() == score).findFirst().orElseThrow();
  }

  /** The subject as BLAST's mode-1 traceback sees it: SEG-masked letters become X, except for a self pair. */
  private static String maskedSubject(Hit h) {
    String s = PROTEINS.get(h.subject());
    if (h.query().equals(h.subject())) {
      return s;
    }
    char[] c = s.toCharArray();
    int[] intervals = SEG.get(h.subject());
    for (int k = 0; k < intervals.length; k += 2) {
      java.util.Arrays.fill(c, intervals[k], intervals[k + 1], 'X');
    }
    return new String(c);
  }

  /** Score of BLAST's printed alignment with a table and gap costs: a gap of length L costs open + L extend. */
  private static long alignmentScore(Hit h, String query, String subject, int[] table, int open, int extend) {
    long score = 0;
    int qi = h.qstart() - 1;
    int si = h.sstart() - 1;
    boolean inQueryGap = false;
    boolean inSubjectGap = false;
    for (int k = 0; k < h.path().length(); k++) {
      char column = h.path().charAt(k);
      if (column == 'Q') {
        score -= (inQueryGap ? 0 : open) + extend;
        inQueryGap = true;
        inSubjectGap = false;
        si++;
      } else if (column == 'S') {
        score -= (inSubjectGap ? 0 : open) + extend;
        inSubjectGap = true;
        inQueryGap = false;
        qi++;
      } else {
        inQueryGap = inSubjectGap = false;
        score += table[(code(query.charAt(qi)) << 5) | code(subject.charAt(si))];
        qi++;
        si++;
      }
    }
    return score;
  }

  /**
   * The HSPs of blastp's XML report (-outfmt 5, whose scores and E-values are printed in full), in its
   * order; the path is read off qseq and hseq (a '-' in the query's row is a query gap).
   */
  private static List<Hit> blastXml(int cbs, String query, String subject, String xml) {
    List<Hit> out = new ArrayList<>();
    java.util.regex.Matcher hsp = java.util.regex.Pattern.compile("<Hsp>(.*?)</Hsp>", java.util.regex.Pattern.DOTALL)
        .matcher(xml);
    while (hsp.find()) {
      String h = hsp.group(1);
      String qseq = field(h, "Hsp_qseq");
      String hseq = field(h, "Hsp_hseq");
      StringBuilder path = new StringBuilder();
      for (int k = 0; k < qseq.length(); k++) {
        path.append(qseq.charAt(k) == '-' ? 'Q' : hseq.charAt(k) == '-' ? 'S' : 'M');
      }
      out.add(new Hit(cbs, query, subject, Integer.parseInt(field(h, "Hsp_query-from")),
          Integer.parseInt(field(h, "Hsp_hit-from")), path.toString(), Integer.parseInt(field(h, "Hsp_score")),
          Double.parseDouble(field(h, "Hsp_bit-score")), Double.parseDouble(field(h, "Hsp_evalue"))));
    }
    if (out.isEmpty()) {
      throw new AssertionError("blastp found nothing for " + query + " against " + subject + " (cbs " + cbs + ")");
    }
    return out;
  }

  private static String field(String hsp, String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(hsp);
    if (!m.find()) {
      throw new AssertionError("no " + name + " in blastp's HSP");
    }
    return m.group(1).trim();
  }
}
