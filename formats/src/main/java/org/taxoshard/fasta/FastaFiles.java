package org.taxoshard.fasta;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;

/**
 * Reads FASTA files one after another on the client, each whole, with the same reader and the same
 * rules as the InputFormat ({@link FastaRecordReader}): for the commands that run in one process
 * ({@code search --db}, query files). Inputs may be files, folders (read recursively) or globs,
 * taken in the order FileInputFormat lists them. Memory: one record and the reader's buffer.
 */
public final class FastaFiles implements Closeable {
  private final Configuration conf;
  private final List<Path> files;
  private int next;
  private FastaRecordReader reader;

  public FastaFiles(Configuration conf, List<Path> inputs) throws IOException {
    this.conf = conf;
    this.files = list(conf, inputs);
  }

  /** The files the inputs name, as FileInputFormat expands them. */
  public static List<Path> list(Configuration conf, List<Path> inputs) throws IOException {
    Job job = Job.getInstance(new Configuration(conf));
    FileInputFormat.setInputPaths(job, inputs.toArray(new Path[0]));
    FileInputFormat.setInputDirRecursive(job, true);
    List<Path> out = new ArrayList<>();
    for (FileStatus s : new FastaInputFormat().listFilesOf(job)) {
      out.add(s.getPath());
    }
    return out;
  }

  public List<Path> files() {
    return files;
  }

  /**
   * The next record (reused: copy what you keep), or null after the last. A bad record throws
   * {@link org.taxoshard.formats.BadInputException} unless the configuration is lenient, where it
   * comes back with {@link FastaRecord#isSkipped()} set.
   */
  public FastaRecord next() throws IOException {
    while (true) {
      if (reader != null && reader.nextKeyValue()) {
        return reader.getCurrentValue();
      }
      if (reader != null) {
        reader.close();
        reader = null;
      }
      if (next == files.size()) {
        return null;
      }
      Path p = files.get(next++);
      long length = p.getFileSystem(conf).getFileStatus(p).getLen();
      reader = new FastaRecordReader();
      reader.initialize(new FileSplit(p, 0, length, null), conf);
    }
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}
