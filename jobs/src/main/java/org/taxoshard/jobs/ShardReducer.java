package org.taxoshard.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.mapreduce.Reducer;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.taxoshard.avro.Sequence;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.formats.Checksums;
import org.taxoshard.formats.Hashes;
import org.taxoshard.fasta.FastaRecord;

/**
 * Writes one shard: {@code shard-NNNNN/shard-NNNNN.fasta} with its samtools {@code .fai}, the
 * same records as Avro, and {@code _figures.json} (sequences, residues, per-bin counts,
 * checksum) for the manifest. The files are side files of the task attempt, published by the
 * output committer only if the attempt succeeds.
 */
public class ShardReducer extends ReportingReducer<LongPair, BinnedRecord, NullWritable, NullWritable> {
  static final String FIGURES = "_figures.json";

  private OutputStream fasta;
  /** The three files as written, counted and checksummed for the manifest. */
  private Checksums.CountingOutputStream fastaFile;
  private Checksums.CountingOutputStream faiFile;
  private Checksums.CountingOutputStream avroFile;
  /** Deflate (level 1) of the FASTA as written, counted and discarded: what a compressor makes of the shard. */
  private java.util.zip.DeflaterOutputStream deflated;
  private final long[] compressed = new long[1];
  private Writer fai;
  private DataFileWriter<Sequence> avro;
  private long position;
  private int width;
  private long sequences;
  private long residues;
  private final RecordChecksum checksum = new RecordChecksum();
  private final Map<Integer, long[]> bins = new TreeMap<>();
  private int shard;
  private Path dir;
  private org.apache.hadoop.mapreduce.Counter written;
  private FileSystem fs;

  static String shardName(int shard) {
    return String.format("shard-%05d", shard);
  }

  @Override
  protected void setup(Context context) throws IOException, InterruptedException {
    shard = context.getTaskAttemptID().getTaskID().getId();
    written = context.getCounter(ShardJob.Counter.RECORDS_WRITTEN);
    width = TaxoshardKeys.SHARD_LINE_WIDTH.getInt(context.getConfiguration());
    Path work = FileOutputFormat.getWorkOutputPath(context);
    fs = work.getFileSystem(context.getConfiguration());
    dir = new Path(work, shardName(shard));
    fastaFile = new Checksums.CountingOutputStream(fs.create(new Path(dir, shardName(shard) + ".fasta"), false));
    OutputStream file = fastaFile;
    deflated = new java.util.zip.DeflaterOutputStream(new OutputStream() {
      @Override
      public void write(int b) {
        compressed[0]++;
      }

      @Override
      public void write(byte[] b, int off, int len) {
        compressed[0] += len;
      }
    }, new java.util.zip.Deflater(1), 1 << 16);
    fasta = new BufferedOutputStream(new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        file.write(b);
        deflated.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        file.write(b, off, len);
        deflated.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        file.close();
        deflated.close();
      }
    }, 1 << 16);
    faiFile = new Checksums.CountingOutputStream(fs.create(new Path(dir, shardName(shard) + ".fasta.fai"), false));
    fai = new OutputStreamWriter(new BufferedOutputStream(faiFile), StandardCharsets.UTF_8);
    avro = new DataFileWriter<>(new SpecificDatumWriter<>(Sequence.class));
    avro.setCodec(CodecFactory.deflateCodec(1));
    avroFile = new Checksums.CountingOutputStream(fs.create(new Path(dir, shardName(shard) + ".avro"), false));
    avro.create(Sequence.getClassSchema(), avroFile, Hashes.syncMarker(shardName(shard) + ".avro"));
  }

  /** One record: the key (sort position, ordinal) is unique, and the shuffle has put it in order. */
  @Override
  protected void reduce(LongPair key, Iterable<BinnedRecord> values, Context context) throws IOException {
    for (BinnedRecord v : values) {
      write(v.ordinal, v.bin, v.record);
      written.increment(1);
    }
  }

  private void write(long ordinal, int bin, FastaRecord r) throws IOException {
    int hl = r.headerLength();
    int n = r.length();
    fasta.write('>');
    fasta.write(r.headerBytes(), 0, hl);
    fasta.write('\n');
    position += hl + 2;
    String id = r.id();
    // samtools faidx: name, length, offset of the first residue, residues per line, bytes per line
    // (of the first line: a record on one line has its own length there, as samtools writes it).
    int line = Math.min(width, n);
    fai.write(id + "\t" + n + "\t" + position + "\t" + line + "\t" + (line + 1) + "\n");
    byte[] s = r.sequenceBytes();
    for (int i = 0; i < n; i += width) {
      int k = Math.min(width, n - i);
      fasta.write(s, i, k);
      fasta.write('\n');
      position += k + 1;
    }
    avro.append(Sequence.newBuilder().setId(id).setHeader(ByteBuffer.wrap(r.headerBytes(), 0, hl).slice())
        .setResidues(ByteBuffer.wrap(s, 0, n).slice()).setBin(bin).setOrdinal(ordinal).build());
    sequences++;
    residues += n;
    long[] b = bins.computeIfAbsent(bin, k -> new long[2]);
    b[0]++;
    b[1] += n;
    checksum.add(RecordChecksum.of(r.headerBytes(), hl, s, n));
  }

  @Override
  protected void cleanup(Context context) throws IOException {
    fasta.close();
    fai.close();
    avro.close();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("shard", shard);
    m.put("sequences", sequences);
    m.put("residues", residues);
    m.put("checksum", checksum.hex());
    m.put("compressed_bytes", compressed[0]);
    String name = shardName(shard);
    m.put(OutputFiles.FILES, List.of(OutputFiles.entry(name + "/" + name + ".fasta", fastaFile.sum()),
        OutputFiles.entry(name + "/" + name + ".fasta.fai", faiFile.sum()),
        OutputFiles.entry(name + "/" + name + ".avro", avroFile.sum())));
    Map<String, long[]> perBin = new LinkedHashMap<>();
    for (Map.Entry<Integer, long[]> e : bins.entrySet()) {
      perBin.put(String.valueOf(e.getKey()), e.getValue());
    }
    m.put("bins", perBin);
    try (OutputStream out = fs.create(new Path(dir, FIGURES), false)) {
      new ObjectMapper().writeValue(out, m);
    }
  }
}
