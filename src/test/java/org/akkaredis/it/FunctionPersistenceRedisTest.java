package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.Processes;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.TempDirs;
import org.junit.jupiter.api.Test;

/**
 * FUNCTION DUMP, RESTORE and STATS against a real redis-server 7.0, and the libraries in the node's files: a DUMP
 * payload is redis-server's byte for byte (LZF-compressed as rdbcompression yes makes it) and restores both ways,
 * RESTORE's errors are Redis's, a dump.rdb with functions moves both ways (redis-check-rdb accepts the node's), and
 * the libraries survive a restart from the RDB and from the AOF, with and without the RDB preamble.
 */
class FunctionPersistenceRedisTest {
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
  /** Long enough and repetitive enough that Redis writes it LZF-compressed. */
  static final String LIB_A = "#!lua name=liba\n"
      + "-- a library whose text repeats itself, repeats itself, repeats itself, so it compresses\n"
      + "redis.register_function('fa', function(keys, args) return 'from a' end)\n"
      + "redis.register_function{function_name='fa_ro', callback=function(keys, args) return redis.call('GET', "
      + "keys[1]) end, flags={'no-writes'}, description='reads a key'}\n";
  static final String LIB_B = "#!lua name=libb\nredis.register_function('fb', function() return 2 end)";
  /** A library with a function of LIB_A's name. */
  static final String LIB_CLASH = "#!lua name=libc\nredis.register_function('fa', function() return 3 end)";

  @Test
  void dumpIsRedisServersByteForByteAndRestoresBothWays() {
    try (RedisServerFixture redis = RedisServerFixture.start(false, Map.of());
        NodeFixture node = NodeFixture.startAsync(false, Map.of()).join();
        RespConnection r = redis.connect(); RespConnection c = node.connect()) {
      assertSameReply(r, c, "FUNCTION", "DUMP");
      for (String code : List.of(LIB_A, LIB_B)) {
        r.call("FUNCTION", "FLUSH");
        c.call("FUNCTION", "FLUSH");
        assertSameReply(r, c, "FUNCTION", "LOAD", code);
        assertSameReply(r, c, "FUNCTION", "DUMP");
      }
      for (String compression : List.of("no", "yes")) {
        r.call("CONFIG", "SET", "rdbcompression", compression);
        c.call("CONFIG", "SET", "rdbcompression", compression);
        r.call("FUNCTION", "FLUSH");
        c.call("FUNCTION", "FLUSH");
        r.call("FUNCTION", "LOAD", LIB_A);
        byte[] payload = r.call("FUNCTION", "DUMP").bytes();
        assertEquals("OK", c.call(b("FUNCTION"), b("RESTORE"), payload).text());
        assertArrayEquals(payload, c.call("FUNCTION", "DUMP").bytes(), "rdbcompression " + compression);
      }
      // Several libraries: redis-server orders them by its dict's hash, so they are compared as listed, sorted.
      r.call("FUNCTION", "LOAD", LIB_B);
      c.call("FUNCTION", "LOAD", LIB_B);
      byte[] fromRedis = r.call("FUNCTION", "DUMP").bytes();
      byte[] fromNode = c.call("FUNCTION", "DUMP").bytes();
      assertEquals(fromRedis.length, fromNode.length);
      r.call("FUNCTION", "FLUSH");
      c.call("FUNCTION", "FLUSH");
      assertEquals("OK", r.call(b("FUNCTION"), b("RESTORE"), fromNode).text());
      assertEquals("OK", c.call(b("FUNCTION"), b("RESTORE"), fromRedis).text());
      assertEquals(libraries(r), libraries(c));
      assertSameReply(r, c, "FCALL", "fa", "0");
      assertSameReply(r, c, "FCALL", "fb", "0");
    }
  }

