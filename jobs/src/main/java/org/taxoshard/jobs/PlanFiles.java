package org.taxoshard.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
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

  public static void write(FileSystem fs, Path dir, Plan plan) throws IOException {
    try (OutputStream out = fs.create(new Path(dir, AVRO), false);
        DataFileWriter<Plan> w = new DataFileWriter<>(new SpecificDatumWriter<>(Plan.class))) {
      w.setCodec(CodecFactory.deflateCodec(6));
      w.create(Plan.getClassSchema(), out);
      w.append(plan);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("strategy", name(plan.getStrategy()));
    m.put("shards", shards(plan.getExpected()));
    m.put("balance", balance(plan.getBalance()));
    if (plan.getStrategy() == Strategy.SIMILARITY) {
      Map<String, Object> sim = new LinkedHashMap<>();
      sim.put("similar_pairs", plan.getSimilarPairs());
      sim.put("pairs_on_one_shard", round(plan.getPairsTogether()));
      sim.put("clustered_records", plan.getClusterOrdinals().size());
      m.put("similarity", sim);
    }
    m.put("sequences", plan.getSequences());
    m.put("residues", plan.getResidues());
    m.put("rank", plan.getRank());
    m.put("stats", plan.getStats());
    try (OutputStream out = fs.create(new Path(dir, JSON), false)) {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, m);
    }
  }

  public static Plan read(Configuration conf, Path dir) throws IOException {
    Path p = new Path(dir, AVRO);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) {
      throw new BadInputException(p.toString(), null, null, "no plan here: run taxoshard plan first");
    }
    try (InputStream in = fs.open(p);
        DataFileStream<Plan> r = new DataFileStream<>(in, new SpecificDatumReader<>(Plan.class))) {
      Plan plan = r.next();
      if (plan.getFormatVersion() > FORMAT_VERSION) {
        throw new BadInputException(p.toString(), null, null, "plan format version " + plan.getFormatVersion()
            + " is newer than this build reads (" + FORMAT_VERSION + ")");
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
