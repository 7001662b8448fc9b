package org.akkaredis.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.akkaredis.cluster.BusMessage.Header;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.keyspace.Slots;

/**
 * Who owns each slot, and the configEpoch rules that decide it: a claim with a newer configEpoch wins slots
 * (Redis's clusterUpdateSlotsConfigWith), a stale claimer gets an UPDATE, two masters with one configEpoch are
 * told apart, and the CLUSTER commands that assign slots and epochs. Part of {@link ClusterState}.
 */
final class SlotOwnership {
  private final ClusterState state;
  private final ClusterNode[] owners = new ClusterNode[Slots.COUNT];
  /** Per slot this node owns and is handing over: the node it goes to (CLUSTER SETSLOT MIGRATING). */
  private final ClusterNode[] migratingTo = new ClusterNode[Slots.COUNT];
  /** Per slot this node is taking over: the node it comes from (CLUSTER SETSLOT IMPORTING). */
  private final ClusterNode[] importingFrom = new ClusterNode[Slots.COUNT];

  SlotOwnership(ClusterState state) {
    this.state = state;
  }

  // ---- reading

  ClusterNode owner(int slot) {
    return owners[slot];
  }

  int slotCount(ClusterNode node) {
    int count = 0;
    for (ClusterNode owner : owners) if (owner == node) count++;
    return count;
  }

  BitSet slotsOf(ClusterNode node) {
    BitSet slots = new BitSet(Slots.COUNT);
    for (int slot = 0; slot < Slots.COUNT; slot++) if (owners[slot] == node) slots.set(slot);
    return slots;
  }

  /** Maximal runs of consecutive slots owned by one node, ascending, as {start, end} pairs. */
  List<int[]> slotRuns(ClusterNode node) {
    List<int[]> runs = new ArrayList<>();
    forEachOwnedRun((start, end, owner) -> {
      if (owner == node) runs.add(new int[] {start, end});
    });
    return runs;
  }

  /**
   * Every owner's {@link #slotRuns}, from one walk over the slots: CLUSTER NODES and nodes.conf describe every node,
   * and a walk per node costs 16384 steps each (the cluster suite's 20 nodes ask for CLUSTER NODES in tight loops).
   */
  Map<ClusterNode, List<int[]>> slotRunsByOwner() {
    Map<ClusterNode, List<int[]>> runs = new IdentityHashMap<>();
    forEachOwnedRun((start, end, owner) ->
        runs.computeIfAbsent(owner, o -> new ArrayList<>()).add(new int[] {start, end}));
    return runs;
  }

  /** Runs of consecutive slots with the same owner, ascending: CLUSTER SLOTS' entries. */
  void forEachOwnedRun(ClusterState.RunConsumer consumer) {
    int start = 0;
    for (int slot = 1; slot <= Slots.COUNT; slot++) {
      if (slot == Slots.COUNT || owners[slot] != owners[start]) {
        if (owners[start] != null) consumer.accept(start, slot - 1, owners[start]);
        start = slot;
      }
    }
  }

  ClusterNode migratingTo(int slot) {
    return migratingTo[slot];
  }

  ClusterNode importingFrom(int slot) {
    return importingFrom[slot];
  }

  /**
   * Who serves each slot, for the slot ranges; replicas may serve reads of their master's slots. A slot in
   * migration carries where its missing keys are (ASK) and whether it is being imported here (ASKING).
   */
  SlotRouting routing() {
    ClusterNode myself = state.myself;
    String[] routeOwners = new String[Slots.COUNT];
    String[] askTargets = null;
    BitSet importing = new BitSet(Slots.COUNT);
    BitSet readable = new BitSet(Slots.COUNT);
    ClusterNode master = myself.isReplica() ? state.node(myself.masterId) : null;
    // One "ip:port" per node, shared by its slots: this runs on every change of a slot's owner or state.
    Map<ClusterNode, String> addresses = new IdentityHashMap<>();
    addresses.put(myself, SlotRouting.SELF);
    Function<ClusterNode, String> address = node -> node.preferredEndpoint(state.endpointType) + ":" + node.port;
    ClusterNode previous = null;
    String previousRoute = null;
    for (int slot = 0; slot < Slots.COUNT; slot++) {
      ClusterNode owner = owners[slot];
      if (importingFrom[slot] != null) importing.set(slot);
      if (migratingTo[slot] != null) {
        if (askTargets == null) askTargets = new String[Slots.COUNT];
        askTargets[slot] = address.apply(migratingTo[slot]);
      }
      if (owner == null) continue;
      if (owner != previous) {
        previous = owner;
        previousRoute = addresses.computeIfAbsent(owner, address);
      }
      routeOwners[slot] = previousRoute;
      if (owner == master) readable.set(slot);
    }
    return new SlotRouting(true, state.ok(), state.settings.clusterAllowReadsWhenDown(), routeOwners, readable,
        askTargets, importing);
  }

