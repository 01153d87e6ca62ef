package org.taxoshard.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taxoshard.avro.Plan;
import org.taxoshard.formats.BadInputException;

/**
 * The sketching job on buckets both sides of {@link SimilarityJob#MAX_BUCKET_PAIRS}: 250 copies of
 * one protein are linked as a chain (249 pairs), 150 copies of another as all 11,175 pairs, and
 * 100 unrelated proteins as none; the plan keeps each family on one shard, across the scan's splits.
 */
class SimilarityJobTest {
  static final int COPIES = 250;
  static final int TWINS = 150;
  static final int SHARDS = 4;

  @TempDir
  static File tmp;

  static File db;
  static File plan;
  static Configuration conf;

  @BeforeAll
  static void planIt() throws Exception {
    Random random = new Random(3);
    String copy = protein(random, 300);
    String twin = protein(random, 280);
    db = new File(tmp, "families.fasta");
    try (PrintWriter w = new PrintWriter(db)) {
      // Interleaved, so that each family spans every split.
      for (int i = 0; i < COPIES + TWINS + 100; i++) {
        if (i % 5 == 4) {
          w.println(">other" + i + "\n" + protein(random, 200 + random.nextInt(200)));
        } else if (i % 5 == 3 || (i % 5 == 2 && i / 5 < TWINS - 100)) {
          w.println(">twin" + i + "\n" + twin);
        } else {
          w.println(">copy" + i + "\n" + copy);
        }
      }
    }
    conf = ScanJobTest.localConf();
    conf.setLong("mapreduce.input.fileinputformat.split.maxsize", 40_000);
    File scan = new File(tmp, "scan");
    assertEquals(0, Pipeline.run(conf, new ScanJob(), "--input", db.getPath(), "--out", scan.getPath()));
    plan = new File(tmp, "plan");
    assertEquals(0, Pipeline.run(conf, new PlanCommand(), "--stats", scan.getPath(), "--strategy", "similarity",
        "--shards", String.valueOf(SHARDS), "--out", plan.getPath()));
  }

