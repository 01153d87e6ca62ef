package org.taxoshard.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel against NCBI BLAST+ itself, on real sequences, as the bar states it: for the
 * query-subject pairs both report, the best HSP's bit score within 1 and E-value within 5% in at
 * least 95% of them, and at least 97% of BLAST's pairs at E <= 1e-5 found. blastp with
 * {@code -comp_based_stats 0} and {@code 1}; blastn ({@code -task blastn -dust no}) on 16S genes.
 * Needs ../shared/data and BLAST+ on the PATH (.ci/run installs it); skips with a message without.
 */
class BlastAgreementTest {
  @TempDir
  Path tmp;

  /** A pair's best HSP: its E-value, bit score, and outfmt 6 columns 3-10 (pident to send) as printed. */
  private record Best(double evalue, double bits, String columns) {}

  private static String columns(String row) {
    String[] c = row.split("\t");
    return String.join("\t", java.util.Arrays.copyOfRange(c, 2, 10));
  }

  @Test
  void blastpWithoutCompositionBasedStatistics() throws Exception {
    proteins(false, false);
  }

  @Test
  void blastpWithCompositionBasedStatistics() throws Exception {
    proteins(true, false);
  }

  /** blastp -seg yes: the queries' SEG regions scored as X, identities counted on the letters as given. */
  @Test
  void blastpWithSegMaskedQueries() throws Exception {
    proteins(false, true);
  }

  @Test
  void blastpWithSegMaskedQueriesAndCompositionBasedStatistics() throws Exception {
    proteins(true, true);
  }

  private void proteins(boolean cbs, boolean seg) throws Exception {
    File dir = RealData.require("proteomes");
    RealData.requireTool("blastp", "-version");
    List<RealData.Record> db = new ArrayList<>();
    db.addAll(RealData.read(new File(dir, "UP000000625-E.coli.fasta.gz")));
    db.addAll(RealData.read(new File(dir, "UP000002311-S.cerevisiae.fasta.gz")));
    // Queries of varied composition: Plasmodium (biased), a fungus, a cyanobacterium, Salmonella.
    List<RealData.Record> queries = new ArrayList<>();
    String[] sources = {"UP000001450-P.falciparum.fasta.gz", "UP000008066-C.thermophilum.fasta.gz",
        "UP000001425-Synechocystis.fasta.gz", "UP000001014-S.typhimurium.fasta.gz"};
    for (String s : sources) {
      List<RealData.Record> all = RealData.read(new File(dir, s));
      for (int i = 0; i < 12; i++) {
        queries.add(all.get((i * 7919) % all.size()));
      }
    }
    File work = tmp.toFile();
    RealData.write(new File(work, "db.fasta"), db);
    RealData.write(new File(work, "q.fasta"), queries);
    RealData.run(work, "makeblastdb", "-in", "db.fasta", "-dbtype", "prot", "-out", "db");
    RealData.run(work, "blastp", "-query", "q.fasta", "-db", "db", "-outfmt", "6", "-evalue", "1e-3",
        "-max_target_seqs", "500", "-comp_based_stats", cbs ? "1" : "0", "-seg", seg ? "yes" : "no", "-num_threads", "2",
        "-out", "blast.tsv");
    SearchParameters p = SearchParameters.blastp().withCompositionBasedStats(cbs).withEvalue(1e-3)
        .withSeg(seg ? Seg.blastpQueries() : null);
    compare(work, db, queries, p, "blastp -comp_based_stats " + (cbs ? 1 : 0) + " -seg " + (seg ? "yes" : "no"));
  }

  @Test
  void blastnOn16sGenes() throws Exception {
    File file = RealData.require("16s/rRNA16S.gold.fasta.gz");
    RealData.requireTool("blastn", "-version");
    List<RealData.Record> db = RealData.read(file);
    List<RealData.Record> queries = List.of(db.get(17), db.get(2024), db.get(4711));
    File work = tmp.toFile();
    RealData.write(new File(work, "db.fasta"), db);
    RealData.write(new File(work, "q.fasta"), queries);
    RealData.run(work, "makeblastdb", "-in", "db.fasta", "-dbtype", "nucl", "-out", "db");
    // A cap above the database size: BLAST's own cut of a capped list is not by final E-value.
    RealData.run(work, "blastn", "-task", "blastn", "-dust", "no", "-query", "q.fasta", "-db", "db", "-outfmt", "6",
        "-evalue", "1e-3", "-max_target_seqs", "6000", "-num_threads", "2", "-out", "blast.tsv");
    SearchParameters p = SearchParameters.blastn().withEvalue(1e-3).withMaxTargetSeqs(6000);
    compare(work, db, queries, p, "blastn");
  }

