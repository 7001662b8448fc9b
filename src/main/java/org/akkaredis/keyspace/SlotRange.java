package org.akkaredis.keyspace;

import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Owns the data of a fixed range of slots ({@link RangeState}) and runs the work sent to it one message at a
 * time. The state is created outside the behaviour, so a restart keeps it. Besides running work it can be
 * held: it hands its state to one caller (a transaction or command spanning ranges) and stashes everything
 * else until released.
 */
public final class SlotRange extends AbstractBehavior<SlotRange.Command> {

  public sealed interface Command {}

  /**
   * Runs {@code work} on the state and completes {@code result} with its value (or its exception), unless the
   * sender gave the {@code ticket} up first (its deadline passed: it has answered the client with an error).
   */
  public record Run<T>(Function<RangeState, T> work, CompletableFuture<T> result, Deadlines.Ticket ticket)
      implements Command {
    public Run(Function<RangeState, T> work, CompletableFuture<T> result) {
      this(work, result, new Deadlines.Ticket());
    }
  }

  /**
   * Hands the state to the sender and processes nothing else until {@code release} completes, unless the sender
   * gave the {@code ticket} up first.
   */
  public record Hold(CompletableFuture<RangeState> granted, CompletionStage<?> release, Deadlines.Ticket ticket)
      implements Command {
    public Hold(CompletableFuture<RangeState> granted, CompletionStage<?> release) {
      this(granted, release, new Deadlines.Ticket());
    }
  }

  /**
   * Stops the range at once, held or not: fault injection for tests, what a crash of the range looks like to the
   * clients waiting on it (see {@link #onStopped}).
   */
  public record Stop() implements Command {}

  private record Released() implements Command {}

  /** A script holding this range passed busy-reply-threshold: what the range keeps is answered its BUSY text. */
  record RefuseWaiting() implements Command {}

  private record ExpireTick() implements Command {}

  /**
   * What a held range keeps for later. A client connection has at most one message waiting at a range (it sends one
   * message per range per read and takes its next read only once this one is answered), and the node's own work
   * (rewrites, snapshots, the load) a few per range, so this covers 65,536 clients; past it a client's message is
   * answered {@link #stashFull} at once instead of waiting.
   */
  static final int STASH_CAPACITY = 65_536;

  private final RangeState state;
  private final Deadlines deadlines;
  private final StashBuffer<Command> stash;
  private final TimerScheduler<Command> timers;
  private final int rangeCount;
  /** The hz the expiry timer runs at; CONFIG SET hz takes effect at the next tick. */
  private int hz;
  private long expireBudgetNanos;
  /** Between a Hold granted and its release: only then does the stash keep anything. */
  private boolean isHeld;
  /** The behavior while held, built once: a standalone EVAL holds every range, and building it cost more than the hold. */
  private Behavior<Command> heldBehavior;

  public static Behavior<Command> create(RangeState state, int rangeCount) {
    Behavior<Command> behavior = Behaviors.withStash(STASH_CAPACITY, stash ->
        Behaviors.withTimers(timers ->
            Behaviors.setup(ctx -> new SlotRange(ctx, state, stash, timers, rangeCount))));
    // Work that throws is answered with its exception; anything else escaping must not lose the data.
    return Behaviors.supervise(behavior).onFailure(SupervisorStrategy.resume());
  }

  private SlotRange(ActorContext<Command> ctx, RangeState state, StashBuffer<Command> stash,
      TimerScheduler<Command> timers, int rangeCount) {
    super(ctx);
    this.state = state;
    this.deadlines = Deadlines.of(ctx.getSystem());
    state.blocked().boundSyncs(synced -> deadlines.bound(synced, () -> aofNotConfirmed(deadlines)));
    this.stash = stash;
    this.timers = timers;
    this.rangeCount = rangeCount;
    scheduleExpiry(state.settings().hz());
  }

