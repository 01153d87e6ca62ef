package org.taxoshard.taxonomy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.fasta.FastaRecord;
import org.taxoshard.formats.BadInputException;

/**
 * Finds the taxon a FASTA header names. The forms, tried in this order:
 * <ol>
 *   <li>the user's regex ({@code taxoshard.taxonomy.header-regex}) on the whole header line, with
 *       named groups {@code taxid} and/or {@code name} (with alternation, the group that matched);
 *   <li>UniProt {@code OX=9606};
 *   <li>UniRef {@code TaxID=9606};
 *   <li>{@code taxid=9606}, {@code tax_id=9606}, {@code kraken:taxid|9606};
 *   <li>NCBI nr's {@code [Homo sapiens]} (the last bracket of the first entry);
 *   <li>an NCBI accession2taxid file ({@code taxoshard.taxonomy.accession2taxid}) by record id.
 * </ol>
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
  private final Accession2Taxid accessions;

  public TaxonLookup(Taxonomy taxonomy, String regex, Accession2Taxid accessions) {
    this.taxonomy = taxonomy;
    this.accessions = accessions;
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

  /**
   * The lookup the configuration asks for: its regex and accession2taxid files, if any, read
   * through the codec their names say ({@code .gz} as NCBI ships them).
   */
  public static TaxonLookup create(Configuration conf, Taxonomy taxonomy) throws IOException {
    String files = TaxoshardKeys.TAXONOMY_ACCESSION2TAXID.get(conf);
    Accession2Taxid acc = null;
    if (!files.isEmpty()) {
      acc = new Accession2Taxid();
      boolean lenient = TaxoshardKeys.INPUT_LENIENT.getBoolean(conf);
      CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
      for (String f : files.split(",")) {
        Path p = new Path(f.trim());
        FileSystem fs = p.getFileSystem(conf);
        CompressionCodec codec = codecs.getCodec(p);
        InputStream in = fs.open(p);
        acc.load(codec == null ? in : codec.createInputStream(in), p.toString(), lenient);
      }
      acc.seal();
    }
    return new TaxonLookup(taxonomy, TaxoshardKeys.TAXONOMY_HEADER_REGEX.get(conf), acc);
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
    if (accessions != null) {
      int t = accessions.lookup(header, length);
      if (t > 0) {
        int r = taxonomy.resolve(t);
        return r > 0 ? r : UNKNOWN_TAXID;
      }
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

  /**
   * An NCBI accession2taxid table held as 64-bit hashes of accessions without their version,
   * sorted, beside taxids: 12 bytes an accession once sealed (up to 36 while a list grows).
   */
  public static final class Accession2Taxid {
    private final Taxonomy.LongList keys = new Taxonomy.LongList();
    private final Taxonomy.IntList values = new Taxonomy.IntList();
    private long skipped;
    private boolean sealed;

    /**
     * Reads one file in either of NCBI's layouts: {@code accession, accession.version, taxid, gi}
     * ({@code prot.accession2taxid}, {@code nucl_gb}, {@code dead_*}) or {@code accession.version,
     * taxid} ({@code prot.accession2taxid.FULL}), tab-separated, a header line first. Each row is
     * kept once, under its accession without the version (the first column of the 4-column
     * layout; FULL's less its {@code .digits}), so that every version of a record finds it;
     * a taxid of 0 (NCBI's "not mapped") is not kept. A bad row is a BadInputException naming the
     * line, or skipped and counted when lenient.
     */
    public void load(InputStream in, String file, boolean lenient) throws IOException {
      if (sealed) {
        throw new IllegalStateException("sealed");
      }
      try (java.io.BufferedReader r = new java.io.BufferedReader(
          new java.io.InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
        long line = 0;
        for (String l = r.readLine(); l != null; l = r.readLine()) {
          line++;
          if (line == 1 && l.startsWith("accession")) {
            continue;
          }
          if (l.isEmpty()) {
            continue;
          }
          String[] f = l.split("\t", -1);
          int taxid;
          try {
            if (f.length < 2 || f[0].isEmpty()) {
              throw new NumberFormatException("expected accession, accession.version, taxid, gi or accession.version,"
                  + " taxid, tab-separated; found " + f.length + " column" + (f.length == 1 ? "" : "s"));
            }
            taxid = Integer.parseInt(f[f.length == 2 ? 1 : 2].trim());
            if (taxid < 0) {
              throw new NumberFormatException("negative taxid " + taxid);
            }
          } catch (NumberFormatException e) {
            if (lenient) {
              skipped++;
              continue;
            }
            throw new BadInputException(file, "line " + line, null, "not an accession2taxid row: " + e.getMessage());
          }
          if (taxid > 0) {
            // The 4-column layout names the accession without its version; FULL only with it.
            byte[] b = f[0].getBytes(StandardCharsets.UTF_8);
            keys.add(Taxonomy.hash(b, 0, f.length == 2 ? withoutVersion(b, 0, b.length) : b.length));
            values.add(taxid);
          }
        }
      }
    }

    /** The end of an accession in b[start, end) without a trailing {@code .digits} (or a lone dot). */
    static int withoutVersion(byte[] b, int start, int end) {
      int i = end;
      while (i > start && b[i - 1] >= '0' && b[i - 1] <= '9') {
        i--;
      }
      return i > start + 1 && b[i - 1] == '.' ? i - 1 : end;
    }

    /** Sorts the table in place; no row can be added after. */
    public void seal() {
      if (!sealed && keys.size > 1) {
        Taxonomy.sortPairs(keys.data, values.data, keys.size);
      }
      sealed = true;
    }

    /** Accessions held. */
    public int size() {
      return keys.size;
    }

    public long skipped() {
      return skipped;
    }

    /**
     * The taxid of the record whose header (without {@code >}) is b[0, length): its id (the first
     * word) as is, then without its version, then UniProt's accession field ({@code sp|P12345|...})
     * as is and without a version; 0 when none is held.
     */
    int lookup(byte[] header, int length) {
      int end = 0;
      while (end < length && header[end] != ' ' && header[end] != '\t' && header[end] != 0x01) {
        end++;
      }
      int t = findEitherVersion(header, 0, end);
      if (t > 0) {
        return t;
      }
      int bar = indexOf(header, end, new byte[] {'|'}, 0);
      if (bar >= 0) {
        int bar2 = indexOf(header, end, new byte[] {'|'}, bar + 1);
        t = findEitherVersion(header, bar + 1, bar2 < 0 ? end : bar2);
      }
      return t;
    }

    private int findEitherVersion(byte[] b, int start, int end) {
      int t = find(b, start, end);
      int bare = withoutVersion(b, start, end);
      return t > 0 || bare == end ? t : find(b, start, bare);
    }

    private int find(byte[] b, int start, int end) {
      if (end <= start) {
        return 0;
      }
      if (!sealed) {
        throw new IllegalStateException("not sealed");
      }
      int i = Arrays.binarySearch(keys.data, 0, keys.size, Taxonomy.hash(b, start, end));
      return i < 0 ? 0 : values.data[i];
    }
  }
}
