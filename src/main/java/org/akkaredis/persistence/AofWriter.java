package org.akkaredis.persistence;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.EffectBuffer;
import org.akkaredis.keyspace.EffectSink;
import org.akkaredis.keyspace.KeyspaceAccess;
import org.akkaredis.keyspace.RangeState;

/**
 * The append-only file in Redis 7.0's multi-part form: {@code <appenddirname>/} holds a base file (an RDB, or
 * commands with aof-use-rdb-preamble no), incr files of commands, and the manifest naming them in order. The
 * ranges hand every write's effects here ({@link #sink}), the same commands the replication stream carries.
 *
 * <p>Group commit: effects are buffered as they come and written when the actor has taken in all that queued up
 * meanwhile (a {@code Flush} it sends itself behind the first of them); with appendfsync always the write is
 * fsynced before the replies waiting on it ({@link EffectSink#synced}) may go out, so one fsync serves every
 * write that arrived while the last one ran. everysec fsyncs once a second, no leaves it to the OS.
 *
 * <p>A rewrite (BGREWRITEAOF, the auto-aof-rewrite rules, turning the AOF on) keeps the node serving: it opens a
 * new incr file at once and asks every range for its data, which the range gives between two of its messages.
 * A range's effects before that moment are in its part of the new base, later ones go to the new incr file; until
 * then they still go to the old incr file, so the files the manifest names stay complete if the node dies
 * mid-rewrite. Once every range has given its part, the new base and the new incr file replace the old files
 * in the manifest and the old ones are deleted. A node-wide effect (FLUSHALL, or a write holding several ranges)
 * while some ranges have not given their part ends the rewrite unfinished; it starts over right after.
 * Runs on the blocking-I/O dispatcher.
 */
public final class AofWriter extends AbstractBehavior<AofWriter.Command> {

  public sealed interface Command {}

  /** Effects of range {@code range} (-1: several or all) in database {@code db}, as RESP commands. */
  public record Append(int range, int db, byte[] resp) implements Command {}

  /** Completes {@code synced} once everything appended before it is fsynced (appendfsync always) or written. */
  public record Barrier(CompletableFuture<Void> synced) implements Command {}

  /** BGREWRITEAOF: {@code started} gets Redis's reply text, or an error text starting with "ERR". */
  public record Rewrite(CompletableFuture<String> started) implements Command {}

  /** Writes and fsyncs what is buffered, gives up a running rewrite, closes the files, and stops. */
  public record Stop(CompletableFuture<Void> done) implements Command {}

  private record Flush() implements Command {}

  private record FsyncTick() implements Command {}

  private record RetryRewrite() implements Command {}

  /** One range's part of rewrite {@code rewriteId}: RDB parts per database, or command chunks. */
  private record RangeTaken(long rewriteId, int range, RdbWriter.Part[] rdbParts, List<byte[]> chunks)
      implements Command {}

  private static final Duration RETRY_DELAY = Duration.ofMillis(100);

  /** An incr file being appended to: its channel, the bytes not yet written, and its selected database. */
  private static final class IncrFile {
    final String name;
    final FileChannel channel;
    final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    long size;
    /** The database the file's last command is in; -1 when a SELECT must come first. */
    int db = -1;
    boolean unsynced;

    IncrFile(String name, FileChannel channel, long size) {
      this.name = name;
      this.channel = channel;
      this.size = size;
    }

    void append(int db, byte[] resp) {
      if (db != this.db) {
        pending.writeBytes(EffectBuffer.encode(bytes("SELECT"), bytes(Integer.toString(db))));
        this.db = db;
      }
      pending.writeBytes(resp);
    }

    void write() throws IOException {
      if (pending.size() == 0) return;
      ByteBuffer buffer = ByteBuffer.wrap(pending.toByteArray());
      pending.reset();
      while (buffer.hasRemaining()) size += channel.write(buffer);
      unsynced = true;
    }

    void sync() throws IOException {
      if (!unsynced) return;
      channel.force(false);
      unsynced = false;
    }
  }

