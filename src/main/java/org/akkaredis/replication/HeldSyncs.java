package org.akkaredis.replication;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sync requests that came while CLIENT PAUSE ALL holds client commands (a Redis replica's PING, REPLCONF and
 * PSYNC wait for the pause's end like any client's): the latest request of each replica (one asked again
 * replaces the one before), served once the pause is over. At most {@code capacity} replicas are held; past that
 * the oldest request is dropped, and its replica asks again after its retry time.
 */
final class HeldSyncs<S> {
  private final int capacity;
  private final Map<String, S> held = new LinkedHashMap<>();

  HeldSyncs(int capacity) {
    this.capacity = capacity;
  }

  /** True if the request waits ({@code paused}): it is kept until {@link #release}. */
  boolean hold(String replicaId, S request, boolean paused) {
    if (!paused) return false;
    held.remove(replicaId);
    held.put(replicaId, request);
    if (held.size() > capacity) {
      Iterator<String> oldest = held.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    return true;
  }

  /** The held requests to serve now, in the order they came: all of them once not {@code paused}, else none. */
  List<S> release(boolean paused) {
    if (paused || held.isEmpty()) return List.of();
    List<S> released = new ArrayList<>(held.values());
    held.clear();
    return released;
  }

  int size() {
    return held.size();
  }
}
