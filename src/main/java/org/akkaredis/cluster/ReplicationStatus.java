package org.akkaredis.cluster;

/**
 * What replication tells the cluster model: this node's replication offset (a master's own offset, a replica's
 * processed offset) and, on a replica, when it last heard from its master (kept at "now" while the link is up,
 * the time the link went down otherwise). Failover ranks replicas by the offset and refuses replicas whose data
 * is too old.
 */
public record ReplicationStatus(long offset, long lastMasterInteractionMs) {}
