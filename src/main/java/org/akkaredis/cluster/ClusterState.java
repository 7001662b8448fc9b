package org.akkaredis.cluster;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.akkaredis.cluster.BusMessage.Gossip;
import org.akkaredis.cluster.BusMessage.Header;
import org.akkaredis.cluster.BusMessage.Ping;
import org.akkaredis.cluster.BusMessage.PingKind;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.keyspace.Slots;

/**
 * This node's view of the cluster (Redis's clusterState): the known nodes, who owns each slot, the epochs and
 * whether the cluster is ok, with Redis Cluster's rules as plain methods: a bus message received, the cron's
 * pings and failure detection, the CLUSTER commands' changes. Methods never send or write anything; they put
 * what should happen into {@link Effects}, which the cluster manager actor performs. Not thread-safe: one
 * actor owns it.
 */
public final class ClusterState {
  /** Redis keeps a freshly started master in fail state this long (CLUSTER_WRITABLE_DELAY). */
  public static final long WRITABLE_DELAY_MS = 2000;
  /** A forgotten node is not re-added from gossip for this long (CLUSTER_BLACKLIST_TTL). */
  public static final long BLACKLIST_TTL_MS = 60_000;
  /**
   * A node met by address is dropped if it has not answered after max(node timeout, this). Redis's floor is
   * 1 s, enough for a TCP connect; the first message to a new peer here also waits for Akka remoting to
   * associate, which took up to 5 s on a loaded two-core machine.
   */
  static final long HANDSHAKE_MIN_TIMEOUT_MS = 10_000;
  /** An unanswered MEET (or handshake PING) is sent again this often until the handshake times out. */
  static final long HANDSHAKE_RETRY_MS = 1000;
  /** The cron runs every 100 ms; every 10th run pings a random node. */
  public static final long CRON_PERIOD_MS = 100;
  /** A manual failover must complete within this (CLUSTER_MF_TIMEOUT); the master pauses writes twice as long. */
  public static final long MF_TIMEOUT_MS = 5000;
  static final long MF_PAUSE_MULT = 2;
  /** A master must stay orphaned this long before a replica migrates to it (CLUSTER_SLAVE_MIGRATION_DELAY). */
  static final long MIGRATION_DELAY_MS = 5000;
  /** "Currently unable to failover" is said again for the same reason only after this (seconds in Redis). */
  static final long CANT_FAILOVER_RELOG_MS = 10_000;

  /** A message for a node at a bus address; {@code targetId} names it for the bus's fault switch. */
  public record Outgoing(String targetId, String host, int cport, BusMessage message) {}

  /** What the last changes ask of the actor. Drained after each message. */
  public static final class Effects {
    public final List<Outgoing> outgoing = new ArrayList<>();
    /** nodes.conf must be written (and, for votes and epochs, fsynced before answering). */
    public boolean save;
    /**
     * nodes.conf must be written and fsynced before any message of {@link #outgoing} leaves: a vote, a new epoch
     * or a promotion must not be forgotten by a restart after others heard of it (Redis's FSYNC_CONFIG).
     */
    public boolean saveBeforeSend;
    /** Slots whose keys must go: this node lost them to a node with a newer configuration. */
    public final BitSet slotsToEmpty = new BitSet();
    /** Writes to be paused until this unix time in ms (a manual failover's master), 0 to resume, -1: no change. */
    public long pauseWritesUntil = -1;
    /** What to log, in Redis's words (its warnings about elections, votes and failovers). */
    public final List<String> log = new ArrayList<>();

    public void clear() {
      outgoing.clear();
      save = false;
      saveBeforeSend = false;
      slotsToEmpty.clear();
      pauseWritesUntil = -1;
      log.clear();
    }
  }

  private final Settings settings;
  private final String busHost;
  private final Random random;
  private final Map<String, ClusterNode> nodes = new LinkedHashMap<>();
  private final ClusterNode[] owners = new ClusterNode[Slots.COUNT];
  private final Map<String, Long> blacklist = new HashMap<>();
  private final Map<String, Long> sent = new HashMap<>();
  private final Map<String, Long> received = new HashMap<>();
  private final Effects effects = new Effects();
  private ClusterNode myself;
  private long currentEpoch;
  private long lastVoteEpoch;
  private boolean ok;
  private long startedAtMs;
  private long amongMinoritySinceMs;
  private long cronRuns;
  /** The time of the latest message or cron run, for what CLUSTER NODES prints. */
  private long lastNowMs;
  /** Bumped by every change that can change routing; the actor republishes when it moves. */
  private long routingVersion;
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

  /**
   * A node that knows only itself. {@code busHost} is the host of this node's bus address: peers reach it
   * there, so it is the address a MEET teaches this node about itself.
   */
  public ClusterState(String myId, int port, int cport, String busHost, Settings settings, Random random,
      long nowMs) {
    this.settings = settings;
    this.busHost = busHost;
    this.random = random;
    this.startedAtMs = nowMs;
    this.myself = new ClusterNode(myId, settings.clusterAnnounceIp(), port, cport,
        ClusterNode.MYSELF | ClusterNode.MASTER, nowMs);
    nodes.put(myId, myself);
  }

