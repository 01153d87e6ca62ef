package org.taxoshard.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.JobCounter;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.taxoshard.avro.Plan;
import org.taxoshard.conf.TaxoshardKeys;

/**
 * The similarity plan's clustering rounds as a cluster runs them: HDFS ({@link
 * org.apache.hadoop.hdfs.MiniDFSCluster}) and YARN, tasks in their own JVMs. A class of its own
 * beside {@link ScanIT}, so that failsafe runs the two at once: each leaves a core mostly idle
 * while YARN starts its containers.
 */
class SimilarityRoundsIT {
  static MiniClusters clusters;
  static Configuration conf;
  static FileSystem fs;

  @BeforeAll
  static void startClusters() throws Exception {
    clusters = MiniClusters.start(SimilarityRoundsIT.class, 1, 1, ScanIT.BLOCK);
    conf = clusters.conf;
    fs = clusters.fs;
  }

  @AfterAll
  static void stopClusters() throws Exception {
    if (clusters != null) {
      clusters.close();
    }
  }

  /**
   * The similarity plan's clustering rounds on YARN and HDFS (every pair sent to them), the first
   * attempt of reduce task 0 of each of the plan's jobs failing: the plan and split files the
   * client's union-find makes, on the local runner over the same scan.
   */
  @Test
  void similarityRoundsOnYarnThroughFailedAttemptsEqualTheClient() throws Exception {
    Path dir = new Path("/similarity");
    Random random = new Random(5);
    StringBuilder fasta = new StringBuilder();
    String[] families = new String[40];
    for (int f = 0; f < families.length; f++) {
      families[f] = protein(random, 150 + random.nextInt(150));
    }
    for (int i = 0; i < 260; i++) { // 40 families of 5 copies, interleaved, and 60 unrelated records
      fasta.append(">r").append(i).append('\n')
          .append(i < 200 ? families[i % families.length] : protein(random, 200)).append('\n');
    }
    try (OutputStream o = fs.create(new Path(dir, "families.fasta"))) {
      o.write(fasta.toString().getBytes(StandardCharsets.UTF_8));
    }
    Configuration local = new Configuration(conf);
    local.set("mapreduce.framework.name", "local");
    local.setLong("mapreduce.input.fileinputformat.split.maxsize", 20_000);
    Path scan = new Path(dir, "scan");
    assertEquals(0, ToolRunner.run(local, new ScanJob(), new String[] {
        "--input", dir + "/families.fasta", "--out", scan.toString()}));
    Path client = new Path(dir, "plan-client");
    assertEquals(0, ToolRunner.run(local, new PlanCommand(), new String[] {"--stats", scan.toString(), "--strategy",
        "similarity", "--shards", "3", "--out", client.toString()}));
    Configuration yarn = new Configuration(conf);
    yarn.setLong(TaxoshardKeys.SIMILARITY_CLIENT_PAIRS.key(), 0);
    yarn.set("taxoshard.test.fail-first-attempts", "plan:reduce:0");
    Path rounds = new Path(dir, "plan-rounds");
    assertEquals(0, ToolRunner.run(yarn, new PlanCommand(), new String[] {"--stats", scan.toString(), "--strategy",
        "similarity", "--shards", "3", "--out", rounds.toString()}));
    Plan a = PlanFiles.read(conf, client);
    Plan b = PlanFiles.read(conf, rounds);
    assertEquals(200, a.getClusteredRecords(), "every copy is in its family's cluster");
    assertTrue(a.getSplits().size() >= 3, "splits: " + a.getSplits().size());
    assertEquals(a, b);
    for (int i = 0; i < a.getSplits().size(); i++) {
      Path part = new Path(Clusters.FOLDER, Clusters.part(i));
      assertTrue(Arrays.equals(readAll(new Path(client, part)),
          readAll(new Path(rounds, part))), part.toString());
    }
    assertTrue(!fs.exists(new Path(rounds, "_clustering")), "the rounds' work is removed");
    Map<String, Counters> plans = clusters.jobsNamed("taxoshard plan similarity: ");
    plans.forEach((name, c) -> assertTrue(MiniClusters.failed(c, JobCounter.NUM_FAILED_REDUCES), name));
    assertTrue(plans.size() >= 8, "the sketch, two rounds, label, summarize, place, assign and route ran on YARN: " + plans.keySet());
  }

  private static byte[] readAll(Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      return in.readAllBytes();
    }
  }

  private static String protein(Random random, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append("ACDEFGHIKLMNPQRSTVWY".charAt(random.nextInt(20)));
    }
    return s.toString();
  }
}
