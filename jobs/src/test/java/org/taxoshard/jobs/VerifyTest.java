package org.taxoshard.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code taxoshard verify --shards --index}: clean shards and index pass; a byte flipped in any
 * file of either folder (every file a job or a user reads: FASTA, .fai, Avro, manifest.json,
 * report.html, index files, index.json, the scan's statistics beside the index) is found and the
 * file named; an unfinished or padded folder is found too.
 */
class VerifyTest {
  @TempDir
  static File tmp;

  static Pipeline gen;
  static File shards;
  static File index;

  @BeforeAll
  static void build() throws Exception {
    File dir = new File(tmp, "gen");
    assertEquals(0, Pipeline.run(new GenerateCommand(), "--out", dir.getPath(), "--sequences", "300", "--queries", "2",
        "--seed", "11"));
    gen = new Pipeline(dir, new File(dir, "db.fasta").getPath(), new File(dir, "taxdump").getPath());
    shards = gen.shard("hash", 2);
    index = gen.index(shards);
  }

  /** Runs verify over copies of the shards and index; returns {exit status, what it printed}. */
  static String[] verify(File shardsCopy, File indexCopy) throws Exception {
    return verify("--input", gen.input, "--shards", shardsCopy.getPath(), "--index", indexCopy.getPath());
  }

  /** {@code db.fasta} holding {@code fasta}, in a folder of its own under the class's. */
  static File database(String folder, String fasta) throws IOException {
    File dir = new File(tmp, folder);
    Files.createDirectories(dir.toPath());
    File db = new File(dir, "db.fasta");
    Files.writeString(db.toPath(), fasta);
    return db;
  }

  /** Runs verify with {@code args}; returns {exit status, what it printed}. */
  static String[] verify(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int rc;
    try {
      rc = Pipeline.run(new VerifyJob(), args);
    } finally {
      System.setOut(saved);
    }
    return new String[] {String.valueOf(rc), out.toString(StandardCharsets.UTF_8)};
  }

  static File copy(File from, String name) throws IOException {
    Path to = new File(tmp, name).toPath();
    try (Stream<Path> all = Files.walk(from.toPath())) {
      for (Path p : all.toList()) {
        Path t = to.resolve(from.toPath().relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return to.toFile();
  }

  /** The files of a folder that users and jobs read (Hadoop's hidden _x and .x files aside). */
  static List<Path> visible(File dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir.toPath())) {
      return all.filter(Files::isRegularFile).filter(p -> {
        for (Path q = dir.toPath().relativize(p); q != null; q = q.getParent()) {
          String n = q.getFileName().toString();
          if (n.startsWith("_") || n.startsWith(".")) {
            return false;
          }
        }
        return true;
      }).sorted().toList();
    }
  }

  @Test
  void cleanShardsAndIndexPass() throws Exception {
    String[] r = verify(shards, index);
    assertEquals("0", r[0], r[1]);
    assertTrue(r[1].contains("300 input records, 300 shard records, 300 indexed sequences"), r[1]);
  }

  /** A record with no residues is in no shard, as every command skips it: verify passes and says so. */
  @Test
  void aRecordWithoutResiduesIsCountedAsSkipped() throws Exception {
    File db = database("empty-record", ">e1 nothing follows\n>e2\nMKVLAAGTWL\n>e3\nMKV\n");
    Pipeline p = new Pipeline(db.getParentFile(), db.getPath(), gen.taxonomy);
    String[] r = verify("--input", db.getPath(), "--shards", p.shard("hash", 2).getPath());
    assertEquals("0", r[0], r[1]);
    assertTrue(r[1].contains("2 input records, 2 shard records"), r[1]);
    assertTrue(r[1].contains("no residues, or bad with --lenient): 1 input records, 0 shard records"), r[1]);
  }

  /** verify --lenient skips and counts the bad records a lenient scan and shard skipped. */
  @Test
  void lenientVerifySkipsTheBadRecordsShardSkipped() throws Exception {
    File db = database("bad-record", ">b1 a digit\nMKV1AA\n>g2\nMKVLAAGTWL\n>g3\nMKV\n");
    File dir = db.getParentFile();
    File shards = new File(dir, "shards");
    File scan = new File(dir, "scan");
    File plan = new File(dir, "plan");
    assertEquals(0, Pipeline.run(new ScanJob(), "--input", db.getPath(), "--out", scan.getPath(), "--lenient"));
    assertEquals(0, Pipeline.run(new PlanCommand(), "--stats", scan.getPath(), "--strategy", "hash", "--shards", "2",
        "--out", plan.getPath()));
    assertEquals(0, Pipeline.run(new ShardJob(), "--input", db.getPath(), "--plan", plan.getPath(), "--out",
        shards.getPath(), "--lenient"));
    String[] r = verify("--input", db.getPath(), "--shards", shards.getPath(), "--lenient");
    assertEquals("0", r[0], r[1]);
    assertTrue(r[1].contains("2 input records, 2 shard records"), r[1]);
    assertTrue(r[1].contains("no residues, or bad with --lenient): 1 input records"), r[1]);
  }

  @TestFactory
  Stream<DynamicTest> aFlippedByteInAnyFileIsFound() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    Random random = new Random(17);
    List<Path> files = new ArrayList<>(visible(shards));
    files.addAll(visible(index));
    assertEquals(12, files.size(), "2 shards x (FASTA, .fai, Avro), manifest, report; 2 indexes, index.json, stats: "
        + files);
    int n = 0;
    for (Path f : files) {
      long at = (long) (random.nextDouble() * Files.size(f));
      String name = "flip-" + n++;
      tests.add(DynamicTest.dynamicTest(f.getFileName() + " byte " + at, () -> {
        File s = copy(shards, name + "-shards");
        File i = copy(index, name + "-index");
        File base = f.startsWith(shards.toPath()) ? s : i;
        Path target = base.toPath().resolve((f.startsWith(shards.toPath()) ? shards : index).toPath().relativize(f));
        byte[] b = Files.readAllBytes(target);
        b[(int) at] ^= 0x20;
        Files.write(target, b);
        // As a tool other than Hadoop would leave it: the local file system's own checksum gone.
        Files.deleteIfExists(target.resolveSibling("." + target.getFileName() + ".crc"));
        String[] r = verify(s, i);
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].contains(target.getFileName().toString()), target + " is named:\n" + r[1]);
      }));
    }
    return tests.stream();
  }

  @Test
  void anUnfinishedOrPaddedFolderIsFound() throws Exception {
    File s = copy(shards, "unfinished-shards");
    Files.delete(new File(s, "_SUCCESS").toPath());
    Files.writeString(new File(s, "shard-00001/notes.txt").toPath(), "a file nobody listed\n");
    String[] r = verify(s, index);
    assertEquals("1", r[0], r[1]);
    assertTrue(r[1].contains("INCOMPLETE") && r[1].contains("UNLISTED FILE") && r[1].contains("notes.txt"), r[1]);
  }
}
