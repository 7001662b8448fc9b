package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.akkaredis.keyspace.RedisStream.Id;
import org.junit.jupiter.api.Test;

/**
 * The stream's data structure: listpack elements encoded as Redis encodes them, nodes filled and split by
 * stream-node-max-entries and -bytes, ranges forwards and backwards, deletion and trimming (exact and by whole node),
 * the ids' arithmetic, the group counters, copies and the radix tree's node count.
 */
class RedisStreamTest {
  private static byte[][] fv(String... fieldsAndValues) {
    byte[][] out = new byte[fieldsAndValues.length][];
    for (int i = 0; i < out.length; i++) out[i] = fieldsAndValues[i].getBytes(StandardCharsets.UTF_8);
    return out;
  }

  private static Id add(RedisStream s, long ms, long seq, String... fieldsAndValues) {
    return (Id) s.append(fv(fieldsAndValues), new Id(ms, seq), true, 0, 4096, 100);
  }

  private static List<String> ids(List<RedisStream.Item> items) {
    List<String> out = new ArrayList<>();
    for (RedisStream.Item item : items) out.add(item.id().toString());
    return out;
  }

  @Test
  void listpackElementsAreEncodedAsRedisEncodesThem() {
    assertArrayEquals(new byte[] {5}, Listpack.encodeInteger(5));
    assertArrayEquals(new byte[] {(byte) 0xC0 | 0x1F, (byte) 0xFF}, Listpack.encodeInteger(-1));
    assertArrayEquals(new byte[] {(byte) 0xF1, 0x00, 0x20}, Listpack.encodeInteger(8192));
    assertArrayEquals(new byte[] {(byte) 0xF4, 1, 0, 0, 0, 1, 0, 0, 0}, Listpack.encodeInteger((1L << 32) + 1));
    assertArrayEquals(new byte[] {(byte) 0x82, 'a', 'b'}, Listpack.encodeString("ab".getBytes()));
    assertArrayEquals(new byte[] {12}, Listpack.encodeString("12".getBytes()), "an integer's text is an integer");
    assertEquals(3, Listpack.encodeString("012".getBytes()).length - 1, "not canonical: kept as text");
    assertNull(Listpack.canonicalInteger("-0".getBytes()));
    assertNull(Listpack.canonicalInteger("9223372036854775808".getBytes()));
    assertEquals(Long.MIN_VALUE, Listpack.canonicalInteger("-9223372036854775808".getBytes()));
    byte[] lp = Listpack.create(8);
    lp = Listpack.appendInteger(lp, 1);
    lp = Listpack.append(lp, Listpack.encodeString("x".repeat(200).getBytes()));
    lp = Listpack.appendInteger(lp, -70000);
    // Header (6) + [1][backlen 1] + [E0 C8 + 200 bytes][backlen 2] + [F2 + 3][backlen 1] + end.
    assertEquals(6 + 2 + 204 + 5 + 1, Listpack.total(lp));
    int last = Listpack.last(lp);
    assertEquals(-70000, Listpack.integer(lp, last));
    assertEquals(200, Listpack.bytes(lp, Listpack.prev(lp, last)).length);
    lp = Listpack.replaceInteger(lp, Listpack.first(lp), 300);
    assertEquals(300, Listpack.integer(lp, Listpack.first(lp)));
    assertEquals(-70000, Listpack.integer(lp, Listpack.last(lp)), "the elements after it moved");
  }

