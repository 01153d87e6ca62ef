package org.taxoshard.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus: every way we know input goes wrong, through the command line as users
 * meet it. Each case is a folder under {@code src/test/resources/corpus/}, named after its fault,
 * holding its files and a {@code case.properties}:
 *
 * <pre>
 * about  = what the case is
 * args   = the command line; ${case} is the case's folder, ${out} a fresh output folder,
 *          ${good} the folder of a good pipeline (db.fasta, scan/, plan/, shards/, index/)
 * exit   = the exit status wanted
 * stderr = fragments, separated by " | ", that standard error must hold (stdout: the same)
 * json   = a JSON file, a JSON pointer and the value it must hold (a counted skip)
 * </pre>
 *
 * Damage to Taxoshard's own outputs (a plan, an index, a manifest) is made here from the good
 * pipeline, since such files are only ever written by this build. Every case that fails must
 * exit 2 naming the file, the place where there is one, and never print a stack trace; every
 * output it leaves must not look complete.
 */
class BadInputCorpusTest {
  static final Path CORPUS = Path.of("src/test/resources/corpus");
  static final Pattern STACK_LINE = Pattern.compile("(?m)^\\s+at [\\w$.]+\\(");

  @TempDir
  static File tmp;
  static File good;

  /** A case, from a folder or made here: {@code prepare} may damage files under the case's copy. */
  record Case(String name, String about, String args, int exit, List<String> stderr, List<String> stdout,
      String json, Prepare prepare) {}

  interface Prepare {
    void into(File caseDir) throws Exception;
  }

  @BeforeAll
  static void goodPipeline() throws Exception {
    good = new File(tmp, "good");
    assertEquals(0, run(new String[] {"generate", "--out", good.getPath(), "--sequences", "300", "--queries", "5",
        "--seed", "3"}).exit);
    String g = good.getPath();
    assertEquals(0, run(new String[] {"scan", "--input", g + "/db.fasta", "--taxonomy", g + "/taxdump", "--out",
        g + "/scan"}).exit);
    assertEquals(0, run(new String[] {"plan", "--stats", g + "/scan", "--shards", "2", "--strategy", "hash", "--out",
        g + "/plan"}).exit);
    assertEquals(0, run(new String[] {"shard", "--input", g + "/db.fasta", "--plan", g + "/plan", "--out",
        g + "/shards"}).exit);
    assertEquals(0, run(new String[] {"index", "--shards", g + "/shards", "--out", g + "/index"}).exit);
  }

  record Result(int exit, String out, String err) {}

  /** Runs one command line in this JVM, as bin/taxoshard would, capturing what it prints. */
  static synchronized Result run(String[] args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      Configuration conf = new Configuration();
      conf.set("fs.defaultFS", "file:///");
      conf.set("mapreduce.framework.name", "local");
      int exit = Taxoshard.run(conf, args);
      return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }

