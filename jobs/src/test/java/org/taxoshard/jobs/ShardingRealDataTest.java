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

  @Test
  void proteomes() throws Exception {
    Pipeline p = new Pipeline(tmp, SharedData.require("proteomes").getPath(), SharedData.require("taxdump").getPath());
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
