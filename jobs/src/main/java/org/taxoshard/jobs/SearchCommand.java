package org.taxoshard.jobs;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.Tool;
import org.taxoshard.align.DatabaseSearch;
import org.taxoshard.align.DatabaseSize;
import org.taxoshard.align.Hit;
import org.taxoshard.align.Query;
import org.taxoshard.align.Residue;
import org.taxoshard.align.Search;
import org.taxoshard.align.SearchParameters;
import org.taxoshard.align.Seg;
import org.taxoshard.align.SubjectBatch;
import org.taxoshard.align.Worker;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.fasta.FastaFiles;
import org.taxoshard.fasta.FastaInputFormat;
import org.taxoshard.fasta.FastaRecord;
import org.taxoshard.formats.Checksums;
import org.taxoshard.fasta.Residues;

/**
 * {@code taxoshard search --db FASTA --queries FASTA}: one process, no index files, no MapReduce,
 * {@code hits.tsv} (BLAST {@code -outfmt 6}) under {@code --out}. The reference the sharded search
 * must equal, and a quick tool for databases that fit one machine: the database is streamed, never
 * held whole; queries are searched in batches ({@code taxoshard.search.query-batch-residues}), one
 * pass over the database per batch.
 */
public class SearchCommand extends Configured implements Tool {
  /** What the search counts; printed at the end. */
  public enum Counter { QUERIES, QUERIES_SKIPPED, SUBJECTS, HITS }

  /** The result, BLAST tabular. */
  public static final String HITS = "hits.tsv";
  /** What the result folder holds, sealed: see {@link OutputFiles}. */
  public static final String SUMMARY = "search.json";

  static CommandOptions options() {
    return new CommandOptions("search", "Searches query FASTA against a database, BLAST-style; writes hits.tsv"
        + " (BLAST -outfmt 6, E-values for the whole database) under --out.")
        .value("db", "P[,P...]", "database FASTA files, folders or globs: searched directly, in this process")
        .value("index", "DIR", "an index made by taxoshard index (the sharded search)")
        .value("queries", "P[,P...]", "query FASTA files, folders or globs")
        .value("program", "blastp|blastn", "default: the database's alphabet (--index: as the scan found it;"
            + " --db: the queries' letters choose, and a database of the other alphabet is refused)")
        .value("evalue", "E", "report hits with E-value at most E (default 10)")
        .value("max-target-seqs", "K", "at most K subjects per query (default 500)")
        .value("sensitivity", SearchParameters.Sensitivity.names(), "seeds and extension (blastp): blast (default)"
            + " runs BLAST's own algorithm; fast uses spaced seeds 1101 at threshold 12 and a gap trigger of"
            + " 24 bits, trading a little of BLAST's sensitivity for speed (measured in the README)")
        .value("seg", "yes|no|'W L H'", "blastp's -seg: mask the queries' low-complexity regions with SEG (yes: window"
            + " 12, locut 2.2, hicut 2.5, or the three given) for seeds and scores; default no (proteins)")
        .value("comp-based-stats", "0|1", "0 plain Karlin-Altschul statistics, 1 composition-based (default 1; proteins)")
        .value("threads", "N", "search threads (default: the cores present)")
        .value("matrix", "NAME", "protein scoring matrix (default BLOSUM62)")
        .value("gapopen", "N", "gap opening cost (default 11 blastp, 5 blastn)")
        .value("gapextend", "N", "gap extension cost (default 1 blastp, 2 blastn)")
        .value("reward", "N", "nucleotide match reward (default 2)")
        .value("penalty", "N", "nucleotide mismatch penalty (default -3)")
        .value("word-size", "N", "seed word size (default 3 blastp, 11 blastn)")
        .value("dbsize", "N", "residues of the whole database, for E-values (default: counted from --db)")
        .value("dbseqs", "N", "sequences of the whole database, with --dbsize")
        .output();
  }

