package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.config.ConfigException;
import org.akkaredis.config.Settings;
import org.junit.jupiter.api.Test;

/**
 * maxmemory enforced by one range's own eviction, without actors: each policy evicts what it should until the node
 * total is under the limit, records each eviction as a DEL effect, and says when it has nothing left to evict.
 */
class EvictionTest {
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private final Settings settings;
  private final RangeState state;
  private final MemoryBudget memory;
  private final List<String> effects = new ArrayList<>();

  EvictionTest() throws ConfigException {
    settings = Settings.defaults().withOverrides(Map.of("maxmemory-samples", "10"));
    state = new RangeState(0, 0, 16383, 2, settings, clock::get, SlotRouting::standalone);
    memory = state.memory();
    state.propagation().sink((range, db, resp) -> effects.add(db + ":" + new String(resp, StandardCharsets.UTF_8)));
  }

  private void set(String... nameValues) {
    String error = settings.set(List.of(nameValues));
    assertNull(error, error);
  }

  private Entry put(int db, String key, int valueBytes) {
    state.tick();
    return state.db(db).put(Key.of(key), new byte[valueBytes]);
  }

  /** Sets the limit so that about {@code share} of the dataset must go. */
  private void limitTo(double share) {
    set("maxmemory", Long.toString(memory.fixed() + (long) (memory.dataset() * share)));
  }

  private int evictAll() {
    int total = 0;
    for (int i = 0; i < 10_000 && memory.overLimit(); i++) {
      state.tick();
      int evicted = state.evictIfOverLimit();
      if (evicted == 0) break;
      total += evicted;
    }
    state.flushEffects();
    return total;
  }

  @Test
  void noevictionEvictsNothingAndRefusesWrites() {
    for (int i = 0; i < 100; i++) put(0, "k" + i, 100);
    assertFalse(memory.refusesWrites(), "no limit");
    limitTo(0.5);
    assertTrue(memory.overLimit());
    assertEquals(0, state.evictIfOverLimit());
    assertTrue(memory.refusesWrites());
    assertEquals(100, state.db(0).size());
  }

  @Test
  void allkeysPoliciesEvictUntilUnderTheLimitAndPropagateDel() {
    for (String policy : List.of("allkeys-lru", "allkeys-lfu", "allkeys-random")) {
      state.db(0).clear();
      state.db(1).clear();
      effects.clear();
      set("maxmemory", "0");
      for (int i = 0; i < 500; i++) put(i % 2, "k" + i, 100);
      set("maxmemory-policy", policy);
      limitTo(0.5);
      int evicted = evictAll();
      assertFalse(memory.overLimit(), policy);
      assertTrue(evicted > 150 && evicted < 350, policy + " evicted " + evicted);
      assertEquals(500 - evicted, state.db(0).size() + state.db(1).size());
      long dels = effects.stream().mapToLong(e -> e.split("\\*2\r\n\\$3\r\nDEL\r\n", -1).length - 1).sum();
      assertEquals(evicted, dels, policy + ": one DEL per eviction");
      assertFalse(memory.refusesWrites());
    }
    assertTrue(memory.evictedKeys() > 450);
  }

  @Test
  void volatilePoliciesEvictOnlyKeysWithATtlThenRefuse() {
    for (String policy : List.of("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl")) {
      state.db(0).clear();
      set("maxmemory", "0");
      for (int i = 0; i < 400; i++) {
        Entry e = put(0, "k" + i, 100);
        if (i % 2 == 1) state.db(0).expireAt(e, clock.get() + 1_000_000 + i);
      }
      set("maxmemory-policy", policy);
      limitTo(0.75);
      evictAll();
      assertFalse(memory.overLimit(), policy);
      for (int i = 0; i < 400; i += 2) assertNotNull(state.db(0).peek(Key.of("k" + i)), policy + ": k" + i);
      limitTo(0.1);
      evictAll();
      assertEquals(0, state.db(0).expiresCount(), policy + ": every key with a TTL went");
      assertEquals(200, state.db(0).size());
      assertTrue(memory.overLimit());
      assertTrue(memory.refusesWrites(), policy + ": nothing left to evict");
      state.tick();
      state.db(0).expireAt(state.db(0).peek(Key.of("k0")), clock.get() + 1000);
      assertFalse(memory.refusesWrites(), "a key with a TTL is a candidate again");
    }
  }

  @Test
  void lruEvictsTheKeysNotAccessedForLongest() {
    for (int i = 0; i < 1000; i++) put(0, "k" + i, 50);
    clock.addAndGet(100_000);
    state.tick();
    for (int i = 0; i < 500; i++) state.db(0).lookup(Key.of("k" + i));
    set("maxmemory-policy", "allkeys-lru");
    limitTo(0.6);
    evictAll();
    int recentKept = 0;
    int oldKept = 0;
    for (int i = 0; i < 1000; i++) {
      if (state.db(0).peek(Key.of("k" + i)) == null) continue;
      if (i < 500) recentKept++;
      else oldKept++;
    }
    assertTrue(recentKept > 450 && oldKept < 150, "recent kept " + recentKept + ", old kept " + oldKept);
  }

  @Test
  void lfuEvictsTheKeysAccessedLeast() {
    set("maxmemory-policy", "allkeys-lfu", "lfu-log-factor", "0");
    for (int i = 0; i < 1000; i++) put(0, "k" + i, 50);
    state.tick();
    for (int i = 0; i < 500; i++) {
      for (int hit = 0; hit < 20; hit++) state.db(0).lookup(Key.of("k" + i));
    }
    limitTo(0.6);
    evictAll();
    int hotKept = 0;
    int coldKept = 0;
    for (int i = 0; i < 1000; i++) {
      if (state.db(0).peek(Key.of("k" + i)) == null) continue;
      if (i < 500) hotKept++;
      else coldKept++;
    }
    assertTrue(hotKept > 450 && coldKept < 150, "hot kept " + hotKept + ", cold kept " + coldKept);
  }

  @Test
  void volatileTtlEvictsTheNearestExpiriesFirst() {
    for (int i = 0; i < 1000; i++) {
      Entry e = put(0, "k" + i, 50);
      state.db(0).expireAt(e, clock.get() + 1_000_000L * (i + 1));
    }
    set("maxmemory-policy", "volatile-ttl");
    limitTo(0.6);
    evictAll();
    int soonKept = 0;
    for (int i = 0; i < 500; i++) if (state.db(0).peek(Key.of("k" + i)) != null) soonKept++;
    int lateKept = state.db(0).size() > 0 ? (int) state.db(0).size() - soonKept : 0;
    assertTrue(soonKept < 150 && lateKept > 450, "soon kept " + soonKept + ", late kept " + lateKept);
  }

  @Test
  void nothingIsEvictedWhileWritesArePaused() {
    for (int i = 0; i < 100; i++) put(0, "k" + i, 100);
    set("maxmemory-policy", "allkeys-random");
    limitTo(0.5);
    state.propagation().expiryPausedUntil(System.currentTimeMillis() + 60_000);
    assertEquals(0, state.evictIfOverLimit());
    state.propagation().expiryPausedUntil(0);
    assertTrue(state.evictIfOverLimit() > 0);
  }

  @Test
  void aReplicaIgnoresMaxmemoryByDefault() {
    for (int i = 0; i < 100; i++) put(0, "k" + i, 100);
    set("maxmemory-policy", "allkeys-random");
    limitTo(0.5);
    state.propagation().replica(true);
    assertFalse(memory.overLimit());
    assertEquals(0, state.evictIfOverLimit());
    set("replica-ignore-maxmemory", "no");
    assertTrue(memory.overLimit());
  }
}
