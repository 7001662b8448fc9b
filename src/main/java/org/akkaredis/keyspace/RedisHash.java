package org.akkaredis.keyspace;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hash value. Fields keep insertion order, which is what Redis's listpack encoding shows for small hashes;
 * {@code hashtable} records that the hash outgrew listpack limits once (Redis never converts back).
 */
public final class RedisHash {
  public final LinkedHashMap<Key, byte[]> fields = new FieldMap();
  public boolean hashtable;

  /**
   * HSCAN's view of a hashtable-encoded hash, built on demand and kept while an iteration is in progress:
   * {@code scanOrder[i] = ((scanHash << 32) | position) ^ Long.MIN_VALUE}, sorted (the xor makes signed order
   * equal unsigned order), and {@code scanKeys[position]} the field. It stays usable while no field is added
   * (deleted fields are skipped when met); an insertion makes the next call rebuild it.
   */
  private long[] scanOrder;
  private Key[] scanKeys;
  private long scanBuiltAtInsertions;

  public String encoding() {
    return hashtable ? "hashtable" : "listpack";
  }

  /** Switches to hashtable when a limit is crossed (hash-max-listpack-entries / -value). */
  public void checkEncoding(long maxEntries, long maxValue, byte[] field, byte[] value) {
    if (!hashtable
        && (fields.size() > maxEntries
            || (field != null && field.length > maxValue)
            || (value != null && value.length > maxValue))) {
      hashtable = true;
    }
  }

  /** A field's place in HSCAN order: its content hash, spread over 32 bits (murmur3's finalizer). */
  public static long scanHash(Key field) {
    int h = field.hashCode();
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h & 0xFFFFFFFFL;
  }

  /**
   * One HSCAN step over a hashtable-encoded hash. Fields are visited in order of {@link #scanHash}; the cursor
   * is the smallest hash value not visited yet. This call adds to {@code out} the fields whose hash is at
   * least {@code cursor}, in hash order, at least {@code count} of them and always every field sharing the
   * last hash taken, and returns the next cursor (0 when no field is left). Successive calls therefore cover
   * the hash values [0, c1), [c1, c2), ... without gap or overlap, so a field present during the whole
   * iteration is returned exactly once, whatever is added or removed between calls.
   *
   * @param cursor an unsigned 64-bit value; anything above 2^32-1 is past the end
   */
  public long scan(long cursor, long count, List<Key> out) {
    if (Long.compareUnsigned(cursor, 0xFFFFFFFFL) > 0) return 0;
    FieldMap map = (FieldMap) fields;
    if (scanOrder == null || scanBuiltAtInsertions != map.insertions
        || scanOrder.length > 2L * fields.size() + 64) {
      buildScanIndex(map);
    }
    int i = lowerBound(scanOrder, ((cursor << 32) ^ Long.MIN_VALUE));
    long taken = 0;
    long lastHash = -1;
    for (; i < scanOrder.length; i++) {
      long packed = scanOrder[i] ^ Long.MIN_VALUE;
      long hash = packed >>> 32;
      if (taken >= count && hash != lastHash) return lastHash + 1;
      Key field = scanKeys[(int) packed];
      if (!fields.containsKey(field)) continue;
      out.add(field);
      taken++;
      lastHash = hash;
    }
    // Iteration over: the index is not worth its memory until the next one starts.
    scanOrder = null;
    scanKeys = null;
    return 0;
  }

  private void buildScanIndex(FieldMap map) {
    int n = fields.size();
    Key[] keys = new Key[n];
    long[] order = new long[n];
    int i = 0;
    for (Key field : fields.keySet()) {
      keys[i] = field;
      order[i] = ((scanHash(field) << 32) | i) ^ Long.MIN_VALUE;
      i++;
    }
    Arrays.sort(order);
    scanKeys = keys;
    scanOrder = order;
    scanBuiltAtInsertions = map.insertions;
  }

  /** The first index whose value is ≥ target (signed order), or the length. */
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

  /**
   * Counts insertions of new fields, whichever way they are made (put, putAll, merge, compute...): LinkedHashMap
   * asks removeEldestEntry after every new mapping and never for an update of an existing one.
   */
  private static final class FieldMap extends LinkedHashMap<Key, byte[]> {
    private static final long serialVersionUID = 1L;
    long insertions;

    @Override protected boolean removeEldestEntry(Map.Entry<Key, byte[]> eldest) {
      insertions++;
      return false;
    }
  }
}
