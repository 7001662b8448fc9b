package org.akkaredis.command;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.akkaredis.config.ConfigRewrite;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.resp.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server commands: INFO, CONFIG, DBSIZE, FLUSHALL, FLUSHDB, TIME, SAVE, LASTSAVE and SHUTDOWN.
 * They are node commands: what they need from the data they get by visiting every slot range.
 */
public final class ServerCommands {
  private ServerCommands() {}

  private static final Logger LOG = LoggerFactory.getLogger(ServerCommands.class);

  public static void register(CommandTable.Builder b) {
    b.handle("info", (Handler.OfNode) ServerCommands::info);

    b.handle("config|get", (Handler.OfNode) (ctx, session, args) -> done(configGet(ctx.settings(), args)));
    b.handle("config|set", (Handler.OfNode) (ctx, session, args) -> configSet(ctx.settings(), session, args));
    b.handle("config|resetstat", (Handler.OfNode) ServerCommands::configResetStat);
    b.handle("config|rewrite", (Handler.OfNode) (ctx, session, args) -> done(configRewrite(ctx.settings())));
    b.handle("config|help", (Handler.OfNode) (ctx, session, args) -> done(ConnectionCommands.help(CONFIG_HELP)));

    b.handle("dbsize", (Handler.OfNode) ServerCommands::dbsize);
    b.handle("flushall", (Handler.OfNode) ServerCommands::flushall);
    b.handle("flushdb", (Handler.OfNode) ServerCommands::flushdb);
    b.handle("swapdb", (Handler.OfNode) ServerCommands::swapdb);
    b.handle("time", (Handler.OfNode) (ctx, session, args) -> done(time(Instant.now())));
    b.handle("lastsave",
        (Handler.OfNode) (ctx, session, args) -> done(Reply.integer(ctx.persistence().lastSaveMs() / 1000)));
    b.handle("save", (Handler.OfNode) ServerCommands::save);
    b.handle("bgsave", (Handler.OfNode) ServerCommands::bgsave);
    b.handle("bgrewriteaof", (Handler.OfNode) (ctx, session, args) ->
        ctx.persistence().bgrewriteaof().thenApply(ServerCommands::statusOrError));
    b.handle("shutdown", (Handler.OfNode) ServerCommands::shutdown);
  }

  private static CompletionStage<Reply> done(Reply reply) {
    return CompletableFuture.completedFuture(reply);
  }

  // INFO

  static CompletionStage<Reply> info(NodeContext ctx, Session session, byte[][] args) {
    return InfoText.of(ctx, InfoSections.select(args)).thenApply(Reply::verbatim);
  }

  // CONFIG

  static Reply configGet(Settings settings, byte[][] args) {
    List<String> patterns = new ArrayList<>(args.length - 2);
    for (int i = 2; i < args.length; i++) patterns.add(Args.text(args[i]));
    List<Reply> reply = new ArrayList<>();
    for (Map.Entry<String, String> setting : settings.get(patterns)) {
      reply.add(Reply.bulk(setting.getKey()));
      reply.add(Reply.bulk(setting.getValue()));
    }
    return Reply.map(reply);
  }

  /** CONFIG SET: checked, set, and put into effect (a new client port listens) or rolled back as a whole. */
  static CompletionStage<Reply> configSet(Settings settings, Session session, byte[][] args) {
    List<String> pairs = new ArrayList<>(args.length - 2);
    for (int i = 2; i < args.length; i++) pairs.add(Args.text(args[i]));
    return settings.setAndApply(pairs, isLocal(session)).thenApply(error -> error == null ? Reply.OK : Reply.error(error));
  }

  /** CONFIG RESETSTAT: the node's counters and every range's hit, miss and expiry counters. */
  static CompletionStage<Reply> configResetStat(NodeContext ctx, Session session, byte[][] args) {
    ctx.stats().reset();
    ctx.settings().resetStats();
    ctx.keyspace().memory().resetStats();
    return ctx.keyspace().onAll(ServerCommands::resetRangeCounters).thenApply(done -> Reply.OK);
  }

  private static Void resetRangeCounters(RangeState state) {
    state.keyspaceHits = 0;
    state.keyspaceMisses = 0;
    state.expiredKeys = 0;
    return null;
  }

  /**
   * CONFIG REWRITE: the config file the node started with, written again with the current settings, in its own
   * syntax (redis.conf or HOCON). Like redis-server it writes at once, on this thread: the file is small.
   */
  static Reply configRewrite(Settings settings) {
    if (settings.configFile().isEmpty()) {
      return Reply.error("ERR The server is running without a config file");
    }
    String error = ConfigRewrite.rewrite(settings);
    if (error != null) {
      LOG.warn("CONFIG REWRITE failed: {}", error.substring("ERR Rewriting config file: ".length()));
      return Reply.error(error);
    }
    LOG.info("CONFIG REWRITE executed with success.");
    return Reply.OK;
  }

