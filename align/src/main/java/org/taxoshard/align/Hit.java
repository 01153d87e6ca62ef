package org.taxoshard.align;

import java.util.Comparator;
import java.util.Locale;

/**
 * One row of BLAST tabular output ({@code -outfmt 6}): a query, a subject and one gapped
 * alignment (HSP) between them, with its raw score and whole-database statistics.
 *
 * <p>Coordinates are 1-based and inclusive, as BLAST prints them. For a nucleotide alignment of
 * the query with the subject's minus strand, {@code qstart <= qend} and {@code sstart > send}.
 * {@code length} counts alignment columns (gaps included), {@code mismatch} the aligned pairs that
 * differ, {@code gapopen} the gap runs, {@code pident} is 100 x identities / length.
 */
public record Hit(int queryIndex, String qseqid, String sseqid, int identities, int length, int mismatch,
    int gapopen, int qstart, int qend, int sstart, int send, double evalue, double bitscore, int score) {

  /**
   * The order of rows within one query: E-value ascending, then bit score descending, then
   * subject id, then coordinates, so that any way of cutting the database gives the same list.
   */
  public static final Comparator<Hit> BEST_FIRST = Comparator.comparingDouble(Hit::evalue)
      .thenComparing(Comparator.comparingDouble(Hit::bitscore).reversed())
      .thenComparing(Hit::sseqid)
      .thenComparingInt(Hit::qstart).thenComparingInt(Hit::qend)
      .thenComparingInt(Hit::sstart).thenComparingInt(Hit::send)
      .thenComparingInt(Hit::score);

  public double pident() {
    return length == 0 ? 0 : 100.0 * identities / length;
  }

  /** The row as BLAST prints it, without the line end. */
  public String tabular() {
    return qseqid + '\t' + sseqid + '\t' + String.format(Locale.ROOT, "%.3f", pident()) + '\t' + length + '\t'
        + mismatch + '\t' + gapopen + '\t' + qstart + '\t' + qend + '\t' + sstart + '\t' + send + '\t'
        + formatEvalue(evalue) + '\t' + formatBitScore(bitscore);
  }

  /**
   * BLAST+ 2.12's tabular E-value format: "0.0" below 1e-180, three significant digits with an
   * exponent below 0.0009, then 3, 2, 1 and 0 decimals at 0.1, 1 and 10.
   */
  public static String formatEvalue(double e) {
    if (e < 1.0e-180) {
      return "0.0";
    }
    if (e < 0.0009) {
      return String.format(Locale.ROOT, "%.2e", e);
    }
    if (e < 0.1) {
      return String.format(Locale.ROOT, "%.3f", e);
    }
    if (e < 1.0) {
      return String.format(Locale.ROOT, "%.2f", e);
    }
    if (e < 10.0) {
      return String.format(Locale.ROOT, "%.1f", e);
    }
    return String.format(Locale.ROOT, "%.0f", e);
  }

  /** BLAST's tabular bit score format: one decimal up to 99.9, whole numbers above, exponent past 9999. */
  public static String formatBitScore(double bits) {
    if (bits > 9999) {
      return String.format(Locale.ROOT, "%.3e", bits);
    }
    if (bits > 99.9) {
      return String.valueOf((long) bits);
    }
    return String.format(Locale.ROOT, "%.1f", bits);
  }
}
