package org.taxoshard.fasta;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.formats.BadInputException;

/**
 * FASTA files as whole records, read in parallel: keys are the records' offsets (see
 * {@link FastaRecord#offset()}), values the records.
 *
 * <p>Splits are FileInputFormat's own, cut from block boundaries and file lengths: the client
 * reads no data, only the first bytes of each file to recognise its compression. Plain files and
 * BGZF are split; a plain gzip file is one split. Files, folders, globs and comma lists work as
 * for any FileInputFormat. {@link FastaRecordReader} states which split reads which record.
 */
public class FastaInputFormat extends FileInputFormat<LongWritable, FastaRecord> {
  /** What the readers count: records in = RECORDS + SKIPPED_RECORDS. */
  public enum Counter {
    RECORDS, RESIDUES, SKIPPED_RECORDS
  }

  /** How a file is stored, recognised by content, not by name. */
  public enum Compression {
    PLAIN, GZIP, BGZF
  }

  public static void setLenient(Configuration conf, boolean lenient) {
    TaxoshardKeys.INPUT_LENIENT.setBoolean(conf, lenient);
  }

  public static boolean isLenient(Configuration conf) {
    return TaxoshardKeys.INPUT_LENIENT.getBoolean(conf);
  }

  public static void setMaxRecordBytes(Configuration conf, long bytes) {
    TaxoshardKeys.FASTA_MAX_RECORD_BYTES.setLong(conf, bytes);
  }

  public static long getMaxRecordBytes(Configuration conf) {
    return TaxoshardKeys.FASTA_MAX_RECORD_BYTES.getLong(conf);
  }

  /**
   * Reads the first bytes of a file: gzip magic {@code 1f 8b}; BGZF when the gzip header carries
   * the extra field with the {@code BC} subfield that BGZF's specification requires.
   */
  public static Compression compressionOf(FileSystem fs, Path file) throws IOException {
    byte[] h = new byte[16];
    int n = 0;
    try (InputStream in = fs.open(file)) {
      while (n < h.length) {
        int r = in.read(h, n, h.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
    }
    if (n < 2 || (h[0] & 0xFF) != 0x1f || (h[1] & 0xFF) != 0x8b) {
      return Compression.PLAIN;
    }
    boolean extra = n >= 16 && (h[3] & 0x04) != 0;
    return extra && h[12] == 'B' && h[13] == 'C' ? Compression.BGZF : Compression.GZIP;
  }

  @Override
  protected boolean isSplitable(JobContext context, Path file) {
    try {
      return compressionOf(file.getFileSystem(context.getConfiguration()), file) != Compression.GZIP;
    } catch (IOException e) {
      // Unreadable here means unreadable in the task too, where the error names the file.
      return false;
    }
  }

  @Override
  public RecordReader<LongWritable, FastaRecord> createRecordReader(InputSplit split, TaskAttemptContext context) {
    return new FastaRecordReader();
  }

  /**
   * FileInputFormat's listing, refusing a file that two inputs name (the same file given twice, a
   * folder and a file in it, overlapping globs): FileInputFormat would read it twice, and its
   * records would then be reported as duplicate ids of themselves.
   */
  @Override
  protected List<FileStatus> listStatus(JobContext job) throws IOException {
    List<FileStatus> files = super.listStatus(job);
    Set<Path> seen = new HashSet<>();
    for (FileStatus f : files) {
      if (!seen.add(f.getPath())) {
        throw new BadInputException(f.getPath().toString(), null, null, "named twice by the inputs ("
            + Arrays.toString(getInputPaths(job)) + "): the same file given twice, or a folder or glob"
            + " and a file in it; give each file once");
      }
    }
    return files;
  }

  /** The files FileInputFormat would read for this job's input paths (folders recursed, globs expanded). */
  List<FileStatus> listFilesOf(JobContext job) throws IOException {
    return listStatus(job);
  }
}
