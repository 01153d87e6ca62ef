package org.taxoshard.fasta;

import htsjdk.samtools.util.BlockCompressedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.taxoshard.formats.BadInputException;

/**
 * What the FASTA fuzz tests share: the files they write (one temporary folder per JVM, reused, so
 * that an execution costs a file write, not a folder), the reader driven split by split as a task
 * drives it, and the records as values that compare whole (header bytes, residues, offset,
 * problem).
 */
final class FastaFuzzing {
  /** The record ceiling of the fuzz tests: small, so that the fuzzer reaches it. */
  static final int MAX_RECORD_BYTES = 200;

  private static final File DIR;

  static {
    try {
      // In memory where there is a tmpfs: a fuzzer writes its input thousands of times a second.
      java.nio.file.Path shm = java.nio.file.Paths.get("/dev/shm");
      DIR = (Files.isDirectory(shm) && Files.isWritable(shm)
          ? Files.createTempDirectory(shm, "taxoshard-fuzz") : Files.createTempDirectory("taxoshard-fuzz")).toFile();
      DIR.deleteOnExit();
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final Configuration STRICT = conf(false);
  private static final Configuration LENIENT = conf(true);

  private FastaFuzzing() {}

  private static Configuration conf(boolean lenient) {
    Configuration conf = new Configuration();
    conf.set("fs.defaultFS", "file:///");
    // The raw local file system: the checksummed one looks for a .crc file on every open (a
    // FileNotFoundException each time), which costs more than reading a small input. Uncached,
    // so that other tests in the JVM still get the usual LocalFileSystem from FileSystem.get.
    conf.setClass("fs.file.impl", RawLocalFileSystem.class, FileSystem.class);
    conf.setBoolean("fs.file.impl.disable.cache", true);
    FastaInputFormat.setLenient(conf, lenient);
    FastaInputFormat.setMaxRecordBytes(conf, MAX_RECORD_BYTES);
    return conf;
  }

  static Configuration conf() {
    return STRICT;
  }

  /** One record as read: raw header (ISO-8859-1, one char a byte), residues, where, and why skipped. */
  record Rec(String header, String residues, long offset, FastaRecord.OffsetKind kind, String problem) {
    static Rec of(FastaRecord r) {
      return new Rec(new String(r.headerBytes(), 0, r.headerLength(), StandardCharsets.ISO_8859_1), r.sequence(),
          r.offset(), r.offsetKind(), r.problem());
    }

    boolean skipped() {
      return problem != null;
    }

    /** The same record, whatever its coordinates: header, residues, and whether it was skipped. */
    String content() {
      return ">" + header + "|" + residues + (problem == null ? "" : "|SKIPPED");
    }

    @Override
    public String toString() {
      return ">" + header + "|" + residues + "@" + FastaRecord.place(offset, kind) + (problem == null ? "" : "|SKIPPED " + problem);
    }
  }

  /** What reading a file gave: its records, or the bad input that stopped it. */
  record Outcome(List<Rec> records, BadInputException bad) {
    @Override
    public String toString() {
      return bad != null ? "BadInputException: " + bad.getMessage() : records.toString();
    }
  }

  /** Writes {@code data} to the file {@code name} in this JVM's fuzz folder. */
  static Path write(String name, byte[] data) throws IOException {
    File f = new File(DIR, name);
    Files.write(f.toPath(), data);
    f.deleteOnExit(); // kept once per name, and deleted before the folder (the reverse of registration)
    return new Path(f.getAbsolutePath());
  }

  /**
   * Reads the file split by split, each split with its own reader, in order: splits start at 0,
   * at each cut, and run to the next cut or the end. Any exception but bad input escapes.
   */
  static Outcome read(Path p, boolean lenient, long... cuts) throws IOException {
    Configuration conf = lenient ? LENIENT : STRICT;
    long length = new File(p.toUri().getPath()).length();
    List<Rec> out = new ArrayList<>();
    long start = 0;
    try {
      for (int i = 0; i <= cuts.length; i++) {
        long end = i < cuts.length ? cuts[i] : length;
        if (end <= start && !(start == 0 && length == 0)) {
          continue;
        }
        try (FastaRecordReader r = new FastaRecordReader()) {
          r.initialize(new FileSplit(p, start, end - start, null), conf);
          while (r.nextKeyValue()) {
            FastaRecord v = r.getCurrentValue();
            checkBounded(v);
            out.add(Rec.of(v));
          }
        }
        start = end;
      }
    } catch (BadInputException e) {
      return new Outcome(out, e);
    }
    return new Outcome(out, null);
  }

  /** Cuts every {@code size} bytes of a file of {@code length} bytes. */
  static long[] everyBytes(long length, long size) {
    long[] cuts = new long[(int) Math.max(0, (length - 1) / size)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = (i + 1) * size;
    }
    return cuts;
  }

  /**
   * The memory bound: what a reader holds for a record stays within the record ceiling (a good
   * record's header and residues together, a skipped one's each), and its buffers within twice it.
   */
  static void checkBounded(FastaRecord r) {
    int max = MAX_RECORD_BYTES;
    boolean within = r.isSkipped()
        ? r.headerLength() <= max && r.length() <= max
        : (long) r.headerLength() + r.length() <= max;
    if (!within || r.headerBytes().length > 2 * max || r.sequenceBytes().length > Math.max(64, 2 * max)) {
      throw new AssertionError("record beyond the ceiling of " + max + " bytes: header " + r.headerLength()
          + " (buffer " + r.headerBytes().length + "), residues " + r.length() + " (buffer "
          + r.sequenceBytes().length + "), " + r);
    }
  }

  /** The offsets of the record starts of plain FASTA bytes: each '>' at byte 0 or after LF or CR. */
  static List<Long> recordStarts(byte[] data) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < data.length; i++) {
      if (data[i] == '>' && (i == 0 || data[i - 1] == '\n' || data[i - 1] == '\r')) {
        out.add((long) i);
      }
    }
    return out;
  }

