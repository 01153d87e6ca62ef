package org.taxoshard.fasta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taxoshard.fasta.FastaFuzzing.Outcome;
import static org.taxoshard.fasta.FastaFuzzing.Rec;
import static org.taxoshard.fasta.FastaFuzzing.read;
import static org.taxoshard.fasta.FastaFuzzing.show;
import static org.taxoshard.fasta.FastaFuzzing.write;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.taxoshard.formats.BadInputException;

/**
 * The FASTA reader on arbitrary bytes, read whole as one split (the splits have their own fuzz
 * test, {@link FastaSplitFuzzTest}). The record ceiling is {@value FastaFuzzing#MAX_RECORD_BYTES}
 * bytes. Properties:
 *
 * <ul>
 *   <li>reading returns records or throws {@link BadInputException} whose message names the file and
 *       the place (and the record, when it has an id); never any other exception, and every record
 *       within the ceiling;
 *   <li>plain bytes, lenient: reading never stops, and there is one record, good or skipped, for
 *       every record start ('>' at byte 0 or after a line end), at its offset, plus at most one
 *       skipped entry for data before the first header;
 *   <li>strict reads the good records, and the ones with no residues (skipped in both modes),
 *       before the first bad one, then throws at that one's place; without bad records both modes read the same records, and they are the simple parse's;
 *   <li>the same bytes gzipped (one member, or two cut anywhere) read the same, offsets and
 *       messages included; as BGZF in small blocks, the same records; a gzip member or BGZF
 *       followed by bytes that are not a whole member (plain FASTA, a member cut short) is bad
 *       input;
 *   <li>the good records written back as FASTA (any line width) read back the same.
 * </ul>
 *
 * <p>Seeds: {@code FastaReaderFuzzTestInputs/arbitraryBytes/}, one file per quirk, replayed by every
 * {@code mvn test}.
 */
class FastaReaderFuzzTest {
  private static final Pattern PLACE =
      Pattern.compile("(record at )?(byte \\d+|BGZF block \\d+( \\+ \\d+)?|after \\d+ uncompressed bytes .*)");

  @FuzzTest(maxDuration = "15s")
  void arbitraryBytes(byte[] data) throws Exception {
    Path p = write("input.fasta", data);
    Outcome strict = read(p, false);
    Outcome lenient = read(p, true);
    checkBadInput(strict.bad(), p, data);
    checkBadInput(lenient.bad(), p, data);
    if (FastaFuzzing.looksCompressed(data)) {
      compressed(data, p, strict, lenient);
      return;
    }
    String what = show(data);

    // Lenient: every record start accounted for, once, in order; junk at most once, first.
    assertNull(lenient.bad(), () -> "lenient reading of a plain file stopped: " + lenient + " for " + what);
    List<Rec> recs = new ArrayList<>(lenient.records());
    boolean junk = !recs.isEmpty() && recs.get(0).skipped() && !FastaFuzzing.recordStarts(data).contains(recs.get(0).offset());
    if (junk) {
      recs.remove(0);
    }
    assertEquals(FastaFuzzing.recordStarts(data), recs.stream().map(Rec::offset).toList(),
        () -> "records read + skipped must be every record start: " + lenient + " for " + what);

    // Strict: the good records (and those with no residues, skipped in both modes) up to the first
    // bad one, then its place.
    int firstBad = -1;
    for (int i = 0; i < lenient.records().size(); i++) {
      if (lenient.records().get(i).skipped() && !FastaRecord.NO_RESIDUES.equals(lenient.records().get(i).problem())) {
        firstBad = i;
        break;
      }
    }
    if (firstBad < 0) {
      assertNull(strict.bad(), () -> "strict failed where lenient skipped nothing: " + strict + " for " + what);
      assertEquals(lenient.records(), strict.records(), what);
      assertEquals(FastaReading.parse(data).stream().map(r -> ">" + r.header() + "|" + r.residues()).toList(),
          strict.records().stream().map(r -> ">" + r.header() + "|" + r.residues()).toList(),
          () -> "not the simple parse: " + what);
    } else {
      Rec bad = lenient.records().get(firstBad);
      assertNotNull(strict.bad(), () -> "strict read a file lenient skipped " + bad + " in: " + what);
      assertEquals(lenient.records().subList(0, firstBad), strict.records(), what);
      assertTrue(strict.bad().place().endsWith(FastaRecord.place(bad.offset(), bad.kind())),
          () -> "strict stopped at " + strict.bad().place() + ", lenient skipped " + bad + " first: " + what);
    }

    // The same bytes gzipped, whole and as two members, read the same.
    int cut = Math.floorMod(Arrays.hashCode(data), data.length + 1);
    byte[][] gzips = {FastaFuzzing.gzip(data),
        FastaFuzzing.gzip(Arrays.copyOfRange(data, 0, cut), Arrays.copyOfRange(data, cut, data.length))};
    for (byte[] gz : gzips) {
      Path g = write("input.fasta.gz", gz);
      for (boolean mode : new boolean[] {false, true}) {
        Outcome plain = mode ? lenient : strict;
        Outcome zipped = read(g, mode);
        assertEquals(plain.records(), zipped.records(), () -> "gzip differs from plain: " + what);
        assertEquals(message(plain.bad(), p), message(zipped.bad(), g), () -> "gzip differs from plain: " + what);
      }
    }

    // Bytes after the last member that are not a whole member (plain FASTA appended to a gzip
    // file, a member cut short) are bad input, never dropped without a word.
    if (data.length > 0) {
      byte[] member = FastaFuzzing.gzip(data);
      byte[][] tails = {data, Arrays.copyOf(member, 1 + Math.floorMod(cut, member.length - 1))};
      for (byte[] tail : tails) {
        Path g = write("input.fasta.gz", FastaFuzzing.concat(member, tail));
        boolean padding = allZero(tail); // a file padded to a block size: read as gzip reads it
        for (boolean mode : new boolean[] {false, true}) {
          Outcome o = read(g, mode);
          if (padding) {
            Outcome unpadded = mode ? lenient : strict;
            assertEquals(unpadded.records(), o.records(), () -> "zero padding changed the records: " + what);
            assertEquals(message(unpadded.bad(), p), message(o.bad(), g), () -> "zero padding changed the records: " + what);
            continue;
          }
          assertNotNull(o.bad(), () -> "a gzip member followed by " + show(tail) + " read without a word: " + o);
          checkBadInput(o.bad(), g, data);
        }
      }
      Path bg = write("input.fasta.bgz", FastaFuzzing.concat(FastaFuzzing.bgzf(data, 64), data));
      for (boolean mode : new boolean[] {false, true}) {
        Outcome o = read(bg, mode);
        assertNotNull(o.bad(), () -> "BGZF followed by plain bytes read without a word: " + o);
        checkBadInput(o.bad(), bg, data);
      }
    }

    // As BGZF in small blocks: the same records, at virtual offsets.
    int block = 1 + Math.floorMod(Arrays.hashCode(data) >>> 8, 64);
    Path b = write("input.fasta.bgz", FastaFuzzing.bgzf(data, block, 2 * block + 1));
    for (boolean mode : new boolean[] {false, true}) {
      Outcome plain = mode ? lenient : strict;
      Outcome bgzf = read(b, mode);
      assertEquals(plain.records().stream().map(Rec::content).toList(),
          bgzf.records().stream().map(Rec::content).toList(), () -> "BGZF differs from plain: " + what);
      assertEquals(plain.bad() == null, bgzf.bad() == null, () -> "BGZF " + bgzf + ", plain " + plain + ": " + what);
      if (plain.bad() != null) {
        assertEquals(plain.bad().record(), bgzf.bad().record(), what);
      }
    }

    // Round trip: the good records written back read back the same.
    List<Rec> good = lenient.records().stream().filter(r -> !r.skipped()).toList();
    int width = 1 + Math.floorMod(Arrays.hashCode(data) >>> 16, 80);
    Outcome again = read(write("again.fasta", FastaFuzzing.writeFasta(good, width)), false);
    assertNull(again.bad(), () -> "written back, read back with " + again + ": " + what);
    assertEquals(good.stream().map(Rec::content).toList(), again.records().stream().map(Rec::content).toList(),
        () -> "round trip at width " + width + ": " + what);
  }

