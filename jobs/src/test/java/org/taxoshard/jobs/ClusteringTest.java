package org.taxoshard.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The MapReduce clustering rounds ({@link ClusteringJob}) against union-find on the client
 * ({@link Clusters#onClient}), on graphs shaped to be hard for them: the same placement, counts and
 * split files, byte for byte. Pairs are written as the sketching job writes them, repeats included.
 */
class ClusteringTest {
  static final int SHARDS = 5;

  @TempDir
  File tmp;

  static Stream<Arguments> graphs() {
    Random random = new Random(7);
    List<long[]> path = new ArrayList<>();
    // A path whose ordinals zig-zag, so the smallest label has the farthest to travel.
    long[] order = new long[600];
    for (int i = 0; i < order.length; i++) {
      order[i] = i % 2 == 0 ? 1000 + i : 1000 + order.length * 2L - i;
    }
    for (int i = 1; i < order.length; i++) {
      path.add(pair(order[i - 1], order[i], random));
    }
    List<long[]> forest = new ArrayList<>();
    for (int c = 0; c < 40; c++) { // 40 random trees of 2..30 nodes, ordinals interleaved
      int n = 2 + random.nextInt(29);
      for (int i = 1; i < n; i++) {
        forest.add(pair(c + 40L * i, c + 40L * random.nextInt(i), random));
      }
    }
    List<long[]> dense = new ArrayList<>(); // two cliques joined by one pair, every pair met three times
    for (int a = 0; a < 12; a++) {
      for (int b = a + 1; b < 12; b++) {
        for (int repeat = 0; repeat < 3; repeat++) {
          dense.add(pair(a * 3L, b * 3L, random));
          dense.add(pair(500 + a, 500 + b, random));
        }
      }
    }
    dense.add(pair(33, 511, random));
    List<long[]> star = new ArrayList<>(); // the centre has the largest ordinal
    for (int i = 0; i < 300; i++) {
      star.add(pair(i * 7L, 9999, random));
    }
    // Local minima 10 and 20 share the record 30, and 20 alone has 40: Large-Star changes nothing
    // in the first round, Small-Star must still re-point 40 through 20 to 10, then another round.
    List<long[]> shared = List.of(pair(10, 30, random), pair(20, 30, random), pair(20, 40, random));
    // The other shapes side by side in one graph, ordinals 10,000 apart, so one run of the rounds
    // covers them all (a run costs seconds of job set-up); the shared-record case runs alone, since
    // another component's changes would keep the loop going past a missed Small-Star step.
    List<long[]> sideBySide = new ArrayList<>();
    List<List<long[]>> shapes = List.of(path, forest, dense, star);
    for (int g = 0; g < shapes.size(); g++) {
      for (long[] p : shapes.get(g)) {
        sideBySide.add(pair(p[0] + 10_000L * g, p[2] + 10_000L * g, random));
      }
    }
    String all = "a zig-zag path, a forest, repeated cliques and a star around the largest";
    return Stream.of(Arguments.of("two local minima share a record", shared, 0), Arguments.of(all, sideBySide, 0),
        Arguments.of(all + ", a plan of 3 shards grown to " + SHARDS, sideBySide, 3));
  }

  /** A pair as the sketching job writes it: smaller ordinal first; lengths fixed per ordinal. */
  private static long[] pair(long a, long b, Random random) {
    long lo = Math.min(a, b);
    long hi = Math.max(a, b);
    return new long[] {lo, 50 + lo % 97, hi, 50 + hi % 97};
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("graphs")
  void roundsEqualUnionFind(String name, List<long[]> pairs, int grownFrom) throws Exception {
    List<long[]> shuffled = new ArrayList<>(pairs);
    Collections.shuffle(shuffled, new Random(name.hashCode()));
    File pairsDir = new File(tmp, "pairs");
    pairsDir.mkdirs();
    // Two part files, as two reducers would leave them.
    try (PrintWriter a = new PrintWriter(new File(pairsDir, "part-r-00000"));
        PrintWriter b = new PrintWriter(new File(pairsDir, "part-r-00001"))) {
      for (int i = 0; i < shuffled.size(); i++) {
        long[] p = shuffled.get(i);
        (i % 2 == 0 ? a : b).println(p[0] + "\t" + p[1] + "\t" + p[2] + "\t" + p[3]);
      }
    }
    long[] splitOrdinals = {0, 0, 300, 1200, 5000, 12_000, 25_000}; // an empty split first, as a scan may have
    long residues = 400_000;
    double overload = 0.2;
    Configuration conf = ScanJobTest.localConf();
    Path client = new Path(new File(tmp, "client").getAbsolutePath());
    Clusters.Result expected = Clusters.onClient(conf, new Path(pairsDir.getAbsolutePath()), splitOrdinals, client,
        new Clusters.Placer(SHARDS, grownFrom, residues, overload, 2));
    conf.setInt("taxoshard.similarity.reducers", 3);
    Path rounds = new Path(new File(tmp, "rounds").getAbsolutePath());
    Clusters.Result got = ClusteringJob.run(conf, new Path(pairsDir.getAbsolutePath()), splitOrdinals, rounds,
        new Path(new File(tmp, "work").getAbsolutePath()), SHARDS, grownFrom, residues, shuffled.size());
    assertTrue(expected.clusteredRecords() > 0, name);
    assertEquals(expected.similarPairs(), got.similarPairs(), "distinct pairs");
    assertEquals(expected.pairsTogether(), got.pairsTogether(), "pairs together");
    assertEquals(expected.clusteredRecords(), got.clusteredRecords(), "clustered records");
    assertArrayEquals(expected.loads(), got.loads(), "shard loads");
    assertArrayEquals(expected.counts(), got.counts(), "shard counts");
    assertArrayEquals(expected.loadsBefore(), got.loadsBefore(), "shard loads before growing");
    assertEquals(grownFrom > 0 ? grownFrom : SHARDS, got.loadsBefore().length);
    for (int s = 0; s < splitOrdinals.length; s++) {
      String part = Clusters.part(s);
      assertArrayEquals(bytes(client, part), bytes(rounds, part), part);
    }
    assertEquals(splitOrdinals.length, new File(rounds.toString()).list((d, f) -> f.startsWith("part-")).length,
        "one file per split, no more");
    assertTrue(!new File(tmp, "work").exists(), "the rounds' edges are removed");
  }

  /**
   * A placer growing 7 shards to 10 places each cluster first as a 7-shard placer does (same
   * loads), then moves it only to a new shard, about 3/10 of the clusters.
   */
  @org.junit.jupiter.api.Test
  void aGrowingPlacerMovesClustersOnlyToTheNewShards() {
    Random random = new Random(11);
    long residues = 1_000_000;
    Clusters.Placer before = new Clusters.Placer(7, residues, 0.2, 2);
    Clusters.Placer growing = new Clusters.Placer(10, 7, residues, 0.2, 2);
    int moved = 0;
    int placed = 0;
    for (long name = 0; name < 20_000; name += 1 + random.nextInt(5)) {
      int size = 1 + random.nextInt(6);
      long r = size * (100L + random.nextInt(400));
      int was = before.place(name, size, r);
      int now = growing.place(name, size, r);
      assertEquals(was < 0, now < 0, "a cluster too small stays unkept");
      if (was >= 0) {
        placed++;
        if (now != was) {
          assertTrue(now >= 7, "cluster " + name + " moved from shard " + was + " to old shard " + now);
          moved++;
        }
      }
    }
    assertArrayEquals(before.loads(), growing.loadsBefore());
    assertEquals(0.3, moved / (double) placed, 0.02, moved + " of " + placed + " moved");
    assertEquals(java.util.Arrays.stream(before.loads()).sum(), java.util.Arrays.stream(growing.loads()).sum());
  }

  private static byte[] bytes(Path dir, String part) throws IOException {
    return Files.readAllBytes(new File(dir.toString(), part).toPath());
  }
}
