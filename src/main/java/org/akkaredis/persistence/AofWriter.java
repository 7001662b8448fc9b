package org.akkaredis.persistence;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.EffectSink;
import org.akkaredis.keyspace.KeyspaceAccess;
import org.akkaredis.keyspace.RangeState;

/**
 * The append-only file in Redis 7.0's multi-part form: {@code <appenddirname>/} holds a base file (an RDB, or
 * commands with aof-use-rdb-preamble no), incr files of commands, and the manifest naming them in order. The
 * ranges hand every write's effects here ({@link #sink}), the same commands the replication stream carries.
 *
 * <p>The actor shell: {@link AofGroupCommit} decides when effects are written and which waiting replies a flush
 * releases (with appendfsync always the write is fsynced before the replies waiting on it, {@link EffectSink#synced},
 * may go out; everysec fsyncs once a second, no leaves it to the OS); {@link AofRewrite} decides which incr file an
 * effect goes to and how a rewrite (BGREWRITEAOF, the auto-aof-rewrite rules, turning the AOF on) starts, cuts
 * over range by range, is given up and ends. This actor performs the file work they describe through
 * {@link AofFiles}, asks the ranges for their data, and replies. Runs on the blocking-I/O dispatcher.
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

  /** Sent to itself behind the first effect buffered since the last flush. */
  private record Flush() implements Command {}

  private record FsyncTick() implements Command {}

  private record RetryRewrite() implements Command {}

  /** One range's part of rewrite {@code rewriteId}: RDB parts per database, or command chunks. */
  private record RangeTaken(long rewriteId, int range, RdbWriter.Part[] rdbParts, List<byte[]> chunks)
      implements Command {}

  private final Settings settings;
  private final AofFiles files;
  private final KeyspaceAccess keyspace;
  private final Supplier<RdbWriter.Aux> aux;
  private final AofStatus status;
  private final LongSupplier clock;
  private final TimerScheduler<Command> timers;
  private final AofRewrite rewrite;
  private final AofGroupCommit<CompletableFuture<Void>> groupCommit = new AofGroupCommit<>();
  /** The incr files open for appending, by name, in the manifest's order: the current one and a rewrite's new one. */
  private final Map<String, AofFiles.Incr> incrs = new LinkedHashMap<>();
  /** The new base the running rewrite writes; null when none runs. */
  private AofFiles.Base base;
  /** Bytes of the named files other than the open incr files. */
  private long closedBytes;

  /**
   * The sink the ranges hand their effects to: each flush is one message per database run, plus a barrier when
   * appendfsync is always, or when a replica applied the effects from its master.
   */
  public static EffectSink sink(ActorRef<Command> writer, Settings settings) {
    return new EffectSink() {
      @Override public void accept(int range, int db, byte[] resp) {
        writer.tell(new Append(range, db, resp));
      }

      @Override public CompletionStage<Void> synced() {
        return fsync(settings).onFlush() ? written() : null;
      }

      @Override public CompletionStage<Void> written() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        writer.tell(new Barrier(done));
        return done;
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
    String appendfilename = settings.rawValue("appendfilename");
    this.files = new AofFiles(AofFiles.dir(settings), appendfilename);
    this.keyspace = keyspace;
    this.aux = aux;
    this.status = status;
    this.clock = clock;
    status.enabled = true;
    timers.startTimerWithFixedDelay(new FsyncTick(), Duration.ofSeconds(1));
    if (loaded != null) {
      rewrite = AofRewrite.continuing(loaded, appendfilename);
      if (!rewrite.manifest().equals(loaded)) files.writeManifest(rewrite.manifest());
      AofFiles.Incr current = files.openIncr(rewrite.currentIncr());
      incrs.put(current.name, current);
      recountFiles();
      rewrite.baseline(filesSize());
      publishSizes();
    } else {
      rewrite = AofRewrite.beginning(existing, appendfilename);
      startRewrite();
    }
  }

  private static AofGroupCommit.Fsync fsync(Settings settings) {
    return AofGroupCommit.Fsync.of(settings.rawValue("appendfsync"));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Append.class, this::onAppend)
        .onMessage(Barrier.class, barrier -> {
          if (groupCommit.await(barrier.synced())) barrier.synced().complete(null);
          return this;
        })
        .onMessage(Flush.class, flush -> {
          groupCommit.flushTaken();
          flush();
          maybeAutoRewrite();
          return this;
        })
        .onMessage(FsyncTick.class, tick -> {
          if (fsync(settings).onTick()) sync();
          return this;
        })
        .onMessage(Rewrite.class, this::onRewrite)
        .onMessage(RetryRewrite.class, retry -> {
          if (rewrite.retryDue()) startRewrite();
          return this;
        })
        .onMessage(RangeTaken.class, this::onRangeTaken)
        .onMessage(Stop.class, this::onStop)
        .build();
  }

  private Behavior<Command> onAppend(Append append) {
    AofRewrite.Route route = rewrite.route(append.range());
    if (route.abandon() != null) {
      abandoned(route.abandon(), "a write spanning several ranges came while the rewrite was taking their data");
    }
    if (route.incr() != null) openIncr(route.incr()).append(append.db(), append.resp());
    if (groupCommit.buffered(append.resp().length)) getContext().getSelf().tell(new Flush());
    status.bufferLength = groupCommit.bufferedBytes();
    return this;
  }

  private AofFiles.Incr openIncr(String name) {
    AofFiles.Incr incr = incrs.get(name);
    if (incr == null) throw new IllegalStateException("the AOF incr file " + name + " is not open");
    return incr;
  }

  /** Writes what is buffered; with appendfsync always fsyncs it, then lets the waiting replies go. */
  private void flush() {
    try {
      for (AofFiles.Incr incr : incrs.values()) incr.write();
      if (fsync(settings).onFlush()) sync();
      status.lastWriteOk = true;
    } catch (IOException e) {
      status.lastWriteOk = false;
      getContext().getLog().warn("Error writing to the AOF file: {}", e.toString());
    }
    List<CompletableFuture<Void>> released = groupCommit.flushed();
    status.bufferLength = groupCommit.bufferedBytes();
    publishSizes();
    released.forEach(synced -> synced.complete(null));
  }

  private void sync() {
    try {
      for (AofFiles.Incr incr : incrs.values()) incr.sync();
      status.lastFsyncMs = clock.getAsLong();
    } catch (IOException e) {
      status.lastWriteOk = false;
      getContext().getLog().warn("Can't fsync the AOF file: {}", e.toString());
    }
  }

  private void maybeAutoRewrite() {
    long growth = rewrite.autoRewriteGrowth(settings.longValue("auto-aof-rewrite-percentage"),
        settings.longValue("auto-aof-rewrite-min-size"), filesSize());
    if (growth < 0) return;
    getContext().getLog().info("Starting automatic rewriting of AOF on {}% growth", growth);
    startRewrite();
  }

  private Behavior<Command> onRewrite(Rewrite request) {
    if (rewrite.running()) {
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
    AofRewrite.Start start = rewrite.start("yes".equals(settings.rawValue("aof-use-rdb-preamble")));
    status.rewriteScheduled = rewrite.retryScheduled();
    AofFiles.Incr incr = null;
    try {
      flush();
      incr = files.openIncr(start.newIncr());
      if (start.nameNow()) files.writeManifest(start.opened());
      base = files.createBase(start.preamble(), aux.get());
    } catch (IOException e) {
      getContext().getLog().warn("Can't start the AOF rewrite: {}", e.toString());
      if (incr != null) incr.closeQuietly();
      status.rewriteFailed();
      return false;
    }
    incrs.put(incr.name, incr);
    rewrite.started(start, keyspace.rangeCount(), clock.getAsLong());
    recountFiles();
    status.rewriteStarted(rewrite.startedMs());
    getContext().getLog().info("Background append only file rewriting started");
    ActorRef<Command> self = getContext().getSelf();
    for (int range = 0; range < keyspace.rangeCount(); range++) {
      int r = range;
      // Told from inside the range: its effects before this message reach this actor before it, later ones after.
      keyspace.onRange(range, state -> {
        self.tell(start.preamble() ? new RangeTaken(start.id(), r, RdbWriter.partsOf(state), null)
            : new RangeTaken(start.id(), r, null, chunks(state)));
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

  private Behavior<Command> onRangeTaken(RangeTaken taken) {
    if (!rewrite.wants(taken.rewriteId(), taken.range())) return this;
    try {
      base.part(taken.rdbParts(), taken.chunks());
    } catch (IOException e) {
      getContext().getLog().warn("Error writing the rewritten AOF base: {}", e.toString());
      abandoned(rewrite.abandon(), e.toString());
      status.rewriteFailed();
      return this;
    }
    if (rewrite.partGiven(taken.range())) finishRewrite();
    return this;
  }

  /** Every range has given its part: the new base and the new incr file become the AOF, the old files go. */
  private void finishRewrite() {
    AofRewrite.Finish finish = rewrite.finish();
    AofFiles.Base done = base;
    base = null;
    try {
      done.complete();
      flush();
      done.installAs(finish.named().base().name());
      files.writeManifest(finish.named());
      if (finish.closedIncr() != null) incrs.remove(finish.closedIncr()).close();
      for (AofManifest.FileInfo old : finish.toDelete()) files.delete(old.name());
      files.writeManifest(finish.kept());
    } catch (IOException e) {
      getContext().getLog().warn("Error finishing the AOF rewrite: {}", e.toString());
      done.discard();
      flush(); // what is buffered for the old incr file goes in before it is closed
      AofFiles.Incr old = finish.closedIncr() == null ? null : incrs.remove(finish.closedIncr());
      if (old != null) old.closeQuietly();
      status.rewriteFailed();
      return;
    }
    rewrite.installed(finish);
    status.rewriteSucceeded((clock.getAsLong() - finish.startedMs()) / 1000);
    recountFiles();
    rewrite.baseline(filesSize());
    publishSizes();
    getContext().getLog().info("Background AOF rewrite finished successfully");
  }

  /** The running rewrite was given up: its base goes, the incr files as {@code abandon} says; it starts again. */
  private void abandoned(AofRewrite.Abandon abandon, String why) {
    getContext().getLog().info("Background AOF rewrite given up ({}); it starts again", why);
    base.discard();
    base = null;
    try {
      if (abandon.closedIncr() != null) {
        AofFiles.Incr old = incrs.remove(abandon.closedIncr());
        old.write();
        old.sync();
        old.close();
      } else {
        incrs.remove(abandon.deletedIncr()).close();
        files.delete(abandon.deletedIncr());
      }
    } catch (IOException e) {
      getContext().getLog().warn("Error closing the AOF file: {}", e.toString());
    }
    recountFiles();
    status.rewriteGivenUp();
    timers.startSingleTimer(new RetryRewrite(), AofRewrite.RETRY_DELAY);
  }

  private Behavior<Command> onStop(Stop stop) {
    flush();
    sync();
    if (base != null) base.discard();
    base = null;
    incrs.values().forEach(AofFiles.Incr::closeQuietly);
    incrs.clear();
    status.enabled = false;
    status.rewriteInProgress = false;
    stop.done().complete(null);
    return Behaviors.stopped();
  }

  /** Bytes of the files the manifest names (base and incrs). */
  private long filesSize() {
    long size = closedBytes;
    for (AofFiles.Incr incr : incrs.values()) size += incr.size();
    return size;
  }

  /** Counts the files the manifest names that are not being appended to (after start, a rewrite, a give-up). */
  private void recountFiles() {
    AofManifest manifest = rewrite.manifest();
    long size = 0;
    if (manifest.base() != null) size += files.size(manifest.base().name());
    for (AofManifest.FileInfo incr : manifest.incrs()) {
      if (!incrs.containsKey(incr.name())) size += files.size(incr.name());
    }
    closedBytes = size;
    status.baseSize = manifest.base() == null ? 0 : files.size(manifest.base().name());
  }

  private void publishSizes() {
    status.currentSize = filesSize();
  }
}
