package org.akkaredis.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.config.Settings;
import org.akkaredis.it.support.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class PacedApplierTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config());
  private static final ManualTime manualTime = ManualTime.get(testKit.system());

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** The node's applier as far as pacing sees it: records what it is given, in order, and is done at once. */
  private static final class Recording implements Applier {
    final List<String> applied = Collections.synchronizedList(new ArrayList<>());

    @Override public CompletionStage<Void> apply(Channel channel, List<byte[][]> commands) {
      StringBuilder keys = new StringBuilder(channel.name()).append(':');
      for (byte[][] command : commands) keys.append(new String(command[1], StandardCharsets.US_ASCII));
      applied.add(keys.toString());
      return CompletableFuture.completedFuture(null);
    }

    @Override public CompletionStage<Void> restart(int db) {
      applied.add("restart");
      return CompletableFuture.completedFuture(null);
    }

    @Override public CompletionStage<Void> restartAside(int db) {
      applied.add("restartAside");
      return CompletableFuture.completedFuture(null);
    }

    @Override public CompletionStage<Void> swapIn() {
      applied.add("swapIn");
      return CompletableFuture.completedFuture(null);
    }

    @Override public CompletionStage<Void> dropAside() {
      applied.add("dropAside");
      return CompletableFuture.completedFuture(null);
    }
  }

  private static byte[][] set(String key) {
    return new byte[][] {"SET".getBytes(StandardCharsets.US_ASCII), key.getBytes(StandardCharsets.US_ASCII),
        "x".repeat(1000).getBytes(StandardCharsets.US_ASCII)};
  }

  /** The pace's clock, moved on with the manual time. */
  private final AtomicLong nanos = new AtomicLong();

  private void timePasses(Duration duration) {
    nanos.addAndGet(duration.toNanos());
    manualTime.timePasses(duration);
  }

  private PacedApplier paced(Recording recording, Settings settings) {
    return new PacedApplier(recording, settings, nanos -> {
      CompletableFuture<Void> elapsed = new CompletableFuture<>();
      testKit.system().scheduler().scheduleOnce(Duration.ofNanos(nanos), () -> elapsed.complete(null),
          testKit.system().executionContext());
      return elapsed;
    }, nanos::get);
  }

  private static void awaitApplied(Recording recording, int count) throws InterruptedException {
    Await.until(count + " applied", Duration.ofSeconds(5), () -> recording.applied.size() >= count,
        recording.applied::toString);
    assertEquals(count, recording.applied.size(), () -> "applied: " + recording.applied);
  }

  @Test
  void aSnapshotLoadsInBatchesOfTheIntervalAndWaitsOnATimerWhatTheKeysOwe() throws Exception {
    Settings settings = Settings.defaults();
    assertNull(settings.set(List.of("key-load-delay", "4000", "loading-process-events-interval-bytes", "1024")));
    Recording recording = new Recording();
    CompletableFuture<Void> done = paced(recording, settings)
        .apply(Applier.Channel.SNAPSHOT, List.of(set("a"), set("b"), set("c"), set("d"), set("e")))
        .toCompletableFuture();
    // One key of 1 KB per batch; three keys owe 12 ms, which are waited before the fourth.
    awaitApplied(recording, 3);
    assertEquals(List.of("SNAPSHOT:a", "SNAPSHOT:b", "SNAPSHOT:c"), recording.applied);
    timePasses(Duration.ofMillis(11));
    assertEquals(3, recording.applied.size());
    assertFalse(done.isDone());
    timePasses(Duration.ofMillis(1));
    awaitApplied(recording, 5);
    done.get(5, TimeUnit.SECONDS); // d and e owe 8 ms: owed to the next chunk, not waited
    assertEquals(List.of("SNAPSHOT:a", "SNAPSHOT:b", "SNAPSHOT:c", "SNAPSHOT:d", "SNAPSHOT:e"), recording.applied);
  }

  @Test
  void withTheDefaultsASnapshotChunkIsOneBatchAndTheStreamIsNeverPaced() throws Exception {
    Settings settings = Settings.defaults();
    Recording recording = new Recording();
    PacedApplier applier = paced(recording, settings);
    applier.apply(Applier.Channel.SNAPSHOT, List.of(set("a"), set("b"))).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertNull(settings.set(List.of("key-load-delay", "100000")));
    CompletionStage<Void> stream = applier.apply(Applier.Channel.STREAM, List.<byte[][]>of(set("c")));
    stream.toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(List.of("SNAPSHOT:ab", "STREAM:c"), recording.applied);
    assertSame(null, applier.restart(0).toCompletableFuture().get(5, TimeUnit.SECONDS));
  }
}
