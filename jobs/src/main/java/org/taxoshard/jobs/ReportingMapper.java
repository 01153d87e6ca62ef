package org.taxoshard.jobs;

import java.io.IOException;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.taxoshard.formats.BadInputException;

/**
 * A mapper whose bad input reaches the user: before the task fails, the message (file, place,
 * record) is left where the driver finds it and reports it with exit status 2. Every Taxoshard
 * mapper that reads input extends it.
 */
public abstract class ReportingMapper<KI, VI, KO, VO> extends Mapper<KI, VI, KO, VO> {
  @Override
  public void run(Context context) throws IOException, InterruptedException {
    JobSupport.injectFault(context, "map");
    try {
      super.run(context);
    } catch (BadInputException e) {
      JobSupport.reportBadInput(context, FileOutputFormat.getOutputPath(context), e);
      throw e;
    }
  }
}
