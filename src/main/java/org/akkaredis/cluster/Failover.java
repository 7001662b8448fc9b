package org.akkaredis.cluster;

import java.util.BitSet;
import org.akkaredis.cluster.BusMessage.Header;
import org.akkaredis.cluster.BusMessage.PingKind;

/**
 * Failover (Redis's clusterHandleSlaveFailover, clusterSendFailoverAuthIfNeeded and manual failover): a replica's
 * election when its master is FAIL, the votes masters give (one per epoch, {@code lastVoteEpoch}) and CLUSTER
 * FAILOVER's manual failover on both sides. Part of {@link ClusterState}.
 */
final class Failover {
  /** A manual failover must complete within this (CLUSTER_MF_TIMEOUT); the master pauses writes twice as long. */
  static final long MF_TIMEOUT_MS = 5000;
  static final long MF_PAUSE_MULT = 2;
  /** "Currently unable to failover" is said again for the same reason only after this (seconds in Redis). */
  static final long CANT_FAILOVER_RELOG_MS = 10_000;

  private final ClusterState state;
  private long lastVoteEpoch;
  /** On a replica: when it last heard from its master (see {@link ReplicationStatus}); -1 while not told. */
  private long lastMasterInteractionMs = -1;

  // A replica's election (Redis's failover_auth_*).
  private long failoverAuthTime;
  private int failoverAuthCount;
  private boolean failoverAuthSent;
  private int failoverAuthRank;
  private long failoverAuthEpoch;
  private String cantFailoverReason;
  private long cantFailoverLoggedMs;

  // A manual failover (Redis's mf_*): on the replica mfEnd, mfMasterOffset, mfCanStart; on the master mfEnd and
  // mfReplica.
  private long mfEnd;
  private boolean mfCanStart;
  private ClusterNode mfReplica;
  private long mfMasterOffset = -1;

  Failover(ClusterState state) {
    this.state = state;
  }

  long lastVoteEpoch() {
    return lastVoteEpoch;
  }

  void restoreLastVoteEpoch(long epoch) {
    lastVoteEpoch = epoch;
  }

  void lastMasterInteraction(long ms) {
    lastMasterInteractionMs = ms;
  }

  int failoverAuthCount() {
    return failoverAuthCount;
  }

  /** A master in a manual failover has paused writes: its header's offset is the one to reach. */
  boolean masterPaused() {
    return state.myself.isMaster() && mfEnd != 0;
  }

  /** Whether this master is in a manual failover run by {@code node}. */
  boolean isManualFailoverReplica(ClusterNode node) {
    return mfEnd != 0 && state.myself.isMaster() && mfReplica == node;
  }

  /** Siblings rank only replicas that may fail over: the setting travels in our flags (clusterUpdateMyselfFlags). */
  void updateMyselfFlags() {
    ClusterNode myself = state.myself;
    int noFailover = state.settings.clusterReplicaNoFailover() ? ClusterNode.NOFAILOVER : 0;
    if ((myself.flags & ClusterNode.NOFAILOVER) != noFailover) {
      myself.flags = (myself.flags & ~ClusterNode.NOFAILOVER) | noFailover;
      state.effects.save = true;
    }
  }

  // ---- messages

  /** Any message's header: a replica in a manual failover learns its paused master's offset. */
  void heardFrom(ClusterNode sender, Header h) {
    if (mfEnd != 0 && state.myself.isReplica() && sender.id.equals(state.myself.masterId)
        && (h.mflags() & BusMessage.MF_PAUSED) != 0 && mfMasterOffset == -1) {
      mfMasterOffset = sender.replOffset;
      state.log("Received replication offset for paused master manual failover: " + mfMasterOffset);
    }
  }

  /** After any message: a replica that knows its paused master's offset may start the election. */
  void afterMessage(long nowMs) {
    if (mfEnd != 0 && state.myself.isReplica() && mfMasterOffset != -1 && !mfCanStart) {
      handleManualFailover(nowMs);
      handleReplicaFailover(nowMs);
    }
  }

