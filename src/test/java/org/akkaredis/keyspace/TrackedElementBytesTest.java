package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The dataset estimate's element sums, kept by each write ({@link MemoryUsage#ofStored}), against counting every
 * element again: after many random additions, removals and replacements they must be equal, not merely close.
 */
class TrackedElementBytesTest {
  private final MemoryUsage usage = MemoryUsage.current();
  private final Random random = new Random(18);

  private byte[] bytes() {
    byte[] b = new byte[random.nextInt(60)];
    random.nextBytes(b);
    return b;
  }

  private Key member() {
    return Key.of("m" + random.nextInt(300) + "x".repeat(random.nextInt(30)));
  }

  private void assertExact(Object value) {
    assertEquals(usage.ofValue(value, 0), usage.ofStoredValue(value));
  }

  @Test
  void listAfterPushesPopsSetsInsertsRemovesAndTrims() {
    RedisList list = new RedisList();
    for (int step = 0; step < 6_000; step++) {
      int n = list.size();
      switch (random.nextInt(7)) {
        case 0, 1 -> list.push(random.nextBoolean(), bytes());
        case 2 -> { if (n > 0) list.pop(random.nextBoolean()); }
        case 3 -> { if (n > 0) list.set(random.nextInt(n), bytes()); }
        case 4 -> list.insert(random.nextInt(n + 1), bytes());
        case 5 -> { if (n > 0) list.remove(random.nextInt(n)); }
        default -> {
          if (n > 4 && random.nextInt(20) == 0) list.trim(1, n - 2);
        }
      }
      if (step % 61 == 0) assertExact(list);
    }
    assertExact(list);
    assertExact(list.copy());
  }

  @Test
  void hashAfterPutsReplacementsRemovalsAndIteratorChanges() {
    RedisHash hash = new RedisHash();
    for (int step = 0; step < 6_000; step++) {
      switch (random.nextInt(6)) {
        case 0, 1, 2 -> hash.fields.put(member(), bytes());
        case 3 -> hash.fields.remove(member());
        case 4 -> {
          Iterator<Map.Entry<Key, byte[]>> it = hash.fields.entrySet().iterator();
          if (it.hasNext()) {
            Map.Entry<Key, byte[]> field = it.next();
            if (random.nextBoolean()) field.setValue(bytes());
            else it.remove();
          }
        }
        default -> {
          if (random.nextInt(500) == 0) hash.fields.clear();
        }
      }
      if (step % 61 == 0) assertExact(hash);
    }
    assertExact(hash);
  }

  @Test
  void setAfterAddsAndRemovals() {
    RedisSet set = new RedisSet();
    for (int step = 0; step < 6_000; step++) {
      if (random.nextInt(3) < 2) set.add(member(), false, 0);
      else set.remove(member());
      if (step % 61 == 0) assertExact(set);
    }
    assertExact(set);
    assertExact(set.copy());
  }

  @Test
  void sortedSetAfterAddsScoreChangesAndRemovals() {
    RedisZSet zset = new RedisZSet(0, 0, 0);
    for (int step = 0; step < 6_000; step++) {
      if (random.nextInt(3) < 2) zset.put(member(), random.nextInt(1000), 0, 0);
      else zset.remove(member());
      if (step % 61 == 0) assertExact(zset);
    }
    assertExact(zset);
    assertExact(zset.copy());
  }
}
