package org.akkaredis.cluster;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.akkaredis.cluster.BusMessage.Header;
import org.akkaredis.cluster.BusMessage.Ping;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.keyspace.Slots;

/**
 * This node's view of the cluster (Redis's clusterState), the one entry point of the cluster manager actor: a bus
 * message received, the cron, the CLUSTER commands' changes and what CLUSTER NODES / INFO print. It holds what
 * every rule shares (myself, the node table, currentEpoch, the effects) and leaves the rules to its parts:
 * {@link Membership} (gossip and handshakes), {@link FailureDetection} (PFAIL/FAIL and whether the cluster is
 * ok), {@link SlotOwnership} (slot owners and configEpochs), {@link Failover} (elections, votes, manual
 * failover), {@link ReplicaMigration} and {@link ClusterTexts}. Methods never send or write anything; they put
 * what should happen into {@link Effects}, which the actor performs. Not thread-safe: one actor owns it.
 */
public final class ClusterState {
  /** The cron runs every 100 ms; every 10th run pings a random node. */
  public static final long CRON_PERIOD_MS = 100;

  /** A message for a node at a bus address; {@code targetId} names it for the bus's fault switch. */
  public record Outgoing(String targetId, String host, int cport, BusMessage message) {}

  /**
   * The bus's links that go with a node Redis frees (or whose address changes): the link to {@code host:cport} unless
   * {@code host} is null, and the inbound link of node {@code id} unless it is null.
   */
  public record LinkDrop(String id, String host, int cport) {}

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
    /** Links the bus endpoint must forget (see {@link BusLinks}). */
    public final List<LinkDrop> linksToDrop = new ArrayList<>();
    /** PUBLISH and PUBLISHSHARD messages of other nodes, for this node's subscribers, in the order they came. */
    public final List<BusMessage.Publish> published = new ArrayList<>();

