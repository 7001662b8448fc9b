package org.akkaredis.cluster;

import akka.actor.typed.ActorRef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.akkaredis.command.Args;
import org.akkaredis.command.CommandTable;
import org.akkaredis.command.Handler;
import org.akkaredis.command.NodeContext;
import org.akkaredis.command.Session;
import org.akkaredis.keyspace.Slots;
import org.akkaredis.resp.Reply;

/** The CLUSTER command's subcommands, answered from the {@link ClusterManager}'s state. */
public final class ClusterCommands {
  static final Reply DISABLED = Reply.error("ERR This instance has cluster support disabled");
  static final Reply BAD_SLOT = Reply.error("ERR Invalid or out of range slot");

  private final ActorRef<ClusterManager.Command> manager;

  /** {@code manager} is null when cluster mode is off: every subcommand then says so. */
  public ClusterCommands(ActorRef<ClusterManager.Command> manager) {
    this.manager = manager;
  }

  public void register(CommandTable.Builder b) {
    b.container("cluster", -2, "cluster", "3.0.0", "A container for cluster commands");
    sub(b, "addslots", -3, "admin stale no_async_loading", "3.0.0", "Assign new hash slots to receiving node",
        "O(N) where N is the total number of hash slot arguments", this::addSlots);
    sub(b, "addslotsrange", -4, "admin stale no_async_loading", "7.0.0",
        "Assign new hash slots to receiving node", "O(N) where N is the total number of the slots between the "
            + "start slot and end slot arguments.", this::addSlotsRange);
    sub(b, "delslots", -3, "admin stale no_async_loading", "3.0.0", "Set hash slots as unbound in receiving node",
        "O(N) where N is the total number of hash slot arguments", this::delSlots);
    sub(b, "delslotsrange", -4, "admin stale no_async_loading", "7.0.0",
        "Set hash slots as unbound in receiving node", "O(N) where N is the total number of the slots between "
            + "the start slot and end slot arguments.", this::delSlotsRange);
    sub(b, "keyslot", 3, "stale", "3.0.0", "Returns the hash slot of the specified key",
        "O(N) where N is the number of bytes in the key", this::keySlot);
    sub(b, "myid", 2, "stale", "3.0.0", "Return the node id", "O(1)",
        (ctx, s, a) -> read(state -> Reply.bulk(state.myId())));
    sub(b, "info", 2, "stale", "3.0.0", "Provides info about Redis Cluster node state", "O(1)",
        (ctx, s, a) -> read(state -> Reply.verbatim(state.infoText())));
    sub(b, "nodes", 2, "stale", "3.0.0", "Get Cluster config for the node", "O(N) where N is the total number of "
        + "Cluster nodes", (ctx, s, a) -> read(state -> Reply.verbatim(state.nodesText())));
    sub(b, "slots", 2, "stale", "3.0.0", "Get array of Cluster slot to node mappings",
        "O(N) where N is the total number of Cluster nodes", (ctx, s, a) -> read(ClusterCommands::slotsReply));
    sub(b, "shards", 2, "stale", "7.0.0", "Get array of cluster slots to node mappings",
        "O(N) where N is the total number of cluster nodes", (ctx, s, a) -> read(ClusterCommands::shardsReply));
    sub(b, "countkeysinslot", 3, "stale", "3.0.0", "Return the number of local keys in the specified hash slot",
        "O(1)", this::countKeysInSlot);
    sub(b, "getkeysinslot", 4, "stale", "3.0.0", "Return local key names in the specified hash slot",
        "O(log(N)) where N is the number of requested keys", this::getKeysInSlot);
    b.sub("cluster", "help", 2, "loading stale", "5.0.0", "Show helpful text about the different subcommands",
        "O(1)", (Handler.OfSession) (s, a) -> help());
  }

  private void sub(CommandTable.Builder b, String name, int arity, String flags, String since, String summary,
      String complexity, Handler.OfNode handler) {
    Handler.OfNode guarded = (ctx, s, a) -> manager == null
        ? CompletableFuture.completedFuture(DISABLED) : handler.run(ctx, s, a);
    b.sub("cluster", name, arity, flags, since, summary, complexity, guarded);
  }

