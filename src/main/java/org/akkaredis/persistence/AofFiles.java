package org.akkaredis.persistence;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.EffectBuffer;

/**
 * The AOF's files in {@code <dir>/<appenddirname>}: incr files appended to, the new base a rewrite writes into a
 * temp file and renames, and the manifest (temp file, fsync, rename, fsync of the directory). Only I/O; which file
 * is which at any moment is {@link AofRewrite}'s business. Used by the {@link AofWriter} actor alone.
 */
final class AofFiles {
  private static final byte[] SELECT_0 = select(0);
  private static final byte[] FUNCTION = "FUNCTION".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LOAD = "LOAD".getBytes(StandardCharsets.US_ASCII);

  private final Path dir;
  private final String appendfilename;

  AofFiles(Path dir, String appendfilename) throws IOException {
    this.dir = dir;
    this.appendfilename = appendfilename;
    Files.createDirectories(dir);
  }

  /** Where the AOF's files are: {@code <dir>/<appenddirname>}. */
  static Path dir(Settings settings) {
    return Path.of(settings.dir()).resolve(settings.rawValue("appenddirname"));
  }

  /** An incr file being appended to: its channel, the bytes not yet written, and its selected database. */
  static final class Incr {
    final String name;
    private final FileChannel channel;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long size;
    /** The database the file's last command is in; -1 when a SELECT must come first. */
    private int db = -1;
    private boolean unsynced;

    private Incr(String name, FileChannel channel, long size) {
      this.name = name;
      this.channel = channel;
      this.size = size;
    }

    /** Bytes written (fsynced or not), where the next write goes; not the pending ones. */
    long size() {
      return size;
    }

    /** Whether bytes wait to be written (a failed write left them). */
    boolean hasPending() {
      return pending.size() > 0;
    }

    void append(int db, byte[] resp) {
      if (db != this.db) {
        pending.writeBytes(select(db));
        this.db = db;
      }
      pending.writeBytes(resp);
    }

    /**
     * Writes what is pending at the end of the file's good part. On a failure (a full disk) the pending bytes stay
     * and the partial tail is cut off, as Redis does after a short write, so the file still ends with whole commands;
     * if the cut fails too, the next attempt writes all the pending bytes from the same place, over that tail.
     */
    void write() throws IOException {
      if (pending.size() == 0) return;
      ByteBuffer buffer = ByteBuffer.wrap(pending.toByteArray());
      long end = size;
      try {
        while (buffer.hasRemaining()) end += channel.write(buffer, end);
      } catch (IOException e) {
        try {
          channel.truncate(size);
        } catch (IOException truncateFailed) {
          e.addSuppressed(truncateFailed);
        }
        throw e;
      }
      size = end;
      pending.reset();
      unsynced = true;
    }

    void sync() throws IOException {
      if (!unsynced) return;
      channel.force(false);
      unsynced = false;
    }

    void close() throws IOException {
      channel.close();
    }

    void closeQuietly() {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing more is written to it
      }
    }
  }

  /** A new base being written into a temp file: RDB parts per database (preamble), or command chunks. */
  final class Base {
    private final Path temp;
    private final FileChannel channel;
    private final OutputStream out;
    /** Null when the base is written as commands (aof-use-rdb-preamble no). */
    private final RdbWriter.Output rdb;
    /** The database the base's last command is in (command form); -1 when unknown. */
    private int db;

    private Base(Path temp, FileChannel channel, OutputStream out, RdbWriter.Output rdb) {
      this.temp = temp;
      this.channel = channel;
      this.out = out;
      this.rdb = rdb;
    }

    boolean rdb() {
      return rdb != null;
    }

    /**
     * The function libraries: RDB_OPCODE_FUNCTION2 records with a preamble, else FUNCTION LOAD commands, as Redis's
     * rewriteFunctions writes them.
     */
    void libraries(List<byte[]> codes) throws IOException {
      if (codes.isEmpty()) return;
      if (rdb != null) {
        rdb.libraries(FunctionPayload.records(codes, false));
        return;
      }
      for (byte[] code : codes) out.write(EffectBuffer.encode(FUNCTION, LOAD, code));
    }

    /** One range's part: {@code rdbParts} per database with a preamble, else {@code chunks} of commands. */
    void part(RdbWriter.Part[] rdbParts, List<byte[]> chunks) throws IOException {
      if (rdbParts != null) {
        for (int db = 0; db < rdbParts.length; db++) rdb.part(db, rdbParts[db]);
        return;
      }
      for (byte[] chunk : chunks) {
        // Each chunk starts in database 0 unless it selects another; what it ends in is not known here.
        if (db != 0) out.write(SELECT_0);
        out.write(chunk);
        db = -1;
      }
    }

    /** Ends the file and makes it durable; it stays under its temp name until {@link #installAs}. */
    void complete() throws IOException {
      if (rdb != null) rdb.end();
      out.flush();
      channel.force(true);
      channel.close();
    }

    /** Renames the completed file to {@code name}, atomically, over any file of that name. */
    void installAs(String name) throws IOException {
      Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Gives the file up: closed and deleted, failures ignored (a leftover temp is overwritten next time). */
    void discard() {
      try {
        channel.close();
      } catch (IOException e) {
        // the temp file goes anyway
      }
      deleteQuietly(temp);
    }
  }

  /** Opens incr file {@code name} for appending (created if missing). */
  Incr openIncr(String name) throws IOException {
    // Not APPEND: writes go to where the good part ends, so a retry after a failed write replaces a partial tail.
    FileChannel channel = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    return new Incr(name, channel, channel.size());
  }

  /** Starts a new base in Redis's temp file; {@code header}: the RDB aux fields when {@code preamble}. */
  Base createBase(boolean preamble, RdbWriter.Aux header) throws IOException {
    Path temp = dir.resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof");
    FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    try {
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
      RdbWriter.Output rdb = preamble ? new RdbWriter.Output(out, new RdbWriter.Aux(header.redisVersion(),
          header.ctimeSeconds(), header.usedMemory(), true)) : null;
      return new Base(temp, channel, out, rdb);
    } catch (IOException | RuntimeException e) {
      channel.close();
      deleteQuietly(temp);
      throw e;
    }
  }

  /** Replaces the manifest: temp file, fsync, atomic rename, fsync of the directory. */
  void writeManifest(AofManifest manifest) throws IOException {
    Path file = dir.resolve(AofManifest.manifestName(appendfilename));
    Path temp = dir.resolve(AofManifest.tempManifestName(appendfilename));
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap(manifest.format().getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) channel.write(bytes);
      channel.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  void delete(String name) throws IOException {
    Files.deleteIfExists(dir.resolve(name));
  }

  /** Bytes of file {@code name}, 0 when it cannot be read. */
  long size(String name) {
    try {
      return Files.size(dir.resolve(name));
    } catch (IOException e) {
      return 0;
    }
  }

  private static byte[] select(int db) {
    return EffectBuffer.encode(RdbWriter.ascii("SELECT"), RdbWriter.ascii(Integer.toString(db)));
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover temp file is overwritten by the next rewrite
    }
  }
}
