package org.taxoshard.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.taxoshard.driver.ChainClusters.assertSameFiles;
import static org.taxoshard.driver.ChainClusters.background;
import static org.taxoshard.driver.ChainClusters.run;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.mapreduce.Cluster;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobCounter;
import org.apache.hadoop.mapreduce.JobStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.taxoshard.jobs.MiniClusters;

/**
 * The whole chain as a cluster runs it, through the {@code taxoshard} command, on HDFS
 * ({@link MiniDFSCluster}: 4 DataNodes, every block 3 times, small blocks so that the database
 * spans several splits) and YARN (tasks in their own JVMs, the driver's shaded job jar shipped as
 * {@code mapreduce.job.jar}, as {@code hadoop jar} would):
 *
 * <ol>
 *   <li>The chain (scan, two plans, shard, index, verify, search) on YARN with the first attempt of
 *       a map and a reduce task of every job failing gives every file, byte for byte, that the same
 *       chain gives on the local runner without faults; hits.tsv equals {@code search --db}.
 *   <li>A DataNode lost in the middle of the shard job, and another in the middle of the search:
 *       both finish, their outputs the same bytes.
 * </ol>
 * One cluster serves the class; the tests run in order, the second on the first one's files.
 * {@link TwoPipelinesIT} runs two pipelines at once on a cluster of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChainIT {
  /**
   * 256 KiB: the generated database (about 760 KB) spans 3 blocks, so 3 splits, while each shard
   * (about 190 KB) is one; smaller blocks multiply the task JVMs, which dominate the run time.
   */
  static final long BLOCK = 256 << 10;
  static final int SHARDS = 4;
  /** Task 0 of each kind of every job: its first attempt fails, the retry must give the same output. */
  static final String FAULTS = String.join(",", List.of("scan", "plan", "shard", "index", "verify", "search").stream()
      .flatMap(c -> java.util.stream.Stream.of(c + ":map:0", c + ":reduce:0")).toList());

  static ChainClusters chain;
  static MiniClusters clusters;
  static Path dir = new Path("/chain");
  static Path db = new Path(dir, "db.fasta");
  static Path queries = new Path(dir, "queries.fasta");
  /** Every file of the fault-free chain's work directory, by path relative to it. */
  static Map<String, byte[]> expected;

  @TempDir
  static File tmp;

  @BeforeAll
  static void start() throws Exception {
    chain = ChainClusters.start(ChainIT.class, 4, 3, BLOCK, tmp);
    clusters = chain.clusters;
    chain.upload(chain.generate("gen", 2000, 15, 5), dir);
    FileStatus st = clusters.fs.getFileStatus(db);
    assertEquals(BLOCK, st.getBlockSize());
    assertEquals(3, st.getReplication());
    assertTrue(clusters.fs.getFileBlockLocations(st, 0, st.getLen()).length >= 3, "db.fasta spans several blocks");
  }

  @AfterAll
  static void stop() throws Exception {
    if (chain != null) {
      chain.close();
    }
  }

  /** The chain into {@code w}, every step a command as a user types it. */
  static void runChain(Configuration c, Path w) {
    run(c, "scan", "--input", db.toString(), "--taxonomy", dir + "/taxdump", "--out", w + "/scan");
    run(c, "plan", "--stats", w + "/scan", "--shards", String.valueOf(SHARDS), "--strategy", "taxonomic-balanced",
        "--out", w + "/plan");
    run(c, "plan", "--stats", w + "/scan", "--shards", String.valueOf(SHARDS), "--strategy", "similarity", "--out",
        w + "/plan-similarity");
    run(c, "shard", "--input", db.toString(), "--plan", w + "/plan", "--out", w + "/shards");
    run(c, "index", "--shards", w + "/shards", "--out", w + "/index");
    run(c, "verify", "--input", db.toString(), "--shards", w + "/shards", "--index", w + "/index", "--out",
        w + "/verify");
    run(c, "search", "--index", w + "/index", "--queries", queries.toString(), "--out", w + "/search");
  }

  @Test
  @Order(1)
  void taskFailuresInEveryJobLoseNothing() throws Exception {
    Path w = new Path(dir, "w");
    runChain(chain.local(), w);
    expected = chain.files(w);
    assertTrue(expected.size() > 30, expected.keySet().toString());
    assertTrue(expected.containsKey("search/hits.tsv") && expected.containsKey("shards/manifest.json"));
    clusters.fs.delete(w, true);

    runChain(chain.yarn(FAULTS), w);
    assertSameFiles(expected, chain.files(w), "", "on YARN with failed attempts");

    // The reference: the one-process search over the same files.
    Path reference = new Path(dir, "search-db");
    run(chain.local(), "search", "--db", db.toString(), "--queries", queries.toString(), "--out", reference.toString());
    byte[] want = chain.read(new Path(reference, "hits.tsv"));
    String[] rows = new String(want, StandardCharsets.UTF_8).split("\n");
    assertTrue(rows.length >= 10, "the reference search finds hits: " + rows.length + " rows");
    assertEquals(12, rows[0].split("\t").length, rows[0]);
    assertArrayEquals(want, expected.get("search/hits.tsv"), "hits.tsv of search --index differs from search --db");

    // Every job ran on YARN, succeeded, and lived through a failed map and a failed reduce attempt.
    List<String> names = new ArrayList<>();
    Cluster cluster = new Cluster(clusters.conf);
    try {
      for (JobStatus s : cluster.getAllJobStatuses()) {
        assertEquals(JobStatus.State.SUCCEEDED, s.getState(), s.getJobName());
        Job job = cluster.getJob(s.getJobID());
        long failedMaps = job.getCounters().findCounter(JobCounter.NUM_FAILED_MAPS).getValue();
        long failedReduces = job.getCounters().findCounter(JobCounter.NUM_FAILED_REDUCES).getValue();
        assertTrue(failedMaps >= 1 && failedReduces >= 1, s.getJobName() + ": failed maps " + failedMaps
            + ", failed reduces " + failedReduces);
        names.add(s.getJobName());
      }
    } finally {
      cluster.close();
    }
    // scan, the similarity sketch, shard, index, verify, search (taxonomic-balanced plans need no job)
    assertEquals(6, names.size(), "jobs on YARN: " + names);
  }

  /** Waits until a job whose name starts with {@code name} is running with some of its work done. */
  static void awaitRunning(String name, CompletableFuture<Integer> command) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    Cluster cluster = new Cluster(clusters.conf);
    try {
      while (System.nanoTime() < deadline) {
        assertTrue(!command.isDone(), name + " ended before a DataNode could be lost: " + command.getNow(-1));
        for (JobStatus s : cluster.getAllJobStatuses()) {
          if (s.getJobName().startsWith(name) && s.getState() == JobStatus.State.RUNNING) {
            // Progress from the job's own AM: the ResourceManager's report knows less.
            Job job = cluster.getJob(s.getJobID());
            float map = job.mapProgress();
            float reduce = job.reduceProgress();
            if ((map > 0 || reduce > 0) && reduce < 1) {
              return;
            }
          }
        }
        Thread.sleep(100);
      }
    } finally {
      cluster.close();
    }
    fail(name + " did not start in 5 minutes");
  }

  /** Stops a DataNode that holds a block of {@code file}; returns it, to be restarted. */
  static MiniDFSCluster.DataNodeProperties loseDataNodeOf(Path file) throws IOException {
    FileStatus st = clusters.fs.getFileStatus(file);
    BlockLocation[] blocks = clusters.fs.getFileBlockLocations(st, 0, st.getLen());
    String holder = blocks[0].getNames()[0];
    for (int i = 0; i < clusters.dfs.getDataNodes().size(); i++) {
      String at = clusters.dfs.getDataNodes().get(i).getXferAddress().toString();
      if (at.endsWith(holder.substring(holder.indexOf(':')))) {
        return clusters.dfs.stopDataNode(i);
      }
    }
    throw new AssertionError("no DataNode at " + holder);
  }

  @Test
  @Order(2)
  void aDataNodeLostDuringTheShardAndTheSearchJobsLosesNothing() throws Exception {
    assertNotNull(expected, "the first test made the fault-free files");
    Path w = new Path(dir, "w");
    for (String step : new String[] {"shards", "index", "verify", "search"}) {
      clusters.fs.delete(new Path(w, step), true);
    }
    Configuration c = chain.yarn("");
    CompletableFuture<Integer> shard = background(c, "shard", "--input", db.toString(), "--plan", w + "/plan", "--out",
        w + "/shards");
    awaitRunning("taxoshard shard", shard);
    MiniDFSCluster.DataNodeProperties lost = loseDataNodeOf(db);
    assertEquals(0, shard.get(10, TimeUnit.MINUTES), "shard with a DataNode lost");
    assertSameFiles(expected, chain.files(w), "shards/", "shard with a DataNode lost");
    assertTrue(clusters.dfs.restartDataNode(lost, true));
    clusters.dfs.waitActive();

    run(c, "index", "--shards", w + "/shards", "--out", w + "/index");
    CompletableFuture<Integer> search = background(c, "search", "--index", w + "/index", "--queries",
        queries.toString(), "--out", w + "/search");
    awaitRunning("taxoshard search", search);
    lost = loseDataNodeOf(new Path(w, "index/shard-00000.tsx"));
    assertEquals(0, search.get(10, TimeUnit.MINUTES), "search with a DataNode lost");
    assertSameFiles(expected, chain.files(w), "search/", "search with a DataNode lost");
    assertSameFiles(expected, chain.files(w), "index/", "index");
    assertTrue(clusters.dfs.restartDataNode(lost, true));
    clusters.dfs.waitActive();
  }
}
