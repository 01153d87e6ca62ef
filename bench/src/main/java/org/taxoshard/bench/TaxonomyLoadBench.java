package org.taxoshard.bench;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.taxoshard.taxonomy.Taxonomy;

/**
 * Load time and retained heap of a taxdump, as every task pays them:
 * {@code TaxonomyLoadBench DIR [RUNS]}.
 */
public final class TaxonomyLoadBench {
  private TaxonomyLoadBench() {}

  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration();
    conf.set("fs.defaultFS", "file:///");
    Path dir = new Path(args[0]);
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    for (int i = 0; i < runs; i++) {
      long before = retained();
      long start = System.nanoTime();
      Taxonomy t = Taxonomy.load(conf, dir);
      double seconds = (System.nanoTime() - start) / 1e9;
      long after = retained();
      System.out.printf("load %d: %,d nodes in %.2f s, retained heap %,d MB%n", i + 1, t.size(), seconds,
          (after - before) >> 20);
      if (t.size() < 0) {
        System.out.println(t); // keep it reachable until measured
      }
    }
  }

  private static long retained() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
