package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The latency monitor's samples, graph and report, compared with redis-server 7.0.15's for the same samples. */
class LatencyMonitorTest {
  @Test void keepsTheHighestSampleOfASecondAndTheAllTimeHigh() {
    LatencyMonitor monitor = new LatencyMonitor();
    monitor.addIfNeeded("command", 5, 0, 100);
    assertEquals(List.of(), monitor.latest(), "threshold 0: the monitor is off");
    monitor.addIfNeeded("command", 4, 5, 100);
    assertEquals(List.of(), monitor.latest(), "below the threshold");
    monitor.addIfNeeded("command", 30, 5, 100);
    monitor.addIfNeeded("command", 20, 5, 100);
    monitor.addIfNeeded("command", 10, 5, 101);
    assertEquals(List.of(new LatencyMonitor.Latest("command", 101, 10, 30)), monitor.latest());
    List<long[]> history = monitor.history("command");
    assertEquals(2, history.size());
    assertEquals(100, history.get(0)[0]);
    assertEquals(30, history.get(0)[1]);
    assertEquals(0, monitor.history("blabla").size());
    assertEquals(0, monitor.reset("blabla"));
    assertEquals(1, monitor.reset("COMMAND"));
    assertEquals(List.of(), monitor.latest());
  }

  @Test void keepsTheLast160Seconds() {
    LatencyMonitor monitor = new LatencyMonitor();
    for (int s = 1; s <= 200; s++) monitor.addIfNeeded("command", s, 1, s);
    List<long[]> history = monitor.history("command");
    assertEquals(160, history.size());
    assertEquals(41, history.get(0)[0]);
    assertEquals(200, history.get(159)[0]);
  }

  /** Samples redis-server 7.0.15 recorded for four DEBUG SLEEPs, and its LATENCY GRAPH and DOCTOR for them. */
  private static LatencyMonitor redisSamples() {
    LatencyMonitor monitor = new LatencyMonitor();
    monitor.addIfNeeded("command", 100, 1, 1796555035);
    monitor.addIfNeeded("command", 367, 1, 1796555038);
    monitor.addIfNeeded("command", 233, 1, 1796555040);
    monitor.addIfNeeded("command", 20, 1, 1796555043);
    return monitor;
  }

  @Test void graphIsRedisSparkline() {
    assertEquals("command - high 367 ms, low 20 ms (all time high 367 ms)\n"
        + "-".repeat(80) + "\n"
        + " #  \n"
        + " |o \n"
        + " || \n"
        + "#||_\n"
        + "    \n"
        + "9641\n"
        + "ssss\n", redisSamples().graph("command", 1796555044));
    assertNull(redisSamples().graph("fork", 1796555044));
  }

  @Test void doctorReportsAsRedis() {
    assertEquals("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you "
        + "Dave?\n\n"
        + "1. command: 4 latency spikes (average 180ms, mean deviation 120ms, period 2.50 sec). Worst all time event "
        + "367ms.\n\n"
        + "I have a few advices for you:\n\n"
        + "- Your current Slow Log configuration only logs events that are slower than your configured latency monitor "
        + "threshold. Please use 'CONFIG SET slowlog-log-slower-than 1000'.\n"
        + "- Check your Slow Log to understand what are the commands you are running which are too slow to execute. "
        + "Please check https://redis.io/commands/slowlog for more information.\n"
        + "- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you "
        + "have very large objects that are often deleted, expired, or evicted, try to fragment those objects into "
        + "multiple smaller objects.\n", redisSamples().doctor(1, 10000, 128, 1796555045));
    assertEquals("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest "
        + "bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n",
        new LatencyMonitor().doctor(1, 10000, 128, 1));
  }

  @Test void histogramBucketsArePowersOfTwoFrom1024Nanoseconds() {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.record(500);
    histogram.record(1024);
    histogram.record(1500);
    histogram.record(5_000_000);
    assertEquals(4, histogram.total());
    assertEquals(org.akkaredis.resp.Reply.map(List.of(
        org.akkaredis.resp.Reply.bulk("calls"), org.akkaredis.resp.Reply.integer(4),
        org.akkaredis.resp.Reply.bulk("histogram_usec"), org.akkaredis.resp.Reply.map(List.of(
            org.akkaredis.resp.Reply.integer(1), org.akkaredis.resp.Reply.integer(2),
            org.akkaredis.resp.Reply.integer(2), org.akkaredis.resp.Reply.integer(3),
            org.akkaredis.resp.Reply.integer(8388), org.akkaredis.resp.Reply.integer(4))))),
        histogram.reply());
  }
}
