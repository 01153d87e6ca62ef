package org.taxoshard.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.taxoshard.avro.Balance;
import org.taxoshard.avro.Plan;
import org.taxoshard.avro.ShardFigures;
import org.taxoshard.avro.Strategy;
import org.taxoshard.formats.BadInputException;

/** Reads and writes a plan: {@code plan.avro} for the jobs, {@code plan.json} for people. */
public final class PlanFiles {
  public static final String AVRO = "plan.avro";
  public static final String JSON = "plan.json";
  public static final int FORMAT_VERSION = 1;

  private PlanFiles() {}

  /**
   * Writes {@code plan.avro}, then {@code plan.json}, which lists it and {@code others} (files
   * already written under {@code dir}, relative paths) with their checksums, sealed with its own.
   */
  public static void write(FileSystem fs, Path dir, Plan plan, List<String> others) throws IOException {
    List<Map<String, Object>> files = new ArrayList<>();
    files.add(OutputFiles.entry(AVRO, StatsFiles.writeAvro(fs, new Path(dir, AVRO), Plan.getClassSchema(), plan, 6)));
    files.addAll(OutputFiles.describe(fs, dir, others));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("strategy", name(plan.getStrategy()));
    m.put("shards", shards(plan.getExpected()));
    m.put("balance", balance(plan.getBalance()));
    if (plan.getGrownFrom() > 0) {
      m.put("grown_from", plan.getGrownFrom()); // the first plan's shards, however often it grew since
    }
    if (plan.getStrategy() == Strategy.SIMILARITY) {
      Map<String, Object> sim = new LinkedHashMap<>();
      sim.put("similar_pairs", plan.getSimilarPairs());
      sim.put("pairs_on_one_shard", round(plan.getPairsTogether()));
      sim.put("clustered_records", plan.getClusteredRecords());
      sim.put("settings", new java.util.TreeMap<>(plan.getSimilaritySettings()));
      m.put("similarity", sim);
    }
    m.put("sequences", plan.getSequences());
    m.put("residues", plan.getResidues());
    m.put("rank", plan.getRank());
    m.put("stats", plan.getStats());
    m.put("format_version", plan.getFormatVersion());
    m.put(OutputFiles.FILES, files);
    OutputFiles.writeSealed(fs, OutputFiles.pending(dir, JSON), m);
  }

  /**
   * Reads a finished plan's {@code plan.avro}, checked against {@code plan.json} first.
   *
   * @throws BadInputException when the folder is incomplete, a file differs from its checksum, or
   *     the plan is of a newer format
   */
  public static Plan read(Configuration conf, Path dir) throws IOException {
    Path p = OutputFiles.checkedFile(dir.getFileSystem(conf), dir, JSON, AVRO, "a plan", "taxoshard plan");
    FileSystem fs = p.getFileSystem(conf);
    try (InputStream in = fs.open(p);
        DataFileStream<Plan> r = new DataFileStream<>(in, new SpecificDatumReader<>(Plan.class))) {
      Plan plan = r.next();
      if (plan.getFormatVersion() > FORMAT_VERSION) {
        throw new BadInputException(p.toString(), null, null, "plan format version " + plan.getFormatVersion()
            + " is newer than this build reads (" + FORMAT_VERSION + "): use a newer Taxoshard");
      }
      return plan;
    } catch (org.apache.avro.AvroRuntimeException | java.util.NoSuchElementException e) {
      throw new BadInputException(p.toString(), null, null, "not a readable plan: " + e.getMessage(), e);
    }
  }

  /** The strategy as users write it: {@code taxonomic-balanced}. */
  public static String name(Strategy s) {
    return s.name().toLowerCase().replace('_', '-');
  }

  public static Strategy strategy(String name) {
    try {
      return Strategy.valueOf(name.toUpperCase().replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--strategy must be one of round-robin, hash, taxonomic-balanced, stratified,"
          + " similarity; not '" + name + "'");
    }
  }

  static List<Map<String, Object>> shards(List<ShardFigures> figures) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (ShardFigures f : figures) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("shard", f.getShard());
      s.put("sequences", f.getSequences());
      s.put("residues", f.getResidues());
      s.put("bins", f.getBins());
      s.put("tv_distance", round(f.getTvDistance()));
      list.add(s);
    }
    return list;
  }

  static Map<String, Object> balance(Balance b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("residues_max_over_mean", round(b.getResiduesMaxOverMean()));
    m.put("sequences_max_over_mean", round(b.getSequencesMaxOverMean()));
    m.put("max_tv_distance", round(b.getMaxTvDistance()));
    m.put("min_bins", b.getMinBins());
    m.put("max_bins", b.getMaxBins());
    m.put("max_fair_share_deviation", round(b.getMaxFairShareDeviation()));
    return m;
  }

  static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  /** A short table a person reads after plan or shard. */
  static String table(List<ShardFigures> figures, Balance b) {
    StringBuilder s = new StringBuilder(String.format("%6s %12s %15s %6s %8s%n", "shard", "sequences", "residues", "bins", "tv"));
    for (ShardFigures f : figures) {
      s.append(String.format("%6d %,12d %,15d %6d %8.4f%n", f.getShard(), f.getSequences(), f.getResidues(), f.getBins(),
          f.getTvDistance()));
    }
    s.append(String.format("residues max/mean %.4f, sequences max/mean %.4f, largest tv %.4f, bins per shard %d-%d,"
        + " largest fair-share deviation %.1f%n", b.getResiduesMaxOverMean(), b.getSequencesMaxOverMean(),
        b.getMaxTvDistance(), b.getMinBins(), b.getMaxBins(), b.getMaxFairShareDeviation()));
    return s.toString();
  }
}
