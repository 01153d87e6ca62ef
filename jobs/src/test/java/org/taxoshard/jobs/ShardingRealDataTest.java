package org.taxoshard.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.taxonomy.TaxonLookup;
import org.taxoshard.testing.SharedData;

/**
 * The bars on the real data, 16 shards at genus rank, beside the hash baseline (skipped,
 * visibly, without ../shared/data): stratified residues max/mean &lt;= 1.01 and every bin within
 * 1 of its fair share (and largest TV distance &lt;= 0.005 on the proteomes); taxonomic-balanced
 * residues max/mean &lt;= 1.02 with no bin on more than one shard beyond the fewest it needs.
 */
class ShardingRealDataTest {
  static final int SHARDS = 16;

  @TempDir
  File tmp;

  /** The proteomes' cases share one folder: one scan, one similarity plan, one hash shard for all. */
  @TempDir
  static File proteomesDir;

  static Pipeline proteomesPipeline() {
    return new Pipeline(proteomesDir, SharedData.require("proteomes").getPath(), SharedData.require("taxdump").getPath());
  }

  @Test
  void proteomes() throws Exception {
    Pipeline p = proteomesPipeline();
    JsonNode hash = balance(p, "hash");
    JsonNode strat = balance(p, "stratified");
    assertTrue(strat.get("residues_max_over_mean").asDouble() <= 1.01, strat.toString());
    assertTrue(strat.get("max_fair_share_deviation").asDouble() <= 1.0, strat.toString());
    assertTrue(strat.get("max_tv_distance").asDouble() <= 0.005, strat.toString());
    assertTrue(hash.get("max_tv_distance").asDouble() > 0.01, "hash is the weaker baseline: " + hash);
    File tb = p.shard("taxonomic-balanced", SHARDS);
    assertEquals(0, p.verify(tb));
    JsonNode bal = Pipeline.manifest(tb).get("balance");
    assertTrue(bal.get("residues_max_over_mean").asDouble() <= 1.02, bal.toString());
    assertSpansWithinOneOfFewest(p, tb);
  }

  /**
   * similarity: at least 90% of the pairs at MinHash Jaccard &gt;= 0.5 on one shard, and a smaller
   * compressed total than hash, both measured on the shards as written.
   */
  @Test
  void proteomesSimilarity() throws Exception {
    Pipeline p = proteomesPipeline();
    File sim = p.shard("similarity", SHARDS);
    assertEquals(0, p.verify(sim));
    File hash = p.shard("hash", SHARDS);
    long[][] pairs = SimilarityJob.readPairs(ScanJobTest.localConf(),
        new org.apache.hadoop.fs.Path(new File(p.plan("similarity", SHARDS), "pairs").getAbsolutePath()));
    assertTrue(pairs.length > 1000, "the proteomes hold thousands of similar pairs: " + pairs.length);
    double simTogether = together(pairs, shardOf(sim));
    double hashTogether = together(pairs, shardOf(hash));
    long simBytes = gzipped(sim);
    long hashBytes = gzipped(hash);
    System.out.printf("similarity: %d pairs, on one shard %.4f (hash %.4f); gzip %d bytes (hash %d)%n", pairs.length,
        simTogether, hashTogether, simBytes, hashBytes);
    assertTrue(simTogether >= 0.9, "pairs on one shard " + simTogether);
    assertTrue(simBytes < hashBytes, simBytes + " >= " + hashBytes);
    long simManifest = Pipeline.manifest(sim).get("compressed_bytes").asLong();
    long hashManifest = Pipeline.manifest(hash).get("compressed_bytes").asLong();
    assertTrue(simManifest < hashManifest, "the manifest says so too: " + simManifest + " >= " + hashManifest);
  }

  /**
   * The proteomes' similar pairs clustered by MapReduce rounds (no pair on the client) give the
   * plan the client's union-find gives: the same plan, the same split files byte for byte.
   */
  @Test
  void proteomesSimilarityByRoundsEqualsTheClient() throws Exception {
    Pipeline p = proteomesPipeline();
    File client = p.plan("similarity", SHARDS);
    File rounds = new File(tmp, "plan-similarity-rounds");
    Configuration conf = ScanJobTest.localConf();
    conf.setLong(TaxoshardKeys.SIMILARITY_CLIENT_PAIRS.key(), 0);
    assertEquals(0, Pipeline.run(conf, new PlanCommand(), "--stats", p.scan().getPath(), "--strategy", "similarity",
        "--shards", String.valueOf(SHARDS), "--out", rounds.getPath()));
    org.taxoshard.avro.Plan a = PlanFiles.read(conf, new org.apache.hadoop.fs.Path(client.getAbsolutePath()));
    org.taxoshard.avro.Plan b = PlanFiles.read(conf, new org.apache.hadoop.fs.Path(rounds.getAbsolutePath()));
    assertTrue(a.getClusteredRecords() > 1000, "clustered records: " + a.getClusteredRecords());
    assertEquals(a, b);
    String[] parts = new File(client, Clusters.FOLDER).list((d, f) -> f.startsWith("part-"));
    assertEquals(a.getSplits().size(), parts.length);
    for (String part : parts) {
      assertTrue(java.util.Arrays.equals(java.nio.file.Files.readAllBytes(new File(new File(client, Clusters.FOLDER), part).toPath()),
          java.nio.file.Files.readAllBytes(new File(new File(rounds, Clusters.FOLDER), part).toPath())), part);
    }
    assertEquals(Pipeline.json(new File(client, PlanFiles.JSON)).get("similarity"),
        Pipeline.json(new File(rounds, PlanFiles.JSON)).get("similarity"));
  }

