package org.taxoshard.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as users meet it: exit statuses and what the messages name. */
class TaxoshardTest {
  @TempDir
  File tmp;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private PrintStream savedErr;
  private PrintStream savedOut;

  @BeforeEach
  void capture() {
    savedErr = System.err;
    savedOut = System.out;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(savedErr);
    System.setOut(savedOut);
  }

  int run(String... args) {
    Configuration conf = new Configuration();
    conf.set("fs.defaultFS", "file:///");
    conf.set("mapreduce.framework.name", "local");
    return Taxoshard.run(conf, args);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** A made-up protein: {@code length} residues drawn at random (seeded) from the 20 letters. */
  static String protein(long seed, int length) {
    java.util.Random random = new java.util.Random(seed);
    StringBuilder b = new StringBuilder(length);
    for (int k = 0; k < length; k++) {
      b.append("ACDEFGHIKLMNPQRSTVWY".charAt(random.nextInt(20)));
    }
    return b.toString();
  }

  @Test
  void noCommandIsBadUsage() {
    assertEquals(2, run());
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("scan"));
  }

  @Test
  void unknownCommandIsBadUsage() {
    assertEquals(2, run("frobnicate"));
    assertTrue(err().contains("unknown command 'frobnicate'"), err());
  }

  @Test
  void helpPrintsTheOptions() {
    assertEquals(0, run("scan", "--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("--input") && help.contains("--taxonomy") && help.contains("--rank"), help);
  }

  @Test
  void indexOfSomethingThatIsNotAShardOutputIsBadInput() throws Exception {
    assertEquals(0, run("index", "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--shards"));
    assertEquals(2, run("index", "--shards", tmp.getPath(), "--out", new File(tmp, "idx").getPath()));
    assertTrue(err().contains("manifest.json") && err().contains("no manifest"), err());
    File queries = fasta("q/q.fasta", ">q1\nACDEFGHIKL\n");
    assertEquals(2, run("search", "--index", tmp.getPath(), "--queries", queries.getParent(), "--out",
        new File(tmp, "s").getPath()));
    assertTrue(err().contains("index.json") && err().contains("taxoshard index"), err());
  }

  @Test
  void missingInputIsBadUsage() {
    assertEquals(2, run("scan", "--out", new File(tmp, "o").getPath()));
    assertTrue(err().contains("--input is required"), err());
  }

  @Test
  void unknownOptionIsBadUsage() {
    assertEquals(2, run("scan", "--frob", "x"));
    assertTrue(err().contains("frob"), err());
  }

  @Test
  void inputThatDoesNotExistIsBadInput() {
    assertEquals(2, run("scan", "--input", new File(tmp, "nope.fasta").getPath(), "--out", new File(tmp, "o").getPath()));
    assertTrue(err().contains("nope.fasta"), err());
  }

  @Test
  void existingOutputIsRefusedWithoutOverwrite() {
    File o = new File(tmp, "exists");
    assertTrue(o.mkdirs());
    assertEquals(2, run("scan", "--input", "src/test/resources/bad/digits-in-sequence.fasta", "--out", o.getPath()));
    assertTrue(err().contains("--overwrite"), err());
  }

  /** --overwrite of a folder that holds, is, or lies inside what the command reads: refused before anything is deleted. */
  @Test
  void overwriteNeverDeletesTheInputs() throws Exception {
    File db = fasta("db/db.fasta", ">p1\n" + protein(1, 80) + "\n");
    File tax = new File(tmp, "db/taxdump");
    assertTrue(tax.mkdirs());
    String[][] cases = {
        {"scan", "--input", db.getPath(), "--out", db.getParent(), "--overwrite"},
        {"scan", "--input", db.getPath(), "--taxonomy", tax.getPath(), "--out", tax.getPath(), "--overwrite"},
        {"scan", "--input", db.getPath(), "--out", db.getPath(), "--overwrite"},
        {"scan", "--input", new File(db.getParent(), "*.fasta").getPath(), "--out", db.getParent(), "--overwrite"},
        {"scan", "--input", db.getParent(), "--out", new File(db.getParent(), "scan").getPath()},
        {"search", "--db", db.getPath(), "--queries", db.getPath(), "--out", tmp.getPath(), "--overwrite"},
        {"index", "--shards", db.getParent(), "--out", db.getParent(), "--overwrite"},
    };
    for (String[] c : cases) {
      err.reset();
      assertEquals(2, run(c), String.join(" ", c) + "\n" + err());
      assertTrue(err().contains("choose another --out"), err());
      assertTrue(db.isFile() && tax.isDirectory(), "inputs still there after " + String.join(" ", c));
    }
  }

  /** A command that fails after --overwrite moved the old output aside puts it back as it was. */
  @Test
  void overwriteThatFailsKeepsTheOldOutput() throws Exception {
    File good = fasta("good.fasta", ">p1\n" + protein(1, 80) + "\n>p2\n" + protein(2, 90) + "\n");
    File o = new File(tmp, "scan");
    assertEquals(0, run("scan", "--input", good.getPath(), "--out", o.getPath()));
    String stats = java.nio.file.Files.readString(new File(o, "stats.json").toPath());
    for (String bad : new String[] {new File(tmp, "nope.fasta").getPath(), "src/test/resources/bad/digits-in-sequence.fasta"}) {
      err.reset();
      assertEquals(2, run("scan", "--input", bad, "--out", o.getPath(), "--overwrite"));
      assertTrue(err().contains("is as it was before"), err());
      assertEquals(stats, java.nio.file.Files.readString(new File(o, "stats.json").toPath()));
      assertTrue(new File(o, "_SUCCESS").exists());
    }
    assertEquals(0, run("scan", "--input", "src/test/resources/bad/digits-in-sequence.fasta", "--out", o.getPath(),
        "--overwrite", "--lenient"));
    assertTrue(java.nio.file.Files.readString(new File(o, "stats.json").toPath()).contains("\"sequences\" : 2"));
    String[] left = tmp.list((d, n) -> n.endsWith(".replaced"));
    assertEquals(0, left.length, "nothing left aside once the new output is complete");
  }

  /**
   * A record with no residues is skipped and reported, never counted, as makeblastdb ignores one:
   * records in = records out + skipped, and the database's sequence count is BLAST's.
   */
  @Test
  void aDatabaseRecordWithNoResiduesIsSkippedAndReported() throws Exception {
    String p1 = protein(1, 120);
    File db = fasta("empty-record.fasta", ">p1\n" + p1 + "\n>hollow no sequence lines\n\n>p2\n" + protein(2, 90) + "\n");
    File o = new File(tmp, "scan");
    assertEquals(0, run("scan", "--input", db.getPath(), "--out", o.getPath()));
    String report = out.toString(StandardCharsets.UTF_8);
    assertTrue(report.contains("scan: 2 sequences, 210 residues"), report);
    assertTrue(report.contains("skipped 1 records") && report.contains("'hollow': no residues"), report);
    String stats = java.nio.file.Files.readString(new File(o, "stats.json").toPath());
    assertTrue(stats.contains("hollow"), stats);

    File q = fasta("q.fasta", ">q1\n" + p1 + "\n");
    assertEquals(0, run("search", "--db", db.getPath(), "--queries", q.getPath(), "--out", new File(tmp, "s").getPath()));
    assertTrue(err().contains("database record skipped: ") && err().contains("'hollow': no residues"), err());
    String hits = java.nio.file.Files.readString(new File(tmp, "s/hits.tsv").toPath());
    assertTrue(hits.startsWith("q1\tp1\t100.000\t120\t"), hits);
  }

  /** A shard's .fai is the one samtools (here htsjdk's FastaSequenceIndexCreator) makes of it, short lines too. */
  @Test
  void shardIndexesAreTheOnesSamtoolsWouldWrite() throws Exception {
    StringBuilder db = new StringBuilder();
    int[] lengths = {1, 47, 59, 60, 61, 119, 120, 121, 300};
    for (int i = 0; i < lengths.length; i++) {
      db.append(">s").append(i).append(" length ").append(lengths[i]).append('\n').append(protein(i, lengths[i])).append('\n');
    }
    File fasta = fasta("lines.fasta", db.toString());
    String dir = tmp.getPath();
    assertEquals(0, run("scan", "--input", fasta.getPath(), "--out", dir + "/scan"));
    assertEquals(0, run("plan", "--stats", dir + "/scan", "--shards", "2", "--strategy", "round-robin", "--out", dir + "/plan"));
    assertEquals(0, run("shard", "--input", fasta.getPath(), "--plan", dir + "/plan", "--out", dir + "/shards"));
    for (String shard : new String[] {"shard-00000", "shard-00001"}) {
      java.nio.file.Path f = new File(dir + "/shards/" + shard + "/" + shard + ".fasta").toPath();
      java.nio.file.Path ours = java.nio.file.Paths.get(f + ".fai");
      java.nio.file.Path theirs = new File(tmp, shard + ".fai").toPath();
      htsjdk.samtools.reference.FastaSequenceIndexCreator.buildFromFasta(f).write(theirs);
      assertEquals(java.nio.file.Files.readAllLines(theirs), java.nio.file.Files.readAllLines(ours), shard);
    }
  }

  @Test
  void badResiduesNameTheFilePlaceAndRecord() {
    File o = new File(tmp, "o");
    assertEquals(2, run("scan", "--input", "src/test/resources/bad/digits-in-sequence.fasta", "--out", o.getPath()));
    String e = err();
    assertTrue(e.contains("digits-in-sequence.fasta"), e);
    assertTrue(e.contains("bad2"), e);
    assertTrue(e.contains("byte"), e);
    assertTrue(!o.exists() || !new File(o, "_SUCCESS").exists(), "no output that looks complete");
  }

  @Test
  void dataBeforeTheFirstHeaderIsBadInput() {
    assertEquals(2, run("scan", "--input", "src/test/resources/bad/data-before-first-header.fasta",
        "--out", new File(tmp, "o").getPath()));
    assertTrue(err().contains("data-before-first-header.fasta"), err());
  }

  @Test
  void emptyFileIsBadInput() {
    assertEquals(2, run("scan", "--input", "src/test/resources/bad/empty.fasta", "--out", new File(tmp, "o").getPath()));
    assertTrue(err().contains("empty.fasta"), err());
  }

  /** Every job that reads FASTA reports bad input the same way, verify's too. */
  @Test
  void verifyOverBadInputNamesTheRecord() throws Exception {
    File shard = new File(tmp, "shards/shard-00000");
    assertTrue(shard.mkdirs());
    java.nio.file.Files.writeString(new File(shard, "shard-00000.fasta").toPath(), ">ok1 fine\nACDE\n");
    assertEquals(2, run("verify", "--input", "src/test/resources/bad/digits-in-sequence.fasta",
        "--shards", new File(tmp, "shards").getPath()));
    assertTrue(err().contains("digits-in-sequence.fasta") && err().contains("bad2"), err());
  }

  @Test
  void lenientModeSkipsCountsAndReports() {
    File o = new File(tmp, "o");
    assertEquals(0, run("scan", "--input", "src/test/resources/bad/digits-in-sequence.fasta", "--out", o.getPath(), "--lenient"));
    String report = out.toString(StandardCharsets.UTF_8);
    assertTrue(report.contains("2 sequences"), report);
    assertTrue(report.contains("skipped 1 records"), report);
    assertTrue(report.contains("bad2"), report);
  }

  private File fasta(String name, String text) throws Exception {
    File f = new File(tmp, name);
    f.getParentFile().mkdirs();
    java.nio.file.Files.writeString(f.toPath(), text);
    return f;
  }

  @Test
  void searchWritesBlastTabularInQueryOrder() throws Exception {
    // Two queries, each with an exact copy in the database among unrelated sequences.
    String a = protein(11, 320);
    String b = protein(12, 300);
    StringBuilder db = new StringBuilder(">dbB copy of b\n" + b + "\n");
    for (int i = 0; i < 40; i++) {
      db.append(">noise").append(i).append('\n').append(protein(100 + i, 300)).append('\n');
    }
    db.append(">dbA copy of a\n").append(a).append('\n');
    File dbFile = fasta("db.fasta", db.toString());
    File queries = fasta("q.fasta", ">qA first query\n" + a + "\n>qB second\n" + b + "\n");
    File out = new File(tmp, "search");
    assertEquals(0, run("search", "--db", dbFile.getPath(), "--queries", queries.getPath(), "--out", out.getPath(),
        "--evalue", "1e-10", "--threads", "2"), err());
    java.util.List<String> rows = java.nio.file.Files.readAllLines(new File(out, "hits.tsv").toPath());
    assertEquals(2, rows.size(), String.join("\n", rows));
    String[] first = rows.get(0).split("\t");
    assertEquals(12, first.length);
    assertEquals("qA", first[0]);
    assertEquals("dbA", first[1]);
    assertEquals("100.000", first[2]);
    assertEquals(String.valueOf(a.length()), first[3]);
    assertEquals("qB", rows.get(1).split("\t")[0]);
    assertTrue(new File(out, "_SUCCESS").exists());
  }

  @Test
  void searchSkipsBadQueriesAndAnswersTheOthers() throws Exception {
    String good = protein(13, 80);
    File dbFile = fasta("db.fasta", ">s1\n" + good + "\n");
    File queries = fasta("q.fasta", ">empty\n>dna\nACGTACGTACGTACGTACGTACGTACGTAC\n>good\n" + good + "\n");
    File out = new File(tmp, "search");
    assertEquals(0, run("search", "--db", dbFile.getPath(), "--queries", queries.getPath(), "--out", out.getPath(),
        "--program", "blastp"), err());
    assertTrue(err().contains("'empty': no residues"), err());
    assertTrue(err().contains("'dna': looks like nucleotide"), err());
    assertTrue(java.nio.file.Files.readString(new File(out, "hits.tsv").toPath()).startsWith("good\ts1\t100.000"));
  }

  @Test
  void searchOfAnEmptyQueryFileIsBadInput() throws Exception {
    File dbFile = fasta("db.fasta", ">s1\nMKTAYIAKQR\n");
    File queries = fasta("q.fasta", "");
    assertEquals(2, run("search", "--db", dbFile.getPath(), "--queries", queries.getPath(), "--out",
        new File(tmp, "o").getPath()));
    assertTrue(err().contains("q.fasta"), err());
  }

  @Test
  void searchRefusesBadOptions() throws Exception {
    File dbFile = fasta("db.fasta", ">s1\nMKTAYIAKQR\n");
    assertEquals(2, run("search", "--db", dbFile.getPath(), "--queries", dbFile.getPath(), "--out",
        new File(tmp, "o").getPath(), "--comp-based-stats", "2"));
    assertTrue(err().contains("--comp-based-stats"), err());
    assertEquals(2, run("search", "--db", dbFile.getPath(), "--queries", dbFile.getPath(), "--out",
        new File(tmp, "o").getPath(), "--gapopen", "7", "--gapextend", "3"));
    assertTrue(err().contains("7/3"), err());
    for (String seg : new String[] {"maybe", "12 2.2", "0 2.2 2.5", "12 -1 2.5"}) {
      assertEquals(2, run("search", "--db", dbFile.getPath(), "--queries", dbFile.getPath(), "--out",
          new File(tmp, "o").getPath(), "--seg", seg), seg);
      assertTrue(err().contains("--seg must be yes, no or 'window locut hicut'") && err().contains(seg), err());
    }
    File dna = fasta("dna.fasta", ">n1\nACGTACGTACGTACGTACGTACGTACGTACGTAC\n");
    assertEquals(2, run("search", "--db", dna.getPath(), "--queries", dna.getPath(), "--out",
        new File(tmp, "o").getPath(), "--seg", "yes"));
    assertTrue(err().contains("SEG masking is for proteins"), err());
  }

  /** --seg takes blastp's forms: yes, no, or window, locut and hicut. */
  @Test
  void searchWithSegMasksTheQuerysLowComplexityRegion() throws Exception {
    // The query's only likeness to s1 is a run of 30 glutamines, which SEG masks.
    String q = "MKTAYIAKQRWCHEGFDLPV" + "Q".repeat(30) + "WYNMRSTLHKDEVPGFACIW";
    File dbFile = fasta("db.fasta", ">s1\nMSTPLGHW" + "Q".repeat(30) + "EDRKNVLI\n>s2\n" + q + "\n");
    File queries = fasta("q.fasta", ">q\n" + q + "\n");
    for (String seg : new String[] {"no", "yes", "12 2.2 2.5"}) {
      File out = new File(tmp, "seg-" + seg.replace(' ', '-'));
      assertEquals(0, run("search", "--db", dbFile.getPath(), "--queries", queries.getPath(), "--out", out.getPath(),
          "--seg", seg, "--comp-based-stats", "0"), err());
      String hits = java.nio.file.Files.readString(new File(out, "hits.tsv").toPath());
      // s2 is the query itself: found either way, with every identity counted (the masked ones too).
      assertTrue(hits.startsWith("q\ts2\t100.000\t70\t0\t0\t1\t70\t1\t70\t"), seg + ": " + hits);
      assertEquals(!seg.equals("no"), !hits.contains("\ts1\t"), seg + ": " + hits);
    }
  }
}
