package org.akkaredis.keyspace;

import java.util.concurrent.CompletionStage;

/**
 * What every range of a node reads before recording an effect or expiring a key: where effects go, and whether the
 * node is a replica (whose keys do not expire by themselves: its master sends the DEL). Set from any thread.
 *
 * <p>Effects have two listeners: the replication stream and the AOF. A client's write goes to both; a write a
 * replica applies from its master's stream goes to the AOF only (the replica's own history is its master's).
 */
public final class Propagation {
  private volatile EffectSink replication = EffectSink.NONE;
  private volatile EffectSink aof = EffectSink.NONE;
  private volatile EffectSink both = EffectSink.NONE;
  private volatile boolean replica;
  private volatile long expiryPausedUntilMs;
  private volatile boolean cronPaused;
  private volatile boolean loading;
  /** The node's memory figures and maxmemory, shared by the ranges as this is. */
  private final MemoryBudget memory = new MemoryBudget(this::replica);

  /** The node's keyspace notifications, shared by the ranges as this is. */
  private final KeyspaceEvents keyspaceEvents = new KeyspaceEvents();

  /** The node's function libraries' codes, as the scripting layer keeps them (none until it says). */
  private volatile java.util.function.Supplier<java.util.List<byte[]>> libraries = java.util.List::of;

  /** The function libraries' codes now, in the order they were loaded. */
  public java.util.List<byte[]> libraryCodes() {
    return libraries.get();
  }

  /** Where the function libraries' codes are read from (the node's FUNCTION libraries). */
  public void libraries(java.util.function.Supplier<java.util.List<byte[]>> codes) {
    libraries = codes;
  }

  public MemoryBudget memory() {
    return memory;
  }

  public KeyspaceEvents keyspaceEvents() {
    return keyspaceEvents;
  }

  /** Where the effects of a client's writes go. */
  public EffectSink sink() {
    return both;
  }

  /** Where a script's effects go after redis.set_repl: the AOF only, the replicas only ({@link EffectBuffer}). */
  EffectSink sinkTo(int targets) {
    return targets == EffectBuffer.TO_AOF ? aof : targets == EffectBuffer.TO_REPLICAS ? replication : both;
  }

  /** Where the effects of writes applied from the master's stream go. */
  public EffectSink appliedSink() {
    return aof;
  }

  /** The replication stream's sink ({@code null} or {@link EffectSink#NONE}: none). */
  public void sink(EffectSink sink) {
    replication = sink == null ? EffectSink.NONE : sink;
    combine();
  }

  /** The AOF's sink ({@code null} or {@link EffectSink#NONE}: none). */
  public void aofSink(EffectSink sink) {
    aof = sink == null ? EffectSink.NONE : sink;
    combine();
  }

  private synchronized void combine() {
    EffectSink first = replication;
    EffectSink second = aof;
    if (first == EffectSink.NONE) both = second;
    else if (second == EffectSink.NONE) both = first;
    else both = new EffectSink() {
      @Override public void accept(int range, int db, byte[] resp) {
        first.accept(range, db, resp);
        second.accept(range, db, resp);
      }

      @Override public CompletionStage<Void> synced() {
        return second.synced();
      }
    };
  }

  public boolean replica() {
    return replica;
  }

  /**
   * Whether keys expire by themselves now (lookups and the active cycle delete them): not on a replica, whose master
   * sends the DEL, and not while CLIENT PAUSE holds writes (Redis keeps the data unchanged during a pause; an
   * expired key still answers "missing").
   */
  public boolean keysExpire() {
    return !replica && System.currentTimeMillis() >= expiryPausedUntilMs;
  }

  /** DEBUG PAUSE-CRON: the active expiry cycle (and the node's other periodic work) stops while set. */
  public boolean cronPaused() {
    return cronPaused;
  }

  public void pauseCron(boolean paused) {
    this.cronPaused = paused;
  }

  /** Until this wall-clock time keys do not expire by themselves (0: no pause). */
  public void expiryPausedUntil(long untilMs) {
    this.expiryPausedUntilMs = untilMs;
  }

  public void replica(boolean replica) {
    this.replica = replica;
  }

  /**
   * Whether the node is loading its data at start: then no key counts as expired (Redis's keyIsExpired answers no
   * while loading), so the load sees every key it wrote and nothing is deleted before the load is whole.
   */
  public boolean loading() {
    return loading;
  }

  /** Start-up load under way, or over: also the memory budget's (no eviction while loading). */
  public void loading(boolean loading) {
    this.loading = loading;
    memory.loading(loading);
  }
}
