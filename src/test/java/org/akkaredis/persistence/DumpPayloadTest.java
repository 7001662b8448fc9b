package org.akkaredis.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.RedisHash;
import org.akkaredis.keyspace.RedisList;
import org.akkaredis.keyspace.RedisSet;
import org.akkaredis.keyspace.RedisZSet;
import org.junit.jupiter.api.Test;

/**
 * DUMP payloads: redis-server 7.0.15's (captured in dump/redis-7.0.15.txt, each type and encoding) read into the
 * values the commands that made them describe, in the encoding Redis gives them; the node's own payloads read back
 * whole; and the corrupt payloads RESTORE refuses, each for the reason Redis gives.
 */
class DumpPayloadTest {
  private static final Settings DEFAULTS = Settings.defaults();

  private record Fixture(String encoding, byte[] payload) {}

  private static Map<String, Fixture> fixtures() throws IOException {
    Map<String, Fixture> fixtures = new LinkedHashMap<>();
    try (InputStream in = DumpPayloadTest.class.getResourceAsStream("/dump/redis-7.0.15.txt");
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("#") || line.isBlank()) continue;
        String[] parts = line.split(" ");
        fixtures.put(parts[0], new Fixture(parts[1], HexFormat.of().parseHex(parts[2])));
      }
    }
    return fixtures;
  }

  private static Object restored(Fixture fixture) throws IOException {
    assertTrue(DumpPayload.versionAndChecksumOk(fixture.payload()));
    return DumpPayload.read(fixture.payload(), DEFAULTS);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static List<String> items(RedisList list) {
    List<String> items = new ArrayList<>();
    for (byte[] item : list.toArray()) items.add(text(item));
    return items;
  }

  private static TreeSet<String> members(RedisSet set) {
    TreeSet<String> members = new TreeSet<>();
    for (Key member : set.members()) members.add(text(member.bytes()));
    return members;
  }

  private static TreeMap<String, Double> scores(RedisZSet zset) {
    TreeMap<String, Double> scores = new TreeMap<>();
    for (RedisZSet.Node node = zset.first(); node != null; node = node.next()) scores.put(text(node.member.bytes()), node.score);
    return scores;
  }

  private static Map<String, String> fields(RedisHash hash) {
    Map<String, String> fields = new LinkedHashMap<>();
    hash.fields.forEach((field, value) -> fields.put(text(field.bytes()), text(value)));
    return fields;
  }

  @Test void redisStringsRestore() throws IOException {
    Map<String, Fixture> f = fixtures();
    assertEquals("bar", text((byte[]) restored(f.get("string-embstr"))));
    assertEquals("12345", text((byte[]) restored(f.get("string-int"))));
    assertEquals("9223372036854775807", text((byte[]) restored(f.get("string-int64"))));
    assertEquals("abc".repeat(40), text((byte[]) restored(f.get("string-lzf"))));
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) all[i] = (byte) i;
    assertArrayEquals(all, (byte[]) restored(f.get("string-binary")));
  }

  @Test void redisListsRestore() throws IOException {
    Map<String, Fixture> f = fixtures();
    assertEquals(List.of("a", "b", "1", "-20", "300", "70000", "5000000000", "x".repeat(70)),
        items((RedisList) restored(f.get("list-listpack"))));
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 1000; i++) many.add("item-" + i);
    assertEquals(many, items((RedisList) restored(f.get("list-many-nodes"))));
    // A packed node, a plain node (its element LZF-compressed) and a packed node.
    assertEquals(List.of("small", "y".repeat(200), "tail"), items((RedisList) restored(f.get("list-plain-node"))));
  }

  @Test void redisSetsRestoreInTheirEncoding() throws IOException {
    Map<String, Fixture> f = fixtures();
    RedisSet intset = (RedisSet) restored(f.get("set-intset"));
    assertEquals(new TreeSet<>(List.of("1", "-2", "300", "70000", "5000000000")), members(intset));
    assertEquals(f.get("set-intset").encoding(), intset.encoding());
    RedisSet hashtable = (RedisSet) restored(f.get("set-hashtable"));
    assertEquals(new TreeSet<>(List.of("a", "b", "c", "1")), members(hashtable));
    assertEquals(f.get("set-hashtable").encoding(), hashtable.encoding());
    RedisSet large = (RedisSet) restored(f.get("set-large-intset"));
    assertEquals(600, large.size());
    assertEquals(f.get("set-large-intset").encoding(), large.encoding());
  }

  @Test void redisSortedSetsRestoreInTheirEncoding() throws IOException {
    Map<String, Fixture> f = fixtures();
    RedisZSet small = (RedisZSet) restored(f.get("zset-listpack"));
    Map<String, Double> expected = new TreeMap<>(Map.of("a", 1.0, "b", 2.5, "c", -3.0, "d", Double.POSITIVE_INFINITY,
        "e", Double.NEGATIVE_INFINITY, "f", 1e300));
    assertEquals(expected, scores(small));
    assertEquals(f.get("zset-listpack").encoding(), small.encoding());
    RedisZSet large = (RedisZSet) restored(f.get("zset-skiplist"));
    assertEquals(200, large.size());
    assertEquals(99.5, large.last().score);
    assertEquals("member-199", text(large.last().member.bytes()));
    assertEquals(f.get("zset-skiplist").encoding(), large.encoding());
  }

  @Test void redisHashesRestoreInTheirEncoding() throws IOException {
    Map<String, Fixture> f = fixtures();
    RedisHash small = (RedisHash) restored(f.get("hash-listpack"));
    assertEquals(Map.of("f1", "v1", "n", "123", "big", "-9223372036854775808", "e", ""), fields(small));
    assertEquals(List.of("f1", "n", "big", "e"), new ArrayList<>(fields(small).keySet()), "listpack order kept");
    assertEquals(f.get("hash-listpack").encoding(), small.encoding());
    RedisHash large = (RedisHash) restored(f.get("hash-hashtable"));
    assertEquals(600, large.fields.size());
    assertEquals("value-417", text(large.fields.get(new Key(bytes("field-417")))));
    assertEquals(f.get("hash-hashtable").encoding(), large.encoding());
    RedisHash longValue = (RedisHash) restored(f.get("hash-long-value"));
    assertEquals(Map.of("f", "v".repeat(100), "g", "w"), fields(longValue));
    assertEquals(f.get("hash-long-value").encoding(), longValue.encoding());
  }

  @Test void smallerLimitsConvertOnRestoreAsRedisDoes() throws Exception {
    Settings tight = DEFAULTS.withOverrides(Map.of("hash-max-listpack-entries", "2",
        "set-max-intset-entries", "2", "zset-max-listpack-entries", "2"));
    Map<String, Fixture> f = fixtures();
    assertEquals("hashtable", ((RedisHash) DumpPayload.read(f.get("hash-listpack").payload(), tight)).encoding());
    assertEquals("hashtable", ((RedisSet) DumpPayload.read(f.get("set-intset").payload(), tight)).encoding());
    assertEquals("skiplist", ((RedisZSet) DumpPayload.read(f.get("zset-listpack").payload(), tight)).encoding());
  }

  /** Strings are encoded as Redis encodes them, so their payloads are byte for byte redis-server's. */
  @Test void stringPayloadsAreRedisBytes() throws IOException {
    Map<String, Fixture> f = fixtures();
    assertArrayEquals(f.get("string-embstr").payload(), DumpPayload.of(bytes("bar")));
    assertArrayEquals(f.get("string-int").payload(), DumpPayload.of(bytes("12345")));
    assertArrayEquals(f.get("string-int64").payload(), DumpPayload.of(bytes("9223372036854775807")));
  }

  @Test void everyRedisPayloadRoundTripsThroughTheNodesEncoding() throws IOException {
    for (Map.Entry<String, Fixture> fixture : fixtures().entrySet()) {
      Object value = restored(fixture.getValue());
      byte[] again = DumpPayload.of(value);
      assertTrue(DumpPayload.versionAndChecksumOk(again), fixture.getKey());
      Object back = DumpPayload.read(again, DEFAULTS);
      assertEquals(describe(value), describe(back), fixture.getKey());
    }
  }

  private static String describe(Object value) {
    if (value instanceof byte[] string) return "string " + text(string);
    if (value instanceof RedisList list) return "list " + items(list);
    if (value instanceof RedisSet set) return "set " + set.encoding() + " " + members(set);
    if (value instanceof RedisZSet zset) return "zset " + zset.encoding() + " " + scores(zset);
    if (value instanceof RedisHash hash) return "hash " + hash.encoding() + " " + new TreeMap<>(fields(hash));
    throw new AssertionError(value);
  }

  // ---- refused payloads ------------------------------------------------------------------------------------

  /** A body with a footer of the given version and a correct CRC. */
  private static byte[] withFooter(int version, int... body) {
    byte[] payload = new byte[body.length + 10];
    for (int i = 0; i < body.length; i++) payload[i] = (byte) body[i];
    payload[body.length] = (byte) version;
    payload[body.length + 1] = (byte) (version >>> 8);
    long crc = Crc64.update(0, payload, 0, body.length + 2);
    for (int i = 0; i < 8; i++) payload[body.length + 2 + i] = (byte) (crc >>> (8 * i));
    return payload;
  }

  @Test void footerChecks() throws IOException {
    byte[] good = fixtures().get("string-embstr").payload();
    assertTrue(DumpPayload.versionAndChecksumOk(good));
    for (int i = 0; i < good.length; i++) {
      byte[] flipped = good.clone();
      flipped[i] ^= 0x01;
      assertFalse(DumpPayload.versionAndChecksumOk(flipped), "a flipped bit at " + i);
    }
    assertFalse(DumpPayload.versionAndChecksumOk(Arrays.copyOf(good, 9)), "shorter than a footer");
    assertFalse(DumpPayload.versionAndChecksumOk(bytes("...")));
    assertFalse(DumpPayload.versionAndChecksumOk(withFooter(11, 0, 1, 'x')), "a later RDB version");
    assertTrue(DumpPayload.versionAndChecksumOk(withFooter(9, 0, 1, 'x')), "an earlier one is accepted, as Redis");
    assertEquals("x", text((byte[]) DumpPayload.read(withFooter(6, 0, 1, 'x'), DEFAULTS)));
  }

  @Test void badDataIsRefused() {
    List<byte[]> bad = List.of(
        withFooter(10),                                  // no type at all
        withFooter(10, 0, 5, 'a', 'b'),                  // a string that ends too soon
        withFooter(10, 1, 0),                            // an empty list
        withFooter(10, 2, 2, 1, 'a', 1, 'a'),            // a set with one member twice
        withFooter(10, 4, 2, 1, 'f', 1, 'v', 1, 'f', 1, 'w'), // a hash with one field twice
        withFooter(10, 3, 1, 1, 'm', 253),               // a sorted set with a NaN score
        withFooter(10, 3, 2, 1, 'm', 1, '1', 1, 'm', 1, '2'), // a sorted set with one member twice
        withFooter(10, 15, 0),                           // a stream, which the node has not
        withFooter(10, 8),                               // no such type
        withFooter(10, 16, 3, 0, 0, 0));                 // a listpack that is three bytes
    for (byte[] payload : bad) {
      assertTrue(DumpPayload.versionAndChecksumOk(payload));
      assertThrows(RdbReader.RdbFormatException.class, () -> DumpPayload.read(payload, DEFAULTS),
          HexFormat.of().formatHex(payload));
    }
  }

  @Test void corruptListpackFromRedisIsRefused() throws IOException {
    byte[] good = fixtures().get("hash-listpack").payload();
    // The listpack's element count: after the type, the string's length byte and the listpack's 4-byte total.
    byte[] body = Arrays.copyOf(good, good.length - 10);
    body[6] = 7;
    int[] unsigned = new int[body.length];
    for (int i = 0; i < body.length; i++) unsigned[i] = body[i] & 0xFF;
    byte[] corrupt = withFooter(10, unsigned);
    assertThrows(RdbReader.RdbFormatException.class, () -> DumpPayload.read(corrupt, DEFAULTS));
  }
}