  @Test
  void restoreAnswersAsRedis() {
    try (RedisServerFixture redis = RedisServerFixture.start(false, Map.of());
        NodeFixture node = NodeFixture.startAsync(false, Map.of()).join();
        RespConnection r = redis.connect(); RespConnection c = node.connect()) {
      r.call("FUNCTION", "LOAD", LIB_A);
      byte[] a = r.call("FUNCTION", "DUMP").bytes();
      r.call("FUNCTION", "FLUSH");
      r.call("FUNCTION", "LOAD", LIB_B);
      byte[] b = r.call("FUNCTION", "DUMP").bytes();
      r.call("FUNCTION", "LOAD", LIB_CLASH);
      byte[] bAndClash = r.call("FUNCTION", "DUMP").bytes();
      r.call("FUNCTION", "FLUSH");
      r.call("SET", "k", "v");
      byte[] keyPayload = r.call("DUMP", "k").bytes();
      byte[] corrupt = a.clone();
      corrupt[3] ^= 1;
      byte[] empty = r.call("FUNCTION", "DUMP").bytes();
      List<byte[][]> steps = List.of(
          args(b("FUNCTION"), b("RESTORE"), a, b("bogus")),
          args(b("FUNCTION"), b("RESTORE"), a, b("append"), b("more")),
          args(b("FUNCTION"), b("RESTORE"), corrupt),
          args(b("FUNCTION"), b("RESTORE"), b("short")),
          args(b("FUNCTION"), b("RESTORE"), keyPayload),
          args(b("FUNCTION"), b("RESTORE"), a),
          args(b("FUNCTION"), b("RESTORE"), a),
          args(b("FUNCTION"), b("RESTORE"), a, b("APPEND")),
          args(b("FUNCTION"), b("RESTORE"), bAndClash),
          args(b("FUNCTION"), b("RESTORE"), bAndClash, b("replace")),
          args(b("FUNCTION"), b("RESTORE"), a, b("REPLACE")),
          args(b("FUNCTION"), b("RESTORE"), b, b("Replace")),
          args(b("FUNCTION"), b("RESTORE"), bAndClash, b("FLUSH")),
          args(b("FUNCTION"), b("RESTORE"), empty),
          args(b("FUNCTION"), b("RESTORE"), empty, b("flush")),
          args(b("FUNCTION"), b("FLUSH"), b("sync"), b("more")),
          args(b("FUNCTION"), b("DUMP"), b("more")));
      r.call("FLUSHALL");
      for (byte[][] step : steps) {
        RespReply expected = r.call(step);
        RespReply actual = c.call(step);
        assertTrue(expected.rawEquals(actual), RespReply.escape(String.join(" ", texts(step)).getBytes(
            StandardCharsets.ISO_8859_1), 80) + ": expected " + expected.escaped(300) + ", got " + actual.escaped(300));
        assertEquals(libraries(r), libraries(c), "after " + texts(step).get(1));
      }
    }
  }

  @Test
  void statsAnswersAsRedisInBothProtocols() {
    try (RedisServerFixture redis = RedisServerFixture.start(false, Map.of());
        NodeFixture node = NodeFixture.startAsync(false, Map.of()).join();
        RespConnection r = redis.connect(); RespConnection c = node.connect()) {
      for (String protocol : List.of("2", "3")) {
        r.call("HELLO", protocol);
        c.call("HELLO", protocol);
        r.call("FUNCTION", "FLUSH");
        c.call("FUNCTION", "FLUSH");
        assertSameReply(r, c, "FUNCTION", "STATS");
        assertSameReply(r, c, "FUNCTION", "LOAD", LIB_A);
        assertSameReply(r, c, "FUNCTION", "LOAD", LIB_B);
        assertSameReply(r, c, "FUNCTION", "STATS");
        assertSameReply(r, c, "FUNCTION", "STATS", "extra");
      }
    }
  }

