package org.taxoshard.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.WritableUtils;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.MultipleInputs;
import org.apache.hadoop.mapreduce.lib.input.NLineInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;
import org.apache.hadoop.util.Tool;
import org.taxoshard.align.Residue;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.fasta.FastaFiles;
import org.taxoshard.fasta.FastaInputFormat;
import org.taxoshard.fasta.FastaRecord;
import org.taxoshard.formats.BadInputException;
import org.taxoshard.formats.Checksums;
import org.taxoshard.formats.Hashes;
import org.taxoshard.index.ShardIndex;
import org.taxoshard.index.ShardIndexReader;

/**
 * {@code taxoshard verify}: the shards against the input and against themselves, and an index
 * against its shards. Each output line is a problem naming its record or file, so an empty
 * output means all is well (TeraValidate's way): exit 0 when empty, 1 otherwise.
 *
 * <ul>
 *   <li>{@code --input}: every input record is in exactly one shard, byte for byte (header and
 *       residues); input and shard records meet by id in the reduce.
 *   <li>{@code --shards}: {@code manifest.json} matches its own checksum, and every file it lists
 *       matches its size and checksum; no file in the folder goes unlisted.
 *   <li>{@code --index}: the same of {@code index.json} and its files; every index file reads end
 *       to end with its own checksums; and the index holds each shard's sequences, residue for
 *       residue, each in its own shard's index.
 * </ul>
 * File checks run in map tasks, one file each, so that no single machine reads the database.
 */
public class VerifyJob extends Configured implements Tool {
  public enum Counter {
    INPUT_RECORDS, SHARD_RECORDS, INDEXED_SEQUENCES, FILES_CHECKED, PROBLEMS,
    /** Records read and skipped, as every command skips them (no residues; bad ones with --lenient). */
    INPUT_SKIPPED, SHARD_SKIPPED
  }

  /** What a {@link Sighting} is of. */
  static final byte INPUT = 0;
  static final byte SHARD = 1;
  static final byte INDEX = 2;
  static final byte FILE = 3;

  /**
   * One sighting of a record id: where (the input, a shard, a shard's index), the hash of its
   * header and residues, the hash of its id and residue codes (what an index holds); or a file's
   * problem, keyed by the file.
   */
  public static class Sighting implements Writable {
    byte kind;
    int shard;
    long hash;
    long coded;
    String problem = "";

    @Override
    public void write(DataOutput out) throws IOException {
      out.writeByte(kind);
      WritableUtils.writeVInt(out, shard);
      out.writeLong(hash);
      out.writeLong(coded);
      WritableUtils.writeString(out, problem);
    }

    @Override
    public void readFields(DataInput in) throws IOException {
      kind = in.readByte();
      shard = WritableUtils.readVInt(in);
      hash = in.readLong();
      coded = in.readLong();
      problem = WritableUtils.readString(in);
    }
  }

  /**
   * The hash of a sequence as an index holds it, id, a newline, then residue codes: begun by
   * {@link #codedStart}, continued over codes[from, to) by {@link #codedHash}, finished by
   * {@link Hashes#mix}.
   */
  static long codedHash(byte[] codes, int from, int to, long h) {
    return Hashes.fnv(h, codes, from, to, false);
  }

  static long codedStart(String id) {
    byte[] b = id.getBytes(StandardCharsets.UTF_8);
    return Hashes.fnv(Hashes.fnv(Hashes.FNV_OFFSET, b, 0, b.length, false), '\n');
  }

  /** The shard a file belongs to, from its folder's name {@code shard-NNNNN}, or -1. */
  static int shardOf(Path file) {
    String dir = file.getParent().getName();
    String name = file.getName();
    String s = dir.matches("shard-\\d+") ? dir : name.matches("shard-\\d+\\..*") ? name.substring(0, name.indexOf('.'))
        : null;
    return s == null ? -1 : Integer.parseInt(s.substring("shard-".length()));
  }

  /**
   * Files listed for {@link FileCheckMapper}, one a line, while the job runs (not a hidden name:
   * input formats skip those even when named).
   */
  static Path fileList(Configuration conf) {
    return new Path(conf.get("hadoop.tmp.dir", "/tmp"), "taxoshard-verify-files-" + System.nanoTime() + ".txt");
  }

  abstract static class SightingMapper extends ReportingMapper<LongWritable, FastaRecord, Text, Sighting> {
    private final Text id = new Text();
    private final Sighting sighting = new Sighting();
    private byte[] codes = new byte[1024];

