package org.taxoshard.jobs;

import java.io.IOException;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Reducer;

/** Adds up the partial statistics of one key on the map side, and the sightings of one record id. */
public class ScanCombiner extends Reducer<Text, ScanValue, Text, ScanValue> {
  private final PartialStats sum = new PartialStats();
  private final ScanValue sumValue = new ScanValue(sum);
  private final IdPlace places = new IdPlace();
  private final ScanValue placesValue = new ScanValue(places);

  @Override
  protected void reduce(Text key, Iterable<ScanValue> values, Context context)
      throws IOException, InterruptedException {
    if (ScanJob.isIdKey(key)) {
      places.copies = 0;
      for (ScanValue v : values) {
        places.merge(v.place());
      }
      context.write(key, placesValue);
      return;
    }
    sum.clear();
    for (ScanValue v : values) {
      sum.merge(v.stats());
    }
    context.write(key, sumValue);
  }
}
