package org.taxoshard.jobs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.Tool;

/**
 * {@code taxoshard generate}: a synthetic database to try Taxoshard on without downloading
 * anything: {@code db.fasta} (UniProt-style headers with {@code OX=} taxids), {@code queries.fasta},
 * and a small NCBI-format {@code taxdump/} they resolve against.
 *
 * <p>The data has the two properties the design worries about: a real skew (one genus holds
 * {@code --skew} of the records) and real similarity (records descend from shared ancestral
 * sequences by substitution and small indels). A few records name a merged taxid, and a few an
 * unknown one, so that every path of the binning is exercised. Same seed, same bytes.
 */
public class GenerateCommand extends Configured implements Tool {
  /** Background amino-acid frequencies (percent, rounded), in the order of {@link #AMINO}. */
  private static final String AMINO = "ARNDCQEGHILKMFPSTWYV";
  private static final int[] AMINO_WEIGHT = {8, 5, 4, 5, 1, 4, 7, 7, 2, 6, 10, 6, 2, 4, 5, 7, 5, 1, 3, 7};
  private static final String BASES = "ACGT";

  static final int ROOT = 1;
  static final int SUPERKINGDOM = 2;
  static final int PHYLUM = 100;
  static final int CLASS = 200;
  static final int ORDER = 300;
  static final int FAMILY = 400;
  static final int GENUS_BASE = 1000;
  static final int SPECIES_BASE = 100000;
  static final int SPECIES_PER_GENUS = 3;
  /** A taxid that merged.dmp maps onto the first species of the first genus. */
  static final int MERGED_TAXID = 99999;
  /** A taxid that the taxdump does not know. */
  static final int UNKNOWN_TAXID = 9999999;

  private static CommandOptions options() {
    return new CommandOptions("generate",
        "Writes a synthetic FASTA database (db.fasta), queries (queries.fasta) and an NCBI-format"
            + " taxdump/ under --out, to try Taxoshard on.")
        .value("sequences", "N", "records in db.fasta (default 10000)")
        .value("queries", "N", "records in queries.fasta (default 50)")
        .value("genera", "N", "genera in the taxonomy (default 40)")
        .value("skew", "F", "fraction of records in the largest genus (default 0.9)")
        .value("alphabet", "A", "protein or nucleotide (default protein)")
        .value("seed", "S", "random seed (default 42)")
        .output();
  }

  @Override
  public int run(String[] args) throws Exception {
    CommandOptions opts = options();
    if (!opts.parse(args)) {
      return 0;
    }
    Path out = opts.requirePath("out");
    int sequences = opts.getInt("sequences", 10000, 1);
    int queries = opts.getInt("queries", 50, 0);
    int genera = opts.getInt("genera", 40, 1);
    double skew = opts.getDouble("skew", 0.9);
    boolean protein = switch (opts.get("alphabet", "protein")) {
      case "protein" -> true;
      case "nucleotide" -> false;
      default -> throw new UsageException("--alphabet must be protein or nucleotide");
    };
    long seed = opts.getLong("seed", 42);
    if (skew < 0 || skew > 1) {
      throw new UsageException("--skew must be within [0, 1]");
    }
    Configuration conf = getConf();
    OutputFolder.prepare(conf, out, opts.has("overwrite"));
    FileSystem fs = out.getFileSystem(conf);
    writeTaxdump(fs, new Path(out, "taxdump"), genera);
    Random random = new Random(seed);
    int families = Math.max(4, sequences / 25);
    byte[][] ancestors = new byte[families][];
    for (int f = 0; f < families; f++) {
      ancestors[f] = randomSequence(random, protein, protein ? 80 + random.nextInt(420) : 300 + random.nextInt(1200));
    }
    try (PrintStream db = open(fs, new Path(out, "db.fasta"))) {
      for (int i = 0; i < sequences; i++) {
        int genus = genera == 1 || random.nextDouble() < skew ? 0 : 1 + random.nextInt(genera - 1);
        int taxid = SPECIES_BASE + genus * SPECIES_PER_GENUS + random.nextInt(SPECIES_PER_GENUS);
        if (i % 997 == 13) {
          taxid = MERGED_TAXID;
        } else if (i % 1009 == 17) {
          taxid = UNKNOWN_TAXID;
        }
        // Families belong loosely to genera, so that related sequences share a taxon mostly.
        int family = (genus * 7 + (random.nextInt(4) == 0 ? random.nextInt(families) : random.nextInt(3))) % families;
        byte[] seq = mutate(random, ancestors[family], protein, 0.1 + 0.3 * random.nextDouble());
        String id = String.format("TS%08d", i + 1);
        db.printf(">tr|%s|%s_SYN Synthetic %s of family %d OS=%s OX=%d\n", id, id,
            protein ? "protein" : "gene", family, speciesName(taxid), taxid);
        writeResidues(db, seq, 60);
      }
    }
    try (PrintStream q = open(fs, new Path(out, "queries.fasta"))) {
      for (int i = 0; i < queries; i++) {
        int family = random.nextInt(families);
        byte[] seq = mutate(random, ancestors[family], protein, 0.2 + 0.2 * random.nextDouble());
        q.printf(">query%d synthetic query from family %d\n", i + 1, family);
        writeResidues(q, seq, 60);
      }
    }
    OutputFolder.complete(fs, out);
    System.out.printf("generate: wrote %,d %s records to %s, %d queries, a taxdump of %d genera%n",
        sequences, protein ? "protein" : "nucleotide", new Path(out, "db.fasta"), queries, genera);
    return 0;
  }


