package org.taxoshard.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.taxoshard.formats.BadInputException;
import org.taxoshard.index.ShardIndex;
import org.taxoshard.index.ShardIndexWriter;

/**
 * Builds one shard's index ({@code shard-NNNNN.tsx}) as its records arrive in shard order, and
 * beside it {@code _shard-NNNNN.json} with its size and checksum for {@code index.json}. Memory:
 * one record and the entry table (8 bytes an entry), whatever the shard's size. Files are side
 * files of the attempt, published only if it succeeds.
 */
public class IndexReducer extends ReportingReducer<LongWritable, CodedSequence, NullWritable, NullWritable> {
  private ShardIndexWriter writer;
  private int shard;
  private FileSystem fs;
  private Path dir;
  // Looked up once: a counter lookup per record is a hash lookup per record.
  private org.apache.hadoop.mapreduce.Counter sequencesIndexed;
  private org.apache.hadoop.mapreduce.Counter residuesIndexed;
  private org.apache.hadoop.mapreduce.Counter entriesWritten;
  private final RecordChecksum records = new RecordChecksum();
  private String manifestChecksum;
  private Path shardFile;

  @Override
  protected void setup(Context context) throws IOException, InterruptedException {
    Configuration conf = context.getConfiguration();
    shard = context.getTaskAttemptID().getTaskID().getId();
    sequencesIndexed = context.getCounter(IndexJob.Counter.SEQUENCES_INDEXED);
    residuesIndexed = context.getCounter(IndexJob.Counter.RESIDUES_INDEXED);
    entriesWritten = context.getCounter(IndexJob.Counter.ENTRIES);
    long[] figures = IndexJob.getShardFigures(conf, shard);
    manifestChecksum = IndexJob.getShardChecksum(conf, shard);
    shardFile = IndexJob.getShardFile(conf, shard);
    ShardIndex.Header header = new ShardIndex.Header(ShardIndex.FORMAT_VERSION, IndexJob.isNucleotide(conf), shard,
        figures[0], figures[1], IndexJob.getDatabaseSequences(conf), IndexJob.getDatabaseResidues(conf),
        IndexJob.getFragmentLength(conf), IndexJob.getFragmentOverlap(conf), IndexJob.SEED_SCHEME);
    dir = FileOutputFormat.getWorkOutputPath(context);
    fs = dir.getFileSystem(conf);
    writer = new ShardIndexWriter(fs.create(new Path(dir, IndexFiles.indexName(shard)), false), header);
  }

  @Override
  protected void reduce(LongWritable key, Iterable<CodedSequence> values, Context context) throws IOException {
    for (CodedSequence s : values) {
      long before = writer.entries();
      writer.add(s.id, s.codes, 0, s.length);
      sequencesIndexed.increment(1);
      residuesIndexed.increment(s.length);
      entriesWritten.increment(writer.entries() - before);
      records.add(s.recordHash);
    }
  }

  @Override
  protected void cleanup(Context context) throws IOException {
    writer.close();
    if (!records.hex().equals(manifestChecksum)) {
      // The index would silently hold other sequences than the shard the manifest describes.
      throw new BadInputException(shardFile.toString(), null, null, "its records' checksum " + records.hex()
          + " differs from the " + manifestChecksum + " manifest.json lists: the shard was changed or damaged after"
          + " taxoshard shard wrote it (taxoshard verify --shards names the file)");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("shard", shard);
    m.put("path", IndexFiles.indexName(shard));
    m.put("sequences", writer.sequences());
    m.put("residues", writer.residues());
    m.put("entries", writer.entries());
    m.put("bytes", writer.bytes());
    m.put("checksum", IndexFiles.checksumText(writer.checksum()));
    try (OutputStream out = fs.create(new Path(dir, "_" + IndexFiles.shardName(shard) + ".json"), false)) {
      new ObjectMapper().writeValue(out, m);
    }
  }
}
