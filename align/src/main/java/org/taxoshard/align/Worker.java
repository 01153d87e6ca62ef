package org.taxoshard.align;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One thread's share of a {@link Search}: scans subjects for seed hits, extends them, keeps each
 * query's best subjects. Not thread-safe; one per thread.
 */
public final class Worker {
  private static final int WINDOW = 11;

  private final Search search;
  private final int[] table;
  private final byte[] q;
  final TopHits[] top;
  private final Scratch scratch;
  private final XDropAligner aligner;
  private final CompositionRescorer rescorer;

  /** Per diagonal: ((subject position + offset) << 1) | extended, 0 when never hit. */
  private int[] diag;
  private int offset;
  /** The subject, coded, at [1, length], with sentinels at 0 and length + 1. */
  private byte[] s;

  // Ungapped HSPs of the current subject: concatenated query start, subject start, length, score.
  private int[] uq = new int[256];
  private int[] us = new int[256];
  private int[] ulen = new int[256];
  private int[] uscore = new int[256];
  private int ucount;

  /** The length of the subject the current sequence is (part of), for its E-values. */
  private int statisticsLength;
  /** 0-based offset of the current sequence in the whole one it was cut from. */
  private int fragmentStart;
  /** 0-based exclusive end, in the whole, of the stretch the current sequence owns. */
  private int ownedEnd;
  /** Whether the current sequence is a fragment of a longer one. */
  private boolean fragment;
  /**
   * Per query: the hits of fragments, each entry one fragment's with its preliminary best, unranked
   * until their wholes are joined.
   */
  final List<TopHits.Subject>[] fragmentHits;
  private long subjects;
  private long residues;
  private long seedHits;
  private long ungappedExtensions;
  private long gappedExtensions;
  private long tracebacksSkipped;

  /**
   * What the workers of one thread share, one subject at a time: the diagonal array and its offset,
   * the subject buffer and the gapped aligner's buffers. Workers of several query blocks
   * ({@link DatabaseSearch#run(List, DatabaseSearch.SubjectSource, int, long)}) search each subject
   * in turn on one thread, so these are sized once for the largest block and the longest subject,
   * not once per block. The offset only grows between subjects, so a diagonal entry left by another
   * block's worker always reads as an old hit. Not thread-safe.
   */
  static final class Scratch {
    int[] diag = new int[0];
    int offset;
    byte[] subject = new byte[1024];
    final XDropAligner aligner = new XDropAligner();
  }

  Worker(Search search) {
    this(search, new Scratch());
  }

  Worker(Search search, Scratch scratch) {
    this.search = search;
    this.scratch = scratch;
    this.aligner = scratch.aligner;
    this.table = search.table;
    this.q = search.concat;
    this.top = new TopHits[search.queries.size()];
    for (int k = 0; k < top.length; k++) {
      top[k] = new TopHits(search.params.maxTargetSeqs(), search.params.prelimTargetSeqs());
    }
    @SuppressWarnings("unchecked")
    List<TopHits.Subject>[] lists = new List[top.length];
    this.fragmentHits = lists;
    this.rescorer = search.params.compositionBasedStats() ? new CompositionRescorer(search) : null;
  }

  /** Searches every sequence of a batch. */
  public void search(SubjectBatch batch) {
    for (int i = 0; i < batch.count(); i++) {
      search(batch.id(i), batch.codes(), batch.start(i), batch.length(i), batch.fragmentStart(i),
          batch.wholeLength(i), batch.ownedEnd(i));
    }
  }

  /** Searches one subject: codes[from, from + length), named id. */
  public void search(String id, byte[] codes, int from, int length) {
    search(id, codes, from, length, 0, length, length);
  }

