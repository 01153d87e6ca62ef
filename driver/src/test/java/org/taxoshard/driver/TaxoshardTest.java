package org.taxoshard.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as users meet it: exit statuses and what the messages name. */
class TaxoshardTest {
  @TempDir
  File tmp;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private PrintStream savedErr;
  private PrintStream savedOut;

  @BeforeEach
  void capture() {
    savedErr = System.err;
    savedOut = System.out;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(savedErr);
    System.setOut(savedOut);
  }

  int run(String... args) {
    Configuration conf = new Configuration();
    conf.set("fs.defaultFS", "file:///");
    conf.set("mapreduce.framework.name", "local");
    return Taxoshard.run(conf, args);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void noCommandIsBadUsage() {
    assertEquals(2, run());
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("scan"));
  }

  @Test
  void unknownCommandIsBadUsage() {
    assertEquals(2, run("frobnicate"));
    assertTrue(err().contains("unknown command 'frobnicate'"), err());
  }

  @Test
  void helpPrintsTheOptions() {
    assertEquals(0, run("scan", "--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("--input") && help.contains("--taxonomy") && help.contains("--rank"), help);
  }

  @Test
  void missingInputIsBadUsage() {
    assertEquals(2, run("scan", "--out", new File(tmp, "o").getPath()));
    assertTrue(err().contains("--input is required"), err());
  }

  @Test
  void unknownOptionIsBadUsage() {
    assertEquals(2, run("scan", "--frob", "x"));
    assertTrue(err().contains("frob"), err());
  }

  @Test
  void inputThatDoesNotExistIsBadInput() {
    assertEquals(2, run("scan", "--input", new File(tmp, "nope.fasta").getPath(), "--out", new File(tmp, "o").getPath()));
    assertTrue(err().contains("nope.fasta"), err());
  }

  @Test
  void existingOutputIsRefusedWithoutOverwrite() {
    File o = new File(tmp, "exists");
    assertTrue(o.mkdirs());
    assertEquals(2, run("scan", "--input", "src/test/resources/bad/digits-in-sequence.fasta", "--out", o.getPath()));
    assertTrue(err().contains("--overwrite"), err());
  }

  @Test
  void badResiduesNameTheFilePlaceAndRecord() {
    File o = new File(tmp, "o");
    assertEquals(2, run("scan", "--input", "src/test/resources/bad/digits-in-sequence.fasta", "--out", o.getPath()));
    String e = err();
    assertTrue(e.contains("digits-in-sequence.fasta"), e);
    assertTrue(e.contains("bad2"), e);
    assertTrue(e.contains("byte"), e);
    assertTrue(!o.exists() || !new File(o, "_SUCCESS").exists(), "no output that looks complete");
  }

  @Test
  void dataBeforeTheFirstHeaderIsBadInput() {
    assertEquals(2, run("scan", "--input", "src/test/resources/bad/data-before-first-header.fasta",
        "--out", new File(tmp, "o").getPath()));
    assertTrue(err().contains("data-before-first-header.fasta"), err());
  }

  @Test
  void emptyFileIsBadInput() {
    assertEquals(2, run("scan", "--input", "src/test/resources/bad/empty.fasta", "--out", new File(tmp, "o").getPath()));
    assertTrue(err().contains("empty.fasta"), err());
  }

  /** Every job that reads FASTA reports bad input the same way, verify's too. */
  @Test
  void verifyOverBadInputNamesTheRecord() throws Exception {
    File shard = new File(tmp, "shards/shard-00000");
    assertTrue(shard.mkdirs());
    java.nio.file.Files.writeString(new File(shard, "shard-00000.fasta").toPath(), ">ok1 fine\nACDE\n");
    assertEquals(2, run("verify", "--input", "src/test/resources/bad/digits-in-sequence.fasta",
        "--shards", new File(tmp, "shards").getPath()));
    assertTrue(err().contains("digits-in-sequence.fasta") && err().contains("bad2"), err());
  }

  @Test
  void lenientModeSkipsCountsAndReports() {
    File o = new File(tmp, "o");
    assertEquals(0, run("scan", "--input", "src/test/resources/bad/digits-in-sequence.fasta", "--out", o.getPath(), "--lenient"));
    String report = out.toString(StandardCharsets.UTF_8);
    assertTrue(report.contains("2 sequences"), report);
    assertTrue(report.contains("skipped 1 bad records"), report);
    assertTrue(report.contains("bad2"), report);
  }
}
