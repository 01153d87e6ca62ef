package org.taxoshard.taxonomy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.taxoshard.formats.BadInputException;

/**
 * The NCBI taxonomy from a taxdump: {@code nodes.dmp} and {@code names.dmp}, with
 * {@code merged.dmp} and {@code delnodes.dmp} when present.
 *
 * <p>It is loaded into every task, so it is kept in primitive arrays indexed by taxid (parent,
 * rank code, offset of the scientific name in one UTF-8 byte blob) and a name index of 64-bit
 * hashes of case-folded names, sorted, beside their taxids. No object per node or per name.
 * Taxids are NCBI's (positive ints); 0 means "none" in every answer.
 */
public final class Taxonomy {
  /** Name classes looked up by organism name: what a header's name can mean. */
  private static final String[] INDEXED_CLASSES = {"scientific name", "synonym", "equivalent name",
      "genbank synonym", "includes", "misspelling", "misnomer", "anamorph", "genbank anamorph",
      "teleomorph", "common name", "genbank common name"};
  private static final byte[] SCIENTIFIC = "scientific name".getBytes(StandardCharsets.US_ASCII);

  private final int[] parent;
  private final byte[] rank;
  private final String[] ranks;
  private final int[] nameStart;
  private final byte[] names;
  private final long[] nameHash;
  private final int[] nameTaxid;
  private final int[] mergedFrom;
  private final int[] mergedTo;
  private final int[] deleted;
  private final int size;

  private Taxonomy(int[] parent, byte[] rank, String[] ranks, int[] nameStart, byte[] names,
      long[] nameHash, int[] nameTaxid, int[] mergedFrom, int[] mergedTo, int[] deleted, int size) {
    this.parent = parent;
    this.rank = rank;
    this.ranks = ranks;
    this.nameStart = nameStart;
    this.names = names;
    this.nameHash = nameHash;
    this.nameTaxid = nameTaxid;
    this.mergedFrom = mergedFrom;
    this.mergedTo = mergedTo;
    this.deleted = deleted;
    this.size = size;
  }

