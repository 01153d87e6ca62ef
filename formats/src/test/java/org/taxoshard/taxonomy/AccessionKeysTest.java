package org.taxoshard.taxonomy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The keys rows are filed under and the keys headers try, so that the two meet. */
class AccessionKeysTest {
  static List<String> candidates(String header) {
    byte[] b = header.getBytes(StandardCharsets.UTF_8);
    return AccessionKeys.candidates(b, b.length);
  }

  static String key(String line) throws AccessionKeys.BadRow {
    String[] k = new String[1];
    int t = AccessionKeys.parseRow(line, false, k);
    return t < 0 ? null : k[0] + "=" + t;
  }

  @Test
  void rowsOfBothLayouts() throws Exception {
    assertEquals("XP_100=9010", key("XP_100\tXP_100.2\t9010\t11"), "4 columns: the accession column");
    assertEquals("XP_100=9010", key("XP_100.2\t9010"), "FULL: the accession.version less its version");
    assertEquals("0308206A=90009", key("0308206A\t90009"), "FULL, an accession with no version");
    assertEquals("X53318=909", key("X53318\tX53318.\t909\tna"), "a dead record: a lone dot");
    assertEquals("WP_5=0", key("WP_5.1\t0"), "NCBI's 'not mapped' is a row too; the join keeps no taxid 0");
    String[] k = new String[1];
    assertEquals(-1, AccessionKeys.parseRow("accession.version\ttaxid", true, k), "a header line first");
    assertEquals(-1, AccessionKeys.parseRow("accession\taccession.version\ttaxid\tgi", true, k));
    assertEquals(-1, AccessionKeys.parseRow("", false, k));
    AccessionKeys.BadRow one = assertThrows(AccessionKeys.BadRow.class, () -> key("XP_1.1"));
    assertTrue(one.getMessage().contains("found 1 column"), one.getMessage());
    AccessionKeys.BadRow nan = assertThrows(AccessionKeys.BadRow.class, () -> key("XP_1\tXP_1.1\tnot-a-number\t1"));
    assertTrue(nan.getMessage().contains("'not-a-number' is not a number"), nan.getMessage());
    assertThrows(AccessionKeys.BadRow.class, () -> key("XP_1.1\t-5"));
    assertThrows(AccessionKeys.BadRow.class, () -> key("accession.version\ttaxid"), "a header line only first");
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "XP_100.2 some protein; XP_100.2,XP_100",
      "XP_100 no version; XP_100",
      "sp|Q9Z0X7|RNH_FICCO Ribonuclease HI; sp|Q9Z0X7|RNH_FICCO,Q9Z0X7",
      "ref|XP_100.1| an accession field; ref|XP_100.1|,XP_100.1,XP_100",
      "contig.12\tx; contig.12,contig",
      "plain; plain",
      "v1.; v1.,v1"})
  void headersTryTheirIdThenTheAccessionField(String header, String keys) {
    assertEquals(List.of(keys.split(",")), candidates(header));
  }

  @Test
  void everyVersionOfARecordMeetsItsRow() throws Exception {
    for (String row : new String[] {"XP_100\tXP_100.2\t9010\t11", "XP_100.2\t9010"}) {
      String filed = key(row).split("=")[0];
      for (String header : new String[] {"XP_100.2 x", "XP_100.7 x", "XP_100 x", "ref|XP_100.1| x"}) {
        assertTrue(candidates(header).contains(filed), header + " finds " + row);
      }
    }
  }
}
