package org.akkaredis.command;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Node-wide counters for INFO stats / commandstats / errorstats; updated from many connections at once. */
public final class ServerStats {
  public final LongAdder commandsProcessed = new LongAdder();
  public final LongAdder connectionsReceived = new LongAdder();
  public final LongAdder rejectedConnections = new LongAdder();
  public final LongAdder netInputBytes = new LongAdder();
  public final LongAdder netOutputBytes = new LongAdder();
  public final LongAdder totalErrorReplies = new LongAdder();
  public final Map<String, CommandCounters> commands = new ConcurrentHashMap<>();
  public final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  /** SLOWLOG; CONFIG RESETSTAT leaves it, as Redis does. */
  public final SlowLog slowlog = new SlowLog();
  /** LATENCY's events; CONFIG RESETSTAT leaves them, as Redis does. */
  public final LatencyMonitor latency = new LatencyMonitor();

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
    commands.clear();
    errors.clear();
  }
}
