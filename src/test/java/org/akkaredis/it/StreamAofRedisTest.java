package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.TempDirs;
import org.junit.jupiter.api.Test;

/**
 * The node's append-only file of stream work loads in redis-server 7.0 and gives the same streams: the commands as
 * the node propagated them (XADD with its generated ids, approximate trims made exact, group reads as XCLAIM and
 * XGROUP SETID), and after BGREWRITEAOF the rewrite's form (XADD, XSETID, XGROUP CREATE, XCLAIM ... FORCE JUSTID,
 * XGROUP CREATECONSUMER). And the other way: redis-server's append-only file of the same work, before and after its
 * rewrite, loads in the node and gives redis-server's streams. Consumers' seen times are when each server created
 * them; all else compares exactly.
 */
class StreamAofRedisTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> KEYS = List.of("jobs", "log", "empty");

  private static void work(RespConnection c) {
    for (int i = 0; i < 12; i++) c.call("XADD", "jobs", "*", "n", Integer.toString(i));
    c.call("XADD", "jobs", "MAXLEN", "~", "6", "*", "n", "last");
    c.call("XGROUP", "CREATE", "jobs", "g", "0");
    c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "jobs", ">");
    c.call("XREADGROUP", "GROUP", "g", "bob", "NOACK", "COUNT", "2", "STREAMS", "jobs", ">");
    RespReply pending = c.call("XPENDING", "jobs", "g", "-", "+", "10");
    c.call("XACK", "jobs", "g", pending.get(0).get(0).text());
    c.call("XCLAIM", "jobs", "g", "carol", "0", pending.get(1).get(0).text(), "RETRYCOUNT", "5");
    c.call("XGROUP", "CREATECONSUMER", "jobs", "g", "dave");
    c.call("XADD", "log", "1-1", "a", "1");
    c.call("XADD", "log", "2-1", "b", "2");
    c.call("XDEL", "log", "2-1");
    c.call("XSETID", "log", "5-0", "ENTRIESADDED", "9", "MAXDELETEDID", "3-0");
    c.call("XGROUP", "CREATE", "empty", "g", "$", "MKSTREAM");
  }

  private static void assertSame(RespConnection expected, RespConnection actual, String when) {
    for (String key : KEYS) {
      for (String[] read : List.of(new String[] {"XINFO", "STREAM", key, "FULL"}, new String[] {"XRANGE", key, "-", "+"},
          new String[] {"XINFO", "GROUPS", key})) {
        RespReply e = expected.call(read);
        RespReply a = actual.call(read);
        assertEquals(null, StreamScripts.TIMES.mismatch(e, a), when + ", " + String.join(" ", read) + ": written "
            + e.escaped(2000) + ", loaded " + a.escaped(2000));
      }
    }
  }

  /** A copy of the node's appendonlydir, loaded by a redis-server of its own, compared with the node. */
  private static void loadInRedis(Path nodeDir, RespConnection node, String when) {
    Path copy = appendOnlyDirCopy(nodeDir);
    try (RedisServerFixture redis = RedisServerFixture.start(false, loading(copy)); RespConnection r = redis.connect()) {
      assertSame(node, r, when);
    } finally {
      TempDirs.delete(copy);
    }
  }

  /** A copy of redis-server's appendonlydir, loaded by a node of its own, compared with redis-server. */
  private static void loadInNode(Path redisDir, RespConnection redis, String when) {
    Path copy = appendOnlyDirCopy(redisDir);
    try (NodeFixture node = NodeFixture.startAsync(false, loading(copy)).join(); RespConnection n = node.connect()) {
      assertSame(redis, n, when);
    } finally {
      TempDirs.delete(copy);
    }
  }

  private static Map<String, String> loading(Path dir) {
    return Map.of("dir", dir.toString(), "appendonly", "yes", "aof-use-rdb-preamble", "no",
        "stream-node-max-entries", "4");
  }

  /** A new directory holding a copy of {@code dir}'s appendonlydir. */
  private static Path appendOnlyDirCopy(Path dir) {
    Path copy = TempDirs.create("stream-aof-copy-");
    try {
      Path to = Files.createDirectories(copy.resolve("appendonlydir"));
      try (var files = Files.list(dir.resolve("appendonlydir"))) {
        for (Path file : files.toList()) Files.copy(file, to.resolve(file.getFileName()));
      }
      return copy;
    } catch (IOException e) {
      TempDirs.delete(copy);
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theNodesAofLoadsInRedisServerBeforeAndAfterARewrite() {
    Path dir = TempDirs.create("stream-aof-");
    // Small nodes on both, so that the streams' nodes (XINFO's radix tree figures) come out the same.
    Map<String, String> aof = Map.of("dir", dir.toString(), "appendonly", "yes", "aof-use-rdb-preamble", "no",
        "appendfsync", "always", "stream-node-max-entries", "4");
    try (NodeFixture node = NodeFixture.startAsync(false, aof).join(); RespConnection c = node.connect()) {
      Await.until("the first rewrite is done", TIMEOUT,
          () -> c.infoField("persistence", "aof_rewrite_in_progress").equals("0"));
      work(c);
      loadInRedis(dir, c, "the commands as propagated");
      assertFalse(c.call("BGREWRITEAOF").isError());
      Await.until("the rewrite is done", TIMEOUT,
          () -> c.infoField("persistence", "aof_rewrite_in_progress").equals("0")
              && c.infoField("persistence", "aof_rewrite_scheduled").equals("0"));
      loadInRedis(dir, c, "the rewrite's form");
    } finally {
      TempDirs.delete(dir);
    }
  }

  @Test
  void redisServersAofLoadsInTheNodeBeforeAndAfterARewrite() {
    Path dir = TempDirs.create("stream-aof-redis-");
    Map<String, String> aof = Map.of("dir", dir.toString(), "appendonly", "yes", "aof-use-rdb-preamble", "no",
        "appendfsync", "always", "stream-node-max-entries", "4");
    try (RedisServerFixture redis = RedisServerFixture.start(false, aof); RespConnection r = redis.connect()) {
      work(r);
      loadInNode(dir, r, "redis-server's commands as propagated");
      assertFalse(r.call("BGREWRITEAOF").isError());
      Await.until("redis-server's rewrite is done", TIMEOUT,
          () -> r.infoField("persistence", "aof_rewrite_in_progress").equals("0")
              && r.infoField("persistence", "aof_rewrite_scheduled").equals("0"));
      loadInNode(dir, r, "redis-server's rewrite");
    } finally {
      TempDirs.delete(dir);
    }
  }
}
