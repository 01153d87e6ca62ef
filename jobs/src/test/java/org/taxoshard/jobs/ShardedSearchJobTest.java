package org.taxoshard.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taxoshard.avro.SearchHit;
import org.taxoshard.testing.SharedData;

/**
 * The sharded search's promise: {@code search --index} over any number of shards, cut by any
 * strategy, writes the same {@code hits.tsv}, byte for byte, as {@code search --db} over the whole
 * FASTA. On generated proteins (every strategy at 4 shards, round-robin at 1, 2 and 16), generated
 * nucleotides (both strands), and the real proteomes with real queries at 16 shards.
 */
class ShardedSearchJobTest {
  @TempDir
  static File tmp;

  static Pipeline proteins;
  static File proteinReference;

  @BeforeAll
  static void generate() throws Exception {
    File dir = new File(tmp, "gen");
    assertEquals(0, Pipeline.run(new GenerateCommand(), "--out", dir.getPath(), "--sequences", "3000", "--queries", "20",
        "--seed", "7"));
    proteins = new Pipeline(dir, new File(dir, "db.fasta").getPath(), new File(dir, "taxdump").getPath());
    proteinReference = Pipeline.searchDb(proteins.input, queries(proteins), new File(tmp, "gen-db"));
    assertTrue(Files.size(proteinReference.toPath()) > 1000, "the reference search finds hits");
  }

  static String queries(Pipeline p) {
    return new File(p.dir, "queries.fasta").getPath();
  }

  /** Shards, indexes and searches; asserts hits.tsv equals the reference; returns the search's folder. */
  static File assertSameAsReference(Pipeline p, File reference, String strategy, int shards, String... extra)
      throws Exception {
    File index = p.index(p.shard(strategy, shards));
    File out = new File(p.dir, "search-" + strategy + "-" + shards);
    File hits = Pipeline.searchIndex(index, queries(p), out, extra);
    assertArrayEquals(Files.readAllBytes(reference.toPath()), Files.readAllBytes(hits.toPath()),
        strategy + " x" + shards + ": hits.tsv differs from the unsharded search");
    return out;
  }

  /**
   * Every strategy at 4 shards gives the reference hits, and nothing is lost on the way: records
   * in = records across the shards = sequences indexed, and verify finds every input record in one
   * shard and every shard record in its shard's index.
   */
  @Test
  void everyStrategyAtFourShards() throws Exception {
    for (String strategy : List.of("round-robin", "hash", "taxonomic-balanced", "stratified", "similarity")) {
      assertSameAsReference(proteins, proteinReference, strategy, 4);
      File shards = proteins.shard(strategy, 4);
      File index = proteins.index(shards);
      long in = Pipeline.json(new File(proteins.scan(), StatsFiles.JSON)).get("sequences").asLong();
      assertEquals(3000, in);
      assertEquals(in, Pipeline.manifest(shards).get("sequences").asLong(), strategy + ": records across the shards");
      assertEquals(in, Pipeline.json(new File(index, IndexFiles.JSON)).get("sequences").asLong(),
          strategy + ": sequences indexed");
      assertEquals(0, Pipeline.run(new VerifyJob(), "--input", proteins.input, "--shards", shards.getPath(), "--index",
          index.getPath()), strategy + ": verify");
    }
  }

  @Test
  void oneTwoAndSixteenShards() throws Exception {
    for (int shards : new int[] {1, 2, 16}) {
      File out = assertSameAsReference(proteins, proteinReference, "round-robin", shards);
      // hits.avro holds the same rows as hits.tsv, in the same order.
      List<String> rows = Files.readAllLines(new File(out, "hits.tsv").toPath());
      try (DataFileReader<SearchHit> avro = new DataFileReader<>(new File(out, "hits.avro"),
          new SpecificDatumReader<>(SearchHit.class))) {
        int i = 0;
        for (SearchHit h : avro) {
          String[] f = rows.get(i++).split("\t");
          assertEquals(f[0] + "\t" + f[1] + "\t" + f[6] + "\t" + f[7], h.getQseqid() + "\t" + h.getSseqid() + "\t"
              + h.getQstart() + "\t" + h.getQend());
        }
        assertEquals(rows.size(), i);
      }
    }
  }

