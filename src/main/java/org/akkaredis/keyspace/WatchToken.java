package org.akkaredis.keyspace;

import java.util.BitSet;

/**
 * One client's WATCH: the ranges holding its watched keys mark it dirty when one of them changes, and EXEC
 * checks it while holding those ranges. Closed tokens (after EXEC, DISCARD, UNWATCH or disconnect) are dropped
 * lazily by the ranges.
 */
public final class WatchToken {
  private volatile boolean dirty;
  private volatile boolean closed;
  /** The ranges of the watched keys; only the client's own connection touches this. */
  private final BitSet ranges = new BitSet();

  /** Notes that a watched key lies in this range. */
  public void watchIn(int range) {
    ranges.set(range);
  }

  /** The ranges of the watched keys, ascending. */
  public int[] ranges() {
    return ranges.stream().toArray();
  }

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
