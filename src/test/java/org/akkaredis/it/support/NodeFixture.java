package org.akkaredis.it.support;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.akkaredis.RedisNode;
import org.akkaredis.config.Settings;

/** One of our nodes running in this JVM on a free port of 127.0.0.1, in a temporary working directory. */
public final class NodeFixture implements RedisEndpoint {
  private static final long START_TIMEOUT_SECONDS = 30;
  private static final long STOP_TIMEOUT_SECONDS = 15;

  private final RedisNode node;
  private final Path dir;
  private final boolean cluster;
  private final int busPort;

  private NodeFixture(RedisNode node, Path dir, boolean cluster, int busPort) {
    this.node = node;
    this.dir = dir;
    this.cluster = cluster;
    this.busPort = busPort;
  }

  /** Starts a node without waiting, so that a test can start other servers meanwhile. */
  public static CompletableFuture<NodeFixture> startAsync(boolean cluster, Map<String, String> overrides) {
    Path dir = TempDirs.create("akka-redis-node-");
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("port", Integer.toString(FreePorts.next()));
    settings.put("bind", "127.0.0.1");
    settings.put("dir", dir.toString());
    settings.put("appendonly", "no");
    settings.put("save", "");
    settings.put("loglevel", "warning");
    if (cluster) {
      settings.put("cluster-enabled", "yes");
      settings.put("cluster-port", Integer.toString(FreePorts.next()));
    }
    settings.putAll(overrides);
    CompletableFuture<RedisNode> started;
    try {
      started = RedisNode.start(Settings.defaults().withOverrides(settings)).toCompletableFuture();
    } catch (Exception e) {
      TempDirs.delete(dir);
      throw new AssertionError("the node refused the settings " + settings + ": " + e.getMessage(), e);
    }
    return started.orTimeout(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .handle((node, failure) -> {
          if (failure != null) {
            TempDirs.delete(dir);
            throw new AssertionError("the node did not start with " + settings + ": " + failure, failure);
          }
          return new NodeFixture(node, dir, cluster,
              cluster ? Integer.parseInt(settings.get("cluster-port")) : 0);
        });
  }

  /** The node itself, for tests that reach into its actors (fault injection). */
  public RedisNode node() {
    return node;
  }

  @Override
  public int port() {
    return node.port();
  }

  @Override
  public int busPort() {
    return busPort;
  }

  @Override
  public String describe() {
    return "akka-redis-cluster node :" + port() + (cluster ? " (cluster)" : "");
  }

  /** Completes when the node has stopped, by itself or told to. */
  public CompletableFuture<akka.Done> whenTerminated() {
    return node.whenTerminated().toCompletableFuture();
  }

  /** The exit status the process would have once the node has stopped (1 after a fatal error). */
  public int exitCode() {
    return node.exitCode();
  }

  @Override
  public void close() {
    try {
      node.stop().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(describe() + " did not stop within " + STOP_TIMEOUT_SECONDS + " s", e);
    } finally {
      TempDirs.delete(dir);
    }
  }
}
