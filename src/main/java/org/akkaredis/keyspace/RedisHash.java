package org.akkaredis.keyspace;

import java.util.List;

/**
 * A hash value. Fields keep insertion order, which is what Redis's listpack encoding shows for small hashes;
 * {@code hashtable} records that the hash outgrew listpack limits once (Redis never converts back).
 */
public final class RedisHash {
  public final FieldMap fields = new FieldMap();
  public boolean hashtable;

  /** HSCAN's index over a hashtable-encoded hash, kept while an iteration is in progress. */
  private ScanIndex scanIndex;

  ScanIndex scanIndex() {
    return scanIndex;
  }

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
   * One HSCAN step over a hashtable-encoded hash (see {@link ScanIndex}): fields in order of {@link #scanHash},
   * the cursor being the smallest hash value not visited yet, so that a field present during the whole
   * iteration is returned exactly once, whatever is added or removed between calls.
   *
   * @param cursor an unsigned 64-bit value; anything above 2^32-1 is past the end
   */
  public long scan(long cursor, long count, List<Key> out) {
    if (scanIndex == null) scanIndex = new ScanIndex();
    long insertions = fields.insertions;
    long next = scanIndex.scan(cursor, count, insertions, fields.keySet(), fields::containsKey, out);
    // Iteration over: the index is not worth its memory until the next one starts.
    if (next == 0) scanIndex = null;
    return next;
  }
}
