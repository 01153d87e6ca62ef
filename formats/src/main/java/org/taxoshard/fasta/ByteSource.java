package org.taxoshard.fasta;

import htsjdk.samtools.seekablestream.SeekableStream;
import htsjdk.samtools.util.BlockCompressedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
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

  /** A whole gzip file, concatenated members included. */
  static final class Gzip extends Linear {
    private final CountingStream raw;
    private final GZIPInputStream in;
    private final long length;

    Gzip(String file, FSDataInputStream in, long length) throws IOException {
      super(file);
      this.length = length;
      this.raw = new CountingStream(in, length);
      try {
        this.in = new GZIPInputStream(raw, 1 << 16);
      } catch (ZipException | EOFException e) {
        throw new BadInputException(file, "byte 0", null, "not a readable gzip file: " + e.getMessage(), e);
      }
    }

    @Override
    int fill(byte[] buf) throws IOException {
      chunkStart = pos;
      int n;
      try {
        n = in.read(buf, 0, buf.length);
      } catch (EOFException | ZipException e) {
        throw new BadInputException(file, "after " + pos + " uncompressed bytes (compressed byte " + raw.count + ")",
            null, "the gzip data is truncated or corrupt: " + e.getMessage(), e);
      }
      if (n > 0) {
        pos += n;
      }
      return n;
    }

    @Override
    float progress() {
      return length <= 0 ? 1f : Math.min(1f, raw.count / (float) length);
    }

    @Override
    public void close() throws IOException {
      in.close();
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

  /**
   * Counts the compressed bytes consumed, and answers available() from the file's length:
   * GZIPInputStream looks for a further member only when available() is positive, and a stream
   * that answers 0 at a member boundary would silently end the file there.
   */
  static final class CountingStream extends InputStream {
    private final InputStream in;
    private final long length;
    long count;

    CountingStream(InputStream in, long length) {
      this.in = in;
      this.length = length;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, Math.max(0, length - count));
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
