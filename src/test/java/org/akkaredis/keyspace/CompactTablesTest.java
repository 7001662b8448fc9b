package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FieldMap} and {@link KeyTable} against the JDK maps they replace: the same random puts, overwrites and
 * removals (many fields sharing a probe run, so the backward shift of a removal is exercised), the same contents
 * after each step, and FieldMap in the same (insertion) order as LinkedHashMap.
 */
class CompactTablesTest {

  private static Key key(int i) {
    return Key.of("f" + i);
  }

  @Test
  void aFieldMapBehavesAsALinkedHashMap() {
    Random random = new Random(7);
    FieldMap map = new FieldMap();
    LinkedHashMap<Key, byte[]> model = new LinkedHashMap<>();
    for (int step = 0; step < 20_000; step++) {
      // The range of keys shrinks and grows, so the map fills, empties and refills.
      int range = 1 + (step / 2000 % 2 == 0 ? 300 : 40);
      Key k = key(random.nextInt(range));
      switch (random.nextInt(4)) {
        case 0, 1 -> {
          byte[] value = new byte[] {(byte) step};
          assertEquals(model.put(k, value), map.put(k, value));
        }
        case 2 -> assertEquals(model.remove(k), map.remove(k));
        default -> {
          assertEquals(model.containsKey(k), map.containsKey(k));
          assertEquals(model.get(k), map.get(k));
        }
      }
      assertEquals(model.size(), map.size());
      if (step % 97 == 0) assertSameOrder(model, map);
    }
    assertSameOrder(model, map);
    map.clear();
    assertTrue(map.isEmpty());
    assertEquals(null, map.get(key(1)));
  }

  private static void assertSameOrder(LinkedHashMap<Key, byte[]> model, FieldMap map) {
    List<Map.Entry<Key, byte[]>> expected = new ArrayList<>(model.entrySet());
    List<Map.Entry<Key, byte[]>> actual = new ArrayList<>(map.entrySet());
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).getKey(), actual.get(i).getKey());
      assertEquals(expected.get(i).getKey().hashCode(), actual.get(i).getKey().hashCode());
      assertArrayEquals(expected.get(i).getValue(), actual.get(i).getValue());
    }
  }

  @Test
  void aFieldMapsIteratorRemovesAndWritesThrough() {
    FieldMap map = new FieldMap();
    for (int i = 0; i < 100; i++) map.put(key(i), new byte[] {(byte) i});
    Iterator<Map.Entry<Key, byte[]>> it = map.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Key, byte[]> e = it.next();
      if (e.getValue()[0] % 2 == 0) it.remove();
      else e.setValue(new byte[] {(byte) -e.getValue()[0]});
    }
    assertEquals(50, map.size());
    for (int i = 0; i < 100; i++) {
      assertEquals(i % 2 == 1, map.containsKey(key(i)));
      if (i % 2 == 1) assertEquals(-i, map.get(key(i))[0]);
    }
    map.put(key(0), new byte[] {9});
    assertEquals(key(0), new ArrayList<>(map.keySet()).get(50), "a field added again goes last");
    Iterator<Key> keys = map.keySet().iterator();
    keys.next();
    map.remove(key(1));
    assertThrows(ConcurrentModificationException.class, keys::next);
  }

  private static final class Table extends KeyTable<Key> {
    @Override Key keyOf(Key element) {
      return element;
    }
  }

  @Test
  void aKeyTableBehavesAsAHashMapAndGrowsAsOne() {
    Random random = new Random(11);
    Table table = new Table();
    HashMap<Key, Key> model = new HashMap<>();
    for (int step = 0; step < 20_000; step++) {
      Key k = key(random.nextInt(step / 2000 % 2 == 0 ? 2000 : 50));
      if (random.nextInt(3) == 0) {
        assertEquals(model.remove(k), table.remove(k));
      } else {
        Key fresh = new Key(k.bytes());
        Key old = model.put(k, fresh);
        assertTrue(old == table.put(fresh), "put returns the element it replaced");
      }
      assertEquals(model.size(), table.size());
      assertTrue(table.capacity() >= MemoryUsage.tableCapacity(table.size()), "at most three quarters full");
    }
    for (Key k : model.keySet()) assertTrue(model.get(k) == table.get(k));
    assertEquals(new HashSet<>(model.keySet()), new HashSet<>(table.keys()));
    assertEquals(new HashSet<>(model.values()), new HashSet<>(table.values()));

    Table growing = new Table();
    for (int i = 0; i < 769; i++) {
      growing.put(key(i));
      assertEquals(MemoryUsage.tableCapacity(i + 1), growing.capacity(), "the capacity HashMap's table would have");
    }
  }
}
