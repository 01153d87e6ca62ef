package org.taxoshard.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * SEG against NCBI BLAST+ segmasker (window 10, locut 1.8, hicut 2.1), run during the test on proteins
 * read from ../shared/data/proteomes and on the made-up sequences of seg/made-up.fa; without
 * segmasker or the proteomes those tests skip with a message. Agreement must be exact: same
 * intervals, same order, none merged.
 */
class SegTest {
  private static final String FIXTURES = "/org/taxoshard/align/seg/";
  private static final Seg SEG = Seg.compositionBasedStatistics();

  // ---------------------------------------------------------------- small facts, no fixtures

  @Test
  void lnFactorialIsBlastsSixDecimalTable() {
    assertEquals(0.0, Seg.lnFactorial(0));
    assertEquals(0.0, Seg.lnFactorial(1));
    assertEquals(0.693147, Seg.lnFactorial(2));
    assertEquals(15.104413, Seg.lnFactorial(10));
    assertEquals(42.335616, Seg.lnFactorial(20));
    assertEquals(82108.927837, Seg.lnFactorial(10000));
    // Past the table's end the same rounding of ln n! continues.
    assertEquals(82118.138, Seg.lnFactorial(10001), 1e-3);
  }

  @Test
  void homopolymerIsMaskedWhole() {
    // Every window has entropy 0; among sub-segments the longest is the least probable, so no trimming.
    assertArrayEquals(new int[] {0, 30}, SEG.mask(codes("Q".repeat(30)), 0, 30));
  }

  @Test
  void shortAndBogusSequencesAreNotMasked() {
    assertArrayEquals(new int[0], SEG.mask(codes("Q".repeat(9)), 0, 9));
    assertArrayEquals(new int[0], SEG.mask(codes(""), 0, 0));
    // X is not counted, and a window with more than 2 non-standard residues has no entropy at all.
    assertArrayEquals(new int[0], SEG.mask(codes("X".repeat(40)), 0, 40));
    assertArrayEquals(new int[0], SEG.mask(codes("QQXQQXQQXQQXQQXQQXQQXQQXQQXQQX"), 0, 30));
    // Two X per window are tolerated: the Q's still have entropy 0.
    int[] twoPerWindow = SEG.mask(codes("QQQQXQQQQXQQQQXQQQQXQQQQXQQQQX"), 0, 30);
    assertTrue(twoPerWindow.length > 0, "two bogus residues per window still trigger");
  }

  @Test
  void intervalsAreRelativeToFromAndMaskingStaysInTheRange() {
    String flank = "MSTALKPVDEIRHWQAEGLFNYKCW";
    String core = "MKVLAAGIDCTRWHEP" + "S".repeat(20) + "NYFMKVLAAGIDCTRWHEP";
    byte[] alone = codes(core);
    int[] expected = SEG.mask(alone, 0, alone.length);
    assertTrue(expected.length > 0);

    byte[] embedded = codes(flank + core + "QQQQQQQQQQQQQQQQQQQQ");
    int from = flank.length();
    int to = from + core.length();
    assertArrayEquals(expected, SEG.mask(embedded, from, to));

    byte[] before = embedded.clone();
    int masked = SEG.maskInPlace(embedded, from, to);
    int[] union = Seg.merge(expected);
    int total = 0;
    for (int k = 0; k < union.length; k += 2) {
      total += union[k + 1] - union[k];
    }
    assertEquals(total, masked);
    for (int p = 0; p < embedded.length; p++) {
      boolean inside = false;
      for (int k = 0; k < union.length; k += 2) {
        inside |= p >= from + union[k] && p < from + union[k + 1];
      }
      assertEquals(inside ? Residue.X : before[p], embedded[p], "position " + p);
    }
    assertThrows(IndexOutOfBoundsException.class, () -> SEG.mask(embedded, 5, embedded.length + 1));
  }

  @Test
  void mergeGivesTheSortedUnion() {
    assertArrayEquals(new int[] {16, 30, 33, 44}, Seg.merge(new int[] {17, 22, 16, 30, 33, 44}));
    assertArrayEquals(new int[] {0, 20}, Seg.merge(new int[] {0, 10, 10, 20}));
    assertArrayEquals(new int[] {0, 5, 6, 9}, Seg.merge(new int[] {6, 9, 0, 5}));
    assertArrayEquals(new int[0], Seg.merge(new int[0]));
  }

