package org.taxoshard.index;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.taxoshard.formats.Checksums;

/**
 * Writes a shard's index ({@link ShardIndex} gives the layout) front to back, so it can go
 * straight to HDFS: memory is one entry table of 8 bytes an entry, never the residues. The header
 * carries the shard's figures as planned; {@link #close} checks the sequences and residues added
 * equal them, so an index that lost a record is never finished.
 */
public final class ShardIndexWriter implements Closeable {
  private final ShardIndex.Header header;
  /** Counts and checksums every byte, so that the trailer can record both. */
  private final Checksums.CountingOutputStream counting;
  private final DataOutputStream out;
  private long[] table = new long[1024];
  private long entries;
  private long sequences;
  private long residues;
  private int longest;
  private boolean closed;

  public ShardIndexWriter(OutputStream sink, ShardIndex.Header header) throws IOException {
    this.header = header;
    counting = new Checksums.CountingOutputStream(sink);
    this.out = new DataOutputStream(new BufferedOutputStream(counting, 1 << 16));
    out.write(headerBytes(header));
  }

  /** The header's bytes, its own CRC32C last. */
  static byte[] headerBytes(ShardIndex.Header h) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(buf);
    d.write(ShardIndex.MAGIC);
    d.writeInt(ShardIndex.FORMAT_VERSION);
    d.writeInt(0); // header length, patched below
    d.writeByte(h.nucleotide() ? 1 : 0);
    d.writeByte(ShardIndex.RESIDUE_CODING);
    d.writeShort(0);
    d.writeInt(h.shard());
    d.writeLong(h.sequences());
    d.writeLong(h.residues());
    d.writeLong(h.databaseSequences());
    d.writeLong(h.databaseResidues());
    d.writeLong(h.fragmentLength());
    d.writeLong(h.fragmentOverlap());
    d.writeUTF(h.seedScheme());
    d.writeInt(0); // CRC, patched below
    byte[] b = buf.toByteArray();
    int length = b.length;
    b[12] = (byte) (length >>> 24);
    b[13] = (byte) (length >>> 16);
    b[14] = (byte) (length >>> 8);
    b[15] = (byte) length;
    int v = (int) Checksums.of(b, 0, length - 4);
    b[length - 4] = (byte) (v >>> 24);
    b[length - 3] = (byte) (v >>> 16);
    b[length - 2] = (byte) (v >>> 8);
    b[length - 1] = (byte) v;
    return b;
  }

  /**
   * Adds one sequence, cut into the header's fragments when it is longer than the fragment length.
   *
   * @param codes residue codes (coding {@link ShardIndex#RESIDUE_CODING}) at [from, from + length)
   */
  public void add(String id, byte[] codes, int from, int length) throws IOException {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    if (idBytes.length > 0xFFFF) {
      throw new IllegalArgumentException("sequence id longer than 65535 bytes: " + id.substring(0, 60) + "...");
    }
    long[] starts = ShardIndex.fragmentStarts(length, header.fragmentLength(), header.fragmentOverlap());
    for (long start : starts) {
      int n = (int) Math.min(length - start, starts.length == 1 ? length : header.fragmentLength());
      if (entries == table.length) {
        table = java.util.Arrays.copyOf(table, table.length * 2);
      }
      out.flush();
      table[(int) entries++] = counting.sum().bytes();
      out.writeByte(1);
      out.writeShort(idBytes.length);
      out.write(idBytes);
      out.writeInt(n);
      out.writeLong(start);
      out.writeInt(length);
      out.write(codes, from + (int) start, n);
      longest = Math.max(longest, n);
    }
    sequences++;
    residues += length;
  }

  public long sequences() {
    return sequences;
  }

  public long residues() {
    return residues;
  }

  public long entries() {
    return entries;
  }

  /** Bytes written so far; after close, the file's length. */
  public long bytes() {
    return counting.sum().bytes();
  }

  /** The CRC32C the trailer records (of every byte before it); valid after close. */
  public int checksum() {
    return checksum;
  }

  private int checksum;

  /** Writes the end marker, the entry table and the trailer, after checking the figures. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (sequences != header.sequences() || residues != header.residues()) {
      out.close();
      throw new IOException("shard " + header.shard() + ": the index got " + sequences + " sequences and " + residues
          + " residues, the shard's manifest says " + header.sequences() + " and " + header.residues());
    }
    out.writeByte(0);
    out.flush();
    long tableOffset = counting.sum().bytes();
    for (int i = 0; i < entries; i++) {
      out.writeLong(table[i]);
    }
    out.flush();
    checksum = (int) counting.sum().crc();
    out.writeLong(entries);
    out.writeLong(tableOffset);
    out.writeInt(longest);
    out.writeInt(checksum);
    out.write(ShardIndex.END_MAGIC);
    out.close();
  }
}