  /** A FAILOVER_AUTH_ACK: only votes of masters with slots, given in this election's epoch or later, count. */
  void receiveVote(ClusterNode sender, Header h, long nowMs) {
    if (sender.isMaster() && state.slotCount(sender) > 0 && h.currentEpoch() >= failoverAuthEpoch) {
      failoverAuthCount++;
      if (state.myself.isReplica()) handleReplicaFailover(nowMs); // a majority may be there: act now, not at the cron
    }
  }

  /** MFSTART from a replica of this master: pause writes and tell the replica the offset to reach. */
  void receiveManualFailoverStart(ClusterNode replica, long nowMs) {
    if (!state.myself.isMaster() || !state.myself.id.equals(replica.masterId)) return;
    resetManualFailover();
    mfEnd = nowMs + MF_TIMEOUT_MS;
    mfReplica = replica;
    state.effects.pauseWritesUntil = nowMs + MF_TIMEOUT_MS * MF_PAUSE_MULT;
    state.log("Manual failover requested by replica " + replica.id + ".");
    state.membership.sendPing(replica, PingKind.PING, nowMs); // carries the paused offset at once
  }

  /** A master's answer to a vote request: an ACK when every rule of Redis's holds, else nothing at all. */
  void voteIfNeeded(ClusterNode node, Header request, long nowMs) {
    ClusterNode myself = state.myself;
    long currentEpoch = state.currentEpoch;
    if (myself.isReplica() || state.slotCount(myself) == 0) return; // only masters with slots vote
    String denied = "Failover auth denied to " + node.id + ": ";
    if (request.currentEpoch() < currentEpoch) {
      state.log(denied + "reqEpoch (" + request.currentEpoch() + ") < curEpoch(" + currentEpoch + ")");
      return;
    }
    if (lastVoteEpoch == currentEpoch) {
      state.log(denied + "already voted for epoch " + currentEpoch);
      return;
    }
    ClusterNode master = node.isReplica() ? state.node(node.masterId) : null;
    boolean forceAck = (request.mflags() & BusMessage.MF_FORCEACK) != 0;
    if (node.isMaster() || master == null || (!master.has(ClusterNode.FAIL) && !forceAck)) {
      state.log(denied + (node.isMaster() ? "it is a master node"
          : master == null ? "I don't know its master" : "its master is up"));
      return;
    }
    // One vote per master per two node timeouts: not needed for safety, but keeps elections from piling up.
    long sinceVote = nowMs - master.votedTimeMs;
    long voteInterval = state.nodeTimeout() * 2;
    if (sinceVote < voteInterval) {
      state.log(denied + "can't vote about this master before " + (voteInterval - sinceVote) + " milliseconds");
      return;
    }
    BitSet claimed = request.slots();
    for (int slot = claimed.nextSetBit(0); slot >= 0; slot = claimed.nextSetBit(slot + 1)) {
      ClusterNode owner = state.owner(slot);
      if (owner != null && owner.configEpoch > request.configEpoch()) {
        state.log(denied + "slot " + slot + " epoch (" + owner.configEpoch + ") > reqEpoch ("
            + request.configEpoch() + ")");
        return;
      }
    }
    lastVoteEpoch = currentEpoch;
    master.votedTimeMs = nowMs;
    state.effects.saveBeforeSend = true; // the vote is on disk before the ACK leaves
    state.send(node, new BusMessage.FailoverAuthAck(state.header()));
    state.log("Failover auth granted to " + node.id + " for epoch " + currentEpoch);
  }

  // ---- the cron

  /** The cron's part: a manual failover times out; a replica goes on with its manual failover and election. */
  void cron(boolean replica, long nowMs) {
    if (mfEnd != 0 && mfEnd < nowMs) {
      state.log("Manual failover timed out.");
      resetManualFailover();
    }
    if (replica) {
      handleManualFailover(nowMs);
      handleReplicaFailover(nowMs);
    }
  }

  // ---- the election

