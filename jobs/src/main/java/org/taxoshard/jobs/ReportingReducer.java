package org.taxoshard.jobs;

import java.io.IOException;
import org.apache.hadoop.fs.ChecksumException;
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
    } catch (ChecksumException e) {
      // The file system's own checksum: the file was changed behind its back, or the disk is failing.
      BadInputException bad = new BadInputException(e.getMessage() + " (the file system's checksum of the data"
          + " does not match: the file was changed or damaged)");
      JobSupport.reportBadInput(context, FileOutputFormat.getOutputPath(context), bad);
      throw bad;
    } catch (OutOfMemoryError e) {
      // Say why where the driver looks, before the task dies: a stack trace in a task log helps nobody.
      JobSupport.reportFailure(context, FileOutputFormat.getOutputPath(context), "a reduce task ran out of memory"
          + " (heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MB): give tasks more (-D mapreduce.reduce.java.opts="
          + "-Xmx..., or TAXOSHARD_HEAPSIZE for bin/taxoshard), or lower taxoshard.fasta.max-record-bytes");
      throw e;
    }
  }
}