  /** A rewrite under way: the ranges still to give their part, and the new base being written. */
  private static final class RewriteRun {
    final long id;
    final BitSet pending = new BitSet();
    final Path temp;
    final FileChannel channel;
    final OutputStream out;
    /** Null when the base is written as commands (aof-use-rdb-preamble no). */
    final RdbWriter.Output rdb;
    final long startedMs;
    /** The manifest before the rewrite opened its incr file. */
    final AofManifest before;
    /** The database the base's last command is in (command form); -1 when unknown. */
    int db;

    RewriteRun(long id, Path temp, FileChannel channel, OutputStream out, RdbWriter.Output rdb, long startedMs,
        AofManifest before) {
      this.id = id;
      this.before = before;
      this.temp = temp;
      this.channel = channel;
      this.out = out;
      this.rdb = rdb;
      this.startedMs = startedMs;
    }
  }

  private final Settings settings;
  private final Path dir;
  private final String baseName;
  private final KeyspaceAccess keyspace;
  private final Supplier<RdbWriter.Aux> aux;
  private final AofStatus status;
  private final LongSupplier clock;
  private final TimerScheduler<Command> timers;
  private AofManifest manifest;
  /** The incr file effects go to; null until the first rewrite of a node that had no AOF has finished. */
  private IncrFile current;
  /** The incr file opened by the running rewrite, null when none runs. */
  private IncrFile next;
  private RewriteRun rewrite;
  private long rewriteIds;
  private boolean flushScheduled;
  private final List<CompletableFuture<Void>> waiting = new ArrayList<>();
  /** Bytes of all files at the end of the last rewrite (or at start): the auto rewrite's growth is against it. */
  private long sizeAtLastRewrite;
  /** Bytes of the named files other than the open incr files. */
  private long closedBytes;

  /**
   * The sink the ranges hand their effects to: each flush is one message per database run, plus a barrier when
   * appendfsync is always.
   */
  public static EffectSink sink(ActorRef<Command> writer, Settings settings) {
    return new EffectSink() {
      @Override public void accept(int range, int db, byte[] resp) {
        writer.tell(new Append(range, db, resp));
      }

      @Override public CompletionStage<Void> synced() {
        if (!"always".equals(settings.rawValue("appendfsync"))) return null;
        CompletableFuture<Void> synced = new CompletableFuture<>();
        writer.tell(new Barrier(synced));
        return synced;
      }
    };
  }

  /**
   * {@code manifest}: the AOF loaded at start, appended to from its last incr file on; null for a node without
   * one (a first start with appendonly yes, or CONFIG SET appendonly yes), which begins with a rewrite of what it
   * holds. {@code existing}: a manifest found on disk that is not to be loaded (only its file numbers are kept).
   */
  public static Behavior<Command> create(Settings settings, KeyspaceAccess keyspace, AofManifest manifest,
      AofManifest existing, Supplier<RdbWriter.Aux> aux, AofStatus status, LongSupplier clock) {
    Behavior<Command> writer = Behaviors.withTimers(timers -> Behaviors.setup(ctx ->
        new AofWriter(ctx, timers, settings, keyspace, manifest, existing, aux, status, clock)));
    // A bug in one message must not lose the open files and the replies waiting for their fsync.
    return Behaviors.supervise(writer).onFailure(SupervisorStrategy.resume());
  }

  private AofWriter(ActorContext<Command> ctx, TimerScheduler<Command> timers, Settings settings,
      KeyspaceAccess keyspace, AofManifest loaded, AofManifest existing, Supplier<RdbWriter.Aux> aux,
      AofStatus status, LongSupplier clock) throws IOException {
    super(ctx);
    this.timers = timers;
    this.settings = settings;
    this.dir = aofDir(settings);
    this.baseName = settings.rawValue("appendfilename");
    this.keyspace = keyspace;
    this.aux = aux;
    this.status = status;
    this.clock = clock;
    Files.createDirectories(dir);
    status.enabled = true;
    timers.startTimerWithFixedDelay(new FsyncTick(), Duration.ofSeconds(1));
    if (loaded != null) {
      manifest = loaded;
      List<AofManifest.FileInfo> incrs = manifest.incrs();
      if (incrs.isEmpty()) {
        manifest = manifest.openNewIncr(baseName);
        writeManifest(manifest);
        incrs = manifest.incrs();
      }
      current = open(incrs.get(incrs.size() - 1).name());
      recountFiles();
      sizeAtLastRewrite = filesSize();
      publishSizes();
    } else {
      manifest = existing != null ? existing : AofManifest.empty();
      startRewrite();
    }
  }

