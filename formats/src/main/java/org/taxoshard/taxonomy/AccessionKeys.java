package org.taxoshard.taxonomy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an NCBI accession2taxid row and a FASTA record meet: the key a row is filed under and the
 * keys a record's header tries, best first. The join that gives records their taxids
 * (the jobs' {@code TaxidJoin}) matches the two; nothing here holds a table.
 *
 * <p>Rows come in NCBI's two layouts, tab-separated after a header line:
 * {@code accession, accession.version, taxid, gi} ({@code prot.accession2taxid}, {@code nucl_gb},
 * {@code dead_*}) and {@code accession.version, taxid} ({@code prot.accession2taxid.FULL}). A row
 * is filed under its accession without the version (the first column of the 4-column layout,
 * FULL's first less its {@code .digits}), so that every version of a record finds it.
 */
public final class AccessionKeys {
  private static final byte[] BAR = {'|'};

  private AccessionKeys() {}

  /** A row that is not one: the message says what was expected. */
  public static final class BadRow extends Exception {
    BadRow(String message) {
      super(message);
    }
  }

  /**
   * Parses one line of a table into {@code keyAndTaxid[0]} (the key) and the returned taxid.
   *
   * @param first whether it is the file's first line (a header line there is skipped)
   * @return the taxid (0 is NCBI's "not mapped"), or -1 for a line to skip (the header, a blank)
   * @throws BadRow when the line is not a row of either layout
   */
  public static int parseRow(String line, boolean first, String[] keyAndTaxid) throws BadRow {
    if (line.isEmpty() || first && line.startsWith("accession")) {
      return -1;
    }
    String[] f = line.split("\t", -1);
    if (f.length < 2 || f[0].isEmpty()) {
      throw new BadRow("expected accession, accession.version, taxid, gi or accession.version, taxid,"
          + " tab-separated; found " + f.length + " column" + (f.length == 1 ? "" : "s"));
    }
    String taxid = f[f.length == 2 ? 1 : 2].trim();
    int t;
    try {
      t = Integer.parseInt(taxid);
    } catch (NumberFormatException e) {
      throw new BadRow("taxid '" + taxid + "' is not a number");
    }
    if (t < 0) {
      throw new BadRow("negative taxid " + t);
    }
    keyAndTaxid[0] = f.length == 2 ? f[0].substring(0, withoutVersion(f[0])) : f[0];
    return t;
  }

  /** The length of an accession without a trailing {@code .digits} (or a lone trailing dot). */
  static int withoutVersion(String a) {
    int i = a.length();
    while (i > 0 && a.charAt(i - 1) >= '0' && a.charAt(i - 1) <= '9') {
      i--;
    }
    return i > 1 && a.charAt(i - 1) == '.' ? i - 1 : a.length();
  }

  /**
   * The keys a record's header (without {@code >}) tries, best first, without repeats: its id
   * (the first word) as is and without its version, then UniProt's accession field
   * ({@code sp|P12345|NAME}) as is and without its version.
   */
  public static List<String> candidates(byte[] header, int length) {
    int end = 0;
    while (end < length && header[end] != ' ' && header[end] != '\t' && header[end] != 0x01) {
      end++;
    }
    List<String> keys = new ArrayList<>(4);
    addBoth(keys, new String(header, 0, end, StandardCharsets.UTF_8));
    int bar = TaxonLookup.indexOf(header, end, BAR, 0);
    if (bar >= 0) {
      int bar2 = TaxonLookup.indexOf(header, end, BAR, bar + 1);
      addBoth(keys, new String(header, bar + 1, (bar2 < 0 ? end : bar2) - bar - 1, StandardCharsets.UTF_8));
    }
    return keys;
  }

  private static void addBoth(List<String> keys, String id) {
    for (String k : new String[] {id, id.substring(0, withoutVersion(id))}) {
      if (!k.isEmpty() && !keys.contains(k)) {
        keys.add(k);
      }
    }
  }
}
