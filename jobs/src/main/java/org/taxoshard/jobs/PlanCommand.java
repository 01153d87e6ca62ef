package org.taxoshard.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.Tool;
import org.taxoshard.avro.DatabaseStats;
import org.taxoshard.avro.Plan;
import org.taxoshard.avro.ScanSplits;
import org.taxoshard.avro.Strategy;
import org.taxoshard.conf.TaxoshardKeys;

/**
 * {@code taxoshard plan}: a sharding plan from a scan's output, computed on the client from the
 * scan's counts (no record is read). Writes {@code plan.avro} and {@code plan.json}.
 */
public class PlanCommand extends Configured implements Tool {
  private static CommandOptions options() {
    return new CommandOptions("plan", "Makes a sharding plan from a scan's statistics: plan.avro and plan.json under --out.")
        .value("stats", "DIR", "a scan's output folder (stats.avro, splits.avro)")
        .value("shards", "N", "number of shards")
        .value("strategy", "S", "round-robin, hash, taxonomic-balanced, stratified, similarity")
        .value("from", "PLAN", "an earlier plan to grow from, moving little (taxonomic-balanced; stratified by one"
            + " shard, once; hash, round-robin and similarity to any count)")
        .output();
  }

  @Override
  public int run(String[] args) throws Exception {
    CommandOptions opts = options();
    if (!opts.parse(args)) {
      return 0;
    }
    Configuration conf = getConf();
    Path statsDir = opts.requirePath("stats");
    Path out = opts.requirePath("out");
    Strategy strategy = PlanFiles.strategy(opts.require("strategy"));
    opts.require("shards");
    int shards = opts.getInt("shards", 0, 1);
    if (shards > 65_535) {
      throw new UsageException("--shards must be between 1 and 65535");
    }
    OutputFolder.prepare(conf, out, opts.has("overwrite"), OutputFolder.Read.of("--stats", statsDir),
        OutputFolder.Read.of("--from", opts.has("from") ? opts.requirePath("from") : null));
    DatabaseStats stats = StatsFiles.read(conf, statsDir);
    ScanSplits splits = StatsFiles.readSplits(conf, statsDir);
    FileSystem fs = out.getFileSystem(conf);
    long maxShard = TaxoshardKeys.PLAN_MAX_SHARD_RESIDUES.getLong(conf);
    long needed = shardsNeeded(stats.getResidues(), shards, maxShard);
    if (needed > 0) {
      throw new UsageException("--shards " + shards + ": each shard would hold about " + stats.getResidues() / shards
          + " residues, above " + TaxoshardKeys.PLAN_MAX_SHARD_RESIDUES.key() + " = " + maxShard
          + "; use at least " + needed + " shards");
    }
    String statsPath = fs.makeQualified(statsDir).toString();
    // The folder is made once the plan is known to be possible: a refused --from leaves nothing.
    Planner.Planned planned;
    Plan old = null;
    if (opts.has("from")) {
      old = PlanFiles.read(conf, opts.requirePath("from"));
      if (old.getStrategy() != strategy) {
        throw new UsageException("--from: that plan is " + PlanFiles.name(old.getStrategy()) + ", not "
            + PlanFiles.name(strategy));
      }
    }
    if (old != null && strategy != Strategy.SIMILARITY) {
      planned = Planner.grow(old, stats, splits, shards, statsPath);
    } else if (strategy == Strategy.SIMILARITY) {
      Planner.Planned base = Planner.planned(stats, splits, Strategy.HASH, shards, statsPath);
      if (old != null) {
        if (old.getClusters().isEmpty()) {
          throw new UsageException("--from: that similarity plan is of an earlier build (its clusters are inside"
              + " plan.avro): plan afresh");
        }
        Planner.requireGrowable(old, base.plan());
        useSettings(conf, old);
      }
      fs.mkdirs(out);
      planned = null;
      try {
        planned = similarity(conf, statsDir, stats, base, old, out);
      } finally {
        if (planned == null) {
          fs.delete(out, true); // a refused or failed similarity plan leaves nothing, so a rerun needs no --overwrite
        }
      }
      if (planned == null) {
        return 1;
      }
    } else {
      planned = Planner.planned(stats, splits, strategy, shards, statsPath);
    }
    fs.mkdirs(out);
    Plan plan = planned.plan();
    int minTaxa = TaxoshardKeys.PLAN_MIN_TAXA_PER_SHARD.getInt(conf);
    if (strategy == Strategy.TAXONOMIC_BALANCED && plan.getBalance().getMinBins() < minTaxa) {
      int bins = stats.getBins().size();
      System.err.println((long) bins < (long) minTaxa * shards
          ? "warning: shards hold " + plan.getBalance().getMinBins() + "-" + plan.getBalance().getMaxBins()
              + " bins, fewer than " + minTaxa + " (" + TaxoshardKeys.PLAN_MIN_TAXA_PER_SHARD.key() + "): the database"
              + " has " + bins + " bins, fewer than " + minTaxa + " x " + shards + " shards"
          : "warning: some shards hold " + plan.getBalance().getMinBins() + " bins, fewer than " + minTaxa
              + " (" + TaxoshardKeys.PLAN_MIN_TAXA_PER_SHARD.key() + "): bins larger than a shard's share fill"
              + " whole shards, and keeping them on the fewest shards comes first");
    }
    Report.write(fs, out, "Plan: " + PlanFiles.name(strategy) + " over " + shards + " shards (expected)",
        planned.binIds(), Report.binNames(stats), planned.figures());
    List<String> others = new ArrayList<>(List.of(Report.HTML));
    for (String sub : List.of("pairs", Clusters.FOLDER)) {
      Path dir = new Path(out, sub);
      if (fs.exists(dir)) {
        List<String> names = new ArrayList<>();
        for (FileStatus f : fs.listStatus(dir, JobSupport.VISIBLE)) {
          names.add(sub + "/" + f.getPath().getName());
        }
        names.sort(null);
        others.addAll(names);
      }
    }
    PlanFiles.write(fs, out, plan, others);
    JobSupport.markSuccess(fs, out, conf, "plan");
    System.out.printf("plan: %s over %d shards (expected)%n", PlanFiles.name(strategy), shards);
    System.out.print(PlanFiles.table(plan.getExpected(), plan.getBalance()));
    System.out.println("wrote " + new Path(out, PlanFiles.AVRO) + ", " + PlanFiles.JSON + " and " + Report.HTML);
    return 0;
  }

