package org.taxoshard.conf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pipeline's configuration, read from the TOML layout of the contract ({@code [input]},
 * {@code [distributed]}, {@code [sharding]}, {@code [statistics]}, {@code [cluster]},
 * {@code [search]}, {@code [hadoop]}). Every problem (bad TOML, an unknown key, a wrong type, a
 * missing required key, a value out of range) is found before anything runs and reported with the
 * file, the line and the key.
 */
public final class PipelineConfig {
  /** A value's kind, as TOML writes it. */
  enum Kind { STRING, STRINGS, BOOLEAN, INTEGER, NUMBER }

  /** Every key the layout knows, by section, with its kind. */
  private static final Map<String, Map<String, Kind>> KEYS = new LinkedHashMap<>();

  static {
    section("input", "database", Kind.STRINGS, "taxonomy", Kind.STRING, "queries", Kind.STRINGS, "work", Kind.STRING);
    section("distributed", "enabled", Kind.BOOLEAN, "num_shards", Kind.INTEGER, "max_shard_size_gb", Kind.NUMBER);
    section("sharding", "strategy", Kind.STRING, "rank", Kind.STRING, "min_taxa_per_shard", Kind.INTEGER,
        "balance_threshold", Kind.NUMBER, "overlap_size_mb", Kind.NUMBER);
    section("statistics", "maintain_global", Kind.BOOLEAN, "correction_method", Kind.STRING);
    section("cluster", "coordinator", Kind.STRING, "filesystem", Kind.STRING, "workers", Kind.STRINGS);
    section("search", "program", Kind.STRING, "evalue", Kind.NUMBER, "max_target_seqs", Kind.INTEGER,
        "sensitivity", Kind.STRING, "seg", Kind.STRING);
  }

  private static void section(String name, Object... keyKinds) {
    Map<String, Kind> keys = new LinkedHashMap<>();
    for (int i = 0; i < keyKinds.length; i += 2) {
      keys.put((String) keyKinds[i], (Kind) keyKinds[i + 1]);
    }
    KEYS.put(name, keys);
  }

