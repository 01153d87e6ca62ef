package org.taxoshard.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;
import org.taxoshard.align.SearchParameters;
import org.taxoshard.conf.PipelineConfig;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.formats.BadInputException;

/**
 * {@code taxoshard run --config FILE.toml}: scan, plan, shard, index and search in order, each
 * into its own folder under the configuration's work directory. A step that finishes leaves
 * {@code _taxoshard-step.json}: the configuration it was made with, the state of its input files
 * and its upstream step's fingerprint. Run again (after a failure, a kill, or a change) and every
 * step whose file matches is kept; the first that does not, and every step after it, is redone.
 */
public class RunCommand extends Configured implements Tool {
  public static final String STEP_FILE = "_taxoshard-step.json";

  private static CommandOptions options() {
    return new CommandOptions("run", "Runs scan, plan, shard, index and search as a pipeline config (TOML) describes;"
        + " a second run resumes, redoing only what changed or did not finish.")
        .value("config", "FILE", "the pipeline configuration (TOML: [input], [distributed], [sharding], [statistics],"
            + " [cluster], [search], [hadoop])");
  }

  /** One step: its command, arguments, the setting prefixes that affect it and the files it reads. */
  /** One step: its command, folder, arguments, the key groups that affect it, its input files, its folder's JSON. */
  private record Step(String name, Supplier<Tool> tool, Path dir, List<String> args, String settings, List<String> inputs,
      String json) {}

  /** What a step did, for the summary. */
  private record Done(String name, String what, double seconds, long records, long bytes) {}

  @Override
  public int run(String[] args) throws Exception {
    CommandOptions opts = options();
    if (!opts.parse(args)) {
      return 0;
    }
    Path configPath = opts.requirePath("config");
    Configuration base = getConf();
    FileSystem configFs = configPath.getFileSystem(base);
    if (!configFs.exists(configPath)) {
      throw new BadInputException(configPath + ": no such configuration file");
    }
    String text;
    try (InputStream in = configFs.open(configPath)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    PipelineConfig cfg;
    try {
      cfg = PipelineConfig.parse(configPath.toString(), text);
    } catch (PipelineConfig.ConfigException e) {
      throw new BadInputException(e.getMessage());
    }
    if (cfg.program() == null) {
      checkSearchOptions(cfg, SearchParameters.Program.BLASTP, "");
    } else {
      checkSearchOptions(cfg, SearchParameters.Program.parse(cfg.program()), " (program = \"" + cfg.program() + "\")");
    }
    Configuration conf = configure(new Configuration(base), cfg);
    checkInputs(conf, cfg);
    Path work = new Path(cfg.work());
    try (RunLock lock = RunLock.acquire(work.getFileSystem(conf), work)) {
      return runSteps(conf, cfg, work);
    }
  }

  /** The steps in order, each kept or redone; returns the exit status. */
  private int runSteps(Configuration conf, PipelineConfig cfg, Path work) throws Exception {
    List<Step> steps = steps(conf, cfg, work);
    List<Done> done = new ArrayList<>();
    String upstream = "";
    boolean redo = false;
    long started = System.nanoTime();
    for (Step step : steps) {
      Map<String, Object> fingerprint = fingerprint(conf, step, upstream);
      String hash = hash(fingerprint);
      FileSystem fs = step.dir().getFileSystem(conf);
      Path stepFile = new Path(step.dir(), STEP_FILE);
      boolean same = !redo && hash.equals(recordedHash(fs, stepFile));
      String damage = same ? OutputFiles.intactProblem(fs, step.dir(), step.json()) : null;
      if (same && damage == null) {
        System.out.println(step.name() + ": kept (made before with the same configuration and inputs)");
        done.add(summary(fs, step, "kept", 0));
        upstream = hash;
        if (step.name().equals("scan")) {
          checkScan(fs, step.dir(), cfg);
        }
        continue;
      }
      redo = true;
      if (fs.exists(step.dir())) {
        System.out.println(step.name() + ": redoing (" + (damage != null ? "its output changed since: " + damage
            : fs.exists(stepFile) ? "its configuration or inputs changed" : "it did not finish") + ")");
        fs.delete(step.dir(), true);
      }
      long t = System.nanoTime();
      int rc = ToolRunner.run(new Configuration(conf), step.tool().get(), step.args().toArray(new String[0]));
      if (rc != 0) {
        System.err.println("taxoshard run: " + step.name() + " failed (exit " + rc + "); run again to resume from "
            + step.name());
        return rc;
      }
      fingerprint.put("fingerprint", hash);
      try (OutputStream o = fs.create(stepFile, true)) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(o, fingerprint);
      }
      done.add(summary(fs, step, "ran", (System.nanoTime() - t) / 1e9));
      upstream = hash;
      if (step.name().equals("scan")) {
        checkScan(fs, step.dir(), cfg);
      }
    }
    System.out.println();
    System.out.printf("%-8s %-5s %10s %14s %16s%n", "step", "", "wall", "records", "bytes");
    for (Done d : done) {
      System.out.printf("%-8s %-5s %10s %,14d %,16d%n", d.name(), d.what(), d.what().equals("kept") ? "-"
          : Progress.seconds(d.seconds()), d.records(), d.bytes());
    }
    System.out.printf("pipeline finished in %s under %s%n", Progress.seconds((System.nanoTime() - started) / 1e9), work);
    if (!cfg.queries().isEmpty()) {
      System.out.println("hits:   " + new Path(new Path(work, "search"), "hits.tsv"));
    }
    System.out.println("report: " + new Path(new Path(work, "shards"), Report.HTML));
    return 0;
  }