  /**
   * Searches one fragment of a subject: codes[from, from + length), named id, cut from a whole
   * sequence of {@code wholeLength} residues at 0-based offset {@code fragmentStart}, owning the
   * whole's stretch up to {@code ownedEnd} (exclusive; see {@link SubjectBatch}). E-values are
   * the whole sequence's, subject coordinates the whole sequence's, and only hits whose first
   * subject residue lies in the owned stretch are kept. A fragment's hits are not ranked on their
   * own: {@link Search#mergeTop} joins the fragments of one sequence, then ranks it.
   */
  public void search(String id, byte[] codes, int from, int length, int fragmentStart, int wholeLength, int ownedEnd) {
    this.statisticsLength = wholeLength;
    this.fragmentStart = fragmentStart;
    this.ownedEnd = ownedEnd;
    this.fragment = length != wholeLength;
    subjects++;
    residues += length;
    if (length == 0) {
      return;
    }
    diag = scratch.diag;
    offset = scratch.offset;
    s = scratch.subject;
    if (s.length < length + 2) {
      s = new byte[Math.max(length + 2, s.length * 2)];
    }
    s[0] = Search.SENTINEL;
    System.arraycopy(codes, from, s, 1, length);
    s[length + 1] = Search.SENTINEL;
    int window = search.params.window();
    int need = q.length + length + 1;
    if (diag.length < need) {
      diag = new int[Math.max(need, diag.length + diag.length / 2)];
      offset = window + 2;
    }
    if (offset + length + window + 2 >= (1 << 29)) {
      Arrays.fill(diag, 0);
      offset = window + 2;
    }
    ucount = 0;
    if (search.spacedLookup != null) {
      scanSpaced(search.spacedLookup, length);
    } else if (search.params.protein()) {
      scanProtein(search.proteinLookup, length);
    } else {
      scanNucleotide(length);
    }
    offset += length + window + 2;
    scratch.diag = diag;
    scratch.offset = offset;
    scratch.subject = s;
    if (ucount > 0) {
      gapped(id, length);
    }
  }

  /** Seeds of the lookup against the current subject, two hits on a diagonal extended. */
  private void scanProtein(ProteinLookup lookup, int length) {
    int[] cellStart = lookup.cellStart;
    int[] positions = lookup.positions;
    int wordSize = lookup.wordSize;
    int mask = (1 << (5 * wordSize)) - 1;
    int window = search.params.window();
    int reach = Math.max(0, window - wordSize);
    int w = 0;
    for (int i = 1; i < wordSize; i++) {
      w = (w << 5) | s[i];
    }
    long seeds = 0;
    for (int j = 1; j + wordSize - 1 <= length; j++) {
      w = ((w << 5) | s[j + wordSize - 1]) & mask;
      int start = cellStart[w];
      int end = cellStart[w + 1];
      seeds += end - start;
      twoHits(positions, start, end, j, length, wordSize, reach, window);
    }
    seedHits += seeds;
  }

  /** Seeds of a spaced-seed lookup: the two-hit test of {@link #scanProtein}, over the shape's span. */
  private void scanSpaced(SpacedLookup lookup, int length) {
    int[] cellStart = lookup.cellStart;
    int[] positions = lookup.positions;
    int span = lookup.span;
    int window = search.params.window();
    int reach = Math.max(0, window - span);
    long seeds = 0;
    for (int j = 1; j + span - 1 <= length; j++) {
      int w = lookup.key(s, j);
      if (w < 0) {
        continue;
      }
      int start = cellStart[w];
      int end = cellStart[w + 1];
      seeds += end - start;
      twoHits(positions, start, end, j, length, span, reach, window);
    }
    seedHits += seeds;
  }

  /**
   * The two-hit test of the word hits of subject position j (1-based in the subject buffer) at the
   * concatenated query positions positions[start, end), each word {@code span} residues long: a
   * hit {@code span} to {@code window - 1} residues after its diagonal's recorded hit, on a
   * stretch no extension has covered, is extended ({@link #extendTwoHit}); any other becomes the
   * diagonal's recorded hit when it lies past the window (or past the covered stretch).
   *
   * <p>A diagonal's entry is (last hit + offset) << 1, with bit 0 set when an extension has
   * covered it up to that place. The test runs without a branch on the diagonal's state: only a
   * second hit (a few percent of hits) leaves the straight line.
   *
   * @param reach {@code max(0, window - span)}
   */
  private void twoHits(int[] positions, int start, int end, int j, int length, int span, int reach, int window) {
    int[] dg = diag;
    int off = offset;
    int here = (j + off) << 1;
    for (int k = start; k < end; k++) {
      int p = positions[k];
      int d = p - j + length;
      int v = dg[d];
      int diff = j - ((v >> 1) - off);
      int covered = v & 1;
      // Not covered and span <= diff < window: a second hit (diff is never negative then).
      if (Integer.compareUnsigned((diff - span) | (covered << 31), reach) < 0) {
        extendTwoHit(p, j, d, span, diff);
        continue;
      }
      // Otherwise the hit becomes the diagonal's recorded hit when past the covered stretch
      // (covered) or past the window (not covered); else the entry stays.
      int limit = window & (covered - 1);
      int keep = (diff - limit) >> 31;
      dg[d] = here ^ ((here ^ v) & keep);
    }
  }

