package org.taxoshard.jobs;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.taxoshard.avro.BinOffset;
import org.taxoshard.avro.CellStart;
import org.taxoshard.avro.Piece;
import org.taxoshard.avro.Plan;
import org.taxoshard.avro.SplitStart;
import org.taxoshard.avro.Strategy;
import org.taxoshard.fasta.FastaRecord;
import org.taxoshard.formats.BadInputException;

/**
 * Decides each record's shard inside a shard task, by counting: the plan gives where the split's
 * records start in the dealing order, the task advances from there record by record (see
 * {@link Planner}). Records must be presented in file order, which the reader guarantees.
 */
final class ShardAssigner {
  private final Strategy strategy;
  private final int shards;
  private final Map<Long, long[]> cursors = new HashMap<>();
  private final Map<Long, Long> offsets = new HashMap<>();
  private final Map<Long, long[][]> pieces = new HashMap<>(); // bin -> {ends[], shards[]}
  /** taxonomic-balanced: residues of each bin before the next record, in input order. */
  private final Map<Long, long[]> inputOrder = new HashMap<>();
  private long ordinal;
  /** similarity: the split's clustered records, read in step; null for other strategies. */
  private final Clusters.Reader clusters;
  private final int[] slots;
  private final int grownFrom;

  /**
   * @param clusters similarity plans: the split's file of clustered records ({@link Clusters}),
   *     which the assigner reads as it goes; null for other strategies
   */
  ShardAssigner(Plan plan, SplitStart split, Clusters.Reader clusters) {
    if (plan.getStrategy() == Strategy.SIMILARITY && clusters == null) {
      throw new IllegalArgumentException("a similarity plan needs its split's clusters");
    }
    this.clusters = clusters;
    this.strategy = plan.getStrategy();
    this.shards = plan.getShards();
    this.ordinal = split.getOrdinal();
    for (CellStart c : split.getCells()) {
      cursors.put(Planner.key(c.getBin(), c.getStratum()), new long[] {c.getOrdinal(), c.getResidue()});
      inputOrder.putIfAbsent(c.getBin(), new long[] {c.getResidue()});
    }
    for (BinOffset o : plan.getBinOffsets()) {
      offsets.put(o.getBin(), o.getOffset());
    }
    slots = plan.getSlots().stream().mapToInt(Integer::intValue).toArray();
    grownFrom = plan.getGrownFrom();
    Map<Long, List<Piece>> byBin = new HashMap<>();
    for (Piece p : plan.getPieces()) {
      byBin.computeIfAbsent(p.getBin(), b -> new java.util.ArrayList<>()).add(p);
    }
    for (Map.Entry<Long, List<Piece>> e : byBin.entrySet()) {
      List<Piece> ps = e.getValue();
      long[] ends = new long[ps.size()];
      long[] to = new long[ps.size()];
      for (int i = 0; i < ps.size(); i++) {
        ends[i] = ps.get(i).getResidueEnd();
        to[i] = ps.get(i).getShard();
      }
      pieces.put(e.getKey(), new long[][] {ends, to});
    }
  }

  /**
   * The position the next record sorts at within its shard: its cluster's smallest ordinal for
   * the members of a kept cluster (so that they are written next to each other, where a
   * compressor sees them), else its own ordinal. Call before {@link #shard}.
   */
  long group() throws java.io.IOException {
    return clusters != null && clusters.find(ordinal) ? clusters.cluster() : ordinal;
  }

  /** The database ordinal of the next record. */
  long ordinal() {
    return ordinal;
  }

