package org.taxoshard.taxonomy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.taxoshard.fasta.FastaRecord;

/**
 * The header parsers on arbitrary header bytes, with the small real taxonomy of
 * {@code taxonomy/good} and user regexes that compile (with
 * {@code taxid}, {@code name}, both, and alternations of the two). Properties: a lookup never
 * throws; it answers a taxid the taxonomy holds or one of its documented reasons (no taxon,
 * unknown taxid, name not found, ambiguous name), and at most 4 non-empty accession keys; the same answer through a
 * {@link FastaRecord}, again (the matcher is reused), and when the bytes after the header's length
 * are stale (a reader's buffer is reused).
 *
 * <p>Input: the header bytes, then one byte from the end choosing the lookup ({@link #LOOKUPS}:
 * 0 the built-in forms alone). Seeds in {@code TaxonLookupFuzzTestInputs/anyHeader/}: each
 * header form of {@link TaxonLookupTest}, named after it.
 */
class TaxonLookupFuzzTest {
  private static final Taxonomy TAXONOMY;
  private static final TaxonLookup[] LOOKUPS;
  private static final Set<Integer> REASONS = Set.of(TaxonLookup.NO_TAXON, TaxonLookup.UNKNOWN_TAXID,
      TaxonLookup.NAME_NOT_FOUND, TaxonLookup.AMBIGUOUS_NAME);

  static {
    try {
      TAXONOMY = TaxonomyTest.load(TaxonomyTest.FIXTURES + "good");
      String[] regexes = {null, TaxonLookup.SIXTEEN_S_EXAMPLE_REGEX, "^(?<taxid>\\d+)_", "organism=(?<name>[^;]+);",
          "^(?<taxid>\\S+)", "\\|(?<taxid>[^|]*)\\|(?<name>[^|]*)\\|", "\\[(?<name>.*)\\]", "(?<name>)"};
      LOOKUPS = new TaxonLookup[regexes.length];
      for (int i = 0; i < regexes.length; i++) {
        LOOKUPS[i] = new TaxonLookup(TAXONOMY, regexes[i]);
      }
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest(maxDuration = "15s")
  void anyHeader(FuzzedDataProvider in) {
    TaxonLookup lookup = LOOKUPS[in.consumeInt(0, LOOKUPS.length - 1)];
    byte[] header = in.consumeRemainingAsBytes();
    int taxid = lookup.taxid(header, header.length);
    java.util.List<String> keys = AccessionKeys.candidates(header, header.length);
    assertTrue(keys.size() <= 4 && keys.stream().noneMatch(String::isEmpty), keys.toString());
    String what = new String(header, StandardCharsets.ISO_8859_1);
    assertTrue(taxid > 0 ? TAXONOMY.contains(taxid) : REASONS.contains(taxid),
        () -> "not a taxid of the taxonomy nor a reason: " + taxid + " for " + what);
    assertEquals(taxid, lookup.taxid(header, header.length), () -> "asked again: " + what);

    FastaRecord r = new FastaRecord();
    r.setHeader(header, 0, header.length);
    assertEquals(taxid, lookup.taxid(r), () -> "through a record: " + what);

    byte[] stale = Arrays.copyOf(header, header.length + 16);
    Arrays.fill(stale, header.length, stale.length, (byte) 'X');
    System.arraycopy(" OX=909 [Inventus]".getBytes(StandardCharsets.US_ASCII), 0, stale, header.length, 16);
    assertEquals(taxid, lookup.taxid(stale, header.length), () -> "bytes past the header's end were read: " + what);
  }
}