  /** Loads {@code dir/nodes.dmp}, {@code dir/names.dmp} and, if there, merged.dmp and delnodes.dmp. */
  public static Taxonomy load(Configuration conf, Path dir) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    Path nodes = new Path(dir, "nodes.dmp");
    Path names = new Path(dir, "names.dmp");
    if (!fs.exists(nodes) || !fs.exists(names)) {
      throw new BadInputException(dir.toString(), null, null,
          "not an NCBI taxdump folder: nodes.dmp and names.dmp are required");
    }
    Path merged = new Path(dir, "merged.dmp");
    Path delnodes = new Path(dir, "delnodes.dmp");
    return load(fs, nodes, names, fs.exists(merged) ? merged : null, fs.exists(delnodes) ? delnodes : null);
  }

  /**
   * The largest taxid a taxonomy holds. Nodes are kept in arrays indexed by taxid (9 bytes each), so
   * a taxid is a size: one of 2,000,000,000 in a damaged or home-made dump made the loader ask for
   * 18 GB and die of OutOfMemoryError (or NegativeArraySizeException at 2^31 - 1) instead of
   * naming the row. NCBI's taxids are below 10 million; this bound keeps the arrays under 610 MB.
   */
  public static final int MAX_TAXID = (1 << 26) - 1;

  /**
   * Loads the given dump files; merged and delnodes may be null.
   *
   * @throws BadInputException for a malformed row, a taxid above {@link #MAX_TAXID}, a parent that
   *     is not in the dump, a cycle, or a merge chain that loops; each names the file and the line
   */
  public static Taxonomy load(FileSystem fs, Path nodesPath, Path namesPath, Path mergedPath, Path delnodesPath)
      throws IOException {
    return load(fs, nodesPath, namesPath, mergedPath, delnodesPath, MAX_TAXID);
  }

  /** As above, with a smaller bound on taxids (tests). */
  static Taxonomy load(FileSystem fs, Path nodesPath, Path namesPath, Path mergedPath, Path delnodesPath,
      int maxTaxid) throws IOException {
    // nodes.dmp: taxid, parent, rank, ... Collected first, then laid out by taxid.
    IntList ids = new IntList();
    IntList parents = new IntList();
    IntList rankCodes = new IntList();
    Map<String, Integer> rankIndex = new HashMap<>();
    List<String> rankNames = new ArrayList<>();
    int max = 0;
    try (DmpReader r = new DmpReader(fs.open(nodesPath), nodesPath.toString())) {
      while (r.next()) {
        r.expectFields(3);
        int id = r.integer(0, "taxid");
        int p = r.integer(1, "parent taxid");
        if (id == 0) {
          throw r.bad("taxid 0 is not a taxid");
        }
        if (p == 0) {
          // Parent 0 reads as "no node" below: the row would vanish without a word.
          throw r.bad("parent taxid 0 is not a taxid (the root is its own parent)");
        }
        if (id > maxTaxid) {
          throw r.bad("taxid " + id + " is above " + maxTaxid + ", the largest this taxonomy holds"
              + " (it keeps arrays indexed by taxid; NCBI's taxids are below 10 million)");
        }
        String rk = r.string(2);
        Integer code = rankIndex.get(rk);
        if (code == null) {
          if (rankNames.size() == 127) {
            throw r.bad("more than 127 distinct ranks: not NCBI's nodes.dmp");
          }
          code = rankNames.size();
          rankIndex.put(rk, code);
          rankNames.add(rk);
        }
        ids.add(id);
        parents.add(p);
        rankCodes.add(code);
        max = Math.max(max, id);
      }
    }
    int[] parent = new int[max + 1];
    byte[] rank = new byte[max + 1];
    for (int i = 0; i < ids.size; i++) {
      int id = ids.data[i];
      if (parent[id] != 0) {
        throw new BadInputException(nodesPath.toString(), "line " + lineOf(fs, nodesPath, id, 2), null,
            "taxid " + id + " appears twice");
      }
      parent[id] = parents.data[i];
      rank[id] = (byte) (int) rankCodes.data[i];
    }
    int size = ids.size;
    ids = null;
    parents = null;
    rankCodes = null;
    checkTree(parent, fs, nodesPath);

    // names.dmp: taxid, name, unique name, class.
    int[] nameStart = new int[max + 2];
    Arrays.fill(nameStart, -1);
    ByteList blob = new ByteList();
    LongList hashes = new LongList();
    IntList hashTaxids = new IntList();
    byte[][] indexed = new byte[INDEXED_CLASSES.length][];
    for (int i = 0; i < indexed.length; i++) {
      indexed[i] = INDEXED_CLASSES[i].getBytes(StandardCharsets.US_ASCII);
    }
    try (DmpReader r = new DmpReader(fs.open(namesPath), namesPath.toString())) {
      while (r.next()) {
        r.expectFields(4);
        int id = r.integer(0, "taxid");
        if (id > max || parent[id] == 0) {
          continue; // a name for a node this dump does not hold (a pruned dump): nothing to bin
        }
        boolean index = false;
        for (byte[] c : indexed) {
          if (r.fieldEquals(3, c)) {
            index = true;
            break;
          }
        }
        if (r.fieldEquals(3, SCIENTIFIC) && nameStart[id] < 0) {
          for (int i = r.start(1); i < r.end(1); i++) {
            if (r.bytes()[i] == 0) {
              // Names are kept NUL-terminated: the name would come back cut at this byte.
              throw r.bad("the scientific name of taxid " + id + " holds a NUL byte");
            }
          }
          nameStart[id] = blob.size;
          blob.add(r.bytes(), r.start(1), r.end(1) - r.start(1));
          blob.add((byte) 0);
        }
        if (index) {
          hashes.add(hash(r.bytes(), r.start(1), r.end(1)));
          hashTaxids.add(id);
        }
      }
    }
    long[] nameHash = Arrays.copyOf(hashes.data, hashes.size);
    int[] nameTaxid = Arrays.copyOf(hashTaxids.data, hashTaxids.size);
    sort(nameHash, nameTaxid, 0, nameHash.length - 1);

    // merged.dmp: old taxid, new taxid.
    IntList from = new IntList();
    IntList to = new IntList();
    if (mergedPath != null) {
      try (DmpReader r = new DmpReader(fs.open(mergedPath), mergedPath.toString())) {
        while (r.next()) {
          r.expectFields(2);
          from.add(r.integer(0, "old taxid"));
          to.add(r.integer(1, "new taxid"));
        }
      }
    }
    int[] mergedFrom = Arrays.copyOf(from.data, from.size);
    int[] mergedTo = Arrays.copyOf(to.data, to.size);
    sort(mergedFrom, mergedTo);
    IntList del = new IntList();
    if (delnodesPath != null) {
      try (DmpReader r = new DmpReader(fs.open(delnodesPath), delnodesPath.toString())) {
        while (r.next()) {
          r.expectFields(1);
          del.add(r.integer(0, "deleted taxid"));
        }
      }
    }
    int[] deleted = Arrays.copyOf(del.data, del.size);
    Arrays.sort(deleted);
    Taxonomy t = new Taxonomy(parent, rank, rankNames.toArray(new String[0]), nameStart,
        Arrays.copyOf(blob.data, blob.size), nameHash, nameTaxid, mergedFrom, mergedTo, deleted, size);
    if (mergedPath != null) {
      t.checkMerges(fs, mergedPath);
    }
    return t;
  }

  /**
   * The line of the {@code occurrence}-th row (1-based) whose first field is {@code taxid}: faults
   * found after a file is read (a duplicate, a missing parent, a cycle, a merge loop) are named by
   * their line like any other, at the cost of reading the file again on the way to the error only.
   */
  private static long lineOf(FileSystem fs, Path path, int taxid, int occurrence) throws IOException {
    int seen = 0;
    try (DmpReader r = new DmpReader(fs.open(path), path.toString())) {
      while (r.next()) {
        if (r.fields() > 0 && r.isInteger(0, taxid) && ++seen == occurrence) {
          return r.lineNumber();
        }
      }
    }
    throw new IllegalStateException(path + ": no row " + occurrence + " for taxid " + taxid);
  }

  /** Every parent exists, and every path upwards reaches the root (a node that is its own parent). */
  private static void checkTree(int[] parent, FileSystem fs, Path nodesPath) throws IOException {
    String file = nodesPath.toString();
    byte[] state = new byte[parent.length]; // 0 unseen, 1 on the current path, 2 reaches the root
    int[] path = new int[64];
    for (int id = 1; id < parent.length; id++) {
      if (parent[id] == 0 || state[id] == 2) {
        continue;
      }
      int n = 0;
      int node = id;
      while (true) {
        if (state[node] == 2) {
          break;
        }
        if (state[node] == 1) {
          throw new BadInputException(file, "line " + lineOf(fs, nodesPath, node, 1), null, "the taxonomy has a cycle"
              + " through taxid " + node + ": following parents from " + id + " comes back to it");
        }
        state[node] = 1;
        if (n == path.length) {
          path = Arrays.copyOf(path, n * 2);
        }
        path[n++] = node;
        int p = parent[node];
        if (p == node) {
          break; // the root
        }
        if (p <= 0 || p >= parent.length || parent[p] == 0) {
          throw new BadInputException(file, "line " + lineOf(fs, nodesPath, node, 1), null, "taxid " + node
              + " has parent " + p + ", which is not in the taxonomy");
        }
        node = p;
      }
      for (int i = 0; i < n; i++) {
        state[path[i]] = 2;
      }
    }
  }

  private void checkMerges(FileSystem fs, Path mergedPath) throws IOException {
    for (int old : mergedFrom) {
      int node = old;
      for (int steps = 0; ; steps++) {
        int i = Arrays.binarySearch(mergedFrom, node);
        if (i < 0) {
          break;
        }
        if (steps > mergedFrom.length) {
          throw new BadInputException(mergedPath.toString(), "line " + lineOf(fs, mergedPath, old, 1), null,
              "merged taxid " + old + " is merged into itself through a loop");
        }
        node = mergedTo[i];
      }
    }
  }

  /** The number of nodes. */
  public int size() {
    return size;
  }

  /** Whether the taxid is a node of this taxonomy (merged and deleted ids are not). */
  public boolean contains(int taxid) {
    return taxid > 0 && taxid < parent.length && parent[taxid] != 0;
  }

  /**
   * The current taxid for one a header may carry: itself if it is a node, else what merged.dmp
   * made of it (chains followed); 0 when it is unknown or deleted.
   */
  public int resolve(int taxid) {
    int node = taxid;
    for (int steps = 0; steps <= mergedFrom.length; steps++) {
      if (contains(node)) {
        return node;
      }
      int i = Arrays.binarySearch(mergedFrom, node);
      if (i < 0) {
        return 0;
      }
      node = mergedTo[i];
    }
    return 0;
  }

  /** Whether delnodes.dmp lists the taxid. */
  public boolean isDeleted(int taxid) {
    return Arrays.binarySearch(deleted, taxid) >= 0;
  }

  /** The parent's taxid; the root is its own parent; 0 for a taxid not in the taxonomy. */
  public int parent(int taxid) {
    return contains(taxid) ? parent[taxid] : 0;
  }

  /** The node's rank as nodes.dmp gives it ("genus", "no rank", ...), or null if unknown. */
  public String rank(int taxid) {
    return contains(taxid) ? ranks[rank[taxid]] : null;
  }

  public boolean isKnownRank(String rankName) {
    return rankCode(rankName) >= 0;
  }

  private int rankCode(String rankName) {
    for (int i = 0; i < ranks.length; i++) {
      if (ranks[i].equals(rankName)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The taxon itself or its nearest ancestor with the given rank; 0 when none has it (or the
   * taxid is unknown). This is the bin a sequence falls in.
   */
  public int ancestorAtRank(int taxid, String rankName) {
    int code = rankCode(rankName);
    if (code < 0 || !contains(taxid)) {
      return 0;
    }
    int node = taxid;
    while (true) {
      if (rank[node] == code) {
        return node;
      }
      int p = parent[node];
      if (p == node) {
        return 0;
      }
      node = p;
    }
  }

  /** The scientific name, or null when the taxid is unknown or names.dmp gives it none. */
  public String scientificName(int taxid) {
    if (!contains(taxid) || nameStart[taxid] < 0) {
      return null;
    }
    int s = nameStart[taxid];
    int e = s;
    while (names[e] != 0) {
      e++;
    }
    return new String(names, s, e - s, StandardCharsets.UTF_8);
  }

  /** Taxa whose scientific name, synonym or other indexed name is the given one, any case. */
  public int[] taxidsByName(CharSequence name) {
    byte[] b = name.toString().trim().getBytes(StandardCharsets.UTF_8);
    return taxidsByName(b, 0, b.length);
  }

  /** As {@link #taxidsByName(CharSequence)}, for the UTF-8 bytes [start, end). */
  public int[] taxidsByName(byte[] bytes, int start, int end) {
    long h = hash(bytes, start, end);
    int i = Arrays.binarySearch(nameHash, h);
    if (i < 0) {
      return new int[0];
    }
    int lo = i;
    int hi = i;
    while (lo > 0 && nameHash[lo - 1] == h) {
      lo--;
    }
    while (hi + 1 < nameHash.length && nameHash[hi + 1] == h) {
      hi++;
    }
    return Arrays.stream(nameTaxid, lo, hi + 1).distinct().toArray();
  }

  /** 64-bit hash of ASCII-case-folded bytes: names match in any case. */
  static long hash(byte[] b, int start, int end) {
    return org.taxoshard.formats.Hashes.of(b, start, end, true);
  }

  /** Sorts parallel arrays by key, then value (introsort would be overkill: keys are hashes). */
  private static void sort(long[] k, int[] v, int lo, int hi) {
    while (lo < hi) {
      long pk = k[(lo + hi) >>> 1];
      int pv = v[(lo + hi) >>> 1];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (k[i] < pk || (k[i] == pk && v[i] < pv)) {
          i++;
        }
        while (k[j] > pk || (k[j] == pk && v[j] > pv)) {
          j--;
        }
        if (i <= j) {
          long tk = k[i];
          k[i] = k[j];
          k[j] = tk;
          int tv = v[i];
          v[i] = v[j];
          v[j] = tv;
          i++;
          j--;
        }
      }
      if (j - lo < hi - i) {
        sort(k, v, lo, j);
        lo = i;
      } else {
        sort(k, v, i, hi);
        hi = j;
      }
    }
  }

  /** Sorts parallel arrays by key. */
  static void sortPairs(long[] k, int[] v) {
    sort(k, v, 0, k.length - 1);
  }

  private static void sort(int[] k, int[] v) {
    long[] kk = new long[k.length];
    for (int i = 0; i < k.length; i++) {
      kk[i] = k[i];
    }
    sort(kk, v, 0, kk.length - 1);
    for (int i = 0; i < k.length; i++) {
      k[i] = (int) kk[i];
    }
  }

  static final class IntList {
    int[] data = new int[1024];
    int size;

    void add(int v) {
      if (size == data.length) {
        data = Arrays.copyOf(data, size * 2);
      }
      data[size++] = v;
    }
  }

  static final class LongList {
    long[] data = new long[1024];
    int size;

    void add(long v) {
      if (size == data.length) {
        data = Arrays.copyOf(data, size * 2);
      }
      data[size++] = v;
    }
  }

  static final class ByteList {
    byte[] data = new byte[1 << 16];
    int size;

    void add(byte b) {
      if (size == data.length) {
        data = Arrays.copyOf(data, size * 2);
      }
      data[size++] = b;
    }

    void add(byte[] b, int start, int length) {
      while (size + length > data.length) {
        data = Arrays.copyOf(data, data.length * 2);
      }
      System.arraycopy(b, start, data, size, length);
      size += length;
    }
  }
}
