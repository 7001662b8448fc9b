package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.TempDirs;
import org.junit.jupiter.api.Test;

/**
 * maxmemory on a live node, as redis-server 7.0 enforces it: filled with several times the limit under each
 * policy, the dataset estimate (used_memory) stays under the limit plus one write, volatile-* evicts only keys
 * with a TTL and refuses writes with -OOM once none is left, noeviction refuses writes (EXEC of writes with
 * EXECABORT) while reads and deletions go on, and every eviction reaches the AOF as a DEL.
 */
class MaxmemoryTest {
  private static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
  private static final int VALUE_BYTES = 1000;
  /** One write's worth: the limit may be passed by the write that crosses it, as in Redis. */
  private static final long MARGIN = 4096;

  private static long used(RespConnection c) {
    return Long.parseLong(c.infoField("memory", "used_memory"));
  }

  /** Sets maxmemory to what is used now plus {@code room}; returns the limit. */
  private static long limitToUsedPlus(RespConnection c, long room, String policy) {
    long limit = used(c) + room;
    assertEquals("OK", c.call("CONFIG", "SET", "maxmemory", Long.toString(limit), "maxmemory-policy", policy).text());
    return limit;
  }

  @Test
  void everyPolicyKeepsTheDatasetUnderTheLimitWhileFilledFarPastIt() {
    String value = "v".repeat(VALUE_BYTES);
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of()).join(); RespConnection c = node.connect()) {
      for (String policy : List.of("allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu",
          "volatile-random", "volatile-ttl")) {
        assertEquals("OK", c.call("FLUSHALL").text());
        assertEquals("OK", c.call("CONFIG", "SET", "maxmemory", "0").text());
        boolean volatileOnly = policy.startsWith("volatile");
        // Keys without a TTL, which volatile-* must leave alone.
        for (int i = 0; i < 100; i++) c.call("SET", "keep:" + i, value);
        long limit = limitToUsedPlus(c, 512 * 1024, policy);
        long evictedBefore = Long.parseLong(c.infoField("stats", "evicted_keys"));
        // About ten times the room: 5 MB of keys with a TTL.
        for (int i = 0; i < 5_000; i++) {
          RespReply reply = c.call("SET", "fill:" + i, value, "EX", "100000");
          assertEquals("OK", reply.text(), policy + ": write " + i);
          if (i % 250 == 0) assertTrue(used(c) <= limit + MARGIN, policy + ": " + used(c) + " > " + limit);
        }
        assertTrue(used(c) <= limit + MARGIN, policy);
        long evicted = Long.parseLong(c.infoField("stats", "evicted_keys")) - evictedBefore;
        long keys = c.call("DBSIZE").integer();
        assertTrue(evicted >= 4000, policy + ": evicted " + evicted);
        assertEquals(5_100, keys + evicted, policy + ": every key is stored or was evicted");
        if (volatileOnly) {
          for (int i = 0; i < 100; i++) assertEquals(1, c.call("EXISTS", "keep:" + i).integer(), policy);
        }
        assertEquals(policy, c.infoField("memory", "maxmemory_policy"));
      }
    }
  }

  @Test
  void volatilePoliciesRefuseWritesOnceNoKeyWithATtlIsLeft() {
    String value = "v".repeat(VALUE_BYTES);
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of()).join(); RespConnection c = node.connect()) {
      limitToUsedPlus(c, 512 * 1024, "volatile-lru");
      String refusal = null;
      int written = 0;
      for (int i = 0; i < 5000 && refusal == null; i++) {
        RespReply reply = c.call("SET", "plain:" + i, value);
        if (reply.isError()) refusal = reply.text();
        else written++;
      }
      assertEquals(OOM, refusal, "nothing to evict: refused");
      assertEquals(written, c.call("DBSIZE").integer(), "nothing was evicted");
      assertEquals(OOM, c.call("SET", "ttl", "x", "EX", "1000").text(), "refused before it could add a TTL");
      // A key given a TTL (EXPIRE is not denyoom) can go: writes are accepted, and that key is evicted.
      assertEquals(1, c.call("EXPIRE", "plain:1", "1000").integer());
      assertEquals("OK", c.call("SET", "small", "x").text());
      Await.until("plain:1 evicted", Duration.ofSeconds(20), () -> c.call("EXISTS", "plain:1").integer() == 0);
      assertEquals("1", c.infoField("stats", "evicted_keys"));
      assertEquals(OOM, c.call("SET", "more", value).text());
    }
  }

  @Test
  void noevictionRefusesWritesButServesReadsAndDeletions() {
    String value = "v".repeat(VALUE_BYTES);
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of()).join(); RespConnection c = node.connect()) {
      long limit = limitToUsedPlus(c, 256 * 1024, "noeviction");
      int written = 0;
      RespReply refused = null;
      for (int i = 0; i < 5000; i++) {
        RespReply reply = c.call("SET", "k:" + i, value);
        if (reply.isError()) {
          refused = reply;
          break;
        }
        written++;
      }
      assertTrue(refused != null && written > 100, "written " + written);
      assertEquals(OOM, refused.text());
      assertTrue(used(c) <= limit + MARGIN);
      assertEquals(OOM, c.call("LPUSH", "list", "x").text());
      assertEquals(value, c.call("GET", "k:0").text(), "reads are served");
      assertEquals("0", c.infoField("stats", "evicted_keys"));
      // Inside MULTI every command but EXEC / DISCARD is refused, and the transaction fails as Redis's.
      assertEquals("OK", c.call("MULTI").text());
      assertEquals(OOM, c.call("SET", "x", "1").text());
      assertEquals("EXECABORT Transaction discarded because of previous errors.", c.call("EXEC").text());
      assertEquals("OK", c.call("MULTI").text());
      assertEquals(OOM, c.call("GET", "x").text());
      assertEquals("OK", c.call("DISCARD").text());
      // Deleting makes room: writes are accepted again.
      for (int i = 0; i < written; i += 2) c.call("DEL", "k:" + i);
      assertEquals("OK", c.call("SET", "again", value).text());
    }
  }

  @Test
  void anExecThatQueuedAWriteIsAbortedWhenTheLimitIsReachedMeanwhile() {
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of()).join(); RespConnection c = node.connect();
        RespConnection other = node.connect()) {
      c.call("SET", "x", "value");
      c.call("MULTI");
      assertEquals("QUEUED", c.call("GET", "x").text());
      assertEquals("OK", other.call("CONFIG", "SET", "maxmemory", "1").text());
      assertEquals(List.of("value"), c.call("EXEC").texts(), "only reads: it runs");
      assertEquals("OK", other.call("CONFIG", "SET", "maxmemory", "0").text());
      c.call("MULTI");
      assertEquals("QUEUED", c.call("SET", "x", "1").text());
      c.call("GET", "x");
      assertEquals("OK", other.call("CONFIG", "SET", "maxmemory", "1").text());
      assertEquals("EXECABORT Transaction discarded because of: " + OOM, c.call("EXEC").text());
      assertEquals("OK", other.call("CONFIG", "SET", "maxmemory", "0").text());
      assertEquals("value", c.call("GET", "x").text());
    }
  }

  @Test
  void evictionsReachTheAofAsDelAndAreCounted() {
    Path dir = TempDirs.create("akka-redis-maxmemory-");
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of("dir", dir.toString(), "appendonly", "yes",
        "appendfsync", "always")).join(); RespConnection c = node.connect()) {
      c.call("SET", "asdf1", "1");
      c.call("SET", "asdf2", "2");
      c.call("SET", "asdf3", "3");
      assertEquals("OK", c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru", "maxmemory", "1").text());
      // Nothing else written: the ranges evict on their periodic tick.
      Await.until("every key evicted", Duration.ofSeconds(20), () -> c.call("DBSIZE").integer() == 0);
      assertEquals("3", c.infoField("stats", "evicted_keys"));
      assertEquals(OOM, c.call("SET", "asdf4", "4").text(), "nothing left to evict");
      assertEquals("OK", c.call("CONFIG", "SET", "maxmemory", "0").text());
      assertEquals("OK", c.call("SET", "asdf4", "4").text());
      Await.until("three DELs in the AOF", Duration.ofSeconds(20), () -> aofText(dir).split("\\$3\r\nDEL\r\n", -1)
          .length - 1 == 3, () -> aofText(dir));
      String aof = aofText(dir);
      assertTrue(aof.indexOf("asdf4") > aof.lastIndexOf("DEL"), aof);
      assertFalse(aof.contains("UNLINK"));
    } finally {
      TempDirs.delete(dir);
    }
  }

  @Test
  void nothingIsEvictedWhileTheAofLoadsOnlyAfter() {
    Path dir = TempDirs.create("akka-redis-maxmemory-load-");
    String value = "v".repeat(VALUE_BYTES);
    Map<String, String> aof = Map.of("dir", dir.toString(), "appendonly", "yes");
    try {
      try (NodeFixture node = NodeFixture.startAsync(false, aof).join(); RespConnection c = node.connect()) {
        for (int i = 0; i < 1000; i++) {
          c.call("SET", "k:" + i, value);
          if (i % 20 == 0) c.call("INCR", "counter");
        }
      }
      Map<String, String> limited = new java.util.HashMap<>(aof);
      // About 200 KB over the keyspace's fixed structures (used_memory_startup, 1.1 MB with 16 databases).
      limited.put("maxmemory", "1300kb");
      limited.put("maxmemory-policy", "allkeys-random");
      try (NodeFixture node = NodeFixture.startAsync(false, limited).join(); RespConnection c = node.connect()) {
        // Nothing was evicted while loading: the counter saw every INCR, or was evicted whole after the load
        // (evicted in the middle, the INCRs after would have started it again from 1).
        RespReply counter = c.call("GET", "counter");
        assertTrue(counter.isNull() || counter.text().equals("50"), "counter " + counter);
        Await.until("evicted down to the limit", Duration.ofSeconds(20), () -> used(c) <= 1300 * 1024 + MARGIN);
      }
    } finally {
      TempDirs.delete(dir);
    }
  }

  @Test
  void memoryStatsAndInfoShowTheSameEstimate() {
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of()).join(); RespConnection c = node.connect()) {
      for (int i = 0; i < 200; i++) c.call("SET", "k:" + i, "v".repeat(100), "EX", "1000");
      c.call("SELECT", "3");
      c.call("RPUSH", "list", "a", "b", "c");
      List<RespReply> stats = c.call("MEMORY", "STATS").elements();
      Map<String, RespReply> fields = new java.util.HashMap<>();
      for (int i = 0; i < stats.size(); i += 2) fields.put(stats.get(i).text(), stats.get(i + 1));
      long total = fields.get("total.allocated").integer();
      // used_memory includes the clients' buffers, measured at each call: the connection's own query buffer may
      // differ between the two commands, the dataset does not.
      assertEquals(total, fields.get("overhead.total").integer() + fields.get("dataset.bytes").integer());
      assertTrue(total > fields.get("startup.allocated").integer() + fields.get("dataset.bytes").integer(),
          "the client's buffers count too");
      assertEquals(fields.get("clients.normal").integer(),
          total - fields.get("startup.allocated").integer() - fields.get("dataset.bytes").integer()
              - fields.get("replication.backlog").integer() - fields.get("clients.slaves").integer()
              - fields.get("aof.buffer").integer());
      assertEquals(Long.parseLong(c.infoField("memory", "used_memory_dataset")), fields.get("dataset.bytes").integer());
      assertEquals(201, fields.get("keys.count").integer());
      assertTrue(fields.containsKey("db.0") && fields.containsKey("db.3") && !fields.containsKey("db.1"));
      List<RespReply> db0 = fields.get("db.0").elements();
      assertEquals("overhead.hashtable.expires", db0.get(2).text());
      assertTrue(db0.get(3).integer() > 0, "200 keys with a TTL");
      assertTrue(c.call("MEMORY", "DOCTOR").text().startsWith("Hi Sam, this instance is empty"),
          "under 5 MB: too little to judge, as Redis says");
    }
  }

  /**
   * Redis's processCommand redirects before it refuses: a cluster node over its limit sends a key it does not
   * serve elsewhere (here CLUSTERDOWN, no slot being served) instead of answering -OOM, also inside MULTI, and
   * refuses with -OOM only the keys it serves (checked against redis-server 7.0.15).
   */
  @Test
  void aClusterRedirectionComesBeforeTheOomRefusal() {
    try (NodeFixture node = NodeFixture.startAsync(true, Map.of()).join(); RespConnection c = node.connect()) {
      assertEquals("OK", c.call("CONFIG", "SET", "maxmemory", "1").text());
      assertEquals("CLUSTERDOWN Hash slot not served", c.call("SET", "foo", "bar").text());
      assertEquals("OK", c.call("MULTI").text());
      assertEquals("CLUSTERDOWN Hash slot not served", c.call("SET", "foo", "bar").text());
      assertTrue(c.call("EXEC").text().startsWith("EXECABORT"));
      assertEquals("OK", c.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383").text());
      Await.until("cluster_state:ok", Duration.ofSeconds(20),
          () -> c.call("CLUSTER", "INFO").text().contains("cluster_state:ok"));
      assertEquals(OOM, c.call("SET", "foo", "bar").text());
    }
  }

  private static String aofText(Path dir) {
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".aof")).sorted().toList()) {
        text.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }
}
