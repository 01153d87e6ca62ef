package org.taxoshard.align;

import java.util.ArrayList;
import java.util.List;

/**
 * Composition-based statistics, mode 1, as blastp 2.12 applies them in its traceback (the steps are
 * set out in {@link CompositionAdjustment}): per subject, the subject is masked with SEG (unless the
 * pair is nearly identical), the query's and the masked subject's compositions give a lambda ratio
 * and an adjusted score table in units of 1/32, and every preliminary HSP is realigned with it from
 * its own start point. E-values come from the scaled scores; scores and bit scores are reported in
 * whole units. One per worker thread.
 */
final class CompositionRescorer {
  private static final int SCALE = CompositionAdjustment.BLASTP_SCALING_FACTOR;
  /** Bits per aligned position at which a pair may be near-identical (then the subject keeps its letters). */
  private static final double NEAR_IDENTICAL_BITS = 1.74;
  private static final double NEAR_IDENTICAL_FRACTION = 0.95;

  private final Search search;
  private final String matrix;
  private final CompositionAdjustment.Composition[] queryCompositions;
  private final Seg seg = Seg.compositionBasedStatistics();
  private final int open;
  private final int extend;
  private final int xdrop;
  /** A realigned HSP shadows a preliminary one inside it only if it scores this much more (2 bits, scaled). */
  private final int containSlack;
  private byte[] masked = new byte[1024];

  CompositionRescorer(Search search) {
    this.search = search;
    this.matrix = search.params.matrix();
    this.queryCompositions = new CompositionAdjustment.Composition[search.queries.size()];
    this.open = search.params.gapOpen() * SCALE;
    this.extend = search.params.gapExtend() * SCALE;
    double lambda = search.stats.gapped().lambda() / SCALE;
    this.xdrop = (int) Math.max(search.params.xdropFinalBits() * Math.log(2) / lambda, search.xdropFinal);
    this.containSlack = (int) (2 * Math.log(2) / lambda);
  }

  /**
   * Realigns the preliminary HSPs of one query with the current subject.
   *
   * @param prelims preliminary gapped alignments (unscaled scores, no traceback needed), best first
   * @param subject the subject buffer, codes at [1, length]
   */
  List<Hit> rescore(Worker worker, int query, List<Worker.Candidate> prelims, String id, byte[] subject, int length,
      XDropAligner aligner) {
    Worker.Candidate best = prelims.get(0);
    int qFrom = search.starts[best.context()];
    int qTo = search.ends[best.context()];
    if (masked.length < length + 2) {
      masked = new byte[Math.max(length + 2, masked.length * 2)];
    }
    System.arraycopy(subject, 0, masked, 0, length + 2);
    if (!nearIdentical(best, subject, length, aligner)) {
      seg.maskInPlace(masked, 1, length + 1);
    }
    CompositionAdjustment.Composition qc = queryCompositions[query];
    if (qc == null) {
      qc = CompositionAdjustment.composition(search.concat, qFrom, qTo);
      queryCompositions[query] = qc;
    }
    CompositionAdjustment.Composition sc = CompositionAdjustment.composition(masked, 1, length + 1);
    double ratio = CompositionAdjustment.lambdaRatio(matrix, qc, sc);
    if (Double.isNaN(ratio)) {
      return List.of();
    }
    int[] table = CompositionAdjustment.adjustedTable(matrix, ratio, SCALE, qc, sc);
    List<Worker.Candidate> redone = new ArrayList<>();
    for (Worker.Candidate p : prelims) {
      if (shadowed(redone, p)) {
        continue;
      }
      int c = p.context();
      redone.add(p.redone(aligner.align(search.concat, search.starts[c], search.ends[c], masked, 1, length + 1,
          p.qAnchor(), p.sAnchor(), table, open, extend, xdrop, true)));
    }
    return worker.hits(query, redone, id, length, SCALE, true);
  }

  /** Whether a realigned alignment holds this preliminary one and scores 2 bits more than it did. */
  private boolean shadowed(List<Worker.Candidate> redone, Worker.Candidate p) {
    long prelimScaled = (long) p.alignment().score * SCALE;
    for (Worker.Candidate r : redone) {
      if (r.context() == p.context() && r.alignment().score >= prelimScaled + containSlack
          && r.alignment().contains(p.alignment())) {
        return true;
      }
    }
    return false;
  }

  /**
   * BLAST leaves the subject unmasked when the pair is nearly identical: the best HSP scores at
   * least 1.74 bits a position over a subject stretch of at least min(query length, 50), and more
   * than 95% of its aligned positions are identical.
   */
  private boolean nearIdentical(Worker.Candidate candidate, byte[] subject, int length, XDropAligner aligner) {
    GappedAlignment best = candidate.alignment();
    int qFrom = search.starts[candidate.context()];
    int qTo = search.ends[candidate.context()];
    int span = best.qEnd - best.qStart;
    double bits = best.score * search.stats.gapped().lambda() / Math.log(2);
    if (span == 0 || bits / span < NEAR_IDENTICAL_BITS || best.sEnd - best.sStart < Math.min(qTo - qFrom, 50)) {
      return false;
    }
    GappedAlignment a = aligner.align(search.concat, qFrom, qTo, subject, 1, length + 1, candidate.qAnchor(),
        candidate.sAnchor(), search.table, search.params.gapOpen(), search.params.gapExtend(), search.xdropFinal, true);
    int identities = 0;
    int qi = a.qStart;
    int si = a.sStart;
    for (byte op : a.ops) {
      if (op == GappedAlignment.MATCH) {
        identities += search.concat[qi] == subject[si] ? 1 : 0;
        qi++;
        si++;
      } else if (op == GappedAlignment.QUERY_GAP) {
        si++;
      } else {
        qi++;
      }
    }
    return identities > NEAR_IDENTICAL_FRACTION * a.ops.length;
  }
}
