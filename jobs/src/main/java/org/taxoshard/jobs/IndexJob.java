package org.taxoshard.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Partitioner;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.util.Tool;
import org.taxoshard.avro.Alphabet;
import org.taxoshard.avro.DatabaseStats;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.fasta.FastaInputFormat;
import org.taxoshard.formats.BadInputException;
import org.taxoshard.index.ShardIndex;

/**
 * {@code taxoshard index --shards DIR --out DIR}: one reducer per shard writes the shard's index
 * ({@link ShardIndex}), and the driver lists them in {@code index.json} with the whole database's
 * figures from the scan, whose {@code stats.avro} is copied beside them: the search computes every
 * E-value from these, never from a shard. Records indexed = records the manifest lists, or the
 * command fails.
 */
public class IndexJob extends Configured implements Tool {
  public enum Counter { SEQUENCES_INDEXED, RESIDUES_INDEXED, ENTRIES }

  /**
   * How seeds are found with this index: from the queries' side, as blastp and blastn do, so the
   * index holds coded sequences and no subject-side seed table (see the README).
   */
  static final String SEED_SCHEME = "query-side words: blastp neighbourhood words (w=3, T=11),"
      + " blastn exact words (w=11), built per query batch at search time";

  private static CommandOptions options() {
    return new CommandOptions("index", "Builds each shard's index (one reducer per shard) and index.json under --out.")
        .value("shards", "DIR", "a shard job's output (manifest.json, shard-NNNNN/)")
        .value("stats", "DIR", "the scan's output (default: the one manifest.json names)")
        .output();
  }

  /** Sends a record to its shard's reducer: the shard sits above bit 40 of the key. */
  public static class ShardOfKey extends Partitioner<LongWritable, CodedSequence> {
    @Override
    public int getPartition(LongWritable key, CodedSequence value, int partitions) {
      return (int) ((key.get() >>> 40) % partitions);
    }
  }

  /** The shard a shard folder's file belongs to, from its folder's name {@code shard-NNNNN}. */
  static long shardOf(Path file) throws BadInputException {
    String name = file.getParent().getName();
    if (!name.matches("shard-\\d{5,}")) {
      throw new BadInputException(file.toString(), null, null, "not in a shard-NNNNN folder");
    }
    return Long.parseLong(name.substring("shard-".length()));
  }

  /** One shard as manifest.json lists it: its FASTA (a path), sequences, residues, records checksum. */
  record ListedShard(String fasta, long sequences, long residues, String checksum) {}

  static void setShardFigures(Configuration conf, List<ListedShard> shards) {
    StringBuilder b = new StringBuilder();
    for (ListedShard f : shards) {
      b.append(b.length() == 0 ? "" : ",").append(f.sequences()).append(':').append(f.residues()).append(':')
          .append(f.checksum()).append(':').append(f.fasta());
    }
    TaxoshardKeys.INDEX_SHARD_FIGURES.set(conf, b.toString());
  }

  /** The manifest's sequences and residues of one shard. */
  static long[] getShardFigures(Configuration conf, int shard) {
    String[] f = shardField(conf, shard);
    return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
  }

  /** The manifest's records checksum of one shard. */
  static String getShardChecksum(Configuration conf, int shard) {
    return shardField(conf, shard)[2];
  }

  /** The FASTA file of one shard. */
  static Path getShardFile(Configuration conf, int shard) {
    return new Path(shardField(conf, shard)[3]);
  }

  private static String[] shardField(Configuration conf, int shard) {
    // The path is last and may hold ':' (hdfs://host:port/...), so split it off whole.
    return TaxoshardKeys.INDEX_SHARD_FIGURES.get(conf).split(",")[shard].split(":", 4);
  }

  static void setDatabase(Configuration conf, boolean nucleotide, long sequences, long residues) {
    TaxoshardKeys.INDEX_DATABASE.set(conf, (nucleotide ? "nucleotide" : "protein") + ":" + sequences + ":" + residues);
  }

  static boolean isNucleotide(Configuration conf) {
    return TaxoshardKeys.INDEX_DATABASE.get(conf).startsWith("nucleotide:");
  }

  static long getDatabaseSequences(Configuration conf) {
    return Long.parseLong(TaxoshardKeys.INDEX_DATABASE.get(conf).split(":")[1]);
  }

  static long getDatabaseResidues(Configuration conf) {
    return Long.parseLong(TaxoshardKeys.INDEX_DATABASE.get(conf).split(":")[2]);
  }

  static long getFragmentLength(Configuration conf) {
    return TaxoshardKeys.INDEX_FRAGMENT_LENGTH.getLong(conf);
  }

  static long getFragmentOverlap(Configuration conf) {
    return getFragmentLength(conf) == 0 ? 0 : TaxoshardKeys.INDEX_FRAGMENT_OVERLAP.getLong(conf);
  }

  /** Builds the job over the shards' FASTA; {@code figures} are the manifest's, one {sequences, residues} per shard. */
  public static Job createJob(Configuration conf, Path shards, List<ListedShard> figures, Path out) throws IOException {
    JobSupport.useLocalCores(conf);
    setShardFigures(conf, figures);
    Job job = Job.getInstance(conf, "taxoshard index x" + figures.size());
    JobSupport.setJar(job, IndexJob.class);
    FileInputFormat.setInputPaths(job, new Path(shards, "shard-*/shard-*.fasta"));
    job.setInputFormatClass(FastaInputFormat.class);
    job.setMapperClass(IndexMapper.class);
    job.setPartitionerClass(ShardOfKey.class);
    job.setReducerClass(IndexReducer.class);
    job.setNumReduceTasks(figures.size());
    job.setMapOutputKeyClass(LongWritable.class);
    job.setMapOutputValueClass(CodedSequence.class);
    JobSupport.sideFileOutput(job, out);
    return job;
  }