  @TestFactory
  Stream<DynamicTest> corpus() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(CORPUS)) {
      for (Path d : dirs.sorted().toList()) {
        cases.add(fromFolder(d));
      }
    }
    cases.addAll(made());
    assertTrue(cases.size() >= 30, "the corpus holds at least 30 cases: " + cases.size());
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name() + ": " + c.about(), () -> check(c)));
  }

  static Case fromFolder(Path dir) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve("case.properties"), StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return new Case(dir.getFileName().toString(), p.getProperty("about"), p.getProperty("args"),
        Integer.parseInt(p.getProperty("exit")), fragments(p.getProperty("stderr")), fragments(p.getProperty("stdout")),
        p.getProperty("json"), d -> copy(dir, d.toPath()));
  }

  static List<String> fragments(String s) {
    return s == null ? List.of() : Arrays.stream(s.split(" \\| ")).map(String::trim).toList();
  }

  void check(Case c) throws Exception {
    File dir = new File(tmp, "case-" + c.name());
    File out = new File(tmp, "out-" + c.name());
    c.prepare().into(dir);
    for (File f : listAll(dir)) {
      if (f.getName().endsWith(".toml")) {
        Files.writeString(f.toPath(), expand(Files.readString(f.toPath()), dir, out));
      }
    }
    String[] args = expand(c.args(), dir, out).split(" ");
    Result r = run(args);
    String said = c.name() + ": exit " + r.exit + "\n--- stdout\n" + r.out + "\n--- stderr\n" + r.err;
    assertEquals(c.exit(), r.exit, said);
    for (String f : c.stderr()) {
      assertTrue(r.err.contains(expand(f, dir, out)), "stderr names '" + f + "'\n" + said);
    }
    for (String f : c.stdout()) {
      assertTrue(r.out.contains(expand(f, dir, out)), "stdout names '" + f + "'\n" + said);
    }
    if (c.json() != null) {
      String[] j = expand(c.json(), dir, out).split(" ");
      JsonNode node = new ObjectMapper().readTree(new File(j[0])).at(j[1]);
      assertEquals(j[2], node.asText(), c.json() + "\n" + said);
    }
    assertFalse(STACK_LINE.matcher(r.err + r.out).find(), "a message, never a stack trace\n" + said);
    if (c.exit() == 2) {
      assertTrue(r.err.contains("taxoshard " + args[0]), "the message says which command\n" + said);
      assertFalse(new File(out, "_SUCCESS").exists(), "no output that looks complete\n" + said);
    }
  }

  static String expand(String s, File dir, File out) {
    return s.replace("${case}", dir.getPath()).replace("${out}", out.getPath()).replace("${good}", good.getPath());
  }

  /** Damage to outputs only this build writes, made from the good pipeline. */
  static List<Case> made() {
    List<Case> m = new ArrayList<>();
    m.add(new Case("plan-checksum-mismatch", "a byte of plan.avro changed: shard refuses the plan", "shard --input"
        + " ${good}/db.fasta --plan ${case}/plan --out ${out}", 2, List.of("plan.avro", "checksum", "taxoshard plan"),
        List.of(), null, d -> {
          copy(good.toPath().resolve("plan"), d.toPath().resolve("plan"));
          flip(new File(d, "plan/plan.avro"), 0.5);
        }));
    m.add(new Case("plan-checksum-mismatch-seen-by-the-file-system", "plan.avro changed behind Hadoop's back, its"
        + " .crc kept: Hadoop's own checksum names the file and the byte", "shard --input ${good}/db.fasta --plan"
        + " ${case}/plan --out ${out}", 2, List.of("plan.avro", "Checksum error", "at "), List.of(), null, d -> {
          copy(good.toPath().resolve("plan"), d.toPath().resolve("plan"));
          flipKeepingCrc(new File(d, "plan/plan.avro"), 0.5);
        }));
    m.add(new Case("plan-newer-format-version", "a plan written by a newer Taxoshard", "shard --input"
        + " ${good}/db.fasta --plan ${case}/plan --out ${out}", 2, List.of("plan.avro", "version 99", "newer"),
        List.of(), null, d -> {
          copy(good.toPath().resolve("plan"), d.toPath().resolve("plan"));
          newerPlan(new File(d, "plan"), 99);
        }));
    m.add(new Case("plan-incomplete", "a plan folder whose command did not finish (no _SUCCESS)", "shard --input"
        + " ${good}/db.fasta --plan ${case}/plan --out ${out}", 2, List.of("plan", "incomplete", "_SUCCESS"),
        List.of(), null, d -> {
          copy(good.toPath().resolve("plan"), d.toPath().resolve("plan"));
          delete(new File(d, "plan/_SUCCESS"));
        }));
    m.add(new Case("plan-json-damaged", "a byte of plan.json changed", "shard --input ${good}/db.fasta --plan"
        + " ${case}/plan --out ${out}", 2, List.of("plan.json", "self_checksum"), List.of(), null, d -> {
          copy(good.toPath().resolve("plan"), d.toPath().resolve("plan"));
          flip(new File(d, "plan/plan.json"), 0.3);
        }));
    m.add(new Case("stats-checksum-mismatch", "a byte of the scan's stats.avro changed: plan refuses it", "plan"
        + " --stats ${case}/scan --shards 2 --strategy hash --out ${out}", 2, List.of("stats.avro", "checksum"),
        List.of(), null, d -> {
          copy(good.toPath().resolve("scan"), d.toPath().resolve("scan"));
          flip(new File(d, "scan/stats.avro"), 0.7);
        }));
    m.add(new Case("splits-truncated", "the scan's splits.avro cut short", "plan --stats ${case}/scan --shards 2"
        + " --strategy hash --out ${out}", 2, List.of("splits.avro", "bytes"), List.of(), null, d -> {
          copy(good.toPath().resolve("scan"), d.toPath().resolve("scan"));
          truncate(new File(d, "scan/splits.avro"), 0.5);
        }));
    m.add(new Case("manifest-damaged", "a byte of the shards' manifest.json changed: index refuses it", "index"
        + " --shards ${case}/shards --out ${out}", 2, List.of("manifest.json", "self_checksum"), List.of(), null, d -> {
          copy(good.toPath().resolve("shards"), d.toPath().resolve("shards"));
          flip(new File(d, "shards/manifest.json"), 0.4);
        }));
    m.add(new Case("shard-fasta-changed", "a residue of a shard changed after it was written: index refuses the"
        + " shard", "index --shards ${case}/shards --out ${out}", 2, List.of("shard-00001.fasta", "checksum",
        "manifest.json"), List.of(), null, d -> {
          copy(good.toPath().resolve("shards"), d.toPath().resolve("shards"));
          flipResidue(new File(d, "shards/shard-00001/shard-00001.fasta"));
        }));
    // The first 512 bytes are what a task reads to learn the file's compression: a checksum
    // failing there once ended the task before its handler could name the file (exit 1).
    for (String[] c : new String[][] {
        {"index", "index --shards ${case}/shards --out ${out}"},
        {"verify", "verify --input ${good}/db.fasta --shards ${case}/shards --out ${out}"},
        {"scan", "scan --input ${case}/shards/shard-00001/shard-00001.fasta --out ${out}"}}) {
      m.add(new Case(c[0] + "-shard-changed-at-its-start-seen-by-the-file-system", "a residue in a shard's first"
          + " line changed behind Hadoop's back, its .crc kept: " + c[0] + " names the file and the byte", c[1], 2,
          List.of("shard-00001.fasta", "Checksum error", "at 0"), List.of(), null, d -> {
            copy(good.toPath().resolve("shards"), d.toPath().resolve("shards"));
            changeFirstResidue(new File(d, "shards/shard-00001/shard-00001.fasta"));
          }));
    }
    m.add(new Case("index-checksum-mismatch", "a byte of a shard's index changed: the search names the file and"
        + " the byte", "search --index ${case}/index --queries ${good}/queries.fasta --out ${out}", 2,
        List.of("shard-00000.tsx", "byte", "checksum"), List.of(), null, d -> {
          copy(good.toPath().resolve("index"), d.toPath().resolve("index"));
          flip(new File(d, "index/shard-00000.tsx"), 0.6);
        }));
    m.add(new Case("index-truncated", "a shard's index cut short", "search --index ${case}/index --queries"
        + " ${good}/queries.fasta --out ${out}", 2, List.of("shard-00001.tsx", "byte"), List.of(), null, d -> {
          copy(good.toPath().resolve("index"), d.toPath().resolve("index"));
          truncate(new File(d, "index/shard-00001.tsx"), 0.5);
        }));
    m.add(new Case("index-newer-format-version", "an index written by a newer Taxoshard", "search --index"
        + " ${case}/index --queries ${good}/queries.fasta --out ${out}", 2, List.of("shard-00000.tsx", "version"),
        List.of(), null, d -> {
          copy(good.toPath().resolve("index"), d.toPath().resolve("index"));
          // The format version is the int after the 8-byte magic.
          try (RandomAccessFile f = new RandomAccessFile(new File(d, "index/shard-00000.tsx"), "rw")) {
            f.seek(8);
            f.writeInt(99);
          }
          delete(new File(d, "index/.shard-00000.tsx.crc"));
        }));
    m.add(new Case("index-json-newer-format-version", "an index.json of a newer Taxoshard", "search --index"
        + " ${case}/index --queries ${good}/queries.fasta --out ${out}", 2, List.of("index.json", "version 9"),
        List.of(), null,
        d -> {
          copy(good.toPath().resolve("index"), d.toPath().resolve("index"));
          reseal(new File(d, "index/index.json"), j -> j.put("format_version", 9));
        }));
    m.add(new Case("one-gigabyte-line", "a 1 GiB sequence line, above the 512 MiB record ceiling: refused by name,"
        + " never held whole", "scan --input ${case}/huge.fasta --out ${out}", 2, List.of("huge.fasta",
        "record 'chr1'", "taxoshard.fasta.max-record-bytes"), List.of(), null, d -> {
          d.mkdirs();
          try (java.io.OutputStream o = new java.io.BufferedOutputStream(
              new java.io.FileOutputStream(new File(d, "huge.fasta")), 1 << 20)) {
            o.write(">chr1 one line of a billion bases\n".getBytes(StandardCharsets.US_ASCII));
            byte[] line = new byte[1 << 20];
            Arrays.fill(line, (byte) 'A');
            for (int i = 0; i < 1024; i++) {
              o.write(line);
            }
            o.write('\n');
          }
        }));
    return m;
  }

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static List<File> listAll(File dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir.toPath())) {
      return all.filter(Files::isRegularFile).map(Path::toFile).toList();
    }
  }

  /** The local file system's checksum of a file: dropped when a file is changed by a tool other than Hadoop. */
  static File crcOf(File f) {
    return new File(f.getParentFile(), "." + f.getName() + ".crc");
  }

  static void delete(File f) throws IOException {
    Files.deleteIfExists(f.toPath());
  }

  /** Flips the lowest bit of the byte at {@code where} (a fraction of the length), as a tool rewriting it would. */
  static void flip(File f, double where) throws IOException {
    flipKeepingCrc(f, where);
    delete(crcOf(f));
  }

  static void flipKeepingCrc(File f, double where) throws IOException {
    byte[] b = Files.readAllBytes(f.toPath());
    b[(int) (b.length * where)] ^= 1;
    Files.write(f.toPath(), b);
  }

  /** Changes one residue of a FASTA file (the first 'A' of a sequence line after the first record's header). */
  static void flipResidue(File f) throws IOException {
    changeFirstResidue(f);
    delete(crcOf(f));
  }

  /** {@link #flipResidue} with the file's {@code .crc} kept, as a change behind Hadoop's back leaves it. */
  static void changeFirstResidue(File f) throws IOException {
    byte[] b = Files.readAllBytes(f.toPath());
    int i = 0;
    while (b[i] != '\n') {
      i++;
    }
    while (b[i] != 'A') {
      i++;
    }
    b[i] = 'C';
    Files.write(f.toPath(), b);
  }

  static void truncate(File f, double keep) throws IOException {
    byte[] b = Files.readAllBytes(f.toPath());
    Files.write(f.toPath(), Arrays.copyOf(b, (int) (b.length * keep)));
    delete(crcOf(f));
  }

  /** Rewrites a plan as a newer build would have written it, sealed again so that only the version is wrong. */
  static void newerPlan(File plan, int version) throws IOException {
    File avro = new File(plan, "plan.avro");
    org.taxoshard.avro.Plan p;
    try (org.apache.avro.file.DataFileReader<org.taxoshard.avro.Plan> r = new org.apache.avro.file.DataFileReader<>(avro,
        new org.apache.avro.specific.SpecificDatumReader<>(org.taxoshard.avro.Plan.class))) {
      p = r.next();
    }
    p.setFormatVersion(version);
    delete(avro);
    delete(crcOf(avro));
    try (org.apache.avro.file.DataFileWriter<org.taxoshard.avro.Plan> w = new org.apache.avro.file.DataFileWriter<>(
        new org.apache.avro.specific.SpecificDatumWriter<>(org.taxoshard.avro.Plan.class))) {
      w.create(org.taxoshard.avro.Plan.getClassSchema(), avro);
      w.append(p);
    }
    reseal(new File(plan, "plan.json"), j -> {
      @SuppressWarnings("unchecked")
      List<java.util.Map<String, Object>> files = (List<java.util.Map<String, Object>>) j.get("files");
      try (java.io.InputStream in = new java.io.FileInputStream(avro)) {
        files.set(0, org.taxoshard.jobs.OutputFiles.entry("plan.avro", org.taxoshard.formats.Checksums.of(in)));
      }
    });
  }

  interface Edit {
    void on(java.util.Map<String, Object> json) throws IOException;
  }

  /** Edits a sealed JSON and seals it again, as the command that wrote it would. */
  static void reseal(File json, Edit edit) throws IOException {
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> j = new ObjectMapper().readValue(json, java.util.LinkedHashMap.class);
    edit.on(j);
    org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(new Configuration());
    org.taxoshard.jobs.OutputFiles.writeSealed(fs, new org.apache.hadoop.fs.Path(json.getAbsolutePath()), j);
  }
}