  /** The configuration's settings as Hadoop configuration: cluster, [hadoop] table, the mapped keys. */
  static Configuration configure(Configuration conf, PipelineConfig cfg) {
    if (cfg.distributed()) {
      conf.set("mapreduce.framework.name", "yarn");
      if (cfg.coordinator() != null) {
        conf.set("yarn.resourcemanager.address", cfg.coordinator());
      }
    } else {
      conf.set("mapreduce.framework.name", "local");
    }
    if (cfg.filesystem() != null) {
      conf.set("fs.defaultFS", cfg.filesystem());
    }
    TaxoshardKeys.PLAN_MAX_SHARD_RESIDUES.setLong(conf, (long) (cfg.maxShardSizeGb() * 1e9));
    if (cfg.minTaxaPerShard() >= 0) {
      TaxoshardKeys.PLAN_MIN_TAXA_PER_SHARD.setLong(conf, cfg.minTaxaPerShard());
    }
    if (!Double.isNaN(cfg.balanceThreshold())) {
      TaxoshardKeys.SIMILARITY_OVERLOAD.set(conf, String.valueOf(cfg.balanceThreshold()));
    }
    if (!Double.isNaN(cfg.overlapSizeMb())) {
      // overlap_size_mb counts a million residues (bytes of sequence) a megabyte; a fragment is at
      // least 4 overlaps long, so that at most a quarter of it is searched twice.
      long overlap = (long) (cfg.overlapSizeMb() * 1_000_000);
      TaxoshardKeys.INDEX_FRAGMENT_OVERLAP.setLong(conf, overlap);
      long fragment = TaxoshardKeys.INDEX_FRAGMENT_LENGTH.getLong(conf);
      if (fragment > 0 && fragment < 4 * overlap) {
        TaxoshardKeys.INDEX_FRAGMENT_LENGTH.setLong(conf, 4 * overlap);
      }
    }
    for (Map.Entry<String, String> e : cfg.hadoop().entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    TaxoshardKeys.RUN_PROGRESS.setBoolean(conf, true);
    return conf;
  }

  /**
   * The search's own values, checked before the first step rather than when the search starts:
   * applied to the program's defaults as the search will apply them, so that a bad value, or a
   * blastp-only one (a sensitivity, SEG) on a blastn search, stops the run with its key's place.
   * Without {@code [search] program} they are checked against blastp here and again, with the
   * scan's alphabet, once the scan has run.
   */
  private static void checkSearchOptions(PipelineConfig cfg, SearchParameters.Program program, String why)
      throws BadInputException {
    SearchParameters p = SearchParameters.defaults(program);
    String key = "sensitivity";
    try {
      if (cfg.sensitivity() != null) {
        p = p.withSensitivity(SearchParameters.Sensitivity.parse(cfg.sensitivity()));
      }
      key = "seg";
      if (cfg.seg() != null) {
        p.withSeg(SearchCommand.seg(cfg.seg()));
      }
    } catch (IllegalArgumentException e) {
      throw new BadInputException(cfg.error("search", key, e.getMessage() + why).getMessage());
    }
  }

  /**
   * What the configuration asks that only the scan's figures can check, named by the TOML's line
   * and key: shards within max_shard_size_gb, and, without {@code [search] program} (the search
   * then takes its program from the scan's alphabet), the search options against a nucleotide
   * database, here after the scan rather than after the shards and index.
   */
  private static void checkScan(FileSystem fs, Path scan, PipelineConfig cfg) throws IOException {
    JsonNode stats = readJson(fs, new Path(scan, StatsFiles.JSON), new ObjectMapper());
    long residues = stats.path("residues").asLong();
    long needed = PlanCommand.shardsNeeded(residues, cfg.numShards(), (long) (cfg.maxShardSizeGb() * 1e9));
    if (needed > 0) { // the plan's own rule, with the limit configure() passes it
      throw new BadInputException(cfg.error("distributed", "max_shard_size_gb", String.format(
          "%s: each of num_shards = %d shards would hold about %,d residues (a residue a byte), above this"
              + " limit; the scan counted %,d residues, so set num_shards to at least %d, or raise the limit",
          cfg.maxShardSizeGb(), cfg.numShards(), residues / cfg.numShards(), residues, needed)).getMessage());
    }
    if (cfg.queries().isEmpty() || cfg.program() != null) {
      return;
    }
    if ("nucleotide".equals(stats.path("alphabet").asText())) {
      checkSearchOptions(cfg, SearchParameters.Program.BLASTN, " (the scan found a nucleotide database: " + scan + ")");
    }
  }

  /** Every input the configuration names must exist before anything runs. */
  private static void checkInputs(Configuration conf, PipelineConfig cfg) throws IOException {
    for (String p : cfg.database()) {
      mustExist(conf, p, cfg.place("input", "database"));
    }
    if (cfg.taxonomy() != null) {
      mustExist(conf, cfg.taxonomy(), cfg.place("input", "taxonomy"));
    }
    for (String p : cfg.queries()) {
      mustExist(conf, p, cfg.place("input", "queries"));
    }
  }

  private static void mustExist(Configuration conf, String path, String place) throws IOException {
    Path p = new Path(path);
    FileStatus[] found = p.getFileSystem(conf).globStatus(p);
    if (found == null || found.length == 0) {
      throw new BadInputException(place + ": " + path + " does not exist");
    }
  }

  private static List<Step> steps(Configuration conf, PipelineConfig cfg, Path work) {
    String db = String.join(",", cfg.database());
    List<Step> steps = new ArrayList<>();
    Path scan = new Path(work, "scan");
    Path plan = new Path(work, "plan");
    Path shards = new Path(work, "shards");
    Path index = new Path(work, "index");
    List<String> scanArgs = new ArrayList<>(List.of("--input", db, "--rank", cfg.rank(), "--out", scan.toString()));
    List<String> scanInputs = new ArrayList<>(cfg.database());
    if (cfg.taxonomy() != null) {
      scanArgs.addAll(List.of("--taxonomy", cfg.taxonomy()));
      scanInputs.add(cfg.taxonomy());
      // The scan reads the accession2taxid tables too: a table updated in place redoes it.
      for (String t : TaxoshardKeys.TAXONOMY_ACCESSION2TAXID.get(conf).split(",")) {
        if (!t.isBlank()) {
          scanInputs.add(t.trim());
        }
      }
    }
    steps.add(new Step("scan", ScanJob::new, scan, scanArgs, "fasta|input|taxonomy", scanInputs,
        StatsFiles.JSON));
    steps.add(new Step("plan", PlanCommand::new, plan, List.of("--stats", scan.toString(), "--shards",
        String.valueOf(cfg.numShards()), "--strategy", cfg.strategy(), "--out", plan.toString()), "plan|similarity",
        List.of(), PlanFiles.JSON));
    steps.add(new Step("shard", ShardJob::new, shards, List.of("--input", db, "--plan", plan.toString(), "--out",
        shards.toString()), "shard", cfg.database(),
        ShardJob.MANIFEST));
    steps.add(new Step("index", IndexJob::new, index, List.of("--shards", shards.toString(), "--out", index.toString()),
        "index", List.of(), IndexFiles.JSON));
    if (!cfg.queries().isEmpty()) {
      Path search = new Path(work, "search");
      List<String> a = new ArrayList<>(List.of("--index", index.toString(), "--queries", String.join(",", cfg.queries()),
          "--out", search.toString(), "--evalue", String.valueOf(cfg.evalue()), "--max-target-seqs",
          String.valueOf(cfg.maxTargetSeqs()), "--comp-based-stats", cfg.correctionMethod().equals("none") ? "0" : "1"));
      if (cfg.program() != null) {
        a.addAll(List.of("--program", cfg.program()));
      }
      if (cfg.sensitivity() != null) {
        a.addAll(List.of("--sensitivity", cfg.sensitivity()));
      }
      if (cfg.seg() != null) {
        a.addAll(List.of("--seg", cfg.seg()));
      }
      steps.add(new Step("search", SearchCommand::new, search, a, "search", cfg.queries(), SearchCommand.SUMMARY));
    }
    return steps;
  }

  /**
   * What a step's output depends on: its arguments, the taxoshard settings that affect it, the
   * state (path, length, modification time) of every file it reads, and its upstream step.
   */
  private static Map<String, Object> fingerprint(Configuration conf, Step step, String upstream) throws IOException {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("step", step.name());
    f.put("args", step.args());
    f.put("settings", new TreeMap<>(conf.getValByRegex("^taxoshard\\.(" + step.settings() + ")\\.")));
    List<String> files = new ArrayList<>();
    for (String input : step.inputs()) {
      Path p = new Path(input);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] found = fs.globStatus(p);
      for (FileStatus s : found == null ? new FileStatus[0] : found) {
        if (s.isDirectory()) {
          RemoteIterator<LocatedFileStatus> it = fs.listFiles(s.getPath(), true);
          while (it.hasNext()) {
            LocatedFileStatus x = it.next();
            files.add(x.getPath() + "\t" + x.getLen() + "\t" + x.getModificationTime());
          }
        } else {
          files.add(s.getPath() + "\t" + s.getLen() + "\t" + s.getModificationTime());
        }
      }
    }
    java.util.Collections.sort(files);
    f.put("inputs", files);
    f.put("upstream", upstream);
    return f;
  }

