package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedisSetTest {
  @Test
  void intsetWhileIntegersWithinTheLimitThenHashtableForGood() {
    RedisSet set = new RedisSet();
    assertTrue(set.add(Key.of("10"), true, 3));
    assertTrue(set.add(Key.of("-2"), true, 3));
    assertFalse(set.add(Key.of("10"), true, 3));
    assertTrue(set.add(Key.of("3"), true, 3));
    assertEquals("intset", set.encoding());
    assertEquals(List.of(Key.of("-2"), Key.of("3"), Key.of("10")), set.members(), "an intset lists in numeric order");
    set.add(Key.of("4"), true, 3);
    assertEquals("hashtable", set.encoding());
    set.remove(Key.of("4"));
    assertEquals("hashtable", set.encoding());
    RedisSet words = new RedisSet();
    words.add(Key.of("a"), false, 512);
    assertEquals("hashtable", words.encoding());
  }

  @Test
  void removalKeepsPositionsConsistent() {
    RedisSet set = new RedisSet();
    for (int i = 0; i < 100; i++) set.add(Key.of("m" + i), false, 0);
    for (int i = 0; i < 100; i += 3) assertTrue(set.remove(Key.of("m" + i)));
    Set<Key> all = new HashSet<>();
    for (int i = 0; i < set.size(); i++) all.add(set.get(i));
    assertEquals(new HashSet<>(set.members()), all);
    for (int i = 0; i < 100; i++) assertEquals(i % 3 != 0, set.contains(Key.of("m" + i)));
  }

  @Test
  void aScanCoversEveryMemberPresentThroughout() {
    RedisSet set = new RedisSet();
    for (int i = 0; i < 500; i++) set.add(Key.of("m" + i), false, 0);
    Set<Key> seen = new HashSet<>();
    long cursor = 0;
    int round = 0;
    do {
      List<Key> page = new ArrayList<>();
      cursor = set.scan(cursor, 7, page);
      for (Key k : page) assertTrue(seen.add(k));
      set.add(Key.of("late" + round++), false, 0);
    } while (cursor != 0);
    for (int i = 0; i < 500; i++) assertTrue(seen.contains(Key.of("m" + i)));
  }
}
