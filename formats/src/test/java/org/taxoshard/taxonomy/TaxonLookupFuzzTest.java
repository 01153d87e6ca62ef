package org.taxoshard.taxonomy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.taxoshard.fasta.FastaRecord;

/**
 * The header parsers on arbitrary header bytes, with the small real taxonomy of
 * {@code taxonomy/good}, an accession2taxid table, and user regexes that compile (with
 * {@code taxid}, {@code name}, both, and alternations of the two). Properties: a lookup never
 * throws; it answers a taxid the taxonomy holds or one of its documented reasons (no taxon,
 * unknown taxid, name not found, ambiguous name); the same answer through a
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
      TaxonLookup.Accession2Taxid acc = new TaxonLookup.Accession2Taxid();
      String table = "accession\taccession.version\ttaxid\tgi\n"
          + "XP_100\tXP_100.2\t9010\t11\nQ9Z0X7\tQ9Z0X7.1\t90009\t12\nOLD_1\tOLD_1.1\t469008\t13\n"
          + "GONE_1\tGONE_1.1\t31337\t14\n";
      acc.load(new ByteArrayInputStream(table.getBytes(StandardCharsets.UTF_8)), "a2t.tsv", false);
      acc.seal();
      String[] regexes = {null, TaxonLookup.SIXTEEN_S_EXAMPLE_REGEX, "^(?<taxid>\\d+)_", "organism=(?<name>[^;]+);",
          "^(?<taxid>\\S+)", "\\|(?<taxid>[^|]*)\\|(?<name>[^|]*)\\|", "\\[(?<name>.*)\\]", "(?<name>)"};
      LOOKUPS = new TaxonLookup[2 * regexes.length];
      for (int i = 0; i < regexes.length; i++) {
        LOOKUPS[i] = new TaxonLookup(TAXONOMY, regexes[i], null);
        LOOKUPS[regexes.length + i] = new TaxonLookup(TAXONOMY, regexes[i], acc);
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
