package org.taxoshard.align;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * The real data beside the project ({@code ../shared/data}) and the real peers (BLAST+ on the
 * PATH), for the kernel's tests. Whatever is missing skips the test with a message saying what,
 * never a silent pass. (The kernel has no Hadoop, so it cannot use the formats module's helper.)
 */
final class RealData {
  /** One FASTA record: the first word of the header and the residues. */
  record Record(String id, String header, String residues) {}

  private RealData() {}

  /** A file or folder under the shared data, or the test is skipped. */
  static File require(String relative) {
    String prop = System.getProperty("taxoshard.shared.data");
    File root = prop != null && !prop.isEmpty() ? new File(prop) : new File("../../shared/data");
    File f = new File(root, relative);
    if (!f.exists()) {
      String msg = "SKIPPED: real data " + f.getAbsolutePath() + " is not here (a fresh clone has no ../shared);"
          + " CI always has it.";
      System.err.println(msg);
      assumeTrue(false, msg);
    }
    return f;
  }

  /**
   * Proteins of the shared proteomes by handle, {@code SPECIES_N}: record N (0-based, in file order)
   * of {@code proteomes/*-SPECIES.fasta.gz} (so {@code P.falciparum_144} is the 145th record of
   * {@code UP000001450-P.falciparum.fasta.gz}), or the test is skipped; every handle asked for must
   * be there. Tests name proteins by position and read them here, so the project holds neither their
   * sequences nor their accessions.
   */
  static Map<String, String> proteins(Collection<String> handles) {
    File dir = require("proteomes");
    Map<String, Map<Integer, String>> wanted = new TreeMap<>();
    for (String h : handles) {
      int cut = h.lastIndexOf('_');
      wanted.computeIfAbsent(h.substring(0, cut), k -> new TreeMap<>())
          .put(Integer.parseInt(h.substring(cut + 1)), h);
    }
    Map<String, String> found = new HashMap<>();
    for (Map.Entry<String, Map<Integer, String>> species : wanted.entrySet()) {
      File[] files = dir.listFiles((d, name) -> name.endsWith("-" + species.getKey() + ".fasta.gz"));
      if (files == null || files.length != 1) {
        throw new AssertionError("no single proteome for " + species.getKey() + " in " + dir);
      }
      try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(new FileInputStream(files[0])),
          StandardCharsets.ISO_8859_1), 1 << 16)) {
        int record = -1;
        StringBuilder seq = new StringBuilder();
        for (String line = r.readLine(); ; line = r.readLine()) {
          if (line == null || line.startsWith(">")) {
            String handle = species.getValue().get(record);
            if (handle != null) {
              found.put(handle, seq.toString());
            }
            if (line == null) {
              break;
            }
            record++;
            seq.setLength(0);
          } else {
            seq.append(line.trim());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(files[0].toString(), e);
      }
    }
    Set<String> missing = new TreeSet<>(handles);
    missing.removeAll(found.keySet());
    if (!missing.isEmpty()) {
      throw new AssertionError("not in " + dir + ": " + missing);
    }
    return found;
  }

  /** Skips the test unless the command runs (e.g. {@code blastp -version}). */
  static void requireTool(String... versionCommand) {
    boolean ok;
    try {
      Process p = new ProcessBuilder(versionCommand).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      ok = false;
    }
    if (!ok) {
      String msg = "SKIPPED: " + versionCommand[0] + " is not on the PATH (apt-get install ncbi-blast+; .ci/run does)";
      System.err.println(msg);
      assumeTrue(false, msg);
    }
  }

  /**
   * segmasker's intervals, run now (window 10, locut 1.8, hicut 2.1: what blastp -comp_based_stats 1
   * applies to subjects), or the test is skipped without segmasker: name to 0-based half-open
   * {start, end} pairs, flattened in segmasker's order (not merged), names in the map's order.
   */
  static Map<String, int[]> segmasker(Map<String, String> sequences) throws IOException, InterruptedException {
    requireTool("segmasker", "-version");
    File dir = Files.createTempDirectory("segmasker").toFile();
    try {
      List<Record> records = new ArrayList<>();
      sequences.forEach((name, residues) -> records.add(new Record(name, name, residues)));
      write(new File(dir, "in.fa"), records);
      run(dir, "segmasker", "-in", "in.fa", "-window", "10", "-locut", "1.8", "-hicut", "2.1",
          "-outfmt", "interval", "-out", "out.txt");
      Map<String, int[]> out = new LinkedHashMap<>();
      String name = null;
      List<Integer> pairs = new ArrayList<>();
      for (String line : Files.readAllLines(new File(dir, "out.txt").toPath(), StandardCharsets.ISO_8859_1)) {
        if (line.startsWith(">")) {
          if (name != null) {
            out.put(name, pairs.stream().mapToInt(Integer::intValue).toArray());
          }
          name = line.substring(1).trim().split("\\s+")[0];
          pairs.clear();
        } else if (!line.isBlank()) {
          String[] ends = line.split(" - ");
          pairs.add(Integer.parseInt(ends[0].trim()));
          pairs.add(Integer.parseInt(ends[1].trim()) + 1); // inclusive end to half-open
        }
      }
      if (name != null) {
        out.put(name, pairs.stream().mapToInt(Integer::intValue).toArray());
      }
      if (!out.keySet().equals(sequences.keySet())) {
        throw new AssertionError("segmasker answered for " + out.keySet() + ", asked " + sequences.keySet());
      }
      return out;
    } finally {
      for (File f : dir.listFiles()) {
        f.delete();
      }
      dir.delete();
    }
  }

  /** Runs a command to completion; fails the test if it fails. */
  static void run(File dir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed:\n" + out);
    }
  }

  /** Every record of a FASTA file, plain or gzipped. */
  static List<Record> read(File file) throws IOException {
    List<Record> out = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(file.toPath());
        InputStream in = file.getName().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1))) {
      String header = null;
      StringBuilder seq = new StringBuilder();
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith(">")) {
          if (header != null) {
            out.add(record(header, seq));
          }
          header = line.substring(1);
          seq.setLength(0);
        } else {
          seq.append(line.trim());
        }
      }
      if (header != null) {
        out.add(record(header, seq));
      }
    }
    return out;
  }

  private static Record record(String header, StringBuilder seq) {
    String id = header.split("\\s", 2)[0];
    return new Record(id, header, seq.toString());
  }

  /** Writes records as FASTA. */
  static void write(File file, List<Record> records) throws IOException {
    StringBuilder b = new StringBuilder();
    for (Record r : records) {
      b.append('>').append(r.header()).append('\n').append(r.residues()).append('\n');
    }
    Files.writeString(file.toPath(), b.toString(), StandardCharsets.ISO_8859_1);
  }
}
