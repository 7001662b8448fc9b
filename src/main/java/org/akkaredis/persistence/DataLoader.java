package org.akkaredis.persistence;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.akkaredis.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node loads at start, in Redis's order: the AOF when appendonly is yes (the manifest's base, an RDB or
 * commands, then its incr files), else {@code <dir>/<dbfilename>}. Everything is handed on as commands, to run as
 * a client would send them: an RDB's keys as SET, RPUSH, SADD, ZADD, HSET (and PEXPIREAT), the AOF's as they are.
 */
public final class DataLoader {
  private static final Logger LOG = LoggerFactory.getLogger(DataLoader.class);
  /** Elements per command when an RDB value becomes commands (Redis's rewrite uses 64; bigger loads faster). */
  static final int ITEMS_PER_COMMAND = 512;

  /** Where the loaded commands go, in order. */
  public interface Commands {
    void command(byte[][] args) throws IOException;
  }

  /** The start-up data is unusable: the node must not start (Redis exits with this message). */
  public static final class LoadException extends IOException {
    public LoadException(String message) {
      super(message);
    }
  }

  private DataLoader() {}

  /** The AOF's manifest, or null when there is none (no directory, or no manifest in it). */
  public static AofManifest manifest(Settings settings) throws IOException {
    Path file = AofFiles.dir(settings).resolve(AofManifest.manifestName(settings.rawValue("appendfilename")));
    byte[] text;
    try {
      text = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    }
    try {
      return AofManifest.parse(text);
    } catch (AofManifest.ManifestFormatException e) {
      e.redisLogLines().forEach(LOG::error);
      throw e;
    }
  }

  /**
   * Loads the AOF {@code manifest} names. A truncated tail of the last incr file (or an unfinished MULTI at its
   * end) is cut off with aof-load-truncated yes, else refused; anything else that is not whole commands stops the
   * start.
   */
  public static void loadAof(Settings settings, AofManifest manifest, Commands out, LoadStatus status)
      throws IOException {
    Path dir = AofFiles.dir(settings);
    List<AofManifest.FileInfo> files = manifest.filesToLoad();
    long total = 0;
    for (AofManifest.FileInfo file : files) total += sizeOrZero(dir.resolve(file.name()));
    status.totalBytes = total;
    long before = 0;
    for (int i = 0; i < files.size(); i++) {
      AofManifest.FileInfo file = files.get(i);
      Path path = dir.resolve(file.name());
      if (!Files.exists(path)) {
        throw new LoadException("Unable to obtain the AOF file " + file.name() + " length. stat: No such file or "
            + "directory");
      }
      long start = before;
      loadAofFile(path, file.type() == AofManifest.Type.BASE, i == files.size() - 1, settings, out,
          bytes -> status.loadedBytes = start + bytes);
      before += Files.size(path);
    }
    LOG.info("DB loaded from append only file: {} files", files.size());
  }

