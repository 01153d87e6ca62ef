package org.taxoshard.taxonomy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.fasta.FastaRecord;

/**
 * Finds the taxon a FASTA header names. The forms, tried in this order:
 * <ol>
 *   <li>the user's regex ({@code taxoshard.taxonomy.header-regex}) on the whole header line, with
 *       named groups {@code taxid} and/or {@code name} (with alternation, the group that matched);
 *   <li>UniProt {@code OX=9606};
 *   <li>UniRef {@code TaxID=9606};
 *   <li>{@code taxid=9606}, {@code tax_id=9606}, {@code kraken:taxid|9606};
 *   <li>NCBI nr's {@code [Homo sapiens]} (the last bracket of the first entry);
 * </ol>
 * A header that names none of them is {@link #NO_TAXON}; the scan and the shard job then look
 * its id up in the accession2taxid files, if any, by a join ({@link AccessionKeys}).
 * A name resolves through names.dmp; when several taxa share it, the one whose lineage names
 * appear elsewhere in the header wins if that singles one out; a name not found at all falls back
 * to its first word as a genus. Merged taxids follow merged.dmp.
 *
 * <p>Not thread-safe (it reuses a matcher).
 */
public final class TaxonLookup {
  /** The header names no taxon. */
  public static final int NO_TAXON = 0;
  /** The header names a taxid the taxonomy does not hold (nor merged.dmp). */
  public static final int UNKNOWN_TAXID = -1;
  /** The header names an organism that names.dmp does not know. */
  public static final int NAME_NOT_FOUND = -2;
  /** The header names an organism several taxa share, and nothing else in it tells which. */
  public static final int AMBIGUOUS_NAME = -3;

  /**
   * The header regex for the 16S file in {@code ../shared/data/16s}, whose headers come in two
   * layouts: IMG-style, where the taxid is the 5th '|'-separated field of the third
   * tab-separated field, and RDP-style ({@code S009990001 Fictobacillus inventus (T); ...}),
   * which carry an organism name and, after a tab, the lineage that disambiguates it.
   */
  public static final String SIXTEEN_S_EXAMPLE_REGEX =
      "^\\S+\\t[^\\t]*\\t(?:[^|\\t]*\\|){4}(?<taxid>\\d+)\\||^S\\d+ (?<name>[^;(\\t]+?)\\s*(?:\\(T\\)|;|\\t|$)";

