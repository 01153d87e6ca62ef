package org.taxoshard.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.mapred.MiniMRClientCluster;
import org.apache.hadoop.mapred.MiniMRClientClusterFactory;
import org.apache.hadoop.mapreduce.Cluster;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain as a cluster runs it, through the {@code taxoshard} command: generate locally,
 * upload to HDFS ({@link MiniDFSCluster}, small blocks so that the database spans several splits),
 * then scan, plan, shard, verify, index and the sharded search as jobs on YARN (MiniMRYarnCluster,
 * tasks in their own JVMs) with the driver's shaded job jar shipped as {@code mapreduce.job.jar},
 * as {@code hadoop jar} would. The sharded search must equal {@code search --db} byte for byte.
 * One cluster serves the class; the cluster setup is {@code ScanIT}'s.
 */
class ChainIT {
  static final String OPENS = "--add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.util=ALL-UNNAMED"
      + " --add-opens java.base/java.io=ALL-UNNAMED --add-opens java.base/java.net=ALL-UNNAMED"
      + " --add-opens java.base/java.lang.reflect=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED"
      + " --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/java.util.concurrent=ALL-UNNAMED";
  /**
   * Task and AM JVMs live seconds: the C1 compiler alone and the serial collector start them in
   * much less CPU, which on a 2-core machine running some 40 task JVMs is most of the run time.
   */
  static final String FAST_START = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC ";
  /**
   * 256 KiB: the generated database (about 760 KB) spans 3 blocks, so 3 splits, while each shard
   * (about 190 KB) is one; smaller blocks multiply the task JVMs, which dominate the run time.
   */
  static final long BLOCK = 256 << 10;
  static final int SHARDS = 4;

  static MiniDFSCluster dfs;
  static MiniMRClientCluster yarn;
  static Configuration conf;
  static FileSystem fs;

  @TempDir
  File tmp;

