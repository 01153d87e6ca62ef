package org.taxoshard.oozie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taxoshard.driver.Taxoshard;

/**
 * The workflow, walked as Oozie would run it (see {@link WorkflowWalker}) with the driver on the
 * local runner, gives what {@code taxoshard run} gives for the same settings: the same plan, the
 * same shards and hits.tsv byte for byte. With a ready index it goes straight to the search and
 * gives the same hits; a coordinator action on a landed batch does the same; a failing step ends
 * at the kill node with the step and its exit status in the message.
 */
class WorkflowRunTest {
  @TempDir
  static File tmp;

  static File gen;
  static File workflowWork;
  static File runWork;
  static WorkflowWalker.Walk firstWalk;

  static Configuration localConf() {
    Configuration conf = new Configuration();
    conf.set("fs.defaultFS", "file:///");
    conf.set("mapreduce.framework.name", "local");
    return conf;
  }

  static String path(String name) {
    return new File(gen, name).getAbsolutePath();
  }

  /** job.properties with the test's settings: the local file system and runner, the generated data. */
  static Map<String, String> jobProperties(String workDir, String readyIndex) throws Exception {
    Map<String, String> o = new HashMap<>();
    o.put("nameNode", "file:///");
    o.put("resourceManager", "local");
    o.put("database", path("db.fasta"));
    o.put("taxonomy", path("taxdump"));
    o.put("queries", path("queries.fasta"));
    o.put("workDir", workDir);
    o.put("readyIndex", readyIndex);
    o.put("numShards", "3");
    o.put("minTaxaPerShard", "5");
    o.put("fragmentOverlap", "50000");
    o.put("evalue", "0.001");
    o.put("maxTargetSeqs", "50");
    return OozieApp.properties(OozieApp.file("job.properties"), o);
  }

  static WorkflowWalker walker(Map<String, String> properties) throws Exception {
    return new WorkflowWalker(OozieApp.parse(OozieApp.file("workflow.xml")), properties);
  }

  @BeforeAll
  static void walkAndRun() throws Exception {
    gen = new File(tmp, "gen");
    assertEquals(0, Taxoshard.run(localConf(), new String[] {"generate", "--out", gen.getPath(), "--sequences", "1500",
        "--queries", "10", "--seed", "11"}));

    workflowWork = new File(tmp, "workflow");
    firstWalk = walker(jobProperties(workflowWork.getPath(), "")).walk();

    // The same settings as a pipeline config; the rest are the defaults job.properties also has.
    runWork = new File(tmp, "run");
    File toml = new File(tmp, "pipeline.toml");
    Files.writeString(toml.toPath(), String.join("\n",
        "[input]",
        "database = [\"" + path("db.fasta") + "\"]",
        "taxonomy = \"" + path("taxdump") + "\"",
        "queries = [\"" + path("queries.fasta") + "\"]",
        "work = \"" + runWork.getPath() + "\"",
        "[distributed]",
        "enabled = false",
        "num_shards = 3",
        "max_shard_size_gb = 20",
        "[sharding]",
        "strategy = \"taxonomic-balanced\"",
        "rank = \"genus\"",
        "min_taxa_per_shard = 5",
        "balance_threshold = 0.2",
        "overlap_size_mb = 0.05",
        "[statistics]",
        "correction_method = \"compositional\"",
        "[search]",
        "evalue = 0.001",
        "max_target_seqs = 50",
        ""));
    assertEquals(0, Taxoshard.run(localConf(), new String[] {"run", "--config", toml.getPath()}), "taxoshard run");
  }

  static byte[] hits(File work) throws Exception {
    return Files.readAllBytes(new File(work, "search/hits.tsv").toPath());
  }

  static JsonNode json(File f) throws Exception {
    return new ObjectMapper().readTree(f);
  }

