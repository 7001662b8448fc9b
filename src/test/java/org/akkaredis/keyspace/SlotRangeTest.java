package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.config.Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The SlotRange actor: running work, surviving failing work, being held, and its active expiry timer. */
class SlotRangeTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config());
  private static final ManualTime manualTime = ManualTime.get(testKit.system());

  private final AtomicLong clock = new AtomicLong(1_000_000);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private RangeState newState() {
    return new RangeState(0, 0, 16383, 1, Settings.defaults(), clock::get, SlotRouting::standalone);
  }

  private static <T> T run(ActorRef<SlotRange.Command> range, java.util.function.Function<RangeState, T> work)
      throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    range.tell(new SlotRange.Run<>(work, result));
    return result.get(5, TimeUnit.SECONDS);
  }

  @Test
  void failingWorkIsAnsweredWithItsErrorAndKeepsTheData() throws Exception {
    ActorRef<SlotRange.Command> range = testKit.spawn(SlotRange.create(newState(), 16));
    run(range, state -> state.db(0).put(Key.of("foo"), "bar".getBytes()));
    CompletableFuture<Object> failed = new CompletableFuture<>();
    range.tell(new SlotRange.Run<>(state -> {
      throw new IllegalStateException("injected fault");
    }, failed));
    ExecutionException error = assertThrows(ExecutionException.class, () -> failed.get(5, TimeUnit.SECONDS));
    assertEquals("injected fault", error.getCause().getMessage());
    assertNotNull(run(range, state -> state.db(0).lookup(Key.of("foo"))), "data survives the failure");
  }

  @Test
  void heldRangeRunsNothingElseUntilReleased() throws Exception {
    ActorRef<SlotRange.Command> range = testKit.spawn(SlotRange.create(newState(), 16));
    CompletableFuture<RangeState> granted = new CompletableFuture<>();
    CompletableFuture<Void> release = new CompletableFuture<>();
    range.tell(new SlotRange.Hold(granted, release));
    RangeState held = granted.get(5, TimeUnit.SECONDS);
    CompletableFuture<Long> sizeSeen = new CompletableFuture<>();
    range.tell(new SlotRange.Run<>(state -> state.db(0).size(), sizeSeen));
    held.db(0).put(Key.of("a"), "1".getBytes());
    held.db(0).put(Key.of("b"), "2".getBytes());
    assertFalse(sizeSeen.isDone(), "work waits while the range is held");
    release.complete(null);
    assertEquals(2L, sizeSeen.get(5, TimeUnit.SECONDS), "sees everything the holder did");
  }

  /**
   * A held range keeps at most STASH_CAPACITY messages: the next client's work is refused at once with TRYAGAIN
   * (not dropped, not run), and what was kept runs once the range is released.
   */
  @Test
  void aFullStashAnswersTheNextWorkWithAnErrorAndNeverRunsIt() throws Exception {
    ActorRef<SlotRange.Command> range = testKit.spawn(SlotRange.create(newState(), 16));
    CompletableFuture<RangeState> granted = new CompletableFuture<>();
    CompletableFuture<Void> release = new CompletableFuture<>();
    range.tell(new SlotRange.Hold(granted, release));
    granted.get(5, TimeUnit.SECONDS);
    List<CompletableFuture<Integer>> kept = new ArrayList<>();
    for (int i = 0; i < SlotRange.STASH_CAPACITY; i++) {
      CompletableFuture<Integer> result = new CompletableFuture<>();
      range.tell(new SlotRange.Run<>(state -> 1, result));
      kept.add(result);
    }
    java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
    CompletableFuture<Boolean> refused = new CompletableFuture<>();
    range.tell(new SlotRange.Run<>(state -> ran.getAndSet(true), refused));
    ExecutionException error = assertThrows(ExecutionException.class, () -> refused.get(5, TimeUnit.SECONDS));
    assertTrue(error.getCause() instanceof Deadlines.Exceeded, error.toString());
    assertEquals("TRYAGAIN slot range 0-16383 is held and already keeps " + SlotRange.STASH_CAPACITY
        + " messages waiting; the command was not run", error.getCause().getMessage());
    assertTrue(kept.stream().noneMatch(CompletableFuture::isDone), "kept work waits for the release");
    release.complete(null);
    CompletableFuture.allOf(kept.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertEquals(Integer.valueOf(1), run(range, state -> 1), "the range serves again");
    assertFalse(ran.get(), "refused work never runs");
  }

  /** A range that stops while held answers the work it kept with TRYAGAIN instead of dropping it. */
  @Test
  void aRangeStoppedWhileHeldAnswersTheWorkItKept() throws Exception {
    ActorRef<SlotRange.Command> range = testKit.spawn(SlotRange.create(newState(), 16));
    CompletableFuture<RangeState> granted = new CompletableFuture<>();
    range.tell(new SlotRange.Hold(granted, new CompletableFuture<Void>()));
    granted.get(5, TimeUnit.SECONDS);
    CompletableFuture<Integer> kept = new CompletableFuture<>();
    range.tell(new SlotRange.Run<>(state -> 1, kept));
    // Stop as a message, behind the work: testKit.stop is a system message, which may overtake the work still in
    // the mailbox (and a message that reaches a stopped actor is left to the sender's deadline).
    range.tell(new SlotRange.Stop());
    ExecutionException error = assertThrows(ExecutionException.class, () -> kept.get(5, TimeUnit.SECONDS));
    assertEquals("TRYAGAIN slot range 0-16383 is stopped; the command was not run", error.getCause().getMessage());
  }

  /** Work whose sender gave up (its deadline passed) is skipped by the range, and so is a hold. */
  @Test
  void workAndHoldsGivenUpBeforeTheRangeTookThemNeverRun() throws Exception {
    ActorRef<SlotRange.Command> range = testKit.spawn(SlotRange.create(newState(), 16));
    Deadlines.Ticket runTicket = new Deadlines.Ticket();
    assertTrue(runTicket.giveUp());
    java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
    range.tell(new SlotRange.Run<>(state -> ran.getAndSet(true), new CompletableFuture<>(), runTicket));
    Deadlines.Ticket holdTicket = new Deadlines.Ticket();
    assertTrue(holdTicket.giveUp());
    CompletableFuture<RangeState> granted = new CompletableFuture<>();
    range.tell(new SlotRange.Hold(granted, new CompletableFuture<Void>(), holdTicket));
    assertEquals(Integer.valueOf(1), run(range, state -> 1), "not held by the given-up hold");
    assertFalse(ran.get());
    assertFalse(granted.isDone());
  }

  @Test
  void activeExpiryDeletesExpiredKeysWithoutAnyAccess() throws Exception {
    RangeState state = newState();
    ActorRef<SlotRange.Command> range = testKit.spawn(SlotRange.create(state, 16));
    run(range, s -> {
      for (int i = 0; i < 500; i++) {
        Entry e = s.db(0).put(Key.of("k" + i), "v".getBytes());
        s.db(0).expireAt(e, clock.get() + 1000);
      }
      s.db(0).put(Key.of("forever"), "v".getBytes());
      return null;
    });
    clock.addAndGet(2000);
    // Redis's cycle goes on while over 10% of a sample is expired: a few ticks clear them all.
    for (int tick = 0; tick < 50 && run(range, s -> s.db(0).size()) > 1L; tick++) {
      manualTime.timePasses(Duration.ofMillis(100));
    }
    long size = run(range, s -> s.db(0).size());
    long expired = run(range, s -> s.expiredKeys);
    assertEquals(1, size);
    assertEquals(500, expired);
  }

  @Test
  void holdersOfOverlappingRangesNeverDeadlock() throws Exception {
    CompletableFuture<Keyspace> created = new CompletableFuture<>();
    testKit.spawn(Behaviors.setup(ctx -> {
      created.complete(new Keyspace(ctx, Keyspace.rangeCount(ConfigFactory.load()), Settings.defaults(), clock::get,
          SlotRouting.standalone()));
      return Behaviors.empty();
    }));
    Keyspace keyspace = created.get(5, TimeUnit.SECONDS);
    int last = keyspace.rangeCount() - 1;
    int middle = keyspace.rangeCount() / 2;
    List<CompletableFuture<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int[] ranges = i % 2 == 0 ? new int[] {1, middle, last} : new int[] {last, 1};
      results.add(keyspace.holding(ranges, held -> {
        return CompletableFuture.completedFuture(held.length);
      }).toCompletableFuture());
      results.add(keyspace.onRange(middle, state -> 1).toCompletableFuture());
    }
    for (CompletableFuture<Integer> result : results) assertTrue(result.get(10, TimeUnit.SECONDS) >= 1);
  }
}
