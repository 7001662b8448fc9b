package org.akkaredis.cluster;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.akkaredis.cluster.BusMessage.PingKind;
import org.akkaredis.keyspace.Slots;

/**
 * Which nodes are failing, and whether the cluster is ok: a ping unanswered for the node timeout makes a node
 * PFAIL, failure reports of a majority of masters make it FAIL (told to everyone), a reachable node loses the
 * flags again; the cluster is ok while every slot has a live owner and a majority of masters is reachable.
 * Part of {@link ClusterState}.
 */
final class FailureDetection {
  /** Redis keeps a freshly started master in fail state this long (CLUSTER_WRITABLE_DELAY). */
  static final long WRITABLE_DELAY_MS = 2000;

  private final ClusterState state;
  private boolean ok;
  private final long startedAtMs;
  private long amongMinoritySinceMs;

  FailureDetection(ClusterState state, long nowMs) {
    this.state = state;
    this.startedAtMs = nowMs;
  }

  boolean ok() {
    return ok;
  }

  /** A FAIL message from a known node: the failing node is FAIL here too. */
  void receiveFail(BusMessage.Fail fail, long nowMs) {
    ClusterNode failing = state.node(fail.failing());
    if (failing != null && !failing.has(ClusterNode.FAIL | ClusterNode.MYSELF)) {
      failing.flags = (failing.flags | ClusterNode.FAIL) & ~ClusterNode.PFAIL;
      failing.failTimeMs = nowMs;
      state.savedAndRoutingChanged();
    }
  }

  /** A master's gossip about {@code node}: a failure report when it says PFAIL or FAIL, else the report goes. */
  void reportedBy(ClusterNode master, ClusterNode node, boolean failing, long nowMs) {
    if (failing) {
      node.failReports.put(master.id, nowMs);
      markFailingIfNeeded(node, nowMs);
    } else {
      node.failReports.remove(master.id);
    }
  }

  /** A PONG from {@code node}: it is reachable. */
  void pongReceived(ClusterNode node, long nowMs) {
    if (node.has(ClusterNode.PFAIL)) {
      node.flags &= ~ClusterNode.PFAIL;
      state.routingChanged();
    } else if (node.has(ClusterNode.FAIL)) {
      clearFailureIfNeeded(node, nowMs);
    }
  }

  /** Redis's markNodeAsFailingIfNeeded: PFAIL becomes FAIL when a majority of masters agrees. */
  void markFailingIfNeeded(ClusterNode node, long nowMs) {
    if (!node.has(ClusterNode.PFAIL) || node.has(ClusterNode.FAIL)) return;
    int failures = validFailReports(node, nowMs) + (state.myself.isMaster() ? 1 : 0);
    if (failures < state.size() / 2 + 1) return;
    node.flags = (node.flags & ~ClusterNode.PFAIL) | ClusterNode.FAIL;
    node.failTimeMs = nowMs;
    state.broadcast(new BusMessage.Fail(state.header(), node.id));
    state.savedAndRoutingChanged();
  }

  /** Failure reports younger than twice the node timeout; older ones are dropped. */
  int validFailReports(ClusterNode node, long nowMs) {
    long maxAge = state.nodeTimeout() * 2;
    node.failReports.values().removeIf(time -> nowMs - time > maxAge);
    return node.failReports.size();
  }

  /** Redis's clearNodeFailureIfNeeded: a reachable node loses FAIL (a master with slots only after a while). */
  void clearFailureIfNeeded(ClusterNode node, long nowMs) {
    if (node.isReplica() || state.slotCount(node) == 0
        || nowMs - node.failTimeMs > state.nodeTimeout() * 2) {
      node.flags &= ~ClusterNode.FAIL;
      state.savedAndRoutingChanged();
    }
  }

  /**
   * The cron's walk over the links (one loop in Redis's clusterCron, kept as one: the pings it sends carry what
   * the earlier nodes' checks flagged): a link silent for the node timeout is dropped, an idle one is pinged, a
   * manual failover's replica is pinged every run, and a ping unanswered for the node timeout makes PFAIL.
   */
  void cron(long nowMs) {
    long timeout = state.nodeTimeout();
    for (ClusterNode node : state.nodes.values()) {
      if (node == state.myself || node.has(ClusterNode.NOADDR | ClusterNode.HANDSHAKE)) continue;
      long pingDelay = nowMs - node.pingSentMs;
      long dataDelay = nowMs - node.dataReceivedMs;
      if (node.linked && nowMs - node.linkCreatedMs > timeout && node.pingSentMs != 0
          && pingDelay > timeout / 2 && dataDelay > timeout / 2) {
        node.linked = false; // Redis drops the link and reconnects; the next run pings again
        continue;
      }
      if (node.linked && node.pingSentMs == 0 && nowMs - node.pongReceivedMs > timeout / 2) {
        state.membership.sendPing(node, PingKind.PING, nowMs);
        continue;
      }
      if (state.failover.isManualFailoverReplica(node) && node.linked) {
        state.membership.sendPing(node, PingKind.PING, nowMs); // it hears the paused offset often
        continue;
      }
      if (node.pingSentMs == 0) continue;
      if (Math.min(pingDelay, dataDelay) > timeout && !node.failing()) {
        node.flags |= ClusterNode.PFAIL;
        state.routingChanged();
      }
    }
  }

  /**
   * Redis's clusterUpdateState: ok when every slot is served by a non-failing node (or coverage is not
   * required) and a majority of the slot-owning masters is reachable. A master that starts in fail stays there
   * for {@link #WRITABLE_DELAY_MS}, and one leaving a minority waits the rejoin delay.
   */
  void updateState(long nowMs) {
    ClusterNode myself = state.myself;
    if (myself.isMaster() && !ok && nowMs - startedAtMs < WRITABLE_DELAY_MS) return;
    boolean nowOk = true;
    if (state.settings.clusterRequireFullCoverage()) {
      for (int slot = 0; slot < Slots.COUNT; slot++) {
        ClusterNode owner = state.owner(slot);
        if (owner == null || owner.has(ClusterNode.FAIL)) {
          nowOk = false;
          break;
        }
      }
    }
    // The masters that serve a slot, walked by runs of slots: this runs on every bus message.
    Set<ClusterNode> masters = Collections.newSetFromMap(new IdentityHashMap<>());
    state.forEachOwnedRun((start, end, owner) -> {
      if (owner.isMaster()) masters.add(owner);
    });
    int size = masters.size();
    int reachable = (int) masters.stream().filter(master -> !master.failing()).count();
    if (reachable < size / 2 + 1) {
      nowOk = false;
      // Redis also counts a node that knows no slot owner at all (size 0) as "in a minority", so a master that
      // was up for 2 s before its cluster was created waits the rejoin delay too; nothing was partitioned there.
      if (size > 0) amongMinoritySinceMs = nowMs;
    }
    if (nowOk == ok) return;
    long rejoinDelay = Math.min(Math.max(state.nodeTimeout(), 500), 5000);
    if (nowOk && myself.isMaster() && nowMs - amongMinoritySinceMs < rejoinDelay) return;
    ok = nowOk;
    state.log("Cluster state changed: " + (ok ? "ok" : "fail"));
    state.routingChanged();
  }
}
