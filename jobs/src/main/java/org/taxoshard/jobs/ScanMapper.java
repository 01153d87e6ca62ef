package org.taxoshard.jobs;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Counter;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.taxoshard.fasta.FastaRecord;
import org.taxoshard.fasta.Residues;
import org.taxoshard.formats.BadInputException;
import org.taxoshard.taxonomy.TaxonLookup;

/**
 * Builds the partial statistics of one split: per bin, for the split's file, and for the split
 * as a whole. It aggregates in memory (the number of bins is bounded by the taxonomy, not by the
 * data) and emits once at the end, so the shuffle carries a few records per split.
 */
public class ScanMapper extends ReportingMapper<LongWritable, FastaRecord, Text, ScanValue> {
  private final Map<Integer, PartialStats> bins = new HashMap<>();
  private final PartialStats total = new PartialStats();
  private final PartialStats file = new PartialStats();
  private final long[] letters = new long[PartialStats.LETTERS];
  private String filePath;
  private Binner binner;
  /** (bin &lt;&lt; 8 | stratum) to {sequences, residues} for this split: what the planner deals from. */
  private final Map<Long, long[]> cells = new HashMap<>();
  private String splitKey;
  /** The split's file as a number in the scan's sorted inputs, or -1 when ids are not checked. */
  private int fileNumber = -1;
  private final Text idKey = new Text();
  private final IdPlace place = new IdPlace();
  private final ScanValue placeValue = new ScanValue(place);

  // Looked up once: a counter lookup per record is a hash lookup per record.
  private Counter sequences;
  private Counter residues;
  private Counter unclassified;
  private Counter noAncestor;
  /** Indexed by {@link Binner#reason()}. */
  private final Counter[] reasons = new Counter[5];

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
    reasons[Binner.NO_ANCESTOR_AT_RANK] = noAncestor;
    binner = Binner.create(context);
    if (context.getInputSplit() instanceof FileSplit) {
      FileSplit split = (FileSplit) context.getInputSplit();
      filePath = split.getPath().toString();
      splitKey = ScanJob.SPLIT_KEY + filePath + "\t" + split.getStart() + "\t" + split.getLength();
      if (ScanJob.checksDuplicateIds(context.getConfiguration())) {
        fileNumber = ScanJob.getInputFiles(context.getConfiguration()).indexOf(filePath);
      }
    }
  }

  @Override
  protected void map(LongWritable key, FastaRecord record, Context context) throws IOException, InterruptedException {
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
    int bin = binner.bin(record);
    if (bin == 0) {
      int why = binner.reason();
      if (why == -TaxonLookup.NO_TAXON) {
        total.noTaxon++;
      }
      if (why < reasons.length) {
        reasons[why].increment(1);
      }
      total.unclassified++;
      unclassified.increment(1);
    }
    long cell = ((long) bin << 8) | Strata.of(n);
    long[] c = cells.computeIfAbsent(cell, k -> new long[2]);
    c[0]++;
    c[1] += n;
    bins.computeIfAbsent(bin, b -> new PartialStats()).addSequence(n, letters);
    total.addSequence(n, letters);
    file.addSequence(n, letters);
    sequences.increment(1);
    residues.increment(n);
    if (fileNumber >= 0) {
      String id = record.id();
      idKey.set(ScanJob.ID_KEY + id);
      place.set(fileNumber, record.offset(), (byte) record.offsetKind().ordinal());
      context.write(idKey, placeValue);
    }
  }

  @Override
  protected void cleanup(Context context) throws IOException, InterruptedException {
    binner.close();
    Text key = new Text();
    for (Map.Entry<Integer, PartialStats> e : bins.entrySet()) {
      key.set(ScanJob.BIN_KEY + e.getKey());
      context.write(key, new ScanValue(e.getValue()));
    }
    if (filePath != null) {
      // Even a split with no records names its file, so that empty files are seen.
      key.set(ScanJob.FILE_KEY + filePath);
      context.write(key, new ScanValue(file));
    }
    key.set(ScanJob.TOTAL_KEY);
    context.write(key, new ScanValue(total));
    if (splitKey != null) {
      PartialStats split = new PartialStats();
      split.sequences = file.sequences;
      for (Map.Entry<Long, long[]> e : cells.entrySet()) {
        split.cells.add(new long[] {e.getKey() >>> 8, e.getKey() & 0xFF, e.getValue()[0], e.getValue()[1]});
      }
      key.set(splitKey);
      context.write(key, new ScanValue(split));
    }
  }
}
