package org.akkaredis.loadtest;

import java.nio.file.Path;
import java.time.Duration;

/** A run's knobs, from system properties (loadtest/gatling.sh passes them through -D). */
public final class LoadSettings {
  private LoadSettings() {}

  /** The cluster's seed nodes, "host:port,...". */
  public static String seeds() {
    return System.getProperty("redis.seeds", "127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003");
  }

  /** Lettuce's command timeout: a command without a reply by then is a KO "timeout". */
  public static Duration commandTimeout() {
    return Duration.ofMillis(Long.getLong("redis.timeout.ms", 1000));
  }

  /** How long the load lasts. */
  public static Duration duration() {
    return Duration.ofSeconds(Long.getLong("duration", 30));
  }

  /** Concurrent virtual users, each sending its next command when the last one is answered. */
  public static int users() {
    return Integer.getInteger("users", 20);
  }

  /** How many distinct keys a workload spreads over. */
  public static int keys() {
    return Integer.getInteger("keys", 10_000);
  }

  /** The assertion on the 99th percentile response time, in milliseconds. */
  public static int p99LimitMillis() {
    return Integer.getInteger("p99.ms", 250);
  }

  /** The assertion on the share of failed (KO) requests, in percent. */
  public static double maxErrorPercent(double defaultPercent) {
    return Double.parseDouble(System.getProperty("errors.percent", Double.toString(defaultPercent)));
  }

  /** scripts/cluster.sh's data folder (data/<port>/node.pid), for the failover run. */
  public static Path clusterDataDir() {
    return Path.of(System.getProperty("cluster.data", "../../data")).toAbsolutePath().normalize();
  }
}
