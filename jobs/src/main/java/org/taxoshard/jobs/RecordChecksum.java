package org.taxoshard.jobs;

/**
 * An order-independent checksum of records: the sum, modulo 2^64, of a 64-bit hash of each
 * record's header line and residues. Two sets of records with the same checksum hold the same
 * records with overwhelming likelihood, in whatever order or grouping.
 */
final class RecordChecksum {
  private long sum;

  /** The hash of one record: its raw header bytes, a newline, its residues. */
  static long of(byte[] header, int headerLength, byte[] residues, int length) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < headerLength; i++) {
      h ^= header[i] & 0xFF;
      h *= 0x100000001b3L;
    }
    h ^= '\n';
    h *= 0x100000001b3L;
    for (int i = 0; i < length; i++) {
      h ^= residues[i] & 0xFF;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  void add(long recordHash) {
    sum += recordHash;
  }

  String hex() {
    return String.format("%016x", sum);
  }
}
