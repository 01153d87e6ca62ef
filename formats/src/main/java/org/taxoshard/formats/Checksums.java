package org.taxoshard.formats;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * CRC32C checksums of whole files, as Taxoshard's manifests write them: {@code crc32c:0a1b2c3d}
 * (8 lowercase hex digits). CRC32C catches every single-bit flip and every burst of up to 32 bits,
 * and the JDK computes it with the CPU's own instruction.
 */
public final class Checksums {
  public static final String PREFIX = "crc32c:";

  private Checksums() {}

  /** The checksum as manifests write it. */
  public static String text(long crc) {
    return String.format("%s%08x", PREFIX, crc & 0xFFFFFFFFL);
  }

  /** The length and CRC32C of a whole stream, read to its end (not closed). */
  public static Sum of(InputStream in) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buf = new byte[1 << 16];
    long bytes = 0;
    for (int n; (n = in.read(buf)) > 0; ) {
      crc.update(buf, 0, n);
      bytes += n;
    }
    return new Sum(bytes, crc.getValue());
  }

  /** The CRC32C of {@code b[from, to)}. */
  public static long of(byte[] b, int from, int to) {
    CRC32C crc = new CRC32C();
    crc.update(b, from, to - from);
    return crc.getValue();
  }

  /** A file's length in bytes and its CRC32C. */
  public record Sum(long bytes, long crc) {
    public String text() {
      return Checksums.text(crc);
    }
  }

  /**
   * Counts and checksums what is written through it, so that a writer knows its file's manifest
   * entry without reading the file back. Closing it closes the stream it wraps.
   */
  public static final class CountingOutputStream extends FilterOutputStream {
    private final CRC32C crc = new CRC32C();
    private long bytes;

    public CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      crc.update(b);
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      crc.update(b, off, len);
      bytes += len;
    }

    /** What has been written so far. */
    public Sum sum() {
      return new Sum(bytes, crc.getValue());
    }
  }
}
