package org.taxoshard.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;

/** Runs the commands through ToolRunner on the local runner, as the driver does. */
final class Pipeline {
  final File dir;
  final String input;
  final String taxonomy;

  Pipeline(File dir, String input, String taxonomy) {
    this.dir = dir;
    this.input = input;
    this.taxonomy = taxonomy;
  }

  static int run(Tool tool, String... args) throws Exception {
    return ToolRunner.run(ScanJobTest.localConf(), tool, args);
  }

  static int run(Configuration conf, Tool tool, String... args) throws Exception {
    return ToolRunner.run(conf, tool, args);
  }

  File scan() throws Exception {
    File out = new File(dir, "scan");
    if (!out.exists()) {
      assertEquals(0, run(new ScanJob(), "--input", input, "--taxonomy", taxonomy, "--out", out.getPath()));
    }
    return out;
  }

  File plan(String strategy, int shards) throws Exception {
    File out = new File(dir, "plan-" + strategy + "-" + shards);
    if (!out.exists()) {
      assertEquals(0, run(new PlanCommand(), "--stats", scan().getPath(), "--strategy", strategy, "--shards",
          String.valueOf(shards), "--out", out.getPath()));
    }
    return out;
  }

  File shard(String strategy, int shards) throws Exception {
    return shard(strategy, shards, "shards-" + strategy + "-" + shards);
  }

  File shard(String strategy, int shards, String name) throws Exception {
    File out = new File(dir, name);
    if (!out.exists()) {
      assertEquals(0, run(new ShardJob(), "--input", input, "--plan", plan(strategy, shards).getPath(), "--out",
          out.getPath()));
    }
    return out;
  }

  /** The index of a shard output, built once. */
  File index(File shards) throws Exception {
    File out = new File(shards.getPath() + "-index");
    if (!out.exists()) {
      assertEquals(0, run(new IndexJob(), "--shards", shards.getPath(), "--out", out.getPath()));
    }
    return out;
  }

  /** hits.tsv of the sharded search over an index (extra: search options). */
  static File searchIndex(File index, String queries, File out, String... extra) throws Exception {
    String[] base = {"--index", index.getPath(), "--queries", queries, "--out", out.getPath()};
    assertEquals(0, run(new SearchCommand(), concat(base, extra)));
    return new File(out, "hits.tsv");
  }

  /** hits.tsv of the one-process search over the FASTA (extra: search options). */
  static File searchDb(String db, String queries, File out, String... extra) throws Exception {
    String[] base = {"--db", db, "--queries", queries, "--out", out.getPath()};
    assertEquals(0, run(new SearchCommand(), concat(base, extra)));
    return new File(out, "hits.tsv");
  }

  static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  int verify(File shards) throws Exception {
    return run(new VerifyJob(), "--input", input, "--shards", shards.getPath());
  }

  static JsonNode manifest(File shards) throws IOException {
    return new ObjectMapper().readTree(new File(shards, ShardJob.MANIFEST));
  }

  static JsonNode json(File f) throws IOException {
    return new ObjectMapper().readTree(f);
  }

  /** Each shard holds the residues its plan expected, to within {@code tolerance} x the mean shard's. */
  static void assertHoldsExpected(File plan, File shards, double tolerance) throws IOException {
    JsonNode expected = json(new File(plan, PlanFiles.JSON)).get("shards");
    JsonNode found = manifest(shards);
    double mean = found.get("residues").asDouble() / expected.size();
    for (int s = 0; s < expected.size(); s++) {
      double want = expected.get(s).get("residues").asDouble();
      double got = found.get("shards").get(s).get("residues").asDouble();
      org.junit.jupiter.api.Assertions.assertTrue(Math.abs(want - got) < tolerance * mean,
          "shard " + s + ": expected " + want + ", holds " + got);
    }
  }
}
