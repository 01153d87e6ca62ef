package org.taxoshard.fasta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taxoshard.fasta.FastaReading.Rec;
import static org.taxoshard.fasta.FastaReading.conf;
import static org.taxoshard.fasta.FastaReading.read;

import java.io.File;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.taxoshard.formats.BadInputException;

/**
 * Each bad-input fixture, named after its fault: strict mode names the file, the place and the
 * record; lenient mode reads every good record and counts the bad one, at every split size.
 */
class FastaBadInputTest {
  static final File BAD = new File("src/test/resources/fasta-bad");

  /** fixture, the id the message must name ("" for none), the byte the bad record starts at. */
  @ParameterizedTest
  @CsvSource({
      "data-before-first-header.fasta, '', byte 0",
      "data-before-first-header-after-blank-lines.fasta, '', byte 11",
      "header-without-id.fasta, '', byte 11",
      "digits-in-sequence.fasta, seq2, byte 11",
      "nul-byte.fasta, seq2, byte 11",
      "binary-bytes.fasta, seq2, byte 11",
  })
  void strictModeNamesFilePlaceAndRecord(String name, String id, String place) {
    Path p = new Path(new File(BAD, name).getAbsolutePath());
    BadInputException e = assertThrows(BadInputException.class, () -> read(conf(Long.MAX_VALUE), p));
    assertTrue(e.getMessage().contains(name), e.getMessage());
    assertTrue(e.getMessage().contains(place), e.getMessage());
    if (id.isEmpty()) {
      assertNull(e.record(), e.getMessage());
    } else {
      assertEquals(id, e.record());
    }
  }

  @ParameterizedTest
  @CsvSource({
      "data-before-first-header.fasta, 2",
      "data-before-first-header-after-blank-lines.fasta, 2",
      "header-without-id.fasta, 2",
      "digits-in-sequence.fasta, 2",
      "nul-byte.fasta, 2",
      "binary-bytes.fasta, 2",
  })
  void lenientModeKeepsEveryGoodRecordAndCountsTheBadOne(String name, int good) throws Exception {
    File f = new File(BAD, name);
    Path p = new Path(f.getAbsolutePath());
    int total = FastaReading.parse(Files.readAllBytes(f.toPath())).size();
    for (long split = 1; split <= f.length() + 1; split++) {
      Configuration conf = conf(split);
      FastaInputFormat.setLenient(conf, true);
      List<Rec> recs = read(conf, p);
      long skipped = recs.stream().filter(r -> r.problem() != null).count();
      assertEquals(good, recs.size() - skipped, name + " split " + split + ": " + recs);
      assertEquals(1, skipped, name + " split " + split + ": " + recs);
      if (!name.startsWith("data-before")) {
        assertEquals(total, recs.size(), "records in = good + skipped");
      }
      assertNotNull(recs.stream().filter(r -> r.problem() != null).findFirst().orElseThrow().problem());
    }
  }
}
