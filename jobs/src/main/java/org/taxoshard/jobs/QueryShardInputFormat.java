package org.taxoshard.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.mapreduce.InputFormat;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.taxoshard.fasta.FastaInputFormat;
import org.taxoshard.fasta.FastaRecord;
import org.taxoshard.fasta.FastaRecordReader;

/**
 * The sharded search's input: every split of the query files (FastaInputFormat's own, over the
 * job's input paths) paired with every shard of the index, so a task searches one query split
 * against one shard. Keys say where each query sits in the input ({@link QueryKey}).
 */
public class QueryShardInputFormat extends InputFormat<QueryKey, FastaRecord> {
  /** The query files' splits, in input order: files as listed, then by offset. */
  static List<InputSplit> querySplits(JobContext job) throws IOException {
    return new FastaInputFormat().getSplits(job);
  }

  @Override
  public List<InputSplit> getSplits(JobContext job) throws IOException {
    List<InputSplit> queries = querySplits(job);
    int shards = IndexFiles.read(job.getConfiguration(), ShardedSearchJob.getIndex(job.getConfiguration())).shards().size();
    List<InputSplit> out = new ArrayList<>(queries.size() * shards);
    for (int s = 0; s < shards; s++) {
      for (int i = 0; i < queries.size(); i++) {
        out.add(new QueryShardSplit((FileSplit) queries.get(i), i, s));
      }
    }
    return out;
  }

  @Override
  public RecordReader<QueryKey, FastaRecord> createRecordReader(InputSplit split, TaskAttemptContext context) {
    return new RecordReader<>() {
      private final FastaRecordReader reader = new FastaRecordReader();
      private final QueryKey key = new QueryKey();

      @Override
      public void initialize(InputSplit s, TaskAttemptContext c) throws IOException {
        QueryShardSplit qs = (QueryShardSplit) s;
        key.split = qs.querySplit;
        reader.initialize(qs.queries, c);
      }

      @Override
      public boolean nextKeyValue() throws IOException {
        if (!reader.nextKeyValue()) {
          return false;
        }
        key.offset = reader.getCurrentKey().get();
        return true;
      }

      @Override
      public QueryKey getCurrentKey() {
        return key;
      }

      @Override
      public FastaRecord getCurrentValue() {
        return reader.getCurrentValue();
      }

      @Override
      public float getProgress() throws IOException {
        return reader.getProgress();
      }

      @Override
      public void close() throws IOException {
        reader.close();
      }
    };
  }
}
