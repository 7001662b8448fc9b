package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.config.Settings;
import org.junit.jupiter.api.Test;

/**
 * A database's one key table with each slot's keys linked through their entries, without actors: after any mix of
 * writes and deletions, each slot's count and walk give exactly the keys of that slot, newest first, and the
 * database's size and key-index charge follow.
 */
class KeyIndexTest {
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private final RangeState state =
      new RangeState(0, 0, 16383, 2, Settings.defaults(), clock::get, SlotRouting::standalone);

  private RangeDb db(int i) {
    return state.db(i);
  }

  private static List<String> walk(RangeDb db, int slot) {
    List<String> keys = new ArrayList<>();
    db.forEachStoredInSlot(slot, e -> keys.add(e.key.toString()));
    return keys;
  }

  /** Each slot's expected keys, newest first. */
  private void assertSlots(RangeDb db, Map<Integer, List<String>> expected) {
    long total = 0;
    for (int slot = 0; slot < 16384; slot++) {
      List<String> keys = expected.getOrDefault(slot, List.of());
      assertEquals(keys, walk(db, slot), "slot " + slot);
      assertEquals(keys.size(), db.countKeysInSlot(slot), "count of slot " + slot);
      total += keys.size();
    }
    assertEquals(total, db.size());
  }

  @Test
  void eachSlotListsItsKeysNewestFirstThroughWritesAndDeletions() {
    Random random = new Random(3);
    Map<Integer, List<String>> expected = new HashMap<>();
    // Keys sharing a hash tag share a slot, so slots hold several keys.
    for (int i = 0; i < 5_000; i++) {
      String key = "{t" + random.nextInt(40) + "}k" + random.nextInt(400);
      int slot = Slots.slotOf(RangeStateKeys.bytes(key));
      List<String> keys = expected.computeIfAbsent(slot, s -> new ArrayList<>());
      if (random.nextInt(3) == 0) {
        assertEquals(keys.remove(key), db(0).delete(Key.of(key)));
      } else {
        if (!keys.contains(key)) keys.add(0, key);
        RangeStateKeys.put(state, 0, key, "v" + i);
      }
    }
    expected.values().removeIf(List::isEmpty);
    assertSlots(db(0), expected);
    assertEquals(MemoryUsage.current().ofKeyTable(db(0).size()), db(0).slotMapsBytes());
  }

  @Test
  void theLastKeyDeletedGivesTheTableBackAndSwapAndFlushMoveTheSlotLists() {
    RangeStateKeys.put(state, 0, "a", "1");
    RangeStateKeys.put(state, 0, "b", "2");
    assertTrue(db(0).slotMapsBytes() > 0);
    db(0).delete(Key.of("a"));
    db(0).delete(Key.of("b"));
    assertEquals(0, db(0).slotMapsBytes());
    assertEquals(0, db(0).datasetBytes());
    assertSlots(db(0), Map.of());

    RangeStateKeys.put(state, 1, "c", "3");
    db(0).swapWith(db(1));
    assertSlots(db(0), Map.of(Slots.slotOf(RangeStateKeys.bytes("c")), List.of("c")));
    assertSlots(db(1), Map.of());
    db(0).clear();
    assertSlots(db(0), Map.of());
    assertNull(db(0).randomEntry());
    RangeStateKeys.put(state, 0, "d", "4");
    assertEquals("d", db(0).randomEntry().key.toString());
  }

  @Test
  void randomKeysAndSamplesComeFromAllOfTheTable() {
    for (int i = 0; i < 200; i++) RangeStateKeys.put(state, 0, "k" + i, "v");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 5_000; i++) {
      Entry e = db(0).randomEntry();
      assertNotNull(e);
      seen.add(e.key.toString());
    }
    assertTrue(seen.size() > 150, "random keys spread over the table: " + seen.size());
    List<Entry> sampled = new ArrayList<>();
    db(0).sample(EvictionPolicy.parse("allkeys-lru"), 10, sampled::add);
    assertEquals(10, sampled.size());
    assertEquals(10, new HashSet<>(sampled).size());
  }
}
