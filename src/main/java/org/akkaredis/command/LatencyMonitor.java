package org.akkaredis.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Redis's latency monitor (latency.c): for each event ("command", "fast-command" ...) the samples of the last 160
 * seconds that reached {@code latency-monitor-threshold} milliseconds (one per second, the highest), and the
 * highest ever. LATENCY LATEST, HISTORY, RESET, GRAPH and DOCTOR read it. Every method takes the monitor's lock.
 */
public final class LatencyMonitor {
  static final int SERIES_LENGTH = 160;
  static final int GRAPH_COLUMNS = 80;

  /** One event's samples: a ring of (second, milliseconds); a second of 0 is an empty slot. */
  static final class Series {
    final long[] times = new long[SERIES_LENGTH];
    final long[] latencies = new long[SERIES_LENGTH];
    int next;
    long max;

    int last() {
      return (next + SERIES_LENGTH - 1) % SERIES_LENGTH;
    }
  }

  /** The events in the order they first happened (Redis's dict has no order; this one is stable). */
  private final Map<String, Series> events = new LinkedHashMap<>();

  /** latencyAddSampleIfNeeded: a sample only when the monitor is on (threshold > 0) and it reached the threshold. */
  public synchronized void addIfNeeded(String event, long latencyMs, long thresholdMs, long nowSeconds) {
    if (thresholdMs <= 0 || latencyMs < thresholdMs) return;
    Series series = events.computeIfAbsent(event, e -> new Series());
    if (latencyMs > series.max) series.max = latencyMs;
    int previous = series.last();
    if (series.times[previous] == nowSeconds) {
      if (latencyMs > series.latencies[previous]) series.latencies[previous] = latencyMs;
      return;
    }
    series.times[series.next] = nowSeconds;
    series.latencies[series.next] = latencyMs;
    series.next = (series.next + 1) % SERIES_LENGTH;
  }

  /** An event's newest sample: name, second, milliseconds, and the highest ever. */
  public record Latest(String event, long timeSeconds, long latencyMs, long maxMs) {}

  public synchronized List<Latest> latest() {
    List<Latest> out = new ArrayList<>();
    for (Map.Entry<String, Series> e : events.entrySet()) {
      Series s = e.getValue();
      int last = s.last();
      out.add(new Latest(e.getKey(), s.times[last], s.latencies[last], s.max));
    }
    return out;
  }

  /** An event's samples, oldest first, as pairs {second, milliseconds}; empty for an unknown event. */
  public synchronized List<long[]> history(String event) {
    Series s = events.get(event);
    List<long[]> out = new ArrayList<>();
    if (s == null) return out;
    for (int j = 0; j < SERIES_LENGTH; j++) {
      int i = (s.next + j) % SERIES_LENGTH;
      if (s.times[i] != 0) out.add(new long[] {s.times[i], s.latencies[i]});
    }
    return out;
  }

  /** LATENCY RESET without events: every event; returns how many were dropped. */
  public synchronized int resetAll() {
    int count = events.size();
    events.clear();
    return count;
  }

  /** Drops the event named so, in any case, as Redis's strcasecmp does; returns 1 if there was one. */
  public synchronized int reset(String event) {
    int count = 0;
    for (var it = events.keySet().iterator(); it.hasNext(); ) {
      if (it.next().equalsIgnoreCase(event)) {
        it.remove();
        count++;
      }
    }
    return count;
  }

