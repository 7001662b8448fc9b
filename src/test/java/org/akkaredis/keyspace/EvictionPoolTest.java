package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The pool of best eviction candidates, as Redis's evictionPoolPopulate keeps it. */
class EvictionPoolTest {
  private static Entry entry(String key) {
    return new Entry(Key.of(key), new byte[0]);
  }

  @Test
  void theBestIsTheLargestScoreAndAFullPoolKeepsTheBest() {
    EvictionPool pool = new EvictionPool(3);
    Entry a = entry("a");
    Entry b = entry("b");
    Entry c = entry("c");
    Entry d = entry("d");
    pool.offer(a, 0, 10);
    pool.offer(b, 1, 30);
    pool.offer(c, 0, 20);
    assertSame(b, pool.best());
    assertEquals(1, pool.bestDb());
    pool.offer(d, 0, 5);
    assertEquals(3, pool.size(), "no better than any: dropped");
    pool.offer(d, 0, 25);
    assertEquals(3, pool.size());
    assertSame(b, pool.best());
    pool.dropBest();
    assertSame(d, pool.best(), "d (25) pushed a (10) out");
    pool.dropBest();
    assertSame(c, pool.best());
    pool.dropBest();
    assertNull(pool.best());
  }

  @Test
  void aKeyOfferedAgainTakesItsNewScore() {
    EvictionPool pool = new EvictionPool();
    Entry a = entry("a");
    Entry b = entry("b");
    pool.offer(a, 0, 50);
    pool.offer(b, 0, 40);
    pool.offer(a, 0, 10);
    assertEquals(2, pool.size());
    assertSame(b, pool.best());
    pool.clear();
    assertEquals(0, pool.size());
  }

  @Test
  void policiesParseFromTheirConfigNames() {
    for (EvictionPolicy p : EvictionPolicy.values()) assertSame(p, EvictionPolicy.parse(p.configName()));
    assertEquals("volatile-ttl", EvictionPolicy.VOLATILE_TTL.configName());
  }
}
