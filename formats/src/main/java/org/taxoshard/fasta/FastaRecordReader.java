package org.taxoshard.fasta;

import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.Counter;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.taxoshard.conf.TaxoshardKeys;
import org.taxoshard.formats.BadInputException;

/**
 * Reads the FASTA records of one split.
 *
 * <p><b>Which split reads a record.</b> A record belongs to the split that holds the line
 * terminator ({@code \n} or {@code \r}) just before its {@code >}; a {@code >} at byte 0 of the
 * file belongs to the split that starts at 0. For plain files a split holds the bytes
 * [start, end); for BGZF, the blocks whose compressed address lies in [start, end); a gzip file
 * is one split. So a reader starts at its split's start without looking back, skips to the first
 * {@code >} that follows a terminator it holds, and reads past its end to finish the last record
 * it owns, stopping at the first {@code >} whose terminator lies beyond its end. Every record is
 * read by exactly one split, for every split size (TextInputFormat's rule, made to work for
 * BGZF).
 *
 * <p><b>What a record is.</b> A header line starting with {@code >} (the rest of the line, raw,
 * is the header; a {@code >} further in is part of it), then sequence lines up to the next
 * header line. Line ends may be LF, CRLF or CR. Blank lines and lines starting with {@code ;} are
 * ignored; blanks inside sequence lines are dropped; residue letters keep their case. A record
 * with no residues is returned skipped, with problem {@link FastaRecord#NO_RESIDUES}, in strict
 * mode too: makeblastdb ignores it with a warning, and it must not count in the database's size.
 *
 * <p><b>Bad input.</b> Data before the first header, a header with no id, a byte in a sequence
 * line that is not a residue ({@link Residues}), a record longer than
 * {@code taxoshard.fasta.max-record-bytes}, and truncated or corrupt compressed data. Strict
 * (default): a {@link BadInputException} naming the file, the place and the record. Lenient: the
 * record is returned with its {@link FastaRecord#problem()} set, its header as read (up to the
 * ceiling) and no residues, and counted as skipped; reading goes on at the next header. Data
 * before the first header is reported by the file's first split, wherever it lies.
 *
 * <p><b>Memory.</b> One record (bounded by the ceiling) and a 64 KiB buffer.
 */
public class FastaRecordReader extends RecordReader<LongWritable, FastaRecord> {
  private static final int BUFFER = 1 << 16;

  private final byte[] buf = new byte[BUFFER];
  private int bufPos;
  private int bufLen;
  private ByteSource source;
  private String file;
  private long end;
  private boolean firstSplit;
  private boolean lenient;
  private long maxRecordBytes;
  private Counter recordsCounter;
  private Counter residuesCounter;
  private Counter skippedCounter;

  private final LongWritable key = new LongWritable();
  private final FastaRecord value = new FastaRecord();
  private byte[] header = new byte[256];

  private boolean started;
  /** A split given to {@link #initialize(InputSplit, TaskAttemptContext)} and not opened yet. */
  private FileSplit pendingSplit;
  private Configuration pendingConf;
  private boolean done;
  /** Positioned just after the {@code >} of a record this split owns. */
  private boolean haveNext;
  private long nextOffset;
  /** Junk before the first header, to be returned as a skipped record (lenient mode). */
  private long junkOffset = -1;

  /**
   * Keeps the split, to be opened by the first {@link #nextKeyValue()}: a task initializes its
   * reader before its mapper runs, and only failures inside the mapper's run reach the handler
   * that reports them as bad input, naming the file and the place (a file-system checksum failing
   * in the bytes the opening reads would otherwise end the task with no word of the file).
   */
  @Override
  public void initialize(InputSplit genericSplit, TaskAttemptContext context) throws IOException {
    pendingSplit = (FileSplit) genericSplit;
    pendingConf = context.getConfiguration();
    recordsCounter = counter(context, FastaInputFormat.Counter.RECORDS);
    residuesCounter = counter(context, FastaInputFormat.Counter.RESIDUES);
    skippedCounter = counter(context, FastaInputFormat.Counter.SKIPPED_RECORDS);
  }

  private static Counter counter(TaskAttemptContext context, Enum<?> name) {
    try {
      return context.getCounter(name);
    } catch (RuntimeException e) {
      return null; // contexts made outside a task may have no counters
    }
  }

