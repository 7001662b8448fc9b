package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Redis's LFU counter: logarithmic growth by lfu-log-factor, decay by lfu-decay-time, the 16-bit minute clock. */
class LfuTest {
  private static final long NOW = 1_699_999_980_000L; // a whole minute

  @Test
  void aNewKeyStartsAtFiveAndDecaysOnePerPeriod() {
    int packed = Lfu.fresh(NOW);
    assertEquals(5, Lfu.counter(packed));
    assertEquals(5, Lfu.decayed(packed, NOW + 59_000, 1));
    assertEquals(4, Lfu.decayed(packed, NOW + 60_000 * 1 + 1000, 1));
    assertEquals(3, Lfu.decayed(packed, NOW + 60_000 * 2 + 1000, 1));
    assertEquals(4, Lfu.decayed(packed, NOW + 60_000 * 2 + 1000, 2), "lfu-decay-time 2: one per two minutes");
    assertEquals(0, Lfu.decayed(packed, NOW + 60_000 * 100, 1), "never below zero");
    assertEquals(5, Lfu.decayed(packed, NOW + 60_000 * 100, 0), "lfu-decay-time 0: no decay");
  }

  @Test
  void theMinuteClockWraps() {
    long minute = 60_000;
    long beforeWrap = (65535 - (NOW / minute) % 65536) * minute + NOW;
    int packed = Lfu.fresh(beforeWrap);
    assertEquals(65535, packed >>> 8);
    assertEquals(3, Lfu.decayed(packed, beforeWrap + 3 * minute, 1), "65535 -> 2 is three minutes");
  }

  @Test
  void countersGrowLogarithmicallyAndSaturate() {
    Random random = new Random(42);
    int packed = Lfu.fresh(NOW);
    for (int i = 0; i < 100; i++) packed = Lfu.touched(packed, NOW, 10, 1, random);
    int after100 = Lfu.counter(packed);
    for (int i = 0; i < 10_000; i++) packed = Lfu.touched(packed, NOW, 10, 1, random);
    int after10k = Lfu.counter(packed);
    // Redis's table for factor 10: about 10 after 100 hits, about 18 after 1000, about 142 after 100k.
    assertTrue(after100 >= 7 && after100 <= 14, "after 100: " + after100);
    assertTrue(after10k > after100 && after10k < 80, "after 10k: " + after10k);
    int factorZero = Lfu.fresh(NOW);
    for (int i = 0; i < 1000; i++) factorZero = Lfu.touched(factorZero, NOW, 0, 1, random);
    assertEquals(255, Lfu.counter(factorZero), "factor 0: every hit counts, up to 255");
  }

  @Test
  void anAccessFirstAppliesTheDecay() {
    Random random = new Random(1);
    int packed = Lfu.fresh(NOW);
    int later = Lfu.touched(packed, NOW + 10 * 60_000, 1_000_000, 1, random);
    assertEquals(0, Lfu.counter(later) > 1 ? -1 : 0, "5 decayed by 10 minutes is 0; one hit at most adds one");
    assertEquals(Lfu.minutes(NOW + 10 * 60_000), later >>> 8, "the decrement time moves to now");
  }
}