  @Test
  void parametersAreAdjustedAsBlastAdjustsThem() {
    assertThrows(IllegalArgumentException.class, () -> new Seg(0, 1.8, 2.1));
    Seg raised = new Seg(10, 2.5, 2.1);
    assertEquals(2.5, raised.hicut());
    Seg clamped = new Seg(12, -1, -2);
    assertEquals(0.0, clamped.locut());
    assertEquals(0.0, clamped.hicut());
    assertEquals(10, SEG.window());
    assertEquals(1.8, SEG.locut());
    assertEquals(2.1, SEG.hicut());
  }

  // ---------------------------------------------------------------- against segmasker, run now

  /**
   * Proteome proteins whose answer depends on a detail of the method (found by changing that detail
   * and comparing every protein of the 15 proteomes), read from the shared proteomes by position
   * ({@link RealData#proteins}).
   */
  private static final List<String> TRICKY = List.of(
      // shortest with intervals out of order
      "P.falciparum_4610", "P.falciparum_4945", "P.falciparum_3169", "P.falciparum_4773", "S.cerevisiae_3206",
      "P.falciparum_1943", "P.falciparum_241", "P.falciparum_680", // shortest with overlapping intervals
      "P.falciparum_4123", // shortest with a non-standard letter (U)
      "P.anserina_10030", "P.anserina_10036", // the part left of a trimmed segment is searched again
      "S.elongatus_498", "C.thermophilum_2253", // ties in trimming (longest, then leftmost)
      "P.berghei_1302", "P.anserina_3327", // where the scan resumes after a segment
      "C.thermophilum_7143"); // at most 2 non-standard residues (X) per window

  @Test
  void matchesSegmaskerOnTrickySequences() throws Exception {
    Map<String, String> sequences = tricky();
    Map<String, int[]> expected = RealData.segmasker(sequences);
    int intervals = 0;
    for (Map.Entry<String, int[]> e : expected.entrySet()) {
      byte[] seq = codes(sequences.get(e.getKey()));
      assertArrayEquals(e.getValue(), SEG.mask(seq, 0, seq.length), e.getKey());
      intervals += e.getValue().length / 2;
    }
    // segmasker masks most of them (the made-up short and all-X ones excepted), so this cannot pass empty.
    assertTrue(intervals >= TRICKY.size(), "segmasker intervals: " + intervals);
  }

  /**
   * With segmasker on the PATH: several hundred more proteins, compared with segmasker run now. Also
   * reports the speed on the whole P. falciparum proteome.
   */
  @Test
  void matchesSegmaskerRunNowOnSeveralHundredProteins() throws Exception {
    Path proteomes = proteomeDirectory();
    String[][] picks = {
      {"UP000001450-P.falciparum.fasta.gz", "300"},
      {"UP000008066-C.thermophilum.fasta.gz", "150"},
      {"UP000008524-T.brucei.fasta.gz", "100"},
      {"UP000000625-E.coli.fasta.gz", "50"},
    };
    List<String> names = new ArrayList<>();
    List<String> seqs = new ArrayList<>();
    for (String[] pick : picks) {
      Path path = proteomes.resolve(pick[0]);
      Assumptions.assumeTrue(Files.exists(path), "SegTest: skipped, proteome " + path + " is absent");
      Map<String, String> all = readProteome(path);
      // Every k-th protein, to spread the picks over the file.
      int want = Integer.parseInt(pick[1]);
      int step = Math.max(1, all.size() / want);
      int i = 0;
      for (Map.Entry<String, String> e : all.entrySet()) {
        if (want > 0 && i % step == 0) {
          names.add(e.getKey());
          seqs.add(e.getValue());
          want--;
        }
        i++;
      }
    }
    Map<String, String> named = new LinkedHashMap<>();
    for (int i = 0; i < seqs.size(); i++) {
      named.put(Integer.toString(i), seqs.get(i));
    }
    Map<String, int[]> expected = RealData.segmasker(named);
    int intervals = 0;
    int exact = 0;
    List<String> differ = new ArrayList<>();
    for (int i = 0; i < seqs.size(); i++) {
      byte[] codes = codes(seqs.get(i));
      int[] want = expected.get(Integer.toString(i));
      intervals += want.length / 2;
      if (Arrays.equals(want, SEG.mask(codes, 0, codes.length))) {
        exact++;
      } else {
        differ.add(names.get(i));
      }
    }
    System.out.printf("SegTest: segmasker now: %d proteins, %d intervals, %d proteins exact%n",
        seqs.size(), intervals, exact);
    assertEquals(List.of(), differ);

    // Speed on a whole proteome (a report, not a pass/fail criterion).
    List<byte[]> pf = new ArrayList<>();
    long residues = 0;
    for (String s : readProteome(proteomes.resolve(picks[0][0])).values()) {
      pf.add(codes(s));
      residues += s.length();
    }
    double best = Double.MAX_VALUE;
    for (int rep = 0; rep < 3; rep++) {
      long t = System.nanoTime();
      for (byte[] s : pf) {
        SEG.mask(s, 0, s.length);
      }
      best = Math.min(best, (System.nanoTime() - t) / 1e9);
    }
    System.out.printf("SegTest: P. falciparum, %d proteins, %d residues: %.2f s, %.0f proteins/s%n",
        pf.size(), residues, best, pf.size() / best);
  }

