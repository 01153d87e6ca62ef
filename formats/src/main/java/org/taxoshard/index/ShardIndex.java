package org.taxoshard.index;

/**
 * A shard's index: its sequences coded for the search kernel, with the figures the search needs,
 * in one file ({@code shard-NNNNN.tsx}). Written once by an index reducer, then read many times,
 * by a stream (a search task reads it front to back) or by memory mapping (random access to any
 * entry through the entry table).
 *
 * <p>Layout, all integers big-endian:
 * <pre>
 * header   magic "TXSINDEX" (8 bytes), format version (int), header length H (int),
 *          alphabet (byte: 0 protein, 1 nucleotide), residue coding (byte: 1), 2 bytes zero,
 *          shard (int), the shard's sequences and residues (2 longs), the whole database's
 *          sequences N and residues n (2 longs), fragment length and overlap (2 longs; 0 when
 *          sequences are never cut), seed scheme (Java modified UTF-8 with a 2-byte length),
 *          CRC32C of the header's first H - 4 bytes (int)
 * entries  per entry: tag 1 (byte), id length (unsigned short) and id (UTF-8), the entry's
 *          residues L (int), its 0-based start in the whole sequence (long), the whole
 *          sequence's length (int), then L residue codes (bytes)
 *          after the last entry: tag 0 (byte)
 * table    per entry, its byte offset from the start of the file (long)
 * trailer  entries (long), offset of the table (long), longest entry (int), CRC32C of every
 *          byte before the trailer (int), magic "TXSEND01" (8 bytes): 32 bytes
 * </pre>
 *
 * <p>Residue coding 1 is the kernel's: A-Z as 0-25, '*' as 26, anything else as X (23). An
 * entry is a whole sequence, or, for a sequence longer than the fragment length, one of the
 * overlapping fragments it is cut into: fragment i starts at {@code i * (length - overlap)}.
 */
public final class ShardIndex {
  public static final byte[] MAGIC = {'T', 'X', 'S', 'I', 'N', 'D', 'E', 'X'};
  public static final byte[] END_MAGIC = {'T', 'X', 'S', 'E', 'N', 'D', '0', '1'};
  /** The newest layout this build writes and reads. */
  public static final int FORMAT_VERSION = 1;
  public static final byte RESIDUE_CODING = 1;
  public static final int TRAILER_BYTES = 32;
  /** File name suffix of a shard's index. */
  public static final String SUFFIX = ".tsx";

  private ShardIndex() {}

  /** The figures at the head of an index. */
  public record Header(int formatVersion, boolean nucleotide, int shard, long sequences, long residues,
      long databaseSequences, long databaseResidues, long fragmentLength, long fragmentOverlap, String seedScheme) {}

  /** What the trailer records, checked by every reader. */
  public record Trailer(long entries, long tableOffset, int longestEntry, int checksum) {}

  /**
   * One entry: a sequence or a fragment of one. Reused by readers; copy what you keep.
   * {@code codes[0, length)} holds the residues.
   */
  public static final class Entry {
    public String id;
    public byte[] codes = new byte[1024];
    public int length;
    /** 0-based offset of codes[0] in the whole sequence. */
    public long fragmentStart;
    /** The whole sequence's length (= length when it is not cut). */
    public int wholeLength;

    public boolean isFragment() {
      return length != wholeLength;
    }
  }

  /**
   * Where a sequence of {@code length} residues is cut: the 0-based starts of its fragments, each
   * {@code fragmentLength} long but the last, consecutive ones overlapping by {@code overlap}.
   * A sequence no longer than {@code fragmentLength} (or any, when it is 0) is one piece at 0.
   */
  public static long[] fragmentStarts(long length, long fragmentLength, long overlap) {
    if (fragmentLength <= 0 || length <= fragmentLength) {
      return new long[] {0};
    }
    long step = fragmentLength - overlap;
    long n = 1 + (length - fragmentLength + step - 1) / step;
    long[] starts = new long[(int) n];
    for (int i = 0; i < n; i++) {
      starts[i] = i * step;
    }
    return starts;
  }
}
