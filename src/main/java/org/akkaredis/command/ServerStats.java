package org.akkaredis.command;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** Node-wide counters for INFO stats / commandstats / errorstats; updated from many connections at once. */
public final class ServerStats {
  public final LongAdder commandsProcessed = new LongAdder();
  public final LongAdder connectionsReceived = new LongAdder();
  public final LongAdder rejectedConnections = new LongAdder();
  public final LongAdder netInputBytes = new LongAdder();
  public final LongAdder netOutputBytes = new LongAdder();
  public final LongAdder totalErrorReplies = new LongAdder();
  /** Reads from client sockets taken (INFO total_reads_processed). */
  public final LongAdder readsProcessed = new LongAdder();
  /** Replies of a read handed to a client socket, one write each (INFO total_writes_processed). */
  public final LongAdder writesProcessed = new LongAdder();
  public final Map<String, CommandCounters> commands = new ConcurrentHashMap<>();
  public final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  /** SLOWLOG; CONFIG RESETSTAT leaves it, as Redis does. */
  public final SlowLog slowlog = new SlowLog();
  /** LATENCY's events; CONFIG RESETSTAT leaves them, as Redis does. */
  public final LatencyMonitor latency = new LatencyMonitor();
  /** INFO's instantaneous_* figures, sampled by {@link #sample} every 100 ms. */
  public final InstantaneousMetrics instantaneous = new InstantaneousMetrics(System.currentTimeMillis());
  private volatile long lastReplInput;
  /** MIGRATE's connection cache, counted when INFO asks (none until the node wires MIGRATE in). */
  private volatile IntSupplier migrateCachedSockets = () -> 0;
  private volatile IntSupplier cachedScripts = () -> 0;
  /** DEBUG SET-DISABLE-DENY-SCRIPTS (Redis's server.script_disable_deny_script): scripts may call noscript commands. */
  public volatile boolean scriptDenyDisabled;
  private volatile long lastReplOutput;

  /**
   * One sample of every instantaneous metric (Redis's serverCron does it every 100 ms); {@code replInput} and
   * {@code replOutput} are the replication stream's bytes so far, received as a replica and sent as a master.
   */
  public void sample(long nowMs, long replInput, long replOutput) {
    lastReplInput = replInput;
    lastReplOutput = replOutput;
    instantaneous.track(InstantaneousMetrics.Metric.COMMANDS, commandsProcessed.sum(), nowMs);
    instantaneous.track(InstantaneousMetrics.Metric.NET_INPUT, netInputBytes.sum(), nowMs);
    instantaneous.track(InstantaneousMetrics.Metric.NET_OUTPUT, netOutputBytes.sum(), nowMs);
    instantaneous.track(InstantaneousMetrics.Metric.NET_REPL_INPUT, replInput, nowMs);
    instantaneous.track(InstantaneousMetrics.Metric.NET_REPL_OUTPUT, replOutput, nowMs);
  }

  /** Calls, failed calls and refused calls of one command (INFO commandstats). */
  public static final class CommandCounters {
    public final LongAdder calls = new LongAdder();
    public final LongAdder failedCalls = new LongAdder();
    public final LongAdder rejectedCalls = new LongAdder();
    /** Microseconds spent running the command (INFO commandstats usec). */
    public final LongAdder usec = new LongAdder();
    /** Run times, for LATENCY HISTOGRAM (see {@link LatencyHistogram}). */
    public final LatencyHistogram histogram = new LatencyHistogram();
  }

  /** Where INFO's migrate_cached_sockets comes from: MIGRATE's connection cache. */
  public void migrateCachedSockets(IntSupplier count) {
    migrateCachedSockets = count;
  }

  /** INFO's migrate_cached_sockets: the connections MIGRATE keeps open now. */
  public int migrateCachedSockets() {
    return migrateCachedSockets.getAsInt();
  }

  /** Where INFO's number_of_cached_scripts comes from: the scripts EVAL and SCRIPT LOAD cached. */
  public void cachedScripts(IntSupplier count) {
    cachedScripts = count;
  }

  public int cachedScripts() {
    return cachedScripts.getAsInt();
  }

  public CommandCounters of(String commandName) {
    return commands.computeIfAbsent(commandName, n -> new CommandCounters());
  }

  public void error(String errorText) {
    totalErrorReplies.increment();
    int space = errorText.indexOf(' ');
    String code = space < 0 ? errorText : errorText.substring(0, space);
    errors.computeIfAbsent(code, c -> new LongAdder()).increment();
  }

  public void reset() {
    commandsProcessed.reset();
    rejectedConnections.reset();
    netInputBytes.reset();
    netOutputBytes.reset();
    totalErrorReplies.reset();
    readsProcessed.reset();
    writesProcessed.reset();
    commands.clear();
    errors.clear();
    instantaneous.reset(System.currentTimeMillis(), new long[] {0, 0, 0, lastReplInput, lastReplOutput});
  }
}
