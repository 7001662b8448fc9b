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
import java.util.function.Consumer;
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
 *
 * <p>Write errors, as Redis 7.0's flushAppendOnlyFile: with appendfsync always a failed write or fsync stops the
 * node ({@code fatal}, Redis exits) before any reply waiting on it goes out. Otherwise what failed stays buffered,
 * {@link AofStatus#error} makes the node refuse writes with MISCONF, and the write is tried again every second and
 * behind each new effect until it succeeds; replies waiting on it wait until then. {@link AofBacklog} holds writers
 * back while the disk is behind.
 */
public final class AofWriter extends AbstractBehavior<AofWriter.Command> {

  public sealed interface Command {}

  /** Effects of range {@code range} (-1: several or all) in database {@code db}, as RESP commands. */
  public record Append(int range, int db, byte[] resp) implements Command {}

  /**
   * Completes {@code synced} once everything appended before it is fsynced (appendfsync always) or written; with
   * {@code tryIsEnough}, once the write of it has been tried, whether it succeeded or not (a client's reply with
   * appendfsync everysec or no, as Redis's beforeSleep writes before replying and replies even when that failed).
   */
  public record Barrier(CompletableFuture<Void> synced, boolean tryIsEnough) implements Command {
    public Barrier(CompletableFuture<Void> synced) {
      this(synced, false);
    }
  }

  /** BGREWRITEAOF: {@code started} gets Redis's reply text, or an error text starting with "ERR". */
  public record Rewrite(CompletableFuture<String> started) implements Command {}

  /** Writes and fsyncs what is buffered, gives up a running rewrite, closes the files, and stops. */
  public record Stop(CompletableFuture<Void> done) implements Command {}

  /** Sent to itself behind the first effect buffered since the last flush. */
  private record Flush() implements Command {}

  private record FsyncTick() implements Command {}

  private record RetryRewrite() implements Command {}

  /** How soon a failed first rewrite is tried again (Redis: at its next cron run that finds it scheduled). */
  static final Duration INITIAL_RETRY_DELAY = Duration.ofSeconds(1);

  /**
   * One range's part of rewrite {@code rewriteId}: RDB parts per database, or command chunks; and the function
   * libraries' codes, which the first range's part carries ({@link RangeState#libraryCodes}).
   */
  private record RangeTaken(long rewriteId, int range, RdbWriter.Part[] rdbParts, List<byte[]> chunks,
      List<byte[]> libraries) implements Command {}

  private final Settings settings;
  private final AofFiles files;
  private final KeyspaceAccess keyspace;
  private final Supplier<RdbWriter.Aux> aux;
  private final AofStatus status;
  private final LongSupplier clock;
  private final TimerScheduler<Command> timers;
  private final AofRewrite rewrite;
  private final AofGroupCommit<CompletableFuture<Void>> groupCommit = new AofGroupCommit<>();
  private final AofBacklog backlog;
  /** Told Redis's log line when a write error must stop the node (appendfsync always). */
  private final Consumer<String> fatal;
  /** A fatal error happened: nothing more is written and no waiting reply is released. */
  private boolean halted;
  /** Every range gave its part, but the AOF could not be written: the rewrite ends once a write succeeds. */
  private boolean finishWaiting;
  /** The incr files open for appending, by name, in the manifest's order: the current one and a rewrite's new one. */
  private final Map<String, AofFiles.Incr> incrs = new LinkedHashMap<>();
  /** The new base the running rewrite writes; null when none runs. */
  private AofFiles.Base base;
  /** Bytes of the named files other than the open incr files. */
  private long closedBytes;

  /**
   * The sink the ranges hand their effects to: each flush is one message per database run, plus a barrier the
   * reply waits for. A client's reply waits for the write to have been tried, as Redis writes the AOF in beforeSleep
   * before any reply (or propagation) goes out, so a write acknowledged to a client survives kill -9 (the page cache
   * keeps it); for the fsync when appendfsync is always; for a successful write when {@code backlog} is over its
   * limit (back-pressure) or when a replica applied the effects from its master (its acknowledgement waits).
   * {@code backlog} is the one given to the writer's {@link #create}.
   */
  public static EffectSink sink(ActorRef<Command> writer, Settings settings, AofBacklog backlog) {
    return new EffectSink() {
      @Override public void accept(int range, int db, byte[] resp) {
        backlog.added(resp.length);
        writer.tell(new Append(range, db, resp));
      }

      @Override public CompletionStage<Void> synced() {
        if (fsync(settings).onFlush() || backlog.full()) return written();
        CompletableFuture<Void> tried = new CompletableFuture<>();
        writer.tell(new Barrier(tried, true));
        return tried;
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
      AofManifest existing, Supplier<RdbWriter.Aux> aux, AofStatus status, LongSupplier clock, AofBacklog backlog,
      Consumer<String> fatal) {
    Behavior<Command> writer = Behaviors.withTimers(timers -> Behaviors.setup(ctx ->
        new AofWriter(ctx, timers, settings, keyspace, manifest, existing, aux, status, clock, backlog, fatal)));
    // A bug in one message must not lose the open files and the replies waiting for their fsync.
    return Behaviors.supervise(writer).onFailure(SupervisorStrategy.resume());
  }

  private AofWriter(ActorContext<Command> ctx, TimerScheduler<Command> timers, Settings settings,
      KeyspaceAccess keyspace, AofManifest loaded, AofManifest existing, Supplier<RdbWriter.Aux> aux,
      AofStatus status, LongSupplier clock, AofBacklog backlog, Consumer<String> fatal) throws IOException {
    super(ctx);
    this.backlog = backlog;
    this.fatal = fatal;
    this.timers = timers;
    this.settings = settings;
    String appendfilename = settings.rawValue("appendfilename");
    this.files = new AofFiles(AofFiles.dir(settings), appendfilename);
    this.keyspace = keyspace;
    this.aux = aux;
    this.status = status;
    this.clock = clock;
    status.enabled = true;
    if (loaded == null) status.beginInitial();
    else status.endInitial();
    status.writeError = null;
    status.fsyncError = null;
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
        .onMessage(Append.class, append -> next(onAppend(append)))
        .onMessage(Barrier.class, barrier -> {
          boolean now = barrier.tryIsEnough() ? groupCommit.awaitTry(barrier.synced())
              : groupCommit.await(barrier.synced());
          if (now) barrier.synced().complete(null);
          return this;
        })
        .onMessage(Flush.class, flush -> {
          groupCommit.flushTaken();
          if (flush()) {
            if (finishWaiting) finishRewrite();
            else maybeAutoRewrite();
          }
          return next(this);
        })
        .onMessage(FsyncTick.class, tick -> {
          // As Redis's serverCron: a failed write is tried again every second.
          if (groupCommit.failing() && flush() && finishWaiting) finishRewrite();
          else if (finishWaiting && !halted && !groupCommit.failing()) finishRewrite();
          if (!halted && fsync(settings).onTick()) sync();
          return next(this);
        })
        .onMessage(Rewrite.class, rewrite -> next(onRewrite(rewrite)))
        .onMessage(RetryRewrite.class, retry -> {
          if (rewrite.retryDue() && !startRewrite() && rewrite.retryDue()) {
            timers.startSingleTimer(new RetryRewrite(), AofRewrite.RETRY_DELAY);
          }
          return next(this);
        })
        .onMessage(RangeTaken.class, taken -> next(onRangeTaken(taken)))
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

  /** What a handler returns: once a fatal error has happened, a writer that writes nothing more. */
  private Behavior<Command> next(Behavior<Command> behavior) {
    return halted ? halted() : behavior;
  }

  /**
   * Writes what is buffered; with appendfsync always fsyncs it, then lets the waiting replies go. False when the
   * write failed: everything stays buffered, nobody is released, and the node refuses writes until a retry
   * succeeds (or, with appendfsync always, stops).
   */
  private boolean flush() {
    if (halted) return false;
    long bytes = groupCommit.bufferedBytes();
    try {
      for (AofFiles.Incr incr : incrs.values()) incr.write();
    } catch (IOException e) {
      writeFailed(reason(e));
      return false;
    }
    if (status.writeError != null) {
      status.writeError = null;
      getContext().getLog().warn("AOF write error looks solved, Redis can write again.");
    }
    if (fsync(settings).onFlush()) {
      try {
        syncFiles();
      } catch (IOException e) {
        halt("Can't persist AOF for fsync error when the AOF fsync policy is 'always': " + reason(e)
            + ". Exiting...", reason(e));
        return false;
      }
    }
    backlog.written(bytes);
    List<CompletableFuture<Void>> released = groupCommit.flushed();
    status.bufferLength = groupCommit.bufferedBytes();
    publishSizes();
    released.forEach(synced -> synced.complete(null));
    return true;
  }

  private void writeFailed(String reason) {
    if (fsync(settings).failureIsFatal()) {
      getContext().getLog().error("Error writing to the AOF file: {}", reason);
      halt("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...", reason);
      return;
    }
    // Logged when the trouble begins and when it ends, not at every retry.
    if (status.writeError == null) getContext().getLog().warn("Error writing to the AOF file: {}", reason);
    status.failed(reason, false);
    List<CompletableFuture<Void>> tried = groupCommit.flushFailed();
    publishSizes();
    tried.forEach(waiter -> waiter.complete(null));
  }

  /** A fatal write error: the node stops, as Redis exits; the replies waiting on the write never get an OK. */
  private void halt(String line, String reason) {
    halted = true;
    groupCommit.flushFailed();
    status.failed(reason, false);
    getContext().getLog().error(line);
    fatal.accept(line);
  }

  /** The writer after a fatal error: it only closes its files when told to stop. */
  private Behavior<Command> halted() {
    return Behaviors.receive(Command.class)
        .onMessage(Stop.class, this::onStop)
        .onMessage(Rewrite.class, request -> {
          request.started().complete("ERR Can't execute an AOF background rewriting. Please check the server logs "
              + "for more information.");
          return Behaviors.same();
        })
        .onAnyMessage(message -> Behaviors.same())
        .build();
  }

  /** The everysec tick's fsync: a failure refuses writes (Redis's aof_bio_fsync_status) until one succeeds. */
  private void sync() {
    try {
      syncFiles();
      if (status.fsyncError != null) getContext().getLog().warn("AOF fsync error looks solved.");
      status.fsyncError = null;
    } catch (IOException e) {
      if (status.fsyncError == null) getContext().getLog().warn("Fail to fsync the AOF file: {}", reason(e));
      status.failed(reason(e), true);
    }
  }

  private void syncFiles() throws IOException {
    long started = System.nanoTime();
    for (AofFiles.Incr incr : incrs.values()) incr.sync();
    status.fsyncNanos.accept(System.nanoTime() - started);
    status.lastFsyncMs = clock.getAsLong();
  }

  /** The OS's text for the error, as Redis's strerror(errno) shows it ("No space left on device"). */
  static String reason(IOException e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
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

  /**
   * A rewrite failed. While no file holds the data yet (the AOF's first rewrite), it is tried again a second
   * later, as Redis schedules the rewrite again while it waits to switch the AOF on.
   */
  private void rewriteFailed() {
    status.rewriteFailed();
    if (!status.writingInitial) return;
    rewrite.retryLater();
    status.rewriteScheduled = true;
    timers.startSingleTimer(new RetryRewrite(), INITIAL_RETRY_DELAY);
  }

  /** Opens the next incr file, starts the new base, and asks every range for its data. */
  private boolean startRewrite() {
    // Not on a failing disk: the files must first hold what they were given (Redis's fork would fail too). A
    // given-up rewrite stays scheduled and is tried again later.
    if (!flush()) {
      getContext().getLog().warn("Can't start the AOF rewrite: the AOF cannot be written: {}", status.error());
      rewriteFailed();
      return false;
    }
    AofRewrite.Start start = rewrite.start("yes".equals(settings.rawValue("aof-use-rdb-preamble")));
    // INFO shows the rewrite scheduled until it shows it in progress, never neither (CONFIG SET appendonly's promise).
    boolean stillScheduled = rewrite.retryScheduled();
    AofFiles.Incr incr = null;
    try {
      incr = files.openIncr(start.newIncr());
      if (start.nameNow()) files.writeManifest(start.opened());
      base = files.createBase(start.preamble(), aux.get());
    } catch (IOException e) {
      getContext().getLog().warn("Can't start the AOF rewrite: {}", e.toString());
      if (incr != null) incr.closeQuietly();
      status.rewriteScheduled = stillScheduled;
      rewriteFailed();
      return false;
    }
    incrs.put(incr.name, incr);
    rewrite.started(start, keyspace.rangeCount(), clock.getAsLong());
    recountFiles();
    status.rewriteStarted(rewrite.startedMs());
    status.rewriteScheduled = stillScheduled;
    getContext().getLog().info("Background append only file rewriting started");
    ActorRef<Command> self = getContext().getSelf();
    for (int range = 0; range < keyspace.rangeCount(); range++) {
      int r = range;
      // Told from inside the range: its effects before this message reach this actor before it, later ones after.
      keyspace.onRange(range, state -> {
        self.tell(start.preamble() ? new RangeTaken(start.id(), r, RdbWriter.partsOf(state), null,
            state.libraryCodes()) : new RangeTaken(start.id(), r, null, chunks(state), state.libraryCodes()));
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
      base.libraries(taken.libraries());
      base.part(taken.rdbParts(), taken.chunks());
    } catch (IOException e) {
      getContext().getLog().warn("Error writing the rewritten AOF base: {}", e.toString());
      abandoned(rewrite.abandon(), e.toString());
      rewriteFailed();
      return this;
    }
    if (rewrite.partGiven(taken.range())) finishRewrite();
    return this;
  }

  /**
   * Every range has given its part: the new base and the new incr file become the AOF, the old files go. Only
   * once everything buffered is written: the incr file that closes must be whole first. While the AOF cannot be
   * written, it waits for the write that succeeds (the tick's retry).
   */
  private void finishRewrite() {
    finishWaiting = !flush();
    if (finishWaiting) return;
    AofRewrite.Finish finish = rewrite.finish();
    AofFiles.Base done = base;
    base = null;
    try {
      done.complete();
      done.installAs(finish.named().base().name());
      files.writeManifest(finish.named());
      if (finish.closedIncr() != null) incrs.remove(finish.closedIncr()).close();
      for (AofManifest.FileInfo old : finish.toDelete()) {
        AofFiles.Incr kept = incrs.remove(old.name()); // one an earlier give-up kept open for a failed write
        if (kept != null) kept.closeQuietly();
        files.delete(old.name());
      }
      files.writeManifest(finish.kept());
    } catch (IOException e) {
      getContext().getLog().warn("Error finishing the AOF rewrite: {}", e.toString());
      done.discard();
      // What is buffered for the old incr file goes in before it is closed; if it cannot, the file stays open
      // and the retries write it.
      AofFiles.Incr old = finish.closedIncr() == null ? null : incrs.get(finish.closedIncr());
      if (old != null && flush()) incrs.remove(finish.closedIncr()).closeQuietly();
      rewriteFailed();
      return;
    }
    rewrite.installed(finish);
    status.endInitial();
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
        // Its buffered effects go in before it is closed; while the AOF cannot be written it stays open (no more
        // effects go to it) and the retries write them.
        if (flush()) incrs.remove(abandon.closedIncr()).close();
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
    if (flush()) sync();
    List<CompletableFuture<Void>> unwritten = halted ? List.of() : groupCommit.abandoned();
    if (!halted && (!unwritten.isEmpty() || groupCommit.bufferedBytes() > 0)) {
      getContext().getLog().warn("The AOF stops with {} bytes it could not write: {}", groupCommit.bufferedBytes(),
          status.error());
      IOException failure = new IOException("Errors writing to the AOF file: " + status.error());
      unwritten.forEach(waiter -> waiter.completeExceptionally(failure));
    }
    backlog.written(backlog.waiting());
    if (base != null) base.discard();
    base = null;
    incrs.values().forEach(AofFiles.Incr::closeQuietly);
    incrs.clear();
    status.enabled = false;
    status.endInitial();
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
