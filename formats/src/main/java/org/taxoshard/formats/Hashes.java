package org.taxoshard.formats;

/**
 * The 64-bit hashing every part uses: FNV-1a over bytes, finished with MurmurHash3's fmix64 so
 * that every bit of the result depends on every input bit. Not cryptographic; stable across
 * versions, since plans and checksums depend on it.
 */
public final class Hashes {
  public static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private Hashes() {}

  /** Continues an FNV-1a hash {@code h} over bytes [start, end), ASCII letters upper-cased first if {@code foldCase}. */
  public static long fnv(long h, byte[] b, int start, int end, boolean foldCase) {
    for (int i = start; i < end; i++) {
      int c = b[i] & 0xFF;
      if (foldCase && c >= 'A' && c <= 'Z') {
        c += 'a' - 'A';
      }
      h ^= c;
      h *= FNV_PRIME;
    }
    return h;
  }

  /** Continues an FNV-1a hash with one byte. */
  public static long fnv(long h, int b) {
    return (h ^ (b & 0xFF)) * FNV_PRIME;
  }

  /** MurmurHash3's 64-bit finaliser. */
  public static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  /**
   * An Avro sync marker derived from a file's name. Avro draws one at random for every file, so
   * the same records would differ by 16 bytes per block from run to run; Taxoshard's outputs are
   * the same bytes whatever the run, so their markers are fixed: two independent 64-bit hashes of
   * the name (a marker only has to be unlikely inside the data, not secret).
   */
  public static byte[] syncMarker(String name) {
    byte[] b = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    long a = of(b, 0, b.length, false);
    long c = mix(fnv(a, b, 0, b.length, false) ^ 0x5DEECE66DL);
    byte[] sync = new byte[16];
    for (int i = 0; i < 8; i++) {
      sync[i] = (byte) (a >>> (8 * i));
      sync[8 + i] = (byte) (c >>> (8 * i));
    }
    return sync;
  }

  /** The hash of bytes [start, end). */
  public static long of(byte[] b, int start, int end, boolean foldCase) {
    return mix(fnv(FNV_OFFSET, b, start, end, foldCase));
  }
}
