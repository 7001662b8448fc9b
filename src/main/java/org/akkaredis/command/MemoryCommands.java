package org.akkaredis.command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.MemoryBudget;
import org.akkaredis.keyspace.RangeDb;
import org.akkaredis.resp.Reply;
import org.akkaredis.text.RedisNumbers;

/**
 * MEMORY USAGE, STATS, DOCTOR and HELP, all from the keyspace's estimate ({@code keyspace.MemoryUsage}, kept per
 * write in {@code keyspace.MemoryBudget}): USAGE what a key takes, STATS the node's figures as INFO memory shows
 * them, DOCTOR Redis's checks of those figures. MALLOC-STATS and PURGE report on or act on Redis's allocator
 * (jemalloc); the node has none, so they are not served.
 */
public final class MemoryCommands {
  private MemoryCommands() {}

  /** Redis's OBJ_COMPUTE_SIZE_DEF_SAMPLES. */
  static final long DEFAULT_SAMPLES = 5;

  private static final List<String> HELP = List.of(
      "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DOCTOR",
      "    Return memory problems reports.",
      "STATS",
      "    Return information about the memory usage of the server.",
      "USAGE <key> [SAMPLES <count>]",
      "    Return memory in bytes used by <key> and its value. Nested values are",
      "    sampled up to <count> times (default: 5, 0 means sample all).",
      "HELP",
      "    Prints this help.");

  public static void register(CommandTable.Builder b) {
    b.handle("memory|usage", (Handler.Keyed) MemoryCommands::usage);
    b.handle("memory|stats", (Handler.OfNode) MemoryCommands::stats);
    b.handle("memory|doctor", (Handler.OfNode) MemoryCommands::doctor);
    b.handle("memory|help", (Handler.OfSession) (session, args) -> ConnectionCommands.help(HELP));
  }

  /**
   * MEMORY USAGE key [SAMPLES count]: the options are read first (a negative count or a word other than SAMPLES
   * is a syntax error, 0 means every element), then the key, expired or not as Redis's dictFind sees it; a
   * missing key answers nil.
   */
  static Reply usage(KeyedContext ctx, byte[][] a) {
    long samples = DEFAULT_SAMPLES;
    for (int j = 3; j < a.length; j++) {
      if (Args.is(a[j], "samples") && j + 1 < a.length) {
        Long count = Args.parseLong(a[++j]);
        if (count == null) return Reply.NOT_INTEGER;
        if (count < 0) return Reply.SYNTAX_ERROR;
        samples = count == 0 ? Long.MAX_VALUE : count;
      } else {
        return Reply.SYNTAX_ERROR;
      }
    }
    Long usage = ctx.db().memoryUsage(new Key(a[2]), samples);
    return usage == null ? Reply.NULL : Reply.integer(usage);
  }

  /** One database's keys and overheads, summed over the ranges. */
  private record DbFigures(long keys, long main, long expires) {}

  private static CompletionStage<long[][]> perDb(NodeContext ctx) {
    return ctx.keyspace().onAll(state -> {
      long[][] figures = new long[state.databases()][3];
      for (int i = 0; i < state.databases(); i++) {
        RangeDb db = state.db(i);
        figures[i][0] = db.size();
        figures[i][1] = db.slotMapsBytes();
        figures[i][2] = db.expiresBytes();
      }
      return figures;
    }).thenApply(parts -> {
      long[][] total = new long[parts.get(0).length][3];
      for (long[][] part : parts) {
        for (int i = 0; i < part.length; i++) {
          for (int f = 0; f < 3; f++) total[i][f] += part[i][f];
        }
      }
      return total;
    });
  }

  /** The node's figures MEMORY STATS and DOCTOR read, taken at once. */
  private record Figures(long used, long peak, long startup, long dataset, HeldMemory held, int clients,
      long keys, long heap, long committed, long rss, List<DbFigures> dbs) {
    long clientsNormal() {
      return held.clientsNormal();
    }
  }

  private static CompletionStage<Figures> figures(NodeContext ctx) {
    return perDb(ctx).thenApply(perDb -> {
      MemoryBudget budget = ctx.keyspace().memory();
      HeldMemory held = HeldMemory.refresh(ctx);
      long used = budget.used();
      long peak = InfoSections.PEAK_MEMORY.accumulateAndGet(used, Math::max);
      int clients = 0;
      for (Session s : ctx.clients().sessions()) {
        if (!ConnectionCommands.isReplica(s)) clients++;
      }
      List<DbFigures> dbs = new ArrayList<>();
      long keys = 0;
      for (long[] db : perDb) {
        dbs.add(new DbFigures(db[0], db[1], db[2]));
        keys += db[0];
      }
      Runtime runtime = Runtime.getRuntime();
      long committed = runtime.totalMemory();
      return new Figures(used, peak, budget.fixed(), budget.dataset(), held, clients, keys,
          InfoSections.heapUsed(), committed, InfoSections.residentSetSize(committed), dbs);
    });
  }