  /** One file of the AOF. */
  private static void loadAofFile(Path path, boolean base, boolean last, Settings settings, Commands out,
      LongConsumer progress) throws IOException {
    String name = path.getFileName().toString();
    if (Files.size(path) == 0) return;
    long rdbBytes = 0;
    AofCommandReader.Result result;
    try (CountingStream counting = new CountingStream(Files.newInputStream(path), progress);
        BufferedInputStream in = new BufferedInputStream(counting, 1 << 16)) {
      if (startsWithRdb(path)) {
        rdbBytes = RdbReader.read(in, new RdbCommands(out, null, settings));
        if (!base) LOG.info("Reading RDB preamble from AOF file {}", name);
      }
      result = AofCommandReader.read(in, out::command);
    } catch (RdbReader.RdbFormatException e) {
      throw new LoadException("Bad file format reading the append only file " + name + ": " + e.getMessage());
    } catch (AofCommandReader.AofFormatException e) {
      LOG.warn("{}: {}", name, e.getMessage());
      throw new LoadException("Bad file format reading the append only file " + name + ": make a backup of your "
          + "AOF file, then use ./redis-check-aof --fix <filename.manifest>");
    }
    long valid = rdbBytes + result.validBytes();
    if (result.truncated()) {
      if (!last) {
        LOG.warn("!!! Warning: short read while loading the AOF file {}!!!", name);
        throw new LoadException("Fatal error: the truncated file " + name + " is not the last file");
      }
      if (!"yes".equals(settings.rawValue("aof-load-truncated"))) {
        throw new LoadException("Unexpected end of file reading the append only file " + name + ". You can: 1) "
            + "Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) "
            + "Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.");
      }
      LOG.warn("!!! Warning: short read while loading the AOF file {}!!!", name);
      LOG.warn("!!! Truncating the AOF {} at offset {} !!!", name, valid);
      // Cut the tail off, so what is appended next follows the last whole command.
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
        channel.truncate(valid);
        channel.force(true);
      }
      LOG.warn("AOF {} loaded anyway because aof-load-truncated is enabled", name);
    }
  }

  /**
   * Loads {@code file} (an RDB); false when there is none. A {@code master} leaves out the keys already expired
   * (Redis's rdbLoad when iAmMaster()); a replica keeps them, since only its master's DEL removes a key from it, and
   * the master may still send commands that need them.
   */
  public static boolean loadRdb(Settings settings, Path file, Commands out, LoadStatus status, SaveStatus saved,
      long nowMs, boolean master) throws IOException {
    if (!Files.exists(file)) return false;
    status.totalBytes = Files.size(file);
    ExpiredKeys filter = new ExpiredKeys(master, nowMs);
    try (CountingStream counting = new CountingStream(Files.newInputStream(file), b -> status.loadedBytes = b);
        BufferedInputStream in = new BufferedInputStream(counting, 1 << 16)) {
      RdbReader.read(in, new RdbCommands(out, filter, settings));
    } catch (RdbReader.RdbFormatException e) {
      throw new LoadException("Short read or OOM loading DB. Unrecoverable error, aborting now. (" + file
          + ": " + e.getMessage() + ")");
    }
    saved.loadKeysLoaded = filter.loaded;
    saved.loadKeysExpired = filter.skipped;
    LOG.info("Done loading RDB, keys loaded: {}, keys expired: {}.", filter.loaded, filter.skipped);
    return true;
  }

  /**
   * The snapshot file's keys as commands, for DEBUG RELOAD: as {@link #loadRdb}, a {@code master} leaves out the
   * keys already expired at {@code nowMs}. Null when the bytes are no RDB.
   */
  public static List<byte[][]> commandsOfSnapshot(byte[] bytes, boolean master, long nowMs) throws IOException {
    if (!isRdb(bytes)) return null;
    List<byte[][]> commands = new ArrayList<>();
    RdbReader.read(new ByteArrayInputStream(bytes), new RdbCommands(commands::add, new ExpiredKeys(master, nowMs),
        null));
    return commands;
  }

  /**
   * An RDB (a chunk of a replica's full sync, {@link RdbWriter#chunksOf}) as the commands that make its keys, or
   * null when the bytes are no RDB (a chunk of commands).
   */
  public static List<byte[][]> commandsOfRdb(byte[] bytes) throws IOException {
    if (!isRdb(bytes)) return null;
    List<byte[][]> commands = new ArrayList<>();
    RdbReader.read(new ByteArrayInputStream(bytes), new RdbCommands(commands::add, null, null));
    return commands;
  }

  private static boolean isRdb(byte[] bytes) {
    return bytes.length >= 5 && new String(bytes, 0, 5, StandardCharsets.US_ASCII).equals("REDIS");
  }

  private static boolean startsWithRdb(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      byte[] magic = in.readNBytes(5);
      return new String(magic, StandardCharsets.US_ASCII).equals("REDIS");
    }
  }

  private static long sizeOrZero(Path path) {
    try {
      return Files.size(path);
    } catch (IOException e) {
      return 0;
    }
  }

  /** Which keys of an RDB to load, by their expiry (unix ms, -1 for none). */
  interface KeyFilter {
    boolean load(long expireAtMs);
  }

  /**
   * Redis's rule for an RDB's expired keys: a master skips a key whose time is before {@code nowMs}, a replica loads
   * every key. Counts what it loaded and skipped (INFO's rdb_last_load_keys_loaded and _expired).
   */
  static final class ExpiredKeys implements KeyFilter {
    private final boolean master;
    private final long nowMs;
    long loaded;
    long skipped;

    ExpiredKeys(boolean master, long nowMs) {
      this.master = master;
      this.nowMs = nowMs;
    }

    @Override public boolean load(long expireAtMs) {
      if (master && expireAtMs != -1 && expireAtMs < nowMs) {
        skipped++;
        return false;
      }
      loaded++;
      return true;
    }
  }

  /** An RDB's keys as the commands that make them, each database after its SELECT. */
  static final class RdbCommands implements RdbReader.Visitor {
    private static final byte[] SELECT = RdbWriter.ascii("SELECT");
    private static final byte[] SET = RdbWriter.ascii("SET");
    private static final byte[] PXAT = RdbWriter.ascii("PXAT");
    private static final byte[] RPUSH = RdbWriter.ascii("RPUSH");
    private static final byte[] SADD = RdbWriter.ascii("SADD");
    private static final byte[] ZADD = RdbWriter.ascii("ZADD");
    private static final byte[] HSET = RdbWriter.ascii("HSET");
    private static final byte[] PEXPIREAT = RdbWriter.ascii("PEXPIREAT");
    private static final byte[] RESTORE = RdbWriter.ascii("RESTORE");
    private static final byte[] REPLACE = RdbWriter.ascii("REPLACE");
    private static final byte[] NO_TTL = RdbWriter.ascii("0");
    private static final byte[] FUNCTION = RdbWriter.ascii("FUNCTION");
    private static final byte[] LOAD = RdbWriter.ascii("LOAD");

    private final Commands out;
    private final KeyFilter filter;
    private final Settings settings;
    /** The database the commands are in; -1 at first, so that the first key's SELECT is always there. */
    private int db = -1;

    RdbCommands(Commands out, KeyFilter filter, Settings settings) {
      this.out = out;
      this.filter = filter;
      this.settings = settings;
    }

    /** A function library, loaded as FUNCTION LOAD loads one (functionsCreateWithLibraryCtx, no replace). */
    @Override public void library(byte[] code) throws IOException {
      out.command(new byte[][] {FUNCTION, LOAD, code});
    }

    @Override public void key(int keyDb, byte[] key, RdbReader.Value value, long expireAtMs) throws IOException {
      // key-load-delay: Redis's testing aid, microseconds per key, read per key so CONFIG SET changes it at once.
      long delayMicros = settings == null ? 0 : settings.longValue("key-load-delay");
      if (delayMicros > 0) LockSupport.parkNanos(delayMicros * 1000);
      if (filter != null && !filter.load(expireAtMs)) return;
      if (keyDb != db) {
        out.command(new byte[][] {SELECT, RdbWriter.ascii(Integer.toString(keyDb))});
        db = keyDb;
      }
      if (value instanceof RdbReader.StringValue string) {
        out.command(expireAtMs >= 0
            ? new byte[][] {SET, key, string.value(), PXAT, RdbWriter.ascii(Long.toString(expireAtMs))}
            : new byte[][] {SET, key, string.value()});
        return;
      }
      if (value instanceof RdbReader.ListValue list) {
        batches(RPUSH, key, list.items().size(), 1, (i, args, at) -> args[at] = list.items().get(i));
      } else if (value instanceof RdbReader.SetValue set) {
        batches(SADD, key, set.members().size(), 1, (i, args, at) -> args[at] = set.members().get(i));
      } else if (value instanceof RdbReader.ZSetValue zset) {
        batches(ZADD, key, zset.members().size(), 2, (i, args, at) -> {
          args[at] = RdbWriter.ascii(scoreText(zset.scores()[i]));
          args[at + 1] = zset.members().get(i);
        });
      } else if (value instanceof RdbReader.HashValue hash) {
        batches(HSET, key, hash.fields().size(), 2, (i, args, at) -> {
          args[at] = hash.fields().get(i);
          args[at + 1] = hash.values().get(i);
        });
      } else if (value instanceof RdbReader.StreamValue stream) {
        // A stream's groups and pending entries have no plain commands that keep their times: its DUMP payload.
        out.command(new byte[][] {RESTORE, key, NO_TTL, DumpPayload.of(stream.stream()), REPLACE});
      }
      if (expireAtMs >= 0) out.command(new byte[][] {PEXPIREAT, key, RdbWriter.ascii(Long.toString(expireAtMs))});
    }

    private interface Filler {
      void fill(int element, byte[][] args, int at);
    }

    private void batches(byte[] name, byte[] key, int elements, int width, Filler filler) throws IOException {
      for (int from = 0; from < elements; from += ITEMS_PER_COMMAND) {
        int count = Math.min(ITEMS_PER_COMMAND, elements - from);
        byte[][] args = new byte[2 + count * width][];
        args[0] = name;
        args[1] = key;
        for (int i = 0; i < count; i++) filler.fill(from + i, args, 2 + i * width);
        out.command(args);
      }
    }

    /** A score as text that parses back to the same double ("inf", "-inf" for the infinities). */
    private static String scoreText(double score) {
      if (score == Double.POSITIVE_INFINITY) return "inf";
      if (score == Double.NEGATIVE_INFINITY) return "-inf";
      return Double.toString(score);
    }
  }

  /** Tells how many bytes were read so far (INFO's loading_loaded_bytes). */
  private static final class CountingStream extends FilterInputStream {
    private final LongConsumer progress;
    private long count;

    CountingStream(InputStream in, LongConsumer progress) {
      super(in);
      this.progress = progress;
    }

    @Override public int read() throws IOException {
      int b = super.read();
      if (b >= 0) progress.accept(++count);
      return b;
    }

    @Override public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) progress.accept(count += n);
      return n;
    }
  }
}
