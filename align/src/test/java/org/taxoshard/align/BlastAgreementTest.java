package org.taxoshard.align;

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

  private static void compare(File work, List<RealData.Record> db, List<RealData.Record> queries, SearchParameters p,
      String what) throws Exception {
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
    Map<String, Best> ours = new HashMap<>();
    for (List<Hit> rows : search.merge(workers)) {
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
    String figures = String.format("%s: %d BLAST pairs at E <= 1e-5, %d found; %d pairs in both, bits within 1: %d,"
        + " E-value within 5%%: %d, best HSP's pident to send the same: %d", what, reference, found, common, bitsClose,
        evalueClose, sameRow);
    System.out.println(figures);
    differences.forEach(d -> System.out.println("  " + d));
    assertTrue(reference >= 20, "too few BLAST pairs to judge: " + figures);
    assertTrue(found >= 0.97 * reference, figures);
    assertTrue(bitsClose >= 0.95 * common, figures);
    assertTrue(evalueClose >= 0.95 * common, figures);
    // Coordinates, identities, mismatches and gap openings too: with -seg, identities are counted on
    // the query's letters as given, not as masked.
    assertTrue(sameRow >= 0.9 * common, figures);
  }
}