  private void scanNucleotide(int length) {
    NucleotideLookup lookup = search.nucleotideLookup;
    int[] cellStart = lookup.cellStart;
    int[] positions = lookup.positions;
    int wordSize = lookup.wordSize;
    int mask = (1 << (2 * wordSize)) - 1;
    int w = 0;
    int valid = 0;
    for (int j = 1; j <= length; j++) {
      int b = NucleotideLookup.bits(s[j]);
      if (b < 0) {
        valid = 0;
        continue;
      }
      w = ((w << 2) | b) & mask;
      if (++valid >= wordSize) {
        int start = j - wordSize + 1;
        int end = cellStart[w + 1];
        seedHits += end - cellStart[w];
        for (int k = cellStart[w]; k < end; k++) {
          hit(positions[k], start, length);
        }
      }
    }
  }

  /** A one-hit word hit (nucleotides): extended unless an earlier extension on its diagonal covers it. */
  private void hit(int p, int j, int length) {
    int d = p - j + length;
    int v = diag[d];
    if ((v & 1) != 0 && j < (v >> 1) - offset) {
      return;
    }
    extend(p, j, d);
  }

  /**
   * BLAST's two-hit ungapped extension ({@code s_BlastAaExtendTwoHit} and the word finder around
   * it), step for step, so that the same pairs of hits give the same ungapped HSPs:
   *
   * <ol>
   *   <li>It starts one past the best-scoring prefix of the second word (at the word's start when no
   *       prefix scores above 0), and extends left from there, X-drop: it stops once the score has
   *       dropped the query's ungapped X-drop or more below its best ({@link Search#ungappedCutoffs}).</li>
   *   <li>Only if that reaches the residue after the first word ({@code diff} residues before the
   *       second word) does it extend right, from the same place, carrying the left score, and
   *       stopping also when the running score falls to 0 or below.</li>
   *   <li>The better of the two scores is the HSP's; it is kept when it reaches the query's gap
   *       trigger, left extension alone included.</li>
   *   <li>After a right extension the diagonal is covered up to where the right walk stopped, less
   *       the word's length minus one; hits before that are skipped, the next one after it starts
   *       afresh. Without one the second hit becomes the diagonal's recorded hit.</li>
   * </ol>
   *
   * @param p the second word's first position in the concatenated queries
   * @param j the second word's first position in the subject buffer
   * @param diff the second word's distance from the diagonal's recorded hit, in
   *     [{@code wordSize}, window)
   */
  private void extendTwoHit(int p, int j, int d, int wordSize, int diff) {
    ungappedExtensions++;
    int cutoffs = search.ungappedCutoffs[p];
    int x = cutoffs & 1023;
    int trigger = cutoffs >>> 10;
    int sum = 0;
    int prefix = 0;
    int shift = 0;
    for (int i = 0; i < wordSize; i++) {
      sum += table[(q[p + i] << 5) | s[j + i]];
      if (sum > prefix) {
        prefix = sum;
        shift = i + 1;
      }
    }
    int qr = p + shift;
    int sr = j + shift;
    int score = 0;
    int best = 0;
    int left = 0;
    // Each X-drop walk keeps its best without a branch (whether a step improves it is a coin toss
    // in a random region); the only branch, the drop, is taken once. Sentinels end both walks.
    for (int k = 1; ; k++) {
      score += table[(q[qr - k] << 5) | s[sr - k]];
      int better = (best - score) >> 31;
      left ^= (left ^ k) & better;
      best = Math.max(best, score);
      if (best - score >= x) {
        break;
      }
    }
    int leftScore = best;
    if (left < shift + diff - wordSize) {
      diag[d] = (j + offset) << 1;
      if (leftScore >= trigger) {
        record(qr - left, sr - left, left, leftScore);
      }
      return;
    }
    score = leftScore;
    int right = 0;
    int k = 0;
    for (; ; k++) {
      score += table[(q[qr + k] << 5) | s[sr + k]];
      int better = (best - score) >> 31;
      right ^= (right ^ (k + 1)) & better;
      best = Math.max(best, score);
      if (score <= 0 || best - score >= x) {
        break;
      }
    }
    diag[d] = ((sr + k - (wordSize - 1) + offset) << 1) | 1;
    if (best >= trigger) {
      record(qr - left, sr - left, left + right, best);
    }
  }

