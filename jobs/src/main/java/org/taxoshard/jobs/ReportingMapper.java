package org.taxoshard.jobs;

import java.io.IOException;
import org.apache.hadoop.mapreduce.Mapper;

/**
 * A mapper whose failures reach the user: before the task fails on bad input (file, place,
 * record), a damaged file or a lack of memory, the message is left where the driver finds it and
 * reports it (exit status 2 for bad input). Every Taxoshard mapper extends it, and so takes the
 * faults tests inject.
 */
public abstract class ReportingMapper<KI, VI, KO, VO> extends Mapper<KI, VI, KO, VO> {
  @Override
  public void run(Context context) throws IOException, InterruptedException {
    JobSupport.runTask(context, "map", () -> super.run(context));
  }

  /** Mapper's own map, which passes each record on as it is, as a reporting task. */
  public static class Pass<K, V> extends ReportingMapper<K, V, K, V> {}
}
