package org.taxoshard.jobs;

import org.taxoshard.formats.Hashes;

/**
 * An order-independent checksum of records: the sum, modulo 2^64, of a 64-bit hash of each
 * record's header line and residues. Two sets of records with the same checksum hold the same
 * records with overwhelming likelihood, in whatever order or grouping.
 */
final class RecordChecksum {
  private long sum;

  /** The hash of one record: its raw header bytes, a newline, its residues. */
  static long of(byte[] header, int headerLength, byte[] residues, int length) {
    long h = Hashes.fnv(Hashes.FNV_OFFSET, header, 0, headerLength, false);
    h = Hashes.fnv(h, '\n');
    return Hashes.mix(Hashes.fnv(h, residues, 0, length, false));
  }

  void add(long recordHash) {
    sum += recordHash;
  }

  String hex() {
    return String.format("%016x", sum);
  }
}