  @BeforeAll
  static void startClusters() throws Exception {
    Configuration c = new Configuration();
    File base = new File("target/minicluster-" + ChainIT.class.getSimpleName()).getAbsoluteFile();
    c.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(base, "dfs").getPath());
    c.setLong("dfs.blocksize", BLOCK);
    c.setLong("dfs.namenode.fs-limits.min-block-size", 1024);
    dfs = new MiniDFSCluster.Builder(c).numDataNodes(1).build();
    dfs.waitActive();
    c.set("fs.defaultFS", dfs.getFileSystem().getUri().toString());
    c.set("yarn.app.mapreduce.am.command-opts", "-Xmx512m " + FAST_START + OPENS);
    c.set("mapreduce.map.java.opts", "-Xmx512m " + FAST_START + OPENS);
    c.set("mapreduce.reduce.java.opts", "-Xmx512m " + FAST_START + OPENS);
    c.setInt("yarn.nodemanager.resource.memory-mb", 6144);
    c.setInt("mapreduce.map.memory.mb", 768);
    c.setInt("mapreduce.reduce.memory.mb", 768);
    c.setInt("yarn.app.mapreduce.am.resource.mb", 768);
    c.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "99.5");
    yarn = MiniMRClientClusterFactory.create(ChainIT.class, 1, c);
    conf = yarn.getConfig();
    fs = FileSystem.get(conf);
  }

  @AfterAll
  static void stopClusters() throws Exception {
    if (yarn != null) {
      yarn.stop();
    }
    if (dfs != null) {
      dfs.shutdown();
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

  /** Runs one command on the cluster, with the job jar shipped as on a real cluster; returns its exit status. */
  static int run(File jar, String... args) {
    Configuration c = new Configuration(conf);
    c.set(MRJobConfig.JAR, jar.getAbsolutePath());
    return Taxoshard.run(c, args);
  }

  static byte[] read(Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      return in.readAllBytes();
    }
  }

  static JsonNode json(Path p) throws IOException {
    return new ObjectMapper().readTree(read(p));
  }

  @Test
  void shardedSearchOnYarnEqualsTheOneProcessSearch() throws Exception {
    // A copy, so that every job ships the same jar even if a build rewrites target/ meanwhile.
    File jar = new File(tmp, jobJar().getName());
    Files.copy(jobJar().toPath(), jar.toPath());
    try (JarFile j = new JarFile(jar)) {
      assertNotNull(j.getEntry("org/taxoshard/jobs/SearchMapper.class"), "the job jar carries the jobs");
      assertNotNull(j.getEntry("org/taxoshard/driver/Taxoshard.class"), "the job jar carries the driver");
      assertNull(j.getEntry("org/apache/hadoop/mapreduce/Job.class"), "the cluster provides Hadoop");
    }

    // 1. A small protein database, made locally.
    File gen = new File(tmp, "gen");
    Configuration local = new Configuration();
    local.set("fs.defaultFS", "file:///");
    local.set("mapreduce.framework.name", "local");
    assertEquals(0, Taxoshard.run(local, new String[] {"generate", "--out", gen.getPath(), "--sequences", "2000",
        "--queries", "15", "--seed", "5"}));
    for (String name : new String[] {"db.fasta", "queries.fasta", "taxdump/nodes.dmp", "taxdump/names.dmp"}) {
      assertTrue(new File(gen, name).isFile(), "generate wrote " + name);
    }

    // 2. Onto HDFS, the database in several blocks.
    Path dir = new Path("/chain");
    for (String name : new String[] {"db.fasta", "queries.fasta", "taxdump"}) {
      fs.copyFromLocalFile(false, true, new Path(new File(gen, name).getAbsolutePath()), new Path(dir, name));
    }
    Path db = new Path(dir, "db.fasta");
    FileStatus st = fs.getFileStatus(db);
    assertEquals(new File(gen, "db.fasta").length(), st.getLen());
    assertEquals(BLOCK, st.getBlockSize());
    int blocks = fs.getFileBlockLocations(st, 0, st.getLen()).length;
    assertTrue(blocks >= 3, "db.fasta spans several blocks: " + blocks);
    assertTrue(fs.exists(new Path(dir, "taxdump/nodes.dmp")));
    String queries = new Path(dir, "queries.fasta").toString();

    // 3-4. The chain, as jobs on YARN.
    assertEquals("yarn", conf.get("mapreduce.framework.name"));
    String scan = dir + "/scan";
    String plan = dir + "/plan";
    String shards = dir + "/shards";
    String index = dir + "/index";
    Path sharded = new Path(dir, "search-index");
    assertEquals(0, run(jar, "scan", "--input", db.toString(), "--taxonomy", dir + "/taxdump", "--out", scan), "scan");
    assertTrue(fs.exists(new Path(scan, "stats.avro")));
    assertEquals(0, run(jar, "plan", "--stats", scan, "--shards", String.valueOf(SHARDS), "--strategy",
        "taxonomic-balanced", "--out", plan), "plan");
    assertEquals(0, run(jar, "shard", "--input", db.toString(), "--plan", plan, "--out", shards), "shard");
    assertEquals(0, run(jar, "verify", "--input", db.toString(), "--shards", shards), "verify");
    assertEquals(0, run(jar, "index", "--shards", shards, "--out", index), "index");
    JsonNode indexJson = json(new Path(index, "index.json"));
    assertEquals(SHARDS, indexJson.get("shards").size(), indexJson.toString());
    assertEquals(2000, indexJson.get("sequences").asLong());
    assertEquals(0, run(jar, "search", "--index", index, "--queries", queries, "--out", sharded.toString()),
        "search --index");

    // 5. The reference: the one-process search over the same files on HDFS.
    Path reference = new Path(dir, "search-db");
    assertEquals(0, run(jar, "search", "--db", db.toString(), "--queries", queries, "--out", reference.toString()),
        "search --db");

    assertTrue(fs.exists(new Path(sharded, "_SUCCESS")), "the sharded search is complete");
    assertTrue(fs.exists(new Path(sharded, "hits.avro")), "the sharded search wrote hits.avro");
    byte[] want = read(new Path(reference, "hits.tsv"));
    byte[] got = read(new Path(sharded, "hits.tsv"));
    String[] rows = new String(want, StandardCharsets.UTF_8).split("\n");
    assertTrue(rows.length >= 10, "the reference search finds hits: " + rows.length + " rows");
    assertEquals(12, rows[0].split("\t").length, rows[0]);
    assertArrayEquals(want, got, "hits.tsv of search --index on YARN differs from search --db");

    // The jobs ran on YARN, first time: scan, shard, verify, index and search (taxonomic-balanced
    // plans without a job, search --db in this process).
    Cluster cluster = new Cluster(conf);
    try {
      List<String> names = new ArrayList<>();
      for (JobStatus s : cluster.getAllJobStatuses()) {
        assertEquals(JobStatus.State.SUCCEEDED, s.getState(), s.getJobName());
        names.add(s.getJobName());
      }
      assertEquals(5, names.size(), "jobs on YARN: " + names);
    } finally {
      cluster.close();
    }
  }
}