  // ---- changing owners without rules (loading, a reset, a won election, a forgotten node)

  void clear() {
    Arrays.fill(owners, null);
    closeAll();
  }

  /** No slot in migration any more (Redis's clusterCloseAllSlots: a reset, or this master turning replica). */
  void closeAll() {
    Arrays.fill(migratingTo, null);
    Arrays.fill(importingFrom, null);
  }

  /** Restores a migration state nodes.conf recorded. */
  void restoreMigration(int slot, ClusterNode node, boolean migrating) {
    (migrating ? migratingTo : importingFrom)[slot] = node;
  }

  /** A node deleted from the table takes its slots and the migrations from and to it along (clusterDelNode). */
  void forgetNode(ClusterNode node) {
    for (int slot = 0; slot < Slots.COUNT; slot++) {
      if (migratingTo[slot] == node) migratingTo[slot] = null;
      if (importingFrom[slot] == node) importingFrom[slot] = null;
    }
    unbindSlotsOf(node);
  }

  void assign(ClusterNode node, BitSet slots) {
    slots.stream().forEach(slot -> owners[slot] = node);
  }

  void unbindSlotsOf(ClusterNode node) {
    for (int slot = 0; slot < Slots.COUNT; slot++) if (owners[slot] == node) owners[slot] = null;
  }

  /** A replica elected in its master's place takes all the master's slots. */
  void takeSlotsOf(ClusterNode oldMaster) {
    for (int slot = 0; slot < Slots.COUNT; slot++) if (owners[slot] == oldMaster) owners[slot] = state.myself;
    state.routingChanged();
  }

  // ---- the configEpoch rules

  /**
   * A PING or PONG's claim: a master's slots are taken by the newer configEpoch, a stale claimer hears of the
   * newer owner, and two masters with one configEpoch are told apart.
   */
  void checkClaims(ClusterNode sender, Header h, long nowMs) {
    ClusterNode myself = state.myself;
    ClusterNode senderMaster = sender.isMaster() ? sender : state.node(sender.masterId);
    boolean dirtySlots = senderMaster != null && !slotsOf(senderMaster).equals(h.slots());
    if (sender.isMaster() && dirtySlots) updateSlotsConfigWith(sender, h.configEpoch(), h.slots(), nowMs);
    if (dirtySlots) sendUpdateIfStale(sender, h);
    if (sender.isMaster() && myself.isMaster() && h.configEpoch() == myself.configEpoch) {
      handleConfigEpochCollision(sender);
    }
  }

  /** An UPDATE from a known node: {@code node}'s newer configEpoch and slots win. */
  void receiveUpdate(BusMessage.Update update, long nowMs) {
    ClusterNode target = state.node(update.node());
    if (target != null && target.configEpoch < update.configEpoch()) {
      if (target.isReplica()) state.membership.setAsMaster(target);
      target.configEpoch = update.configEpoch();
      updateSlotsConfigWith(target, update.configEpoch(), update.slots(), nowMs);
      state.effects.saveBeforeSend = true;
    }
  }

  /** Redis's clusterUpdateSlotsConfigWith: claims with a newer configEpoch win slots. */
  void updateSlotsConfigWith(ClusterNode sender, long senderEpoch, BitSet claimed, long nowMs) {
    ClusterNode myself = state.myself;
    if (sender == myself) return;
    ClusterNode myMaster = state.myMaster();
    ClusterNode newMaster = null;
    boolean hadNoSlots = slotCount(sender) == 0;
    for (int slot = claimed.nextSetBit(0); slot >= 0; slot = claimed.nextSetBit(slot + 1)) {
      ClusterNode owner = owners[slot];
      if (owner == sender) continue;
      // A slot being imported changes hands only by CLUSTER SETSLOT, even when its old owner already gave it up.
      if (importingFrom[slot] != null) continue;
      if (owner != null && owner.configEpoch >= senderEpoch) continue;
      if (owner == myself && myself.isMaster()) state.effects.slotsToEmpty.set(slot);
      if (owner != null && owner == myMaster) newMaster = sender;
      owners[slot] = sender;
      state.savedAndRoutingChanged();
    }
    firstSlots(sender, hadNoSlots);
    if (newMaster != null && myMaster != null && slotCount(myMaster) == 0
        && (state.settings.clusterAllowReplicaMigration() || myMaster != myself)) {
      // All our slots went to the sender: follow it, as a replica.
      state.log("Configuration change detected. Reconfiguring myself as a replica of " + newMaster.id);
      state.membership.becomeReplicaOf(newMaster);
      state.effects.slotsToEmpty.clear();
    }
  }

