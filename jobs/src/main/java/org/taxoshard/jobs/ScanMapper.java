package org.taxoshard.jobs;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Counter;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.fasta.FastaRecord;
import org.taxoshard.fasta.Residues;
import org.taxoshard.formats.BadInputException;
import org.taxoshard.taxonomy.TaxonLookup;
import org.taxoshard.taxonomy.Taxonomy;

/**
 * Builds the partial statistics of one split: per bin, for the split's file, and for the split
 * as a whole. It aggregates in memory (the number of bins is bounded by the taxonomy, not by the
 * data) and emits once at the end, so the shuffle carries a few records per split.
 */
public class ScanMapper extends Mapper<LongWritable, FastaRecord, Text, PartialStats> {
  private final Map<Integer, PartialStats> bins = new HashMap<>();
  private final PartialStats total = new PartialStats();
  private final PartialStats file = new PartialStats();
  private final long[] letters = new long[PartialStats.LETTERS];
  private String filePath;
  private Taxonomy taxonomy;
  private TaxonLookup lookup;
  private String rank;

  @Override
  public void run(Context context) throws IOException, InterruptedException {
    try {
      super.run(context);
    } catch (BadInputException e) {
      JobSupport.reportBadInput(context, FileOutputFormat.getOutputPath(context), e);
      throw e;
    }
  }

  // Looked up once: a counter lookup per record is a hash lookup per record.
  private Counter sequences;
  private Counter residues;
  private Counter unclassified;
  private Counter noAncestor;
  /** Indexed by minus the lookup's code: NO_TAXON 0, UNKNOWN_TAXID 1, NAME_NOT_FOUND 2, AMBIGUOUS_NAME 3. */
  private final Counter[] reasons = new Counter[4];

  @Override
  protected void setup(Context context) throws IOException {
    sequences = context.getCounter(ScanJob.Counter.SEQUENCES);
    residues = context.getCounter(ScanJob.Counter.RESIDUES);
    unclassified = context.getCounter(ScanJob.Counter.UNCLASSIFIED);
    noAncestor = context.getCounter(ScanJob.Counter.NO_ANCESTOR_AT_RANK);
    reasons[-TaxonLookup.NO_TAXON] = context.getCounter(ScanJob.Counter.NO_TAXON);
    reasons[-TaxonLookup.UNKNOWN_TAXID] = context.getCounter(ScanJob.Counter.UNKNOWN_TAXID);
    reasons[-TaxonLookup.NAME_NOT_FOUND] = context.getCounter(ScanJob.Counter.NAME_NOT_FOUND);
    reasons[-TaxonLookup.AMBIGUOUS_NAME] = context.getCounter(ScanJob.Counter.AMBIGUOUS_NAME);
    taxonomy = TaxonomyCache.load(context);
    if (taxonomy != null) {
      lookup = TaxonLookup.create(context.getConfiguration(), taxonomy);
    }
    rank = TaxoshardKeys.TAXONOMY_RANK.get(context.getConfiguration());
    if (context.getInputSplit() instanceof FileSplit) {
      Path p = ((FileSplit) context.getInputSplit()).getPath();
      filePath = p.toString();
    }
  }

  @Override
  protected void map(LongWritable key, FastaRecord record, Context context) throws IOException {
    if (record.isSkipped()) {
      total.addSkipped(record.file(), record.place(), record.id(), record.problem());
      return;
    }
    java.util.Arrays.fill(letters, 0);
    byte[] s = record.sequenceBytes();
    int n = record.length();
    for (int i = 0; i < n; i++) {
      int c = Residues.code(s[i]);
      if (c < 0) {
        throw new BadInputException(record.file(), record.place(), record.id(),
            "non-residue byte 0x" + Integer.toHexString(s[i] & 0xFF));
      }
      letters[c]++;
    }
    int bin = 0;
    if (lookup != null) {
      int taxid = lookup.taxid(record);
      if (taxid > 0) {
        bin = taxonomy.ancestorAtRank(taxid, rank);
        if (bin == 0) {
          noAncestor.increment(1);
        }
      } else {
        if (taxid == TaxonLookup.NO_TAXON) {
          total.noTaxon++;
        }
        reasons[-taxid].increment(1);
      }
    }
    if (bin <= 0) {
      bin = 0;
      total.unclassified++;
      unclassified.increment(1);
    }
    bins.computeIfAbsent(bin, b -> new PartialStats()).addSequence(n, letters);
    total.addSequence(n, letters);
    file.addSequence(n, letters);
    sequences.increment(1);
    residues.increment(n);
  }

  @Override
  protected void cleanup(Context context) throws IOException, InterruptedException {
    Text key = new Text();
    for (Map.Entry<Integer, PartialStats> e : bins.entrySet()) {
      key.set(ScanJob.BIN_KEY + e.getKey());
      context.write(key, e.getValue());
    }
    if (filePath != null) {
      // Even a split with no records names its file, so that empty files are seen.
      key.set(ScanJob.FILE_KEY + filePath);
      context.write(key, file);
    }
    key.set(ScanJob.TOTAL_KEY);
    context.write(key, total);
  }
}