  @Test
  void walksEveryStepAndGivesWhatTaxoshardRunGives() throws Exception {
    assertEquals(List.of("start", "ready-index", "scan", "plan", "shard", "index", "search", "end"), firstWalk.names());
    assertEquals(List.of("start", "decision", "action", "action", "action", "action", "action", "end"),
        firstWalk.kinds());
    for (Map.Entry<String, Integer> e : firstWalk.exits.entrySet()) {
      assertEquals(0, e.getValue(), e.getKey() + " exit status");
    }
    // Settings taxoshard run puts in the jobs' configuration arrive as generic options (-D key=value);
    // that the driver reads them shows in index.json's fragment_overlap below.
    assertTrue(firstWalk.args.get("plan").contains("taxoshard.plan.min-taxa-per-shard=5"), firstWalk.args.toString());
    assertTrue(firstWalk.args.get("index").contains("taxoshard.index.fragment-overlap=50000"), firstWalk.args.toString());
    assertEquals(List.of("--index", workflowWork.getPath() + "/index"),
        firstWalk.args.get("search").subList(3, 5), "the search reads the index just built");

    byte[] hits = hits(runWork);
    assertTrue(hits.length > 200, "the search finds hits");
    assertArrayEquals(hits, hits(workflowWork), "hits.tsv differs from taxoshard run's");

    // The same plan and the same shards, not only the same hits (which every plan gives).
    JsonNode planRun = json(new File(runWork, "plan/plan.json"));
    JsonNode planWorkflow = json(new File(workflowWork, "plan/plan.json"));
    for (String field : new String[] {"strategy", "shards", "balance", "sequences", "residues", "rank"}) {
      assertEquals(planRun.get(field), planWorkflow.get(field), "plan.json " + field);
    }
    JsonNode manifestRun = json(new File(runWork, "shards/manifest.json")).get("shards");
    JsonNode manifestWorkflow = json(new File(workflowWork, "shards/manifest.json")).get("shards");
    assertEquals(3, manifestRun.size());
    assertEquals(manifestRun.size(), manifestWorkflow.size());
    for (int s = 0; s < manifestRun.size(); s++) {
      for (String field : new String[] {"sequences", "residues", "checksum"}) {
        assertEquals(manifestRun.get(s).get(field), manifestWorkflow.get(s).get(field), "shard " + s + " " + field);
      }
    }
    JsonNode indexRun = json(new File(runWork, "index/index.json"));
    JsonNode indexWorkflow = json(new File(workflowWork, "index/index.json"));
    for (String field : new String[] {"sequences", "residues", "alphabet", "entries", "bytes", "fragment_length",
        "fragment_overlap"}) {
      assertEquals(indexRun.get(field), indexWorkflow.get(field), "index.json " + field);
    }
    assertEquals(50000, indexWorkflow.get("fragment_overlap").asLong(), "fragmentOverlap reached the index step");
    for (int s = 0; s < 3; s++) {
      for (String field : new String[] {"sequences", "bytes", "checksum"}) {
        assertEquals(indexRun.get("shards").get(s).get(field), indexWorkflow.get("shards").get(s).get(field),
            "index of shard " + s + " " + field);
      }
    }
    for (String step : new String[] {"scan", "shards", "index", "search"}) {
      assertTrue(new File(workflowWork, step + "/_SUCCESS").exists(), step + " finished");
    }
  }

  /**
   * {@code accession2taxid} reaches the scan: the database with its {@code OX=} taxids moved out of
   * the headers into a table bins, plans and shards as the first walk did.
   */
  @Test
  void anAccessionTableReachesTheScan() throws Exception {
    File bare = new File(tmp, "bare.fasta");
    File table = new File(tmp, "prot.accession2taxid");
    StringBuilder db = new StringBuilder();
    StringBuilder rows = new StringBuilder("accession\taccession.version\ttaxid\tgi\n");
    java.util.regex.Pattern ox = java.util.regex.Pattern.compile("^>tr\\|([^|]+)\\|(.*) OX=(\\d+)$");
    for (String line : Files.readAllLines(new File(gen, "db.fasta").toPath())) {
      java.util.regex.Matcher m = ox.matcher(line);
      if (m.matches()) {
        db.append(">tr|").append(m.group(1)).append('|').append(m.group(2)).append('\n');
        rows.append(m.group(1)).append('\t').append(m.group(1)).append(".1\t").append(m.group(3)).append("\tna\n");
      } else {
        db.append(line).append('\n');
      }
    }
    Files.writeString(bare.toPath(), db);
    Files.writeString(table.toPath(), rows);
    File work = new File(tmp, "workflow-a2t");
    Map<String, String> p = jobProperties(work.getPath(), "");
    p.put("database", bare.getAbsolutePath());
    p.put("accession2taxid", table.getAbsolutePath());
    p.put("queries", path("queries.fasta"));
    WorkflowWalker.Walk walk = walker(p).walk();
    assertEquals(List.of("start", "ready-index", "scan", "plan", "shard", "index", "search", "end"), walk.names());
    assertTrue(walk.args.get("scan").contains("taxoshard.taxonomy.accession2taxid=" + table.getAbsolutePath()),
        walk.args.toString());
    assertEquals(json(new File(workflowWork, "scan/stats.json")).get("bins"), json(new File(work, "scan/stats.json"))
        .get("bins"));
    JsonNode want = json(new File(workflowWork, "shards/manifest.json")).get("shards");
    JsonNode got = json(new File(work, "shards/manifest.json")).get("shards");
    for (int s = 0; s < want.size(); s++) {
      assertEquals(want.get(s).get("sequences"), got.get(s).get("sequences"), "shard " + s);
      assertEquals(want.get(s).get("residues"), got.get(s).get("residues"), "shard " + s);
    }
  }

