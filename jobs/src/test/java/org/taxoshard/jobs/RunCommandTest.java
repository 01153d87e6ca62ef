package org.taxoshard.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taxoshard.formats.BadInputException;

/**
 * {@code taxoshard run}: the pipeline from a TOML config gives the step-by-step commands'
 * hits.tsv; a failed run resumes without redoing finished steps; a changed setting redoes the
 * steps it affects and only those; configuration mistakes stop it before anything runs.
 */
class RunCommandTest {
  @TempDir
  static File tmp;

  static Pipeline gen;
  static File stepByStep;

  @BeforeAll
  static void generate() throws Exception {
    File dir = new File(tmp, "gen");
    assertEquals(0, Pipeline.run(new GenerateCommand(), "--out", dir.getPath(), "--sequences", "2000", "--queries", "12",
        "--seed", "3"));
    gen = new Pipeline(dir, new File(dir, "db.fasta").getPath(), new File(dir, "taxdump").getPath());
    // The same steps one command at a time.
    File index = gen.index(gen.shard("stratified", 3));
    stepByStep = Pipeline.searchIndex(index, queries(), new File(tmp, "step-by-step"), "--evalue", "0.001");
    assertTrue(Files.size(stepByStep.toPath()) > 500);
  }

  static String queries() {
    return new File(gen.dir, "queries.fasta").getPath();
  }

  static File config(String name, String extra) throws Exception {
    File f = new File(tmp, name + ".toml");
    Files.writeString(f.toPath(), String.join("\n",
        "[input]",
        "database = [\"" + gen.input + "\"]",
        "taxonomy = \"" + gen.taxonomy + "\"",
        "queries = [\"" + queries() + "\"]",
        "work = \"" + new File(tmp, name).getPath() + "\"",
        "[distributed]",
        "enabled = false",
        "num_shards = 3",
        "[sharding]",
        "strategy = \"stratified\"",
        "[search]",
        "evalue = 0.001",
        extra, ""));
    return f;
  }

  /** Runs the pipeline; returns {exit status as text, what it printed}. */
  static String[] run(File config) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int rc;
    try {
      rc = Pipeline.run(new RunCommand(), "--config", config.getPath());
    } finally {
      System.setOut(saved);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    System.out.print(printed);
    return new String[] {String.valueOf(rc), printed};
  }

  static byte[] hits(String name) throws Exception {
    return Files.readAllBytes(new File(tmp, name + "/search/hits.tsv").toPath());
  }

  @Test
  void givesTheStepByStepHitsAndKeepsEverythingOnASecondRun() throws Exception {
    File config = config("whole", "");
    String[] first = run(config);
    assertEquals("0", first[0], first[1]);
    assertArrayEquals(Files.readAllBytes(stepByStep.toPath()), hits("whole"));
    for (String step : new String[] {"scan", "plan", "shards", "index", "search"}) {
      assertTrue(new File(tmp, "whole/" + step + "/" + RunCommand.STEP_FILE).exists(), step);
      assertTrue(new File(tmp, "whole/" + step + "/_SUCCESS").exists() || step.equals("plan"), step);
    }
    String[] second = run(config);
    assertEquals("0", second[0]);
    for (String step : new String[] {"scan", "plan", "shard", "index", "search"}) {
      assertTrue(second[1].contains(step + ": kept"), second[1]);
    }
    assertArrayEquals(Files.readAllBytes(stepByStep.toPath()), hits("whole"));

    // A new E-value threshold redoes only the search; more shards redo all but the scan.
    Files.writeString(config.toPath(), Files.readString(config.toPath()).replace("evalue = 0.001", "evalue = 0.0001"));
    String[] third = run(config);
    assertTrue(third[1].contains("index: kept") && !third[1].contains("search: kept"), third[1]);
    Files.writeString(config.toPath(), Files.readString(config.toPath()).replace("num_shards = 3", "num_shards = 2"));
    String[] fourth = run(config);
    assertTrue(fourth[1].contains("scan: kept") && !fourth[1].contains("plan: kept")
        && !fourth[1].contains("index: kept"), fourth[1]);

    // [search] sensitivity and seg reach the search, and redo only it.
    Files.writeString(config.toPath(), Files.readString(config.toPath()).replace("evalue = 0.0001",
        "evalue = 0.0001\nsensitivity = \"fast\"\nseg = \"yes\""));
    String[] fifth = run(config);
    assertTrue(fifth[1].contains("index: kept") && !fifth[1].contains("search: kept"), fifth[1]);
    File alone = Pipeline.searchIndex(new File(tmp, "whole/index"), queries(), new File(tmp, "fast-seg"), "--evalue",
        "0.0001", "--sensitivity", "fast", "--seg", "yes");
    assertArrayEquals(Files.readAllBytes(alone.toPath()), hits("whole"));
    File plain = Pipeline.searchIndex(new File(tmp, "whole/index"), queries(), new File(tmp, "plain"), "--evalue",
        "0.0001");
    assertTrue(!java.util.Arrays.equals(Files.readAllBytes(plain.toPath()), hits("whole")),
        "the options change the hits here, so the comparison above means something");
  }

