package org.taxoshard.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.jar.JarFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.jobs.MiniClusters;

/**
 * HDFS and YARN ({@link MiniClusters}) for the chain's integration tests, with the driver's shaded
 * job jar shipped as {@code mapreduce.job.jar}, as {@code hadoop jar} would, and the commands
 * those tests type: one instance per test class.
 */
final class ChainClusters implements AutoCloseable {
  /** Threads of their own: the common pool has one thread on a 2-core machine, and would run them in turn. */
  private static final ExecutorService BACKGROUND = Executors.newCachedThreadPool();

  final MiniClusters clusters;
  /** A copy of the job jar, so that every job ships the same jar even if a build rewrites target/ meanwhile. */
  final File jar;
  /** A local scratch folder for generated databases and configs. */
  final File tmp;

  private ChainClusters(MiniClusters clusters, File jar, File tmp) {
    this.clusters = clusters;
    this.jar = jar;
    this.tmp = tmp;
  }

  /** Starts the clusters ({@link MiniClusters#start}) and copies the job jar into {@code tmp}. */
  static ChainClusters start(Class<?> owner, int dataNodes, int replication, long blockSize, File tmp)
      throws IOException {
    File jar = new File(tmp, jobJar().getName());
    Files.copy(jobJar().toPath(), jar.toPath());
    try (JarFile j = new JarFile(jar)) {
      assertNotNull(j.getEntry("org/taxoshard/jobs/SearchMapper.class"), "the job jar carries the jobs");
      assertNotNull(j.getEntry("org/taxoshard/driver/Taxoshard.class"), "the job jar carries the driver");
      assertNull(j.getEntry("org/apache/hadoop/mapreduce/Job.class"), "the cluster provides Hadoop");
    }
    return new ChainClusters(MiniClusters.start(owner, dataNodes, replication, blockSize), jar, tmp);
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

  /** A synthetic database made locally under {@code tmp/name}: db.fasta, queries.fasta, taxdump/. */
  File generate(String name, int sequences, int queryCount, int seed) {
    File out = new File(tmp, name);
    Configuration local = new Configuration();
    local.set("fs.defaultFS", "file:///");
    local.set("mapreduce.framework.name", "local");
    assertEquals(0, Taxoshard.run(local, new String[] {"generate", "--out", out.getPath(), "--sequences",
        String.valueOf(sequences), "--queries", String.valueOf(queryCount), "--seed", String.valueOf(seed)}));
    return out;
  }

  /** Copies a generated database's db.fasta, queries.fasta and taxdump/ into HDFS folder {@code to}. */
  void upload(File local, Path to) throws IOException {
    for (String name : new String[] {"db.fasta", "queries.fasta", "taxdump"}) {
      clusters.fs.copyFromLocalFile(false, true, new Path(new File(local, name).getAbsolutePath()), new Path(to, name));
    }
  }

  /** Jobs on YARN with the job jar shipped, and {@code faults} injected. */
  Configuration yarn(String faults) {
    Configuration c = clusters.newConf();
    c.set(MRJobConfig.JAR, jar.getAbsolutePath());
    TaxoshardKeys.TEST_FAIL_FIRST_ATTEMPTS.set(c, faults);
    return c;
  }

  /** Jobs on the embedded local runner, in this JVM, reading and writing HDFS. */
  Configuration local() {
    Configuration c = clusters.newConf();
    c.set("mapreduce.framework.name", "local");
    return c;
  }

  /** Runs a command as a user types it; it must succeed. */
  static void run(Configuration c, String... args) {
    assertEquals(0, Taxoshard.run(new Configuration(c), args), String.join(" ", args));
  }

  /** Starts a command in the background; returns its exit status when it ends. */
  static CompletableFuture<Integer> background(Configuration c, String... args) {
    return CompletableFuture.supplyAsync(() -> Taxoshard.run(new Configuration(c), args), BACKGROUND);
  }

  /** Every file under {@code w}, by relative path. */
  Map<String, byte[]> files(Path w) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    Path q = clusters.fs.makeQualified(w);
    RemoteIterator<LocatedFileStatus> it = clusters.fs.listFiles(q, true);
    while (it.hasNext()) {
      Path p = it.next().getPath();
      m.put(p.toString().substring(q.toString().length() + 1), read(p));
    }
    return m;
  }

  byte[] read(Path p) throws IOException {
    try (InputStream in = clusters.fs.open(p)) {
      return in.readAllBytes();
    }
  }

  /** The files of {@code want} and {@code got} whose relative path starts with {@code prefix} are the same bytes. */
  static void assertSameFiles(Map<String, byte[]> want, Map<String, byte[]> got, String prefix, String why) {
    Map<String, byte[]> w = new TreeMap<>(want);
    w.keySet().removeIf(k -> !k.startsWith(prefix));
    Map<String, byte[]> g = new TreeMap<>(got);
    g.keySet().removeIf(k -> !k.startsWith(prefix));
    assertEquals(w.keySet(), g.keySet(), why + ": the same files");
    for (String k : w.keySet()) {
      if (!Arrays.equals(w.get(k), g.get(k)) && (k.endsWith(".json") || k.endsWith(".tsv"))) {
        assertEquals(new String(w.get(k), StandardCharsets.UTF_8), new String(g.get(k), StandardCharsets.UTF_8),
            why + ": " + k + " differs");
      }
      assertArrayEquals(w.get(k), g.get(k), why + ": " + k + " differs");
    }
  }

  @Override
  public void close() throws IOException {
    clusters.close();
  }
}
