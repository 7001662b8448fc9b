package org.akkaredis;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;
import org.akkaredis.command.Persistence;
import org.akkaredis.config.ServerVersion;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Deadlines;
import org.akkaredis.keyspace.EffectSink;
import org.akkaredis.keyspace.Keyspace;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.persistence.AofBacklog;
import org.akkaredis.persistence.AofManifest;
import org.akkaredis.persistence.AofRewriteWhileOff;
import org.akkaredis.persistence.AofStatus;
import org.akkaredis.persistence.AofWriter;
import org.akkaredis.persistence.DataLoader;
import org.akkaredis.persistence.DiskErrors;
import org.akkaredis.persistence.LoadStatus;
import org.akkaredis.persistence.PersistenceInfo;
import org.akkaredis.persistence.RdbFile;
import org.akkaredis.persistence.RdbSaver;
import org.akkaredis.persistence.RdbWriter;
import org.akkaredis.persistence.SaveStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's persistence as commands see it: SAVE here, BGSAVE and the save rules through the {@link RdbSaver},
 * the AOF through an {@link AofWriter} that runs while appendonly is yes (CONFIG SET turns it on and off).
 */
final class NodePersistence implements Persistence {
  private static final Logger LOG = LoggerFactory.getLogger(NodePersistence.class);

  private final ActorSystem<?> system;
  private final Settings settings;
  private final Keyspace keyspace;
  final LoadStatus load = new LoadStatus();
  private volatile BooleanSupplier loadingFullSync = () -> false;
  private volatile BooleanSupplier asyncLoading = () -> false;
  final SaveStatus save;
  private final AofStatus aof = new AofStatus();
  private final AtomicInteger writers = new AtomicInteger();
  private volatile ActorRef<RdbSaver.Command> saver;
  /** The running AOF writer, null while appendonly is no. */
  private volatile ActorRef<AofWriter.Command> aofWriter;
  /** The process's exit status once the node has stopped: 1 after a fatal persistence error, as Redis's exit(1). */
  private volatile int exitCode;
  /** The ranges' sink into {@link #aofWriter}, retired when the writer stops. */
  private RetiringSink aofSink;
  private final Deadlines deadlines;
  /** The AOF began without files when the node started (not by CONFIG SET): SHUTDOWN waits for its first rewrite. */
  private volatile boolean initialAtStart;

  NodePersistence(ActorSystem<?> system, Settings settings, Keyspace keyspace, long startMs) {
    this.system = system;
    this.settings = settings;
    this.keyspace = keyspace;
    this.save = new SaveStatus(startMs);
    this.deadlines = keyspace.deadlines();
  }

  /**
   * The AOF writer's sink as the ranges hold it. CONFIG SET appendonly no swaps the ranges' sink and stops the
   * writer, while a range may still be inside a flush with the old sink in hand: a barrier it then sent after the
   * writer's Stop would reach a stopped actor and its reply would wait for nothing. So stopping the writer retires
   * this sink first, under the write lock that every barrier's sending holds for reading: a barrier sent before is
   * in the writer's mailbox ahead of Stop (the writer completes it when it flushes on Stop), and one asked for after
   * is not sent at all (null: the reply need not wait, since the AOF is off). Effects accepted after the Stop are
   * lost with the AOF that was switched off, as in Redis.
   */
  private static final class RetiringSink implements EffectSink {
    private final EffectSink writer;
    private final ReentrantReadWriteLock lock =
        new ReentrantReadWriteLock();
    private boolean retired;

    RetiringSink(EffectSink writer) {
      this.writer = writer;
    }

    @Override public void accept(int range, int db, byte[] resp) {
      writer.accept(range, db, resp);
    }

    @Override public CompletionStage<Void> synced() {
      lock.readLock().lock();
      try {
        return retired ? null : writer.synced();
      } finally {
        lock.readLock().unlock();
      }
    }

    @Override public CompletionStage<Void> written() {
      lock.readLock().lock();
      try {
        return retired ? null : writer.written();
      } finally {
        lock.readLock().unlock();
      }
    }

