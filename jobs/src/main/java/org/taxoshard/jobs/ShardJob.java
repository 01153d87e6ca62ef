package org.taxoshard.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.util.Tool;
import org.taxoshard.avro.Plan;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.fasta.FastaInputFormat;
import org.taxoshard.formats.BadInputException;

/**
 * {@code taxoshard shard}: routes every record to its shard by the plan (a taxonomic
 * Partitioner in front of one reducer per shard) and writes {@code shard-NNNNN/} folders and
 * {@code manifest.json} with what the shards really hold. Records in = records written, or the
 * command fails.
 */
public class ShardJob extends Configured implements Tool {
  public enum Counter {
    RECORDS_ROUTED, RECORDS_WRITTEN
  }

  public static final String MANIFEST = "manifest.json";

  private static CommandOptions options() {
    return new CommandOptions("shard", "Writes the shards a plan describes: shard-NNNNN/ folders and manifest.json under --out.")
        .value("input", "P[,P...]", "the FASTA the plan's scan read")
        .value("plan", "DIR", "a plan folder (plan.avro)")
        .flag("lenient", "skip bad records as the scan did in lenient mode")
        .output();
  }

  /** Builds the job; the binning settings come from the plan, so shards bin as the scan did. */
  public static Job createJob(Configuration conf, List<Path> inputs, Path planDir, Path out) throws IOException {
    return createJob(conf, inputs, planDir, PlanFiles.read(conf, planDir), out);
  }

  static Job createJob(Configuration conf, List<Path> inputs, Path planDir, Plan plan, Path out) throws IOException {
    JobSupport.useLocalCores(conf);
    Path qualifiedPlan = planDir.getFileSystem(conf).makeQualified(planDir);
    TaxoshardKeys.SHARD_PLAN.set(conf, qualifiedPlan.toString());
    TaxoshardKeys.TAXONOMY_RANK.set(conf, plan.getRank());
    TaxoshardKeys.TAXONOMY_HEADER_REGEX.set(conf, plan.getHeaderRegex());
    TaxoshardKeys.TAXONOMY_ACCESSION2TAXID.set(conf, plan.getAccession2taxid());
    // The scan joined the tables' taxids with the records of its splits, which this job replays.
    TaxoshardKeys.TAXONOMY_TAXIDS.set(conf, plan.getAccession2taxid().isEmpty() || plan.getTaxonomy().isEmpty() ? ""
        : new Path(plan.getStats(), TaxidJoin.FOLDER).toString());
    Job job = Job.getInstance(conf, "taxoshard shard " + PlanFiles.name(plan.getStrategy()) + " x" + plan.getShards());
    JobSupport.setJar(job, ShardJob.class);
    if (!plan.getTaxonomy().isEmpty()) {
      TaxonomyCache.ship(job, new Path(plan.getTaxonomy()));
    }
    FileInputFormat.setInputPaths(job, inputs.toArray(new Path[0]));
    FileInputFormat.setInputDirRecursive(job, true);
    job.setInputFormatClass(PlannedInputFormat.class);
    job.setMapperClass(ShardMapper.class);
    job.setPartitionerClass(ShardPartitioner.class);
    job.setReducerClass(ShardReducer.class);
    job.setNumReduceTasks(plan.getShards());
    job.setMapOutputKeyClass(LongPair.class);
    job.setMapOutputValueClass(BinnedRecord.class);
    job.setSortComparatorClass(LongPair.Comparator.class); // one record a reduce call: nothing held
    JobSupport.sideFileOutput(job, out);
    return job;
  }

  @Override
  public int run(String[] args) throws Exception {
    CommandOptions opts = options();
    if (!opts.parse(args)) {
      return 0;
    }
    Configuration conf = getConf();
    List<Path> inputs = opts.requirePaths("input");
    Path planDir = opts.requirePath("plan");
    Path out = opts.requirePath("out");
    if (opts.has("lenient")) {
      FastaInputFormat.setLenient(conf, true);
    }
    Plan plan = PlanFiles.read(conf, planDir);
    OutputFolder.prepare(conf, out, opts.has("overwrite"), OutputFolder.Read.records("--input", inputs),
        OutputFolder.Read.of("--plan", planDir), OutputFolder.Read.of("the plan's scan", new Path(plan.getStats())),
        OutputFolder.Read.of("the plan's taxonomy", plan.getTaxonomy().isEmpty() ? null : new Path(plan.getTaxonomy())));
    Job job = createJob(conf, inputs, planDir, plan, out);
    if (!JobSupport.runJob(job, out)) {
      return 1;
    }
    long read = job.getCounters().findCounter(FastaInputFormat.Counter.RECORDS).getValue();
    long routed = job.getCounters().findCounter(Counter.RECORDS_ROUTED).getValue();
    long written = job.getCounters().findCounter(Counter.RECORDS_WRITTEN).getValue();
    FileSystem fs = out.getFileSystem(conf);
    JobSupport.withholdSuccess(fs, out);
    BalanceFigures figures = writeManifest(conf, out, plan);
    System.out.printf("shard: %s over %d shards: %,d records read, %,d routed, %,d written%n",
        PlanFiles.name(plan.getStrategy()), plan.getShards(), read, routed, written);
    System.out.print(PlanFiles.table(figures.shards, figures.balance));
    if (read != written || routed != written) {
      System.err.println("taxoshard shard: records lost: read " + read + ", routed " + routed + ", written " + written);
      return 1;
    }
    JobSupport.markSuccess(fs, out, conf, "shard");
    System.out.println("wrote " + new Path(out, MANIFEST) + " and " + Report.HTML);
    return 0;
  }

