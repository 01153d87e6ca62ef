package org.taxoshard.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taxoshard.driver.ChainClusters.assertSameFiles;
import static org.taxoshard.driver.ChainClusters.background;
import static org.taxoshard.driver.ChainClusters.run;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two pipelines at once on one cluster (HDFS and YARN, the job jar shipped), scan to index, each
 * in its own work directory: they give the shards and indexes each gives alone, and a third into
 * a work directory in use is refused. A class of its own beside {@link ChainIT}, so that failsafe
 * runs the two at once.
 */
class TwoPipelinesIT {
  static ChainClusters chain;

  @TempDir
  static File tmp;

  @BeforeAll
  static void start() throws Exception {
    chain = ChainClusters.start(TwoPipelinesIT.class, 1, 1, ChainIT.BLOCK, tmp);
  }

  @AfterAll
  static void stop() throws Exception {
    if (chain != null) {
      chain.close();
    }
  }

  /**
   * A pipeline config for a database under {@code in}, working in {@code work}: scan, plan, shard
   * and index, no queries ({@link ChainIT} runs the search job on YARN already; here two whole
   * pipelines share two cores, and each step they do not run is a minute less).
   */
  static File config(String name, Path in, Path work, boolean distributed) throws IOException {
    File f = new File(chain.tmp, name + ".toml");
    Files.writeString(f.toPath(), String.join("\n", "[input]",
        "database = [\"" + new Path(in, "db.fasta") + "\"]",
        "taxonomy = \"" + new Path(in, "taxdump") + "\"",
        "work = \"" + work + "\"",
        "[distributed]", "enabled = " + distributed, "num_shards = 3",
        "[sharding]", "strategy = \"stratified\"",
        "[cluster]",
        "coordinator = \"" + chain.clusters.conf.get("yarn.resourcemanager.address") + "\"",
        "filesystem = \"" + chain.clusters.conf.get("fs.defaultFS") + "\"",
        "[hadoop]",
        "\"mapreduce.job.jar\" = \"" + chain.jar.getAbsolutePath() + "\"", ""));
    return f;
  }

  @Test
  void twoPipelinesAtOnceDoNotDisturbEachOther() throws Exception {
    Path one = new Path("/one");
    Path two = new Path("/two");
    chain.upload(chain.generate("one", 600, 4, 21), one);
    chain.upload(chain.generate("two", 500, 4, 22), two);
    // Each alone, on the local runner: what each must give.
    run(chain.local(), "run", "--config", config("one-alone", one, new Path(one, "alone"), false).toURI().toString());
    run(chain.local(), "run", "--config", config("two-alone", two, new Path(two, "alone"), false).toURI().toString());

    File oneConfig = config("one", one, new Path(one, "work"), true);
    CompletableFuture<Integer> first = background(chain.yarn(""), "run", "--config", oneConfig.toURI().toString());
    CompletableFuture<Integer> second = background(chain.yarn(""), "run", "--config",
        config("two", two, new Path(two, "work"), true).toURI().toString());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!chain.clusters.fs.exists(new Path(one, "work/_taxoshard-run.lock")) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(!first.isDone(), "the first pipeline is running");
    // A third into the first one's work directory, meanwhile: refused, and the first goes on.
    assertEquals(2, Taxoshard.run(chain.yarn(""), new String[] {"run", "--config", oneConfig.toURI().toString()}));
    assertEquals(0, first.get(15, TimeUnit.MINUTES), "first pipeline");
    assertEquals(0, second.get(15, TimeUnit.MINUTES), "second pipeline");
    for (Path p : new Path[] {one, two}) {
      Map<String, byte[]> alone = chain.files(new Path(p, "alone"));
      Map<String, byte[]> together = chain.files(new Path(p, "work"));
      assertTrue(together.keySet().stream().anyMatch(k -> k.startsWith("index/shard-")), p + ": an index was built");
      for (String prefix : new String[] {"shards/shard-", "index/shard-"}) {
        assertSameFiles(alone, together, prefix, p + " run beside another");
      }
    }
    assertTrue(!chain.clusters.fs.exists(new Path(one, "work/_taxoshard-run.lock")), "finished runs leave no lock");
  }
}
