package org.taxoshard.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code taxoshard run} at a time in a work directory: {@code WORK/_taxoshard-run.lock},
 * created exclusively, names the run that holds it (host, process id, start time) and is touched
 * every {@value #HEARTBEAT_SECONDS} s while it runs. A second run is refused while the lock is
 * live; a lock left by a killed run is taken over at once when its process is gone from this
 * host, or after {@value #STALE_SECONDS} s without a touch when it was held on another host.
 */
public final class RunLock implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
  public static final String FILE = "_taxoshard-run.lock";
  static final int HEARTBEAT_SECONDS = 10;
  static final int STALE_SECONDS = 60;

  private final FileSystem fs;
  private final Path file;
  private final Thread heartbeat;
  private final Thread onExit;

  private RunLock(FileSystem fs, Path file) {
    this.fs = fs;
    this.file = file;
    heartbeat = new Thread(this::beat, "taxoshard-run-lock");
    heartbeat.setDaemon(true);
    heartbeat.start();
    // A run stopped by Ctrl-C or SIGTERM gives its directory back; only a SIGKILL leaves a lock.
    onExit = new Thread(this::release, "taxoshard-run-unlock");
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  /**
   * Takes the lock of {@code work}, creating the folder if needed.
   *
   * @throws UsageException when another live run holds it (exit status 2), naming that run
   */
  public static RunLock acquire(FileSystem fs, Path work) throws IOException {
    fs.mkdirs(work);
    Path file = new Path(work, FILE);
    for (int attempt = 0; attempt < 3; attempt++) {
      if (tryCreate(fs, file)) {
        return new RunLock(fs, file);
      }
      JsonNode holder = holder(fs, file);
      String stale = staleness(fs, file, holder);
      if (stale == null) {
        throw new UsageException("work directory " + fs.makeQualified(work) + " is in use by another taxoshard run ("
            + describe(holder) + "); wait for it to finish, or give this run another [input] work. If that run is"
            + " gone, delete " + fs.makeQualified(file));
      }
      LOG.warn("taking over {}: {}", file, stale);
      System.err.println("taxoshard run: taking over the lock of " + describe(holder) + ": " + stale);
      fs.delete(file, false);
    }
    throw new IOException("could not take " + file + ": other runs keep taking it");
  }

  private static boolean tryCreate(FileSystem fs, Path file) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("host", host());
    m.put("pid", ProcessHandle.current().pid());
    m.put("started", Instant.now().toString());
    try (OutputStream out = fs.create(file, false)) {
      new ObjectMapper().writeValue(out, m);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      // HDFS says AlreadyBeingCreated or FileAlreadyExists through a RemoteException.
      if (fs.exists(file)) {
        return false;
      }
      throw e;
    }
  }

  private static JsonNode holder(FileSystem fs, Path file) {
    try (InputStream in = fs.open(file)) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      return new ObjectMapper().createObjectNode();
    }
  }

  /** Why the lock is stale (its run is gone), or null when its run looks alive. */
  private static String staleness(FileSystem fs, Path file, JsonNode holder) throws IOException {
    long pid = holder.path("pid").asLong(-1);
    if (host().equals(holder.path("host").asText()) && pid > 0 && ProcessHandle.of(pid).isEmpty()) {
      return "process " + pid + " is no longer running on this host";
    }
    FileStatus st;
    try {
      st = fs.getFileStatus(file);
    } catch (java.io.FileNotFoundException e) {
      return "released meanwhile";
    }
    long idle = System.currentTimeMillis() - st.getModificationTime();
    if (idle > TimeUnit.SECONDS.toMillis(STALE_SECONDS)) {
      return "not touched for " + idle / 1000 + " s";
    }
    return null;
  }

  private static String describe(JsonNode holder) {
    return "process " + holder.path("pid").asText("?") + " on " + holder.path("host").asText("?") + ", started "
        + holder.path("started").asText("?");
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private void beat() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(TimeUnit.SECONDS.toMillis(HEARTBEAT_SECONDS));
        fs.setTimes(file, System.currentTimeMillis(), -1);
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        LOG.warn("could not touch {}: {}", file, e.toString());
      }
    }
  }

  private synchronized void release() {
    heartbeat.interrupt();
    try {
      fs.delete(file, false);
    } catch (IOException e) {
      LOG.warn("could not remove {}: {}", file, e.toString());
    }
  }

  @Override
  public void close() {
    release();
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs release() again, which is harmless.
    }
  }
}