  private void record(int qs, int ss, int len, int score) {
    if (ucount == uq.length) {
      int n = ucount * 2;
      uq = Arrays.copyOf(uq, n);
      us = Arrays.copyOf(us, n);
      ulen = Arrays.copyOf(ulen, n);
      uscore = Arrays.copyOf(uscore, n);
    }
    uq[ucount] = qs;
    us[ucount] = ss;
    ulen[ucount] = len;
    uscore[ucount] = score;
    ucount++;
  }

  /**
   * Ungapped X-drop extension of the word hit at concatenated query position p, subject position
   * j (diagonal slot d): right from the word's start (the word included), left from the residue
   * before it. Records an ungapped HSP when it reaches the gap trigger.
   */
  private void extend(int p, int j, int d) {
    ungappedExtensions++;
    int score = 0;
    int best = 0;
    int right = 0;
    int x = search.xdropUngapped;
    for (int k = 0; ; k++) {
      score += table[(q[p + k] << 5) | s[j + k]];
      int better = (best - score) >> 31;
      right ^= (right ^ (k + 1)) & better;
      best = Math.max(best, score);
      if (best - score > x) {
        break;
      }
    }
    int rightBest = best;
    score = 0;
    best = 0;
    int left = 0;
    for (int k = 1; ; k++) {
      score += table[(q[p - k] << 5) | s[j - k]];
      int better = (best - score) >> 31;
      left ^= (left ^ k) & better;
      best = Math.max(best, score);
      if (best - score > x) {
        break;
      }
    }
    int total = rightBest + best;
    diag[d] = ((j + right + offset) << 1) | 1;
    if (total >= search.gapTrigger) {
      record(p - left, j - left, left + right, total);
    }
  }

  /**
   * A gapped alignment of one query context with the current subject, and the start point it was
   * extended from (concatenated query position, subject buffer position).
   */
  record Candidate(GappedAlignment alignment, int context, int qAnchor, int sAnchor) {
    /** The same start, extended again. */
    Candidate redone(GappedAlignment a) {
      return new Candidate(a, context, qAnchor, sAnchor);
    }
  }

  private static final Comparator<Candidate> BEST_SCORE_FIRST =
      Comparator.comparingInt((Candidate c) -> c.alignment().score).reversed();

