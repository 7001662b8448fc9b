package org.akkaredis.it;

import java.util.Map;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** A test class's standalone node beside a real redis-server, both with DEBUG enabled, for the whole class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NodeBesideRedisDebug {
  static final Map<String, String> DEBUG = Map.of("enable-debug-command", "yes");

  private Servers.NodeAndRedis servers;
  RedisServerFixture redis;
  RedisEndpoint node;

  @BeforeAll
  void start() {
    servers = Servers.nodeAndRedis(false, DEBUG);
    redis = servers.redis();
    node = servers.node();
  }

  @AfterAll
  void stop() {
    if (servers != null) servers.close();
  }
}
