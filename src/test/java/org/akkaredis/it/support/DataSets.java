package org.akkaredis.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A data set of every type for the persistence tests, and the comparison of two servers' data key by key. */
public final class DataSets {
  /** Time may pass between reading a TTL on one server and on the other; a loaded machine is slow. */
  private static final long TTL_SLACK_MS = 60_000;

  private DataSets() {}

  /** All five types, integer-like and long strings, big collections, TTLs, in databases 0 and 1. */
  public static void fill(RespConnection c) {
    ok(c.call("SET", "plain", "hello"));
    ok(c.call("SET", "number", "12345"));
    ok(c.call("SET", "negative", "-70000"));
    ok(c.call("SET", "padded", "007"));
    ok(c.call("SET", "long", "x".repeat(20_000)));
    ok(c.call("SET", "empty", ""));
    ok(c.call("SET", "volatile", "v", "PX", "3600000"));
    c.call("RPUSH", "list", "a", "b", "3", "");
    List<String> many = new ArrayList<>(List.of("RPUSH", "biglist"));
    for (int i = 0; i < 1000; i++) many.add("item-" + i);
    c.call(many.toArray(String[]::new));
    c.call("EXPIRE", "biglist", "7200");
    c.call("SADD", "set", "x", "y", "z");
    c.call("SADD", "intset", "1", "2", "-300", "70000");
    c.call("ZADD", "zset", "1.5", "a", "-2", "b", "inf", "c", "0.1", "d", "-inf", "e");
    c.call("HSET", "hash", "f1", "v1", "f2", "2", "f3", "");
    c.call("SELECT", "1");
    ok(c.call("SET", "other", "in db 1"));
    c.call("HSET", "h1", "a", "b");
    c.call("PEXPIRE", "h1", "5000000");
    c.call("SELECT", "0");
  }

  public static void compareKey(RespConnection c, RespConnection r, String db, String key) {
    String where = "db " + db + " key " + key;
    String type = c.call("TYPE", key).text();
    assertEquals(type, r.call("TYPE", key).text(), where);
    switch (type) {
      case "string" -> assertEquals(c.call("GET", key).text(), r.call("GET", key).text(), where);
      case "list" -> assertEquals(c.call("LRANGE", key, "0", "-1").texts(), r.call("LRANGE", key, "0", "-1").texts(),
          where);
      case "set" -> assertEquals(sorted(c.call("SMEMBERS", key)), sorted(r.call("SMEMBERS", key)), where);
      case "zset" -> assertEquals(c.call("ZRANGE", key, "0", "-1", "WITHSCORES").texts(),
          r.call("ZRANGE", key, "0", "-1", "WITHSCORES").texts(), where);
      case "hash" -> assertEquals(pairs(c.call("HGETALL", key)), pairs(r.call("HGETALL", key)), where);
      default -> throw new AssertionError("unexpected type " + type + " of " + where);
    }
    long nodeTtl = c.call("PTTL", key).integer();
    long redisTtl = r.call("PTTL", key).integer();
    if (nodeTtl < 0) {
      assertEquals(nodeTtl, redisTtl, "no TTL on " + where);
    } else {
      assertTrue(redisTtl > 0 && Math.abs(nodeTtl - redisTtl) < TTL_SLACK_MS,
          where + ": TTL " + nodeTtl + " on the node, " + redisTtl + " on redis-server");
    }
  }

  /** Every key of databases 0-2 of {@code c} is in {@code r} with the same type, value and (roughly) TTL. */
  public static void assertSameData(RespConnection c, RespConnection r) {
    for (String db : List.of("0", "1", "2")) {
      c.call("SELECT", db);
      r.call("SELECT", db);
      assertEquals(c.call("DBSIZE").integer(), r.call("DBSIZE").integer(), "DBSIZE of db " + db);
      for (String key : c.call("KEYS", "*").texts()) compareKey(c, r, db, key);
    }
    c.call("SELECT", "0");
    r.call("SELECT", "0");
  }

  private static void ok(RespReply reply) {
    assertEquals("+OK\\r\\n", reply.escaped(100));
  }

  private static List<String> sorted(RespReply reply) {
    List<String> texts = new ArrayList<>(reply.texts());
    texts.sort(null);
    return texts;
  }

  private static Map<String, String> pairs(RespReply reply) {
    List<String> texts = reply.texts();
    Map<String, String> map = new TreeMap<>();
    for (int i = 0; i < texts.size(); i += 2) map.put(texts.get(i), texts.get(i + 1));
    return map;
  }
}
