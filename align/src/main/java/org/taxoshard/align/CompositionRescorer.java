package org.taxoshard.align;

import java.util.List;

/** Composition-based statistics, mode 1: re-aligns a subject's HSPs with a composition-adjusted matrix. */
final class CompositionRescorer {
  /** The preliminary E-value cutoff is this many times the threshold, so rescoring can rescue hits. */
  static final double PRELIM_STRETCH = 5;

  private final Search search;

  CompositionRescorer(Search search) {
    this.search = search;
    throw new UnsupportedOperationException("composition-based statistics are not built yet");
  }

  List<Hit> rescore(int query, List<GappedAlignment> found, List<Integer> contexts, String id, byte[] subject,
      int length, XDropAligner aligner) {
    throw new UnsupportedOperationException();
  }
}
