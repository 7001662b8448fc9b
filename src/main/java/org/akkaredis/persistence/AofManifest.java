package org.akkaredis.persistence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.akkaredis.text.SdsText;

/**
 * Redis 7.0's AOF manifest ({@code appendonlydir/<appendfilename>.manifest}): the BASE file, the HISTORY files and
 * the INCR files that make up the append-only file. Parsed and written byte for byte as Redis 7.0 does, with the
 * changes Redis makes to it as plain functions: at start-up, when a rewrite starts (a new INCR) and when it ends (a
 * new BASE; the old BASE and INCRs become HISTORY, later deleted). Immutable: every change returns a new manifest.
 *
 * <p>Besides the files, a manifest carries Redis's two sequence counters: the next BASE gets {@link #lastBaseSeq()}
 * + 1 and the next INCR {@link #lastIncrSeq()} + 1. Parsing sets them from the BASE line and the last INCR line, as
 * Redis does; HISTORY lines never count, and a manifest in memory keeps its counters when its INCRs become HISTORY.
 *
 * <p>File names are UTF-8; Redis writes a name that has spaces, quotes, control or non-ASCII bytes in double quotes
 * with C escapes ({@code \t}, {@code \"}, {@code \xc3\xa9}), so {@link #format()} is ASCII.
 */
public final class AofManifest {
  public enum Type {
    BASE('b'), HISTORY('h'), INCR('i');

    private final char code;

    Type(char code) {
      this.code = code;
    }

    /** The letter after "type" in the manifest. */
    public char code() {
      return code;
    }

    static Type ofCode(int code) {
      for (Type type : values()) {
        if (type.code == code) return type;
      }
      return null;
    }
  }

  public record FileInfo(String name, long seq, Type type) {
    public FileInfo {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }
  }

  /**
   * A manifest Redis refuses to load. {@link #getMessage()} is Redis's own text (for example "Invalid AOF manifest
   * file format"); {@link #redisLogLines()} are all the lines Redis logs before it exits with status 1.
   */
  public static final class ManifestFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int lineNumber;
    private final String line;

    ManifestFormatException(String reason, int lineNumber, String line) {
      super(reason);
      this.lineNumber = lineNumber;
      this.line = line;
    }

    /** The 1-based line Redis names, or 0 when it names none (an empty manifest, a too long line). */
    public int lineNumber() {
      return lineNumber;
    }

    /** The offending line as Redis shows it (trimmed), or null when Redis shows none. */
    public String line() {
      return line;
    }

