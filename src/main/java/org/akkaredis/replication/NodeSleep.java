package org.akkaredis.replication;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DEBUG SLEEP's hold on the replica's link. Redis's DEBUG SLEEP blocks its event loop: meanwhile a replica reads
 * nothing from its master, applies and acknowledges nothing, and does not reconnect. The node's sleep holds its
 * slot ranges; this tells the {@link ReplicaLink} to hold its messages too until every sleep has ended. A sleep
 * ends when the command that slept does (inside MULTI: the EXEC), as Redis's event loop resumes after it.
 */
public final class NodeSleep {
  private int sleepers;
  private CompletableFuture<Void> awake = CompletableFuture.completedFuture(null);

  public synchronized void begin() {
    if (sleepers++ == 0) awake = new CompletableFuture<>();
  }

  public void end() {
    CompletableFuture<Void> woken;
    synchronized (this) {
      if (sleepers == 0 || --sleepers > 0) return;
      woken = awake;
    }
    woken.complete(null);
  }

  public synchronized boolean asleep() {
    return sleepers > 0;
  }

  /** Completes once no sleep is in force (at once if none is). */
  public synchronized CompletionStage<Void> awake() {
    return awake;
  }
}