  /** A configuration that cannot be used: the message names the file, line and key. */
  public static final class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
      super(message);
    }
  }

  private final String file;
  private final String text;
  private final JsonNode root;

  private PipelineConfig(String file, String text, JsonNode root) {
    this.file = file;
    this.text = text;
    this.root = root;
  }

  /**
   * Parses and checks a configuration.
   *
   * @param file its name, for messages
   * @throws ConfigException for any problem, naming the file, line and key
   */
  public static PipelineConfig parse(String file, String text) {
    JsonNode root;
    try {
      root = new TomlMapper().readTree(text);
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      throw new ConfigException(file + (line > 0 ? " line " + line : "") + ": not valid TOML: " + e.getOriginalMessage());
    }
    PipelineConfig c = new PipelineConfig(file, text, root);
    c.check();
    return c;
  }

  private void check() {
    // Every unknown section, unknown key and wrong type at once, so that one run names them all.
    List<String> problems = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> s = it.next();
      String section = s.getKey();
      if (section.equals("hadoop")) {
        for (Iterator<Map.Entry<String, JsonNode>> h = s.getValue().fields(); h.hasNext(); ) {
          Map.Entry<String, JsonNode> e = h.next();
          if (!e.getValue().isValueNode() || e.getValue().isNull()) {
            problems.add(error("hadoop", e.getKey(), "must be a string, number or boolean (a Hadoop setting)").getMessage());
          }
        }
        continue;
      }
      Map<String, Kind> known = KEYS.get(section);
      if (known == null || !s.getValue().isObject()) {
        problems.add(where(lineOf(section, null)) + "unknown section [" + section + "]; known: "
            + String.join(", ", KEYS.keySet()) + ", hadoop");
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> k = s.getValue().fields(); k.hasNext(); ) {
        Map.Entry<String, JsonNode> e = k.next();
        Kind kind = known.get(e.getKey());
        if (kind == null) {
          problems.add(error(section, e.getKey(), "unknown key; [" + section + "] knows "
              + String.join(", ", known.keySet())).getMessage());
        } else if (!fits(e.getValue(), kind)) {
          problems.add(error(section, e.getKey(), "must be " + describe(kind) + ", got " + e.getValue()).getMessage());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("\n", problems));
    }
    require("input", "database");
    require("input", "work");
    if (database().isEmpty()) {
      throw error("input", "database", "lists no database files");
    }
    if (numShards() < 1) {
      throw error("distributed", "num_shards", "must be at least 1, got " + numShards());
    }
    if (maxShardSizeGb() <= 0) {
      throw error("distributed", "max_shard_size_gb", "must be positive, got " + maxShardSizeGb());
    }
    List<String> strategies = List.of("round-robin", "hash", "taxonomic-balanced", "stratified", "similarity");
    if (!strategies.contains(strategy())) {
      throw error("sharding", "strategy", "must be one of " + String.join(", ", strategies) + ", got \"" + strategy() + "\"");
    }
    if (!List.of("compositional", "none").contains(correctionMethod())) {
      throw error("statistics", "correction_method", "must be \"compositional\" or \"none\", got \"" + correctionMethod() + "\"");
    }
    if (!bool("statistics", "maintain_global", true)) {
      throw error("statistics", "maintain_global", "false is not offered: E-values are always computed for the whole"
          + " database, which is what makes the sharded search equal the unsharded one");
    }
    if (program() != null && !List.of("blastp", "blastn").contains(program())) {
      throw error("search", "program", "must be \"blastp\" or \"blastn\", got \"" + program() + "\"");
    }
    if (maxTargetSeqs() < 1) {
      throw error("search", "max_target_seqs", "must be at least 1, got " + maxTargetSeqs());
    }
    if (evalue() <= 0) {
      throw error("search", "evalue", "must be positive, got " + evalue());
    }
    if (root.path("sharding").has("overlap_size_mb") && overlapSizeMb() <= 0) {
      throw error("sharding", "overlap_size_mb", "must be positive, got " + overlapSizeMb());
    }
  }

  private static boolean fits(JsonNode v, Kind kind) {
    switch (kind) {
      case STRING:
        return v.isTextual();
      case STRINGS:
        if (v.isTextual()) {
          return true;
        }
        if (!v.isArray()) {
          return false;
        }
        for (JsonNode x : v) {
          if (!x.isTextual()) {
            return false;
          }
        }
        return true;
      case BOOLEAN:
        return v.isBoolean();
      case INTEGER:
        return v.isIntegralNumber();
      default:
        return v.isNumber();
    }
  }

  private static String describe(Kind kind) {
    switch (kind) {
      case STRING:
        return "a string";
      case STRINGS:
        return "a string or a list of strings";
      case BOOLEAN:
        return "true or false";
      case INTEGER:
        return "an integer";
      default:
        return "a number";
    }
  }

  private void require(String section, String key) {
    if (!root.path(section).has(key)) {
      throw new ConfigException(where(lineOf(section, null)) + "[" + section + "] " + key + " is required");
    }
  }

  /** An error about one key, naming the file and the key's line. */
  public ConfigException error(String section, String key, String problem) {
    return new ConfigException(where(lineOf(section, key)) + "[" + section + "] " + key + ": " + problem);
  }

  private String where(int line) {
    return file + (line > 0 ? " line " + line : "") + ": ";
  }

  /**
   * The 1-based line where a key is set (or, with a null key, where its section starts), found in
   * the text: the TOML parser keeps no positions for valid values. 0 when not found.
   */
  int lineOf(String section, String key) {
    String[] lines = text.split("\r?\n|\r", -1);
    String current = "";
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      if (l.startsWith("[") && !l.startsWith("[[")) {
        int end = l.indexOf(']');
        current = end > 0 ? l.substring(1, end).strip() : current;
        if (key == null && current.equals(section)) {
          return i + 1;
        }
        continue;
      }
      if (key != null && current.equals(section)) {
        int eq = l.indexOf('=');
        if (eq > 0) {
          String k = l.substring(0, eq).strip();
          if (k.length() >= 2 && (k.startsWith("\"") && k.endsWith("\"") || k.startsWith("'") && k.endsWith("'"))) {
            k = k.substring(1, k.length() - 1);
          }
          if (k.equals(key)) {
            return i + 1;
          }
        }
      }
    }
    return 0;
  }

  public String file() {
    return file;
  }

  /** The line of a key, for messages about it that come later (a missing input file, say). */
  public String place(String section, String key) {
    int line = lineOf(section, key);
    return file + (line > 0 ? " line " + line : "") + ": [" + section + "] " + key;
  }

  private List<String> strings(String section, String key) {
    JsonNode v = root.path(section).path(key);
    List<String> out = new ArrayList<>();
    if (v.isTextual()) {
      out.add(v.asText());
    } else {
      v.forEach(x -> out.add(x.asText()));
    }
    return out;
  }

  private String string(String section, String key, String otherwise) {
    JsonNode v = root.path(section).path(key);
    return v.isTextual() ? v.asText() : otherwise;
  }

  private boolean bool(String section, String key, boolean otherwise) {
    JsonNode v = root.path(section).path(key);
    return v.isBoolean() ? v.asBoolean() : otherwise;
  }

  private long integer(String section, String key, long otherwise) {
    JsonNode v = root.path(section).path(key);
    return v.isIntegralNumber() ? v.asLong() : otherwise;
  }

  private double number(String section, String key, double otherwise) {
    JsonNode v = root.path(section).path(key);
    return v.isNumber() ? v.asDouble() : otherwise;
  }

  public List<String> database() {
    return strings("input", "database");
  }

  /** The taxdump folder, or null. */
  public String taxonomy() {
    return string("input", "taxonomy", null);
  }

  /** Query files; empty when the pipeline stops after the index. */
  public List<String> queries() {
    return strings("input", "queries");
  }

  public String work() {
    return string("input", "work", null);
  }

  /** false: the embedded local runner; true: the cluster [cluster] names (or the Hadoop configuration's). */
  public boolean distributed() {
    return bool("distributed", "enabled", false);
  }

  public int numShards() {
    return (int) integer("distributed", "num_shards", 16);
  }

  public double maxShardSizeGb() {
    return number("distributed", "max_shard_size_gb", 20);
  }

  public String strategy() {
    return string("sharding", "strategy", "taxonomic-balanced");
  }

  public String rank() {
    return string("sharding", "rank", "genus");
  }

  /** -1 when not set. */
  public long minTaxaPerShard() {
    return integer("sharding", "min_taxa_per_shard", -1);
  }

  /** NaN when not set. */
  public double balanceThreshold() {
    return number("sharding", "balance_threshold", Double.NaN);
  }

  /** NaN when not set. */
  public double overlapSizeMb() {
    return number("sharding", "overlap_size_mb", Double.NaN);
  }

  public String correctionMethod() {
    return string("statistics", "correction_method", "compositional");
  }

  /** null: chosen from the database's alphabet. */
  public String program() {
    return string("search", "program", null);
  }

  public double evalue() {
    return number("search", "evalue", 10);
  }

  public int maxTargetSeqs() {
    return (int) integer("search", "max_target_seqs", 500);
  }

  /** {@code search --sensitivity} ({@code blast}, {@code fast}), or null for the search's default. */
  public String sensitivity() {
    return string("search", "sensitivity", null);
  }

  /** {@code search --seg} ({@code yes}, {@code no}, or window, locut and hicut), or null for the search's default. */
  public String seg() {
    return string("search", "seg", null);
  }

  /** yarn.resourcemanager.address, or null. */
  public String coordinator() {
    return string("cluster", "coordinator", null);
  }

  /** fs.defaultFS, or null. */
  public String filesystem() {
    return string("cluster", "filesystem", null);
  }

  /** The [hadoop] table, in key order. */
  public Map<String, String> hadoop() {
    Map<String, String> out = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("hadoop").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }
}