  /** The instance is shared: concurrent calls give the answers of sequential ones. */
  @Test
  void concurrentCallsAgreeWithSequentialOnes() throws IOException {
    List<byte[]> seqs = new ArrayList<>();
    for (String s : tricky().values()) {
      seqs.add(codes(s));
    }
    int[][] sequential = new int[seqs.size()][];
    for (int i = 0; i < seqs.size(); i++) {
      sequential[i] = SEG.mask(seqs.get(i), 0, seqs.get(i).length);
    }
    IntStream.range(0, 2000).parallel().forEach(k -> {
      byte[] s = seqs.get(k % seqs.size());
      assertArrayEquals(sequential[k % seqs.size()], SEG.mask(s, 0, s.length));
    });
  }

  // ---------------------------------------------------------------- helpers

  private static byte[] codes(String letters) {
    return Residue.encode(letters);
  }

  private static InputStream resource(String name) {
    InputStream in = SegTest.class.getResourceAsStream(FIXTURES + name);
    assertNotNull(in, "missing fixture " + name);
    return in;
  }

  private static BufferedReader reader(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
  }

  /** The made-up sequences of made-up.fa, then the {@link #TRICKY} proteins from the shared proteomes. */
  private static Map<String, String> tricky() throws IOException {
    Map<String, String> out = readFasta(resource("made-up.fa"));
    Map<String, String> real = RealData.proteins(TRICKY);
    for (String handle : TRICKY) {
      out.put(handle, real.get(handle));
    }
    return out;
  }

  /** The shared proteomes (shared/data/proteomes beside the project), or the test is skipped. */
  private static Path proteomeDirectory() {
    String property = System.getProperty("taxoshard.proteomes");
    if (property != null) {
      return Paths.get(property);
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/data/proteomes");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    Assumptions.assumeTrue(false, "SegTest: skipped, ../shared/data/proteomes is absent");
    return null;
  }

  /** FASTA: name (the header's first word) to sequence, in file order. */
  private static Map<String, String> readFasta(InputStream in) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (BufferedReader r = reader(in)) {
      String name = null;
      StringBuilder seq = new StringBuilder();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith(">")) {
          if (name != null) {
            out.put(name, seq.toString());
          }
          name = line.substring(1).trim().split("\\s+")[0];
          seq.setLength(0);
        } else {
          seq.append(line.trim());
        }
      }
      if (name != null) {
        out.put(name, seq.toString());
      }
    }
    return out;
  }

  /** A gzipped UniProt proteome: accession (between the first two '|') to sequence. */
  private static Map<String, String> readProteome(Path path) throws IOException {
    Map<String, String> byName = readFasta(new GZIPInputStream(Files.newInputStream(path), 1 << 16));
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : byName.entrySet()) {
      String[] parts = e.getKey().split("\\|");
      out.put(parts.length > 1 ? parts[1] : parts[0], e.getValue());
    }
    return out;
  }
}
