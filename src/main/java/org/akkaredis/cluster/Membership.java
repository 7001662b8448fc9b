package org.akkaredis.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.akkaredis.cluster.BusMessage.Gossip;
import org.akkaredis.cluster.BusMessage.Header;
import org.akkaredis.cluster.BusMessage.Ping;
import org.akkaredis.cluster.BusMessage.PingKind;

/**
 * Who is in the cluster, and how this node learns it: MEET and handshakes, PING/PONG with their gossip sections,
 * the role a node says it has, FORGET's blacklist and the cron's pings. Failure reports in the gossip go to
 * {@link FailureDetection}, slot claims in the header to {@link SlotOwnership}. Part of {@link ClusterState},
 * whose node table it fills.
 */
final class Membership {
  /** A forgotten node is not re-added from gossip for this long (CLUSTER_BLACKLIST_TTL). */
  static final long BLACKLIST_TTL_MS = 60_000;
  /**
   * A node met by address is dropped if it has not answered after max(node timeout, this). Redis's floor is
   * 1 s, enough for a TCP connect; the first message to a new peer here also waits for Akka remoting to
   * associate (two TCP connections each way and Artery's handshake), which took well over 10 s with twenty
   * JVMs joining on two busy cores; a MEET dropped before that is lost for good (loadtest/cluster-join.sh). The
   * MEET is said again every second meanwhile, so a peer that answers late still joins.
   */
  static final long HANDSHAKE_MIN_TIMEOUT_MS = 60_000;
  /** An unanswered MEET (or handshake PING) is sent again this often until the handshake times out. */
  static final long HANDSHAKE_RETRY_MS = 1000;

  private final ClusterState state;
  /** Forgotten node id -> when it may be learned again. */
  private final Map<String, Long> blacklist = new HashMap<>();
  private long cronRuns;

  Membership(ClusterState state) {
    this.state = state;
  }

  // ---- messages

  /** What every message's header says about a known sender: it is alive, its epochs and its offset. */
  void heardFrom(ClusterNode sender, Header h, long nowMs) {
    if (sender.pingSentMs != 0 && nowMs - sender.pingSentMs > ClusterState.CRON_PERIOD_MS * 10) {
      // It talks to us but our ping went unanswered: Redis would have reconnected by now and pinged again.
      sender.linked = false;
    }
    sender.dataReceivedMs = nowMs;
    if (h.currentEpoch() > state.currentEpoch) state.currentEpoch = h.currentEpoch();
    if (h.configEpoch() > sender.configEpoch && (h.flags() & ClusterNode.SLAVE) == 0) {
      sender.configEpoch = h.configEpoch();
      state.effects.save = true;
    }
    sender.replOffset = h.replOffset();
  }

  /**
   * A PING, PONG or MEET with a gossip section (Redis's clusterSendPing): about a tenth of the known nodes,
   * at least 3, chosen at random among those worth talking about, plus every node this node thinks is failing.
   */
  Ping ping(PingKind kind) {
    int wanted = Math.max(3, state.nodes.size() / 10);
    List<ClusterNode> candidates = new ArrayList<>();
    List<ClusterNode> failing = new ArrayList<>();
    for (ClusterNode node : state.nodes.values()) {
      if (node == state.myself || node.has(ClusterNode.HANDSHAKE | ClusterNode.NOADDR)) continue;
      if (node.has(ClusterNode.PFAIL)) {
        failing.add(node);
        continue;
      }
      if (!node.linked && state.slotCount(node) == 0 && !node.isReplica()) continue;
      candidates.add(node);
    }
    List<Gossip> gossip = new ArrayList<>();
    wanted = Math.min(wanted, candidates.size());
    for (int i = 0; i < wanted; i++) {
      ClusterNode chosen = candidates.remove(state.random.nextInt(candidates.size()));
      gossip.add(gossipAbout(chosen));
    }
    for (ClusterNode node : failing) gossip.add(gossipAbout(node));
    state.refreshAnnounced();
    return new Ping(kind, state.header(), gossip, state.myself.hostname);
  }

  private static Gossip gossipAbout(ClusterNode node) {
    return new Gossip(node.id, node.pingSentMs, node.pongReceivedMs, node.ip, node.port, node.cport, node.flags);
  }

  void sendPing(ClusterNode to, PingKind kind, long nowMs) {
    if (kind == PingKind.PING) to.pingSentMs = nowMs;
    state.send(to, ping(kind));
  }

  /** A PONG to every node, or only to the replicas of this node's master (Redis's clusterBroadcastPong). */
  void broadcastPong(boolean siblingsOnly) {
    ClusterNode myself = state.myself;
    for (ClusterNode node : state.nodes.values()) {
      if (node == myself || node.has(ClusterNode.HANDSHAKE | ClusterNode.NOADDR)) continue;
      if (siblingsOnly && !(node.isReplica() && node.masterId != null
          && (node.masterId.equals(myself.id) || node.masterId.equals(myself.masterId)))) {
        continue;
      }
      state.send(node, ping(PingKind.PONG));
    }
  }