  private static final List<String> CONFIG_HELP = List.of(
      "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET <pattern>",
      "    Return parameters matching the glob-like <pattern> and their values.",
      "SET <directive> <value>",
      "    Set the configuration <directive> to <value>.",
      "RESETSTAT",
      "    Reset statistics reported by the INFO command.",
      "REWRITE",
      "    Rewrite the configuration file.",
      "HELP",
      "    Prints this help.");

  /** Redis's notion of a local client: loopback over TCP (there are no Unix sockets here). */
  static boolean isLocal(Session session) {
    String addr = session.addr;
    int colon = addr.lastIndexOf(':');
    String ip = colon < 0 ? addr : addr.substring(0, colon);
    if (ip.startsWith("[") && ip.endsWith("]")) ip = ip.substring(1, ip.length() - 1);
    return ip.equals("127.0.0.1") || ip.equals("::1");
  }

  // DBSIZE, FLUSHALL, FLUSHDB

  static CompletionStage<Reply> dbsize(NodeContext ctx, Session session, byte[][] args) {
    int db = session.db;
    return ctx.keyspace().onAll(state -> db < state.databases() ? state.db(db).size() : 0L)
        .thenApply(sizes -> Reply.integer(sizes.stream().mapToLong(Long::longValue).sum()));
  }

  /** FLUSHALL/FLUSHDB take nothing, SYNC or ASYNC; both empty the data at once. */
  private static boolean flushArgumentsValid(byte[][] args) {
    if (args.length == 1) return true;
    return args.length == 2 && (Args.is(args[1], "sync") || Args.is(args[1], "async"));
  }

  /**
   * FLUSHALL and FLUSHDB run holding every range, so that their effect (the command itself, always propagated as
   * Redis forces it) goes out once for the whole node, ordered against every range's effects.
   */
  static CompletionStage<Reply> flushall(NodeContext ctx, Session session, byte[][] args) {
    if (!flushArgumentsValid(args)) return done(Reply.SYNTAX_ERROR);
    return flushHolding(ctx, session, args, -1);
  }

  static CompletionStage<Reply> flushdb(NodeContext ctx, Session session, byte[][] args) {
    if (!flushArgumentsValid(args)) return done(Reply.SYNTAX_ERROR);
    return flushHolding(ctx, session, args, session.db);
  }

  /**
   * Records a command that held every range (FLUSHALL, FLUSHDB, SWAPDB) as one node-wide effect, in the first
   * range, unless it worked on a replica's loading databases (base > 0), which the stream does not carry.
   */
  private static Reply recordNodeWide(RangeState first, Session session, int base, int effectDb, byte[][] args) {
    first.applying(session.replicationApplier);
    if (base == 0 && first.recording()) {
      first.effects().add(-1, effectDb, session.replicationApplier, args);
      first.effects().markNodeWide();
    }
    first.applying(false);
    return Reply.OK;
  }

  /** Empties database {@code db} (-1: all of them) of every range, and records the node-wide effect. */
  private static CompletionStage<Reply> flushHolding(NodeContext ctx, Session session, byte[][] args, int db) {
    int effectDb = session.db;
    // A replica's master client during an async load works on the loading databases (numbered from dbBase).
    int base = session.dbBase;
    int[] all = IntStream.range(0, ctx.keyspace().rangeCount()).toArray();
    return ctx.keyspace().holding(all, held -> {
      for (RangeState state : held) {
        for (int i = base; i < base + state.databases(); i++) if (db < 0 || db == i) state.db(i).clear();
      }
      return done(recordNodeWide(held[0], session, base, effectDb, args));
    });
  }

  // SWAPDB

  private static final Reply SWAPDB_IN_CLUSTER = Reply.error("ERR SWAPDB is not allowed in cluster mode");
  private static final Reply INVALID_FIRST_DB = Reply.error("ERR invalid first DB index");
  private static final Reply INVALID_SECOND_DB = Reply.error("ERR invalid second DB index");
  private static final Reply DB_OUT_OF_RANGE = Reply.error("ERR DB index is out of range");

  /**
   * SWAPDB's two indexes, or its error as Redis 7.0 checks them: cluster mode, then each index as a 32-bit integer
   * (anything else is "invalid"), then both in range. Swapping a database with itself is a valid no-op.
   */
  static Object swapdbIndexes(byte[][] args, boolean clusterEnabled, int databases) {
    if (clusterEnabled) return SWAPDB_IN_CLUSTER;
    Long first = Args.parseLong(args[1]);
    if (first == null || first != first.intValue()) return INVALID_FIRST_DB;
    Long second = Args.parseLong(args[2]);
    if (second == null || second != second.intValue()) return INVALID_SECOND_DB;
    if (first < 0 || first >= databases || second < 0 || second >= databases) return DB_OUT_OF_RANGE;
    return new int[] {first.intValue(), second.intValue()};
  }

