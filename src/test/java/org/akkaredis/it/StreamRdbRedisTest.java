package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.Processes;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.TempDirs;
import org.junit.jupiter.api.Test;

/**
 * Streams through the RDB and DUMP both ways with a real redis-server 7.0: the node's dump.rdb passes
 * redis-check-rdb and loads in redis-server, redis-server's loads on the node, and a DUMP payload made by either
 * restores on the other; each time the stream reads back the same (XINFO STREAM FULL: entries, nodes, ids, groups,
 * pending entries with their times, consumers), and the node's payload of a stream is redis-server's byte for byte
 * (rdbcompression no, so that redis-server writes its listpacks as they are).
 */
class StreamRdbRedisTest {
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> KEYS = List.of("plain", "nodes", "grouped", "empty", "deleted");

  /** Streams of every shape: one node, several nodes, groups with pending entries and consumers, empty, tombstones. */
  private static void build(RespConnection c) {
    c.call("CONFIG", "SET", "stream-node-max-entries", "3");
    call(c, "XADD", "plain", "1-1", "a", "1", "b", "hello");
    call(c, "XADD", "plain", "1-2", "a", "-300", "b", "x".repeat(100));
    for (int i = 1; i <= 10; i++) call(c, "XADD", "nodes", i + "-0", i % 3 == 0 ? "other" : "f", "v" + i);
    for (int i = 1; i <= 6; i++) call(c, "XADD", "grouped", i + "-" + i, "f", Integer.toString(i * 1000));
    call(c, "XGROUP", "CREATE", "grouped", "g1", "0");
    call(c, "XGROUP", "CREATE", "grouped", "g2", "$", "ENTRIESREAD", "6");
    call(c, "XREADGROUP", "GROUP", "g1", "alice", "COUNT", "3", "STREAMS", "grouped", ">");
    call(c, "XREADGROUP", "GROUP", "g1", "bob", "COUNT", "2", "STREAMS", "grouped", ">");
    call(c, "XCLAIM", "grouped", "g1", "carol", "0", "1-1", "TIME", "1600000000000", "RETRYCOUNT", "4");
    call(c, "XCLAIM", "grouped", "g1", "bob", "0", "2-2", "TIME", "1600000000001", "JUSTID");
    call(c, "XGROUP", "CREATECONSUMER", "grouped", "g2", "idle");
    call(c, "XGROUP", "CREATE", "empty", "g", "$", "MKSTREAM");
    for (int i = 1; i <= 7; i++) call(c, "XADD", "deleted", i + "-0", "f", "v");
    call(c, "XDEL", "deleted", "2-0", "7-0");
    call(c, "XTRIM", "deleted", "MAXLEN", "4");
    call(c, "CONFIG", "SET", "stream-node-max-entries", "100");
  }

  private static void call(RespConnection c, String... args) {
    RespReply reply = c.call(args);
    assertFalse(reply.isError(), String.join(" ", args) + ": " + reply);
  }

  /** What must read back the same: XINFO STREAM FULL (seen times come from the file too) and the entries. */
  private static void assertSameStreams(RespConnection expected, RespConnection actual) {
    for (String key : KEYS) {
      for (String[] read : List.of(new String[] {"XINFO", "STREAM", key, "FULL"},
          new String[] {"XRANGE", key, "-", "+"}, new String[] {"XINFO", "GROUPS", key}, new String[] {"TYPE", key},
          new String[] {"OBJECT", "ENCODING", key})) {
        RespReply e = expected.call(read);
        RespReply a = actual.call(read);
        assertTrue(e.rawEquals(a), String.join(" ", read) + ": expected " + e.escaped(2000) + ", got "
            + a.escaped(2000));
      }
    }
  }

  @Test
  void theNodesDumpRdbPassesRedisCheckRdbAndLoadsInRedis() {
    Path dir = TempDirs.create("stream-rdb-");
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of("dir", dir.toString(), "dbfilename", "s.rdb"))
        .join(); RespConnection c = node.connect()) {
      build(c);
      assertEquals("OK", c.call("SAVE").text());
      Processes.Result check = Processes.run(TOOL_TIMEOUT, "redis-check-rdb", dir.resolve("s.rdb").toString());
      assertEquals(0, check.exitCode(), check.describe());
      assertTrue(check.stdout().contains("\\o/ RDB looks OK! \\o/"), check.describe());
      try (RedisServerFixture redis = RedisServerFixture.start(false, Map.of("dir", dir.toString(),
          "dbfilename", "s.rdb", "sanitize-dump-payload", "yes")); RespConnection r = redis.connect()) {
        assertSameStreams(c, r);
      }
    } finally {
      TempDirs.delete(dir);
    }
  }

  @Test
  void redisServersDumpRdbLoadsOnTheNode() {
    Path dir = TempDirs.create("stream-rdb-");
    try (RedisServerFixture redis = RedisServerFixture.start(false, Map.of("dir", dir.toString(),
        "dbfilename", "r.rdb")); RespConnection r = redis.connect()) {
      build(r);
      assertEquals("OK", r.call("SAVE").text());
      try (NodeFixture node = NodeFixture.startAsync(false, Map.of("dir", dir.toString(), "dbfilename", "r.rdb"))
          .join(); RespConnection c = node.connect()) {
        assertSameStreams(r, c);
      }
    } finally {
      TempDirs.delete(dir);
    }
  }

  @Test
  void dumpPayloadsRestoreBothWaysAndAreRedisServersByteForByte() {
    try (RedisServerFixture redis = RedisServerFixture.start(false, Map.of("rdbcompression", "no"));
        NodeFixture node = NodeFixture.startAsync(false, Map.of()).join();
        RespConnection r = redis.connect(); RespConnection c = node.connect()) {
      build(r);
      for (String key : KEYS) {
        byte[] payload = r.call("DUMP", key).bytes();
        assertEquals("OK", c.call(b("RESTORE"), b(key), b("0"), payload).text(), key);
        assertArrayEquals(payload, c.call("DUMP", key).bytes(), key + ": the node's DUMP of what it restored");
      }
      assertSameStreams(r, c);
      c.call("FLUSHALL");
      build(c);
      for (String key : KEYS) {
        byte[] payload = c.call("DUMP", key).bytes();
        assertEquals("OK", r.call(b("RESTORE"), b(key + "-back"), b("0"), payload).text(), key);
      }
      for (String key : KEYS) {
        assertTrue(r.call("XINFO", "STREAM", key + "-back", "FULL").rawEquals(c.call("XINFO", "STREAM", key, "FULL")),
            key);
      }
    }
  }

  private static byte[] b(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