  /**
   * Reads a finished shard output's {@code manifest.json}, checked against its own checksum.
   *
   * @throws BadInputException when the folder is incomplete or the manifest damaged
   */
  public static JsonNode readManifest(Configuration conf, Path shards) throws IOException {
    FileSystem fs = shards.getFileSystem(conf);
    Path manifest = new Path(shards, MANIFEST);
    if (fs.exists(shards) && !fs.exists(manifest)) {
      throw new BadInputException(manifest.toString(), null, null, "no manifest: is this a taxoshard shard output?");
    }
    OutputFiles.requireComplete(fs, shards, "a shard command's output");
    return OutputFiles.readSealed(fs, manifest);
  }

  /** Gathers each shard's figures into {@code manifest.json} and {@code report.html}; returns the real balance. */
  static BalanceFigures writeManifest(Configuration conf, Path out, Plan plan) throws IOException {
    FileSystem fs = out.getFileSystem(conf);
    ObjectMapper json = new ObjectMapper();
    int n = plan.getShards();
    List<Map<String, Object>> shards = new ArrayList<>();
    List<Map<String, long[]>> perShardBins = new ArrayList<>();
    TreeMap<String, Integer> binIndex = new TreeMap<>();
    for (int s = 0; s < n; s++) {
      Path dir = new Path(out, ShardReducer.shardName(s));
      JsonNode f;
      try (InputStream in = fs.open(new Path(dir, ShardReducer.FIGURES))) {
        f = json.readTree(in);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("shard", s);
      m.put("path", ShardReducer.shardName(s));
      m.put("fasta", ShardReducer.shardName(s) + "/" + ShardReducer.shardName(s) + ".fasta");
      m.put("sequences", f.get("sequences").asLong());
      m.put("residues", f.get("residues").asLong());
      m.put("checksum", f.get("checksum").asText());
      m.put("compressed_bytes", f.get("compressed_bytes").asLong());
      m.put(OutputFiles.FILES, f.get(OutputFiles.FILES));
      shards.add(m);
      Map<String, long[]> bins = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = f.get("bins").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        bins.put(e.getKey(), new long[] {e.getValue().get(0).asLong(), e.getValue().get(1).asLong()});
        binIndex.putIfAbsent(e.getKey(), 0);
      }
      perShardBins.add(bins);
    }
    int b = 0;
    for (Map.Entry<String, Integer> e : binIndex.entrySet()) {
      e.setValue(b++);
    }
    double[][] seq = new double[n][binIndex.size()];
    double[][] res = new double[n][binIndex.size()];
    for (int s = 0; s < n; s++) {
      for (Map.Entry<String, long[]> e : perShardBins.get(s).entrySet()) {
        seq[s][binIndex.get(e.getKey())] = e.getValue()[0];
        res[s][binIndex.get(e.getKey())] = e.getValue()[1];
      }
    }
    BalanceFigures figures = new BalanceFigures(seq, res);
    for (int s = 0; s < n; s++) {
      shards.get(s).put("bins", figures.shards.get(s).getBins());
      shards.get(s).put("tv_distance", PlanFiles.round(figures.shards.get(s).getTvDistance()));
    }
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("shards", shards);
    manifest.put("strategy", PlanFiles.name(plan.getStrategy()));
    // Where the figures came from: the index takes the whole database's statistics from the scan.
    manifest.put("plan", TaxoshardKeys.SHARD_PLAN.get(conf));
    manifest.put("stats", plan.getStats());
    manifest.put("balance", PlanFiles.balance(figures.balance));
    manifest.put("sequences", shards.stream().mapToLong(m -> (Long) m.get("sequences")).sum());
    manifest.put("residues", shards.stream().mapToLong(m -> (Long) m.get("residues")).sum());
    // What sharding buys a compressor (deflate level 1 of each shard's FASTA): compare strategies by it.
    manifest.put("compressed_bytes", shards.stream().mapToLong(m -> (Long) m.get("compressed_bytes")).sum());
    long[] binIds = binIndex.keySet().stream().mapToLong(Long::parseLong).toArray();
    java.util.Map<Long, String> names = new java.util.HashMap<>();
    try {
      names = Report.binNames(StatsFiles.read(conf, new Path(plan.getStats())));
    } catch (IOException e) {
      // The report names bins by taxid when the scan has gone; the manifest does not need names.
    }
    Report.write(fs, out, "Shards: " + PlanFiles.name(plan.getStrategy()) + " over " + n + " shards (as written)",
        binIds, names, figures);
    manifest.put(OutputFiles.FILES, OutputFiles.describe(fs, out, List.of(Report.HTML)));
    OutputFiles.writeSealed(fs, OutputFiles.pending(out, MANIFEST), manifest);
    return figures;
  }
}
