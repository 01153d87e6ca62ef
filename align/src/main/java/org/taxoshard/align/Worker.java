package org.taxoshard.align;

import java.util.ArrayList;
import java.util.Arrays;
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
  private final XDropAligner aligner = new XDropAligner();
  private final CompositionRescorer rescorer;

  /** Per diagonal: ((subject position + offset) << 1) | extended, 0 when never hit. */
  private int[] diag = new int[0];
  private int offset;
  /** The subject, coded, at [1, length], with sentinels at 0 and length + 1. */
  private byte[] s = new byte[1024];

  // Ungapped HSPs of the current subject: concatenated query start, subject start, length, score.
  private int[] uq = new int[256];
  private int[] us = new int[256];
  private int[] ulen = new int[256];
  private int[] uscore = new int[256];
  private int ucount;

  private long subjects;
  private long residues;
  private long seedHits;
  private long ungappedExtensions;
  private long gappedExtensions;

  Worker(Search search) {
    this.search = search;
    this.table = search.table;
    this.q = search.concat;
    this.top = new TopHits[search.queries.size()];
    for (int k = 0; k < top.length; k++) {
      top[k] = new TopHits(search.params.maxTargetSeqs());
    }
    this.rescorer = search.params.compositionBasedStats() ? new CompositionRescorer(search) : null;
  }

  /** Searches every sequence of a batch. */
  public void search(SubjectBatch batch) {
    for (int i = 0; i < batch.count(); i++) {
      search(batch.id(i), batch.codes(), batch.start(i), batch.length(i));
    }
  }

  /** Searches one subject: codes[from, from + length), named id. */
  public void search(String id, byte[] codes, int from, int length) {
    subjects++;
    residues += length;
    if (length == 0) {
      return;
    }
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
    if (search.params.protein()) {
      scanProtein(length);
    } else {
      scanNucleotide(length);
    }
    offset += length + window + 2;
    if (ucount > 0) {
      gapped(id, length);
    }
  }

  private void scanProtein(int length) {
    ProteinLookup lookup = search.proteinLookup;
    int[] cellStart = lookup.cellStart;
    int[] positions = lookup.positions;
    int wordSize = lookup.wordSize;
    int mask = (1 << (5 * wordSize)) - 1;
    int window = search.params.window();
    int w = 0;
    for (int i = 1; i < wordSize; i++) {
      w = (w << 5) | s[i];
    }
    for (int j = 1; j + wordSize - 1 <= length; j++) {
      w = ((w << 5) | s[j + wordSize - 1]) & mask;
      int end = cellStart[w + 1];
      for (int k = cellStart[w]; k < end; k++) {
        hit(positions[k], j, length, wordSize, window);
      }
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
        for (int k = cellStart[w]; k < end; k++) {
          hit(positions[k], start, length, wordSize, 0);
        }
      }
    }
  }

  /** A word hit: query word at concatenated position p, subject word at j (both 0/1-based starts). */
  private void hit(int p, int j, int length, int wordSize, int window) {
    seedHits++;
    int d = p - j + length;
    int v = diag[d];
    int last = (v >> 1) - offset;
    if ((v & 1) != 0) {
      // The diagonal was extended up to last: hits inside are covered, a later one starts afresh.
      if (j < last) {
        return;
      }
      if (window > 0) {
        diag[d] = (j + offset) << 1;
        return;
      }
    } else if (window > 0) {
      int diff = j - last;
      if (diff >= window) {
        diag[d] = (j + offset) << 1;
        return;
      }
      if (diff < wordSize) {
        return;
      }
    }
    ungappedExtensions++;
    // Right from the word's start (the word included), left from the residue before it.
    int score = 0;
    int best = 0;
    int right = 0;
    int x = search.xdropUngapped;
    for (int k = 0; ; k++) {
      score += table[(q[p + k] << 5) | s[j + k]];
      if (score > best) {
        best = score;
        right = k + 1;
      } else if (best - score > x) {
        break;
      }
    }
    int rightBest = best;
    score = 0;
    best = 0;
    int left = 0;
    for (int k = 1; ; k++) {
      score += table[(q[p - k] << 5) | s[j - k]];
      if (score > best) {
        best = score;
        left = k;
      } else if (best - score > x) {
        break;
      }
    }
    int total = rightBest + best;
    diag[d] = ((j + right + offset) << 1) | 1;
    if (total >= search.gapTrigger) {
      if (ucount == uq.length) {
        int n = ucount * 2;
        uq = Arrays.copyOf(uq, n);
        us = Arrays.copyOf(us, n);
        ulen = Arrays.copyOf(ulen, n);
        uscore = Arrays.copyOf(uscore, n);
      }
      uq[ucount] = p - left;
      us[ucount] = j - left;
      ulen[ucount] = left + right;
      uscore[ucount] = total;
      ucount++;
    }
  }

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
    int i = 0;
    List<GappedAlignment> found = new ArrayList<>();
    List<Integer> foundContext = new ArrayList<>();
    while (i < ucount) {
      int query = queryOf[order[i]];
      found.clear();
      foundContext.clear();
      for (; i < ucount && queryOf[order[i]] == query; i++) {
        int u = order[i];
        int c = search.contextOf(uq[u]);
        int[] anchor = anchor(uq[u], us[u], ulen[u]);
        int qa = anchor[0];
        int sa = anchor[1];
        if (contained(found, foundContext, c, uq[u], us[u], ulen[u])) {
          continue;
        }
        gappedExtensions++;
        GappedAlignment prelim = aligner.align(q, search.starts[c], search.ends[c], s, 1, length + 1, qa, sa,
            table, search.params.gapOpen(), search.params.gapExtend(), search.xdropGapped, false);
        int qlen = search.queries.get(query).length();
        double cutoff = search.params.evalue() * (rescorer != null ? CompositionRescorer.PRELIM_STRETCH : 1);
        if (search.stats.evalue(prelim.score, qlen, length, search.db) > cutoff) {
          continue;
        }
        GappedAlignment a = aligner.align(q, search.starts[c], search.ends[c], s, 1, length + 1, qa, sa,
            table, search.params.gapOpen(), search.params.gapExtend(), search.xdropFinal, true);
        found.add(a);
        foundContext.add(c);
      }
      if (found.isEmpty()) {
        continue;
      }
      List<Hit> hits = rescorer != null
          ? rescorer.rescore(query, found, foundContext, id, s, length, aligner)
          : hits(query, found, foundContext, id, length, table, 1.0);
      if (!hits.isEmpty()) {
        top[query].add(hits);
      }
    }
  }

  /**
   * Rows for the alignments of one query with the current subject: duplicates sharing a start or
   * an end with a better one dropped, E-values for the whole database, those above the threshold
   * dropped.
   */
  List<Hit> hits(int query, List<GappedAlignment> found, List<Integer> contexts, String id, int length,
      int[] scores, double scale) {
    Integer[] order = new Integer[found.size()];
    for (int k = 0; k < order.length; k++) {
      order[k] = k;
    }
    Arrays.sort(order, (x, y) -> {
      GappedAlignment a = found.get(x);
      GappedAlignment b = found.get(y);
      if (a.score != b.score) {
        return Integer.compare(b.score, a.score);
      }
      if (a.qStart != b.qStart) {
        return Integer.compare(a.qStart, b.qStart);
      }
      return Integer.compare(a.sStart, b.sStart);
    });
    List<Hit> hits = new ArrayList<>();
    List<GappedAlignment> kept = new ArrayList<>();
    Query qr = search.queries.get(query);
    for (int k : order) {
      GappedAlignment a = found.get(k);
      boolean duplicate = false;
      for (GappedAlignment b : kept) {
        if ((a.qStart == b.qStart && a.sStart == b.sStart) || (a.qEnd == b.qEnd && a.sEnd == b.sEnd)) {
          duplicate = true;
          break;
        }
      }
      if (duplicate) {
        continue;
      }
      kept.add(a);
      double evalue = search.stats.evalue(a.score, scale, 1.0, qr.length(), length, search.db);
      if (evalue > search.params.evalue()) {
        continue;
      }
      hits.add(row(qr, contexts.get(k), a, id, evalue, search.stats.bitScore(a.score, scale), scale));
    }
    return hits;
  }

  private Hit row(Query qr, int context, GappedAlignment a, String id, double evalue, double bits, double scale) {
    int identities = 0;
    int mismatches = 0;
    int gapOpens = 0;
    int qi = a.qStart;
    int si = a.sStart;
    byte prev = GappedAlignment.MATCH;
    for (byte op : a.ops) {
      if (op == GappedAlignment.MATCH) {
        if (q[qi] == s[si]) {
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
    int score = (int) Math.round(a.score / scale);
    if (!search.contextMinus[context]) {
      return new Hit(qr.index(), qr.id(), id, identities, a.ops.length, mismatches, gapOpens, q0 + 1, q1,
          a.sStart, a.sEnd - 1, evalue, bits, score);
    }
    int n = qr.length();
    return new Hit(qr.index(), qr.id(), id, identities, a.ops.length, mismatches, gapOpens, n - q1 + 1, n - q0,
        a.sEnd - 1, a.sStart, evalue, bits, score);
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
   * Whether an ungapped HSP lies wholly inside a gapped alignment already found for this query
   * strand (BLAST's test before a gapped extension): then extending it would find that alignment
   * again. Only whole containment counts, so an HSP that pokes out still gets its own extension,
   * which may find a better path.
   */
  private static boolean contained(List<GappedAlignment> found, List<Integer> contexts, int c, int qs, int ss, int len) {
    for (int k = 0; k < found.size(); k++) {
      GappedAlignment g = found.get(k);
      if (contexts.get(k) == c && qs >= g.qStart && qs + len <= g.qEnd && ss >= g.sStart && ss + len <= g.sEnd) {
        return true;
      }
    }
    return false;
  }

  /** The subject buffer as the last search left it (codes at [1, length]). */
  byte[] subjectBuffer() {
    return s;
  }

  /** Counters: subjects, residues, seed hits, ungapped and gapped extensions. */
  public long[] counters() {
    return new long[] {subjects, residues, seedHits, ungappedExtensions, gappedExtensions};
  }
}
