package org.akkaredis.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.TempDirs;
import org.akkaredis.persistence.RdbReader.Value;
import org.junit.jupiter.api.Test;

/**
 * RdbReader reads the dump.rdb of Debian's redis-server 7.0 with every encoding 7.0 writes: listpacks with
 * integers of every width and strings of every length encoding, intsets of every width, quicklists with packed,
 * plain and LZF-compressed nodes, hashtables, skiplists, LZF-compressed strings, TTLs, several databases and a
 * function library (which the reader skips).
 */
class RdbReadRedisDumpTest {
  /** Integers of every listpack width: 7-bit, 13-bit, 16, 24, 32 and 64 bits, at and around the edges. */
  private static final List<String> INTEGERS = List.of("0", "100", "127", "128", "-100", "4095", "-4096", "5000",
      "-32768", "32767", "100000", "8388607", "-8388608", "2147483647", "-2147483648", "2147483648",
      "-1099511627776", "4611686018427387904", "9223372036854775807", "-9223372036854775808");
  /** Far from now, so that no key expires while the test runs, and exact, so that it compares exactly. */
  private static final long EXPIRE_AT_MS = 4_102_444_800_123L;

  @Test
  void readsWhatRedisSevenWrites() throws IOException {
    Path dir = TempDirs.create("rdb-read-");
    // Plain quicklist nodes are for elements of the packed threshold and up (1 GB unless DEBUG lowers it); the
    // compress depth makes Redis write the inner quicklist nodes LZF-compressed.
    Map<String, String> settings = Map.of("dir", dir.toString(), "dbfilename", "dump.rdb", "rdbcompression", "yes",
        "enable-debug-command", "yes", "list-compress-depth", "1");
    try (RedisServerFixture redis = RedisServerFixture.start(false, settings); RespConnection c = redis.connect()) {
      Map<String, Object> expected = fill(c);
      assertEquals("+OK\\r\\n", c.call("SAVE").escaped(100));
      Path file = dir.resolve("dump.rdb");

      Map<String, Object> loaded = new TreeMap<>();
      Map<String, String> aux = new TreeMap<>();
      long consumed;
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
        consumed = RdbReader.read(in, new RdbReader.Visitor() {
          @Override public void aux(String key, byte[] value) {
            aux.put(key, RdbReaderTest.latin1(value));
          }

          @Override public void key(int db, byte[] key, Value value, long expireAtMs) {
            loaded.put(db + " " + RdbReaderTest.latin1(key), List.of(RdbReaderTest.canonical(value), expireAtMs));
          }
        });
        assertEquals(-1, in.read(), "the file ends with the RDB part");
      }
      assertEquals(Files.size(file), consumed);
      assertTrue(aux.get("redis-ver").startsWith(RedisServerFixture.EXPECTED_VERSION_PREFIX), aux.toString());
      assertEquals(expected.keySet(), loaded.keySet());
      for (String key : expected.keySet()) assertEquals(expected.get(key), loaded.get(key), key);
    } finally {
      TempDirs.delete(dir);
    }
  }

  /** Fills the server; returns per "db key" the canonical value (see {@link #canonical}) and expiry. */
  private static Map<String, Object> fill(RespConnection c) {
    Map<String, Object> expected = new TreeMap<>();
    Random random = new Random(42);

    // Strings: integer-encoded, short, compressible (LZF), incompressible and bigger than the reader's buffer.
    set(c, expected, "plain", bytes("hello"));
    set(c, expected, "empty", bytes(""));
    set(c, expected, "padded", bytes("007"));
    for (String integer : INTEGERS) set(c, expected, "int:" + integer, bytes(integer));
    set(c, expected, "compressible", bytes("abcdefgh".repeat(5000)));
    set(c, expected, "just over twenty", bytes("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
    byte[] noise = new byte[200_000];
    random.nextBytes(noise);
    set(c, expected, "noise", noise);
    byte[] binary = new byte[256];
    for (int i = 0; i < binary.length; i++) binary[i] = (byte) i;
    set(c, expected, "binary", binary);

    // Lists in one listpack node, of every entry encoding; then many nodes, the inner ones compressed.
    List<String> small = new ArrayList<>(INTEGERS);
    small.addAll(List.of("", "a", "x".repeat(63), "y".repeat(64), "z".repeat(300), "w".repeat(4095), "v".repeat(4096)));
    rpush(c, expected, "list:listpack", small);
    assertEquals("quicklist", c.call("OBJECT", "ENCODING", "list:listpack").text());
    List<String> big = new ArrayList<>();
    for (int i = 0; i < 5000; i++) big.add("item-" + i);
    rpush(c, expected, "list:many-nodes", big);
    List<String> huge = List.of("h".repeat(10_000), "single node");
    rpush(c, expected, "list:element-bigger-than-a-node", huge);
    // From here on, list elements of 100 bytes and more are nodes of their own ("plain").
    assertEquals("+OK\\r\\n", c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "100").escaped(100));
    rpush(c, expected, "list:plain-nodes", List.of("before", "p".repeat(150), "between", "q".repeat(20_000), "after"));

    // Sets: intsets of each width, listpack-free 7.0 writes the others as hashtables.
    sadd(c, expected, "set:int16", List.of("1", "2", "-300"));
    sadd(c, expected, "set:int32", List.of("1", "70000", "-70000"));
    sadd(c, expected, "set:int64", List.of("1", "1099511627776", "-9223372036854775808"));
    assertEquals("intset", c.call("OBJECT", "ENCODING", "set:int64").text());
    sadd(c, expected, "set:strings", List.of("x", "y", "z"));
    List<String> manyIntegers = new ArrayList<>();
    for (int i = 0; i < 600; i++) manyIntegers.add(Integer.toString(i * 7));
    sadd(c, expected, "set:many-integers", manyIntegers);
    assertEquals("hashtable", c.call("OBJECT", "ENCODING", "set:many-integers").text());

    // Sorted sets: a listpack with integer, fractional and infinite scores; a skiplist.
    Map<String, Double> scores = new TreeMap<>();
    scores.put("a", 1.5);
    scores.put("b", -2.0);
    scores.put("c", Double.POSITIVE_INFINITY);
    scores.put("d", Double.NEGATIVE_INFINITY);
    scores.put("e", 0.1);
    scores.put("f", 100000.0);
    scores.put("g", 1e300);
    scores.put("h", -0.000001);
    zadd(c, expected, "zset:listpack", scores);
    assertEquals("listpack", c.call("OBJECT", "ENCODING", "zset:listpack").text());
    Map<String, Double> manyScores = new TreeMap<>();
    for (int i = 0; i < 300; i++) manyScores.put("member-" + i, i * 0.5 - 20);
    zadd(c, expected, "zset:skiplist", manyScores);
    assertEquals("skiplist", c.call("OBJECT", "ENCODING", "zset:skiplist").text());

    // Hashes: a listpack (integer and string values), a hashtable for its size, one for a long value.
    Map<String, String> fields = new TreeMap<>();
    for (int i = 0; i < INTEGERS.size(); i++) fields.put("f" + i, INTEGERS.get(i));
    fields.put("text", "some text");
    fields.put("nothing", "");
    hset(c, expected, "hash:listpack", fields);
    assertEquals("listpack", c.call("OBJECT", "ENCODING", "hash:listpack").text());
    Map<String, String> manyFields = new TreeMap<>();
    for (int i = 0; i < 600; i++) manyFields.put("field-" + i, "value-" + i);
    hset(c, expected, "hash:hashtable", manyFields);
    hset(c, expected, "hash:long-value", Map.of("long", "l".repeat(100)));
    assertEquals("hashtable", c.call("OBJECT", "ENCODING", "hash:long-value").text());

    // TTLs, in milliseconds and in seconds.
    assertEquals(1, c.call("PEXPIREAT", "plain", Long.toString(EXPIRE_AT_MS)).integer());
    expire(expected, "0 plain", EXPIRE_AT_MS);
    assertEquals(1, c.call("EXPIREAT", "list:many-nodes", Long.toString(EXPIRE_AT_MS / 1000)).integer());
    expire(expected, "0 list:many-nodes", EXPIRE_AT_MS / 1000 * 1000);

    // Other databases.
    c.call("SELECT", "3");
    set(c, expected, 3, "elsewhere", bytes("in db 3"));
    hset(c, expected, 3, "h", Map.of("a", "b"));
    c.call("SELECT", "0");

    // A function library: written as FUNCTION2, which the reader skips.
    String library = "#!lua name=rdbtest\nredis.register_function('answer', function() return 42 end)";
    assertEquals("rdbtest", c.call("FUNCTION", "LOAD", library).text());
    return expected;
  }

  private static void set(RespConnection c, Map<String, Object> expected, String key, byte[] value) {
    set(c, expected, 0, key, value);
  }

  private static void set(RespConnection c, Map<String, Object> expected, int db, String key, byte[] value) {
    assertEquals("+OK\\r\\n", c.call(bytes("SET"), bytes(key), value).escaped(100));
    expected.put(db + " " + key, List.of(List.of("string", RdbReaderTest.latin1(value)), -1L));
  }

  private static void rpush(RespConnection c, Map<String, Object> expected, String key, List<String> items) {
    List<String> command = new ArrayList<>(List.of("RPUSH", key));
    command.addAll(items);
    assertEquals(items.size(), c.call(command.toArray(String[]::new)).integer());
    expected.put("0 " + key, List.of(List.of("list", items), -1L));
  }

  private static void sadd(RespConnection c, Map<String, Object> expected, String key, List<String> members) {
    List<String> command = new ArrayList<>(List.of("SADD", key));
    command.addAll(members);
    assertEquals(members.size(), c.call(command.toArray(String[]::new)).integer());
    List<String> sorted = new ArrayList<>(members);
    sorted.sort(null);
    expected.put("0 " + key, List.of(List.of("set", sorted), -1L));
  }

  private static void zadd(RespConnection c, Map<String, Object> expected, String key, Map<String, Double> scores) {
    List<String> command = new ArrayList<>(List.of("ZADD", key));
    scores.forEach((member, score) -> {
      command.add(score.isInfinite() ? (score > 0 ? "+inf" : "-inf") : Double.toString(score));
      command.add(member);
    });
    assertEquals(scores.size(), c.call(command.toArray(String[]::new)).integer());
    expected.put("0 " + key, List.of(List.of("zset", new TreeMap<>(scores)), -1L));
  }

  private static void hset(RespConnection c, Map<String, Object> expected, String key, Map<String, String> fields) {
    hset(c, expected, 0, key, fields);
  }

  private static void hset(RespConnection c, Map<String, Object> expected, int db, String key,
      Map<String, String> fields) {
    List<String> command = new ArrayList<>(List.of("HSET", key));
    fields.forEach((field, value) -> {
      command.add(field);
      command.add(value);
    });
    assertEquals(fields.size(), c.call(command.toArray(String[]::new)).integer());
    expected.put(db + " " + key, List.of(List.of("hash", new TreeMap<>(fields)), -1L));
  }

  private static void expire(Map<String, Object> expected, String key, long expireAtMs) {
    List<?> entry = (List<?>) expected.get(key);
    expected.put(key, List.of(entry.get(0), expireAtMs));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
