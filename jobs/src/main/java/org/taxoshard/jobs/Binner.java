package org.taxoshard.jobs;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.MapContext;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.fasta.FastaRecord;
import org.taxoshard.taxonomy.TaxonLookup;
import org.taxoshard.taxonomy.Taxonomy;

/**
 * Puts a record in its bin: the ancestor at the configured rank of the taxon its header names,
 * or 0 (unclassified), with the reason kept for counting. The scan and the shard job bin the same
 * way, so that the plan's counts match the records the shard job sees.
 */
final class Binner implements java.io.Closeable {
  /** Reason codes: minus TaxonLookup's codes, then one of our own. */
  static final int CLASSIFIED = -1;
  static final int NO_ANCESTOR_AT_RANK = 4;
  static final int NO_TAXONOMY = 5;

  private final Taxonomy taxonomy;
  private final TaxonLookup lookup;
  /** The accession2taxid taxids of the task's split, or null. */
  private final SplitTaxids accessions;
  private final String rank;
  private int reason;

  private Binner(Taxonomy taxonomy, TaxonLookup lookup, SplitTaxids accessions, String rank) {
    this.taxonomy = taxonomy;
    this.lookup = lookup;
    this.accessions = accessions;
    this.rank = rank;
  }

  /**
   * The binner of the task's job: the taxonomy it ships, or none (everything unclassified), and
   * the accession2taxid taxids of the task's split when the scan joined any ({@link TaxidJoin}).
   */
  static Binner create(MapContext<?, ?, ?, ?> context) throws IOException {
    Configuration conf = context.getConfiguration();
    Taxonomy t = TaxonomyCache.load(context);
    String rank = TaxoshardKeys.TAXONOMY_RANK.get(conf);
    SplitTaxids accessions = t == null || !(context.getInputSplit() instanceof FileSplit) ? null
        : SplitTaxids.open(conf, (FileSplit) context.getInputSplit());
    return new Binner(t, t == null ? null : TaxonLookup.create(conf, t), accessions, rank);
  }

  /** Closes the split's taxids, if any: a task's last call. */
  @Override
  public void close() throws IOException {
    if (accessions != null) {
      accessions.close();
    }
  }

  Taxonomy taxonomy() {
    return taxonomy;
  }

  /**
   * The record's bin taxid, or 0; {@link #reason()} tells why when 0. Records must come in the
   * order of their split (as its reader gives them): the accession taxids are read in step.
   */
  int bin(FastaRecord record) throws IOException {
    if (lookup == null) {
      reason = NO_TAXONOMY;
      return 0;
    }
    int taxid = lookup.taxid(record);
    if (taxid == TaxonLookup.NO_TAXON && accessions != null) {
      // The header names no taxon: its accession's row, as TaxonLookup resolves a header's taxid.
      int a = accessions.taxid(record.offset());
      if (a > 0) {
        int r = taxonomy.resolve(a);
        taxid = r > 0 ? r : TaxonLookup.UNKNOWN_TAXID;
      }
    }
    if (taxid <= 0) {
      reason = -taxid;
      return 0;
    }
    int bin = taxonomy.ancestorAtRank(taxid, rank);
    reason = bin > 0 ? CLASSIFIED : NO_ANCESTOR_AT_RANK;
    return Math.max(bin, 0);
  }

  /**
   * Why the last record was unclassified: 0 no taxon, 1 unknown taxid, 2 name not found,
   * 3 ambiguous name (TaxonLookup's codes negated), 4 no ancestor at the rank, 5 no taxonomy;
   * {@link #CLASSIFIED} when it was not.
   */
  int reason() {
    return reason;
  }
}