  /** LATENCY GRAPH: Redis's sparkline of an event's samples, or null for an unknown event. */
  public synchronized String graph(String event, long nowSeconds) {
    Series s = events.get(event);
    if (s == null) return null;
    List<Double> values = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    long min = 0;
    long max = 0;
    for (int j = 0; j < SERIES_LENGTH; j++) {
      int i = (s.next + j) % SERIES_LENGTH;
      if (s.times[i] == 0) continue;
      long latency = s.latencies[i];
      if (values.isEmpty()) {
        min = latency;
        max = latency;
      } else {
        max = Math.max(max, latency);
        min = Math.min(min, latency);
      }
      long elapsed = nowSeconds - s.times[i];
      String label;
      if (elapsed < 60) label = elapsed + "s";
      else if (elapsed < 3600) label = (elapsed / 60) + "m";
      else if (elapsed < 3600 * 24) label = (elapsed / 3600) + "h";
      else label = (elapsed / (3600 * 24)) + "d";
      values.add((double) latency);
      labels.add(label);
    }
    StringBuilder graph = new StringBuilder();
    graph.append(event).append(" - high ").append(max).append(" ms, low ").append(min)
        .append(" ms (all time high ").append(s.max).append(" ms)\n");
    graph.append("-".repeat(GRAPH_COLUMNS)).append('\n');
    Sparkline.render(graph, values, labels, GRAPH_COLUMNS, 4);
    return graph.toString();
  }

  /** analyzeLatencyForEvent's figures. */
  record Stats(int samples, long avg, long mad, long period, long allTimeHigh) {}

  private Stats analyze(Series s, long nowSeconds) {
    int samples = 0;
    long sum = 0;
    long period = 0;
    for (int j = 0; j < SERIES_LENGTH; j++) {
      if (s.times[j] == 0) continue;
      samples++;
      sum += s.latencies[j];
      if (period == 0 || s.times[j] < period) period = s.times[j];
    }
    long avg = 0;
    if (samples > 0) {
      avg = sum / samples;
      period = nowSeconds - period;
      if (period == 0) period = 1;
    }
    long deviations = 0;
    for (int j = 0; j < SERIES_LENGTH; j++) {
      if (s.times[j] == 0) continue;
      deviations += Math.abs(avg - s.latencies[j]);
    }
    return new Stats(samples, avg, samples > 0 ? deviations / samples : 0, period, s.max);
  }

  /**
   * LATENCY DOCTOR: Redis's report for the events this node records (command, fast-command), with the advice Redis
   * gives for them. Redis's advice for fork, AOF and expiry events is left out: the node has no such events.
   */
  public synchronized String doctor(long thresholdMs, long slowlogSlowerThan, long slowlogMaxLen, long nowSeconds) {
    if (events.isEmpty() && thresholdMs == 0) {
      return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use "
          + "\"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep "
          + "space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
    }
    StringBuilder report = new StringBuilder();
    int eventNumber = 0;
    int advices = 0;
    boolean slowlogEnabled = false;
    boolean slowlogTuning = false;
    boolean slowlogInspect = false;
    boolean largeObjects = false;
    boolean scheduler = false;
    for (Map.Entry<String, Series> e : events.entrySet()) {
      String event = e.getKey();
      eventNumber++;
      if (eventNumber == 1) {
        report.append("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, "
            + "do you Dave?\n\n");
      }
      Stats stats = analyze(e.getValue(), nowSeconds);
      report.append(String.format(Locale.ROOT,
          "%d. %s: %d latency spikes (average %dms, mean deviation %dms, period %.2f sec). Worst all time event %dms.",
          eventNumber, event, stats.samples(), stats.avg(), stats.mad(),
          (double) stats.period() / stats.samples(), stats.allTimeHigh()));
      if (event.equalsIgnoreCase("command")) {
        if (slowlogSlowerThan < 0 || slowlogMaxLen == 0) {
          slowlogEnabled = true;
          advices++;
        } else if (slowlogSlowerThan / 1000 > thresholdMs) {
          slowlogTuning = true;
          advices++;
        }
        slowlogInspect = true;
        largeObjects = true;
        advices += 2;
      }
      if (event.equalsIgnoreCase("fast-command")) {
        scheduler = true;
        advices++;
      }
      report.append('\n');
    }
    if (eventNumber == 0 && advices == 0) {
      report.append("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the "
          + "slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n");
    } else if (advices == 0) {
      report.append("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the "
          + "Redis community to get some help, providing this report in your help request.\n");
    } else {
      report.append("\nI have a few advices for you:\n\n");
      if (slowlogEnabled) {
        report.append("- There are latency issues with potentially slow commands you are using. Try to enable the "
            + "Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ")
            .append(thresholdMs * 1000)
            .append("'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n");
      }
      if (slowlogTuning) {
        report.append("- Your current Slow Log configuration only logs events that are slower than your configured "
            + "latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ")
            .append(thresholdMs * 1000).append("'.\n");
      }
      if (slowlogInspect) {
        report.append("- Check your Slow Log to understand what are the commands you are running which are too slow "
            + "to execute. Please check https://redis.io/commands/slowlog for more information.\n");
      }
      if (scheduler) {
        report.append("- The system is slow to execute Redis code paths not containing system calls. This usually "
            + "means the system does not provide Redis CPU time to run for long periods. You should try to:\n"
            + "  1) Lower the system load.\n"
            + "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n"
            + "  3) Check if you have a \"noisy neighbour\" problem.\n"
            + "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n"
            + "  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using "
            + "Jemalloc. However this may create fragmentation problems.\n");
      }
      if (largeObjects) {
        report.append("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking "
            + "operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment "
            + "those objects into multiple smaller objects.\n");
      }
    }
    return report.toString();
  }

