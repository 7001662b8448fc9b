package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.config.Settings;
import org.junit.jupiter.api.Test;

/**
 * A replica's async load (repl-diskless-load swapdb) in one range, without actors: the loading databases sit beside
 * the visible ones, the swap puts their keys in place (touching watchers, readying blocked clients, keeping the
 * memory account), and dropping them leaves the old keys.
 */
class AsyncLoadSwapTest {
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private final RangeState state =
      new RangeState(0, 0, 16383, 2, Settings.defaults(), clock::get, SlotRouting::standalone);
  private final List<String> effects = new ArrayList<>();

  AsyncLoadSwapTest() {
    state.propagation().sink((range, db, resp) -> effects.add(db + ":" + new String(resp, StandardCharsets.UTF_8)));
  }

  private static byte[] bytes(String s) {
    return RangeStateKeys.bytes(s);
  }

  private void put(int db, String key, String value) {
    RangeStateKeys.put(state, db, key, value);
  }

  private String get(int db, String key) {
    return RangeStateKeys.get(state, db, key);
  }

  @Test
  void loadedKeysStayAsideUntilTheSwapThenReplaceTheOldOnes() {
    put(0, "old", "1");
    put(1, "other", "x");
    state.loadAside();
    put(2, "new", "2"); // loading database 0
    put(3, "more", "3"); // loading database 1

    assertEquals("1", get(0, "old"), "clients still read the old keys");
    assertNull(get(0, "new"));
    assertEquals(1, state.db(0).size());
    assertEquals(2, state.loadedAside());
    assertEquals(2, state.databases(), "the loading databases are not among the visible ones");

    state.swapInLoaded();
    assertEquals("2", get(0, "new"));
    assertNull(get(0, "old"), "the old keys are gone");
    assertEquals("3", get(1, "more"));
    assertNull(get(1, "other"));
    assertEquals(0, state.loadedAside(), "the old keys are dropped, not kept aside");
    assertEquals(0, state.db(2).size());
  }

  @Test
  void droppingTheLoadKeepsTheOldKeysAndFreesWhatItLoaded() {
    put(0, "old", "1");
    long before = state.memory().dataset();
    state.loadAside();
    put(2, "new", "x".repeat(1000));
    assertTrue(state.memory().dataset() > before + 1000, "what loads aside counts in used_memory, as in Redis");

    state.dropLoaded();
    assertEquals("1", get(0, "old"));
    assertEquals(0, state.loadedAside());
    assertEquals(before, state.memory().dataset());
  }

  @Test
  void theSwapMovesEachDatabasesMemoryShareWithItsKeys() {
    put(0, "old", "x".repeat(100));
    state.loadAside();
    put(2, "new", "y".repeat(5000));
    long total = state.memory().dataset();
    long loaded = state.db(2).datasetBytes();
    state.swapInLoaded();
    assertEquals(loaded, state.db(0).datasetBytes());
    assertTrue(state.memory().dataset() < total, "the old keys' memory is freed");
    assertEquals(state.db(0).datasetBytes() + state.db(1).datasetBytes(), state.datasetBytes());
  }

  @Test
  void writesToLoadingDatabasesRecordNoEffects() {
    state.loadAside();
    state.tick();
    state.db(2).effect(bytes("SET"), bytes("k"), bytes("v"));
    state.db(0).effect(bytes("SET"), bytes("k"), bytes("v"));
    state.flushEffects();
    assertEquals(1, effects.size(), effects.toString());
    assertTrue(effects.get(0).startsWith("0:"), effects.toString());
  }

  @Test
  void expiringKeysMoveWithTheirDatabase() {
    state.loadAside();
    put(2, "ttl", "v");
    state.db(2).expireAt(state.db(2).peek(Key.of("ttl")), clock.get() + 60_000);
    state.swapInLoaded();
    assertEquals(1, state.db(0).expiresCount());
    assertEquals(0, state.db(2).expiresCount());
  }

  @Test
  void watchersOfKeysTheSwapChangesAreTouched() {
    put(0, "kept-missing", "1");
    state.loadAside();
    put(2, "appears", "2");
    WatchToken changed = new WatchToken();
    WatchToken appeared = new WatchToken();
    WatchToken untouched = new WatchToken();
    state.tick();
    state.db(0).watch(Key.of("kept-missing"), changed);
    state.db(0).watch(Key.of("appears"), appeared);
    state.db(0).watch(Key.of("never"), untouched);

    state.swapInLoaded();
    assertTrue(changed.dirty(), "a key that existed and is gone after the swap");
    assertTrue(appeared.dirty(), "a key that exists only after the swap");
    assertFalse(untouched.dirty(), "a key missing before and after");
  }

  @Test
  void clientsBlockedOnKeysTheSwapBringsBecomeReady() {
    BlockedClients.Client client = new BlockedClients.Client(0, -1) {
      @Override protected boolean canServe(Entry entry) {
        return true;
      }

      @Override protected void serve(Db db, Key key) {}

      @Override protected void finish(String error) {}

      @Override protected boolean disconnected() {
        return false;
      }
    };
    state.blocked().block(client, 0, List.of(Key.of("list"), Key.of("absent")));
    state.loadAside();
    RedisList list = new RedisList();
    list.push(false, bytes("a"));
    state.tick();
    state.db(2).put(Key.of("list"), list);
    assertFalse(state.blocked().hasReadyKeys(), "a key loaded aside readies nobody");
    state.swapInLoaded();
    assertTrue(state.blocked().hasReadyKeys());
    assertNotNull(state.db(0).peek(Key.of("list")));
  }

  @Test
  void aSecondLoadStartsEmpty() {
    state.loadAside();
    put(2, "first", "1");
    state.loadAside();
    assertEquals(0, state.loadedAside());
  }
}
