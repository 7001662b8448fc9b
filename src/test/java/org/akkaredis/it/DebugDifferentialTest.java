package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.Comparison;
import org.akkaredis.it.support.DifferentialRunner;
import org.akkaredis.it.support.DifferentialRunner.Mismatch;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.Script;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.Test;

/**
 * DEBUG against a real redis-server 7.0 with enable-debug-command yes: the same data written into both must give
 * the same DEBUG DIGEST and DEBUG DIGEST-VALUE (every type, every encoding, with and without TTL, in several
 * databases), and the other subcommands the same replies.
 */
class DebugDifferentialTest extends NodeBesideRedisDebug {
  private void check(Script script) {
    List<Mismatch> mismatches = new DifferentialRunner(redis, node).run(script, false);
    if (mismatches.isEmpty()) return;
    fail(mismatches.get(0).describe() + "\n" + mismatches.stream().skip(1).limit(10)
        .map(m -> "  step " + m.step() + ": " + m.command().display() + " expected " + m.expected() + " got "
            + m.actual())
        .collect(Collectors.joining("\n")));
  }

  private static final String[] KEYS = {"s", "n", "big", "l", "li", "si", "si64", "ss", "zl", "zs", "hl", "hs",
      "missing"};

  /** DIGEST and DIGEST-VALUE of every key, after each step that writes data. */
  private static Script digests(Script script) {
    script.cmd("debug", "digest");
    String[] args = new String[KEYS.length + 2];
    args[0] = "debug";
    args[1] = "digest-value";
    System.arraycopy(KEYS, 0, args, 2, KEYS.length);
    return script.cmd(args);
  }

  @Test
  void digestsOfEveryTypeAndEncodingAreRedisOnes() {
    Script script = new Script("digests");
    digests(script);
    script.cmd("set", "s", "hello").cmd("set", "n", "12345").cmd("set", "big", "x".repeat(100))
        .cmd("append", "s", " world");
    digests(script);
    script.cmd("rpush", "l", "a", "b", "c", "1", "-7", "3.5").cmd("lpush", "li", "z", "y")
        .cmd("sadd", "si", "1", "2", "3", "-100").cmd("sadd", "si64", "1", "99999999999")
        .cmd("sadd", "ss", "a", "b", "c", "10")
        .cmd("zadd", "zl", "1", "a", "1.1", "b", "-0.1", "c", "inf", "d", "1e300", "e", "2", "12")
        .cmd("hset", "hl", "f", "v", "n", "1", "3", "4");
    digests(script);
    // Big enough for hashtable / skiplist: the digest must not change with the encoding.
    String[] zadd = new String[2 + 2 * 200];
    zadd[0] = "zadd";
    zadd[1] = "zs";
    String[] hset = new String[2 + 2 * 200];
    hset[0] = "hset";
    hset[1] = "hs";
    for (int i = 0; i < 200; i++) {
      zadd[2 + 2 * i] = Double.toString(i / 3.0);
      zadd[3 + 2 * i] = "m" + i;
      hset[2 + 2 * i] = "field" + i;
      hset[3 + 2 * i] = "value" + i;
    }
    script.cmd(zadd).cmd(hset).cmd("object", "encoding", "zs").cmd("object", "encoding", "hs")
        .cmd(IntStream.range(0, 600).mapToObj(i -> i == 0 ? "sadd" : i == 1 ? "si" : Integer.toString(i))
            .toArray(String[]::new))
        .cmd("object", "encoding", "si");
    digests(script);
    // TTLs count, their values do not.
    script.cmd("expire", "s", "1000").cmd("pexpire", "l", "5000000").cmd("expire", "zs", "99999");
    digests(script);
    script.cmd("persist", "s");
    digests(script);
    // Saved, emptied and loaded again: the same data, the same encodings.
    script.cmd("debug", "reload");
    digests(script);
    script.cmd(Comparison.fields(':', java.util.Set.of("rdb_changes_since_last_save"),
        "only the changes since the last save are compared"), "info", "persistence");
    for (String key : KEYS) script.cmd("object", "encoding", key);
    script.cmd("debug", "reload", "nosave").cmd("debug", "reload", "x").cmd("dbsize");
    // Other databases are mixed in by number.
    script.cmd("select", "3").cmd("set", "s", "in three").cmd("rpush", "l", "x");
    digests(script);
    script.cmd("select", "0").cmd("del", "s", "n", "big", "l", "li", "si", "si64", "ss", "zl", "zs", "hl", "hs");
    digests(script);
    script.cmd("flushall");
    digests(script);
    check(script);
  }