  /**
   * SWAPDB runs holding every range: each range exchanges the two databases' keys at once, so no command sees one
   * range swapped and another not. Both databases' watchers and blocked clients are told (served once the ranges
   * are released); the command is propagated as itself, node-wide, even when the two indexes are equal (Redis
   * counts it dirty all the same).
   */
  static CompletionStage<Reply> swapdb(NodeContext ctx, Session session, byte[][] args) {
    Object checked = swapdbIndexes(args, ctx.settings().clusterEnabled(), ctx.settings().databases());
    if (checked instanceof Reply error) return done(error);
    int[] indexes = (int[]) checked;
    int base = session.dbBase;
    int effectDb = session.db;
    int[] all = IntStream.range(0, ctx.keyspace().rangeCount()).toArray();
    return ctx.keyspace().holding(all, held -> {
      if (indexes[0] != indexes[1]) {
        for (RangeState state : held) state.db(base + indexes[0]).exchangeWith(state.db(base + indexes[1]));
      }
      return done(recordNodeWide(held[0], session, base, effectDb, args));
    });
  }

  // TIME

  static Reply time(Instant now) {
    return Reply.array(Reply.bulk(now.getEpochSecond()), Reply.bulk(now.getNano() / 1000));
  }

  // SAVE, BGSAVE

  /**
   * SAVE holds every range while it writes the file, so the snapshot is one moment of the whole node and, as in
   * Redis, nothing else runs meanwhile. A failure answers Redis's bare "-ERR" (the cause goes to the log there).
   */
  static CompletionStage<Reply> save(NodeContext ctx, Session session, byte[][] args) {
    int[] all = IntStream.range(0, ctx.keyspace().rangeCount()).toArray();
    return ctx.keyspace().holding(all, held -> {
      try {
        ctx.persistence().save(held);
      } catch (IOException | RuntimeException e) {
        LOG.warn("SAVE failed: {}", e.toString());
        return done(Reply.error("ERR"));
      }
      return done(Reply.OK);
    });
  }

  /** BGSAVE [SCHEDULE]: nothing here keeps a BGSAVE waiting (no fork to share), so SCHEDULE starts it as well. */
  static CompletionStage<Reply> bgsave(NodeContext ctx, Session session, byte[][] args) {
    if (args.length > 2 || (args.length == 2 && !Args.is(args[1], "schedule"))) return done(Reply.SYNTAX_ERROR);
    return ctx.persistence().bgsave().thenApply(ServerCommands::statusOrError);
  }

  /** The persistence's answer: an error text starts with its code, anything else is a status. */
  private static Reply statusOrError(String text) {
    return text.startsWith("ERR ") ? Reply.error(text) : Reply.simple(text);
  }

  // SHUTDOWN

  /**
   * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: the AOF is written and fsynced and, with SAVE or save rules
   * (unless NOSAVE), the snapshot saved before the node stops; like Redis it then sends no reply (the connection
   * just closes, which redis-cli expects). A save that fails stops the shutdown, unless FORCE.
   */
  static CompletionStage<Reply> shutdown(NodeContext ctx, Session session, byte[][] args) {
    boolean noSave = false;
    boolean save = false;
    boolean force = false;
    boolean now = false;
    boolean abort = false;
    for (int i = 1; i < args.length; i++) {
      if (Args.is(args[i], "nosave")) noSave = true;
      else if (Args.is(args[i], "save")) save = true;
      else if (Args.is(args[i], "now")) now = true;
      else if (Args.is(args[i], "force")) force = true;
      else if (Args.is(args[i], "abort")) abort = true;
      else return done(Reply.SYNTAX_ERROR);
    }
    if ((abort && (noSave || save || now || force)) || (noSave && save)) return done(Reply.SYNTAX_ERROR);
    if (abort) return done(Reply.error("ERR No shutdown in progress."));
    String busy = ctx.keyspace().busyScript().refusal();
    // As Redis: while a script is busy only SHUTDOWN NOSAVE stops the node, and the script stops with it.
    if (busy != null && !noSave) return done(Reply.error(busy));
    boolean forced = force;
    return ctx.persistence().beforeShutdown(save, noSave).thenCompose(failure -> {
      if (failure != null && !forced) {
        LOG.warn("Errors trying to shut down the server: {}", failure);
        return done(Reply.error("ERR Errors trying to SHUTDOWN. Check logs."));
      }
      session.closeRequested = true;
      ctx.keyspace().busyScript().abortAll();
      ctx.shutdown().run();
      return new CompletableFuture<>();
    });
  }
}
