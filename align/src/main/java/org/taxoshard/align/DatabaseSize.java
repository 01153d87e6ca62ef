package org.taxoshard.align;

/**
 * The whole database's size, which every E-value is computed for: its residues n and its sequences
 * N. A shard passes the whole database's figures, never its own.
 */
public record DatabaseSize(long residues, long sequences) {
  public DatabaseSize {
    if (residues < 1 || sequences < 1 || sequences > residues) {
      throw new IllegalArgumentException("a database holds at least one sequence and at least as many residues"
          + " as sequences, got " + residues + " residues in " + sequences + " sequences");
    }
  }
}
