package org.taxoshard.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import htsjdk.samtools.reference.IndexedFastaSequenceFile;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * plan, shard and verify on generated data with the skew the design warns of (one genus holds
 * 90% of the records): every strategy conserves every record and is deterministic; stratified
 * and taxonomic-balanced keep their promises, with numbers, and beat hashing.
 */
class ShardingTest {
  static final int SHARDS = 16;

  @TempDir
  static File tmp;

  static Pipeline p;

  @BeforeAll
  static void generate() throws Exception {
    File data = new File(tmp, "data");
    assertEquals(0, Pipeline.run(new GenerateCommand(), "--out", data.getPath(), "--sequences", "12000",
        "--genera", "40", "--skew", "0.9", "--seed", "11"));
    p = new Pipeline(tmp, new File(data, "db.fasta").getPath(), new File(data, "taxdump").getPath());
  }

  @ParameterizedTest
  @ValueSource(strings = {"round-robin", "hash", "taxonomic-balanced", "stratified", "similarity"})
  void everyRecordInExactlyOneShard(String strategy) throws Exception {
    File shards = p.shard(strategy, SHARDS);
    assertEquals(0, p.verify(shards), "verify");
    JsonNode m = Pipeline.manifest(shards);
    assertEquals(12_000, m.get("sequences").asLong());
    assertEquals(SHARDS, m.get("shards").size());
    long sum = 0;
    for (JsonNode s : m.get("shards")) {
      sum += s.get("sequences").asLong();
      assertTrue(s.get("checksum").asText().matches("[0-9a-f]{16}"));
    }
    assertEquals(12_000, sum);
  }

  @ParameterizedTest
  @ValueSource(strings = {"round-robin", "hash", "taxonomic-balanced", "stratified", "similarity"})
  void sameInputSameShardsByteForByte(String strategy) throws Exception {
    File a = p.shard(strategy, SHARDS);
    File b = p.shard(strategy, SHARDS, "again-" + strategy);
    for (int s = 0; s < SHARDS; s++) {
      String name = ShardReducer.shardName(s);
      Path fa = a.toPath().resolve(name).resolve(name + ".fasta");
      Path fb = b.toPath().resolve(name).resolve(name + ".fasta");
      assertArrayEquals(Files.readAllBytes(fa), Files.readAllBytes(fb), name);
    }
  }

  @Test
  void similarityKeepsSimilarPairsTogether() throws Exception {
    File sim = p.shard("similarity", SHARDS);
    long[][] pairs = SimilarityJob.readPairs(ScanJobTest.localConf(),
        new org.apache.hadoop.fs.Path(new File(p.plan("similarity", SHARDS), "pairs").getAbsolutePath()));
    assertTrue(pairs.length > 10, "the generated families hold similar pairs: " + pairs.length);
    double together = ShardingRealDataTest.together(pairs, ShardingRealDataTest.shardOf(sim));
    double hash = ShardingRealDataTest.together(pairs, ShardingRealDataTest.shardOf(p.shard("hash", SHARDS)));
    assertTrue(together >= 0.9, "similar pairs on one shard: " + together);
    assertTrue(hash < 0.2, "hash scatters them: " + hash);
  }

  /** A similarity plan of an older build lists its clustered records inline: shard refuses it (exit 2). */
  @Test
  void aSimilarityPlanOfAnOlderBuildIsRefused() throws Exception {
    org.apache.hadoop.conf.Configuration conf = ScanJobTest.localConf();
    org.taxoshard.avro.Plan plan = PlanFiles.read(conf, new org.apache.hadoop.fs.Path(
        p.plan("similarity", SHARDS).getAbsolutePath()));
    org.taxoshard.avro.Plan older = org.taxoshard.avro.Plan.newBuilder(plan).setClusters("").setClusteredRecords(0)
        .setClusterOrdinals(List.of(0L, 1L)).setClusterGroups(List.of(0L, 0L)).setClusterShards(List.of(3, 3)).build();
    File dir = new File(tmp, "plan-similarity-older");
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(dir.getAbsolutePath());
    org.apache.hadoop.fs.FileSystem fs = out.getFileSystem(conf);
    fs.mkdirs(out);
    PlanFiles.write(fs, out, older, List.of());
    JobSupport.markSuccess(fs, out, conf, "plan");
    org.taxoshard.formats.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(
        org.taxoshard.formats.BadInputException.class, () -> Pipeline.run(new ShardJob(), "--input", p.input,
            "--plan", dir.getPath(), "--out", new File(tmp, "shards-older").getPath()));
    assertTrue(e.getMessage().contains("older Taxoshard") && e.getMessage().contains("run taxoshard plan again"),
        e.getMessage());
  }