  /** A PING, PONG or MEET; {@code sender} is null when it is not a known node past its handshake. */
  void receivePing(Ping ping, ClusterNode sender, long nowMs) {
    Header h = ping.header();
    ClusterNode myself = state.myself;
    String senderIp = h.myIp().isEmpty() ? h.busHost() : h.myIp();
    if (ping.kind() != PingKind.PONG) {
      if ((ping.kind() == PingKind.MEET || myself.ip.isEmpty()) && state.settings.clusterAnnounceIp().isEmpty()
          && !myself.ip.equals(state.busHost)) {
        // Redis learns its own address from the socket a MEET arrives on: the address the peer used; a node that
        // has none yet takes it from a PING too (a MEET would correct it later).
        myself.ip = state.busHost;
        state.savedAndRoutingChanged();
      }
      if (sender == null && ping.kind() == PingKind.MEET) {
        if (handshakeAt(senderIp, h.cport()) == null) {
          ClusterNode met = new ClusterNode(ClusterState.randomId(state.random), senderIp, h.port(), h.cport(),
              ClusterNode.HANDSHAKE, nowMs);
          state.nodes.put(met.id, met);
        }
        processGossip(ping.gossip(), null, true, nowMs);
      }
      state.sendTo(h.busHost(), h.cport(), ping(PingKind.PONG));
    }
    if (ping.kind() == PingKind.PONG) {
      ClusterNode handshaking = handshakeAt(h.busHost(), h.cport());
      if (handshaking != null) {
        // Redis goes on with a renamed node only at its next PONG; going on now saves a ping round.
        sender = finishHandshake(handshaking, h, sender, nowMs);
        if (sender == null) return;
      } else if (sender == null) {
        forgetAddressOfRenamedNode(h);
        return;
      }
    }
    if (sender == null) return;
    if (!sender.hostname.equals(ping.hostname())) {
      // As Redis 7.0's updateAnnouncedHostname: a ping without the extension clears it.
      sender.hostname = ping.hostname();
      state.savedAndRoutingChanged();
    }
    boolean newIp = !h.myIp().isEmpty() && !sender.ip.equals(h.myIp());
    if (newIp || sender.port != h.port() || sender.cport != h.cport()) {
      // Its announced address changed (CONFIG SET cluster-announce-port, a restart with another IP, as a rescheduled
      // pod): Redis's nodeUpdateAddressIfNeeded, which takes the IP from the socket, here from what the node announces.
      if (newIp) sender.ip = h.myIp();
      sender.port = h.port();
      sender.cport = h.cport();
      state.savedAndRoutingChanged();
    }
    sender.flags = (sender.flags & ~ClusterNode.NOFAILOVER) | (h.flags() & ClusterNode.NOFAILOVER);
    if (ping.kind() == PingKind.PONG) {
      sender.pongReceivedMs = nowMs;
      sender.pingSentMs = 0;
      state.failures.pongReceived(sender, nowMs);
    }
    updateRole(sender, h);
    state.slots.checkClaims(sender, h, nowMs);
    processGossip(ping.gossip(), sender, false, nowMs);
  }

  private ClusterNode handshakeAt(String host, int cport) {
    for (ClusterNode node : state.nodes.values()) {
      if (node.has(ClusterNode.HANDSHAKE) && node.ip.equals(host) && node.cport == cport) return node;
    }
    return null;
  }

  /**
   * The first PONG from a node met by address tells its real id (Redis's clusterRenameNode): the renamed node.
   * A node known under that id already keeps its entry and the handshake one is dropped; null if it was myself.
   */
  private ClusterNode finishHandshake(ClusterNode handshaking, Header h, ClusterNode known, long nowMs) {
    state.nodes.remove(handshaking.id);
    if (known != null || h.sender().equals(state.myself.id)) return known;
    handshaking.id = h.sender();
    handshaking.flags = (handshaking.flags & ~(ClusterNode.HANDSHAKE | ClusterNode.MEET))
        | (h.flags() & (ClusterNode.MASTER | ClusterNode.SLAVE));
    handshaking.pongReceivedMs = nowMs;
    handshaking.pingSentMs = 0;
    handshaking.dataReceivedMs = nowMs;
    state.nodes.put(handshaking.id, handshaking);
    state.effects.save = true;
    return handshaking;
  }

  /** A PONG from a known node's address but with another id: the node there was reset; its old id has no address. */
  private void forgetAddressOfRenamedNode(Header h) {
    for (ClusterNode node : state.nodes.values()) {
      if (node != state.myself && node.ip.equals(h.busHost()) && node.cport == h.cport()) {
        dropLinks(node, true);
        node.flags |= ClusterNode.NOADDR;
        node.ip = "";
        node.port = 0;
        node.cport = 0;
        node.linked = false;
        state.savedAndRoutingChanged();
      }
    }
  }

