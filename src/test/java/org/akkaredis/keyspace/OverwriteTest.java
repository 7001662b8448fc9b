package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.config.ConfigException;
import org.akkaredis.config.Settings;
import org.junit.jupiter.api.Test;

/**
 * {@link RangeDb#put} over a stored key, without actors: the entry and its key stay (Redis's dbOverwrite) and end as
 * a fresh entry would: the new value, no TTL, no flags, accessed now, charged for what it holds now.
 */
class OverwriteTest {
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private final Settings settings;
  private final RangeState state;

  OverwriteTest() throws ConfigException {
    settings = Settings.defaults().withOverrides(Map.of());
    state = new RangeState(0, 0, 16383, 1, settings, clock::get, SlotRouting::standalone);
  }

  private RangeDb db() {
    return state.db(0);
  }

  private Entry put(Key key, byte[] value) {
    state.tick();
    return db().put(key, value);
  }

  @Test
  void anOverwriteKeepsTheEntryAndItsKeyAndResetsTheRest() {
    Key first = Key.of("k");
    Entry entry = put(first, new byte[10]);
    db().expireAt(entry, clock.get() + 60_000);
    entry.addFlags(Entry.RAW_STRING);
    long datasetBefore = state.memory().dataset();
    clock.addAndGet(5_000);

    Entry again = put(Key.of("k"), new byte[1000]);
    assertSame(entry, again);
    assertSame(first, again.key, "the stored key stays, the command's copy is not kept");
    assertEquals(1000, ((byte[]) again.value).length);
    assertEquals(-1, again.expireAt());
    assertEquals(0, db().expiresCount());
    assertEquals(0, again.flags());
    assertEquals(clock.get() / 1000 * 1000, again.lastAccess());
    assertEquals(1, db().size());
    assertTrue(state.memory().dataset() > datasetBefore);

    // Charged as a key written once with this value.
    RangeState once = new RangeState(0, 0, 16383, 1, settings, clock::get, SlotRouting::standalone);
    once.tick();
    once.db(0).put(Key.of("k"), new byte[1000]);
    assertEquals(once.db(0).datasetBytes(), db().datasetBytes());
    assertEquals(once.db(0).slotMapsBytes(), db().slotMapsBytes());
  }

  @Test
  void theAccessCounterIsFreshUnlessThePolicyIsLfu() {
    Entry entry = put(Key.of("k"), new byte[1]);
    entry.lfu(Lfu.fresh(clock.get()) + 100);
    put(Key.of("k"), new byte[1]);
    assertEquals(Lfu.fresh(clock.get()), entry.lfu());

    assertNull(settings.set(List.of("maxmemory-policy", "allkeys-lfu")));
    entry.lfu(Lfu.fresh(clock.get()) + 100);
    put(Key.of("k"), new byte[2]);
    assertEquals(Lfu.fresh(clock.get()) + 100, entry.lfu());
  }

  @Test
  void watchersOfAnOverwrittenKeyAreDirty() {
    put(Key.of("k"), new byte[1]);
    WatchToken token = new WatchToken();
    state.tick();
    db().watch(Key.of("k"), token);
    put(Key.of("k"), new byte[2]);
    assertTrue(token.dirty());
  }

  @Test
  void aStaleKeyOverwrittenLosesItsTtlAndCountsOnce() {
    Entry entry = put(Key.of("k"), new byte[1]);
    db().expireAt(entry, clock.get() + 1_000);
    clock.addAndGet(2_000);
    Entry again = put(Key.of("k"), new byte[3]);
    assertSame(entry, again);
    assertEquals(1, db().size());
    assertEquals(0, db().expiresCount());
    assertSame(again, db().peek(Key.of("k")), "no longer expired");
  }
}
