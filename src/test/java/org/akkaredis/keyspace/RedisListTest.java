package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ring buffer against an ArrayList. */
class RedisListTest {
  @Test
  void matchesAnArrayListUnderRandomOperations() {
    Random random = new Random(7);
    RedisList list = new RedisList();
    List<byte[]> model = new ArrayList<>();
    for (int step = 0; step < 20_000; step++) {
      byte[] value = ("v" + step).getBytes();
      int size = model.size();
      switch (random.nextInt(7)) {
        case 0 -> { list.push(true, value); model.add(0, value); }
        case 1 -> { list.push(false, value); model.add(value); }
        case 2 -> { if (size > 0) assertArrayEquals(model.remove(0), list.pop(true)); }
        case 3 -> { if (size > 0) assertArrayEquals(model.remove(size - 1), list.pop(false)); }
        case 4 -> {
          int at = random.nextInt(size + 1);
          list.insert(at, value);
          model.add(at, value);
        }
        case 5 -> {
          if (size > 0) {
            int at = random.nextInt(size);
            list.remove(at);
            model.remove(at);
          }
        }
        default -> {
          if (size > 2) {
            int start = random.nextInt(size / 2);
            int end = start + random.nextInt(size - start);
            list.trim(start, end);
            model = new ArrayList<>(model.subList(start, end + 1));
          }
        }
      }
      assertEquals(model.size(), list.size());
    }
    assertArrayEquals(model.toArray(new byte[0][]), list.toArray());
    RedisList copy = list.copy();
    copy.push(true, "x".getBytes());
    assertEquals(model.size(), list.size());
    assertArrayEquals(model.toArray(new byte[0][]), list.toArray());
  }
}
