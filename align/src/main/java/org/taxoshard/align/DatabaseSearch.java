package org.taxoshard.align;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a {@link Search} over a stream of database sequences on several threads: the caller's
 * thread reads batches of subjects ({@link SubjectSource}) into a short queue, each worker thread
 * takes batches and searches them. Memory beyond the search itself: at most
 * {@code 2 x threads + 1} batches of {@code batchResidues} residues.
 *
 * <p>A large query batch is best searched as several query blocks ({@link #split}), one
 * {@link Search} each, over one pass of the database: a thread searches each subject batch against
 * every block in turn. A word hit lands on the diagonal array of its block, of 4 bytes x (block
 * residues + subject length), and a block of some 32,000 residues keeps that array in the core's
 * cache where a batch of 2 M residues spreads it over 8 MB (measured in the README: a hit's cost,
 * not their number, is what the block size changes; the rows are the same).
 */
public final class DatabaseSearch {
  /** Where subjects come from: fills a batch, returns false when there are no more. */
  public interface SubjectSource {
    boolean fill(SubjectBatch batch, long residues) throws java.io.IOException;
  }

  private static final SubjectBatch END = new SubjectBatch(0);

  private DatabaseSearch() {}

  /**
   * Searches every subject the source gives.
   *
   * @return the workers, whose lists {@link Search#merge} joins
   */
  public static List<Worker> run(Search search, SubjectSource source, int threads, long batchResidues)
      throws java.io.IOException, InterruptedException {
    return run(List.of(search), source, threads, batchResidues).get(0);
  }

  /**
   * Queries in runs of at most {@code residues} residues each (a query longer than that runs
   * alone), in their order.
   */
  public static List<List<Query>> split(List<Query> queries, long residues) {
    List<List<Query>> out = new ArrayList<>();
    List<Query> cur = new ArrayList<>();
    long n = 0;
    for (Query q : queries) {
      if (!cur.isEmpty() && n + q.length() > residues) {
        out.add(cur);
        cur = new ArrayList<>();
        n = 0;
      }
      cur.add(q);
      n += q.length();
    }
    if (!cur.isEmpty()) {
      out.add(cur);
    }
    return out;
  }

  /**
   * A query batch as the blocks {@link #run(List, SubjectSource, int, long)} searches in one pass,
   * one {@link Search} each, in the batch's order: protein queries in blocks of about
   * {@code blockResidues}; nucleotide queries in one block, since their lookup's cell table (16 MiB
   * for words of 11) would be paid once per block, and their word hits are too few for the diagonal
   * array's cache misses to matter.
   */
  public static List<Search> blocks(SearchParameters params, DatabaseSize size, List<Query> batch, long blockResidues) {
    List<Search> out = new ArrayList<>();
    for (List<Query> block : params.protein() ? split(batch, blockResidues) : List.of(batch)) {
      out.add(new Search(params, size, block));
    }
    return out;
  }

  /**
   * The work of a pass over several blocks, as {@link Worker#counters}: every block sees every
   * subject, so subjects and residues are the first block's, seed hits and extensions all blocks'.
   */
  public static long[] counters(List<List<Worker>> blocks) {
    long[] sum = null;
    for (int k = 0; k < blocks.size(); k++) {
      for (Worker w : blocks.get(k)) {
        long[] c = w.counters();
        sum = sum == null ? new long[c.length] : sum;
        for (int i = k == 0 ? 0 : 2; i < c.length; i++) {
          sum[i] += c[i];
        }
      }
    }
    return sum;
  }

  /**
   * Searches every subject the source gives against several query blocks, in one pass: each
   * thread searches each subject batch against every block in turn, its workers sharing one set of
   * buffers ({@link Worker.Scratch}).
   *
   * @return per block, in the order given, the workers, whose lists that block's
   *     {@link Search#merge} joins
   */
  public static List<List<Worker>> run(List<Search> blocks, SubjectSource source, int threads, long batchResidues)
      throws java.io.IOException, InterruptedException {
    BlockingQueue<SubjectBatch> queue = new ArrayBlockingQueue<>(2 * threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "taxoshard-search");
      t.setDaemon(true);
      return t;
    });
    List<List<Worker>> workers = new ArrayList<>();
    for (int k = 0; k < blocks.size(); k++) {
      workers.add(new ArrayList<>());
    }
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Worker.Scratch scratch = new Worker.Scratch();
      Worker[] mine = new Worker[blocks.size()];
      for (int k = 0; k < mine.length; k++) {
        mine[k] = blocks.get(k).newWorker(scratch);
        workers.get(k).add(mine[k]);
      }
      futures.add(pool.submit(() -> {
        while (true) {
          SubjectBatch b = queue.take();
          if (b == END) {
            return null;
          }
          for (Worker w : mine) {
            w.search(b);
          }
        }
      }));
    }
    try {
      while (true) {
        SubjectBatch b = new SubjectBatch((int) Math.min(batchResidues + 1024, Integer.MAX_VALUE - 16));
        boolean more = source.fill(b, batchResidues);
        if (b.count() > 0) {
          put(queue, b, futures);
        }
        if (!more) {
          break;
        }
      }
      for (int i = 0; i < threads; i++) {
        put(queue, END, futures);
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } finally {
      pool.shutdownNow();
    }
    return workers;
  }

  /** Puts a batch on the queue, failing fast if a worker has died (it would never take it). */
  private static void put(BlockingQueue<SubjectBatch> queue, SubjectBatch b, List<Future<?>> futures)
      throws InterruptedException, ExecutionException {
    while (!queue.offer(b, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      for (Future<?> f : futures) {
        if (f.isDone()) {
          f.get();
        }
      }
    }
  }
}
