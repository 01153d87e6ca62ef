package org.taxoshard.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.taxoshard.align.DatabaseSearch;
import org.taxoshard.align.DatabaseSize;
import org.taxoshard.align.Query;
import org.taxoshard.align.Residue;
import org.taxoshard.align.Search;
import org.taxoshard.align.SearchParameters;
import org.taxoshard.align.SubjectBatch;
import org.taxoshard.align.TopHits;
import org.taxoshard.align.Worker;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.fasta.FastaRecord;
import org.taxoshard.formats.BadInputException;
import org.taxoshard.index.ShardIndex;
import org.taxoshard.index.ShardIndexReader;

/**
 * Searches one query split against one shard's index: queries are gathered into batches
 * ({@code taxoshard.search.query-batch-residues}), and for each batch the index is streamed
 * from HDFS once, so memory is the batch's lookup plus a few subject batches, whatever the shard's
 * size. Emits each query's best {@code max_target_seqs} subjects of this shard with E-values for
 * the whole database; the reduce merges the shards.
 *
 * <p>The query tasks of shard 0 also report the queries that cannot be searched, so each is
 * reported once however many shards there are.
 */
public class SearchMapper extends ReportingMapper<QueryKey, FastaRecord, QueryKey, ShardHits> {
  private SearchParameters params;
  private DatabaseSize size;
  private Path index;
  private int shard;
  private int threads;
  private long batchLimit;
  private long blockLimit;
  private long subjectBatch;
  private final List<Query> batch = new ArrayList<>();
  private final List<QueryKey> keys = new ArrayList<>();
  private long batchResidues;

  @Override
  protected void setup(Context context) throws IOException {
    Configuration conf = context.getConfiguration();
    QueryShardSplit split = (QueryShardSplit) context.getInputSplit();
    shard = split.shard;
    params = ShardedSearchJob.getParameters(conf);
    size = ShardedSearchJob.getDatabaseSize(conf);
    index = new Path(ShardedSearchJob.getIndex(conf), IndexFiles.indexName(shard));
    threads = TaxoshardKeys.SEARCH_MAP_THREADS.getInt(conf);
    batchLimit = TaxoshardKeys.SEARCH_QUERY_BATCH_RESIDUES.getLong(conf);
    blockLimit = TaxoshardKeys.SEARCH_QUERY_BLOCK_RESIDUES.getLong(conf);
    subjectBatch = TaxoshardKeys.SEARCH_SUBJECT_BATCH_RESIDUES.getLong(conf);
  }

  @Override
  protected void map(QueryKey key, FastaRecord record, Context context) throws IOException, InterruptedException {
    String problem = record.isSkipped() ? record.problem() : null;
    byte[] codes = null;
    if (problem == null) {
      codes = Residue.encode(record.sequenceBytes(), 0, record.length());
      problem = SearchCommand.whySkipped(record.sequenceBytes(), record.length(), params);
    }
    if (problem != null) {
      if (shard == 0) {
        ShardHits skipped = new ShardHits();
        skipped.problem = record.file() + " " + record.place() + " '" + record.id() + "': " + problem;
        context.write(key, skipped);
        context.getCounter(ShardedSearchJob.Counter.LISTS_SENT).increment(1);
        context.getCounter(SearchCommand.Counter.QUERIES_SKIPPED).increment(1);
      }
      return;
    }
    if (shard == 0) {
      context.getCounter(SearchCommand.Counter.QUERIES).increment(1);
    }
    if (!batch.isEmpty() && batchResidues + codes.length > batchLimit) {
      searchBatch(context);
    }
    batch.add(new Query(batch.size(), record.id(), codes));
    keys.add(new QueryKey(key.split, key.offset));
    batchResidues += codes.length;
  }

  @Override
  protected void cleanup(Context context) throws IOException, InterruptedException {
    if (!batch.isEmpty()) {
      searchBatch(context);
    }
  }

  private void searchBatch(Context context) throws IOException, InterruptedException {
    List<Search> blocks = DatabaseSearch.blocks(params, size, batch, blockLimit);
    FileSystem fs = index.getFileSystem(context.getConfiguration());
    List<List<Worker>> workers;
    try (ShardIndexReader reader = new ShardIndexReader(fs.open(index), index.toString())) {
      ShardIndex.Header h = reader.header();
      if (h.nucleotide() == params.protein()) {
        throw new BadInputException(index + ": a " + (h.nucleotide() ? "nucleotide" : "protein") + " index, but the search is "
            + params.program().cliName());
      }
      ShardIndex.Entry entry = new ShardIndex.Entry();
      int step = (int) (h.fragmentLength() - h.fragmentOverlap());
      workers = DatabaseSearch.run(blocks, (b, residues) -> fill(reader, entry, step, b, residues, context), threads,
          subjectBatch);
    }
    long[] work = DatabaseSearch.counters(workers);
    List<TopHits> tops = new ArrayList<>(batch.size());
    for (int k = 0; k < blocks.size(); k++) {
      tops.addAll(blocks.get(k).mergeTop(workers.get(k)));
    }
    context.getCounter(ShardedSearchJob.Counter.SHARD_QUERY_PAIRS).increment(batch.size());
    context.getCounter(ShardedSearchJob.Counter.SUBJECTS_SEARCHED).increment(work[0]);
    context.getCounter(ShardedSearchJob.Counter.GAPPED_EXTENSIONS).increment(work[4]);
    for (int k = 0; k < tops.size(); k++) {
      TopHits top = tops.get(k);
      if (top.size() == 0) {
        continue;
      }
      ShardHits out = new ShardHits();
      out.shard = shard;
      long rows = 0;
      for (TopHits.Subject s : top.subjects()) {
        out.subjects.add(s);
        rows += s.hits().size();
      }
      context.getCounter(ShardedSearchJob.Counter.HITS_BEFORE_MERGE).increment(rows);
      context.write(keys.get(k), out);
      context.getCounter(ShardedSearchJob.Counter.LISTS_SENT).increment(1);
    }
    batch.clear();
    keys.clear();
    batchResidues = 0;
  }

  /**
   * Fills a subject batch from the index, reporting progress so a long shard does not time the task
   * out. A fragment owns its stretch up to where the next one starts ({@code step} on).
   */
  private static boolean fill(ShardIndexReader reader, ShardIndex.Entry e, int step, SubjectBatch b, long residues,
      Context context) throws IOException {
    while (b.residues() < residues) {
      if (!reader.next(e)) {
        return false;
      }
      if (!e.isFragment()) {
        b.addCoded(e.id, e.codes, 0, e.length);
      } else {
        int start = (int) e.fragmentStart;
        boolean last = start + e.length == e.wholeLength;
        b.addFragment(e.id, e.codes, 0, e.length, start, e.wholeLength, last ? e.wholeLength : start + step);
      }
    }
    context.progress();
    return true;
  }
}
