package org.akkaredis.keyspace;

/**
 * Redis's eviction pool (evictionPoolPopulate): the best candidates met so far, kept across eviction rounds and
 * ordered by their "idle" score (the larger, the better a victim: idle time for LRU, 255 minus the counter for LFU,
 * nearness of the expiry for volatile-ttl). Each round adds a few sampled keys; the victim is the best one still
 * stored. A candidate that is no longer stored (deleted, overwritten) is skipped when it is taken.
 */
public final class EvictionPool {
  /** EVPOOL_SIZE. */
  public static final int SIZE = 16;

  private final Entry[] entries;
  private final int[] dbs;
  private final long[] idles;
  private int count;

  public EvictionPool() {
    this(SIZE);
  }

  public EvictionPool(int capacity) {
    entries = new Entry[capacity];
    dbs = new int[capacity];
    idles = new long[capacity];
  }

  public int size() {
    return count;
  }

  /**
   * Offers a sampled key with its score. Kept in ascending order; when full, a key better than the worst one
   * pushes that one out, a key no better than all of them is dropped. A key already in the pool gets its new score.
   */
  public void offer(Entry entry, int db, long idle) {
    for (int i = 0; i < count; i++) {
      if (entries[i] == entry) {
        remove(i);
        break;
      }
    }
    int k = 0;
    while (k < count && idles[k] < idle) k++;
    if (k == 0 && count == entries.length) return;
    if (count < entries.length) {
      System.arraycopy(entries, k, entries, k + 1, count - k);
      System.arraycopy(dbs, k, dbs, k + 1, count - k);
      System.arraycopy(idles, k, idles, k + 1, count - k);
      count++;
    } else {
      // Full: drop the worst (index 0) and insert just before position k.
      k--;
      System.arraycopy(entries, 1, entries, 0, k);
      System.arraycopy(dbs, 1, dbs, 0, k);
      System.arraycopy(idles, 1, idles, 0, k);
    }
    entries[k] = entry;
    dbs[k] = db;
    idles[k] = idle;
  }

  /** The best candidate's entry, or null when the pool is empty; see {@link #bestDb}. */
  public Entry best() {
    return count == 0 ? null : entries[count - 1];
  }

  public int bestDb() {
    return dbs[count - 1];
  }

  public long bestIdle() {
    return idles[count - 1];
  }

  /** Removes the best candidate (taken, or found no longer stored). */
  public void dropBest() {
    count--;
    entries[count] = null;
  }

  /** Forgets every candidate (FLUSHALL; a policy change makes old scores meaningless). */
  public void clear() {
    for (int i = 0; i < count; i++) entries[i] = null;
    count = 0;
  }

  private void remove(int i) {
    System.arraycopy(entries, i + 1, entries, i, count - i - 1);
    System.arraycopy(dbs, i + 1, dbs, i, count - i - 1);
    System.arraycopy(idles, i + 1, idles, i, count - i - 1);
    count--;
    entries[count] = null;
  }
}
