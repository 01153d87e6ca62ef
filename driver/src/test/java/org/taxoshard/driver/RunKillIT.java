package org.taxoshard.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taxoshard.jobs.JobSupport;
import org.taxoshard.jobs.RunCommand;
import org.taxoshard.jobs.RunLock;

/**
 * The pipeline killed (SIGKILL, as a lost client) at every step, in the middle of a job or at the
 * worst moment (every file of the step written, {@code _SUCCESS} not yet), then run again with the
 * same command each time: no killed step leaves an output that looks complete, each rerun keeps
 * the steps that finished and redoes the one that did not, and the last gives the hits.tsv of an
 * uninterrupted run. It runs the standalone jar that {@code mvn package} builds, in its own process.
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

  /** A config working in {@code tmp/work}; {@code hold} names a command to stop before its _SUCCESS. */
  File config(String name, String work, String hold) throws Exception {
    File f = new File(tmp, name + ".toml");
    Files.writeString(f.toPath(), String.join("\n", "[input]",
        "database = [\"" + new File(tmp, "gen/db.fasta") + "\"]",
        "taxonomy = \"" + new File(tmp, "gen/taxdump") + "\"",
        "queries = [\"" + new File(tmp, "gen/queries.fasta") + "\"]",
        "work = \"" + new File(tmp, work) + "\"",
        "[distributed]", "num_shards = 4",
        "[sharding]", "strategy = \"taxonomic-balanced\"",
        "[search]", "evalue = 1e-3",
        "[hadoop]", "\"taxoshard.test.hold-before-success\" = \"" + hold + "\"", ""));
    return f;
  }

  String log(String name) throws Exception {
    return Files.readString(new File(tmp, name + ".log").toPath());
  }

  /** Starts the run and kills it (SIGKILL) once {@code when} holds; returns its log. */
  String killWhen(String name, String hold, BooleanSupplier when) throws Exception {
    Process p = start(config(name, "work", hold), new File(tmp, name + ".log"));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!when.getAsBoolean() && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(p.isAlive(), name + ": still running when it was to be killed:\n" + log(name));
    p.destroyForcibly().waitFor();
    return log(name);
  }

  File work(String path) {
    return new File(tmp, "work/" + path);
  }

  /** A killed step's folder: nothing in it says it is complete. */
  void assertUnfinished(String step) {
    assertFalse(work(step + "/_SUCCESS").exists(), step + " has no _SUCCESS");
    assertFalse(work(step + "/" + RunCommand.STEP_FILE).exists(), step + " has no step file");
  }

  @Test
  void killedAtEveryStepThenRunAgain() throws Exception {
    Configuration local = new Configuration();
    local.set("fs.defaultFS", "file:///");
    local.set("mapreduce.framework.name", "local");
    assertEquals(0, Taxoshard.run(local, new String[] {"generate", "--out", new File(tmp, "gen").getPath(),
        "--sequences", "8000", "--queries", "10", "--seed", "9"}));

    Process whole = start(config("whole", "whole", ""), new File(tmp, "whole.log"));
    assertTrue(whole.waitFor(5, TimeUnit.MINUTES), "an uninterrupted run finishes");
    assertEquals(0, whole.exitValue(), log("whole"));

    // 1. In the middle of the scan job.
    killWhen("kill-1", "", () -> work("scan").exists());
    assertUnfinished("scan");
    assertTrue(work(RunLock.FILE).exists(), "a SIGKILL leaves the lock");

    // 2. The plan fully written, not yet marked complete.
    String l = killWhen("kill-2", "plan", () -> logHas("kill-2", JobSupport.HOLDING + "plan"));
    assertTrue(l.contains("scan: redoing (it did not finish)") && l.contains("taking over the lock"), l);
    assertTrue(work("plan/plan.avro").exists() && work("plan/_plan.json.pending").exists(), "the plan was written");
    assertFalse(work("plan/plan.json").exists(), "plan.json is put in place only with _SUCCESS");
    assertUnfinished("plan");

    // 3. The shards and their manifest written, not yet marked complete: nothing downstream takes them.
    l = killWhen("kill-3", "shard", () -> logHas("kill-3", JobSupport.HOLDING + "shard"));
    assertTrue(l.contains("scan: kept") && l.contains("plan: redoing"), l);
    assertTrue(work("shards/_manifest.json.pending").exists(), "the manifest was written");
    assertFalse(work("shards/manifest.json").exists(), "no manifest until _SUCCESS");
    assertUnfinished("shards");
    assertEquals(2, Taxoshard.run(local, new String[] {"index", "--shards", work("shards").getPath(), "--out",
        new File(tmp, "index-of-unfinished").getPath()}), "index refuses shards that did not finish");

    // 4. In the middle of the index job.
    l = killWhen("kill-4", "", () -> work("index").exists());
    assertTrue(l.contains("plan: kept") && l.contains("shard: redoing"), l);
    assertUnfinished("index");

    // 5. hits.tsv written, not yet marked complete.
    l = killWhen("kill-5", "search", () -> logHas("kill-5", JobSupport.HOLDING + "search"));
    assertTrue(l.contains("shard: kept") && l.contains("index: redoing"), l);
    assertTrue(work("search/hits.tsv").exists(), "hits.tsv was written");
    assertFalse(work("search/search.json").exists(), "no search.json until _SUCCESS");
    assertUnfinished("search");

    // 6. Run again to the end.
    Process last = start(config("last", "work", ""), new File(tmp, "last.log"));
    assertTrue(last.waitFor(5, TimeUnit.MINUTES));
    l = log("last");
    assertEquals(0, last.exitValue(), l);
    assertTrue(l.contains("index: kept") && l.contains("search: redoing"), l);
    assertArrayEquals(Files.readAllBytes(new File(tmp, "whole/search/hits.tsv").toPath()),
        Files.readAllBytes(work("search/hits.tsv").toPath()));
    assertFalse(work(RunLock.FILE).exists(), "a finished run leaves no lock");
  }

  boolean logHas(String name, String text) {
    try {
      return log(name).contains(text);
    } catch (Exception e) {
      return false;
    }
  }
}
