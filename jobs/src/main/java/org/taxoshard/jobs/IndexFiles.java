package org.taxoshard.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.taxoshard.formats.BadInputException;
import org.taxoshard.formats.Checksums;
import org.taxoshard.index.ShardIndex;

/** Reads an index folder's {@code index.json}: what the sharded search needs to know before it starts. */
public final class IndexFiles {
  public static final String JSON = "index.json";

  private IndexFiles() {}

  static String shardName(int shard) {
    return String.format("shard-%05d", shard);
  }

  static String indexName(int shard) {
    return shardName(shard) + ShardIndex.SUFFIX;
  }

  static String checksumText(int crc) {
    return Checksums.text(crc);
  }

  /** One shard's index as index.json lists it. */
  public record Shard(int shard, Path path, long sequences, long residues, long entries, long bytes, String checksum) {}

  /** The figures of a whole index. */
  public record Index(Path dir, boolean nucleotide, long sequences, long residues, long fragmentLength,
      long fragmentOverlap, List<Shard> shards) {}

  /**
   * Reads {@code DIR/index.json}; an incomplete folder, or a missing, damaged, unreadable or newer
   * index.json, is bad input naming the file.
   */
  public static Index read(Configuration conf, Path dir) throws IOException {
    Path p = new Path(dir, JSON);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p) && fs.exists(dir)) {
      throw new BadInputException(p.toString(), null, null, "no index here: build one with taxoshard index");
    }
    OutputFiles.requireComplete(fs, dir, "an index");
    JsonNode j = OutputFiles.readSealed(fs, p);
    int version = j.path("format_version").asInt(-1);
    if (version < 1 || version > ShardIndex.FORMAT_VERSION) {
      throw new BadInputException(p.toString(), null, null, "index format version " + version
          + "; this build reads 1 to " + ShardIndex.FORMAT_VERSION);
    }
    List<Shard> shards = new ArrayList<>();
    for (JsonNode s : j.path("shards")) {
      shards.add(new Shard(s.get("shard").asInt(), new Path(fs.makeQualified(dir), s.get("path").asText()),
          s.get("sequences").asLong(), s.get("residues").asLong(), s.get("entries").asLong(), s.get("bytes").asLong(),
          s.get("checksum").asText()));
    }
    if (shards.isEmpty()) {
      throw new BadInputException(p.toString(), null, null, "lists no shards");
    }
    return new Index(fs.makeQualified(dir), "nucleotide".equals(j.path("alphabet").asText()),
        j.path("sequences").asLong(), j.path("residues").asLong(), j.path("fragment_length").asLong(),
        j.path("fragment_overlap").asLong(), shards);
  }
}
