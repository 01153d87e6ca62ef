package org.taxoshard.align;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A search of a batch of queries against database sequences, BLAST's way: seeds from a lookup of
 * the queries, ungapped X-drop extension of seed hits (two hits on one diagonal within the window
 * for proteins, one for nucleotides), gapped X-drop extension with traceback of the ungapped HSPs
 * that pass the gap trigger, E-values for the whole database ({@link DatabaseSize}), and each
 * query's best {@code max_target_seqs} subjects.
 *
 * <p>The queries and the lookup are shared, read-only; each thread searches with its own
 * {@link Worker}, and {@link #merge} joins the workers' lists. The result does not depend on how
 * the database is cut into batches, threads or shards.
 *
 * <p>Memory: the lookup (see {@link ProteinLookup}, {@link SpacedLookup}, {@link NucleotideLookup}) and per worker a
 * diagonal array of 4 bytes x (query residues + 40 a query + longest subject), the gapped aligner's buffers
 * (about the product of the sequence lengths an extension explores) and the kept hits.
 */
public final class Search {
  /** Scores against the separator between queries and around subjects: stops every extension. */
  static final int SENTINEL = 31;
  private static final int SENTINEL_SCORE = -(1 << 20);

  final SearchParameters params;
  final DatabaseSize db;
  final List<Query> queries;
  final KarlinAltschul stats;
  /** Each query's E-values against the whole database. */
  final KarlinAltschul.QueryEvalues[] evalues;
  final int[] table;
  /** The contexts as searched: with {@link SearchParameters#seg}, low-complexity residues are X. */
  final byte[] concat;
  /** The contexts as given, which identities are counted against: {@link #concat} itself unless masked. */
  final byte[] letters;
  final int[] starts;
  final int[] ends;
  /** For nucleotides: the query each context belongs to and whether it is the minus strand. */
  final int[] contextQuery;
  final boolean[] contextMinus;
  final ProteinLookup proteinLookup;
  /** With a spaced seed ({@link SearchParameters#seedShape}), its lookup; else null. */
  final SpacedLookup spacedLookup;
  final NucleotideLookup nucleotideLookup;
  /** The ungapped X-drop and gap trigger of the matrix's standard ungapped parameters (blastn's). */
  final int xdropUngapped;
  final int xdropGapped;
  final int xdropFinal;
  final int gapTrigger;
  /**
   * For proteins, per concatenated position: its query's gap trigger {@code << 10 |} its ungapped
   * X-drop, from the query's own ungapped Karlin-Altschul parameters ({@link QueryKarlin}), as blastp
   * sets them per query; null for nucleotides.
   */
  final int[] ungappedCutoffs;

  /**
   * Prepares a search: encodes the batch, builds the lookup.
   *
   * @param queries the batch, each with its 0-based input index; none empty
   * @param db the whole database's size, which E-values are computed for
   */
  public Search(SearchParameters params, DatabaseSize db, List<Query> queries) {
    this.params = params;
    this.db = db;
    this.queries = List.copyOf(queries);
    this.stats = params.statistics();
    this.evalues = new KarlinAltschul.QueryEvalues[queries.size()];
    for (int k = 0; k < evalues.length; k++) {
      evalues[k] = stats.forQuery(queries.get(k).length(), db);
    }
    int[] t = params.scoringMatrix().table().clone();
    for (int a = 0; a < Residue.CODES; a++) {
      t[(a << 5) | SENTINEL] = SENTINEL_SCORE;
      t[(SENTINEL << 5) | a] = SENTINEL_SCORE;
    }
    this.table = t;
    int contexts = params.protein() ? queries.size() : 2 * queries.size();
    starts = new int[contexts];
    ends = new int[contexts];
    contextQuery = new int[contexts];
    contextMinus = new boolean[contexts];
    // Sentinels before, between and after the contexts: for proteins as many as the two-hit
    // window, so that no two word hits of different queries lie on one diagonal within it (where
    // the first would cost the second its place as a first hit) and a query's hits do not depend
    // on the queries it is searched with.
    int gap = params.protein() ? Math.max(1, params.window()) : 1;
    long total = gap;
    for (Query q : queries) {
      if (q.length() == 0) {
        throw new IllegalArgumentException("query " + q.id() + " has no residues");
      }
      total += (long) (q.length() + gap) * (params.protein() ? 1 : 2);
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("query batch too large: " + total + " residues");
    }
    concat = new byte[(int) total];
    Arrays.fill(concat, (byte) SENTINEL);
    int at = gap;
    int c = 0;
    for (int k = 0; k < queries.size(); k++) {
      byte[] codes = queries.get(k).codes();
      starts[c] = at;
      System.arraycopy(codes, 0, concat, at, codes.length);
      at += codes.length;
      ends[c] = at;
      contextQuery[c] = k;
      at += gap;
      c++;
      if (!params.protein()) {
        starts[c] = at;
        for (int i = codes.length - 1; i >= 0; i--) {
          concat[at++] = (byte) NucleotideLookup.complement(codes[i]);
        }
        ends[c] = at;
        contextQuery[c] = k;
        contextMinus[c] = true;
        at += gap;
        c++;
      }
    }
    if (params.seg() != null) {
      letters = concat.clone();
      for (int k = 0; k < contexts; k++) {
        params.seg().maskInPlace(concat, starts[k], ends[k]);
      }
    } else {
      letters = concat;
    }
    if (params.protein()) {
      if (params.seedShape() == null) {
        proteinLookup = new ProteinLookup(concat, starts, ends, t, params.wordSize(), params.threshold());
        spacedLookup = null;
      } else {
        proteinLookup = null;
        spacedLookup = new SpacedLookup(concat, starts, ends, t, params.seedShape(), params.threshold());
      }
      nucleotideLookup = null;
    } else {
      proteinLookup = null;
      spacedLookup = null;
      nucleotideLookup = new NucleotideLookup(concat, starts, ends, params.wordSize());
    }
    KarlinAltschul.Parameters ungapped = stats.ungapped();
    xdropUngapped = (int) Math.ceil(params.xdropUngappedBits() * Math.log(2) / ungapped.lambda());
    xdropGapped = (int) (params.xdropGappedBits() * Math.log(2) / stats.gapped().lambda());
    xdropFinal = (int) (params.xdropFinalBits() * Math.log(2) / stats.gapped().lambda());
    gapTrigger = (int) ((params.gapTriggerBits() * Math.log(2) + ungapped.logK()) / ungapped.lambda());
    if (params.protein()) {
      ungappedCutoffs = new int[concat.length];
      for (int k = 0; k < contexts; k++) {
        KarlinAltschul.Parameters u = QueryKarlin.of(concat, starts[k], ends[k], t);
        if (u == null) {
          u = ungapped;
        }
        int trigger = (int) ((params.gapTriggerBits() * Math.log(2) + u.logK()) / u.lambda());
        int x = (int) Math.ceil(params.xdropUngappedBits() * Math.log(2) / u.lambda());
        Arrays.fill(ungappedCutoffs, starts[k], ends[k], (trigger << 10) | Math.min(x, 1023));
      }
    } else {
      ungappedCutoffs = null;
    }
  }

  public SearchParameters parameters() {
    return params;
  }

  public List<Query> queries() {
    return queries;
  }

  /** A worker for one thread. */
  public Worker newWorker() {
    return new Worker(this);
  }

  /** A worker sharing its thread's buffers with the workers of other query blocks. */
  Worker newWorker(Worker.Scratch scratch) {
    return new Worker(this, scratch);
  }

  /** The context (query strand) holding concatenated position p. */
  int contextOf(int p) {
    int i = Arrays.binarySearch(starts, p);
    return i >= 0 ? i : -i - 2;
  }

  /**
   * Joins the workers' lists: one list per query, in query order, each a query's rows best first.
   */
  public List<List<Hit>> merge(List<Worker> workers) {
    List<List<Hit>> out = new ArrayList<>(queries.size());
    for (TopHits all : mergeTop(workers)) {
      out.add(all.rows());
    }
    return out;
  }

  /**
   * Joins the workers' lists, one per query in query order, keeping each subject's HSPs together.
   * The fragments of one sequence (all searched by this search, whichever worker took them) are
   * joined into that sequence first: their hits, of which each fragment kept those it owns, are
   * thinned as one subject's are (an HSP sharing its start or end with a better one goes), and
   * the sequence is then ranked like any other.
   */
  public List<TopHits> mergeTop(List<Worker> workers) {
    List<TopHits> out = new ArrayList<>(queries.size());
    for (int k = 0; k < queries.size(); k++) {
      TopHits all = new TopHits(params.maxTargetSeqs(), params.prelimTargetSeqs());
      java.util.Map<String, List<TopHits.Subject>> wholes = null;
      for (Worker w : workers) {
        all.addAll(w.top[k]);
        if (w.fragmentHits[k] != null) {
          wholes = wholes == null ? new java.util.TreeMap<>() : wholes;
          for (TopHits.Subject piece : w.fragmentHits[k]) {
            wholes.computeIfAbsent(piece.sseqid(), id -> new ArrayList<>()).add(piece);
          }
        }
      }
      if (wholes != null) {
        for (List<TopHits.Subject> pieces : wholes.values()) {
          all.add(join(pieces));
        }
      }
      out.add(all);
    }
    return out;
  }

  /**
   * A whole sequence from its fragments' hits: thinned as one subject's, its preliminary best the
   * best of its fragments'.
   */
  private static TopHits.Subject join(List<TopHits.Subject> pieces) {
    List<Hit> hits = new ArrayList<>();
    TopHits.Subject best = pieces.get(0);
    for (TopHits.Subject p : pieces) {
      hits.addAll(p.hits());
      best = TopHits.PRELIM.compare(p, best) < 0 ? p : best;
    }
    return TopHits.Subject.of(thin(hits), best.prelimEvalue(), best.prelimScore());
  }

  /** One subject's HSPs, best first, without those sharing a start or an end with a better one. */
  private static List<Hit> thin(List<Hit> hits) {
    List<Hit> order = new ArrayList<>(hits);
    order.sort(Hit.BEST_FIRST);
    List<Hit> kept = new ArrayList<>();
    for (Hit h : order) {
      boolean drop = false;
      for (Hit b : kept) {
        boolean sameStrand = (h.sstart() <= h.send()) == (b.sstart() <= b.send());
        if (sameStrand && ((h.qstart() == b.qstart() && h.sstart() == b.sstart())
            || (h.qend() == b.qend() && h.send() == b.send()))) {
          drop = true;
          break;
        }
      }
      if (!drop) {
        kept.add(h);
      }
    }
    return kept;
  }
}
