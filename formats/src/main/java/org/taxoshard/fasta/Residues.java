package org.taxoshard.fasta;

import org.taxoshard.avro.Alphabet;

/**
 * The residue letters Taxoshard accepts and their codes: A-Z (either case) 0-25, '*' 26, '-' 27.
 * Everything else in a sequence line is bad input, except blanks, which are dropped.
 */
public final class Residues {
  /** Number of residue codes. */
  public static final int CODES = 28;
  public static final int STOP = 26;
  public static final int GAP = 27;

  private static final byte[] CODE = new byte[256];

  static {
    java.util.Arrays.fill(CODE, (byte) -1);
    for (int c = 'A'; c <= 'Z'; c++) {
      CODE[c] = (byte) (c - 'A');
      CODE[c + ('a' - 'A')] = (byte) (c - 'A');
    }
    CODE['*'] = STOP;
    CODE['-'] = GAP;
  }

  private Residues() {}

  /** The code of a residue byte, or -1 when the byte is not a residue. */
  public static int code(byte b) {
    return CODE[b & 0xFF];
  }

  /** The upper-case letter of a code in [0, {@link #CODES}). */
  public static char letter(int code) {
    return code < 26 ? (char) ('A' + code) : code == STOP ? '*' : '-';
  }

  /**
   * Protein or nucleotide, from residue counts by code: nucleotide when A, C, G, T, U and N make
   * up at least 90% of the letters (BLAST's own tools judge the same way), else protein.
   */
  public static Alphabet guessAlphabet(long[] counts) {
    long letters = 0;
    for (int i = 0; i < 26; i++) {
      letters += counts[i];
    }
    long nucleotide = counts['A' - 'A'] + counts['C' - 'A'] + counts['G' - 'A'] + counts['T' - 'A']
        + counts['U' - 'A'] + counts['N' - 'A'];
    return letters > 0 && nucleotide * 10 >= letters * 9 ? Alphabet.NUCLEOTIDE : Alphabet.PROTEIN;
  }

}
