package org.taxoshard.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileReader;
import java.io.FileWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taxoshard.align.DatabaseSearch;
import org.taxoshard.align.DatabaseSize;
import org.taxoshard.align.Hit;
import org.taxoshard.align.Query;
import org.taxoshard.align.Residue;
import org.taxoshard.align.Search;
import org.taxoshard.align.SearchParameters;
import org.taxoshard.align.SubjectBatch;
import org.taxoshard.align.Worker;

/**
 * Searches the same queries and database with several seed and extension settings in one JVM
 * (the database read once), writing NAME.tsv for each and printing its work: word hits, ungapped
 * and gapped extensions, and process CPU seconds. How {@code --sensitivity fast} was chosen
 * (bench/sensitivity-sweep.sh scores the files against blastp's).
 *
 * <pre>SettingsSweep QUERIES DB OUT_DIR DB_RESIDUES DB_SEQUENCES THREADS NAME:key=value,... ...</pre>
 *
 * Keys (blastp, cbs 0, E 1e-3, 500 targets otherwise): {@code sensitivity} (a name), {@code word},
 * {@code T} (threshold), {@code window}, {@code shape} (spaced seed), {@code trig} (gap trigger,
 * bits), {@code xu}, {@code xg}, {@code xf} (X-drops, bits).
 */
public final class SettingsSweep {
  private SettingsSweep() {}

  record Fasta(String id, byte[] residues) {}

  static List<Fasta> read(String path) throws IOException {
    List<Fasta> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new FileReader(path, StandardCharsets.ISO_8859_1), 1 << 20)) {
      String id = null;
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith(">")) {
          if (id != null) {
            out.add(new Fasta(id, b.toByteArray()));
          }
          id = line.substring(1).split("\\s+", 2)[0];
          b.reset();
        } else {
          b.writeBytes(line.trim().getBytes(StandardCharsets.ISO_8859_1));
        }
      }
      if (id != null) {
        out.add(new Fasta(id, b.toByteArray()));
      }
    }
    return out;
  }

  static SearchParameters settings(Map<String, String> kv) {
    SearchParameters p = SearchParameters.blastp().withCompositionBasedStats(false).withEvalue(1e-3);
    if (kv.containsKey("sensitivity")) {
      p = p.withSensitivity(SearchParameters.Sensitivity.parse(kv.get("sensitivity")));
    }
    p = p.withSeeds(Integer.parseInt(kv.getOrDefault("word", "" + p.wordSize())),
        Integer.parseInt(kv.getOrDefault("T", "" + p.threshold())), Integer.parseInt(kv.getOrDefault("window", "" + p.window())));
    if (kv.containsKey("shape")) {
      p = p.withSeedShape(kv.get("shape"));
    }
    if (kv.containsKey("trig")) {
      p = p.withGapTriggerBits(Double.parseDouble(kv.get("trig")));
    }
    return p.withXdropBits(Double.parseDouble(kv.getOrDefault("xu", "" + p.xdropUngappedBits())),
        Double.parseDouble(kv.getOrDefault("xg", "" + p.xdropGappedBits())),
        Double.parseDouble(kv.getOrDefault("xf", "" + p.xdropFinalBits())));
  }

  public static void main(String[] args) throws Exception {
    List<Query> queries = new ArrayList<>();
    for (Fasta f : read(args[0])) {
      queries.add(new Query(queries.size(), f.id(), Residue.encode(f.residues(), 0, f.residues().length)));
    }
    List<SubjectBatch> batches = new ArrayList<>();
    SubjectBatch cur = new SubjectBatch(1 << 20);
    for (Fasta f : read(args[1])) {
      if (cur.residues() >= 1_000_000) {
        batches.add(cur);
        cur = new SubjectBatch(1 << 20);
      }
      byte[] c = Residue.encode(f.residues(), 0, f.residues().length);
      cur.addCoded(f.id(), c, 0, c.length);
    }
    batches.add(cur);
    File out = new File(args[2]);
    out.mkdirs();
    DatabaseSize size = new DatabaseSize(Long.parseLong(args[3]), Long.parseLong(args[4]));
    int threads = Integer.parseInt(args[5]);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    for (int i = 6; i < args.length; i++) {
      String name = args[i].contains(":") ? args[i].substring(0, args[i].indexOf(':')) : args[i];
      Map<String, String> kv = new LinkedHashMap<>();
      if (args[i].contains(":")) {
        for (String s : args[i].substring(args[i].indexOf(':') + 1).split(",")) {
          if (!s.isEmpty()) {
            String[] p = s.split("=", 2);
            kv.put(p[0], p[1]);
          }
        }
      }
      SearchParameters p = settings(kv);
      long cpu0 = os.getProcessCpuTime();
      Search search = new Search(p, size, queries);
      int[] next = {0};
      List<Worker> workers = DatabaseSearch.run(search, (b, limit) -> {
        SubjectBatch src = batches.get(next[0]++);
        for (int k = 0; k < src.count(); k++) {
          b.addCoded(src.id(k), src.codes(), src.start(k), src.start(k) + src.length(k));
        }
        return next[0] < batches.size();
      }, threads, 1 << 20);
      long[] work = new long[5];
      for (Worker w : workers) {
        long[] c = w.counters();
        for (int k = 0; k < work.length; k++) {
          work[k] += c[k];
        }
      }
      long rows = 0;
      try (BufferedWriter w = new BufferedWriter(new FileWriter(new File(out, name + ".tsv"), StandardCharsets.UTF_8))) {
        for (List<Hit> hits : search.merge(workers)) {
          for (Hit h : hits) {
            w.write(h.tabular());
            w.write('\n');
            rows++;
          }
        }
      }
      System.out.printf("%s\tcpu_s %.1f\trows %d\tword_hits %d\tungapped %d\tgapped %d\t%s%n", name,
          (os.getProcessCpuTime() - cpu0) / 1e9, rows, work[2], work[3], work[4], p);
    }
  }
}
