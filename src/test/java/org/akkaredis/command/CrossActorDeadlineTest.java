package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.EffectSink;
import org.akkaredis.keyspace.Slots;
import org.akkaredis.resp.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The deadline of the waits a command makes on actors (keyspace.Deadlines), on a real keyspace and dispatcher under
 * ManualTime: a range held by someone else (as a stuck or stopped range looks to a client) and an AOF that never
 * confirms. The client gets the error when the deadline passes, a command that was not taken never runs, and the
 * same session's next command succeeds.
 */
class CrossActorDeadlineTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config()
      .withFallback(ConfigFactory.parseString("akka-redis.cross-actor-deadline = 5 s"))
      .withFallback(ConfigFactory.load()));
  private static final ManualTime time = ManualTime.get(testKit.system());

  private final EffectsNode node = new EffectsNode(testKit, Settings.defaults(), new AtomicLong(1_700_000_000_000L));
  private CompletableFuture<Void> release = new CompletableFuture<>();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @AfterEach
  void releaseHolds() {
    release.complete(null);
    node.keyspace.aofSink(EffectSink.NONE);
  }

  private int rangeOf(String key) {
    return node.keyspace.rangeOfSlot(Slots.slotOf(key.getBytes(StandardCharsets.UTF_8)));
  }

  /** Holds the range of {@code key} until {@link #release} completes, as a client's EXEC that never ends would. */
  private void holdRangeOf(String key) {
    CompletableFuture<Void> granted = new CompletableFuture<>();
    node.keyspace.holding(new int[] {rangeOf(key)}, held -> {
      granted.complete(null);
      return release;
    });
    EffectsNode.await(granted);
  }

  private String rangeText(String key) {
    int range = rangeOf(key);
    int perRange = Slots.COUNT / node.keyspace.rangeCount();
    return "slot range " + range * perRange + "-" + ((range + 1) * perRange - 1);
  }

  private static Reply error(String text) {
    return Reply.error(text);
  }

  @Test
  void aCommandARangeDoesNotTakeInTimeAnswersTryagainAndNeverRuns() {
    Session session = node.connect();
    holdRangeOf("k");
    CompletableFuture<Reply> set = node.send(session, "SET", "k", "v");
    assertFalse(set.isDone(), "waits while the range is held");
    time.timePasses(DEADLINE);
    assertEquals(error("TRYAGAIN " + rangeText("k") + " did not take the command within 5000 ms; the command was not"
        + " run"), EffectsNode.await(set));
    release.complete(null);
    assertEquals(Reply.NULL, node.run(session, "GET", "k"), "the command that timed out did not run");
    assertEquals(Reply.OK, node.run(session, "SET", "k", "v2"));
    assertEquals(Reply.bulk("v2".getBytes(StandardCharsets.UTF_8)), node.run(session, "GET", "k"));
  }

  /** A read's commands on other ranges still answer; only the stuck range's commands get the error, in order. */
  @Test
  void onlyTheCommandsOfTheStuckRangeFail() {
    Session session = node.connect();
    String other = "other";
    assertNotEquals(rangeOf("k"), rangeOf(other));
    holdRangeOf("k");
    CompletionStage<Reply[]> replies = node.send(session, List.of(EffectsNode.argv("SET", other, "1"),
        EffectsNode.argv("SET", "k", "v"), EffectsNode.argv("INCR", other)));
    time.timePasses(DEADLINE);
    Reply[] answered = EffectsNode.await(replies);
    assertEquals(Reply.OK, answered[0]);
    assertEquals(error("TRYAGAIN " + rangeText("k") + " did not take the command within 5000 ms; the command was not"
        + " run"), answered[1]);
    assertEquals(Reply.integer(2), answered[2]);
  }

  /**
   * A command holding several ranges (standalone MSET) whose second range does not grant its hold: it fails, and
   * the ranges it already held are let go (a command on one of them answers at once afterwards).
   */
  @Test
  void aHoldThatIsNotGrantedInTimeFailsAndLetsGoOfTheRangesHeldSoFar() {
    Session session = node.connect();
    String low = null;
    String high = null;
    for (int i = 0; low == null || high == null; i++) {
      String key = "key" + i;
      if (rangeOf(key) == 0 && low == null) low = key;
      if (rangeOf(key) == node.keyspace.rangeCount() - 1 && high == null) high = key;
    }
    holdRangeOf(high);
    CompletableFuture<Reply> mset = node.send(session, "MSET", low, "1", high, "2");
    time.timePasses(DEADLINE);
    assertEquals(error("TRYAGAIN " + rangeText(high) + " did not take the command within 5000 ms; the command was"
        + " not run"), EffectsNode.await(mset));
    Session other = node.connect();
    assertEquals(Reply.NULL, node.run(other, "GET", low), "the range held on the way is free again, MSET did not run");
    release.complete(null);
    assertEquals(Reply.OK, node.run(session, "MSET", low, "1", high, "2"));
  }

  /**
   * With appendfsync always a write's reply waits for the AOF's confirmation; an AOF that never confirms gives an
   * error (the write did run), and the connection goes on.
   */
  @Test
  void aWriteTheAofDoesNotConfirmInTimeAnswersAnError() throws InterruptedException {
    Session session = node.connect();
    CompletableFuture<Void> never = new CompletableFuture<>();
    CountDownLatch waiting = new CountDownLatch(2);
    node.keyspace.aofSink(new EffectSink() {
      @Override public void accept(int range, int db, byte[] resp) {}

      @Override public CompletionStage<Void> synced() {
        waiting.countDown();
        return never;
      }
    });
    CompletableFuture<Reply> set = node.send(session, "SET", "k", "v");
    CompletableFuture<Reply> mset = node.send(node.connect(), "MSET", "a", "1", "b", "2");
    // Time passes only once both writes wait on the AOF, so the wait's deadline is set before it passes; the
    // deadline is set just after synced() returns, so time passes again until both have answered (10 s bound).
    assertTrue(waiting.await(10, TimeUnit.SECONDS), "both writes reached the AOF");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    CompletableFuture<Void> both = CompletableFuture.allOf(set, mset);
    while (!both.isDone() && System.nanoTime() < until) {
      time.timePasses(DEADLINE);
      try {
        both.get(50, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException stillWaitingOrFailed) {
        // polled again until the bound
      }
    }
    Reply expected = error("ERR the AOF writer did not confirm the write within 5000 ms; it was applied in memory"
        + " but may not be on disk");
    assertEquals(expected, EffectsNode.await(set));
    assertEquals(expected, EffectsNode.await(mset));
    node.keyspace.aofSink(EffectSink.NONE);
    assertEquals(Reply.bulk("v".getBytes(StandardCharsets.UTF_8)), node.run(session, "GET", "k"));
    assertEquals(Reply.OK, node.run(session, "SET", "k", "v2"));
  }
}
