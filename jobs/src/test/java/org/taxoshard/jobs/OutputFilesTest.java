package org.taxoshard.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taxoshard.formats.BadInputException;
import org.taxoshard.formats.Checksums;

/** The sealed JSON every output folder carries, and the file entries it lists. */
class OutputFilesTest {
  @TempDir
  File tmp;

  static Map<String, Object> sample() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("strategy", "hash");
    m.put("sequences", 3000);
    m.put("shards", List.of(Map.of("shard", 0, "residues", 12345), Map.of("shard", 1, "residues", 6789)));
    m.put(OutputFiles.FILES, List.of(OutputFiles.entry("plan.avro",
        Checksums.of(new ByteArrayInputStream("some bytes".getBytes(StandardCharsets.US_ASCII))))));
    return m;
  }

  @Test
  void aSealedJsonReadsBackAsWritten() throws Exception {
    byte[] b = OutputFiles.sealed(sample());
    assertNull(OutputFiles.sealProblem(b));
    JsonNode j = new ObjectMapper().readTree(b);
    assertEquals(3000, j.get("sequences").asInt());
    assertTrue(j.get(OutputFiles.SELF).asText().matches("crc32c:[0-9a-f]{8}"), j.toString());
    // Sealing again gives the same bytes: the old seal is replaced, not nested.
    @SuppressWarnings("unchecked")
    Map<String, Object> again = new ObjectMapper().readValue(b, LinkedHashMap.class);
    assertEquals(new String(b, StandardCharsets.UTF_8), new String(OutputFiles.sealed(again), StandardCharsets.UTF_8));
  }

  /** Every byte of the file, each of its 8 bits flipped in turn: every change is found. */
  @Test
  void everyFlippedBitOfASealedJsonIsFound() throws Exception {
    byte[] b = OutputFiles.sealed(sample());
    for (int i = 0; i < b.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] c = b.clone();
        c[i] ^= (byte) (1 << bit);
        assertNotNull(OutputFiles.sealProblem(c), "byte " + i + " bit " + bit + " of\n" + new String(b, StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void aJsonWithoutASealIsRefusedNamingTheFile() throws Exception {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    Path p = new Path(new File(tmp, "plan.json").getAbsolutePath());
    Files.writeString(new File(tmp, "plan.json").toPath(), "{\"strategy\": \"hash\"}");
    BadInputException e = assertThrows(BadInputException.class, () -> OutputFiles.readSealed(fs, p));
    assertTrue(e.getMessage().contains("plan.json") && e.getMessage().contains(OutputFiles.SELF), e.getMessage());
  }

  @Test
  void fileEntriesCatchChangedSizesAndBytes() throws Exception {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    File f = new File(tmp, "shard.fasta");
    Files.writeString(f.toPath(), ">a\nMKV\n");
    Path dir = new Path(tmp.getAbsolutePath());
    JsonNode entry = new ObjectMapper().valueToTree(OutputFiles.describe(fs, dir, List.of("shard.fasta")).get(0));
    assertNull(OutputFiles.check(fs, dir, entry));
    Files.writeString(f.toPath(), ">a\nMKW\n");
    new File(tmp, ".shard.fasta.crc").delete();
    assertTrue(OutputFiles.check(fs, dir, entry).startsWith("checksum crc32c:"), OutputFiles.check(fs, dir, entry));
    Files.writeString(f.toPath(), ">a\nMKVV\n");
    new File(tmp, ".shard.fasta.crc").delete();
    assertEquals("8 bytes, the manifest lists 7", OutputFiles.check(fs, dir, entry));
    f.delete();
    assertEquals("missing", OutputFiles.check(fs, dir, entry));
  }
}
