package org.akkaredis.command;

/**
 * INFO's instantaneous_* figures as Redis computes them (server.c trackInstantaneousMetric): every
 * {@link #PERIOD_MS} a counter's growth since the last sample, per second, goes into a ring of {@link #SAMPLES}
 * samples; the figure is their average. Thread-safe: the sampler and INFO run on different threads.
 */
public final class InstantaneousMetrics {
  /** Redis samples in its 100 ms cron. */
  public static final long PERIOD_MS = 100;
  /** Redis's STATS_METRIC_SAMPLES. */
  public static final int SAMPLES = 16;

  /** The counters sampled, as Redis's STATS_METRIC_* (commands, net input and output, replication's). */
  public enum Metric { COMMANDS, NET_INPUT, NET_OUTPUT, NET_REPL_INPUT, NET_REPL_OUTPUT }

  private final long[][] samples = new long[Metric.values().length][SAMPLES];
  private final int[] next = new int[Metric.values().length];
  private final long[] lastReading = new long[Metric.values().length];
  private final long[] lastSampleMs = new long[Metric.values().length];

  /** Metrics whose first sample measures from {@code startMs}, with every counter at 0 then. */
  public InstantaneousMetrics(long startMs) {
    java.util.Arrays.fill(lastSampleMs, startMs);
  }

  /** One sample: the counter reads {@code reading} at {@code nowMs}. */
  public synchronized void track(Metric metric, long reading, long nowMs) {
    int m = metric.ordinal();
    long elapsed = nowMs - lastSampleMs[m];
    long growth = reading - lastReading[m];
    samples[m][next[m]] = elapsed > 0 ? growth * 1000 / elapsed : 0;
    next[m] = (next[m] + 1) % SAMPLES;
    lastSampleMs[m] = nowMs;
    lastReading[m] = reading;
  }

  /** Per second, averaged over the last {@link #SAMPLES} samples (Redis's getInstantaneousMetric). */
  public synchronized long perSecond(Metric metric) {
    long sum = 0;
    for (long sample : samples[metric.ordinal()]) sum += sample;
    return sum / SAMPLES;
  }

  /** Kilobytes per second with two decimals, as INFO prints instantaneous_*_kbps. */
  public String kbps(Metric metric) {
    return String.format(java.util.Locale.ROOT, "%.2f", (float) perSecond(metric) / 1024);
  }

  /** CONFIG RESETSTAT: the samples cleared, the next one measured from {@code nowMs} and these readings. */
  public synchronized void reset(long nowMs, long[] readings) {
    for (Metric metric : Metric.values()) {
      int m = metric.ordinal();
      java.util.Arrays.fill(samples[m], 0);
      next[m] = 0;
      lastSampleMs[m] = nowMs;
      lastReading[m] = readings[m];
    }
  }
}
