package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.Processes;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.TempDirs;
import org.junit.jupiter.api.Test;

/**
 * SAVE writes dump.rdb in Redis's RDB format: Debian's redis-check-rdb accepts the file, and a real redis-server
 * started on it has the same keys, values and (roughly) TTLs as the node.
 */
class RdbSaveTest {
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
  /** Time may pass between reading a TTL on the node and on redis-server; a loaded machine is slow. */
  private static final long TTL_SLACK_MS = 60_000;

  @Test
  void saveWritesAnRdbFileThatRedisChecksAndLoads() {
    Path dir = TempDirs.create("snapshot-");
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of("dir", dir.toString(),
        "dbfilename", "snap.rdb")).join(); RespConnection c = node.connect()) {
      fill(c);
      long before = System.currentTimeMillis() / 1000;
      assertEquals("+OK\\r\\n", c.call("SAVE").escaped(100));
      assertTrue(c.call("LASTSAVE").integer() >= before, "LASTSAVE says the time of the SAVE");
      Path file = dir.resolve("snap.rdb");
      assertTrue(Files.exists(file));
      assertFalse(Files.exists(dir.resolve("temp-" + ProcessHandle.current().pid() + ".rdb")), "temp file renamed");

      Processes.Result check = Processes.run(TOOL_TIMEOUT, "redis-check-rdb", file.toString());
      assertEquals(0, check.exitCode(), check.describe());
      assertTrue(check.stdout().contains("\\o/ RDB looks OK! \\o/"), check.describe());

      try (RedisServerFixture redis = RedisServerFixture.start(false, Map.of("dir", dir.toString(),
          "dbfilename", "snap.rdb")); RespConnection r = redis.connect()) {
        for (String db : List.of("0", "1", "2")) {
          c.call("SELECT", db);
          r.call("SELECT", db);
          assertEquals(c.call("DBSIZE").integer(), r.call("DBSIZE").integer(), "DBSIZE of db " + db);
          for (String key : c.call("KEYS", "*").texts()) compareKey(c, r, db, key);
        }
      }
    } finally {
      TempDirs.delete(dir);
    }
  }

  /** All five types, integer-like and long strings, big collections, TTLs, in databases 0 and 1. */
  private static void fill(RespConnection c) {
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

  private static void compareKey(RespConnection c, RespConnection r, String db, String key) {
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
