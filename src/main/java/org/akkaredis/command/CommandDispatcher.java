package org.akkaredis.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.akkaredis.keyspace.Deadlines;
import org.akkaredis.keyspace.KeyspaceAccess;
import org.akkaredis.resp.Reply;

/**
 * Runs the commands of one TCP read for one client and gives back their replies in order.
 *
 * <p>Keyed commands are grouped by slot range and each range gets one message for the whole read (the main
 * lever on throughput); ranges work in parallel, and each keeps the client's order for its own keys. Session
 * commands run in place, in order. Anything else (node-wide commands, EXEC, keys spread over several ranges)
 * is a barrier: what was sent before it completes first, it runs alone, then the rest of the read goes on. A
 * replica's master client runs its keyed commands in order across ranges instead ({@link Session#inMasterOrder}).
 */
public final class CommandDispatcher {
  private final NodeContext node;
  private final KeyspaceAccess keyspace;

  public CommandDispatcher(NodeContext node) {
    this.node = node;
    this.keyspace = node.keyspace();
  }

  public NodeContext node() {
    return node;
  }

  /** One keyed command waiting to be sent to its range(s) with the others of the same read. */
  private record Call(int position, CommandSpec spec, byte[][] args, int slot, int db, boolean asking, int[] ranges) {}

  /**
   * The replies of one read, and the protocol each is to be written in: HELLO and RESET change it between
   * two commands of the same read, and HELLO's own reply is already in the new one.
   */
  public record Replies(Reply[] replies, byte[] protocols, byte[] silence, CommandSpec[] specs, boolean[] ran) {
    static final byte SPOKEN = 1;
    static final byte SILENT = 2;

    Replies(int size) {
      this(new Reply[size], new byte[size], new byte[size], new CommandSpec[size], new boolean[size]);
    }

    /** Whether the reply at {@code i} is left unwritten (CLIENT REPLY OFF / SKIP); it still counts in stats. */
    public boolean silent(int i) {
      return silence[i] == SILENT;
    }
  }

  public CompletionStage<Replies> run(Session session, List<byte[][]> commands) {
    Replies out = new Replies(commands.size());
    session.lastInteractionMs = System.currentTimeMillis();
    return runFrom(session, commands, 0, out).thenApply(done -> {
      countOutcomes(node.stats(), out);
      return out;
    });
  }

  /** Redirections: Redis's processCommand answers them without calling the command (rejected calls). */
  private static final List<String> REDIRECTIONS = List.of("MOVED ", "ASK ", "TRYAGAIN ", "CLUSTERDOWN ");

  /**
   * INFO commandstats' failed_calls and rejected_calls as Redis 7.0 counts them: a known command refused before it
   * ran (NOAUTH, arity, LOADING, NOREPLICAS, a queueing error in MULTI, a cluster redirection, a script its flags
   * refuse) is a rejected call and no call; one that ran and answered an error is a failed call.
   */
  static void countOutcomes(ServerStats stats, Replies out) {
    for (int i = 0; i < out.replies().length; i++) {
      CommandSpec spec = out.specs()[i];
      if (spec == null || !(out.replies()[i] instanceof Reply.Error error)) continue;
      ServerStats.CommandCounters counters = stats.of(spec.name());
      boolean redirected = REDIRECTIONS.stream().anyMatch(error.text()::startsWith);
      if (out.ran()[i] && !redirected && !error.refused()) {
        counters.failedCalls.increment();
      } else {
        if (out.ran()[i]) counters.calls.decrement();
        counters.rejectedCalls.increment();
      }
    }
  }

  private CompletionStage<Void> runFrom(Session session, List<byte[][]> commands, int start, Replies out) {
    return runFrom(session, commands, start, out, null);
  }

  /**
   * The routing its range decided for the command at {@code position} (a refusal text, or null: served here), for a
   * slot in migration when one of this node's refusals was due: the command is then run again with it.
   */
  private record Routed(int position, String refusal) {}

