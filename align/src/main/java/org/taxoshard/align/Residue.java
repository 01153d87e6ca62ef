package org.taxoshard.align;

/**
 * Residue codes of the kernel: the letters A-Z (either case) are 0-25, {@code *} is 26, and every
 * other byte is 23 ('X'), so a sequence of any bytes can be searched. Codes fit in 5 bits: score
 * tables are indexed {@code (a << 5) | b}.
 */
public final class Residue {
  /** Codes in use, the width of a score table row. */
  public static final int CODES = 32;
  public static final int STOP = 26;
  public static final int X = 'X' - 'A';

  private static final byte[] CODE = new byte[256];

  static {
    java.util.Arrays.fill(CODE, (byte) X);
    for (int c = 'A'; c <= 'Z'; c++) {
      CODE[c] = (byte) (c - 'A');
      CODE[c + ('a' - 'A')] = (byte) (c - 'A');
    }
    CODE['*'] = STOP;
  }

  private Residue() {}

  /** The code of one letter. */
  public static int code(byte letter) {
    return CODE[letter & 0xFF];
  }

  /** Codes of letters[from, to) as a new array. */
  public static byte[] encode(byte[] letters, int from, int to) {
    byte[] out = new byte[to - from];
    for (int i = from; i < to; i++) {
      out[i - from] = CODE[letters[i] & 0xFF];
    }
    return out;
  }

  /** Codes of a whole string (tests and small inputs). */
  public static byte[] encode(String letters) {
    byte[] b = letters.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    return encode(b, 0, b.length);
  }

  /** The upper-case letter of a code; codes 27-31 have no letter and print as X. */
  public static char letter(int code) {
    return code < 26 ? (char) ('A' + code) : code == STOP ? '*' : 'X';
  }
}
