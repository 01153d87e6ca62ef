package org.taxoshard.index;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.taxoshard.formats.BadInputException;

/**
 * Reads a shard's index front to back ({@link ShardIndex} gives the layout): the header on
 * opening, then one entry per {@link #next}, and at the end the trailer, whose entry count and
 * checksum must agree with what was read. A damaged, truncated or newer index is a
 * {@link BadInputException} naming the file and the byte offset.
 */
public final class ShardIndexReader implements Closeable {
  private final String name;
  private final CRC32C crc = new CRC32C();
  private final DataInputStream in;
  private final ShardIndex.Header header;
  private long position;
  private long entries;
  private boolean done;
  private ShardIndex.Trailer trailer;
  private byte[] idBytes = new byte[256];
  private int longest;

  /**
   * Opens an index and reads its header.
   *
   * @param name the file's name, for messages
   */
  public ShardIndexReader(InputStream source, String name) throws IOException {
    this.name = name;
    // The counter sits above the buffer, so the checksum and offsets cover what was consumed, not read ahead.
    InputStream buffered = new BufferedInputStream(source, 1 << 16);
    InputStream counting = new InputStream() {
      @Override
      public int read() throws IOException {
        int b = buffered.read();
        if (b >= 0) {
          crc.update(b);
          position++;
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = buffered.read(b, off, len);
        if (n > 0) {
          crc.update(b, off, n);
          position += n;
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        buffered.close();
      }
    };
    this.in = new DataInputStream(counting);
    this.header = readHeader();
  }

  private ShardIndex.Header readHeader() throws IOException {
    try {
      byte[] magic = new byte[8];
      in.readFully(magic);
      if (!Arrays.equals(magic, ShardIndex.MAGIC)) {
        throw bad(0, "not a Taxoshard shard index (no TXSINDEX magic)");
      }
      int version = in.readInt();
      if (version > ShardIndex.FORMAT_VERSION || version < 1) {
        throw bad(8, "index format version " + version + "; this build reads up to " + ShardIndex.FORMAT_VERSION
            + ": rebuild the index with this build's taxoshard index, or use the build that made it");
      }
      int length = in.readInt();
      if (length < 78 || length > 1 << 20) {
        throw bad(12, "header length " + length + " is impossible");
      }
      byte[] rest = new byte[length - 16];
      in.readFully(rest);
      byte[] all = new byte[length];
      System.arraycopy(ShardIndex.MAGIC, 0, all, 0, 8);
      all[8] = (byte) (version >>> 24);
      all[9] = (byte) (version >>> 16);
      all[10] = (byte) (version >>> 8);
      all[11] = (byte) version;
      all[12] = (byte) (length >>> 24);
      all[13] = (byte) (length >>> 16);
      all[14] = (byte) (length >>> 8);
      all[15] = (byte) length;
      System.arraycopy(rest, 0, all, 16, rest.length);
      CRC32C c = new CRC32C();
      c.update(all, 0, length - 4);
      int stored = ((all[length - 4] & 0xFF) << 24) | ((all[length - 3] & 0xFF) << 16) | ((all[length - 2] & 0xFF) << 8)
          | (all[length - 1] & 0xFF);
      if ((int) c.getValue() != stored) {
        throw bad(length - 4, "header checksum does not match: the index is damaged; rebuild it with taxoshard index");
      }
      DataInputStream h = new DataInputStream(new java.io.ByteArrayInputStream(all, 16, length - 20));
      boolean nucleotide = h.readByte() == 1;
      byte coding = h.readByte();
      if (coding != ShardIndex.RESIDUE_CODING) {
        throw bad(17, "residue coding " + coding + " is unknown to this build");
      }
      h.readShort();
      return new ShardIndex.Header(version, nucleotide, h.readInt(), h.readLong(), h.readLong(), h.readLong(),
          h.readLong(), h.readLong(), h.readLong(), h.readUTF());
    } catch (EOFException e) {
      throw bad(position, "truncated in the header");
    }
  }

  public ShardIndex.Header header() {
    return header;
  }

  /**
   * Reads the next entry into {@code e} (its buffer grows as needed).
   *
   * @return false after the last entry, once the trailer has been read and checked
   */
  public boolean next(ShardIndex.Entry e) throws IOException {
    if (done) {
      return false;
    }
    long at = position;
    try {
      int tag = in.readUnsignedByte();
      if (tag == 0) {
        finish();
        return false;
      }
      if (tag != 1) {
        throw bad(at, "entry " + entries + ": tag " + tag + " where 1 or 0 belongs: the index is damaged");
      }
      int idLength = in.readUnsignedShort();
      if (idBytes.length < idLength) {
        idBytes = new byte[Math.max(idLength, idBytes.length * 2)];
      }
      in.readFully(idBytes, 0, idLength);
      e.id = new String(idBytes, 0, idLength, StandardCharsets.UTF_8);
      int length = in.readInt();
      long start = in.readLong();
      int whole = in.readInt();
      if (length < 0 || start < 0 || whole < length || start + length > whole) {
        throw bad(at, "entry " + entries + " '" + e.id + "': impossible lengths " + length + " at " + start + " of "
            + whole + ": the index is damaged");
      }
      if (e.codes.length < length) {
        e.codes = new byte[Math.max(length, e.codes.length + e.codes.length / 2)];
      }
      in.readFully(e.codes, 0, length);
      e.length = length;
      e.fragmentStart = start;
      e.wholeLength = whole;
      longest = Math.max(longest, length);
      entries++;
      return true;
    } catch (EOFException x) {
      throw bad(position, "truncated after " + entries + " entries: the index was not written to the end");
    }
  }

  private void finish() throws IOException {
    long tableAt = position;
    for (long i = 0; i < entries; i++) {
      in.readLong();
    }
    int computed = (int) crc.getValue();
    long at = position;
    long count = in.readLong();
    long tableOffset = in.readLong();
    int storedLongest = in.readInt();
    int stored = in.readInt();
    byte[] magic = new byte[8];
    in.readFully(magic);
    if (!Arrays.equals(magic, ShardIndex.END_MAGIC)) {
      throw bad(at, "no trailer where it belongs: the index is damaged or truncated");
    }
    if (count != entries) {
      throw bad(at, "the trailer counts " + count + " entries, the file holds " + entries);
    }
    // The trailer's own figures are outside the checksum: each must agree with what was read.
    if (tableOffset != tableAt || storedLongest != longest) {
      throw bad(at, "the trailer's table offset or longest entry disagrees with the file: the index is damaged");
    }
    if (stored != computed) {
      throw bad(at, "checksum does not match (stored " + Integer.toHexString(stored) + ", computed "
          + Integer.toHexString(computed) + "): the index is damaged; rebuild it with taxoshard index");
    }
    if (in.read() >= 0) {
      throw bad(at + ShardIndex.TRAILER_BYTES, "bytes after the trailer");
    }
    trailer = new ShardIndex.Trailer(count, tableOffset, longest, stored);
    done = true;
  }

  /** The trailer, once {@link #next} has returned false. */
  public ShardIndex.Trailer trailer() {
    return trailer;
  }

  private BadInputException bad(long offset, String message) {
    return new BadInputException(name + " at byte " + offset + ": " + message);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
