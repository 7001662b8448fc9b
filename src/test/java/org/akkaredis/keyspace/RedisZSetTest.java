package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The skip list against a plain sorted list, over random adds, updates and removals. */
class RedisZSetTest {
  private static final long BIG = Long.MAX_VALUE;

  private record Item(double score, Key member) {}

  private static final Comparator<Item> ORDER =
      Comparator.comparingDouble(Item::score).thenComparing(Item::member);

  @Test
  void ranksScoresAndNeighboursMatchASortedModel() {
    Random random = new Random(42);
    RedisZSet zset = new RedisZSet(BIG, BIG, 1);
    Map<Key, Double> model = new HashMap<>();
    for (int step = 0; step < 20_000; step++) {
      Key member = Key.of("m" + random.nextInt(500));
      if (random.nextInt(4) == 0) {
        assertEquals(model.remove(member) != null, zset.remove(member));
      } else {
        double score = random.nextInt(50) / 4.0;
        assertEquals(!model.containsKey(member), zset.put(member, score, BIG, BIG));
        model.put(member, score);
      }
      if (step % 500 == 0) check(zset, model, random);
    }
    check(zset, model, random);
  }

  @Test
  void farMovesUpAndDownInALargerSetKeepEveryLevelsSpans() {
    Random random = new Random(18);
    RedisZSet zset = new RedisZSet(0, 0, 1);
    Map<Key, Double> model = new HashMap<>();
    for (int step = 0; step < 12_000; step++) {
      Key member = Key.of("m" + random.nextInt(2_000));
      if (random.nextInt(10) == 0) {
        assertEquals(model.remove(member) != null, zset.remove(member));
      } else {
        double score = random.nextInt(2_000);
        assertEquals(!model.containsKey(member), zset.put(member, score, 0, 0));
        model.put(member, score);
      }
      if (step % 4_000 == 0) check(zset, model, random);
    }
    check(zset, model, random);
  }

