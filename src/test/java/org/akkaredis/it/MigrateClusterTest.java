package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * MIGRATE in cluster mode: from a one-node cluster that owns every slot to another such node (which takes SELECT 0
 * and RESTORE-ASKING for a slot it owns) and to a redis-server; the keys of one MIGRATE must share a slot
 * (CROSSSLOT), as redis-server in cluster mode answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrateClusterTest {
  private RedisEndpoint source;
  private RedisEndpoint targetNode;
  private RedisServerFixture redisCluster;
  private RedisServerFixture redisTarget;

  @BeforeAll
  void start() {
    CompletableFuture<NodeFixture> first = NodeFixture.startAsync(true, Map.of());
    CompletableFuture<NodeFixture> second = NodeFixture.startAsync(true, Map.of());
    redisCluster = RedisServerFixture.cluster();
    redisTarget = RedisServerFixture.standalone();
    source = first.join();
    targetNode = second.join();
    for (RedisEndpoint cluster : List.of(source, targetNode, redisCluster)) {
      cluster.assignAllSlots();
      cluster.awaitClusterStateOk();
    }
  }

  @AfterAll
  void stop() {
    for (AutoCloseable server : new AutoCloseable[] {source, targetNode, redisCluster, redisTarget}) {
      try {
        if (server != null) server.close();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void movesKeysOfOneSlotToANodeAndToRedisServer() {
    for (RedisEndpoint target : List.of(targetNode, redisTarget)) {
      try (RespConnection s = source.connect(); RespConnection t = target.connect()) {
        s.call("SET", "{tag}a", "1");
        s.call("RPUSH", "{tag}b", "x", "y");
        t.call("DEL", "{tag}a", "{tag}b");
        assertEquals("OK", s.call("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "", "0", "5000", "KEYS",
            "{tag}a", "{tag}b").text(), target.describe());
        assertEquals("1", t.call("GET", "{tag}a").text());
        assertEquals(List.of("x", "y"), t.call("LRANGE", "{tag}b", "0", "-1").texts());
        assertEquals(0, s.call("EXISTS", "{tag}a", "{tag}b").integer());
      }
    }
  }

  /** A node that does not serve the slot answers as redis-server does, before it looks at the arguments. */
  @Test
  void aSlotNotServedHereIsRefusedAsInRedis() {
    try (NodeFixture unassigned = NodeFixture.startAsync(true, Map.of()).join();
        RedisServerFixture redisUnassigned = RedisServerFixture.cluster();
        RespConnection n = unassigned.connect(); RespConnection r = redisUnassigned.connect()) {
      for (String[] command : List.of(
          new String[] {"MIGRATE", "127.0.0.1", Integer.toString(redisTarget.port()), "k", "0", "5000"},
          new String[] {"MIGRATE", "127.0.0.1", Integer.toString(redisTarget.port()), "k", "0", "5000", "BAD"})) {
        assertEquals(r.call(command).escaped(200), n.call(command).escaped(200), String.join(" ", command));
      }
    }
  }

  @Test
  void keysOfSeveralSlotsAreCrossSlotAsInRedis() {
    try (RespConnection s = source.connect(); RespConnection r = redisCluster.connect()) {
      String[] command = {"MIGRATE", "127.0.0.1", Integer.toString(redisTarget.port()), "", "0", "5000", "KEYS", "a",
          "b"};
      for (RespConnection c : List.of(s, r)) c.call("SET", "a", "1");
      assertEquals(r.call(command).escaped(200), s.call(command).escaped(200));
      assertEquals(1, s.call("EXISTS", "a").integer());
    }
  }
}
