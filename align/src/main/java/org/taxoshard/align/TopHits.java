package org.taxoshard.align;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The best subjects of one query, at most {@code maxTargets} of them, each with all its HSPs.
 * Subjects rank by their best HSP under {@link Hit#BEST_FIRST}; the ranking is a total order, so
 * merging the lists of any partition of the database gives the list of the whole.
 */
public final class TopHits {
  /** The HSPs of one query against one subject, best first. */
  public record Subject(Hit best, List<Hit> hits) {}

  private static final Comparator<Subject> RANK = (x, y) -> Hit.BEST_FIRST.compare(x.best(), y.best());

  private final int maxTargets;
  /** Worst on top, so the weakest subject leaves first. */
  private final PriorityQueue<Subject> queue;

  public TopHits(int maxTargets) {
    this.maxTargets = maxTargets;
    this.queue = new PriorityQueue<>(RANK.reversed());
  }

  /** Adds one subject's HSPs (non-empty, any order). */
  public void add(List<Hit> hits) {
    List<Hit> sorted = new ArrayList<>(hits);
    sorted.sort(Hit.BEST_FIRST);
    Subject s = new Subject(sorted.get(0), sorted);
    if (queue.size() < maxTargets) {
      queue.add(s);
    } else if (RANK.compare(s, queue.peek()) < 0) {
      queue.poll();
      queue.add(s);
    }
  }

  /** Whether a subject whose best HSP is {@code best} could still enter the list. */
  public boolean admits(Hit best) {
    return queue.size() < maxTargets || Hit.BEST_FIRST.compare(best, queue.peek().best()) < 0;
  }

  /** Adds every subject of another list. */
  public void addAll(TopHits other) {
    for (Subject s : other.queue) {
      add(s.hits());
    }
  }

  public int size() {
    return queue.size();
  }

  /** The kept subjects, best first: what a shard hands on for the merge. */
  public List<Subject> subjects() {
    List<Subject> out = new ArrayList<>(queue);
    out.sort(RANK);
    return out;
  }

  /** Every row of the kept subjects, best first. */
  public List<Hit> rows() {
    List<Hit> rows = new ArrayList<>();
    for (Subject s : queue) {
      rows.addAll(s.hits());
    }
    rows.sort(Hit.BEST_FIRST);
    return rows;
  }
}