  void initialize(FileSplit split, Configuration conf) throws IOException {
    Path path = split.getPath();
    FileSystem fs = path.getFileSystem(conf);
    file = path.toString();
    lenient = FastaInputFormat.isLenient(conf);
    maxRecordBytes = FastaInputFormat.getMaxRecordBytes(conf);
    long start = split.getStart();
    end = start + split.getLength();
    long length = fs.getFileStatus(path).getLen();
    firstSplit = start == 0;
    switch (FastaInputFormat.compressionOf(fs, path)) {
      case PLAIN -> source = new ByteSource.Plain(file, fs.open(path), start, end);
      case GZIP -> {
        if (start != 0) {
          throw new IOException(file + ": a gzip file cannot be split; split at " + start);
        }
        source = new ByteSource.Gzip(file, fs.open(path), length);
        end = Long.MAX_VALUE;
      }
      case BGZF -> source = new ByteSource.Bgzf(file, fs.open(path), fs.open(path), start, end, length);
      default -> throw new IllegalStateException();
    }
  }

  /** The next byte (0-255), or -1 at the end of the data. */
  private int next() throws IOException {
    if (bufPos == bufLen) {
      if (!refill()) {
        return -1;
      }
    }
    return buf[bufPos++] & 0xFF;
  }

  private boolean refill() throws IOException {
    int n = source.fill(buf);
    bufPos = 0;
    bufLen = Math.max(0, n);
    return n > 0;
  }

  /** Owner position of the byte {@link #next()} returned last. */
  private long ownerOfLast() {
    return source.ownerPosition(bufPos - 1);
  }

  /** Offset of the byte {@link #next()} returned last. */
  private long offsetOfLast() {
    return source.offset(bufPos - 1);
  }

  private static boolean isTerminator(int b) {
    return b == '\n' || b == '\r';
  }

  private static boolean isBlank(int b) {
    return b == ' ' || b == '\t';
  }

  /**
   * Moves to the first header this split owns. In the file's first split, anything but blank
   * and {@code ;} lines before the first header is junk, reported once; that split reads on to
   * the file's first header line even past its end (claiming the header only if it owns the line
   * end before it), since no other split can tell junk before the first header from a record's
   * sequence lines: stopping at the split end lost junk that blank lines had pushed past it, so a
   * file that fails read whole was read without a word in splits.
   */
  private void seekFirstHeader() throws IOException {
    boolean atLineStart = firstSplit;
    boolean contentLine = false;
    // Owner of the terminator that began the current line; -1 for the file's first line.
    long lineStartOwner = -1;
    int b;
    while ((b = next()) >= 0) {
      if (isTerminator(b)) {
        lineStartOwner = ownerOfLast();
        if (lineStartOwner >= end && !firstSplit) {
          return;
        }
        atLineStart = true;
        contentLine = false;
        continue;
      }
      if (atLineStart) {
        atLineStart = false;
        if (b == '>') {
          if (lineStartOwner < end) {
            haveNext = true;
            nextOffset = offsetOfLast();
          }
          return;
        }
        contentLine = b != ';';
      } else if (!firstSplit && ownerOfLast() >= end) {
        // Past the end with no terminator of ours before this byte: any later '>' follows a
        // terminator beyond the end, so this split owns no record (a chromosome on one line is
        // not read to its end by every split it spans). The first split reads on: data before
        // the first header is its to report, however far it lies.
        return;
      }
      if (firstSplit && contentLine && !isBlank(b) && junkOffset < 0) {
        junkOffset = offsetOfLast();
        String problem = "data before the first '>' header: a FASTA file must start with a header line";
        if (!lenient) {
          throw new BadInputException(file, FastaRecord.place(junkOffset, source.offsetKind()), null, problem);
        }
      }
    }
  }

  @Override
  public boolean nextKeyValue() throws IOException {
    if (!started) {
      started = true;
      if (pendingSplit != null) {
        FileSplit split = pendingSplit;
        pendingSplit = null;
        initialize(split, pendingConf);
      }
      seekFirstHeader();
      if (junkOffset >= 0) {
        value.set(file, junkOffset, source.offsetKind());
        value.setHeader(header, 0, 0);
        value.clearSequence();
        value.setProblem("data before the first '>' header");
        key.set(junkOffset);
        count(skippedCounter, 1);
        return true;
      }
    }
    if (done || !haveNext) {
      done = true;
      return false;
    }
    readRecord();
    return true;
  }

