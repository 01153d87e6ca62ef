package org.taxoshard.align;

/**
 * The seed lookup of a batch of protein queries, BLAST's way: for every query word of
 * {@code wordSize} residues (2 or 3), every word scoring at least {@code threshold} against it
 * (its neighbourhood), and the query word itself. A cell per word, indexed by its codes packed 5
 * bits each; a cell lists the concatenated query positions (0-based, of the word's first residue)
 * whose neighbourhood holds that word.
 *
 * <p>Memory: 4 bytes per (query position x neighbour); with BLOSUM62, words of 3 and threshold 11
 * the neighbourhoods average a few dozen words, so a batch of Q query residues takes about
 * 100-200 x Q bytes.
 */
final class ProteinLookup {
  final int wordSize;
  final int[] cellStart;
  final int[] positions;

  ProteinLookup(byte[] concat, int[] starts, int[] ends, int[] table, int wordSize, int threshold) {
    if (wordSize < 2 || wordSize > 3) {
      throw new IllegalArgumentException("protein words are 2 or 3 residues, got " + wordSize);
    }
    this.wordSize = wordSize;
    int cells = 1 << (5 * wordSize);
    // Letters a word may hold in the database: A-Z and '*'.
    int letters = 27;
    int[] rowMax = new int[Residue.CODES];
    for (int a = 0; a < Residue.CODES; a++) {
      int m = Integer.MIN_VALUE;
      for (int b = 0; b < letters; b++) {
        m = Math.max(m, table[(a << 5) | b]);
      }
      rowMax[a] = m;
    }
    int[] counts = new int[cells + 1];
    IntList cellOf = new IntList();
    IntList posOf = new IntList();
    for (int k = 0; k < starts.length; k++) {
      for (int p = starts[k]; p + wordSize <= ends[k]; p++) {
        int q0 = concat[p];
        int q1 = concat[p + 1];
        int q2 = wordSize == 3 ? concat[p + 2] : 0;
        int exact = wordSize == 3 ? (q0 << 10) | (q1 << 5) | q2 : (q0 << 5) | q1;
        boolean exactAdded = false;
        int tail1 = wordSize == 3 ? rowMax[q1] + rowMax[q2] : rowMax[q1];
        for (int c0 = 0; c0 < letters; c0++) {
          int s0 = table[(q0 << 5) | c0];
          if (s0 + tail1 < threshold) {
            continue;
          }
          for (int c1 = 0; c1 < letters; c1++) {
            int s1 = s0 + table[(q1 << 5) | c1];
            if (wordSize == 2) {
              if (s1 >= threshold) {
                int w = (c0 << 5) | c1;
                exactAdded |= w == exact;
                cellOf.add(w);
                posOf.add(p);
                counts[w]++;
              }
              continue;
            }
            if (s1 + rowMax[q2] < threshold) {
              continue;
            }
            for (int c2 = 0; c2 < letters; c2++) {
              if (s1 + table[(q2 << 5) | c2] >= threshold) {
                int w = (c0 << 10) | (c1 << 5) | c2;
                exactAdded |= w == exact;
                cellOf.add(w);
                posOf.add(p);
                counts[w]++;
              }
            }
          }
        }
        if (!exactAdded) {
          cellOf.add(exact);
          posOf.add(p);
          counts[exact]++;
        }
      }
    }
    cellStart = new int[cells + 1];
    for (int w = 0; w < cells; w++) {
      cellStart[w + 1] = cellStart[w] + counts[w];
    }
    positions = new int[cellStart[cells]];
    int[] fill = new int[cells];
    System.arraycopy(cellStart, 0, fill, 0, cells);
    for (int i = 0; i < cellOf.size(); i++) {
      positions[fill[cellOf.get(i)]++] = posOf.get(i);
    }
  }

  /** Entries in the lookup: query positions times their neighbours. */
  long entries() {
    return positions.length;
  }
}