  /**
   * {@code --sensitivity fast} reaches the map tasks through the job configuration: the sharded
   * search equals {@code search --db} with the same option, and not the default search.
   */
  @Test
  void fastSensitivityShardedEqualsWhole() throws Exception {
    File fast = Pipeline.searchDb(proteins.input, queries(proteins), new File(tmp, "gen-db-fast"), "--sensitivity", "fast",
        "--comp-based-stats", "0");
    File plain = Pipeline.searchDb(proteins.input, queries(proteins), new File(tmp, "gen-db-plain"), "--comp-based-stats", "0");
    assertTrue(Files.size(fast.toPath()) > 1000, "the fast search finds hits");
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(fast.toPath()), Files.readAllBytes(plain.toPath())),
        "on this database the fast search's rows differ from BLAST's own, so the comparison below means something");
    // Three shards: no other test writes search-hash-3.
    assertSameAsReference(proteins, fast, "hash", 3, "--sensitivity", "fast", "--comp-based-stats", "0");
  }

  /**
   * {@code --seg yes} reaches the map tasks too: the sharded search with it equals {@code search
   * --db} with it, which differs from the search without it.
   */
  @Test
  void segMaskedShardedEqualsWhole() throws Exception {
    File seg = Pipeline.searchDb(proteins.input, queries(proteins), new File(tmp, "gen-db-seg"), "--seg", "yes");
    assertTrue(Files.size(seg.toPath()) > 1000, "the masked search finds hits");
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(seg.toPath()), Files.readAllBytes(proteinReference.toPath())),
        "on this database SEG changes some rows, so the comparison below means something");
    File index = proteins.index(proteins.shard("hash", 3));
    File hits = Pipeline.searchIndex(index, queries(proteins), new File(tmp, "search-seg-hash-3"), "--seg", "yes");
    assertArrayEquals(Files.readAllBytes(seg.toPath()), Files.readAllBytes(hits.toPath()),
        "hash x3 --seg yes: hits.tsv differs from the unsharded search");
  }

  /** The index carries the scan's figures, and each shard's index its manifest's. */
  @Test
  void indexJsonCarriesTheWholeDatabasesFigures() throws Exception {
    File shards = proteins.shard("hash", 4);
    JsonNode index = Pipeline.json(new File(proteins.index(shards), IndexFiles.JSON));
    JsonNode stats = Pipeline.json(new File(proteins.scan(), StatsFiles.JSON));
    assertEquals(stats.get("sequences").asLong(), index.get("sequences").asLong());
    assertEquals(stats.get("residues").asLong(), index.get("residues").asLong());
    assertEquals("protein", index.get("alphabet").asText());
    JsonNode manifest = Pipeline.manifest(shards);
    for (int s = 0; s < 4; s++) {
      JsonNode i = index.get("shards").get(s);
      assertEquals(manifest.get("shards").get(s).get("sequences").asLong(), i.get("sequences").asLong());
      assertEquals(new File(proteins.index(shards), i.get("path").asText()).length(), i.get("bytes").asLong());
      assertTrue(i.get("checksum").asText().matches("crc32c:[0-9a-f]{8}"), i.toString());
    }
    assertTrue(new File(proteins.index(shards), StatsFiles.AVRO).exists(), "stats.avro travels with the index");
  }

  /**
   * A query with no residues, one of the wrong alphabet and one above the maximum length are each
   * named (file, place, id) once, however many shards; the others are answered as search --db
   * answers them. An empty query file is bad input.
   */
  @Test
  void badQueriesAreNamedOnceAndTheOthersAnswered() throws Exception {
    String good = Files.readString(new File(queries(proteins)).toPath());
    StringBuilder tooLong = new StringBuilder(">long\n");
    for (int i = 0; i < 700; i++) {
      tooLong.append("ACDEFGHIKLMNPQRSTVWY".charAt(i % 20));
    }
    File q = new File(tmp, "bad-queries.fasta");
    Files.writeString(q.toPath(), ">empty\n>dna\nACGTACGTACGTACGTACGTACGTACGTAC\n" + tooLong + "\n" + good);
    File index = proteins.index(proteins.shard("hash", 4));
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.err;
    System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
    File out = new File(tmp, "bad-search");
    try {
      assertEquals(0, Pipeline.run(new SearchCommand(), "-D", "taxoshard.search.max-query-length=600", "--index",
          index.getPath(), "--queries", q.getPath(), "--out", out.getPath()));
    } finally {
      System.setErr(saved);
    }
    String messages = err.toString(StandardCharsets.UTF_8);
    for (String expected : new String[] {"'empty': no residues", "'dna': looks like nucleotide",
        "'long': 700 residues, above taxoshard.search.max-query-length = 600"}) {
      assertEquals(1, messages.split(java.util.regex.Pattern.quote(expected), -1).length - 1, messages);
    }
    assertTrue(messages.contains(q.getName()), "names the file: " + messages);
    assertArrayEquals(Files.readAllBytes(proteinReference.toPath()), Files.readAllBytes(new File(out, "hits.tsv").toPath()),
        "the good queries are answered as when alone");

    File empty = new File(tmp, "empty.fasta");
    Files.writeString(empty.toPath(), "");
    org.junit.jupiter.api.Assertions.assertThrows(org.taxoshard.formats.BadInputException.class, () -> Pipeline.run(
        new SearchCommand(), "--index", index.getPath(), "--queries", empty.getPath(), "--out",
        new File(tmp, "empty-search").getPath()));
    assertTrue(!new File(tmp, "empty-search").exists(), "no output that looks complete");
  }

  /** Loses shard 1's lists on the map side, as a library that reads the shuffle otherwise could. */
  public static class LosingCombiner extends org.apache.hadoop.mapreduce.Reducer<QueryKey, ShardHits, QueryKey, ShardHits> {
    @Override
    protected void reduce(QueryKey key, Iterable<ShardHits> values, Context context)
        throws java.io.IOException, InterruptedException {
      for (ShardHits v : values) {
        if (v.shard != 1) {
          context.write(key, v);
        }
      }
    }
  }

  /**
   * A merge that receives fewer lists than the maps sent would write fewer hits that look right:
   * the search fails instead (exit 1), saying what was sent and received, and leaves no output.
   */
  @Test
  void listsLostOnTheWayToTheMergeFailTheSearch() throws Exception {
    File index = proteins.index(proteins.shard("hash", 4));
    File out = new File(tmp, "search-lost");
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.err;
    System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
    int status;
    try {
      status = Pipeline.run(new SearchCommand(), "-D", "mapreduce.job.combine.class=" + LosingCombiner.class.getName(),
          "--index", index.getPath(), "--queries", queries(proteins), "--out", out.getPath());
    } finally {
      System.setErr(saved);
    }
    String messages = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, status, messages);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("records lost: the maps sent ([\\d,]+) lists of ([\\d,]+)"
        + " hits, the merge received ([\\d,]+) lists of ([\\d,]+) hits").matcher(messages);
    assertTrue(m.find(), messages);
    java.util.function.Function<String, Long> n = t -> Long.parseLong(t.replace(",", ""));
    assertTrue(n.apply(m.group(3)) < n.apply(m.group(1)) && n.apply(m.group(4)) < n.apply(m.group(2)), messages);
    assertFalse(out.exists(), "no output that looks complete");
  }

  /** Generated nucleotides and their queries, each query also reverse-complemented (minus-strand hits). */
  static Pipeline nucleotides(String name, int joinRecords) throws Exception {
    File dir = new File(tmp, name);
    assertEquals(0, Pipeline.run(new GenerateCommand(), "--out", dir.getPath(), "--alphabet", "nucleotide",
        "--sequences", "600", "--queries", "10", "--seed", "11"));
    File q = new File(dir, "queries.fasta");
    StringBuilder both = new StringBuilder();
    for (String[] r : records(q)) {
      appendWithReverseComplement(both, r[0].split("\\s")[0], r[1]);
    }
    Files.writeString(q.toPath(), both.toString());
    Files.deleteIfExists(new File(dir, ".queries.fasta.crc").toPath()); // the local file system's checksum of the old file
    if (joinRecords > 1) {
      // Long records, as a few bacterial genomes: each the residues of joinRecords generated ones, under the first's header.
      File db = new File(dir, "db.fasta");
      List<String[]> records = records(db);
      StringBuilder joined = new StringBuilder();
      for (int i = 0; i < records.size(); i += joinRecords) {
        joined.append('>').append(records.get(i)[0]).append('\n');
        for (int j = i; j < Math.min(records.size(), i + joinRecords); j++) {
          joined.append(records.get(j)[1]);
        }
        joined.append('\n');
      }
      Files.writeString(db.toPath(), joined.toString());
      Files.deleteIfExists(new File(dir, ".db.fasta.crc").toPath());
    }
    return new Pipeline(dir, new File(dir, "db.fasta").getPath(), new File(dir, "taxdump").getPath());
  }

  /** A small FASTA file's records as {header, residues}. */
  static List<String[]> records(File fasta) throws Exception {
    List<String[]> out = new java.util.ArrayList<>();
    StringBuilder seq = null;
    String header = null;
    for (String line : Files.readAllLines(fasta.toPath())) {
      if (line.startsWith(">")) {
        if (header != null) {
          out.add(new String[] {header, seq.toString()});
        }
        header = line.substring(1);
        seq = new StringBuilder();
      } else {
        seq.append(line.trim());
      }
    }
    if (header != null) {
      out.add(new String[] {header, seq.toString()});
    }
    return out;
  }

  @Test
  void nucleotidesOnBothStrands() throws Exception {
    Pipeline p = nucleotides("nt", 1);
    File reference = Pipeline.searchDb(p.input, queries(p), new File(tmp, "nt-db"), "--evalue", "1e-5");
    List<String> rows = Files.readAllLines(reference.toPath());
    assertTrue(rows.stream().anyMatch(r -> {
      String[] f = r.split("\t");
      return Integer.parseInt(f[8]) > Integer.parseInt(f[9]);
    }), "the generated queries hit the minus strand too");
    assertSameAsReference(p, reference, "hash", 4, "--evalue", "1e-5");
  }

  /**
   * Long records (12 of about 50,000 bases) cut in the index into fragments of 8,000 overlapping
   * by 3,000: hits in the records' own coordinates, E-values for their whole length, each once.
   */
  @Test
  void longRecordsCutIntoFragments() throws Exception {
    Pipeline p = nucleotides("nt-long", 50);
    File reference = Pipeline.searchDb(p.input, queries(p), new File(tmp, "nt-long-db"), "--evalue", "1e-5");
    assertTrue(Files.readAllLines(reference.toPath()).size() > 50, "the queries hit the long records");
    File shards = p.shard("hash", 4);
    File index = new File(tmp, "nt-long-index");
    assertEquals(0, Pipeline.run(new IndexJob(), "-D", "taxoshard.index.fragment-length=8000", "-D",
        "taxoshard.index.fragment-overlap=3000", "--shards", shards.getPath(), "--out", index.getPath()));
    JsonNode json = Pipeline.json(new File(index, IndexFiles.JSON));
    assertEquals(12, json.get("sequences").asLong());
    assertTrue(json.get("entries").asLong() > 12 * 5, "cut into fragments: " + json.get("entries"));
    File hits = Pipeline.searchIndex(index, queries(p), new File(tmp, "nt-long-search"), "--evalue", "1e-5");
    assertArrayEquals(Files.readAllBytes(reference.toPath()), Files.readAllBytes(hits.toPath()));
  }

  private static void appendWithReverseComplement(StringBuilder out, String id, CharSequence seq) {
    StringBuilder rc = new StringBuilder();
    for (int i = seq.length() - 1; i >= 0; i--) {
      char c = Character.toUpperCase(seq.charAt(i));
      rc.append(c == 'A' ? 'T' : c == 'C' ? 'G' : c == 'G' ? 'C' : c == 'T' ? 'A' : 'N');
    }
    out.append('>').append(id).append('\n').append(seq).append('\n');
    out.append('>').append(id).append("_rc\n").append(rc).append('\n');
  }

  /**
   * Real proteins against the 15 real proteomes sharded 16 ways (taxonomic-balanced): the queries
   * are every 9,000th protein of the proteomes, searched with composition-based statistics.
   */
  @Test
  void realProteomesSixteenShards() throws Exception {
    File proteomes = SharedData.require("proteomes");
    File dir = new File(tmp, "proteomes");
    dir.mkdirs();
    File db = new File(dir, "db.fasta");
    File queries = new File(dir, "queries.fasta");
    int n = 0;
    try (OutputStream all = new java.io.BufferedOutputStream(new java.io.FileOutputStream(db));
        OutputStream q = new java.io.FileOutputStream(queries)) {
      File[] files = proteomes.listFiles((d, name) -> name.endsWith(".fasta.gz"));
      java.util.Arrays.sort(files);
      for (File f : files) {
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
            new GZIPInputStream(new FileInputStream(f)), StandardCharsets.UTF_8))) {
          boolean take = false;
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (line.startsWith(">")) {
              take = n++ % 9000 == 0;
            }
            byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
            all.write(b);
            if (take) {
              q.write(b);
            }
          }
        }
      }
    }
    Pipeline p = new Pipeline(dir, db.getPath(), SharedData.require("taxdump").getPath());
    File reference = Pipeline.searchDb(db.getPath(), queries.getPath(), new File(dir, "search-db"), "--evalue", "1e-3");
    assertTrue(Files.readAllLines(reference.toPath()).size() > 100, "real queries find their families");
    assertSameAsReference(p, reference, "taxonomic-balanced", 16, "--evalue", "1e-3");
  }
}