    abstract void fill(Sighting s, FastaRecord r);

    @Override
    protected void map(LongWritable key, FastaRecord r, Context context) throws IOException, InterruptedException {
      fill(sighting, r);
      if (r.isSkipped()) {
        // In no shard by design, but counted: records in = records in shards + records skipped.
        context.getCounter(sighting.kind == INPUT ? Counter.INPUT_SKIPPED : Counter.SHARD_SKIPPED).increment(1);
        return;
      }
      id.set(r.id());
      sighting.hash = RecordChecksum.of(r.headerBytes(), r.headerLength(), r.sequenceBytes(), r.length());
      if (sighting.kind == SHARD) {
        int n = r.length();
        if (codes.length < n) {
          codes = new byte[Math.max(n, codes.length * 2)];
        }
        byte[] s = r.sequenceBytes();
        for (int i = 0; i < n; i++) {
          codes[i] = (byte) Residue.code(s[i]);
        }
        sighting.coded = Hashes.mix(codedHash(codes, 0, n, codedStart(r.id())));
      }
      context.write(id, sighting);
      context.getCounter(sighting.kind == INPUT ? Counter.INPUT_RECORDS : Counter.SHARD_RECORDS).increment(1);
    }
  }

  public static class InputMapper extends SightingMapper {
    @Override
    void fill(Sighting s, FastaRecord r) {
      s.kind = INPUT;
      s.shard = -1;
    }
  }

  public static class ShardFileMapper extends SightingMapper {
    private int shard = Integer.MIN_VALUE;

    @Override
    void fill(Sighting s, FastaRecord r) {
      if (shard == Integer.MIN_VALUE) {
        // .../shard-00003/shard-00003.fasta (MultipleInputs hides the split's path from the mapper)
        shard = shardOf(new Path(r.file()));
      }
      s.kind = SHARD;
      s.shard = shard;
    }
  }

  /** Loads the {@code "files"} entries of a sealed JSON, keyed by qualified path (none when it is unreadable). */
  static Map<String, JsonNode> listed(Configuration conf, String dir, String json) throws IOException {
    Map<String, JsonNode> m = new HashMap<>();
    if (dir.isEmpty()) {
      return m;
    }
    Path d = new Path(dir);
    FileSystem fs = d.getFileSystem(conf);
    JsonNode j;
    try (InputStream in = fs.open(new Path(d, json))) {
      j = new ObjectMapper().readTree(in);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | java.io.FileNotFoundException e) {
      // The client has reported the damaged or missing JSON already; nothing here can be trusted to list.
      return m;
    }
    for (JsonNode f : j.path(OutputFiles.FILES)) {
      m.put(fs.makeQualified(new Path(d, f.path("path").asText())).toString(), f);
    }
    for (JsonNode s : j.path("shards")) {
      for (JsonNode f : s.path(OutputFiles.FILES)) {
        m.put(fs.makeQualified(new Path(d, f.path("path").asText())).toString(), f);
      }
      if (s.has("entries")) {
        // index.json: the shard's index file, its size and the checksum its trailer records.
        m.put(fs.makeQualified(new Path(d, s.path("path").asText())).toString(), s);
      }
    }
    return m;
  }

  /** What the folders verify checks list: the index's, and the shards' too when {@code shards}. */
  static Map<String, JsonNode> listedFiles(Configuration conf, boolean shards) throws IOException {
    Map<String, JsonNode> m = new HashMap<>();
    if (shards) {
      m.putAll(listed(conf, TaxoshardKeys.VERIFY_SHARDS.get(conf), ShardJob.MANIFEST));
    }
    m.putAll(listed(conf, TaxoshardKeys.VERIFY_INDEX.get(conf), IndexFiles.JSON));
    return m;
  }

  /**
   * Checks files listed in manifest.json or index.json against their sizes and checksums; its
   * input is a list of them, a few lines a task ({@link NLineInputFormat}), since MultipleInputs
   * takes each path once and the shards' FASTA is already read for its records.
   */
  public static class FileCheckMapper extends ReportingMapper<LongWritable, Text, Text, Sighting> {
    private final Map<String, JsonNode> listed = new HashMap<>();
    private final Sighting problem = new Sighting();

    @Override
    protected void setup(Context context) throws IOException {
      listed.putAll(listedFiles(context.getConfiguration(), true));
      problem.kind = FILE;
    }

