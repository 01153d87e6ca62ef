package org.taxoshard.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.hadoop.conf.Configurable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Partitioner;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.taxoshard.align.DatabaseSize;
import org.taxoshard.align.SearchParameters;
import org.taxoshard.avro.SearchHit;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.formats.BadInputException;
import org.taxoshard.formats.Checksums;
import org.taxoshard.formats.Hashes;

/**
 * {@code taxoshard search --index DIR --queries P}: the sharded search as one MapReduce job. Each
 * map task searches one split of the query files against one shard's index ({@link SearchMapper});
 * the reduce, keyed by query, merges the shards' hits ({@link SearchReducer}); the driver joins
 * the reducers' files, in input order, into {@code hits.tsv} and {@code hits.avro}. Every E-value
 * is computed for the whole database's residues and sequences, from {@code index.json}, so the
 * result is the one {@code search --db} gives over the whole database, byte for byte.
 */
public final class ShardedSearchJob {
  /** What the sharded search counts. */
  public enum Counter {
    SHARD_QUERY_PAIRS, SUBJECTS_SEARCHED, GAPPED_EXTENSIONS, HITS_BEFORE_MERGE, HITS_AFTER_MERGE, QUERIES_WITH_HITS,
    /** Lists (a query's hits in a shard, or a skipped query's report) the maps wrote ... */
    LISTS_SENT,
    /** ... and the merge reduces received, with their hits: the same, or records were lost. */
    LISTS_RECEIVED, HITS_RECEIVED
  }

  /** The options that set the search's parameters, passed to the tasks as given. */
  private static final String[] PARAMETER_OPTIONS = {"evalue", "max-target-seqs", "comp-based-stats", "matrix", "gapopen",
      "gapextend", "reward", "penalty", "word-size", "sensitivity", "seg"};

  /** The result as Avro records, one per row of hits.tsv. */
  public static final String HITS_AVRO = "hits.avro";

  private ShardedSearchJob() {}

  /** Sends each query split's queries to one reducer; reducer r takes a run of consecutive splits. */
  public static class QuerySplitPartitioner extends Partitioner<QueryKey, ShardHits> implements Configurable {
    private Configuration conf;
    private int splits;

    @Override
    public void setConf(Configuration conf) {
      this.conf = conf;
      splits = Math.max(1, TaxoshardKeys.SEARCH_QUERY_SPLITS.getInt(conf));
    }

    @Override
    public Configuration getConf() {
      return conf;
    }

    @Override
    public int getPartition(QueryKey key, ShardHits value, int partitions) {
      return (int) ((long) key.split * partitions / splits);
    }
  }

  public static void setIndex(Configuration conf, Path index) {
    TaxoshardKeys.SEARCH_INDEX.set(conf, index.toString());
  }

  public static Path getIndex(Configuration conf) {
    return new Path(TaxoshardKeys.SEARCH_INDEX.get(conf));
  }

  public static void setDatabaseSize(Configuration conf, DatabaseSize size) {
    TaxoshardKeys.SEARCH_DATABASE_SIZE.set(conf, size.residues() + ":" + size.sequences());
  }

  public static DatabaseSize getDatabaseSize(Configuration conf) {
    String[] f = TaxoshardKeys.SEARCH_DATABASE_SIZE.get(conf).split(":");
    return new DatabaseSize(Long.parseLong(f[0]), Long.parseLong(f[1]));
  }

  /** Stores the search's settings as command-line options, which the tasks parse as the command did. */
  public static void setParameters(Configuration conf, SearchParameters.Program program, CommandOptions opts) {
    List<String> args = new ArrayList<>(List.of("--program", program.cliName()));
    for (String name : PARAMETER_OPTIONS) {
      if (opts.has(name)) {
        args.add("--" + name);
        args.add(opts.get(name, null));
      }
    }
    conf.setStrings(TaxoshardKeys.SEARCH_SETTINGS.key(), args.toArray(new String[0]));
  }

  public static SearchParameters getParameters(Configuration conf) {
    CommandOptions opts = SearchCommand.options();
    opts.parse(conf.getTrimmedStrings(TaxoshardKeys.SEARCH_SETTINGS.key()));
    return SearchCommand.parameters(opts, SearchParameters.Program.parse(opts.get("program", null)), conf);
  }