  private void sendUpdateIfStale(ClusterNode sender, Header h) {
    BitSet claimed = h.slots();
    for (int slot = claimed.nextSetBit(0); slot >= 0; slot = claimed.nextSetBit(slot + 1)) {
      ClusterNode owner = owners[slot];
      if (owner == null || owner == sender) continue;
      if (owner.configEpoch > h.configEpoch()) {
        state.send(sender, new BusMessage.Update(state.header(), owner.id, owner.configEpoch, slotsOf(owner)));
        return;
      }
    }
  }

  /** cluster-spec's configEpoch conflict resolution: of two masters with one epoch, the smaller id moves on. */
  void handleConfigEpochCollision(ClusterNode sender) {
    ClusterNode myself = state.myself;
    if (sender.configEpoch != myself.configEpoch || !sender.isMaster() || !myself.isMaster()) return;
    if (sender.id.compareTo(myself.id) <= 0) return;
    state.currentEpoch++;
    myself.configEpoch = state.currentEpoch;
    state.effects.save = true;
  }

  /**
   * A master given its first slots while some master has replicas is a target of replica migration, replicas or
   * not (Redis's clusterNodeSetSlotBit, redis#3043).
   */
  private void firstSlots(ClusterNode master, boolean hadNoSlots) {
    if (!hadNoSlots || slotCount(master) == 0) return;
    for (ClusterNode node : state.nodes.values()) {
      if (node.isReplica() && node.masterId != null) {
        master.flags |= ClusterNode.MIGRATE_TO;
        return;
      }
    }
  }

  // ---- CLUSTER ADDSLOTS, DELSLOTS, FLUSHSLOTS, SET-CONFIG-EPOCH, BUMPEPOCH; null or Redis's error text

  String addSlots(int[] slots) {
    BitSet seen = new BitSet(Slots.COUNT);
    for (int slot : slots) {
      if (owners[slot] != null) return "ERR Slot " + slot + " is already busy";
      if (seen.get(slot)) return "ERR Slot " + slot + " specified multiple times";
      seen.set(slot);
    }
    ClusterNode myself = state.myself;
    boolean hadNoSlots = slotCount(myself) == 0;
    for (int slot : slots) {
      owners[slot] = myself;
      importingFrom[slot] = null; // now the real owner, as Redis's ADDSLOTS
    }
    firstSlots(myself, hadNoSlots);
    state.savedAndRoutingChanged();
    return null;
  }

  String delSlots(int[] slots) {
    BitSet seen = new BitSet(Slots.COUNT);
    for (int slot : slots) {
      if (owners[slot] == null) return "ERR Slot " + slot + " is already unassigned";
      if (seen.get(slot)) return "ERR Slot " + slot + " specified multiple times";
      seen.set(slot);
    }
    for (int slot : slots) owners[slot] = null;
    state.savedAndRoutingChanged();
    return null;
  }

  /** Takes slots whoever owns them, as a failover or a resharding does: for tests of slot propagation. */
  void addSlotsForTest(int[] slots) {
    for (int slot : slots) owners[slot] = state.myself;
    state.savedAndRoutingChanged();
  }

  /** CLUSTER FLUSHSLOTS: this node serves no slot any more (the caller checked the data is gone). */
  void flushSlots() {
    unbindSlotsOf(state.myself);
    state.savedAndRoutingChanged();
  }

  String setConfigEpoch(long epoch) {
    if (epoch < 0) return "ERR Invalid config epoch specified: " + epoch;
    if (state.nodes.size() > 1) {
      return "ERR The user can assign a config epoch only when the node does not know any other node.";
    }
    ClusterNode myself = state.myself;
    if (myself.configEpoch != 0) return "ERR Node config epoch is already non-zero";
    myself.configEpoch = epoch;
    state.currentEpoch = Math.max(state.currentEpoch, epoch);
    state.effects.save = true;
    return null;
  }

