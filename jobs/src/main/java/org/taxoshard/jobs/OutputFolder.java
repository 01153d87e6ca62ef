package org.taxoshard.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter;

/**
 * A command's output folder ({@code --out}), and the two rules that keep replacing one from losing
 * data.
 *
 * <ul>
 *   <li>It must lie apart from everything the command reads: not the same path, not a folder
 *       holding one, and not inside a folder of records it reads whole. Otherwise
 *       {@code --overwrite} would delete the inputs before reading them, or the output would become
 *       input of the next command that reads that folder.
 *   <li>With {@code --overwrite}, the old folder is not deleted but moved aside, to the hidden
 *       sibling {@code .NAME.replaced}, and deleted only when the new output is complete
 *       ({@link #complete}). A command that fails puts it back ({@link #restore}). One whose client
 *       was killed leaves it there, and the next {@code --overwrite} of the same folder keeps it
 *       rather than the incomplete folder beside it.
 * </ul>
 */
public final class OutputFolder {
  /** What the old folder's hidden sibling is called after: {@code .NAME} + this. */
  public static final String REPLACED = ".replaced";

  /** The folders this JVM's commands moved aside and have not completed: output to old folder, both qualified. */
  private static final Map<Path, Path> ASIDE = new ConcurrentHashMap<>();

  private OutputFolder() {}

  /**
   * Paths a command reads, named as the user gave them ({@code --input}, a key); null paths are left
   * out. {@code whole}: folders read whole, every file in them (FASTA inputs), so that an output
   * inside one would be read next time; other folders are read by the names of their files.
   */
  public record Read(String what, List<Path> paths, boolean whole) {
    /** Files, or folders read by their files' names: a scan's, a plan's, shards, an index, a taxdump. */
    public static Read of(String what, List<Path> paths) {
      return new Read(what, paths.stream().filter(Objects::nonNull).toList(), false);
    }

    public static Read of(String what, Path... paths) {
      return of(what, Arrays.asList(paths));
    }

    /** Record inputs: files, globs, or folders read whole. */
    public static Read records(String what, List<Path> paths) {
      return new Read(what, paths.stream().filter(Objects::nonNull).toList(), true);
    }
  }

  /**
   * Makes {@code out} ready for a command that reads {@code reads}: refuses it when it is not
   * apart from them, or exists without {@code overwrite}; with {@code overwrite}, moves an existing
   * folder aside.
   *
   * @throws UsageException when {@code out} is, holds or lies inside a path read, or exists and
   *     {@code overwrite} is not set
   */
  public static void prepare(Configuration conf, Path out, boolean overwrite, Read... reads) throws IOException {
    FileSystem fs = out.getFileSystem(conf);
    Path o = qualified(fs, out);
    for (Read r : reads) {
      for (Path p : r.paths()) {
        checkApart(conf, o, r, p);
      }
    }
    if (!fs.exists(o)) {
      return;
    }
    if (!overwrite) {
      throw new UsageException("output " + o + " exists; give --overwrite to replace it");
    }
    if (o.getParent() == null) {
      throw new UsageException("--out " + o + " is the file system's root; it cannot be replaced");
    }
    Path aside = aside(o);
    if (fs.exists(aside)) {
      if (fs.exists(new Path(o, FileOutputCommitter.SUCCEEDED_FILE_NAME))) {
        fs.delete(aside, true); // both complete: the newer one is replaced
      } else {
        // An earlier --overwrite was killed: the folder aside is the last complete output.
        System.err.println("taxoshard: " + o + " was left incomplete by an interrupted run; it is removed, and the"
            + " complete output before it stays at " + aside + " until this one is done");
        fs.delete(o, true);
        ASIDE.put(o, aside);
        return;
      }
    }
    if (!fs.rename(o, aside)) {
      throw new IOException("cannot move " + o + " aside to " + aside);
    }
    ASIDE.put(o, aside);
  }

  private static void checkApart(Configuration conf, Path out, Read r, Path read) throws IOException {
    String what = r.what();
    FileSystem fs = read.getFileSystem(conf);
    List<Path> concrete = new ArrayList<>();
    concrete.add(qualified(fs, read));
    FileStatus[] matched = fs.globStatus(read);
    if (matched != null) {
      for (FileStatus m : matched) {
        concrete.add(qualified(fs, m.getPath()));
      }
    }
    for (Path c : concrete) {
      if (c.equals(out) || within(c, out)) {
        throw new UsageException("--out " + out + (c.equals(out) ? " is " : " holds ") + what + " " + c
            + ": writing it would delete what this command reads; choose another --out");
      }
      if (r.whole() && within(out, c)) {
        throw new UsageException("--out " + out + " lies inside " + what + " " + c
            + ": the output would be read as input next time; choose another --out");
      }
    }
  }

  /** {@code p} qualified, without a trailing slash (a path made from a folder's URI has one). */
  private static Path qualified(FileSystem fs, Path p) {
    return fs.makeQualified(new Path(p.toString()));
  }

  /** Whether {@code p} lies strictly inside folder {@code folder}; both qualified. */
  private static boolean within(Path p, Path folder) {
    for (Path q = p.getParent(); q != null; q = q.getParent()) {
      if (q.equals(folder)) {
        return true;
      }
    }
    return false;
  }

  /** The hidden sibling an existing {@code out} (qualified) is moved to until its replacement is complete. */
  static Path aside(Path out) {
    return new Path(out.getParent(), "." + out.getName() + REPLACED);
  }

  /** The new output at {@code out} is complete: the folder it replaced, if any, is deleted. */
  public static void complete(FileSystem fs, Path out) throws IOException {
    Path o = qualified(fs, out);
    ASIDE.remove(o);
    if (o.getParent() != null) {
      fs.delete(aside(o), true);
    }
  }

  /**
   * After a command failed: removes each output it left incomplete and puts back the folder it
   * replaced. Returns what it put back, for the user's message.
   */
  public static List<Path> restore(Configuration conf) throws IOException {
    List<Path> restored = new ArrayList<>();
    for (Path o : new ArrayList<>(ASIDE.keySet())) {
      Path aside = ASIDE.remove(o);
      FileSystem fs = o.getFileSystem(conf);
      if (!fs.exists(aside)) {
        continue;
      }
      fs.delete(o, true);
      if (!fs.rename(aside, o)) {
        throw new IOException("cannot put " + aside + " back at " + o);
      }
      restored.add(o);
    }
    return restored;
  }
}
