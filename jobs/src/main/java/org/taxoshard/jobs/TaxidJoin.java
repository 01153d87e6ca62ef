package org.taxoshard.jobs;

import java.io.BufferedReader;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.WritableComparator;
import org.apache.hadoop.io.WritableUtils;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Partitioner;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.MultipleInputs;
import org.apache.hadoop.mapreduce.lib.input.SequenceFileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.SequenceFileOutputFormat;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.fasta.FastaInputFormat;
import org.taxoshard.fasta.FastaRecord;
import org.taxoshard.formats.BadInputException;
import org.taxoshard.taxonomy.AccessionKeys;

/**
 * Gives a database's records the taxids of NCBI accession2taxid files without any task holding
 * a table: NCBI's tables have over a billion rows, more than a task's heap. Two jobs, run by
 * the scan before its own:
 * <ol>
 *   <li><b>join</b>: each record of each of the scan's splits, read in those same splits, gives
 *       the keys its header tries ({@link AccessionKeys#candidates}), each with the record's
 *       split, the key's rank among its keys and the record's offset; the tables' rows give their
 *       keys; the two meet by key, the rows first (a secondary sort), and each record reference
 *       takes the row's taxid (of several rows, the first table's, then the smallest);
 *   <li><b>route</b>: one reducer per split gets that split's matches sorted by offset, keeps the
 *       best-ranked key's taxid per record, and writes {@code part-r-NNNNN}: (offset, taxid) pairs
 *       as 8 + 4 big-endian bytes, the records' order.
 * </ol>
 * The folder also holds {@code splits.tsv} (number, path, start of each split, in the scan's
 * order) and {@code taxids.json}, sealed, listing both. A scan or shard task streams its
 * split's part beside its records ({@link SplitTaxids}). Memory per task: one record, one key's
 * references (the records whose header tries that key), one row.
 */
public final class TaxidJoin {
  /** The folder the scan keeps under its output. */
  public static final String FOLDER = "taxids";
  static final String JSON = "taxids.json";
  static final String SPLITS = "splits.tsv";

  /** What the join counts. */
  public enum Counter {
    /** Records read, and the keys they try. */
    RECORDS, KEYS,
    /** Table rows read, kept (a taxid other than 0), and skipped as bad in lenient mode. */
    TABLE_ROWS, TABLE_ROWS_KEPT, TABLE_ROWS_SKIPPED,
    /** Records that met a row. */
    RECORDS_MATCHED
  }

  private TaxidJoin() {}

  /**
   * A job value: a record reference ({@code split} &gt;= 0: its split, the rank of the key among
   * its keys, its offset) or a table row ({@code split} -1: the table's number, its taxid).
   */
  public static final class Value implements org.apache.hadoop.io.Writable {
    int split;
    int rank;
    long offset;

    @Override
    public void write(DataOutput out) throws IOException {
      WritableUtils.writeVInt(out, split);
      WritableUtils.writeVInt(out, rank);
      WritableUtils.writeVLong(out, offset);
    }

    @Override
    public void readFields(DataInput in) throws IOException {
      split = WritableUtils.readVInt(in);
      rank = WritableUtils.readVInt(in);
      offset = WritableUtils.readVLong(in);
    }
  }

  /** A key and which side it is from: the key's bytes, 0, then '0' (a row) or '1' (a record). */
  static void sideKey(Text into, String key, char side) {
    into.set(key + '\0' + side);
  }

  /** The splits the scan reads, in its order (path, then start); the job's own input format computes them. */
  static List<FileSplit> splits(Job scan) throws IOException, InterruptedException {
    List<FileSplit> out = new ArrayList<>();
    for (InputSplit s : new FastaInputFormat().getSplits(scan)) {
      out.add((FileSplit) s);
    }
    out.sort(Comparator.comparing((FileSplit s) -> s.getPath().toString()).thenComparingLong(FileSplit::getStart));
    return out;
  }

