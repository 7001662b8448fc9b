package org.akkaredis.replication;

/**
 * rdb-key-save-delay, Redis's testing aid that makes producing a snapshot slow: each key costs that many
 * microseconds (Redis's debugDelay after each key it saves). A negative value is a fraction of a microsecond:
 * Redis sleeps 1 µs with a chance of 1 in |value| per key, so -10 means 100 ns a key on average; the node counts
 * that average. The node never sleeps a thread for it: the snapshot is produced range after range, each range's
 * taken once its keys' time has passed.
 */
final class KeySaveDelay {
  private KeySaveDelay() {}

  /** What producing {@code keys} keys costs with rdb-key-save-delay {@code setting}, in nanoseconds. */
  static long nanosFor(long keys, long setting) {
    if (keys <= 0 || setting == 0) return 0;
    if (setting > 0) return saturatedMultiply(keys, setting * 1000);
    return saturatedMultiply(keys, 1000) / -setting;
  }

  private static long saturatedMultiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    return high == 0 && low >= 0 ? low : Long.MAX_VALUE;
  }
}
