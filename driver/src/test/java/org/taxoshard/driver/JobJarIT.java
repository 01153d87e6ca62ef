package org.taxoshard.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar as {@code hadoop jar} loads it on a cluster: behind Hadoop's own libraries, in the
 * versions a cluster ships (Hadoop 3.4.2's Jackson 2.12 and Avro 1.11, or Hadoop 3.3's Avro 1.7,
 * copied to {@code target/cluster-libs} by the build), not the newer ones Taxoshard is built with.
 * The whole pipeline runs there, in a JVM of its own, and gives the hits the standalone build
 * gives; and the jar carries no copy of Hadoop's dependencies for the cluster's to collide with.
 */
class JobJarIT {
  @TempDir
  static File tmp;

  /** Libraries the job jar brings itself, left off the cluster's classpath (paths as Maven lays them out). */
  static final List<String> OURS = List.of("/com/fasterxml/jackson/", "/org/apache/avro/", "/com/github/samtools/",
      "/org/seqdoop/", "/taxoshard-");

  /**
   * The cluster's classpath as hadoop jar builds it: Hadoop and its dependencies (this test's
   * classpath without Taxoshard and the libraries the job jar carries), the cluster's Jackson and
   * Avro (the jars in {@code target/cluster-libs/jackson} and {@code target/cluster-libs/CLUSTER}),
   * then the job jar.
   */
  static String clusterClasspath(File jobJar, String cluster) {
    List<String> cp = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String path = e.replace(File.separatorChar, '/');
      boolean ours = path.endsWith("/target/classes") || path.endsWith("/target/test-classes")
          || OURS.stream().anyMatch(path::contains);
      if (!ours) {
        cp.add(e);
      }
    }
    for (String dir : new String[] {"jackson", cluster}) {
      File[] libs = new File("target/cluster-libs", dir).getAbsoluteFile().listFiles((d, n) -> n.endsWith(".jar"));
      assertNotNull(libs, "target/cluster-libs/" + dir + ": run through mvn verify, which copies the cluster's libraries there");
      for (File f : libs) {
        cp.add(f.getPath());
      }
    }
    assertTrue(cp.stream().anyMatch(e -> e.contains("/cluster-libs/" + cluster + "/avro-")), cluster + " brings its Avro");
    cp.add(jobJar.getPath());
    return String.join(File.pathSeparator, cp);
  }

  @Test
  void thePipelineRunsBehindTheClustersLibrariesAndGivesTheStandaloneHits() throws Exception {
    File jar = ChainClusters.jobJar();
    try (JarFile j = new JarFile(jar)) {
      List<String> foreign = new ArrayList<>();
      for (Enumeration<JarEntry> en = j.entries(); en.hasMoreElements(); ) {
        String n = en.nextElement().getName();
        if (n.endsWith(".class") && (n.startsWith("org/apache/hadoop/") || n.startsWith("com/google/")
            || n.startsWith("org/eclipse/jetty/") || n.startsWith("org/apache/zookeeper/")
            || n.startsWith("com/fasterxml/jackson/") || n.startsWith("org/apache/avro/"))) {
          foreign.add(n);
        }
      }
      assertTrue(foreign.isEmpty(), "the job jar carries " + foreign.size() + " classes the cluster has, e.g. "
          + foreign.subList(0, Math.min(3, foreign.size())));
      assertNotNull(j.getEntry("org/taxoshard/shaded/jackson/dataformat/toml/TomlMapper.class"),
          "Jackson travels renamed");
      assertNotNull(j.getEntry("org/taxoshard/shaded/avro/mapreduce/AvroJob.class"), "Avro travels renamed");
    }

    File data = new File(tmp, "gen");
    Configuration local = new Configuration();
    local.set("fs.defaultFS", "file:///");
    local.set("mapreduce.framework.name", "local");
    assertEquals(0, Taxoshard.run(local, new String[] {"generate", "--out", data.getPath(), "--sequences", "1500",
        "--queries", "8", "--seed", "9"}));

    // The same configuration, the same work folder name, once in this JVM and once on each cluster's classpath.
    File here = pipeline("here", data);
    assertEquals(0, Taxoshard.run(new Configuration(local), new String[] {"run", "--config", here.getPath()}));
    byte[] want = Files.readAllBytes(new File(tmp, "here/work/search/hits.tsv").toPath());
    assertTrue(new String(want, StandardCharsets.UTF_8).split("\n").length >= 8, "the search finds hits");
    // Hadoop 3.3's Avro 1.7 reads none of the shuffle's Avro keys written by a newer Avro: the
    // scan's reducers got no records, unless the job jar's Avro is its own.
    for (String cluster : new String[] {"hadoop-3.4", "hadoop-3.3"}) {
      File toml = pipeline(cluster, data);
      File there = toml.getParentFile();
      File log = new File(tmp, cluster + ".log");
      Process p = new ProcessBuilder(new File(System.getProperty("java.home"), "bin/java").getPath(), "-Xmx1g", "-cp",
          clusterClasspath(jar, cluster), Taxoshard.class.getName(), "run", "--config", toml.getPath())
          .directory(there).redirectErrorStream(true).redirectOutput(log).start();
      assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the pipeline on " + cluster + "'s classpath did not end");
      String printed = Files.readString(log.toPath(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), cluster + "\n" + printed);
      assertArrayEquals(want, Files.readAllBytes(new File(there, "work/search/hits.tsv").toPath()), cluster + "\n" + printed);
    }
  }

  /** {@code NAME/pipeline.toml} over copies of the generated database and queries in NAME, its work folder {@code NAME/work}. */
  static File pipeline(String name, File data) throws Exception {
    File dir = new File(tmp, name);
    assertTrue(dir.mkdirs());
    for (String f : new String[] {"db.fasta", "queries.fasta"}) {
      Files.copy(new File(data, f).toPath(), new File(dir, f).toPath());
    }
    File toml = new File(dir, "pipeline.toml");
    Files.writeString(toml.toPath(), String.join("\n",
        "[input]",
        "database = [\"" + new File(dir, "db.fasta").getPath() + "\"]",
        "taxonomy = \"" + new File(data, "taxdump").getPath() + "\"",
        "queries = [\"" + new File(dir, "queries.fasta").getPath() + "\"]",
        "work = \"" + new File(dir, "work").getPath() + "\"",
        "[distributed]",
        "enabled = false",
        "num_shards = 3",
        "[search]",
        "evalue = 0.001",
        ""));
    return toml;
  }
}
