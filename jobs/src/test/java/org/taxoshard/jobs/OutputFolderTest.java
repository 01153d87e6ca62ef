package org.taxoshard.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing an output folder: what is refused, what is moved aside, what comes back. */
class OutputFolderTest {
  @TempDir
  File tmp;

  private final Configuration conf = new Configuration();

  private Path folder(String name, String file, String text) throws Exception {
    File d = new File(tmp, name);
    assertTrue(d.mkdirs());
    Files.writeString(new File(d, file).toPath(), text);
    return new Path(d.getPath());
  }

  @Test
  void anOutputApartFromTheInputsIsReplacedOnlyWhenComplete() throws Exception {
    Path in = folder("in", "db.fasta", ">a\nACGT\n");
    Path out = folder("out", "old.txt", "old");
    FileSystem fs = out.getFileSystem(conf);
    assertThrows(UsageException.class, () -> OutputFolder.prepare(conf, out, false, OutputFolder.Read.records("--input", List.of(in))));
    OutputFolder.prepare(conf, out, true, OutputFolder.Read.records("--input", List.of(in)));
    assertFalse(fs.exists(out));
    assertTrue(fs.exists(new Path(OutputFolder.aside(fs.makeQualified(out)), "old.txt")), "the old folder waits aside");
    fs.mkdirs(out);
    fs.create(new Path(out, "new.txt")).close();
    OutputFolder.complete(fs, out);
    assertFalse(fs.exists(OutputFolder.aside(fs.makeQualified(out))));
    assertEquals(List.of(), OutputFolder.restore(conf), "nothing to put back after completion");
    assertTrue(fs.exists(new Path(out, "new.txt")));
  }

  /** --overwrite of {@code out} begun and not finished: the old folder aside, a partial one in its place. */
  private void replaceHalfway(FileSystem fs, Path out) throws Exception {
    OutputFolder.prepare(conf, out, true);
    fs.mkdirs(out);
    fs.create(new Path(out, "partial.txt")).close();
  }

  @Test
  void aFailedReplacementPutsTheOldFolderBack() throws Exception {
    Path out = folder("out", "old.txt", "old");
    FileSystem fs = out.getFileSystem(conf);
    replaceHalfway(fs, out);
    assertEquals(List.of(fs.makeQualified(out)), OutputFolder.restore(conf));
    assertTrue(fs.exists(new Path(out, "old.txt")));
    assertFalse(fs.exists(new Path(out, "partial.txt")));
    assertFalse(fs.exists(OutputFolder.aside(fs.makeQualified(out))));
  }

  /** A killed client leaves the old folder aside and an incomplete one in place: the next --overwrite keeps the old. */
  @Test
  void afterAnInterruptedReplacementTheLastCompleteOutputIsKept() throws Exception {
    Path out = folder("out", "old.txt", "old");
    FileSystem fs = out.getFileSystem(conf);
    replaceHalfway(fs, out); // and the client killed: nothing puts it back
    OutputFolder.prepare(conf, out, true);
    assertFalse(fs.exists(out), "the incomplete folder is removed");
    assertTrue(fs.exists(new Path(OutputFolder.aside(fs.makeQualified(out)), "old.txt")), "the complete one stays aside");
    OutputFolder.restore(conf);
    assertTrue(fs.exists(new Path(out, "old.txt")));
  }

  @Test
  void aCompleteOutputBesideAStaleAsideFolderIsTheOneReplaced() throws Exception {
    Path out = folder("out", "_SUCCESS", "");
    FileSystem fs = out.getFileSystem(conf);
    Path aside = OutputFolder.aside(fs.makeQualified(out));
    fs.mkdirs(aside);
    fs.create(new Path(aside, "older.txt")).close();
    OutputFolder.prepare(conf, out, true);
    assertTrue(fs.exists(new Path(aside, "_SUCCESS")), "the newer complete output is the one kept aside");
    assertFalse(fs.exists(new Path(aside, "older.txt")));
    OutputFolder.restore(conf);
  }

  @Test
  void anOutputThatIsHoldsOrLiesInsideAnInputIsRefused() throws Exception {
    Path in = folder("db", "db.fasta", ">a\nACGT\n");
    Path file = new Path(in, "db.fasta");
    Object[][] cases = {
        {in, file}, {file, file}, {in, new Path(in, "*.fasta")}, {new Path(in, "scan"), in},
        {new Path(tmp.getPath()), new Path(in, "nothing-*.fasta")},
    };
    for (Object[] c : cases) {
      UsageException e = assertThrows(UsageException.class,
          () -> OutputFolder.prepare(conf, (Path) c[0], true, OutputFolder.Read.records("--input", List.of((Path) c[1]))));
      assertTrue(e.getMessage().contains("--input") && e.getMessage().contains("choose another --out"), e.getMessage());
      assertTrue(new File(tmp, "db/db.fasta").isFile());
    }
    // A folder read by its files' names (a scan's, shards) may hold the output: nothing reads it there.
    OutputFolder.prepare(conf, new Path(in, "plan"), true, OutputFolder.Read.of("--stats", in));
    OutputFolder.prepare(conf, new Path(tmp.getPath(), "db-scan"), true, OutputFolder.Read.records("--input", List.of(in)));
  }
}