  /** A damaged file of clustered records is bad input naming it (exit 2), not a silent misplacement. */
  @Test
  void aDamagedClusterFileIsRefused() throws Exception {
    File dir = new File(tmp, "plan-similarity-damaged");
    org.apache.commons.io.FileUtils.copyDirectory(p.plan("similarity", SHARDS), dir);
    File part = new File(new File(dir, Clusters.FOLDER), Clusters.part(0));
    new File(part.getParentFile(), "." + part.getName() + ".crc").delete(); // as a copy without Hadoop's sidecar would be
    byte[] bytes = Files.readAllBytes(part.toPath());
    assertTrue(bytes.length >= 20, "the first split holds clustered records");
    bytes[bytes.length - 1] ^= 1; // the last record's shard
    Files.write(part.toPath(), bytes);
    org.taxoshard.formats.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(
        org.taxoshard.formats.BadInputException.class, () -> Pipeline.run(new ShardJob(), "--input", p.input,
            "--plan", dir.getPath(), "--out", new File(tmp, "shards-damaged").getPath()));
    assertTrue(e.getMessage().contains(part.getName()) && e.getMessage().contains("changed or damaged"), e.getMessage());
  }

  @Test
  void stratifiedMatchesTheDatabaseOnEveryShard() throws Exception {
    JsonNode b = Pipeline.manifest(p.shard("stratified", SHARDS)).get("balance");
    JsonNode hash = Pipeline.manifest(p.shard("hash", SHARDS)).get("balance");
    assertTrue(b.get("max_fair_share_deviation").asDouble() < 1.0 + 1e-9, b.toString());
    assertTrue(b.get("residues_max_over_mean").asDouble() <= 1.01, b.toString());
    assertTrue(b.get("max_tv_distance").asDouble() < hash.get("max_tv_distance").asDouble() / 2, b + " vs " + hash);
    assertTrue(b.get("residues_max_over_mean").asDouble() < hash.get("residues_max_over_mean").asDouble(), b + " vs " + hash);
  }

  @Test
  void taxonomicBalancedKeepsBinsTogetherAndSizesEven() throws Exception {
    File shards = p.shard("taxonomic-balanced", SHARDS);
    JsonNode b = Pipeline.manifest(shards).get("balance");
    assertTrue(b.get("residues_max_over_mean").asDouble() <= 1.02, b.toString());
    // No bin on more than one shard beyond the fewest its residues need.
    JsonNode stats = Pipeline.json(new File(p.scan(), StatsFiles.JSON));
    long total = stats.get("residues").asLong();
    double capacity = total / (double) SHARDS;
    Map<String, Integer> spans = spans(shards);
    for (var it = stats.get("bins").fields(); it.hasNext(); ) {
      var e = it.next();
      String taxid = e.getValue().get("taxid").asText();
      int fewest = (int) Math.ceil(e.getValue().get("residues").asLong() / capacity);
      assertTrue(spans.get(taxid) <= fewest + 1, e.getKey() + " on " + spans.get(taxid) + " shards, needs " + fewest);
    }
    // The hash baseline scatters every bin over every shard.
    assertTrue(spans.values().stream().mapToInt(Integer::intValue).sum()
        < spans(p.shard("hash", SHARDS)).values().stream().mapToInt(Integer::intValue).sum() / 4);
  }

  /** plan --from PLAN --shards N+1 moves at most 2/N of the residues and keeps the bounds. */
  @Test
  void growingATaxonomicBalancedPlanByOneShardMovesLittle() throws Exception {
    File from = p.plan("taxonomic-balanced", SHARDS);
    File grown = new File(tmp, "plan-grown");
    assertEquals(0, Pipeline.run(new PlanCommand(), "--stats", p.scan().getPath(), "--from", from.getPath(),
        "--strategy", "taxonomic-balanced", "--shards", String.valueOf(SHARDS + 1), "--out", grown.getPath()));
    File before = p.shard("taxonomic-balanced", SHARDS);
    File after = new File(tmp, "shards-grown");
    assertEquals(0, Pipeline.run(new ShardJob(), "--input", p.input, "--plan", grown.getPath(), "--out", after.getPath()));
    assertEquals(0, p.verify(after));
    double moved = movedFraction(before, SHARDS, after, SHARDS + 1);
    System.out.println("grown 16 -> 17: moved " + moved + " of the residues");
    assertTrue(moved <= 2.0 / SHARDS, "moved " + moved);
    assertTrue(moved >= 1.0 / (SHARDS + 1) - 0.01, "the new shard must be filled: moved " + moved);
    JsonNode b = Pipeline.manifest(after).get("balance");
    assertTrue(b.get("residues_max_over_mean").asDouble() <= 1.02, b.toString());
  }

