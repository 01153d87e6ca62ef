package org.taxoshard.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taxoshard.avro.Bin;
import org.taxoshard.avro.DatabaseStats;
import org.taxoshard.formats.BadInputException;

/**
 * A database whose headers carry no taxon, binned through NCBI-layout accession2taxid tables
 * (FULL's two columns gzipped, the four columns plain, rows for accessions not in the database,
 * a taxid of 0), must scan and shard exactly as the same database with the taxids in its
 * headers: the same bins, the same shards. Several splits, so that each task reads its own
 * split's taxids. Local runner.
 */
class TaxidJoinTest {
  static final Pattern HEADER = Pattern.compile("^>tr\\|([^|]+)\\|(\\S+) (.*) OX=(\\d+)$");

  @TempDir
  static File tmp;
  static File withTaxids;
  static File withoutTaxids;
  static File full;
  static File fourColumns;
  static int records;

  @BeforeAll
  static void generate() throws Exception {
    File gen = new File(tmp, "gen");
    assertEquals(0, Pipeline.run(new GenerateCommand(), "--out", gen.getPath(), "--sequences", "900", "--queries", "1",
        "--seed", "7"));
    withTaxids = new File(gen, "db.fasta");
    withoutTaxids = new File(tmp, "bare.fasta");
    full = new File(tmp, "prot.accession2taxid.FULL.gz");
    fourColumns = new File(tmp, "dead_prot.accession2taxid");
    try (PrintWriter bare = new PrintWriter(withoutTaxids, StandardCharsets.UTF_8);
        PrintWriter fullRows = new PrintWriter(new java.io.OutputStreamWriter(
            new GZIPOutputStream(new java.io.FileOutputStream(full)), StandardCharsets.UTF_8));
        PrintWriter fourRows = new PrintWriter(fourColumns, StandardCharsets.UTF_8)) {
      fullRows.print("accession.version\ttaxid\n");
      fourRows.print("accession\taccession.version\ttaxid\tgi\n");
      for (String line : Files.readAllLines(withTaxids.toPath(), StandardCharsets.UTF_8)) {
        Matcher m = HEADER.matcher(line);
        if (!line.startsWith(">")) {
          bare.print(line + "\n");
          continue;
        }
        assertTrue(m.matches(), line);
        String id = m.group(1);
        if (records++ % 2 == 0) {
          // A versioned id as its first word, its row in FULL under another version.
          bare.print(">" + id + ".3 " + m.group(3) + "\n");
          fullRows.print(id + ".1\t" + m.group(4) + "\n");
        } else {
          // UniProt's layout: found by the accession field, its row in the 4-column table.
          bare.print(">tr|" + id + "|" + m.group(2) + " " + m.group(3) + "\n");
          fourRows.print(id + "\t" + id + ".1\t" + m.group(4) + "\t" + records + "\n");
        }
        fullRows.print("ABSENT" + records + ".1\t909\n");
      }
      fullRows.print("UNMAPPED_1.1\t0\n");
    }
  }

  static Configuration conf(String tables) {
    Configuration c = ScanJobTest.localConf();
    // About 8 splits of the 900-record database.
    c.setLong("mapreduce.input.fileinputformat.split.maxsize", 48 << 10);
    if (tables != null) {
      c.set("taxoshard.taxonomy.accession2taxid", tables);
    }
    return c;
  }

  static File run(Configuration c, File db, String name) throws Exception {
    File dir = new File(tmp, name);
    String taxdump = new File(tmp, "gen/taxdump").getPath();
    assertEquals(0, Pipeline.run(c, new ScanJob(), "--input", db.getPath(), "--taxonomy", taxdump, "--out",
        new File(dir, "scan").getPath()));
    assertEquals(0, Pipeline.run(c, new PlanCommand(), "--stats", new File(dir, "scan").getPath(), "--strategy",
        "taxonomic-balanced", "--shards", "3", "--out", new File(dir, "plan").getPath()));
    assertEquals(0, Pipeline.run(c, new ShardJob(), "--input", db.getPath(), "--plan", new File(dir, "plan").getPath(),
        "--out", new File(dir, "shards").getPath()));
    return dir;
  }

  /** A scan's bins (name to taxid, sequences, residues) and its unclassified count. */
  static Map<String, String> bins(File scan) throws IOException {
    DatabaseStats s = StatsFiles.read(ScanJobTest.localConf(), new org.apache.hadoop.fs.Path(scan.getAbsolutePath()));
    Map<String, String> m = new TreeMap<>();
    for (Bin b : s.getBins()) {
      m.put(b.getName(), b.getTaxid() + " " + b.getSequences() + " " + b.getResidues());
    }
    m.put("(unclassified)", String.valueOf(s.getUnclassified()));
    return m;
  }

