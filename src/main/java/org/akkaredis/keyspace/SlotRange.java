package org.akkaredis.keyspace;

import akka.actor.typed.Behavior;
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

  /** Runs {@code work} on the state and completes {@code result} with its value (or its exception). */
  public record Run<T>(Function<RangeState, T> work, CompletableFuture<T> result) implements Command {}

  /** Hands the state to the sender and processes nothing else until {@code release} completes. */
  public record Hold(CompletableFuture<RangeState> granted, CompletionStage<?> release) implements Command {}

  private record Released() implements Command {}

  private record ExpireTick() implements Command {}

  private static final int STASH_CAPACITY = 1_000_000;

  private final RangeState state;
  private final StashBuffer<Command> stash;
  private final TimerScheduler<Command> timers;
  private final int rangeCount;
  /** The hz the expiry timer runs at; CONFIG SET hz takes effect at the next tick. */
  private int hz;
  private long expireBudgetNanos;

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
        .build();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Behavior<Command> onRun(Run run) {
    state.tick();
    Object value = null;
    Throwable failure = null;
    try {
      // Over maxmemory this range frees what it can before the work, as Redis evicts before each command.
      state.evictIfOverLimit();
      value = run.work().apply(state);
    } catch (Throwable t) {
      getContext().getLog().error("Command failed in slot range {}", state.index(), t);
      failure = t;
    }
    // The effects reach the sink before the reply: a WAIT after it counts them. With appendfsync always the reply
    // waits for the fsync too, while the range goes on with its next message (the AOF commits them as a group).
    CompletionStage<Void> synced = flushEffects();
    if (synced == null) complete(run.result(), value, failure);
    else {
      Object result = value;
      Throwable error = failure;
      synced.whenComplete((ok, syncFailure) -> complete(run.result(), result, error));
    }
    serveBlocked();
    return this;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void complete(CompletableFuture result, Object value, Throwable failure) {
    if (failure == null) result.complete(value);
    else result.completeExceptionally(failure);
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
    state.tick();
    getContext().pipeToSelf(hold.release(), (ok, failure) -> new Released());
    hold.granted().complete(state);
    return held();
  }

  private Behavior<Command> held() {
    return Behaviors.receive(Command.class)
        .onMessage(Released.class, released -> {
          serveBlocked();
          return stash.unstashAll(this);
        })
        .onAnyMessage(message -> {
          stash.stash(message);
          return Behaviors.same();
        })
        .build();
  }
}