  /** The sender says it is a master, or a replica of someone: follow it (Redis's role switch on PING/PONG). */
  private void updateRole(ClusterNode sender, Header h) {
    if (h.masterId() == null) {
      if (sender.isReplica()) setAsMaster(sender);
      return;
    }
    if (sender.isMaster()) {
      state.slots.unbindSlotsOf(sender);
      sender.flags = (sender.flags & ~(ClusterNode.MASTER | ClusterNode.MIGRATE_TO)) | ClusterNode.SLAVE;
      state.savedAndRoutingChanged();
    }
    if (!h.masterId().equals(sender.masterId)) {
      ClusterNode master = state.node(h.masterId());
      sender.masterId = h.masterId();
      if (master != null) master.flags |= ClusterNode.MIGRATE_TO;
      state.savedAndRoutingChanged();
    }
  }

  private void processGossip(List<Gossip> gossip, ClusterNode sender, boolean fromMeet, long nowMs) {
    for (Gossip g : gossip) {
      ClusterNode node = state.node(g.id());
      boolean failingFlag = (g.flags() & (ClusterNode.PFAIL | ClusterNode.FAIL)) != 0;
      if (node != null) {
        if (sender != null && sender.isMaster() && node != state.myself) {
          state.failures.reportedBy(sender, node, failingFlag, nowMs);
        }
        if (!failingFlag && node.pingSentMs == 0 && node.failReports.isEmpty()
            && g.pongReceivedMs() <= nowMs + 500 && g.pongReceivedMs() > node.pongReceivedMs) {
          node.pongReceivedMs = g.pongReceivedMs();
        }
        if (node.failing() && !failingFlag && (g.flags() & ClusterNode.NOADDR) == 0
            && (!node.ip.equals(g.ip()) || node.port != g.port() || node.cport != g.cport())) {
          dropLinks(node, false);
          node.ip = g.ip();
          node.port = g.port();
          node.cport = g.cport();
          node.linked = false;
          state.routingChanged();
        }
      } else if ((sender != null || fromMeet) && (g.flags() & ClusterNode.NOADDR) == 0
          && !blacklisted(g.id(), nowMs) && !g.ip().isEmpty()) {
        startHandshake(g.ip(), g.port(), g.cport(), nowMs);
      }
    }
  }

  private boolean blacklisted(String id, long nowMs) {
    blacklist.values().removeIf(expiry -> expiry <= nowMs);
    return blacklist.containsKey(id);
  }

  // ---- the cron

  /** The cron's part: handshakes time out or are said again, new links ping, every 10th run pings a random node. */
  void cron(long nowMs) {
    cronRuns++;
    long handshakeTimeout = Math.max(state.nodeTimeout(), HANDSHAKE_MIN_TIMEOUT_MS);
    blacklisted("", nowMs);
    for (Iterator<ClusterNode> it = state.nodes.values().iterator(); it.hasNext(); ) {
      ClusterNode node = it.next();
      if (node == state.myself || node.has(ClusterNode.NOADDR)) continue;
      if (node.has(ClusterNode.HANDSHAKE) && nowMs - node.createdMs > handshakeTimeout) {
        it.remove();
        dropLinks(node, true);
        continue;
      }
      if (node.has(ClusterNode.HANDSHAKE) && node.linked && nowMs - node.linkCreatedMs >= HANDSHAKE_RETRY_MS) {
        node.linked = false; // unanswered: say it again (a Redis link would retransmit)
      }
      if (!node.linked) {
        node.linked = true;
        node.linkCreatedMs = nowMs;
        long pendingPing = node.pingSentMs;
        sendPing(node, node.has(ClusterNode.MEET) ? PingKind.MEET : PingKind.PING, nowMs);
        if (pendingPing != 0) node.pingSentMs = pendingPing;
        if (!node.has(ClusterNode.HANDSHAKE)) node.flags &= ~ClusterNode.MEET;
      }
    }
    if (cronRuns % 10 == 0) pingOldestOfFiveRandom(nowMs);
  }

  private void pingOldestOfFiveRandom(long nowMs) {
    List<ClusterNode> candidates = new ArrayList<>();
    for (ClusterNode node : state.nodes.values()) {
      if (node == state.myself || !node.linked || node.pingSentMs != 0
          || node.has(ClusterNode.HANDSHAKE | ClusterNode.NOADDR)) {
        continue;
      }
      candidates.add(node);
    }
    ClusterNode oldest = null;
    for (int i = 0; i < 5 && !candidates.isEmpty(); i++) {
      ClusterNode candidate = candidates.remove(state.random.nextInt(candidates.size()));
      if (oldest == null || candidate.pongReceivedMs < oldest.pongReceivedMs) oldest = candidate;
    }
    if (oldest != null) sendPing(oldest, PingKind.PING, nowMs);
  }

