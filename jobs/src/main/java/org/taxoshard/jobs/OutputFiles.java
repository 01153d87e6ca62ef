package org.taxoshard.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter;
import org.taxoshard.formats.BadInputException;
import org.taxoshard.formats.Checksums;

/**
 * What every command leaves in its output folder besides its data: a JSON description
 * ({@code stats.json}, {@code plan.json}, {@code manifest.json}, {@code index.json},
 * {@code search.json}) that lists the folder's files with their sizes and CRC32C checksums under
 * {@code "files"} and ends with its own checksum, and {@code _SUCCESS}. Both come last: the JSON
 * is written under a hidden name ({@link #pending}) and put in place just before {@code _SUCCESS}.
 *
 * <p>The JSON's own checksum is the field {@value #SELF}: the CRC32C of the file's bytes as
 * written, with that field's 8 hex digits read as {@code 00000000}. So a flipped byte anywhere in
 * the JSON, and anywhere in a file it lists, is found; readers check both before they trust
 * either, and refuse a folder without {@code _SUCCESS}: its command did not finish.
 */
public final class OutputFiles {
  public static final String FILES = "files";
  public static final String SELF = "self_checksum";
  public static final String SUCCESS = FileOutputCommitter.SUCCEEDED_FILE_NAME;

  private static final byte[] SELF_FIELD = ("\"" + SELF + "\" : \"" + Checksums.PREFIX).getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private OutputFiles() {}

  /**
   * Where a command's JSON waits, hidden, until {@link JobSupport#markSuccess} publishes it with
   * {@code _SUCCESS}: a folder killed before then holds neither, so nothing in it looks complete.
   */
  public static Path pending(Path dir, String json) {
    return new Path(dir, "_" + json + PENDING);
  }

  static final String PENDING = ".pending";