  /**
   * Every pair of the 27 letters a protein can hold for BLAST (the 20, B, J, Z, X, U, O and
   * {@code *}) in each matrix, at its default gap costs, scored as blastp scores it, without and with
   * composition-based statistics: one position of a 41-residue protein set to the one letter in the
   * query and to the other in the subject, the rest identical, so that the pairs differ only by that
   * cell (and, with composition-based statistics, by its letter in the compositions). E-value and
   * bit score as printed, and the raw score without. Needs BLAST+, not the data.
   */
  @Test
  void everyLetterPairScoresAsBlastpScoresIt() throws Exception {
    RealData.requireTool("blastp", "-version");
    String letters = "ARNDCQEGHILKMFPSTWYVBJZXUO*";
    java.util.Random random = new java.util.Random(5);
    char[] base = new char[41];
    for (int i = 0; i < base.length; i++) {
      base[i] = "ACDEFGHIKLMNPQRSTVWY".charAt(random.nextInt(20));
    }
    List<RealData.Record> queries = new ArrayList<>();
    List<RealData.Record> subjects = new ArrayList<>();
    for (int i = 0; i < letters.length(); i++) {
      base[20] = letters.charAt(i);
      queries.add(new RealData.Record("q" + i, "q" + i, new String(base)));
      subjects.add(new RealData.Record("s" + i, "s" + i, new String(base)));
    }
    File work = tmp.toFile();
    RealData.write(new File(work, "q.fasta"), queries);
    RealData.write(new File(work, "db.fasta"), subjects);
    RealData.run(work, "makeblastdb", "-in", "db.fasta", "-dbtype", "prot", "-out", "db");
    String[][] matrices = {{"BLOSUM45", "15", "2"}, {"BLOSUM50", "13", "2"}, {"BLOSUM62", "11", "1"},
        {"BLOSUM80", "10", "1"}, {"BLOSUM90", "10", "1"}, {"PAM30", "9", "1"}, {"PAM70", "10", "1"},
        {"PAM250", "14", "2"}};
    List<String> differences = new ArrayList<>();
    for (boolean cbs : new boolean[] {false, true}) {
      for (String[] m : matrices) {
        String name = m[0] + (cbs ? " -comp_based_stats 1" : "");
        File out = new File(work, "blast-" + m[0] + (cbs ? "-cbs" : "") + ".tsv");
        RealData.run(work, "blastp", "-query", "q.fasta", "-db", "db", "-matrix", m[0], "-gapopen", m[1], "-gapextend",
            m[2], "-comp_based_stats", cbs ? "1" : "0", "-seg", "no", "-max_hsps", "1", "-outfmt",
            "6 qseqid sseqid evalue bitscore score", "-out", out.getName());
        // E-value and bit score as printed, and the raw score (scaled by 32 and recomputed with cbs: not compared).
        Map<String, String> blast = new HashMap<>();
        for (String line : Files.readAllLines(out.toPath())) {
          String[] c = line.split("\t");
          blast.putIfAbsent(c[0] + "\t" + c[1], c[2].trim() + " " + c[3].trim() + (cbs ? "" : " " + c[4].trim()));
        }
        SearchParameters p = SearchParameters.blastp().withCompositionBasedStats(cbs)
            .withScoring(m[0], Integer.parseInt(m[1]), Integer.parseInt(m[2]));
        Map<String, String> ours = new HashMap<>();
        for (List<Hit> rows : search(subjects, queries, p)) {
          for (Hit h : rows) {
            String[] c = h.tabular().split("\t");
            ours.putIfAbsent(h.qseqid() + "\t" + h.sseqid(), c[10] + " " + c[11] + (cbs ? "" : " " + h.score()));
          }
        }
        assertEquals(letters.length() * letters.length(), blast.size(), name + ": blastp aligns every pair");
        for (int a = 0; a < letters.length(); a++) {
          for (int b = 0; b < letters.length(); b++) {
            String key = "q" + a + "\t" + "s" + b;
            if (!blast.get(key).equals(ours.get(key))) {
              differences.add(name + " " + letters.charAt(a) + "/" + letters.charAt(b) + ": blastp " + blast.get(key)
                  + ", ours " + ours.get(key));
            }
          }
        }
      }
    }
    assertTrue(differences.isEmpty(), differences.size() + " pairs score otherwise than in blastp: "
        + differences.subList(0, Math.min(20, differences.size())));
  }