  /** The gapped stage for the current subject, query by query. */
  private void gapped(String id, int length) {
    // Order: by query, then score descending, then position, so the result does not depend on
    // the order hits were found in.
    Integer[] order = new Integer[ucount];
    for (int i = 0; i < ucount; i++) {
      order[i] = i;
    }
    int[] queryOf = new int[ucount];
    for (int i = 0; i < ucount; i++) {
      queryOf[i] = search.contextQuery[search.contextOf(uq[i])];
    }
    Arrays.sort(order, (x, y) -> {
      if (queryOf[x] != queryOf[y]) {
        return Integer.compare(queryOf[x], queryOf[y]);
      }
      if (uscore[x] != uscore[y]) {
        return Integer.compare(uscore[y], uscore[x]);
      }
      if (uq[x] != uq[y]) {
        return Integer.compare(uq[x], uq[y]);
      }
      return Integer.compare(us[x], us[y]);
    });
    List<Candidate> prelims = new ArrayList<>();
    int i = 0;
    while (i < ucount) {
      int query = queryOf[order[i]];
      KarlinAltschul.QueryEvalues evalues = search.evalues[query];
      prelims.clear();
      for (; i < ucount && queryOf[order[i]] == query; i++) {
        int u = order[i];
        int c = search.contextOf(uq[u]);
        if (covered(prelims, c, uq[u], uq[u] + ulen[u], us[u], us[u] + ulen[u])) {
          continue;
        }
        gappedExtensions++;
        int[] anchor = anchor(uq[u], us[u], ulen[u]);
        GappedAlignment prelim = aligner.align(q, search.starts[c], search.ends[c], s, 1, length + 1, anchor[0],
            anchor[1], table, search.params.gapOpen(), search.params.gapExtend(), search.xdropGapped, false);
        if (evalues.evalue(prelim.score, 1, statisticsLength) <= search.params.evalue()) {
          prelims.add(new Candidate(prelim, c, anchor[0], anchor[1]));
        }
      }
      if (prelims.isEmpty()) {
        continue;
      }
      prelims.sort(BEST_SCORE_FIRST);
      int prelimScore = prelims.get(0).alignment().score;
      double prelimEvalue = evalues.evalue(prelimScore, 1, statisticsLength);
      // blastp traces back only the subjects of its preliminary hit list: one that cannot enter
      // it now never will. A fragment's rank is its whole's, known only once the wholes are joined.
      if (!fragment && !top[query].admits(prelimEvalue, prelimScore, id)) {
        tracebacksSkipped++;
        continue;
      }
      List<Hit> hits = rescorer != null
          ? rescorer.rescore(this, query, prelims, id, s, length, aligner)
          : traceback(query, prelims, id, length);
      if (fragment) {
        hits.removeIf(h -> Math.min(h.sstart(), h.send()) - 1 >= ownedEnd);
        if (!hits.isEmpty()) {
          if (fragmentHits[query] == null) {
            fragmentHits[query] = new ArrayList<>();
          }
          fragmentHits[query].add(TopHits.Subject.of(hits, prelimEvalue, prelimScore));
        }
      } else if (!hits.isEmpty()) {
        top[query].add(hits, prelimEvalue, prelimScore);
      }
    }
  }

  /**
   * BLAST's traceback stage: the preliminary HSPs (best first), each traced back from its own
   * start with the final X-drop, unless it lies inside an alignment already traced.
   */
  private List<Hit> traceback(int query, List<Candidate> prelims, String id, int length) {
    List<Candidate> traced = new ArrayList<>();
    for (Candidate p : prelims) {
      GappedAlignment a = p.alignment();
      if (covered(traced, p.context(), a.qStart, a.qEnd, a.sStart, a.sEnd)) {
        continue;
      }
      int c = p.context();
      traced.add(p.redone(aligner.align(q, search.starts[c], search.ends[c], s, 1, length + 1, p.qAnchor(),
          p.sAnchor(), table, search.params.gapOpen(), search.params.gapExtend(), search.xdropFinal, true)));
    }
    return hits(query, traced, id, length, 1, false);
  }