  @Test
  void theNodesDumpRdbWithFunctionsPassesRedisCheckRdbAndLoadsInRedis() {
    Path dir = TempDirs.create("function-rdb-");
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of("dir", dir.toString(), "dbfilename", "f.rdb"))
        .join(); RespConnection c = node.connect()) {
      c.call("FUNCTION", "LOAD", LIB_A);
      c.call("FUNCTION", "LOAD", LIB_B);
      c.call("SET", "k", "v");
      assertEquals("OK", c.call("SAVE").text());
      Processes.Result check = Processes.run(TOOL_TIMEOUT, "redis-check-rdb", dir.resolve("f.rdb").toString());
      assertEquals(0, check.exitCode(), check.describe());
      assertTrue(check.stdout().contains("\\o/ RDB looks OK! \\o/"), check.describe());
      try (RedisServerFixture redis = RedisServerFixture.start(false, Map.of("dir", dir.toString(),
          "dbfilename", "f.rdb")); RespConnection r = redis.connect()) {
        assertEquals(libraries(c), libraries(r));
        assertEquals("from a", r.call("FCALL", "fa", "0").text());
        assertEquals("v", r.call("FCALL_RO", "fa_ro", "1", "k").text());
      }
    } finally {
      TempDirs.delete(dir);
    }
  }

  @Test
  void redisServersDumpRdbWithFunctionsLoadsOnTheNode() {
    Path dir = TempDirs.create("function-rdb-");
    try (RedisServerFixture redis = RedisServerFixture.start(false, Map.of("dir", dir.toString(),
        "dbfilename", "r.rdb")); RespConnection r = redis.connect()) {
      r.call("FUNCTION", "LOAD", LIB_A);
      r.call("FUNCTION", "LOAD", LIB_B);
      r.call("SET", "k", "v");
      assertEquals("OK", r.call("SAVE").text());
      try (NodeFixture node = NodeFixture.startAsync(false, Map.of("dir", dir.toString(), "dbfilename", "r.rdb"))
          .join(); RespConnection c = node.connect()) {
        assertEquals(libraries(r), libraries(c));
        assertEquals("v", c.call("FCALL_RO", "fa_ro", "1", "k").text());
        assertEquals(2, c.call("FCALL", "fb", "0").integer());
      }
    } finally {
      TempDirs.delete(dir);
    }
  }

  @Test
  void functionsSurviveARestartFromTheRdb() {
    Path dir = TempDirs.create("function-restart-");
    Map<String, String> settings = Map.of("dir", dir.toString(), "save", "3600 1");
    try {
      List<String> before;
      try (NodeFixture node = NodeFixture.startAsync(false, settings).join(); RespConnection c = node.connect()) {
        c.call("FUNCTION", "LOAD", LIB_A);
        c.call("FUNCTION", "LOAD", LIB_B);
        c.call("FUNCTION", "DELETE", "libb");
        before = libraries(c);
        assertEquals("OK", c.call("SAVE").text());
      }
      try (NodeFixture node = NodeFixture.startAsync(false, settings).join(); RespConnection c = node.connect()) {
        assertEquals(before, libraries(c));
        assertEquals("from a", c.call("FCALL", "fa", "0").text());
      }
    } finally {
      TempDirs.delete(dir);
    }
  }

  @Test
  void functionsSurviveARestartFromTheAofWithAndWithoutThePreamble() {
    for (String preamble : List.of("yes", "no")) {
      Path dir = TempDirs.create("function-aof-");
      Map<String, String> settings = Map.of("dir", dir.toString(), "appendonly", "yes", "save", "",
          "aof-use-rdb-preamble", preamble);
      try {
        List<String> before;
        try (NodeFixture node = NodeFixture.startAsync(false, settings).join(); RespConnection c = node.connect()) {
          Await.until("the first rewrite finished", Duration.ofSeconds(30), () -> rewriteDone(c));
          c.call("FUNCTION", "LOAD", LIB_A);
          c.call("FUNCTION", "LOAD", LIB_CLASH.replace("'fa'", "'fc'"));
          // The rewrite's base holds these; what follows is in the new incr file.
          assertEquals("Background append only file rewriting started", c.call("BGREWRITEAOF").text());
          Await.until("the rewrite finished", Duration.ofSeconds(30), () -> rewriteDone(c));
          c.call("FUNCTION", "LOAD", LIB_B);
          c.call("FUNCTION", "DELETE", "libc");
          c.call("FUNCTION", "LOAD", "REPLACE", LIB_A.replace("from a", "from a again"));
          before = libraries(c);
        }
        try (NodeFixture node = NodeFixture.startAsync(false, settings).join(); RespConnection c = node.connect()) {
          assertEquals(before, libraries(c), "aof-use-rdb-preamble " + preamble);
          assertEquals("from a again", c.call("FCALL", "fa", "0").text());
        }
      } finally {
        TempDirs.delete(dir);
      }
    }
  }

  /**
   * FUNCTION LIST WITHCODE, one line per library, libraries and their functions sorted (redis-server lists both in
   * its dicts' order, which a random hash seed decides).
   */
  static List<String> libraries(RespConnection c) {
    List<String> out = new ArrayList<>();
    for (RespReply library : c.call("FUNCTION", "LIST", "WITHCODE").elements()) {
      StringBuilder line = new StringBuilder();
      List<RespReply> fields = library.elements();
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        line.append(fields.get(i).text()).append('=');
        RespReply value = fields.get(i + 1);
        if (value.isAggregate()) {
          List<String> functions = new ArrayList<>();
          for (RespReply function : value.elements()) functions.add(function.escaped(1000));
          functions.sort(null);
          line.append(functions);
        } else {
          line.append(value.escaped(4000));
        }
        line.append(' ');
      }
      out.add(line.toString());
    }
    out.sort(null);
    return out;
  }

  private static boolean rewriteDone(RespConnection c) {
    return "0".equals(c.infoField("persistence", "aof_rewrite_in_progress"))
        && "0".equals(c.infoField("persistence", "aof_rewrite_scheduled"));
  }

  private static void assertSameReply(RespConnection r, RespConnection c, String... command) {
    RespReply expected = r.call(command);
    RespReply actual = c.call(command);
    assertTrue(expected.rawEquals(actual), String.join(" ", command).replace("\n", "\\n") + ": expected "
        + expected.escaped(500) + ", got " + actual.escaped(500));
  }

  private static byte[][] args(byte[]... args) {
    return args;
  }

  private static List<String> texts(byte[][] args) {
    List<String> out = new ArrayList<>();
    for (byte[] arg : args) out.add(new String(arg, StandardCharsets.ISO_8859_1));
    return out;
  }

  private static byte[] b(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
