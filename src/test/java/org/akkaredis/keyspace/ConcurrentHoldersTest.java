package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.akkaredis.config.Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keyspace.holding from several threads at once: holders of overlapping range sets (every range, as a standalone
 * EVAL holds; a few; one) all run, each alone on its ranges, none waiting forever; and a range runs what waited
 * behind its holds in order. (A hold not granted in time: CrossActorDeadlineTest; one thread's holders:
 * SlotRangeTest.)
 */
class ConcurrentHoldersTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static Keyspace keyspace;

  @BeforeAll
  static void createKeyspace() throws Exception {
    CompletableFuture<Keyspace> created = new CompletableFuture<>();
    AtomicLong clock = new AtomicLong(1_000_000);
    testKit.spawn(Behaviors.setup(ctx -> {
      created.complete(new Keyspace(ctx, Keyspace.rangeCount(ConfigFactory.load()), Settings.defaults(), clock::get,
          SlotRouting.standalone()));
      return Behaviors.empty();
    }));
    keyspace = created.get(5, TimeUnit.SECONDS);
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void holdersFromSeveralThreadsRunAloneOnTheirRangesAndAllFinish() throws Exception {
    int ranges = keyspace.rangeCount();
    AtomicIntegerArray inside = new AtomicIntegerArray(ranges);
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger ran = new AtomicInteger();
    int threads = 4;
    int holdersEach = 300;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<CompletableFuture<Integer>>>> sent = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        sent.add(pool.submit(() -> {
          Random random = new Random(seed);
          List<CompletableFuture<Integer>> results = new ArrayList<>();
          for (int i = 0; i < holdersEach; i++) {
            int[] set = switch (i % 3) {
              case 0 -> IntStream.range(0, ranges).toArray();
              case 1 -> random.ints(1 + random.nextInt(4), 0, ranges).toArray();
              default -> new int[] {random.nextInt(ranges)};
            };
            results.add(keyspace.holding(set, held -> {
              for (RangeState state : held) {
                if (inside.incrementAndGet(state.index()) != 1) overlaps.incrementAndGet();
              }
              for (RangeState state : held) inside.decrementAndGet(state.index());
              ran.incrementAndGet();
              return CompletableFuture.completedFuture(held.length);
            }).toCompletableFuture());
          }
          return results;
        }));
      }
      for (Future<List<CompletableFuture<Integer>>> batch : sent) {
        for (CompletableFuture<Integer> result : batch.get(30, TimeUnit.SECONDS)) {
          assertTrue(result.get(30, TimeUnit.SECONDS) >= 1);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, overlaps.get(), "two holders ran on one range at once");
    assertEquals(threads * holdersEach, ran.get());
  }

  /**
   * A held range keeps what comes meanwhile and runs it in its order after the release, up to the next Hold, which
   * holds it again with what is behind it still kept: across several holds and releases, everything runs in the
   * order it was sent.
   */
  @Test
  void whatWaitsBehindHoldsRunsInItsOrderAcrossReleases() throws Exception {
    AtomicLong clock = new AtomicLong(1_000_000);
    ActorRef<SlotRange.Command> range = testKit.spawn(SlotRange.create(
        new RangeState(0, 0, 16383, 1, Settings.defaults(), clock::get, SlotRouting::standalone), 16));
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> releases = new ArrayList<>();
    List<CompletableFuture<RangeState>> grants = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      releases.add(new CompletableFuture<>());
      int holder = i;
      CompletableFuture<RangeState> granted = new CompletableFuture<>();
      granted.thenAccept(state -> order.add("hold" + holder));
      grants.add(granted);
    }
    range.tell(new SlotRange.Hold(grants.get(0), releases.get(0)));
    grants.get(0).get(5, TimeUnit.SECONDS);
    CompletableFuture<Object> last = new CompletableFuture<>();
    range.tell(run(order, "a", new CompletableFuture<>()));
    range.tell(new SlotRange.Hold(grants.get(1), releases.get(1)));
    range.tell(run(order, "b", new CompletableFuture<>()));
    range.tell(run(order, "c", new CompletableFuture<>()));
    range.tell(new SlotRange.Hold(grants.get(2), releases.get(2)));
    range.tell(run(order, "d", last));

    releases.get(0).complete(null);
    grants.get(1).get(5, TimeUnit.SECONDS);
    assertEquals(List.of("hold0", "a", "hold1"), List.copyOf(order));
    releases.get(1).complete(null);
    grants.get(2).get(5, TimeUnit.SECONDS);
    assertEquals(List.of("hold0", "a", "hold1", "b", "c", "hold2"), List.copyOf(order));
    releases.get(2).complete(null);
    last.get(5, TimeUnit.SECONDS);
    assertEquals(List.of("hold0", "a", "hold1", "b", "c", "hold2", "d"), List.copyOf(order));
    testKit.stop(range);
  }

  private static SlotRange.Run<Object> run(List<String> order, String name, CompletableFuture<Object> done) {
    return new SlotRange.Run<>(state -> {
      order.add(name);
      return null;
    }, done);
  }
}
