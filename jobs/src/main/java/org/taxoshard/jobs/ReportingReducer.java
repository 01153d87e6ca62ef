package org.taxoshard.jobs;

import java.io.IOException;
import org.apache.hadoop.mapreduce.Reducer;

/** The reducer counterpart of {@link ReportingMapper}. */
public abstract class ReportingReducer<KI, VI, KO, VO> extends Reducer<KI, VI, KO, VO> {
  @Override
  public void run(Context context) throws IOException, InterruptedException {
    JobSupport.runTask(context, "reduce", () -> super.run(context));
  }
}