  /** An accession2taxid table is one of the scan's inputs: edited in place, it redoes the scan. */
  @Test
  void anAccessionTableChangedInPlaceRedoesTheScan() throws Exception {
    File table = new File(tmp, "prot.accession2taxid");
    Files.writeString(table.toPath(), "accession\taccession.version\ttaxid\tgi\nXP_1\tXP_1.1\t909\t1\n");
    File config = config("a2t", "[hadoop]\n\"taxoshard.taxonomy.accession2taxid\" = \"" + table.getPath() + "\"");
    assertEquals("0", run(config)[0]);
    String[] again = run(config);
    assertTrue(again[1].contains("scan: kept") && again[1].contains("search: kept"), again[1]);
    Files.writeString(table.toPath(), "XP_2\tXP_2.1\t909\t2\n", java.nio.file.StandardOpenOption.APPEND);
    String[] changed = run(config);
    assertEquals("0", changed[0], changed[1]);
    assertTrue(!changed[1].contains("scan: kept") && changed[1].contains("taxids: "), changed[1]);
    assertArrayEquals(Files.readAllBytes(stepByStep.toPath()), hits("a2t"), "the headers name every taxon here");
  }

  /**
   * The shard step fails (its first map attempt, injected; the local runner does not retry): the
   * run stops with exit 1 and leaves no step file for the shard. Run again without the fault: the
   * scan and the plan are kept, the rest redone, and hits.tsv is the step-by-step one. Then a shard
   * file is cut short: the next run sees it and redoes the shard step and those after it.
   */
  @Test
  void resumesAfterAFailureWithoutRedoingTheScan() throws Exception {
    File config = config("resume", "[hadoop]\n\"taxoshard.test.fail-first-attempts\" = \"shard:map\"");
    String[] failed = run(config);
    assertEquals("1", failed[0], failed[1]);
    assertTrue(new File(tmp, "resume/scan/" + RunCommand.STEP_FILE).exists());
    assertTrue(!new File(tmp, "resume/shards/" + RunCommand.STEP_FILE).exists());
    long scanMade = new File(tmp, "resume/scan/" + RunCommand.STEP_FILE).lastModified();
    Files.writeString(config.toPath(), Files.readString(config.toPath()).replace("shard:map", ""));
    String[] resumed = run(config);
    assertEquals("0", resumed[0], resumed[1]);
    assertTrue(resumed[1].contains("scan: kept") && resumed[1].contains("plan: kept"), resumed[1]);
    assertEquals(scanMade, new File(tmp, "resume/scan/" + RunCommand.STEP_FILE).lastModified());
    assertArrayEquals(Files.readAllBytes(stepByStep.toPath()), hits("resume"));

    // A shard file cut short after the run: its step is redone (and all after it), not kept.
    File shard = new File(tmp, "resume/shards/shard-00001/shard-00001.fasta");
    byte[] b = Files.readAllBytes(shard.toPath());
    Files.write(shard.toPath(), java.util.Arrays.copyOf(b, b.length - 10));
    String[] repaired = run(config);
    assertEquals("0", repaired[0], repaired[1]);
    assertTrue(repaired[1].contains("plan: kept") && repaired[1].contains("shard: redoing (its output changed since")
        && repaired[1].contains("shard-00001.fasta has " + (b.length - 10) + " bytes"), repaired[1]);
    assertArrayEquals(b, Files.readAllBytes(shard.toPath()));
    assertArrayEquals(Files.readAllBytes(stepByStep.toPath()), hits("resume"));
  }

