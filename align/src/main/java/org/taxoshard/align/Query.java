package org.taxoshard.align;

/**
 * One query: its id (the first word of its FASTA header), its residue codes ({@link Residue}) and
 * its place in the input (0-based), which orders the output.
 */
public record Query(int index, String id, byte[] codes) {
  public int length() {
    return codes.length;
  }
}
