package org.akkaredis.cluster;

import java.util.BitSet;
import org.akkaredis.keyspace.Slots;

/**
 * Which slots stopped being served by this node's shard since the last look: what sharded pub/sub drops (Redis 7.0's
 * removeChannelsInSlot, called by clusterDelSlot when the slot's old owner is this node or its master). A slot counts
 * as lost when its owner changes to another node or to none: it moves away, is deleted, or its shard fails over —
 * then the old master and its other replicas drop the channels, but not the replica that takes over (in Redis 7.0.15
 * it is a master already when the old master's slots are deleted, so it is not of the old master's shard).
 */
public final class ShardSlots {
  /** Per slot this node's shard served at the last look: its owner's id; null for the others. */
  private final String[] servedBy = new String[Slots.COUNT];

  /** The slots lost since the last call (empty at the first), and what is served now remembered. */
  public BitSet update(ClusterState state) {
    BitSet lost = new BitSet();
    ClusterNode myself = state.myself();
    ClusterNode master = myself.isReplica() ? state.node(myself.masterId()) : myself;
    for (int slot = 0; slot < Slots.COUNT; slot++) {
      ClusterNode owner = state.owner(slot);
      String before = servedBy[slot];
      if (before != null && (owner == null || !owner.id.equals(before) && owner != myself)) lost.set(slot);
      servedBy[slot] = owner != null && (owner == myself || owner == master) ? owner.id : null;
    }
    return lost;
  }
}