  @Test
  void aReadyIndexGoesStraightToTheSearch() throws Exception {
    String index = new File(workflowWork, "index").getPath();
    File work = new File(tmp, "ready");
    WorkflowWalker.Walk walk = walker(jobProperties(work.getPath(), index)).walk();
    assertEquals(List.of("start", "ready-index", "search", "end"), walk.names());
    assertEquals(0, walk.exits.get("search"));
    assertEquals(List.of("--index", index), walk.args.get("search").subList(3, 5));
    assertArrayEquals(hits(runWork), hits(work), "hits.tsv over the ready index");
    assertFalse(new File(work, "scan").exists(), "nothing was built");
  }

  /** The decision alone: no index, or one that is not there, means building; an index that is there, searching it. */
  @Test
  void theDecisionLooksForIndexJson() throws Exception {
    String work = new File(tmp, "decisions").getPath();
    assertEquals("scan", walker(jobProperties(work, "")).decide("ready-index"));
    assertEquals("scan", walker(jobProperties(work, new File(tmp, "no-such-index").getPath())).decide("ready-index"));
    assertEquals("scan", walker(jobProperties(work, gen.getPath())).decide("ready-index"), "a folder without index.json");
    assertEquals("search", walker(jobProperties(work, new File(workflowWork, "index").getPath())).decide("ready-index"));
  }

  @Test
  void aMissingRequiredParameterIsRefused() throws Exception {
    Map<String, String> p = jobProperties(new File(tmp, "refused").getPath(), "");
    p.remove("database");
    String m = assertThrows(IllegalArgumentException.class, () -> walker(p)).getMessage();
    assertTrue(m.contains("database"), m);
  }

  /** A step that exits non-zero (bad input: exit 2) ends the workflow at the kill node, which says which and why. */
  @Test
  void aFailingStepEndsAtTheKillNode() throws Exception {
    Map<String, String> p = jobProperties(new File(tmp, "failing").getPath(), "");
    p.put("database", new File(tmp, "no-such-db.fasta").getPath());
    WorkflowWalker.Walk walk = walker(p).walk();
    assertEquals(List.of("start", "ready-index", "scan", "fail"), walk.names());
    assertEquals("kill", walk.last().kind());
    assertEquals(2, walk.exits.get("scan"), "bad input");
    assertNotNull(walk.killMessage);
    assertEquals("Taxoshard step [scan] failed: Main Class [org.taxoshard.driver.Taxoshard], exit code [2]",
        walk.killMessage);
  }

  /**
   * coordinator.xml's action for one slot: it waits while the batch has no done flag; once the
   * flag is there it runs the workflow with queries = the batch folder, the ready index and a work
   * folder of its own, which goes straight to the search and gives the same hits.
   */
  @Test
  void theCoordinatorSearchesALandedBatch() throws Exception {
    File landing = new File(tmp, "incoming");
    Map<String, String> o = new HashMap<>();
    o.put("nameNode", "file:///");
    o.put("resourceManager", "local");
    o.put("appPath", OozieApp.dir().toString());
    o.put("queryLanding", landing.getPath());
    o.put("searchRoot", new File(tmp, "batches").getPath());
    o.put("readyIndex", new File(workflowWork, "index").getPath());
    o.put("database", path("db.fasta"));
    o.put("taxonomy", path("taxdump"));
    o.put("start", "2026-12-01T00:00Z");
    o.put("evalue", "0.001");
    o.put("maxTargetSeqs", "50");
    Map<String, String> coordinatorProperties = OozieApp.properties(OozieApp.file("coordinator.properties"), o);
    CoordinatorAction action = new CoordinatorAction(OozieApp.parse(OozieApp.file("coordinator.xml")),
        coordinatorProperties, Instant.parse("2026-12-01T03:00:00Z"));
    assertEquals(new File(landing, "202612010300").getPath(), action.instanceUri);
    assertEquals(OozieApp.dir().toString(), action.workflowAppPath());

    File batch = new File(action.instanceUri);
    assertTrue(batch.mkdirs());
    Files.copy(new File(gen, "queries.fasta").toPath(), new File(batch, "batch.fasta").toPath(),
        StandardCopyOption.REPLACE_EXISTING);
    assertFalse(action.ready(localConf()), "no done flag yet: the action waits");
    assertTrue(new File(batch, action.doneFlag).createNewFile());
    assertTrue(action.ready(localConf()));

    Map<String, String> workflowProperties = action.workflowProperties();
    assertEquals(batch.getPath(), workflowProperties.get("queries"));
    File work = new File(tmp, "batches/202612010300");
    assertEquals(work.getPath(), workflowProperties.get("workDir"));
    WorkflowWalker.Walk walk = walker(workflowProperties).walk();
    assertEquals(List.of("start", "ready-index", "search", "end"), walk.names());
    assertArrayEquals(hits(runWork), hits(work), "the batch's hits.tsv");
  }
}