  @Test
  void otherSubcommandsAnswerAsRedis() {
    Script script = new Script("debug subcommands");
    script.cmd("debug", "digest", "x").cmd("debug", "nosuch").cmd("debug", "object", "nokey")
        .cmd("debug", "object").cmd("debug", "populate").cmd("debug", "populate", "x")
        .cmd("debug", "populate", "-1").cmd("debug", "populate", "3", "k", "-1")
        .cmd("debug", "populate", "3", "k", "5", "6")
        .cmd("set", "key:1", "mine").cmd("debug", "populate", "4").cmd("mget", "key:0", "key:1", "key:2", "key:3")
        .cmd("debug", "populate", "3", "p", "10").cmd("get", "p:1").cmd("debug", "populate", "2", "q", "3")
        .cmd("get", "q:0").cmd("dbsize").cmd("debug", "digest")
        .cmd("debug", "set-active-expire", "0").cmd("debug", "set-active-expire", "1")
        .cmd("debug", "set-active-expire").cmd("debug", "quicklist-packed-threshold", "0")
        .cmd("debug", "quicklist-packed-threshold", "1gb").cmd("debug", "quicklist-packed-threshold", "5gb")
        .cmd("debug", "quicklist-packed-threshold", "x").cmd("debug", "quicklist-packed-threshold", "-1")
        .cmd("debug", "set-disable-deny-scripts", "0").cmd("debug", "stringmatch-len", "a", "b")
        .cmd("debug", "protocol").cmd("debug", "protocol", "nosuch")
        .cmd("debug", "sleep", "0").cmd("debug", "drop-cluster-packet-filter", "1")
        .cmd("debug", "drop-cluster-packet-filter", "x").cmd("debug", "drop-cluster-packet-filter", "-1")
        .cmd("debug", "drop-cluster-packet-filter").cmd("debug", "error", "foo bar").cmd("debug", "error", "")
        .cmd("debug", "error", "WRONGTYPE x\r\ny").cmd("debug", "log", "differential").cmd("debug", "log");
    for (String type : List.of("string", "integer", "double", "bignum", "null", "array", "set", "map", "attrib",
        "push", "verbatim", "true", "false")) {
      script.cmd("debug", "protocol", type);
    }
    script.cmd(Comparison.sameType("HELLO names each server's own client id and version"), "hello", "3");
    for (String type : List.of("string", "integer", "double", "bignum", "null", "array", "set", "map", "attrib",
        "verbatim", "true", "false")) {
      script.cmd("debug", "protocol", type);
    }
    check(script);
  }

  @Test
  void loadAofLoadsWhatTheAppendOnlyFileHolds() {
    Map<String, String> aof = Map.of("enable-debug-command", "yes", "appendonly", "yes");
    CompletableFuture<RedisEndpoint> starting = Servers.start(false, aof);
    RedisServerFixture aofRedis = null;
    RedisEndpoint aofNode = null;
    try {
      aofRedis = RedisServerFixture.start(false, aof);
      aofNode = Servers.await(starting);
      Script script = new Script("loadaof");
      script.cmd("rpush", "l", "a", "b").cmd("sadd", "si", "1", "2").cmd("hset", "hl", "f", "v")
          .cmd("multi").cmd("set", "s", "x").cmd("zadd", "zl", "1.5", "m").cmd("exec")
          .cmd("expire", "l", "10000").cmd("select", "2").cmd("set", "s", "two").cmd("select", "0");
      digests(script);
      script.cmd("debug", "loadaof");
      digests(script);
      script.cmd("dbsize");
      List<Mismatch> mismatches = new DifferentialRunner(aofRedis, aofNode).run(script, false);
      if (!mismatches.isEmpty()) fail(mismatches.get(0).describe());
    } finally {
      if (aofRedis != null) aofRedis.close();
      if (aofNode != null) aofNode.close();
      else starting.thenAccept(RedisEndpoint::close);
    }
  }

