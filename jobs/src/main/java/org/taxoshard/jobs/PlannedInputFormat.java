package org.taxoshard.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.taxoshard.avro.SplitStart;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.fasta.FastaInputFormat;
import org.taxoshard.formats.BadInputException;

/**
 * The scan's splits again, exactly: a plan places records by counting from where each split's
 * records start, so the shard job must read the same splits the scan counted, whatever the
 * split-size settings now. The input given must be the scan's files, unchanged in length.
 */
public class PlannedInputFormat extends FastaInputFormat {
  /**
   * The splits to replay: the plan's ({@code taxoshard.shard.plan}) or, for the sketching job
   * that runs before a plan exists, the scan's ({@code taxoshard.similarity.scan}), each with the
   * database ordinal of its first record.
   */
  static List<SplitStart> splits(Configuration conf) throws IOException {
    String plan = TaxoshardKeys.SHARD_PLAN.get(conf);
    if (!plan.isEmpty()) {
      return PlanFiles.read(conf, new Path(plan)).getSplits();
    }
    List<SplitStart> out = new ArrayList<>();
    long ordinal = 0;
    for (org.taxoshard.avro.ScanSplit s : StatsFiles.readSplits(conf, new Path(TaxoshardKeys.SIMILARITY_SCAN.get(conf)))
        .getSplits()) {
      out.add(SplitStart.newBuilder().setPath(s.getPath()).setStart(s.getStart()).setLength(s.getLength())
          .setFileLength(s.getFileLength()).setOrdinal(ordinal).setCells(new ArrayList<>()).build());
      ordinal += s.getSequences();
    }
    return out;
  }

  /** The split among {@code splits} that starts where the given one does. */
  static SplitStart find(List<SplitStart> splits, FileSplit split) {
    String path = split.getPath().toString();
    for (SplitStart s : splits) {
      if (s.getPath().equals(path) && s.getStart() == split.getStart()) {
        return s;
      }
    }
    return null;
  }

  @Override
  public List<InputSplit> getSplits(JobContext job) throws IOException {
    Configuration conf = job.getConfiguration();
    List<SplitStart> source = splits(conf);
    Map<String, Long> planned = new TreeMap<>();
    for (SplitStart s : source) {
      planned.put(s.getPath(), s.getFileLength());
    }
    Map<String, Long> given = new TreeMap<>();
    for (FileStatus st : listStatus(job)) {
      given.put(st.getPath().toString(), st.getLen());
    }
    if (!planned.equals(given)) {
      StringBuilder b = new StringBuilder();
      for (Map.Entry<String, Long> e : given.entrySet()) {
        Long len = planned.get(e.getKey());
        if (len == null) {
          b.append("\n  not scanned: ").append(e.getKey());
        } else if (!len.equals(e.getValue())) {
          b.append("\n  changed since the scan (").append(len).append(" -> ").append(e.getValue()).append(" bytes): ")
              .append(e.getKey());
        }
      }
      for (String p : planned.keySet()) {
        if (!given.containsKey(p)) {
          b.append("\n  scanned but not given: ").append(p);
        }
      }
      throw new BadInputException(TaxoshardKeys.SHARD_PLAN.get(conf), null, null,
          "the input is not the one the plan's scan read; give the same --input, or rescan:" + b);
    }
    List<InputSplit> splits = new ArrayList<>();
    for (SplitStart s : source) {
      Path p = new Path(s.getPath());
      FileSystem fs = p.getFileSystem(conf);
      BlockLocation[] blocks = fs.getFileBlockLocations(fs.getFileStatus(p), s.getStart(), Math.max(1, s.getLength()));
      String[] hosts = blocks.length == 0 ? new String[0] : blocks[0].getHosts();
      splits.add(new FileSplit(p, s.getStart(), s.getLength(), hosts));
    }
    return splits;
  }
}
