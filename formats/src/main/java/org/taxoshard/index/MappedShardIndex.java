package org.taxoshard.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.taxoshard.formats.BadInputException;

/**
 * A shard's index on local disk, memory-mapped for random access to any entry through the entry
 * table ({@link ShardIndex} gives the layout). The file is mapped in windows of 1 GiB, each
 * extended by the longest entry so that an entry starting in a window lies wholly inside it. The
 * checksum is not verified here (that needs every byte); {@link ShardIndexReader} verifies it.
 */
public final class MappedShardIndex implements Closeable {
  private static final long WINDOW = 1L << 30;

  private final String name;
  private final FileChannel channel;
  private final ShardIndex.Header header;
  private final ShardIndex.Trailer trailer;
  private final MappedByteBuffer[] windows;
  private final long tableOffset;

  public MappedShardIndex(Path file) throws IOException {
    this.name = file.toString();
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    long size = channel.size();
    if (size < ShardIndex.TRAILER_BYTES + 78) {
      channel.close();
      throw new BadInputException(name + ": " + size + " bytes is too short for a shard index");
    }
    ByteBuffer t = ByteBuffer.allocate(ShardIndex.TRAILER_BYTES);
    channel.read(t, size - ShardIndex.TRAILER_BYTES);
    t.flip();
    long entries = t.getLong();
    tableOffset = t.getLong();
    int longest = t.getInt();
    int checksum = t.getInt();
    byte[] magic = new byte[8];
    t.get(magic);
    if (!Arrays.equals(magic, ShardIndex.END_MAGIC) || tableOffset + 8 * entries != size - ShardIndex.TRAILER_BYTES) {
      channel.close();
      throw new BadInputException(name + " at byte " + (size - ShardIndex.TRAILER_BYTES)
          + ": no valid trailer: the index is damaged or truncated");
    }
    this.trailer = new ShardIndex.Trailer(entries, tableOffset, longest, checksum);
    // The streaming reader checks the magic, version and header checksum; only its header is used.
    // Its stream is left open: closing it would close the channel the windows are mapped from.
    this.header = new ShardIndexReader(java.nio.channels.Channels.newInputStream(channel.position(0)), name).header();
    int count = (int) ((size + WINDOW - 1) / WINDOW);
    windows = new MappedByteBuffer[count];
    for (int w = 0; w < count; w++) {
      long from = w * WINDOW;
      long length = Math.min(size - from, WINDOW + longest + (1 << 17));
      windows[w] = channel.map(FileChannel.MapMode.READ_ONLY, from, length);
    }
  }

  public ShardIndex.Header header() {
    return header;
  }

  public long entries() {
    return trailer.entries();
  }

  /** Reads entry i (0-based, in file order) into {@code e}. */
  public void entry(long i, ShardIndex.Entry e) throws BadInputException {
    if (i < 0 || i >= trailer.entries()) {
      throw new IndexOutOfBoundsException("entry " + i + " of " + trailer.entries());
    }
    long offset = slice(tableOffset + 8 * i).getLong();
    ByteBuffer b = slice(offset);
    if (b.get() != 1) {
      throw new BadInputException(name + " at byte " + offset + ": entry " + i + " has no entry tag: the index is damaged");
    }
    byte[] id = new byte[b.getShort() & 0xFFFF];
    b.get(id);
    e.id = new String(id, StandardCharsets.UTF_8);
    e.length = b.getInt();
    e.fragmentStart = b.getLong();
    e.wholeLength = b.getInt();
    if (e.codes.length < e.length) {
      e.codes = new byte[e.length];
    }
    b.get(e.codes, 0, e.length);
  }

  /** A buffer positioned at an absolute file offset, inside the window where it starts. */
  private ByteBuffer slice(long offset) {
    ByteBuffer b = windows[(int) (offset / WINDOW)].duplicate();
    b.position((int) (offset % WINDOW));
    return b;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
