package org.akkaredis.keyspace;

import java.nio.charset.StandardCharsets;

/** String keys and values put into and read from one database of a range's state, for its plain tests. */
final class RangeStateKeys {
  private RangeStateKeys() {}

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static void put(RangeState state, int db, String key, String value) {
    state.tick();
    state.db(db).put(Key.of(key), bytes(value));
  }

  /** The value stored under {@code key}, expired or not; null when none. */
  static String get(RangeState state, int db, String key) {
    Entry e = state.db(db).peek(Key.of(key));
    return e == null ? null : new String((byte[]) e.value, StandardCharsets.UTF_8);
  }
}