  private void scheduleExpiry(int newHz) {
    hz = newHz;
    Duration period = Duration.ofMillis(1000 / hz);
    // Redis spends at most 25% of each cron period on active expiry; the ranges share that budget.
    expireBudgetNanos = period.toNanos() / 4 / Math.max(1, rangeCount);
    timers.startTimerWithFixedDelay(new ExpireTick(), period);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Run.class, this::onRun)
        .onMessage(Hold.class, this::onHold)
        .onMessage(ExpireTick.class, tick -> {
          state.activeExpireCycle(expireBudgetNanos);
          state.evictIfOverLimit();
          flushEffects();
          state.blocked().expire(state);
          if (state.settings().hz() != hz) scheduleExpiry(state.settings().hz());
          return this;
        })
        .onMessage(Released.class, released -> this)
        .onMessage(RefuseWaiting.class, late -> this)
        .onMessage(Stop.class, stop -> Behaviors.stopped())
        .onSignal(PostStop.class, stopped -> onStopped())
        .build();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Behavior<Command> onRun(Run run) {
    state.waiting.decrement();
    if (!run.ticket().take()) return this; // its client was answered with an error: it must not run
    state.tick();
    Object value = null;
    Throwable failure = null;
    long started = System.nanoTime();
    try {
      // Over maxmemory this range frees what it can before the work, as Redis evicts before each command.
      state.evictIfOverLimit();
      value = run.work().apply(state);
    } catch (Throwable t) {
      getContext().getLog().error("Command failed in slot range {}", state.index(), t);
      failure = t;
    }
    state.runNanos.accept(System.nanoTime() - started);
    // The effects reach the sink before the reply: a WAIT after it counts them. With appendfsync always the reply
    // waits for the fsync too, while the range goes on with its next message (the AOF commits them as a group).
    CompletionStage<Void> synced = flushEffects();
    if (synced == null) complete(run.result(), value, failure);
    else {
      Object result = value;
      Throwable error = failure;
      deadlines.bound(synced, () -> aofNotConfirmed(deadlines))
          .whenComplete((ok, syncFailure) -> complete(run.result(), result, error != null ? error : syncFailure));
    }
    serveBlocked();
    return this;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void complete(CompletableFuture result, Object value, Throwable failure) {
    if (failure == null) result.complete(value);
    else result.completeExceptionally(failure);
  }

  /**
   * The reply to a write whose effects the AOF did not confirm in time (appendfsync always, or what a replica
   * applied): it ran, but whether it is on disk is unknown.
   */
  static String aofNotConfirmed(Deadlines deadlines) {
    return "ERR the AOF writer did not confirm the write within " + deadlines.millis()
        + " ms; it was applied in memory but may not be on disk";
  }

  /** The reply to a client whose message a held range had no room to keep. */
  String stashFull() {
    return "TRYAGAIN slot range " + state.firstSlot() + "-" + state.lastSlot() + " is held and already keeps "
        + STASH_CAPACITY + " messages waiting; the command was not run";
  }

  private CompletionStage<Void> flushEffects() {
    try {
      return state.flushEffects();
    } catch (RuntimeException e) {
      getContext().getLog().error("Effect sink failed in slot range {}", state.index(), e);
      return null;
    }
  }

  /** After work that may have stored values under keys clients wait for (BLPOP ...): serve those clients. */
  private void serveBlocked() {
    if (!state.blocked().hasReadyKeys()) return;
    state.tick();
    try {
      state.blocked().serveReady(state);
    } catch (RuntimeException e) {
      getContext().getLog().error("Serving blocked clients failed in slot range {}", state.index(), e);
    }
    flushEffects();
  }

  private Behavior<Command> onHold(Hold hold) {
    state.waiting.decrement();
    if (!hold.ticket().take()) return this; // its holder gave up at its deadline and will not release
    state.tick();
    getContext().pipeToSelf(hold.release(), (ok, failure) -> new Released());
    isHeld = true;
    hold.granted().complete(state);
    return held();
  }

  private Behavior<Command> held() {
    if (heldBehavior == null) heldBehavior = buildHeld();
    return heldBehavior;
  }

  private Behavior<Command> buildHeld() {
    return Behaviors.receive(Command.class)
        .onMessage(Released.class, released -> {
          isHeld = false;
          serveBlocked();
          return unstashUntilHeld();
        })
        .onMessage(Stop.class, stop -> Behaviors.stopped())
        // Unstashed into the held behaviour, which now refuses the work and keeps the rest (the expiry tick).
        .onMessage(RefuseWaiting.class, busy -> state.heldRefusal == null ? Behaviors.same() : stash.unstashAll(held()))
        .onAnyMessage(message -> {
          String busy = state.heldRefusal;
          if (busy != null && (message instanceof Run<?> || message instanceof Hold)) refuse(message, busy);
          else if (!stash.isFull()) stash.stash(message);
          else refuse(message, stashFull());
          return Behaviors.same();
        })
        .onSignal(PostStop.class, stopped -> onStopped())
        .build();
  }

  /**
   * What was kept, in order, one message at a time until one of them (a Hold) holds the range again: what is behind
   * that Hold stays in the stash as it is, rather than being taken out and stashed again (unstashAll would, at every
   * release, for every holder still waiting: with many clients' EVALs waiting that was most of a release's work).
   */
  private Behavior<Command> unstashUntilHeld() {
    Behavior<Command> next = this;
    while (!isHeld && !stash.isEmpty() && Behavior.isAlive(next)) next = stash.unstash(next, 1, message -> message);
    return next;
  }

  /**
   * The range stops (only with the node, or by a fault a test injects): the work it kept while held and the clients
   * blocked on its keys are answered with an error rather than left waiting; what is still in its mailbox or sent
   * later goes to the dead letters, where the node answers it too.
   */
  private Behavior<Command> onStopped() {
    String text = "TRYAGAIN slot range " + state.firstSlot() + "-" + state.lastSlot()
        + " is stopped; the command was not run";
    refuseStashed(text);
    state.blocked().endAll("TRYAGAIN slot range " + state.firstSlot() + "-" + state.lastSlot()
        + " stopped while the client was blocked; nothing was taken");
    return Behaviors.same();
  }

  /** Answers every message the stash keeps with {@code text} (a walk bounded by its size, whatever happens). */
  private void refuseStashed(String text) {
    if (!isHeld) return; // only a held range keeps messages
    int size = stash.size();
    if (size == 0) return;
    int[] left = {size};
    try {
      stash.forEach(message -> {
        if (left[0]-- <= 0) throw new WalkDone();
        refuse(message, text);
      });
    } catch (WalkDone done) {
      // every kept message was answered
    }
  }

  private static final class WalkDone extends RuntimeException {
    WalkDone() {
      super(null, null, false, false);
    }
  }

  /** A message the range will not run: its sender is answered with {@code text}; the expiry timer ticks again. */
  private void refuse(Command message, String text) {
    if (message instanceof Run<?> || message instanceof Hold) state.waiting.decrement();
    if (stash.isFull()) {
      getContext().getLog().warn("Slot range {} is held with {} messages waiting; refusing {}", state.index(),
          stash.size(), message.getClass().getSimpleName());
    }
    if (message instanceof Run<?> run) {
      if (run.ticket().giveUp()) run.result().completeExceptionally(new Deadlines.Exceeded(text));
    } else if (message instanceof Hold hold) {
      if (hold.ticket().giveUp()) hold.granted().completeExceptionally(new Deadlines.Exceeded(text));
    }
  }
}
