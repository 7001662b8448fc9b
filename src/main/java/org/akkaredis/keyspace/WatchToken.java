package org.akkaredis.keyspace;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * One client's WATCH: the ranges holding its watched keys mark it dirty when one of them changes, and EXEC
 * checks it while holding those ranges. Closed tokens (after EXEC, DISCARD, UNWATCH or disconnect) are dropped
 * lazily by the ranges.
 */
public final class WatchToken {
  /**
   * One watched key of this client in one database (Redis's watchedKey). {@code expired}: the key was stored but
   * already logically expired when WATCH was called; its deletion is then no change, and it does not make EXEC
   * fail for being expired. Changed only by the key's range, read by EXEC while it holds that range.
   */
  static final class Watched {
    final WatchToken token;
    final RangeDb db;
    final Key key;
    boolean expired;

    Watched(WatchToken token, RangeDb db, Key key, boolean expired) {
      this.token = token;
      this.db = db;
      this.key = key;
      this.expired = expired;
    }
  }

  private volatile boolean dirty;
  private volatile boolean closed;
  /** The ranges of the watched keys; only the client's own connection touches this. */
  private final BitSet ranges = new BitSet();
  /** Every key watched, added by the keys' ranges while the connection waits for WATCH's reply. */
  private final List<Watched> watched = new ArrayList<>();

  /** Notes that a watched key lies in this range. */
  public void watchIn(int range) {
    ranges.set(range);
  }

  /** The ranges of the watched keys, ascending. */
  public int[] ranges() {
    return ranges.stream().toArray();
  }

  synchronized Watched add(RangeDb db, Key key, boolean expired) {
    for (Watched w : watched) {
      // Already watched: the first WATCH's view of the key stays (Redis's watchForKey).
      if (w.db == db && w.key.equals(key)) return null;
    }
    Watched w = new Watched(this, db, key, expired);
    watched.add(w);
    return w;
  }

  /**
   * Whether EXEC must fail: a watched key changed, or (Redis's isWatchedKeyExpired) a watched key that was not
   * expired when watched has expired since, deleted or not. Called while holding the watched keys' ranges.
   */
  public synchronized boolean failsExec() {
    if (dirty) return true;
    for (Watched w : watched) {
      if (!w.expired && w.db.isExpired(w.key)) return true;
    }
    return false;
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
