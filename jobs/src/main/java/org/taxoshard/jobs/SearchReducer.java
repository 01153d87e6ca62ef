package org.taxoshard.jobs;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.taxoshard.align.Hit;
import org.taxoshard.align.SearchParameters;
import org.taxoshard.align.TopHits;
import org.taxoshard.avro.SearchHit;

/**
 * Merges every shard's hits of one query: the best {@code max_target_seqs} subjects under the
 * kernel's total order, which is what one search over the whole database keeps, since each shard
 * sent its own best {@code max_target_seqs}. Queries arrive in input order (a run of query splits
 * per reducer); rows go to {@code hits-NNNNN.tsv} and {@code hits-NNNNN.avro}, skipped queries to
 * {@code skipped-NNNNN.tsv}, side files the driver joins in reducer order.
 */
public class SearchReducer extends ReportingReducer<QueryKey, ShardHits, NullWritable, NullWritable> {
  private Writer tsv;
  private Writer skipped;
  private DataFileWriter<SearchHit> avro;
  private int maxTargets;
  private int prelimTargets;

  static String part(String kind, int reducer, String suffix) {
    return String.format("%s-%05d.%s", kind, reducer, suffix);
  }

  @Override
  protected void setup(Context context) throws IOException, InterruptedException {
    int r = context.getTaskAttemptID().getTaskID().getId();
    SearchParameters params = ShardedSearchJob.getParameters(context.getConfiguration());
    maxTargets = params.maxTargetSeqs();
    prelimTargets = params.prelimTargetSeqs();
    Path dir = FileOutputFormat.getWorkOutputPath(context);
    FileSystem fs = dir.getFileSystem(context.getConfiguration());
    tsv = new BufferedWriter(new OutputStreamWriter(fs.create(new Path(dir, part("hits", r, "tsv")), false),
        StandardCharsets.UTF_8), 1 << 16);
    skipped = new BufferedWriter(new OutputStreamWriter(fs.create(new Path(dir, part("skipped", r, "tsv")), false),
        StandardCharsets.UTF_8));
    avro = new DataFileWriter<>(new SpecificDatumWriter<>(SearchHit.class));
    avro.setCodec(CodecFactory.deflateCodec(1));
    avro.create(SearchHit.getClassSchema(), fs.create(new Path(dir, part("hits", r, "avro")), false));
  }

  @Override
  protected void reduce(QueryKey key, Iterable<ShardHits> values, Context context) throws IOException {
    TopHits all = new TopHits(maxTargets, prelimTargets);
    long lists = 0;
    long hits = 0;
    for (ShardHits v : values) {
      lists++;
      for (TopHits.Subject s : v.subjects) {
        hits += s.hits().size();
      }
      if (v.problem != null) {
        skipped.write(v.problem);
        skipped.write('\n');
        continue;
      }
      for (TopHits.Subject s : v.subjects) {
        all.add(s);
      }
    }
    List<Hit> rows = all.rows();
    for (Hit h : rows) {
      tsv.write(h.tabular());
      tsv.write('\n');
      avro.append(SearchHit.newBuilder().setQseqid(h.qseqid()).setSseqid(h.sseqid()).setIdentities(h.identities())
          .setLength(h.length()).setMismatch(h.mismatch()).setGapopen(h.gapopen()).setQstart(h.qstart())
          .setQend(h.qend()).setSstart(h.sstart()).setSend(h.send()).setEvalue(h.evalue()).setBitscore(h.bitscore())
          .setScore(h.score()).build());
    }
    context.getCounter(ShardedSearchJob.Counter.LISTS_RECEIVED).increment(lists);
    context.getCounter(ShardedSearchJob.Counter.HITS_RECEIVED).increment(hits);
    context.getCounter(ShardedSearchJob.Counter.HITS_AFTER_MERGE).increment(rows.size());
    if (!rows.isEmpty()) {
      context.getCounter(ShardedSearchJob.Counter.QUERIES_WITH_HITS).increment(1);
    }
  }

  @Override
  protected void cleanup(Context context) throws IOException {
    tsv.close();
    skipped.close();
    avro.close();
  }
}
