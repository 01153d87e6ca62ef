package org.taxoshard.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.taxoshard.avro.BinOffset;
import org.taxoshard.avro.Cell;
import org.taxoshard.avro.CellStart;
import org.taxoshard.avro.DatabaseStats;
import org.taxoshard.avro.Piece;
import org.taxoshard.avro.Plan;
import org.taxoshard.avro.ScanSplit;
import org.taxoshard.avro.ScanSplits;
import org.taxoshard.avro.SplitStart;
import org.taxoshard.avro.Strategy;

/**
 * Makes a plan on the client from a scan's counts; it never touches a record.
 *
 * <p>Every record has a fixed place in its bin's <em>dealing order</em>: the bin's length strata
 * ascending, within a stratum the scan's splits in order, within a split the file order. The plan
 * stores, per split and (bin, stratum), the ordinal and residue offset at which that split's
 * records start, so a shard task knows each record's place by counting. (taxonomic-balanced
 * measures residues in input order instead: its residue offsets are per split and bin.)
 * <ul>
 *   <li>round-robin: the record's ordinal in the whole database, modulo the shards;
 *   <li>hash: a hash of the record's id, modulo the shards (no counts needed);
 *   <li>stratified: the record's ordinal in its bin plus the bin's rotation, modulo the shards,
 *       so every bin's count on every shard is within 1 of its fair share, and since the order
 *       runs through the length strata, residues come out as even as counts;
 *   <li>taxonomic-balanced: bins largest first, poured into the shards in turn, each shard filled
 *       to exactly its share of residues; a bin that does not fit is cut at the shard boundary
 *       ("dynamic shard splitting"), so every shard holds its share to within one record and a
 *       bin spans at most one shard more than its residues need.
 * </ul>
 */
public final class Planner {
  private Planner() {}

  /** A plan with the per-shard, per-bin figures it expects (for the report). */
  public record Planned(Plan plan, long[] binIds, BalanceFigures figures) {}

  public static Plan plan(DatabaseStats stats, ScanSplits scan, Strategy strategy, int shards, String statsDir) {
    return planned(stats, scan, strategy, shards, statsDir).plan();
  }

