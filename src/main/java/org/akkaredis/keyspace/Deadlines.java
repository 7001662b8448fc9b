package org.akkaredis.keyspace;

import akka.actor.Cancellable;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Scheduler;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import scala.concurrent.ExecutionContextExecutor;
import scala.concurrent.duration.FiniteDuration;

/**
 * The deadline of every wait across actors: a future that an actor's message completes (a slot range's work or
 * hold, the AOF writer's barrier, the cluster manager's work ...) fails with {@link Exceeded} when the actor has not
 * answered in time, because it is stopped, stuck or too busy, so the client gets an error reply instead of a
 * connection that never answers again. The deadline is {@code akka-redis.cross-actor-deadline} of the ActorSystem's
 * configuration (application.conf: 30 s, far beyond what any one message's work takes); the timers run on the
 * system's scheduler, so a test with ManualTime moves them.
 */
public final class Deadlines {
  public static final String CONFIG_PATH = "akka-redis.cross-actor-deadline";
  public static final Duration DEFAULT = Duration.ofSeconds(30);

  private final Scheduler scheduler;
  private final ExecutionContextExecutor executor;
  private final Duration deadline;
  /**
   * The deadline as the scheduler takes it, converted once: every message to a range schedules one timer, and
   * converting a java.time.Duration each time showed in the profile (docs/performance.md).
   */
  private final FiniteDuration deadlineScala;

  public Deadlines(Scheduler scheduler, ExecutionContextExecutor executor, Duration deadline) {
    if (deadline.isNegative() || deadline.isZero()) throw new IllegalArgumentException("deadline must be positive");
    this.scheduler = scheduler;
    this.executor = executor;
    this.deadline = deadline;
    this.deadlineScala = FiniteDuration.fromNanos(deadline.toNanos());
  }

  /** The system's deadline, from its configuration ({@link #DEFAULT} when the key is absent). */
  public static Deadlines of(ActorSystem<?> system) {
    Config config = system.settings().config();
    Duration deadline = config.hasPath(CONFIG_PATH) ? config.getDuration(CONFIG_PATH) : DEFAULT;
    return new Deadlines(system.scheduler(), system.executionContext(), deadline);
  }

  public Duration duration() {
    return deadline;
  }

  public long millis() {
    return deadline.toMillis();
  }

  /** Runs {@code onExpiry} once the deadline has passed, unless {@code done} completed first. */
  public void onExpiry(CompletableFuture<?> done, Runnable onExpiry) {
    onExpiry(done, Duration.ZERO, onExpiry);
  }

  /** Runs {@code onExpiry} once {@code wait} and then the deadline have passed, unless {@code done} completed first. */
  public void onExpiry(CompletableFuture<?> done, Duration wait, Runnable onExpiry) {
    if (done.isDone()) return;
    Cancellable timer = wait.isZero() ? scheduler.scheduleOnce(deadlineScala, onExpiry, executor)
        : scheduler.scheduleOnce(deadline.plus(wait), onExpiry, executor);
    done.whenComplete((value, failure) -> timer.cancel());
  }

  /**
   * What {@code stage} completes with, or, if it has not once {@code wait} and then the deadline have passed, the
   * value {@code fallback} gives then (for a wait whose answer is a figure the caller can also know, as WAIT's).
   */
  public <T> CompletableFuture<T> orAfter(CompletionStage<T> stage, Duration wait, Supplier<T> fallback) {
    CompletableFuture<T> bounded = new CompletableFuture<>();
    stage.whenComplete((value, failure) -> {
      if (failure == null) bounded.complete(value);
      else bounded.completeExceptionally(failure);
    });
    onExpiry(bounded, wait, () -> bounded.complete(fallback.get()));
    return bounded;
  }

  /**
   * What {@code stage} completes with, or past the deadline a failure with {@link Exceeded} of {@code errorText}
   * (a Redis error reply's text); {@code stage} itself is left as it is (it may be shared).
   */
  public <T> CompletableFuture<T> bound(CompletionStage<T> stage, Supplier<String> errorText) {
    CompletableFuture<T> bounded = new CompletableFuture<>();
    stage.whenComplete((value, failure) -> {
      if (failure == null) bounded.complete(value);
      else bounded.completeExceptionally(failure);
    });
    onExpiry(bounded, () -> bounded.completeExceptionally(new Exceeded(errorText.get())));
    return bounded;
  }

  /**
   * Work sent to an actor that its sender may give up on: the actor runs it only if it takes the ticket before the
   * sender gives up at the deadline, so a client told that its command failed knows that it did not run.
   */
  public static final class Ticket {
    private static final int WAITING = 0;
    private static final int TAKEN = 1;
    private static final int GIVEN_UP = 2;
    private final AtomicInteger state = new AtomicInteger(WAITING);

    /** The actor: true when the work is to run (the sender still waits), false when the sender gave up. */
    public boolean take() {
      return state.compareAndSet(WAITING, TAKEN);
    }

    /** The sender (or an actor refusing the work): true when the work will never run, false when it was taken. */
    public boolean giveUp() {
      return state.compareAndSet(WAITING, GIVEN_UP);
    }
  }

  /**
   * Sends work with a ticket: past the deadline, if the actor has not taken the ticket, {@code result} fails
   * with {@link Exceeded} of {@code errorText} and the work will not run.
   */
  public <T> void expireUntaken(Ticket ticket, CompletableFuture<T> result, Supplier<String> errorText) {
    onExpiry(result, () -> {
      if (ticket.giveUp()) result.completeExceptionally(new Exceeded(errorText.get()));
    });
  }

  /** A wait across actors that did not end in time; its message is the error reply's text (without "-"). */
  public static final class Exceeded extends RuntimeException {
    public Exceeded(String replyText) {
      super(replyText, null, false, false);
    }
  }

  /** The error reply's text for a failed wait: an {@link Exceeded}'s own text, else ERR and the cause's message. */
  public static String replyText(Throwable failure) {
    Throwable e = failure;
    while ((e instanceof java.util.concurrent.CompletionException
        || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof Exceeded) return e.getMessage();
    return "ERR " + e.getMessage();
  }
}
