package org.taxoshard.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taxoshard.formats.BadInputException;

/**
 * The shard index written and read back, by stream and by mapping; cut sequences; and every
 * damage a reader must refuse: any flipped bit, a truncation, a newer format.
 */
class ShardIndexTest {
  static final String NAME = "shard-00007.tsx";

  record Seq(String id, byte[] codes) {}

  /** An entry copied out of the reader's reused one. */
  record Got(String id, byte[] codes, long start, int whole) {}

  record Written(byte[] bytes, ShardIndexWriter writer) {}

  static Seq seq(Random r, String id, int length) {
    byte[] codes = new byte[length];
    for (int i = 0; i < length; i++) {
      codes[i] = (byte) r.nextInt(27);
    }
    return new Seq(id, codes);
  }

  static ShardIndex.Header header(List<Seq> seqs, long fragmentLength, long overlap) {
    long residues = seqs.stream().mapToLong(s -> s.codes().length).sum();
    return new ShardIndex.Header(ShardIndex.FORMAT_VERSION, false, 7, seqs.size(), residues, 1_000_003L,
        987_654_321_012L, fragmentLength, overlap, "11011-10111");
  }

  static Written write(ShardIndex.Header h, List<Seq> seqs) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ShardIndexWriter w = new ShardIndexWriter(out, h);
    for (Seq s : seqs) {
      // Codes at an offset in a larger array, as a caller's reused buffer holds them.
      byte[] buf = new byte[s.codes().length + 5];
      System.arraycopy(s.codes(), 0, buf, 3, s.codes().length);
      w.add(s.id(), buf, 3, s.codes().length);
    }
    w.close();
    return new Written(out.toByteArray(), w);
  }

  static Got copy(ShardIndex.Entry e) {
    return new Got(e.id, Arrays.copyOf(e.codes, e.length), e.fragmentStart, e.wholeLength);
  }

  /** Reads the whole file, trailer included; returns the reader for its header and trailer. */
  static ShardIndexReader readAll(byte[] file, List<Got> into) throws IOException {
    try (ShardIndexReader r = new ShardIndexReader(new ByteArrayInputStream(file), NAME)) {
      ShardIndex.Entry e = new ShardIndex.Entry();
      while (r.next(e)) {
        into.add(copy(e));
      }
      assertFalse(r.next(e), "next stays false after the end");
      return r;
    }
  }

  static List<Seq> someSequences() {
    Random r = new Random(42);
    return List.of(seq(r, "sp|Q9Z0X7|RNH_FICCO", 155), seq(r, "empty", 0), seq(r, "x", 1),
        seq(r, "Ölbaum_αβγ_日本_🧬", 37), seq(r, "long", 3000), seq(r, "", 12));
  }

  @Test
  void roundTripKeepsIdsCodesHeaderAndTrailer() throws Exception {
    List<Seq> seqs = someSequences();
    ShardIndex.Header h = header(seqs, 0, 0);
    Written w = write(h, seqs);
    List<Got> got = new ArrayList<>();
    ShardIndexReader r = readAll(w.bytes(), got);

    assertEquals(h, r.header());
    assertEquals(seqs.size(), got.size(), "fragment length 0: one entry a sequence");
    for (int i = 0; i < seqs.size(); i++) {
      Seq s = seqs.get(i);
      assertEquals(s.id(), got.get(i).id());
      assertArrayEquals(s.codes(), got.get(i).codes(), s.id());
      assertEquals(0, got.get(i).start());
      assertEquals(s.codes().length, got.get(i).whole());
    }
    ShardIndex.Trailer t = r.trailer();
    assertEquals(w.writer().entries(), t.entries());
    assertEquals(w.writer().checksum(), t.checksum());
    assertEquals(3000, t.longestEntry());
    // The table sits just before the trailer, 8 bytes an entry.
    assertEquals(w.bytes().length - ShardIndex.TRAILER_BYTES - 8 * seqs.size(), t.tableOffset());
    assertEquals(w.bytes().length, w.writer().bytes());
    assertEquals(h.sequences(), w.writer().sequences());
    assertEquals(h.residues(), w.writer().residues());
  }

  @Test
  void longSequencesAreCutIntoOverlappingFragments() throws Exception {
    Random r = new Random(7);
    List<Seq> seqs = List.of(seq(r, "cut", 250), seq(r, "exact", 100), seq(r, "one-over", 101));
    ShardIndex.Header h = header(seqs, 100, 30);
    List<Got> got = new ArrayList<>();
    assertEquals(h, readAll(write(h, seqs).bytes(), got).header());

    // 250 = [0,100) [70,170) [140,240) [210,250); 100 = one piece; 101 = [0,100) [70,101).
    assertEquals(List.of(0L, 70L, 140L, 210L, 0L, 0L, 70L), got.stream().map(Got::start).toList());
    assertEquals(List.of(100, 100, 100, 40, 100, 100, 31), got.stream().map(g -> g.codes().length).toList());
    for (Seq s : seqs) {
      List<Got> pieces = got.stream().filter(g -> g.id().equals(s.id())).toList();
      long[] starts = ShardIndex.fragmentStarts(s.codes().length, 100, 30);
      assertEquals(starts.length, pieces.size(), s.id());
      boolean[] covered = new boolean[s.codes().length];
      for (int i = 0; i < pieces.size(); i++) {
        Got g = pieces.get(i);
        int from = (int) g.start();
        assertEquals(starts[i], from);
        assertEquals(s.codes().length, g.whole());
        assertArrayEquals(Arrays.copyOfRange(s.codes(), from, from + g.codes().length), g.codes(),
            s.id() + " fragment " + i);
        Arrays.fill(covered, from, from + g.codes().length, true);
      }
      for (int i = 0; i < covered.length; i++) {
        assertTrue(covered[i], s.id() + " residue " + i + " in no fragment");
      }
    }
  }

  @Test
  void fragmentStartsReachTheEndAndOverlapByExactlyTheOverlap() {
    assertArrayEquals(new long[] {0, 70, 140, 210}, ShardIndex.fragmentStarts(250, 100, 30));
    assertArrayEquals(new long[] {0, 70, 140}, ShardIndex.fragmentStarts(240, 100, 30), "last ends at 240 exactly");
    assertArrayEquals(new long[] {0}, ShardIndex.fragmentStarts(100, 100, 30));
    assertArrayEquals(new long[] {0, 70}, ShardIndex.fragmentStarts(101, 100, 30));
    assertArrayEquals(new long[] {0}, ShardIndex.fragmentStarts(1_000_000, 0, 0), "0: never cut");
    assertArrayEquals(new long[] {0}, ShardIndex.fragmentStarts(0, 100, 30));
    assertArrayEquals(new long[] {0, 100, 200}, ShardIndex.fragmentStarts(300, 100, 0));
    long[][] shapes = {{100, 30}, {100, 0}, {100, 99}, {7, 3}, {1, 0}};
    for (long[] shape : shapes) {
      long fl = shape[0];
      long overlap = shape[1];
      for (long length = 1; length <= 600; length++) {
        long[] s = ShardIndex.fragmentStarts(length, fl, overlap);
        String what = "length " + length + ", fragments " + fl + " overlapping " + overlap;
        int n = s.length;
        assertEquals(0, s[0], what);
        assertTrue(s[n - 1] < length && s[n - 1] + fl >= length, what + ": the last fragment reaches the end");
        for (int i = 0; i + 1 < n; i++) {
          assertEquals(overlap, s[i] + fl - s[i + 1], what + ": overlap of fragments " + i + " and " + (i + 1));
        }
        // No fragment is redundant: the one before the last stops short of the end.
        assertTrue(n == 1 || s[n - 2] + fl < length, what);
      }
    }
  }

  @Test
  void closeRefusesFiguresOtherThanTheHeaders() throws Exception {
    Random r = new Random(3);
    List<Seq> two = List.of(seq(r, "a", 10), seq(r, "b", 20));
    ShardIndex.Header saysThree = new ShardIndex.Header(ShardIndex.FORMAT_VERSION, false, 7, 3, 30, 3, 30, 0, 0, "111");
    IOException e = assertThrows(IOException.class, () -> write(saysThree, two));
    assertTrue(e.getMessage().contains("2 sequences"), e.getMessage());
    // Right count, wrong residues: as bad.
    ShardIndex.Header saysMore = new ShardIndex.Header(ShardIndex.FORMAT_VERSION, false, 7, 2, 31, 3, 30, 0, 0, "111");
    assertThrows(IOException.class, () -> write(saysMore, two));
  }

  @Test
  void everyFlippedBitIsDetected() throws Exception {
    Random r = new Random(11);
    List<Seq> seqs = List.of(seq(r, "s1", 5), seq(r, "ü2", 9), seq(r, "s3", 1));
    byte[] good = write(header(seqs, 0, 0), seqs).bytes();
    readAll(good, new ArrayList<>());
    // Every bit of every byte: header, entries, end tag, table and trailer.
    int trailer = good.length - ShardIndex.TRAILER_BYTES;
    List<String> undetected = new ArrayList<>();
    for (int at = 0; at < good.length; at++) {
      int missed = 0;
      for (int bit = 0; bit < 8; bit++) {
        byte[] bad = good.clone();
        bad[at] ^= (byte) (1 << bit);
        try {
          readAll(bad, new ArrayList<>());
          missed++;
        } catch (BadInputException expected) {
          // refused, as it must be
        }
      }
      if (missed > 0) {
        undetected.add((at < trailer ? "byte " + at : "trailer byte " + (at - trailer)) + " (" + missed + " of 8 bits)");
      }
    }
    assertEquals(List.of(), undetected, "flipped bits read as a good index of " + good.length + " bytes");
  }

  @Test
  void truncatedIndexNamesFileAndByte() throws Exception {
    Random r = new Random(5);
    List<Seq> seqs = List.of(seq(r, "s1", 50), seq(r, "s2", 60));
    byte[] good = write(header(seqs, 0, 0), seqs).bytes();
    int trailer = good.length - ShardIndex.TRAILER_BYTES;
    int[] cuts = {0, 1, 8, 12, 40, 60, 100, 150, trailer - 17, trailer - 8, trailer, trailer + 8, good.length - 1};
    for (int cut : cuts) {
      byte[] part = Arrays.copyOf(good, cut);
      BadInputException e = assertThrows(BadInputException.class, () -> readAll(part, new ArrayList<>()),
          "cut at " + cut);
      assertTrue(e.getMessage().contains(NAME) && e.getMessage().contains("byte"), e.getMessage());
    }
  }

  @Test
  void newerFormatVersionIsRefusedByName() throws Exception {
    Random r = new Random(9);
    List<Seq> seqs = List.of(seq(r, "s1", 10));
    byte[] b = write(header(seqs, 0, 0), seqs).bytes();
    int v = ShardIndex.FORMAT_VERSION + 1;
    b[8] = (byte) (v >>> 24);
    b[9] = (byte) (v >>> 16);
    b[10] = (byte) (v >>> 8);
    b[11] = (byte) v;
    BadInputException e = assertThrows(BadInputException.class, () -> readAll(b, new ArrayList<>()));
    assertTrue(e.getMessage().contains("version " + v), e.getMessage());
  }

  @Test
  void mappedIndexGivesWhatTheStreamGives(@TempDir Path dir) throws Exception {
    Random r = new Random(13);
    List<Seq> seqs = List.of(seq(r, "a", 250), seq(r, "bé", 0), seq(r, "c", 1), seq(r, "d", 2000), seq(r, "e", 99));
    ShardIndex.Header h = header(seqs, 100, 30);
    Path file = dir.resolve(NAME);
    Files.write(file, write(h, seqs).bytes());
    // What the stream gives (roundTrip and the fragments test check it), built from the input.
    List<Got> want = new ArrayList<>();
    for (Seq s : seqs) {
      for (long start : ShardIndex.fragmentStarts(s.codes().length, 100, 30)) {
        int to = (int) Math.min(s.codes().length, start + 100);
        want.add(new Got(s.id(), Arrays.copyOfRange(s.codes(), (int) start, to), start, s.codes().length));
      }
    }

    try (MappedShardIndex m = new MappedShardIndex(file)) {
      assertEquals(h, m.header());
      assertEquals(want.size(), m.entries());
      // Backwards, with one reused entry, as random access would use it.
      ShardIndex.Entry e = new ShardIndex.Entry();
      for (int i = want.size() - 1; i >= 0; i--) {
        m.entry(i, e);
        Got g = copy(e);
        assertEquals(want.get(i).id(), g.id(), "entry " + i);
        assertArrayEquals(want.get(i).codes(), g.codes(), "entry " + i);
        assertEquals(want.get(i).start(), g.start(), "entry " + i);
        assertEquals(want.get(i).whole(), g.whole(), "entry " + i);
      }
      assertThrows(IndexOutOfBoundsException.class, () -> m.entry(want.size(), e));
    }
  }
}