    public void clear() {
      outgoing.clear();
      published.clear();
      linksToDrop.clear();
      save = false;
      saveBeforeSend = false;
      slotsToEmpty.clear();
      pauseWritesUntil = -1;
      log.clear();
    }
  }

  // What the parts share; they read and change these directly.
  final Settings settings;
  /** The host of this node's bus address: peers reach it there, so it is what a MEET teaches about myself. */
  final String busHost;
  final Random random;
  /** The node table: every known node by id, myself included, in the order they were learned. */
  final Map<String, ClusterNode> nodes = new LinkedHashMap<>();
  final Effects effects = new Effects();
  ClusterNode myself;
  long currentEpoch;
  /** The time of the latest message or cron run, for what CLUSTER NODES prints. */
  long lastNowMs;

  final SlotOwnership slots = new SlotOwnership(this);
  final Membership membership = new Membership(this);
  final FailureDetection failures;
  final Failover failover = new Failover(this);
  final ReplicaMigration migration = new ReplicaMigration(this);
  final ClusterTexts texts = new ClusterTexts(this);

  /** Bumped by every change that can change routing; the actor republishes when it moves. */
  private long routingVersion;
  private final Map<String, Long> sent = new HashMap<>();
  private final Map<String, Long> received = new HashMap<>();
  private BusLinks.Snapshot busLinks = BusLinks.Snapshot.NONE;
  private Map<String, Long> busQueuedBytes = Map.of();

  /** A node that knows only itself; {@code busHost} is the host of this node's bus address. */
  public ClusterState(String myId, int port, int cport, String busHost, Settings settings, Random random,
      long nowMs) {
    this.settings = settings;
    this.busHost = busHost;
    this.random = random;
    this.failures = new FailureDetection(this, nowMs);
    this.clientPort = port;
    this.myself = new ClusterNode(myId, settings.clusterAnnounceIp(), port, cport,
        ClusterNode.MYSELF | ClusterNode.MASTER, nowMs);
    nodes.put(myId, myself);
    refreshAnnounced();
  }

  /** The port clients reach this node on (where it listens); cluster-announce-port may announce another. */
  private final int clientPort;
  /** The cluster-preferred-endpoint-type the published routing was made with. */
  String endpointType = "ip";

  /**
   * Takes cluster-announce-port, cluster-announce-hostname and cluster-preferred-endpoint-type as they are now, as
   * Redis does when they are set at run time: the next ping announces them, redirects use them at once. (The bus
   * port and IP are the bus's Akka address, fixed at start: see RedisNode#busConfig.)
   */
  void refreshAnnounced() {
    long announcePort = settings.longValue("cluster-announce-port");
    int port = announcePort != 0 ? (int) announcePort : clientPort;
    String hostname = settings.rawValue("cluster-announce-hostname");
    if (myself.port != port || !myself.hostname.equals(hostname)) {
      myself.port = port;
      myself.hostname = hostname;
      savedAndRoutingChanged();
    }
    String type = settings.rawValue("cluster-preferred-endpoint-type");
    if (!type.equals(endpointType)) {
      endpointType = type;
      routingChanged();
    }
  }

  public static String randomId(Random random) {
    byte[] bytes = new byte[20];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  // ---- reading

  public ClusterNode myself() {
    return myself;
  }

  public ClusterNode node(String id) {
    if (id == null) return null;
    ClusterNode node = nodes.get(id); // ids are lower case: most lookups need no copy
    return node != null ? node : nodes.get(id.toLowerCase());
  }

  public Collection<ClusterNode> nodes() {
    return nodes.values();
  }

  public ClusterNode owner(int slot) {
    return slots.owner(slot);
  }

  /** cluster-preferred-endpoint-type as routing and CLUSTER SLOTS/SHARDS use it now. */
  public String preferredEndpointType() {
    return endpointType;
  }

  public long currentEpoch() {
    return currentEpoch;
  }

  public long lastVoteEpoch() {
    return failover.lastVoteEpoch();
  }

  public boolean ok() {
    return failures.ok();
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

  long nodeTimeout() {
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
    return slots.slotCount(node);
  }

  public BitSet slotsOf(ClusterNode node) {
    return slots.slotsOf(node);
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
  void restore(List<ClusterNode> loaded, Map<ClusterNode, BitSet> owned, List<NodesConf.OpenSlot> openSlots,
      long currentEpoch, long lastVoteEpoch) {
    nodes.clear();
    slots.clear();
    for (ClusterNode node : loaded) {
      nodes.put(node.id, node);
      if (node.has(ClusterNode.MYSELF)) myself = node;
    }
    refreshAnnounced();
    owned.forEach(slots::assign);
    for (NodesConf.OpenSlot open : openSlots) {
      ClusterNode peer = node(open.nodeId());
      if (peer != null) slots.restoreMigration(open.slot(), peer, open.migrating());
    }
    long maxEpoch = 0;
    for (ClusterNode node : loaded) maxEpoch = Math.max(maxEpoch, node.configEpoch);
    this.currentEpoch = Math.max(currentEpoch, maxEpoch);
    failover.restoreLastVoteEpoch(lastVoteEpoch);
    routingChanged();
  }

  // ---- what the parts share: the header, sending, logging

  /** The header this node puts on every message. */
  Header header() {
    ClusterNode master = myMaster();
    BitSet owned = master == null ? new BitSet(Slots.COUNT) : slotsOf(master);
    // A master in a manual failover has paused writes: the offset it sends is the one the replica must reach.
    int mflags = failover.masterPaused() ? BusMessage.MF_PAUSED : 0;
    return new Header(myself.id, currentEpoch, epochOf(myself), myself.replOffset,
        myself.flags & ~(ClusterNode.PFAIL | ClusterNode.FAIL), owned, myself.masterId, myself.ip, busHost,
        myself.port, myself.cport, ok(), mflags);
  }

  /**
   * The light header a PUBLISH carries: who sent it and over which bus address (the links table's and the fault
   * switch's need), not the 2 KB of slots and epochs Redis repeats on every message (redis#12196).
   */
  Header lightHeader() {
    return new Header(myself.id, 0, 0, 0, 0, new BitSet(0), null, "", busHost, 0, myself.cport, true, 0);
  }

  /** PUBLISH in cluster mode: the message goes to every other node (Redis's clusterPropagatePublish). */
  public void publish(byte[] channel, byte[] message) {
    broadcast(new BusMessage.Publish(lightHeader(), channel, message, false));
  }

  /**
   * SPUBLISH in cluster mode: the message goes to the other nodes of this node's shard, its master and the master's
   * replicas (Redis's clusterPropagatePublishShard), with the light header; the other shards never see it.
   */
  public void publishShard(byte[] channel, byte[] message) {
    ClusterNode master = myself.isReplica() ? node(myself.masterId) : myself;
    if (master == null) return;
    BusMessage publish = new BusMessage.Publish(lightHeader(), channel, message, true);
    if (master != myself && !master.has(ClusterNode.HANDSHAKE | ClusterNode.NOADDR)) send(master, publish);
    for (ClusterNode replica : replicasOf(master)) {
      if (replica != myself && !replica.has(ClusterNode.HANDSHAKE | ClusterNode.NOADDR)) send(replica, publish);
    }
  }

  void log(String line) {
    effects.log.add(line);
  }

  void routingChanged() {
    routingVersion++;
  }

  /** nodes.conf must be written, and routing republished. */
  void savedAndRoutingChanged() {
    effects.save = true;
    routingVersion++;
  }

  void send(ClusterNode to, BusMessage message) {
    effects.outgoing.add(new Outgoing(to.id, to.ip, to.cport, message));
    sent.merge(BusMessage.statName(message), 1L, Long::sum);
  }

  void sendTo(String host, int cport, BusMessage message) {
    effects.outgoing.add(new Outgoing(null, host, cport, message));
    sent.merge(BusMessage.statName(message), 1L, Long::sum);
  }

  /** To every node with an address that has finished the handshake. */
  void broadcast(BusMessage message) {
    for (ClusterNode node : nodes.values()) {
      if (node == myself || node.has(ClusterNode.HANDSHAKE | ClusterNode.NOADDR)) continue;
      send(node, message);
    }
  }

  /** What replication says now: this node's offset and when a replica last heard from its master. */
  public void replicationStatus(long offset, long lastMasterInteractionMs) {
    myself.replOffset = offset;
    failover.lastMasterInteraction(lastMasterInteractionMs);
  }

  /** The bus endpoint's links, as it last published them: what CLUSTER LINKS lists. */
  public void busLinks(BusLinks.Snapshot links) {
    busLinks = links;
  }

  public BusLinks.Snapshot busLinks() {
    return busLinks;
  }

  /**
   * The bytes of bus messages the node holds for each bus address ({@link BusLinks#address}) before handing them to
   * the bus: the messages waiting for nodes.conf to be durable.
   */
  public void busQueuedBytes(Map<String, Long> bytesByAddress) {
    busQueuedBytes = bytesByAddress;
  }

  public long busQueuedBytes(String host, int cport) {
    return busQueuedBytes.getOrDefault(BusLinks.address(host, cport), 0L);
  }

  // ---- the bus and the cron

  /**
   * Redis's clusterProcessPacket: one message from the bus. A message that changed slot owners, roles or failure
   * flags updates the cluster state at once, as Redis's beforeSleep does (CLUSTER_TODO_UPDATE_STATE), not at the
   * next cron run.
   */
  public void receive(BusMessage message, long nowMs) {
    long routingBefore = routingVersion;
    process(message, nowMs);
    if (routingVersion != routingBefore) failures.updateState(nowMs);
  }

  private void process(BusMessage message, long nowMs) {
    long count = message instanceof BusMessage.Publishes batch ? batch.publishes().size() : 1;
    received.merge(BusMessage.statName(message), count, Long::sum);
    Header h = message.header();
    ClusterNode sender = node(h.sender());
    if (sender != null && sender.has(ClusterNode.HANDSHAKE)) sender = null;
    lastNowMs = nowMs;
    if (message instanceof BusMessage.Publishes batch) {
      // Its header is the light one: nothing in it to learn. As Redis, a message of an unknown node is ignored.
      if (sender != null) effects.published.addAll(batch.publishes());
      return;
    }
    if (message instanceof BusMessage.Publish shard) {
      // PUBLISHSHARD, with the light header too (nothing in it to learn); unbatched, as shard messages are few.
      if (sender != null) effects.published.add(shard);
      return;
    }
    if (sender != null) {
      membership.heardFrom(sender, h, nowMs);
      failover.heardFrom(sender, h);
    }
    if (message instanceof Ping ping) {
      membership.receivePing(ping, sender, nowMs);
    } else if (message instanceof BusMessage.Fail fail) {
      if (sender != null) failures.receiveFail(fail, nowMs);
    } else if (message instanceof BusMessage.Update update) {
      if (sender != null) slots.receiveUpdate(update, nowMs);
    } else if (message instanceof BusMessage.FailoverAuthRequest) {
      if (sender != null) failover.voteIfNeeded(sender, h, nowMs);
    } else if (message instanceof BusMessage.FailoverAuthAck) {
      if (sender != null) failover.receiveVote(sender, h, nowMs);
    } else if (message instanceof BusMessage.MfStart) {
      if (sender != null) failover.receiveManualFailoverStart(sender, nowMs);
    }
    failover.afterMessage(nowMs);
  }

  /** Redis's clusterCron, every 100 ms: handshakes, pings, link checks, PFAIL, failover, then the cluster state. */
  public void cron(long nowMs) {
    lastNowMs = nowMs;
    refreshAnnounced();
    failover.updateMyselfFlags();
    membership.cron(nowMs);
    failures.cron(nowMs);
    boolean replica = myself.isReplica();
    failover.cron(replica, nowMs);
    if (replica) migration.cron(nowMs);
    failures.updateState(nowMs);
  }

  /** Redis's clusterUpdateState: whether the cluster is ok (see {@link FailureDetection#updateState}). */
  public void updateState(long nowMs) {
    failures.updateState(nowMs);
  }

  // ---- changes the CLUSTER commands make; each returns null, or Redis's error text

  /** CLUSTER REPLICATE; {@code myKeys} is this node's key count. */
  public String replicate(String id, long myKeys) {
    return membership.replicate(id, myKeys);
  }

  /** CLUSTER MEET: null when the handshake started (or is under way), else the error. */
  public String meet(String ip, int port, int cport, long nowMs) {
    return membership.meet(ip, port, cport, nowMs);
  }

  public String forget(String id, long nowMs) {
    return membership.forget(id, nowMs);
  }

  /** CLUSTER RESET: forget every other node and every slot; HARD also zeroes the epochs and takes a new id. */
  public String reset(boolean hard, long myKeys, long nowMs) {
    if (myself.isMaster() && myKeys != 0) {
      return "ERR CLUSTER RESET can't be called with master nodes containing keys";
    }
    if (myself.isReplica()) membership.setAsMaster(myself);
    slots.clear();
    membership.forgetAllOthers();
    if (hard) {
      currentEpoch = 0;
      failover.restoreLastVoteEpoch(0);
      myself.configEpoch = 0;
      nodes.remove(myself.id);
      myself.id = randomId(random);
      nodes.put(myself.id, myself);
    }
    savedAndRoutingChanged();
    return null;
  }

  public String addSlots(int[] slotList) {
    return slots.addSlots(slotList);
  }

  public String delSlots(int[] slotList) {
    return slots.delSlots(slotList);
  }

  /** CLUSTER FLUSHSLOTS: this node serves no slot any more (the caller checked the data is gone). */
  public void flushSlots() {
    slots.flushSlots();
  }

  /**
   * CLUSTER SETSLOT: {@code slot} is -1 when the argument is no valid slot, {@code nodeId} null when absent,
   * {@code keysInSlot} this node's keys in the slot (see {@link SlotOwnership#setSlot}).
   */
  public String setSlot(int slot, String action, String nodeId, long keysInSlot) {
    return slots.setSlot(slot, action, nodeId, keysInSlot);
  }

  /** The node this node is migrating {@code slot} to, or null. */
  public ClusterNode migratingTo(int slot) {
    return slots.migratingTo(slot);
  }

  /** The node this node is importing {@code slot} from, or null. */
  public ClusterNode importingFrom(int slot) {
    return slots.importingFrom(slot);
  }

  public String setConfigEpoch(long epoch) {
    return slots.setConfigEpoch(epoch);
  }

  /** CLUSTER BUMPEPOCH: "BUMPED n" or "STILL n". */
  public String bumpEpoch() {
    return slots.bumpEpoch();
  }

  /** CLUSTER FAILOVER [FORCE|TAKEOVER]: null when started, else Redis's error. */
  public String manualFailover(boolean force, boolean takeover, long nowMs) {
    return failover.manualFailover(force, takeover, nowMs);
  }

  /** CLUSTER COUNT-FAILURE-REPORTS: failure reports younger than twice the node timeout. */
  public int validFailReports(ClusterNode node, long nowMs) {
    return failures.validFailReports(node, nowMs);
  }

  // ---- routing and text

  /** Who serves each slot, for the slot ranges; replicas may serve reads of their master's slots. */
  public SlotRouting routing() {
    return slots.routing();
  }

  /** Maximal runs of consecutive slots owned by one node, ascending, as {start, end} pairs. */
  public List<int[]> slotRuns(ClusterNode node) {
    return slots.slotRuns(node);
  }

  /** Runs of consecutive slots with the same owner, ascending: CLUSTER SLOTS' entries. */
  public void forEachOwnedRun(RunConsumer consumer) {
    slots.forEachOwnedRun(consumer);
  }

  public interface RunConsumer {
    void accept(int start, int end, ClusterNode owner);
  }

  /** One CLUSTER NODES line without its newline. */
  public String describe(ClusterNode node) {
    return texts.describe(node);
  }

  /** CLUSTER NODES: one line per known node, each ending in a newline. */
  public String nodesText() {
    return texts.nodesText();
  }

  /** nodes.conf's node lines (CLUSTER NODES' without nodes in handshake), each ending in a newline. */
  String nodesConfLines() {
    return texts.nodesConfLines();
  }

  /** CLUSTER INFO text: Redis 7.0's fields in its order, each line ending in CRLF. */
  public String infoText() {
    return texts.infoText(sent, received);
  }
}
