package org.akkaredis.replication;

import org.akkaredis.config.Settings;
import org.akkaredis.resp.OutputBufferLimit;

/**
 * The settings replication reads, in the units it uses. All of them can change at run time (CONFIG SET), so
 * the actors read them afresh for each message that needs them.
 *
 * @param backlogSize repl-backlog-size, in bytes
 * @param timeoutMs repl-timeout
 * @param pingPeriodMs repl-ping-replica-period
 * @param minReplicasMaxLagMs min-replicas-max-lag
 * @param replicaLimit client-output-buffer-limit's replica class, as set
 */
record ReplicationSettings(long backlogSize, long timeoutMs, long pingPeriodMs, long minReplicasMaxLagMs,
    OutputBufferLimit replicaLimit) {

  /**
   * What a replica may have queued when the replica class has no hard limit ("replica 0 ..."): Redis would let it
   * grow without end; here a quarter of the heap the JVM may use, after which the replica is dropped and resyncs.
   */
  static final long UNLIMITED_REPLICA_QUEUE = Runtime.getRuntime().maxMemory() / 4;

  static ReplicationSettings of(Settings settings) {
    return new ReplicationSettings(settings.longValue("repl-backlog-size"),
        millis(settings, "repl-timeout"), millis(settings, "repl-ping-replica-period"),
        millis(settings, "min-replicas-max-lag"),
        OutputBufferLimit.of(settings.rawValue("client-output-buffer-limit"), OutputBufferLimit.ClientClass.REPLICA));
  }

  private static long millis(Settings settings, String secondsSetting) {
    return settings.longValue(secondsSetting) * 1000;
  }

  /**
   * The limit a replica's queue is held to: the replica class's, its hard limit raised to repl-backlog-size when
   * lower (Redis's rule: a partial sync must fit), and {@link #UNLIMITED_REPLICA_QUEUE} when it has none.
   */
  OutputBufferLimit effectiveReplicaLimit() {
    OutputBufferLimit limit = replicaLimit.atLeastBacklog(backlogSize);
    if (limit.hardBytes() == 0) {
      return new OutputBufferLimit(UNLIMITED_REPLICA_QUEUE, limit.softBytes(), limit.softSeconds());
    }
    return limit;
  }
}
