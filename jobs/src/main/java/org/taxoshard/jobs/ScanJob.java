package org.taxoshard.jobs;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.util.Tool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taxoshard.avro.Bin;
import org.taxoshard.avro.DatabaseStats;
import org.taxoshard.avro.SkippedRecord;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.fasta.FastaInputFormat;
import org.taxoshard.taxonomy.TaxonLookup;
import org.taxoshard.taxonomy.Taxonomy;

/**
 * {@code taxoshard scan}: reads FASTA in parallel and writes the database's global statistics
 * ({@code stats.avro}, {@code stats.json}): sequences, residues, composition, length histogram,
 * and the taxonomic profile by bin at the chosen rank.
 *
 * <p>Maps build partial statistics per split (per bin, per file, in total), a combiner adds them
 * up, and one reduce writes the whole. Nothing holds more than one record at a time.
 */
public class ScanJob extends Configured implements Tool {
  private static final Logger LOG = LoggerFactory.getLogger(ScanJob.class);

  /** What the scan counts, beside the reader's own RECORDS and SKIPPED_RECORDS. */
  public enum Counter {
    SEQUENCES, RESIDUES, UNCLASSIFIED,
    /** Why sequences are unclassified: the header names no taxon ... */
    NO_TAXON,
    /** ... a taxid the taxonomy does not hold ... */
    UNKNOWN_TAXID,
    /** ... an organism name names.dmp does not know ... */
    NAME_NOT_FOUND,
    /** ... a name several taxa share that the header does not settle ... */
    AMBIGUOUS_NAME,
    /** ... or a taxon with no ancestor at the rank. */
    NO_ANCESTOR_AT_RANK
  }

  static final String BIN_KEY = "B";
  static final String FILE_KEY = "F";
  static final String TOTAL_KEY = "T";
  static final String SPLIT_KEY = "S";

  private static CommandOptions options() {
    return new CommandOptions("scan",
        "Reads FASTA (plain, gzip, BGZF) in parallel and writes the database's global statistics:"
            + " stats.avro and stats.json under --out.")
        .value("input", "P[,P...]", "FASTA files, folders or globs (Hadoop paths)")
        .value("taxonomy", "DIR", "NCBI taxdump folder: nodes.dmp, names.dmp, optional merged.dmp")
        .value("rank", "R", "taxonomic rank that bins sequences (default genus)")
        .flag("lenient", "skip bad records, count them and list them at the end, instead of stopping")
        .output();
  }

  /** Builds the job; {@code taxonomy} may be null. Public so that pipelines and tests can reuse it. */
  public static Job createJob(Configuration conf, List<Path> inputs, Path taxonomy, String rank, Path out)
      throws IOException {
    JobSupport.useLocalCores(conf);
    TaxoshardKeys.TAXONOMY_RANK.set(conf, rank);
    Job job = Job.getInstance(conf, "taxoshard scan");
    JobSupport.setJar(job, ScanJob.class);
    if (taxonomy != null) {
      Taxonomy t = TaxonomyCache.ship(job, taxonomy);
      if (!t.isKnownRank(rank)) {
        throw new UsageException("--rank " + rank + ": no taxon in " + taxonomy + " has that rank");
      }
      try {
        // Fails here, before any task, on a regex that does not compile or names no group.
        new TaxonLookup(t, TaxoshardKeys.TAXONOMY_HEADER_REGEX.get(conf), null);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    FileInputFormat.setInputPaths(job, inputs.toArray(new Path[0]));
    FileInputFormat.setInputDirRecursive(job, true);
    job.setInputFormatClass(FastaInputFormat.class);
    job.setMapperClass(ScanMapper.class);
    job.setCombinerClass(ScanCombiner.class);
    job.setReducerClass(ScanReducer.class);
    job.setMapOutputKeyClass(Text.class);
    job.setMapOutputValueClass(PartialStats.class);
    job.setNumReduceTasks(1);
    // The reduce writes stats.avro and stats.json as committed side files; no part files.
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
    Path out = opts.requirePath("out");
    Path taxonomy = opts.has("taxonomy") ? opts.requirePath("taxonomy") : null;
    String rank = opts.get("rank", TaxoshardKeys.TAXONOMY_RANK.get(conf));
    if (opts.has("lenient")) {
      FastaInputFormat.setLenient(conf, true);
    }
    JobSupport.prepareOutput(conf, out, opts.has("overwrite"));
    if (taxonomy == null) {
      LOG.warn("no --taxonomy given: every sequence counts as unclassified");
    }
    long start = System.nanoTime();
    Job job = createJob(conf, inputs, taxonomy, rank, out);
    if (!JobSupport.runJob(job, out)) {
      return 1;
    }
    DatabaseStats stats = StatsFiles.read(conf, out);
    report(stats, out, (System.nanoTime() - start) / 1e9);
    reportUnclassified(job);
    return 0;
  }

  /** Why sequences went unclassified, so that a user can fix the headers or the regex. */
  private static void reportUnclassified(Job job) throws IOException {
    org.apache.hadoop.mapreduce.Counters c = job.getCounters();
    if (c.findCounter(Counter.UNCLASSIFIED).getValue() == 0) {
      return;
    }
    StringBuilder b = new StringBuilder("unclassified because:");
    for (Counter k : new Counter[] {Counter.NO_TAXON, Counter.UNKNOWN_TAXID, Counter.NAME_NOT_FOUND,
        Counter.AMBIGUOUS_NAME, Counter.NO_ANCESTOR_AT_RANK}) {
      long v = c.findCounter(k).getValue();
      if (v > 0) {
        b.append(String.format(" %s %,d;", k.name().toLowerCase().replace('_', ' '), v));
      }
    }
    System.out.println(b.substring(0, b.length() - 1));
  }

  private static void report(DatabaseStats s, Path out, double seconds) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("scan: %,d sequences, %,d residues (%s), %d bins at %s, %,d unclassified, %.1f s%n",
        s.getSequences(), s.getResidues(), s.getAlphabet().name().toLowerCase(), s.getBins().size(),
        s.getRank(), s.getUnclassified(), seconds));
    int shown = 0;
    for (Bin bin : s.getBins()) {
      if (shown++ == 10) {
        b.append(String.format("  ... %d more bins in stats.json%n", s.getBins().size() - 10));
        break;
      }
      b.append(String.format("  %-32s %,12d sequences %,15d residues%n", bin.getName(), bin.getSequences(), bin.getResidues()));
    }
    if (s.getSkipped().getRecords() > 0) {
      b.append(String.format("skipped %,d bad records (lenient mode):%n", s.getSkipped().getRecords()));
      for (SkippedRecord r : s.getSkipped().getExamples()) {
        b.append(String.format("  %s, %s, record '%s': %s%n", r.getFile(), r.getPlace(), r.getId(), r.getProblem()));
      }
    }
    b.append("wrote ").append(new Path(out, StatsFiles.AVRO)).append(" and ").append(StatsFiles.JSON);
    System.out.println(b);
  }
}