  /** Reads the record whose {@code >} was just consumed, and finds whether another follows. */
  private void readRecord() throws IOException {
    haveNext = false;
    long offset = nextOffset;
    value.set(file, offset, source.offsetKind());
    value.clearSequence();
    key.set(offset);
    String problem = null;

    // The header line.
    int headerLength = 0;
    int b;
    while ((b = next()) >= 0 && !isTerminator(b)) {
      if (headerLength < maxRecordBytes) {
        if (headerLength == header.length) {
          header = Arrays.copyOf(header, (int) Math.min(maxRecordBytes, Math.min(Integer.MAX_VALUE - 8, 2L * header.length)));
        }
        header[headerLength++] = (byte) b;
      } else if (problem == null) {
        problem = "the header is longer than " + maxRecordBytes + " bytes (" + TaxoshardKeys.FASTA_MAX_RECORD_BYTES.key() + ")";
      }
    }
    value.setHeader(header, 0, headerLength);
    if (problem == null && (headerLength == 0 || isBlank(header[0]))) {
      problem = "the header has no id: '>' must be followed by the sequence id";
    }
    if (problem != null && !lenient) {
      throw bad(offset, problem);
    }

    // Sequence lines, up to the next header or the end. The owner of the terminator before a
    // header decides whether that header is this split's.
    long lastTerminator = b >= 0 ? ownerOfLast() : Long.MAX_VALUE;
    boolean atLineStart = true;
    while (b >= 0) {
      if (bufPos == bufLen && !refill()) {
        break;
      }
      b = buf[bufPos] & 0xFF;
      if (isTerminator(b)) {
        bufPos++;
        lastTerminator = ownerOfLast();
        atLineStart = true;
        continue;
      }
      if (atLineStart) {
        atLineStart = false;
        if (b == '>') {
          bufPos++;
          if (lastTerminator < end) {
            haveNext = true;
            nextOffset = offsetOfLast();
          }
          break;
        }
        if (b == ';') {
          skipLine();
          continue;
        }
      }
      problem = sequenceRun(offset, headerLength, problem);
    }
    if (!haveNext) {
      done = true;
    }

    if (problem == null && value.length() == 0) {
      problem = FastaRecord.NO_RESIDUES;
    }
    if (problem != null) {
      // A skipped record carries no residues: how many a reader had taken before it saw the
      // problem depended on where its buffer happened to end (the same file gave different
      // records read plain, gzipped or in other splits).
      value.clearSequence();
      value.setProblem(problem);
      count(skippedCounter, 1);
    } else {
      count(recordsCounter, 1);
      count(residuesCounter, value.length());
    }
  }

  /** Consumes the rest of a line, not its terminator. */
  private void skipLine() throws IOException {
    while (true) {
      if (bufPos == bufLen && !refill()) {
        return;
      }
      while (bufPos < bufLen) {
        if (isTerminator(buf[bufPos])) {
          return;
        }
        bufPos++;
      }
    }
  }

  /**
   * Consumes sequence bytes up to the end of the line (not its terminator), appending runs of
   * residues in bulk.
   *
   * @return the record's problem, the one it had or a new one
   */
  private String sequenceRun(long offset, int headerLength, String problem) throws IOException {
    while (true) {
      if (bufPos == bufLen && !refill()) {
        return problem;
      }
      int runStart = bufPos;
      while (bufPos < bufLen) {
        byte c = buf[bufPos];
        if (Residues.code(c) < 0) {
          break;
        }
        bufPos++;
      }
      if (bufPos > runStart && problem == null) {
        int run = bufPos - runStart;
        if ((long) headerLength + value.length() + run > maxRecordBytes) {
          problem = "the record is longer than " + maxRecordBytes + " bytes; raise "
              + TaxoshardKeys.FASTA_MAX_RECORD_BYTES.key() + " (and the task heap) to read it";
          if (!lenient) {
            throw bad(offset, problem);
          }
        } else {
          // Never more than the ceiling: a record near it must not need twice its size.
          value.ensureSequenceCapacity(value.length() + run, (int) Math.min(maxRecordBytes, Integer.MAX_VALUE - 8));
          value.appendSequence(buf, runStart, run);
        }
      }
      if (bufPos == bufLen) {
        continue;
      }
      byte c = buf[bufPos];
      if (isTerminator(c)) {
        return problem;
      }
      bufPos++;
      if (isBlank(c)) {
        continue;
      }
      if (problem == null) {
        problem = String.format("byte 0x%02x%s at %s is not a residue", c & 0xFF,
            c >= 0x21 && c < 0x7f ? " ('" + (char) c + "')" : "",
            FastaRecord.place(source.offset(bufPos - 1), source.offsetKind()));
        if (!lenient) {
          throw bad(offset, problem);
        }
      }
    }
  }

  private BadInputException bad(long offset, String problem) {
    String id = value.id();
    if (id.isEmpty()) {
      id = null;
    }
    return new BadInputException(file, "record at " + FastaRecord.place(offset, source.offsetKind()), id, problem);
  }

  private static void count(Counter c, long n) {
    if (c != null) {
      c.increment(n);
    }
  }

  @Override
  public LongWritable getCurrentKey() {
    return key;
  }

  @Override
  public FastaRecord getCurrentValue() {
    return value;
  }

  @Override
  public float getProgress() {
    return done ? 1f : source == null ? 0f : source.progress();
  }

  @Override
  public void close() throws IOException {
    if (source != null) {
      source.close();
    }
  }
}
