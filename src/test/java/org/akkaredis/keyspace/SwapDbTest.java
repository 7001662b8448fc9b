package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.config.Settings;
import org.junit.jupiter.api.Test;

/** SWAPDB in one range, without actors: {@link RangeDb#exchangeWith} tells both databases' watchers and waiters. */
class SwapDbTest {
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private final RangeState state =
      new RangeState(0, 0, 16383, 3, Settings.defaults(), clock::get, SlotRouting::standalone);

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
  void theTwoDatabasesExchangeTheirKeysTtlsAndMemoryShares() {
    put(0, "a", "zero");
    put(1, "b", "one".repeat(100));
    put(1, "ttl", "t");
    state.db(1).expireAt(state.db(1).peek(Key.of("ttl")), clock.get() + 60_000);
    long zeroBytes = state.db(0).datasetBytes();
    long oneBytes = state.db(1).datasetBytes();
    long total = state.memory().dataset();

    state.db(0).exchangeWith(state.db(1));
    assertEquals("one".repeat(100), get(0, "b"));
    assertEquals("zero", get(1, "a"));
    assertNull(get(0, "a"));
    assertEquals(2, state.db(0).size());
    assertEquals(1, state.db(1).size());
    assertEquals(1, state.db(0).expiresCount());
    assertEquals(0, state.db(1).expiresCount());
    assertEquals(oneBytes, state.db(0).datasetBytes());
    assertEquals(zeroBytes, state.db(1).datasetBytes());
    assertEquals(total, state.memory().dataset());
    assertEquals(0, state.db(2).size(), "a third database is left alone");
  }

  @Test
  void watchersOfBothDatabasesAreTouchedWhereTheirKeyChanges() {
    put(0, "only-in-zero", "1");
    put(1, "only-in-one", "2");
    put(0, "in-both", "x");
    put(1, "in-both", "y");
    WatchToken zeroLoses = new WatchToken();
    WatchToken oneGains = new WatchToken();
    WatchToken zeroBoth = new WatchToken();
    WatchToken oneBoth = new WatchToken();
    WatchToken oneNever = new WatchToken();
    state.tick();
    state.db(0).watch(Key.of("only-in-zero"), zeroLoses);
    state.db(1).watch(Key.of("only-in-zero"), oneGains);
    state.db(0).watch(Key.of("in-both"), zeroBoth);
    state.db(1).watch(Key.of("in-both"), oneBoth);
    state.db(1).watch(Key.of("never"), oneNever);

    state.db(0).exchangeWith(state.db(1));
    assertTrue(zeroLoses.dirty(), "database 0 no longer holds the key");
    assertTrue(oneGains.dirty(), "database 1 now holds it");
    assertTrue(zeroBoth.dirty(), "a key stored on both sides is another value after");
    assertTrue(oneBoth.dirty());
    assertFalse(oneNever.dirty(), "missing before and after");
  }

  @Test
  void clientsBlockedInEitherDatabaseOnAKeyNowStoredThereBecomeReady() {
    List<Integer> served = new java.util.ArrayList<>();
    state.blocked().block(waiter(served), 1, List.of(Key.of("list")));
    RedisList list = new RedisList();
    list.push(false, bytes("a"));
    state.tick();
    state.db(0).put(Key.of("list"), list);
    assertFalse(state.blocked().hasReadyKeys(), "the key is in another database than the waiter's");

    state.db(1).exchangeWith(state.db(0));
    assertTrue(state.blocked().hasReadyKeys(), "the waiter's database holds the key now");
    state.tick();
    state.blocked().serveReady(state);
    assertEquals(List.of(1), served);
  }

  @Test
  void aDatabaseExchangedWithItselfStaysAsItIs() {
    put(0, "a", "1");
    WatchToken token = new WatchToken();
    state.tick();
    state.db(0).watch(Key.of("a"), token);
    state.db(0).exchangeWith(state.db(0));
    assertEquals("1", get(0, "a"));
    assertFalse(token.dirty());
  }

  private static BlockedClients.Client waiter(List<Integer> served) {
    return new BlockedClients.Client(0, -1) {
      @Override protected boolean canServe(Entry entry) {
        return true;
      }

      @Override protected void serve(Db at, Key key) {
        served.add(at.index());
      }

      @Override protected void finish(String error) {}

      @Override protected boolean disconnected() {
        return false;
      }
    };
  }
}
