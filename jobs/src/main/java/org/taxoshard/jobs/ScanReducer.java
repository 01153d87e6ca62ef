package org.taxoshard.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.taxoshard.avro.Bin;
import org.taxoshard.avro.Cell;
import org.taxoshard.avro.ScanSplit;
import org.taxoshard.avro.ScanSplits;
import org.taxoshard.avro.Composition;
import org.taxoshard.avro.DatabaseStats;
import org.taxoshard.avro.InputFile;
import org.taxoshard.avro.LengthBucket;
import org.taxoshard.avro.Skipped;
import org.taxoshard.avro.SkippedRecord;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.fasta.FastaInputFormat;
import org.taxoshard.fasta.FastaRecord;
import org.taxoshard.fasta.Residues;
import org.taxoshard.formats.BadInputException;
import org.taxoshard.taxonomy.Taxonomy;

/**
 * The global statistics reduce: one task adds up every split's partial statistics and writes
 * {@code stats.avro} and {@code stats.json} as side files of its attempt, so that the output
 * committer publishes them atomically with the job's success.
 *
 * <p>Its memory is bounded by the number of bins and input files, never by the data.
 */
public class ScanReducer extends ReportingReducer<Text, ScanValue, NullWritable, NullWritable> {
  public static final String UNCLASSIFIED = "unclassified";
  static final int MAX_DUPLICATES_SHOWN = 20;

  private final Map<Integer, PartialStats> bins = new HashMap<>();
  private final Map<String, PartialStats> files = new TreeMap<>();
  private final PartialStats total = new PartialStats();
  private final List<ScanSplit> splits = new ArrayList<>();
  /** Ids seen more than once: how many, and the first few with two of their places each. */
  private long duplicates;
  private final List<String> duplicateExamples = new ArrayList<>();
  private final IdPlace places = new IdPlace();