  /** The shard of the next record of the split, which falls in {@code bin}. */
  int shard(FastaRecord record, int bin) throws java.io.IOException {
    int length = record.length();
    long[] cursor = cursors.get(Planner.key(bin, Strata.of(length)));
    if (cursor == null && strategy != Strategy.HASH && strategy != Strategy.ROUND_ROBIN
        && strategy != Strategy.SIMILARITY) {
      throw new BadInputException(record.file(), record.place(), record.id(), "the record is not in the scan's"
          + " counts for this split: the input, the taxonomy or the binning settings changed since the scan; rescan");
    }
    int shard = switch (strategy) {
      case ROUND_ROBIN -> dealt(ordinal);
      case HASH -> dealt(hash(record));
      case SIMILARITY -> {
        if (clusters.find(ordinal)) {
          yield clusters.shard(); // a grown plan's clusters files hold the grown placement
        }
        long h = hash(record);
        yield grown(h, slots[(int) Math.floorMod(h, (long) slots.length)]);
      }
      case STRATIFIED -> stratified(cursor[0], offsets.getOrDefault((long) bin, 0L));
      case TAXONOMIC_BALANCED -> {
        long[] at = inputOrder.get((long) bin);
        int s = piece(bin, at[0], record);
        at[0] += length;
        yield s;
      }
      default -> throw new IllegalStateException(strategy.name());
    };
    ordinal++;
    if (cursor != null) {
      cursor[0]++;
      cursor[1] += length;
    }
    return shard;
  }

  /**
   * round-robin and hash: {@code key} (the database ordinal, or the id's hash) modulo the shards.
   * For a plan grown from n shards to m, a record goes where its key's jump consistent hash over
   * m shards says (Lamping and Veach 2014) if that is one of the new shards n..m-1, and else stays
   * at key mod n: each new shard takes 1/m of the records, every old shard gives up (m-n)/m of
   * its own, and no record moves between old shards. n is the first plan's shards however often
   * it grew ({@code Planner.firstShards}).
   */
  private int dealt(long key) {
    return grown(key, (int) Math.floorMod(key, (long) (grownFrom == 0 ? shards : grownFrom)));
  }

  /**
   * The shard of a record whose key the plan before growing put on shard {@code before}: the
   * same, unless the plan grew and the key's jump over the shards names a new one.
   */
  private int grown(long key, int before) {
    if (grownFrom == 0) {
      return before;
    }
    int jump = jump(mix(key), shards);
    return jump >= grownFrom ? jump : before;
  }

  /** Jump consistent hash: a bucket in [0, buckets) that changes for 1/(b+1) of keys as b grows by one. */
  static int jump(long key, int buckets) {
    long b = -1;
    long j = 0;
    while (j < buckets) {
      b = j;
      key = key * 2862933555777941757L + 1;
      j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
    }
    return (int) b;
  }

  /**
   * SplitMix64's finalizer: ordinals are consecutive and the id hash's low bits already chose
   * the old shard, so the jump needs bits independent of both.
   */
  static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * A record's shard from its ordinal in its bin and the bin's rotation. For a plan grown from n
   * shards: blocks of n(n+1) ordinals from the bin's first record, rounds of n; round 0 deals as
   * before, round r &gt;= 1 gives its index r-1 to the new shard n. See Planner.growStratified.
   */
  private int stratified(long ordinal, long rotation) {
    if (grownFrom == 0) {
      return (int) Math.floorMod(ordinal + rotation, (long) shards);
    }
    long n = grownFrom;
    long w = ordinal % (n * (n + 1));
    long round = w / n;
    long index = w % n;
    return (int) (round >= 1 && index == round - 1 ? n : Math.floorMod(index + rotation, n));
  }

  private int piece(int bin, long residue, FastaRecord record) throws BadInputException {
    long[][] p = pieces.get((long) bin);
    if (p == null) {
      throw new BadInputException(record.file(), record.place(), record.id(), "bin " + bin + " is not in the plan");
    }
    long[] ends = p[0];
    int lo = 0;
    int hi = ends.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (residue < ends[mid]) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return (int) p[1][lo];
  }

  /** A 64-bit hash of the record's id (FNV-1a, then mixed): the hash strategy's only input. */
  static long hash(FastaRecord record) {
    byte[] id = record.id().getBytes(StandardCharsets.UTF_8);
    return org.taxoshard.formats.Hashes.of(id, 0, id.length, false);
  }

}