  /**
   * Whether query [qs, qe) x subject [ss, se) of context c lies wholly inside an alignment already
   * found (BLAST's test before extending again): then extending would find that alignment again.
   * Only whole containment counts, so a stretch that pokes out gets its own extension.
   */
  private static boolean covered(List<Candidate> found, int c, int qs, int qe, int ss, int se) {
    for (Candidate f : found) {
      if (f.context() == c && f.alignment().contains(qs, qe, ss, se)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Rows for the alignments of one query with the current subject: duplicates sharing a start or
   * an end with a better one dropped (and, for composition-adjusted alignments, those lying inside
   * a better one, as BLAST reaps them), E-values for the whole database, those above the threshold
   * dropped.
   *
   * @param scale the units of the alignments' scores (1, or composition-based statistics' 32): the
   *     E-value comes from the scaled score, the reported score and bit score from the score
   *     rounded back to whole units, as BLAST reports them
   */
  List<Hit> hits(int query, List<Candidate> found, String id, int length, int scale, boolean reapContained) {
    List<Candidate> order = new ArrayList<>(found);
    order.sort(BEST_SCORE_FIRST.thenComparingInt((Candidate c) -> c.alignment().qStart)
        .thenComparingInt(c -> c.alignment().sStart));
    List<Hit> hits = new ArrayList<>();
    List<Candidate> kept = new ArrayList<>();
    Query qr = search.queries.get(query);
    for (Candidate candidate : order) {
      GappedAlignment a = candidate.alignment();
      boolean drop = false;
      for (int t = 0; t < kept.size() && !drop; t++) {
        GappedAlignment b = kept.get(t).alignment();
        drop = kept.get(t).context() == candidate.context()
            && ((a.qStart == b.qStart && a.sStart == b.sStart) || (a.qEnd == b.qEnd && a.sEnd == b.sEnd)
                || (reapContained && b.contains(a)));
      }
      if (drop) {
        continue;
      }
      kept.add(candidate);
      double evalue = search.evalues[query].evalue(a.score, scale, statisticsLength);
      if (evalue > search.params.evalue()) {
        continue;
      }
      int raw = scale == 1 ? a.score : (int) Math.round((double) a.score / scale);
      hits.add(row(qr, candidate.context(), a, id, evalue, search.stats.bitScore(raw), raw));
    }
    return hits;
  }

  /** One output row; identities are counted against the query and the subject as given, not as masked. */
  private Hit row(Query qr, int context, GappedAlignment a, String id, double evalue, double bits, int score) {
    int identities = 0;
    int mismatches = 0;
    int gapOpens = 0;
    int qi = a.qStart;
    int si = a.sStart;
    byte prev = GappedAlignment.MATCH;
    byte[] given = search.letters;
    for (byte op : a.ops) {
      if (op == GappedAlignment.MATCH) {
        if (given[qi] == s[si]) {
          identities++;
        } else {
          mismatches++;
        }
        qi++;
        si++;
      } else {
        if (op != prev) {
          gapOpens++;
        }
        if (op == GappedAlignment.QUERY_GAP) {
          si++;
        } else {
          qi++;
        }
      }
      prev = op;
    }
    int q0 = a.qStart - search.starts[context];
    int q1 = a.qEnd - search.starts[context];
    // The subject buffer holds residue 1 at index 1, so sStart is already 1-based.
    int s0 = a.sStart + fragmentStart;
    int s1 = a.sEnd - 1 + fragmentStart;
    if (!search.contextMinus[context]) {
      return new Hit(qr.index(), qr.id(), id, identities, a.ops.length, mismatches, gapOpens, q0 + 1, q1,
          s0, s1, evalue, bits, score);
    }
    int n = qr.length();
    return new Hit(qr.index(), qr.id(), id, identities, a.ops.length, mismatches, gapOpens, n - q1 + 1, n - q0,
        s1, s0, evalue, bits, score);
  }

  /**
   * Where gapped extension starts inside an ungapped HSP (BLAST's rule for proteins): the middle of
   * its best-scoring window of 11 pairs, or its middle when it is shorter.
   */
  private int[] anchor(int qs, int ss, int len) {
    if (len <= WINDOW) {
      return new int[] {qs + len / 2, ss + len / 2};
    }
    int score = 0;
    for (int k = 0; k < WINDOW; k++) {
      score += table[(q[qs + k] << 5) | s[ss + k]];
    }
    int best = score;
    int bestEnd = WINDOW - 1;
    for (int k = WINDOW; k < len; k++) {
      score += table[(q[qs + k] << 5) | s[ss + k]] - table[(q[qs + k - WINDOW] << 5) | s[ss + k - WINDOW]];
      if (score > best) {
        best = score;
        bestEnd = k;
      }
    }
    int mid = best > 0 ? bestEnd - WINDOW / 2 : 0;
    return new int[] {qs + mid, ss + mid};
  }

  /**
   * Counters: subjects, residues, seed hits, ungapped and gapped extensions, and query-subject
   * pairs not traced back because they could not enter the query's preliminary list.
   */
  public long[] counters() {
    return new long[] {subjects, residues, seedHits, ungappedExtensions, gappedExtensions, tracebacksSkipped};
  }
}
