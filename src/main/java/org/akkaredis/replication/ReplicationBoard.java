package org.akkaredis.replication;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the replication actors publish for readers on other threads (INFO replication, ROLE, WAIT's
 * callers, min-replicas-to-write, the cluster's failover rank): written only by the actors, read by anyone.
 */
public final class ReplicationBoard {
  /** One replica as its master sees it (INFO's slaveN line). */
  public record ReplicaView(String ip, int port, boolean online, long ackOffset, long lastAckMs) {}

  /** A replica's link to its master; null fields on a master. */
  /** {@code asyncLoading}: the full sync under way loads aside (repl-diskless-load swapdb). */
  public record LinkView(String masterHost, int masterPort, boolean up, boolean syncing, boolean asyncLoading,
      long lastIoMs, long downSinceMs) {}

  volatile String replid = ReplicationLog.NO_ID;
  volatile String replid2 = ReplicationLog.NO_ID;
  volatile long secondOffset = -1;
  volatile long offset;
  volatile long backlogFirstByte;
  volatile long backlogBytes;
  volatile List<ReplicaView> replicas = List.of();
  volatile LinkView link;
  /** Which link may publish: a link that was stopped may still finish a message after its successor started. */
  private int linkGeneration;
  volatile int goodReplicas;
  /** Until when (unix ms) a manual failover pauses this master's writes; its PINGs to the replicas wait too. */
  private volatile long failoverPauseUntilMs;
  volatile boolean backlogActive;
  volatile long syncFull;
  volatile long syncPartialOk;
  volatile long syncPartialErr;
  /** The replication stream's bytes (snapshot chunks and commands): received as a replica, sent as a master. */
  private final LongAdder replInput = new LongAdder();
  private final LongAdder replOutput = new LongAdder();

  void received(Payload payload) {
    replInput.add(Payload.dataBytes(payload));
  }

  void sent(Payload payload) {
    replOutput.add(Payload.dataBytes(payload));
  }

  public long replInputBytes() {
    return replInput.sum();
  }

  public long replOutputBytes() {
    return replOutput.sum();
  }

  /** What the backlog holds now. */
  public long backlogBytes() {
    return backlogBytes;
  }

  public long syncFull() {
    return syncFull;
  }

  public long syncPartialOk() {
    return syncPartialOk;
  }

  /** Continuations asked for and refused (they became full syncs). */
  public long syncPartialErr() {
    return syncPartialErr;
  }

  public long offset() {
    return offset;
  }

  /**
   * The offset the cluster bus carries (Redis's replicationGetSlaveOffset): 0 while a replica loads a full sync,
   * when it has no history of its master to offer, so that its master leaves it out of CLUSTER SLOTS meanwhile.
   */
  public long clusterOffset() {
    return loadingFullSync() ? 0 : offset;
  }

  /**
   * Whether this node is a replica syncing in full with its master (INFO persistence's loading, or async_loading
   * when it loads aside).
   */
  public boolean loadingFullSync() {
    LinkView view = link;
    return view != null && view.syncing();
  }

  /** Whether the full sync under way loads aside while the old data is served (INFO's async_loading). */
  public boolean asyncLoading() {
    LinkView view = link;
    return view != null && view.syncing() && view.asyncLoading();
  }

  /** A manual failover pauses this master's writes until {@code unixMs} (0: resumes them). */
  public void failoverPauseUntil(long unixMs) {
    failoverPauseUntilMs = unixMs;
  }

  boolean failoverPaused(long nowMs) {
    return nowMs < failoverPauseUntilMs;
  }

  public List<ReplicaView> replicas() {
    return replicas;
  }

  /** Null on a master. */
  public LinkView link() {
    return link;
  }

  /** Replicas that acknowledged within min-replicas-max-lag seconds (Redis's repl_good_slaves_count). */
  public int goodReplicas() {
    return goodReplicas;
  }

  /** When the replica last heard from its master (a master: now), for the cluster's data-age rule. */
  public long lastMasterInteractionMs(long nowMs) {
    LinkView view = link;
    if (view == null) return nowMs;
    return view.up() ? view.lastIoMs() : Math.min(view.lastIoMs(), view.downSinceMs());
  }

  synchronized void publishLink(int generation, LinkView view) {
    if (generation == linkGeneration) link = view;
  }

  /** Links of earlier generations publish nothing from now on; {@code view} is the new one's (null: none). */
  synchronized void startLinkGeneration(int generation, LinkView view) {
    linkGeneration = generation;
    link = view;
  }

  void publishLog(ReplicationLog log) {
    replid = log.replid();
    replid2 = log.replid2();
    secondOffset = log.secondOffset();
    backlogFirstByte = log.firstByteOffset();
    backlogBytes = log.backlogBytes();
    offset = log.offset();
  }

  /** INFO replication's fields, in Redis 7.0's order. */
  public String infoFields(long nowMs, long backlogSize) {
    StringBuilder out = new StringBuilder(512);
    LinkView view = link;
    if (view == null) {
      field(out, "role", "master");
    } else {
      field(out, "role", "slave");
      field(out, "master_host", view.masterHost());
      field(out, "master_port", view.masterPort());
      field(out, "master_link_status", view.up() ? "up" : "down");
      field(out, "master_last_io_seconds_ago", view.lastIoMs() == 0 ? -1 : (nowMs - view.lastIoMs()) / 1000);
      field(out, "master_sync_in_progress", view.syncing() ? 1 : 0);
      field(out, "slave_read_repl_offset", offset);
      field(out, "slave_repl_offset", offset);
      if (!view.up()) {
        field(out, "master_link_down_since_seconds",
            view.downSinceMs() == 0 ? -1 : (nowMs - view.downSinceMs()) / 1000);
      }
      field(out, "slave_priority", 100);
      field(out, "slave_read_only", 1);
      field(out, "replica_announced", 1);
    }
    List<ReplicaView> list = replicas;
    field(out, "connected_slaves", list.size());
    for (int i = 0; i < list.size(); i++) {
      ReplicaView r = list.get(i);
      out.append("slave").append(i).append(":ip=").append(r.ip()).append(",port=").append(r.port())
          .append(",state=").append(r.online() ? "online" : "wait_bgsave").append(",offset=").append(r.ackOffset())
          .append(",lag=").append((nowMs - r.lastAckMs()) / 1000).append("\r\n");
    }
    field(out, "master_failover_state", "no-failover");
    field(out, "master_replid", replid);
    field(out, "master_replid2", replid2);
    field(out, "master_repl_offset", offset);
    field(out, "second_repl_offset", secondOffset);
    boolean active = backlogActive;
    field(out, "repl_backlog_active", active ? 1 : 0);
    field(out, "repl_backlog_size", backlogSize);
    field(out, "repl_backlog_first_byte_offset", active ? backlogFirstByte : 0);
    field(out, "repl_backlog_histlen", backlogBytes);
    return out.toString();
  }

  private static void field(StringBuilder out, String name, Object value) {
    out.append(name).append(':').append(value).append("\r\n");
  }
}