  @Override
  public int run(String[] args) throws Exception {
    CommandOptions opts = options();
    if (!opts.parse(args)) {
      return 0;
    }
    Configuration conf = getConf();
    if (opts.has("index") == opts.has("db")) {
      throw new UsageException("give exactly one of --db (search FASTA directly) and --index (a sharded index)");
    }
    if (opts.has("index")) {
      return ShardedSearchJob.run(conf, opts);
    }
    List<Path> dbPaths = opts.requirePaths("db");
    List<Path> queryPaths = opts.requirePaths("queries");
    Path out = opts.requirePath("out");
    OutputFolder.prepare(conf, out, opts.has("overwrite"), OutputFolder.Read.records("--db", dbPaths),
        OutputFolder.Read.records("--queries", queryPaths));

    long started = System.nanoTime();
    Queries queries = readQueries(conf, queryPaths, opts.get("program", null));
    SearchParameters params = parameters(opts, queries.program, conf);
    int threads = opts.getInt("threads", Runtime.getRuntime().availableProcessors(), 1);
    checkDatabaseAlphabet(conf, dbPaths, queries.program);
    DatabaseSize size = databaseSize(conf, opts, dbPaths);

    FileSystem fs = out.getFileSystem(conf);
    fs.mkdirs(out);
    Path tmp = new Path(out, "_hits.tsv.tmp");
    Checksums.CountingOutputStream tsv = new Checksums.CountingOutputStream(fs.create(tmp, true));
    long hits = 0;
    long subjects = 0;
    long[] work = new long[6];
    long batchLimit = TaxoshardKeys.SEARCH_QUERY_BATCH_RESIDUES.getLong(conf);
    long blockLimit = TaxoshardKeys.SEARCH_QUERY_BLOCK_RESIDUES.getLong(conf);
    long subjectBatch = TaxoshardKeys.SEARCH_SUBJECT_BATCH_RESIDUES.getLong(conf);
    try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(tsv, StandardCharsets.UTF_8))) {
      for (List<Query> batch : DatabaseSearch.split(queries.list, batchLimit)) {
        List<Search> blocks = DatabaseSearch.blocks(params, size, batch, blockLimit);
        List<List<Worker>> workers;
        try (FastaFiles db = new FastaFiles(conf, dbPaths)) {
          workers = DatabaseSearch.run(blocks, (b, residues) -> fill(db, b, residues), threads, subjectBatch);
        }
        long[] c = DatabaseSearch.counters(workers);
        subjects = c[0];
        for (int i = 0; i < work.length; i++) {
          work[i] += c[i];
        }
        for (int k = 0; k < blocks.size(); k++) {
          for (List<Hit> rows : blocks.get(k).merge(workers.get(k))) {
            for (Hit h : rows) {
              w.write(h.tabular());
              w.write('\n');
              hits++;
            }
          }
        }
      }
    }
    Path hitsFile = new Path(out, HITS);
    if (!fs.rename(tmp, hitsFile)) {
      throw new IOException("cannot rename " + tmp + " to " + hitsFile);
    }
    Map<String, Object> summary = summary(params, queries.list.size(), queries.skipped, hits, size);
    summary.put("db", dbPaths.stream().map(Path::toString).toList());
    summary.put(OutputFiles.FILES, List.of(OutputFiles.entry(HITS, tsv.sum())));
    OutputFiles.writeSealed(fs, OutputFiles.pending(out, SUMMARY), summary);
    JobSupport.markSuccess(fs, out, conf, "search");
    System.out.printf("search: %s, %d queries (%d skipped) against %,d sequences (E-values for %,d residues in %,d"
        + " sequences), %,d hits in %.1f s%n", params, queries.list.size(), queries.skipped, subjects, size.residues(),
        size.sequences(), hits, (System.nanoTime() - started) / 1e9);
    System.out.printf("work: %,d residues scanned, %,d seed hits, %,d ungapped and %,d gapped extensions, %,d"
        + " subjects not traced back (past the preliminary list)%n", work[1], work[2], work[3], work[4], work[5]);
    System.out.println("wrote " + hitsFile);
    return 0;
  }

  /**
   * What {@code search.json} says of a search besides its files: the program and parameters, the
   * queries searched and skipped, the rows written, and the database size every E-value is for.
   */
  static Map<String, Object> summary(SearchParameters params, long queries, long skipped, long hits, DatabaseSize size) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("program", params.program().cliName());
    m.put("parameters", params.toString());
    m.put("queries", queries);
    m.put("queries_skipped", skipped);
    m.put("hits", hits);
    m.put("database_residues", size.residues());
    m.put("database_sequences", size.sequences());
    return m;
  }

  private record Queries(List<Query> list, SearchParameters.Program program, int skipped) {}

  /**
   * Reads the queries: ids are the first word of the header. A query with no residues, of the
   * wrong alphabet or longer than the maximum is reported (file, place, id) and skipped; the others
   * are answered.
   */
  private static Queries readQueries(Configuration conf, List<Path> paths, String programName) throws IOException {
    // A query as read: coded, where it came from, whether its letters look like nucleotides.
    record Read(String id, String where, byte[] codes, boolean nucleotide) {}
    List<Read> reads = new ArrayList<>();
    long[] counts = new long[Residues.CODES];
    int skipped = 0;
    try (FastaFiles files = new FastaFiles(conf, paths)) {
      if (files.files().isEmpty()) {
        throw new org.taxoshard.formats.BadInputException("--queries " + paths + ": no files there");
      }
      for (FastaRecord r; (r = files.next()) != null; ) {
        if (r.isSkipped()) {
          System.err.println("query skipped: " + r.file() + " " + r.place() + " '" + r.id() + "': " + r.problem());
          skipped++;
          continue;
        }
        long[] own = new long[Residues.CODES];
        byte[] seq = r.sequenceBytes();
        for (int i = 0; i < r.length(); i++) {
          int c = Residues.code(seq[i]);
          if (c >= 0) {
            own[c]++;
            counts[c]++;
          }
        }
        reads.add(new Read(r.id(), r.file() + " " + r.place(), Residue.encode(seq, 0, r.length()),
            Residues.guessAlphabet(own) == org.taxoshard.avro.Alphabet.NUCLEOTIDE));
      }
    }
    SearchParameters.Program program;
    if (programName != null) {
      program = parseProgram(programName);
    } else {
      program = Residues.guessAlphabet(counts) == org.taxoshard.avro.Alphabet.NUCLEOTIDE
          ? SearchParameters.Program.BLASTN : SearchParameters.Program.BLASTP;
    }
    int maxLength = TaxoshardKeys.SEARCH_MAX_QUERY_LENGTH.getInt(conf);
    List<Query> queries = new ArrayList<>();
    for (Read r : reads) {
      String why = whySkipped(r.codes().length, r.nucleotide(), program, maxLength);
      if (why != null) {
        System.err.println("query skipped: " + r.where() + " '" + r.id() + "': " + why);
        skipped++;
        continue;
      }
      queries.add(new Query(queries.size(), r.id(), r.codes()));
    }
    if (queries.isEmpty()) {
      throw new org.taxoshard.formats.BadInputException("--queries " + paths + ": no query to search"
          + (skipped > 0 ? " (" + skipped + " skipped, see above)" : " (no records)"));
    }
    return new Queries(queries, program, skipped);
  }

  /**
   * Why a query cannot be searched (no residues, longer than the maximum, or letters of the other
   * alphabet), or null when it can. Queries under 20 residues are not judged by their letters.
   */
  static String whySkipped(int length, boolean looksNucleotide, SearchParameters.Program program, int maxLength) {
    if (length == 0) {
      return "no residues";
    }
    if (length > maxLength) {
      return length + " residues, above " + TaxoshardKeys.SEARCH_MAX_QUERY_LENGTH.key() + " = " + maxLength;
    }
    if (looksNucleotide != (program == SearchParameters.Program.BLASTN) && length >= 20) {
      return "looks like " + (looksNucleotide ? "nucleotide" : "protein") + ", but the search is " + program.cliName();
    }
    return null;
  }

  /** {@link #whySkipped(int, boolean, SearchParameters.Program, int)} for a record's letters. */
  static String whySkipped(byte[] letters, int length, SearchParameters params) {
    long[] own = new long[Residues.CODES];
    for (int i = 0; i < length; i++) {
      int c = Residues.code(letters[i]);
      if (c >= 0) {
        own[c]++;
      }
    }
    boolean nucleotide = Residues.guessAlphabet(own) == org.taxoshard.avro.Alphabet.NUCLEOTIDE;
    return whySkipped(length, nucleotide, params.program(), params.maxQueryLength());
  }

  static SearchParameters.Program parseProgram(String name) {
    try {
      return SearchParameters.Program.parse(name);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--program: " + e.getMessage());
    }
  }

  static SearchParameters parameters(CommandOptions opts, SearchParameters.Program program, Configuration conf) {
    SearchParameters p = SearchParameters.defaults(program);
    try {
      p = p.withEvalue(opts.getDouble("evalue", 10));
      p = p.withMaxTargetSeqs(opts.getInt("max-target-seqs", 500, 1));
      String cbs = opts.get("comp-based-stats", "1");
      if (!cbs.equals("0") && !cbs.equals("1")) {
        throw new UsageException("--comp-based-stats must be 0 or 1, got " + cbs);
      }
      p = p.withCompositionBasedStats(cbs.equals("1"));
      if (opts.has("sensitivity")) {
        p = p.withSensitivity(SearchParameters.Sensitivity.parse(opts.get("sensitivity", null)));
      }
      if (opts.has("seg")) {
        p = p.withSeg(seg(opts.get("seg", null)));
      }
      if (program == SearchParameters.Program.BLASTP) {
        p = p.withScoring(opts.get("matrix", p.matrix()), opts.getInt("gapopen", p.gapOpen(), 0),
            opts.getInt("gapextend", p.gapExtend(), 1));
      } else {
        p = p.withNucleotideScoring(opts.getInt("reward", 2, 1), opts.getInt("penalty", -3, Integer.MIN_VALUE),
            opts.getInt("gapopen", p.gapOpen(), 0), opts.getInt("gapextend", p.gapExtend(), 0));
      }
      if (opts.has("word-size")) {
        if (p.seedShape() != null) {
          throw new UsageException("--word-size does not apply to --sensitivity " + p.sensitivity().cliName()
              + ", whose seeds are spaced (" + p.seedShape() + ")");
        }
        p = p.withSeeds(opts.getInt("word-size", p.wordSize(), 2), p.threshold(), p.window());
      }
      p = p.withMaxQueryLength(TaxoshardKeys.SEARCH_MAX_QUERY_LENGTH.getInt(conf));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    return p;
  }

  /** The SEG of {@code --seg}: yes (blastp's 12 2.2 2.5), no (none), or "window locut hicut". */
  static Seg seg(String value) {
    String v = value.trim();
    if (v.equals("no")) {
      return null;
    }
    if (v.equals("yes")) {
      return Seg.blastpQueries();
    }
    String[] parts = v.split("\\s+");
    try {
      if (parts.length == 3) {
        int window = Integer.parseInt(parts[0]);
        double locut = Double.parseDouble(parts[1]);
        double hicut = Double.parseDouble(parts[2]);
        if (window > 0 && locut >= 0 && hicut >= 0) {
          return new Seg(window, locut, hicut);
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--seg must be yes, no or 'window locut hicut' (a positive window, cuts of 0 or more),"
        + " got '" + value + "'");
  }

  /**
   * Refuses a database of the other alphabet than the program searches (nucleotide queries against
   * proteins, say), judged by the letters of its first million residues.
   */
  private static void checkDatabaseAlphabet(Configuration conf, List<Path> db, SearchParameters.Program program)
      throws IOException {
    long[] counts = new long[Residues.CODES];
    long seen = 0;
    String first = null;
    try (FastaFiles files = new FastaFiles(conf, db)) {
      for (FastaRecord r; seen < 1_000_000 && (r = files.next()) != null; ) {
        if (r.isSkipped()) {
          continue;
        }
        first = first == null ? r.file() : first;
        byte[] b = r.sequenceBytes();
        for (int i = 0; i < r.length(); i++) {
          int c = Residues.code(b[i]);
          if (c >= 0) {
            counts[c]++;
          }
        }
        seen += r.length();
      }
    }
    if (seen == 0) {
      return;
    }
    boolean nucleotide = Residues.guessAlphabet(counts) == org.taxoshard.avro.Alphabet.NUCLEOTIDE;
    if (nucleotide != (program == SearchParameters.Program.BLASTN)) {
      throw new org.taxoshard.formats.BadInputException(first, null, null, "the database is "
          + (nucleotide ? "nucleotide" : "protein") + ", but the search is " + program.cliName() + " ("
          + (program == SearchParameters.Program.BLASTN ? "the queries look like nucleotides" : "protein queries")
          + "): search " + (nucleotide ? "nucleotide queries with --program blastn" : "protein queries with blastp"));
    }
  }

  /** The whole database's size: given (--dbsize, --dbseqs) or counted in a first pass over --db. */
  private static DatabaseSize databaseSize(Configuration conf, CommandOptions opts, List<Path> db) throws IOException {
    if (opts.has("dbsize") || opts.has("dbseqs")) {
      return givenSize(opts);
    }
    long residues = 0;
    long sequences = 0;
    try (FastaFiles files = new FastaFiles(conf, db)) {
      if (files.files().isEmpty()) {
        throw new org.taxoshard.formats.BadInputException("--db " + db + ": no files there");
      }
      long skipped = 0;
      for (FastaRecord r; (r = files.next()) != null; ) {
        if (!r.isSkipped()) {
          residues += r.length();
          sequences++;
        } else if (++skipped <= 10) {
          System.err.println("database record skipped: " + r.file() + " " + r.place() + " '" + r.id() + "': " + r.problem());
        }
      }
      if (skipped > 10) {
        System.err.printf("database records skipped: %,d in all%n", skipped);
      }
    }
    if (sequences == 0 || residues == 0) {
      throw new org.taxoshard.formats.BadInputException("--db " + db + ": no sequences");
    }
    return new DatabaseSize(residues, sequences);
  }

  /** The database size --dbsize and --dbseqs give (both required together). */
  static DatabaseSize givenSize(CommandOptions opts) {
    opts.require("dbsize");
    opts.require("dbseqs");
    try {
      return new DatabaseSize(opts.getLong("dbsize", 0), opts.getLong("dbseqs", 0));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** Fills a batch with database records up to about {@code residues}; false at the end. */
  private static boolean fill(FastaFiles db, SubjectBatch b, long residues) throws IOException {
    while (b.residues() < residues) {
      FastaRecord r = db.next();
      if (r == null) {
        return false;
      }
      if (r.isSkipped()) {
        continue;
      }
      b.add(r.id(), r.sequenceBytes(), 0, r.length());
    }
    return true;
  }
}
