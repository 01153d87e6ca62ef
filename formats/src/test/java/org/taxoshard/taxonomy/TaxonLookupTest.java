package org.taxoshard.taxonomy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
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
    TaxonLookup l = new TaxonLookup(TaxonomyTest.load(TaxonomyTest.FIXTURES + "good"), null);
    assertEquals(expected, lookup(l, header), header);
  }

  @Test
  void nrHeaderWithSeveralEntriesUsesTheFirst() throws Exception {
    TaxonLookup l = new TaxonLookup(TaxonomyTest.load(TaxonomyTest.FIXTURES + "good"), null);
    assertEquals(9010, lookup(l, "WP_1.1 protein [Inventus subtilis]\u0001WP_2.1 protein [Fictoriella coli]"));
  }

  @Test
  void userRegexComesFirst() throws Exception {
    Taxonomy t = TaxonomyTest.load(TaxonomyTest.FIXTURES + "good");
    TaxonLookup byId = new TaxonLookup(t, "^(?<taxid>\\d+)_");
    assertEquals(9010, lookup(byId, "9010_contig7 OX=909"));
    assertEquals(909, lookup(byId, "nomatch OX=909"), "without a match the built-in forms still apply");
    TaxonLookup byName = new TaxonLookup(t, "organism=(?<name>[^;]+);");
    assertEquals(909, lookup(byName, "x organism=Fictoriella coli; y"));
    assertThrows(IllegalArgumentException.class, () -> new TaxonLookup(t, "(\\d+)"));
    assertThrows(IllegalArgumentException.class, () -> new TaxonLookup(t, "(?<taxid>"));
  }

  /** Both 16S header layouts through one regex: at most 2% without a genus. */
  @Test
  void sixteenSHeadersWithOneRegex() throws Exception {
    java.io.File fasta = SharedData.require("16s/rRNA16S.gold.fasta.gz");
    Taxonomy t = TaxonomyTest.load(SharedData.require("taxdump").getPath());
    TaxonLookup l = new TaxonLookup(t, TaxonLookup.SIXTEEN_S_EXAMPLE_REGEX);
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
