package org.taxoshard.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.taxoshard.align.DatabaseSize;
import org.taxoshard.align.GappedAlignment;
import org.taxoshard.align.Query;
import org.taxoshard.align.Residue;
import org.taxoshard.align.ScoringMatrix;
import org.taxoshard.align.Search;
import org.taxoshard.align.SearchParameters;
import org.taxoshard.align.SubjectBatch;
import org.taxoshard.align.Worker;
import org.taxoshard.align.XDropAligner;

/**
 * JMH benchmarks of the kernel's inner loops, on generated proteins with BLOSUM62 background
 * frequencies (no real data needed):
 * <ul>
 *   <li>{@code gappedScoreOnly} / {@code gappedTraceback}: one X-drop gapped extension of a 400
 *       residue protein against a 30%-mutated copy (xdrop 38 and 64, BLAST's preliminary and final);</li>
 *   <li>{@code scan}: seeding, two-hit ungapped extension and the gapped stage of 50 queries
 *       against 2 Mresidues of subjects (1 in 20 a homolog), one thread.</li>
 * </ul>
 * Run: {@code java -cp bench/target/classes:$(cat bench/target/classpath.txt) org.openjdk.jmh.Main KernelBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KernelBench {
  private static final String ORDER = "ARNDCQEGHILKMFPSTWYV";
  // Robinson & Robinson background frequencies x 1000, in ORDER.
  private static final int[] WEIGHTS = {78, 51, 45, 54, 19, 43, 63, 74, 22, 51, 90, 57, 22, 39, 52, 71, 58, 13, 32, 64};

  private byte[] query;
  private byte[] homolog;
  private int[] blosum62;
  private final XDropAligner aligner = new XDropAligner();
  private Search search;
  private SubjectBatch subjects;

  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(42);
    query = protein(random, 400);
    homolog = mutate(random, query);
    blosum62 = ScoringMatrix.protein("BLOSUM62").table();
    List<Query> queries = new ArrayList<>();
    List<byte[]> qs = new ArrayList<>();
    for (int k = 0; k < 50; k++) {
      byte[] q = protein(random, 100 + random.nextInt(500));
      qs.add(q);
      queries.add(new Query(k, "q" + k, q));
    }
    subjects = new SubjectBatch(2_100_000);
    int i = 0;
    while (subjects.residues() < 2_000_000) {
      byte[] s = i % 20 == 0 ? mutate(random, qs.get(random.nextInt(qs.size()))) : protein(random, 50 + random.nextInt(600));
      byte[] letters = new byte[s.length];
      for (int k = 0; k < s.length; k++) {
        letters[k] = (byte) Residue.letter(s[k]);
      }
      subjects.add("s" + i++, letters, 0, letters.length);
    }
    search = new Search(SearchParameters.blastp().withCompositionBasedStats(false),
        new DatabaseSize(178_226_192, 486_000), queries);
  }

  @Benchmark
  public int gappedScoreOnly() {
    return aligner.align(query, 0, query.length, homolog, 0, homolog.length, 200, 200, blosum62, 11, 1, 38, false).score;
  }

  @Benchmark
  public GappedAlignment gappedTraceback() {
    return aligner.align(query, 0, query.length, homolog, 0, homolog.length, 200, 200, blosum62, 11, 1, 64, true);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long scan() {
    Worker w = search.newWorker();
    w.search(subjects);
    return w.counters()[2];
  }

  private static byte[] protein(Random random, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      int r = random.nextInt(1000);
      int k = 0;
      while (k < 19 && r >= WEIGHTS[k]) {
        r -= WEIGHTS[k];
        k++;
      }
      b[i] = (byte) Residue.code((byte) ORDER.charAt(k));
    }
    return b;
  }

  private static byte[] mutate(Random random, byte[] q) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte c : q) {
      double r = random.nextDouble();
      if (r < 0.02) {
        continue;
      }
      if (r < 0.04) {
        out.write(protein(random, 1)[0]);
      }
      out.write(random.nextDouble() < 0.3 ? protein(random, 1)[0] : c);
    }
    return out.toByteArray();
  }
}
