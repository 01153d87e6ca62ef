package org.taxoshard.align;

/**
 * The seed lookup of a batch of nucleotide query contexts (each query's plus and minus strand):
 * every word of {@code wordSize} bases (at most 12) made only of A, C, G and T/U, packed 2 bits a
 * base; a cell lists the concatenated positions (0-based, of the word's first base) where it
 * occurs. Words holding N or another ambiguity letter seed nothing, as in blastn.
 *
 * <p>Memory: 4 bytes x 4^wordSize for the cell index (16 MiB at 11) plus 4 bytes a query base
 * per strand.
 */
final class NucleotideLookup {
  private static final int[] BITS = new int[Residue.CODES];

  static {
    java.util.Arrays.fill(BITS, -1);
    BITS['A' - 'A'] = 0;
    BITS['C' - 'A'] = 1;
    BITS['G' - 'A'] = 2;
    BITS['T' - 'A'] = 3;
    BITS['U' - 'A'] = 3;
  }

  final int wordSize;
  final int[] cellStart;
  final int[] positions;

  /** 0-3 for A, C, G, T/U; -1 for anything else. */
  static int bits(int code) {
    return BITS[code];
  }

  /** The complementary base's code; ambiguity letters and others become N. */
  static int complement(int code) {
    return switch (code) {
      case 'A' - 'A' -> 'T' - 'A';
      case 'C' - 'A' -> 'G' - 'A';
      case 'G' - 'A' -> 'C' - 'A';
      case 'T' - 'A', 'U' - 'A' -> 'A' - 'A';
      default -> 'N' - 'A';
    };
  }

  NucleotideLookup(byte[] concat, int[] starts, int[] ends, int wordSize) {
    if (wordSize < 4 || wordSize > 12) {
      throw new IllegalArgumentException("nucleotide lookup words are 4-12 bases, got " + wordSize);
    }
    this.wordSize = wordSize;
    int cells = 1 << (2 * wordSize);
    int[] counts = new int[cells];
    forEachWord(concat, starts, ends, (w, p) -> counts[w]++);
    cellStart = new int[cells + 1];
    for (int w = 0; w < cells; w++) {
      cellStart[w + 1] = cellStart[w] + counts[w];
    }
    positions = new int[cellStart[cells]];
    int[] fill = java.util.Arrays.copyOf(cellStart, cells);
    forEachWord(concat, starts, ends, (w, p) -> positions[fill[w]++] = p);
  }

  private interface WordVisitor {
    void visit(int word, int start);
  }

  private void forEachWord(byte[] concat, int[] starts, int[] ends, WordVisitor visitor) {
    int mask = (1 << (2 * wordSize)) - 1;
    for (int c = 0; c < starts.length; c++) {
      int w = 0;
      int valid = 0;
      for (int p = starts[c]; p < ends[c]; p++) {
        int b = BITS[concat[p]];
        if (b < 0) {
          valid = 0;
          continue;
        }
        w = ((w << 2) | b) & mask;
        if (++valid >= wordSize) {
          visitor.visit(w, p - wordSize + 1);
        }
      }
    }
  }
}
