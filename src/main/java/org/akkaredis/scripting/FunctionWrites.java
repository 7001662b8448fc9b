package org.akkaredis.scripting;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.akkaredis.command.Args;
import org.akkaredis.command.NodeContext;
import org.akkaredis.command.Session;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.persistence.FunctionPayload;
import org.akkaredis.resp.Reply;

/**
 * FUNCTION's writes as data changes (LOAD, DELETE, FLUSH, RESTORE), and DUMP, RESTORE and STATS themselves.
 *
 * <p>The libraries are node-wide data that the first range's snapshots carry ({@link RangeState#libraryCodes}): a
 * write runs holding every range, as FLUSHALL does, and a write that changed them (Redis's server.dirty++) records
 * its command as given as the first range's effect, so the replicas and the AOF get it exactly once relative to
 * any snapshot (an RDB, an AOF rewrite's base, a replica's full sync).
 */
final class FunctionWrites {
  private FunctionWrites() {}

  /** The FCALL in progress: its function, the command as the client sent it, and when it started. */
  record Running(String name, byte[][] command, long startMs) {}

  /** Runs {@code change} holding every range; a reply that is no error propagates {@code args}. */
  static CompletionStage<Reply> run(NodeContext node, Session session, byte[][] args, Supplier<Reply> change) {
    int[] all = IntStream.range(0, node.keyspace().rangeCount()).toArray();
    return node.keyspace().holding(all, held -> {
      Reply reply = change.get();
      if (!(reply instanceof Reply.Error)) {
        RangeState first = held[0];
        first.changedNodeData();
        first.applying(session.replicationApplier);
        try {
          first.effect(session.db, args);
        } finally {
          first.applying(false);
        }
      }
      return CompletableFuture.completedFuture(reply);
    });
  }

  /** FUNCTION DUMP: the libraries' payload, compressed as redis-server's with rdbcompression yes. */
  static Reply dump(Libraries libraries, Settings settings) {
    return Reply.bulk(FunctionPayload.dump(libraries.codes(), "yes".equals(settings.rawValue("rdbcompression"))));
  }

  /** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE] with Redis's errors. */
  static Reply restore(Libraries libraries, byte[][] args) {
    if (args.length > 4) return subcommandSyntaxError(args);
    Libraries.RestorePolicy policy = Libraries.RestorePolicy.APPEND;
    if (args.length == 4) {
      if (Args.is(args[3], "append")) {
        policy = Libraries.RestorePolicy.APPEND;
      } else if (Args.is(args[3], "replace")) {
        policy = Libraries.RestorePolicy.REPLACE;
      } else if (Args.is(args[3], "flush")) {
        policy = Libraries.RestorePolicy.FLUSH;
      } else {
        return Reply.error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
      }
    }
    FunctionPayload.Result payload = FunctionPayload.restore(args[2]);
    if (payload.error() != null) return Reply.error("ERR " + payload.error());
    String error = libraries.restore(payload.codes(), policy);
    return error == null ? Reply.OK : Reply.error("ERR " + error);
  }

  /** addReplySubcommandSyntaxError. */
  static Reply subcommandSyntaxError(byte[][] args) {
    return Reply.error("ERR unknown subcommand or wrong number of arguments for '" + Args.text(args[1])
        + "'. Try " + Args.text(args[0]).toUpperCase(java.util.Locale.ROOT) + " HELP.");
  }

  /**
   * FUNCTION STATS: the running function (name, command, duration_ms) or null, and the engines' counts; while an
   * EVAL script runs, Redis's BUSY error for scripts.
   */
  static Reply stats(Libraries libraries, boolean evalRunning, java.util.concurrent.atomic.AtomicReference<Running> now) {
    if (evalRunning) return ScriptCommands.BUSY_SCRIPT;
    Running running = now.get();
    Reply script = Reply.NULL;
    if (running != null) {
      List<Reply> command = new ArrayList<>(running.command().length);
      for (byte[] arg : running.command()) command.add(Reply.bulk(arg));
      script = Reply.map(List.of(Reply.bulk("name"), Reply.bulk(running.name()), Reply.bulk("command"),
          Reply.array(command), Reply.bulk("duration_ms"),
          Reply.integer(System.currentTimeMillis() - running.startMs())));
    }
    int[] counts = libraries.counts();
    Reply lua = Reply.map(List.of(Reply.bulk("libraries_count"), Reply.integer(counts[0]),
        Reply.bulk("functions_count"), Reply.integer(counts[1])));
    return Reply.map(List.of(Reply.bulk("running_script"), script, Reply.bulk("engines"),
        Reply.map(List.of(Reply.bulk("LUA"), lua))));
  }
}
