package org.taxoshard.jobs;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.MRConfig;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.taxonomy.Taxonomy;

/**
 * Ships an NCBI taxdump to every task through the distributed cache, so that a cluster fetches
 * it once per node rather than once per task, and loads it in the task.
 *
 * <p>Each dump file travels under a link name of its own ({@code taxoshard-nodes.dmp}, ...), which
 * YARN makes in the task container's own working directory. The embedded local runner would make
 * those links in the user's working directory, shared by every run there and left behind by a
 * killed one, where a later run would read a stale taxonomy without a word: on the local runner
 * nothing is shipped, and tasks read the dump where it is.
 */
public final class TaxonomyCache {
  private static final String[] FILES = {"nodes.dmp", "names.dmp", "merged.dmp", "delnodes.dmp"};
  private static final String LINK_PREFIX = "taxoshard-";

  private TaxonomyCache() {}

  /**
   * Loads the dump on the client (so a broken dump is reported before any task starts) and adds
   * its files to the job's cache.
   *
   * @return the taxonomy, for client-side checks such as the rank's validity
   */
  public static Taxonomy ship(Job job, Path dir) throws IOException {
    Configuration conf = job.getConfiguration();
    FileSystem fs = dir.getFileSystem(conf);
    Path qualified = fs.makeQualified(dir);
    Taxonomy taxonomy = Taxonomy.load(conf, qualified);
    TaxoshardKeys.TAXONOMY_DIR.set(conf, qualified.toString());
    if (isLocal(conf)) {
      return taxonomy;
    }
    for (String name : FILES) {
      Path p = new Path(qualified, name);
      if (fs.exists(p)) {
        URI u = p.toUri();
        job.addCacheFile(URI.create(u.toString() + "#" + LINK_PREFIX + name));
      }
    }
    return taxonomy;
  }

  /** The taxonomy shipped with this task's job, or null when the job was given none. */
  public static Taxonomy load(JobContext context) throws IOException {
    Configuration conf = context.getConfiguration();
    String dir = TaxoshardKeys.TAXONOMY_DIR.get(conf);
    if (dir.isEmpty()) {
      return null;
    }
    Path[] paths = new Path[FILES.length];
    FileSystem fs;
    if (!isLocal(conf) && shipped(context, LINK_PREFIX + FILES[0]) && new File(LINK_PREFIX + FILES[0]).exists()) {
      fs = FileSystem.getLocal(conf);
      for (int i = 0; i < FILES.length; i++) {
        File f = new File(LINK_PREFIX + FILES[i]);
        paths[i] = shipped(context, LINK_PREFIX + FILES[i]) && f.exists() ? new Path(f.getAbsolutePath()) : null;
      }
    } else {
      Path d = new Path(dir);
      fs = d.getFileSystem(conf);
      for (int i = 0; i < FILES.length; i++) {
        Path p = new Path(d, FILES[i]);
        paths[i] = fs.exists(p) ? p : null;
      }
    }
    return Taxonomy.load(fs, paths[0], paths[1], paths[2], paths[3]);
  }

  private static boolean isLocal(Configuration conf) {
    return MRConfig.LOCAL_FRAMEWORK_NAME.equals(conf.get(MRConfig.FRAMEWORK_NAME, MRConfig.LOCAL_FRAMEWORK_NAME));
  }

  /** Whether this job shipped a cache file under the link name {@code link}. */
  private static boolean shipped(JobContext context, String link) throws IOException {
    URI[] files = context.getCacheFiles();
    if (files != null) {
      for (URI u : files) {
        if (link.equals(u.getFragment())) {
          return true;
        }
      }
    }
    return false;
  }
}
