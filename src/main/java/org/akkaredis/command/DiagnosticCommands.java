package org.akkaredis.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.akkaredis.config.Settings;
import org.akkaredis.resp.Reply;

/**
 * SLOWLOG and LATENCY: what {@link CommandCalls} noted of the commands' run times ({@link SlowLog},
 * {@link LatencyMonitor}, each command's {@link LatencyHistogram}).
 */
public final class DiagnosticCommands {
  private DiagnosticCommands() {}

  public static void register(CommandTable.Builder b) {
    b.handle("slowlog|get", node(DiagnosticCommands::slowlogGet));
    b.handle("slowlog|len", node((ctx, args) -> Reply.integer(ctx.stats().slowlog.length())));
    b.handle("slowlog|reset", node((ctx, args) -> {
      ctx.stats().slowlog.reset();
      return Reply.OK;
    }));
    b.handle("slowlog|help", (Handler.OfSession) (session, args) -> ConnectionCommands.help(SLOWLOG_HELP));

    b.handle("latency|latest", node((ctx, args) -> latest(ctx.stats().latency)));
    b.handle("latency|history", node((ctx, args) -> history(ctx.stats().latency, Args.text(args[2]))));
    b.handle("latency|reset", node((ctx, args) -> reset(ctx.stats().latency, args)));
    b.handle("latency|graph", node((ctx, args) -> graph(ctx.stats().latency, Args.text(args[2]))));
    b.handle("latency|doctor", node((ctx, args) -> doctor(ctx.stats().latency, ctx.settings())));
    b.handle("latency|histogram", node(DiagnosticCommands::histogram));
    b.handle("latency|help", (Handler.OfSession) (session, args) -> ConnectionCommands.help(LATENCY_HELP));
  }

  private interface NodeReply {
    Reply run(NodeContext ctx, byte[][] args);
  }

  private static Handler.OfNode node(NodeReply handler) {
    return (ctx, session, args) -> CompletableFuture.completedFuture(handler.run(ctx, args));
  }

  // SLOWLOG

  static Reply slowlogGet(NodeContext ctx, byte[][] args) {
    if (args.length > 3) {
      return Reply.error("ERR unknown subcommand or wrong number of arguments for 'get'. Try SLOWLOG HELP.");
    }
    long count = 10;
    if (args.length == 3) {
      Long parsed = Args.parseLong(args[2]);
      if (parsed == null || parsed < -1) return Reply.error("ERR count should be greater than or equal to -1");
      count = parsed;
    }
    return SlowLog.reply(ctx.stats().slowlog.newest(count));
  }

  // LATENCY

  static Reply latest(LatencyMonitor monitor) {
    List<Reply> out = new ArrayList<>();
    for (LatencyMonitor.Latest e : monitor.latest()) {
      out.add(Reply.array(Reply.bulk(e.event()), Reply.integer(e.timeSeconds()), Reply.integer(e.latencyMs()),
          Reply.integer(e.maxMs())));
    }
    return Reply.array(out);
  }

  static Reply history(LatencyMonitor monitor, String event) {
    List<Reply> out = new ArrayList<>();
    for (long[] sample : monitor.history(event)) {
      out.add(Reply.array(Reply.integer(sample[0]), Reply.integer(sample[1])));
    }
    return Reply.array(out);
  }

  static Reply reset(LatencyMonitor monitor, byte[][] args) {
    if (args.length == 2) return Reply.integer(monitor.resetAll());
    int count = 0;
    for (int j = 2; j < args.length; j++) count += monitor.reset(Args.text(args[j]));
    return Reply.integer(count);
  }

  static Reply graph(LatencyMonitor monitor, String event) {
    String graph = monitor.graph(event, System.currentTimeMillis() / 1000);
    if (graph == null) return Reply.error("ERR No samples available for event '" + event + "'");
    return Reply.verbatim(graph);
  }

  static Reply doctor(LatencyMonitor monitor, Settings settings) {
    return Reply.verbatim(monitor.doctor(settings.latencyMonitorThreshold(), settings.slowlogLogSlowerThan(),
        settings.slowlogMaxLen(), System.currentTimeMillis() / 1000));
  }

  /**
   * LATENCY HISTOGRAM [command ...]: every command with run times, or those named (a container names its
   * subcommands); unknown names are skipped, as Redis does.
   */
  static Reply histogram(NodeContext ctx, byte[][] args) {
    Map<String, ServerStats.CommandCounters> all = ctx.stats().commands;
    Map<String, ServerStats.CommandCounters> shown;
    if (args.length == 2) {
      shown = new TreeMap<>(all);
    } else {
      shown = new LinkedHashMap<>();
      for (int j = 2; j < args.length; j++) {
        String name = Args.text(args[j]).toLowerCase(Locale.ROOT);
        int bar = name.indexOf('|');
        CommandSpec spec = ctx.commands().lookup(Args.bytes(bar < 0 ? name : name.substring(0, bar)));
        if (spec != null && bar >= 0) spec = spec.subcommands().get(name.substring(bar + 1));
        if (spec == null) continue;
        if (all.containsKey(spec.name())) shown.put(spec.name(), all.get(spec.name()));
        for (CommandSpec sub : spec.subcommands().values()) {
          if (all.containsKey(sub.name())) shown.put(sub.name(), all.get(sub.name()));
        }
      }
    }
    List<Reply> out = new ArrayList<>();
    for (Map.Entry<String, ServerStats.CommandCounters> e : shown.entrySet()) {
      if (e.getValue().histogram.total() == 0) continue;
      out.add(Reply.bulk(e.getKey()));
      out.add(e.getValue().histogram.reply());
    }
    return Reply.map(out);
  }

  private static final List<String> SLOWLOG_HELP = List.of(
      "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET [<count>]",
      "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
      "    Entries are made of:",
      "    id, timestamp, time in microseconds, arguments array, client IP and port,",
      "    client name",
      "LEN",
      "    Return the length of the slowlog.",
      "RESET",
      "    Reset the slowlog.",
      "HELP",
      "    Prints this help.");

  private static final List<String> LATENCY_HELP = List.of(
      "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DOCTOR",
      "    Return a human readable latency analysis report.",
      "GRAPH <event>",
      "    Return an ASCII latency graph for the <event> class.",
      "HISTORY <event>",
      "    Return time-latency samples for the <event> class.",
      "LATEST",
      "    Return the latest latency samples for all events.",
      "RESET [<event> ...]",
      "    Reset latency data of one or more <event> classes.",
      "    (default: reset all data for all event classes)",
      "HISTOGRAM [COMMAND ...]",
      "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
      "    If no commands are specified then all histograms are replied.",
      "HELP",
      "    Prints this help.");
}
