package org.taxoshard.fasta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.taxoshard.fasta.FastaFuzzing.Outcome;
import static org.taxoshard.fasta.FastaFuzzing.Rec;
import static org.taxoshard.fasta.FastaFuzzing.read;
import static org.taxoshard.fasta.FastaFuzzing.show;
import static org.taxoshard.fasta.FastaFuzzing.write;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * The split-boundary rule on arbitrary bytes: read split by split, at split sizes the fuzzer
 * picks, a file gives exactly what it gives read whole (the same records, ids, headers, residues,
 * offsets and problems, or the same bad input), strict and lenient, plain and as BGZF (split on
 * its compressed bytes) in blocks the fuzzer sizes; and lenient, one record, good or skipped, per
 * record start.
 *
 * <p>Input: the FASTA bytes, then, taken from the end (FuzzedDataProvider's integers), one byte for
 * how many split sizes (1-4), two bytes each for the sizes (1-512, cycled through the file; at
 * most 32 splits a file, 16 for BGZF) and one for the BGZF block size (1-256 uncompressed
 * bytes). Each seed in {@code FastaSplitFuzzTestInputs/anySplits/} is a quirk's FASTA followed by
 * four zero bytes: one size, 1 byte (every byte its own split), BGZF blocks of 1 byte.
 */
class FastaSplitFuzzTest {
  /** At most this many splits of a plain file, and of a BGZF file half as many: each costs a reader. */
  private static final int MAX_SPLITS = 32;

  @FuzzTest(maxDuration = "15s")
  void anySplits(FuzzedDataProvider in) throws Exception {
    int[] sizes = new int[in.consumeInt(1, 4)];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = in.consumeInt(1, 512);
    }
    int block = in.consumeInt(1, 256);
    byte[] data = in.consumeRemainingAsBytes();
    if (FastaFuzzing.looksCompressed(data)) {
      return; // a gzip file is one split; BGZF is made below
    }
    String what = show(data) + " split every " + Arrays.toString(sizes) + " bytes, BGZF blocks of " + block;
    Path plain = write("split.fasta", data);
    Path bgzf = write("split.fasta.bgz", FastaFuzzing.bgzf(data, block));
    for (Path p : new Path[] {plain, bgzf}) {
      long[] cuts = cuts(new java.io.File(p.toUri().getPath()).length(), sizes, p == plain ? MAX_SPLITS : MAX_SPLITS / 2);
      for (boolean lenient : new boolean[] {false, true}) {
        Outcome whole = read(p, lenient);
        Outcome split = read(p, lenient, cuts);
        String mode = (lenient ? "lenient " : "strict ") + p.getName();
        assertEquals(whole.toString(), split.toString(), () -> mode + " read whole and at cuts "
            + Arrays.toString(cuts) + " differ: " + what);
        if (lenient && p == plain) {
          List<Rec> recs = new ArrayList<>(split.records());
          if (!recs.isEmpty() && recs.get(0).skipped() && !FastaFuzzing.recordStarts(data).contains(recs.get(0).offset())) {
            recs.remove(0); // data before the first header
          }
          assertEquals(FastaFuzzing.recordStarts(data), recs.stream().map(Rec::offset).toList(),
              () -> "records read + skipped must be every record start: " + split + " for " + what);
        }
      }
    }
  }

  /** Cuts through a file of {@code length} bytes at the sizes, cycled, into at most {@code most} splits. */
  static long[] cuts(long length, int[] sizes, int most) {
    long least = (length + most - 1) / most;
    List<Long> out = new ArrayList<>();
    long at = 0;
    for (int k = 0; ; k++) {
      at += Math.max(least, sizes[k % sizes.length]);
      if (at >= length) {
        break;
      }
      out.add(at);
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }
}