  public static Planned planned(DatabaseStats stats, ScanSplits scan, Strategy strategy, int shards, String statsDir) {
    if (strategy == Strategy.SIMILARITY) {
      throw new IllegalArgumentException("similarity plans need their pairs: use Planner.similarity");
    }
    // Totals per (bin, stratum), then each cell's start in its bin's dealing order.
    TreeMap<Long, long[]> totals = new TreeMap<>();
    for (ScanSplit s : scan.getSplits()) {
      for (Cell c : s.getCells()) {
        long[] t = totals.computeIfAbsent(key(c.getBin(), c.getStratum()), k -> new long[2]);
        t[0] += c.getSequences();
        t[1] += c.getResidues();
      }
    }
    Map<Long, long[]> cursor = new HashMap<>();
    TreeMap<Long, long[]> binTotals = new TreeMap<>(); // bin -> {sequences, residues}
    for (Map.Entry<Long, long[]> e : totals.entrySet()) {
      long bin = e.getKey() >>> 8;
      long[] bt = binTotals.computeIfAbsent(bin, b -> new long[2]);
      cursor.put(e.getKey(), new long[] {bt[0], bt[1]});
      bt[0] += e.getValue()[0];
      bt[1] += e.getValue()[1];
    }
    List<SplitStart> splits = new ArrayList<>();
    long ordinal = 0;
    // taxonomic-balanced cuts bins in input order instead (see CellStart.residue): its pieces are
    // runs of neighbouring records, even in count as well as residues.
    Map<Long, Long> inputOrderResidue = new HashMap<>();
    for (ScanSplit s : scan.getSplits()) {
      List<CellStart> cells = new ArrayList<>();
      Map<Long, Long> splitBinResidues = new HashMap<>();
      for (Cell c : s.getCells()) {
        long[] at = cursor.get(key(c.getBin(), c.getStratum()));
        long residue = strategy == Strategy.TAXONOMIC_BALANCED ? inputOrderResidue.getOrDefault(c.getBin(), 0L) : at[1];
        cells.add(CellStart.newBuilder().setBin(c.getBin()).setStratum(c.getStratum()).setOrdinal(at[0])
            .setResidue(residue).build());
        at[0] += c.getSequences();
        at[1] += c.getResidues();
        splitBinResidues.merge(c.getBin(), c.getResidues(), Long::sum);
      }
      splitBinResidues.forEach((bin, r) -> inputOrderResidue.merge(bin, r, Long::sum));
      splits.add(SplitStart.newBuilder().setPath(s.getPath()).setStart(s.getStart()).setLength(s.getLength())
          .setFileLength(s.getFileLength()).setOrdinal(ordinal).setCells(cells).build());
      ordinal += s.getSequences();
    }

    long[] binIds = binTotals.keySet().stream().mapToLong(Long::longValue).toArray();
    long totalSequences = 0;
    long totalResidues = 0;
    for (long[] t : binTotals.values()) {
      totalSequences += t[0];
      totalResidues += t[1];
    }
    double[][] expSeq = new double[shards][binIds.length];
    double[][] expRes = new double[shards][binIds.length];
    List<Piece> pieces = new ArrayList<>();
    List<BinOffset> offsets = new ArrayList<>();
    switch (strategy) {
      case ROUND_ROBIN, HASH -> {
        for (int b = 0; b < binIds.length; b++) {
          long[] t = binTotals.get(binIds[b]);
          for (int s = 0; s < shards; s++) {
            expSeq[s][b] = t[0] / (double) shards;
            expRes[s][b] = t[1] / (double) shards;
          }
        }
      }
      case STRATIFIED -> {
        long rotation = 0;
        for (int b = 0; b < binIds.length; b++) {
          long[] t = binTotals.get(binIds[b]);
          long off = Math.floorMod(rotation, shards);
          offsets.add(BinOffset.newBuilder().setBin(binIds[b]).setOffset(off).build());
          for (int s = 0; s < shards; s++) {
            long count = t[0] / shards + (Math.floorMod(s - off, shards) < t[0] % shards ? 1 : 0);
            expSeq[s][b] = count;
            expRes[s][b] = t[0] == 0 ? 0 : t[1] * (double) count / t[0];
          }
          rotation += t[0];
        }
      }
      case TAXONOMIC_BALANCED -> pieces = balance(binIds, binTotals, shards, totalResidues, expSeq, expRes);
      default -> throw new IllegalStateException(strategy.name());
    }
    BalanceFigures figures = new BalanceFigures(expSeq, expRes);
    return new Planned(Plan.newBuilder()
        .setStrategy(strategy)
        .setShards(shards)
        .setStats(statsDir)
        .setRank(stats.getRank())
        .setTaxonomy(stats.getTaxonomy())
        .setHeaderRegex(stats.getHeaderRegex())
        .setAccession2taxid(stats.getAccession2taxid())
        .setSequences(totalSequences)
        .setResidues(totalResidues)
        .setPieces(pieces)
        .setBinOffsets(offsets)
        .setSplits(splits)
        .setExpected(figures.shards)
        .setBalance(figures.balance)
        .build(), binIds, figures);
  }

