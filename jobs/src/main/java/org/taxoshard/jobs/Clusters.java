package org.taxoshard.jobs;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.taxoshard.formats.BadInputException;

/**
 * The similarity strategy's clusters: how they are placed on shards, and the per-split files that
 * tell each shard task where its clustered records go.
 *
 * <p>A cluster is a connected component of the similar pairs, named by its smallest database
 * ordinal (0-based, in the scan's record order). Clusters are placed in ascending order of that
 * name by {@link Placer}; whether they were found on the client ({@link #onClient}) or by
 * {@link ClusteringJob}'s rounds, the placement and the files are the same, byte for byte.
 *
 * <p>File format, one file per scan split ({@link #part}): for each record of the split in a kept
 * cluster, ascending by ordinal, its ordinal (long), its cluster (long) and its shard (int), all
 * big-endian. A shard task streams its split's file beside its records, so its memory is one entry.
 */
final class Clusters {
  /** The plan's sub-folder holding the files. */
  static final String FOLDER = "clusters";
  /** Records not in a kept cluster go to slots[hash(id) mod SLOTS]. */
  static final int SLOTS = 4096;

  private Clusters() {}

  /**
   * What clustering found and placed: per shard, the residues ({@code loads}) and records
   * ({@code counts}) of the kept clusters placed there; {@code loadsBefore}, the residues per
   * shard of the placement a grown plan keeps (the same as {@code loads} when not growing).
   */
  record Result(long[] loads, long[] counts, long[] loadsBefore, long similarPairs, long pairsTogether,
      long clusteredRecords) {}

  /** The file of split {@code index} (0-based, in the plan's split order), relative to the folder. */
  static String part(int index) {
    return String.format("part-r-%05d", index);
  }

  /**
   * Places clusters one by one, in ascending order of their name: each cluster of at least
   * {@code minCluster} records goes whole to the shard its name hashes to on the ring, or the next
   * one on from there that stays within (1 + overload) x its share of the residues, or, when none
   * does, the least loaded. Memory: one figure per shard.
   *
   * <p>Growing a plan of n shards to m: each cluster is first placed as the n-shard plan placed
   * it, then moves to the shard its name's jump consistent hash over m names
   * ({@link ShardAssigner#jump}) when that is one of the new shards n..m-1. A cluster so moves
   * only to a new shard, and each new shard takes about 1/m of the clusters.
   */
  static final class Placer {
    private final long[] load;
    private final long[] count;
    /** The residues per shard of the placement before growing (over n shards); the ring's loads. */
    private final long[] before;
    private final double cap;
    private final int minCluster;

    Placer(int shards, long residues, double overload, int minCluster) {
      this(shards, 0, residues, overload, minCluster);
    }

    /** @param grownFrom the shards of the plan being grown, or 0 */
    Placer(int shards, int grownFrom, long residues, double overload, int minCluster) {
      int placedOver = grownFrom > 0 ? grownFrom : shards;
      this.load = new long[shards];
      this.count = new long[shards];
      this.before = new long[placedOver];
      this.cap = residues / (double) placedOver * (1 + overload);
      this.minCluster = minCluster;
    }

    /** The shard of a cluster of {@code size} records and {@code residues}, or -1 when it is too small to keep. */
    int place(long name, long size, long residues) {
      if (size < minCluster) {
        return -1;
      }
      int shards = before.length;
      int start = (int) Math.floorMod(Sketcher.mix(name), (long) shards);
      int chosen = -1;
      for (int i = 0; i < shards && chosen < 0; i++) {
        int s = (start + i) % shards;
        if (before[s] + residues <= cap) {
          chosen = s;
        }
      }
      if (chosen < 0) {
        chosen = 0;
        for (int s = 1; s < shards; s++) {
          if (before[s] < before[chosen]) {
            chosen = s;
          }
        }
      }
      before[chosen] += residues;
      if (shards < load.length) {
        int jump = ShardAssigner.jump(ShardAssigner.mix(name), load.length);
        chosen = jump >= shards ? jump : chosen;
      }
      load[chosen] += residues;
      count[chosen] += size;
      return chosen;
    }

    long[] loads() {
      return load.clone();
    }

    long[] loadsBefore() {
      return before.clone();
    }

    long[] counts() {
      return count.clone();
    }
  }

  /**
   * The slots the records in no kept cluster are dealt over by a hash of their id: {@link #SLOTS}
   * of them, in proportion to the room the clusters left under each shard's share (evenly when
   * they left none).
   */
  static List<Integer> slots(long[] loads, long residues) {
    int shards = loads.length;
    double share = residues / (double) shards;
    double[] room = new double[shards];
    double roomTotal = 0;
    for (int s = 0; s < shards; s++) {
      room[s] = Math.max(0, share - loads[s]);
      roomTotal += room[s];
    }
    List<Integer> slots = new ArrayList<>();
    double acc = 0;
    for (int s = 0; s < shards; s++) {
      acc += roomTotal == 0 ? SLOTS / (double) shards : room[s] / roomTotal * SLOTS;
      while (slots.size() < Math.round(acc)) {
        slots.add(s);
      }
    }
    while (slots.size() < SLOTS) {
      slots.add(shards - 1);
    }
    return slots;
  }