  /**
   * A replica's election, run by the cron and whenever a vote arrives: when its master is FAIL (or a manual
   * failover may start) it waits 500 ms + 0-499 ms + 1 s per better-placed sibling, asks every node for a vote in
   * a new epoch, and with the votes of a majority of the slot-owning masters takes its master's slots.
   */
  private void handleReplicaFailover(long nowMs) {
    ClusterNode myself = state.myself;
    long nodeTimeout = state.nodeTimeout();
    long authAge = nowMs - failoverAuthTime;
    int neededQuorum = state.size() / 2 + 1;
    boolean manual = mfEnd != 0 && mfCanStart;
    long authTimeout = Math.max(nodeTimeout * 2, 2000);
    long authRetryTime = authTimeout * 2;
    ClusterNode master = myself.isReplica() ? state.node(myself.masterId) : null;
    if (master == null || (!master.has(ClusterNode.FAIL) && !manual)
        || (state.settings.clusterReplicaNoFailover() && !manual) || state.slotCount(master) == 0) {
      cantFailoverReason = null;
      return;
    }
    // Disconnected from the master for the time it took to flag it FAIL is the baseline, not staleness.
    long dataAge = lastMasterInteractionMs < 0 ? 0 : nowMs - lastMasterInteractionMs;
    if (dataAge > nodeTimeout) dataAge -= nodeTimeout;
    long validityFactor = state.settings.clusterReplicaValidityFactor();
    if (validityFactor != 0 && !manual
        && dataAge > state.settings.replPingReplicaPeriod() * 1000 + nodeTimeout * validityFactor) {
      logCantFailover("Disconnected from master for longer than allowed. Please check the "
          + "'cluster-replica-validity-factor' configuration option.", master, nowMs);
      return;
    }
    if (authAge > authRetryTime) {
      failoverAuthTime = nowMs + 500 + state.random.nextInt(500); // 500 ms lets the FAIL message spread
      failoverAuthCount = 0;
      failoverAuthSent = false;
      failoverAuthRank = replicaRank();
      failoverAuthTime += failoverAuthRank * 1000L; // the best-placed replica asks first
      if (mfEnd != 0) {
        failoverAuthTime = nowMs;
        failoverAuthRank = 0;
      }
      state.log("Start of election delayed for " + (failoverAuthTime - nowMs) + " milliseconds (rank #"
          + failoverAuthRank + ", offset " + myself.replOffset + ").");
      state.membership.broadcastPong(true); // siblings learn our offset and re-rank themselves
      if (mfEnd == 0) return;
      authAge = nowMs - failoverAuthTime;
    }
    if (!failoverAuthSent && mfEnd == 0) {
      int newRank = replicaRank();
      if (newRank > failoverAuthRank) {
        long added = (newRank - failoverAuthRank) * 1000L;
        failoverAuthTime += added;
        failoverAuthRank = newRank;
        state.log("Replica rank updated to #" + newRank + ", added " + added + " milliseconds of delay.");
      }
    }
    if (nowMs < failoverAuthTime) {
      logCantFailover("Waiting the delay before I can start a new failover.", master, nowMs);
      return;
    }
    if (authAge > authTimeout) {
      logCantFailover("Failover attempt expired.", master, nowMs);
      return;
    }
    if (!failoverAuthSent) {
      state.currentEpoch++;
      failoverAuthEpoch = state.currentEpoch;
      state.log("Starting a failover election for epoch " + state.currentEpoch + ".");
      Header h = state.header();
      if (mfEnd != 0) h = withMflags(h, BusMessage.MF_FORCEACK); // voters accept a master that is up
      state.broadcast(new BusMessage.FailoverAuthRequest(h));
      failoverAuthSent = true;
      state.effects.saveBeforeSend = true;
      state.failures.updateState(nowMs);
      return;
    }
    if (failoverAuthCount >= neededQuorum) {
      state.log("Failover election won: I'm the new master.");
      if (myself.configEpoch < failoverAuthEpoch) {
        myself.configEpoch = failoverAuthEpoch;
        state.log("configEpoch set to " + myself.configEpoch + " after successful failover");
      }
      replaceMyMaster(nowMs);
    } else {
      logCantFailover("Waiting for votes, but majority still not reached.", master, nowMs);
    }
  }

