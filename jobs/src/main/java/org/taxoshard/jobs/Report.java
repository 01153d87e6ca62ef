package org.taxoshard.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.taxoshard.avro.Bin;
import org.taxoshard.avro.DatabaseStats;

/** Writes {@link BalanceReport}'s page beside a plan or a set of shards. */
final class Report {
  static final String HTML = "report.html";

  private Report() {}

  static void write(FileSystem fs, Path dir, String title, long[] binIds, Map<Long, String> names, BalanceFigures f)
      throws IOException {
    String html = BalanceReport.html(title, binIds, names, f.sequences, f.residues, f.balance);
    try (OutputStream out = fs.create(new Path(dir, HTML), true)) {
      out.write(html.getBytes(StandardCharsets.UTF_8));
    }
  }

  static Map<Long, String> binNames(DatabaseStats stats) {
    Map<Long, String> names = new HashMap<>();
    for (Bin b : stats.getBins()) {
      names.put(b.getTaxid(), b.getName());
    }
    return names;
  }
}
