package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.Processes;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.TempDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bitmaps and HyperLogLogs through the RDB and the AOF, both ways between redis-server 7.0 and the node: the
 * loaded values are the same bytes (the HLL header's cached cardinality included) and count the same.
 */
class BitsPersistenceTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<String> KEYS = List.of("{p}sparse", "{p}dense", "{p}merged", "{p}bits", "{p}fields");
  private Path dir;

  @BeforeEach
  void createDir() {
    dir = TempDirs.create("bits-persistence-");
  }

  @AfterEach
  void deleteDir() {
    TempDirs.delete(dir);
  }

  private static void createDirectory(Path path) {
    try {
      java.nio.file.Files.createDirectories(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The same writes on either server: a sparse and a dense HLL (one counted, so its cache is valid), bitmaps. */
  private static void fill(RespConnection c) {
    List<String> sparse = new ArrayList<>(List.of("PFADD", "{p}sparse"));
    List<String> dense = new ArrayList<>(List.of("PFADD", "{p}dense"));
    for (int i = 0; i < 200; i++) sparse.add("s" + i);
    for (int i = 0; i < 5000; i++) dense.add("d" + i);
    c.call(sparse.toArray(String[]::new));
    c.call(dense.toArray(String[]::new));
    c.call("PFCOUNT", "{p}sparse");
    c.call("PFMERGE", "{p}merged", "{p}sparse", "{p}dense");
    c.call("SETBIT", "{p}bits", "100000", "1");
    c.call("SETBIT", "{p}bits", "3", "1");
    c.call("BITFIELD", "{p}fields", "SET", "i16", "#7", "-300", "INCRBY", "u5", "3", "40");
  }

  /** The values' bytes, then their counts (which cache the cardinality where it was stale, on both sides). */
  private static void assertSameValues(RespConnection expected, RespConnection actual) {
    for (String key : KEYS) {
      assertArrayEquals(expected.call("GET", key).bytes(), actual.call("GET", key).bytes(), key);
      if (!key.contains("bits") && !key.contains("fields")) {
        assertEquals(expected.call("PFCOUNT", key).integer(), actual.call("PFCOUNT", key).integer(), key);
      }
    }
  }

  @Test
  void aDumpRedisWroteLoadsInTheNodeAndTheNodesLoadsInRedis() {
    try (RedisServerFixture redis = RedisServerFixture.start(false, Map.of("dir", dir.toString()));
        RespConnection r = redis.connect()) {
      fill(r);
      assertEquals("OK", r.call("SAVE").text());
      try (NodeFixture node = NodeFixture.startAsync(false, Map.of("dir", dir.toString())).join();
          RespConnection n = node.connect()) {
        assertSameValues(r, n);
      }
    }
    Path nodeDir = dir.resolve("node");
    createDirectory(nodeDir);
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of("dir", nodeDir.toString())).join();
        RespConnection n = node.connect()) {
      fill(n);
      assertEquals("OK", n.call("SAVE").text());
      Processes.Result check = Processes.run(WAIT, "redis-check-rdb", nodeDir.resolve("dump.rdb").toString());
      assertEquals(0, check.exitCode(), check.describe());
      try (RedisServerFixture redis = RedisServerFixture.start(false, Map.of("dir", nodeDir.toString()));
          RespConnection r = redis.connect()) {
        assertSameValues(n, r);
      }
    }
  }

  @Test
  void anAofRedisWroteReplaysInTheNodeAsItsOwnDoes() {
    Path redisDir = dir.resolve("redis");
    createDirectory(redisDir);
    try (NodeFixture reference = NodeFixture.startAsync(false, Map.of()).join();
        RespConnection expected = reference.connect()) {
      fill(expected);
      expected.call("PFCOUNT", "{p}merged");
      try (RedisServerFixture redis = RedisServerFixture.start(false,
          Map.of("dir", redisDir.toString(), "appendonly", "yes", "appendfsync", "always"));
          RespConnection r = redis.connect()) {
        fill(r);
        r.call("PFCOUNT", "{p}merged");
        assertSameValues(r, expected);
      }
      try (NodeFixture node = NodeFixture.startAsync(false,
          Map.of("dir", redisDir.toString(), "appendonly", "yes")).join();
          RespConnection n = node.connect()) {
        assertSameValues(expected, n);
      }
      Path nodeDir = dir.resolve("node-aof");
      createDirectory(nodeDir);
      try (NodeFixture node = NodeFixture.startAsync(false,
          Map.of("dir", nodeDir.toString(), "appendonly", "yes", "appendfsync", "always")).join();
          RespConnection n = node.connect()) {
        fill(n);
        n.call("PFCOUNT", "{p}merged");
        // As assertSameValues did on the reference: each cardinality cached, which the AOF records too.
        for (String key : List.of("{p}sparse", "{p}dense", "{p}merged")) n.call("PFCOUNT", key);
      }
      try (NodeFixture node = NodeFixture.startAsync(false, Map.of("dir", nodeDir.toString(), "appendonly", "yes"))
          .join(); RespConnection n = node.connect()) {
        assertSameValues(expected, n);
      }
    }
  }
}