  /** Redis's sparkline.c, with the fill style LATENCY GRAPH uses. */
  static final class Sparkline {
    private Sparkline() {}

    private static final char[] FILL = {'_', 'o', '#'};
    private static final int LABEL_MARGIN_TOP = 1;

    static void render(StringBuilder out, List<Double> values, List<String> labels, int columns, int rows) {
      if (values.isEmpty()) return;
      double min = values.get(0);
      double max = values.get(0);
      int labelCount = 0;
      for (int i = 0; i < values.size(); i++) {
        double v = values.get(i);
        // sparklineSequenceAddSample updates the max only when the value is not a new min.
        if (i > 0) {
          if (v < min) min = v;
          else if (v > max) max = v;
        }
        if (labels.get(i) != null && !labels.get(i).isEmpty()) labelCount++;
      }
      for (int j = 0; j < values.size(); j += columns) {
        int length = Math.min(values.size() - j, columns);
        if (j != 0) out.append('\n');
        renderRange(out, values, labels, labelCount, min, max, rows, j, length);
      }
    }

    private static void renderRange(StringBuilder out, List<Double> values, List<String> labels, int labelCount,
        double min, double max, int rows, int offset, int length) {
      double relmax = max - min;
      if (relmax == 0) relmax = 1;
      int steps = FILL.length * rows;
      int row = 0;
      char[] chars = new char[length];
      boolean loop = true;
      while (loop) {
        loop = false;
        Arrays.fill(chars, ' ');
        for (int j = 0; j < length; j++) {
          double relval = values.get(j + offset) - min;
          // As C's `step = (int) (relval*steps)/relmax;`: the product is truncated before the division.
          int step = (int) ((int) (relval * steps) / relmax);
          if (step < 0) step = 0;
          if (step >= steps) step = steps - 1;
          if (row < rows) {
            int charIndex = step - ((rows - row - 1) * FILL.length);
            loop = true;
            if (charIndex >= 0 && charIndex < FILL.length) chars[j] = FILL[charIndex];
            else if (charIndex >= FILL.length) chars[j] = '|';
          } else {
            if (labelCount > 0 && row - rows < LABEL_MARGIN_TOP) {
              loop = true;
              break;
            }
            String label = labels.get(j + offset);
            if (label != null && !label.isEmpty()) {
              int labelChar = row - rows - LABEL_MARGIN_TOP;
              if (label.length() > labelChar) {
                loop = true;
                chars[j] = label.charAt(labelChar);
              }
            }
          }
        }
        if (loop) {
          row++;
          out.append(chars).append('\n');
        }
      }
    }
  }
}
