package org.akkaredis.keyspace;

import akka.actor.Cancellable;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Scheduler;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReference;
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
    private static final AtomicIntegerFieldUpdater<Ticket> STATE =
        AtomicIntegerFieldUpdater.newUpdater(Ticket.class, "state");
    private volatile int state = WAITING;
    /** The window whose timer gives this ticket up at its deadline, else null (a timer of its own, or none). */
    private final Window.Batch batch;
    /** What fails when the window gives the ticket up; and the next ticket of the same batch. */
    private final CompletableFuture<?> waiter;
    private Ticket next;

    public Ticket() {
      this(null, null);
    }

    private Ticket(Window.Batch batch, CompletableFuture<?> waiter) {
      this.batch = batch;
      this.waiter = waiter;
    }

    /** The actor: true when the work is to run (the sender still waits), false when the sender gave up. */
    public boolean take() {
      return settle(TAKEN);
    }

    /** The sender (or an actor refusing the work): true when the work will never run, false when it was taken. */
    public boolean giveUp() {
      return settle(GIVEN_UP);
    }

    private boolean settle(int outcome) {
      if (!STATE.compareAndSet(this, WAITING, outcome)) return false;
      if (batch != null) batch.settled();
      return true;
    }
  }

  /**
   * A window for the tickets of work sent to one actor: the deadline of every ticket without a timer each. Tickets
   * taken out within {@link #joinNanos} of each other share a batch and one timer; a batch whose tickets are all
   * settled (the usual case: the actor took them within microseconds) cancels its timer, and is then garbage. A
   * ticket is given up between the deadline less {@link #joinNanos} and the deadline after it was taken out; the
   * scheduler's timer per message it replaces cost a timer-thread task, a future callback and a cancellation per
   * range message, and kept the cancelled timers for seconds (docs/performance.md).
   */
  public Window window(Supplier<String> errorText) {
    return new Window(errorText);
  }

  /** How long a batch takes new tickets: a ticket's wait may end this much before the deadline, never after it. */
  FiniteDuration joinTime() {
    return FiniteDuration.fromNanos(Math.min(deadline.toNanos() / 32, Duration.ofMillis(50).toNanos()));
  }

  public final class Window {
    private final Supplier<String> errorText;
    private final AtomicReference<Batch> open = new AtomicReference<>();

    private Window(Supplier<String> errorText) {
      this.errorText = errorText;
    }

    /**
     * A ticket for work that completes {@code waiter}, to be sent to the actor after this call: if the actor has not
     * taken it by the deadline, {@code waiter} fails with {@link Exceeded} of this window's text.
     */
    public Ticket ticket(CompletableFuture<?> waiter) {
      while (true) {
        Batch batch = open.get();
        if (batch != null && batch.join()) return batch.add(waiter);
        Batch fresh = new Batch();
        if (open.compareAndSet(batch, fresh)) {
          fresh.start();
          // fresh.join() cannot fail before its seal timer has run
        }
      }
    }

    /**
     * The tickets taken out within one join time. {@code state} counts its unsettled tickets, with {@link #SEALED}
     * set once it takes no more: sealed with none unsettled, it is done and its expiry timer is cancelled.
     */
    final class Batch {
      private static final int SEALED = 1 << 30;
      private final AtomicInteger state = new AtomicInteger();
      private final AtomicReference<Ticket> head = new AtomicReference<>();
      private volatile Cancellable expiry;

      void start() {
        scheduler.scheduleOnce(joinTime(), this::seal, executor);
      }

      boolean join() {
        while (true) {
          int now = state.get();
          if ((now & SEALED) != 0) return false;
          if (state.compareAndSet(now, now + 1)) return true;
        }
      }

      Ticket add(CompletableFuture<?> waiter) {
        Ticket ticket = new Ticket(this, waiter);
        Ticket first;
        do {
          first = head.get();
          ticket.next = first;
        } while (!head.compareAndSet(first, ticket));
        return ticket;
      }

      void settled() {
        if (state.decrementAndGet() == SEALED) cancelExpiry();
      }

      /** At the end of the join time: done if all its tickets are settled, else it waits out the deadline. */
      private void seal() {
        open.compareAndSet(this, null);
        if (state.getAndAdd(SEALED) == 0) return;
        expiry = scheduler.scheduleOnce(FiniteDuration.fromNanos(deadline.toNanos() - joinTime().toNanos()),
            this::expire, executor);
        if (state.get() == SEALED) cancelExpiry(); // all settled while the timer was being set
      }

      private void cancelExpiry() {
        Cancellable timer = expiry;
        if (timer != null) timer.cancel();
      }

      private void expire() {
        for (Ticket ticket = head.get(); ticket != null; ticket = ticket.next) {
          if (ticket.giveUp()) ticket.waiter.completeExceptionally(new Exceeded(errorText.get()));
        }
      }
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