  private CompletionStage<Void> runFrom(Session session, List<byte[][]> commands, int start, Replies out,
      Routed routed) {
    Reply[] replies = out.replies();
    // One group per range, and after them the group of a session that runs in master order (Session#inMasterOrder).
    @SuppressWarnings("unchecked")
    List<Call>[] groups = new List[keyspace.rangeCount() + 1];
    List<CompletableFuture<Void>> inFlight = new ArrayList<>();
    for (int i = start; i < commands.size(); i++) {
      if (session.closeRequested) break;
      byte[][] args = commands.get(i);
      // Taken before anything else: a command refused or queued spends the client's ASKING all the same.
      boolean asking = session.askingFor(args);
      out.protocols()[i] = (byte) session.protocol;
      if (out.silence()[i] == 0) out.silence()[i] = replyMode(session, args);
      CommandRunner.Resolved resolved = CommandRunner.resolve(node.commands(), args);
      CommandSpec spec = resolved.spec();
      out.specs()[i] = spec != null ? spec : CommandRunner.named(node.commands(), args);
      if (spec != null) session.lastCommand = spec.name();
      if (spec != null && !session.authenticated && !spec.hasFlag("no_auth")) {
        resolved = new CommandRunner.Resolved(null, CommandRunner.NOAUTH);
      }
      if (spec != null && resolved.error() == null && node.persistence().loading() && !session.replicationApplier
          && !spec.hasFlag("loading")) {
        resolved = new CommandRunner.Resolved(null, LOADING);
      }
      Reply refused = spec == null || resolved.error() != null ? null : WriteRefusal.check(node, session, spec, args);
      if (refused != null) {
        int open = routed != null && routed.position() == i ? -1 : slotInMigration(session, spec, args);
        if (open >= 0) return routeThenRerun(session, commands, i, out, groups, inFlight, spec, args, asking, open);
        resolved = new CommandRunner.Resolved(null, redirectedFirst(session, spec, args, refused, routed, i));
      }
      if (session.monitoring != null && resolved.error() == null && touchesKeyspace(spec)) {
        resolved = new CommandRunner.Resolved(null, MONITOR_KEYSPACE);
      }
      // A script holding every range has run past busy-reply-threshold: as Redis's processCommand, BUSY. Only a
      // volatile read per command while none is busy.
      String busy = keyspace.busyScript().refusal();
      if (busy != null && spec != null && resolved.error() == null && !session.replicationApplier
          && !spec.hasFlag("allow_busy")) {
        resolved = new CommandRunner.Resolved(null, Reply.error(busy));
      }
      if (spec != null && resolved.error() == null && !session.replicationApplier
          && node.clients().pause().holds(spec, session, node.commands(), System.currentTimeMillis())) {
        // CLIENT PAUSE: this command and the rest of the read wait (as a blocked client) until the pause ends.
        send(session, groups, inFlight, out);
        int position = i;
        session.blocked = true;
        return CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
            .thenCompose(sent -> node.clients().pause().released(System.currentTimeMillis()))
            .thenCompose(released -> {
              session.blocked = false;
              return runFrom(session, commands, position, out);
            });
      }
      if (spec != null && resolved.error() == null && !session.replicationApplier
          && keyspace.memory().refusesWrites() && refusedOverMaxmemory(session, spec, args)) {
        int open = routed != null && routed.position() == i ? -1 : slotInMigration(session, spec, args);
        if (open >= 0) return routeThenRerun(session, commands, i, out, groups, inFlight, spec, args, asking, open);
        resolved = new CommandRunner.Resolved(null, redirectedFirst(session, spec, args, OOM, routed, i));
      }
      if (spec != null && resolved.error() == null && session.subscribed()) {
        Reply subscribedRefusal = PubSubCommands.subscribedRefusal(session, spec);
        if (subscribedRefusal != null) resolved = new CommandRunner.Resolved(null, subscribedRefusal);
      }
      if (spec != null && resolved.error() == null && !session.replicationApplier && deniedStale(session, spec)) {
        resolved = new CommandRunner.Resolved(null, MASTERDOWN);
      }
      if (session.inMulti() && resolved.error() != null && Args.is(args[0], "exec")) {
        replies[i] = TransactionCommands.abort(session, resolved.error());
        continue;
      }
      if (session.inMulti() && !TransactionCommands.runsInsideMulti(spec)) {
        int openSlot = resolved.error() == null ? slotInMigration(session, spec, args) : -1;
        if (openSlot >= 0) {
          // Whether it may be queued depends on its keys (ASK, TRYAGAIN): asked of its range, as a barrier.
          send(session, groups, inFlight, out);
          int position = i;
          return CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
              .thenCompose(sent -> keyspace.onSlot(openSlot, state -> CommandRunner.routingRefusal(state.routing(),
                  openSlot, spec, args, session, asking, state.db(0))))
              .handle((refusal, failure) -> {
                Reply redirection = failure != null ? failed(failure) : refusal == null ? null : Reply.error(refusal);
                replies[position] = TransactionCommands.queue(session, spec, redirection, args, keyspace);
                return (Void) null;
              })
              .thenCompose(queued -> runFrom(session, commands, position + 1, out));
        }
        replies[i] = TransactionCommands.queue(session, spec, resolved.error(), args, keyspace);
        continue;
      }
      if (resolved.error() != null) {
        replies[i] = resolved.error();
        continue;
      }
      boolean exec = session.inMulti() && Args.is(args[0], "exec");
      if ((spec.isWrite() || exec && queuesWrites(node, session)) && !session.replicationApplier) {
        if (lacksGoodReplicas()) {
          int open = exec || routed != null && routed.position() == i ? -1 : slotInMigration(session, spec, args);
          if (open >= 0) return routeThenRerun(session, commands, i, out, groups, inFlight, spec, args, asking, open);
          // As Redis's rejectCommand: an EXEC of writes aborts the transaction with the refusal.
          replies[i] = exec ? TransactionCommands.abort(session, NOREPLICAS)
              : redirectedFirst(session, spec, args, NOREPLICAS, routed, i);
          continue;
        }
        long pausedForMs = node.replication().writesPausedUntil() - System.currentTimeMillis();
        if (pausedForMs > 0) {
          // A manual failover's master holds writes until its replica has caught up; look again shortly.
          send(session, groups, inFlight, out);
          int position = i;
          Executor later = CompletableFuture.delayedExecutor(Math.min(pausedForMs, 50), TimeUnit.MILLISECONDS);
          return CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
              .thenComposeAsync(sent -> runFrom(session, commands, position, out), later);
        }
      }
      // commandstats count a call once it has run (CommandCalls.finished), as Redis's call() does after the
      // command's proc; ran[] says which were counted, for countOutcomes.
      Handler handler = spec.handler();
      if (handler instanceof Handler.OfSession h) {
        long startNanos = System.nanoTime();
        replies[i] = h.run(session, args);
        CommandCalls.finished(node, session, spec, args, startNanos);
        out.ran()[i] = true;
        out.protocols()[i] = (byte) session.protocol;
        continue;
      }
      if (handler instanceof Handler.Keyed) {
        CommandRunner.KeyPlacement placement = CommandRunner.place(spec, args, keyspace);
        if (placement.crossSlot()) {
          replies[i] = CommandRunner.CROSSSLOT;
          continue;
        }
        if (placement.ranges().length == 1 || session.inMasterOrder && placement.ranges().length > 1) {
          int group = session.inMasterOrder ? keyspace.rangeCount() : placement.ranges()[0];
          if (groups[group] == null) groups[group] = new ArrayList<>();
          groups[group].add(new Call(i, spec, args, placement.slot(), session.db, asking, placement.ranges()));
          continue;
        }
      }
      // A barrier: finish what was sent, run this command alone, then go on with the rest of the read.
      send(session, groups, inFlight, out);
      int position = i;
      return CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
          .thenCompose(sent -> runAlone(session, spec, args, out.ran(), position))
          .thenCompose(reply -> {
            replies[position] = reply;
            out.protocols()[position] = (byte) session.protocol;
            return runFrom(session, commands, position + 1, out);
          });
    }
    send(session, groups, inFlight, out);
    // Most reads touch one range: its future is the whole answer.
    return inFlight.size() == 1 ? inFlight.get(0) : CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new));
  }

  private void send(Session session, List<Call>[] groups, List<CompletableFuture<Void>> inFlight, Replies out) {
    for (int group = 0; group < groups.length; group++) {
      List<Call> calls = groups[group];
      if (calls == null) continue;
      groups[group] = null;
      CompletionStage<Void> sent = group < keyspace.rangeCount()
          ? keyspace.onRange(group, state -> runOnRange(session, new CommandRunner.RangeContext(state), calls, out))
          : sendInOrder(session, calls, out);
      inFlight.add(sent.toCompletableFuture().exceptionally(failure -> {
        // The range did not take the work in time (none of it ran), or the AOF did not confirm its effects: each
        // command of the group answers the error, and the connection goes on with its next read.
        Reply error = failed(failure);
        for (Call call : calls) out.replies()[call.position()] = error;
        return null;
      }));
    }
  }

  private Void runOnRange(Session session, CommandRunner.RangeContext context, List<Call> calls, Replies out) {
    for (Call call : calls) run(session, context, call, out);
    return null;
  }

  private void run(Session session, CommandRunner.RangeContext context, Call call, Replies out) {
    long start = System.nanoTime();
    out.replies()[call.position()] = context.run(session, call.db(), call.spec(), call.args(), call.slot(),
        call.asking());
    CommandCalls.finished(node, session, call.db(), call.spec(), call.args(), start);
    out.ran()[call.position()] = true;
  }

  /**
   * A replica's master client runs the stream strictly in the master's order, as Redis's replica does: what its
   * keyspace events show, and what a command of several ranges sees, is what the master did. The calls of one
   * range go to it in one message; calls of several ranges run one after the other while all those ranges are held
   * (each range's calls would otherwise run at the same time as the others').
   */
  private CompletionStage<Void> sendInOrder(Session session, List<Call> calls, Replies out) {
    int[] ranges = calls.stream().flatMapToInt(call -> IntStream.of(call.ranges())).distinct().sorted().toArray();
    if (ranges.length == 1) {
      return keyspace.onRange(ranges[0], state -> runOnRange(session, new CommandRunner.RangeContext(state), calls,
          out));
    }
    return keyspace.holding(ranges, held -> {
      CommandRunner.RangeContext[] contexts = new CommandRunner.RangeContext[held.length];
      for (int i = 0; i < held.length; i++) contexts[i] = new CommandRunner.RangeContext(held[i]);
      for (Call call : calls) {
        if (call.ranges().length == 1) {
          run(session, contexts[Arrays.binarySearch(ranges, call.ranges()[0])], call, out);
          continue;
        }
        long start = System.nanoTime();
        out.replies()[call.position()] = CommandRunner.runKeyedHeld(held, keyspace.rangeCount(), session,
            call.db(), call.spec(), call.args(), call.slot(), keyspace.routing());
        CommandCalls.finished(node, session, call.db(), call.spec(), call.args(), start);
        out.ran()[call.position()] = true;
      }
      return CompletableFuture.completedFuture(null);
    });
  }

  /**
   * CLIENT REPLY's effect on the reply of the command about to run, decided before it runs (a pause or a barrier
   * may run it later): CLIENT REPLY ON and RESET always answer, OFF and SKIP never do (as Redis), anything else stays silent
   * while replies are off or when the command before was CLIENT REPLY SKIP.
   */
  private static byte replyMode(Session session, byte[][] args) {
    boolean skipThis = session.replySkipNext;
    session.replySkipNext = false;
    if (args.length == 3 && Args.is(args[0], "client") && Args.is(args[1], "reply")) {
      if (Args.is(args[2], "on")) return Replies.SPOKEN;
      if (Args.is(args[2], "off") || Args.is(args[2], "skip")) return Replies.SILENT;
    }
    // RESET turns replies back on before it answers.
    if (args.length == 1 && Args.is(args[0], "reset")) return Replies.SPOKEN;
    return session.replyOff || skipThis ? Replies.SILENT : Replies.SPOKEN;
  }

  /**
   * Whether {@link #run} hands all the work of these commands to the ranges before it returns: no node command,
   * none whose keys lie in several ranges. Batches of such commands may be sent one after the other without
   * waiting (the start-up load does), since each range then gets them in the order they were sent.
   */
  public boolean sendsAtOnce(List<byte[][]> commands) {
    for (byte[][] args : commands) {
      CommandSpec spec = CommandRunner.resolve(node.commands(), args).spec();
      if (spec == null || spec.handler() instanceof Handler.OfSession) continue;
      if (!(spec.handler() instanceof Handler.Keyed)) return false;
      if (CommandRunner.place(spec, args, keyspace).ranges().length > 1) return false;
    }
    return true;
  }

  /** The slot of a keyed command when this node migrates or imports it, else -1. */
  private int slotInMigration(Session session, CommandSpec spec, byte[][] args) {
    if (!(spec.handler() instanceof Handler.Keyed) || session.replicationApplier) return -1;
    CommandRunner.KeyPlacement placement = CommandRunner.place(spec, args, keyspace);
    if (placement.crossSlot() || placement.slot() < 0) return -1;
    return keyspace.routing().inMigration(placement.slot()) ? placement.slot() : -1;
  }

  /** While the node loads its data at start, only commands flagged "loading" run (INFO, CONFIG, SHUTDOWN ...). */
  static final Reply LOADING = Reply.error("LOADING Redis is loading the dataset in memory");
  /** Whether the transaction queued a write command (Redis's mstate.cmd_flags has CMD_WRITE). */
  static boolean queuesWrites(NodeContext node, Session session) {
    for (byte[][] queued : session.multiQueue) {
      CommandSpec queuedSpec = CommandRunner.resolve(node.commands(), queued).spec();
      if (queuedSpec != null && queuedSpec.isWrite()) return true;
    }
    return false;
  }

  public static final Reply MASTERDOWN =
      Reply.error("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");

  /**
   * A replica whose link to its master is not up, with replica-serve-stale-data no: only commands flagged stale
   * run (INFO, CONFIG, REPLICAOF, EVAL ...), and an EXEC only when all it queued are (processCommand's
   * is_denystale_command).
   */
  public static boolean servesNoStaleData(NodeContext node) {
    // The setting first: it is yes by default, and the link's view is built afresh on each call.
    if (node.settings().replicaServeStaleData()) return false;
    Replication.MasterLink link = node.replication().masterLink();
    return link != null && !"connected".equals(link.state());
  }

  private boolean deniedStale(Session session, CommandSpec spec) {
    if (!servesNoStaleData(node)) return false;
    if (!spec.hasFlag("stale")) return true;
    if (!session.inMulti() || !"exec".equals(spec.name())) return false;
    for (byte[][] queued : session.multiQueue) {
      CommandSpec queuedSpec = CommandRunner.resolve(node.commands(), queued).spec();
      if (queuedSpec != null && !queuedSpec.hasFlag("stale")) return true;
    }
    return false;
  }

  /** Redis marks a monitor as a replica, and a replica may not touch the keyspace (processCommand). */
  static final Reply MONITOR_KEYSPACE = Reply.error("ERR Replica can't interact with the keyspace");

  private static boolean touchesKeyspace(CommandSpec spec) {
    return spec.isWrite() || spec.hasFlag("readonly") || spec.hasFlag("may_replicate");
  }

  public static final Reply OOM = Reply.error("OOM command not allowed when used memory > 'maxmemory'.");

  /**
   * Over maxmemory with nothing to evict, as Redis's processCommand: a command flagged denyoom is refused, and so
   * is an EXEC that queued one; inside MULTI every command but EXEC, DISCARD, QUIT and RESET, since queuing takes
   * memory too (the transaction then fails with EXECABORT).
   */
  private boolean refusedOverMaxmemory(Session session, CommandSpec spec, byte[][] args) {
    if (spec.hasFlag("denyoom")) return true;
    if (!session.inMulti()) return false;
    if (Args.is(args[0], "exec")) return queuesFlag(session, "denyoom");
    return !Args.is(args[0], "discard") && !Args.is(args[0], "quit") && !Args.is(args[0], "reset");
  }

  private boolean queuesFlag(Session session, String flag) {
    for (byte[][] queued : session.multiQueue) {
      CommandSpec queuedSpec = CommandRunner.resolve(node.commands(), queued).spec();
      if (queuedSpec != null && queuedSpec.hasFlag(flag)) return true;
    }
    return false;
  }

  public static final Reply NOREPLICAS = Reply.error("NOREPLICAS Not enough good replicas to write.");

  /**
   * A refusal of this node's (MISCONF, OOM, NOREPLICAS) gives way to the command's cluster redirection, as in
   * Redis's processCommand, where the redirection comes first. Only looked at once a refusal is due, so the
   * common path places its keys once.
   */
  private Reply redirectedFirst(Session session, CommandSpec spec, byte[][] args, Reply refusal, Routed routed,
      int position) {
    Reply redirection = routed != null && routed.position() == position
        ? (routed.refusal() == null ? null : Reply.error(routed.refusal()))
        : CommandRunner.routingRefusal(spec, args, keyspace, session);
    return redirection != null ? redirection : refusal;
  }

  /**
   * A refusal is due for a command of a slot in migration, whose redirection (which comes first) depends on its keys:
   * what was sent so far completes, its range decides, and the read goes on from that command with the decision.
   */
  private CompletionStage<Void> routeThenRerun(Session session, List<byte[][]> commands, int position, Replies out,
      List<Call>[] groups, List<CompletableFuture<Void>> inFlight, CommandSpec spec, byte[][] args, boolean asking,
      int slot) {
    send(session, groups, inFlight, out);
    return CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
        .thenCompose(sent -> keyspace.onSlot(slot, state -> CommandRunner.routingRefusal(state.routing(), slot, spec,
            args, session, asking, state.db(0))))
        .handle((refusal, failure) -> new Routed(position, failure != null ? Deadlines.replyText(failure) : refusal))
        .thenCompose(decided -> runFrom(session, commands, position, out, decided));
  }

  /** min-replicas-to-write: a master refuses writes while fewer replicas than that are in touch. */
  private boolean lacksGoodReplicas() {
    return lacksGoodReplicas(node);
  }

  /** min-replicas-to-write: a master with fewer good replicas refuses writes (NOREPLICAS). */
  public static boolean lacksGoodReplicas(NodeContext node) {
    int wanted = node.settings().minReplicasToWrite();
    return wanted > 0 && node.replication().masterLink() == null
        && node.replication().goodReplicas() < wanted;
  }

  /** A command that cannot join a range's group: node-wide, or keyed with keys in several ranges. */
  private CompletionStage<Reply> runAlone(Session session, CommandSpec spec, byte[][] args, boolean[] ran,
      int position) {
    if (spec.handler() instanceof Handler.OfNode h) {
      long start = System.nanoTime();
      CompletionStage<Reply> reply;
      try {
        reply = h.run(node, session, args).exceptionally(CommandDispatcher::failed);
      } catch (RuntimeException e) {
        reply = CompletableFuture.completedFuture(Reply.error("ERR internal error in '" + spec.name() + "': " + e));
      }
      return reply.thenApply(done -> {
        CommandCalls.finished(node, session, spec, args, start);
        ran[position] = true;
        return done;
      });
    }
    CommandRunner.KeyPlacement placement = CommandRunner.place(spec, args, keyspace);
    int db = session.db;
    return keyspace.holding(placement.ranges(), held -> {
      long start = System.nanoTime();
      Reply reply = CommandRunner.runKeyedHeld(held, keyspace.rangeCount(), session, db, spec, args,
          placement.slot(), keyspace.routing());
      CommandCalls.finished(node, session, db, spec, args, start);
      ran[position] = true;
      return CompletableFuture.completedFuture(reply);
    }).exceptionally(CommandDispatcher::failed);
  }

  /**
   * The reply to a command whose work failed: a wait across actors past its deadline answers its own text
   * ({@link Deadlines.Exceeded}: TRYAGAIN when the command did not run, ERR when its outcome is unknown), anything
   * else ERR and the failure's message.
   */
  static Reply failed(Throwable failure) {
    return Reply.error(Deadlines.replyText(failure));
  }
}