    /** What Redis logs, one entry per log call, in order (Redis adds a blank line after each). */
    public List<String> redisLogLines() {
      List<String> lines = new ArrayList<>(List.of("*** FATAL AOF MANIFEST FILE ERROR ***"));
      if (line != null) {
        lines.add("Reading the manifest file, at line " + lineNumber);
        lines.add(">>> '" + line + "'");
      }
      lines.add(getMessage());
      return List.copyOf(lines);
    }
  }

  /** Redis reads the manifest with fgets into a buffer of this many bytes: a longer line (with its '\n') fails. */
  private static final int MAX_LINE_BYTES = 1024;
  private static final String BASE_SUFFIX = ".base";
  private static final String INCR_SUFFIX = ".incr";
  private static final String RDB_SUFFIX = ".rdb";
  private static final String AOF_SUFFIX = ".aof";
  private static final String MANIFEST_SUFFIX = ".manifest";
  private static final String TEMP_PREFIX = "temp-";

  private static final AofManifest EMPTY = new AofManifest(null, List.of(), List.of(), 0, 0);

  private final FileInfo base;
  private final List<FileInfo> history;
  private final List<FileInfo> incrs;
  private final long lastBaseSeq;
  private final long lastIncrSeq;

  private AofManifest(FileInfo base, List<FileInfo> history, List<FileInfo> incrs, long lastBaseSeq,
      long lastIncrSeq) {
    this.base = base;
    this.history = List.copyOf(history);
    this.incrs = List.copyOf(incrs);
    this.lastBaseSeq = lastBaseSeq;
    this.lastIncrSeq = lastIncrSeq;
  }

  /** No files: what Redis has when the AOF directory or its manifest does not exist. */
  public static AofManifest empty() {
    return EMPTY;
  }

  /**
   * What a first start with appendonly yes writes: a BASE of the empty dataset ({@code <name>.1.base.rdb}, or
   * {@code .1.base.aof} with aof-use-rdb-preamble no) and {@code <name>.1.incr.aof}.
   */
  public static AofManifest fresh(String appendfilename, boolean rdbPreamble) {
    return EMPTY.openOnServerStart(appendfilename, rdbPreamble);
  }

  public static String baseName(String appendfilename, long seq, boolean rdbPreamble) {
    return appendfilename + "." + seq + BASE_SUFFIX + (rdbPreamble ? RDB_SUFFIX : AOF_SUFFIX);
  }

  public static String incrName(String appendfilename, long seq) {
    return appendfilename + "." + seq + INCR_SUFFIX + AOF_SUFFIX;
  }

  public static String manifestName(String appendfilename) {
    return appendfilename + MANIFEST_SUFFIX;
  }

  /** Where Redis writes a new manifest before renaming it over {@link #manifestName}. */
  public static String tempManifestName(String appendfilename) {
    return TEMP_PREFIX + appendfilename + MANIFEST_SUFFIX;
  }

  /** May be null. */
  public FileInfo base() {
    return base;
  }

  /** In the order they are loaded (ascending seq). */
  public List<FileInfo> incrs() {
    return incrs;
  }

  /** As Redis lists them: the last rewrite's old files first (its INCRs in seq order, then its BASE). */
  public List<FileInfo> history() {
    return history;
  }

  public long lastBaseSeq() {
    return lastBaseSeq;
  }

  public long lastIncrSeq() {
    return lastIncrSeq;
  }

  /** The files Redis loads, in order: the BASE, if any, then the INCRs. Empty means there is no AOF. */
  public List<FileInfo> filesToLoad() {
    List<FileInfo> files = new ArrayList<>(incrs.size() + 1);
    if (base != null) files.add(base);
    files.addAll(incrs);
    return List.copyOf(files);
  }

  /** The INCR that new commands are appended to, or null when there is none. */
  public FileInfo lastIncr() {
    return incrs.isEmpty() ? null : incrs.get(incrs.size() - 1);
  }

  /**
   * What start-up with appendonly yes does after loading: with neither a BASE nor an INCR, a new BASE (the caller
   * writes the dataset into it); with no INCR, a new INCR. Otherwise commands go on into the last INCR, unchanged.
   */
  public AofManifest openOnServerStart(String appendfilename, boolean rdbPreamble) {
    AofManifest manifest = this;
    if (base == null && incrs.isEmpty()) manifest = manifest.withNewBase(appendfilename, rdbPreamble);
    if (manifest.incrs.isEmpty()) manifest = manifest.openNewIncr(appendfilename);
    return manifest;
  }

  /** Adds the next INCR (seq {@link #lastIncrSeq()} + 1), as a rewrite does when it starts. */
  public AofManifest openNewIncr(String appendfilename) {
    long seq = lastIncrSeq + 1;
    List<FileInfo> newIncrs = new ArrayList<>(incrs);
    newIncrs.add(new FileInfo(incrName(appendfilename, seq), seq, Type.INCR));
    return new AofManifest(base, history, newIncrs, lastBaseSeq, seq);
  }

  /**
   * A finished rewrite with appendonly on: the new BASE (seq {@link #lastBaseSeq()} + 1) plus the last INCR, the one
   * opened when the rewrite started; the old BASE and the older INCRs become HISTORY.
   */
  public AofManifest afterRewrite(String appendfilename, boolean rdbPreamble) {
    FileInfo current = lastIncr();
    return afterRewrite(appendfilename, rdbPreamble, current == null ? Long.MAX_VALUE : current.seq());
  }

  /**
   * A finished rewrite: the new BASE (seq {@link #lastBaseSeq()} + 1) plus the INCRs from seq
   * {@code firstKeptIncrSeq} on; the old BASE and the INCRs before become HISTORY, listed first in ascending seq,
   * then the old BASE, then the older HISTORY, as Redis lists them. With appendonly off (a BGREWRITEAOF that
   * opened no INCR) pass {@code Long.MAX_VALUE}: every INCR becomes HISTORY.
   */
  public AofManifest afterRewrite(String appendfilename, boolean rdbPreamble, long firstKeptIncrSeq) {
    List<FileInfo> newHistory = new ArrayList<>();
    List<FileInfo> keptIncrs = new ArrayList<>();
    for (FileInfo incr : incrs) {
      if (incr.seq() < firstKeptIncrSeq) {
        newHistory.add(new FileInfo(incr.name(), incr.seq(), Type.HISTORY));
      } else {
        keptIncrs.add(incr);
      }
    }
    if (base != null) newHistory.add(new FileInfo(base.name(), base.seq(), Type.HISTORY));
    newHistory.addAll(history);
    long seq = lastBaseSeq + 1;
    FileInfo newBase = new FileInfo(baseName(appendfilename, seq, rdbPreamble), seq, Type.BASE);
    return new AofManifest(newBase, newHistory, keptIncrs, seq, lastIncrSeq);
  }

  /**
   * The HISTORY files to delete. Unlike Redis 7.0 this leaves out a name that the BASE or an INCR also has: a
   * manifest of only HISTORY entries makes Redis create a BASE and an INCR that reuse seq 1, and then delete the
   * live INCR as history.
   */
  public List<FileInfo> historyToDelete() {
    Set<String> live = new HashSet<>();
    for (FileInfo file : filesToLoad()) live.add(file.name());
    List<FileInfo> doomed = new ArrayList<>();
    for (FileInfo file : history) {
      if (!live.contains(file.name())) doomed.add(file);
    }
    return List.copyOf(doomed);
  }

  /** The manifest Redis writes once it has deleted the HISTORY files. */
  public AofManifest withoutHistory() {
    return history.isEmpty() ? this : new AofManifest(base, List.of(), incrs, lastBaseSeq, lastIncrSeq);
  }

  private AofManifest withNewBase(String appendfilename, boolean rdbPreamble) {
    long seq = lastBaseSeq + 1;
    List<FileInfo> newHistory = new ArrayList<>();
    if (base != null) newHistory.add(new FileInfo(base.name(), base.seq(), Type.HISTORY));
    newHistory.addAll(history);
    FileInfo newBase = new FileInfo(baseName(appendfilename, seq, rdbPreamble), seq, Type.BASE);
    return new AofManifest(newBase, newHistory, incrs, seq, lastIncrSeq);
  }

  /** The manifest's text as Redis writes it: the BASE, then the HISTORY, then the INCRs, one line each. */
  public String format() {
    StringBuilder text = new StringBuilder();
    if (base != null) appendLine(text, base);
    for (FileInfo file : history) appendLine(text, file);
    for (FileInfo file : incrs) appendLine(text, file);
    return text.toString();
  }

  private static void appendLine(StringBuilder text, FileInfo file) {
    text.append("file ");
    SdsText.appendRepr(text, file.name().getBytes(StandardCharsets.UTF_8));
    text.append(" seq ").append(file.seq()).append(" type ").append(file.type().code()).append('\n');
  }

  /** Parses a manifest's text; see {@link #parse(byte[])}. */
  public static AofManifest parse(String text) throws IOException {
    return parse(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Parses a manifest as Redis 7.0 loads it: lines starting with '#' are comments; each other line holds key-value
   * pairs (at least "file", "seq" and "type"; keys in any case and order, unknown keys ignored); at most one BASE;
   * INCR seqs strictly ascending. Everything Redis refuses fails with a {@link ManifestFormatException} carrying
   * Redis's message, and Redis's leniencies are kept: "seq 12abc" is 12 (atoll), "type incr" is INCR (only the
   * first letter counts), a last line without '\n' fails as "too long".
   */
  public static AofManifest parse(byte[] bytes) throws IOException {
    if (bytes.length == 0) throw new ManifestFormatException("Found an empty AOF manifest", 0, null);
    FileInfo base = null;
    List<FileInfo> history = new ArrayList<>();
    List<FileInfo> incrs = new ArrayList<>();
    long lastBaseSeq = 0;
    long lastIncrSeq = 0;
    int lineNumber = 0;
    int pos = 0;
    while (pos < bytes.length) {
      // One fgets call: through the next '\n', but never more than the buffer holds.
      int limit = Math.min(bytes.length, pos + MAX_LINE_BYTES);
      int end = pos;
      while (end < limit && bytes[end] != '\n') end++;
      boolean newline = end < limit;
      int start = pos;
      pos = newline ? end + 1 : limit;
      lineNumber++;
      if (bytes[start] == '#') continue;
      // Redis handles the buffer as a C string: a NUL byte ends it, hiding the '\n' after it.
      int stringEnd = indexOfNul(bytes, start, pos);
      if (!newline || stringEnd != pos) {
        throw new ManifestFormatException("The AOF manifest file contains too long line", 0, null);
      }
      byte[] line = SdsText.trim(bytes, start, stringEnd);
      String shown = new String(line, StandardCharsets.UTF_8);
      List<byte[]> args = line.length == 0 ? null : SdsText.splitArgs(line);
      if (args == null || args.size() < 6 || args.size() % 2 != 0) {
        throw new ManifestFormatException("Invalid AOF manifest file format", lineNumber, shown);
      }
      byte[] name = null;
      long seq = 0;
      int typeCode = 0;
      for (int i = 0; i < args.size(); i += 2) {
        String key = new String(cString(args.get(i)), StandardCharsets.ISO_8859_1);
        byte[] value = cString(args.get(i + 1));
        if (key.equalsIgnoreCase("file")) {
          name = value;
          if (contains(name, '/') || contains(name, '\\')) {
            throw new ManifestFormatException("File can't be a path, just a filename", lineNumber, shown);
          }
        } else if (key.equalsIgnoreCase("seq")) {
          seq = SdsText.atoll(value);
        } else if (key.equalsIgnoreCase("type")) {
          typeCode = value.length == 0 ? 0 : value[0];
        }
      }
      if (name == null || seq == 0 || typeCode == 0) {
        throw new ManifestFormatException("Invalid AOF manifest file format", lineNumber, shown);
      }
      Type type = Type.ofCode(typeCode);
      if (type == null) throw new ManifestFormatException("Unknown AOF file type", lineNumber, shown);
      FileInfo file = new FileInfo(new String(name, StandardCharsets.UTF_8), seq, type);
      switch (type) {
        case BASE -> {
          if (base != null) {
            throw new ManifestFormatException("Found duplicate base file information", lineNumber, shown);
          }
          base = file;
          lastBaseSeq = seq;
        }
        case HISTORY -> history.add(file);
        case INCR -> {
          // lastIncrSeq starts at 0, as Redis's maxseq does: a first INCR with a negative seq fails too.
          if (seq <= lastIncrSeq) {
            throw new ManifestFormatException("Found a non-monotonic sequence number", lineNumber, shown);
          }
          incrs.add(file);
          lastIncrSeq = seq;
        }
      }
    }
    return new AofManifest(base, history, incrs, lastBaseSeq, lastIncrSeq);
  }

  private static int indexOfNul(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == 0) return i;
    }
    return to;
  }

  private static byte[] cString(byte[] arg) {
    int nul = indexOfNul(arg, 0, arg.length);
    return nul == arg.length ? arg : Arrays.copyOf(arg, nul);
  }

  private static boolean contains(byte[] bytes, char c) {
    for (byte b : bytes) {
      if (b == c) return true;
    }
    return false;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AofManifest that && Objects.equals(base, that.base) && history.equals(that.history)
        && incrs.equals(that.incrs) && lastBaseSeq == that.lastBaseSeq && lastIncrSeq == that.lastIncrSeq;
  }

  @Override
  public int hashCode() {
    return Objects.hash(base, history, incrs, lastBaseSeq, lastIncrSeq);
  }

  @Override
  public String toString() {
    return "AofManifest[" + format().replace("\n", "; ") + "lastBaseSeq=" + lastBaseSeq + ", lastIncrSeq="
        + lastIncrSeq + "]";
  }
}