  private static String protein(Random random, int length) {
    String alphabet = "ACDEFGHIKLMNPQRSTVWY";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  @Test
  void bucketsPastTheLimitAreChainedAndSmallerOnesPaired() throws Exception {
    long[][] pairs = SimilarityJob.readPairs(conf, new Path(new File(plan, "pairs").getAbsolutePath()));
    assertEquals(COPIES - 1 + TWINS * (TWINS - 1) / 2, pairs.length);
    JsonNode sim = Pipeline.json(new File(plan, PlanFiles.JSON)).get("similarity");
    assertEquals(COPIES + TWINS, sim.get("clustered_records").asLong(), sim.toString());
    assertEquals(1.0, sim.get("pairs_on_one_shard").asDouble(), sim.toString());
  }

  /**
   * The copies' cluster is too large for any shard's share (the others fill the rest): the plan
   * expects the imbalance the shards then show, shard by shard, instead of a hash plan's evenness.
   */
  @Test
  void expectedFiguresAreWhatTheShardsHold() throws Exception {
    File shards = new File(tmp, "shards");
    assertEquals(0, Pipeline.run(conf, new ShardJob(), "--input", db.getPath(), "--plan", plan.getPath(), "--out",
        shards.getPath()));
    Pipeline.assertHoldsExpected(plan, shards, 0.15);
    JsonNode expected = Pipeline.json(new File(plan, PlanFiles.JSON));
    JsonNode found = Pipeline.manifest(shards);
    double want = expected.get("balance").get("residues_max_over_mean").asDouble();
    double got = found.get("balance").get("residues_max_over_mean").asDouble();
    assertTrue(want > 1.5 && Math.abs(want - got) < 0.1, "residues max/mean: expected " + want + ", found " + got);
  }

  @Test
  void eachFamilyIsOneClusterOnOneShardAcrossTheSplits() throws Exception {
    Plan p = PlanFiles.read(conf, new Path(plan.getAbsolutePath()));
    assertTrue(p.getSplits().size() >= 3, "the database spans several splits: " + p.getSplits().size());
    FileSystem fs = FileSystem.getLocal(conf);
    Map<Long, Integer> members = new HashMap<>();
    Map<Long, Set<Integer>> shards = new HashMap<>();
    long last = -1;
    for (int s = 0; s < p.getSplits().size(); s++) {
      long first = p.getSplits().get(s).getOrdinal();
      long end = s + 1 < p.getSplits().size() ? p.getSplits().get(s + 1).getOrdinal() : Long.MAX_VALUE;
      try (Clusters.Reader r = new Clusters.Reader(fs, new Path(new File(new File(plan, Clusters.FOLDER),
          Clusters.part(s)).getAbsolutePath()))) {
        for (long o = first; o < end && o < COPIES + TWINS + 100; o++) {
          if (r.find(o)) {
            assertTrue(o > last, "ascending across the splits");
            last = o;
            members.merge(r.cluster(), 1, Integer::sum);
            shards.computeIfAbsent(r.cluster(), c -> new HashSet<>()).add(r.shard());
          }
        }
      }
    }
    assertEquals(Map.of(0L, COPIES, 2L, TWINS), members, "the copies start at ordinal 0, the twins at 2");
    shards.values().forEach(set -> assertEquals(1, set.size(), shards.toString()));
  }
  /**
   * A lenient scan skipped a bad record: the sketch job skips it too, so the records keep the
   * scan's numbering and the pairs are those of the same file without it. Each command gets a
   * configuration of its own, since {@code --lenient} sets its key in the one it is given.
   */
  @Test
  void afterALenientScanTheSketchesSkipWhatTheScanSkipped() throws Exception {
    File scan = scanLeniently(withBadRecord("with-bad.fasta"), "scan-lenient");
    File lenientPlan = new File(tmp, "plan-lenient");
    assertEquals(0, Pipeline.run(new Configuration(conf), new PlanCommand(), "--stats", scan.getPath(), "--strategy",
        "similarity", "--shards", String.valueOf(SHARDS), "--out", lenientPlan.getPath()));
    assertArrayEquals(SimilarityJob.readPairs(conf, new Path(new File(plan, "pairs").getAbsolutePath())),
        SimilarityJob.readPairs(conf, new Path(new File(lenientPlan, "pairs").getAbsolutePath())));
  }

  /** A record damaged in place after a lenient scan (the length unchanged) makes the counts disagree. */
  @Test
  void aRecordDamagedSinceALenientScanIsBadInput() throws Exception {
    File withBad = withBadRecord("damaged-later.fasta");
    File scan = scanLeniently(withBad, "scan-then-damaged");
    byte[] bytes = Files.readAllBytes(withBad.toPath());
    int residue = new String(bytes, StandardCharsets.US_ASCII).indexOf("\n", bytes.length / 2) + 1;
    residue = new String(bytes, StandardCharsets.US_ASCII).indexOf("\n", residue) + 1;
    bytes[residue] = '7';
    Files.write(withBad.toPath(), bytes);
    File out = new File(tmp, "plan-damaged");
    String m = assertThrows(BadInputException.class, () -> Pipeline.run(new Configuration(conf), new PlanCommand(),
        "--stats", scan.getPath(), "--strategy", "similarity", "--shards", String.valueOf(SHARDS), "--out",
        out.getPath())).getMessage();
    assertTrue(!out.exists(), "a failed plan leaves no output folder, so that the rerun needs no --overwrite");
    assertTrue(m.contains(withBad.getName()) && m.contains("changed since the scan") && m.contains("skipped 2")
        && m.contains("skipped 1"), m);
  }

  private static File scanLeniently(File input, String name) throws Exception {
    File scan = new File(tmp, name);
    assertEquals(0, Pipeline.run(new Configuration(conf), new ScanJob(), "--input", input.getPath(), "--out",
        scan.getPath(), "--lenient"));
    return scan;
  }

  /** The families' file with a bad record (a digit among its residues) before the first. */
  private static File withBadRecord(String name) throws Exception {
    File f = new File(tmp, name);
    Files.write(f.toPath(), (">broken digit among its residues\nMKV1AALLG\n"
        + Files.readString(db.toPath())).getBytes(StandardCharsets.US_ASCII));
    return f;
  }
}
