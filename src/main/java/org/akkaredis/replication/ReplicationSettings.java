package org.akkaredis.replication;

import org.akkaredis.config.Settings;

/**
 * The settings replication reads, in the units it uses. All of them can change at run time (CONFIG SET), so
 * the actors read them afresh for each message that needs them.
 *
 * @param backlogSize repl-backlog-size, in bytes
 * @param timeoutMs repl-timeout
 * @param pingPeriodMs repl-ping-replica-period
 * @param minReplicasMaxLagMs min-replicas-max-lag
 * @param replicaOutputLimit client-output-buffer-limit's hard limit for replicas, in bytes (0: none)
 */
record ReplicationSettings(long backlogSize, long timeoutMs, long pingPeriodMs, long minReplicasMaxLagMs,
    long replicaOutputLimit) {

  /** Redis's default hard limit for the replica class: 256 MB. */
  static final long DEFAULT_REPLICA_OUTPUT_LIMIT = 256L << 20;

  static ReplicationSettings of(Settings settings) {
    return new ReplicationSettings(settings.longValue("repl-backlog-size"),
        millis(settings, "repl-timeout"), millis(settings, "repl-ping-replica-period"),
        millis(settings, "min-replicas-max-lag"), replicaOutputLimit(settings.rawValue("client-output-buffer-limit")));
  }

  private static long millis(Settings settings, String secondsSetting) {
    return settings.longValue(secondsSetting) * 1000;
  }

  /** The hard limit of the replica class in client-output-buffer-limit's "class hard soft seconds ..." form. */
  static long replicaOutputLimit(String classLimits) {
    String[] parts = classLimits.split(" ");
    for (int i = 0; i + 1 < parts.length; i += 4) {
      if (parts[i].equals("replica") || parts[i].equals("slave")) return Long.parseLong(parts[i + 1]);
    }
    return DEFAULT_REPLICA_OUTPUT_LIMIT;
  }
}
