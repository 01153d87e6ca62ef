package org.taxoshard.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The kernel's promise: searching pieces of a database with the whole database's size and merging
 * the lists gives exactly one search over the whole, however it is cut, on however many threads.
 */
class ShardedSearchTest {
  private record Db(List<String> ids, List<byte[]> seqs, List<Query> queries) {
    DatabaseSize size() {
      long r = 0;
      for (byte[] s : seqs) {
        r += s.length;
      }
      return new DatabaseSize(r, seqs.size());
    }
  }

  /** Random proteins, some of them mutated copies of the queries (homologs at varied distance). */
  private static Db proteins(long seed) {
    Random random = new Random(seed);
    List<Query> queries = new ArrayList<>();
    for (int k = 0; k < 12; k++) {
      queries.add(new Query(k, "q" + k, GappedAlignerContract.randomProtein(random, 60 + random.nextInt(300))));
    }
    List<String> ids = new ArrayList<>();
    List<byte[]> seqs = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      byte[] s;
      if (i % 5 == 0) {
        s = GappedAlignerContract.mutate(random, queries.get(random.nextInt(queries.size())).codes());
        if (random.nextBoolean()) {
          s = GappedAlignerContract.mutate(random, s);
        }
      } else {
        s = GappedAlignerContract.randomProtein(random, 50 + random.nextInt(400));
      }
      ids.add(String.format("s%04d", i));
      seqs.add(s);
    }
    return new Db(ids, seqs, queries);
  }

  private static List<String> search(SearchParameters p, Db db, DatabaseSize size, int[] cuts, int threads)
      throws Exception {
    Search search = new Search(p, size, db.queries());
    List<Worker> workers = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      // Each piece is a shard: its own workers, the whole database's size.
      int lo = from;
      int hi = cut;
      int[] next = {lo};
      workers.addAll(DatabaseSearch.run(search, (b, residues) -> {
        while (next[0] < hi && b.residues() < residues) {
          byte[] letters = letters(db.seqs().get(next[0]));
          b.add(db.ids().get(next[0]), letters, 0, letters.length);
          next[0]++;
        }
        return next[0] < hi;
      }, threads, 2000));
      from = cut;
    }
    List<String> rows = new ArrayList<>();
    for (List<Hit> q : search.merge(workers)) {
      for (Hit h : q) {
        rows.add(h.tabular());
      }
    }
    return rows;
  }

  static byte[] letters(byte[] codes) {
    byte[] b = new byte[codes.length];
    for (int i = 0; i < codes.length; i++) {
      b[i] = (byte) Residue.letter(codes[i]);
    }
    return b;
  }

  @Test
  void piecesMergedEqualTheWhole() throws Exception {
    Db db = proteins(3);
    DatabaseSize size = db.size();
    List<SearchParameters> settings = new ArrayList<>(List.of(SearchParameters.blastp().withCompositionBasedStats(false),
        SearchParameters.blastp().withCompositionBasedStats(false).withMaxTargetSeqs(3),
        SearchParameters.blastp().withMaxTargetSeqs(5)));
    settings.addAll(otherSensitivities());
    for (SearchParameters p : settings) {
      List<String> whole = search(p, db, size, new int[] {600}, 1);
      assertFalse(whole.isEmpty());
      assertEquals(whole, search(p, db, size, new int[] {150, 300, 450, 600}, 1), p.toString());
      assertEquals(whole, search(p, db, size, new int[] {7, 599, 600}, 2), p.toString());
    }
  }

  /**
   * Query blocks searched in one pass ({@link DatabaseSearch#run(List, DatabaseSearch.SubjectSource,
   * int, long)}, each thread's workers sharing one diagonal array, subject buffer and aligner) give
   * the rows of one search over all the queries, whatever the block size: one query a block, a few,
   * or all. Blocks of 1 residue put each query alone, and 200 residues mix blocks of one and two
   * queries, so a block's diagonal entries lie where another block's were on the same thread.
   */
  @Test
  void queryBlocksInOnePassEqualOneSearch() throws Exception {
    Db db = proteins(3);
    List<SearchParameters> settings = new ArrayList<>(List.of(SearchParameters.blastp().withCompositionBasedStats(false),
        SearchParameters.blastp().withMaxTargetSeqs(5)));
    settings.addAll(otherSensitivities());
    for (SearchParameters p : settings) {
      List<String> whole = search(p, db, db.size(), new int[] {600}, 1);
      assertFalse(whole.isEmpty());
      for (long block : new long[] {1, 200, 1_000, 1_000_000}) {
        assertEquals(whole, searchBlocks(p, db, block, 2), p + ", blocks of " + block);
      }
    }
    Db nt = nucleotides(9);
    SearchParameters blastn = SearchParameters.blastn().withEvalue(1e-5);
    List<String> whole = search(blastn, nt, nt.size(), new int[] {200}, 1);
    assertFalse(whole.isEmpty());
    assertEquals(whole, searchBlocks(blastn, nt, 1, 2));
    assertEquals(whole, searchBlocks(blastn, nt, 1_500, 2));
  }

  private static List<String> searchBlocks(SearchParameters p, Db db, long blockResidues, int threads)
      throws Exception {
    List<Search> blocks = new ArrayList<>();
    for (List<Query> block : DatabaseSearch.split(db.queries(), blockResidues)) {
      blocks.add(new Search(p, db.size(), block));
    }
    int[] next = {0};
    List<List<Worker>> workers = DatabaseSearch.run(blocks, (b, residues) -> {
      while (next[0] < db.seqs().size() && b.residues() < residues) {
        byte[] letters = letters(db.seqs().get(next[0]));
        b.add(db.ids().get(next[0]), letters, 0, letters.length);
        next[0]++;
      }
      return next[0] < db.seqs().size();
    }, threads, 2000);
    List<String> rows = new ArrayList<>();
    for (int k = 0; k < blocks.size(); k++) {
      for (List<Hit> q : blocks.get(k).merge(workers.get(k))) {
        for (Hit h : q) {
          rows.add(h.tabular());
        }
      }
    }
    return rows;
  }

  /**
   * Query b's only likeness to the subject is two words 11 apart on one diagonal (WCW, then CWC),
   * and query a ends in a word (HHH) the subject holds 4 residues before b's first: with a single
   * sentinel between the queries, a's hit would lie on b's diagonal within the two-hit window,
   * make b's first word a failed second hit and so leave b's second word a first hit, and b would
   * find nothing.
   */
  @Test
  void aQueryFindsTheSameWhicheverQueriesItIsSearchedWith() throws Exception {
    Query a = new Query(0, "a", Residue.encode("MDEKPHHH"));
    Query b = new Query(1, "b", Residue.encode("WCWAAAAAAAACWCAAAA"));
    String subject = "MSTHHHPWCWGGGGGGGGCWCGGGGST";
    SearchParameters p = SearchParameters.blastp().withCompositionBasedStats(false);
    DatabaseSize size = new DatabaseSize(1000, 10);
    List<String> together = rows(p, size, List.of(a, b), subject);
    List<String> alone = rows(p, size, List.of(b), subject);
    assertEquals(1, alone.size(), "b alone: " + alone);
    assertEquals(alone, together.stream().filter(r -> r.startsWith("b\t")).toList());

    // And in bulk: the random proteins' twelve queries at once, then each alone.
    Db db = proteins(3);
    for (SearchParameters q : List.of(p, SearchParameters.blastp().withSensitivity(SearchParameters.Sensitivity.FAST)
        .withCompositionBasedStats(false))) {
      List<String> all = search(q, db, db.size(), new int[] {600}, 1);
      List<String> oneByOne = new ArrayList<>();
      for (Query one : db.queries()) {
        oneByOne.addAll(search(q, new Db(db.ids(), db.seqs(), List.of(one)), db.size(), new int[] {600}, 1));
      }
      assertFalse(all.isEmpty());
      assertEquals(all, oneByOne, q.toString());
    }
  }

  private static List<String> rows(SearchParameters p, DatabaseSize size, List<Query> queries, String subject) {
    Search search = new Search(p, size, queries);
    Worker w = search.newWorker();
    byte[] codes = Residue.encode(subject);
    w.search("s", codes, 0, codes.length);
    List<String> out = new ArrayList<>();
    for (List<Hit> hits : search.merge(List.of(w))) {
      for (Hit h : hits) {
        out.add(h.tabular());
      }
    }
    return out;
  }

  /** Every sensitivity but BLAST's own, with and without composition-based statistics, capped lists too. */
  static List<SearchParameters> otherSensitivities() {
    List<SearchParameters> out = new ArrayList<>();
    for (SearchParameters.Sensitivity s : SearchParameters.Sensitivity.values()) {
      if (s != SearchParameters.Sensitivity.BLAST) {
        SearchParameters p = SearchParameters.blastp().withSensitivity(s);
        out.add(p.withCompositionBasedStats(false));
        out.add(p.withCompositionBasedStats(false).withMaxTargetSeqs(3));
        out.add(p.withMaxTargetSeqs(5));
      }
    }
    return out;
  }

  /** Random DNA; every 4th sequence holds a mutated piece of a query, every other one of those reverse-complemented. */
  private static Db nucleotides(long seed) {
    Random random = new Random(seed);
    String acgt = "ACGT";
    List<Query> queries = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      byte[] q = new byte[300 + random.nextInt(700)];
      for (int i = 0; i < q.length; i++) {
        q[i] = (byte) Residue.code((byte) acgt.charAt(random.nextInt(4)));
      }
      queries.add(new Query(k, "n" + k, q));
    }
    List<String> ids = new ArrayList<>();
    List<byte[]> seqs = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] s = new byte[200 + random.nextInt(1500)];
      for (int j = 0; j < s.length; j++) {
        s[j] = (byte) Residue.code((byte) acgt.charAt(random.nextInt(4)));
      }
      if (i % 4 == 0) {
        byte[] q = queries.get(random.nextInt(queries.size())).codes();
        int at = random.nextInt(Math.max(1, s.length - 150));
        for (int j = 0; j < Math.min(q.length, s.length - at); j++) {
          byte c = random.nextInt(10) == 0 ? (byte) Residue.code((byte) acgt.charAt(random.nextInt(4))) : q[j];
          if (i % 8 == 0) {
            s[s.length - 1 - (at + j)] = (byte) NucleotideLookup.complement(c);
          } else {
            s[at + j] = c;
          }
        }
      }
      ids.add(String.format("d%04d", i));
      seqs.add(s);
    }
    return new Db(ids, seqs, queries);
  }

  @Test
  void nucleotidePiecesMergedEqualTheWholeOnBothStrands() throws Exception {
    Db db = nucleotides(9);
    DatabaseSize size = db.size();
    SearchParameters p = SearchParameters.blastn().withEvalue(1e-5);
    List<String> whole = search(p, db, size, new int[] {200}, 1);
    assertEquals(whole, search(p, db, size, new int[] {50, 100, 150, 200}, 2));
    long minus = whole.stream().filter(r -> {
      String[] c = r.split("\t");
      return Integer.parseInt(c[8]) > Integer.parseInt(c[9]);
    }).count();
    long plus = whole.stream().filter(r -> {
      String[] c = r.split("\t");
      return Integer.parseInt(c[8]) < Integer.parseInt(c[9]) && Integer.parseInt(c[6]) < Integer.parseInt(c[7]);
    }).count();
    assertTrue(minus >= 10 && plus >= 10, "plus-strand rows " + plus + ", minus-strand rows " + minus);
  }

  @Test
  void plantedHomologsAreFoundAndRowsAreInOrder() throws Exception {
    Db db = proteins(5);
    SearchParameters p = SearchParameters.blastp().withCompositionBasedStats(false).withEvalue(1e-3);
    Search search = new Search(p, db.size(), db.queries());
    int[] next = {0};
    List<Worker> workers = DatabaseSearch.run(search, (b, residues) -> {
      while (next[0] < db.seqs().size() && b.residues() < residues) {
        byte[] letters = letters(db.seqs().get(next[0]));
        b.add(db.ids().get(next[0]), letters, 0, letters.length);
        next[0]++;
      }
      return next[0] < db.seqs().size();
    }, 2, 5000);
    List<List<Hit>> lists = search.merge(workers);
    int found = 0;
    for (List<Hit> rows : lists) {
      for (int i = 1; i < rows.size(); i++) {
        assertTrue(Hit.BEST_FIRST.compare(rows.get(i - 1), rows.get(i)) <= 0);
      }
      for (Hit h : rows) {
        assertTrue(h.evalue() <= 1e-3);
        // Homologs are every 5th sequence; random ones should not pass E <= 1e-3.
        int i = Integer.parseInt(h.sseqid().substring(1));
        assertEquals(0, i % 5, h.tabular());
        found++;
      }
    }
    assertTrue(found >= 100, "planted homologs found: " + found);
  }

  /** Joins a database's sequences, {@code per} at a time, into long records (chromosomes, say). */
  private static Db joined(Db db, int per) {
    List<String> ids = new ArrayList<>();
    List<byte[]> seqs = new ArrayList<>();
    for (int i = 0; i < db.seqs().size(); i += per) {
      java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
      for (int j = i; j < Math.min(i + per, db.seqs().size()); j++) {
        b.writeBytes(db.seqs().get(j));
      }
      ids.add("chr" + (i / per));
      seqs.add(b.toByteArray());
    }
    return new Db(ids, seqs, db.queries());
  }

  /** Searches every record cut into fragments of {@code length} overlapping by {@code overlap}, two per batch. */
  private static List<String> searchFragments(SearchParameters p, Db db, int length, int overlap, int threads)
      throws Exception {
    Search search = new Search(p, db.size(), db.queries());
    List<int[]> pieces = new ArrayList<>(); // record, start, end, owned end
    for (int r = 0; r < db.seqs().size(); r++) {
      int n = db.seqs().get(r).length;
      for (int start = 0; ; start += length - overlap) {
        int end = Math.min(n, start + length);
        boolean last = end == n;
        pieces.add(new int[] {r, start, end, last ? n : start + length - overlap});
        if (last) {
          break;
        }
      }
    }
    int[] next = {0};
    List<Worker> workers = DatabaseSearch.run(search, (b, residues) -> {
      for (int k = 0; k < 2 && next[0] < pieces.size(); k++, next[0]++) {
        int[] piece = pieces.get(next[0]);
        byte[] whole = db.seqs().get(piece[0]);
        b.addFragment(db.ids().get(piece[0]), whole, piece[1], piece[2], piece[1], whole.length, piece[3]);
      }
      return next[0] < pieces.size();
    }, threads, 1);
    List<String> rows = new ArrayList<>();
    for (List<Hit> q : search.merge(workers)) {
      for (Hit h : q) {
        rows.add(h.tabular());
      }
    }
    return rows;
  }

  /**
   * Long records cut into overlapping fragments, searched fragment by fragment on two threads,
   * give the rows of the uncut records: coordinates in the record, E-values for its length, each
   * hit once, whatever fragment or thread found it. The overlap exceeds every alignment's span.
   */
  @Test
  void fragmentsOfLongRecordsEqualTheWholeRecords() throws Exception {
    Db nt = joined(nucleotides(9), 20);
    SearchParameters blastn = SearchParameters.blastn().withEvalue(1e-5);
    List<String> whole = search(blastn, nt, nt.size(), new int[] {nt.seqs().size()}, 1);
    assertTrue(whole.size() > 20, "rows " + whole.size());
    assertEquals(whole, searchFragments(blastn, nt, 4000, 2500, 2));
    SearchParameters capped = blastn.withMaxTargetSeqs(2);
    assertEquals(search(capped, nt, nt.size(), new int[] {nt.seqs().size()}, 1), searchFragments(capped, nt, 4000, 2500, 2),
        "capped lists rank whole records, not fragments");

    Db aa = joined(proteins(3), 30);
    SearchParameters blastp = SearchParameters.blastp().withCompositionBasedStats(false);
    List<String> wholeProteins = search(blastp, aa, aa.size(), new int[] {aa.seqs().size()}, 1);
    assertTrue(wholeProteins.size() > 20, "rows " + wholeProteins.size());
    assertEquals(wholeProteins, searchFragments(blastp, aa, 2500, 1000, 2));
    for (SearchParameters other : otherSensitivities()) {
      if (other.compositionBasedStats()) {
        continue; // a fragment's composition is its own (see SubjectBatch); only plain statistics join exactly
      }
      assertEquals(search(other, aa, aa.size(), new int[] {aa.seqs().size()}, 1), searchFragments(other, aa, 2500, 1000, 2),
          other.toString());
    }
  }
  /**
   * Protein records of over 32,768 residues (titin's size) give the rows of their fragments, and a
   * worker that meets them among short records gives the rows of a fresh worker for each record:
   * nothing a subject leaves in the word scan's diagonals changes the next one's hits.
   */
  @Test
  void longProteinsGiveTheRowsOfTheirFragments() throws Exception {
    Db aa = joined(proteins(3), 150);
    for (byte[] record : aa.seqs()) {
      assertTrue(record.length > 1 << 15, "record of " + record.length);
    }
    List<SearchParameters> settings = new ArrayList<>(List.of(SearchParameters.blastp().withCompositionBasedStats(false)));
    for (SearchParameters other : otherSensitivities()) {
      if (!other.compositionBasedStats()) {
        settings.add(other);
      }
    }
    Db shortOnes = proteins(3);
    List<String> ids = new ArrayList<>();
    List<byte[]> seqs = new ArrayList<>();
    for (int i = 0; i < shortOnes.seqs().size(); i++) {
      ids.add(shortOnes.ids().get(i));
      seqs.add(shortOnes.seqs().get(i));
      if (i % 150 == 75) {
        ids.add(aa.ids().get(i / 150));
        seqs.add(aa.seqs().get(i / 150));
      }
    }
    Db mixed = new Db(ids, seqs, aa.queries());
    int[] everyRecord = new int[seqs.size()];
    for (int i = 0; i < everyRecord.length; i++) {
      everyRecord[i] = i + 1;
    }
    for (SearchParameters p : settings) {
      List<String> whole = search(p, aa, aa.size(), new int[] {aa.seqs().size()}, 1);
      assertTrue(whole.size() > 20, "rows " + whole.size());
      assertEquals(whole, searchFragments(p, aa, 2500, 1000, 2), p.toString());
      assertEquals(search(p, mixed, mixed.size(), everyRecord, 1), search(p, mixed, mixed.size(), new int[] {seqs.size()}, 1),
          p.toString());
    }
  }
}