  @Test
  void entriesGoIntoNodesOfAtMostMaxEntries() {
    RedisStream s = new RedisStream();
    for (int i = 1; i <= 250; i++) add(s, i, 0, "f", Integer.toString(i));
    assertEquals(250, s.length);
    assertEquals(3, s.nodeCount());
    assertEquals("250-0", s.lastId.toString());
    assertEquals("1-0", s.firstId.toString());
    List<RedisStream.Item> range = s.range(new Id(99, 0), new Id(102, 0), 0, false);
    assertEquals(List.of("99-0", "100-0", "101-0", "102-0"), ids(range));
    assertEquals("101", new String(range.get(2).fieldsAndValues()[1], StandardCharsets.UTF_8));
    assertEquals(List.of("102-0", "101-0", "100-0"), ids(s.range(new Id(99, 5), new Id(102, 0), 3, true)));
    assertTrue(s.append(fv("f", "v"), new Id(250, 0), true, 0, 4096, 100) == RedisStream.AppendError.ID_TOO_SMALL);
    for (Map.Entry<Id, byte[]> node : s.nodesForSave()) assertTrue(RedisStream.validNode(node.getValue()));
    byte[] corrupt = s.nodesForSave().get(0).getValue().clone();
    corrupt[Listpack.HEADER + 1] = 5; // the first element's backlen no longer says its size
    assertFalse(RedisStream.validNode(corrupt));
    byte[] shortened = java.util.Arrays.copyOf(s.nodesForSave().get(0).getValue(), 40);
    assertFalse(RedisStream.validNode(shortened));
  }

  @Test
  void nodesAlsoSplitAtMaxBytesAndEntriesWithOtherFieldsKeepTheirs() {
    RedisStream s = new RedisStream();
    s.append(fv("field", "x".repeat(30)), new Id(1, 0), true, 0, 60, 0);
    s.append(fv("field", "y".repeat(30)), new Id(2, 0), true, 0, 60, 0);
    assertEquals(2, s.nodeCount());
    RedisStream t = new RedisStream();
    add(t, 1, 0, "a", "1");
    add(t, 2, 0, "b", "2", "c", "3");
    add(t, 3, 0, "a", "4");
    assertEquals(List.of("b", "2", "c", "3"), texts(t.get(new Id(2, 0)).fieldsAndValues()));
    assertEquals(List.of("a", "4"), texts(t.range(null, null, 1, true).get(0).fieldsAndValues()));
  }

  private static List<String> texts(byte[][] bytes) {
    List<String> out = new ArrayList<>();
    for (byte[] b : bytes) out.add(new String(b, StandardCharsets.UTF_8));
    return out;
  }

  @Test
  void generatedIdsNeverGoBackAndMsStarTakesTheNextSequence() {
    RedisStream s = new RedisStream();
    assertEquals("1000-0", s.append(fv("f", "v"), null, true, 1000, 4096, 100).toString());
    assertEquals("1000-1", s.append(fv("f", "v"), null, true, 999, 4096, 100).toString());
    assertEquals("1000-2", s.append(fv("f", "v"), new Id(1000, 0), false, 0, 4096, 100).toString());
    assertEquals("2000-0", s.append(fv("f", "v"), new Id(2000, 0), false, 0, 4096, 100).toString());
    assertEquals(RedisStream.AppendError.ID_TOO_SMALL, s.append(fv("f", "v"), new Id(1500, 0), false, 0, 4096, 100));
    assertEquals(new Id(0, -1L), new Id(1, 0).previous());
    assertEquals(new Id(1, 0), new Id(0, -1L).next());
    assertNull(Id.MAX.next());
    assertNull(Id.MIN.previous());
    assertTrue(new Id(-1L, 0).compareTo(new Id(1, 0)) > 0, "ids compare unsigned");
    assertEquals("18446744073709551615-18446744073709551615", Id.MAX.toString());
  }

  @Test
  void deletionFlagsEntriesAndDropsANodeWithItsLastLiveEntry() {
    RedisStream s = new RedisStream();
    for (int i = 1; i <= 6; i++) s.append(fv("f", "v"), new Id(i, 0), true, 0, 4096, 3);
    assertEquals(2, s.nodeCount());
    assertEquals(2, s.delete(List.of(new Id(1, 0), new Id(9, 0), new Id(2, 0))));
    assertEquals("3-0", s.firstId.toString());
    assertEquals("2-0", s.maxDeletedId.toString());
    assertEquals(2, s.nodeCount(), "3-0 keeps the first node");
    assertEquals(1, s.delete(List.of(new Id(3, 0))));
    assertEquals(1, s.nodeCount());
    assertEquals(3, s.length);
    assertFalse(s.exists(new Id(3, 0)));
    assertEquals(List.of("4-0", "5-0", "6-0"), ids(s.range(null, null, 0, false)));
  }

