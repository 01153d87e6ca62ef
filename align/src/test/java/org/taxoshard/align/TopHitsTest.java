package org.taxoshard.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A query's list keeps blastp's two-stage cap: the preliminary list by score-only rank, then the
 * reported subjects by traced rank among those, whatever order subjects arrive in and however the
 * database is cut.
 */
class TopHitsTest {
  /**
   * Subjects whose preliminary and final ranks disagree (traceback moves scores by up to 30), with
   * ties in both, so that the preliminary cap decides which ones are reported.
   */
  private static List<TopHits.Subject> subjects(Random r, int n) {
    List<TopHits.Subject> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = String.format("s%04d", r.nextInt(100_000));
      int prelim = 40 + r.nextInt(60);
      double prelimEvalue = Math.exp(-0.3 * prelim);
      List<Hit> hits = new ArrayList<>();
      for (int h = 0, count = 1 + r.nextInt(3); h < count; h++) {
        int score = Math.max(1, prelim - h * 10 + r.nextInt(31) - 10);
        hits.add(new Hit(0, "q", id, 50, 60, 10, 0, 1 + h, 60 + h, 1, 60, Math.exp(-0.3 * score), score / 2.0, score));
      }
      out.add(TopHits.Subject.of(hits, prelimEvalue, prelim));
    }
    // Ids unique, as a database's are.
    List<TopHits.Subject> unique = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (TopHits.Subject s : out) {
      if (seen.add(s.sseqid())) {
        unique.add(s);
      }
    }
    return unique;
  }

  /** What blastp reports: the best {@code prelim} by preliminary rank, then the best {@code max} of them. */
  private static List<Hit> reference(List<TopHits.Subject> all, int max, int prelim) {
    List<TopHits.Subject> order = new ArrayList<>(all);
    order.sort(Comparator.comparingDouble(TopHits.Subject::prelimEvalue)
        .thenComparing(Comparator.comparingInt(TopHits.Subject::prelimScore).reversed())
        .thenComparing(TopHits.Subject::sseqid));
    List<TopHits.Subject> kept = new ArrayList<>(order.subList(0, Math.min(prelim, order.size())));
    kept.sort((x, y) -> Hit.BEST_FIRST.compare(x.best(), y.best()));
    List<Hit> rows = new ArrayList<>();
    for (TopHits.Subject s : kept.subList(0, Math.min(max, kept.size()))) {
      rows.addAll(s.hits());
    }
    rows.sort(Hit.BEST_FIRST);
    return rows;
  }

  private static List<Hit> search(List<TopHits.Subject> subjects, int max, int prelim) {
    TopHits top = new TopHits(max, prelim);
    for (TopHits.Subject s : subjects) {
      top.add(s.hits(), s.prelimEvalue(), s.prelimScore());
    }
    return top.rows();
  }

  /** One random query's subjects and caps: up to 10 targets, a preliminary list 0-5 longer. */
  private record Case(List<TopHits.Subject> all, int max, int prelim) {
    static Case random(Random r) {
      List<TopHits.Subject> all = subjects(r, 5 + r.nextInt(80));
      int max = 1 + r.nextInt(10);
      return new Case(all, max, max + r.nextInt(6));
    }
  }

  @Test
  void reportsTheBestTracedOfThePreliminaryBestInAnyOrder() {
    Random r = new Random(11);
    int capDecided = 0;
    for (int round = 0; round < 200; round++) {
      Case c = Case.random(r);
      List<TopHits.Subject> all = new ArrayList<>(c.all());
      int max = c.max();
      int prelim = c.prelim();
      List<Hit> expected = reference(all, max, prelim);
      Collections.shuffle(all, r);
      assertEquals(expected, search(all, max, prelim), "round " + round);
      if (!expected.equals(reference(all, max, Integer.MAX_VALUE))) {
        capDecided++;
      }
    }
    assertTrue(capDecided > 20, "the preliminary cap changes the list in " + capDecided + " of 200 rounds");
  }

  /**
   * Cut into parts, each part's whole preliminary list merged: the list of the whole. A part that
   * handed on only its reported subjects would lose subjects the whole reports.
   */
  @Test
  void partsMergedGiveTheWholesList() {
    Random r = new Random(12);
    int lostWithReportedOnly = 0;
    for (int round = 0; round < 200; round++) {
      Case c = Case.random(r);
      List<TopHits.Subject> all = c.all();
      int max = c.max();
      int prelim = c.prelim();
      int parts = 1 + r.nextInt(5);
      TopHits merged = new TopHits(max, prelim);
      TopHits mergedReportedOnly = new TopHits(max, prelim);
      for (int p = 0; p < parts; p++) {
        TopHits part = new TopHits(max, prelim);
        for (int i = p; i < all.size(); i += parts) {
          TopHits.Subject s = all.get(i);
          part.add(s.hits(), s.prelimEvalue(), s.prelimScore());
        }
        merged.addAll(part);
        List<TopHits.Subject> handed = part.subjects();
        for (TopHits.Subject s : handed.subList(0, Math.min(max, handed.size()))) {
          mergedReportedOnly.add(s);
        }
      }
      List<Hit> whole = search(all, max, prelim);
      assertEquals(whole, merged.rows(), "round " + round + ", " + parts + " parts");
      if (!whole.equals(mergedReportedOnly.rows())) {
        lostWithReportedOnly++;
      }
    }
    assertTrue(lostWithReportedOnly > 0, "handing on only the reported subjects should lose some");
  }

  /** A subject the full list does not admit would not change it: its traceback may be skipped. */
  @Test
  void aSubjectNotAdmittedLeavesTheListAsItIs() {
    Random r = new Random(13);
    int refused = 0;
    for (int round = 0; round < 200; round++) {
      List<TopHits.Subject> all = subjects(r, 20 + r.nextInt(40));
      TopHits top = new TopHits(3, 5);
      for (TopHits.Subject s : all) {
        List<Hit> before = top.rows();
        int size = top.size();
        boolean admitted = top.admits(s.prelimEvalue(), s.prelimScore(), s.sseqid());
        top.add(s);
        if (!admitted) {
          refused++;
          assertEquals(before, top.rows(), "round " + round + ": " + s.sseqid());
          assertEquals(size, top.size());
        } else {
          assertNotEquals(-1, top.subjects().indexOf(s), "an admitted subject is kept");
        }
      }
    }
    assertTrue(refused > 1000, refused + " refused");
  }

  @Test
  void blastpsPreliminaryListSizes() {
    SearchParameters plain = SearchParameters.blastp().withCompositionBasedStats(false);
    SearchParameters cbs = SearchParameters.blastp().withCompositionBasedStats(true);
    assertEquals(550, plain.withMaxTargetSeqs(500).prelimTargetSeqs());
    assertEquals(10, plain.withMaxTargetSeqs(1).prelimTargetSeqs());
    assertEquals(10, plain.withMaxTargetSeqs(3).prelimTargetSeqs());
    assertEquals(20, plain.withMaxTargetSeqs(10).prelimTargetSeqs());
    assertEquals(150, plain.withMaxTargetSeqs(100).prelimTargetSeqs());
    assertEquals(1050, plain.withMaxTargetSeqs(1000).prelimTargetSeqs());
    assertEquals(1050, cbs.withMaxTargetSeqs(500).prelimTargetSeqs());
    assertEquals(1050, cbs.withMaxTargetSeqs(5).prelimTargetSeqs());
    assertEquals(2050, cbs.withMaxTargetSeqs(1000).prelimTargetSeqs());
    assertEquals(Integer.MAX_VALUE, plain.withMaxTargetSeqs(Integer.MAX_VALUE).prelimTargetSeqs());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new TopHits(5, 3));
  }
}