  static Map<Long, Integer> shardOf(File shards) throws Exception {
    return shardOf(shards, SHARDS);
  }

  /** Each record's shard by its database ordinal, over the {@code n} shards of a shard output. */
  static Map<Long, Integer> shardOf(File shards, int n) throws Exception {
    Map<Long, Integer> where = new java.util.HashMap<>();
    for (int s = 0; s < n; s++) {
      String name = ShardReducer.shardName(s);
      File avro = new File(new File(shards, name), name + ".avro");
      try (org.apache.avro.file.DataFileReader<org.taxoshard.avro.Sequence> r = new org.apache.avro.file.DataFileReader<>(
          avro, new org.apache.avro.specific.SpecificDatumReader<>(org.taxoshard.avro.Sequence.class))) {
        for (org.taxoshard.avro.Sequence q : r) {
          where.put(q.getOrdinal(), s);
        }
      }
    }
    return where;
  }

  static double together(long[][] pairs, Map<Long, Integer> where) {
    long same = 0;
    for (long[] pr : pairs) {
      if (where.get(pr[0]).equals(where.get(pr[2]))) {
        same++;
      }
    }
    return same / (double) pairs.length;
  }

  static long gzipped(File shards) throws Exception {
    long total = 0;
    for (int s = 0; s < SHARDS; s++) {
      String name = ShardReducer.shardName(s);
      byte[] fasta = java.nio.file.Files.readAllBytes(new File(new File(shards, name), name + ".fasta").toPath());
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
        gz.write(fasta);
      }
      total += out.size();
    }
    return total;
  }

  @Test
  void sixteenS() throws Exception {
    File fasta = SharedData.require("16s");
    File taxdump = SharedData.require("taxdump");
    Pipeline p = new Pipeline(tmp, fasta.getPath(), taxdump.getPath());
    Configuration conf = ScanJobTest.localConf();
    TaxoshardKeys.TAXONOMY_HEADER_REGEX.set(conf, TaxonLookup.SIXTEEN_S_EXAMPLE_REGEX);
    assertEquals(0, Pipeline.run(conf, new ScanJob(), "--input", p.input, "--taxonomy", p.taxonomy, "--out",
        new File(tmp, "scan").getPath()));
    JsonNode strat = balance(p, "stratified");
    assertTrue(strat.get("residues_max_over_mean").asDouble() <= 1.01, strat.toString());
    assertTrue(strat.get("max_fair_share_deviation").asDouble() <= 1.0, strat.toString());
    JsonNode hash = balance(p, "hash");
    assertTrue(hash.get("max_fair_share_deviation").asDouble() > 2, "hash is the weaker baseline: " + hash);
  }

  static JsonNode balance(Pipeline p, String strategy) throws Exception {
    File shards = p.shard(strategy, SHARDS);
    assertEquals(0, p.verify(shards), strategy + ": verify");
    JsonNode m = Pipeline.manifest(shards);
    System.out.println(strategy + " " + m.get("balance"));
    return m.get("balance");
  }

  static void assertSpansWithinOneOfFewest(Pipeline p, File shards) throws Exception {
    JsonNode stats = Pipeline.json(new File(p.scan(), StatsFiles.JSON));
    double capacity = stats.get("residues").asLong() / (double) SHARDS;
    Map<String, Integer> spans = ShardingTest.spans(shards);
    for (var it = stats.get("bins").fields(); it.hasNext(); ) {
      var e = it.next();
      int fewest = (int) Math.ceil(e.getValue().get("residues").asLong() / capacity);
      int span = spans.get(e.getValue().get("taxid").asText());
      assertTrue(span <= fewest + 1, e.getKey() + " on " + span + " shards, needs " + fewest);
    }
  }
}
