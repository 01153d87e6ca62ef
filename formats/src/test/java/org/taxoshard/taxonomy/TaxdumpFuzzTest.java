package org.taxoshard.taxonomy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.taxoshard.formats.BadInputException;

/**
 * The taxdump reader on arbitrary {@code nodes.dmp}, {@code names.dmp}, {@code merged.dmp} and
 * {@code delnodes.dmp} bytes: it loads, or throws {@link BadInputException} naming one of the four
 * files and a line that file has; never any other exception (no array sized by a taxid from the
 * file beyond the ceiling, here {@value #MAX_TAXID}). A taxonomy that loads is a tree: every node's
 * parents reach the root within as many steps as there are nodes, every taxid resolves to itself,
 * every merged one to a node or to nothing, and a scientific name leads back to its taxon.
 *
 * <p>Input: the four files' bytes one after another; their lengths are taken from the end (two
 * bytes each for nodes, names and merged; delnodes is the rest). Seeds in
 * {@code TaxdumpFuzzTestInputs/anyTaxdump/}: the dumps of {@code taxonomy/}, each named after its
 * fault.
 */
class TaxdumpFuzzTest {
  static final int MAX_TAXID = 1 << 16;
  private static final Pattern LINE = Pattern.compile("line (\\d+)");
  private static final File DIR;
  private static final FileSystem FS;

  static {
    try {
      java.nio.file.Path shm = java.nio.file.Paths.get("/dev/shm");
      DIR = (Files.isDirectory(shm) && Files.isWritable(shm)
          ? Files.createTempDirectory(shm, "taxoshard-fuzz") : Files.createTempDirectory("taxoshard-fuzz")).toFile();
      DIR.deleteOnExit();
      FS = FileSystem.getLocal(new Configuration()).getRaw();
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest(maxDuration = "15s")
  void anyTaxdump(FuzzedDataProvider in) throws Exception {
    byte[][] files = new byte[4][];
    for (int i = 0; i < 3; i++) {
      files[i] = in.consumeBytes(in.consumeInt(0, 1 << 12));
    }
    files[3] = in.consumeRemainingAsBytes();
    String[] names = {"nodes.dmp", "names.dmp", "merged.dmp", "delnodes.dmp"};
    Path[] paths = new Path[4];
    for (int i = 0; i < 4; i++) {
      File f = new File(DIR, names[i]);
      Files.write(f.toPath(), files[i]);
      f.deleteOnExit();
      paths[i] = new Path(f.getAbsolutePath());
    }
    Taxonomy t;
    try {
      t = Taxonomy.load(FS, paths[0], paths[1], paths[2], paths[3], MAX_TAXID);
    } catch (BadInputException e) {
      String m = e.getMessage();
      int file = List.of(paths).stream().map(Path::toString).toList().indexOf(e.file());
      assertTrue(file >= 0, () -> "not one of the dump's files: " + m);
      assertTrue(m.startsWith(e.file() + ", "), () -> "the message must start with the file and the place: " + m);
      assertNotNull(e.place(), () -> "no place: " + m);
      Matcher line = LINE.matcher(e.place());
      assertTrue(line.matches(), () -> "not a line: " + e.place() + " in " + m);
      long lines = lines(files[file]);
      assertTrue(Long.parseLong(line.group(1)) >= 1 && Long.parseLong(line.group(1)) <= lines,
          () -> m + ": the file has " + lines + " lines");
      return;
    }
    int nodes = 0;
    for (int id = 1; id <= MAX_TAXID; id++) {
      if (!t.contains(id)) {
        continue;
      }
      nodes++;
      int node = id;
      for (int steps = 0; t.parent(node) != node; steps++) {
        assertTrue(steps <= t.size() && t.contains(t.parent(node)), "taxid " + id + " does not reach the root");
        node = t.parent(node);
      }
      assertEquals(id, t.resolve(id));
      assertNotNull(t.rank(id));
      String name = t.scientificName(id);
      if (name != null && name.equals(name.trim()) && name.indexOf(0) < 0 && name.indexOf(0xFFFD) < 0) {
        int[] byName = t.taxidsByName(name);
        final int taxid = id;
        assertTrue(java.util.Arrays.stream(byName).anyMatch(x -> x == taxid), () -> "'" + name + "' does not find " + taxid);
      }
    }
    assertEquals(t.size(), nodes, "every row of nodes.dmp is a node");
    // Whatever numbers merged.dmp holds resolve to a node or to nothing.
    Matcher number = Pattern.compile("\\d{1,9}").matcher(new String(files[2], java.nio.charset.StandardCharsets.ISO_8859_1));
    while (number.find()) {
      int id = Integer.parseInt(number.group());
      int r = t.resolve(id);
      assertTrue(r == 0 || t.contains(r), "taxid " + id + " resolves to " + r);
    }
  }

  /** Lines as a reader counts them: ended by LF, the last one with or without it. */
  static long lines(byte[] data) {
    long n = 0;
    for (byte b : data) {
      if (b == '\n') {
        n++;
      }
    }
    return data.length > 0 && data[data.length - 1] != '\n' ? n + 1 : n;
  }
}
