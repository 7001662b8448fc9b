package org.akkaredis.cluster.manager;

import akka.actor.typed.ActorRef;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.akkaredis.keyspace.Deadlines;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.akkaredis.cluster.BusLinks;
import org.akkaredis.cluster.ClusterNode;
import org.akkaredis.cluster.ClusterState;
import org.akkaredis.command.Args;
import org.akkaredis.command.CommandTable;
import org.akkaredis.command.Handler;
import org.akkaredis.command.NodeContext;
import org.akkaredis.command.Session;
import org.akkaredis.keyspace.Slots;
import org.akkaredis.resp.Reply;

/** The CLUSTER command's subcommands, run on the {@link ClusterManager}'s state inside its actor. */
public final class ClusterCommands {
  static final Reply DISABLED = Reply.error("ERR This instance has cluster support disabled");
  static final Reply BAD_SLOT = Reply.error("ERR Invalid or out of range slot");
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  private final ActorRef<ClusterManager.Command> manager;
  private final LongSupplier clock;
  private final Deadlines deadlines;

  /**
   * {@code manager} is null when cluster mode is off: every subcommand then says so. {@code deadlines} bound every
   * wait for the manager's answer.
   */
  public ClusterCommands(ActorRef<ClusterManager.Command> manager, LongSupplier clock, Deadlines deadlines) {
    this.manager = manager;
    this.clock = clock;
    this.deadlines = deadlines;
  }

  public void register(CommandTable.Builder b) {
    sub(b, "addslots", this::addSlots);
    sub(b, "addslotsrange", this::addSlotsRange);
    sub(b, "bumpepoch", (ctx, s, a) -> ask(state -> Reply.simple(state.bumpEpoch())));
    sub(b, "count-failure-reports", this::countFailureReports);
    sub(b, "countkeysinslot", this::countKeysInSlot);
    sub(b, "delslots", this::delSlots);
    sub(b, "delslotsrange", this::delSlotsRange);
    sub(b, "failover", this::failover);
    sub(b, "flushslots", this::flushSlots);
    sub(b, "forget", (ctx, s, a) -> change(state -> state.forget(Args.text(a[2]), clock.getAsLong())));
    sub(b, "getkeysinslot", this::getKeysInSlot);
    sub(b, "info", (ctx, s, a) -> ask(state -> Reply.verbatim(state.infoText())));
    sub(b, "keyslot", (ctx, s, a) -> done(Reply.integer(Slots.slotOf(a[2]))));
    sub(b, "links", (ctx, s, a) -> ask(ClusterCommands::linksReply));
    sub(b, "meet", this::meet);
    sub(b, "myid", (ctx, s, a) -> ask(state -> Reply.bulk(state.myself().id())));
    sub(b, "myshardid", (ctx, s, a) -> ask(state -> Reply.bulk(shardId(state, state.myself()))));
    sub(b, "nodes", (ctx, s, a) -> ask(state -> Reply.verbatim(state.nodesText())));
    sub(b, "replicas", (ctx, s, a) -> ask(state -> replicasReply(state, Args.text(a[2]))));
    sub(b, "replicate", (ctx, s, a) ->
        keyCount(ctx).thenCompose(keys -> change(state -> state.replicate(Args.text(a[2]), keys))));
    sub(b, "reset", this::reset);
    sub(b, "saveconfig", this::saveConfig);
    sub(b, "set-config-epoch", this::setConfigEpoch);
    sub(b, "setslot", this::setSlot);
    sub(b, "shards", (ctx, s, a) -> ask(ClusterCommands::shardsReply));
    sub(b, "slaves", (ctx, s, a) -> ask(state -> replicasReply(state, Args.text(a[2]))));
    sub(b, "slots", (ctx, s, a) -> ask(ClusterCommands::slotsReply));
    b.handle("cluster|help", (Handler.OfSession) (s, a) -> help());
  }

