package org.taxoshard.fasta;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.WritableUtils;

/**
 * One FASTA record as read from its file: the header line, the residues, and where it came from.
 *
 * <p>The header is kept as raw bytes, exactly as in the input after the {@code >} and before the
 * line terminator, so that shards reproduce it byte for byte (non-UTF-8 headers included). The
 * residues are the sequence lines concatenated with line terminators and blanks removed, letter
 * case kept as in the input.
 *
 * <p>A record may carry a {@link #problem()}: it was skipped, and is passed on only so that it is
 * counted and reported, never as data (it has no residues). A bad record carries one in lenient
 * mode (strict mode stops at it); a record with no residues, {@link #NO_RESIDUES}, in both, as
 * makeblastdb ignores one: nothing can match it, and counting it would change the database's
 * sequence count that E-values use.
 *
 * <p>Reused by record readers: copy what you keep.
 */
public class FastaRecord implements Writable {
  /** How {@link #offset()} is to be read. */
  public enum OffsetKind {
    /** 0-based byte offset of the {@code >} in the uncompressed stream (plain and gzip files). */
    BYTE,
    /** htsjdk/SAM-style BGZF virtual offset: block address &lt;&lt; 16 | offset within block. */
    BGZF_VIRTUAL
  }

  private String file = "";
  private long offset;
  private OffsetKind offsetKind = OffsetKind.BYTE;
  private byte[] header = new byte[0];
  private int headerLength;
  private byte[] sequence = new byte[64];
  private int sequenceLength;
  private String problem;

  public FastaRecord() {}

  public void set(String file, long offset, OffsetKind kind) {
    this.file = file;
    this.offset = offset;
    this.offsetKind = kind;
    this.problem = null;
  }

  public void setHeader(byte[] bytes, int start, int length) {
    if (header.length < length) {
      header = new byte[Math.max(length, 2 * header.length)];
    }
    System.arraycopy(bytes, start, header, 0, length);
    headerLength = length;
  }

  public void clearSequence() {
    sequenceLength = 0;
  }

  /** Appends residues; the caller has already removed line terminators and blanks. */
  public void appendSequence(byte[] bytes, int start, int length) {
    ensureSequenceCapacity(sequenceLength + length);
    System.arraycopy(bytes, start, sequence, sequenceLength, length);
    sequenceLength += length;
  }

  /** Grows the residue buffer to hold at least {@code capacity} bytes. */
  public void ensureSequenceCapacity(int capacity) {
    ensureSequenceCapacity(capacity, Integer.MAX_VALUE - 8);
  }

  /**
   * Grows the residue buffer to hold at least {@code capacity} bytes, by half again its size
   * but never beyond {@code ceiling} (unless {@code capacity} asks for more).
   */
  public void ensureSequenceCapacity(int capacity, int ceiling) {
    if (sequence.length < capacity) {
      long grown = Math.min(ceiling, Math.max(1024L, sequence.length + (long) sequence.length / 2));
      sequence = Arrays.copyOf(sequence, (int) Math.max(capacity, grown));
    }
  }

  public void setProblem(String problem) {
    this.problem = problem;
  }

  /** The file the record was read from, as a path string. */
  public String file() {
    return file;
  }

  /** Where the record's {@code >} is; see {@link #offsetKind()}. */
  public long offset() {
    return offset;
  }

  public OffsetKind offsetKind() {
    return offsetKind;
  }

  /** The place of the record in words, for messages: "byte 1234" or "BGZF block 5678 + 12". */
  public String place() {
    return place(offset, offsetKind);
  }

  public static String place(long offset, OffsetKind kind) {
    return kind == OffsetKind.BYTE
        ? "byte " + offset
        : "BGZF block " + (offset >>> 16) + " + " + (offset & 0xFFFF);
  }

  /** The header's backing array; valid bytes are [0, {@link #headerLength()}). */
  public byte[] headerBytes() {
    return header;
  }

  public int headerLength() {
    return headerLength;
  }

  /** The whole header line without {@code >}, decoded as UTF-8 (malformed bytes replaced). */
  public String header() {
    return new String(header, 0, headerLength, StandardCharsets.UTF_8);
  }

  /** The first word of the header: what BLAST and samtools call the sequence's id. */
  public String id() {
    int end = 0;
    while (end < headerLength && !isBlank(header[end])) {
      end++;
    }
    return new String(header, 0, end, StandardCharsets.UTF_8);
  }

  /** The header after the id and the blanks that follow it; empty when there is none. */
  public String description() {
    int i = 0;
    while (i < headerLength && !isBlank(header[i])) {
      i++;
    }
    while (i < headerLength && isBlank(header[i])) {
      i++;
    }
    return new String(header, i, headerLength - i, StandardCharsets.UTF_8);
  }

  /** The residues' backing array; valid bytes are [0, {@link #length()}). */
  public byte[] sequenceBytes() {
    return sequence;
  }

  /** Number of residues. */
  public int length() {
    return sequenceLength;
  }

  public String sequence() {
    return new String(sequence, 0, sequenceLength, StandardCharsets.US_ASCII);
  }

  /** The problem of a record with no residues: a header and no sequence lines, or only blank ones. */
  public static final String NO_RESIDUES = "no residues";

  /** Why the record was skipped, or null for a good record. */
  public String problem() {
    return problem;
  }

  public boolean isSkipped() {
    return problem != null;
  }

  /** An independent copy. */
  public FastaRecord copy() {
    FastaRecord c = new FastaRecord();
    c.set(file, offset, offsetKind);
    c.setHeader(header, 0, headerLength);
    c.appendSequence(sequence, 0, sequenceLength);
    c.problem = problem;
    return c;
  }

  static boolean isBlank(byte b) {
    return b == ' ' || b == '\t';
  }

  @Override
  public void write(DataOutput out) throws IOException {
    Text.writeString(out, file);
    WritableUtils.writeVLong(out, offset);
    out.writeByte(offsetKind.ordinal());
    WritableUtils.writeVInt(out, headerLength);
    out.write(header, 0, headerLength);
    WritableUtils.writeVInt(out, sequenceLength);
    out.write(sequence, 0, sequenceLength);
    out.writeBoolean(problem != null);
    if (problem != null) {
      Text.writeString(out, problem);
    }
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    file = Text.readString(in);
    offset = WritableUtils.readVLong(in);
    offsetKind = OffsetKind.values()[in.readByte()];
    headerLength = WritableUtils.readVInt(in);
    if (header.length < headerLength) {
      header = new byte[headerLength];
    }
    in.readFully(header, 0, headerLength);
    sequenceLength = WritableUtils.readVInt(in);
    ensureSequenceCapacity(sequenceLength);
    in.readFully(sequence, 0, sequenceLength);
    problem = in.readBoolean() ? Text.readString(in) : null;
  }

  @Override
  public String toString() {
    return ">" + header() + " (" + sequenceLength + " residues, " + file + " " + place() + ")";
  }
}
