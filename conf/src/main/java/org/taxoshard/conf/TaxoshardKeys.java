package org.taxoshard.conf;

import org.apache.hadoop.conf.Configuration;

/**
 * Every configuration key Taxoshard reads, with its default and what it does.
 *
 * <p>All keys live under {@code taxoshard.}: sections separated by dots, words by hyphens. Set
 * them with {@code -D key=value}, {@code -conf FILE}, or a pipeline's {@code [hadoop]} table.
 * Code reads them only through this enum, so a key's default is stated once.
 */
public enum TaxoshardKeys {
  FASTA_MAX_RECORD_BYTES("taxoshard.fasta.max-record-bytes", String.valueOf(512L << 20),
      "Largest FASTA record (header plus residues, in bytes) a reader will hold in memory. A larger"
          + " record fails with its id and offset; raise it together with the task heap."),
  INPUT_LENIENT("taxoshard.input.lenient", "false",
      "false: the first bad record stops the job with exit status 2 and a message naming the file,"
          + " offset and record. true: bad records are skipped, counted and listed at the end."),
  TAXONOMY_DIR("taxoshard.taxonomy.dir", "",
      "NCBI taxdump folder (nodes.dmp, names.dmp, optional merged.dmp and delnodes.dmp)."),
  TAXONOMY_RANK("taxoshard.taxonomy.rank", "genus",
      "The NCBI rank whose ancestor names a sequence's bin."),
  TAXONOMY_HEADER_REGEX("taxoshard.taxonomy.header-regex", "",
      "A Java regex applied to the whole header line (without '>'); named groups 'taxid' and/or"
          + " 'name' give the taxon where the built-in header forms find none."),
  TAXONOMY_ACCESSION2TAXID("taxoshard.taxonomy.accession2taxid", "",
      "NCBI accession2taxid file(s), comma separated, gzipped or not, for headers that carry no taxon;"
          + " joined with the database by MapReduce, never held in a task's memory."),
  TAXONOMY_TAXIDS("taxoshard.taxonomy.taxids", "",
      "The folder of the records' accession2taxid taxids, one file per scan split; set by taxoshard scan"
          + " and shard from the scan's taxids/."),
  SCAN_CHECK_DUPLICATE_IDS("taxoshard.scan.check-duplicate-ids", "true",
      "true: the scan refuses a database in which two records share an id (the first word of the header),"
          + " naming both places, as makeblastdb -parse_seqids does. Costs a shuffle of every id."),
  SCAN_ID_REDUCERS("taxoshard.scan.id-reducers", "0",
      "Reducers that share the scan's duplicate-id check; 0: one per 16 GiB of input, at most 64."),
  SCAN_INPUT_FILES("taxoshard.scan.input-files", "",
      "Set by taxoshard scan: its input files, sorted, so that tasks name a record's file by number."),
  PLAN_MIN_TAXA_PER_SHARD("taxoshard.plan.min-taxa-per-shard", "100",
      "taxonomic-balanced: distinct bins wanted per shard; fewer (where the database has enough) is"
          + " reported as a warning."),
  PLAN_MAX_SHARD_RESIDUES("taxoshard.plan.max-shard-residues", "20000000000",
      "The most residues (about bytes) one shard may hold; a plan whose shards would be larger asks"
          + " for more shards. 20 G by default, the design's max_shard_size_gb = 20."),
  SIMILARITY_KMER("taxoshard.similarity.kmer", "0",
      "k-mer length of the MinHash sketches; 0 chooses by alphabet: 5 for proteins, 16 for nucleotides."),
  SIMILARITY_SKETCH("taxoshard.similarity.sketch-size", "32",
      "MinHash values per sequence: bands x rows (rows = 2), so 32 gives 16 LSH bands."),
  SIMILARITY_THRESHOLD("taxoshard.similarity.clustering-threshold", "0.5",
      "Estimated Jaccard similarity of k-mer sets at which two sequences join one cluster."),
  SIMILARITY_MIN_CLUSTER("taxoshard.similarity.min-cluster-size", "2",
      "Clusters at least this large are kept whole on one shard."),
  SIMILARITY_OVERLOAD("taxoshard.similarity.balance-threshold", "0.2",
      "A shard takes a cluster while it stays under (1 + this) x its share; else the cluster spills"
          + " to the next shard on the ring."),
  SIMILARITY_SCAN("taxoshard.similarity.scan", "",
      "The scan folder whose splits the sketching job reads; set by taxoshard plan."),
  SIMILARITY_CLIENT_PAIRS("taxoshard.similarity.client-pairs", "1000000",
      "Up to this many similar pairs (as the sketching job wrote them, repeats included) are joined into"
          + " clusters on the client, about 100 bytes each; more, and MapReduce rounds find the clusters"
          + " (large-star / small-star) and place them, and the client holds one figure per shard."),
  SIMILARITY_REDUCERS("taxoshard.similarity.reducers", "0",
      "Reducers of the clustering rounds; 0: one per 10 million similar pairs, at least 2, at most 64."),
  SIMILARITY_SHARDS("taxoshard.similarity.shards", "0",
      "Set by taxoshard plan: the shards the clusters are placed on."),
  SIMILARITY_GROWN_FROM("taxoshard.similarity.grown-from", "0",
      "Set by taxoshard plan --from: the shards of the plan being grown (0: not growing)."),
  SIMILARITY_RESIDUES("taxoshard.similarity.residues", "0",
      "Set by taxoshard plan: the database's residues, which the shards' shares are cut from."),
  SIMILARITY_SPLIT_ORDINALS("taxoshard.similarity.split-ordinals", "",
      "Set by taxoshard plan: each scan split's first database ordinal, comma separated, in split order."),
  SHARD_PLAN("taxoshard.shard.plan", "",
      "The plan folder the shard job follows; set by taxoshard shard from --plan."),
  SHARD_LINE_WIDTH("taxoshard.shard.line-width", "60",
      "Residues per line in the shards' FASTA files."),
  INDEX_FRAGMENT_LENGTH("taxoshard.index.fragment-length", "10000000",
      "Sequences longer than this (residues) are cut into overlapping fragments in the index, so that"
          + " a search task's memory is bounded by the fragment, not by a chromosome. 0: never cut."),
  INDEX_FRAGMENT_OVERLAP("taxoshard.index.fragment-overlap", "200000",
      "Residues shared by consecutive fragments. An alignment whose subject span is shorter than this"
          + " is found whole in one fragment, so the sharded search equals the unsharded one."),
  INDEX_SHARD_FIGURES("taxoshard.index.shard-figures", "",
      "Set by taxoshard index from manifest.json: each shard's sequences:residues, comma separated,"
          + " which every index reducer checks its shard against."),
  INDEX_DATABASE("taxoshard.index.database", "",
      "Set by taxoshard index from the scan: alphabet:sequences:residues of the whole database."),
  SEARCH_INDEX("taxoshard.search.index", "",
      "Set by taxoshard search --index: the index folder the query tasks read."),
  SEARCH_DATABASE_SIZE("taxoshard.search.database-size", "",
      "Set by taxoshard search --index: residues:sequences of the whole database, for every E-value."),
  SEARCH_QUERY_SPLITS("taxoshard.search.query-splits", "0",
      "Set by taxoshard search --index: how many splits the query files were cut into."),
  SEARCH_REDUCERS("taxoshard.search.reducers", "0",
      "Merge reducers of the sharded search, each taking a run of query splits in input order;"
          + " 0: one per query split, at most 64."),
  SEARCH_MAP_THREADS("taxoshard.search.map-threads", "1",
      "Search threads in each query task of the sharded search (the local runner already runs one"
          + " task per core)."),
  SEARCH_SETTINGS("taxoshard.search.settings", "",
      "Set by taxoshard search --index: the search parameters (program, matrix, gaps, E-value, ...)"
          + " the query tasks use, as the command line gave them."),
  VERIFY_SHARDS("taxoshard.verify.shards", "",
      "Set by taxoshard verify: the shard folder whose manifest lists the files its tasks check."),
  VERIFY_INDEX("taxoshard.verify.index", "",
      "Set by taxoshard verify --index: the index folder whose index.json lists the files its tasks check."),
  RUN_PROGRESS("taxoshard.run.progress", "false",
      "Set by taxoshard run: jobs print one live progress line (a terminal) or a line every 10 s (a log)"
          + " instead of waiting silently."),
  TEST_FAIL_FIRST_ATTEMPTS("taxoshard.test.fail-first-attempts", "",
      "Fault injection for tests: command:map or command:reduce pairs, comma separated (e.g."
          + " shard:map), or command:kind:N for task N alone (shard:reduce:0); the first attempt of every"
          + " such task fails, later attempts run normally."),
  TEST_HOLD_BEFORE_SUCCESS("taxoshard.test.hold-before-success", "",
      "Fault injection for tests: commands, comma separated (e.g. shard,index), that stop and wait to be"
          + " killed once every file of their output is written, just before _SUCCESS marks it complete."),
  SEARCH_QUERY_BATCH_RESIDUES("taxoshard.search.query-batch-residues", "2000000",
      "Query residues searched together in one pass over the database; more queries take more passes."
          + " The seed lookup of a protein batch takes about 150 bytes a query residue."),
  SEARCH_QUERY_BLOCK_RESIDUES("taxoshard.search.query-block-residues", "32768",
      "Query residues of one block: a query batch is searched as blocks of this size, each subject"
          + " against every block in turn in the same pass, so that a block's diagonal array (4 bytes a"
          + " residue) stays in the core's cache. The rows do not depend on it."),
  SEARCH_SUBJECT_BATCH_RESIDUES("taxoshard.search.subject-batch-residues", "65536",
      "Database residues handed to a search thread at a time: small enough that the threads finish"
          + " a small database together."),
  SEARCH_MAX_QUERY_LENGTH("taxoshard.search.max-query-length", "100000",
      "Longest query searched (residues); a longer one is reported and skipped, the others answered.");

  private final String key;
  private final String defaultValue;
  private final String description;

  TaxoshardKeys(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** The key as users write it, e.g. {@code taxoshard.fasta.max-record-bytes}. */
  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public String get(Configuration conf) {
    return conf.getTrimmed(key, defaultValue);
  }

  public long getLong(Configuration conf) {
    return conf.getLong(key, Long.parseLong(defaultValue));
  }

  public int getInt(Configuration conf) {
    return conf.getInt(key, Integer.parseInt(defaultValue));
  }

  public boolean getBoolean(Configuration conf) {
    return conf.getBoolean(key, Boolean.parseBoolean(defaultValue));
  }

  public void set(Configuration conf, String value) {
    conf.set(key, value);
  }

  public void setLong(Configuration conf, long value) {
    conf.setLong(key, value);
  }

  public void setBoolean(Configuration conf, boolean value) {
    conf.setBoolean(key, value);
  }

  @Override
  public String toString() {
    return key;
  }
}
