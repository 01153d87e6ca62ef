package org.taxoshard.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taxoshard.avro.Alphabet;
import org.taxoshard.avro.Bin;
import org.taxoshard.avro.DatabaseStats;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.taxonomy.TaxonLookup;
import org.taxoshard.testing.SharedData;

/**
 * The scan on the real data in {@code ../shared/data} (skipped, visibly, when it is absent): the
 * figures the data's README states, gzip-compressed and uncompressed in 1 MiB splits alike.
 */
class ScanRealDataTest {
  static final long PROTEOME_SEQUENCES = 82_814;
  static final long PROTEOME_RESIDUES = 38_677_248;
  static final long PLASMODIUM_SEQUENCES = 15_472;

  @TempDir
  File tmp;

  DatabaseStats scan(Configuration conf, String input, File taxdump, String name) throws Exception {
    Path out = new Path(tmp.getAbsolutePath(), name);
    assertEquals(0, ToolRunner.run(conf, new ScanJob(), new String[] {
        "--input", input, "--taxonomy", taxdump.getAbsolutePath(), "--out", out.toString()}));
    return StatsFiles.read(conf, out);
  }

  static Bin bin(DatabaseStats s, String name) {
    return s.getBins().stream().filter(b -> b.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no bin " + name + " in " + s.getBins()));
  }

  void assertProteomes(DatabaseStats s) {
    assertEquals(PROTEOME_SEQUENCES, s.getSequences());
    assertEquals(PROTEOME_RESIDUES, s.getResidues());
    assertEquals(Alphabet.PROTEIN, s.getAlphabet());
    assertEquals(PLASMODIUM_SEQUENCES, bin(s, "Plasmodium").getSequences());
    assertEquals(5820, bin(s, "Plasmodium").getTaxid());
    assertEquals(13, s.getMinLength());
    assertEquals(10_549, s.getMaxLength());
    assertEquals(15, s.getInputs().size());
    long perBin = s.getBins().stream().mapToLong(Bin::getSequences).sum();
    assertEquals(PROTEOME_SEQUENCES, perBin, "every sequence in exactly one bin");
  }

  @Test
  void proteomesGzipped() throws Exception {
    File proteomes = SharedData.require("proteomes");
    File taxdump = SharedData.require("taxdump");
    DatabaseStats s = scan(ScanJobTest.localConf(), proteomes.getAbsolutePath(), taxdump, "gz");
    assertProteomes(s);
    assertTrue(s.getInputs().stream().allMatch(f -> f.getCompression().equals("gzip")));
  }

  @Test
  void proteomesUncompressedInOneMebibyteSplits() throws Exception {
    File proteomes = SharedData.require("proteomes");
    File taxdump = SharedData.require("taxdump");
    File plain = new File(tmp, "plain");
    assertTrue(plain.mkdirs());
    File[] files = proteomes.listFiles((d, n) -> n.endsWith(".gz"));
    for (File gz : files) {
      try (InputStream in = new GZIPInputStream(new FileInputStream(gz));
          OutputStream out = new FileOutputStream(new File(plain, gz.getName().replace(".gz", "")))) {
        in.transferTo(out);
      }
    }
    Configuration conf = ScanJobTest.localConf();
    conf.setLong("mapreduce.input.fileinputformat.split.maxsize", 1 << 20);
    DatabaseStats s = scan(conf, plain.getAbsolutePath(), taxdump, "plain-out");
    assertProteomes(s);
  }

  @Test
  void sixteenSWithOneHeaderRegex() throws Exception {
    File fasta = SharedData.require("16s/rRNA16S.gold.fasta.gz");
    File taxdump = SharedData.require("taxdump");
    Configuration conf = ScanJobTest.localConf();
    TaxoshardKeys.TAXONOMY_HEADER_REGEX.set(conf, TaxonLookup.SIXTEEN_S_EXAMPLE_REGEX);
    DatabaseStats s = scan(conf, fasta.getAbsolutePath(), taxdump, "16s");
    assertEquals(5_181, s.getSequences());
    assertEquals(7_615_362, s.getResidues());
    assertEquals(Alphabet.NUCLEOTIDE, s.getAlphabet());
    assertTrue(s.getUnclassified() <= 5_181 * 2 / 100, "unclassified " + s.getUnclassified() + " > 2%");
    System.out.printf("16S: %d genera, %d unclassified%n", s.getBins().size() - 1, s.getUnclassified());
  }
}
