package org.akkaredis.keyspace;

/**
 * One client's WATCH: the ranges holding its watched keys mark it dirty when one of them changes, and EXEC
 * checks it. Closed tokens (after EXEC, DISCARD, UNWATCH or disconnect) are dropped lazily by the ranges.
 */
public final class WatchToken {
  private volatile boolean dirty;
  private volatile boolean closed;

  public boolean dirty() {
    return dirty;
  }

  public void markDirty() {
    dirty = true;
  }

  public boolean closed() {
    return closed;
  }

  public void close() {
    closed = true;
  }
}
