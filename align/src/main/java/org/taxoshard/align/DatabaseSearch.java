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
    BlockingQueue<SubjectBatch> queue = new ArrayBlockingQueue<>(2 * threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "taxoshard-search");
      t.setDaemon(true);
      return t;
    });
    List<Worker> workers = new ArrayList<>();
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Worker w = search.newWorker();
      workers.add(w);
      futures.add(pool.submit(() -> {
        while (true) {
          SubjectBatch b = queue.take();
          if (b == END) {
            return null;
          }
          w.search(b);
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