  @Test
  void aScoreChangeUpdatesInPlaceBetweenItsNeighboursAndOtherwiseMovesTheSameNode() {
    Random random = new Random(7);
    RedisZSet zset = new RedisZSet(BIG, BIG, 1);
    Map<Key, Double> model = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      zset.put(Key.of("m" + i), i, BIG, BIG);
      model.put(Key.of("m" + i), (double) i);
    }
    RedisZSet.Node node = zset.byRank(100);
    assertFalse(zset.put(node.member, 100.5, BIG, BIG));
    model.put(node.member, 100.5);
    assertSame(node, zset.byRank(100));
    assertFalse(zset.put(node.member, -1, BIG, BIG));
    model.put(node.member, -1.0);
    assertSame(node, zset.first());
    check(zset, model, random);
    // Nudges: mostly in place, sometimes past a neighbour (equal scores order by member).
    for (int step = 0; step < 5_000; step++) {
      Key member = Key.of("m" + random.nextInt(200));
      double score = model.get(member) + (random.nextInt(5) - 2) / 2.0;
      assertFalse(zset.put(member, score, BIG, BIG));
      model.put(member, score);
      if (step % 250 == 0) check(zset, model, random);
    }
    check(zset, model, random);
  }

  private static void check(RedisZSet zset, Map<Key, Double> model, Random random) {
    List<Item> sorted = new ArrayList<>();
    model.forEach((m, s) -> sorted.add(new Item(s, m)));
    sorted.sort(ORDER);
    assertEquals(sorted.size(), zset.size());
    RedisZSet.Node n = zset.first();
    for (int i = 0; i < sorted.size(); i++, n = n.next()) {
      assertEquals(sorted.get(i).member(), n.member);
      assertEquals(i, zset.rank(n.member));
      assertSame(n, zset.byRank(i));
      if (i > 0) assertEquals(sorted.get(i - 1).member(), n.prev().member);
    }
    assertNull(n);
    if (!sorted.isEmpty()) assertEquals(sorted.get(sorted.size() - 1).member(), zset.last().member);
    double bound = random.nextInt(50) / 4.0;
    Item firstAtLeast = sorted.stream().filter(x -> x.score() >= bound).findFirst().orElse(null);
    Item firstAbove = sorted.stream().filter(x -> x.score() > bound).findFirst().orElse(null);
    Item lastAtMost = sorted.stream().filter(x -> x.score() <= bound).reduce((a, b) -> b).orElse(null);
    Item lastBelow = sorted.stream().filter(x -> x.score() < bound).reduce((a, b) -> b).orElse(null);
    assertEquals(firstAtLeast == null ? null : firstAtLeast.member(), member(zset.firstWithScore(bound, false)));
    assertEquals(firstAbove == null ? null : firstAbove.member(), member(zset.firstWithScore(bound, true)));
    assertEquals(lastAtMost == null ? null : lastAtMost.member(), member(zset.lastWithScore(bound, false)));
    assertEquals(lastBelow == null ? null : lastBelow.member(), member(zset.lastWithScore(bound, true)));
    assertNull(zset.byRank(sorted.size()));
    assertEquals(-1, zset.rank(Key.of("absent")));
  }

  private static Key member(RedisZSet.Node n) {
    return n == null ? null : n.member;
  }

  @Test
  void lexBoundsOnEqualScores() {
    RedisZSet zset = new RedisZSet(BIG, BIG, 1);
    for (String m : new String[] {"a", "b", "c", "d"}) zset.put(Key.of(m), 0, BIG, BIG);
    assertEquals(Key.of("b"), zset.firstWithMember("b".getBytes(), false).member);
    assertEquals(Key.of("c"), zset.firstWithMember("b".getBytes(), true).member);
    assertEquals(Key.of("a"), zset.firstWithMember(null, false).member);
    assertEquals(Key.of("c"), zset.lastWithMember("c".getBytes(), false).member);
    assertEquals(Key.of("b"), zset.lastWithMember("c".getBytes(), true).member);
    assertEquals(Key.of("d"), zset.lastWithMember(null, false).member);
    assertNull(zset.lastWithMember("a".getBytes(), true));
  }

  @Test
  void encodingFollowsRedisLimitsAndNeverConvertsBackOnItsOwn() {
    RedisZSet zset = new RedisZSet(2, 5, 1);
    assertEquals("listpack", zset.encoding());
    zset.put(Key.of("a"), 1, 2, 5);
    zset.put(Key.of("b"), 1, 2, 5);
    assertEquals("listpack", zset.encoding());
    zset.put(Key.of("c"), 1, 2, 5);
    assertEquals("skiplist", zset.encoding());
    zset.remove(Key.of("c"));
    assertEquals("skiplist", zset.encoding());
    zset.fitEncoding(2, 5);
    assertEquals("listpack", zset.encoding(), "a *STORE result is converted to fit");
    assertEquals("skiplist", new RedisZSet(2, 5, 6).encoding(), "a first member longer than the value limit");
    assertEquals("skiplist", new RedisZSet(0, 5, 1).encoding());
  }

  @Test
  void aListpackKeepsNoNegativeZeroButASkiplistDoes() {
    RedisZSet small = new RedisZSet(BIG, BIG, 1);
    small.put(Key.of("x"), -0.0, BIG, BIG);
    assertEquals(0x0L, Double.doubleToRawLongBits(small.score(Key.of("x"))));
    RedisZSet big = new RedisZSet(0, BIG, 1);
    big.put(Key.of("x"), -0.0, 0, BIG);
    assertTrue(1 / big.score(Key.of("x")) < 0);
    assertFalse(big.put(Key.of("x"), 0.0, 0, BIG), "-0 and 0 compare equal, as C doubles do");
  }

  @Test
  void aScanReturnsEveryMemberPresentThroughoutExactlyOnce() {
    RedisZSet zset = new RedisZSet(0, BIG, 1);
    for (int i = 0; i < 1000; i++) zset.put(Key.of("m" + i), i, 0, BIG);
    Set<Key> seen = new HashSet<>();
    long cursor = 0;
    int added = 0;
    do {
      List<Key> page = new ArrayList<>();
      cursor = zset.scan(cursor, 10, page);
      for (Key k : page) assertTrue(seen.add(k), "returned twice: " + k);
      zset.put(Key.of("new" + added++), 0, 0, BIG);
      zset.remove(Key.of("m" + (999 - added)));
    } while (cursor != 0);
    for (int i = 0; i < 999 - added; i++) assertTrue(seen.contains(Key.of("m" + i)), "missed m" + i);
  }

  @Test
  void aCopyIsIndependent() {
    RedisZSet zset = new RedisZSet(BIG, BIG, 1);
    zset.put(Key.of("a"), 1, BIG, BIG);
    RedisZSet copy = zset.copy();
    copy.put(Key.of("b"), 2, BIG, BIG);
    assertEquals(1, zset.size());
    assertEquals(2, copy.size());
    assertEquals(1, copy.rank(Key.of("b")));
  }
}