  private static final byte[] OX = " OX=".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] UNIREF = " TaxID=".getBytes(StandardCharsets.US_ASCII);
  private static final byte[][] KEY_VALUE = {"taxid=".getBytes(StandardCharsets.US_ASCII),
      "tax_id=".getBytes(StandardCharsets.US_ASCII), "kraken:taxid|".getBytes(StandardCharsets.US_ASCII)};

  private final Taxonomy taxonomy;
  private final Matcher regex;
  private final boolean regexHasTaxid;
  private final boolean regexHasName;
  public TaxonLookup(Taxonomy taxonomy, String regex) {
    this.taxonomy = taxonomy;
    if (regex == null || regex.isEmpty()) {
      this.regex = null;
      this.regexHasTaxid = false;
      this.regexHasName = false;
    } else {
      Pattern p;
      try {
        p = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(TaxoshardKeys.TAXONOMY_HEADER_REGEX.key() + ": " + e.getMessage(), e);
      }
      this.regex = p.matcher("");
      this.regexHasTaxid = regex.contains("(?<taxid>");
      this.regexHasName = regex.contains("(?<name>");
      if (!regexHasTaxid && !regexHasName) {
        throw new IllegalArgumentException(TaxoshardKeys.TAXONOMY_HEADER_REGEX.key()
            + " needs a named group 'taxid' or 'name', e.g. (?<taxid>\\d+)");
      }
    }
  }

  /** The lookup the configuration asks for: its header regex, if any. */
  public static TaxonLookup create(Configuration conf, Taxonomy taxonomy) {
    return new TaxonLookup(taxonomy, TaxoshardKeys.TAXONOMY_HEADER_REGEX.get(conf));
  }

  /** The taxid of a record: &gt; 0 when found, else one of the constants above. */
  public int taxid(FastaRecord record) {
    return taxid(record.headerBytes(), record.headerLength());
  }

  /** The taxid named by a header line (without {@code >}) given as bytes [0, length). */
  public int taxid(byte[] header, int length) {
    if (regex != null) {
      String line = new String(header, 0, length, StandardCharsets.UTF_8);
      regex.reset(line);
      if (regex.find()) {
        String t = regexHasTaxid ? regex.group("taxid") : null;
        if (t != null) {
          return resolveNumber(t);
        }
        String n = regexHasName ? regex.group("name") : null;
        if (n != null) {
          return resolveName(n.trim(), line);
        }
      }
    }
    int v = numberAfter(header, length, OX);
    if (v == NO_TAXON) {
      v = numberAfter(header, length, UNIREF);
    }
    for (int k = 0; v == NO_TAXON && k < KEY_VALUE.length; k++) {
      v = numberAfter(header, length, KEY_VALUE[k]);
    }
    if (v > 0) {
      int r = taxonomy.resolve(v);
      return r > 0 ? r : UNKNOWN_TAXID;
    }
    if (v < 0) {
      return v;
    }
    int bracket = bracketedName(header, length);
    if (bracket != NO_TAXON) {
      return bracket;
    }
    return NO_TAXON;
  }

  private int resolveNumber(String digits) {
    try {
      int r = taxonomy.resolve(Integer.parseInt(digits));
      return r > 0 ? r : UNKNOWN_TAXID;
    } catch (NumberFormatException e) {
      return UNKNOWN_TAXID;
    }
  }

  /** The number after the first occurrence of {@code key}; NO_TAXON when absent. */
  private static int numberAfter(byte[] h, int length, byte[] key) {
    int i = indexOf(h, length, key, 0);
    if (i < 0) {
      return NO_TAXON;
    }
    long v = 0;
    int j = i + key.length;
    int digits = 0;
    while (j < length && h[j] >= '0' && h[j] <= '9' && v <= Integer.MAX_VALUE) {
      v = v * 10 + (h[j] - '0');
      j++;
      digits++;
    }
    return digits == 0 || v > Integer.MAX_VALUE || v == 0 ? UNKNOWN_TAXID : (int) v;
  }

  static int indexOf(byte[] h, int length, byte[] key, int from) {
    outer:
    for (int i = from; i <= length - key.length; i++) {
      for (int k = 0; k < key.length; k++) {
        if (h[i + k] != key[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** NCBI nr: "... [Homo sapiens]" closing the first entry (entries are separated by Ctrl-A). */
  private int bracketedName(byte[] h, int length) {
    int end = length;
    for (int i = 0; i < length; i++) {
      if (h[i] == 0x01) {
        end = i;
        break;
      }
    }
    while (end > 0 && (h[end - 1] == ' ' || h[end - 1] == '\t')) {
      end--;
    }
    if (end == 0 || h[end - 1] != ']') {
      return NO_TAXON;
    }
    int depth = 0;
    for (int i = end - 1; i >= 0; i--) {
      if (h[i] == ']') {
        depth++;
      } else if (h[i] == '[' && --depth == 0) {
        String name = new String(h, i + 1, end - 1 - (i + 1), StandardCharsets.UTF_8).trim();
        return name.isEmpty() ? NO_TAXON : resolveName(name, new String(h, 0, length, StandardCharsets.UTF_8));
      }
    }
    return NO_TAXON;
  }

  /**
   * An organism name to a taxid: exact (any case) through names.dmp, then its first word as a
   * genus; several candidates are told apart by their lineage names appearing in the header.
   */
  int resolveName(String name, String header) {
    int[] candidates = taxonomy.taxidsByName(name);
    if (candidates.length == 0) {
      int space = name.indexOf(' ');
      if (space > 0) {
        int[] words = taxonomy.taxidsByName(name.substring(0, space));
        candidates = Arrays.stream(words).filter(t -> "genus".equals(taxonomy.rank(t))).toArray();
      }
      if (candidates.length == 0) {
        return NAME_NOT_FOUND;
      }
    }
    if (candidates.length == 1) {
      return candidates[0];
    }
    String lower = header.toLowerCase(Locale.ROOT);
    int best = AMBIGUOUS_NAME;
    int bestScore = 0;
    boolean tie = false;
    for (int t : candidates) {
      int score = 0;
      for (int node = taxonomy.parent(t); node > 0; node = taxonomy.parent(node)) {
        String n = taxonomy.scientificName(node);
        if (n != null && n.length() > 2 && lower.contains(n.toLowerCase(Locale.ROOT))) {
          score++;
        }
        if (taxonomy.parent(node) == node) {
          break;
        }
      }
      if (score > bestScore) {
        bestScore = score;
        best = t;
        tie = false;
      } else if (score == bestScore && score > 0) {
        tie = true;
      }
    }
    return tie || bestScore == 0 ? AMBIGUOUS_NAME : best;
  }
}
