package org.taxoshard.fasta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taxoshard.fasta.FastaReading.Rec;
import static org.taxoshard.fasta.FastaReading.conf;
import static org.taxoshard.fasta.FastaReading.parse;
import static org.taxoshard.fasta.FastaReading.read;

import htsjdk.samtools.util.BlockCompressedOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.taxoshard.formats.BadInputException;

/**
 * The split-boundary rule and every quirk, through the real InputFormat: for each fixture and
 * every split size from 1 byte to the whole file, the records read are exactly the file's
 * records, each once, in order.
 */
class FastaInputFormatTest {
  static final File FIXTURES = new File("src/test/resources/fasta");

  @TempDir
  File tmp;

  static Stream<String> fixtures() {
    return Stream.of(FIXTURES.list()).filter(n -> n.endsWith(".fasta")).sorted();
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void everySplitSizeReadsEveryRecordOnce(String name) throws Exception {
    File f = new File(FIXTURES, name);
    byte[] data = Files.readAllBytes(f.toPath());
    List<Rec> expected = parse(data);
    assertFalse(expected.isEmpty(), name);
    for (long split = 1; split <= data.length + 1; split++) {
      assertEquals(expected, read(conf(split), new Path(f.getAbsolutePath())), name + " split size " + split);
    }
  }

  @Test
  void quirksAreReadAsAUserExpects() throws Exception {
    assertEquals(List.of(new Rec("seq1 first record", "ACDEFGHIKLMNPQRSTVWY", null), new Rec("seq2", "KKKK", null),
        new Rec("seq3 last", "MM", null)), readFixture("crlf.fasta"));
    assertEquals(List.of(new Rec("seq1 old mac line ends", "ACDEFGHIK", null), new Rec("seq2", "LLLL", null)),
        readFixture("old-mac-cr.fasta"));
    assertEquals("acdefghiklmnpqrstvwy", readFixture("lowercase.fasta").get(0).residues());
    assertEquals("seq1 a description with > inside it >and more", readFixture("gt-inside-header.fasta").get(0).header());
    assertEquals(List.of("", "ACDE", "", ""),
        readFixture("record-without-sequence.fasta").stream().map(Rec::residues).toList());
    assertEquals("KLMN", readFixture("no-final-newline.fasta").get(1).residues());
    assertEquals("ACDEFGHI", readFixture("spaces-in-sequence.fasta").get(0).residues());
    assertEquals(List.of("ACDEFGH", "KK"), readFixture("semicolon-comments.fasta").stream().map(Rec::residues).toList());
    assertEquals(List.of("ACDE*", "AC--DE"), readFixture("stop-and-gap.fasta").stream().map(Rec::residues).toList());
  }

  @Test
  void recordExposesIdDescriptionAndRawHeader() throws Exception {
    Configuration conf = conf(Long.MAX_VALUE);
    Path p = new Path(new File(FIXTURES, "non-utf8-header.fasta").getAbsolutePath());
    List<FastaRecord> recs = records(conf, p);
    assertEquals(1, recs.size());
    FastaRecord r = recs.get(0);
    assertEquals("seq1", r.id());
    byte[] raw = java.util.Arrays.copyOf(r.headerBytes(), r.headerLength());
    assertEquals((byte) 0xe9, raw[8], "the Latin-1 byte is kept as it was");
    assertEquals((byte) 0xc3, raw[5], "so are the UTF-8 bytes");
    assertEquals(0, r.offset());
    assertEquals(FastaRecord.OffsetKind.BYTE, r.offsetKind());
    List<FastaRecord> crlf = records(conf, new Path(new File(FIXTURES, "crlf.fasta").getAbsolutePath()));
    assertEquals("first record", crlf.get(0).description());
    assertEquals("", crlf.get(1).description());
    assertEquals("byte 44", crlf.get(1).place()); // 20 + 12 + 12 bytes of CRLF lines before it
  }

  /** Generated data: random line widths and line ends, a few thousand records. */
  @Test
  void generatedFileAtManySplitSizes() throws Exception {
    File f = new File(tmp, "generated.fasta");
    byte[] data = generate(new Random(7), 3000);
    Files.write(f.toPath(), data);
    List<Rec> expected = parse(data);
    assertEquals(3000, expected.size());
    Path p = new Path(f.getAbsolutePath());
    for (long split : new long[] {97, 1000, 4096, 65_536, 65_537, 100_003, data.length - 1, data.length}) {
      assertEquals(expected, read(conf(split), p), "split size " + split);
    }
  }

  @Test
  void gzipIsOneSplitAndConcatenatedMembersAreAllRead() throws Exception {
    byte[] a = generate(new Random(1), 200);
    byte[] b = generate(new Random(2), 300);
    File gz = new File(tmp, "two-members.fasta.gz");
    try (OutputStream out = new FileOutputStream(gz)) {
      out.write(gzip(a));
      out.write(gzip(b));
    }
    Path p = new Path(gz.getAbsolutePath());
    Configuration conf = conf(100);
    assertEquals(FastaInputFormat.Compression.GZIP, FastaInputFormat.compressionOf(FileSystem.getLocal(conf), p));
    assertEquals(1, FastaReading.splitCount(conf, p));
    List<Rec> expected = new ArrayList<>(parse(a));
    expected.addAll(parse(b));
    assertEquals(expected, read(conf, p));
  }

  @Test
  void bgzfIsSplitAtEverySizeAndReadExactly() throws Exception {
    byte[] data = generate(new Random(3), 60);
    File f = new File(tmp, "small-blocks.fasta.bgz");
    writeBgzf(f, data, 37);
    Path p = new Path(f.getAbsolutePath());
    Configuration probe = conf(1);
    assertEquals(FastaInputFormat.Compression.BGZF, FastaInputFormat.compressionOf(FileSystem.getLocal(probe), p));
    List<Rec> expected = parse(data);
    long length = f.length();
    assertTrue(FastaReading.splitCount(conf(length / 10), p) >= 10);
    // Every split size around a block's compressed size (about 60 bytes) meets every alignment of
    // split ends to block starts; below and above it a few sizes a step suffice (each size reads
    // the whole file again).
    for (long split = 1; split <= length + 1; split += split < 40 ? 1 + split / 2 : split < 140 ? 1 : 1 + split / 8) {
      assertEquals(expected, read(conf(split), p), "BGZF split size " + split);
    }
  }

  @Test
  void bgzfRecordsCarryVirtualOffsets() throws Exception {
    byte[] data = FastaReading.bytes(">a\nACDE\n>b\nKL\n");
    File f = new File(tmp, "v.fasta.gz");
    writeBgzf(f, data, 8);
    List<FastaRecord> recs = records(conf(Long.MAX_VALUE), new Path(f.getAbsolutePath()));
    assertEquals(2, recs.size());
    assertEquals(FastaRecord.OffsetKind.BGZF_VIRTUAL, recs.get(0).offsetKind());
    assertEquals(0, recs.get(0).offset());
    assertTrue(recs.get(1).offset() >>> 16 > 0, "the second record is in a later block");
    assertTrue(recs.get(1).place().startsWith("BGZF block "), recs.get(1).place());
  }

  @Test
  void truncatedGzipIsBadInput() throws Exception {
    byte[] gz = gzip(generate(new Random(4), 500));
    File f = new File(tmp, "truncated.fasta.gz");
    Files.write(f.toPath(), java.util.Arrays.copyOf(gz, gz.length / 2));
    BadInputException e = assertThrows(BadInputException.class, () -> read(conf(Long.MAX_VALUE), new Path(f.getAbsolutePath())));
    assertTrue(e.getMessage().contains("truncated.fasta.gz"), e.getMessage());
    assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
  }

  /** GZIPInputStream ended the file at such bytes without a word: the appended records were lost. */
  @Test
  void plainFastaAppendedToGzipIsBadInput() throws Exception {
    File f = new File(tmp, "fasta-appended-to-gzip.fasta.gz");
    Files.write(f.toPath(), FastaReading.concat(gzip(generate(new Random(6), 20)), FastaReading.bytes(">late\nACDE\n")));
    BadInputException e = assertThrows(BadInputException.class, () -> read(conf(Long.MAX_VALUE), new Path(f.getAbsolutePath())));
    assertTrue(e.getMessage().contains("fasta-appended-to-gzip.fasta.gz, after "), e.getMessage());
    assertTrue(e.getMessage().contains("are not a gzip member"), e.getMessage());
    Configuration lenient = conf(Long.MAX_VALUE);
    FastaInputFormat.setLenient(lenient, true);
    assertThrows(BadInputException.class, () -> read(lenient, new Path(f.getAbsolutePath())), "not a record's fault");
  }

  /**
   * A gzip file padded with zero bytes to a block size (as tape and some copy tools leave it):
   * gzip reads it without a word, and so does this; a byte other than zero among the padding is
   * bad input.
   */
  @Test
  void zeroPaddedGzipReadsAsTheFileWithoutPadding() throws Exception {
    byte[] data = generate(new Random(10), 40);
    File plain = new File(tmp, "unpadded.fasta");
    Files.write(plain.toPath(), data);
    List<FastaReading.Rec> expected = read(conf(Long.MAX_VALUE), new Path(plain.getAbsolutePath()));
    byte[] gz = gzip(data);
    // 512 bytes' padding, and more than one read buffer's (64 KiB).
    for (int zeros : new int[] {512 - gz.length % 512, 100_000}) {
      File f = new File(tmp, "zero-padded-" + zeros + ".fasta.gz");
      Files.write(f.toPath(), FastaReading.concat(gz, new byte[zeros]));
      assertEquals(expected, read(conf(Long.MAX_VALUE), new Path(f.getAbsolutePath())), zeros + " zeros");
    }
    File g = new File(tmp, "zero-padding-then-a-byte.fasta.gz");
    Files.write(g.toPath(), FastaReading.concat(gz, new byte[70_000], new byte[] {1}));
    BadInputException e = assertThrows(BadInputException.class, () -> read(conf(Long.MAX_VALUE), new Path(g.getAbsolutePath())));
    assertTrue(e.getMessage().contains("zero-padding-then-a-byte.fasta.gz, after "), e.getMessage());
    assertTrue(e.getMessage().contains("(compressed byte " + (gz.length + 70_000) + ")"), e.getMessage());
    assertTrue(e.getMessage().contains("70001 bytes after the last member are not a gzip member"), e.getMessage());
  }

  @Test
  void gzipMemberCutInItsHeaderIsBadInput() throws Exception {
    File f = new File(tmp, "gzip-member-cut-in-header.fasta.gz");
    byte[] second = gzip(generate(new Random(8), 5));
    Files.write(f.toPath(), FastaReading.concat(gzip(generate(new Random(7), 20)), java.util.Arrays.copyOf(second, 6)));
    BadInputException e = assertThrows(BadInputException.class, () -> read(conf(Long.MAX_VALUE), new Path(f.getAbsolutePath())));
    assertTrue(e.getMessage().contains("truncated in the header"), e.getMessage());
  }

  /**
   * htsjdk sized a block's buffer from its last 4 bytes before looking at its header: bytes
   * appended to a BGZF file made it ask for up to 2 GB (OutOfMemoryError on a small heap).
   */
  @Test
  void bytesAppendedToBgzfAreBadInputNotAHugeBlock() throws Exception {
    File whole = new File(tmp, "good.fasta.bgz");
    writeBgzf(whole, generate(new Random(9), 30), 4096);
    byte[] bgzf = Files.readAllBytes(whole.toPath());
    // A header that passes for BGZF, a block of 40 bytes, claiming 2^31 - 1 uncompressed bytes.
    byte[] fake = new byte[40];
    byte[] head = {0x1f, (byte) 0x8b, 8, 4, 0, 0, 0, 0, 0, (byte) 0xff, 6, 0, 'B', 'C', 2, 0, 39, 0};
    System.arraycopy(head, 0, fake, 0, head.length);
    fake[36] = (byte) 0xff;
    fake[37] = (byte) 0xff;
    fake[38] = (byte) 0xff;
    fake[39] = 0x7f;
    File f = new File(tmp, "huge-block-appended-to-bgzf.fasta.bgz");
    Files.write(f.toPath(), FastaReading.concat(bgzf, fake));
    BadInputException e = assertThrows(BadInputException.class, () -> read(conf(Long.MAX_VALUE), new Path(f.getAbsolutePath())));
    assertTrue(e.getMessage().contains("huge-block-appended-to-bgzf.fasta.bgz, BGZF block " + bgzf.length), e.getMessage());
    assertTrue(e.getMessage().contains("more than BGZF's 65,536"), e.getMessage());
    File g = new File(tmp, "fasta-appended-to-bgzf.fasta.bgz");
    Files.write(g.toPath(), FastaReading.concat(bgzf, FastaReading.bytes(">late\nACDE\n")));
    e = assertThrows(BadInputException.class, () -> read(conf(Long.MAX_VALUE), new Path(g.getAbsolutePath())));
    assertTrue(e.getMessage().contains("are not a BGZF block"), e.getMessage());
  }

  @Test
  void truncatedBgzfIsBadInput() throws Exception {
    File whole = new File(tmp, "whole.fasta.gz");
    writeBgzf(whole, generate(new Random(5), 500), 4096);
    byte[] all = Files.readAllBytes(whole.toPath());
    File f = new File(tmp, "truncated.fasta.bgz");
    Files.write(f.toPath(), java.util.Arrays.copyOf(all, all.length / 2 + 7));
    BadInputException e = assertThrows(BadInputException.class, () -> read(conf(Long.MAX_VALUE), new Path(f.getAbsolutePath())));
    assertTrue(e.getMessage().contains("truncated.fasta.bgz"), e.getMessage());
    assertTrue(e.getMessage().contains("BGZF"), e.getMessage());
  }

  @Test
  void filesFoldersAndGlobsTogether() throws Exception {
    File dir = new File(tmp, "dir/nested");
    assertTrue(dir.mkdirs());
    Files.write(new File(dir, "a.fasta").toPath(), FastaReading.bytes(">a1\nAC\n>a2\nDE\n"));
    Files.write(new File(tmp, "dir/b.fa").toPath(), FastaReading.bytes(">b1\nKK\n"));
    Files.write(new File(tmp, "c1.fasta").toPath(), FastaReading.bytes(">c1\nMM\n"));
    Files.write(new File(tmp, "c2.fasta").toPath(), FastaReading.bytes(">c2\nWW\n"));
    List<Rec> recs = read(conf(3), new Path(new File(tmp, "dir").getAbsolutePath()),
        new Path(tmp.getAbsolutePath() + "/c*.fasta"));
    assertEquals(List.of("a1", "a2", "b1", "c1", "c2"), recs.stream().map(Rec::header).sorted().toList());
  }

  @Test
  void recordsAboveTheCeilingAreBadInputNamingTheRecord() throws Exception {
    File f = new File(tmp, "big.fasta");
    Files.write(f.toPath(), FastaReading.bytes(">small\nACDE\n>huge one\n" + "A".repeat(5000) + "\n>after\nKL\n"));
    Configuration conf = conf(Long.MAX_VALUE);
    FastaInputFormat.setMaxRecordBytes(conf, 1000);
    BadInputException e = assertThrows(BadInputException.class, () -> read(conf, new Path(f.getAbsolutePath())));
    assertEquals("huge", e.record());
    assertTrue(e.getMessage().contains("byte 12"), e.getMessage());
    assertTrue(e.getMessage().contains("taxoshard.fasta.max-record-bytes"), e.getMessage());
    FastaInputFormat.setLenient(conf, true);
    List<Rec> recs = read(conf, new Path(f.getAbsolutePath()));
    assertEquals(List.of("small", "huge one", "after"), recs.stream().map(Rec::header).toList());
    assertNull(recs.get(0).problem());
    assertTrue(recs.get(1).problem().contains("longer than 1000"));
    assertEquals("", recs.get(1).residues(), "a skipped record carries no residues");
    assertNull(recs.get(2).problem());
  }

  static List<Rec> readFixture(String name) throws Exception {
    return read(conf(Long.MAX_VALUE), new Path(new File(FIXTURES, name).getAbsolutePath()));
  }

  static List<FastaRecord> records(Configuration conf, Path p) throws Exception {
    List<FastaRecord> out = new ArrayList<>();
    org.apache.hadoop.mapreduce.Job job = org.apache.hadoop.mapreduce.Job.getInstance(conf);
    org.apache.hadoop.mapreduce.lib.input.FileInputFormat.setInputPaths(job, p);
    FastaInputFormat format = new FastaInputFormat();
    for (org.apache.hadoop.mapreduce.InputSplit split : format.getSplits(job)) {
      var ctx = new org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl(conf, new org.apache.hadoop.mapreduce.TaskAttemptID());
      try (FastaRecordReader r = new FastaRecordReader()) {
        r.initialize(split, ctx);
        while (r.nextKeyValue()) {
          out.add(r.getCurrentValue().copy());
        }
      }
    }
    return out;
  }

  /** Random records: varied ids, line widths 1-80, LF or CRLF per file section, some empty. */
  static byte[] generate(Random r, int records) {
    StringBuilder b = new StringBuilder();
    String letters = "ACDEFGHIKLMNPQRSTVWYacgt*-";
    for (int i = 0; i < records; i++) {
      String eol = r.nextInt(5) == 0 ? "\r\n" : "\n";
      b.append('>').append("rec").append(i);
      if (r.nextBoolean()) {
        b.append(" description ").append(r.nextInt(1000)).append(r.nextInt(10) == 0 ? " with > inside" : "");
      }
      b.append(eol);
      int length = r.nextInt(12) == 0 ? 0 : 1 + r.nextInt(r.nextInt(8) == 0 ? 3000 : 300);
      int width = 1 + r.nextInt(80);
      for (int j = 0; j < length; j++) {
        b.append(letters.charAt(r.nextInt(letters.length())));
        if ((j + 1) % width == 0 || j == length - 1) {
          b.append(eol);
        }
      }
      if (r.nextInt(20) == 0) {
        b.append(eol);
      }
    }
    return FastaReading.bytes(b.toString());
  }

  static byte[] gzip(byte[] data) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  /** BGZF with a block ended every {@code blockBytes} uncompressed bytes. */
  static void writeBgzf(File f, byte[] data, int blockBytes) throws IOException {
    try (BlockCompressedOutputStream out = new BlockCompressedOutputStream(f)) {
      for (int i = 0; i < data.length; i += blockBytes) {
        out.write(data, i, Math.min(blockBytes, data.length - i));
        out.flush();
      }
    }
  }
}
