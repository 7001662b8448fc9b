package org.akkaredis.command;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** What commands see of the node's replication (INFO replication, ROLE, WAIT, min-replicas-to-write). */
public interface Replication {
  /** The replica's side: its master and the state of the link; null on a master. */
  record MasterLink(String host, int port, String state, long offset) {}

  /** One replica as its master sees it. */
  record ReplicaOffset(String ip, int port, long offset) {}

  /** Sync requests served as a master (INFO stats sync_full, sync_partial_ok, sync_partial_err). */
  record SyncCounts(long full, long partialOk, long partialErr) {}

  SyncCounts syncCounts();

  /** Bytes of the replication stream (snapshot and commands) received as a replica, since start. */
  long replInputBytes();

  /** Bytes of the replication stream sent to replicas (over the bus and to SYNC clients), since start. */
  long replOutputBytes();

  /** Bytes the replication backlog holds now (INFO's repl_backlog_histlen, mem_replication_backlog). */
  long backlogBytes();

  /** INFO replication's fields (without the header), in Redis's order. */
  String infoFields(long nowMs);

  long offset();

  MasterLink masterLink();

  List<ReplicaOffset> replicas();

  /** Unix ms until which client writes wait (a manual failover's master); 0 when they do not. */
  long writesPausedUntil();

  /** Replicas that acknowledged within min-replicas-max-lag. */
  int goodReplicas();

  /**
   * Completes with the number of replicas that have every write made so far, once {@code replicas} have it
   * or after {@code timeoutMs} (0: no limit; -1: answer at once).
   */
  CompletionStage<Long> waitForReplicas(int replicas, long timeoutMs);

  /**
   * SYNC: the replication stream for this client, which becomes a replica (the RDB as a bulk, then the commands
   * as they propagate): its connection's bytes from now on. Null when the node has no replication.
   */
  default Source<ByteString, NotUsed> replicaStream(Session session) {
    return null;
  }

  /** A SYNC client (a replica on a client connection) sent REPLCONF ACK {@code offset}. */
  default void replicaAcked(Session session, long offset) {}

  /**
   * DEBUG SLEEP began: a replica's link handles nothing from its master (applies, acknowledges, reconnects
   * nothing) until every sleep has ended with {@link #endSleep}.
   */
  default void beginSleep() {}

  default void endSleep() {}

  /**
   * CLIENT KILL of the master's client (the replica's link, up, as {@link #masterLink} shows it): the link drops the
   * stream and connects again as Redis's replicationCron does.
   */
  default void killMasterLink() {}

  /**
   * CLIENT KILL TYPE REPLICA: drops every replica's connection (each connects again and asks to continue);
   * completes with how many were dropped.
   */
  default CompletionStage<Integer> dropReplicas() {
    return CompletableFuture.completedFuture(0);
  }

  /** DEBUG CHANGE-REPL-ID: a new replication id, and no previous one. */
  default CompletionStage<Void> changeReplicationId() {
    return CompletableFuture.completedFuture(null);
  }

  String NO_ID = "0000000000000000000000000000000000000000";

  /** A node without replication (tests of other parts): a master no replica ever followed. */
  Replication NONE = new Replication() {
    @Override public String infoFields(long nowMs) {
      return "role:master\r\nconnected_slaves:0\r\nmaster_failover_state:no-failover\r\n"
          + "master_replid:" + NO_ID + "\r\nmaster_replid2:" + NO_ID + "\r\nmaster_repl_offset:0\r\n"
          + "second_repl_offset:-1\r\nrepl_backlog_active:0\r\nrepl_backlog_size:1048576\r\n"
          + "repl_backlog_first_byte_offset:0\r\nrepl_backlog_histlen:0\r\n";
    }

    @Override public long offset() {
      return 0;
    }

    @Override public MasterLink masterLink() {
      return null;
    }

    @Override public List<ReplicaOffset> replicas() {
      return List.of();
    }

    @Override public int goodReplicas() {
      return 0;
    }

    @Override public long writesPausedUntil() {
      return 0;
    }

    @Override public SyncCounts syncCounts() {
      return new SyncCounts(0, 0, 0);
    }

    @Override public long replInputBytes() {
      return 0;
    }

    @Override public long replOutputBytes() {
      return 0;
    }

    @Override public long backlogBytes() {
      return 0;
    }

    @Override public CompletionStage<Long> waitForReplicas(int replicas, long timeoutMs) {
      return CompletableFuture.completedFuture(0L);
    }
  };
}
