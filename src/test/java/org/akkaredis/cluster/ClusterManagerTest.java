package org.akkaredis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.akkaredis.keyspace.SlotRouting;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The ClusterManager actor: applying changes, its 100 ms cron with ManualTime, publishing the routing. */
class ClusterManagerTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config());
  private static final ManualTime manualTime = ManualTime.get(testKit.system());
  private static final String ID = "c5a41ec744fcb5d377f78ea0ec836d9e04e94d6e";

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static ClusterState read(ActorRef<ClusterManager.Command> manager) throws Exception {
    CompletableFuture<ClusterState> state = new CompletableFuture<>();
    manager.tell(new ClusterManager.Read(state));
    return state.get(5, TimeUnit.SECONDS);
  }

  private static String change(ActorRef<ClusterManager.Command> manager,
      java.util.function.Function<ClusterState, ClusterState.Outcome> change) throws Exception {
    CompletableFuture<String> result = new CompletableFuture<>();
    manager.tell(new ClusterManager.Change(change, result));
    return result.get(5, TimeUnit.SECONDS);
  }

  @Test
  void becomesOkOnTheFirstCronTickAfterTheWritableDelay() throws Exception {
    AtomicLong clock = new AtomicLong(1_000_000);
    AtomicReference<SlotRouting> published = new AtomicReference<>();
    ActorRef<ClusterManager.Command> manager = testKit.spawn(ClusterManager.create(
        ClusterState.fresh(ID, "", 7001, 17001, clock.get()), clock::get, true, false, published::set));

    int[] all = IntStream.range(0, 16384).toArray();
    assertNull(change(manager, state -> state.addSlots(all)));
    assertEquals("ERR Slot 0 is already busy", change(manager, state -> state.addSlots(new int[] {0})));
    assertFalse(read(manager).ok());
    assertEquals("CLUSTERDOWN The cluster is down", published.get().refusal(5798, false));

    clock.addAndGet(1999);
    manualTime.timePasses(Duration.ofMillis(100));
    assertFalse(read(manager).ok(), "still inside the 2 s writable delay");

    clock.addAndGet(1);
    manualTime.timePasses(Duration.ofMillis(100));
    assertTrue(read(manager).ok());
    assertNull(published.get().refusal(5798, true), "the keyspace was told");

    assertNull(change(manager, state -> state.delSlots(new int[] {5798})));
    assertFalse(read(manager).ok(), "a hole in the coverage fails the cluster at once");
    assertEquals("CLUSTERDOWN Hash slot not served", published.get().refusal(5798, false));
  }
}