  private static Header withMflags(Header h, int mflags) {
    return new Header(h.sender(), h.currentEpoch(), h.configEpoch(), h.replOffset(), h.flags(), h.slots(),
        h.masterId(), h.myIp(), h.busHost(), h.port(), h.cport(), h.stateOk(), h.mflags() | mflags);
  }

  /** How many failover-capable siblings have a larger replication offset (Redis's clusterGetSlaveRank). */
  int replicaRank() {
    ClusterNode myself = state.myself;
    ClusterNode master = state.node(myself.masterId);
    if (master == null) return 0;
    int rank = 0;
    for (ClusterNode sibling : state.replicasOf(master)) {
      if (sibling != myself && !sibling.has(ClusterNode.NOFAILOVER) && sibling.replOffset > myself.replOffset) rank++;
    }
    return rank;
  }

  /** Redis's clusterLogCantFailover: once per reason (again after a while), and not in a failover's first seconds. */
  private void logCantFailover(String reason, ClusterNode master, long nowMs) {
    if (reason.equals(cantFailoverReason) && nowMs - cantFailoverLoggedMs < CANT_FAILOVER_RELOG_MS) return;
    cantFailoverReason = reason;
    if (master.has(ClusterNode.FAIL) && nowMs - master.failTimeMs < state.nodeTimeout() + 5000) return;
    cantFailoverLoggedMs = nowMs;
    state.log("Currently unable to failover: " + reason);
  }

  /** Redis's clusterFailoverReplaceYourMaster: master of the old master's slots, saved, and told to everyone. */
  private void replaceMyMaster(long nowMs) {
    ClusterNode myself = state.myself;
    ClusterNode oldMaster = state.node(myself.masterId);
    if (myself.isMaster() || oldMaster == null) return;
    state.membership.setAsMaster(myself);
    state.slots.takeSlotsOf(oldMaster);
    state.failures.updateState(nowMs);
    state.effects.saveBeforeSend = true;
    state.membership.broadcastPong(false);
    resetManualFailover();
  }

  // ---- manual failover

  /** Once the paused master's offset is reached, the election may start (Redis's clusterHandleManualFailover). */
  private void handleManualFailover(long nowMs) {
    if (mfEnd == 0 || mfCanStart || mfMasterOffset == -1) return;
    if (mfMasterOffset == state.myself.replOffset) {
      mfCanStart = true;
      state.log("All master replication stream processed, manual failover can start.");
    }
  }

  /** Ends any manual failover, on either side; a master resumes writes. */
  void resetManualFailover() {
    if (mfReplica != null) state.effects.pauseWritesUntil = 0;
    mfEnd = 0;
    mfCanStart = false;
    mfReplica = null;
    mfMasterOffset = -1;
  }

  /**
   * CLUSTER FAILOVER [FORCE|TAKEOVER] on a replica: null when started, else Redis's error. Plain: the master
   * pauses and the replica takes over once it has all the master's data. FORCE: an election at once, without the
   * master. TAKEOVER: a new epoch without any vote, and the slots at once.
   */
  String manualFailover(boolean force, boolean takeover, long nowMs) {
    ClusterNode myself = state.myself;
    if (myself.isMaster()) return "ERR You should send CLUSTER FAILOVER to a replica";
    ClusterNode master = state.node(myself.masterId);
    if (master == null) return "ERR I'm a replica but my master is unknown to me";
    if (!force && !takeover && (master.has(ClusterNode.FAIL) || !master.linked)) {
      return "ERR Master is down or failed, please use CLUSTER FAILOVER FORCE";
    }
    resetManualFailover();
    mfEnd = nowMs + MF_TIMEOUT_MS;
    if (takeover) {
      state.log("Taking over the master (user request).");
      state.slots.bumpEpoch();
      replaceMyMaster(nowMs);
    } else if (force) {
      state.log("Forced failover user request accepted.");
      mfCanStart = true;
      handleReplicaFailover(nowMs);
    } else {
      state.log("Manual failover user request accepted.");
      state.send(master, new BusMessage.MfStart(state.header()));
    }
    return null;
  }
}