  @Override
  public int run(String[] args) throws Exception {
    CommandOptions opts = options();
    if (!opts.parse(args)) {
      return 0;
    }
    Configuration conf = getConf();
    Path shards = opts.requirePath("shards");
    Path out = opts.requirePath("out");
    long fragment = TaxoshardKeys.INDEX_FRAGMENT_LENGTH.getLong(conf);
    long overlap = TaxoshardKeys.INDEX_FRAGMENT_OVERLAP.getLong(conf);
    if (fragment < 0 || (fragment > 0 && (overlap < 0 || overlap >= fragment))) {
      throw new UsageException(TaxoshardKeys.INDEX_FRAGMENT_LENGTH + " = " + fragment + " and "
          + TaxoshardKeys.INDEX_FRAGMENT_OVERLAP + " = " + overlap + ": the overlap must be shorter than the fragment");
    }
    OutputFolder.prepare(conf, out, opts.has("overwrite"), OutputFolder.Read.of("--shards", shards));
    FileSystem shardFs = shards.getFileSystem(conf);
    Path manifestPath = new Path(shards, ShardJob.MANIFEST);
    JsonNode manifest = ShardJob.readManifest(conf, shards);
    List<ListedShard> figures = new ArrayList<>();
    long sequences = 0;
    long residues = 0;
    for (JsonNode s : manifest.path("shards")) {
      String fasta = shardFs.makeQualified(new Path(shards, s.path("fasta").asText())).toString();
      figures.add(new ListedShard(fasta, s.path("sequences").asLong(), s.path("residues").asLong(),
          s.path("checksum").asText()));
      sequences += s.path("sequences").asLong();
      residues += s.path("residues").asLong();
    }
    if (figures.isEmpty() || sequences == 0) {
      throw new BadInputException(manifestPath.toString(), null, null, "lists no sequences to index");
    }
    Path statsDir = opts.has("stats") ? opts.requirePath("stats")
        : manifest.hasNonNull("stats") ? new Path(manifest.get("stats").asText()) : null;
    if (statsDir == null) {
      throw new UsageException("manifest.json names no scan; give --stats with the scan's output folder");
    }
    DatabaseStats stats = StatsFiles.read(conf, statsDir);
    if (stats.getSequences() != sequences || stats.getResidues() != residues) {
      throw new BadInputException(manifestPath.toString(), null, null, "the shards hold " + sequences + " sequences and "
          + residues + " residues, the scan at " + statsDir + " counted " + stats.getSequences() + " and "
          + stats.getResidues() + ": shards and scan are of different databases");
    }
    boolean nucleotide = stats.getAlphabet() == Alphabet.NUCLEOTIDE;
    setDatabase(conf, nucleotide, sequences, residues);

    long started = System.nanoTime();
    Job job = createJob(conf, shards, figures, out);
    if (!JobSupport.runJob(job, out)) {
      return 1;
    }
    long indexed = job.getCounters().findCounter(Counter.SEQUENCES_INDEXED).getValue();
    long entries = job.getCounters().findCounter(Counter.ENTRIES).getValue();
    FileSystem fs = out.getFileSystem(conf);
    JobSupport.withholdSuccess(fs, out);
    FileUtil.copy(statsDir.getFileSystem(conf), new Path(statsDir, StatsFiles.AVRO), fs, new Path(out, StatsFiles.AVRO),
        false, conf);
    List<Object> shardList = new ArrayList<>();
    long bytes = 0;
    ObjectMapper json = new ObjectMapper();
    for (int s = 0; s < figures.size(); s++) {
      Path side = new Path(out, "_" + IndexFiles.shardName(s) + ".json");
      try (InputStream in = fs.open(side)) {
        JsonNode f = json.readTree(in);
        shardList.add(f);
        bytes += f.get("bytes").asLong();
      }
      fs.delete(side, false);
    }
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("format_version", ShardIndex.FORMAT_VERSION);
    index.put("alphabet", nucleotide ? "nucleotide" : "protein");
    index.put("sequences", sequences);
    index.put("residues", residues);
    index.put("entries", entries);
    index.put("bytes", bytes);
    index.put("seed_scheme", SEED_SCHEME);
    index.put("fragment_length", getFragmentLength(conf));
    index.put("fragment_overlap", getFragmentOverlap(conf));
    index.put("shards_from", shardFs.makeQualified(shards).toString());
    index.put("stats", StatsFiles.AVRO);
    index.put("shards", shardList);
    index.put(OutputFiles.FILES, OutputFiles.describe(fs, out, List.of(StatsFiles.AVRO)));
    OutputFiles.writeSealed(fs, OutputFiles.pending(out, IndexFiles.JSON), index);
    System.out.printf("index: %d shards, %,d sequences (%,d entries), %,d residues, %,d bytes in %.1f s%n", figures.size(),
        indexed, entries, residues, bytes, (System.nanoTime() - started) / 1e9);
    if (indexed != sequences) {
      System.err.println("taxoshard index: records lost: the manifest lists " + sequences + ", indexed " + indexed);
      return 1;
    }
    JobSupport.markSuccess(fs, out, conf, "index");
    System.out.println("wrote " + new Path(out, IndexFiles.JSON));
    return 0;
  }
}
