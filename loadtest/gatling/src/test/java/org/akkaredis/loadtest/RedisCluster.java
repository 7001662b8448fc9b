package org.akkaredis.loadtest;

import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The cluster a simulation talks to: one Lettuce RedisClusterClient with one shared (multiplexed) connection
 * for every virtual user, plus a small fixed pool of dedicated connections for blocking commands (a BRPOP on
 * the shared connection would hold up every command queued behind it on that node's socket).
 */
public final class RedisCluster implements AutoCloseable {
  private final RedisClusterClient client;
  private final StatefulRedisClusterConnection<String, String> shared;
  private final List<StatefulRedisClusterConnection<String, String>> blocking = new ArrayList<>();
  private final Duration commandTimeout;

  /** Seeds "host:port,host:port", the command timeout, and how many dedicated connections to open. */
  public RedisCluster(String seeds, Duration commandTimeout, int blockingConnections) {
    List<RedisURI> uris = new ArrayList<>();
    for (String seed : seeds.split(",")) {
      String[] hostPort = seed.trim().split(":");
      uris.add(RedisURI.builder().withHost(hostPort[0]).withPort(Integer.parseInt(hostPort[1]))
          .withTimeout(commandTimeout).build());
    }
    this.commandTimeout = commandTimeout;
    client = RedisClusterClient.create(uris);
    // Adaptive refresh (on MOVED, ASK, reconnects) and a periodic one, so that after a failover the client
    // learns the promoted replica within seconds, as an application's client would.
    ClusterTopologyRefreshOptions refresh = ClusterTopologyRefreshOptions.builder()
        .enableAllAdaptiveRefreshTriggers()
        .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
        .enablePeriodicRefresh(Duration.ofSeconds(2))
        .build();
    client.setOptions(ClusterClientOptions.builder()
        .topologyRefreshOptions(refresh)
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .build());
    client.setDefaultTimeout(commandTimeout);
    shared = client.connect();
    for (int i = 0; i < blockingConnections; i++) {
      blocking.add(client.connect());
    }
  }

  /** The settings' cluster (redis.seeds, redis.timeout.ms). */
  public static RedisCluster fromSettings(int blockingConnections) {
    return new RedisCluster(LoadSettings.seeds(), LoadSettings.commandTimeout(), blockingConnections);
  }

  /** The shared connection's asynchronous commands. */
  public RedisAdvancedClusterAsyncCommands<String, String> async() {
    return shared.async();
  }

  /** A dedicated connection for blocking commands, the same one for a virtual user every time. */
  public RedisAdvancedClusterAsyncCommands<String, String> blocking(long userId) {
    if (blocking.isEmpty()) {
      throw new IllegalStateException("this RedisCluster was made without dedicated connections");
    }
    return blocking.get((int) (userId % blocking.size())).async();
  }

  /** The master serving the key's slot, as the client's topology knows it. */
  public RedisClusterNode masterOf(String key) {
    return shared.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
  }

  /**
   * Kills (SIGKILL) the node process serving the key's slot, found by the pid file scripts/cluster.sh keeps in
   * dataDir/<port>/node.pid. Returns a line saying what was killed.
   */
  public String killMasterOf(String key, Path dataDir) {
    RedisClusterNode master = masterOf(key);
    int port = master.getUri().getPort();
    Path pidFile = dataDir.resolve(Integer.toString(port)).resolve("node.pid");
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile).trim());
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("cannot read the pid of the master on port " + port + " from " + pidFile, e);
    }
    ProcessHandle process = ProcessHandle.of(pid)
        .orElseThrow(() -> new IllegalStateException("no process " + pid + " (from " + pidFile + ")"));
    process.destroyForcibly();
    return "killed the master " + master.getUri().getHost() + ":" + port + " (pid " + pid + ", slot of key '"
        + key + "')";
  }

  @Override
  public void close() {
    // A topology refresh under way as the connections close fails, and Lettuce logs it with a stack trace: none
    // starts from now on, and one under way may end first (a bounded wait, as it is bounded by the timeout).
    client.suspendTopologyRefresh();
    long deadline = System.nanoTime() + commandTimeout.toNanos();
    while (client.isTopologyRefreshInProgress() && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(10_000_000);
    }
    blocking.forEach(StatefulRedisClusterConnection::close);
    shared.close();
    client.shutdown();
  }
}
