package org.akkaredis.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.typed.ActorRef;
import akka.stream.javadsl.Sink;
import akka.util.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.config.Settings;
import org.akkaredis.it.support.Await;
import org.akkaredis.keyspace.EffectBuffer;
import org.akkaredis.persistence.RdbWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A master's PING in the replication stream, on Redis's replicationCron schedule, as a SYNC client reads it. */
class ReplicationSourcePingTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config());
  private static final ManualTime manualTime = ManualTime.get(testKit.system());

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** One empty range. */
  private static final ReplicationSource.Snapshots EMPTY = new ReplicationSource.Snapshots() {
    @Override public int ranges() {
      return 1;
    }

    @Override public CompletionStage<List<byte[]>> take(int range, int maxChunkBytes) {
      return CompletableFuture.completedFuture(List.of());
    }

    @Override public CompletionStage<RdbWriter.Part[]> parts(int range) {
      return CompletableFuture.completedFuture(new RdbWriter.Part[0]);
    }

    @Override public RdbWriter.Aux aux() {
      return new RdbWriter.Aux("7.0.15", 0, 0, false);
    }

    @Override public CompletionStage<Long> keys(int range) {
      return CompletableFuture.completedFuture(0L);
    }
  };

  private static final Applier NO_APPLIER = new Applier() {
    @Override public CompletionStage<Void> apply(Channel channel, List<byte[][]> commands) {
      throw new IllegalStateException("a master applies nothing");
    }

    @Override public CompletionStage<Void> restart(int db) {
      throw new IllegalStateException("a master applies nothing");
    }

    @Override public CompletionStage<Void> restartAside(int db) {
      throw new IllegalStateException("a master applies nothing");
    }

    @Override public CompletionStage<Void> swapIn() {
      throw new IllegalStateException("a master applies nothing");
    }

    @Override public CompletionStage<Void> dropAside() {
      throw new IllegalStateException("a master applies nothing");
    }
  };

  /** The source's clock (the channels' own idle PINGs read it). */
  private final AtomicLong clockMs = new AtomicLong(1_000_000);

  /** The client's bytes after its RDB, as text, one offer at a time. */
  private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();

  private ActorRef<ReplicationSource.Command> masterWithSyncClient(Settings settings) throws InterruptedException {
    ReplicationBoard board = new ReplicationBoard();
    ActorRef<ReplicationSource.Command> source = testKit.spawn(ReplicationSource.create(board, settings, EMPTY,
        NO_APPLIER, clockMs::get, sink -> { }, new NodeSleep(), () -> false));
    ReplicationSource.clientStream(source, "client-1", "127.0.0.1")
        .runWith(Sink.foreach(bytes -> received.add(bytes.utf8String())), testKit.system());
    String rdb = received.poll(5, TimeUnit.SECONDS);
    assertEquals('$', rdb.charAt(0), "the RDB's bulk first: " + rdb);
    // Online once its connection took the whole RDB: from then on the stream goes straight to it.
    Await.until("the client took its RDB", Duration.ofSeconds(5),
        () -> board.replicas().size() == 1 && board.replicas().get(0).online());
    received.clear(); // the rest of the RDB
    return source;
  }

  private static final String PING = "*1\r\n$4\r\nPING\r\n";

  private ActorRef<ReplicationSource.Command> source;
  private int markers;

  /**
   * The PINGs that {@code seconds} ticks of manual time make: the ticks (each enqueues its Tick as time passes), then
   * a write fed behind them, which the stream carries after every PING of those ticks; what arrives is counted up to
   * it. The source's clock stands still, so the channels' own idle PINGs (by the clock, not the tick count) stay out
   * of this.
   */
  private int pingsAfter(int seconds) throws InterruptedException {
    for (int i = 0; i < seconds; i++) manualTime.timePasses(Duration.ofSeconds(1));
    String marker = "marker-" + ++markers;
    source.tell(new ReplicationSource.Effect(0, 0, EffectBuffer.encode(new byte[][] {
        "SET".getBytes(StandardCharsets.UTF_8), marker.getBytes(StandardCharsets.UTF_8), new byte[] {'1'}})));
    StringBuilder stream = new StringBuilder();
    while (!stream.toString().contains(marker)) {
      String next = received.poll(10, TimeUnit.SECONDS);
      assertNotNull(next, "the write fed after the ticks arrives; so far: " + stream);
      stream.append(next);
    }
    int pings = 0;
    for (int at = stream.indexOf(PING); at >= 0; at = stream.indexOf(PING, at + 1)) pings++;
    return pings;
  }

  @Test
  void aMasterWithAReplicaPingsEveryPeriodOnItsTickCount() throws Exception {
    Settings settings = Settings.defaults();
    assertNull(settings.set(List.of("repl-ping-replica-period", "3")));
    source = masterWithSyncClient(settings);
    assertEquals(1, pingsAfter(1), "tick 0, as Redis's replication_cron_loops 0");
    assertEquals(1, pingsAfter(3), "ticks 1 and 2 have none, tick 3 has one");
  }

  @Test
  void redisTestHarnessesPeriodOf3600MeansNoPingWhileTheyRead() throws Exception {
    Settings settings = Settings.defaults();
    source = masterWithSyncClient(settings);
    assertEquals(1, pingsAfter(1), "tick 0's PING");
    assertNull(settings.set(List.of("repl-ping-replica-period", "3600")));
    assertEquals(0, pingsAfter(12));
  }
}