  /** Binds CLUSTER {@code name}, answering that cluster support is disabled when cluster mode is off. */
  private void sub(CommandTable.Builder b, String name, Handler.OfNode handler) {
    Handler.OfNode guarded = (ctx, s, a) -> manager == null ? done(DISABLED) : handler.run(ctx, s, a);
    b.handle("cluster|" + name, guarded);
  }

  /** Runs {@code work} inside the manager, on its state: a reply rendered there, or a change's result. */
  /** CLUSTER INFO's text, for readers outside the command path (the metrics endpoint). */
  public CompletionStage<String> infoText() {
    return ask(ClusterState::infoText);
  }

  /** CLUSTER NODES's text, for readers outside the command path (the node's warm-up once started). */
  public CompletionStage<String> nodesText() {
    return ask(ClusterState::nodesText);
  }

  private <T> CompletionStage<T> ask(Function<ClusterState, T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Deadlines.Ticket ticket = new Deadlines.Ticket();
    manager.tell(new ClusterManager.Run<>(work, result, ticket));
    deadlines.expireUntaken(ticket, result, () -> "TRYAGAIN the cluster manager did not take the command within "
        + deadlines.millis() + " ms; the command was not run");
    return result;
  }

  /** A change answering +OK, or Redis's error text. */
  private CompletionStage<Reply> change(Function<ClusterState, String> change) {
    return ask(change).thenApply(error -> error == null ? Reply.OK : Reply.error(error));
  }

  private static CompletionStage<Reply> done(Reply reply) {
    return CompletableFuture.completedFuture(reply);
  }

  private static CompletionStage<Long> keyCount(NodeContext ctx) {
    return ctx.keyspace().onAll(range -> range.db(0).size())
        .thenApply(sizes -> sizes.stream().mapToLong(Long::longValue).sum());
  }

  private static Reply syntaxOfSub(byte[][] args) {
    return Reply.error("ERR unknown subcommand or wrong number of arguments for '" + Args.text(args[1])
        + "'. Try CLUSTER HELP.");
  }

  private static int parseSlot(byte[] arg) {
    Long slot = Args.parseLong(arg);
    return slot == null || slot < 0 || slot >= Slots.COUNT ? -1 : slot.intValue();
  }

  private CompletionStage<Reply> addSlots(NodeContext ctx, Session s, byte[][] args) {
    int[] slots = slotArgs(args);
    return slots == null ? done(BAD_SLOT) : change(state -> state.addSlots(slots));
  }

  private CompletionStage<Reply> delSlots(NodeContext ctx, Session s, byte[][] args) {
    int[] slots = slotArgs(args);
    return slots == null ? done(BAD_SLOT) : change(state -> state.delSlots(slots));
  }

  private CompletionStage<Reply> addSlotsRange(NodeContext ctx, Session s, byte[][] args) {
    Object slots = rangeArgs(args);
    return slots instanceof Reply error ? done(error) : change(state -> state.addSlots((int[]) slots));
  }

  private CompletionStage<Reply> delSlotsRange(NodeContext ctx, Session s, byte[][] args) {
    Object slots = rangeArgs(args);
    return slots instanceof Reply error ? done(error) : change(state -> state.delSlots((int[]) slots));
  }

  private static int[] slotArgs(byte[][] args) {
    int[] slots = new int[args.length - 2];
    for (int i = 2; i < args.length; i++) {
      slots[i - 2] = parseSlot(args[i]);
      if (slots[i - 2] < 0) return null;
    }
    return slots;
  }

  /** The slots of start-end pairs, or the error Reply. */
  private static Object rangeArgs(byte[][] args) {
    if (args.length % 2 == 1) return Reply.wrongArity("cluster|" + Args.text(args[1]).toLowerCase());
    List<Integer> slots = new ArrayList<>();
    for (int i = 2; i < args.length; i += 2) {
      int start = parseSlot(args[i]);
      int end = parseSlot(args[i + 1]);
      if (start < 0 || end < 0) return BAD_SLOT;
      if (start > end) {
        return Reply.error("ERR start slot number " + start + " is greater than end slot number " + end);
      }
      for (int slot = start; slot <= end; slot++) slots.add(slot);
    }
    return slots.stream().mapToInt(Integer::intValue).toArray();
  }

