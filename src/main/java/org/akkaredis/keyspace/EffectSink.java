package org.akkaredis.keyspace;

import java.util.concurrent.CompletionStage;

/**
 * Where a node's write effects go (the replication stream, later the AOF): the deterministic commands that bring a
 * copy of the data to the same state, as Redis 7.0 propagates them. {@code resp} holds one or more complete RESP2
 * arrays of bulk strings, all for database {@code db}; {@code range} is the slot range they belong to, or -1 for
 * a node-wide effect (FLUSHALL, FLUSHDB) recorded while every range was held. Called on the thread that runs the
 * range, in the order the effects happened, before the reply of the work that made them; it must not block.
 */
@FunctionalInterface
public interface EffectSink {
  EffectSink NONE = (range, db, resp) -> {};

  void accept(int range, int db, byte[] resp);

  /**
   * Completes once everything accepted so far is as safe as the sink promises before a reply may go out (the AOF
   * with appendfsync always: on disk; else its write tried, as Redis writes before replying); null when a reply need
   * not wait. Called after the accepts of one flush.
   */
  default CompletionStage<Void> synced() {
    return null;
  }

  /**
   * Completes once everything accepted so far has reached the sink's medium, whatever the reply policy: for the
   * AOF, written to the file (and fsynced with appendfsync always), so a killed process keeps it. A replica
   * acknowledges what it applied from its master only then, as Redis writes its AOF before it acknowledges: a
   * replica that WAIT counted and that takes over after the whole cluster was killed still has the write. Null when
   * nothing need be waited for.
   */
  default CompletionStage<Void> written() {
    return synced();
  }
}
