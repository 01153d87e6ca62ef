package org.taxoshard.jobs;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.WritableUtils;
import org.taxoshard.align.Hit;
import org.taxoshard.align.TopHits;

/**
 * What one shard's query task says about one query: the subjects of its preliminary list, each
 * with all its HSPs (raw score, coordinates, and the E-value and bit score for the whole database)
 * and its preliminary best (E-value and raw score before traceback), or, from shard 0 only, why
 * the query was skipped.
 */
public class ShardHits implements Writable {
  int shard;
  /** Why the query was not searched, or null. */
  String problem;
  /** The subjects, best first, each with its HSPs best first. */
  List<TopHits.Subject> subjects = new ArrayList<>();

  @Override
  public void write(DataOutput out) throws IOException {
    WritableUtils.writeVInt(out, shard);
    out.writeBoolean(problem != null);
    if (problem != null) {
      WritableUtils.writeString(out, problem);
      return;
    }
    WritableUtils.writeVInt(out, subjects.size());
    for (TopHits.Subject subject : subjects) {
      List<Hit> hsps = subject.hits();
      WritableUtils.writeVInt(out, hsps.size());
      out.writeDouble(subject.prelimEvalue());
      WritableUtils.writeVInt(out, subject.prelimScore());
      String qseqid = hsps.get(0).qseqid();
      String sseqid = hsps.get(0).sseqid();
      WritableUtils.writeString(out, qseqid);
      WritableUtils.writeString(out, sseqid);
      for (Hit h : hsps) {
        WritableUtils.writeVInt(out, h.queryIndex());
        WritableUtils.writeVInt(out, h.identities());
        WritableUtils.writeVInt(out, h.length());
        WritableUtils.writeVInt(out, h.mismatch());
        WritableUtils.writeVInt(out, h.gapopen());
        WritableUtils.writeVInt(out, h.qstart());
        WritableUtils.writeVInt(out, h.qend());
        WritableUtils.writeVInt(out, h.sstart());
        WritableUtils.writeVInt(out, h.send());
        out.writeDouble(h.evalue());
        out.writeDouble(h.bitscore());
        WritableUtils.writeVInt(out, h.score());
      }
    }
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    shard = WritableUtils.readVInt(in);
    subjects = new ArrayList<>();
    problem = in.readBoolean() ? WritableUtils.readString(in) : null;
    if (problem != null) {
      return;
    }
    int n = WritableUtils.readVInt(in);
    for (int i = 0; i < n; i++) {
      int m = WritableUtils.readVInt(in);
      double prelimEvalue = in.readDouble();
      int prelimScore = WritableUtils.readVInt(in);
      String qseqid = WritableUtils.readString(in);
      String sseqid = WritableUtils.readString(in);
      List<Hit> hsps = new ArrayList<>(m);
      for (int j = 0; j < m; j++) {
        hsps.add(new Hit(WritableUtils.readVInt(in), qseqid, sseqid, WritableUtils.readVInt(in),
            WritableUtils.readVInt(in), WritableUtils.readVInt(in), WritableUtils.readVInt(in),
            WritableUtils.readVInt(in), WritableUtils.readVInt(in), WritableUtils.readVInt(in),
            WritableUtils.readVInt(in), in.readDouble(), in.readDouble(), WritableUtils.readVInt(in)));
      }
      subjects.add(new TopHits.Subject(hsps, prelimEvalue, prelimScore));
    }
  }
}