  /** Where the AOF's files are: {@code <dir>/<appenddirname>}. */
  public static Path aofDir(Settings settings) {
    return Path.of(settings.dir()).resolve(settings.rawValue("appenddirname"));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Append.class, this::onAppend)
        .onMessage(Barrier.class, this::onBarrier)
        .onMessage(Flush.class, flush -> {
          flushScheduled = false;
          flush();
          maybeAutoRewrite();
          return this;
        })
        .onMessage(FsyncTick.class, tick -> {
          if ("everysec".equals(settings.rawValue("appendfsync"))) sync();
          return this;
        })
        .onMessage(Rewrite.class, this::onRewrite)
        .onMessage(RetryRewrite.class, retry -> {
          if (rewrite == null && status.rewriteScheduled) startRewrite();
          return this;
        })
        .onMessage(RangeTaken.class, this::onRangeTaken)
        .onMessage(Stop.class, this::onStop)
        .build();
  }

  private Behavior<Command> onAppend(Append append) {
    IncrFile target = current;
    if (rewrite != null) {
      boolean cutOver = append.range() >= 0 ? !rewrite.pending.get(append.range()) : rewrite.pending.isEmpty();
      if (!cutOver && append.range() < 0) {
        abandonRewrite("a write spanning several ranges came while the rewrite was taking their data");
        target = current;
      } else if (cutOver) {
        target = next;
      }
    }
    // Before the first rewrite of a node that had no AOF, a range's effects are in the data it has yet to give.
    if (target != null) target.append(append.db(), append.resp());
    if (!flushScheduled) {
      flushScheduled = true;
      getContext().getSelf().tell(new Flush());
    }
    status.bufferLength += append.resp().length;
    return this;
  }

  private Behavior<Command> onBarrier(Barrier barrier) {
    if (flushScheduled) waiting.add(barrier.synced());
    else barrier.synced().complete(null);
    return this;
  }

  /** Writes what is buffered; with appendfsync always fsyncs it, then lets the waiting replies go. */
  private void flush() {
    try {
      if (current != null) current.write();
      if (next != null) next.write();
      if ("always".equals(settings.rawValue("appendfsync"))) sync();
      status.lastWriteOk = true;
    } catch (IOException e) {
      status.lastWriteOk = false;
      getContext().getLog().warn("Error writing to the AOF file: {}", e.toString());
    }
    status.bufferLength = 0;
    publishSizes();
    waiting.forEach(synced -> synced.complete(null));
    waiting.clear();
  }

  private void sync() {
    try {
      if (current != null) current.sync();
      if (next != null) next.sync();
      status.lastFsyncMs = clock.getAsLong();
    } catch (IOException e) {
      status.lastWriteOk = false;
      getContext().getLog().warn("Can't fsync the AOF file: {}", e.toString());
    }
  }

  /** Redis's rule: the files grew by auto-aof-rewrite-percentage since the last rewrite and are past the minimum. */
  private void maybeAutoRewrite() {
    if (rewrite != null) return;
    long percentage = Long.parseLong(settings.rawValue("auto-aof-rewrite-percentage"));
    long minSize = Long.parseLong(settings.rawValue("auto-aof-rewrite-min-size"));
    long size = filesSize();
    if (percentage <= 0 || size < minSize) return;
    long base = Math.max(1, sizeAtLastRewrite);
    if ((size - base) * 100 / base >= percentage) {
      getContext().getLog().info("Starting automatic rewriting of AOF on {}% growth", (size - base) * 100 / base);
      startRewrite();
    }
  }

  private Behavior<Command> onRewrite(Rewrite request) {
    if (rewrite != null) {
      request.started().complete("ERR Background append only file rewriting already in progress");
      return this;
    }
    if (startRewrite()) request.started().complete("Background append only file rewriting started");
    else request.started().complete("ERR Can't execute an AOF background rewriting. Please check the server logs "
        + "for more information.");
    return this;
  }

  /** Opens the next incr file, starts the new base, and asks every range for its data. */
  private boolean startRewrite() {
    status.rewriteScheduled = false;
    long id = ++rewriteIds;
    boolean preamble = "yes".equals(settings.rawValue("aof-use-rdb-preamble"));
    Path temp = dir.resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof");
    try {
      flush();
      AofManifest opened = manifest.openNewIncr(baseName);
      List<AofManifest.FileInfo> incrs = opened.incrs();
      IncrFile incr = open(incrs.get(incrs.size() - 1).name());
      // A node that had no AOF names its files only once the first base exists.
      if (current != null) writeManifest(opened);
      AofManifest before = manifest;
      manifest = opened;
      FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
      RdbWriter.Aux header = aux.get();
      RdbWriter.Output rdb = preamble ? new RdbWriter.Output(out, new RdbWriter.Aux(header.redisVersion(),
          header.ctimeSeconds(), header.usedMemory(), true)) : null;
      next = incr;
      rewrite = new RewriteRun(id, temp, channel, out, rdb, clock.getAsLong(), before);
      recountFiles();
    } catch (IOException e) {
      getContext().getLog().warn("Can't start the AOF rewrite: {}", e.toString());
      failed();
      return false;
    }
    status.rewriteInProgress = true;
    status.rewriteStartedMs = rewrite.startedMs;
    getContext().getLog().info("Background append only file rewriting started");
    rewrite.pending.set(0, keyspace.rangeCount());
    ActorRef<Command> self = getContext().getSelf();
    for (int range = 0; range < keyspace.rangeCount(); range++) {
      int r = range;
      // Told from inside the range: its effects before this message reach this actor before it, later ones after.
      keyspace.onRange(range, state -> {
        self.tell(preamble ? new RangeTaken(id, r, RdbWriter.partsOf(state), null)
            : new RangeTaken(id, r, null, chunks(state)));
        return null;
      });
    }
    return true;
  }

  private static List<byte[]> chunks(RangeState state) {
    List<byte[]> chunks = new ArrayList<>();
    state.snapshot(1 << 20, chunks::add);
    return chunks;
  }

  private static final byte[] SELECT_0 = EffectBuffer.encode(bytes("SELECT"), bytes("0"));

  private Behavior<Command> onRangeTaken(RangeTaken taken) {
    if (rewrite == null || rewrite.id != taken.rewriteId()) return this;
    try {
      if (taken.rdbParts() != null) {
        for (int db = 0; db < taken.rdbParts().length; db++) rewrite.rdb.part(db, taken.rdbParts()[db]);
      } else {
        for (byte[] chunk : taken.chunks()) {
          // Each chunk starts in database 0 unless it selects another; what it ends in is not known here.
          if (rewrite.db != 0) rewrite.out.write(SELECT_0);
          rewrite.out.write(chunk);
          rewrite.db = -1;
        }
      }
    } catch (IOException e) {
      getContext().getLog().warn("Error writing the rewritten AOF base: {}", e.toString());
      abandonRewrite(e.toString());
      failed();
      return this;
    }
    rewrite.pending.clear(taken.range());
    if (rewrite.pending.isEmpty()) finishRewrite();
    return this;
  }

  /** Every range has given its part: the new base and the new incr file become the AOF, the old files go. */
  private void finishRewrite() {
    RewriteRun run = rewrite;
    rewrite = null;
    try {
      if (run.rdb != null) run.rdb.end();
      run.out.flush();
      run.channel.force(true);
      run.channel.close();
      flush();
      boolean rdb = run.rdb != null;
      AofManifest done = manifest.afterRewrite(baseName, rdb);
      Files.move(run.temp, dir.resolve(done.base().name()), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      writeManifest(done);
      if (current != null) current.channel.close();
      for (AofManifest.FileInfo old : done.historyToDelete()) Files.deleteIfExists(dir.resolve(old.name()));
      manifest = done.withoutHistory();
      writeManifest(manifest);
    } catch (IOException e) {
      getContext().getLog().warn("Error finishing the AOF rewrite: {}", e.toString());
      deleteQuietly(run.temp);
      current = next;
      next = null;
      failed();
      return;
    }
    current = next;
    next = null;
    long seconds = (clock.getAsLong() - run.startedMs) / 1000;
    status.lastRewriteTimeSec = seconds;
    status.lastRewriteOk = true;
    status.rewrites++;
    status.consecutiveFailures = 0;
    status.rewriteInProgress = false;
    status.rewriteStartedMs = -1;
    recountFiles();
    sizeAtLastRewrite = filesSize();
    publishSizes();
    getContext().getLog().info("Background AOF rewrite finished successfully");
  }

  /**
   * Ends the running rewrite unfinished: every range's effects go to the new incr file from now on (the manifest
   * names it after the old one, so the files stay complete), and a new rewrite is scheduled.
   */
  private void abandonRewrite(String why) {
    RewriteRun run = rewrite;
    rewrite = null;
    getContext().getLog().info("Background AOF rewrite given up ({}); it starts again", why);
    try {
      run.channel.close();
    } catch (IOException e) {
      // the temp file goes anyway
    }
    deleteQuietly(run.temp);
    try {
      if (current != null) {
        current.write();
        current.sync();
        current.channel.close();
      } else {
        // The first rewrite of a node that had no AOF: nothing is named yet, so the data is still to be written.
        next.channel.close();
        Files.deleteIfExists(dir.resolve(next.name));
        manifest = run.before;
        next = null;
      }
    } catch (IOException e) {
      getContext().getLog().warn("Error closing the AOF file: {}", e.toString());
    }
    if (next != null) current = next;
    next = null;
    recountFiles();
    status.rewriteInProgress = false;
    status.rewriteStartedMs = -1;
    status.rewriteScheduled = true;
    timers.startSingleTimer(new RetryRewrite(), RETRY_DELAY);
  }

  private void failed() {
    status.lastRewriteOk = false;
    status.consecutiveFailures++;
    status.rewriteInProgress = false;
    status.rewriteStartedMs = -1;
  }

  private Behavior<Command> onStop(Stop stop) {
    flush();
    sync();
    if (rewrite != null) {
      RewriteRun run = rewrite;
      rewrite = null;
      try {
        run.channel.close();
      } catch (IOException e) {
        // the temp file goes anyway
      }
      deleteQuietly(run.temp);
    }
    closeQuietly(current);
    closeQuietly(next);
    status.enabled = false;
    status.rewriteInProgress = false;
    stop.done().complete(null);
    return Behaviors.stopped();
  }

  private IncrFile open(String name) throws IOException {
    Path file = dir.resolve(name);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    return new IncrFile(name, channel, channel.size());
  }

  private void writeManifest(AofManifest manifest) throws IOException {
    Path file = dir.resolve(AofManifest.manifestName(baseName));
    Path temp = dir.resolve(AofManifest.tempManifestName(baseName));
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

  /** Bytes of the files the manifest names (base and incrs). */
  private long filesSize() {
    return closedBytes + (current == null ? 0 : current.size) + (next == null ? 0 : next.size);
  }

  /** Counts the files the manifest names that are not being appended to (after start, a rewrite, a give-up). */
  private void recountFiles() {
    long size = 0;
    if (manifest.base() != null) size += fileSize(manifest.base().name());
    for (AofManifest.FileInfo incr : manifest.incrs()) {
      if (!isOpen(current, incr) && !isOpen(next, incr)) size += fileSize(incr.name());
    }
    closedBytes = size;
    status.baseSize = manifest.base() == null ? 0 : fileSize(manifest.base().name());
  }

  private static boolean isOpen(IncrFile file, AofManifest.FileInfo info) {
    return file != null && file.name.equals(info.name());
  }

  private void publishSizes() {
    status.currentSize = filesSize();
  }

  private long fileSize(String name) {
    try {
      return Files.size(dir.resolve(name));
    } catch (IOException e) {
      return 0;
    }
  }

  private static void closeQuietly(IncrFile file) {
    if (file == null) return;
    try {
      file.channel.close();
    } catch (IOException e) {
      // stopping: nothing more is written to it
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover temp file is overwritten by the next rewrite
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
