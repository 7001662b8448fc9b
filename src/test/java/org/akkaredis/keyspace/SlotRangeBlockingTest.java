package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.config.Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Blocked clients in a SlotRange actor: served after the work that fills their key, timed out by its timer. */
class SlotRangeBlockingTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config());
  private static final ManualTime manualTime = ManualTime.get(testKit.system());

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final RangeState state =
      new RangeState(0, 0, 16383, 1, Settings.defaults(), clock::get, SlotRouting::standalone);
  private final ActorRef<SlotRange.Command> range = testKit.spawn(SlotRange.create(state, 16));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** A client popping the first element of a list; its answer is the element, or "timeout". */
  private static final class Popper extends BlockedClients.Client {
    final CompletableFuture<String> answer = new CompletableFuture<>();

    Popper(long deadline) {
      super(deadline, -1);
    }

    @Override protected boolean canServe(Entry entry) {
      return entry.value instanceof RedisList;
    }

    @Override protected void serve(Db db, Key key) {
      RedisList list = (RedisList) db.peek(key).value;
      answer.complete(new String(list.pop(true)));
      if (list.size() == 0) db.delete(key);
    }

    @Override protected void finish(String error) {
      answer.complete(error == null ? "timeout" : error);
    }

    @Override protected boolean disconnected() {
      return false;
    }
  }

  private <T> T run(java.util.function.Function<RangeState, T> work) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    range.tell(new SlotRange.Run<>(work, result));
    return result.get(5, TimeUnit.SECONDS);
  }

  private static Void push(RangeState s, String key, String value) {
    RedisList list = new RedisList();
    list.push(false, value.getBytes());
    s.db(0).put(Key.of(key), list);
    return null;
  }

  @Test
  void aPushInAnotherMessageServesTheWaitingClient() throws Exception {
    Popper popper = new Popper(0);
    run(s -> {
      s.blocked().block(popper, 0, List.of(Key.of("k")));
      return null;
    });
    run(s -> push(s, "k", "v"));
    assertEquals("v", popper.answer.get(5, TimeUnit.SECONDS));
    assertEquals(0L, (long) run(s -> s.db(0).size()));
  }

  @Test
  void aHolderWakesClientsOnlyWhenItReleases() throws Exception {
    Popper popper = new Popper(0);
    run(s -> {
      s.blocked().block(popper, 0, List.of(Key.of("k")));
      return null;
    });
    CompletableFuture<RangeState> granted = new CompletableFuture<>();
    CompletableFuture<Void> release = new CompletableFuture<>();
    range.tell(new SlotRange.Hold(granted, release));
    RangeState held = granted.get(5, TimeUnit.SECONDS);
    push(held, "k", "first");
    ((RedisList) held.db(0).peek(Key.of("k")).value).push(false, "second".getBytes());
    ((RedisList) held.db(0).peek(Key.of("k")).value).pop(true);
    assertFalse(popper.answer.isDone());
    release.complete(null);
    assertEquals("second", popper.answer.get(5, TimeUnit.SECONDS), "what is left when the hold ends");
  }

  @Test
  void theRangeTimerTimesClientsOut() throws Exception {
    Popper soon = new Popper(clock.get() + 150);
    Popper never = new Popper(0);
    run(s -> {
      s.blocked().block(soon, 0, List.of(Key.of("t")));
      s.blocked().block(never, 0, List.of(Key.of("t")));
      return null;
    });
    manualTime.timePasses(Duration.ofMillis(100));
    run(s -> null);
    assertFalse(soon.answer.isDone(), "not before its deadline");
    clock.addAndGet(200);
    manualTime.timePasses(Duration.ofMillis(100));
    assertEquals("timeout", soon.answer.get(5, TimeUnit.SECONDS));
    assertFalse(never.answer.isDone());
    assertEquals(1, (int) run(s -> s.blocked().waiting()));
  }

  /**
   * A holder's work may run on its own thread (the grant completed before it attached its next step), so a stop
   * that reaches the held range is handled while the holder is still about to block its client: the client must
   * still be answered with the stop's error, not left in the stopped range's queues. Here the client blocks once
   * the range has surely stopped; so does a client that waited before the stop.
   */
  @Test
  void aClientBlockedByAHolderAfterTheRangeStoppedIsAnswered() throws Exception {
    RangeState stoppingState = new RangeState(0, 0, 16383, 1, Settings.defaults(), clock::get,
        SlotRouting::standalone);
    ActorRef<SlotRange.Command> stopping = testKit.spawn(SlotRange.create(stoppingState, 16));
    Popper before = new Popper(0);
    CompletableFuture<RangeState> granted = new CompletableFuture<>();
    stopping.tell(new SlotRange.Hold(granted, new CompletableFuture<Void>()));
    RangeState held = granted.get(5, TimeUnit.SECONDS);
    held.blocked().block(before, 0, List.of(Key.of("k")));
    akka.actor.testkit.typed.javadsl.TestProbe<Object> watcher = testKit.createTestProbe();
    stopping.tell(new SlotRange.Stop());
    watcher.expectTerminated(stopping, Duration.ofSeconds(5));
    String stopped = "TRYAGAIN slot range 0-16383 stopped while the client was blocked; nothing was taken";
    assertEquals(stopped, before.answer.get(5, TimeUnit.SECONDS));
    Popper after = new Popper(0);
    held.blocked().block(after, 0, List.of(Key.of("k")));
    assertEquals(stopped, after.answer.get(5, TimeUnit.SECONDS));
    assertEquals(0, held.blocked().waiting());
  }
}
