package org.akkaredis.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.akkaredis.keyspace.Db;
import org.akkaredis.keyspace.EffectBuffer;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceAccess;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.keyspace.Slots;
import org.akkaredis.keyspace.SpanningDb;
import org.akkaredis.keyspace.WatchToken;
import org.akkaredis.resp.Reply;

/**
 * MULTI, EXEC, DISCARD, WATCH, UNWATCH. EXEC holds every range the queued commands touch and those of the
 * watched keys (all of them if a node-wide command is queued), checks the watch and runs the queue while nothing
 * else can interleave.
 */
public final class TransactionCommands {
  private TransactionCommands() {}

  static final Reply EXECABORT = Reply.error("EXECABORT Transaction discarded because of previous errors.");

  public static void register(CommandTable.Builder b) {
    b.handle("multi", (Handler.OfSession) TransactionCommands::multi);
    b.handle("exec", (Handler.OfNode) TransactionCommands::exec);
    b.handle("discard", (Handler.OfSession) TransactionCommands::discard);
    b.handle("watch", (Handler.OfNode) TransactionCommands::watch);
    b.handle("unwatch", (Handler.OfSession) TransactionCommands::unwatch);
  }

  /** Commands that act at once even between MULTI and EXEC (Redis's exceptions to queueing). */
  static boolean runsInsideMulti(CommandSpec spec) {
    if (spec == null) return false;
    return switch (spec.name()) {
      case "exec", "discard", "multi", "watch", "quit", "reset" -> true;
      default -> false;
    };
  }

  /** Queues a command after MULTI; a refused one (unknown, arity, cross-slot, ...) dooms the transaction. */
  static Reply queue(Session session, CommandSpec spec, Reply refusal, byte[][] args, KeyspaceAccess keyspace) {
    if (refusal == null && spec.hasFlag("no_multi")) {
      refusal = Reply.error("ERR Command not allowed inside a transaction");
    }
    if (refusal == null) refusal = CommandRunner.routingRefusal(spec, args, keyspace, session);
    if (refusal != null) {
      session.multiFailed = true;
      return refusal;
    }
    // As Redis's queueMultiCommand: a transaction already doomed (a refused command, a touched watched key)
    // keeps nothing more, though each command still answers QUEUED; EXEC fails whatever follows.
    if (!session.multiDoomed()) session.multiQueue.add(args);
    return Reply.QUEUED;
  }

  /** EXEC itself refused inside MULTI (arity, authentication): the transaction is discarded with the reason. */
  static Reply abort(Session session, Reply refusal) {
    session.endMulti();
    String reason = ((Reply.Error) refusal).text();
    if (reason.startsWith("ERR ")) reason = reason.substring(4);
    return Reply.error("EXECABORT Transaction discarded because of: " + reason);
  }

  static Reply multi(Session session, byte[][] args) {
    if (session.inMulti()) return Reply.error("ERR MULTI calls can not be nested");
    session.beginMulti();
    return Reply.OK;
  }

  static Reply discard(Session session, byte[][] args) {
    if (!session.inMulti()) return Reply.error("ERR DISCARD without MULTI");
    session.endMulti();
    return Reply.OK;
  }

  static Reply unwatch(Session session, byte[][] args) {
    session.unwatch();
    return Reply.OK;
  }

  static CompletionStage<Reply> watch(NodeContext node, Session session, byte[][] args) {
    if (session.inMulti()) return done(Reply.error("ERR WATCH inside MULTI is not allowed"));
    KeyspaceAccess keyspace = node.keyspace();
    int firstSlot = Slots.slotOf(args[1]);
    if (keyspace.routing().clusterEnabled()) {
      for (int i = 2; i < args.length; i++) {
        if (Slots.slotOf(args[i]) != firstSlot) return done(CommandRunner.CROSSSLOT);
      }
      CommandSpec spec = node.commands().lookup(args[0]);
      boolean asking = session.asking;
      String refusal = keyspace.routing().refusal(firstSlot, CommandRunner.query(spec, session, asking), null);
      if (refusal != null) return done(Reply.error(refusal));
      if (keyspace.routing().inMigration(firstSlot)) {
        // Its keys decide (ASK, TRYAGAIN), as for any keyed command: counted in their range first.
        return keyspace.onSlot(firstSlot, state -> CommandRunner.routingRefusal(state.routing(), firstSlot, spec,
            args, session, asking, state.db(0))).thenCompose(moved -> moved != null ? done(Reply.error(moved))
            : register(keyspace, session, args));
      }
    }
    return register(keyspace, session, args);
  }

