package org.akkaredis.cluster;

/**
 * Redis's replica migration, checked by every replica's cron: a master with slots left without working
 * replicas (after having had some) gets one from the master with the most, if that keeps more than
 * cluster-migration-barrier; of those replicas the one with the smallest id moves, after 5 s of orphanhood.
 * Part of {@link ClusterState}.
 */
final class ReplicaMigration {
  /** A master must stay orphaned this long before a replica migrates to it (CLUSTER_SLAVE_MIGRATION_DELAY). */
  static final long MIGRATION_DELAY_MS = 5000;

  private final ClusterState state;

  ReplicaMigration(ClusterState state) {
    this.state = state;
  }

  /** The cron's part, on a replica. */
  void cron(long nowMs) {
    if (!state.settings.clusterAllowReplicaMigration()) return;
    ClusterNode myself = state.myself;
    int orphaned = 0;
    int maxReplicas = 0;
    int mine = 0;
    for (ClusterNode node : state.nodes.values()) {
      if (node == myself || node.has(ClusterNode.NOADDR | ClusterNode.HANDSHAKE)) continue;
      if (!node.isMaster() || node.has(ClusterNode.FAIL)) continue;
      int working = nonFailingReplicas(node);
      if (working == 0 && state.slotCount(node) > 0 && node.has(ClusterNode.MIGRATE_TO)) orphaned++;
      maxReplicas = Math.max(maxReplicas, working);
      if (node.id.equals(myself.masterId)) mine = working;
    }
    if (orphaned > 0 && maxReplicas >= 2 && mine == maxReplicas) migrateIfCandidate(maxReplicas, nowMs);
  }

  private int nonFailingReplicas(ClusterNode master) {
    int count = 0;
    for (ClusterNode replica : state.replicasOf(master)) if (!replica.has(ClusterNode.FAIL)) count++;
    return count;
  }

  /** Redis's clusterHandleSlaveMigration. */
  private void migrateIfCandidate(int maxReplicas, long nowMs) {
    if (!state.ok()) return;
    ClusterNode myself = state.myself;
    ClusterNode myMaster = state.node(myself.masterId);
    if (myMaster == null) return;
    int okReplicas = 0;
    for (ClusterNode replica : state.replicasOf(myMaster)) if (!replica.failing()) okReplicas++;
    if (okReplicas <= state.settings.clusterMigrationBarrier()) return;
    ClusterNode target = null;
    ClusterNode candidate = myself;
    for (ClusterNode node : state.nodes.values()) {
      int working = node.isMaster() ? nonFailingReplicas(node) : 0;
      boolean orphan = node.isMaster() && !node.has(ClusterNode.FAIL) && node.has(ClusterNode.MIGRATE_TO)
          && working == 0;
      if (orphan) {
        if (target == null && state.slotCount(node) > 0) target = node;
        if (node.orphanedSinceMs == 0) node.orphanedSinceMs = nowMs;
      } else {
        node.orphanedSinceMs = 0;
      }
      if (working == maxReplicas) {
        for (ClusterNode replica : state.replicasOf(node)) {
          if (replica.id.compareTo(candidate.id) < 0) candidate = replica;
        }
      }
    }
    if (target != null && candidate == myself && nowMs - target.orphanedSinceMs > MIGRATION_DELAY_MS) {
      state.log("Migrating to orphaned master " + target.id);
      state.membership.becomeReplicaOf(target);
    }
  }
}
