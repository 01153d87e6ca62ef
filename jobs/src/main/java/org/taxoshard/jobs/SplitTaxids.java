package org.taxoshard.jobs;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.formats.BadInputException;

/**
 * The accession2taxid taxids of one split's records ({@link TaxidJoin}'s part file for it), read
 * in step with the records: each call gives the taxid of the record at an offset no smaller than
 * the last one asked. Memory: one pair and a 64 KiB buffer.
 */
final class SplitTaxids implements java.io.Closeable {
  private final String file;
  private final DataInputStream in;
  private long offset = -1;
  private int taxid;
  private boolean done;

  private SplitTaxids(String file, DataInputStream in) throws IOException {
    this.file = file;
    this.in = in;
    advance();
  }

  /**
   * The taxids of {@code split}, from the folder {@code taxoshard.taxonomy.taxids} names, or null
   * when it names none. The folder's {@code taxids.json} is checked first, as every reader checks
   * the folders it reads.
   */
  static SplitTaxids open(Configuration conf, FileSplit split) throws IOException {
    String folder = TaxoshardKeys.TAXONOMY_TAXIDS.get(conf);
    if (folder.isEmpty()) {
      return null;
    }
    Path dir = new Path(folder);
    org.apache.hadoop.fs.FileSystem fs = dir.getFileSystem(conf);
    Path list = OutputFiles.checkedFile(fs, dir, TaxidJoin.JSON, TaxidJoin.SPLITS, "the scan's taxids", "taxoshard scan");
    Map<String, Integer> numbers = TaxidJoin.readSplitList(conf, list);
    Integer n = numbers.get(split.getPath() + "\t" + split.getStart());
    if (n == null) {
      throw new BadInputException(list.toString(), null, null, "no taxids for the split of " + split.getPath()
          + " at byte " + split.getStart() + ": the scan read other splits; run taxoshard scan again");
    }
    Path part = OutputFiles.checkedFile(fs, dir, TaxidJoin.JSON, TaxidJoin.part(n), "the scan's taxids", "taxoshard scan");
    return new SplitTaxids(part.toString(), new DataInputStream(new BufferedInputStream(fs.open(part), 1 << 16)));
  }

  private void advance() throws IOException {
    long last = offset;
    try {
      offset = in.readLong();
      taxid = in.readInt();
    } catch (EOFException e) {
      done = true;
      return;
    }
    if (offset <= last) {
      throw new BadInputException(file, null, null, "taxids out of order at offset " + offset);
    }
  }

  /** The taxid of the record at {@code at}, or 0 when no table row names it. */
  int taxid(long at) throws IOException {
    while (!done && offset < at) {
      advance();
    }
    return !done && offset == at ? taxid : 0;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
