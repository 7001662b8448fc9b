package org.akkaredis.command;

import java.util.List;
import org.akkaredis.keyspace.Key;
import org.akkaredis.resp.Reply;

/**
 * MEMORY USAGE and MEMORY HELP. USAGE answers the keyspace's estimate of what a key takes in the node's heap
 * ({@code keyspace.MemoryUsage}: computed from the value's structure and this JVM's object layout), where Redis
 * answers what its allocator gives the key. MEMORY DOCTOR, STATS, MALLOC-STATS and PURGE report on or act on
 * Redis's allocator (jemalloc); the node has none of that to show, so they are not served.
 */
public final class MemoryCommands {
  private MemoryCommands() {}

  /** Redis's OBJ_COMPUTE_SIZE_DEF_SAMPLES. */
  static final long DEFAULT_SAMPLES = 5;

  private static final List<String> HELP = List.of(
      "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "USAGE <key> [SAMPLES <count>]",
      "    Return memory in bytes used by <key> and its value. Nested values are",
      "    sampled up to <count> times (default: 5, 0 means sample all).",
      "HELP",
      "    Prints this help.");

  public static void register(CommandTable.Builder b) {
    b.handle("memory|usage", (Handler.Keyed) MemoryCommands::usage);
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
}