  public static String randomId(Random random) {
    byte[] bytes = new byte[20];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  public static String randomId() {
    return randomId(new SecureRandom());
  }

  // ---- reading

  public ClusterNode myself() {
    return myself;
  }

  public ClusterNode node(String id) {
    return id == null ? null : nodes.get(id.toLowerCase());
  }

  public Collection<ClusterNode> nodes() {
    return nodes.values();
  }

  public ClusterNode owner(int slot) {
    return owners[slot];
  }

  public long currentEpoch() {
    return currentEpoch;
  }

  public long lastVoteEpoch() {
    return lastVoteEpoch;
  }

  public boolean ok() {
    return ok;
  }

  public long routingVersion() {
    return routingVersion;
  }

  public Effects effects() {
    return effects;
  }

  public long messagesSent(String type) {
    return sent.getOrDefault(type, 0L);
  }

  public long messagesReceived(String type) {
    return received.getOrDefault(type, 0L);
  }

  private long nodeTimeout() {
    return settings.clusterNodeTimeout();
  }

  /** The master whose slots this node's data follows: itself, or its master. */
  public ClusterNode myMaster() {
    return myself.isMaster() ? myself : node(myself.masterId);
  }

  /** A replica reports its master's configEpoch (CLUSTER NODES, CLUSTER INFO, the bus header). */
  public long epochOf(ClusterNode node) {
    if (node.isReplica()) {
      ClusterNode master = node(node.masterId);
      return master == null ? 0 : master.configEpoch;
    }
    return node.configEpoch;
  }

  public int slotCount(ClusterNode node) {
    int count = 0;
    for (ClusterNode owner : owners) if (owner == node) count++;
    return count;
  }

  public BitSet slotsOf(ClusterNode node) {
    BitSet slots = new BitSet(Slots.COUNT);
    for (int slot = 0; slot < Slots.COUNT; slot++) if (owners[slot] == node) slots.set(slot);
    return slots;
  }

  public List<ClusterNode> replicasOf(ClusterNode master) {
    List<ClusterNode> replicas = new ArrayList<>();
    for (ClusterNode node : nodes.values()) {
      if (node.isReplica() && master.id.equals(node.masterId)) replicas.add(node);
    }
    return replicas;
  }

  /** Masters serving at least one slot: Redis's cluster size. */
  public int size() {
    int size = 0;
    for (ClusterNode node : nodes.values()) if (node.isMaster() && slotCount(node) > 0) size++;
    return size;
  }

  // ---- loading (nodes.conf)

  /** Restores the state nodes.conf describes; {@code loaded} holds every node, one of them flagged myself. */
  void restore(List<ClusterNode> loaded, Map<ClusterNode, BitSet> slots, long currentEpoch, long lastVoteEpoch) {
    nodes.clear();
    Arrays.fill(owners, null);
    for (ClusterNode node : loaded) {
      nodes.put(node.id, node);
      if (node.has(ClusterNode.MYSELF)) myself = node;
    }
    slots.forEach((node, bits) -> bits.stream().forEach(slot -> owners[slot] = node));
    long maxEpoch = 0;
    for (ClusterNode node : loaded) maxEpoch = Math.max(maxEpoch, node.configEpoch);
    this.currentEpoch = Math.max(currentEpoch, maxEpoch);
    this.lastVoteEpoch = lastVoteEpoch;
    routingVersion++;
  }

  // ---- messages

  /** The header this node puts on every message. */
  Header header() {
    ClusterNode master = myMaster();
    BitSet slots = master == null ? new BitSet(Slots.COUNT) : slotsOf(master);
    // A master in a manual failover has paused writes: the offset it sends is the one the replica must reach.
    int mflags = myself.isMaster() && mfEnd != 0 ? BusMessage.MF_PAUSED : 0;
    return new Header(myself.id, currentEpoch, epochOf(myself), myself.replOffset,
        myself.flags & ~(ClusterNode.PFAIL | ClusterNode.FAIL), slots, myself.masterId, myself.ip, busHost,
        myself.port, myself.cport, ok, mflags);
  }

  private void log(String line) {
    effects.log.add(line);
  }

  /** What replication says now: this node's offset and when a replica last heard from its master. */
  public void replicationStatus(long offset, long lastMasterInteractionMs) {
    myself.replOffset = offset;
    this.lastMasterInteractionMs = lastMasterInteractionMs;
  }

  private void send(ClusterNode to, BusMessage message) {
    effects.outgoing.add(new Outgoing(to.id, to.ip, to.cport, message));
    sent.merge(BusMessage.statName(message), 1L, Long::sum);
  }

  private void sendTo(String host, int cport, BusMessage message) {
    effects.outgoing.add(new Outgoing(null, host, cport, message));
    sent.merge(BusMessage.statName(message), 1L, Long::sum);
  }

  /** To every node with an address that has finished the handshake. */
  private void broadcast(BusMessage message) {
    for (ClusterNode node : nodes.values()) {
      if (node == myself || node.has(ClusterNode.HANDSHAKE | ClusterNode.NOADDR)) continue;
      send(node, message);
    }
  }

  /**
   * A PING, PONG or MEET with a gossip section (Redis's clusterSendPing): about a tenth of the known nodes,
   * at least 3, chosen at random among those worth talking about, plus every node this node thinks is failing.
   */
  Ping ping(PingKind kind, long nowMs) {
    int known = nodes.size();
    int wanted = Math.max(3, known / 10);
    List<ClusterNode> candidates = new ArrayList<>();
    List<ClusterNode> failing = new ArrayList<>();
    for (ClusterNode node : nodes.values()) {
      if (node == myself || node.has(ClusterNode.HANDSHAKE | ClusterNode.NOADDR)) continue;
      if (node.has(ClusterNode.PFAIL)) {
        failing.add(node);
        continue;
      }
      if (!node.linked && slotCount(node) == 0 && !node.isReplica()) continue;
      candidates.add(node);
    }
    List<Gossip> gossip = new ArrayList<>();
    wanted = Math.min(wanted, candidates.size());
    for (int i = 0; i < wanted; i++) {
      ClusterNode chosen = candidates.remove(random.nextInt(candidates.size()));
      gossip.add(gossipAbout(chosen));
    }
    for (ClusterNode node : failing) gossip.add(gossipAbout(node));
    return new Ping(kind, header(), gossip);
  }

  private static Gossip gossipAbout(ClusterNode node) {
    return new Gossip(node.id, node.pingSentMs, node.pongReceivedMs, node.ip, node.port, node.cport, node.flags);
  }

  private void sendPing(ClusterNode to, PingKind kind, long nowMs) {
    if (kind == PingKind.PING) to.pingSentMs = nowMs;
    send(to, ping(kind, nowMs));
  }

  /** Redis's clusterProcessPacket: one message from the bus. */
  public void receive(BusMessage message, long nowMs) {
    received.merge(BusMessage.statName(message), 1L, Long::sum);
    Header h = message.header();
    ClusterNode sender = node(h.sender());
    if (sender != null && sender.has(ClusterNode.HANDSHAKE)) sender = null;
    lastNowMs = nowMs;
    if (sender != null) {
      if (sender.pingSentMs != 0 && nowMs - sender.pingSentMs > CRON_PERIOD_MS * 10) {
        // It talks to us but our ping went unanswered: Redis would have reconnected by now and pinged again.
        sender.linked = false;
      }
      sender.dataReceivedMs = nowMs;
      if (h.currentEpoch() > currentEpoch) currentEpoch = h.currentEpoch();
      if (h.configEpoch() > sender.configEpoch && !isReplicaHeader(h)) {
        sender.configEpoch = h.configEpoch();
        effects.save = true;
      }
      sender.replOffset = h.replOffset();
      if (mfEnd != 0 && myself.isReplica() && sender.id.equals(myself.masterId)
          && (h.mflags() & BusMessage.MF_PAUSED) != 0 && mfMasterOffset == -1) {
        mfMasterOffset = sender.replOffset;
        log("Received replication offset for paused master manual failover: " + mfMasterOffset);
      }
    }
    if (message instanceof Ping ping) {
      receivePing(ping, sender, nowMs);
    } else if (message instanceof BusMessage.Fail fail) {
      ClusterNode failing = node(fail.failing());
      if (sender != null && failing != null && !failing.has(ClusterNode.FAIL | ClusterNode.MYSELF)) {
        failing.flags = (failing.flags | ClusterNode.FAIL) & ~ClusterNode.PFAIL;
        failing.failTimeMs = nowMs;
        effects.save = true;
        routingVersion++;
      }
    } else if (message instanceof BusMessage.Update update) {
      ClusterNode target = node(update.node());
      if (sender != null && target != null && target.configEpoch < update.configEpoch()) {
        if (target.isReplica()) setAsMaster(target);
        target.configEpoch = update.configEpoch();
        updateSlotsConfigWith(target, update.configEpoch(), update.slots(), nowMs);
        effects.saveBeforeSend = true;
      }
    } else if (message instanceof BusMessage.FailoverAuthRequest) {
      if (sender != null) voteIfNeeded(sender, h, nowMs);
    } else if (message instanceof BusMessage.FailoverAuthAck) {
      // Only votes of masters with slots, given in this election's epoch or later, count.
      if (sender != null && sender.isMaster() && slotCount(sender) > 0 && h.currentEpoch() >= failoverAuthEpoch) {
        failoverAuthCount++;
        if (myself.isReplica()) handleReplicaFailover(nowMs); // a majority may be there: act now, not at the cron
      }
    } else if (message instanceof BusMessage.MfStart) {
      if (sender != null && myself.isMaster() && myself.id.equals(sender.masterId)) {
        startManualFailoverAsMaster(sender, nowMs);
      }
    }
    if (mfEnd != 0 && myself.isReplica() && mfMasterOffset != -1 && !mfCanStart) {
      handleManualFailover(nowMs);
      handleReplicaFailover(nowMs);
    }
    // Publish messages are counted; pub/sub acts on them.
  }

  private static boolean isReplicaHeader(Header h) {
    return (h.flags() & ClusterNode.SLAVE) != 0;
  }

  private void receivePing(Ping ping, ClusterNode sender, long nowMs) {
    Header h = ping.header();
    String senderIp = h.myIp().isEmpty() ? h.busHost() : h.myIp();
    if (ping.kind() != PingKind.PONG) {
      if ((ping.kind() == PingKind.MEET || myself.ip.isEmpty()) && settings.clusterAnnounceIp().isEmpty()
          && !myself.ip.equals(busHost)) {
        // Redis learns its own address from the socket a MEET arrives on: the address the peer used; a node that
        // has none yet takes it from a PING too (a MEET would correct it later).
        myself.ip = busHost;
        effects.save = true;
        routingVersion++;
      }
      if (sender == null && ping.kind() == PingKind.MEET) {
        if (handshakeAt(senderIp, h.cport()) == null) {
          ClusterNode met = new ClusterNode(randomId(random), senderIp, h.port(), h.cport(),
              ClusterNode.HANDSHAKE, nowMs);
          nodes.put(met.id, met);
        }
        processGossip(ping.gossip(), null, true, nowMs);
      }
      sendTo(h.busHost(), h.cport(), ping(PingKind.PONG, nowMs));
    }
    if (ping.kind() == PingKind.PONG) {
      ClusterNode handshaking = handshakeAt(h.busHost(), h.cport());
      if (handshaking != null) {
        // Redis goes on with a renamed node only at its next PONG; going on now saves a ping round.
        sender = finishHandshake(handshaking, h, sender, nowMs);
        if (sender == null) return;
      } else if (sender == null) {
        forgetAddressOfRenamedNode(h, nowMs);
        return;
      }
    }
    if (sender == null) return;
    sender.flags = (sender.flags & ~ClusterNode.NOFAILOVER) | (h.flags() & ClusterNode.NOFAILOVER);
    if (ping.kind() == PingKind.PONG) {
      sender.pongReceivedMs = nowMs;
      sender.pingSentMs = 0;
      if (sender.has(ClusterNode.PFAIL)) {
        sender.flags &= ~ClusterNode.PFAIL;
        routingVersion++;
      } else if (sender.has(ClusterNode.FAIL)) {
        clearFailureIfNeeded(sender, nowMs);
      }
    }
    updateRole(sender, h);
    ClusterNode senderMaster = sender.isMaster() ? sender : node(sender.masterId);
    boolean dirtySlots = senderMaster != null && !slotsOf(senderMaster).equals(h.slots());
    if (sender.isMaster() && dirtySlots) updateSlotsConfigWith(sender, h.configEpoch(), h.slots(), nowMs);
    if (dirtySlots) sendUpdateIfStale(sender, h);
    if (sender.isMaster() && myself.isMaster() && h.configEpoch() == myself.configEpoch) {
      handleConfigEpochCollision(sender);
    }
    processGossip(ping.gossip(), sender, false, nowMs);
  }

  private ClusterNode handshakeAt(String host, int cport) {
    for (ClusterNode node : nodes.values()) {
      if (node.has(ClusterNode.HANDSHAKE) && node.ip.equals(host) && node.cport == cport) return node;
    }
    return null;
  }

  /**
   * The first PONG from a node met by address tells its real id (Redis's clusterRenameNode): the renamed node.
   * A node known under that id already keeps its entry and the handshake one is dropped; null if it was myself.
   */
  private ClusterNode finishHandshake(ClusterNode handshaking, Header h, ClusterNode known, long nowMs) {
    nodes.remove(handshaking.id);
    if (known != null || h.sender().equals(myself.id)) return known;
    handshaking.id = h.sender();
    handshaking.flags = (handshaking.flags & ~(ClusterNode.HANDSHAKE | ClusterNode.MEET))
        | (h.flags() & (ClusterNode.MASTER | ClusterNode.SLAVE));
    handshaking.pongReceivedMs = nowMs;
    handshaking.pingSentMs = 0;
    handshaking.dataReceivedMs = nowMs;
    nodes.put(handshaking.id, handshaking);
    effects.save = true;
    return handshaking;
  }

  /** A PONG from a known node's address but with another id: the node there was reset; its old id has no address. */
  private void forgetAddressOfRenamedNode(Header h, long nowMs) {
    for (ClusterNode node : nodes.values()) {
      if (node != myself && node.ip.equals(h.busHost()) && node.cport == h.cport()) {
        node.flags |= ClusterNode.NOADDR;
        node.ip = "";
        node.port = 0;
        node.cport = 0;
        node.linked = false;
        effects.save = true;
        routingVersion++;
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
      unbindSlotsOf(sender);
      sender.flags = (sender.flags & ~(ClusterNode.MASTER | ClusterNode.MIGRATE_TO)) | ClusterNode.SLAVE;
      effects.save = true;
      routingVersion++;
    }
    if (!h.masterId().equals(sender.masterId)) {
      ClusterNode master = node(h.masterId());
      sender.masterId = h.masterId();
      if (master != null) master.flags |= ClusterNode.MIGRATE_TO;
      effects.save = true;
      routingVersion++;
    }
  }

  private void setAsMaster(ClusterNode node) {
    if (node.isMaster()) return;
    // A promoted replica's master had replicas: it is a target for replica migration (Redis's MIGRATE_TO).
    if (node != myself && node.masterId != null) node.flags |= ClusterNode.MIGRATE_TO;
    node.flags = (node.flags & ~ClusterNode.SLAVE) | ClusterNode.MASTER;
    node.masterId = null;
    effects.save = true;
    routingVersion++;
  }

  private void unbindSlotsOf(ClusterNode node) {
    for (int slot = 0; slot < Slots.COUNT; slot++) if (owners[slot] == node) owners[slot] = null;
  }

  /** Redis's clusterUpdateSlotsConfigWith: claims with a newer configEpoch win slots. */
  void updateSlotsConfigWith(ClusterNode sender, long senderEpoch, BitSet claimed, long nowMs) {
    if (sender == myself) return;
    ClusterNode myMaster = myMaster();
    ClusterNode newMaster = null;
    boolean hadNoSlots = slotCount(sender) == 0;
    for (int slot = claimed.nextSetBit(0); slot >= 0; slot = claimed.nextSetBit(slot + 1)) {
      ClusterNode owner = owners[slot];
      if (owner == sender) continue;
      if (owner != null && owner.configEpoch >= senderEpoch) continue;
      if (owner == myself && myself.isMaster()) effects.slotsToEmpty.set(slot);
      if (owner != null && owner == myMaster) newMaster = sender;
      owners[slot] = sender;
      effects.save = true;
      routingVersion++;
    }
    firstSlots(sender, hadNoSlots);
    if (newMaster != null && myMaster != null && slotCount(myMaster) == 0
        && (settings.clusterAllowReplicaMigration() || myMaster != myself)) {
      // All our slots went to the sender: follow it, as a replica.
      log("Configuration change detected. Reconfiguring myself as a replica of " + newMaster.id);
      becomeReplicaOf(newMaster);
      effects.slotsToEmpty.clear();
    }
  }

  private void sendUpdateIfStale(ClusterNode sender, Header h) {
    BitSet claimed = h.slots();
    for (int slot = claimed.nextSetBit(0); slot >= 0; slot = claimed.nextSetBit(slot + 1)) {
      ClusterNode owner = owners[slot];
      if (owner == null || owner == sender) continue;
      if (owner.configEpoch > h.configEpoch()) {
        send(sender, new BusMessage.Update(header(), owner.id, owner.configEpoch, slotsOf(owner)));
        return;
      }
    }
  }

  /** cluster-spec's configEpoch conflict resolution: of two masters with one epoch, the smaller id moves on. */
  void handleConfigEpochCollision(ClusterNode sender) {
    if (sender.configEpoch != myself.configEpoch || !sender.isMaster() || !myself.isMaster()) return;
    if (sender.id.compareTo(myself.id) <= 0) return;
    currentEpoch++;
    myself.configEpoch = currentEpoch;
    effects.save = true;
  }

  private void processGossip(List<Gossip> gossip, ClusterNode sender, boolean fromMeet, long nowMs) {
    for (Gossip g : gossip) {
      ClusterNode node = node(g.id());
      boolean failingFlag = (g.flags() & (ClusterNode.PFAIL | ClusterNode.FAIL)) != 0;
      if (node != null) {
        if (sender != null && sender.isMaster() && node != myself) {
          if (failingFlag) {
            node.failReports.put(sender.id, nowMs);
            markFailingIfNeeded(node, nowMs);
          } else {
            node.failReports.remove(sender.id);
          }
        }
        if (!failingFlag && node.pingSentMs == 0 && node.failReports.isEmpty()
            && g.pongReceivedMs() <= nowMs + 500 && g.pongReceivedMs() > node.pongReceivedMs) {
          node.pongReceivedMs = g.pongReceivedMs();
        }
        if (node.failing() && !failingFlag && (g.flags() & ClusterNode.NOADDR) == 0
            && (!node.ip.equals(g.ip()) || node.port != g.port() || node.cport != g.cport())) {
          node.ip = g.ip();
          node.port = g.port();
          node.cport = g.cport();
          node.linked = false;
          routingVersion++;
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

  /** Redis's markNodeAsFailingIfNeeded: PFAIL becomes FAIL when a majority of masters agrees. */
  void markFailingIfNeeded(ClusterNode node, long nowMs) {
    if (!node.has(ClusterNode.PFAIL) || node.has(ClusterNode.FAIL)) return;
    int failures = validFailReports(node, nowMs) + (myself.isMaster() ? 1 : 0);
    if (failures < size() / 2 + 1) return;
    node.flags = (node.flags & ~ClusterNode.PFAIL) | ClusterNode.FAIL;
    node.failTimeMs = nowMs;
    broadcast(new BusMessage.Fail(header(), node.id));
    effects.save = true;
    routingVersion++;
  }

  /** Failure reports younger than twice the node timeout; older ones are dropped. */
  public int validFailReports(ClusterNode node, long nowMs) {
    long maxAge = nodeTimeout() * 2;
    node.failReports.values().removeIf(time -> nowMs - time > maxAge);
    return node.failReports.size();
  }

  /** Redis's clearNodeFailureIfNeeded: a reachable node loses FAIL (a master with slots only after a while). */
  void clearFailureIfNeeded(ClusterNode node, long nowMs) {
    if (node.isReplica() || slotCount(node) == 0
        || nowMs - node.failTimeMs > nodeTimeout() * 2) {
      node.flags &= ~ClusterNode.FAIL;
      effects.save = true;
      routingVersion++;
    }
  }

  // ---- the cron

  /** Redis's clusterCron, every 100 ms: handshakes, pings, link checks, PFAIL, then the cluster state. */
  public void cron(long nowMs) {
    lastNowMs = nowMs;
    cronRuns++;
    // Siblings rank only replicas that may fail over: the setting travels in our flags (clusterUpdateMyselfFlags).
    int noFailover = settings.clusterReplicaNoFailover() ? ClusterNode.NOFAILOVER : 0;
    if ((myself.flags & ClusterNode.NOFAILOVER) != noFailover) {
      myself.flags = (myself.flags & ~ClusterNode.NOFAILOVER) | noFailover;
      effects.save = true;
    }
    long timeout = nodeTimeout();
    long handshakeTimeout = Math.max(timeout, HANDSHAKE_MIN_TIMEOUT_MS);
    blacklisted("", nowMs);
    for (Iterator<ClusterNode> it = nodes.values().iterator(); it.hasNext(); ) {
      ClusterNode node = it.next();
      if (node == myself || node.has(ClusterNode.NOADDR)) continue;
      if (node.has(ClusterNode.HANDSHAKE) && nowMs - node.createdMs > handshakeTimeout) {
        it.remove();
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
    for (ClusterNode node : nodes.values()) {
      if (node == myself || node.has(ClusterNode.NOADDR | ClusterNode.HANDSHAKE)) continue;
      long pingDelay = nowMs - node.pingSentMs;
      long dataDelay = nowMs - node.dataReceivedMs;
      if (node.linked && nowMs - node.linkCreatedMs > timeout && node.pingSentMs != 0
          && pingDelay > timeout / 2 && dataDelay > timeout / 2) {
        node.linked = false; // Redis drops the link and reconnects; the next run pings again
        continue;
      }
      if (node.linked && node.pingSentMs == 0 && nowMs - node.pongReceivedMs > timeout / 2) {
        sendPing(node, PingKind.PING, nowMs);
        continue;
      }
      if (mfEnd != 0 && myself.isMaster() && mfReplica == node && node.linked) {
        sendPing(node, PingKind.PING, nowMs); // the replica of a manual failover hears the paused offset often
        continue;
      }
      if (node.pingSentMs == 0) continue;
      if (Math.min(pingDelay, dataDelay) > timeout && !node.failing()) {
        node.flags |= ClusterNode.PFAIL;
        routingVersion++;
      }
    }
    if (mfEnd != 0 && mfEnd < nowMs) {
      log("Manual failover timed out.");
      resetManualFailover();
    }
    if (myself.isReplica()) {
      handleManualFailover(nowMs);
      handleReplicaFailover(nowMs);
      considerMigration(nowMs);
    }
    updateState(nowMs);
  }

  private void pingOldestOfFiveRandom(long nowMs) {
    List<ClusterNode> candidates = new ArrayList<>();
    for (ClusterNode node : nodes.values()) {
      if (node == myself || !node.linked || node.pingSentMs != 0
          || node.has(ClusterNode.HANDSHAKE | ClusterNode.NOADDR)) {
        continue;
      }
      candidates.add(node);
    }
    ClusterNode oldest = null;
    for (int i = 0; i < 5 && !candidates.isEmpty(); i++) {
      ClusterNode candidate = candidates.remove(random.nextInt(candidates.size()));
      if (oldest == null || candidate.pongReceivedMs < oldest.pongReceivedMs) oldest = candidate;
    }
    if (oldest != null) sendPing(oldest, PingKind.PING, nowMs);
  }

  /**
   * Redis's clusterUpdateState: ok when every slot is served by a non-failing node (or coverage is not
   * required) and a majority of the slot-owning masters is reachable. A master that starts in fail stays there
   * for {@link #WRITABLE_DELAY_MS}, and one leaving a minority waits the rejoin delay.
   */
  public void updateState(long nowMs) {
    if (myself.isMaster() && !ok && nowMs - startedAtMs < WRITABLE_DELAY_MS) return;
    boolean nowOk = true;
    if (settings.clusterRequireFullCoverage()) {
      for (ClusterNode owner : owners) {
        if (owner == null || owner.has(ClusterNode.FAIL)) {
          nowOk = false;
          break;
        }
      }
    }
    int size = 0;
    int reachable = 0;
    Map<ClusterNode, Boolean> counted = new HashMap<>();
    for (ClusterNode owner : owners) {
      if (owner == null || counted.put(owner, true) != null || !owner.isMaster()) continue;
      size++;
      if (!owner.failing()) reachable++;
    }
    if (reachable < size / 2 + 1) {
      nowOk = false;
      // Redis also counts a node that knows no slot owner at all (size 0) as "in a minority", so a master that
      // was up for 2 s before its cluster was created waits the rejoin delay too; nothing was partitioned there.
      if (size > 0) amongMinoritySinceMs = nowMs;
    }
    if (nowOk == ok) return;
    long rejoinDelay = Math.min(Math.max(nodeTimeout(), 500), 5000);
    if (nowOk && myself.isMaster() && nowMs - amongMinoritySinceMs < rejoinDelay) return;
    ok = nowOk;
    log("Cluster state changed: " + (ok ? "ok" : "fail"));
    routingVersion++;
  }

  // ---- failover (Redis's clusterHandleSlaveFailover, clusterSendFailoverAuthIfNeeded, manual failover and
  // replica migration)

  /**
   * A replica's election, run by the cron and whenever a vote arrives: when its master is FAIL (or a manual
   * failover may start) it waits 500 ms + 0-499 ms + 1 s per better-placed sibling, asks every node for a vote in
   * a new epoch, and with the votes of a majority of the slot-owning masters takes its master's slots.
   */
  private void handleReplicaFailover(long nowMs) {
    long authAge = nowMs - failoverAuthTime;
    int neededQuorum = size() / 2 + 1;
    boolean manual = mfEnd != 0 && mfCanStart;
    long authTimeout = Math.max(nodeTimeout() * 2, 2000);
    long authRetryTime = authTimeout * 2;
    ClusterNode master = myself.isReplica() ? node(myself.masterId) : null;
    if (master == null || (!master.has(ClusterNode.FAIL) && !manual)
        || (settings.clusterReplicaNoFailover() && !manual) || slotCount(master) == 0) {
      cantFailoverReason = null;
      return;
    }
    // Disconnected from the master for the time it took to flag it FAIL is the baseline, not staleness.
    long dataAge = lastMasterInteractionMs < 0 ? 0 : nowMs - lastMasterInteractionMs;
    if (dataAge > nodeTimeout()) dataAge -= nodeTimeout();
    long validityFactor = settings.clusterReplicaValidityFactor();
    if (validityFactor != 0 && !manual
        && dataAge > settings.replPingReplicaPeriod() * 1000 + nodeTimeout() * validityFactor) {
      logCantFailover("Disconnected from master for longer than allowed. Please check the "
          + "'cluster-replica-validity-factor' configuration option.", master, nowMs);
      return;
    }
    if (authAge > authRetryTime) {
      failoverAuthTime = nowMs + 500 + random.nextInt(500); // 500 ms lets the FAIL message spread
      failoverAuthCount = 0;
      failoverAuthSent = false;
      failoverAuthRank = replicaRank();
      failoverAuthTime += failoverAuthRank * 1000L; // the best-placed replica asks first
      if (mfEnd != 0) {
        failoverAuthTime = nowMs;
        failoverAuthRank = 0;
      }
      log("Start of election delayed for " + (failoverAuthTime - nowMs) + " milliseconds (rank #" + failoverAuthRank
          + ", offset " + myself.replOffset + ").");
      broadcastPong(true, nowMs); // siblings learn our offset and re-rank themselves
      if (mfEnd == 0) return;
      authAge = nowMs - failoverAuthTime;
    }
    if (!failoverAuthSent && mfEnd == 0) {
      int newRank = replicaRank();
      if (newRank > failoverAuthRank) {
        long added = (newRank - failoverAuthRank) * 1000L;
        failoverAuthTime += added;
        failoverAuthRank = newRank;
        log("Replica rank updated to #" + newRank + ", added " + added + " milliseconds of delay.");
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
      currentEpoch++;
      failoverAuthEpoch = currentEpoch;
      log("Starting a failover election for epoch " + currentEpoch + ".");
      Header h = header();
      if (mfEnd != 0) h = withMflags(h, BusMessage.MF_FORCEACK); // voters accept a master that is up
      broadcast(new BusMessage.FailoverAuthRequest(h));
      failoverAuthSent = true;
      effects.saveBeforeSend = true;
      updateState(nowMs);
      return;
    }
    if (failoverAuthCount >= neededQuorum) {
      log("Failover election won: I'm the new master.");
      if (myself.configEpoch < failoverAuthEpoch) {
        myself.configEpoch = failoverAuthEpoch;
        log("configEpoch set to " + myself.configEpoch + " after successful failover");
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

  int failoverAuthCount() {
    return failoverAuthCount;
  }

  /** How many failover-capable siblings have a larger replication offset (Redis's clusterGetSlaveRank). */
  int replicaRank() {
    ClusterNode master = node(myself.masterId);
    if (master == null) return 0;
    int rank = 0;
    for (ClusterNode sibling : replicasOf(master)) {
      if (sibling != myself && !sibling.has(ClusterNode.NOFAILOVER) && sibling.replOffset > myself.replOffset) rank++;
    }
    return rank;
  }

  /** Redis's clusterLogCantFailover: once per reason (again after a while), and not in a failover's first seconds. */
  private void logCantFailover(String reason, ClusterNode master, long nowMs) {
    if (reason.equals(cantFailoverReason) && nowMs - cantFailoverLoggedMs < CANT_FAILOVER_RELOG_MS) return;
    cantFailoverReason = reason;
    if (master.has(ClusterNode.FAIL) && nowMs - master.failTimeMs < nodeTimeout() + 5000) return;
    cantFailoverLoggedMs = nowMs;
    log("Currently unable to failover: " + reason);
  }

  /** Redis's clusterFailoverReplaceYourMaster: master of the old master's slots, saved, and told to everyone. */
  private void replaceMyMaster(long nowMs) {
    ClusterNode oldMaster = node(myself.masterId);
    if (myself.isMaster() || oldMaster == null) return;
    setAsMaster(myself);
    for (int slot = 0; slot < Slots.COUNT; slot++) if (owners[slot] == oldMaster) owners[slot] = myself;
    routingVersion++;
    updateState(nowMs);
    effects.saveBeforeSend = true;
    broadcastPong(false, nowMs);
    resetManualFailover();
  }

  /** A PONG to every node, or only to the replicas of this node's master (Redis's clusterBroadcastPong). */
  private void broadcastPong(boolean siblingsOnly, long nowMs) {
    for (ClusterNode node : nodes.values()) {
      if (node == myself || node.has(ClusterNode.HANDSHAKE | ClusterNode.NOADDR)) continue;
      if (siblingsOnly && !(node.isReplica() && node.masterId != null
          && (node.masterId.equals(myself.id) || node.masterId.equals(myself.masterId)))) {
        continue;
      }
      send(node, ping(PingKind.PONG, nowMs));
    }
  }

  /** A master's answer to a vote request: an ACK when every rule of Redis's holds, else nothing at all. */
  private void voteIfNeeded(ClusterNode node, Header request, long nowMs) {
    if (myself.isReplica() || slotCount(myself) == 0) return; // only masters with slots vote
    String denied = "Failover auth denied to " + node.id + ": ";
    if (request.currentEpoch() < currentEpoch) {
      log(denied + "reqEpoch (" + request.currentEpoch() + ") < curEpoch(" + currentEpoch + ")");
      return;
    }
    if (lastVoteEpoch == currentEpoch) {
      log(denied + "already voted for epoch " + currentEpoch);
      return;
    }
    ClusterNode master = node.isReplica() ? node(node.masterId) : null;
    boolean forceAck = (request.mflags() & BusMessage.MF_FORCEACK) != 0;
    if (node.isMaster() || master == null || (!master.has(ClusterNode.FAIL) && !forceAck)) {
      log(denied + (node.isMaster() ? "it is a master node"
          : master == null ? "I don't know its master" : "its master is up"));
      return;
    }
    // One vote per master per two node timeouts: not needed for safety, but keeps elections from piling up.
    long sinceVote = nowMs - master.votedTimeMs;
    if (sinceVote < nodeTimeout() * 2) {
      log(denied + "can't vote about this master before " + (nodeTimeout() * 2 - sinceVote) + " milliseconds");
      return;
    }
    BitSet claimed = request.slots();
    for (int slot = claimed.nextSetBit(0); slot >= 0; slot = claimed.nextSetBit(slot + 1)) {
      ClusterNode owner = owners[slot];
      if (owner != null && owner.configEpoch > request.configEpoch()) {
        log(denied + "slot " + slot + " epoch (" + owner.configEpoch + ") > reqEpoch (" + request.configEpoch() + ")");
        return;
      }
    }
    lastVoteEpoch = currentEpoch;
    master.votedTimeMs = nowMs;
    effects.saveBeforeSend = true; // the vote is on disk before the ACK leaves
    send(node, new BusMessage.FailoverAuthAck(header()));
    log("Failover auth granted to " + node.id + " for epoch " + currentEpoch);
  }

  /** MFSTART from a replica of this master: pause writes and tell the replica the offset to reach. */
  private void startManualFailoverAsMaster(ClusterNode replica, long nowMs) {
    resetManualFailover();
    mfEnd = nowMs + MF_TIMEOUT_MS;
    mfReplica = replica;
    effects.pauseWritesUntil = nowMs + MF_TIMEOUT_MS * MF_PAUSE_MULT;
    log("Manual failover requested by replica " + replica.id + ".");
    sendPing(replica, PingKind.PING, nowMs); // carries the paused offset at once
  }

  /** Once the paused master's offset is reached, the election may start (Redis's clusterHandleManualFailover). */
  private void handleManualFailover(long nowMs) {
    if (mfEnd == 0 || mfCanStart || mfMasterOffset == -1) return;
    if (mfMasterOffset == myself.replOffset) {
      mfCanStart = true;
      log("All master replication stream processed, manual failover can start.");
    }
  }

  /** Ends any manual failover, on either side; a master resumes writes. */
  private void resetManualFailover() {
    if (mfReplica != null) effects.pauseWritesUntil = 0;
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
  public String manualFailover(boolean force, boolean takeover, long nowMs) {
    if (myself.isMaster()) return "ERR You should send CLUSTER FAILOVER to a replica";
    ClusterNode master = node(myself.masterId);
    if (master == null) return "ERR I'm a replica but my master is unknown to me";
    if (!force && !takeover && (master.has(ClusterNode.FAIL) || !master.linked)) {
      return "ERR Master is down or failed, please use CLUSTER FAILOVER FORCE";
    }
    resetManualFailover();
    mfEnd = nowMs + MF_TIMEOUT_MS;
    if (takeover) {
      log("Taking over the master (user request).");
      bumpEpoch();
      replaceMyMaster(nowMs);
    } else if (force) {
      log("Forced failover user request accepted.");
      mfCanStart = true;
      handleReplicaFailover(nowMs);
    } else {
      log("Manual failover user request accepted.");
      send(master, new BusMessage.MfStart(header()));
    }
    return null;
  }

  /**
   * Redis's replica migration, checked by every replica's cron: a master with slots left without working
   * replicas (after having had some) gets one from the master with the most, if that keeps more than
   * cluster-migration-barrier; of those replicas the one with the smallest id moves, after 5 s of orphanhood.
   */
  private void considerMigration(long nowMs) {
    if (!settings.clusterAllowReplicaMigration()) return;
    int orphaned = 0;
    int maxReplicas = 0;
    int mine = 0;
    for (ClusterNode node : nodes.values()) {
      if (node == myself || node.has(ClusterNode.NOADDR | ClusterNode.HANDSHAKE)) continue;
      if (!node.isMaster() || node.has(ClusterNode.FAIL)) continue;
      int working = nonFailingReplicas(node);
      if (working == 0 && slotCount(node) > 0 && node.has(ClusterNode.MIGRATE_TO)) orphaned++;
      maxReplicas = Math.max(maxReplicas, working);
      if (node.id.equals(myself.masterId)) mine = working;
    }
    if (orphaned > 0 && maxReplicas >= 2 && mine == maxReplicas) migrateIfCandidate(maxReplicas, nowMs);
  }

  private int nonFailingReplicas(ClusterNode master) {
    int count = 0;
    for (ClusterNode replica : replicasOf(master)) if (!replica.has(ClusterNode.FAIL)) count++;
    return count;
  }

  /** Redis's clusterHandleSlaveMigration. */
  private void migrateIfCandidate(int maxReplicas, long nowMs) {
    if (!ok) return;
    ClusterNode myMaster = node(myself.masterId);
    if (myMaster == null) return;
    int okReplicas = 0;
    for (ClusterNode replica : replicasOf(myMaster)) if (!replica.failing()) okReplicas++;
    if (okReplicas <= settings.clusterMigrationBarrier()) return;
    ClusterNode target = null;
    ClusterNode candidate = myself;
    for (ClusterNode node : nodes.values()) {
      int working = node.isMaster() ? nonFailingReplicas(node) : 0;
      boolean orphan = node.isMaster() && !node.has(ClusterNode.FAIL) && node.has(ClusterNode.MIGRATE_TO)
          && working == 0;
      if (orphan) {
        if (target == null && slotCount(node) > 0) target = node;
        if (node.orphanedSinceMs == 0) node.orphanedSinceMs = nowMs;
      } else {
        node.orphanedSinceMs = 0;
      }
      if (working == maxReplicas) {
        for (ClusterNode replica : replicasOf(node)) if (replica.id.compareTo(candidate.id) < 0) candidate = replica;
      }
    }
    if (target != null && candidate == myself && nowMs - target.orphanedSinceMs > MIGRATION_DELAY_MS) {
      log("Migrating to orphaned master " + target.id);
      becomeReplicaOf(target);
    }
  }

  // ---- changes the CLUSTER commands make; each returns null, or Redis's error text

  /** CLUSTER MEET: null when the handshake started (or is under way), else the error. */
  public String meet(String ip, int port, int cport, long nowMs) {
    if (port <= 0 || port > 65535 || cport <= 0 || cport > 65535) {
      return "ERR Invalid node address specified: " + ip + ":" + port;
    }
    startHandshake(ip, port, cport, nowMs);
    return null;
  }

  private void startHandshake(String ip, int port, int cport, long nowMs) {
    for (ClusterNode node : nodes.values()) {
      if (node.has(ClusterNode.HANDSHAKE) && node.ip.equals(ip) && node.port == port && node.cport == cport) return;
    }
    ClusterNode node = new ClusterNode(randomId(random), ip, port, cport,
        ClusterNode.HANDSHAKE | ClusterNode.MEET, nowMs);
    nodes.put(node.id, node);
  }

  public String addSlots(int[] slots) {
    BitSet seen = new BitSet(Slots.COUNT);
    for (int slot : slots) {
      if (owners[slot] != null) return "ERR Slot " + slot + " is already busy";
      if (seen.get(slot)) return "ERR Slot " + slot + " specified multiple times";
      seen.set(slot);
    }
    boolean hadNoSlots = slotCount(myself) == 0;
    for (int slot : slots) owners[slot] = myself;
    firstSlots(myself, hadNoSlots);
    slotsChanged();
    return null;
  }

  /**
   * A master given its first slots while some master has replicas is a target of replica migration, replicas or
   * not (Redis's clusterNodeSetSlotBit, redis#3043).
   */
  private void firstSlots(ClusterNode master, boolean hadNoSlots) {
    if (!hadNoSlots || slotCount(master) == 0) return;
    for (ClusterNode node : nodes.values()) {
      if (node.isReplica() && node.masterId != null) {
        master.flags |= ClusterNode.MIGRATE_TO;
        return;
      }
    }
  }

  public String delSlots(int[] slots) {
    BitSet seen = new BitSet(Slots.COUNT);
    for (int slot : slots) {
      if (owners[slot] == null) return "ERR Slot " + slot + " is already unassigned";
      if (seen.get(slot)) return "ERR Slot " + slot + " specified multiple times";
      seen.set(slot);
    }
    for (int slot : slots) owners[slot] = null;
    slotsChanged();
    return null;
  }

  /** Takes slots whoever owns them, as a failover or a resharding does: for tests of slot propagation. */
  void addSlotsForTest(int[] slots) {
    for (int slot : slots) owners[slot] = myself;
    slotsChanged();
  }

  /** CLUSTER FLUSHSLOTS: this node serves no slot any more (the caller checked the data is gone). */
  public void flushSlots() {
    unbindSlotsOf(myself);
    slotsChanged();
  }

  private void slotsChanged() {
    effects.save = true;
    routingVersion++;
  }

  public String setConfigEpoch(long epoch) {
    if (epoch < 0) return "ERR Invalid config epoch specified: " + epoch;
    if (nodes.size() > 1) {
      return "ERR The user can assign a config epoch only when the node does not know any other node.";
    }
    if (myself.configEpoch != 0) return "ERR Node config epoch is already non-zero";
    myself.configEpoch = epoch;
    currentEpoch = Math.max(currentEpoch, epoch);
    effects.save = true;
    return null;
  }

  /** CLUSTER BUMPEPOCH: "BUMPED n" or "STILL n" (Redis's clusterBumpConfigEpochWithoutConsensus). */
  public String bumpEpoch() {
    long maxEpoch = 0;
    for (ClusterNode node : nodes.values()) maxEpoch = Math.max(maxEpoch, node.configEpoch);
    if (myself.configEpoch == 0 || myself.configEpoch != maxEpoch) {
      currentEpoch++;
      myself.configEpoch = currentEpoch;
      effects.save = true;
      return "BUMPED " + myself.configEpoch;
    }
    return "STILL " + myself.configEpoch;
  }

  /** CLUSTER REPLICATE; {@code myKeys} is this node's key count. */
  public String replicate(String id, long myKeys) {
    ClusterNode master = node(id);
    if (master == null) return "ERR Unknown node " + id;
    if (master == myself) return "ERR Can't replicate myself";
    if (master.isReplica()) return "ERR I can only replicate a master, not a replica.";
    if (myself.isMaster() && (slotCount(myself) != 0 || myKeys != 0)) {
      return "ERR To set a master the node must be empty and without assigned slots.";
    }
    becomeReplicaOf(master);
    return null;
  }

  private void becomeReplicaOf(ClusterNode master) {
    myself.flags = (myself.flags & ~(ClusterNode.MASTER | ClusterNode.MIGRATE_TO)) | ClusterNode.SLAVE;
    myself.masterId = master.id;
    master.flags |= ClusterNode.MIGRATE_TO;
    effects.save = true;
    routingVersion++;
    resetManualFailover(); // as Redis's clusterSetMaster: a demoted master of a manual failover resumes writes
  }

  public String forget(String id, long nowMs) {
    ClusterNode node = node(id);
    if (node == null) return "ERR Unknown node " + id;
    if (node == myself) return "ERR I tried hard but I can't forget myself...";
    if (myself.isReplica() && node.id.equals(myself.masterId)) return "ERR Can't forget my master!";
    blacklist.put(node.id, nowMs + BLACKLIST_TTL_MS);
    delete(node);
    return null;
  }

  private void delete(ClusterNode node) {
    unbindSlotsOf(node);
    for (ClusterNode other : nodes.values()) other.failReports.remove(node.id);
    nodes.remove(node.id);
    effects.save = true;
    routingVersion++;
  }

  /** CLUSTER RESET: forget every other node and every slot; HARD also zeroes the epochs and takes a new id. */
  public String reset(boolean hard, long myKeys, long nowMs) {
    if (myself.isMaster() && myKeys != 0) {
      return "ERR CLUSTER RESET can't be called with master nodes containing keys";
    }
    if (myself.isReplica()) setAsMaster(myself);
    Arrays.fill(owners, null);
    for (ClusterNode node : new ArrayList<>(nodes.values())) if (node != myself) delete(node);
    if (hard) {
      currentEpoch = 0;
      lastVoteEpoch = 0;
      myself.configEpoch = 0;
      nodes.remove(myself.id);
      myself.id = randomId(random);
      nodes.put(myself.id, myself);
    }
    slotsChanged();
    return null;
  }

  // ---- routing and text

  /** Who serves each slot, for the slot ranges; replicas may serve reads of their master's slots. */
  public SlotRouting routing() {
    String[] routeOwners = new String[Slots.COUNT];
    BitSet readable = new BitSet(Slots.COUNT);
    ClusterNode master = myself.isReplica() ? node(myself.masterId) : null;
    for (int slot = 0; slot < Slots.COUNT; slot++) {
      ClusterNode owner = owners[slot];
      if (owner == null) continue;
      routeOwners[slot] = owner == myself ? SlotRouting.SELF : owner.ip + ":" + owner.port;
      if (owner == master) readable.set(slot);
    }
    return new SlotRouting(true, ok, settings.clusterAllowReadsWhenDown(), routeOwners, readable);
  }

  /** Maximal runs of consecutive slots owned by one node, ascending, as {start, end} pairs. */
  public List<int[]> slotRuns(ClusterNode node) {
    List<int[]> runs = new ArrayList<>();
    int start = -1;
    for (int slot = 0; slot <= Slots.COUNT; slot++) {
      boolean owned = slot < Slots.COUNT && owners[slot] == node;
      if (owned && start < 0) start = slot;
      if (!owned && start >= 0) {
        runs.add(new int[] {start, slot - 1});
        start = -1;
      }
    }
    return runs;
  }

  /** Runs of consecutive slots with the same owner, ascending: CLUSTER SLOTS' entries. */
  public void forEachOwnedRun(RunConsumer consumer) {
    int start = 0;
    for (int slot = 1; slot <= Slots.COUNT; slot++) {
      if (slot == Slots.COUNT || owners[slot] != owners[start]) {
        if (owners[start] != null) consumer.accept(start, slot - 1, owners[start]);
        start = slot;
      }
    }
  }

  public interface RunConsumer {
    void accept(int start, int end, ClusterNode owner);
  }

  /** One CLUSTER NODES line without its newline (Redis's clusterGenNodeDescription). */
  public String describe(ClusterNode node) {
    StringBuilder line = new StringBuilder()
        .append(node.id).append(' ').append(node.address()).append(' ').append(node.flagWords()).append(' ')
        .append(node.masterId == null ? "-" : node.masterId).append(' ')
        .append(node.pingSentMs).append(' ').append(node.pongReceivedMs).append(' ')
        .append(epochOf(node)).append(' ')
        .append(node == myself || linkUp(node) ? "connected" : "disconnected");
    if (node.isMaster()) {
      for (int[] run : slotRuns(node)) {
        line.append(' ').append(run[0]);
        if (run[1] != run[0]) line.append('-').append(run[1]);
      }
    }
    return line.toString();
  }

  /** CLUSTER NODES: one line per known node, each ending in a newline. */
  public String nodesText() {
    StringBuilder text = new StringBuilder();
    for (ClusterNode node : nodes.values()) text.append(describe(node)).append('\n');
    return text.toString();
  }

  /** CLUSTER INFO text: Redis 7.0's fields in its order, each line ending in CRLF. */
  public String infoText() {
    int assigned = 0;
    int pfail = 0;
    int fail = 0;
    for (ClusterNode owner : owners) {
      if (owner == null) continue;
      assigned++;
      if (owner.has(ClusterNode.FAIL)) {
        fail++;
      } else if (owner.has(ClusterNode.PFAIL)) {
        pfail++;
      }
    }
    StringBuilder text = new StringBuilder()
        .append("cluster_state:").append(ok ? "ok" : "fail").append("\r\n")
        .append("cluster_slots_assigned:").append(assigned).append("\r\n")
        .append("cluster_slots_ok:").append(assigned - pfail - fail).append("\r\n")
        .append("cluster_slots_pfail:").append(pfail).append("\r\n")
        .append("cluster_slots_fail:").append(fail).append("\r\n")
        .append("cluster_known_nodes:").append(nodes.size()).append("\r\n")
        .append("cluster_size:").append(size()).append("\r\n")
        .append("cluster_current_epoch:").append(currentEpoch).append("\r\n")
        .append("cluster_my_epoch:").append(epochOf(myself)).append("\r\n");
    stats(text, "sent", sent);
    stats(text, "received", received);
    return text.append("total_cluster_links_buffer_limit_exceeded:0\r\n").toString();
  }

  private static void stats(StringBuilder text, String direction, Map<String, Long> counts) {
    long total = 0;
    for (String type : BusMessage.STAT_NAMES) {
      long count = counts.getOrDefault(type, 0L);
      if (count == 0) continue;
      total += count;
      text.append("cluster_stats_messages_").append(type).append('_').append(direction).append(':')
          .append(count).append("\r\n");
    }
    text.append("cluster_stats_messages_").append(direction).append(':').append(total).append("\r\n");
  }

  /**
   * Whether CLUSTER NODES calls the link connected. Akka remoting hides its TCP connections, so a link counts
   * as up while the node has answered within the node timeout, which a live node always does.
   */
  private boolean linkUp(ClusterNode node) {
    return node.linked && node.dataReceivedMs != 0 && lastNowMs - node.dataReceivedMs <= nodeTimeout();
  }
}