  /** WATCH's keys, registered in their ranges. */
  private static CompletionStage<Reply> register(KeyspaceAccess keyspace, Session session, byte[][] args) {
    if (session.watch == null) session.watch = new WatchToken();
    WatchToken token = session.watch;
    int db = session.db;
    List<CompletableFuture<Void>> registered = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      Key key = new Key(args[i]);
      token.watchIn(keyspace.rangeOfSlot(Slots.slotOf(args[i])));
      registered.add(keyspace.onSlot(Slots.slotOf(args[i]), state -> {
        state.db(db).watch(key, token);
        return (Void) null;
      }).toCompletableFuture());
      session.watchedKeys++;
    }
    return CompletableFuture.allOf(registered.toArray(CompletableFuture[]::new)).thenApply(v -> Reply.OK);
  }

  static CompletionStage<Reply> exec(NodeContext node, Session session, byte[][] args) {
    if (!session.inMulti()) return done(Reply.error("ERR EXEC without MULTI"));
    List<byte[][]> queued = session.multiQueue;
    WatchToken watch = session.watch;
    KeyspaceAccess keyspace = node.keyspace();
    List<CommandSpec> specs = new ArrayList<>(queued.size());
    // Only the ranges it needs: holding the others too would make the EXEC wait for each in turn, while commands
    // of other clients sent after it reach its ranges first.
    boolean needsAllRanges = false;
    int slot = -1;
    List<Integer> ranges = new ArrayList<>();
    if (watch != null) {
      for (int r : watch.ranges()) ranges.add(r);
    }
    for (byte[][] command : queued) {
      CommandSpec spec = CommandRunner.resolve(node.commands(), command).spec();
      specs.add(spec);
      if (spec.handler() instanceof Handler.OfNode) needsAllRanges = true;
      if (spec.handler() instanceof Handler.Keyed) {
        CommandRunner.KeyPlacement placement = CommandRunner.place(spec, command, keyspace);
        if (placement.slot() >= 0 && keyspace.routing().clusterEnabled()) {
          if (slot >= 0 && placement.slot() != slot) {
            session.endMulti();
            return done(CommandRunner.CROSSSLOT);
          }
          slot = placement.slot();
        }
        for (int r : placement.ranges()) ranges.add(r);
      }
    }
    // Redis routes EXEC by the slots of what was queued before it looks at queueing errors.
    if (session.multiFailed) {
      session.endMulti();
      return done(EXECABORT);
    }
    session.multiQueue = null;
    // Until its last command is done the client shows as in MULTI, as Redis's CLIENT LIST does (flags=x, multi=N).
    session.executing = queued;
    session.execArgs = args;
    int[] toHold = needsAllRanges
        ? IntStream.range(0, keyspace.rangeCount()).toArray()
        : ranges.stream().mapToInt(Integer::intValue).distinct().sorted().toArray();
    int execSlot = slot;
    return keyspace.holding(toHold, held -> {
      // A slot in migration: the transaction's keys, all together, decide whether it runs here (Redis's
      // getNodeByQuery for EXEC); redirected, it is discarded.
      String refusal = execSlot >= 0 && !session.replicationApplier && keyspace.routing().inMigration(execSlot)
          ? execRouting(keyspace, session, specs, queued, execSlot, held) : null;
      if (refusal != null) {
        session.endMulti();
        return done(Reply.error(refusal));
      }
      // Checked while holding: no write can slip in between this check and the queued commands.
      if (watch != null && watch.failsExec()) {
        session.endMulti();
        return done(Reply.NULL_ARRAY);
      }
      session.endMulti();
      session.atExecEnd = new ArrayList<>();
      if (held.length == 0) {
        return CommandRunner.runAllHeld(node, session, specs, queued, held)
            .whenComplete((replies, failure) -> runExecEnd(session))
            .thenApply(Reply::array);
      }
      // The held ranges share one effect buffer: more than one effect goes out wrapped in MULTI ... EXEC.
      EffectBuffer effects = held[0].effects();
      int start = effects.begin();
      return CommandRunner.runAllHeld(node, session, specs, queued, held)
          .whenComplete((replies, failure) -> {
            effects.end(start);
            runExecEnd(session);
          })
          .thenApply(Reply::array);
    }).whenComplete((reply, failure) -> {
      session.executing = null;
      session.execArgs = null;
    });
  }

  /** The routing of EXEC for a slot in migration: every queued command's keys counted, in database 0. */
  private static String execRouting(KeyspaceAccess keyspace, Session session, List<CommandSpec> specs,
      List<byte[][]> queued, int slot, RangeState[] held) {
    Db db0 = new SpanningDb(held, keyspace.rangeCount(), 0);
    int existing = 0;
    int missing = 0;
    boolean multiple = false;
    boolean write = false;
    byte[] first = null;
    for (int i = 0; i < queued.size(); i++) {
      CommandSpec spec = specs.get(i);
      write |= spec.isWrite();
      if (!(spec.handler() instanceof Handler.Keyed)) continue;
      byte[][] args = queued.get(i);
      for (int position : CommandRunner.keyPositions(spec, args)) {
        byte[] key = args[position];
        if (first == null) first = key;
        multiple |= !Arrays.equals(first, key);
        if (db0.peek(new Key(key)) == null) {
          missing++;
        } else {
          existing++;
        }
      }
    }
    int query = (write ? SlotRouting.WRITE : 0) | (session.readonly ? SlotRouting.READONLY_SESSION : 0)
        | (session.asking ? SlotRouting.ASKING : 0);
    return keyspace.routing().refusal(slot, query, new SlotRouting.KeyCount(existing, missing, multiple));
  }

  private static void runExecEnd(Session session) {
    List<Runnable> actions = session.atExecEnd;
    session.atExecEnd = null;
    for (Runnable action : actions) action.run();
  }

  private static CompletionStage<Reply> done(Reply reply) {
    return CompletableFuture.completedFuture(reply);
  }
}
