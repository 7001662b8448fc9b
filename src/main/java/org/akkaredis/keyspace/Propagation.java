package org.akkaredis.keyspace;

/**
 * What every range of a node reads before recording an effect or expiring a key: where effects go, and whether the
 * node is a replica (whose keys do not expire by themselves: its master sends the DEL). Set from any thread.
 */
public final class Propagation {
  private volatile EffectSink sink = EffectSink.NONE;
  private volatile boolean replica;

  public EffectSink sink() {
    return sink;
  }

  public void sink(EffectSink sink) {
    this.sink = sink == null ? EffectSink.NONE : sink;
  }

  public boolean replica() {
    return replica;
  }

  public void replica(boolean replica) {
    this.replica = replica;
  }
}