  /**
   * Arbitrary bytes after a gzip magic, against the JDK's GZIPInputStream: what the reader reads,
   * the JDK decompresses too, to bytes that read plain give the same records; what the JDK cannot
   * decompress, the reader does not read either. (The reader may refuse more: bytes after the
   * last member, which the JDK drops.)
   */
  static void compressed(byte[] data, Path p, Outcome strict, Outcome lenient) throws Exception {
    if (FastaInputFormat.compressionOf(p.getFileSystem(FastaFuzzing.conf()), p) != FastaInputFormat.Compression.GZIP) {
      return; // BGZF: htsjdk's reading, checked for its exceptions above
    }
    byte[] plain;
    try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
      plain = in.readAllBytes();
    } catch (java.io.IOException e) {
      assertNotNull(strict.bad(), () -> "read what the JDK cannot decompress (" + e + "): " + strict + " for " + show(data));
      return;
    }
    Path q = write("decompressed.fasta", plain);
    for (boolean mode : new boolean[] {false, true}) {
      Outcome mine = mode ? lenient : strict;
      if (mine.bad() == null) {
        assertEquals(read(q, mode).records(), mine.records(), () -> "not the JDK's bytes: " + show(data));
      }
    }
  }

  /** Bad input names the file and the place, and the record when it has an id. */
  static void checkBadInput(BadInputException e, Path p, byte[] data) {
    if (e == null) {
      return;
    }
    String m = e.getMessage();
    assertEquals(p.toString(), e.file(), m);
    assertTrue(m.startsWith(p.toString() + ", "), () -> "the message must start with the file: " + m);
    assertNotNull(e.place(), () -> "no place: " + m + " for " + show(data));
    assertTrue(PLACE.matcher(e.place()).matches(), () -> "not a place: " + e.place() + " in " + m);
    if (e.record() != null) {
      assertTrue(!e.record().isEmpty() && m.contains("record '" + e.record() + "'"), m);
    }
  }

  /** The message without its file, to compare the same fault in two files. */
  private static boolean allZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  static String message(BadInputException e, Path p) {
    return e == null ? null : e.getMessage().substring(p.toString().length());
  }
}
