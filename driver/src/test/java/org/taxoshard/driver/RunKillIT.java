package org.taxoshard.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline killed (SIGKILL, as a lost client) in the middle of the shard step, then run again
 * with the same command: the scan is kept, the rest finishes, and hits.tsv equals an uninterrupted
 * run's. It runs the standalone jar that {@code mvn package} builds, in its own process.
 */
class RunKillIT {
  @TempDir
  File tmp;

  static File standaloneJar() {
    File[] jars = new File("target").listFiles((d, n) -> n.endsWith("-standalone.jar"));
    assertTrue(jars != null && jars.length == 1, "no standalone jar in target/: run mvn package first");
    return jars[0].getAbsoluteFile();
  }

  Process start(File config, File log) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(new File(System.getProperty("java.home"), "bin/java").getPath()));
    for (String opens : new String[] {"java.lang", "java.util", "java.io", "java.net", "java.lang.reflect", "sun.nio.ch",
        "java.nio", "java.util.concurrent"}) {
      cmd.add("--add-opens");
      cmd.add("java.base/" + opens + "=ALL-UNNAMED");
    }
    cmd.addAll(List.of("-jar", standaloneJar().getPath(), "run", "--config", config.getPath()));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
  }

  File config(String name) throws Exception {
    File f = new File(tmp, name + ".toml");
    Files.writeString(f.toPath(), String.join("\n", "[input]",
        "database = [\"" + new File(tmp, "gen/db.fasta") + "\"]",
        "taxonomy = \"" + new File(tmp, "gen/taxdump") + "\"",
        "queries = [\"" + new File(tmp, "gen/queries.fasta") + "\"]",
        "work = \"" + new File(tmp, name) + "\"",
        "[distributed]", "num_shards = 4",
        "[sharding]", "strategy = \"taxonomic-balanced\"",
        "[search]", "evalue = 1e-3", ""));
    return f;
  }

  @Test
  void killedInTheShardStepThenRunAgain() throws Exception {
    Configuration local = new Configuration();
    local.set("fs.defaultFS", "file:///");
    local.set("mapreduce.framework.name", "local");
    assertEquals(0, Taxoshard.run(local, new String[] {"generate", "--out", new File(tmp, "gen").getPath(),
        "--sequences", "20000", "--queries", "10", "--seed", "9"}));

    File whole = config("whole");
    Process p = start(whole, new File(tmp, "whole.log"));
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "an uninterrupted run finishes");
    assertEquals(0, p.exitValue(), Files.readString(new File(tmp, "whole.log").toPath()));

    File killed = config("killed");
    p = start(killed, new File(tmp, "killed-1.log"));
    File shardsInProgress = new File(tmp, "killed/shards");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!shardsInProgress.exists() && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(p.isAlive(), "still running when the shard step began: " + Files.readString(new File(tmp,
        "killed-1.log").toPath()));
    p.destroyForcibly().waitFor();
    assertTrue(!new File(tmp, "killed/shards/" + org.taxoshard.jobs.RunCommand.STEP_FILE).exists(),
        "the shard step did not finish");
    long scanMade = new File(tmp, "killed/scan/" + org.taxoshard.jobs.RunCommand.STEP_FILE).lastModified();

    p = start(killed, new File(tmp, "killed-2.log"));
    assertTrue(p.waitFor(5, TimeUnit.MINUTES));
    String log = Files.readString(new File(tmp, "killed-2.log").toPath());
    assertEquals(0, p.exitValue(), log);
    assertTrue(log.contains("scan: kept") && log.contains("shard: redoing"), log);
    assertEquals(scanMade, new File(tmp, "killed/scan/" + org.taxoshard.jobs.RunCommand.STEP_FILE).lastModified());
    assertArrayEquals(Files.readAllBytes(new File(tmp, "whole/search/hits.tsv").toPath()),
        Files.readAllBytes(new File(tmp, "killed/search/hits.tsv").toPath()));
  }
}
