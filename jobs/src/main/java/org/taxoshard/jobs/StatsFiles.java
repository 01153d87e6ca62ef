package org.taxoshard.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.taxoshard.avro.Bin;
import org.taxoshard.avro.DatabaseStats;
import org.taxoshard.avro.InputFile;
import org.taxoshard.avro.LengthBucket;
import org.taxoshard.avro.ScanSplits;
import org.taxoshard.avro.SkippedRecord;
import org.taxoshard.fasta.Residues;
import org.taxoshard.formats.BadInputException;
import org.taxoshard.formats.Checksums;
import org.taxoshard.formats.Hashes;

/** Reads and writes a scan's output: {@code stats.avro} (for the jobs) and {@code stats.json} (for people). */
public final class StatsFiles {
  public static final String AVRO = "stats.avro";
  public static final String JSON = "stats.json";
  public static final String SPLITS = "splits.avro";
  /** The newest stats format this build reads. */
  public static final int FORMAT_VERSION = 1;

  private StatsFiles() {}

  /**
   * Writes a scan's output: {@code stats.avro}, {@code splits.avro}, then {@code stats.json},
   * which lists both with their checksums and is sealed with its own.
   */
  public static void write(FileSystem fs, Path dir, DatabaseStats stats, ScanSplits splits) throws IOException {
    write(fs, dir, stats, splits, List.of());
  }

  /** As above, with entries for files beside them ({@code taxids/taxids.json}) in the list. */
  static void write(FileSystem fs, Path dir, DatabaseStats stats, ScanSplits splits, List<Map<String, Object>> others)
      throws IOException {
    List<Map<String, Object>> files = new java.util.ArrayList<>();
    files.add(OutputFiles.entry(AVRO, writeAvro(fs, new Path(dir, AVRO), DatabaseStats.getClassSchema(), stats, 0)));
    files.add(OutputFiles.entry(SPLITS, writeAvro(fs, new Path(dir, SPLITS), ScanSplits.getClassSchema(), splits, 6)));
    files.addAll(others);
    Map<String, Object> json = toJson(stats);
    json.put(OutputFiles.FILES, files);
    OutputFiles.writeSealed(fs, new Path(dir, JSON), json);
  }

  /**
   * Writes one record as an Avro data file (deflate at {@code level}, 0 for none).
   *
   * @return its size and checksum, for the folder's {@code "files"}
   */
  static <T> Checksums.Sum writeAvro(FileSystem fs, Path p, org.apache.avro.Schema schema, T record, int level)
      throws IOException {
    Checksums.CountingOutputStream out = new Checksums.CountingOutputStream(fs.create(p, false));
    try (DataFileWriter<T> w = new DataFileWriter<>(new SpecificDatumWriter<T>(schema))) {
      if (level > 0) {
        w.setCodec(org.apache.avro.file.CodecFactory.deflateCodec(level));
      }
      w.create(schema, out, Hashes.syncMarker(p.getName()));
      w.append(record);
    }
    return out.sum();
  }

  /** Reads {@code splits.avro}: how the scan cut its input, with counts per bin and stratum. */
  public static ScanSplits readSplits(Configuration conf, Path dir) throws IOException {
    Path p = checked(conf, dir, SPLITS);
    FileSystem fs = p.getFileSystem(conf);
    try (InputStream in = fs.open(p);
        DataFileStream<ScanSplits> r = new DataFileStream<>(in, new SpecificDatumReader<>(ScanSplits.class))) {
      return r.next();
    } catch (org.apache.avro.AvroRuntimeException | java.util.NoSuchElementException e) {
      throw new BadInputException(p.toString(), null, null, "not a readable split file: " + e.getMessage(), e);
    }
  }

  /** One file of a finished scan's output, checked before anyone reads it ({@link OutputFiles#checkedFile}). */
  static Path checked(Configuration conf, Path dir, String name) throws IOException {
    return OutputFiles.checkedFile(dir.getFileSystem(conf), dir, JSON, name, "a scan's output", "taxoshard scan");
  }

