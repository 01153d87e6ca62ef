package org.taxoshard.taxonomy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.taxoshard.formats.BadInputException;
import org.taxoshard.testing.SharedData;

/** Lineages, merges and names on a hand-made dump; each broken dump named after its fault. */
class TaxonomyTest {
  static final String FIXTURES = "src/test/resources/taxonomy/";

  static Taxonomy load(String dir) throws Exception {
    Configuration conf = new Configuration();
    conf.set("fs.defaultFS", "file:///");
    return Taxonomy.load(conf, new Path(new File(dir).getAbsolutePath()));
  }

  @Test
  void lineageAndRanks() throws Exception {
    Taxonomy t = load(FIXTURES + "good");
    assertEquals(11, t.size());
    assertEquals(909, t.parent(90009));
    assertEquals(1, t.parent(1));
    assertEquals("strain", t.rank(90009));
    assertEquals(908, t.ancestorAtRank(90009, "genus"));
    assertEquals(909, t.ancestorAtRank(90009, "species"));
    assertEquals(908, t.ancestorAtRank(908, "genus"), "a taxon is its own ancestor at its rank");
    assertEquals(0, t.ancestorAtRank(9008, "genus"), "no genus above a phylum");
    assertEquals(0, t.ancestorAtRank(90009, "no-such-rank"));
    assertEquals("Fictoriella", t.scientificName(908));
    assertTrue(t.isKnownRank("genus"));
    assertFalse(t.isKnownRank("subgenus"));
    assertNull(t.scientificName(424242));
  }

  @Test
  void mergedIdsFollowChainsAndDeletedIdsResolveToNothing() throws Exception {
    Taxonomy t = load(FIXTURES + "good");
    assertEquals(909, t.resolve(469008));
    assertEquals(909, t.resolve(12345), "12345 -> 469008 -> 909");
    assertEquals(909, t.resolve(909));
    assertEquals(0, t.resolve(999));
    assertTrue(t.isDeleted(999));
    assertEquals(0, t.resolve(31337));
  }

  @Test
  void namesAnyCaseSynonymsAndHomonyms() throws Exception {
    Taxonomy t = load(FIXTURES + "good");
    assertArrayEquals(new int[] {909}, t.taxidsByName("fictoriella COLI"));
    assertArrayEquals(new int[] {909}, t.taxidsByName("Bactorium coli"));
    assertArrayEquals(new int[] {9008}, t.taxidsByName("Fictobacteriia"));
    int[] bacillus = t.taxidsByName("Inventus");
    java.util.Arrays.sort(bacillus);
    assertArrayEquals(new int[] {9009, 90008}, bacillus, "the bacterium and the stick insect");
    assertEquals(0, t.taxidsByName("Nonexistentia").length);
  }

  /** Each broken dump: the file, the line (blank lines counted, as an editor counts them), the fault. */
  @ParameterizedTest
  @CsvSource({
      "cycle, nodes.dmp, line 3, cycle",
      "missing-parent, nodes.dmp, line 3, parent 15",
      "bad-column-count, nodes.dmp, line 2, fields",
      "merged-loop, merged.dmp, line 2, loop",
      "non-numeric-taxid, nodes.dmp, line 2, not a taxid",
      "duplicate-taxid, nodes.dmp, line 6, appears twice",
      "parent-zero, nodes.dmp, line 2, parent taxid 0",
      "taxid-above-ceiling, nodes.dmp, line 2, above",
      "nul-byte-in-name, names.dmp, line 2, NUL byte",
  })
  void brokenDumpsNameFileAndPlace(String dir, String file, String place, String fault) {
    BadInputException e = assertThrows(BadInputException.class, () -> load(FIXTURES + dir));
    assertTrue(e.getMessage().contains(dir + "/" + file + ", " + place + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(fault), e.getMessage());
  }

  @Test
  void folderWithoutDumpIsBadInput() {
    BadInputException e = assertThrows(BadInputException.class, () -> load(FIXTURES));
    assertTrue(e.getMessage().contains("nodes.dmp and names.dmp are required"), e.getMessage());
  }

  @Test
  void realPrunedTaxdump() throws Exception {
    Taxonomy t = load(SharedData.require("taxdump").getPath());
    assertEquals(7_253, t.size());
    assertEquals(561, t.ancestorAtRank(83333, "genus"));
    assertEquals("Escherichia", t.scientificName(561));
    assertEquals(5820, t.ancestorAtRank(36329, "genus"));
    assertEquals("Plasmodium", t.scientificName(5820));
    assertEquals(652721, t.resolve(591117));
    assertEquals(28110, t.resolve(452326));
  }
}
