package org.taxoshard.bench;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.taxoshard.fasta.FastaInputFormat;

/**
 * Times {@code getSplits} alone, on the client, for Hadoop-BAM's FastaInputFormat and for
 * Taxoshard's, on the same file: {@code SplitsBench FILE [SPLIT_BYTES]}. Hadoop-BAM reads the
 * whole file to cut one split per record; ours cuts block-sized splits from the file's length.
 */
public final class SplitsBench {
  private SplitsBench() {}

  public static void main(String[] args) throws Exception {
    Path file = new Path(args[0]);
    long splitBytes = args.length > 1 ? Long.parseLong(args[1]) : 128L << 20;
    Configuration conf = new Configuration();
    conf.set("fs.defaultFS", "file:///");
    conf.setLong("mapreduce.input.fileinputformat.split.maxsize", splitBytes);
    measure("hadoop-bam FastaInputFormat", new org.seqdoop.hadoop_bam.FastaInputFormat(), conf, file);
    measure("taxoshard FastaInputFormat", new FastaInputFormat(), conf, file);
  }

  private static void measure(String name, org.apache.hadoop.mapreduce.InputFormat<?, ?> format,
      Configuration conf, Path file) throws Exception {
    Job job = Job.getInstance(conf);
    FileInputFormat.setInputPaths(job, file);
    System.gc();
    long heapBefore = usedHeap();
    long start = System.nanoTime();
    List<InputSplit> splits = format.getSplits(job);
    double seconds = (System.nanoTime() - start) / 1e9;
    long heapAfter = usedHeap();
    System.out.printf("%-30s %8.3f s %,10d splits  heap +%,d MB%n", name, seconds, splits.size(),
        Math.max(0, heapAfter - heapBefore) >> 20);
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