    @Override
    protected void map(LongWritable offset, Text file, Context context) throws IOException, InterruptedException {
      Path p = new Path(file.toString());
      // With the file system's own checksum checked, as every reader here does (turning it off
      // would turn it off for the cached FileSystem, every later command in this JVM included):
      // a file changed behind the file system's back is named with the byte where it fails.
      FileSystem fs = p.getFileSystem(context.getConfiguration());
      JsonNode entry = listed.get(file.toString());
      String why;
      try (InputStream in = fs.open(p)) {
        why = entry == null ? "not listed" : OutputFiles.problem(entry, Checksums.of(in));
      } catch (ChecksumException e) {
        why = "the file system's own checksum fails at byte " + e.getPos();
      }
      context.getCounter(Counter.FILES_CHECKED).increment(1);
      if (why != null) {
        problem.problem = "FILE CHANGED: " + why;
        context.write(file, problem);
      }
    }
  }

  /**
   * Reads one shard's index end to end (its header and trailer checksums are checked on the way)
   * and emits each sequence it holds, fragments joined, for the reduce to meet the shard's.
   */
  public static class IndexCheckMapper extends ReportingMapper<Text, NullWritable, Text, Sighting> {
    private final Map<String, JsonNode> listed = new HashMap<>();
    private final Sighting sighting = new Sighting();
    private final Text key = new Text();

    @Override
    protected void setup(Context context) throws IOException {
      listed.putAll(listedFiles(context.getConfiguration(), false));
    }

    @Override
    protected void map(Text file, NullWritable none, Context context) throws IOException, InterruptedException {
      Path p = new Path(file.toString());
      FileSystem fs = p.getFileSystem(context.getConfiguration());
      JsonNode entry = listed.get(file.toString());
      int shard = entry == null ? shardOf(p) : entry.path("shard").asInt();
      sighting.kind = INDEX;
      sighting.shard = shard;
      String id = null;
      long h = 0;
      long covered = 0;
      long bytes = fs.getFileStatus(p).getLen();
      String why = null;
      try (ShardIndexReader r = new ShardIndexReader(fs.open(p), p.toString())) {
        ShardIndex.Entry e = new ShardIndex.Entry();
        while (r.next(e)) {
          if (id != null && (e.fragmentStart == 0 || !e.id.equals(id))) {
            emit(id, h, context);
            id = null;
          }
          if (id == null) {
            id = e.id;
            h = codedStart(e.id);
            covered = 0;
          }
          // Fragments overlap: hash each residue of the whole sequence once.
          int from = (int) Math.max(0, covered - e.fragmentStart);
          h = codedHash(e.codes, from, e.length, h);
          covered = Math.max(covered, e.fragmentStart + e.length);
          context.progress();
        }
        if (id != null) {
          emit(id, h, context);
        }
        if (entry != null) {
          String want = entry.path("checksum").asText();
          String got = IndexFiles.checksumText(r.trailer().checksum());
          if (entry.path("bytes").asLong() != bytes) {
            why = bytes + " bytes, index.json lists " + entry.path("bytes").asLong();
          } else if (!want.equals(got)) {
            why = "checksum " + got + ", index.json lists " + want;
          }
        }
      } catch (BadInputException e) {
        why = e.getMessage().replace(p + " at ", "");
      } catch (ChecksumException e) {
        why = "the file system's own checksum fails at byte " + e.getPos();
      }
      context.getCounter(Counter.FILES_CHECKED).increment(1);
      if (why != null) {
        Sighting problem = new Sighting();
        problem.kind = FILE;
        problem.problem = "INDEX DAMAGED: " + why;
        context.write(file, problem);
      }
    }

    private void emit(String id, long h, Context context) throws IOException, InterruptedException {
      key.set(id);
      sighting.coded = Hashes.mix(h);
      context.write(key, sighting);
      context.getCounter(Counter.INDEXED_SEQUENCES).increment(1);
    }
  }

  /** Meets, per id, the input's records with the shards', and the shards' with their indexes'. */
  public static class CheckReducer extends ReportingReducer<Text, Sighting, NullWritable, Text> {
    private final Text line = new Text();
    private boolean checkInput;
    private boolean checkIndex;

    @Override
    protected void setup(Context context) {
      checkInput = context.getConfiguration().getBoolean(CHECK_INPUT, true);
      checkIndex = !TaxoshardKeys.VERIFY_INDEX.get(context.getConfiguration()).isEmpty();
    }