  @Test
  void trimmingByLengthAndMinIdExactlyOrByWholeNodes() {
    RedisStream s = new RedisStream();
    for (int i = 1; i <= 10; i++) s.append(fv("f", "v"), new Id(i, 0), true, 0, 4096, 4);
    assertEquals(0, s.trim(RedisStream.TRIM_MAXLEN, 7, null, true, 0), "approximate: no whole node can go");
    assertEquals(4, s.trim(RedisStream.TRIM_MAXLEN, 5, null, true, 0), "approximate: the first node goes");
    assertEquals(6, s.length);
    assertEquals(1, s.trim(RedisStream.TRIM_MAXLEN, 5, null, false, 0));
    assertEquals("6-0", s.firstId.toString());
    assertEquals(2, s.trim(RedisStream.TRIM_MINID, 0, new Id(8, 0), false, 0));
    assertEquals(List.of("8-0", "9-0", "10-0"), ids(s.range(null, null, 0, false)));
    assertEquals(1, s.trim(RedisStream.TRIM_MAXLEN, 0, null, true, 1), "LIMIT 1: the node of one live entry only");
    assertEquals(2, s.length);
  }

  @Test
  void groupCountersFollowRedisEstimates() {
    RedisStream s = new RedisStream();
    for (int i = 1; i <= 5; i++) add(s, i, 0, "f", "v");
    RedisStream.Group g = s.createGroup("g".getBytes(), Id.MIN, 0);
    assertEquals(5L, s.lag(g));
    s.advance(g, new Id(1, 0));
    s.advance(g, new Id(2, 0));
    assertEquals(2, g.entriesRead);
    assertEquals(3L, s.lag(g));
    s.delete(List.of(new Id(4, 0)));
    assertNull(s.lag(g), "a tombstone after the group's last id: unknown");
    assertEquals(5, s.estimateDistanceFromFirstEverEntry(new Id(5, 0)));
    assertEquals(RedisStream.INVALID_ENTRIES_READ, s.estimateDistanceFromFirstEverEntry(new Id(9, 0)));
  }

  @Test
  void aCopyIsIndependentDownToThePendingEntries() {
    RedisStream s = new RedisStream();
    add(s, 1, 0, "f", "v");
    RedisStream.Group g = s.createGroup("g".getBytes(), Id.MIN, 0);
    RedisStream.Consumer alice = g.createConsumer("alice".getBytes(), 5);
    RedisStream.Nack nack = new RedisStream.Nack(7, 1, alice);
    g.pel.put(new Id(1, 0), nack);
    alice.pel.put(new Id(1, 0), nack);
    RedisStream copy = s.copy();
    add(copy, 2, 0, "f", "w");
    copy.group("g".getBytes()).pel.get(new Id(1, 0)).deliveryCount = 9;
    assertEquals(1, s.length);
    assertEquals(1, nack.deliveryCount);
    RedisStream.Group copied = copy.group("g".getBytes());
    assertTrue(copied.pel.get(new Id(1, 0)) == copied.consumers.get("alice".getBytes()).pel.get(new Id(1, 0)),
        "the group's and the consumer's lists share one Nack, as Redis's do");
  }

  @Test
  void radixTreeNodesCountAsRedisRaxCounts() {
    RedisStream s = new RedisStream();
    assertEquals(1, s.radixTreeNodes(), "an empty rax is its head");
    add(s, 1, 0, "f", "v");
    assertEquals(2, s.radixTreeNodes(), "one key: a compressed node and the key's");
    RedisStream t = new RedisStream();
    for (int i = 1; i <= 7; i++) t.append(fv("f", "v"), new Id(i, 0), true, 0, 4096, 3);
    // Keys 1-0, 4-0, 7-0 differ only in byte 7: the head compressing bytes 0-6, the branching node, and per key a
    // node compressing bytes 8-15 and the key's own (redis-server says 8 too).
    assertEquals(3, t.nodeCount());
    assertEquals(8, t.radixTreeNodes());
  }
}