  /** Builds the job: query files x shards of the index, merged per query. */
  public static Job createJob(Configuration conf, Path index, int shards, List<Path> queries, Path out)
      throws IOException {
    JobSupport.useLocalCores(conf);
    setIndex(conf, index);
    Job job = Job.getInstance(conf);
    FileInputFormat.setInputPaths(job, queries.toArray(new Path[0]));
    FileInputFormat.setInputDirRecursive(job, true);
    int splits = QueryShardInputFormat.querySplits(job).size();
    if (splits == 0) {
      throw new BadInputException("--queries " + queries + ": no files there");
    }
    Configuration c = job.getConfiguration();
    c.setInt(TaxoshardKeys.SEARCH_QUERY_SPLITS.key(), splits);
    int reducers = TaxoshardKeys.SEARCH_REDUCERS.getInt(c);
    job.setNumReduceTasks(reducers > 0 ? reducers : Math.min(splits, 64));
    job.setJobName("taxoshard search " + splits + " query splits x " + shards + " shards");
    JobSupport.setJar(job, ShardedSearchJob.class);
    job.setInputFormatClass(QueryShardInputFormat.class);
    job.setMapperClass(SearchMapper.class);
    job.setPartitionerClass(QuerySplitPartitioner.class);
    job.setReducerClass(SearchReducer.class);
    job.setMapOutputKeyClass(QueryKey.class);
    job.setMapOutputValueClass(ShardHits.class);
    JobSupport.sideFileOutput(job, out);
    return job;
  }