    @Override
    protected void reduce(Text id, Iterable<Sighting> values, Context context) throws IOException, InterruptedException {
      Map<Long, Integer> input = new HashMap<>();
      Map<Long, List<Integer>> shards = new HashMap<>();
      Map<Long, Integer> shardCoded = new HashMap<>();
      Map<Long, Integer> indexCoded = new HashMap<>();
      List<String> problems = new ArrayList<>();
      for (Sighting s : values) {
        switch (s.kind) {
          case INPUT -> input.merge(s.hash, 1, Integer::sum);
          case SHARD -> {
            shards.computeIfAbsent(s.hash, h -> new ArrayList<>()).add(s.shard);
            shardCoded.merge(s.coded * 31 + s.shard, 1, Integer::sum);
          }
          case INDEX -> indexCoded.merge(s.coded * 31 + s.shard, 1, Integer::sum);
          default -> problems.add(s.problem);
        }
      }
      if (checkInput) {
        inputProblems(input, shards, problems);
      }
      if (checkIndex) {
        indexProblems(shards, shardCoded, indexCoded, problems);
      }
      for (String p : problems) {
        line.set(id + "\t" + p);
        context.write(NullWritable.get(), line);
        context.getCounter(Counter.PROBLEMS).increment(1);
      }
    }

    private static void inputProblems(Map<Long, Integer> input, Map<Long, List<Integer>> shards, List<String> problems) {
      int missing = 0;
      for (Map.Entry<Long, Integer> e : input.entrySet()) {
        List<Integer> where = shards.getOrDefault(e.getKey(), List.of());
        if (where.size() < e.getValue()) {
          missing += e.getValue() - where.size();
        } else if (where.size() > e.getValue()) {
          problems.add("DUPLICATED: in shards " + where);
        }
      }
      List<Integer> extra = new ArrayList<>();
      for (Map.Entry<Long, List<Integer>> e : shards.entrySet()) {
        if (!input.containsKey(e.getKey())) {
          extra.addAll(e.getValue());
        }
      }
      int changed = Math.min(missing, extra.size());
      if (changed > 0) {
        problems.add("CHANGED: shard " + extra.subList(0, changed)
            + " holds this id with a header or residues that differ from the input's");
      }
      if (missing > changed) {
        problems.add("MISSING: in the input, in no shard");
      }
      if (extra.size() > changed) {
        problems.add("EXTRA: in shard " + extra.subList(changed, extra.size()) + ", not in the input");
      }
    }

    /** (coded hash, shard) multisets: the shards' records against their indexes' sequences. */
    private static void indexProblems(Map<Long, List<Integer>> shards, Map<Long, Integer> shardCoded,
        Map<Long, Integer> indexCoded, List<String> problems) {
      if (shardCoded.equals(indexCoded)) {
        return;
      }
      TreeSet<Integer> where = new TreeSet<>();
      shards.values().forEach(where::addAll);
      int notIndexed = 0;
      int extra = 0;
      for (Map.Entry<Long, Integer> e : shardCoded.entrySet()) {
        notIndexed += Math.max(0, e.getValue() - indexCoded.getOrDefault(e.getKey(), 0));
      }
      for (Map.Entry<Long, Integer> e : indexCoded.entrySet()) {
        extra += Math.max(0, e.getValue() - shardCoded.getOrDefault(e.getKey(), 0));
      }
      int differ = Math.min(notIndexed, extra);
      if (differ > 0) {
        problems.add("INDEX DIFFERS: the index holds this id with other residues, or in another shard's index,"
            + " than shard " + where + " does");
      }
      if (notIndexed > differ) {
        problems.add("NOT INDEXED: in shard " + where + ", not in its index");
      }
      if (extra > differ) {
        problems.add("INDEX EXTRA: in the index, in no shard");
      }
    }
  }

  /** Set by the driver: false when no --input was given, so shards are not checked against one. */
  static final String CHECK_INPUT = "taxoshard.verify.check-input";

  private static CommandOptions options() {
    return new CommandOptions("verify", "Checks shards against the input they were made from and against their"
        + " manifest, and an index against its shards. Exit 0 only when all is well; otherwise each problem is"
        + " listed with its record id or file.")
        .value("input", "P[,P...]", "the FASTA that was sharded: every record must be in exactly one shard, unchanged")
        .value("shards", "DIR", "a shard command's output folder")
        .value("index", "DIR", "an index command's output folder, made from --shards")
        .value("out", "DIR", "where to keep the report (default: a temporary folder, removed)")
        .flag("lenient", "skip bad input records as the scan and shard did in lenient mode")
        .flag("overwrite", "replace --out if it exists");
  }