  /**
   * Grows a plan to more shards, moving little. Stratified plans: {@link #growStratified}; hash
   * and round-robin: {@link #growDealt}; similarity plans grow with their clustering, in
   * {@link #similarity}. A taxonomic-balanced plan:
   * each old shard keeps the head of what it held, up to its share of the new capacity, and pours
   * the tail into the new shards in turn. What moves is exactly the new shards' share,
   * (new - old) / new of the residues.
   */
  public static Planned grow(Plan old, DatabaseStats stats, ScanSplits scan, int shards, String statsDir) {
    if (old.getStrategy() == Strategy.STRATIFIED) {
      return growStratified(old, stats, scan, shards, statsDir);
    }
    if (old.getStrategy() == Strategy.HASH || old.getStrategy() == Strategy.ROUND_ROBIN) {
      return growDealt(old, stats, scan, shards, statsDir);
    }
    if (old.getStrategy() != Strategy.TAXONOMIC_BALANCED) {
      throw new IllegalArgumentException("a similarity plan grows with its clustering (Planner.similarity)");
    }
    if (shards <= old.getShards()) {
      throw new UsageException("--from: a plan grows to more shards than its " + old.getShards());
    }
    Planned fresh = planned(stats, scan, Strategy.TAXONOMIC_BALANCED, shards, statsDir);
    requireSameScan(old, fresh.plan());
    long total = old.getResidues();
    long[] capacity = new long[shards];
    for (int s = 0; s < shards; s++) {
      capacity[s] = total / shards + (s < total % shards ? 1 : 0);
    }
    // Each old shard's pieces in the order they were poured: by the bins' pouring order.
    Map<Long, Integer> rank = new HashMap<>();
    long[] binIds = fresh.binIds();
    Map<Long, long[]> binTotals = new HashMap<>();
    for (Piece p : old.getPieces()) {
      binTotals.computeIfAbsent(p.getBin(), b -> new long[2])[1] += p.getResidueEnd() - p.getResidueStart();
    }
    List<Long> pourOrder = new ArrayList<>(binTotals.keySet());
    pourOrder.sort((a, b) -> {
      int c = Long.compare(binTotals.get(b)[1], binTotals.get(a)[1]);
      return c != 0 ? c : Long.compare(a, b);
    });
    for (int i = 0; i < pourOrder.size(); i++) {
      rank.put(pourOrder.get(i), i);
    }
    List<Piece> byPour = new ArrayList<>(old.getPieces());
    byPour.sort(java.util.Comparator.comparingInt(Piece::getShard)
        .thenComparingInt(p -> rank.get(p.getBin())).thenComparingLong(Piece::getResidueStart));
    List<Piece> kept = new ArrayList<>();
    List<Piece> tails = new ArrayList<>();
    long[] used = new long[shards];
    for (Piece p : byPour) {
      int s = p.getShard();
      long room = capacity[s] - used[s];
      long size = p.getResidueEnd() - p.getResidueStart();
      long keep = Math.min(room, size);
      if (keep > 0 || size == 0) {
        kept.add(Piece.newBuilder(p).setResidueEnd(p.getResidueStart() + keep).build());
        used[s] += keep;
      }
      if (keep < size) {
        tails.add(Piece.newBuilder(p).setResidueStart(p.getResidueStart() + keep).build());
      }
    }
    int shard = old.getShards();
    for (Piece t : tails) {
      long placed = t.getResidueStart();
      while (placed < t.getResidueEnd()) {
        if (used[shard] == capacity[shard] && shard < shards - 1) {
          shard++;
        }
        long take = shard == shards - 1 ? t.getResidueEnd() - placed
            : Math.min(capacity[shard] - used[shard], t.getResidueEnd() - placed);
        kept.add(Piece.newBuilder(t).setShard(shard).setResidueStart(placed).setResidueEnd(placed + take).build());
        used[shard] += take;
        placed += take;
      }
    }
    // Adjacent pieces of one bin on one shard are one piece.
    kept.sort(java.util.Comparator.comparingLong(Piece::getBin).thenComparingLong(Piece::getResidueStart));
    List<Piece> merged = new ArrayList<>();
    for (Piece p : kept) {
      Piece last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && last.getBin() == p.getBin() && last.getShard() == p.getShard()
          && last.getResidueEnd() == p.getResidueStart()) {
        merged.set(merged.size() - 1, Piece.newBuilder(last).setResidueEnd(p.getResidueEnd()).build());
      } else {
        merged.add(p);
      }
    }
    // Expected figures from the pieces: a piece holds its bin's records in proportion to residues.
    Map<Long, Integer> column = new HashMap<>();
    for (int b = 0; b < binIds.length; b++) {
      column.put(binIds[b], b);
    }
    Map<Long, Long> binSequences = new HashMap<>();
    Map<Long, Long> binResidues = new HashMap<>();
    for (ScanSplit sp : scan.getSplits()) {
      for (Cell c : sp.getCells()) {
        binSequences.merge(c.getBin(), c.getSequences(), Long::sum);
        binResidues.merge(c.getBin(), c.getResidues(), Long::sum);
      }
    }
    double[][] expSeq = new double[shards][binIds.length];
    double[][] expRes = new double[shards][binIds.length];
    for (Piece p : merged) {
      int b = column.get(p.getBin());
      long r = binResidues.get(p.getBin());
      double fraction = r == 0 ? 1 : (p.getResidueEnd() - p.getResidueStart()) / (double) r;
      expSeq[p.getShard()][b] += binSequences.get(p.getBin()) * fraction;
      expRes[p.getShard()][b] += p.getResidueEnd() - p.getResidueStart();
    }
    BalanceFigures figures = new BalanceFigures(expSeq, expRes);
    Plan plan = Plan.newBuilder(fresh.plan()).setPieces(merged).setExpected(figures.shards)
        .setBalance(figures.balance).build();
    return new Planned(plan, binIds, figures);
  }

  /**
   * The similarity strategy's plan: {@code base}, a hash plan of the same scan, with the clusters
   * {@link Clusters} placed (kept whole, in the plan folder's per-split files) and the slots that
   * deal the other records over the room the clusters left, by a hash of their id. Expected per
   * shard: its clusters' records and residues, plus its slots' share of the rest; within a shard,
   * bins in the database's proportions (the plan does not know the clustered records' bins).
   *
   * <p>Grown from {@code from} (else null), a plan first made over n shards, to m shards: the
   * clusters were placed as the n-shard plan placed them and moved to the shards added since
   * as {@link Clusters.Placer} says; the
   * other records keep {@code from}'s slots and move as a grown hash plan's do (a jump over m,
   * when it names a new shard), so each new shard expects 1/m of them and each old shard n/m of
   * its share. The placement before growing must be {@code from}'s own: its slots, which follow
   * from its clusters' loads, must come out the same, or the settings or the scan differ.
   */
  public static Planned similarity(Planned base, Clusters.Result clusters, Plan from, Map<String, String> settings) {
    long pairs = clusters.similarPairs();
    long residues = base.plan().getResidues();
    List<Integer> slots = Clusters.slots(clusters.loadsBefore(), residues);
    if (from != null && !slots.equals(from.getSlots())) {
      throw new UsageException("--from: the clusters found now were not placed as the plan placed them (its"
          + " clustered records: " + from.getClusteredRecords() + ", now " + clusters.clusteredRecords() + "; similar"
          + " pairs: " + from.getSimilarPairs() + ", now " + pairs + "): grow with the taxoshard.similarity settings"
          + " the plan was made with" + (from.getSimilaritySettings().isEmpty() ? "" : " (" + new TreeMap<>(
              from.getSimilaritySettings()) + ")") + ", or plan afresh");
    }
    double[][] hashSeq = base.figures().sequences;
    double[][] hashRes = base.figures().residues;
    int shards = hashSeq.length;
    int bins = base.binIds().length;
    long sequences = base.plan().getSequences();
    double[] binSeq = new double[bins];
    double[] binRes = new double[bins];
    for (int s = 0; s < shards; s++) {
      for (int b = 0; b < bins; b++) {
        binSeq[b] += hashSeq[s][b];
        binRes[b] += hashRes[s][b];
      }
    }
    double[] slotShare = new double[shards];
    for (int s : slots) {
      slotShare[s] += 1.0 / slots.size();
    }
    int grownFrom = from == null ? 0 : firstShards(from);
    for (int s = 0; grownFrom > 0 && s < shards; s++) {
      slotShare[s] = s < grownFrom ? slotShare[s] * grownFrom / shards : 1.0 / shards;
    }
    long clusteredResidues = java.util.Arrays.stream(clusters.loads()).sum();
    long clusteredSequences = java.util.Arrays.stream(clusters.counts()).sum();
    double[][] expSeq = new double[shards][bins];
    double[][] expRes = new double[shards][bins];
    for (int s = 0; s < shards; s++) {
      double seq = clusters.counts()[s] + (sequences - clusteredSequences) * slotShare[s];
      double res = clusters.loads()[s] + (residues - clusteredResidues) * slotShare[s];
      for (int b = 0; b < bins; b++) {
        expSeq[s][b] = sequences == 0 ? 0 : seq * binSeq[b] / (double) sequences;
        expRes[s][b] = residues == 0 ? 0 : res * binRes[b] / residues;
      }
    }
    BalanceFigures figures = new BalanceFigures(expSeq, expRes);
    Plan plan = Plan.newBuilder(base.plan()).setStrategy(Strategy.SIMILARITY).setClusters(Clusters.FOLDER)
        .setClusteredRecords(clusters.clusteredRecords()).setSlots(slots).setSimilarPairs(pairs).setGrownFrom(grownFrom)
        .setSimilaritySettings(new TreeMap<>(settings))
        .setPairsTogether(pairs == 0 ? 1 : clusters.pairsTogether() / (double) pairs)
        .setExpected(figures.shards).setBalance(figures.balance).build();
    return new Planned(plan, base.binIds(), figures);
  }

  /**
   * Grows a stratified plan by one shard. The old plan dealt a bin's record o to (o + rotation)
   * mod n. Counting from the bin's first record, in blocks of n(n+1) and rounds of n, round 0
   * deals as before and round r &gt;= 1 gives its index r-1 to the new shard n. Every shard ends
   * each block with n records, and in the last, partial block the records given up and the
   * records left over are both prefixes of the same index order: counts stay within 1 of the fair
   * share, residues stay even (the moved records run through the strata), and 1/(n+1) of the
   * records move. Bins smaller than one round give the new shard nothing.
   */
  static Planned growStratified(Plan old, DatabaseStats stats, ScanSplits scan, int shards, String statsDir) {
    if (old.getGrownFrom() > 0) {
      throw new UsageException("--from: this stratified plan was grown already; growing it again is not built yet"
          + " (plan afresh, or grow the original plan)");
    }
    if (shards != old.getShards() + 1) {
      throw new UsageException("--from: a stratified plan grows one shard at a time: --shards " + (old.getShards() + 1));
    }
    Planned fresh = planned(stats, scan, Strategy.STRATIFIED, old.getShards(), statsDir);
    requireSameScan(old, fresh.plan());
    double[][] seq = fresh.figures().sequences;
    double[][] res = fresh.figures().residues;
    int bins = fresh.binIds().length;
    double[][] expSeq = new double[shards][bins];
    double[][] expRes = new double[shards][bins];
    for (int s = 0; s < old.getShards(); s++) {
      for (int b = 0; b < bins; b++) {
        // Each old shard gives up one of every n+1 of its records.
        expSeq[s][b] = seq[s][b] * old.getShards() / shards;
        expRes[s][b] = res[s][b] * old.getShards() / shards;
        expSeq[shards - 1][b] += seq[s][b] / shards;
        expRes[shards - 1][b] += res[s][b] / shards;
      }
    }
    BalanceFigures figures = new BalanceFigures(expSeq, expRes);
    Plan plan = Plan.newBuilder(fresh.plan()).setShards(shards).setGrownFrom(old.getShards())
        .setExpected(figures.shards).setBalance(figures.balance).build();
    return new Planned(plan, fresh.binIds(), figures);
  }

  /**
   * Grows a hash or round-robin plan from n shards to any m &gt; n: a record moves only to a new
   * shard, chosen by a consistent hash of its key (see {@code ShardAssigner.dealt}), so (m-n)/m
   * of the records move and every shard expects 1/m of each bin, as a fresh plan does.
   */
  static Planned growDealt(Plan old, DatabaseStats stats, ScanSplits scan, int shards, String statsDir) {
    Planned fresh = planned(stats, scan, old.getStrategy(), shards, statsDir);
    requireGrowable(old, fresh.plan());
    Plan plan = Plan.newBuilder(fresh.plan()).setGrownFrom(firstShards(old)).build();
    return new Planned(plan, fresh.binIds(), fresh.figures());
  }

  /**
   * The shard count of the first plan in a line of grown hash, round-robin or similarity plans.
   * It is all that a grown plan needs to remember: a key's jump over m shards is either its jump
   * over fewer shards or one of the shards added since, so growing n to m and then m to m'
   * places every record as growing n to m' at once does.
   */
  static int firstShards(Plan plan) {
    return plan.getGrownFrom() > 0 ? plan.getGrownFrom() : plan.getShards();
  }

  /** A plan grows to more shards ({@code fresh}'s) over the scan it was made from. */
  static void requireGrowable(Plan old, Plan fresh) {
    if (fresh.getShards() <= old.getShards()) {
      throw new UsageException("--from: a plan grows to more shards than its " + old.getShards());
    }
    requireSameScan(old, fresh);
  }

  /**
   * A plan grows only over the scan it was made from: the same sequences and residues, in the
   * same files (same paths and lengths), so that ordinals and ids name the same records. The
   * splits may differ.
   */
  private static void requireSameScan(Plan old, Plan fresh) {
    if (fresh.getResidues() != old.getResidues() || fresh.getSequences() != old.getSequences()) {
      throw new UsageException("--from: the plan was made from another scan (" + old.getSequences() + " sequences, "
          + old.getResidues() + " residues; this scan has " + fresh.getSequences() + " and " + fresh.getResidues() + ")");
    }
    Map<String, Long> was = files(old);
    Map<String, Long> now = files(fresh);
    if (!was.equals(now)) {
      throw new UsageException("--from: the plan was made from a scan of other files (" + was + "; this scan's: "
          + now + "): the same records in another order or place would be dealt otherwise");
    }
  }

  /** The scanned files of a plan, each with its length. */
  private static Map<String, Long> files(Plan plan) {
    Map<String, Long> files = new TreeMap<>();
    for (SplitStart s : plan.getSplits()) {
      files.put(s.getPath(), s.getFileLength());
    }
    return files;
  }

  /** Largest bin first, poured into shards filled in turn to exactly their share. */
  private static List<Piece> balance(long[] binIds, Map<Long, long[]> binTotals, int shards, long total,
      double[][] expSeq, double[][] expRes) {
    long[] capacity = new long[shards];
    for (int s = 0; s < shards; s++) {
      capacity[s] = total / shards + (s < total % shards ? 1 : 0);
    }
    Integer[] order = new Integer[binIds.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> {
      int c = Long.compare(binTotals.get(binIds[b])[1], binTotals.get(binIds[a])[1]);
      return c != 0 ? c : Long.compare(binIds[a], binIds[b]);
    });
    // Pour bins, largest first, into the shards in turn, each filled to exactly its share before
    // the next: a bin of R residues starting anywhere spans at most ceil(R/C) + 1 shards, and every
    // shard holds its share to within one record. (Placing whole bins on the least-loaded shard
    // leaves the last, small bins to be cut over the scattered remainders of many shards.)
    List<Piece> pieces = new ArrayList<>();
    int shard = 0;
    long room = capacity[0];
    for (int b : order) {
      long[] t = binTotals.get(binIds[b]);
      long placed = 0;
      do {
        if (room == 0 && shard < shards - 1) {
          shard++;
          room = capacity[shard];
        }
        long take = shard == shards - 1 ? t[1] - placed : Math.min(room, t[1] - placed);
        pieces.add(Piece.newBuilder().setBin(binIds[b]).setShard(shard).setResidueStart(placed)
            .setResidueEnd(placed + take).build());
        room -= take;
        double fraction = t[1] == 0 ? 1 : take / (double) t[1];
        expSeq[shard][b] += t[0] * fraction;
        expRes[shard][b] += take;
        placed += take;
      } while (placed < t[1]);
    }
    pieces.sort(java.util.Comparator.comparingLong(Piece::getBin).thenComparingLong(Piece::getResidueStart));
    return pieces;
  }

  static long key(long bin, int stratum) {
    return (bin << 8) | stratum;
  }
}
