package org.taxoshard.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.taxoshard.avro.DatabaseStats;
import org.taxoshard.testing.SharedData;

/**
 * The scan on HDFS ({@link MiniDFSCluster}) with its tasks on YARN (MiniMRYarnCluster), the way
 * a cluster runs it: inputs and taxdump on HDFS, small blocks so that files span several splits,
 * tasks in their own JVMs. One cluster serves every test of the class.
 */
class ScanIT {
  static final long BLOCK = 1 << 20;

  static MiniClusters clusters;
  static Configuration conf;
  static FileSystem fs;

  @BeforeAll
  static void startClusters() throws Exception {
    clusters = MiniClusters.start(ScanIT.class, 1, 1, BLOCK);
    conf = clusters.conf;
    fs = clusters.fs;
  }

  @AfterAll
  static void stopClusters() throws Exception {
    if (clusters != null) {
      clusters.close();
    }
  }

  static void upload(File local, Path remote) throws Exception {
    fs.copyFromLocalFile(false, true, new Path(local.getAbsolutePath()), remote);
  }

  @Test
  void tinyFixtureOnHdfsGivesTheHandCountedFigures() throws Exception {
    Path dir = new Path("/tiny");
    upload(new File(ScanJobTest.FIXTURE + "tiny.fasta"), new Path(dir, "tiny.fasta"));
    upload(new File(ScanJobTest.FIXTURE + "tiny-taxdump"), new Path(dir, "taxdump"));
    Configuration jobConf = new Configuration(conf);
    // Splits of 64 bytes: records cross split boundaries on HDFS as on a real cluster (every split
    // size is the unit tests' business; each split here is a task JVM).
    jobConf.setLong("mapreduce.input.fileinputformat.split.maxsize", 64);
    Path out = new Path(dir, "scan");
    assertEquals(0, ToolRunner.run(jobConf, new ScanJob(), new String[] {
        "--input", "/tiny/tiny.fasta", "--taxonomy", "/tiny/taxdump", "--out", out.toString()}));
    assertTrue(fs.exists(new Path(out, "_SUCCESS")));
    assertTrue(fs.exists(new Path(out, StatsFiles.JSON)));
    DatabaseStats s = StatsFiles.read(conf, out);
    assertEquals(7, s.getSequences());
    assertEquals(30, s.getResidues());
    ScanJobTest.assertBin(s.getBins().get(0), "Fictoriella", 908, 3, 17);
    ScanJobTest.assertBin(s.getBins().get(1), "unclassified", 0, 3, 9);
    ScanJobTest.assertBin(s.getBins().get(2), "Fictomodia", 9011, 1, 4);
  }

