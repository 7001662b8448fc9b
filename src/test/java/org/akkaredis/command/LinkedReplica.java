package org.akkaredis.command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A replica's replication as DEBUG SLEEP and CLIENT KILL see it: its link to {@code host:port} in the state
 * given, the sleeps begun and ended counted, and for each kill of the master's client how many sleeps were in
 * force then. The figures INFO and WAIT read are those of a node without replication.
 */
final class LinkedReplica implements Replication {
  private final MasterLink link;
  private int sleeping;
  private final List<Integer> sleepingAtKills = new ArrayList<>();

  LinkedReplica(String host, int port, String state) {
    this.link = new MasterLink(host, port, state, 0);
  }

  synchronized int sleeping() {
    return sleeping;
  }

  /** For each kill of the master's client, in order: the sleeps in force when it came. */
  synchronized List<Integer> sleepingAtKills() {
    return List.copyOf(sleepingAtKills);
  }

  @Override public synchronized void beginSleep() {
    sleeping++;
  }

  @Override public synchronized void endSleep() {
    sleeping--;
  }

  @Override public synchronized void killMasterLink() {
    sleepingAtKills.add(sleeping);
  }

  @Override public MasterLink masterLink() {
    return link;
  }

  @Override public SyncCounts syncCounts() {
    return NONE.syncCounts();
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

  @Override public String infoFields(long nowMs) {
    return NONE.infoFields(nowMs);
  }

  @Override public long offset() {
    return 0;
  }

  @Override public List<ReplicaOffset> replicas() {
    return List.of();
  }

  @Override public long writesPausedUntil() {
    return 0;
  }

  @Override public int goodReplicas() {
    return 0;
  }

  @Override public CompletionStage<Long> waitForReplicas(int replicas, long timeoutMs) {
    return NONE.waitForReplicas(replicas, timeoutMs);
  }
}