  /** Runs the sharded search for {@code taxoshard search --index}; returns the exit status. */
  static int run(Configuration conf, CommandOptions opts) throws Exception {
    Path indexDir = opts.requirePath("index");
    List<Path> queryPaths = opts.requirePaths("queries");
    Path out = opts.requirePath("out");
    OutputFolder.prepare(conf, out, opts.has("overwrite"), OutputFolder.Read.of("--index", indexDir),
        OutputFolder.Read.records("--queries", queryPaths));
    long started = System.nanoTime();
    IndexFiles.Index index = IndexFiles.read(conf, indexDir);
    SearchParameters.Program program = index.nucleotide() ? SearchParameters.Program.BLASTN
        : SearchParameters.Program.BLASTP;
    if (opts.has("program")) {
      SearchParameters.Program asked = SearchCommand.parseProgram(opts.get("program", null));
      if (asked != program) {
        throw new UsageException("--program " + asked.cliName() + ", but the index at " + indexDir + " holds "
            + (index.nucleotide() ? "nucleotides" : "proteins"));
      }
    }
    SearchParameters params = SearchCommand.parameters(opts, program, conf);
    DatabaseSize size = opts.has("dbsize") || opts.has("dbseqs") ? SearchCommand.givenSize(opts)
        : new DatabaseSize(index.residues(), index.sequences());
    setParameters(conf, program, opts);
    setDatabaseSize(conf, size);
    Job job = createJob(conf, index.dir(), index.shards().size(), queryPaths, out);
    if (!JobSupport.runJob(job, out)) {
      return 1;
    }
    org.apache.hadoop.mapreduce.Counters counters = job.getCounters();
    String lost = lostOnTheWay(counters);
    if (lost != null) {
      out.getFileSystem(conf).delete(out, true);
      System.err.println("taxoshard search: records lost: " + lost);
      return 1;
    }
    long queries = counters.findCounter(SearchCommand.Counter.QUERIES).getValue();
    long skipped = counters.findCounter(SearchCommand.Counter.QUERIES_SKIPPED).getValue();
    FileSystem fs = out.getFileSystem(conf);
    int reducers = job.getNumReduceTasks();
    for (int r = 0; r < reducers; r++) {
      Path p = new Path(out, SearchReducer.part("skipped", r, "tsv"));
      try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          System.err.println("query skipped: " + line);
        }
      }
    }
    if (queries == 0) {
      fs.delete(out, true);
      throw new BadInputException("--queries " + queryPaths + ": no query to search"
          + (skipped > 0 ? " (" + skipped + " skipped, see above)" : " (no records)"));
    }
    long hits = counters.findCounter(Counter.HITS_AFTER_MERGE).getValue();
    Map<String, Object> summary = SearchCommand.summary(params, queries, skipped, hits, size);
    summary.put("index", index.dir().toString());
    summary.put("shards", index.shards().size());
    join(fs, out, reducers, summary, conf);
    System.out.printf("search: %s, %d queries (%d skipped) against %d shards of %s (E-values for %,d residues in %,d"
        + " sequences), %,d hits in %.1f s%n", params, queries, skipped, index.shards().size(), index.dir(),
        size.residues(), size.sequences(), hits, (System.nanoTime() - started) / 1e9);
    System.out.printf("merge: %,d shard-query pairs, %,d hits from the shards, %,d after the merge%n",
        counters.findCounter(Counter.SHARD_QUERY_PAIRS).getValue(),
        counters.findCounter(Counter.HITS_BEFORE_MERGE).getValue(), hits);
    System.out.println("wrote " + new Path(out, "hits.tsv"));
    return 0;
  }

  /**
   * What the maps sent and the merge received, compared; null when they agree. Hadoop's shuffle
   * does not lose records, but a library on the task classpath that reads them otherwise could,
   * and a merge short of a shard's list is a wrong result that looks right.
   */
  static String lostOnTheWay(org.apache.hadoop.mapreduce.Counters c) {
    long sent = c.findCounter(Counter.LISTS_SENT).getValue();
    long received = c.findCounter(Counter.LISTS_RECEIVED).getValue();
    long hitsSent = c.findCounter(Counter.HITS_BEFORE_MERGE).getValue();
    long hitsReceived = c.findCounter(Counter.HITS_RECEIVED).getValue();
    if (sent == received && hitsSent == hitsReceived) {
      return null;
    }
    return String.format("the maps sent %,d lists of %,d hits, the merge received %,d lists of %,d hits", sent, hitsSent,
        received, hitsReceived);
  }

  /**
   * Joins the reducers' files in reducer order (= input order) into {@code hits.tsv} and
   * {@code hits.avro} and removes them; {@code _SUCCESS} is withheld until both are whole.
   */
  private static void join(FileSystem fs, Path out, int reducers, Map<String, Object> summary, Configuration conf)
      throws IOException {
    JobSupport.withholdSuccess(fs, out);
    Path tsvTmp = new Path(out, "_hits.tsv.tmp");
    Path avroTmp = new Path(out, "_hits.avro.tmp");
    Checksums.CountingOutputStream tsv = new Checksums.CountingOutputStream(fs.create(tsvTmp, true));
    Checksums.CountingOutputStream avroFile = new Checksums.CountingOutputStream(fs.create(avroTmp, true));
    try (tsv; DataFileWriter<SearchHit> avro = new DataFileWriter<>(new SpecificDatumWriter<>(SearchHit.class))) {
      avro.setCodec(org.apache.avro.file.CodecFactory.deflateCodec(1));
      avro.create(SearchHit.getClassSchema(), avroFile, Hashes.syncMarker(HITS_AVRO));
      for (int r = 0; r < reducers; r++) {
        Path t = new Path(out, SearchReducer.part("hits", r, "tsv"));
        try (InputStream in = fs.open(t)) {
          in.transferTo(tsv);
        }
        Path a = new Path(out, SearchReducer.part("hits", r, "avro"));
        try (InputStream in = fs.open(a);
            DataFileStream<SearchHit> part = new DataFileStream<>(in, new SpecificDatumReader<>(SearchHit.class))) {
          avro.appendAllFrom(part, false);
        }
        fs.delete(t, false);
        fs.delete(a, false);
        fs.delete(new Path(out, SearchReducer.part("skipped", r, "tsv")), false);
      }
    }
    rename(fs, tsvTmp, new Path(out, SearchCommand.HITS));
    rename(fs, avroTmp, new Path(out, HITS_AVRO));
    summary.put(OutputFiles.FILES, List.of(OutputFiles.entry(SearchCommand.HITS, tsv.sum()),
        OutputFiles.entry(HITS_AVRO, avroFile.sum())));
    OutputFiles.writeSealed(fs, OutputFiles.pending(out, SearchCommand.SUMMARY), summary);
    JobSupport.markSuccess(fs, out, conf, "search");
  }

  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("cannot rename " + from + " to " + to);
    }
  }
}
