package org.taxoshard.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pipeline configuration: the contract's layout read, every mistake named by file, line and key. */
class PipelineConfigTest {
  static final String CONTRACT_EXAMPLE = String.join("\n",
      "[input]",
      "database = [\"hdfs:///db/nr.fasta\"]",
      "taxonomy = \"hdfs:///db/taxdump\"",
      "queries  = [\"hdfs:///queries/batch1.fasta\"]",
      "work     = \"hdfs:///taxoshard/run1\"",
      "",
      "[distributed]",
      "enabled = true          # false: embedded local runner",
      "num_shards = 16",
      "max_shard_size_gb = 20",
      "",
      "[sharding]",
      "strategy = \"taxonomic-balanced\"",
      "rank = \"genus\"",
      "min_taxa_per_shard = 100",
      "balance_threshold = 0.2",
      "overlap_size_mb = 100",
      "",
      "[statistics]",
      "maintain_global = true",
      "correction_method = \"compositional\"   # or \"none\"",
      "",
      "[cluster]",
      "coordinator = \"rm.example.org:8032\"",
      "filesystem  = \"hdfs://nn.example.org:8020\"",
      "",
      "[search]",
      "program = \"blastp\"",
      "evalue = 1e-5",
      "max_target_seqs = 500",
      "",
      "[hadoop]",
      "\"mapreduce.map.memory.mb\" = \"4096\"",
      "");

  static String message(String toml) {
    return assertThrows(PipelineConfig.ConfigException.class, () -> PipelineConfig.parse("p.toml", toml)).getMessage();
  }

  @Test
  void theContractsExampleReads() {
    PipelineConfig c = PipelineConfig.parse("p.toml", CONTRACT_EXAMPLE);
    assertEquals(List.of("hdfs:///db/nr.fasta"), c.database());
    assertEquals("hdfs:///db/taxdump", c.taxonomy());
    assertEquals("hdfs:///taxoshard/run1", c.work());
    assertTrue(c.distributed());
    assertEquals(16, c.numShards());
    assertEquals("taxonomic-balanced", c.strategy());
    assertEquals(100.0, c.overlapSizeMb());
    assertEquals(1e-5, c.evalue());
    assertEquals(500, c.maxTargetSeqs());
    assertEquals("rm.example.org:8032", c.coordinator());
    assertEquals("4096", c.hadoop().get("mapreduce.map.memory.mb"));
  }

  @Test
  void unknownKeyIsNamedWithItsLine() {
    String m = message(CONTRACT_EXAMPLE.replace("rank = \"genus\"", "rank = \"genus\"\nshard_count = 3"));
    assertTrue(m.startsWith("p.toml line 15: [sharding] shard_count: unknown key"), m);
  }

  @Test
  void everyUnknownKeyAndWrongTypeIsNamedAtOnce() {
    String m = message(CONTRACT_EXAMPLE.replace("rank = \"genus\"", "rank = \"genus\"\nshard_count = 3\nshard_sise = 2")
        .replace("evalue = 1e-5", "evalue = \"small\"") + "\n[extras]\nx = 1\n");
    String[] lines = m.split("\n");
    assertEquals(4, lines.length, m);
    assertTrue(lines[0].startsWith("p.toml line 15: [sharding] shard_count: unknown key"), m);
    assertTrue(lines[1].startsWith("p.toml line 16: [sharding] shard_sise: unknown key"), m);
    assertTrue(lines[2].startsWith("p.toml line 31: [search] evalue: must be a number"), m);
    assertTrue(lines[3].contains("unknown section [extras]"), m);
  }

  @Test
  void unknownSectionIsNamed() {
    String m = message(CONTRACT_EXAMPLE + "\n[extras]\nx = 1\n");
    assertTrue(m.contains("line 35") && m.contains("unknown section [extras]"), m);
  }

  @Test
  void wrongTypesAreNamedWithTheirLines() {
    String m = message(CONTRACT_EXAMPLE.replace("num_shards = 16", "num_shards = \"sixteen\""));
    assertTrue(m.startsWith("p.toml line 9: [distributed] num_shards: must be an integer"), m);
    m = message(CONTRACT_EXAMPLE.replace("enabled = true", "enabled = \"yes\""));
    assertTrue(m.startsWith("p.toml line 8: [distributed] enabled: must be true or false"), m);
    m = message(CONTRACT_EXAMPLE.replace("evalue = 1e-5", "evalue = [1]"));
    assertTrue(m.startsWith("p.toml line 29: [search] evalue: must be a number"), m);
  }

  @Test
  void badValuesAreNamed() {
    assertTrue(message(CONTRACT_EXAMPLE.replace("\"taxonomic-balanced\"", "\"alphabetical\"")).contains(
        "line 13: [sharding] strategy: must be one of"));
    assertTrue(message(CONTRACT_EXAMPLE.replace("\"compositional\" ", "\"fancy\" ")).contains(
        "[statistics] correction_method"));
    assertTrue(message(CONTRACT_EXAMPLE.replace("maintain_global = true", "maintain_global = false")).contains(
        "line 20: [statistics] maintain_global"));
    assertTrue(message(CONTRACT_EXAMPLE.replace("num_shards = 16", "num_shards = 0")).contains("at least 1"));
  }

  @Test
  void requiredKeysAndBadTomlAreNamed() {
    assertTrue(message("[input]\nwork = \"w\"\n").contains("p.toml line 1: [input] database is required"));
    String m = message("[input]\ndatabase = [\"a\"\nwork = \"w\"\n");
    assertTrue(m.startsWith("p.toml line ") && m.contains("not valid TOML"), m);
  }

  @Test
  void defaultsFillWhatIsLeftOut() {
    PipelineConfig c = PipelineConfig.parse("p.toml", "[input]\ndatabase = \"db.fasta\"\nwork = \"w\"\n");
    assertEquals(List.of("db.fasta"), c.database());
    assertTrue(c.queries().isEmpty());
    assertTrue(!c.distributed());
    assertEquals("compositional", c.correctionMethod());
    assertEquals(10.0, c.evalue());
    assertNull(c.sensitivity());
    assertNull(c.seg());
    c = PipelineConfig.parse("p.toml", CONTRACT_EXAMPLE.replace("max_target_seqs = 500",
        "max_target_seqs = 500\nsensitivity = \"fast\"\nseg = \"12 2.2 2.5\""));
    assertEquals("fast", c.sensitivity());
    assertEquals("12 2.2 2.5", c.seg());
  }
}
