package org.taxoshard.fasta;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;

/** Test helpers: read files through the real InputFormat, and parse them the simple way. */
final class FastaReading {
  private FastaReading() {}

  /** One record as the tests compare them: header (raw bytes as ISO-8859-1), residues, problem. */
  record Rec(String header, String residues, String problem) {
    @Override
    public String toString() {
      return ">" + header + "|" + residues + (problem == null ? "" : "|SKIPPED " + problem);
    }
  }

  static Configuration conf(long splitSize) {
    Configuration conf = new Configuration();
    conf.set("fs.defaultFS", "file:///");
    conf.setLong("mapreduce.input.fileinputformat.split.maxsize", splitSize);
    conf.setLong("mapreduce.input.fileinputformat.split.minsize", 1);
    return conf;
  }

  /** Every split of the inputs, each read by its own reader, records in split order. */
  static List<Rec> read(Configuration conf, Path... inputs) throws IOException, InterruptedException {
    Job job = Job.getInstance(conf);
    FileInputFormat.setInputPaths(job, inputs);
    FileInputFormat.setInputDirRecursive(job, true);
    FastaInputFormat format = new FastaInputFormat();
    List<Rec> out = new ArrayList<>();
    for (InputSplit split : format.getSplits(job)) {
      TaskAttemptContextImpl ctx = new TaskAttemptContextImpl(job.getConfiguration(), new TaskAttemptID());
      try (FastaRecordReader r = (FastaRecordReader) format.createRecordReader(split, ctx)) {
        r.initialize(split, ctx);
        while (r.nextKeyValue()) {
          FastaRecord v = r.getCurrentValue();
          out.add(new Rec(new String(v.headerBytes(), 0, v.headerLength(), StandardCharsets.ISO_8859_1),
              v.sequence(), v.problem()));
        }
      }
    }
    return out;
  }

  static int splitCount(Configuration conf, Path... inputs) throws IOException {
    Job job = Job.getInstance(conf);
    FileInputFormat.setInputPaths(job, inputs);
    return new FastaInputFormat().getSplits(job).size();
  }

  /**
   * The simple whole-file parse the reader must agree with: lines end at LF, CRLF or CR; blank
   * and ';' lines are ignored; '>' lines start records; blanks inside sequence lines dropped.
   */
  static List<Rec> parse(byte[] data) {
    List<Rec> out = new ArrayList<>();
    String text = new String(data, StandardCharsets.ISO_8859_1);
    String header = null;
    StringBuilder seq = new StringBuilder();
    for (String line : text.split("\r\n|\r|\n", -1)) {
      if (line.startsWith(">")) {
        if (header != null) {
          out.add(record(header, seq));
        }
        header = line.substring(1);
        seq.setLength(0);
      } else if (!line.isEmpty() && !line.startsWith(";")) {
        seq.append(line.replace(" ", "").replace("\t", ""));
      }
    }
    if (header != null) {
      out.add(record(header, seq));
    }
    return out;
  }

  /** A record of the model: one with no residues is skipped, as the reader skips it. */
  private static Rec record(String header, StringBuilder seq) {
    return new Rec(header, seq.toString(), seq.length() == 0 ? FastaRecord.NO_RESIDUES : null);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.write(p, 0, p.length);
    }
    return b.toByteArray();
  }
}
