package org.akkaredis.command;

/** Facts about this node process that INFO and HELLO report. */
public record NodeInfo(String runId, int tcpPort, long startTimeMs, String configFile, String executable,
    long processId) {
}
