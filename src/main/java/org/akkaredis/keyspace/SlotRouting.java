package org.akkaredis.keyspace;

import java.util.BitSet;

/**
 * Who serves each slot, as the cluster layer last published it: an immutable snapshot the SlotRanges consult
 * before running a keyed command. Without cluster mode every slot is served here.
 */
public final class SlotRouting {
  /** Marker owner for slots this node serves. */
  public static final String SELF = "";

  private final boolean clusterEnabled;
  private final boolean stateOk;
  private final boolean allowReadsWhenDown;
  /** Per slot: null when unassigned, {@link #SELF} when served here, else the owner's "ip:port" for MOVED. */
  private final String[] owners;
  /** Slots of this replica's master: their reads are served here after READONLY. */
  private final BitSet replicaReadable;

  public SlotRouting(boolean clusterEnabled, boolean stateOk, boolean allowReadsWhenDown, String[] owners,
      BitSet replicaReadable) {
    this.clusterEnabled = clusterEnabled;
    this.stateOk = stateOk;
    this.allowReadsWhenDown = allowReadsWhenDown;
    this.owners = owners;
    this.replicaReadable = replicaReadable;
  }

  public static SlotRouting standalone() {
    return new SlotRouting(false, true, false, null, null);
  }

  /** A cluster node that serves no slot yet. */
  public static SlotRouting unassigned() {
    return new SlotRouting(true, false, false, new String[Slots.COUNT], new BitSet());
  }

  public boolean clusterEnabled() {
    return clusterEnabled;
  }

  public boolean stateOk() {
    return stateOk;
  }

  /**
   * The redirection or refusal for a keyed command on {@code slot}, or null when it may run here
   * (Redis's getNodeByQuery, for a node that has no slot in migration). {@code readonlySession}: the client
   * sent READONLY, so a replica serves it reads of its master's slots.
   */
  public String refusal(int slot, boolean write, boolean readonlySession) {
    if (!clusterEnabled) return null;
    String owner = owners[slot];
    if (owner == null) return "CLUSTERDOWN Hash slot not served";
    if (!stateOk) {
      if (!allowReadsWhenDown) return "CLUSTERDOWN The cluster is down";
      if (write) return "CLUSTERDOWN The cluster is down and only accepts read commands";
    }
    if (owner.equals(SELF) || !write && readonlySession && replicaReadable.get(slot)) return null;
    return "MOVED " + slot + " " + owner;
  }
}
