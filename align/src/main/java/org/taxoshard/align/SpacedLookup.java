package org.taxoshard.align;

import java.util.Arrays;

/**
 * The seed lookup of a batch of protein queries for a spaced seed: a shape such as {@code 11011}
 * reads the residues at its 1s (its weight, up to 4) and skips those at its 0s, and a subject
 * word hits a query position when the residues it reads score at least {@code threshold} against
 * the query's (a neighbourhood, as {@link ProteinLookup}'s, over the shape's 1s only). Skipping
 * columns makes hits in a homologous alignment less correlated than those of contiguous words,
 * so for the same number of random hits more homologs get two hits on a diagonal.
 *
 * <p>Words are read over the 20 standard amino acids, coded 0-19 and packed in base 20; a
 * subject word holding any other letter (B, Z, X, U, O, *) seeds nothing. A cell lists the
 * concatenated query positions (0-based, of the shape's first column) whose neighbourhood holds
 * the cell's word, ascending.
 *
 * <p>Memory: 4 bytes per (query position x neighbour), about the same as a contiguous lookup
 * with the same rate of random hits, and a cell table of 20^weight + 1 ints.
 */
final class SpacedLookup {
  /** The standard amino acids, in the order of their dense codes. */
  static final String LETTERS = "ACDEFGHIKLMNPQRSTVWY";
  private static final byte[] DENSE = new byte[Residue.CODES];

  static {
    Arrays.fill(DENSE, (byte) -1);
    for (int i = 0; i < LETTERS.length(); i++) {
      DENSE[LETTERS.charAt(i) - 'A'] = (byte) i;
    }
  }

  final int[] offsets;
  final int span;
  final int[] cellStart;
  final int[] positions;

  /**
   * @param shape 1s (columns read) and 0s (columns skipped), first and last a 1, weight 1-4
   */
  SpacedLookup(byte[] concat, int[] starts, int[] ends, int[] table, String shape, int threshold) {
    this.offsets = offsets(shape);
    this.span = shape.length();
    int weight = offsets.length;
    int cells = pow20(weight);
    // The best score each query code can reach against a standard letter.
    int[] rowMax = new int[Residue.CODES];
    for (int a = 0; a < Residue.CODES; a++) {
      int m = Integer.MIN_VALUE;
      for (int i = 0; i < LETTERS.length(); i++) {
        m = Math.max(m, table[(a << 5) | (LETTERS.charAt(i) - 'A')]);
      }
      rowMax[a] = m;
    }
    int[] counts = new int[cells + 1];
    IntList cellOf = new IntList();
    IntList posOf = new IntList();
    int[] qc = new int[weight];
    int[] tail = new int[weight + 1];
    for (int k = 0; k < starts.length; k++) {
      for (int p = starts[k]; p + span <= ends[k]; p++) {
        for (int i = 0; i < weight; i++) {
          qc[i] = concat[p + offsets[i]];
        }
        tail[weight] = 0;
        for (int i = weight - 1; i >= 0; i--) {
          tail[i] = tail[i + 1] + rowMax[qc[i]];
        }
        int before = cellOf.size();
        if (tail[0] >= threshold) {
          enumerate(table, qc, tail, threshold, 0, 0, 0, p, cellOf, posOf, counts);
        }
        // The query's own word, when it is one and scores below the threshold, seeds too (as BLAST's lookup does).
        int exact = key(concat, p);
        if (exact >= 0) {
          boolean seen = false;
          for (int i = before; i < cellOf.size() && !seen; i++) {
            seen = cellOf.get(i) == exact;
          }
          if (!seen) {
            cellOf.add(exact);
            posOf.add(p);
            counts[exact]++;
          }
        }
      }
    }
    cellStart = new int[cells + 1];
    for (int w = 0; w < cells; w++) {
      cellStart[w + 1] = cellStart[w] + counts[w];
    }
    positions = new int[cellStart[cells]];
    int[] fill = Arrays.copyOf(cellStart, cells);
    for (int i = 0; i < cellOf.size(); i++) {
      positions[fill[cellOf.get(i)]++] = posOf.get(i);
    }
  }

  private static void enumerate(int[] table, int[] qc, int[] tail, int threshold, int depth, int score, int key, int p,
      IntList cellOf, IntList posOf, int[] counts) {
    if (depth == qc.length) {
      cellOf.add(key);
      posOf.add(p);
      counts[key]++;
      return;
    }
    int row = qc[depth] << 5;
    for (int c = 0; c < 20; c++) {
      int s = score + table[row | (LETTERS.charAt(c) - 'A')];
      if (s + tail[depth + 1] >= threshold) {
        enumerate(table, qc, tail, threshold, depth + 1, s, key * 20 + c, p, cellOf, posOf, counts);
      }
    }
  }

  /** The shape's word at codes[p...] as a cell index, or -1 when it holds a letter outside the 20. */
  int key(byte[] codes, int p) {
    int k = 0;
    for (int o : offsets) {
      int c = DENSE[codes[p + o]];
      if (c < 0) {
        return -1;
      }
      k = k * 20 + c;
    }
    return k;
  }

  /** The columns a shape reads. */
  static int[] offsets(String shape) {
    if (shape.isEmpty() || shape.charAt(0) != '1' || shape.charAt(shape.length() - 1) != '1'
        || !shape.matches("[01]+")) {
      throw new IllegalArgumentException("a seed shape is 1s and 0s, starting and ending with 1, got '" + shape + "'");
    }
    int[] out = shape.chars().filter(ch -> ch == '1').toArray();
    int w = 0;
    for (int i = 0; i < shape.length(); i++) {
      if (shape.charAt(i) == '1') {
        out[w++] = i;
      }
    }
    if (w > 4) {
      throw new IllegalArgumentException("a seed shape reads at most 4 columns, got '" + shape + "'");
    }
    return out;
  }

  private static int pow20(int n) {
    int r = 1;
    for (int i = 0; i < n; i++) {
      r *= 20;
    }
    return r;
  }

  /** Entries in the lookup: query positions times their neighbours. */
  long entries() {
    return positions.length;
  }
}
