package org.taxoshard.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.mapreduce.Cluster;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobCounter;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.taxoshard.conf.TaxoshardKeys;
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
 *   <li>Two pipelines at once on the cluster (scan to index), each in its own work directory, give
 *       the shards and indexes each gives alone; a third into a work directory in use is refused.
 * </ol>
 * One cluster serves the class; the tests run in order, the later ones on the first one's files.
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

  static MiniClusters clusters;
  static File jar;
  static Path dir = new Path("/chain");
  static Path db = new Path(dir, "db.fasta");
  static Path queries = new Path(dir, "queries.fasta");
  /** Every file of the fault-free chain's work directory, by path relative to it. */
  static Map<String, byte[]> expected;

  @TempDir
  static File tmp;

  @BeforeAll
  static void start() throws Exception {
    clusters = MiniClusters.start(ChainIT.class, 4, 3, BLOCK);
    // A copy, so that every job ships the same jar even if a build rewrites target/ meanwhile.
    jar = new File(tmp, jobJar().getName());
    Files.copy(jobJar().toPath(), jar.toPath());
    try (JarFile j = new JarFile(jar)) {
      assertNotNull(j.getEntry("org/taxoshard/jobs/SearchMapper.class"), "the job jar carries the jobs");
      assertNotNull(j.getEntry("org/taxoshard/driver/Taxoshard.class"), "the job jar carries the driver");
      assertNull(j.getEntry("org/apache/hadoop/mapreduce/Job.class"), "the cluster provides Hadoop");
    }
    upload(generate("gen", 2000, 15, 5), dir);
    FileStatus st = clusters.fs.getFileStatus(db);
    assertEquals(BLOCK, st.getBlockSize());
    assertEquals(3, st.getReplication());
    assertTrue(clusters.fs.getFileBlockLocations(st, 0, st.getLen()).length >= 3, "db.fasta spans several blocks");
  }

  @AfterAll
  static void stop() throws Exception {
    if (clusters != null) {
      clusters.close();
    }
  }

  /** The driver's shaded job jar, as {@code mvn package} leaves it; the module folder is the working folder. */
  static File jobJar() {
    File[] jars = new File("target").getAbsoluteFile().listFiles((d, n) -> n.startsWith("taxoshard-driver-")
        && n.endsWith("-job.jar"));
    if (jars == null || jars.length == 0) {
      fail("no taxoshard-driver-<version>-job.jar in " + new File("target").getAbsolutePath()
          + ": run mvn package first (mvn verify does)");
    }
    assertEquals(1, jars.length, "one job jar in target/");
    return jars[0];
  }

  /** A synthetic database made locally: db.fasta, queries.fasta, taxdump/. */
  static File generate(String name, int sequences, int queryCount, int seed) {
    File out = new File(tmp, name);
    Configuration local = new Configuration();
    local.set("fs.defaultFS", "file:///");
    local.set("mapreduce.framework.name", "local");
    assertEquals(0, Taxoshard.run(local, new String[] {"generate", "--out", out.getPath(), "--sequences",
        String.valueOf(sequences), "--queries", String.valueOf(queryCount), "--seed", String.valueOf(seed)}));
    return out;
  }

  static void upload(File local, Path to) throws IOException {
    for (String name : new String[] {"db.fasta", "queries.fasta", "taxdump"}) {
      clusters.fs.copyFromLocalFile(false, true, new Path(new File(local, name).getAbsolutePath()), new Path(to, name));
    }
  }

  /** Jobs on YARN with the job jar shipped, and {@code faults} injected. */
  static Configuration yarn(String faults) {
    Configuration c = clusters.newConf();
    c.set(MRJobConfig.JAR, jar.getAbsolutePath());
    TaxoshardKeys.TEST_FAIL_FIRST_ATTEMPTS.set(c, faults);
    return c;
  }

  /** Jobs on the embedded local runner, in this JVM, reading and writing HDFS. */
  static Configuration local() {
    Configuration c = clusters.newConf();
    c.set("mapreduce.framework.name", "local");
    return c;
  }

  static void run(Configuration c, String... args) {
    assertEquals(0, Taxoshard.run(new Configuration(c), args), String.join(" ", args));
  }

  /** The chain into {@code w}, every step a command as a user types it. */
  static void chain(Configuration c, Path w) {
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

  /** Every file under {@code w}, by relative path. */
  static Map<String, byte[]> files(Path w) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    Path q = clusters.fs.makeQualified(w);
    RemoteIterator<LocatedFileStatus> it = clusters.fs.listFiles(q, true);
    while (it.hasNext()) {
      Path p = it.next().getPath();
      m.put(p.toString().substring(q.toString().length() + 1), read(p));
    }
    return m;
  }

  static byte[] read(Path p) throws IOException {
    try (InputStream in = clusters.fs.open(p)) {
      return in.readAllBytes();
    }
  }

  static void assertSameFiles(Map<String, byte[]> want, Map<String, byte[]> got, String prefix, String why) {
    Map<String, byte[]> w = new TreeMap<>(want);
    w.keySet().removeIf(k -> !k.startsWith(prefix));
    Map<String, byte[]> g = new TreeMap<>(got);
    g.keySet().removeIf(k -> !k.startsWith(prefix));
    assertEquals(w.keySet(), g.keySet(), why + ": the same files");
    for (String k : w.keySet()) {
      if (!java.util.Arrays.equals(w.get(k), g.get(k)) && (k.endsWith(".json") || k.endsWith(".tsv"))) {
        assertEquals(new String(w.get(k), StandardCharsets.UTF_8), new String(g.get(k), StandardCharsets.UTF_8),
            why + ": " + k + " differs");
      }
      assertArrayEquals(w.get(k), g.get(k), why + ": " + k + " differs");
    }
  }

  @Test
  @Order(1)
  void taskFailuresInEveryJobLoseNothing() throws Exception {
    Path w = new Path(dir, "w");
    chain(local(), w);
    expected = files(w);
    assertTrue(expected.size() > 30, expected.keySet().toString());
    assertTrue(expected.containsKey("search/hits.tsv") && expected.containsKey("shards/manifest.json"));
    clusters.fs.delete(w, true);

    chain(yarn(FAULTS), w);
    assertSameFiles(expected, files(w), "", "on YARN with failed attempts");

    // The reference: the one-process search over the same files.
    Path reference = new Path(dir, "search-db");
    run(local(), "search", "--db", db.toString(), "--queries", queries.toString(), "--out", reference.toString());
    byte[] want = read(new Path(reference, "hits.tsv"));
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

  /** Threads of their own: the common pool has one thread on a 2-core machine, and would run them in turn. */
  static final java.util.concurrent.ExecutorService BACKGROUND = java.util.concurrent.Executors.newCachedThreadPool();

  /** Starts a command in the background; returns its exit status when it ends. */
  static CompletableFuture<Integer> background(Configuration c, String... args) {
    return CompletableFuture.supplyAsync(() -> Taxoshard.run(new Configuration(c), args), BACKGROUND);
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
    Configuration c = yarn("");
    CompletableFuture<Integer> shard = background(c, "shard", "--input", db.toString(), "--plan", w + "/plan", "--out",
        w + "/shards");
    awaitRunning("taxoshard shard", shard);
    MiniDFSCluster.DataNodeProperties lost = loseDataNodeOf(db);
    assertEquals(0, shard.get(10, TimeUnit.MINUTES), "shard with a DataNode lost");
    assertSameFiles(expected, files(w), "shards/", "shard with a DataNode lost");
    assertTrue(clusters.dfs.restartDataNode(lost, true));
    clusters.dfs.waitActive();

    run(c, "index", "--shards", w + "/shards", "--out", w + "/index");
    CompletableFuture<Integer> search = background(c, "search", "--index", w + "/index", "--queries",
        queries.toString(), "--out", w + "/search");
    awaitRunning("taxoshard search", search);
    lost = loseDataNodeOf(new Path(w, "index/shard-00000.tsx"));
    assertEquals(0, search.get(10, TimeUnit.MINUTES), "search with a DataNode lost");
    assertSameFiles(expected, files(w), "search/", "search with a DataNode lost");
    assertSameFiles(expected, files(w), "index/", "index");
    assertTrue(clusters.dfs.restartDataNode(lost, true));
    clusters.dfs.waitActive();
  }

  /**
   * A pipeline config for a database under {@code in}, working in {@code work}: scan, plan, shard
   * and index, no queries (the faulted chain runs the search job on YARN already; here two whole
   * pipelines share two cores, and each step they do not run is a minute less).
   */
  static File config(String name, Path in, Path work, boolean distributed) throws IOException {
    File f = new File(tmp, name + ".toml");
    Files.writeString(f.toPath(), String.join("\n", "[input]",
        "database = [\"" + new Path(in, "db.fasta") + "\"]",
        "taxonomy = \"" + new Path(in, "taxdump") + "\"",
        "work = \"" + work + "\"",
        "[distributed]", "enabled = " + distributed, "num_shards = 3",
        "[sharding]", "strategy = \"stratified\"",
        "[cluster]",
        "coordinator = \"" + clusters.conf.get("yarn.resourcemanager.address") + "\"",
        "filesystem = \"" + clusters.conf.get("fs.defaultFS") + "\"",
        "[hadoop]",
        "\"mapreduce.job.jar\" = \"" + jar.getAbsolutePath() + "\"", ""));
    return f;
  }

  @Test
  @Order(3)
  void twoPipelinesAtOnceDoNotDisturbEachOther() throws Exception {
    Path one = new Path("/one");
    Path two = new Path("/two");
    upload(generate("one", 600, 4, 21), one);
    upload(generate("two", 500, 4, 22), two);
    // Each alone, on the local runner: what each must give.
    run(local(), "run", "--config", config("one-alone", one, new Path(one, "alone"), false).toURI().toString());
    run(local(), "run", "--config", config("two-alone", two, new Path(two, "alone"), false).toURI().toString());

    File oneConfig = config("one", one, new Path(one, "work"), true);
    CompletableFuture<Integer> first = background(yarn(""), "run", "--config", oneConfig.toURI().toString());
    CompletableFuture<Integer> second = background(yarn(""), "run", "--config",
        config("two", two, new Path(two, "work"), true).toURI().toString());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!clusters.fs.exists(new Path(one, "work/_taxoshard-run.lock")) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(!first.isDone(), "the first pipeline is running");
    // A third into the first one's work directory, meanwhile: refused, and the first goes on.
    assertEquals(2, Taxoshard.run(yarn(""), new String[] {"run", "--config", oneConfig.toURI().toString()}));
    assertEquals(0, first.get(15, TimeUnit.MINUTES), "first pipeline");
    assertEquals(0, second.get(15, TimeUnit.MINUTES), "second pipeline");
    for (Path p : new Path[] {one, two}) {
      Map<String, byte[]> alone = files(new Path(p, "alone"));
      Map<String, byte[]> together = files(new Path(p, "work"));
      assertTrue(together.keySet().stream().anyMatch(k -> k.startsWith("index/shard-")), p + ": an index was built");
      for (String prefix : new String[] {"shards/shard-", "index/shard-"}) {
        assertSameFiles(alone, together, prefix, p + " run beside another");
      }
    }
    assertTrue(!clusters.fs.exists(new Path(one, "work/_taxoshard-run.lock")), "finished runs leave no lock");
  }
}