  /** Reads {@code stats.avro} from a scan's output folder, checked as {@link #checked} says. */
  public static DatabaseStats read(Configuration conf, Path dir) throws IOException {
    Path p = checked(conf, dir, AVRO);
    FileSystem fs = p.getFileSystem(conf);
    return readAvro(fs, p);
  }

  /** Reads a {@code stats.avro} file itself (the scan's, or the copy beside an index). */
  static DatabaseStats readAvro(FileSystem fs, Path p) throws IOException {
    try (InputStream in = fs.open(p);
        DataFileStream<DatabaseStats> r = new DataFileStream<>(in, new SpecificDatumReader<>(DatabaseStats.class))) {
      if (!r.hasNext()) {
        throw new BadInputException(p.toString(), null, null, "the statistics file is empty");
      }
      DatabaseStats s = r.next();
      if (s.getFormatVersion() > FORMAT_VERSION) {
        throw new BadInputException(p.toString(), null, null, "format version " + s.getFormatVersion()
            + " is newer than this build reads (" + FORMAT_VERSION + "): use a newer Taxoshard");
      }
      return s;
    } catch (org.apache.avro.AvroRuntimeException e) {
      throw new BadInputException(p.toString(), null, null, "not a readable statistics file: " + e.getMessage(), e);
    }
  }

  /** The CONTRACT.md layout first, then the rest of the figures. */
  static Map<String, Object> toJson(DatabaseStats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sequences", s.getSequences());
    m.put("residues", s.getResidues());
    m.put("alphabet", s.getAlphabet().name().toLowerCase());
    m.put("unclassified", s.getUnclassified());
    Map<String, Object> bins = new LinkedHashMap<>();
    for (Bin b : s.getBins()) {
      Map<String, Object> bm = new LinkedHashMap<>();
      bm.put("taxid", b.getTaxid());
      bm.put("sequences", b.getSequences());
      bm.put("residues", b.getResidues());
      bins.put(b.getName(), bm);
    }
    m.put("bins", bins);
    m.put("rank", s.getRank());
    m.put("taxonomy", s.getTaxonomy());
    m.put("no_taxon", s.getNoTaxon());
    m.put("min_length", s.getMinLength());
    m.put("max_length", s.getMaxLength());
    m.put("composition", composition(s.getComposition().getCounts()));
    Map<String, Object> hist = new LinkedHashMap<>();
    for (LengthBucket b : s.getLengthHistogram()) {
      hist.put(b.getMin() == b.getMax() ? String.valueOf(b.getMin()) : b.getMin() + "-" + b.getMax(), b.getSequences());
    }
    m.put("length_histogram", hist);
    List<Map<String, Object>> inputs = new java.util.ArrayList<>();
    for (InputFile f : s.getInputs()) {
      Map<String, Object> fm = new LinkedHashMap<>();
      fm.put("path", f.getPath());
      fm.put("bytes", f.getBytes());
      fm.put("compression", f.getCompression());
      fm.put("sequences", f.getSequences());
      fm.put("residues", f.getResidues());
      inputs.add(fm);
    }
    m.put("inputs", inputs);
    Map<String, Object> skipped = new LinkedHashMap<>();
    skipped.put("records", s.getSkipped().getRecords());
    List<Map<String, Object>> ex = new java.util.ArrayList<>();
    for (SkippedRecord r : s.getSkipped().getExamples()) {
      Map<String, Object> rm = new LinkedHashMap<>();
      rm.put("file", r.getFile());
      rm.put("place", r.getPlace());
      rm.put("id", r.getId());
      rm.put("problem", r.getProblem());
      ex.add(rm);
    }
    skipped.put("examples", ex);
    m.put("skipped", skipped);
    return m;
  }

  private static Map<String, Long> composition(List<Long> counts) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < counts.size(); i++) {
      if (counts.get(i) > 0) {
        m.put(String.valueOf(Residues.letter(i)), counts.get(i));
      }
    }
    return m;
  }
}