  // ---- roles

  /** A replica (or this node) becomes a master (Redis's clusterSetNodeAsPrimary). */
  void setAsMaster(ClusterNode node) {
    if (node.isMaster()) return;
    // A promoted replica's master had replicas: it is a target for replica migration (Redis's MIGRATE_TO).
    if (node != state.myself && node.masterId != null) node.flags |= ClusterNode.MIGRATE_TO;
    node.flags = (node.flags & ~ClusterNode.SLAVE) | ClusterNode.MASTER;
    node.masterId = null;
    state.savedAndRoutingChanged();
  }

  /** This node follows {@code master} (Redis's clusterSetMaster). */
  void becomeReplicaOf(ClusterNode master) {
    ClusterNode myself = state.myself;
    if (myself.isMaster()) state.slots.closeAll();
    myself.flags = (myself.flags & ~(ClusterNode.MASTER | ClusterNode.MIGRATE_TO)) | ClusterNode.SLAVE;
    myself.masterId = master.id;
    master.flags |= ClusterNode.MIGRATE_TO;
    state.savedAndRoutingChanged();
    // As Redis's clusterSetMaster: a demoted master of a manual failover resumes writes.
    state.failover.resetManualFailover();
  }

  // ---- changes the CLUSTER commands make; each returns null, or Redis's error text

  /** CLUSTER REPLICATE; {@code myKeys} is this node's key count. */
  String replicate(String id, long myKeys) {
    ClusterNode master = state.node(id);
    if (master == null) return "ERR Unknown node " + id;
    if (master == state.myself) return "ERR Can't replicate myself";
    if (master.isReplica()) return "ERR I can only replicate a master, not a replica.";
    if (state.myself.isMaster() && (state.slotCount(state.myself) != 0 || myKeys != 0)) {
      return "ERR To set a master the node must be empty and without assigned slots.";
    }
    becomeReplicaOf(master);
    return null;
  }

  // ---- CLUSTER MEET and FORGET

  /** CLUSTER MEET: null when the handshake started (or is under way), else the error. */
  String meet(String ip, int port, int cport, long nowMs) {
    if (port <= 0 || port > 65535 || cport <= 0 || cport > 65535) {
      return "ERR Invalid node address specified: " + ip + ":" + port;
    }
    startHandshake(ip, port, cport, nowMs);
    return null;
  }

  private void startHandshake(String ip, int port, int cport, long nowMs) {
    for (ClusterNode node : state.nodes.values()) {
      if (node.has(ClusterNode.HANDSHAKE) && node.ip.equals(ip) && node.port == port && node.cport == cport) return;
    }
    ClusterNode node = new ClusterNode(ClusterState.randomId(state.random), ip, port, cport,
        ClusterNode.HANDSHAKE | ClusterNode.MEET, nowMs);
    state.nodes.put(node.id, node);
  }

  /**
   * Redis frees a node's links with the node (its inbound one too, with {@code inbound}), and its outbound link when
   * the address changes. The bus has one link per address: it stays while another node is known there.
   */
  private void dropLinks(ClusterNode node, boolean inbound) {
    boolean shared = false;
    for (ClusterNode other : state.nodes.values()) {
      shared |= other != node && other != state.myself && other.ip.equals(node.ip) && other.cport == node.cport;
    }
    String host = shared || node.ip.isEmpty() ? null : node.ip;
    state.effects.linksToDrop.add(new ClusterState.LinkDrop(inbound ? node.id : null, host, node.cport));
  }

  /** CLUSTER FORGET: the node goes, and gossip may not bring it back for {@link #BLACKLIST_TTL_MS}. */
  String forget(String id, long nowMs) {
    ClusterNode node = state.node(id);
    if (node == null) return "ERR Unknown node " + id;
    if (node == state.myself) return "ERR I tried hard but I can't forget myself...";
    if (state.myself.isReplica() && node.id.equals(state.myself.masterId)) return "ERR Can't forget my master!";
    blacklist.put(node.id, nowMs + BLACKLIST_TTL_MS);
    delete(node);
    return null;
  }

  /** Every node but myself goes (CLUSTER RESET). */
  void forgetAllOthers() {
    for (ClusterNode node : new ArrayList<>(state.nodes.values())) if (node != state.myself) delete(node);
  }

  private void delete(ClusterNode node) {
    state.slots.forgetNode(node);
    for (ClusterNode other : state.nodes.values()) other.failReports.remove(node.id);
    state.nodes.remove(node.id);
    dropLinks(node, true);
    state.savedAndRoutingChanged();
  }
}
