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
  /** Per slot this node migrates (CLUSTER SETSLOT MIGRATING): the target's "ip:port" for ASK; null when none. */
  private final String[] askTargets;
  /** Slots this node imports (CLUSTER SETSLOT IMPORTING): served after ASKING. */
  private final BitSet importing;

  /** What a query is, for {@link #refusal(int, int, KeyCount)}: bits of these. */
  public static final int WRITE = 1;
  /** The client sent READONLY. */
  public static final int READONLY_SESSION = 2;
  /** The client sent ASKING just before, or the command has the asking flag (RESTORE-ASKING). */
  public static final int ASKING = 4;
  /** MIGRATE, which works on the keys here whatever state the slot is in. */
  public static final int MIGRATE = 8;

  /**
   * How many of a command's keys this node holds, counted only for a slot in migration ({@link #inMigration}):
   * {@code multipleKeys} when it names more than one distinct key.
   */
  public record KeyCount(int existing, int missing, boolean multipleKeys) {}

  public SlotRouting(boolean clusterEnabled, boolean stateOk, boolean allowReadsWhenDown, String[] owners,
      BitSet replicaReadable) {
    this(clusterEnabled, stateOk, allowReadsWhenDown, owners, replicaReadable, null, new BitSet());
  }

  public SlotRouting(boolean clusterEnabled, boolean stateOk, boolean allowReadsWhenDown, String[] owners,
      BitSet replicaReadable, String[] askTargets, BitSet importing) {
    this.clusterEnabled = clusterEnabled;
    this.stateOk = stateOk;
    this.allowReadsWhenDown = allowReadsWhenDown;
    this.owners = owners;
    this.replicaReadable = replicaReadable;
    this.askTargets = askTargets;
    this.importing = importing;
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

  /** A refusal for a command on a slot in no migration (see {@link #refusal(int, int, KeyCount)}). */
  public String refusal(int slot, boolean write, boolean readonlySession) {
    return refusal(slot, (write ? WRITE : 0) | (readonlySession ? READONLY_SESSION : 0), null);
  }

  /** Whether this node migrates {@code slot} away or imports it: then where a command goes depends on its keys. */
  public boolean inMigration(int slot) {
    return clusterEnabled && (migrating(slot) || importing.get(slot));
  }

  private boolean migrating(int slot) {
    return askTargets != null && askTargets[slot] != null && SELF.equals(owners[slot]);
  }

  static final String TRYAGAIN = "TRYAGAIN Multiple keys request during rehashing of slot";

  /**
   * The redirection or refusal for a keyed command on {@code slot}, or null when it may run here: Redis's
   * getNodeByQuery. {@code query} is bits of {@link #WRITE}, {@link #READONLY_SESSION} (a replica serves such a
   * client reads of its master's slots), {@link #ASKING} and {@link #MIGRATE}. {@code keys} is what this node holds
   * of the command's keys, for a slot {@link #inMigration}; null when not counted (no data at hand): a slot in
   * migration is then refused only when the answer does not depend on the keys, and null means "not refused yet".
   *
   * <p>On the node migrating the slot, a command whose keys are all here runs, one whose keys are all gone is sent
   * after them (ASK to the target), and one with some of each must wait (TRYAGAIN). On the node importing it, a
   * command runs only right after ASKING, and then not when it names several keys some of which are missing here.
   */
  public String refusal(int slot, int query, KeyCount keys) {
    if (!clusterEnabled) return null;
    String owner = owners[slot];
    if (owner == null) return "CLUSTERDOWN Hash slot not served";
    boolean write = (query & WRITE) != 0;
    if (!stateOk) {
      if (!allowReadsWhenDown) return "CLUSTERDOWN The cluster is down";
      if (write) return "CLUSTERDOWN The cluster is down and only accepts read commands";
    }
    boolean migrating = migrating(slot);
    boolean importingHere = !migrating && importing.get(slot);
    if ((migrating || importingHere) && (query & MIGRATE) != 0) return null;
    if (migrating) {
      if (keys == null) return null;
      if (keys.missing() > 0) return keys.existing() > 0 ? TRYAGAIN : "ASK " + slot + " " + askTargets[slot];
    }
    if (importingHere && (query & ASKING) != 0) {
      if (keys == null) return null;
      return keys.multipleKeys() && keys.missing() > 0 ? TRYAGAIN : null;
    }
    if (owner.equals(SELF) || !write && (query & READONLY_SESSION) != 0 && replicaReadable.get(slot)) return null;
    return "MOVED " + slot + " " + owner;
  }

  /**
   * Redis 7.0's getNodeByQuery for a pubsubshard command (SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH) on {@code slot}: null
   * when served here. A channel is no key, so a slot in migration is served by its owner until it moves; a replica
   * serves its master's slots without READONLY; a cluster that is down serves them when
   * cluster-allow-pubsubshard-when-down ({@code allowWhenDown}) is yes.
   */
  public String shardRefusal(int slot, boolean allowWhenDown) {
    if (!clusterEnabled) return null;
    String owner = owners[slot];
    if (owner == null) return "CLUSTERDOWN Hash slot not served";
    if (!stateOk && !allowWhenDown) return "CLUSTERDOWN The cluster is down";
    if (owner.equals(SELF) || replicaReadable.get(slot)) return null;
    return "MOVED " + slot + " " + owner;
  }
}
