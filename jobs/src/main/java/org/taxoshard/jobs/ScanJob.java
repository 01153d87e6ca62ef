package org.taxoshard.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Partitioner;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.util.StringUtils;
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
  /** A record id, for the duplicate check; these keys alone are spread over several reducers. */
  static final String ID_KEY = "I";

  static boolean isIdKey(Text key) {
    return key.getLength() > 0 && key.getBytes()[0] == 'I';
  }

  /** Statistics keys go to the first reducer, which writes stats.avro; id keys go by their hash. */
  public static class ScanPartitioner extends Partitioner<Text, ScanValue> {
    @Override
    public int getPartition(Text key, ScanValue value, int partitions) {
      return isIdKey(key) ? (key.hashCode() & Integer.MAX_VALUE) % partitions : 0;
    }
  }

  static boolean checksDuplicateIds(Configuration conf) {
    return TaxoshardKeys.SCAN_CHECK_DUPLICATE_IDS.getBoolean(conf);
  }

  /** The scan's input files, qualified and sorted: a file's number is its place in this list. */
  static void setInputFiles(Configuration conf, List<String> files) {
    conf.set(TaxoshardKeys.SCAN_INPUT_FILES.key(), files.stream().map(StringUtils::escapeString)
        .collect(java.util.stream.Collectors.joining(",")));
  }

  static List<String> getInputFiles(Configuration conf) {
    List<String> files = new ArrayList<>();
    for (String f : StringUtils.split(conf.get(TaxoshardKeys.SCAN_INPUT_FILES.key(), ""))) {
      if (!f.isEmpty()) {
        files.add(StringUtils.unEscapeString(f));
      }
    }
    return files;
  }

  /** The files a FASTA job over these inputs reads, as its input format lists them. */
  static List<String> listInputs(Job job) throws IOException {
    List<String> files = new ArrayList<>();
    for (FileStatus f : new FastaInputFormat() {
      List<FileStatus> list(Job j) throws IOException {
        return listStatus(j);
      }
    }.list(job)) {
      files.add(f.getPath().toString());
    }
    java.util.Collections.sort(files);
    return files;
  }

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
        new TaxonLookup(t, TaxoshardKeys.TAXONOMY_HEADER_REGEX.get(conf));
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
    job.setMapOutputValueClass(ScanValue.class);
    job.setPartitionerClass(ScanPartitioner.class);
    int reducers = 1;
    if (checksDuplicateIds(job.getConfiguration())) {
      List<String> files = listInputs(job);
      setInputFiles(job.getConfiguration(), files);
      reducers = TaxoshardKeys.SCAN_ID_REDUCERS.getInt(conf);
      if (reducers <= 0) {
        // One reducer per 16 GiB of input (an id is some 25 bytes of shuffle a record).
        long bytes = 0;
        for (String f : files) {
          Path p = new Path(f);
          bytes += p.getFileSystem(conf).getFileStatus(p).getLen();
        }
        reducers = (int) Math.min(64, 1 + bytes / (16L << 30));
      }
    }
    job.setNumReduceTasks(reducers);
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
    OutputFolder.prepare(conf, out, opts.has("overwrite"), OutputFolder.Read.records("--input", inputs),
        OutputFolder.Read.of("--taxonomy", taxonomy), OutputFolder.Read.of(TaxoshardKeys.TAXONOMY_ACCESSION2TAXID.key(),
            Arrays.stream(conf.getTrimmedStrings(TaxoshardKeys.TAXONOMY_ACCESSION2TAXID.key())).map(Path::new).toList()));
    if (taxonomy == null) {
      LOG.warn("no --taxonomy given: every sequence counts as unclassified");
    }
    long start = System.nanoTime();
    Job job = createJob(conf, inputs, taxonomy, rank, out);
    Path taxids = null;
    if (taxonomy != null && !TaxoshardKeys.TAXONOMY_ACCESSION2TAXID.get(conf).isEmpty()) {
      // The tables' taxids, joined by MapReduce first and staged beside the output (which must not
      // exist before the scan's job), then moved into it.
      FileSystem fs = out.getFileSystem(conf);
      Path q = fs.makeQualified(out);
      taxids = new Path(q.getParent(), "." + q.getName() + "." + TaxidJoin.FOLDER);
      fs.delete(taxids, true);
      if (!TaxidJoin.run(conf, job, taxids)) {
        return 1;
      }
      TaxoshardKeys.TAXONOMY_TAXIDS.set(job.getConfiguration(), taxids.toString());
    }
    try {
      if (!JobSupport.runJob(job, out)) {
        return 1;
      }
      if (taxids != null) {
        FileSystem fs = out.getFileSystem(conf);
        JobSupport.withholdSuccess(fs, out);
        if (!fs.rename(taxids, new Path(out, TaxidJoin.FOLDER))) {
          throw new IOException("cannot move " + taxids + " into " + out);
        }
        JobSupport.markSuccess(fs, out, conf, "scan");
      }
    } finally {
      if (taxids != null) {
        taxids.getFileSystem(conf).delete(taxids, true);
      }
    }
    OutputFolder.complete(out.getFileSystem(conf), out); // the job's _SUCCESS, or markSuccess's above
    DatabaseStats stats = StatsFiles.readAvro(out.getFileSystem(conf), new Path(out, StatsFiles.AVRO));
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
    if (b.charAt(b.length() - 1) != ';') {
      return; // no reason counted: no --taxonomy was given, which the scan warned of
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
      b.append(String.format("skipped %,d records, counted in neither figure (those with no residues always,"
          + " bad ones with --lenient):%n", s.getSkipped().getRecords()));
      for (SkippedRecord r : s.getSkipped().getExamples()) {
        b.append(String.format("  %s, %s, record '%s': %s%n", r.getFile(), r.getPlace(), r.getId(), r.getProblem()));
      }
    }
    b.append("wrote ").append(new Path(out, StatsFiles.AVRO)).append(" and ").append(StatsFiles.JSON);
    System.out.println(b);
  }
}