  /**
   * A work directory holds one run at a time: a live lock (this process, touched now) refuses a
   * second run with exit 2 naming the holder and leaves the lock alone; a lock whose process is
   * gone from this host is taken over, and a finished run leaves none.
   */
  @Test
  void aSecondRunIntoAWorkDirectoryInUseIsRefused() throws Exception {
    File config = config("locked", "");
    File work = new File(tmp, "locked");
    assertTrue(work.mkdirs());
    File lock = new File(work, RunLock.FILE);
    String host = java.net.InetAddress.getLocalHost().getHostName();
    Files.writeString(lock.toPath(), "{\"host\":\"" + host + "\",\"pid\":" + ProcessHandle.current().pid()
        + ",\"started\":\"2026-12-01T00:00:00Z\"}");
    UsageException refused = assertThrows(UsageException.class, () -> run(config));
    assertTrue(refused.getMessage().contains("is in use by another taxoshard run")
        && refused.getMessage().contains("process " + ProcessHandle.current().pid()), refused.getMessage());
    assertTrue(lock.exists(), "the holder's lock is left alone");
    assertTrue(!new File(work, "scan").exists(), "nothing ran");

    // A process that is gone: started and finished here, so its pid is free.
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(lock.toPath(), "{\"host\":\"" + host + "\",\"pid\":" + gone.pid()
        + ",\"started\":\"2026-12-01T00:00:00Z\"}");
    String[] taken = run(config);
    assertEquals("0", taken[0], taken[1]);
    assertArrayEquals(Files.readAllBytes(stepByStep.toPath()), hits("locked"));
    assertTrue(!lock.exists(), "a finished run gives the directory back");
  }

  @Test
  void mistakesStopItBeforeAnythingRuns() throws Exception {
    File unknown = config("unknown", "max_hits = 3");
    String m = assertThrows(BadInputException.class, () -> run(unknown)).getMessage();
    assertTrue(m.contains("unknown.toml line 13: [search] max_hits: unknown key"), m);
    File slow = config("slow", "sensitivity = \"thorough\"");
    m = assertThrows(BadInputException.class, () -> run(slow)).getMessage();
    assertTrue(m.contains("slow.toml line 13: [search] sensitivity: unknown sensitivity thorough"), m);
    File seg = config("seg", "seg = \"sometimes\"");
    m = assertThrows(BadInputException.class, () -> run(seg)).getMessage();
    assertTrue(m.contains("seg.toml line 13: [search] seg: --seg must be yes, no"), m);
    File blastn = config("blastn", "program = \"blastn\"\nsensitivity = \"fast\"");
    m = assertThrows(BadInputException.class, () -> run(blastn)).getMessage();
    assertTrue(m.contains("blastn.toml line 14: [search] sensitivity: --sensitivity fast is for blastp; blastn runs as"
        + " blastn does (program = \"blastn\")"), m);
    File missing = config("missing", "");
    Files.writeString(missing.toPath(), Files.readString(missing.toPath()).replace(queries(), "/no/such/queries.fasta"));
    m = assertThrows(BadInputException.class, () -> run(missing)).getMessage();
    assertTrue(m.contains("missing.toml line 4: [input] queries: /no/such/queries.fasta does not exist"), m);
    assertTrue(!new File(tmp, "unknown").exists() && !new File(tmp, "missing").exists()
        && !new File(tmp, "slow").exists() && !new File(tmp, "seg").exists() && !new File(tmp, "blastn").exists(),
        "nothing ran");
  }

  /**
   * Without {@code program}, a nucleotide database makes the search blastn: blastp-only search
   * settings stop the run right after the scan that finds it out, before shards and index.
   */
  @Test
  void blastpOnlySettingsStopANucleotideRunAfterTheScan() throws Exception {
    File fasta = new File(tmp, "nucleotides.fasta");
    java.util.Random rnd = new java.util.Random(11);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      b.append(">n").append(i).append('\n');
      for (int k = 0; k < 300; k++) {
        b.append("ACGT".charAt(rnd.nextInt(4)));
      }
      b.append('\n');
    }
    Files.writeString(fasta.toPath(), b.toString());
    File config = config("nucleotide-seg", "seg = \"yes\"");
    Files.writeString(config.toPath(), Files.readString(config.toPath()).replace(gen.input, fasta.getPath())
        .replace(queries(), fasta.getPath()));
    String m = assertThrows(BadInputException.class, () -> run(config)).getMessage();
    assertTrue(m.contains("nucleotide-seg.toml line 13: [search] seg: SEG masking is for proteins (blastp) (the scan"
        + " found a nucleotide database"), m);
    assertTrue(new File(tmp, "nucleotide-seg/scan/_SUCCESS").exists(), "the scan ran");
    assertTrue(!new File(tmp, "nucleotide-seg/plan").exists(), "nothing after it did");
  }
}