  /**
   * Clusters on the client: the sketching job's pairs (deduplicated, {@link SimilarityJob#readPairs})
   * joined by union-find, placed, and written to {@code folder}, one file per split. Memory: the
   * pairs, which {@code taxoshard.similarity.client-pairs} bounds.
   *
   * @param splitOrdinals each split's first database ordinal, in split order
   */
  static Result onClient(Configuration conf, Path pairsDir, long[] splitOrdinals, Path folder, Placer placer)
      throws IOException {
    long[][] pairs = SimilarityJob.readPairs(conf, pairsDir);
    long[] ends = new long[pairs.length * 2];
    for (int i = 0; i < pairs.length; i++) {
      ends[2 * i] = pairs[i][0];
      ends[2 * i + 1] = pairs[i][2];
    }
    ends = Arrays.stream(ends).sorted().distinct().toArray();
    long[] lengths = new long[ends.length];
    int[] parent = new int[ends.length];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    for (long[] p : pairs) {
      int a = Arrays.binarySearch(ends, p[0]);
      int b = Arrays.binarySearch(ends, p[2]);
      lengths[a] = p[1];
      lengths[b] = p[3];
      int ra = find(parent, a);
      int rb = find(parent, b);
      if (ra != rb) {
        parent[Math.max(ra, rb)] = Math.min(ra, rb); // the root is the smallest ordinal, the cluster's name
      }
    }
    int[] size = new int[ends.length];
    long[] residues = new long[ends.length];
    for (int i = 0; i < ends.length; i++) {
      int r = find(parent, i);
      size[r]++;
      residues[r] += lengths[i];
    }
    int[] shardOfRoot = new int[ends.length];
    Arrays.fill(shardOfRoot, -1);
    for (int r = 0; r < ends.length; r++) {
      if (find(parent, r) == r) {
        shardOfRoot[r] = placer.place(ends[r], size[r], residues[r]);
      }
    }
    long together = 0;
    for (long[] p : pairs) {
      if (shardOfRoot[find(parent, Arrays.binarySearch(ends, p[0]))] >= 0) {
        together++;
      }
    }
    FileSystem fs = folder.getFileSystem(conf);
    fs.mkdirs(folder);
    long clustered = 0;
    int i = 0;
    for (int split = 0; split < splitOrdinals.length; split++) {
      long end = split + 1 < splitOrdinals.length ? splitOrdinals[split + 1] : Long.MAX_VALUE;
      try (Writer w = new Writer(fs, new Path(folder, part(split)))) {
        for (; i < ends.length && ends[i] < end; i++) {
          int r = find(parent, i);
          if (shardOfRoot[r] >= 0) {
            w.write(ends[i], ends[r], shardOfRoot[r]);
            clustered++;
          }
        }
      }
    }
    return new Result(placer.loads(), placer.counts(), placer.loadsBefore(), pairs.length, together, clustered);
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** The split that holds {@code ordinal}: the last whose first ordinal is not above it (empty splits share theirs). */
  static int splitOf(long[] splitOrdinals, long ordinal) {
    int lo = 0;
    int hi = splitOrdinals.length; // first split starting above the ordinal
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (splitOrdinals[mid] <= ordinal) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return Math.max(0, lo - 1);
  }

  /** Writes one split's file; entries must come in ascending ordinal order. */
  static final class Writer implements Closeable {
    private final DataOutputStream out;

    Writer(FileSystem fs, Path file) throws IOException {
      out = new DataOutputStream(new BufferedOutputStream(fs.create(file, true), 1 << 16));
    }

    void write(long ordinal, long cluster, int shard) throws IOException {
      out.writeLong(ordinal);
      out.writeLong(cluster);
      out.writeInt(shard);
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /**
   * Reads one split's file in step with its records: {@link #find} is asked for ordinals that never
   * go down. Memory: one entry and a 64 KiB buffer.
   */
  static final class Reader implements Closeable {
    private final String file;
    private final DataInputStream in;
    private long ordinal = -1;
    private long cluster;
    private int shard;
    private boolean done;

    Reader(FileSystem fs, Path file) throws IOException {
      this.file = file.toString();
      this.in = new DataInputStream(new BufferedInputStream(fs.open(file), 1 << 16));
      advance();
    }

    private void advance() throws IOException {
      long last = ordinal;
      try {
        ordinal = in.readLong();
        cluster = in.readLong();
        shard = in.readInt();
      } catch (EOFException e) {
        done = true;
        return;
      }
      if (ordinal <= last) {
        throw new BadInputException(file, null, null, "cluster entries out of order at ordinal " + ordinal
            + ": the plan was damaged; run taxoshard plan again");
      }
    }

    /** Whether the record at {@code at} is in a kept cluster; if so {@link #cluster} and {@link #shard} tell it. */
    boolean find(long at) throws IOException {
      while (!done && ordinal < at) {
        advance();
      }
      return !done && ordinal == at;
    }

    /** The cluster of the record {@link #find} last found. */
    long cluster() {
      return cluster;
    }

    /** The shard of the record {@link #find} last found. */
    int shard() {
      return shard;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