  @Override
  protected void reduce(Text key, Iterable<ScanValue> values, Context context) throws IOException {
    if (ScanJob.isIdKey(key)) {
      places.copies = 0;
      for (ScanValue v : values) {
        places.merge(v.place());
      }
      if (places.copies > 1) {
        duplicate(key.toString().substring(ScanJob.ID_KEY.length()), context.getConfiguration());
      }
      return;
    }
    String k = key.toString();
    PartialStats sum;
    if (k.startsWith(ScanJob.BIN_KEY)) {
      sum = bins.computeIfAbsent(Integer.parseInt(k.substring(ScanJob.BIN_KEY.length())), b -> new PartialStats());
    } else if (k.startsWith(ScanJob.SPLIT_KEY)) {
      String[] f = k.substring(ScanJob.SPLIT_KEY.length()).split("\t");
      PartialStats p = new PartialStats();
      for (ScanValue v : values) {
        p.merge(v.stats());
      }
      splits.add(split(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), p, context.getConfiguration()));
      return;
    } else if (k.startsWith(ScanJob.FILE_KEY)) {
      sum = files.computeIfAbsent(k.substring(ScanJob.FILE_KEY.length()), f -> new PartialStats());
    } else {
      sum = total;
    }
    for (ScanValue v : values) {
      sum.merge(v.stats());
    }
  }

  private void duplicate(String id, Configuration conf) {
    if (duplicates++ < MAX_DUPLICATES_SHOWN) {
      List<String> files = ScanJob.getInputFiles(conf);
      FastaRecord.OffsetKind[] kinds = FastaRecord.OffsetKind.values();
      duplicateExamples.add(files.get((int) places.file[0]) + ", record at "
          + FastaRecord.place(places.offset[0], kinds[places.kind[0]]) + ", record '" + id + "': the id is used "
          + places.copies + " times; again at " + files.get((int) places.file[1]) + ", "
          + FastaRecord.place(places.offset[1], kinds[places.kind[1]]));
    }
  }

  @Override
  protected void cleanup(Context context) throws IOException, InterruptedException {
    Configuration conf = context.getConfiguration();
    if (duplicates > 0) {
      throw new BadInputException(String.join("\n", duplicateExamples) + "\n" + duplicates + " record id"
          + (duplicates == 1 ? " is" : "s are") + " used more than once" + (duplicates > MAX_DUPLICATES_SHOWN
          ? " (the first " + MAX_DUPLICATES_SHOWN + " of this reducer above)" : "") + ": a database's ids must be"
          + " unique, as makeblastdb -parse_seqids requires (seqkit rmdup -n keeps the first of each; -D "
          + TaxoshardKeys.SCAN_CHECK_DUPLICATE_IDS.key() + "=false skips this check)");
    }
    if (context.getTaskAttemptID().getTaskID().getId() != 0) {
      // The other reducers only check ids; the statistics all go to the first.
      return;
    }
    checkEveryMapArrived(conf);
    boolean lenient = FastaInputFormat.isLenient(conf);
    if (total.sequences == 0) {
      throw new BadInputException(String.join(", ", files.keySet()), null, null,
          "no FASTA records in the input" + (total.skipped > 0 ? " (" + total.skipped + " skipped)" : ""));
    }
    for (Map.Entry<String, PartialStats> f : files.entrySet()) {
      if (f.getValue().sequences == 0 && !lenient && total.skipped == 0) {
        throw new BadInputException(f.getKey(), "byte 0", null,
            "the file holds no FASTA records (give -D " + TaxoshardKeys.INPUT_LENIENT.key()
                + "=true to accept empty files)");
      }
    }
    Taxonomy taxonomy = TaxonomyCache.load(context);
    DatabaseStats stats = build(conf, taxonomy);
    Path work = FileOutputFormat.getWorkOutputPath(context);
    FileSystem fs = work.getFileSystem(conf);
    splits.sort(Comparator.comparing(ScanSplit::getPath).thenComparingLong(ScanSplit::getStart));
    List<Map<String, Object>> others = new java.util.ArrayList<>();
    String taxids = TaxoshardKeys.TAXONOMY_TAXIDS.get(conf);
    if (!taxids.isEmpty()) {
      // The joined taxids, staged beside the output until the scan moves them in: listed as they will lie.
      Path dir = new Path(taxids);
      for (Map<String, Object> e : OutputFiles.describe(dir.getFileSystem(conf), dir, List.of(TaxidJoin.JSON))) {
        e.put("path", TaxidJoin.FOLDER + "/" + e.get("path"));
        others.add(e);
      }
    }
    StatsFiles.write(fs, work, stats, ScanSplits.newBuilder().setSplits(splits).build(), others);
  }

  /**
   * Every map sends this reduce its split's figures, its file's, its bins' and its total, so the
   * four sums must agree and every map's split must be here. Hadoop's shuffle does not lose
   * records, but a library on the task classpath that reads them otherwise can (Hadoop 3.3's
   * Avro 1.7, loaded ahead of Taxoshard's, delivered none): that is a failed scan, never the
   * statistics of a smaller database, nor "no FASTA records".
   */
  private void checkEveryMapArrived(Configuration conf) throws IOException {
    int maps = conf.getInt(MRJobConfig.NUM_MAPS, -1);
    long inSplits = 0;
    for (ScanSplit s : splits) {
      inSplits += s.getSequences();
    }
    long inFiles = 0;
    for (PartialStats f : files.values()) {
      inFiles += f.sequences;
    }
    long inBins = 0;
    for (PartialStats b : bins.values()) {
      inBins += b.sequences;
    }
    if ((maps >= 0 && splits.size() != maps) || inSplits != total.sequences || inFiles != total.sequences
        || inBins != total.sequences) {
      throw new RecordsLostException(String.format("the scan's reduce received the figures of %d of the job's %d map"
          + " tasks, and %,d sequences in the splits' figures, %,d in the files', %,d in the bins', %,d in the total:"
          + " map output was lost on its way to the reduce (is another version of a library Taxoshard carries,"
          + " Avro or Jackson, ahead of it on the task classpath?)", splits.size(), maps, inSplits, inFiles, inBins,
          total.sequences));
    }
  }

  private static ScanSplit split(String path, long start, long length, PartialStats p, Configuration conf)
      throws IOException {
    List<Cell> cells = new ArrayList<>();
    p.cells.sort(Comparator.<long[]>comparingLong(c -> c[0]).thenComparingLong(c -> c[1]));
    for (long[] c : p.cells) {
      cells.add(Cell.newBuilder().setBin(c[0]).setStratum((int) c[1]).setSequences(c[2]).setResidues(c[3]).build());
    }
    Path file = new Path(path);
    return ScanSplit.newBuilder().setPath(path).setStart(start).setLength(length)
        .setFileLength(file.getFileSystem(conf).getFileStatus(file).getLen())
        .setSequences(p.sequences).setCells(cells).build();
  }

  private DatabaseStats build(Configuration conf, Taxonomy taxonomy) throws IOException {
    List<Bin> binList = new ArrayList<>();
    Set<String> names = new HashSet<>();
    // Largest first so that names stay with the bin that most users mean when two taxa share one.
    List<Map.Entry<Integer, PartialStats>> ordered = new ArrayList<>(bins.entrySet());
    ordered.sort(Comparator.comparingLong((Map.Entry<Integer, PartialStats> e) -> -e.getValue().residues)
        .thenComparingInt(Map.Entry::getKey));
    for (Map.Entry<Integer, PartialStats> e : ordered) {
      int taxid = e.getKey();
      String name = taxid == 0 ? UNCLASSIFIED : taxonomy.scientificName(taxid);
      if (name == null || name.isEmpty()) {
        name = "taxid " + taxid;
      }
      if (!names.add(name)) {
        name = name + " (taxid " + taxid + ")";
        names.add(name);
      }
      PartialStats p = e.getValue();
      binList.add(Bin.newBuilder().setName(name).setTaxid(taxid).setSequences(p.sequences)
          .setResidues(p.residues).setComposition(composition(p)).build());
    }
    binList.sort(Comparator.comparingLong((Bin b) -> -b.getResidues()).thenComparing(Bin::getName));

    List<InputFile> inputs = new ArrayList<>();
    for (Map.Entry<String, PartialStats> f : files.entrySet()) {
      Path p = new Path(f.getKey());
      FileSystem fs = p.getFileSystem(conf);
      inputs.add(InputFile.newBuilder().setPath(f.getKey()).setBytes(fs.getFileStatus(p).getLen())
          .setCompression(FastaInputFormat.compressionOf(fs, p).name().toLowerCase())
          .setSequences(f.getValue().sequences).setResidues(f.getValue().residues).build());
    }

    List<LengthBucket> histogram = new ArrayList<>();
    int last = 0;
    for (int i = 0; i < PartialStats.BUCKETS; i++) {
      if (total.lengths[i] > 0) {
        last = i;
      }
    }
    for (int i = 0; i <= last; i++) {
      long min = i == 0 ? 0 : 1L << (i - 1);
      long max = i == 0 ? 0 : (1L << i) - 1;
      histogram.add(LengthBucket.newBuilder().setMin(min).setMax(max).setSequences(total.lengths[i]).build());
    }

    List<SkippedRecord> examples = new ArrayList<>();
    for (String[] e : total.examples) {
      examples.add(SkippedRecord.newBuilder().setFile(e[0]).setPlace(e[1]).setId(e[2]).setProblem(e[3]).build());
    }

    return DatabaseStats.newBuilder()
        .setSequences(total.sequences)
        .setResidues(total.residues)
        .setMinLength(total.minLength)
        .setMaxLength(total.maxLength)
        .setAlphabet(Residues.guessAlphabet(total.composition))
        .setRank(TaxoshardKeys.TAXONOMY_RANK.get(conf))
        .setTaxonomy(TaxoshardKeys.TAXONOMY_DIR.get(conf))
        .setHeaderRegex(TaxoshardKeys.TAXONOMY_HEADER_REGEX.get(conf))
        .setAccession2taxid(TaxoshardKeys.TAXONOMY_ACCESSION2TAXID.get(conf))
        .setUnclassified(total.unclassified)
        .setNoTaxon(total.noTaxon)
        .setComposition(composition(total))
        .setLengthHistogram(histogram)
        .setBins(binList)
        .setInputs(inputs)
        .setSkipped(Skipped.newBuilder().setRecords(total.skipped).setExamples(examples).build())
        .build();
  }

  private static Composition composition(PartialStats p) {
    List<Long> counts = new ArrayList<>(PartialStats.LETTERS);
    for (long c : p.composition) {
      counts.add(c);
    }
    return Composition.newBuilder().setCounts(counts).build();
  }
}
