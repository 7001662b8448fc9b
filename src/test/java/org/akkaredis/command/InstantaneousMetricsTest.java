package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.akkaredis.command.InstantaneousMetrics.Metric;
import org.junit.jupiter.api.Test;

class InstantaneousMetricsTest {

  @Test
  void theFigureIsTheAverageRateOfTheLastSixteenSamples() {
    InstantaneousMetrics metrics = new InstantaneousMetrics(0);
    assertEquals(0, metrics.perSecond(Metric.COMMANDS));
    // 10 commands every 100 ms: 100 per second, but one sample of 16 so far.
    metrics.track(Metric.COMMANDS, 10, 100);
    assertEquals(100 / 16, metrics.perSecond(Metric.COMMANDS));
    long reading = 10;
    for (long now = 200; now <= 1600; now += 100) metrics.track(Metric.COMMANDS, reading += 10, now);
    assertEquals(100, metrics.perSecond(Metric.COMMANDS), "16 samples of 100/s");
    // Idle from now on: each idle sample replaces a busy one.
    for (int i = 1; i <= 8; i++) metrics.track(Metric.COMMANDS, reading, 1600 + i * 100);
    assertEquals(50, metrics.perSecond(Metric.COMMANDS));
    for (int i = 9; i <= 16; i++) metrics.track(Metric.COMMANDS, reading, 1600 + i * 100);
    assertEquals(0, metrics.perSecond(Metric.COMMANDS));
    assertEquals(0, metrics.perSecond(Metric.NET_INPUT), "each metric has its own samples");
  }

  @Test
  void kilobytesPerSecondAsRedisPrintsThem() {
    InstantaneousMetrics metrics = new InstantaneousMetrics(0);
    for (int i = 1; i <= 16; i++) metrics.track(Metric.NET_OUTPUT, i * 1536L, i * 1000L);
    assertEquals(1536, metrics.perSecond(Metric.NET_OUTPUT));
    assertEquals("1.50", metrics.kbps(Metric.NET_OUTPUT));
    assertEquals("0.00", metrics.kbps(Metric.NET_INPUT));
    metrics.track(Metric.NET_OUTPUT, 16 * 1536L, 16_000); // no time passed: a zero sample, as Redis's
    assertEquals(1440, metrics.perSecond(Metric.NET_OUTPUT));
    metrics.reset(20_000, new long[] {0, 0, 16 * 1536L, 0, 0});
    assertEquals("0.00", metrics.kbps(Metric.NET_OUTPUT));
    metrics.track(Metric.NET_OUTPUT, 16 * 1536L + 1600, 20_100);
    assertEquals(16000 / 16, metrics.perSecond(Metric.NET_OUTPUT), "measured from the reset");
  }
}