  /** Each shard's record ids (the accession, whatever the header's layout). */
  static List<TreeSet<String>> shards(File dir) throws IOException {
    List<TreeSet<String>> out = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      TreeSet<String> ids = new TreeSet<>();
      File shard = new File(dir, String.format("shards/shard-%05d", i));
      for (File f : shard.listFiles((d, n) -> n.endsWith(".fasta"))) {
        for (String line : Files.readAllLines(f.toPath(), StandardCharsets.UTF_8)) {
          if (line.startsWith(">")) {
            String first = line.substring(1).split(" ")[0];
            ids.add(first.startsWith("tr|") ? first.split("\\|")[1] : first.substring(0, first.indexOf('.')));
          }
        }
      }
      out.add(ids);
    }
    return out;
  }

  @Test
  void tablesBinAsHeadersDo() throws Exception {
    File reference = run(conf(null), withTaxids, "headers");
    File joined = run(conf(full.getPath() + "," + fourColumns.getPath()), withoutTaxids, "tables");
    Map<String, String> want = bins(new File(reference, "scan"));
    assertTrue(want.size() > 5, want.toString());
    assertEquals("1", want.get("(unclassified)"), "the generator's one record of an unknown taxid");
    assertEquals(want, bins(new File(joined, "scan")));
    assertEquals(shards(reference), shards(joined));
    assertEquals(records, shards(joined).stream().mapToInt(TreeSet::size).sum());

    // The taxids lie in the scan's folder, listed by its stats.json, one part per split.
    JsonNode stats = new com.fasterxml.jackson.databind.ObjectMapper().readTree(new File(joined, "scan/stats.json"));
    assertTrue(stats.path("files").toString().contains("\"taxids/taxids.json\""), stats.path("files").toString());
    JsonNode taxids = new com.fasterxml.jackson.databind.ObjectMapper().readTree(new File(joined, "scan/taxids/taxids.json"));
    assertTrue(taxids.path("splits").asInt() >= 4, taxids.toString());
    long pairs = 0;
    for (File f : new File(joined, "scan/taxids").listFiles((d, n) -> n.startsWith("part-r-"))) {
      pairs += f.length() / 12;
    }
    assertEquals(records, pairs, "one (offset, taxid) pair a record");
    assertTrue(!new File(tmp, "tables/.scan.taxids").exists(), "nothing left beside the output");

    // Without the tables, the same headers name no taxon.
    File none = new File(tmp, "none");
    assertEquals(0, Pipeline.run(conf(null), new ScanJob(), "--input", withoutTaxids.getPath(), "--taxonomy",
        new File(tmp, "gen/taxdump").getPath(), "--out", none.getPath()));
    assertEquals(records, StatsFiles.read(ScanJobTest.localConf(), new org.apache.hadoop.fs.Path(none.getAbsolutePath()))
        .getUnclassified());
  }

  /** Gzip (one split) and BGZF (several, at virtual offsets): the records meet their rows as in plain FASTA. */
  @Test
  void compressedDatabasesJoinAsPlainOnes() throws Exception {
    File gz = new File(tmp, "bare.fasta.gz");
    File bgzf = new File(tmp, "bare.bgzf.fasta.gz");
    byte[] bare = Files.readAllBytes(withoutTaxids.toPath());
    try (OutputStream o = new GZIPOutputStream(new java.io.FileOutputStream(gz))) {
      o.write(bare);
    }
    try (htsjdk.samtools.util.BlockCompressedOutputStream o = new htsjdk.samtools.util.BlockCompressedOutputStream(bgzf)) {
      for (int i = 0; i < bare.length; i += 4096) {
        o.write(bare, i, Math.min(4096, bare.length - i));
        o.flush();
      }
    }
    Map<String, String> want = scanBins(conf(null), withTaxids, "plain-headers");
    for (File db : new File[] {gz, bgzf}) {
      Configuration c = conf(full.getPath() + "," + fourColumns.getPath());
      c.setLong("mapreduce.input.fileinputformat.split.maxsize", 16 << 10);
      assertEquals(want, scanBins(c, db, db.getName() + "-tables"), db.getName());
    }
    JsonNode taxids = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        new File(tmp, bgzf.getName() + "-tables/taxids/taxids.json"));
    assertTrue(taxids.path("splits").asInt() >= 4, "BGZF in several splits: " + taxids);
  }

  static Map<String, String> scanBins(Configuration c, File db, String name) throws Exception {
    File out = new File(tmp, name);
    assertEquals(0, Pipeline.run(c, new ScanJob(), "--input", db.getPath(), "--taxonomy",
        new File(tmp, "gen/taxdump").getPath(), "--out", out.getPath()));
    return bins(out);
  }

  @Test
  void aBadRowIsBadInputNamingTheTableAndByte() throws Exception {
    File bad = new File(tmp, "bad.accession2taxid");
    Files.writeString(bad.toPath(), "accession\taccession.version\ttaxid\tgi\nXP_1\tXP_1.1\t909\t1\nXP_2\tXP_2.1\tnine\t2\n");
    File out = new File(tmp, "bad-scan");
    BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(BadInputException.class, () -> Pipeline.run(
        conf(bad.getPath()), new ScanJob(), "--input", withoutTaxids.getPath(), "--taxonomy",
        new File(tmp, "gen/taxdump").getPath(), "--out", out.getPath()));
    assertTrue(e.getMessage().contains("bad.accession2taxid") && e.getMessage().contains("byte 55")
        && e.getMessage().contains("'nine' is not a number"), e.getMessage());
    assertTrue(!out.exists() && !new File(tmp, ".bad-scan.taxids").exists(), "no output left");

    Configuration lenient = conf(bad.getPath());
    lenient.setBoolean("taxoshard.input.lenient", true);
    assertEquals(0, Pipeline.run(lenient, new ScanJob(), "--input", withoutTaxids.getPath(), "--taxonomy",
        new File(tmp, "gen/taxdump").getPath(), "--out", out.getPath()));
  }
}
