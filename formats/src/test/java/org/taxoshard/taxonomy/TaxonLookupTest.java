package org.taxoshard.taxonomy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.taxoshard.formats.BadInputException;
import org.taxoshard.testing.SharedData;

/** Each header form, ambiguity, and the real 16S file with one regex. */
class TaxonLookupTest {
  static int lookup(TaxonLookup l, String header) {
    byte[] b = header.getBytes(StandardCharsets.UTF_8);
    return l.taxid(b, b.length);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "sp|Q9Z0X7|RNH_FICCO Ribonuclease HI OS=Fictoriella coli (strain K12) OX=90009 GN=rnhA PE=1 SV=1; 90009",
      "UniRef90_Q9Z0X7 Ribonuclease HI n=42 Tax=Enterobacterales TaxID=909 RepID=RNH_FICCO; 909",
      "seq1 taxid=9010 some text; 9010",
      "seq2 tax_id=9010; 9010",
      "kraken:taxid|909|NC_000913.3 Fictoriella coli; 909",
      "WP_000001.1 hypothetical protein [Fictoriella coli]; 909",
      "WP_000002.1 hypothetical protein [Bactorium coli]; 909",
      "merged OX=469008; 909",
      "chain OX=12345; 909",
      "no taxon at all here; 0",
      "unknown OX=31337; -1",
      "deleted OX=999; -1",
      "WP_3.1 protein [Nonexistentia imaginaria]; -2",
      "WP_4.1 protein [Inventus]; -3",
      "WP_5.1 Fictaria protein [Inventus]; 9009",
      "WP_6.1 Fictoza insect protein [Inventus]; 90008",
      "WP_7.1 protein [Fictoriella nonexistens]; 908",
  })
  void headerForms(String header, int expected) throws Exception {
    TaxonLookup l = new TaxonLookup(TaxonomyTest.load(TaxonomyTest.FIXTURES + "good"), null, null);
    assertEquals(expected, lookup(l, header), header);
  }

  @Test
  void nrHeaderWithSeveralEntriesUsesTheFirst() throws Exception {
    TaxonLookup l = new TaxonLookup(TaxonomyTest.load(TaxonomyTest.FIXTURES + "good"), null, null);
    assertEquals(9010, lookup(l, "WP_1.1 protein [Inventus subtilis]\u0001WP_2.1 protein [Fictoriella coli]"));
  }

  @Test
  void userRegexComesFirst() throws Exception {
    Taxonomy t = TaxonomyTest.load(TaxonomyTest.FIXTURES + "good");
    TaxonLookup byId = new TaxonLookup(t, "^(?<taxid>\\d+)_", null);
    assertEquals(9010, lookup(byId, "9010_contig7 OX=909"));
    assertEquals(909, lookup(byId, "nomatch OX=909"), "without a match the built-in forms still apply");
    TaxonLookup byName = new TaxonLookup(t, "organism=(?<name>[^;]+);", null);
    assertEquals(909, lookup(byName, "x organism=Fictoriella coli; y"));
    assertThrows(IllegalArgumentException.class, () -> new TaxonLookup(t, "(\\d+)", null));
    assertThrows(IllegalArgumentException.class, () -> new TaxonLookup(t, "(?<taxid>", null));
  }

  @Test
  void accession2taxid() throws Exception {
    Taxonomy t = TaxonomyTest.load(TaxonomyTest.FIXTURES + "good");
    TaxonLookup.Accession2Taxid acc = new TaxonLookup.Accession2Taxid();
    String table = "accession\taccession.version\ttaxid\tgi\nXP_100\tXP_100.2\t9010\t11\nQ9Z0X7\tQ9Z0X7.1\t90009\t12\n";
    acc.load(new ByteArrayInputStream(table.getBytes(StandardCharsets.UTF_8)), "a2t.tsv", false);
    acc.seal();
    TaxonLookup l = new TaxonLookup(t, null, acc);
    assertEquals(9010, lookup(l, "XP_100.2 some protein"));
    assertEquals(9010, lookup(l, "XP_100.7 another version"));
    assertEquals(90009, lookup(l, "sp|Q9Z0X7|RNH_FICCO no taxon in this header"));
    assertEquals(0, lookup(l, "XP_999.1 absent"));
    TaxonLookup.Accession2Taxid bad = new TaxonLookup.Accession2Taxid();
    String broken = "accession\taccession.version\ttaxid\tgi\nXP_1\tXP_1.1\tnotanumber\t1\n";
    BadInputException e = assertThrows(BadInputException.class,
        () -> bad.load(new ByteArrayInputStream(broken.getBytes(StandardCharsets.UTF_8)), "a2t.tsv", false));
    assertTrue(e.getMessage().contains("a2t.tsv, line 2"), e.getMessage());
    TaxonLookup.Accession2Taxid lenient = new TaxonLookup.Accession2Taxid();
    lenient.load(new ByteArrayInputStream(broken.getBytes(StandardCharsets.UTF_8)), "a2t.tsv", true);
    assertEquals(1, lenient.skipped());
  }

  /**
   * NCBI's FULL layout (accession.version, taxid) and the 4-column one, each as NCBI ships it
   * (gzip), read through the configuration as a scan task reads them: any version of a record
   * finds its row, a taxid of 0 (NCBI's "not mapped") finds nothing, and each row is held once.
   */
  @Test
  void accession2taxidInBothOfNcbisLayoutsGzipped(@TempDir java.io.File tmp) throws Exception {
    Taxonomy t = TaxonomyTest.load(TaxonomyTest.FIXTURES + "good");
    java.io.File full = new java.io.File(tmp, "prot.accession2taxid.FULL.gz");
    java.io.File four = new java.io.File(tmp, "dead_prot.accession2taxid.gz");
    gzip(full, "accession.version\ttaxid\nXP_100.2\t9010\n0308206A\t90009\nWP_5.1\t0\n");
    gzip(four, "accession\taccession.version\ttaxid\tgi\nX53318\tX53318.\t909\t55\n");
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration(false);
    org.taxoshard.conf.TaxoshardKeys.TAXONOMY_ACCESSION2TAXID.set(conf, full.toURI() + "," + four.toURI());
    TaxonLookup l = TaxonLookup.create(conf, t);
    assertEquals(9010, lookup(l, "XP_100.2 the version the table names"));
    assertEquals(9010, lookup(l, "XP_100.3 a later version"));
    assertEquals(9010, lookup(l, "XP_100 no version"));
    assertEquals(9010, lookup(l, "ref|XP_100.1| an accession field"));
    assertEquals(90009, lookup(l, "0308206A an accession with no version"));
    assertEquals(909, lookup(l, "X53318.1 a dead record's"));
    assertEquals(0, lookup(l, "WP_5.1 mapped to 0"));

    TaxonLookup.Accession2Taxid held = new TaxonLookup.Accession2Taxid();
    String table = "accession\taccession.version\ttaxid\tgi\nXP_1\tXP_1.1\t9010\t1\nXP_2\tXP_2.3\t909\tna\n";
    held.load(new ByteArrayInputStream(table.getBytes(StandardCharsets.UTF_8)), "a2t.tsv", false);
    assertEquals(2, held.size(), "one entry a row, not one for each column");
    String oneColumn = "accession.version\ttaxid\nXP_1.1\n";
    BadInputException e = assertThrows(BadInputException.class, () -> new TaxonLookup.Accession2Taxid()
        .load(new ByteArrayInputStream(oneColumn.getBytes(StandardCharsets.UTF_8)), "a2t.tsv", false));
    assertTrue(e.getMessage().contains("a2t.tsv, line 2") && e.getMessage().contains("found 1 column"), e.getMessage());
  }

  static void gzip(java.io.File f, String text) throws java.io.IOException {
    try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(new java.io.FileOutputStream(f))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Both 16S header layouts through one regex: at most 2% without a genus. */
  @Test
  void sixteenSHeadersWithOneRegex() throws Exception {
    java.io.File fasta = SharedData.require("16s/rRNA16S.gold.fasta.gz");
    Taxonomy t = TaxonomyTest.load(SharedData.require("taxdump").getPath());
    TaxonLookup l = new TaxonLookup(t, TaxonLookup.SIXTEEN_S_EXAMPLE_REGEX, null);
    int headers = 0;
    int noGenus = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(new FileInputStream(fasta)),
        StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith(">")) {
          headers++;
          int taxid = lookup(l, line.substring(1));
          if (taxid <= 0 || t.ancestorAtRank(taxid, "genus") == 0) {
            noGenus++;
          }
        }
      }
    }
    assertEquals(5_181, headers);
    System.out.println("16S headers without a genus: " + noGenus);
    assertTrue(noGenus <= 103, noGenus + " of 5,181 without a genus (more than 2%)");
  }
}
