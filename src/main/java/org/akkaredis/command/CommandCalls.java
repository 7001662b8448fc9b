package org.akkaredis.command;

import java.nio.charset.StandardCharsets;
import org.akkaredis.config.Settings;

/**
 * What Redis's call() notes after a command ran: its run time in INFO commandstats and LATENCY HISTOGRAM, the
 * "command" / "fast-command" latency event, and the slow log. The time is the command's own: a blocked command
 * counts up to the moment it blocked (Redis adds the short time of serving it), a paused client's wait before it
 * ran does not count.
 */
public final class CommandCalls {
  private CommandCalls() {}

  static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

  /**
   * A command that started at {@code startNanos} (System.nanoTime) has just finished: counted in commandstats now,
   * after it ran, as Redis's call() counts it (so INFO commandstats does not list its own call).
   */
  public static void finished(NodeContext node, Session session, CommandSpec spec, byte[][] args, long startNanos) {
    finished(node, session, session.db, spec, args, startNanos);
  }

  /** The same for a command that ran in {@code db} (the client may have selected another since); MONITOR shows it. */
  static void finished(NodeContext node, Session session, int db, CommandSpec spec, byte[][] args, long startNanos) {
    long end = System.nanoTime();
    long blockedAt = session.blockedAtNanos;
    boolean blocked = blockedAt - startNanos > 0 && blockedAt - end < 0;
    long nanos = blocked ? blockedAt - startNanos : end - startNanos;
    // A command that blocked was counted as it blocked (blockedCall), as redis-server 7.0 counts it then.
    if (!blocked) node.stats().of(spec.name()).calls.increment();
    noteRun(node.stats(), node.settings(), session, spec, args, Math.max(0, nanos), System.currentTimeMillis());
    node.clients().monitors().feed(session, db, spec, args);
  }

  /**
   * A blocking command (BLPOP ...) has just blocked: redis-server 7.0 counts its call in commandstats now, when the
   * command's proc returns, and not again when the client is served.
   */
  static void blockedCall(NodeContext node, CommandSpec spec) {
    node.stats().of(spec.name()).calls.increment();
  }

  /** The bookkeeping itself (run time, latency, slow log; calls are counted by the callers), with the times given. */
  static void noteRun(ServerStats stats, Settings settings, Session session, CommandSpec spec, byte[][] args,
      long nanos, long nowMs) {
    ServerStats.CommandCounters counters = stats.of(spec.name());
    long micros = nanos / 1000;
    counters.usec.add(micros);
    if (settings.latencyTracking()) counters.histogram.record(nanos);
    stats.latency.addIfNeeded(spec.hasFlag("fast") ? "fast-command" : "command", micros / 1000,
        settings.latencyMonitorThreshold(), nowMs / 1000);
    if (spec.hasFlag("skip_slowlog")) return;
    long slowerThan = settings.slowlogLogSlowerThan();
    if (slowerThan < 0 || micros < slowerThan) return;
    stats.slowlog.record(micros, redacted(spec, args), session.addr, session.name, nowMs / 1000, slowerThan,
        settings.slowlogMaxLen());
  }

  /**
   * The arguments with secrets replaced by "(redacted)", as Redis's redactClientCommandArgument leaves them for the
   * slow log and MONITOR: AUTH's, HELLO's AUTH pair, MIGRATE's AUTH / AUTH2, CONFIG SET of masterauth or requirepass.
   */
  static byte[][] redacted(CommandSpec spec, byte[][] args) {
    String name = spec.name();
    byte[][] out = null;
    switch (name) {
      case "auth" -> {
        out = args.clone();
        for (int j = 1; j < out.length; j++) out[j] = REDACTED;
      }
      case "hello" -> {
        for (int j = 2; j + 2 < args.length; j++) {
          if (Args.is(args[j], "auth")) {
            if (out == null) out = args.clone();
            out[j + 1] = REDACTED;
            out[j + 2] = REDACTED;
            j += 2;
          } else if (Args.is(args[j], "setname")) {
            j++;
          }
        }
      }
      case "migrate" -> {
        for (int j = 6; j < args.length; j++) {
          if (Args.is(args[j], "keys")) break;
          if (Args.is(args[j], "auth") && j + 1 < args.length) {
            if (out == null) out = args.clone();
            out[++j] = REDACTED;
          } else if (Args.is(args[j], "auth2") && j + 2 < args.length) {
            if (out == null) out = args.clone();
            out[++j] = REDACTED;
            out[++j] = REDACTED;
          }
        }
      }
      case "config|set" -> {
        for (int j = 2; j + 1 < args.length; j += 2) {
          if (Args.is(args[j], "masterauth") || Args.is(args[j], "requirepass")) {
            if (out == null) out = args.clone();
            out[j + 1] = REDACTED;
          }
        }
      }
      default -> { }
    }
    return out == null ? args : out;
  }
}
