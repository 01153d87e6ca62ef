package org.taxoshard.align;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A substitution score table over residue codes ({@link Residue}): {@code score(a, b)} for codes
 * a, b in [0, {@link Residue#CODES}). Stored flat, row-major, {@link Residue#CODES} wide, so the hot
 * loops index {@code scores[(a << 5) | b]} without bounds on two dimensions.
 *
 * <p>Protein matrices load from the tables Taxoshard carries (BLOSUM45/50/62/80/90, PAM30/70/250),
 * letters ARNDCQEGHILKMFPSTWYVBJZX*. U (selenocysteine) scores as C, row and column, and O
 * (pyrrolysine) and letters the tables do not name as X: so BLAST+ 2.12 scores them, measured with
 * blastp over every pair of these 27 letters in each matrix ({@code BlastAgreementTest}).
 * Nucleotide scoring is match/mismatch over A, C, G, T (U as T), with
 * ambiguity codes scored as blastn scores them ({@link #nucleotide}).
 */
public final class ScoringMatrix {
  private final String name;
  private final int[] scores;
  private final int min;
  private final int max;

  private ScoringMatrix(String name, int[] scores) {
    this.name = name;
    this.scores = scores;
    int lo = Integer.MAX_VALUE;
    int hi = Integer.MIN_VALUE;
    for (int a = 0; a < Residue.CODES; a++) {
      for (int b = 0; b < Residue.CODES; b++) {
        lo = Math.min(lo, scores[(a << 5) | b]);
        hi = Math.max(hi, scores[(a << 5) | b]);
      }
    }
    this.min = lo;
    this.max = hi;
  }

  /** The protein matrices Taxoshard knows, by BLAST's names. */
  public static final String[] PROTEIN = {"BLOSUM45", "BLOSUM50", "BLOSUM62", "BLOSUM80", "BLOSUM90", "PAM30", "PAM70", "PAM250"};

  /**
   * A protein matrix by name (case-insensitive).
   *
   * @throws IllegalArgumentException for a name not in {@link #PROTEIN}
   */
  public static ScoringMatrix protein(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    if (!Arrays.asList(PROTEIN).contains(upper)) {
      throw new IllegalArgumentException("unknown matrix " + name + "; known: " + String.join(", ", PROTEIN));
    }
    String resource = "matrices/" + upper.toLowerCase(Locale.ROOT) + ".tsv";
    try (InputStream in = ScoringMatrix.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("matrix table missing from the jar: " + resource);
      }
      return new ScoringMatrix(upper, parse(in));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  /**
   * Nucleotide scoring as blastn builds it: {@code reward} for identical bases among A, C, G, T
   * (U as T), {@code penalty} (negative) for two bases that differ or two codes sharing no base;
   * an IUPAC ambiguity code against a code it shares a base with scores the expected score against
   * the later code of the pair in the order ACGTRYMKWSBDHVN, rounded half away from zero
   * ({@code round(((d - 1) penalty + reward) / d)}, d its number of bases): N against anything
   * scores -2 at 2/-3. Letters that are no IUPAC code score as N.
   */
  public static ScoringMatrix nucleotide(int reward, int penalty) {
    if (reward <= 0 || penalty >= 0) {
      throw new IllegalArgumentException("nucleotide scoring needs reward > 0 and penalty < 0, got " + reward + "/" + penalty);
    }
    String order = "ACGTRYMKWSBDHVN";
    String[] bases = {"A", "C", "G", "T", "AG", "CT", "AC", "GT", "AT", "CG", "CGT", "AGT", "ACT", "ACG", "ACGT"};
    int[] rank = new int[Residue.CODES];
    for (int c = 0; c < Residue.CODES; c++) {
      char letter = c < 26 ? (char) ('A' + c) : 'N';
      int r = order.indexOf(letter == 'U' ? 'T' : letter);
      rank[c] = r < 0 ? order.length() - 1 : r;
    }
    int[] s = new int[Residue.CODES << 5];
    for (int a = 0; a < Residue.CODES; a++) {
      for (int b = 0; b < Residue.CODES; b++) {
        String x = bases[rank[a]];
        String y = bases[rank[b]];
        boolean share = false;
        for (char ch : x.toCharArray()) {
          share |= y.indexOf(ch) >= 0;
        }
        int score;
        if (!share) {
          score = penalty;
        } else {
          int degeneracy = bases[Math.max(rank[a], rank[b])].length();
          double expected = (double) ((degeneracy - 1) * penalty + reward) / degeneracy;
          score = (int) (expected < 0 ? -Math.floor(-expected + 0.5) : Math.floor(expected + 0.5));
        }
        s[(a << 5) | b] = score;
      }
    }
    return new ScoringMatrix("reward " + reward + " penalty " + penalty, s);
  }

  private static int[] parse(InputStream in) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
    String[] cols = null;
    int[][] byLetter = new int[128][128];
    boolean[] named = new boolean[128];
    for (String line; (line = r.readLine()) != null; ) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      if (cols == null) {
        cols = f;
        continue;
      }
      char row = f[0].charAt(0);
      named[row] = true;
      for (int i = 1; i < f.length; i++) {
        byLetter[row][cols[i].charAt(0)] = Integer.parseInt(f[i]);
      }
    }
    int[] s = new int[Residue.CODES << 5];
    for (int a = 0; a < Residue.CODES; a++) {
      char la = tableLetter(Residue.letter(a), named);
      for (int b = 0; b < Residue.CODES; b++) {
        s[(a << 5) | b] = byLetter[la][tableLetter(Residue.letter(b), named)];
      }
    }
    return s;
  }

  private static char tableLetter(char letter, boolean[] named) {
    if (letter == 'U' && !named['U'] && named['C']) {
      return 'C';
    }
    return named[letter] ? letter : 'X';
  }

  public String name() {
    return name;
  }

  /** The score of aligning code a with code b. */
  public int score(int a, int b) {
    return scores[(a << 5) | b];
  }

  /** The flat table, {@code [(a << 5) | b]}; shared, do not change it. */
  public int[] table() {
    return scores;
  }

  /** The lowest score in the table. */
  public int min() {
    return min;
  }

  /** The highest score in the table. */
  public int max() {
    return max;
  }

  /** A matrix from a flat {@code [(a << 5) | b]} table, copied (composition-adjusted scoring builds its own). */
  public static ScoringMatrix of(String name, int[] scores) {
    if (scores.length != Residue.CODES << 5) {
      throw new IllegalArgumentException("a score table has " + (Residue.CODES << 5) + " cells, got " + scores.length);
    }
    return new ScoringMatrix(name, scores.clone());
  }

  @Override
  public String toString() {
    return name;
  }
}
