package org.taxoshard.align;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The best subjects of one query, chosen as blastp chooses them: at most {@code prelimTargets}
 * subjects are kept by their preliminary rank (the E-value and raw score of their best score-only
 * alignment, then subject id), and of those the best {@code maxTargets} by their final rank (their
 * best traced HSP under {@link Hit#BEST_FIRST}) are reported, each with all its HSPs. Both ranks
 * are total orders, so merging the lists of any partition of the database gives the list of the
 * whole: every part keeps its own preliminary best, which hold every subject of the whole's.
 */
public final class TopHits {
  /**
   * The HSPs of one query against one subject, best first (non-empty), and the subject's
   * preliminary best: the E-value and raw score of its best alignment before traceback.
   */
  public record Subject(List<Hit> hits, double prelimEvalue, int prelimScore) {
    /** A subject of these HSPs (non-empty, any order). */
    public static Subject of(List<Hit> hits, double prelimEvalue, int prelimScore) {
      List<Hit> sorted = new ArrayList<>(hits);
      sorted.sort(Hit.BEST_FIRST);
      return new Subject(sorted, prelimEvalue, prelimScore);
    }

    /** The best HSP, which ranks the subject among those reported. */
    public Hit best() {
      return hits.get(0);
    }

    public String sseqid() {
      return best().sseqid();
    }
  }

  /** The final rank: a subject's best traced HSP. */
  private static final Comparator<Subject> RANK = (x, y) -> Hit.BEST_FIRST.compare(x.best(), y.best());

  /** The preliminary rank: E-value, then raw score (higher first), then subject id. */
  static final Comparator<Subject> PRELIM = (x, y) -> prelim(x.prelimEvalue(), x.prelimScore(), x.sseqid(),
      y.prelimEvalue(), y.prelimScore(), y.sseqid());

  private static int prelim(double e1, int s1, String id1, double e2, int s2, String id2) {
    int c = Double.compare(e1, e2);
    if (c == 0) {
      c = Integer.compare(s2, s1);
    }
    return c != 0 ? c : id1.compareTo(id2);
  }

  private final int maxTargets;
  private final int prelimTargets;
  /** Worst preliminary rank on top, so that subject leaves first. */
  private final PriorityQueue<Subject> queue;

  /** @param prelimTargets at least {@code maxTargets} */
  public TopHits(int maxTargets, int prelimTargets) {
    if (prelimTargets < maxTargets) {
      throw new IllegalArgumentException("preliminary list of " + prelimTargets + " below " + maxTargets + " targets");
    }
    this.maxTargets = maxTargets;
    this.prelimTargets = prelimTargets;
    this.queue = new PriorityQueue<>(PRELIM.reversed());
  }

  /** Adds one subject's HSPs (non-empty, any order) with its preliminary best. */
  public void add(List<Hit> hits, double prelimEvalue, int prelimScore) {
    add(Subject.of(hits, prelimEvalue, prelimScore));
  }

  public void add(Subject s) {
    if (queue.size() < prelimTargets) {
      queue.add(s);
    } else if (PRELIM.compare(s, queue.peek()) < 0) {
      queue.poll();
      queue.add(s);
    }
  }

  /**
   * Whether a subject with this preliminary best could still be kept: when not, its traceback can
   * be skipped, since the preliminary list only gets better.
   */
  public boolean admits(double prelimEvalue, int prelimScore, String sseqid) {
    if (queue.size() < prelimTargets) {
      return true;
    }
    Subject worst = queue.peek();
    return prelim(prelimEvalue, prelimScore, sseqid, worst.prelimEvalue(), worst.prelimScore(), worst.sseqid()) < 0;
  }

  /** Adds every subject of another list. */
  public void addAll(TopHits other) {
    for (Subject s : other.queue) {
      add(s);
    }
  }

  /** How many subjects are kept (up to the preliminary list's size). */
  public int size() {
    return queue.size();
  }

  /**
   * Every kept subject, best (final rank) first: what a shard hands on for the merge, the
   * preliminary list whole, since a subject past {@code maxTargets} here may be among the whole's
   * reported ones.
   */
  public List<Subject> subjects() {
    List<Subject> out = new ArrayList<>(queue);
    out.sort(RANK);
    return out;
  }

  /** The rows of the best {@code maxTargets} kept subjects, best first. */
  public List<Hit> rows() {
    List<Subject> kept = subjects();
    List<Hit> rows = new ArrayList<>();
    for (Subject s : kept.subList(0, Math.min(maxTargets, kept.size()))) {
      rows.addAll(s.hits());
    }
    rows.sort(Hit.BEST_FIRST);
    return rows;
  }
}
