package org.taxoshard.jobs;

import java.io.IOException;
import org.apache.hadoop.mapreduce.Reducer;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.taxoshard.formats.BadInputException;

/** The reducer counterpart of {@link ReportingMapper}. */
public abstract class ReportingReducer<KI, VI, KO, VO> extends Reducer<KI, VI, KO, VO> {
  @Override
  public void run(Context context) throws IOException, InterruptedException {
    JobSupport.injectFault(context, "reduce");
    try {
      super.run(context);
    } catch (BadInputException e) {
      JobSupport.reportBadInput(context, FileOutputFormat.getOutputPath(context), e);
      throw e;
    }
  }
}
