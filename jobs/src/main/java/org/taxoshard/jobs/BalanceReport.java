package org.taxoshard.jobs;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import org.taxoshard.avro.Balance;

/**
 * The page a person looks at after plan or shard ({@code report.html}): for each shard a bar of
 * its residues, stacked by bin, against the mean; and each shard's bin composition beside the
 * whole database's. Plain HTML with inline SVG, nothing to load.
 */
final class BalanceReport {
  private static final String[] COLORS = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
      "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#1f3b73", "#d37295"};
  private static final String OTHER = "#d9d9d9";

  private BalanceReport() {}

  /**
   * @param binIds the bins, by column of the matrices
   * @param names bin taxid to name
   * @param sequences [shard][bin]
   * @param residues [shard][bin]
   */
  static String html(String title, long[] binIds, Map<Long, String> names, double[][] sequences, double[][] residues,
      Balance balance) {
    int shards = residues.length;
    int bins = binIds.length;
    double[] binResidues = new double[bins];
    double[] binSequences = new double[bins];
    double[] shardResidues = new double[shards];
    for (int s = 0; s < shards; s++) {
      for (int b = 0; b < bins; b++) {
        binResidues[b] += residues[s][b];
        binSequences[b] += sequences[s][b];
        shardResidues[s] += residues[s][b];
      }
    }
    Integer[] order = new Integer[bins];
    for (int b = 0; b < bins; b++) {
      order[b] = b;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer b) -> -binResidues[b]));
    String[] color = new String[bins];
    for (int i = 0; i < bins; i++) {
      color[order[i]] = i < COLORS.length ? COLORS[i] : OTHER;
    }
    double max = Arrays.stream(shardResidues).max().orElse(1);
    double mean = Arrays.stream(shardResidues).average().orElse(0);
    int width = 720;
    int row = 18;
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title>")
        .append("<style>body{font:14px sans-serif;margin:24px;color:#222}h2{font-size:16px;margin-top:28px}")
        .append("td,th{padding:2px 10px;text-align:right}.legend span{display:inline-block;margin-right:14px}")
        .append(".sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}</style>")
        .append("</head><body><h1 style=\"font-size:20px\">").append(esc(title)).append("</h1>");
    h.append(String.format(Locale.ROOT, "<p>residues max/mean <b>%.4f</b> &middot; sequences max/mean <b>%.4f</b>"
        + " &middot; largest total-variation distance <b>%.4f</b> &middot; bins per shard <b>%d&ndash;%d</b>"
        + " &middot; worst bin vs its fair share <b>%.1f</b> sequences</p>", balance.getResiduesMaxOverMean(),
        balance.getSequencesMaxOverMean(), balance.getMaxTvDistance(), balance.getMinBins(), balance.getMaxBins(),
        balance.getMaxFairShareDeviation()));
    h.append("<div class=\"legend\">");
    for (int i = 0; i < Math.min(COLORS.length, bins); i++) {
      h.append("<span><i class=\"sw\" style=\"background:").append(COLORS[i]).append("\"></i>")
          .append(esc(names.getOrDefault(binIds[order[i]], "taxid " + binIds[order[i]]))).append("</span>");
    }
    if (bins > COLORS.length) {
      h.append("<span><i class=\"sw\" style=\"background:").append(OTHER).append("\"></i>")
          .append(bins - COLORS.length).append(" other bins</span>");
    }
    h.append("</div>");

    h.append("<h2>Residues per shard, by bin (the line is the mean)</h2>");
    h.append(svgStart(width + 60, (shards + 1) * row));
    for (int s = 0; s < shards; s++) {
      int y = s * row;
      h.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" font-size=\"11\">%d</text>", y + 13, s));
      double x = 40;
      for (int i = 0; i < bins; i++) {
        int b = order[i];
        double w = residues[s][b] / max * width;
        if (w > 0) {
          h.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\"/>",
              x, y + 2, w, row - 4, color[b]));
          x += w;
        }
      }
    }
    double mx = 40 + mean / max * width;
    h.append(String.format(Locale.ROOT, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"0\" y2=\"%d\" stroke=\"#000\""
        + " stroke-dasharray=\"4 3\"/>", mx, mx, shards * row));
    h.append("</svg>");

    h.append("<h2>Bin composition of each shard (by sequences) beside the whole database</h2>");
    h.append(svgStart(width + 60, (shards + 2) * row));
    composition(h, "all", 0, binSequences, order, color, width, row);
    for (int s = 0; s < shards; s++) {
      composition(h, String.valueOf(s), (s + 1) * row + 6, sequences[s], order, color, width, row);
    }
    h.append("</svg>");

    h.append("<h2>Figures</h2><table><tr><th>shard</th><th>sequences</th><th>residues</th></tr>");
    for (int s = 0; s < shards; s++) {
      double seq = Arrays.stream(sequences[s]).sum();
      h.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%,.0f</td><td>%,.0f</td></tr>", s, seq, shardResidues[s]));
    }
    h.append("</table></body></html>\n");
    return h.toString();
  }

  private static void composition(StringBuilder h, String label, int y, double[] counts, Integer[] order,
      String[] color, int width, int row) {
    double total = Arrays.stream(counts).sum();
    h.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" font-size=\"11\">%s</text>", y + 13, label));
    double x = 40;
    for (int b : order) {
      double w = total == 0 ? 0 : counts[b] / total * width;
      if (w > 0) {
        h.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\"/>",
            x, y + 2, w, row - 4, color[b]));
        x += w;
      }
    }
  }

  private static String svgStart(int w, int h) {
    return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">", w, h);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
