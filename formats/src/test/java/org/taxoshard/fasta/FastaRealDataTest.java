package org.taxoshard.fasta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taxoshard.testing.SharedData;

/** The 15 real proteomes through the reader: the counts the data's README states. */
class FastaRealDataTest {
  @TempDir
  File tmp;

  static long[] count(Configuration conf, Path input) throws Exception {
    Job job = Job.getInstance(conf);
    FileInputFormat.setInputPaths(job, input);
    FastaInputFormat format = new FastaInputFormat();
    long records = 0;
    long residues = 0;
    long splits = 0;
    for (InputSplit split : format.getSplits(job)) {
      splits++;
      try (FastaRecordReader r = new FastaRecordReader()) {
        r.initialize(split, new TaskAttemptContextImpl(conf, new TaskAttemptID()));
        while (r.nextKeyValue()) {
          records++;
          residues += r.getCurrentValue().length();
        }
      }
    }
    return new long[] {records, residues, splits};
  }

  @Test
  void proteomesGzippedAndInOneMebibyteSplits() throws Exception {
    File proteomes = SharedData.require("proteomes");
    long[] gz = count(FastaReading.conf(Long.MAX_VALUE), new Path(proteomes.getAbsolutePath()));
    assertEquals(82_814, gz[0]);
    assertEquals(38_677_248, gz[1]);
    assertEquals(15, gz[2], "gzip: one split per file");

    File plain = new File(tmp, "plain");
    assertTrue(plain.mkdirs());
    for (File f : proteomes.listFiles((d, n) -> n.endsWith(".gz"))) {
      try (InputStream in = new GZIPInputStream(new FileInputStream(f));
          OutputStream out = new FileOutputStream(new File(plain, f.getName().replace(".gz", "")))) {
        in.transferTo(out);
      }
    }
    long[] split = count(FastaReading.conf(1 << 20), new Path(plain.getAbsolutePath()));
    assertEquals(82_814, split[0]);
    assertEquals(38_677_248, split[1]);
    assertTrue(split[2] > 30, "many splits: " + split[2]);
  }
}