  @Override
  public int run(String[] args) throws Exception {
    CommandOptions opts = options();
    if (!opts.parse(args)) {
      return 0;
    }
    Configuration conf = getConf();
    if (opts.has("lenient")) {
      FastaInputFormat.setLenient(conf, true);
    }
    List<Path> inputs = opts.has("input") ? opts.requirePaths("input") : List.of();
    if (!inputs.isEmpty()) {
      // MultipleInputs keeps one entry per path, so the same file given twice would be read once
      // here though scan and shard refuse it: list the inputs as they do, refusing it alike.
      FastaFiles.list(conf, inputs);
    }
    Path shards = opts.requirePath("shards");
    Path index = opts.has("index") ? opts.requirePath("index") : null;
    boolean keep = opts.has("out");
    Path out = keep ? opts.requirePath("out")
        : new Path(conf.get("hadoop.tmp.dir", "/tmp"), "taxoshard-verify-" + System.nanoTime());
    OutputFolder.prepare(conf, out, opts.has("overwrite"), OutputFolder.Read.records("--input", inputs),
        OutputFolder.Read.of("--shards", shards), OutputFolder.Read.of("--index", index));
    JobSupport.useLocalCores(conf);
    Job job = Job.getInstance(conf, "taxoshard verify");
    JobSupport.setJar(job, VerifyJob.class);
    Configuration c = job.getConfiguration();
    c.setBoolean(CHECK_INPUT, !inputs.isEmpty());
    for (Path in : inputs) {
      MultipleInputs.addInputPath(job, in, FastaInputFormat.class, InputMapper.class);
    }
    FileSystem sfs = shards.getFileSystem(conf);
    FileStatus[] files = sfs.globStatus(new Path(shards, "shard-*/*.fasta"));
    if (files == null || files.length == 0) {
      throw new UsageException("--shards " + shards + ": no shard-NNNNN/*.fasta files there");
    }
    for (FileStatus f : files) {
      MultipleInputs.addInputPath(job, f.getPath(), FastaInputFormat.class, ShardFileMapper.class);
    }
    List<String> found = new ArrayList<>();
    List<String> toCheck = new ArrayList<>();
    if (folderChecks(conf, sfs.makeQualified(shards), ShardJob.MANIFEST, found)) {
      TaxoshardKeys.VERIFY_SHARDS.set(c, sfs.makeQualified(shards).toString());
      toCheck.addAll(new TreeSet<>(listed(conf, sfs.makeQualified(shards).toString(), ShardJob.MANIFEST).keySet()));
    }
    if (index != null) {
      FileSystem ifs = index.getFileSystem(conf);
      Path qualified = ifs.makeQualified(index);
      FileStatus[] indexes = ifs.globStatus(new Path(qualified, "shard-*" + ShardIndex.SUFFIX));
      if (indexes == null || indexes.length == 0) {
        throw new UsageException("--index " + index + ": no shard-NNNNN" + ShardIndex.SUFFIX + " files there");
      }
      TaxoshardKeys.VERIFY_INDEX.set(c, qualified.toString());
      if (folderChecks(conf, qualified, IndexFiles.JSON, found)) {
        for (String p : new TreeSet<>(listed(conf, qualified.toString(), IndexFiles.JSON).keySet())) {
          if (!p.endsWith(ShardIndex.SUFFIX)) {
            toCheck.add(p);
          }
        }
      }
      for (FileStatus f : indexes) {
        MultipleInputs.addInputPath(job, f.getPath(), WholeFileInputFormat.class, IndexCheckMapper.class);
      }
    }
    Path list = fileList(conf);
    if (!toCheck.isEmpty()) {
      try (java.io.OutputStream o = list.getFileSystem(conf).create(list, true)) {
        o.write((String.join("\n", toCheck) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      MultipleInputs.addInputPath(job, list, NLineInputFormat.class, FileCheckMapper.class);
      // About one task per shard: its FASTA, .fai and Avro are listed together.
      NLineInputFormat.setNumLinesPerSplit(job, Math.max(1, toCheck.size() / files.length));
    }
    job.setReducerClass(CheckReducer.class);
    job.setMapOutputKeyClass(Text.class);
    job.setMapOutputValueClass(Sighting.class);
    job.setOutputKeyClass(NullWritable.class);
    job.setOutputValueClass(Text.class);
    job.setOutputFormatClass(TextOutputFormat.class);
    job.setNumReduceTasks(Math.max(1, Math.min(16, files.length)));
    FileOutputFormat.setOutputPath(job, out);
    try {
      if (!JobSupport.runJob(job, out)) {
        return 1;
      }
      if (keep) {
        OutputFolder.complete(out.getFileSystem(conf), out); // the report is the output, problems or none
      }
      org.apache.hadoop.mapreduce.Counters k = job.getCounters();
      long problems = k.findCounter(Counter.PROBLEMS).getValue() + found.size();
      System.out.printf("verify: %,d input records, %,d shard records, %,d indexed sequences, %,d files checked,"
          + " %,d problems%n", k.findCounter(Counter.INPUT_RECORDS).getValue(),
          k.findCounter(Counter.SHARD_RECORDS).getValue(), k.findCounter(Counter.INDEXED_SEQUENCES).getValue(),
          k.findCounter(Counter.FILES_CHECKED).getValue(), problems);
      long inputSkipped = k.findCounter(Counter.INPUT_SKIPPED).getValue();
      long shardSkipped = k.findCounter(Counter.SHARD_SKIPPED).getValue();
      if (inputSkipped + shardSkipped > 0) {
        System.out.printf("  skipped, as scan and shard skip them (no residues, or bad with --lenient): %,d input"
            + " records, %,d shard records%n", inputSkipped, shardSkipped);
      }
      if (problems > 0) {
        for (String f : found.subList(0, Math.min(20, found.size()))) {
          System.out.println("  " + f);
        }
        printProblems(conf, out, 20 - Math.min(20, found.size()));
        return 1;
      }
      return 0;
    } finally {
      list.getFileSystem(conf).delete(list, false);
      if (!keep) {
        out.getFileSystem(conf).delete(out, true);
      }
    }
  }

  /**
   * The client's checks of one folder: complete, its JSON sealed, no visible file unlisted.
   * Problems are added to {@code found}.
   *
   * @return true when the JSON can be trusted to list the files to check
   */
  private static boolean folderChecks(Configuration conf, Path dir, String json, List<String> found)
      throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    if (!fs.exists(new Path(dir, OutputFiles.SUCCESS))) {
      found.add(dir + "\tINCOMPLETE: no " + OutputFiles.SUCCESS + ": the command that wrote it did not finish");
    }
    try {
      OutputFiles.readSealed(fs, new Path(dir, json));
    } catch (BadInputException e) {
      found.add(new Path(dir, json) + "\tFILE CHANGED: " + e.problem());
      return false;
    }
    Map<String, JsonNode> listed = listed(conf, dir.toString(), json);
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
    while (it.hasNext()) {
      Path p = fs.makeQualified(it.next().getPath());
      if (hidden(dir, p) || p.getName().equals(json)) {
        continue;
      }
      if (!listed.containsKey(p.toString())) {
        found.add(p + "\tUNLISTED FILE: in the folder, not in " + json);
      }
    }
    for (String p : listed.keySet()) {
      if (!fs.exists(new Path(p))) {
        found.add(p + "\tMISSING FILE: " + json + " lists it, the folder does not hold it");
      }
    }
    return true;
  }

  /** Hadoop's hidden files ({@code _x}, {@code .x}) anywhere below {@code dir}. */
  private static boolean hidden(Path dir, Path p) {
    for (Path q = p; q != null && !q.equals(dir); q = q.getParent()) {
      if (q.getName().startsWith("_") || q.getName().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** Prints up to {@code max} problems of the report: damaged files first, then records. */
  private static void printProblems(Configuration conf, Path out, int max) throws IOException {
    FileSystem fs = out.getFileSystem(conf);
    List<String> files = new ArrayList<>();
    List<String> records = new ArrayList<>();
    long all = 0;
    for (FileStatus f : fs.globStatus(new Path(out, "part-*"))) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(f.getPath()), StandardCharsets.UTF_8))) {
        for (String l = r.readLine(); l != null; l = r.readLine()) {
          all++;
          String problem = l.substring(l.indexOf('\t') + 1);
          List<String> to = problem.startsWith("FILE ") || problem.startsWith("INDEX DAMAGED") ? files : records;
          if (to.size() < max) {
            to.add(l);
          }
        }
      }
    }
    int shown = 0;
    for (String l : files) {
      if (shown++ < max) {
        System.out.println("  " + l);
      }
    }
    for (String l : records) {
      if (shown++ < max) {
        System.out.println("  " + l);
      }
    }
    if (all > Math.min(shown, max)) {
      System.out.println("  ... " + (all - Math.min(shown, max)) + " more (keep the whole report with --out DIR)");
    }
  }

}