  /**
   * The tiny fixture with its taxids taken out of the headers and put in a gzipped FULL-layout
   * accession2taxid table on HDFS: the join's jobs and the scan on YARN, the first attempt of a
   * map and a reduce task of each failing, give the hand-counted figures all the same.
   */
  @Test
  void accessionTaxidsJoinedOnYarnThroughFailedAttempts() throws Exception {
    Path dir = new Path("/a2t");
    StringBuilder bare = new StringBuilder();
    StringBuilder table = new StringBuilder("accession.version\ttaxid\n");
    for (String line : java.nio.file.Files.readAllLines(new File(ScanJobTest.FIXTURE + "tiny.fasta").toPath())) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(>sp\\|([^|]+)\\|.*?) OX=(\\d+)(.*)$").matcher(line);
      if (m.matches()) {
        bare.append(m.group(1)).append(m.group(4)).append('\n');
        table.append(m.group(2)).append(".1\t").append(m.group(3)).append('\n');
      } else {
        bare.append(line).append('\n');
      }
    }
    assertEquals(7, table.toString().split("\n").length, "six records have a taxid to move");
    try (OutputStream o = fs.create(new Path(dir, "tiny.fasta"))) {
      o.write(bare.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    try (OutputStream o = new java.util.zip.GZIPOutputStream(fs.create(new Path(dir, "prot.accession2taxid.FULL.gz")))) {
      o.write(table.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    upload(new File(ScanJobTest.FIXTURE + "tiny-taxdump"), new Path(dir, "taxdump"));
    Configuration jobConf = new Configuration(conf);
    jobConf.setLong("mapreduce.input.fileinputformat.split.maxsize", 100);
    jobConf.set("taxoshard.taxonomy.accession2taxid", dir + "/prot.accession2taxid.FULL.gz");
    jobConf.set("taxoshard.test.fail-first-attempts", "taxids:map:0,taxids:reduce:0,scan:map:0,scan:reduce:0");
    Path out = new Path(dir, "scan");
    assertEquals(0, ToolRunner.run(jobConf, new ScanJob(), new String[] {
        "--input", dir + "/tiny.fasta", "--taxonomy", dir + "/taxdump", "--out", out.toString()}));
    DatabaseStats s = StatsFiles.read(conf, out);
    assertEquals(7, s.getSequences());
    ScanJobTest.assertBin(s.getBins().get(0), "Fictoriella", 908, 3, 17);
    ScanJobTest.assertBin(s.getBins().get(1), "unclassified", 0, 3, 9);
    ScanJobTest.assertBin(s.getBins().get(2), "Fictomodia", 9011, 1, 4);
    assertTrue(fs.exists(new Path(out, "taxids/taxids.json")) && !fs.exists(new Path(dir, ".scan.taxids")));
    // The faults did strike: both of the join's jobs lived through a failed map and reduce attempt.
    Map<String, org.apache.hadoop.mapreduce.Counters> joins = clusters.jobsNamed("taxoshard taxids ");
    joins.forEach((name, c) -> assertTrue(MiniClusters.failed(c, org.apache.hadoop.mapreduce.JobCounter.NUM_FAILED_MAPS)
        && MiniClusters.failed(c, org.apache.hadoop.mapreduce.JobCounter.NUM_FAILED_REDUCES), name));
    assertEquals(2, joins.size(), "the join and the route ran on YARN: " + joins.keySet());
  }

  /** Real proteomes, uncompressed onto HDFS in 1 MiB blocks: several splits per file. */
  @Test
  void realProteomesSpanningBlocks() throws Exception {
    File proteomes = SharedData.require("proteomes");
    File taxdump = SharedData.require("taxdump");
    String[] names = {"UP000000625-E.coli", "UP000001450-P.falciparum", "UP000002311-S.cerevisiae"};
    long[] counts = {4363, 5445, 6077};
    Path dir = new Path("/real");
    long expected = 0;
    for (long c : counts) {
      expected += c;
    }
    for (String name : names) {
      File[] gz = proteomes.listFiles((d, n) -> n.startsWith(name) && n.endsWith(".gz"));
      assertEquals(1, gz.length, name);
      try (InputStream in = new GZIPInputStream(new FileInputStream(gz[0]));
          OutputStream o = fs.create(new Path(dir, name + ".fasta"))) {
        in.transferTo(o);
      }
      assertTrue(fs.getFileStatus(new Path(dir, name + ".fasta")).getLen() > BLOCK, name + " spans blocks");
    }
    upload(taxdump, new Path(dir, "taxdump"));
    Path out = new Path(dir, "scan");
    assertEquals(0, ToolRunner.run(new Configuration(conf), new ScanJob(), new String[] {
        "--input", dir + "/*.fasta", "--taxonomy", dir + "/taxdump", "--out", out.toString()}));
    DatabaseStats s = StatsFiles.read(conf, out);
    assertEquals(expected, s.getSequences());
    assertEquals(5445, ScanRealDataTest.bin(s, "Plasmodium").getSequences());
    assertEquals(4363, ScanRealDataTest.bin(s, "Escherichia").getSequences());
    assertEquals(6077, ScanRealDataTest.bin(s, "Saccharomyces").getSequences());
  }
}
