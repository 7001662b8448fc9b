package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A window of tickets (Deadlines.Window), under ManualTime: a ticket not taken by the deadline fails its waiter with
 * the window's text and can no longer be taken; a taken one never fails; tickets taken out later than the join time
 * after a batch started wait their own full deadline.
 */
class DeadlineWindowTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config());
  private static final ManualTime time = ManualTime.get(testKit.system());
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private final Deadlines deadlines =
      new Deadlines(testKit.system().scheduler(), testKit.system().executionContext(), DEADLINE);
  private final Deadlines.Window window = deadlines.window(() -> "TRYAGAIN not taken");
  private final Duration join = Duration.ofNanos(deadlines.joinTime().toNanos());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static String failureOf(CompletableFuture<?> waiter) throws Exception {
    try {
      waiter.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause().getMessage();
    }
    return "completed without failing";
  }

  @Test
  void aTicketNotTakenFailsAtItsDeadlineAndCannotBeTakenAfter() throws Exception {
    CompletableFuture<Void> waiter = new CompletableFuture<>();
    Deadlines.Ticket ticket = window.ticket(waiter);
    time.timePasses(DEADLINE.minus(join).minusMillis(1));
    assertFalse(waiter.isDone(), "not before the deadline less the join time");
    time.timePasses(join.plusMillis(1));
    assertEquals("TRYAGAIN not taken", failureOf(waiter));
    assertFalse(ticket.take(), "given up: the work must not run");
  }

  @Test
  void aTakenTicketNeverFailsWhileAnUntakenOneOfTheSameBatchDoes() throws Exception {
    CompletableFuture<Void> taken = new CompletableFuture<>();
    CompletableFuture<Void> untaken = new CompletableFuture<>();
    assertTrue(window.ticket(taken).take());
    window.ticket(untaken);
    time.timePasses(DEADLINE);
    assertEquals("TRYAGAIN not taken", failureOf(untaken));
    assertFalse(taken.isDone(), "the expiry that failed the other ticket passed this one over");
  }

  @Test
  void aTicketTakenOutAfterTheJoinTimeWaitsItsOwnDeadline() throws Exception {
    CompletableFuture<Void> first = new CompletableFuture<>();
    CompletableFuture<Void> later = new CompletableFuture<>();
    window.ticket(first);
    Duration gap = Duration.ofSeconds(2);
    time.timePasses(gap);
    Deadlines.Ticket laterTicket = window.ticket(later);
    time.timePasses(DEADLINE.minus(gap));
    assertEquals("TRYAGAIN not taken", failureOf(first));
    assertFalse(later.isDone(), "two seconds of its deadline are left");
    time.timePasses(gap);
    assertEquals("TRYAGAIN not taken", failureOf(later));
    assertFalse(laterTicket.take());
  }

  @Test
  void theActorRefusingATicketSettlesItAsGivenUp() {
    CompletableFuture<Void> waiter = new CompletableFuture<>();
    Deadlines.Ticket ticket = window.ticket(waiter);
    assertTrue(ticket.giveUp());
    assertFalse(ticket.take());
    assertFalse(ticket.giveUp(), "settled once");
  }
}
