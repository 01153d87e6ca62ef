package org.taxoshard.jobs;

import java.io.IOException;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.taxoshard.align.Residue;
import org.taxoshard.fasta.FastaRecord;
import org.taxoshard.formats.BadInputException;

/**
 * Reads a shard's FASTA and codes its residues for the kernel. The key, {@code shard << 40 |
 * byte offset}, sends the record to its shard's reducer ({@link IndexJob.ShardOfKey}) and keeps
 * the shard's order there.
 */
public class IndexMapper extends ReportingMapper<LongWritable, FastaRecord, LongWritable, CodedSequence> {
  private final LongWritable key = new LongWritable();
  private final CodedSequence value = new CodedSequence();
  private long shard;

  @Override
  protected void setup(Context context) throws IOException {
    FileSplit split = (FileSplit) context.getInputSplit();
    shard = IndexJob.shardOf(split.getPath());
  }

  @Override
  protected void map(LongWritable offset, FastaRecord record, Context context) throws IOException, InterruptedException {
    if (record.isSkipped()) {
      // Shards are written from good records only; a bad one here means the shard was changed.
      throw new BadInputException(record.file(), record.place(), record.id(), record.problem()
          + " (shards hold only good records: was this shard edited? taxoshard verify checks them)");
    }
    if (offset.get() >= 1L << 40) {
      throw new IOException(record.file() + ": shard files beyond 1 TiB are not supported");
    }
    key.set(shard << 40 | offset.get());
    value.id = record.id();
    int n = record.length();
    if (value.codes.length < n) {
      value.codes = new byte[Math.max(n, value.codes.length + value.codes.length / 2)];
    }
    byte[] s = record.sequenceBytes();
    for (int i = 0; i < n; i++) {
      value.codes[i] = (byte) Residue.code(s[i]);
    }
    value.length = n;
    value.recordHash = RecordChecksum.of(record.headerBytes(), record.headerLength(), s, n);
    context.write(key, value);
  }
}