  @Test
  void growingAStratifiedPlanByOneShardMovesLittleAndStaysFair() throws Exception {
    File from = p.plan("stratified", SHARDS);
    File grown = new File(tmp, "plan-grown-stratified");
    assertEquals(0, Pipeline.run(new PlanCommand(), "--stats", p.scan().getPath(), "--from", from.getPath(),
        "--strategy", "stratified", "--shards", String.valueOf(SHARDS + 1), "--out", grown.getPath()));
    File after = new File(tmp, "shards-grown-stratified");
    assertEquals(0, Pipeline.run(new ShardJob(), "--input", p.input, "--plan", grown.getPath(), "--out", after.getPath()));
    assertEquals(0, p.verify(after));
    double moved = movedFraction(p.shard("stratified", SHARDS), SHARDS, after, SHARDS + 1);
    System.out.println("stratified grown 16 -> 17: moved " + moved + " of the residues");
    assertTrue(moved <= 2.0 / SHARDS, "moved " + moved);
    JsonNode b = Pipeline.manifest(after).get("balance");
    assertTrue(b.get("max_fair_share_deviation").asDouble() < 1.0 + 1e-9, b.toString());
    assertTrue(b.get("residues_max_over_mean").asDouble() <= 1.01, b.toString());
    UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class, () -> Pipeline.run(
        new PlanCommand(), "--stats", p.scan().getPath(), "--from", grown.getPath(), "--strategy", "stratified",
        "--shards", String.valueOf(SHARDS + 2), "--out", new File(tmp, "again").getPath()));
    assertTrue(e.getMessage().contains("grown already"), "a second growth is refused, not done wrong: " + e.getMessage());
  }

  /**
   * A hash, round-robin or similarity plan grown from 16 shards to 20: the records that move go
   * to the new shards only, about 4/20 of them, and the shards stay about as even as a fresh
   * plan's; a similarity plan's clusters stay whole. Grown again to 23, it holds what growing 16
   * to 23 at once gives, byte for byte.
   */
  @ParameterizedTest
  @ValueSource(strings = {"hash", "round-robin", "similarity"})
  void growingAPlanMovesRecordsOnlyToTheNewShards(String strategy) throws Exception {
    int more = SHARDS + 4;
    File grown = new File(tmp, "plan-grown-" + strategy);
    assertEquals(0, Pipeline.run(new PlanCommand(), "--stats", p.scan().getPath(), "--from",
        p.plan(strategy, SHARDS).getPath(), "--strategy", strategy, "--shards", String.valueOf(more), "--out",
        grown.getPath()));
    File after = new File(tmp, "shards-grown-" + strategy);
    assertEquals(0, Pipeline.run(new ShardJob(), "--input", p.input, "--plan", grown.getPath(), "--out", after.getPath()));
    assertEquals(0, p.verify(after));
    Map<String, Integer> before = shardOfEachRecord(p.shard(strategy, SHARDS), SHARDS);
    Map<String, Integer> now = shardOfEachRecord(after, more);
    assertEquals(before.keySet(), now.keySet());
    int moved = 0;
    for (Map.Entry<String, Integer> e : now.entrySet()) {
      int was = before.get(e.getKey());
      if (e.getValue() != was) {
        assertTrue(e.getValue() >= SHARDS, e.getKey() + " moved from old shard " + was + " to old shard " + e.getValue());
        moved++;
      }
    }
    double share = moved / (double) now.size();
    JsonNode b = Pipeline.manifest(after).get("balance");
    System.out.println(strategy + " grown 16 -> 20: moved " + share + " of the records; " + b);
    assertEquals(4.0 / more, share, 0.02, "moved");
    JsonNode fresh = Pipeline.manifest(p.shard(strategy, more)).get("balance");
    assertTrue(b.get("residues_max_over_mean").asDouble() < fresh.get("residues_max_over_mean").asDouble() + 0.1,
        b + " vs a fresh plan's " + fresh);
    if (strategy.equals("similarity")) {
      long[][] pairs = SimilarityJob.readPairs(ScanJobTest.localConf(),
          new org.apache.hadoop.fs.Path(new File(grown, "pairs").getAbsolutePath()));
      assertEquals(ShardingRealDataTest.together(pairs, ShardingRealDataTest.shardOf(p.shard(strategy, SHARDS))),
          ShardingRealDataTest.together(pairs, ShardingRealDataTest.shardOf(after, more)), "clusters stay whole");
      Pipeline.assertHoldsExpected(grown, after, 0.15);
    }
    assertEquals(SHARDS, Pipeline.json(new File(grown, PlanFiles.JSON)).get("grown_from").asInt());
    int most = more + 3;
    File twice = growAndShard(strategy, grown, most, "twice");
    assertEquals(SHARDS, Pipeline.json(new File(tmp, "plan-grown-twice-" + strategy + "/" + PlanFiles.JSON))
        .get("grown_from").asInt(), "the first plan's count, after growing twice");
    File once = growAndShard(strategy, p.plan(strategy, SHARDS), most, "at-once");
    for (int s = 0; s < most; s++) {
      String name = ShardReducer.shardName(s);
      assertArrayEquals(Files.readAllBytes(once.toPath().resolve(name).resolve(name + ".fasta")),
          Files.readAllBytes(twice.toPath().resolve(name).resolve(name + ".fasta")), name);
    }
    Map<String, Integer> third = shardOfEachRecord(twice, most);
    for (Map.Entry<String, Integer> e : third.entrySet()) {
      int was = now.get(e.getKey());
      assertTrue(e.getValue() == was || e.getValue() >= more, e.getKey() + " moved from " + was + " to " + e.getValue());
    }
  }

  /** The shards of a plan grown from {@code from} to {@code shards}. */
  private File growAndShard(String strategy, File from, int shards, String name) throws Exception {
    File plan = new File(tmp, "plan-grown-" + name + "-" + strategy);
    assertEquals(0, Pipeline.run(new PlanCommand(), "--stats", p.scan().getPath(), "--from", from.getPath(),
        "--strategy", strategy, "--shards", String.valueOf(shards), "--out", plan.getPath()));
    File out = new File(tmp, "shards-grown-" + name + "-" + strategy);
    assertEquals(0, Pipeline.run(new ShardJob(), "--input", p.input, "--plan", plan.getPath(), "--out", out.getPath()));
    return out;
  }

  /**
   * Growing a similarity plan places its clusters as it did before moving some to the new
   * shards, so it uses the plan's settings: another one given is refused. A plan of an earlier
   * build, which did not record them, is checked by the placement itself.
   */
  @Test
  void growingASimilarityPlanWithOtherClusteringIsRefused() throws Exception {
    File plan = p.plan("similarity", SHARDS);
    JsonNode settings = Pipeline.json(new File(plan, PlanFiles.JSON)).get("similarity").get("settings");
    assertEquals("0.5", settings.get("taxoshard.similarity.clustering-threshold").asText(), settings.toString());
    assertEquals("5", settings.get("taxoshard.similarity.kmer").asText(), "the k chosen for proteins: " + settings);
    File out = new File(tmp, "grown-otherwise");
    UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class, () -> grow(plan, out,
        "-D", "taxoshard.similarity.clustering-threshold=0.9"));
    assertTrue(e.getMessage().contains("made with taxoshard.similarity.clustering-threshold=0.5, not 0.9"),
        e.getMessage());
    assertTrue(!out.exists(), "a refused plan leaves no output folder");

    org.apache.hadoop.conf.Configuration conf = ScanJobTest.localConf();
    File unrecorded = new File(tmp, "plan-similarity-unrecorded");
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(unrecorded.getAbsolutePath());
    org.apache.hadoop.fs.FileSystem fs = dir.getFileSystem(conf);
    fs.mkdirs(dir);
    PlanFiles.write(fs, dir, org.taxoshard.avro.Plan.newBuilder(PlanFiles.read(conf, new org.apache.hadoop.fs.Path(
        plan.getAbsolutePath()))).setSimilaritySettings(Map.of()).build(), List.of());
    JobSupport.markSuccess(fs, dir, conf, "plan");
    e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class, () -> grow(unrecorded, out,
        "-D", "taxoshard.similarity.clustering-threshold=0.9"));
    assertTrue(e.getMessage().contains("not placed as the plan placed them"), e.getMessage());
    assertTrue(!out.exists(), "a refused plan leaves no output folder");
  }

  private int grow(File from, File out, String... settings) throws Exception {
    List<String> args = new ArrayList<>(List.of(settings));
    args.addAll(List.of("--stats", p.scan().getPath(), "--from", from.getPath(), "--strategy", "similarity",
        "--shards", String.valueOf(SHARDS + 2), "--out", out.getPath()));
    return Pipeline.run(new PlanCommand(), args.toArray(new String[0]));
  }

  /** The same records in another file are another scan: their ordinals need not agree, and growth is refused. */
  @Test
  void growingOverAScanOfOtherFilesIsRefused() throws Exception {
    File copy = new File(tmp, "copy-of-db.fasta");
    Files.copy(new File(p.input).toPath(), copy.toPath());
    File scan = new File(tmp, "scan-of-copy");
    assertEquals(0, Pipeline.run(new ScanJob(), "--input", copy.getPath(), "--taxonomy", p.taxonomy, "--out",
        scan.getPath()));
    File out = new File(tmp, "grown-over-copy");
    UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class, () -> Pipeline.run(
        new PlanCommand(), "--stats", scan.getPath(), "--from", p.plan("round-robin", SHARDS).getPath(), "--strategy",
        "round-robin", "--shards", String.valueOf(SHARDS + 1), "--out", out.getPath()));
    assertTrue(e.getMessage().contains("a scan of other files") && e.getMessage().contains(copy.getName()),
        e.getMessage());
    assertTrue(!out.exists(), "a refused plan leaves no output folder");
  }

  /** Jump consistent hash: one more bucket takes keys only into itself, about 1/(b+1) of them. */
  @Test
  void jumpHashMovesKeysOnlyIntoTheNewBucket() {
    int keys = 20_000;
    for (int b = 1; b < 40; b++) {
      int moved = 0;
      for (long k = 0; k < keys; k++) {
        long key = ShardAssigner.mix(k);
        int at = ShardAssigner.jump(key, b);
        int next = ShardAssigner.jump(key, b + 1);
        assertTrue(at >= 0 && at < b && (next == at || next == b), k + ": " + at + " then " + next);
        moved += next == b ? 1 : 0;
      }
      assertEquals(1.0 / (b + 1), moved / (double) keys, 0.01, "buckets " + b + " to " + (b + 1));
    }
  }

  /** Each record's shard, by id, from the shards' .fai. */
  static Map<String, Integer> shardOfEachRecord(File shards, int n) throws Exception {
    Map<String, Integer> where = new HashMap<>();
    for (int s = 0; s < n; s++) {
      for (String l : Files.readAllLines(fai(shards, s))) {
        assertEquals(null, where.put(l.split("\t")[0], s), l);
      }
    }
    return where;
  }

  /** Fraction of residues whose record is on another shard, by record id, from the shards' .fai. */
  static double movedFraction(File a, int na, File b, int nb) throws Exception {
    Map<String, Integer> where = new HashMap<>();
    Map<String, Long> length = new HashMap<>();
    for (int s = 0; s < na; s++) {
      for (String l : Files.readAllLines(fai(a, s))) {
        String[] f = l.split("\t");
        where.put(f[0], s);
        length.put(f[0], Long.parseLong(f[1]));
      }
    }
    long moved = 0;
    long total = 0;
    for (int s = 0; s < nb; s++) {
      for (String l : Files.readAllLines(fai(b, s))) {
        String[] f = l.split("\t");
        long n = Long.parseLong(f[1]);
        total += n;
        if (where.get(f[0]) != s) {
          moved += n;
        }
      }
    }
    assertEquals(length.values().stream().mapToLong(Long::longValue).sum(), total);
    return moved / (double) total;
  }

  static Path fai(File shards, int s) {
    String name = ShardReducer.shardName(s);
    return shards.toPath().resolve(name).resolve(name + ".fasta.fai");
  }

  @Test
  void planAndShardWriteAReportAPersonCanRead() throws Exception {
    String html = Files.readString(new File(p.shard("stratified", SHARDS), Report.HTML).toPath());
    assertTrue(html.contains("<svg"), "a picture");
    assertTrue(html.contains("Synthgenusa"), "bins by name");
    assertTrue(html.contains("residues max/mean"), "the figures");
    assertTrue(new File(p.plan("stratified", SHARDS), Report.HTML).exists());
  }

  @Test
  void shardsHaveASamtoolsIndexHtsjdkReads() throws Exception {
    File shard = new File(p.shard("stratified", SHARDS), ShardReducer.shardName(3));
    Path fasta = shard.toPath().resolve(ShardReducer.shardName(3) + ".fasta");
    List<String> lines = Files.readAllLines(fasta);
    String firstId = lines.get(0).substring(1).split(" ")[0];
    StringBuilder firstSeq = new StringBuilder();
    for (int i = 1; i < lines.size() && !lines.get(i).startsWith(">"); i++) {
      firstSeq.append(lines.get(i));
    }
    try (IndexedFastaSequenceFile indexed = new IndexedFastaSequenceFile(fasta)) {
      assertEquals(firstSeq.toString(), new String(indexed.getSequence(firstId).getBases()));
      long records = lines.stream().filter(l -> l.startsWith(">")).count();
      assertEquals(records, new htsjdk.samtools.reference.FastaSequenceIndex(
          shard.toPath().resolve(ShardReducer.shardName(3) + ".fasta.fai")).size());
    }
  }

  @Test
  void verifyCatchesADroppedADuplicatedAndAChangedRecord() throws Exception {
    File good = p.shard("hash", SHARDS);
    File bad = new File(tmp, "tampered");
    copy(good.toPath(), bad.toPath());
    Path s0 = bad.toPath().resolve("shard-00000/shard-00000.fasta");
    Path s1 = bad.toPath().resolve("shard-00001/shard-00001.fasta");
    List<String> l0 = new ArrayList<>(Files.readAllLines(s0));
    List<String> l1 = new ArrayList<>(Files.readAllLines(s1));
    String dropped = l0.get(0);
    int next = 1;
    while (!l0.get(next).startsWith(">")) {
      next++;
    }
    List<String> droppedRecord = new ArrayList<>(l0.subList(0, next));
    l0.subList(0, next).clear();                  // dropped from shard 0 ...
    l1.addAll(droppedRecord);                     // ... and put in shard 1 twice: DUPLICATED
    l1.addAll(droppedRecord);
    String changedHeader = l1.get(0);
    l1.set(1, "W" + l1.get(1).substring(1));      // a changed residue in shard 1's first record
    Files.write(s0, l0);
    Files.write(s1, l1);
    Path s2 = bad.toPath().resolve("shard-00002/shard-00002.fasta");
    List<String> l2 = new ArrayList<>(Files.readAllLines(s2));
    int end2 = 1;
    while (!l2.get(end2).startsWith(">")) {
      end2++;
    }
    String missingHeader = l2.get(0);
    l2.subList(0, end2).clear();                  // dropped: MISSING
    Files.write(s2, l2);
    File report = new File(tmp, "report");
    assertEquals(1, Pipeline.run(new VerifyJob(), "--input", p.input, "--shards", bad.getPath(), "--out", report.getPath()));
    String problems = Files.readString(report.toPath().resolve("part-r-00000"));
    for (File f : report.listFiles((d, n) -> n.startsWith("part-r-") && !n.equals("part-r-00000"))) {
      problems += Files.readString(f.toPath());
    }
    assertTrue(problems.contains(id(dropped) + "\tDUPLICATED"), problems);
    assertTrue(problems.contains(id(changedHeader) + "\tCHANGED"), problems);
    assertTrue(problems.contains(id(missingHeader) + "\tMISSING"), problems);
  }

  static String id(String header) {
    return header.substring(1).split(" ")[0];
  }

  static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else if (!f.getFileName().toString().endsWith(".crc")) {
          Files.copy(f, t);
        }
      }
    }
  }

  /** Bin taxid to the number of shards holding it, from the shards' Avro-free figures. */
  static Map<String, Integer> spans(File shards) throws Exception {
    Map<String, Integer> spans = new HashMap<>();
    for (int s = 0; s < SHARDS; s++) {
      JsonNode f = Pipeline.json(new File(new File(shards, ShardReducer.shardName(s)), ShardReducer.FIGURES));
      f.get("bins").fieldNames().forEachRemaining(b -> spans.merge(b, 1, Integer::sum));
    }
    return spans;
  }
}
