package org.taxoshard.jobs;

import java.io.IOException;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Reducer;

/** Adds up the partial statistics of one key on the map side. */
public class ScanCombiner extends Reducer<Text, PartialStats, Text, PartialStats> {
  private final PartialStats sum = new PartialStats();

  @Override
  protected void reduce(Text key, Iterable<PartialStats> values, Context context)
      throws IOException, InterruptedException {
    sum.clear();
    for (PartialStats p : values) {
      sum.merge(p);
    }
    context.write(key, sum);
  }
}
