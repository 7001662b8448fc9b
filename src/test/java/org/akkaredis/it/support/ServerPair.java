package org.akkaredis.it.support;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The node and a real redis-server side by side, in one mode, for the life of a test class (in cluster mode each
 * owning every slot): the base of the differential tests' nested Standalone and Cluster classes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServerPair {
  private final boolean cluster;
  private Servers.NodeAndRedis servers;
  protected RedisServerFixture redis;
  protected RedisEndpoint node;

  protected ServerPair(boolean cluster) {
    this.cluster = cluster;
  }

  @BeforeAll
  protected void startServers() {
    servers = Servers.nodeAndRedisServingAllSlots(cluster, Map.of());
    redis = servers.redis();
    node = servers.node();
  }

  @AfterAll
  protected void stopServers() {
    if (servers != null) servers.close();
  }
}