  private static PrintStream open(FileSystem fs, Path p) throws IOException {
    OutputStream o = fs.create(p, false);
    return new PrintStream(new BufferedOutputStream(o, 1 << 16), false, StandardCharsets.US_ASCII);
  }

  static String genusName(int genus) {
    return "Synthgenus" + (char) ('a' + genus % 26) + (genus / 26 == 0 ? "" : String.valueOf(genus / 26));
  }

  static String speciesName(int taxid) {
    if (taxid == MERGED_TAXID) {
      return genusName(0) + " oldname";
    }
    if (taxid == UNKNOWN_TAXID) {
      return "Unknown organism";
    }
    int genus = (taxid - SPECIES_BASE) / SPECIES_PER_GENUS;
    return genusName(genus) + " species" + ((taxid - SPECIES_BASE) % SPECIES_PER_GENUS + 1);
  }

  private static void writeTaxdump(FileSystem fs, Path dir, int genera) throws IOException {
    try (PrintStream nodes = open(fs, new Path(dir, "nodes.dmp"));
        PrintStream names = open(fs, new Path(dir, "names.dmp"));
        PrintStream merged = open(fs, new Path(dir, "merged.dmp"))) {
      node(nodes, names, ROOT, ROOT, "no rank", "root");
      node(nodes, names, SUPERKINGDOM, ROOT, "superkingdom", "Synthbacteria");
      node(nodes, names, PHYLUM, SUPERKINGDOM, "phylum", "Synthphylum");
      node(nodes, names, CLASS, PHYLUM, "class", "Synthclass");
      node(nodes, names, ORDER, CLASS, "order", "Synthorder");
      node(nodes, names, FAMILY, ORDER, "family", "Synthfamily");
      for (int g = 0; g < genera; g++) {
        node(nodes, names, GENUS_BASE + g, FAMILY, "genus", genusName(g));
        for (int s = 0; s < SPECIES_PER_GENUS; s++) {
          int taxid = SPECIES_BASE + g * SPECIES_PER_GENUS + s;
          node(nodes, names, taxid, GENUS_BASE + g, "species", speciesName(taxid));
        }
      }
      merged.printf("%d\t|\t%d\t|\n", MERGED_TAXID, SPECIES_BASE);
    }
  }

  private static void node(PrintStream nodes, PrintStream names, int taxid, int parent, String rank, String name) {
    // nodes.dmp has 13 columns; Taxoshard reads the first three, the rest keep the layout NCBI's.
    nodes.printf("%d\t|\t%d\t|\t%s\t|\t\t|\t0\t|\t1\t|\t11\t|\t1\t|\t0\t|\t1\t|\t0\t|\t0\t|\t\t|\n", taxid, parent, rank);
    names.printf("%d\t|\t%s\t|\t\t|\tscientific name\t|\n", taxid, name);
  }

  private static byte[] randomSequence(Random random, boolean protein, int length) {
    byte[] s = new byte[length];
    for (int i = 0; i < length; i++) {
      s[i] = residue(random, protein);
    }
    return s;
  }

  private static byte residue(Random random, boolean protein) {
    if (!protein) {
      return (byte) BASES.charAt(random.nextInt(4));
    }
    int r = random.nextInt(99);
    for (int i = 0; i < AMINO_WEIGHT.length; i++) {
      r -= AMINO_WEIGHT[i];
      if (r < 0) {
        return (byte) AMINO.charAt(i);
      }
    }
    return (byte) 'A';
  }

  /** Substitutes a fraction of residues and adds a few short indels. */
  private static byte[] mutate(Random random, byte[] ancestor, boolean protein, double rate) {
    StringBuilder b = new StringBuilder(ancestor.length + 16);
    for (int i = 0; i < ancestor.length; i++) {
      double r = random.nextDouble();
      if (r < rate) {
        b.append((char) residue(random, protein));
      } else if (r < rate + 0.005) {
        i += random.nextInt(3); // deletion
      } else if (r < rate + 0.01) {
        b.append((char) ancestor[i]);
        for (int k = random.nextInt(3); k >= 0; k--) {
          b.append((char) residue(random, protein));
        }
      } else {
        b.append((char) ancestor[i]);
      }
    }
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void writeResidues(PrintStream out, byte[] seq, int width) {
    for (int i = 0; i < seq.length; i += width) {
      out.write(seq, i, Math.min(width, seq.length - i));
      out.print('\n');
    }
  }
}
