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
    private final BlockCompressedInputStream in;
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
      this.in = new BlockCompressedInputStream(new Seekable(raw, length, file));
      if (first < 0 || first >= end || first >= length) {
        empty = true;
      } else {
        in.seek(first << 16);
        block = first;
      }
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
        while ((avail = in.available()) <= 0) {
          long next = in.getFilePointer() >>> 16;
          if (next >= length || next == previous) {
            return -1;
          }
          previous = next;
        }
        long vo = in.getFilePointer();
        block = vo >>> 16;
        inBlock = (int) (vo & 0xFFFF);
        return in.read(buf, 0, Math.min(avail, buf.length));
      } catch (RuntimeException | IOException e) {
        if (e instanceof BadInputException) {
          throw (BadInputException) e;
        }
        throw new BadInputException(file, "BGZF block " + block, null,
            "the BGZF data is truncated or corrupt: " + e.getMessage(), e);
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

  /** htsjdk's view of a Hadoop stream. */
  static final class Seekable extends SeekableStream {
    private final FSDataInputStream in;
    private final long length;
    private final String source;

    Seekable(FSDataInputStream in, long length, String source) {
      this.in = in;
      this.length = length;
      this.source = source;
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    public long position() throws IOException {
      return in.getPos();
    }

    @Override
    public void seek(long position) throws IOException {
      in.seek(position);
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      return in.read(buffer, offset, length);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }

    @Override
    public boolean eof() throws IOException {
      return in.getPos() >= length;
    }

    @Override
    public String getSource() {
      return source;
    }
  }
}