  /**
   * With appendonly no, BGREWRITEAOF still writes a BASE (and a manifest naming it alone), and DEBUG LOADAOF loads
   * it: what was written after the rewrite is gone, on both servers.
   */
  @Test
  void withTheAofOffARewriteStillMakesTheBaseThatLoadAofLoads() {
    for (RedisEndpoint server : List.of(redis, node)) {
      try (RespConnection c = server.connect()) {
        c.call("FLUSHALL");
        c.call("SET", "before", "1");
        c.call("SELECT", "3");
        c.call("RPUSH", "list", "a", "b");
        assertEquals("Background append only file rewriting started",
            c.call("BGREWRITEAOF").text(), server.describe());
        // redis-server rewrites in a child; the node has written the BASE before it answers.
        Await.until("the rewrite of " + server.describe(), Duration.ofSeconds(10),
            () -> c.call("INFO", "persistence").text().contains("aof_rewrite_in_progress:0"));
        c.call("SET", "after", "2");
        assertEquals("OK", c.call("DEBUG", "LOADAOF").text(), server.describe());
        assertEquals(0, c.call("EXISTS", "after").integer(), server.describe());
        assertEquals(2, c.call("LLEN", "list").integer(), server.describe());
        c.call("SELECT", "0");
        assertEquals("1", c.call("GET", "before").text(), server.describe());
        assertTrue(c.call("INFO", "persistence").text().contains("aof_enabled:0"), server.describe());
        c.call("FLUSHALL");
      }
    }
  }

  @Test
  void inClusterModeTheBusFilterDigestsAndReloadAreRedisOnes() {
    CompletableFuture<RedisEndpoint> starting = Servers.start(true, DEBUG);
    RedisServerFixture clusterRedis = null;
    RedisEndpoint clusterNode = null;
    try {
      clusterRedis = RedisServerFixture.start(true, DEBUG);
      clusterNode = Servers.await(starting);
      clusterRedis.assignAllSlots();
      clusterNode.assignAllSlots();
      clusterRedis.awaitClusterStateOk();
      clusterNode.awaitClusterStateOk();
      // The node's OK comes once its bus endpoint has the filter: a reply at all shows the way there works.
      Script script = new Script("drop-cluster-packet-filter");
      script.cmd("debug", "drop-cluster-packet-filter", "1").cmd("debug", "drop-cluster-packet-filter", "10")
          .cmd("debug", "drop-cluster-packet-filter", "-1").cmd("debug", "drop-cluster-packet-filter", "1.5");
      // In cluster mode too, digests and a reload are Redis's (one database, keys of every slot).
      script.cmd("rpush", "{a}l", "x", "y").cmd("sadd", "{b}s", "1", "2").cmd("set", "{c}s", "v", "ex", "1000")
          .cmd("debug", "digest").cmd("debug", "reload").cmd("debug", "digest").cmd("dbsize")
          .cmd("debug", "digest-value", "{a}l", "{b}s", "{c}s");
      List<Mismatch> mismatches = new DifferentialRunner(clusterRedis, clusterNode).run(script, false);
      if (!mismatches.isEmpty()) fail(mismatches.get(0).describe());
    } finally {
      if (clusterRedis != null) clusterRedis.close();
      if (clusterNode != null) clusterNode.close();
      else starting.thenAccept(RedisEndpoint::close);
    }
  }
}
