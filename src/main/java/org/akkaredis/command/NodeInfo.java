package org.akkaredis.command;

/** Facts about this node process that INFO and HELLO report. */
public record NodeInfo(String runId, int tcpPort, long startTimeMs, String configFile, String executable,
    long processId) {
  /** The Redis release whose behaviour this node follows; clients decide on features by it. */
  public static final String REDIS_VERSION = "7.0.15";
}
