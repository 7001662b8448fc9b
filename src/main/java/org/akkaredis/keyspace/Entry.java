package org.akkaredis.keyspace;

/**
 * One key's slot in the keyspace. The value is a {@code byte[]} for strings or a data-type object
 * ({@link RedisHash}, ...). Mutated only by the SlotRange that owns it.
 */
public final class Entry {
  /** The string was built by APPEND/SETRANGE: OBJECT ENCODING says "raw" whatever its length, as Redis does. */
  public static final int RAW_STRING = 1;

  public final Key key;
  public Object value;
  /** Absolute unix time in ms, or -1 for no TTL. Changed only through {@link Db#expireAt}. */
  long expireAt = -1;
  /** Position in the owning database's list of keys with a TTL, for O(1) random sampling; -1 if none. */
  int expiryIndex = -1;
  /** The unix second of the last access (Redis's LRU clock has a resolution of one second too), unsigned. */
  private int lastAccessSecond;
  /**
   * Redis's LFU field ({@link Lfu}, 24 bits: the minute of the last decrement and the logarithmic access counter) in
   * the low bits, the flags ({@link #RAW_STRING}, ...) in the top 8, as Redis's robj packs its lru beside its type
   * and encoding. The LFU field is kept whatever the policy, so switching to an LFU policy starts from what the
   * keys had.
   */
  private int lfuAndFlags;
  /** The bytes this entry counts for in its range's dataset estimate ({@link MemoryUsage#ofStored}). */
  long charged;

  Entry(Key key, Object value) {
    this.key = key;
    this.value = value;
  }

  /** The time of the last access, in unix ms (to the second). */
  public long lastAccess() {
    return Integer.toUnsignedLong(lastAccessSecond) * 1000;
  }

  /** Records an access at a time in unix ms (one before 1970 as 1970: the field is an unsigned second). */
  public void lastAccess(long unixMs) {
    lastAccessSecond = (int) (Math.max(0, unixMs) / 1000);
  }

  public int lfu() {
    return lfuAndFlags & 0xFFFFFF;
  }

  public void lfu(int lfu) {
    lfuAndFlags = (lfuAndFlags & 0xFF000000) | (lfu & 0xFFFFFF);
  }

  /** Flags of the value (8 bits). */
  public int flags() {
    return lfuAndFlags >>> 24;
  }

  public void flags(int flags) {
    lfuAndFlags = (lfuAndFlags & 0xFFFFFF) | flags << 24;
  }

  public void addFlags(int flags) {
    flags(flags() | flags);
  }

  public long expireAt() {
    return expireAt;
  }

  public boolean isString() {
    return value instanceof byte[];
  }

  public String typeName() {
    if (value instanceof byte[]) return "string";
    if (value instanceof RedisHash) return "hash";
    if (value instanceof RedisList) return "list";
    if (value instanceof RedisSet) return "set";
    if (value instanceof RedisZSet) return "zset";
    if (value instanceof RedisStream) return "stream";
    return "none";
  }
}