  static boolean looksCompressed(byte[] data) {
    return data.length >= 2 && (data[0] & 0xFF) == 0x1f && (data[1] & 0xFF) == 0x8b;
  }

  static byte[] gzip(byte[]... members) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (byte[] m : members) {
      try (GZIPOutputStream out = new GZIPOutputStream(bytes) {
        @Override
        public void close() throws IOException {
          finish(); // leave the underlying stream open for the next member
        }
      }) {
        out.write(m);
      }
    }
    return bytes.toByteArray();
  }

  /**
   * BGZF whose blocks end after the given uncompressed lengths (cycled), with the EOF block: many
   * small blocks, so that splits of a few hundred bytes hold several.
   */
  static byte[] bgzf(byte[] data, int... blockBytes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (BlockCompressedOutputStream out = new BlockCompressedOutputStream(bytes, (java.nio.file.Path) null)) {
      int k = 0;
      for (int i = 0; i < data.length; ) {
        int n = Math.min(Math.max(1, blockBytes[k++ % blockBytes.length]), data.length - i);
        out.write(data, i, n);
        out.flush();
        i += n;
      }
    }
    return bytes.toByteArray();
  }

  /** Writes records back as FASTA: '>' header LF, residues in lines of {@code width}. */
  static byte[] writeFasta(List<Rec> records, int width) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (Rec r : records) {
      b.write('>');
      b.write(r.header().getBytes(StandardCharsets.ISO_8859_1));
      b.write('\n');
      byte[] s = r.residues().getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < s.length; i += width) {
        b.write(s, i, Math.min(width, s.length - i));
        b.write('\n');
      }
    }
    return b.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    return FastaReading.concat(parts);
  }

  static String show(byte[] data) {
    StringBuilder b = new StringBuilder();
    for (byte x : Arrays.copyOf(data, Math.min(data.length, 400))) {
      int c = x & 0xFF;
      if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c < 0x20 || c >= 0x7f) {
        b.append(String.format("\\x%02x", c));
      } else {
        b.append((char) c);
      }
    }
    return b + (data.length > 400 ? "... (" + data.length + " bytes)" : "");
  }
}
