package org.akkaredis.keyspace;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * HSCAN's, SSCAN's and ZSCAN's walk over the fields or members of a big hash, set or sorted set, with the
 * guarantee Redis gives: a member present during the whole iteration is returned (exactly once here). Members are
 * visited in order of {@link RedisHash#scanHash}; the cursor is the smallest hash value not visited yet. The sorted
 * index is built on demand and kept while the iteration goes on and no member is added (removed members are
 * skipped when met).
 */
public final class ScanIndex {
  /** {@code ((scanHash << 32) | position) ^ Long.MIN_VALUE}, sorted: signed order equals unsigned order. */
  private long[] order;
  private Key[] keys;
  private long builtAtInsertions = -1;

  /**
   * Adds to {@code out} the members whose hash is at least {@code cursor}, at least {@code count} of them and every
   * member sharing the last hash taken, and returns the next cursor (0 when none is left).
   *
   * @param insertions a counter the owner raises on every insertion of a new member
   */
  public long scan(long cursor, long count, long insertions, Collection<Key> members, Predicate<Key> live,
      List<Key> out) {
    if (Long.compareUnsigned(cursor, 0xFFFFFFFFL) > 0) return 0;
    if (order == null || builtAtInsertions != insertions || order.length > 2L * members.size() + 64) {
      build(members, insertions);
    }
    int i = lowerBound(order, (cursor << 32) ^ Long.MIN_VALUE);
    long taken = 0;
    long lastHash = -1;
    for (; i < order.length; i++) {
      long packed = order[i] ^ Long.MIN_VALUE;
      long hash = packed >>> 32;
      if (taken >= count && hash != lastHash) return lastHash + 1;
      Key member = keys[(int) packed];
      if (!live.test(member)) continue;
      out.add(member);
      taken++;
      lastHash = hash;
    }
    order = null;
    keys = null;
    return 0;
  }

  /** Members in the index being iterated (0 when no iteration is under way). */
  int length() {
    return order == null ? 0 : order.length;
  }

  private void build(Collection<Key> members, long insertions) {
    keys = members.toArray(new Key[0]);
    order = new long[keys.length];
    for (int i = 0; i < keys.length; i++) order[i] = ((RedisHash.scanHash(keys[i]) << 32) | i) ^ Long.MIN_VALUE;
    Arrays.sort(order);
    builtAtInsertions = insertions;
  }

  private static int lowerBound(long[] sorted, long target) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
