package org.taxoshard.fasta;

import htsjdk.samtools.seekablestream.SeekableStream;
import htsjdk.samtools.util.BlockCompressedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.hadoop.fs.FSDataInputStream;
import org.seqdoop.hadoop_bam.util.BGZFSplitGuesser;
import org.taxoshard.formats.BadInputException;

/**
 * The uncompressed bytes of one split, in chunks, each byte with two coordinates: its
 * <em>owner position</em>, which decides which split a record belongs to, and its
 * <em>offset</em>, which names it in records and messages.
 *
 * <ul>
 *   <li>plain: both are the 0-based byte offset in the file;
 *   <li>gzip: both are the 0-based offset in the uncompressed stream (one split reads it all);
 *   <li>BGZF: the owner position is the compressed address of the byte's block, the offset its
 *       virtual offset (block address &lt;&lt; 16 | offset in the block).
 * </ul>
 */
abstract class ByteSource implements Closeable {
  protected final String file;

  ByteSource(String file) {
    this.file = file;
  }

  /** Reads the next chunk into {@code buf}; returns its length, or -1 at the end of the data. */
  abstract int fill(byte[] buf) throws IOException;

  /** Owner position of byte {@code i} of the last chunk. */
  abstract long ownerPosition(int i);

  /** Offset of byte {@code i} of the last chunk. */
  abstract long offset(int i);

  abstract FastaRecord.OffsetKind offsetKind();

  /** How far through the split's compressed bytes the source is, in [0, 1]. */
  abstract float progress();

  /** Sources whose bytes are named by their offset in the uncompressed stream, for both purposes. */
  abstract static class Linear extends ByteSource {
    /** Offset of the next byte to read, and of the last chunk's first byte. */
    protected long pos;
    protected long chunkStart;

    Linear(String file) {
      super(file);
    }

    @Override
    long ownerPosition(int i) {
      return chunkStart + i;
    }

    @Override
    long offset(int i) {
      return chunkStart + i;
    }

    @Override
    FastaRecord.OffsetKind offsetKind() {
      return FastaRecord.OffsetKind.BYTE;
    }
  }

  /** A plain file, read from the split start on. */
  static final class Plain extends Linear {
    private final FSDataInputStream in;
    private final long start;
    private final long end;

    Plain(String file, FSDataInputStream in, long start, long end) throws IOException {
      super(file);
      this.in = in;
      this.start = start;
      this.end = end;
      in.seek(start);
      pos = start;
    }

    @Override
    int fill(byte[] buf) throws IOException {
      chunkStart = pos;
      int n = in.read(buf, 0, buf.length);
      if (n > 0) {
        pos += n;
      }
      return n;
    }