  /**
   * Runs the two jobs for the scan job {@code scan} (its inputs and splits) into {@code out}; the
   * tables are {@code conf}'s {@code taxoshard.taxonomy.accession2taxid}.
   *
   * @param conf the command's configuration (not the scan job's, which names the scan's classes)
   * @return false when a job failed (its output removed)
   */
  public static boolean run(Configuration conf, Job scan, Path out)
      throws IOException, InterruptedException, ClassNotFoundException {
    FileSystem fs = out.getFileSystem(conf);
    List<FileSplit> splits = splits(scan);
    Path work = new Path(out + "-work");
    Path joined = new Path(work, "joined");
    fs.delete(work, true);
    fs.mkdirs(work);
    Path splitList = new Path(work, SPLITS);
    try (FSDataOutputStream o = fs.create(splitList, false)) {
      for (int i = 0; i < splits.size(); i++) {
        FileSplit s = splits.get(i);
        o.write((i + "\t" + s.getPath() + "\t" + s.getStart() + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      Job j = Job.getInstance(new Configuration(conf), "taxoshard taxids join");
      JobSupport.setJar(j, TaxidJoin.class);
      j.getConfiguration().set(SPLIT_LIST, splitList.toString());
      FileInputFormat.setInputDirRecursive(j, true);
      for (Path p : FileInputFormat.getInputPaths(scan)) {
        MultipleInputs.addInputPath(j, p, FastaInputFormat.class, KeysMapper.class);
      }
      String[] tables = TaxoshardKeys.TAXONOMY_ACCESSION2TAXID.get(conf).split(",");
      for (int t = 0; t < tables.length; t++) {
        Path p = new Path(tables[t].trim());
        j.getConfiguration().setInt(TABLE_NUMBER + fs.makeQualified(p).toUri().getPath(), t);
        MultipleInputs.addInputPath(j, p, TextInputFormat.class, TableMapper.class);
      }
      j.setMapOutputKeyClass(Text.class);
      j.setMapOutputValueClass(Value.class);
      j.setPartitionerClass(KeyPartitioner.class);
      j.setGroupingComparatorClass(KeyGrouping.class);
      j.setReducerClass(JoinReducer.class);
      j.setNumReduceTasks(Math.max(1, Math.min(512, splits.size())));
      j.setOutputKeyClass(LongWritable.class);
      j.setOutputValueClass(Value.class);
      j.setOutputFormatClass(SequenceFileOutputFormat.class);
      FileOutputFormat.setOutputPath(j, joined);
      if (!JobSupport.runJob(j, joined)) {
        return false;
      }

      Job r = Job.getInstance(new Configuration(conf), "taxoshard taxids route");
      JobSupport.setJar(r, TaxidJoin.class);
      FileInputFormat.setInputPaths(r, joined);
      r.setInputFormatClass(SequenceFileInputFormat.class);
      r.setMapperClass(ReportingMapper.Pass.class); // the join's matches as they are
      r.setMapOutputKeyClass(LongWritable.class);
      r.setMapOutputValueClass(Value.class);
      r.setPartitionerClass(SplitPartitioner.class);
      r.setReducerClass(RouteReducer.class);
      r.setNumReduceTasks(Math.max(1, splits.size()));
      r.setOutputFormatClass(PairOutputFormat.class);
      FileOutputFormat.setOutputPath(r, out);
      if (!JobSupport.runJob(r, out)) {
        return false;
      }
      org.apache.hadoop.mapreduce.Counters c = j.getCounters();
      System.out.printf("taxids: %,d of %,d records found in %d accession2taxid table%s (%,d rows, %,d with a taxid)%s%n",
          r.getCounters().findCounter(Counter.RECORDS_MATCHED).getValue(), c.findCounter(Counter.RECORDS).getValue(),
          tables.length, tables.length == 1 ? "" : "s", c.findCounter(Counter.TABLE_ROWS).getValue(),
          c.findCounter(Counter.TABLE_ROWS_KEPT).getValue(), c.findCounter(Counter.TABLE_ROWS_SKIPPED).getValue() == 0 ? ""
              : String.format(", %,d bad rows skipped", c.findCounter(Counter.TABLE_ROWS_SKIPPED).getValue()));
      JobSupport.withholdSuccess(fs, out);
      org.apache.hadoop.fs.FileUtil.copy(fs, splitList, fs, new Path(out, SPLITS), false, conf);
      List<String> files = new ArrayList<>();
      files.add(SPLITS);
      for (int i = 0; i < splits.size(); i++) {
        files.add(part(i));
      }
      Map<String, Object> json = new java.util.LinkedHashMap<>();
      json.put("splits", splits.size());
      json.put("tables", List.of(tables));
      json.put(OutputFiles.FILES, OutputFiles.describe(fs, out, files));
      OutputFiles.writeSealed(fs, new Path(out, JSON), json);
      fs.create(new Path(out, org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter.SUCCEEDED_FILE_NAME), true)
          .close();
      return true;
    } finally {
      fs.delete(work, true);
    }
  }

  /** The part file of split {@code i}, as the route job's reducer {@code i} names it. */
  static String part(int i) {
    return String.format("part-r-%05d", i);
  }

  static final String SPLIT_LIST = "taxoshard.internal.taxids.split-list";
  static final String TABLE_NUMBER = "taxoshard.internal.taxids.table.";

  /** Split number by "path\tstart", from a split list. */
  static Map<String, Integer> readSplitList(Configuration conf, Path list) throws IOException {
    Map<String, Integer> m = new java.util.HashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(list.getFileSystem(conf).open(list),
        StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        String[] f = l.split("\t");
        m.put(f[1] + "\t" + f[2], Integer.parseInt(f[0]));
      }
    }
    return m;
  }

  /** The join, records' side: each record's keys, with its split, the key's rank and the record's offset. */
  public static class KeysMapper extends ReportingMapper<LongWritable, FastaRecord, Text, Value> {
    private int split;
    private final Text key = new Text();
    private final Value value = new Value();
    private org.apache.hadoop.mapreduce.Counter records;
    private org.apache.hadoop.mapreduce.Counter keys;

    @Override
    protected void setup(Context context) throws IOException {
      FileSplit s = (FileSplit) unwrap(context.getInputSplit());
      Configuration conf = context.getConfiguration();
      Integer n = readSplitList(conf, new Path(conf.get(SPLIT_LIST))).get(s.getPath() + "\t" + s.getStart());
      if (n == null) {
        throw new IOException("split " + s + " is not among the scan's splits");
      }
      split = n;
      records = context.getCounter(Counter.RECORDS);
      keys = context.getCounter(Counter.KEYS);
    }

    @Override
    protected void map(LongWritable offset, FastaRecord record, Context context) throws IOException, InterruptedException {
      if (record.isSkipped()) {
        return;
      }
      List<String> k = AccessionKeys.candidates(record.headerBytes(), record.headerLength());
      value.split = split;
      value.offset = record.offset();
      for (int i = 0; i < k.size(); i++) {
        sideKey(key, k.get(i), '1');
        value.rank = i;
        context.write(key, value);
      }
      records.increment(1);
      keys.increment(k.size());
    }
  }

  /** The join, tables' side: each row under its key; a bad row is bad input naming the file and byte. */
  public static class TableMapper extends ReportingMapper<LongWritable, Text, Text, Value> {
    private int table;
    private String file;
    private String place;
    private boolean lenient;
    private final String[] parsed = new String[1];
    private final Text key = new Text();
    private final Value value = new Value();
    private org.apache.hadoop.mapreduce.Counter rows;
    private org.apache.hadoop.mapreduce.Counter kept;
    private org.apache.hadoop.mapreduce.Counter skipped;

    @Override
    protected void setup(Context context) {
      Configuration conf = context.getConfiguration();
      Path p = ((FileSplit) unwrap(context.getInputSplit())).getPath();
      file = p.toString();
      table = conf.getInt(TABLE_NUMBER + p.toUri().getPath(), 0);
      place = new CompressionCodecFactory(conf).getCodec(p) == null ? "byte " : "uncompressed byte ";
      lenient = TaxoshardKeys.INPUT_LENIENT.getBoolean(conf);
      rows = context.getCounter(Counter.TABLE_ROWS);
      kept = context.getCounter(Counter.TABLE_ROWS_KEPT);
      skipped = context.getCounter(Counter.TABLE_ROWS_SKIPPED);
    }

    @Override
    protected void map(LongWritable at, Text line, Context context) throws IOException, InterruptedException {
      int taxid;
      try {
        taxid = AccessionKeys.parseRow(line.toString(), at.get() == 0, parsed);
      } catch (AccessionKeys.BadRow e) {
        if (lenient) {
          skipped.increment(1);
          return;
        }
        throw new BadInputException(file, place + at.get(), null, "not an accession2taxid row: " + e.getMessage());
      }
      if (taxid < 0) {
        return;
      }
      rows.increment(1);
      if (taxid > 0) {
        sideKey(key, parsed[0], '0');
        value.split = -1;
        value.rank = table;
        value.offset = taxid;
        context.write(key, value);
        kept.increment(1);
      }
    }
  }

  /** The split MultipleInputs wraps (its TaggedInputSplit is not public): the file split inside. */
  static InputSplit unwrap(InputSplit s) {
    if (s instanceof FileSplit) {
      return s;
    }
    try {
      java.lang.reflect.Method m = s.getClass().getDeclaredMethod("getInputSplit");
      m.setAccessible(true);
      return (InputSplit) m.invoke(s);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read the file split of " + s.getClass(), e);
    }
  }

  /** The key without its side: the bytes before the last two. */
  static int keyLength(byte[] b, int s, int l) {
    int n = WritableUtils.decodeVIntSize(b[s]);
    return l - n - 2;
  }

  /** Both sides of a key to one reducer. */
  public static class KeyPartitioner extends Partitioner<Text, Value> {
    @Override
    public int getPartition(Text key, Value value, int partitions) {
      int h = WritableComparator.hashBytes(key.getBytes(), key.getLength() - 2);
      return (h & Integer.MAX_VALUE) % partitions;
    }
  }

  /** Both sides of a key in one reduce call; the byte order of the whole key puts the rows first. */
  public static class KeyGrouping extends WritableComparator {
    public KeyGrouping() {
      super(Text.class);
    }

    @Override
    public int compare(byte[] b1, int s1, int l1, byte[] b2, int s2, int l2) {
      int n1 = WritableUtils.decodeVIntSize(b1[s1]);
      int n2 = WritableUtils.decodeVIntSize(b2[s2]);
      return compareBytes(b1, s1 + n1, keyLength(b1, s1, l1), b2, s2 + n2, keyLength(b2, s2, l2));
    }

    @Override
    public int compare(org.apache.hadoop.io.WritableComparable a, org.apache.hadoop.io.WritableComparable b) {
      Text x = (Text) a;
      Text y = (Text) b;
      return compareBytes(x.getBytes(), 0, x.getLength() - 2, y.getBytes(), 0, y.getLength() - 2);
    }
  }

  /** The join: a key's rows (first), then its record references, each given the row's taxid. */
  public static class JoinReducer extends ReportingReducer<Text, Value, LongWritable, Value> {
    private final LongWritable offset = new LongWritable();
    private final Value out = new Value();

    @Override
    protected void reduce(Text key, Iterable<Value> values, Context context) throws IOException, InterruptedException {
      int table = Integer.MAX_VALUE;
      long taxid = 0;
      for (Value v : values) {
        if (v.split < 0) {
          if (v.rank < table || v.rank == table && v.offset < taxid) {
            table = v.rank;
            taxid = v.offset;
          }
        } else if (taxid == 0) {
          return; // no row for this key: its records are not in the tables under it
        } else {
          offset.set(v.offset);
          out.split = v.split;
          out.rank = v.rank;
          out.offset = taxid;
          context.write(offset, out);
        }
      }
    }
  }

  /** The route: a split's matches to the reducer of the same number. */
  public static class SplitPartitioner extends Partitioner<LongWritable, Value> {
    @Override
    public int getPartition(LongWritable key, Value value, int partitions) {
      return value.split % partitions;
    }
  }

  /** The route: per record (by offset, in order), the taxid of its best-ranked key. */
  public static class RouteReducer extends ReportingReducer<LongWritable, Value, LongWritable, LongWritable> {
    private final LongWritable taxid = new LongWritable();
    private org.apache.hadoop.mapreduce.Counter matched;

    @Override
    protected void setup(Context context) {
      matched = context.getCounter(Counter.RECORDS_MATCHED);
    }

    @Override
    protected void reduce(LongWritable offset, Iterable<Value> values, Context context)
        throws IOException, InterruptedException {
      int rank = Integer.MAX_VALUE;
      for (Value v : values) {
        if (v.rank < rank) {
          rank = v.rank;
          taxid.set(v.offset);
        }
      }
      context.write(offset, taxid);
      matched.increment(1);
    }
  }

  /** (offset, taxid) pairs as 8 + 4 big-endian bytes; one file per reducer, empty ones too. */
  public static class PairOutputFormat extends FileOutputFormat<LongWritable, LongWritable> {
    @Override
    public RecordWriter<LongWritable, LongWritable> getRecordWriter(TaskAttemptContext context) throws IOException {
      Path p = getDefaultWorkFile(context, "");
      DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(
          p.getFileSystem(context.getConfiguration()).create(p, false), 1 << 16));
      return new RecordWriter<>() {
        @Override
        public void write(LongWritable offset, LongWritable taxid) throws IOException {
          o.writeLong(offset.get());
          o.writeInt((int) taxid.get());
        }

        @Override
        public void close(TaskAttemptContext c) throws IOException {
          o.close();
        }
      };
    }
  }

}