  private CompletionStage<Reply> meet(NodeContext ctx, Session s, byte[][] args) {
    if (args.length > 5) return done(syntaxOfSub(args));
    String ip = Args.text(args[2]);
    Long port = Args.parseLong(args[3]);
    if (port == null) return done(Reply.error("ERR Invalid TCP base port specified: " + Args.text(args[3])));
    Long cport = args.length == 5 ? Args.parseLong(args[4]) : Long.valueOf(port + 10000);
    if (cport == null) return done(Reply.error("ERR Invalid TCP bus port specified: " + Args.text(args[4])));
    String normalized = ipLiteral(ip);
    if (normalized == null || port <= 0 || port > 65535 || cport <= 0 || cport > 65535) {
      return done(Reply.error("ERR Invalid node address specified: " + ip + ":" + Args.text(args[3])));
    }
    return change(state -> state.meet(normalized, port.intValue(), cport.intValue(), clock.getAsLong()));
  }

  /** The address in its canonical text form when {@code ip} is an IPv4 or IPv6 literal (never a name), else null. */
  static String ipLiteral(String ip) {
    var v4 = IPV4.matcher(ip);
    if (v4.matches()) {
      for (int i = 1; i <= 4; i++) if (Integer.parseInt(v4.group(i)) > 255) return null;
    } else if (!ip.contains(":") || !ip.matches("[0-9A-Fa-f:.]+")) {
      return null;
    }
    try {
      return InetAddress.getByName(ip).getHostAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private CompletionStage<Reply> reset(NodeContext ctx, Session s, byte[][] args) {
    if (args.length > 3) return done(syntaxOfSub(args));
    boolean hard = false;
    if (args.length == 3) {
      String mode = Args.text(args[2]).toLowerCase();
      if (!mode.equals("hard") && !mode.equals("soft")) return done(Reply.SYNTAX_ERROR);
      hard = mode.equals("hard");
    }
    boolean hardReset = hard;
    return keyCount(ctx).thenCompose(keys -> ask(state -> {
      boolean wasReplica = state.myself().isReplica();
      String error = state.reset(hardReset, keys, clock.getAsLong());
      return error != null ? Reply.error(error) : wasReplica ? null : Reply.OK;
    })).thenCompose(reply -> reply != null ? done(reply)
        // a replica's data was its master's: it goes with the reset
        : ctx.keyspace().onAll(range -> {
          range.db(0).clear();
          return null;
        }).thenApply(cleared -> Reply.OK));
  }

  /** CLUSTER FAILOVER [FORCE|TAKEOVER]: +OK once started; the failover itself goes on in the manager. */
  private CompletionStage<Reply> failover(NodeContext ctx, Session s, byte[][] args) {
    if (args.length > 3) return done(syntaxOfSub(args));
    boolean force = false;
    boolean takeover = false;
    if (args.length == 3) {
      String mode = Args.text(args[2]).toLowerCase();
      if (mode.equals("force")) {
        force = true;
      } else if (mode.equals("takeover")) {
        takeover = true;
      } else {
        return done(Reply.SYNTAX_ERROR);
      }
    }
    boolean forced = force;
    boolean takingOver = takeover;
    return change(state -> state.manualFailover(forced, takingOver, clock.getAsLong()));
  }

  private CompletionStage<Reply> flushSlots(NodeContext ctx, Session s, byte[][] args) {
    return keyCount(ctx).thenCompose(keys -> keys != 0
        ? done(Reply.error("ERR DB must be empty to perform CLUSTER FLUSHSLOTS."))
        : change(state -> {
          state.flushSlots();
          return null;
        }));
  }

  private CompletionStage<Reply> saveConfig(NodeContext ctx, Session s, byte[][] args) {
    CompletableFuture<String> saved = new CompletableFuture<>();
    manager.tell(new ClusterManager.SaveConfig(saved));
    return deadlines.bound(saved, () -> "ERR the cluster config was not saved within " + deadlines.millis() + " ms")
        .thenApply(error -> error == null ? Reply.OK
        : Reply.error("ERR error saving the cluster node config: " + error));
  }

  /**
   * CLUSTER SETSLOT slot IMPORTING|MIGRATING|NODE id, or STABLE: the rules are the state's; the keys the node holds
   * in the slot are counted first (SETSLOT NODE may not give away a slot whose keys are still here).
   */
  private CompletionStage<Reply> setSlot(NodeContext ctx, Session s, byte[][] args) {
    int slot = parseSlot(args[2]);
    // More than slot, action and node id: an invalid action, once the checks Redis makes first have passed.
    String action = args.length > 5 ? "" : Args.text(args[3]);
    String nodeId = args.length == 5 ? Args.text(args[4]) : null;
    CompletionStage<Long> keys = slot < 0 ? CompletableFuture.completedFuture(0L)
        : ctx.keyspace().onSlot(slot, state -> (long) state.db(0).countKeysInSlot(slot));
    return keys.thenCompose(count -> change(state -> state.setSlot(slot, action, nodeId, count)));
  }

  private CompletionStage<Reply> setConfigEpoch(NodeContext ctx, Session s, byte[][] args) {
    Long epoch = Args.parseLong(args[2]);
    return epoch == null ? done(Reply.NOT_INTEGER) : change(state -> state.setConfigEpoch(epoch));
  }

  private CompletionStage<Reply> countFailureReports(NodeContext ctx, Session s, byte[][] args) {
    String id = Args.text(args[2]);
    return ask(state -> {
      ClusterNode node = state.node(id);
      return node == null ? Reply.error("ERR Unknown node " + id)
          : Reply.integer(state.validFailReports(node, clock.getAsLong()));
    });
  }

  private CompletionStage<Reply> countKeysInSlot(NodeContext ctx, Session s, byte[][] args) {
    if (Args.parseLong(args[2]) == null) return done(Reply.NOT_INTEGER);
    int slot = parseSlot(args[2]);
    if (slot < 0) return done(Reply.error("ERR Invalid slot"));
    return ctx.keyspace().onSlot(slot, state -> Reply.integer(state.db(0).countKeysInSlot(slot)));
  }

  private CompletionStage<Reply> getKeysInSlot(NodeContext ctx, Session s, byte[][] args) {
    Long count = Args.parseLong(args[3]);
    if (Args.parseLong(args[2]) == null || count == null) return done(Reply.NOT_INTEGER);
    int slot = parseSlot(args[2]);
    if (slot < 0 || count < 0) {
      return done(Reply.error("ERR Invalid slot or number of keys"));
    }
    // As Redis's getKeysInSlot (and COUNTKEYSINSLOT), keys whose TTL passed but that are not deleted yet count.
    return ctx.keyspace().onSlot(slot, state -> {
      List<Reply> keys = new ArrayList<>();
      state.db(0).forEachStoredInSlot(slot, entry -> {
        if (keys.size() < count) keys.add(Reply.bulk(entry.key.bytes()));
      });
      return Reply.array(keys);
    });
  }

  /** Redis 7.2's shard id, which 7.0's nodes.conf cannot keep: here the id of the shard's master. */
  static String shardId(ClusterState state, ClusterNode node) {
    return node.isReplica() && node.masterId() != null ? node.masterId() : node.id();
  }

  static Reply replicasReply(ClusterState state, String id) {
    ClusterNode master = state.node(id);
    if (master == null) return Reply.error("ERR Unknown node " + id);
    if (!master.isMaster()) return Reply.error("ERR The specified node is not a master");
    List<Reply> lines = new ArrayList<>();
    for (ClusterNode replica : state.replicasOf(master)) lines.add(Reply.bulk(state.describe(replica)));
    return Reply.array(lines);
  }

  /**
   * One node of CLUSTER SLOTS (Redis 7.0's addNodeToNodeReply): its preferred endpoint (null for unknown-endpoint),
   * port and id, then what else is known of its address: the IP unless that is the endpoint, its hostname unless
   * that is the endpoint or there is none.
   */
  private static Reply nodeEntry(ClusterNode node, String endpointType) {
    Reply endpoint = endpointType.equals("unknown-endpoint") ? Reply.NULL
        : Reply.bulk(node.preferredEndpoint(endpointType));
    List<Reply> more = new ArrayList<>();
    if (!endpointType.equals("ip")) more.addAll(List.of(Reply.bulk("ip"), Reply.bulk(node.ip())));
    if (!endpointType.equals("hostname") && !node.hostname().isEmpty()) {
      more.addAll(List.of(Reply.bulk("hostname"), Reply.bulk(node.hostname())));
    }
    return Reply.array(endpoint, Reply.integer(node.port()), Reply.bulk(node.id()), Reply.map(more));
  }

  /** CLUSTER SLOTS: per run of slots of one master, the master, then its replicas that are up and synced. */
  static Reply slotsReply(ClusterState state) {
    List<Reply> entries = new ArrayList<>();
    state.forEachOwnedRun((start, end, owner) -> {
      List<Reply> entry = new ArrayList<>(List.of(Reply.integer(start), Reply.integer(end),
          nodeEntry(owner, state.preferredEndpointType())));
      for (ClusterNode replica : state.replicasOf(owner)) {
        if (!replica.has(ClusterNode.FAIL) && replica.replOffset() != 0) entry.add(nodeEntry(replica, state.preferredEndpointType()));
      }
      entries.add(Reply.array(entry));
    });
    return Reply.array(entries);
  }

  static Reply shardsReply(ClusterState state) {
    List<Reply> shards = new ArrayList<>();
    for (ClusterNode master : state.nodes()) {
      if (!master.isMaster()) continue;
      List<Reply> slots = new ArrayList<>();
      for (int[] run : state.slotRuns(master)) {
        slots.add(Reply.integer(run[0]));
        slots.add(Reply.integer(run[1]));
      }
      List<Reply> members = new ArrayList<>(List.of(shardMember(master, state.preferredEndpointType())));
      for (ClusterNode replica : state.replicasOf(master)) {
        members.add(shardMember(replica, state.preferredEndpointType()));
      }
      shards.add(Reply.map(List.of(Reply.bulk("slots"), Reply.array(slots), Reply.bulk("nodes"),
          Reply.array(members))));
    }
    return Reply.array(shards);
  }

  /** One node of CLUSTER SHARDS; "hostname" only when the node announces one, as Redis 7.0. */
  private static Reply shardMember(ClusterNode node, String endpointType) {
    String health = node.has(ClusterNode.FAIL) ? "fail"
        : node.isReplica() && node.replOffset() == 0 ? "loading" : "online";
    List<Reply> fields = new ArrayList<>(List.of(
        Reply.bulk("id"), Reply.bulk(node.id()),
        Reply.bulk("port"), Reply.integer(node.port()),
        Reply.bulk("ip"), Reply.bulk(node.ip()),
        Reply.bulk("endpoint"), Reply.bulk(node.preferredEndpoint(endpointType))));
    if (!node.hostname().isEmpty()) fields.addAll(List.of(Reply.bulk("hostname"), Reply.bulk(node.hostname())));
    fields.addAll(List.of(
        Reply.bulk("role"), Reply.bulk(node.isMaster() ? "master" : "replica"),
        Reply.bulk("replication-offset"), Reply.integer(node.replOffset()),
        Reply.bulk("health"), Reply.bulk(health)));
    return Reply.map(fields);
  }

  /**
   * CLUSTER LINKS, per known node as Redis lists them: the link to it, then the link from it (see {@link BusLinks}).
   * {@code events}: both are read ("r"); a link to a node also shows "w" while this node holds bytes for it. The send
   * buffer is what the node itself holds for the link before handing it to Akka remoting: the bus messages waiting
   * for nodes.conf to be durable (their size on the wire; allocated is used, nothing is reserved ahead). Remoting's
   * own buffers and TCP's are not counted: Artery does not expose them. Replies go over this node's own links here,
   * never over an inbound one, so a link from a node holds nothing.
   */
  static Reply linksReply(ClusterState state) {
    BusLinks.Snapshot bus = state.busLinks();
    List<Reply> links = new ArrayList<>();
    for (ClusterNode node : state.nodes()) {
      if (node == state.myself()) continue;
      long toCreated = node.ip().isEmpty() ? -1 : bus.toCreatedMs(node.ip(), node.cport());
      if (toCreated >= 0) {
        long queued = state.busQueuedBytes(node.ip(), node.cport());
        links.add(link("to", node, toCreated, queued > 0 ? "rw" : "r", queued));
      }
      long fromCreated = bus.fromCreatedMs(node.id());
      if (fromCreated >= 0) links.add(link("from", node, fromCreated, "r", 0));
    }
    return Reply.array(links);
  }

  private static Reply link(String direction, ClusterNode node, long createdMs, String events, long sendBuffer) {
    return Reply.map(List.of(
        Reply.bulk("direction"), Reply.bulk(direction),
        Reply.bulk("node"), Reply.bulk(node.id()),
        Reply.bulk("create-time"), Reply.integer(createdMs),
        Reply.bulk("events"), Reply.bulk(events),
        Reply.bulk("send-buffer-allocated"), Reply.integer(sendBuffer),
        Reply.bulk("send-buffer-used"), Reply.integer(sendBuffer)));
  }

  private static Reply help() {
    String[] lines = {
        "CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ADDSLOTS <slot> [<slot> ...]",
        "    Assign slots to current node.",
        "ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
        "    Assign slots which are between <start-slot> and <end-slot> to current node.",
        "BUMPEPOCH",
        "    Advance the cluster config epoch.",
        "COUNT-FAILURE-REPORTS <node-id>",
        "    Return number of failure reports for <node-id>.",
        "COUNTKEYSINSLOT <slot>",
        "    Return the number of keys in <slot>.",
        "DELSLOTS <slot> [<slot> ...]",
        "    Delete slots information from current node.",
        "DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
        "    Delete slots information which are between <start-slot> and <end-slot> from current node.",
        "FAILOVER [FORCE|TAKEOVER]",
        "    Promote current replica node to being a master.",
        "FORGET <node-id>",
        "    Remove a node from the cluster.",
        "GETKEYSINSLOT <slot> <count>",
        "    Return key names stored by current node in a slot.",
        "FLUSHSLOTS",
        "    Delete current node own slots information.",
        "INFO",
        "    Return information about the cluster.",
        "KEYSLOT <key>",
        "    Return the hash slot for <key>.",
        "MEET <ip> <port> [<bus-port>]",
        "    Connect nodes into a working cluster.",
        "MYID",
        "    Return the node id.",
        "NODES",
        "    Return cluster configuration seen by node. Output format:",
        "    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
        "REPLICATE <node-id>",
        "    Configure current node as replica to <node-id>.",
        "RESET [HARD|SOFT]",
        "    Reset current node (default: soft).",
        "SET-CONFIG-EPOCH <epoch>",
        "    Set config epoch of current node.",
        "SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)",
        "    Set slot state.",
        "REPLICAS <node-id>",
        "    Return <node-id> replicas.",
        "SAVECONFIG",
        "    Force saving cluster configuration on disk.",
        "SLOTS",
        "    Return information about slots range mappings. Each range is made of:",
        "    start, end, master and replicas IP addresses, ports and ids",
        "SHARDS",
        "    Return information about slot range mappings and the nodes associated with them.",
        "LINKS",
        "    Return information about all network links between this node and its peers.",
        "    Output format is an array where each array element is a map containing attributes of a link",
        "HELP",
        "    Prints this help."};
    List<Reply> replies = new ArrayList<>();
    for (String line : lines) replies.add(Reply.simple(line));
    return Reply.array(replies);
  }
}