    @Override
    float progress() {
      return end <= start ? 1f : Math.min(1f, (pos - start) / (float) (end - start));
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /**
   * A whole gzip file, concatenated members included, read member by member (RFC 1952: header,
   * deflate data, CRC-32 and length), so that every compressed byte is accounted for: bytes after
   * a member that do not make a whole member are bad input. (GZIPInputStream ends the stream
   * without a word when what follows a member is not a gzip header: FASTA appended to a gzip file,
   * or a member cut within its header, was dropped.)
   */
  static final class Gzip extends Linear {
    private final InputStream raw;
    private final long length;
    private final byte[] in = new byte[1 << 16];
    private int inPos;
    private int inLen;
    /** Compressed bytes read from the file, of which in[inPos, inLen) are not yet used. */
    private long rawRead;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final CRC32 headerCrc = new CRC32();
    private boolean inMember;
    private long memberStart;

    Gzip(String file, FSDataInputStream in, long length) throws IOException {
      super(file);
      this.raw = in;
      this.length = length;
    }

    /** Compressed offset of the next byte to use. */
    private long compressedPos() {
      return rawRead - (inLen - inPos);
    }

    private boolean refillIn() throws IOException {
      int n = raw.read(in, 0, in.length);
      inPos = 0;
      inLen = Math.max(0, n);
      if (n > 0) {
        rawRead += n;
      }
      return n > 0;
    }

    private int nextByte(String what) throws IOException {
      if (inPos == inLen && !refillIn()) {
        throw corrupt("the gzip data is truncated in the " + what + " of the member at compressed byte " + memberStart);
      }
      int b = in[inPos++] & 0xFF;
      headerCrc.update(b);
      return b;
    }

    private BadInputException corrupt(String problem) {
      return new BadInputException(file, "after " + pos + " uncompressed bytes (compressed byte " + compressedPos() + ")",
          null, problem);
    }

    private void readHeader() throws IOException {
      memberStart = compressedPos();
      headerCrc.reset();
      int id1 = nextByte("header");
      int id2 = nextByte("header");
      if (id1 != 0x1f || id2 != 0x8b) {
        throw corrupt(memberStart == 0 ? "not a readable gzip file: no gzip magic at byte 0"
            : "the gzip data is truncated or corrupt: " + (length - memberStart)
                + " bytes after the last member are not a gzip member (data appended to a gzip file?)");
      }
      if (nextByte("header") != 8) {
        throw corrupt("the gzip data is truncated or corrupt: the member at compressed byte " + memberStart
            + " is not deflate-compressed");
      }
      int flags = nextByte("header");
      for (int i = 0; i < 6; i++) {
        nextByte("header"); // modification time, extra flags, operating system
      }
      if ((flags & 4) != 0) { // FEXTRA
        int n = nextByte("header") | nextByte("header") << 8;
        for (int i = 0; i < n; i++) {
          nextByte("header");
        }
      }
      for (int bit : new int[] {8, 16}) { // FNAME, FCOMMENT: zero-terminated
        if ((flags & bit) != 0) {
          while (nextByte("header") != 0) {
            // skip
          }
        }
      }
      if ((flags & 2) != 0) { // FHCRC: the low 16 bits of the CRC-32 of the header before it
        int expected = (int) (headerCrc.getValue() & 0xFFFF);
        if ((nextByte("header") | nextByte("header") << 8) != expected) {
          throw corrupt("the gzip data is truncated or corrupt: the header CRC of the member at compressed byte "
              + memberStart + " does not match");
        }
      }
      inflater.reset();
      crc.reset();
      inMember = true;
    }

    /**
     * Reads zero bytes after the last member to the end of the file, as a file padded to a block
     * size ends: gzip reads such a file without a word, and so does this. Any other byte among or
     * after them is bad input, as bytes after a member that are not a member are.
     */
    private void skipZeroPadding() throws IOException {
      long zerosStart = compressedPos();
      while (true) {
        while (inPos < inLen) {
          if (in[inPos] != 0) {
            throw corrupt("the gzip data is truncated or corrupt: " + (length - zerosStart) + " bytes after the last member"
                + " are not a gzip member (data appended to a gzip file?)");
          }
          inPos++;
        }
        if (!refillIn()) {
          return;
        }
      }
    }

    private void readTrailer() throws IOException {
      long sum = 0;
      long size = 0;
      for (int i = 0; i < 4; i++) {
        sum |= (long) nextByte("trailer") << (8 * i);
      }
      for (int i = 0; i < 4; i++) {
        size |= (long) nextByte("trailer") << (8 * i);
      }
      if (sum != crc.getValue() || size != (inflater.getBytesWritten() & 0xFFFFFFFFL)) {
        throw corrupt("the gzip data is truncated or corrupt: the CRC or length of the member at compressed byte "
            + memberStart + " does not match its data");
      }
      inMember = false;
    }

    @Override
    int fill(byte[] buf) throws IOException {
      chunkStart = pos;
      while (true) {
        if (!inMember) {
          if (inPos == inLen && !refillIn()) {
            return -1; // every byte belonged to a whole member
          }
          if (compressedPos() > 0 && in[inPos] == 0) {
            skipZeroPadding();
            return -1;
          }
          readHeader();
        }
        if (inflater.needsInput()) {
          if (inPos == inLen && !refillIn()) {
            throw corrupt("the gzip data is truncated or corrupt: the member at compressed byte " + memberStart
                + " ends before its data does");
          }
          inflater.setInput(in, inPos, inLen - inPos);
        }
        int n;
        int before = inflater.getRemaining();
        try {
          n = inflater.inflate(buf, 0, buf.length);
        } catch (DataFormatException e) {
          throw new BadInputException(file, "after " + pos + " uncompressed bytes (compressed byte " + compressedPos() + ")",
              null, "the gzip data is truncated or corrupt: " + e.getMessage(), e);
        }
        inPos = inLen - inflater.getRemaining();
        if (n > 0) {
          crc.update(buf, 0, n);
          pos += n;
          return n;
        }
        if (inflater.finished()) {
          readTrailer();
        } else if (inflater.needsDictionary()) {
          throw corrupt("the gzip data is truncated or corrupt: a deflate stream with a preset dictionary");
        } else if (!inflater.needsInput() && inflater.getRemaining() == before) {
          throw corrupt("the gzip data is truncated or corrupt: the deflate data makes no progress");
        }
      }
    }

    @Override
    float progress() {
      return length <= 0 ? 1f : Math.min(1f, compressedPos() / (float) length);
    }

    @Override
    public void close() throws IOException {
      inflater.end();
      raw.close();
    }
  }

  /**
   * BGZF from the first block that starts at or after the split start. Hadoop-BAM's split
   * guesser finds that block; htsjdk reads the blocks.
   */
  static final class Bgzf extends ByteSource {
    private static final int BGZF_HEADER = 18;
    private final Seekable seekable;
    private final BlockCompressedInputStream in;
    /** The address of the last block {@link #checkNextBlock} passed. */
    private long checked = -1;
    /** Whether the block htsjdk holds has been read to its end (htsjdk reads the next on demand). */
    private boolean blockUsedUp;
    private final long start;
    private final long end;
    private final long length;
    private long block;
    private int inBlock;
    private boolean empty;

    Bgzf(String file, FSDataInputStream raw, FSDataInputStream probe, long start, long end, long length)
        throws IOException {
      super(file);
      this.start = start;
      this.end = end;
      this.length = length;
      // The guesser verifies a candidate by reading past it, so it searches to the file's end;
      // a block found at or beyond the split end means the split owns no block.
      long first = start == 0 ? 0 : new BGZFSplitGuesser(probe).guessNextBGZFBlockStart(start, length);
      probe.close();
      this.seekable = new Seekable(raw, length, file);
      this.in = new BlockCompressedInputStream(seekable);
      if (first < 0 || first >= end || first >= length) {
        empty = true;
      } else {
        block = first;
        seekable.seek(first);
        checkNextBlock();
        try {
          in.seek(first << 16);
        } catch (RuntimeException e) {
          throw corrupt(e);
        }
      }
    }

    private BadInputException corrupt(Exception e) {
      return new BadInputException(file, "BGZF block " + block, null,
          "the BGZF data is truncated or corrupt: " + e.getMessage(), e);
    }

    /**
     * Checks the block htsjdk reads next (at the stream's position) before it does: htsjdk sizes a
     * block's buffer from the block's last 4 bytes before it looks at the header, so bytes that
     * are not BGZF (FASTA appended to a BGZF file) made it ask for up to 2 GB and die of
     * OutOfMemoryError instead of naming the file. The header must be BGZF's (gzip magic, deflate,
     * the BC subfield), the block within the file, and its uncompressed size at most 65,536.
     */
    private void checkNextBlock() throws IOException {
      long at = seekable.position();
      if (at >= length || at == checked) {
        return;
      }
      int n = seekable.peek(BGZF_HEADER);
      boolean magic = seekable.peeked(0) == 0x1f && (n < 2 || seekable.peeked(1) == 0x8b)
          && (n < 3 || seekable.peeked(2) == 8) && (n < 4 || (seekable.peeked(3) & 4) != 0);
      if (n < BGZF_HEADER && magic) {
        throw new BadInputException(file, "BGZF block " + at, null,
            "the BGZF data is truncated: the file ends inside a block header");
      }
      if (!magic || n < BGZF_HEADER || seekable.peeked(12) != 'B' || seekable.peeked(13) != 'C'
          || (seekable.peeked(14) | seekable.peeked(15) << 8) != 2) {
        throw new BadInputException(file, "BGZF block " + at, null, "the BGZF data is truncated or corrupt: "
            + (length - at) + " bytes from here on are not a BGZF block (data appended to a BGZF file?)");
      }
      int size = (seekable.peeked(16) | seekable.peeked(17) << 8) + 1;
      if (size < BGZF_HEADER + 8 || seekable.peek(size) < size) {
        throw new BadInputException(file, "BGZF block " + at, null,
            "the BGZF data is truncated or corrupt: the block's " + size + " bytes are not all there");
      }
      long uncompressed = seekable.peeked(size - 4) | seekable.peeked(size - 3) << 8 | seekable.peeked(size - 2) << 16
          | (long) seekable.peeked(size - 1) << 24;
      if (uncompressed > 65536) {
        throw new BadInputException(file, "BGZF block " + at, null, "the BGZF data is corrupt: the block claims "
            + uncompressed + " uncompressed bytes, more than BGZF's 65,536");
      }
      checked = at;
    }

    @Override
    int fill(byte[] buf) throws IOException {
      if (empty) {
        return -1;
      }
      try {
        // An empty block (the EOF marker, or one left inside concatenated files) is not the end
        // unless it is the last: step over it.
        int avail;
        long previous = -1;
        while (true) {
          if (blockUsedUp) {
            checkNextBlock(); // htsjdk reads the next block now
          }
          if ((avail = in.available()) > 0) {
            break;
          }
          blockUsedUp = true;
          long next = in.getFilePointer() >>> 16;
          if (next >= length || next == previous) {
            return -1;
          }
          previous = next;
        }
        long vo = in.getFilePointer();
        block = vo >>> 16;
        inBlock = (int) (vo & 0xFFFF);
        int n = in.read(buf, 0, Math.min(avail, buf.length));
        blockUsedUp = n == avail;
        return n;
      } catch (RuntimeException | IOException e) {
        if (e instanceof BadInputException) {
          throw (BadInputException) e;
        }
        throw corrupt(e);
      }
    }

    @Override
    long ownerPosition(int i) {
      return block;
    }

    @Override
    long offset(int i) {
      return (block << 16) | (inBlock + i);
    }

    @Override
    FastaRecord.OffsetKind offsetKind() {
      return FastaRecord.OffsetKind.BGZF_VIRTUAL;
    }

    @Override
    float progress() {
      return end <= start ? 1f : Math.max(0f, Math.min(1f, (block - start) / (float) (end - start)));
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /**
   * htsjdk's view of a Hadoop stream, with a read-ahead buffer large enough for a whole BGZF block,
   * so that {@link Bgzf} can look at the next block before htsjdk reads it, without a second read.
   */
  static final class Seekable extends SeekableStream {
    private final FSDataInputStream in;
    private final long length;
    private final String source;
    private final byte[] buf = new byte[1 << 17];
    /** buf[bufPos, bufLen) holds the file's bytes from position() on; buf[0] is at bufStart. */
    private int bufPos;
    private int bufLen;
    private long bufStart;

    Seekable(FSDataInputStream in, long length, String source) throws IOException {
      this.in = in;
      this.length = length;
      this.source = source;
      this.bufStart = in.getPos();
    }

    /** Reads more into the buffer, keeping the unread bytes; false at the end of the file. */
    private boolean more() throws IOException {
      if (bufPos > 0) {
        System.arraycopy(buf, bufPos, buf, 0, bufLen - bufPos);
        bufStart += bufPos;
        bufLen -= bufPos;
        bufPos = 0;
      }
      int n = in.read(buf, bufLen, buf.length - bufLen);
      if (n > 0) {
        bufLen += n;
      }
      return n > 0;
    }

    /** Buffers up to {@code n} (at most 65,536) bytes from position() on; returns how many there are. */
    int peek(int n) throws IOException {
      while (bufLen - bufPos < n && more()) {
        // read ahead
      }
      return Math.min(n, bufLen - bufPos);
    }

    /** Byte {@code i} after position(), of those {@link #peek} buffered (0-255). */
    int peeked(int i) {
      return buf[bufPos + i] & 0xFF;
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    public long position() {
      return bufStart + bufPos;
    }

    @Override
    public void seek(long position) throws IOException {
      if (position >= bufStart && position <= bufStart + bufLen) {
        bufPos = (int) (position - bufStart);
      } else {
        in.seek(position);
        bufStart = position;
        bufPos = 0;
        bufLen = 0;
      }
    }

    @Override
    public int read() throws IOException {
      if (bufPos == bufLen && !more()) {
        return -1;
      }
      return buf[bufPos++] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (bufPos == bufLen && !more()) {
        return -1;
      }
      int n = Math.min(length, bufLen - bufPos);
      System.arraycopy(buf, bufPos, buffer, offset, n);
      bufPos += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }

    @Override
    public boolean eof() {
      return position() >= length;
    }

    @Override
    public String getSource() {
      return source;
    }
  }
}
