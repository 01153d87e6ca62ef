package org.taxoshard.jobs;

import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;

/**
 * One split per file, one record per split: the file's qualified path. For mappers that read a
 * file whole themselves (a checksum, an index checked end to end), never through a record reader.
 */
public class WholeFileInputFormat extends FileInputFormat<Text, NullWritable> {
  @Override
  protected boolean isSplitable(JobContext context, Path file) {
    return false;
  }

  @Override
  public RecordReader<Text, NullWritable> createRecordReader(InputSplit split, TaskAttemptContext context) {
    return new RecordReader<>() {
      private Text path;
      private boolean read;

      @Override
      public void initialize(InputSplit s, TaskAttemptContext c) throws IOException {
        Path p = ((FileSplit) s).getPath();
        path = new Text(p.getFileSystem(c.getConfiguration()).makeQualified(p).toString());
      }

      @Override
      public boolean nextKeyValue() {
        if (read) {
          return false;
        }
        read = true;
        return true;
      }

      @Override
      public Text getCurrentKey() {
        return path;
      }

      @Override
      public NullWritable getCurrentValue() {
        return NullWritable.get();
      }

      @Override
      public float getProgress() {
        return read ? 1 : 0;
      }

      @Override
      public void close() {
      }
    };
  }
}