  private static String hash(Map<String, Object> fingerprint) throws IOException {
    try {
      byte[] json = new ObjectMapper().writeValueAsBytes(fingerprint);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The fingerprint a finished step recorded, or null when it has none (never ran, or did not finish). */
  private static String recordedHash(FileSystem fs, Path stepFile) throws IOException {
    if (!fs.exists(stepFile)) {
      return null;
    }
    try (InputStream in = fs.open(stepFile)) {
      JsonNode j = new ObjectMapper().readTree(in);
      return j.path("fingerprint").asText(null);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
  }

  /** Records and bytes a step's output holds, for the summary table. */
  private static Done summary(FileSystem fs, Step step, String what, double seconds) throws IOException {
    long bytes = fs.getContentSummary(step.dir()).getLength();
    long records = 0;
    ObjectMapper json = new ObjectMapper();
    switch (step.name()) {
      case "scan" -> records = readJson(fs, new Path(step.dir(), StatsFiles.JSON), json).path("sequences").asLong();
      case "plan" -> records = readJson(fs, new Path(step.dir(), "plan.json"), json).path("shards").size();
      case "shard" -> records = readJson(fs, new Path(step.dir(), ShardJob.MANIFEST), json).path("sequences").asLong();
      case "index" -> records = readJson(fs, new Path(step.dir(), IndexFiles.JSON), json).path("entries").asLong();
      default -> {
        try (InputStream in = fs.open(new Path(step.dir(), "hits.tsv"))) {
          byte[] buf = new byte[1 << 16];
          for (int n; (n = in.read(buf)) > 0; ) {
            for (int i = 0; i < n; i++) {
              records += buf[i] == '\n' ? 1 : 0;
            }
          }
        }
      }
    }
    return new Done(step.name(), what, seconds, records, bytes);
  }

  private static JsonNode readJson(FileSystem fs, Path p, ObjectMapper json) throws IOException {
    try (InputStream in = fs.open(p)) {
      return json.readTree(in);
    }
  }
}