    /** Sends {@code stop} to the writer once no barrier can follow it. */
    void retire(Runnable stop) {
      lock.writeLock().lock();
      try {
        retired = true;
        stop.run();
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  /** Where the AOF's fsync times go from now on, in nanoseconds. */
  void fsyncTimes(LongConsumer nanos) {
    aof.fsyncNanos = nanos;
  }

  /**
   * Once the data is loaded: the save rules run, the AOF starts when appendonly is yes ({@code loaded}: the
   * AOF start-up loaded, or null), and CONFIG SET appendonly turns it on and off from then on.
   */
  void start(AofManifest loaded) {
    saver = system.systemActorOf(RdbSaver.create(settings, keyspace, this::aux, save, keyspace::dirty,
        System::currentTimeMillis), "rdb-saver", DispatcherSelector.blocking());
    if (settings.appendonly()) {
      initialAtStart = loaded == null;
      startAof(loaded);
    }
    settings.addChangeListener((changed, names) -> {
      if (!names.contains("appendonly")) return;
      initialAtStart = false;
      if (changed.appendonly()) startAof(null);
      else stopAof();
    });
  }

  /** The snapshot header's aux fields now. */
  RdbWriter.Aux aux() {
    Runtime runtime = Runtime.getRuntime();
    return new RdbWriter.Aux(ServerVersion.REDIS_VERSION, System.currentTimeMillis() / 1000,
        runtime.totalMemory() - runtime.freeMemory(), false);
  }

  /**
   * Starts the AOF: {@code loaded} is what start-up loaded (appended to from its last incr file), null when the
   * AOF begins now with a rewrite of what the node holds.
   */
  synchronized void startAof(AofManifest loaded) {
    if (aofWriter != null) return;
    AofManifest existing = null;
    if (loaded == null) {
      try {
        existing = DataLoader.manifest(settings);
      } catch (IOException e) {
        LOG.warn("Ignoring the unreadable AOF manifest: {}", e.toString());
      }
    }
    // The status first: the writer may run (and start its first rewrite) before systemActorOf returns.
    aof.enabled = true; // INFO says so from now on, also before the writer has run its first message
    if (loaded == null) aof.beginInitial();
    // The first rewrite is due from now on (the writer starts it when it runs): INFO says so at once, as Redis's
    // aof_rewrite_in_progress or _scheduled right after CONFIG SET appendonly yes, so a wait on both holds.
    if (loaded == null) aof.rewriteScheduled = true;
    aof.writeError = null;
    aof.fsyncError = null;
    AofBacklog backlog = new AofBacklog(AofBacklog.DEFAULT_LIMIT);
    ActorRef<AofWriter.Command> writer = system.systemActorOf(AofWriter.create(settings, keyspace, loaded, existing,
        this::aux, aof, System::currentTimeMillis, backlog, this::fatal), "aof-writer-" + writers.incrementAndGet(),
        DispatcherSelector.blocking());
    aofWriter = writer;
    aofSink = new RetiringSink(AofWriter.sink(writer, settings, backlog));
    keyspace.aofSink(aofSink);
  }

  /** Stops the AOF: the ranges stop handing effects to it, then it writes and fsyncs what it has and closes. */
  synchronized CompletionStage<Void> stopAof() {
    ActorRef<AofWriter.Command> writer = aofWriter;
    if (writer == null) return CompletableFuture.completedFuture(null);
    aofWriter = null;
    aof.enabled = false; // as Redis's aof_state off: an AOF error no longer refuses writes
    keyspace.aofSink(EffectSink.NONE);
    CompletableFuture<Void> done = new CompletableFuture<>();
    aofSink.retire(() -> writer.tell(new AofWriter.Stop(done)));
    aofSink = null;
    return deadlines.bound(done, () -> "ERR the AOF writer did not stop within " + deadlines.millis() + " ms");
  }

  @Override public void save(RangeState[] held) throws IOException {
    long dirty = keyspace.dirty();
    RdbFile.save(Path.of(settings.dir()).resolve(settings.rawValue("dbfilename")), held, aux());
    save.saved(System.currentTimeMillis(), dirty);
  }

  @Override public List<byte[][]> snapshotCommands() throws IOException {
    byte[] bytes = Files.readAllBytes(Path.of(settings.dir()).resolve(settings.rawValue("dbfilename")));
    List<byte[][]> commands = DataLoader.commandsOfSnapshot(bytes, !keyspace.replica(), System.currentTimeMillis());
    if (commands == null) throw new IOException("the snapshot file is no RDB file");
    return commands;
  }

  @Override public CompletionStage<List<byte[][]>> appendOnlyCommands() {
    ActorRef<AofWriter.Command> writer = aofWriter;
    CompletableFuture<Void> written = new CompletableFuture<>();
    if (writer == null) written.complete(null);
    else writer.tell(new AofWriter.Barrier(written));
    return deadlines.bound(written, () -> "ERR the AOF writer did not confirm what it was given within "
        + deadlines.millis() + " ms").thenApply(done -> {
      try {
        AofManifest manifest = DataLoader.manifest(settings);
        if (manifest == null) throw new IOException("there is no AOF manifest");
        List<byte[][]> commands = new ArrayList<>();
        DataLoader.loadAof(settings, manifest, commands::add, new LoadStatus());
        return commands;
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    });
  }

  @Override public void reloaded(long changes) {
    save.dirtyAtLastSave += changes;
  }

  @Override public CompletionStage<String> bgsave() {
    CompletableFuture<String> started = new CompletableFuture<>();
    saver.tell(new RdbSaver.Bgsave(started));
    return deadlines.bound(started, () -> "ERR the RDB saver did not answer within " + deadlines.millis() + " ms");
  }

  @Override public CompletionStage<String> bgrewriteaof() {
    ActorRef<AofWriter.Command> writer = aofWriter;
    if (writer == null) return rewriteWhileOff();
    CompletableFuture<String> started = new CompletableFuture<>();
    writer.tell(new AofWriter.Rewrite(started));
    return deadlines.bound(started, () -> "ERR the AOF writer did not answer within " + deadlines.millis() + " ms");
  }

  /** BGREWRITEAOF with appendonly no: a BASE of what every range holds, written while they are held. */
  private CompletionStage<String> rewriteWhileOff() {
    int[] all = IntStream.range(0, keyspace.rangeCount()).toArray();
    return keyspace.holding(all, held -> {
      // Under the lock CONFIG SET appendonly yes takes: a writer started meanwhile would write the same temp file.
      synchronized (this) {
        if (aofWriter != null) {
          return CompletableFuture.completedFuture("ERR Background append only file rewriting already in progress");
        }
        try {
          AofRewriteWhileOff.rewrite(settings, held, aux(), aof, System::currentTimeMillis);
          LOG.info("Background AOF rewrite finished successfully");
          return CompletableFuture.completedFuture("Background append only file rewriting started");
        } catch (IOException | RuntimeException e) {
          LOG.warn("Can't rewrite the AOF: {}", e.toString());
          return CompletableFuture.completedFuture("ERR Can't execute an AOF background rewriting. Please check the "
              + "server logs for more information.");
        }
      }
    });
  }

  @Override public String writeDenial() {
    // Cheap while all is well: two volatile reads before any setting is looked at.
    if (save.lastBgsaveOk && aof.writeOk()) return null;
    return DiskErrors.writeDenial(save, aof, "yes".equals(settings.rawValue("stop-writes-on-bgsave-error")),
        !settings.rawValue("save").isBlank());
  }

  /**
   * Stops the node at once, as Redis exits: nothing more is written or answered (what was acknowledged is on disk;
   * what waited for the failed write never gets its OK), and the process exits with status 1.
   */
  @Override public void fatal(String reason) {
    LOG.error("Stopping the node: {}", reason);
    exitCode = 1;
    system.terminate();
  }

  /** The exit status for the process once the node has stopped. */
  int exitCode() {
    return exitCode;
  }

  @Override public boolean loading() {
    return load.loading;
  }

  @Override public long aofBufferBytes() {
    return aof.enabled ? aof.bufferLength : 0;
  }

  @Override public long lastSaveMs() {
    return save.lastSaveMs;
  }

  @Override public String infoFields(long nowMs) {
    return PersistenceInfo.fields(load, loadingFullSync.getAsBoolean(), asyncLoading.getAsBoolean(), save, aof,
        keyspace.dirty(), nowMs);
  }

  /** Where INFO learns that this node, a replica, loads its master's data in a full sync. */
  void loadingFullSync(BooleanSupplier loading) {
    loadingFullSync = loading;
  }

  /** Where INFO learns that this replica's full sync loads aside (async_loading). */
  void asyncLoading(BooleanSupplier loading) {
    asyncLoading = loading;
  }

  @Override public CompletionStage<String> beforeShutdown(boolean saveAsked, boolean noSave) {
    // As Redis: a node still loading saves nothing, or it would put half its data over the file it loads.
    if (load.loading) return CompletableFuture.completedFuture(null);
    // As Redis: until the first rewrite has made the AOF, no file holds the data, and stopping would lose it.
    if (aofWriter != null && aof.writingInitial) {
      // The AOF a start with appendonly yes begins: Redis makes it before it serves anyone, so its SHUTDOWN never
      // finds it missing. This node writes it in the background: SHUTDOWN waits for the attempt under way, within
      // the deadline. One that failed or cannot write (a full disk: Redis would not have started) is refused at
      // once, as Redis refuses while it waits to switch the AOF on.
      if (!initialAtStart || aof.consecutiveFailures > 0 || aof.error() != null) {
        LOG.warn("Writing initial AOF, can't exit.");
        return CompletableFuture.completedFuture("Writing initial AOF, can't exit.");
      }
      LOG.info("Waiting for the initial AOF before exiting.");
      return deadlines.bound(aof.initialAttemptEnded(), () -> "the initial AOF was not written within "
          + deadlines.millis() + " ms").handle((ended, failure) -> failure)
          .thenCompose(failure -> {
            if (failure == null && !aof.writingInitial) return beforeShutdown(saveAsked, noSave);
            String why = failure != null ? Deadlines.replyText(failure) : "its first rewrite failed";
            LOG.warn("Writing initial AOF, can't exit: {}", why);
            return CompletableFuture.completedFuture("Writing initial AOF, can't exit.");
          });
    }
    boolean rules = !settings.rawValue("save").isBlank();
    CompletionStage<Void> aofDone = stopAof();
    if (!(saveAsked || (rules && !noSave))) return aofDone.thenApply(done -> null);
    LOG.info("Saving the final RDB snapshot before exiting.");
    int[] all = IntStream.range(0, keyspace.rangeCount()).toArray();
    return aofDone.thenCompose(done -> keyspace.holding(all, held -> {
      try {
        save(held);
        LOG.info("DB saved on disk");
        return CompletableFuture.completedFuture((String) null);
      } catch (IOException | RuntimeException e) {
        LOG.warn("Error trying to save the DB, can't exit: {}", e.toString());
        return CompletableFuture.completedFuture(e.toString());
      }
    }));
  }
}
