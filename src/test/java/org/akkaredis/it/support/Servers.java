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
