package org.akkaredis.keyspace;

import java.util.Random;

/**
 * Redis's LFU counter (evict.c): a key's 24 bits hold the last decrement time in minutes (16 bits, wrapping) and a
 * logarithmic access counter (8 bits). An access increments the counter with probability 1/((counter - 5) *
 * lfu-log-factor + 1), so it saturates at 255 only after about a million accesses with the default factor 10; the
 * counter loses one for every lfu-decay-time minutes the key was not accessed.
 */
public final class Lfu {
  private Lfu() {}

  /** LFU_INIT_VAL: the counter of a new key, so it is not evicted before it had a chance to be accessed. */
  public static final int INIT_VAL = 5;

  /** The 16-bit minute clock of a unix time in ms (LFUGetTimeInMinutes). */
  public static int minutes(long unixMs) {
    return (int) ((unixMs / 1000 / 60) & 0xFFFF);
  }

  /** The packed field of a new key: now, and the initial counter. */
  public static int fresh(long unixMs) {
    return minutes(unixMs) << 8 | INIT_VAL;
  }

  public static int counter(int packed) {
    return packed & 0xFF;
  }

  /** Minutes since the packed field's decrement time, on the wrapping 16-bit clock (LFUTimeElapsed). */
  static int elapsed(int packed, long unixMs) {
    int then = packed >>> 8 & 0xFFFF;
    int now = minutes(unixMs);
    return now >= then ? now - then : 65535 - then + now;
  }

  /** The counter after the decay since its last decrement (LFUDecrAndReturn); the field is left alone. */
  public static int decayed(int packed, long unixMs, long decayTimeMinutes) {
    int counter = counter(packed);
    long periods = decayTimeMinutes > 0 ? elapsed(packed, unixMs) / decayTimeMinutes : 0;
    return periods >= counter ? 0 : (int) (counter - periods);
  }

  /** The counter after one access (LFULogIncr): grows with a probability that falls as it gets larger. */
  static int logIncr(int counter, long logFactor, Random random) {
    if (counter == 255) return 255;
    double r = random.nextDouble();
    double base = Math.max(0, counter - INIT_VAL);
    double p = 1.0 / (base * logFactor + 1);
    return r < p ? counter + 1 : counter;
  }

  /** The packed field after an access at {@code unixMs} (updateLFU): decay, then the logarithmic increment. */
  public static int touched(int packed, long unixMs, long logFactor, long decayTimeMinutes, Random random) {
    int counter = logIncr(decayed(packed, unixMs, decayTimeMinutes), logFactor, random);
    return minutes(unixMs) << 8 | counter;
  }
}