  /** One entry of a {@code "files"} list: the path relative to the folder, its bytes and checksum. */
  public static Map<String, Object> entry(String relative, Checksums.Sum sum) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", relative);
    m.put("bytes", sum.bytes());
    m.put("checksum", sum.text());
    return m;
  }

  /** Entries for files already written under {@code dir}, each read once to checksum it. */
  public static List<Map<String, Object>> describe(FileSystem fs, Path dir, List<String> relative) throws IOException {
    List<Map<String, Object>> list = new ArrayList<>();
    for (String r : relative) {
      try (InputStream in = fs.open(new Path(dir, r))) {
        list.add(entry(r, Checksums.of(in)));
      }
    }
    return list;
  }

  /** Writes {@code content} as indented JSON with its own checksum last (any old one replaced). */
  public static void writeSealed(FileSystem fs, Path file, Map<String, Object> content) throws IOException {
    try (OutputStream out = fs.create(file, true)) {
      out.write(sealed(content));
    }
  }

  /** The bytes {@link #writeSealed} writes. */
  static byte[] sealed(Map<String, Object> content) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>(content);
    m.remove(SELF);
    m.put(SELF, Checksums.text(0));
    byte[] b = JSON.writeValueAsBytes(m);
    int at = digits(b);
    String crc = Checksums.text(Checksums.of(b, 0, b.length)).substring(Checksums.PREFIX.length());
    System.arraycopy(crc.getBytes(StandardCharsets.US_ASCII), 0, b, at, 8);
    return b;
  }

  /**
   * Reads a sealed JSON file and checks its own checksum.
   *
   * @throws BadInputException naming the file when it is missing, unreadable, or its checksum
   *     does not match
   */
  public static JsonNode readSealed(FileSystem fs, Path file) throws IOException {
    if (!fs.exists(file)) {
      throw new BadInputException(file.toString(), null, null, "missing");
    }
    byte[] b;
    try (InputStream in = fs.open(file)) {
      b = in.readAllBytes();
    }
    String problem = sealProblem(b);
    if (problem != null) {
      throw new BadInputException(file.toString(), null, null, problem);
    }
    try {
      return JSON.readTree(b);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new BadInputException(file.toString(), "line " + e.getLocation().getLineNr(), null,
          "not readable JSON: " + e.getOriginalMessage());
    }
  }

  /** Why a sealed JSON's bytes do not match their own checksum, or null when they do. */
  static String sealProblem(byte[] b) {
    int at = digits(b);
    if (at < 0) {
      return "has no " + SELF + " field: not written by this Taxoshard, or changed since";
    }
    String recorded = new String(b, at, 8, StandardCharsets.US_ASCII);
    byte[] zeroed = b.clone();
    for (int i = 0; i < 8; i++) {
      zeroed[at + i] = '0';
    }
    String actual = Checksums.text(Checksums.of(zeroed, 0, zeroed.length)).substring(Checksums.PREFIX.length());
    if (!actual.equals(recorded)) {
      return "its bytes do not match its " + SELF + " (" + Checksums.PREFIX + recorded + ", the bytes give "
          + Checksums.PREFIX + actual + "): the file was changed or damaged after it was written";
    }
    return null;
  }

  /** Offset of the 8 hex digits of the last {@value #SELF} field, or -1. */
  private static int digits(byte[] b) {
    outer:
    for (int i = b.length - SELF_FIELD.length - 8; i >= 0; i--) {
      for (int j = 0; j < SELF_FIELD.length; j++) {
        if (b[i + j] != SELF_FIELD[j]) {
          continue outer;
        }
      }
      return i + SELF_FIELD.length;
    }
    return -1;
  }

  /**
   * Checks one {@code "files"} entry against the file under {@code dir}.
   *
   * @return null when it matches, else the problem in words
   */
  public static String check(FileSystem fs, Path dir, JsonNode entry) throws IOException {
    Path p = new Path(dir, entry.path("path").asText());
    if (!fs.exists(p)) {
      return "missing";
    }
    Checksums.Sum sum;
    try (InputStream in = fs.open(p)) {
      sum = Checksums.of(in);
    }
    return problem(entry, sum);
  }

  /** How a file's real size and checksum differ from its entry, or null. */
  static String problem(JsonNode entry, Checksums.Sum sum) {
    long bytes = entry.path("bytes").asLong(-1);
    String want = entry.path("checksum").asText("");
    if (sum.bytes() != bytes) {
      return sum.bytes() + " bytes, the manifest lists " + bytes;
    }
    if (!sum.text().equals(want)) {
      return "checksum " + sum.text() + ", the manifest lists " + want;
    }
    return null;
  }

  /**
   * Checks every {@code "files"} entry of a sealed JSON against the files under {@code dir}.
   *
   * @throws BadInputException naming the first file that differs
   */
  public static void checkAll(FileSystem fs, Path dir, JsonNode json) throws IOException {
    for (JsonNode f : json.path(FILES)) {
      String problem = check(fs, dir, f);
      if (problem != null) {
        throw new BadInputException(new Path(dir, f.path("path").asText()).toString(), null, null, problem
            + ": the file was changed or damaged after it was written");
      }
    }
  }

  /**
   * One file of a finished command's output folder, checked before anyone reads it: the folder
   * is complete, its JSON matches its own checksum, and the file matches the JSON's entry.
   *
   * @param json the folder's JSON ({@code stats.json})
   * @param what what the folder is, for messages ("a scan's output")
   * @param command the command that makes it again ("taxoshard scan")
   * @return the file's path
   * @throws BadInputException naming the folder or file and what is wrong
   */
  public static Path checkedFile(FileSystem fs, Path dir, String json, String name, String what, String command)
      throws IOException {
    requireComplete(fs, dir, what);
    JsonNode j = readSealed(fs, new Path(dir, json));
    for (JsonNode f : j.path(FILES)) {
      if (f.path("path").asText().equals(name)) {
        String problem = check(fs, dir, f);
        if (problem != null) {
          throw new BadInputException(new Path(dir, name).toString(), null, null, problem
              + ": the file was changed or damaged after it was written; run " + command + " again");
        }
        return new Path(dir, name);
      }
    }
    throw new BadInputException(new Path(dir, json).toString(), null, null, "lists no " + name
        + " (written by an older Taxoshard?): run " + command + " again");
  }

  /**
   * Whether a finished command's folder still looks as it was left, cheaply: {@code _SUCCESS} is
   * there, its JSON matches its own checksum, and every file the JSON lists (at any depth, as
   * {@code "path"}, {@code "bytes"} and {@code "checksum"}) exists with its listed size. Contents
   * are not read (that is {@code taxoshard verify}'s work, and would mean reading every shard).
   *
   * @param json the folder's JSON file name ({@code manifest.json})
   * @return null when it holds, else what is wrong, in words
   */
  public static String intactProblem(FileSystem fs, Path dir, String json) throws IOException {
    if (!fs.exists(new Path(dir, SUCCESS))) {
      return "no " + SUCCESS;
    }
    JsonNode j;
    try {
      j = readSealed(fs, new Path(dir, json));
    } catch (BadInputException e) {
      return e.getMessage();
    }
    List<JsonNode> listed = new ArrayList<>();
    listedFiles(j, listed);
    for (JsonNode f : listed) {
      Path p = new Path(dir, f.path("path").asText());
      if (!fs.exists(p)) {
        return p + " is missing";
      }
      long len = fs.getFileStatus(p).getLen();
      if (len != f.path("bytes").asLong()) {
        return p + " has " + len + " bytes, " + json + " lists " + f.path("bytes").asLong();
      }
    }
    return null;
  }

  /** Every object under {@code node} that describes a file (path, bytes, checksum). */
  private static void listedFiles(JsonNode node, List<JsonNode> into) {
    if (node.isObject() && node.path("path").isTextual() && node.path("bytes").isNumber()
        && node.path("checksum").asText("").startsWith(Checksums.PREFIX)) {
      into.add(node);
    }
    for (JsonNode child : node) {
      listedFiles(child, into);
    }
  }

  /**
   * Refuses a folder its command did not finish.
   *
   * @param what what the folder should be, for the message ("a scan's output")
   * @throws BadInputException when it does not exist or has no {@code _SUCCESS}
   */
  public static void requireComplete(FileSystem fs, Path dir, String what) throws IOException {
    if (!fs.exists(dir)) {
      throw new BadInputException(dir.toString(), null, null, "no such folder (" + what + " expected)");
    }
    if (!fs.exists(new Path(dir, SUCCESS))) {
      throw new BadInputException(dir.toString(), null, null, "incomplete: no " + SUCCESS + ", so the command"
          + " that wrote " + what + " here did not finish; run it again");
    }
  }
}
