package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.Test;

/**
 * MIGRATE's cached connections, on a node of its own so that INFO's migrate_cached_sockets counts this test's only:
 * a second MIGRATE to the same host:port reuses the connection (the target sees no new one), a connection the target
 * closed is replaced on the fly (Redis's one retry), another name is another connection.
 */
class MigrateCacheTest {
  private static long connectionsReceived(RespConnection target) {
    return Long.parseLong(target.infoField("stats", "total_connections_received"));
  }

  private static String cached(RespConnection c) {
    return c.infoField("stats", "migrate_cached_sockets");
  }

  @Test
  void aSecondMigrateReusesTheConnection() {
    try (Servers.NodeAndRedis servers = Servers.nodeAndRedis(false, Map.of());
        RespConnection source = servers.node().connect(); RespConnection target = servers.redis().connect()) {
      RedisServerFixture redis = servers.redis();
      String port = Integer.toString(redis.port());
      assertEquals("0", cached(source));
      source.call("MSET", "a", "1", "b", "2", "c", "3", "d", "4");
      assertEquals("OK", source.call("MIGRATE", "127.0.0.1", port, "a", "0", "5000").text());
      assertEquals("1", cached(source));
      long connections = connectionsReceived(target);
      assertEquals("OK", source.call("MIGRATE", "127.0.0.1", port, "b", "0", "5000").text());
      assertEquals(connections, connectionsReceived(target), "no new connection for the second MIGRATE");
      assertEquals("1", cached(source));

      // The target closes it (as its timeout would): the next MIGRATE reconnects and succeeds.
      String migrateClient = target.call("CLIENT", "LIST").text().lines()
          .filter(line -> line.contains("cmd=restore")).findFirst().orElseThrow();
      String id = migrateClient.substring(3, migrateClient.indexOf(' '));
      assertEquals(1, target.call("CLIENT", "KILL", "ID", id).integer());
      assertEquals("OK", source.call("MIGRATE", "127.0.0.1", port, "c", "0", "5000").text());
      assertEquals(connections + 1, connectionsReceived(target));
      assertEquals("1", cached(source));

      // Another name for the same server is another cached connection, as in Redis ("host:port" as given).
      assertEquals("OK", source.call("MIGRATE", "localhost", port, "d", "0", "5000").text());
      assertEquals("2", cached(source));
      assertEquals(java.util.List.of("1", "2", "3", "4"), target.call("MGET", "a", "b", "c", "d").texts());
    }
  }

  /** The oracle: redis-server counts its cached sockets the same way. */
  @Test
  void redisServerCountsAlike() {
    try (RedisServerFixture source = RedisServerFixture.standalone();
        RedisServerFixture target = RedisServerFixture.standalone(); RespConnection s = source.connect()) {
      String port = Integer.toString(target.port());
      s.call("MSET", "a", "1", "b", "2");
      s.call("MIGRATE", "127.0.0.1", port, "a", "0", "5000");
      s.call("MIGRATE", "127.0.0.1", port, "b", "0", "5000");
      assertEquals("1", cached(s));
      s.call("SET", "c", "3");
      s.call("MIGRATE", "localhost", port, "c", "0", "5000");
      assertEquals("2", cached(s));
    }
  }
}
