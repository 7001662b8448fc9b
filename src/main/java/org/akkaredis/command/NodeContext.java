package org.akkaredis.command;

import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.KeyspaceAccess;
import org.akkaredis.pubsub.PubSub;

/** What node-wide commands work with. Inside EXEC the keyspace is the held one. */
public record NodeContext(
    KeyspaceAccess keyspace,
    Settings settings,
    CommandTable commands,
    ClientDirectory clients,
    ServerStats stats,
    NodeInfo info,
    Replication replication,
    Runnable shutdown,
    Persistence persistence,
    ClusterBus clusterBus,
    PubSub pubsub) {

  /** A node with its own, empty pub/sub registry (tests of other parts). */
  public NodeContext(KeyspaceAccess keyspace, Settings settings, CommandTable commands, ClientDirectory clients,
      ServerStats stats, NodeInfo info, Replication replication, Runnable shutdown, Persistence persistence,
      ClusterBus clusterBus) {
    this(keyspace, settings, commands, clients, stats, info, replication, shutdown, persistence, clusterBus,
        new PubSub());
  }

  /** A node without a cluster bus (tests of other parts). */
  public NodeContext(KeyspaceAccess keyspace, Settings settings, CommandTable commands, ClientDirectory clients,
      ServerStats stats, NodeInfo info, Replication replication, Runnable shutdown, Persistence persistence) {
    this(keyspace, settings, commands, clients, stats, info, replication, shutdown, persistence, ClusterBus.NONE);
  }

  /** DEBUG PAUSE-CRON holds the node's periodic work (the server layer's idle-client timeouts among it). */
  public boolean cronPaused() {
    return keyspace.cronPaused();
  }

  public NodeContext withKeyspace(KeyspaceAccess held) {
    return new NodeContext(held, settings, commands, clients, stats, info, replication, shutdown, persistence,
        clusterBus, pubsub);
  }
}
