package org.akkaredis.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** rdb-key-save-delay's cost of a snapshot, as Redis's debugDelay spends it per key. */
class KeySaveDelayTest {
  @Test
  void aPositiveDelayIsMicrosecondsPerKey() {
    assertEquals(100_010_000_000L, KeySaveDelay.nanosFor(10_001, 10_000), "the cluster test's 10001 keys: 100 s");
    assertEquals(0, KeySaveDelay.nanosFor(10_001, 0));
    assertEquals(0, KeySaveDelay.nanosFor(0, 10_000));
  }

  @Test
  void aNegativeDelayIsAFractionOfAMicrosecondOnAverage() {
    // Redis sleeps 1 µs with a chance of 1 in 10 per key: -10 is 100 ns a key.
    assertEquals(100_000, KeySaveDelay.nanosFor(1000, -10));
    assertEquals(1_000_000, KeySaveDelay.nanosFor(1000, -1), "-1: 1 µs every key");
  }

  @Test
  void hugeCostsSaturate() {
    assertEquals(Long.MAX_VALUE, KeySaveDelay.nanosFor(Long.MAX_VALUE / 2, Integer.MAX_VALUE));
  }
}