  /**
   * Each query's ungapped lambda, K and H (the first "Lambda K H" line of blastp's report, per
   * query) are blastp's, for compositions from uniform to strongly biased, with X, U and {@code *}
   * among the letters: they set the query's gap trigger and ungapped X-drop.
   */
  @Test
  void queryUngappedParametersAreBlastps() throws Exception {
    RealData.requireTool("blastp", "-version");
    java.util.Random random = new java.util.Random(17);
    String[] alphabets = {"ACDEFGHIKLMNPQRSTVWY", "AAAAACDEFGHIKLMNPQRSTVWY", "LLLLLIIIVVVFFMAGSTKE", "KKKKEEEDDRRSSQQNPG",
        "WWCCYYHHFFMMAACDEFGHIKLMNPQRSTVWY", "ACDEFGHIKLMNPQRSTVWYXXU*", "GGGGGGGGSSSSSAPY", "QQQQQNNNNNSSHHDDKE"};
    List<RealData.Record> queries = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      String alphabet = alphabets[i % alphabets.length];
      int length = 40 + random.nextInt(400);
      StringBuilder b = new StringBuilder();
      for (int k = 0; k < length; k++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      queries.add(new RealData.Record("q" + i, "q" + i, b.toString()));
    }
    File work = tmp.toFile();
    RealData.write(new File(work, "q.fasta"), queries);
    // Any subject does: only the report's per-query footers are read.
    StringBuilder subject = new StringBuilder();
    for (int k = 0; k < 30; k++) {
      subject.append(alphabets[0].charAt(random.nextInt(20)));
    }
    RealData.write(new File(work, "s.fasta"), List.of(new RealData.Record("s", "s", subject.toString())));
    RealData.run(work, "makeblastdb", "-in", "s.fasta", "-dbtype", "prot", "-out", "s");
    RealData.run(work, "blastp", "-query", "q.fasta", "-db", "s", "-comp_based_stats", "0", "-seg", "no", "-out",
        "report.txt");
    List<String> lines = Files.readAllLines(new File(work, "report.txt").toPath());
    List<double[]> blast = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("Query=")) {
        int k = i;
        while (!lines.get(k).startsWith("Lambda")) {
          k++;
        }
        String[] f = lines.get(k + 1).trim().split("\\s+");
        blast.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])});
      }
    }
    assertEquals(queries.size(), blast.size(), "one footer per query");
    int[] table = ScoringMatrix.protein("BLOSUM62").table();
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < queries.size(); i++) {
      byte[] codes = Residue.encode(queries.get(i).residues());
      KarlinAltschul.Parameters ours = QueryKarlin.of(codes, 0, codes.length, table);
      double[] theirs = blast.get(i);
      double[] mine = {ours.lambda(), ours.k(), ours.h()};
      for (int f = 0; f < 3; f++) {
        // blastp prints 3 significant digits
        if (Math.abs(mine[f] - theirs[f]) > 0.0051 * theirs[f]) {
          differences.add("q" + i + " " + "lambda K H".split(" ")[f] + ": blastp " + theirs[f] + ", ours " + mine[f]);
        }
      }
    }
    assertTrue(differences.isEmpty(), differences.toString());
  }

  /** The kernel's rows for {@code queries} against {@code db}, searched in this process on 2 threads. */
  private static List<List<Hit>> search(List<RealData.Record> db, List<RealData.Record> queries, SearchParameters p)
      throws Exception {
    List<Query> qs = new ArrayList<>();
    for (RealData.Record r : queries) {
      if (!r.residues().isEmpty()) {
        qs.add(new Query(qs.size(), r.id(), Residue.encode(r.residues())));
      }
    }
    long residues = 0;
    for (RealData.Record r : db) {
      residues += r.residues().length();
    }
    Search search = new Search(p, new DatabaseSize(residues, db.size()), qs);
    int[] next = {0};
    List<Worker> workers = DatabaseSearch.run(search, (b, limit) -> {
      while (next[0] < db.size() && b.residues() < limit) {
        byte[] letters = db.get(next[0]).residues().getBytes(StandardCharsets.ISO_8859_1);
        b.add(db.get(next[0]).id(), letters, 0, letters.length);
        next[0]++;
      }
      return next[0] < db.size();
    }, 2, 1 << 20);
    return search.merge(workers);
  }

  private static void compare(File work, List<RealData.Record> db, List<RealData.Record> queries, SearchParameters p,
      String what) throws Exception {
    Map<String, Best> ours = new HashMap<>();
    for (List<Hit> rows : search(db, queries, p)) {
      for (Hit h : rows) {
        ours.merge(h.qseqid() + "\t" + h.sseqid(), new Best(h.evalue(), h.bitscore(), columns(h.tabular())),
            (a, b) -> a.bits() >= b.bits() ? a : b);
      }
    }
    Map<String, Best> blast = new HashMap<>();
    for (String line : Files.readAllLines(new File(work, "blast.tsv").toPath())) {
      String[] c = line.split("\t");
      blast.merge(c[0] + "\t" + c[1], new Best(Double.parseDouble(c[10]), Double.parseDouble(c[11]), columns(line)),
          (a, b) -> a.bits() >= b.bits() ? a : b);
    }
    List<String> differences = new ArrayList<>();
    int reference = 0;
    int found = 0;
    int weaker = 0;
    int weakerFound = 0;
    int common = 0;
    int bitsClose = 0;
    int evalueClose = 0;
    int sameRow = 0;
    for (Map.Entry<String, Best> e : blast.entrySet()) {
      Best b = e.getValue();
      Best o = ours.get(e.getKey());
      if (b.evalue() <= 1e-5) {
        reference++;
        found += o != null ? 1 : 0;
      }
      if (b.evalue() <= 1e-4) {
        weaker++;
        weakerFound += o != null ? 1 : 0;
      }
      if (o != null) {
        common++;
        if (Math.abs(o.bits() - b.bits()) > 1 && differences.size() < 20) {
          differences.add(e.getKey() + ": BLAST " + b + ", ours " + o);
        }
        bitsClose += Math.abs(o.bits() - b.bits()) <= 1 ? 1 : 0;
        // BLAST prints 3 significant digits, and "0.0" below 1e-180.
        evalueClose += Math.abs(o.evalue() - b.evalue()) <= 0.05 * b.evalue() + 1e-180 ? 1 : 0;
        sameRow += o.columns().equals(b.columns()) ? 1 : 0;
      }
    }
    String figures = String.format("%s: %d BLAST pairs at E <= 1e-5, %d found; at E <= 1e-4, %d and %d; %d pairs in"
        + " both, bits within 1: %d, E-value within 5%%: %d, best HSP's pident to send the same: %d", what, reference, found,
        weaker, weakerFound, common, bitsClose, evalueClose, sameRow);
    System.out.println(figures);
    differences.forEach(d -> System.out.println("  " + d));
    assertTrue(reference >= 20, "too few BLAST pairs to judge: " + figures);
    assertTrue(found >= 0.97 * reference, figures);
    // Seeding and its cutoffs are BLAST's: every pair BLAST reports well inside the threshold.
    assertEquals(weaker, weakerFound, figures);
    assertTrue(bitsClose >= 0.95 * common, figures);
    assertTrue(evalueClose >= 0.95 * common, figures);
    // Coordinates, identities, mismatches and gap openings too: with -seg, identities are counted on
    // the query's letters as given, not as masked.
    assertTrue(sameRow >= 0.9 * common, figures);
  }
}
