package org.akkaredis.persistence;

import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.KeyspaceAccess;

/**
 * BGSAVE and the {@code save} rules: the snapshot is taken range by range, each range encoding its part between
 * two of its messages while the others serve on, then written to {@code <dir>/<dbfilename>} (temp file, fsync,
 * rename) here, on the blocking-I/O dispatcher. Unlike Redis's fork, the parts are of successive moments, so a
 * write that spans several ranges (standalone mode only) may be in the file for some of them only.
 */
public final class RdbSaver extends AbstractBehavior<RdbSaver.Command> {

  public sealed interface Command {}

  /** BGSAVE: {@code started} gets Redis's reply text, or an error text starting with "ERR". */
  public record Bgsave(CompletableFuture<String> started) implements Command {}

  private record Tick() implements Command {}

  private record PartsTaken(long id, List<RdbWriter.Part[]> parts, List<byte[]> libraries, Throwable failure)
      implements Command {}

  /** Redis's CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE the rules wait this long. */
  static final long RETRY_DELAY_MS = 5000;

  private final Settings settings;
  private final KeyspaceAccess keyspace;
  private final Supplier<RdbWriter.Aux> aux;
  private final SaveStatus status;
  private final LongSupplier dirty;
  private final LongSupplier clock;
  private long saveIds;
  private long dirtyAtStart;

  /** {@code dirty}: the node's change counter (every write to the data counts, as Redis's server.dirty). */
  public static Behavior<Command> create(Settings settings, KeyspaceAccess keyspace, Supplier<RdbWriter.Aux> aux,
      SaveStatus status, LongSupplier dirty, LongSupplier clock) {
    Behavior<Command> saver = Behaviors.withTimers(timers -> Behaviors.setup(ctx -> {
      timers.startTimerWithFixedDelay(new Tick(), Duration.ofSeconds(1));
      return new RdbSaver(ctx, settings, keyspace, aux, status, dirty, clock);
    }));
    return Behaviors.supervise(saver).onFailure(SupervisorStrategy.resume());
  }

  private RdbSaver(ActorContext<Command> ctx, Settings settings, KeyspaceAccess keyspace,
      Supplier<RdbWriter.Aux> aux, SaveStatus status, LongSupplier dirty, LongSupplier clock) {
    super(ctx);
    this.settings = settings;
    this.keyspace = keyspace;
    this.aux = aux;
    this.status = status;
    this.dirty = dirty;
    this.clock = clock;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Bgsave.class, bgsave -> {
          if (status.bgsaveInProgress) {
            bgsave.started().complete("ERR Background save already in progress");
          } else {
            start();
            bgsave.started().complete("Background saving started");
          }
          return this;
        })
        .onMessage(Tick.class, tick -> {
          // DEBUG PAUSE-CRON stops the save rules, which Redis checks in serverCron.
          if (!status.bgsaveInProgress && !keyspace.cronPaused()) checkRules();
          return this;
        })
        .onMessage(PartsTaken.class, this::onPartsTaken)
        .build();
  }

  /** Redis's serverCron rule: a {@code seconds changes} pair is due when both have passed since the last save. */
  private void checkRules() {
    long now = clock.getAsLong();
    long changes = dirty.getAsLong() - status.dirtyAtLastSave;
    if (!status.lastBgsaveOk && now - status.lastBgsaveFailedMs < RETRY_DELAY_MS) return;
    String[] rule = settings.rawValue("save").trim().split("\\s+");
    for (int i = 0; i + 1 < rule.length; i += 2) {
      long seconds = Long.parseLong(rule[i]);
      long minChanges = Long.parseLong(rule[i + 1]);
      if (changes >= minChanges && now - status.lastSaveMs > seconds * 1000) {
        getContext().getLog().info("{} changes in {} seconds. Saving...", minChanges, seconds);
        start();
        return;
      }
    }
  }

  private void start() {
    long id = ++saveIds;
    dirtyAtStart = dirty.getAsLong();
    status.bgsaveInProgress = true;
    status.bgsaveStartedMs = clock.getAsLong();
    getContext().getLog().info("Background saving started");
    // The libraries are taken with the first range's part, as every snapshot takes them (RangeState.libraryCodes).
    List<byte[]> libraries = new java.util.concurrent.CopyOnWriteArrayList<>();
    getContext().pipeToSelf(keyspace.onAll(state -> {
      libraries.addAll(state.libraryCodes());
      return RdbWriter.partsOf(state);
    }), (parts, failure) -> new PartsTaken(id, parts, libraries, failure));
  }

  private Behavior<Command> onPartsTaken(PartsTaken taken) {
    if (taken.id() != saveIds) return this;
    long now = clock.getAsLong();
    try {
      if (taken.failure() != null) throw new IOException(taken.failure());
      RdbFile.save(Path.of(settings.dir()).resolve(settings.rawValue("dbfilename")), taken.parts(),
          taken.libraries(), aux.get());
      status.saved(clock.getAsLong(), dirtyAtStart);
      status.lastBgsaveOk = true;
      getContext().getLog().info("Background saving terminated with success");
    } catch (IOException | RuntimeException e) {
      status.lastBgsaveOk = false;
      status.lastBgsaveFailedMs = now;
      getContext().getLog().warn("Background saving error: {}", e.toString());
    }
    status.lastBgsaveTimeSec = (clock.getAsLong() - status.bgsaveStartedMs) / 1000;
    status.bgsaveInProgress = false;
    status.bgsaveStartedMs = -1;
    return this;
  }
}