  /** CLUSTER BUMPEPOCH: "BUMPED n" or "STILL n" (Redis's clusterBumpConfigEpochWithoutConsensus). */
  String bumpEpoch() {
    ClusterNode myself = state.myself;
    long maxEpoch = 0;
    for (ClusterNode node : state.nodes.values()) maxEpoch = Math.max(maxEpoch, node.configEpoch);
    if (myself.configEpoch == 0 || myself.configEpoch != maxEpoch) {
      state.currentEpoch++;
      myself.configEpoch = state.currentEpoch;
      state.effects.save = true;
      return "BUMPED " + myself.configEpoch;
    }
    return "STILL " + myself.configEpoch;
  }

  // ---- CLUSTER SETSLOT

  /**
   * CLUSTER SETSLOT {@code slot} {@code action} [{@code nodeId}], with Redis 7.0's checks in its order; null or
   * Redis's error text. {@code slot} is -1 when the argument is no valid slot, {@code nodeId} null when absent;
   * {@code keysInSlot} is how many keys this node holds in the slot.
   */
  String setSlot(int slot, String action, String nodeId, long keysInSlot) {
    ClusterNode myself = state.myself;
    if (myself.isReplica()) return "ERR Please use SETSLOT only with masters.";
    if (slot < 0) return "ERR Invalid or out of range slot";
    String withNode = nodeId == null ? null : action.toLowerCase();
    if (nodeId == null && action.equalsIgnoreCase("stable")) {
      migratingTo[slot] = null;
      importingFrom[slot] = null;
      state.savedAndRoutingChanged();
      return null;
    }
    if (withNode == null) return INVALID_SETSLOT;
    switch (withNode) {
      case "migrating" -> {
        if (owners[slot] != myself) return "ERR I'm not the owner of hash slot " + slot;
        ClusterNode target = state.node(nodeId);
        if (target == null) return "ERR I don't know about node " + nodeId;
        if (target.isReplica()) return "ERR Target node is not a master";
        migratingTo[slot] = target;
      }
      case "importing" -> {
        if (owners[slot] == myself) return "ERR I'm already the owner of hash slot " + slot;
        ClusterNode source = state.node(nodeId);
        if (source == null) return "ERR I don't know about node " + nodeId;
        if (source.isReplica()) return "ERR Target node is not a master";
        importingFrom[slot] = source;
      }
      case "node" -> {
        ClusterNode node = state.node(nodeId);
        if (node == null) return "ERR Unknown node " + nodeId;
        if (node.isReplica()) return "ERR Target node is not a master";
        return assignByHand(slot, node, keysInSlot);
      }
      default -> {
        return INVALID_SETSLOT;
      }
    }
    state.savedAndRoutingChanged();
    return null;
  }

  private static final String INVALID_SETSLOT =
      "ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP";

  /**
   * SETSLOT NODE: the slot is {@code node}'s. The node that had it keeps none of its keys; one that was migrating it
   * with no key left stops; one that imported it takes a new configEpoch without an election, so that its claim
   * wins everywhere (pings, UPDATE messages), and tells every node at once.
   */
  private String assignByHand(int slot, ClusterNode node, long keysInSlot) {
    ClusterNode myself = state.myself;
    if (owners[slot] == myself && node != myself && keysInSlot != 0) {
      return "ERR Can't assign hashslot " + slot + " to a different node while I still hold keys for this hash slot.";
    }
    if (keysInSlot == 0) migratingTo[slot] = null;
    boolean wasMine = owners[slot] == myself;
    boolean hadNoSlots = slotCount(node) == 0;
    owners[slot] = node;
    firstSlots(node, hadNoSlots);
    state.savedAndRoutingChanged();
    if (wasMine && node != myself && slotCount(myself) == 0 && state.settings.clusterAllowReplicaMigration()) {
      state.log("Configuration change detected. Reconfiguring myself as a replica of " + node.id);
      state.membership.becomeReplicaOf(node);
      state.effects.saveBeforeSend = true;
    }
    if (node == myself && importingFrom[slot] != null) {
      if (bumpEpoch().startsWith("BUMPED")) {
        state.log("configEpoch updated after importing slot " + slot);
        state.effects.saveBeforeSend = true;
      }
      importingFrom[slot] = null;
      state.membership.broadcastPong(false);
    }
    return null;
  }
}
