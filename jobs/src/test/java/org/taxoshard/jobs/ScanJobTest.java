package org.taxoshard.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.taxoshard.avro.Alphabet;
import org.taxoshard.avro.Bin;
import org.taxoshard.avro.DatabaseStats;
import org.taxoshard.avro.LengthBucket;

/**
 * The scan through ToolRunner on the embedded local runner, on a fixture whose every figure was
 * counted by hand: 7 records, 30 residues; Fictoriella (P1 strain 90009, P2 species 909, P4
 * merged 469008 -> 909) 3 sequences 17 residues; Fictomodia (P3) 1 and 4; unclassified P5 (a
 * phylum, no genus above it), P6 (no taxon in the header), P7 (taxid unknown): 3 and 9.
 */
class ScanJobTest {
  static final String FIXTURE = "src/test/resources/scan/";

  @TempDir
  File tmp;

  static Configuration localConf() {
    Configuration conf = new Configuration();
    conf.set("fs.defaultFS", "file:///");
    conf.set("mapreduce.framework.name", "local");
    return conf;
  }

  DatabaseStats scan(Configuration conf, String... extra) throws Exception {
    Path out = new Path(tmp.getAbsolutePath(), "scan");
    String[] base = {"--input", FIXTURE + "tiny.fasta", "--taxonomy", FIXTURE + "tiny-taxdump", "--out", out.toString()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    assertEquals(0, ToolRunner.run(conf, new ScanJob(), args));
    assertTrue(new File(out.toString(), "_SUCCESS").exists());
    return StatsFiles.read(conf, out);
  }

  /** Split sizes from one split to many splits per record: the figures must not move. */
  @ParameterizedTest
  @ValueSource(longs = {Long.MAX_VALUE, 64, 7, 1})
  void figuresAreExactWhateverTheSplitSize(long splitSize) throws Exception {
    Configuration conf = localConf();
    conf.setLong("mapreduce.input.fileinputformat.split.maxsize", splitSize);
    DatabaseStats s = scan(conf);
    assertEquals(7, s.getSequences());
    assertEquals(30, s.getResidues());
    assertEquals(1, s.getMinLength());
    assertEquals(9, s.getMaxLength());
    assertEquals(Alphabet.PROTEIN, s.getAlphabet());
    assertEquals("genus", s.getRank());
    assertEquals(3, s.getUnclassified());
    assertEquals(1, s.getNoTaxon());
    List<Bin> bins = s.getBins();
    assertEquals(3, bins.size());
    assertBin(bins.get(0), "Fictoriella", 908, 3, 17);
    assertBin(bins.get(1), "unclassified", 0, 3, 9);
    assertBin(bins.get(2), "Fictomodia", 9011, 1, 4);
    List<Long> comp = s.getComposition().getCounts();
    assertEquals(28, comp.size());
    assertEquals(5, comp.get('M' - 'A'));
    assertEquals(7, comp.get('K' - 'A'));
    assertEquals(5, comp.get('A' - 'A')); // P1 MKVLLA, P2 ACDEFGHIK, P6 AAA
    assertEquals(30, comp.stream().mapToLong(Long::longValue).sum());
    // Fictoriella alone: MKVLLA ACDEFGHIK WW
    List<Long> ecoli = bins.get(0).getComposition().getCounts();
    assertEquals(2, ecoli.get('W' - 'A'));
    assertEquals(2, ecoli.get('K' - 'A'));
    // lengths 6 9 4 2 5 3 1 -> [1] 1, [2-3] 2, [4-7] 3, [8-15] 1
    List<LengthBucket> h = s.getLengthHistogram();
    assertEquals(5, h.size());
    assertEquals(List.of(0L, 1L, 2L, 3L, 1L), h.stream().map(LengthBucket::getSequences).toList());
    assertEquals(8, h.get(4).getMin());
    assertEquals(15, h.get(4).getMax());
    assertEquals(1, s.getInputs().size());
    assertEquals(7, s.getInputs().get(0).getSequences());
    assertEquals("plain", s.getInputs().get(0).getCompression());
    assertEquals(0, s.getSkipped().getRecords());
  }

  @Test
  void statsJsonHasTheContractLayout() throws Exception {
    scan(localConf());
    JsonNode j = new ObjectMapper().readTree(new File(tmp, "scan/stats.json"));
    assertEquals(7, j.get("sequences").asLong());
    assertEquals(30, j.get("residues").asLong());
    assertEquals("protein", j.get("alphabet").asText());
    assertEquals(3, j.get("unclassified").asLong());
    assertEquals(908, j.get("bins").get("Fictoriella").get("taxid").asLong());
    assertEquals(3, j.get("bins").get("Fictoriella").get("sequences").asLong());
    assertEquals(17, j.get("bins").get("Fictoriella").get("residues").asLong());
    assertEquals(3, j.get("bins").get("unclassified").get("sequences").asLong());
    assertEquals(4, j.get("bins").get("Fictomodia").get("residues").asLong());
  }

  @Test
  void anotherRankBinsDifferently() throws Exception {
    DatabaseStats s = scan(localConf(), "--rank", "species");
    // species: E. coli (P1, P2, P4), P. falciparum (P3); P5 P6 P7 unclassified
    assertEquals(3, s.getBins().size());
    assertBin(s.getBins().get(0), "Fictoriella coli", 909, 3, 17);
    assertEquals(3, s.getUnclassified());
  }

  @Test
  void withoutTaxonomyEverythingIsUnclassified() throws Exception {
    Path out = new Path(tmp.getAbsolutePath(), "plain");
    assertEquals(0, ToolRunner.run(localConf(), new ScanJob(),
        new String[] {"--input", FIXTURE + "tiny.fasta", "--out", out.toString()}));
    DatabaseStats s = StatsFiles.read(localConf(), out);
    assertEquals(7, s.getUnclassified());
    assertEquals(1, s.getBins().size());
    assertBin(s.getBins().get(0), "unclassified", 0, 7, 30);
  }

  /**
   * A killed run on the local runner used to leave the distributed cache's links
   * ({@code taxoshard-nodes.dmp}, ...) in the working directory, and a later run there read that
   * taxonomy instead of its own, without a word. Stale dump files named so, here: ignored.
   */
  @Test
  void staleTaxdumpLinksInTheWorkingDirectoryAreNotRead() throws Exception {
    File[] stale = {new File("taxoshard-nodes.dmp"), new File("taxoshard-names.dmp")};
    try {
      java.nio.file.Files.writeString(stale[0].toPath(), "1\t|\t1\t|\tno rank\t|\n908\t|\t1\t|\tgenus\t|\n"
          + "909\t|\t908\t|\tspecies\t|\n");
      java.nio.file.Files.writeString(stale[1].toPath(), "1\t|\troot\t|\tstem <fixture>\t|\tscientific name\t|\n"
          + "908\t|\tStalegenus\t|\t\t|\tscientific name\t|\n909\t|\tStalegenus coli\t|\t\t|\tscientific name\t|\n");
      DatabaseStats s = scan(localConf());
      assertBin(s.getBins().get(0), "Fictoriella", 908, 3, 17);
    } finally {
      for (File f : stale) {
        f.delete();
      }
    }
  }

  /** Loses everything map task 1 writes (bytes 64-127 of tiny.fasta: P2 and P3), as a library that reads the shuffle otherwise could. */
  public static class LosingCombiner extends ScanCombiner {
    @Override
    public void run(Context context) throws IOException, InterruptedException {
      TaskAttemptID attempt = context.getTaskAttemptID();
      if (attempt.getTaskType() == TaskType.MAP && attempt.getTaskID().getId() == 1) {
        while (context.nextKey()) {
          // dropped
        }
        return;
      }
      super.run(context);
    }
  }

  @Test
  void mapOutputLostOnTheWayToTheReduceFailsTheScan() throws Exception {
    Configuration conf = localConf();
    conf.setLong("mapreduce.input.fileinputformat.split.maxsize", 64);
    Path out = new Path(tmp.getAbsolutePath(), "lost");
    Job job = ScanJob.createJob(conf, List.of(new Path(new File(FIXTURE + "tiny.fasta").getAbsolutePath())),
        new Path(new File(FIXTURE + "tiny-taxdump").getAbsolutePath()), "genus", out);
    job.setCombinerClass(LosingCombiner.class);
    PrintStream err = System.err;
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
    try {
      assertFalse(JobSupport.runJob(job, out), "a scan that lost a map's output must fail");
    } finally {
      System.setErr(err);
    }
    String message = said.toString(StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("received the figures of (\\d+) of the job's (\\d+) map tasks, and (\\d+) sequences"
        + " in the splits' figures, (\\d+) in the files', (\\d+) in the bins', (\\d+) in the total").matcher(message);
    assertTrue(m.find(), message);
    int maps = Integer.parseInt(m.group(2));
    assertTrue(maps >= 3, "the fixture spans several splits: " + message);
    assertEquals(maps - 1, Integer.parseInt(m.group(1)), message);
    assertTrue(Long.parseLong(m.group(6)) < 7, "what arrived counts fewer than the 7 records: " + message);
    assertFalse(new File(out.toString(), "_SUCCESS").exists());
    assertFalse(new File(out.toString(), StatsFiles.JSON).exists());
  }

  static void assertBin(Bin b, String name, long taxid, long sequences, long residues) {
    assertEquals(name, b.getName());
    assertEquals(taxid, b.getTaxid());
    assertEquals(sequences, b.getSequences(), name + " sequences");
    assertEquals(residues, b.getResidues(), name + " residues");
  }
}