  private CompletionStage<Reply> read(Function<ClusterState, Reply> render) {
    CompletableFuture<ClusterState> state = new CompletableFuture<>();
    manager.tell(new ClusterManager.Read(state));
    return state.thenApply(render);
  }

  private CompletionStage<Reply> change(Function<ClusterState, ClusterState.Outcome> change) {
    CompletableFuture<String> result = new CompletableFuture<>();
    manager.tell(new ClusterManager.Change(change, result));
    return result.thenApply(error -> error == null ? Reply.OK : Reply.error(error));
  }

  private static int parseSlot(byte[] arg) {
    Long slot = Args.parseLong(arg);
    return slot == null || slot < 0 || slot >= Slots.COUNT ? -1 : slot.intValue();
  }

  private static CompletionStage<Reply> done(Reply reply) {
    return CompletableFuture.completedFuture(reply);
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

  private CompletionStage<Reply> keySlot(NodeContext ctx, Session s, byte[][] args) {
    return done(Reply.integer(Slots.slotOf(args[2])));
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
    return ctx.keyspace().onSlot(slot, state -> {
      List<Reply> keys = new ArrayList<>();
      state.db(0).forEachKeyInSlot(slot, entry -> {
        if (keys.size() < count) keys.add(Reply.bulk(entry.key.bytes()));
      });
      return Reply.array(keys);
    });
  }

  static Reply slotsReply(ClusterState state) {
    List<Reply> entries = new ArrayList<>();
    for (int[] run : state.slotRuns()) {
      Reply node = Reply.array(Reply.bulk(state.ip()), Reply.integer(state.port()), Reply.bulk(state.myId()),
          Reply.map(List.of()));
      entries.add(Reply.array(Reply.integer(run[0]), Reply.integer(run[1]), node));
    }
    return Reply.array(entries);
  }

  static Reply shardsReply(ClusterState state) {
    List<Reply> slots = new ArrayList<>();
    for (int[] run : state.slotRuns()) {
      slots.add(Reply.integer(run[0]));
      slots.add(Reply.integer(run[1]));
    }
    Reply node = Reply.map(List.of(
        Reply.bulk("id"), Reply.bulk(state.myId()),
        Reply.bulk("port"), Reply.integer(state.port()),
        Reply.bulk("ip"), Reply.bulk(state.ip()),
        Reply.bulk("endpoint"), Reply.bulk(state.ip()),
        Reply.bulk("role"), Reply.bulk("master"),
        Reply.bulk("replication-offset"), Reply.integer(0),
        Reply.bulk("health"), Reply.bulk("online")));
    Reply shard = Reply.map(List.of(Reply.bulk("slots"), Reply.array(slots), Reply.bulk("nodes"),
        Reply.array(node)));
    return Reply.array(shard);
  }

  private static Reply help() {
    String[] lines = {
        "CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ADDSLOTS <slot> [<slot> ...]",
        "    Assign slots to current node.",
        "ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
        "    Assign slots which are between <start-slot> and <end-slot> to current node.",
        "COUNTKEYSINSLOT <slot>",
        "    Return the number of keys in <slot>.",
        "DELSLOTS <slot> [<slot> ...]",
        "    Delete slots information from current node.",
        "DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
        "    Delete slots information which are between <start-slot> and <end-slot> from current node.",
        "GETKEYSINSLOT <slot> <count>",
        "    Return key names stored by current node in a slot.",
        "INFO",
        "    Return information about the cluster.",
        "KEYSLOT <key>",
        "    Return the hash slot for <key>.",
        "MYID",
        "    Return the node id.",
        "NODES",
        "    Return cluster configuration seen by node. Output format:",
        "    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
        "SHARDS",
        "    Return information about slot range mappings and the nodes associated with them.",
        "SLOTS",
        "    Return information about slots range mappings. Each range is made of:",
        "    start, end, master and replicas IP addresses, ports and ids",
        "HELP",
        "    Prints this help."};
    List<Reply> replies = new ArrayList<>();
    for (String line : lines) replies.add(Reply.simple(line));
    return Reply.array(replies);
  }
}
