package org.taxoshard.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
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
