package org.taxoshard.align;

/**
 * Gapped extension with affine gaps (a gap of length k costs {@code open + k * extend}) from an
 * anchor point, both ways, as BLAST's gapped stage does: the left part aligns the anchor pair and
 * the residues before it, read backwards, the right part what follows the anchor pair; the
 * alignment's score is their sum.
 *
 * <p>Coordinates are 0-based indexes into the code arrays; ranges are half-open {@code [from, to)}.
 * Preconditions: {@code qFrom <= qAnchor < qTo}, {@code sFrom <= sAnchor < sTo}, every code in the
 * ranges below 32, gap costs {@code open >= 0, extend > 0}, {@code xdrop > 0}.
 */
public interface GappedAligner {
  /**
   * The best-scoring alignment through the anchor pair that X-drop extension finds.
   *
   * @param table a flat score table {@code [(a << 5) | b]}, query code a, subject code b
   * @param traceback whether to return the alignment's operations (score and ends are always set)
   */
  GappedAlignment align(byte[] query, int qFrom, int qTo, byte[] subject, int sFrom, int sTo,
      int qAnchor, int sAnchor, int[] table, int open, int extend, int xdrop, boolean traceback);
}
