package org.akkaredis.it.support;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Starts the server a suite tests: our node, or with {@code -Dit.server=redis-server} a real redis-server
 * with the same settings. The second is a check of the tests themselves: every suite must pass against the
 * real thing.
 */
public final class Servers {
  /** Whether this run checks the tests against redis-server instead of testing the node. */
  public static final boolean AGAINST_REDIS = "redis-server".equals(System.getProperty("it.server"));

  private Servers() {}

  /** A standalone server; {@code settings} as on the command line, names without "--". */
  public static RedisEndpoint standalone(Map<String, String> settings) {
    return await(start(false, settings));
  }

  /** The started server, failing with the start's own error rather than a CompletionException around it. */
  public static RedisEndpoint await(CompletableFuture<RedisEndpoint> starting) {
    try {
      return starting.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof Error error) throw error;
      if (e.getCause() instanceof RuntimeException runtime) throw runtime;
      throw e;
    }
  }

  /** A standalone server and a one-node cluster that serves every slot with cluster_state:ok. */
  public record StandaloneAndCluster(RedisEndpoint standalone, RedisEndpoint cluster) {}

  /** Starts both side by side; when one fails, the other is stopped before the failure is thrown. */
  public static StandaloneAndCluster standaloneAndCluster() {
    CompletableFuture<RedisEndpoint> clusterStarting = start(true, Map.of());
    RedisEndpoint standalone;
    try {
      standalone = standalone(Map.of());
    } catch (RuntimeException | Error e) {
      clusterStarting.thenAccept(RedisEndpoint::close);
      throw e;
    }
    RedisEndpoint cluster;
    try {
      cluster = await(clusterStarting);
      cluster.assignAllSlots();
      cluster.awaitClusterStateOk();
    } catch (RuntimeException | Error e) {
      standalone.close();
      clusterStarting.thenAccept(RedisEndpoint::close);
      throw e;
    }
    return new StandaloneAndCluster(standalone, cluster);
  }

  /** The node (or, with -Dit.server=redis-server, a second redis-server) beside a real redis-server to compare with. */
  public record NodeAndRedis(RedisEndpoint node, RedisServerFixture redis) implements AutoCloseable {
    @Override public void close() {
      try {
        redis.close();
      } finally {
        node.close();
      }
    }
  }

  /** Starts both side by side with the same settings; when one fails, the other is stopped before it is thrown. */
  public static NodeAndRedis nodeAndRedis(boolean cluster, Map<String, String> settings) {
    CompletableFuture<RedisEndpoint> starting = start(cluster, settings);
    RedisServerFixture redis;
    try {
      redis = RedisServerFixture.start(cluster, settings);
    } catch (RuntimeException | Error e) {
      starting.thenAccept(RedisEndpoint::close);
      throw e;
    }
    try {
      return new NodeAndRedis(await(starting), redis);
    } catch (RuntimeException | Error e) {
      redis.close();
      throw e;
    }
  }

  /** As {@link #nodeAndRedis}; in cluster mode each then owns every slot and reports cluster_state:ok. */
  public static NodeAndRedis nodeAndRedisServingAllSlots(boolean cluster, Map<String, String> settings) {
    NodeAndRedis servers = nodeAndRedis(cluster, settings);
    if (cluster) {
      try {
        servers.redis().assignAllSlots();
        servers.node().assignAllSlots();
        servers.redis().awaitClusterStateOk();
        servers.node().awaitClusterStateOk();
      } catch (RuntimeException | Error e) {
        servers.close();
        throw e;
      }
    }
    return servers;
  }

  /** Starts without waiting, so that a suite can start several servers at once. */
  public static CompletableFuture<RedisEndpoint> start(boolean cluster, Map<String, String> settings) {
    if (AGAINST_REDIS) {
      return CompletableFuture.supplyAsync(() -> RedisServerFixture.start(cluster, settings), runnable -> {
        Thread thread = new Thread(runnable, "redis-server-start");
        thread.setDaemon(true);
        thread.start();
      });
    }
    return NodeFixture.startAsync(cluster, settings).thenApply(node -> node);
  }
}