  /**
   * MEMORY STATS: Redis's fields that the node computes, in Redis's order; those about parts the node has not
   * (Lua, functions) or cannot measure (cluster links, held by Akka remoting) are left out. The allocator's are the JVM heap's, as in INFO memory.
   */
  static CompletionStage<Reply> stats(NodeContext ctx, Session session, byte[][] args) {
    return figures(ctx).thenApply(f -> {
      List<Reply> out = new ArrayList<>();
      put(out, "peak.allocated", Reply.integer(f.peak()));
      put(out, "total.allocated", Reply.integer(f.used()));
      put(out, "startup.allocated", Reply.integer(f.startup()));
      put(out, "replication.backlog", Reply.integer(f.held().backlog()));
      put(out, "clients.slaves", Reply.integer(f.held().clientsReplicas()));
      put(out, "clients.normal", Reply.integer(f.clientsNormal()));
      put(out, "aof.buffer", Reply.integer(f.held().aofBuffer()));
      for (int i = 0; i < f.dbs().size(); i++) {
        DbFigures db = f.dbs().get(i);
        if (db.keys() == 0) continue;
        put(out, "db." + i, Reply.map(List.of(
            Reply.bulk("overhead.hashtable.main"), Reply.integer(db.main()),
            Reply.bulk("overhead.hashtable.expires"), Reply.integer(db.expires()))));
      }
      put(out, "overhead.total", Reply.integer(f.used() - f.dataset()));
      put(out, "keys.count", Reply.integer(f.keys()));
      long net = f.used() - f.startup();
      put(out, "keys.bytes-per-key", Reply.integer(f.keys() == 0 ? 0 : net / f.keys()));
      put(out, "dataset.bytes", Reply.integer(f.dataset()));
      put(out, "dataset.percentage", percentage(f.dataset(), net));
      put(out, "peak.percentage", percentage(f.used(), f.peak()));
      put(out, "allocator.allocated", Reply.integer(f.heap()));
      put(out, "allocator.active", Reply.integer(f.committed()));
      put(out, "allocator.resident", Reply.integer(f.rss()));
      put(out, "fragmentation", ratio(f.rss(), f.used()));
      put(out, "fragmentation.bytes", Reply.integer(f.rss() - f.used()));
      return Reply.map(out);
    });
  }

  private static void put(List<Reply> out, String name, Reply value) {
    out.add(Reply.bulk(name));
    out.add(value);
  }

  /** Redis keeps these as floats and replies them as doubles. */
  private static Reply percentage(long part, long whole) {
    return new Reply.Dbl(RedisNumbers.format17g((float) (whole <= 0 ? 0 : part * 100.0 / whole)));
  }

  private static Reply ratio(long a, long b) {
    return new Reply.Dbl(RedisNumbers.format17g((float) (b <= 0 ? 0 : (double) a / b)));
  }

  static final String EMPTY = "Hi Sam, this instance is empty or is using very little memory, my issues detector"
      + " can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data."
      + " The new Sam and I will be back to our programming as soon as I finished rebooting.";
  static final String HEALTHY = "Hi Sam, I can't find any memory issue in your instance. I can only account for"
      + " what occurs on this base.";

  /**
   * MEMORY DOCTOR: Redis's checks that apply to the node's figures: too little data to judge (used_memory under
   * 5 MB), a past peak over 150% of what is used now, client buffers over 200 KB per client on average. Redis's
   * allocator and RSS checks (fragmentation) have no counterpart in a JVM's heap and are not made.
   */
  static CompletionStage<Reply> doctor(NodeContext ctx, Session session, byte[][] args) {
    return figures(ctx).thenApply(f -> Reply.verbatim(doctorReport(f.used(), f.peak(), f.clientsNormal(),
        f.clients())));
  }

  static String doctorReport(long used, long peak, long clientsMemory, int clients) {
    if (used < 5L * 1024 * 1024) return EMPTY;
    StringBuilder issues = new StringBuilder();
    if (peak > used * 3 / 2) {
      issues.append(" * Peak memory: In the past this instance used more than 150% the memory that is currently"
          + " using. The JVM may keep the heap it grew to for a while after a peak, and it is used again as soon"
          + " as you fill the instance with more data.\n\n");
    }
    if (clients > 0 && clientsMemory / clients > 200 * 1024) {
      issues.append(" * Big client buffers: The clients output buffers in this instance are greater than 200K per"
          + " client (on average). This may result from different causes, like Pub/Sub clients subscribed to"
          + " channels bot not receiving data fast enough, so that data piles on the Redis instance output buffer,"
          + " or clients sending commands with large replies or very large sequences of commands in the same"
          + " pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems"
          + " in your instance, or to understand better why certain clients are using a big amount of memory.\n\n");
    }
    if (issues.length() == 0) return HEALTHY;
    return "Sam, I detected a few issues in this Redis instance memory implants:\n\n" + issues
        + "I'm here to keep you safe, Sam. I want to help you.\n";
  }
}