  /**
   * The fewest shards that keep each within {@code maxShard} residues, when {@code shards} do not
   * (residues / shards above it); 0 when they do.
   */
  static long shardsNeeded(long residues, int shards, long maxShard) {
    return residues / shards > maxShard ? (residues + maxShard - 1) / maxShard : 0;
  }

  /** The settings that decide which clusters are found and where they go, recorded in a similarity plan. */
  static final List<TaxoshardKeys> SIMILARITY_SETTINGS = List.of(TaxoshardKeys.SIMILARITY_KMER,
      TaxoshardKeys.SIMILARITY_SKETCH, TaxoshardKeys.SIMILARITY_THRESHOLD, TaxoshardKeys.SIMILARITY_MIN_CLUSTER,
      TaxoshardKeys.SIMILARITY_OVERLOAD);

  /**
   * Growing a similarity plan finds and places the clusters with the plan's own settings; one
   * given otherwise on the command line is refused, since it would place them elsewhere.
   */
  private static void useSettings(Configuration conf, Plan old) {
    for (Map.Entry<String, String> e : new TreeMap<>(old.getSimilaritySettings()).entrySet()) {
      String given = conf.get(e.getKey());
      boolean auto = e.getKey().equals(TaxoshardKeys.SIMILARITY_KMER.key()) && "0".equals(given);
      if (given != null && !auto && !sameNumber(given, e.getValue())) {
        throw new UsageException("--from: the plan was made with " + e.getKey() + "=" + e.getValue() + ", not " + given
            + ": leave it out to grow with the plan's settings, or plan afresh");
      }
      conf.set(e.getKey(), e.getValue());
    }
  }

  private static boolean sameNumber(String a, String b) {
    try {
      return Double.parseDouble(a.trim()) == Double.parseDouble(b.trim());
    } catch (NumberFormatException e) {
      return a.trim().equals(b.trim());
    }
  }

  /**
   * The similarity plan: the sketching job, the clustering (on the client or by MapReduce rounds)
   * and the placement, grown from {@code old} when it is not null.
   *
   * @return the plan, or null when a job failed
   */
  private static Planner.Planned similarity(Configuration conf, Path statsDir, DatabaseStats stats,
      Planner.Planned base, Plan old, Path out) throws Exception {
    int shards = base.plan().getShards();
    int grownFrom = old == null ? 0 : Planner.firstShards(old);
    int k = TaxoshardKeys.SIMILARITY_KMER.getInt(conf);
    if (k <= 0) {
      k = stats.getAlphabet() == org.taxoshard.avro.Alphabet.NUCLEOTIDE ? 16 : 5;
    }
    Map<String, String> settings = new TreeMap<>();
    for (TaxoshardKeys key : SIMILARITY_SETTINGS) {
      settings.put(key.key(), key == TaxoshardKeys.SIMILARITY_KMER ? String.valueOf(k) : key.get(conf));
    }
    List<Path> inputs = new ArrayList<>();
    for (org.taxoshard.avro.InputFile f : stats.getInputs()) {
      inputs.add(new Path(f.getPath()));
    }
    Path pairsDir = new Path(out, "pairs");
    long raw = SimilarityJob.run(conf, statsDir, stats, inputs, k, pairsDir);
    if (raw < 0) {
      return null;
    }
    long[] splitOrdinals = base.plan().getSplits().stream().mapToLong(s -> s.getOrdinal()).toArray();
    long residues = base.plan().getResidues();
    Path folder = new Path(out, Clusters.FOLDER);
    boolean onClient = raw <= TaxoshardKeys.SIMILARITY_CLIENT_PAIRS.getLong(conf);
    Clusters.Result clusters;
    if (onClient) {
      clusters = Clusters.onClient(conf, pairsDir, splitOrdinals, folder, new Clusters.Placer(shards, grownFrom,
          residues, Double.parseDouble(TaxoshardKeys.SIMILARITY_OVERLOAD.get(conf)),
          TaxoshardKeys.SIMILARITY_MIN_CLUSTER.getInt(conf)));
    } else {
      clusters = ClusteringJob.run(conf, pairsDir, splitOrdinals, folder, new Path(out, "_clustering"), shards,
          grownFrom, residues, raw);
      if (clusters == null) {
        return null;
      }
    }
    Planner.Planned planned = Planner.similarity(base, clusters, old, settings);
    System.out.printf("similar pairs (k=%d, Jaccard >= %s): %,d; on one shard: %.4f; records in kept clusters:"
        + " %,d (clustered %s)%n", k, TaxoshardKeys.SIMILARITY_THRESHOLD.get(conf), planned.plan().getSimilarPairs(),
        planned.plan().getPairsTogether(), planned.plan().getClusteredRecords(),
        onClient ? "on the client" : "by MapReduce rounds");
    return planned;
  }
}
