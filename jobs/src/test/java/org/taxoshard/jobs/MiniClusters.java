package org.taxoshard.jobs;

import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.mapred.MiniMRClientCluster;
import org.apache.hadoop.mapred.MiniMRClientClusterFactory;
import org.apache.hadoop.mapreduce.Cluster;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.JobCounter;
import org.apache.hadoop.mapreduce.JobStatus;

/**
 * HDFS ({@link MiniDFSCluster}) and YARN with MapReduce (MiniMRYarnCluster, tasks in JVMs of
 * their own) for the integration tests: one pair per test class, set up the same way everywhere.
 */
public final class MiniClusters implements AutoCloseable {
  /** Java 17 closes the JDK internals Hadoop reaches into; task and AM JVMs need them open. */
  public static final String OPENS = "--add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.util=ALL-UNNAMED"
      + " --add-opens java.base/java.io=ALL-UNNAMED --add-opens java.base/java.net=ALL-UNNAMED"
      + " --add-opens java.base/java.lang.reflect=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED"
      + " --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/java.util.concurrent=ALL-UNNAMED";
  /**
   * Task and AM JVMs live seconds: the C1 compiler alone and the serial collector start them in
   * much less CPU, which on a 2-core machine running dozens of task JVMs is most of the run time.
   */
  static final String FAST_START = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC ";

  public final MiniDFSCluster dfs;
  public final MiniMRClientCluster yarn;
  /** The clusters' configuration: HDFS as the default file system, YARN as the framework. */
  public final Configuration conf;
  public final FileSystem fs;

  private MiniClusters(MiniDFSCluster dfs, MiniMRClientCluster yarn) throws IOException {
    this.dfs = dfs;
    this.yarn = yarn;
    this.conf = yarn.getConfig();
    this.fs = FileSystem.get(conf);
  }

  /**
   * Starts HDFS with {@code dataNodes} DataNodes, files replicated {@code replication} times in
   * blocks of {@code blockSize} bytes, and YARN with one NodeManager, under
   * {@code target/minicluster-<owner>}.
   */
  public static MiniClusters start(Class<?> owner, int dataNodes, int replication, long blockSize) throws IOException {
    Configuration c = new Configuration();
    File base = new File("target/minicluster-" + owner.getSimpleName()).getAbsoluteFile();
    c.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(base, "dfs").getPath());
    c.setLong("dfs.blocksize", blockSize);
    c.setLong("dfs.namenode.fs-limits.min-block-size", 1024);
    c.setInt("dfs.replication", replication);
    // A stopped DataNode is declared dead in seconds, not the default ten minutes.
    c.setInt("dfs.heartbeat.interval", 1);
    c.setInt("dfs.namenode.heartbeat.recheck-interval", 3000);
    MiniDFSCluster dfs = new MiniDFSCluster.Builder(c).numDataNodes(dataNodes).build();
    dfs.waitActive();
    c.set("fs.defaultFS", dfs.getFileSystem().getUri().toString());
    c.set("yarn.app.mapreduce.am.command-opts", "-Xmx512m " + FAST_START + OPENS);
    c.set("mapreduce.map.java.opts", "-Xmx512m " + FAST_START + OPENS);
    c.set("mapreduce.reduce.java.opts", "-Xmx512m " + FAST_START + OPENS);
    c.setInt("yarn.nodemanager.resource.memory-mb", 6144);
    c.setInt("mapreduce.map.memory.mb", 768);
    c.setInt("mapreduce.reduce.memory.mb", 768);
    c.setInt("yarn.app.mapreduce.am.resource.mb", 768);
    c.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "99.5");
    // Heartbeats and client polls every quarter second: defaults of 1 to 5 s leave a small job
    // waiting longer than it runs.
    c.setInt("yarn.resourcemanager.nodemanagers.heartbeat-interval-ms", 250);
    c.setInt("yarn.app.mapreduce.am.scheduler.heartbeat.interval-ms", 250);
    c.setInt("mapreduce.client.completion.pollinterval", 250);
    c.setInt("mapreduce.client.progressmonitor.pollinterval", 250);
    // Reduces start once every map is done. Started early, a reduce may be killed to make room for
    // a map's retry, and its next attempt (id 1) is not the first one a fault test fails: the job
    // then shows no failed reduce (ChainIT saw it once).
    c.setFloat("mapreduce.job.reduce.slowstart.completedmaps", 1.0f);
    MiniMRClientCluster yarn = MiniMRClientClusterFactory.create(owner, 1, c);
    return new MiniClusters(dfs, yarn);
  }

  /** The counters of the YARN jobs whose name starts with {@code prefix}, by job name and id. */
  public Map<String, Counters> jobsNamed(String prefix) throws IOException {
    Map<String, Counters> jobs = new TreeMap<>();
    Cluster cluster = new Cluster(conf);
    try {
      for (JobStatus st : cluster.getAllJobStatuses()) {
        if (st.getJobName().startsWith(prefix)) {
          jobs.put(st.getJobName() + " " + st.getJobID(), cluster.getJob(st.getJobID()).getCounters());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } finally {
      cluster.close();
    }
    return jobs;
  }

  /** Whether a job lived through at least one failed attempt of the kind {@code counter} counts. */
  public static boolean failed(Counters c, JobCounter counter) {
    return c.findCounter(counter).getValue() >= 1;
  }

  /** A copy of the clusters' configuration for one command. */
  public Configuration newConf() {
    return new Configuration(conf);
  }

  @Override
  public void close() throws IOException {
    try {
      yarn.stop();
    } finally {
      dfs.shutdown();
    }
  }
}
