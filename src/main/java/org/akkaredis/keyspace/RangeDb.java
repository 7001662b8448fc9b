package org.akkaredis.keyspace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.akkaredis.config.Settings;

/** One numbered database inside one SlotRange: a map per slot, plus the list of keys that have a TTL. */
public final class RangeDb implements Db {
  private final RangeState range;
  private final int index;
  /** Each slot's keys: the entries themselves in an open-addressing table, by key (no map node per key). */
  private final SlotMap[] slotMaps;
  /** Keys with a TTL, in no order: Redis's active expiry samples random ones from this. */
  private ArrayList<Entry> volatileEntries = new ArrayList<>();
  private final HashMap<Key, List<WatchToken.Watched>> watchers = new HashMap<>();
  private long size;
  /** This database's part of the dataset estimate: its keys' charges and its slot maps' ({@link MemoryUsage}). */
  private long bytes;

  static final class SlotMap extends KeyTable<Entry> {
    @Override Key keyOf(Entry entry) {
      return entry.key;
    }
  }

  RangeDb(RangeState range, int index) {
    this.range = range;
    this.index = index;
    this.slotMaps = new SlotMap[range.lastSlot() - range.firstSlot() + 1];
    range.memory().addFixed(MemoryUsage.current().ofEmptyRangeDb(slotMaps.length));
  }

  // ---- the dataset estimate, kept with every change: each entry remembers what it was counted for ----------

  private void charge(long delta) {
    bytes += delta;
    range.memory().add(delta);
  }

  /** Counts an entry again after its value or TTL changed (or it is new). */
  private void recharge(Entry e) {
    long now = MemoryUsage.current().ofStored(e);
    long delta = now - e.charged;
    e.charged = now;
    if (delta != 0) charge(delta);
  }

  private void discharge(Entry e) {
    charge(-e.charged);
    e.charged = 0;
  }

  /** A slot map went from {@code before} keys to one more or one less. */
  private void slotMapResized(int before, int after) {
    MemoryUsage usage = MemoryUsage.current();
    charge(usage.ofSlotMap(after) - usage.ofSlotMap(before));
  }

  /** What this database's slot maps take (MEMORY STATS' overhead.hashtable.main), summed over its slots. */
  public long slotMapsBytes() {
    MemoryUsage usage = MemoryUsage.current();
    long total = 0;
    for (SlotMap map : slotMaps) if (map != null) total += usage.ofSlotMap(map.size());
    return total;
  }

  /** What the list of keys with a TTL takes: a reference per key (MEMORY STATS' overhead.hashtable.expires). */
  public long expiresBytes() {
    return (long) volatileEntries.size() * MemoryUsage.current().layout().reference();
  }

  /** This database's part of used_memory_dataset. */
  public long datasetBytes() {
    return bytes;
  }

  @Override public int index() {
    return index;
  }

  @Override public long now() {
    return range.now();
  }

  @Override public Settings settings() {
    return range.settings();
  }

  @Override public Random random() {
    return range.random();
  }

  private SlotMap mapOf(Key key, boolean create) {
    int i = range.slotOf(key) - range.firstSlot();
    SlotMap map = slotMaps[i];
    if (map == null && create) {
      map = new SlotMap();
      slotMaps[i] = map;
    }
    return map;
  }

  @Override public Entry lookup(Key key) {
    return lookup(key, true);
  }

  @Override public Entry lookupWithoutNotify(Key key) {
    return lookup(key, false);
  }

  private Entry lookup(Key key, boolean notifyMiss) {
    Entry e = peek(key);
    if (e != null) {
      touch(e);
      range.keyspaceHits++;
    } else {
      range.keyspaceMisses++;
      if (notifyMiss) range.notify(KeyspaceEvents.KEY_MISS, "keymiss", key.bytes(), index);
    }
    return e;
  }

  @Override public Entry peek(Key key) {
    SlotMap map = mapOf(key, false);
    if (map == null) return null;
    Entry e = map.get(key);
    if (e != null && e.expireAt >= 0 && e.expireAt <= range.now()) {
      // Nothing is expired while the node loads its data: it is done once the load is whole.
      if (range.propagation().loading()) return e;
      // A replica keeps expired keys until its master's DEL; only the master's stream still sees them.
      if (range.propagation().replica()) return range.applying() ? e : null;
      // While CLIENT PAUSE holds writes nothing is deleted: the key only looks missing.
      if (!range.propagation().keysExpire()) return null;
      expire(key);
      return null;
    }
    return e;
  }

  /** Records an access for LRU (the time) and LFU (the logarithmic counter), as Redis's lookupKey. */
  @Override public void touch(Entry e) {
    long now = range.now();
    e.lastAccess(now);
    MemoryBudget memory = range.memory();
    if (memory.policy().lfu()) {
      e.lfu(Lfu.touched(e.lfu(), now, memory.lfuLogFactor(), memory.lfuDecayTime(), range.random()));
    }
  }

  /** Deletes an expired key and records the DEL (or UNLINK) a copy needs: not a change the running command made. */
  private void expire(Key key) {
    remove(key);
    range.expiredKeys++;
    range.effect(index, EffectBuffer.expiryDeletion(range.settings()), key.bytes());
    range.notify(KeyspaceEvents.EXPIRED, "expired", key.bytes(), index);
  }

  /**
   * Stores a value under a key. An existing entry is kept with its key and gets the value (Redis's dbOverwrite), reset
   * as a fresh one would be (no TTL, no flags, accessed now), so an overwrite allocates no entry and the table is not
   * written; a new key gets a fresh entry.
   */
  @Override public Entry put(Key key, Object value) {
    SlotMap map = mapOf(key, true);
    long now = range.now();
    Entry e = map.get(key);
    boolean existed = e != null;
    // A stale key overwritten is first a deletion, as Redis deletes it on the lookup before the write.
    boolean stale = existed && e.expireAt >= 0 && e.expireAt <= now;
    if (existed) {
      forgetExpiry(e);
      e.value = value;
      e.flags(0);
      // An overwrite keeps the key's access counter under an LFU policy, as Redis 7.0's dbOverwrite.
      if (!range.memory().policy().lfu()) e.lfu(Lfu.fresh(now));
    } else {
      e = new Entry(key, value);
      e.lfu(Lfu.fresh(now));
      map.put(e);
      size++;
      slotMapResized(map.size() - 1, map.size());
      if (!range.memory().policy().volatileOnly()) range.evictable();
    }
    e.lastAccess(now);
    recharge(e);
    if (stale) tellWatchers(key, false);
    range.changed();
    tellWatchers(key, true);
    range.blocked().stored(index, key);
    // Redis's dbAdd says "new"; a stale key overwritten was first deleted as expired (a replica's master client
    // sees it as still there: Redis overwrites it).
    if (!existed) {
      range.notify(KeyspaceEvents.NEW, "new", key.bytes(), index);
    } else if (stale && !range.propagation().replica()) {
      range.notify(KeyspaceEvents.EXPIRED, "expired", key.bytes(), index);
      range.notify(KeyspaceEvents.NEW, "new", key.bytes(), index);
    }
    return e;
  }

  @Override public void replaceValue(Entry entry, Object value) {
    if (entry.value instanceof RedisStream) range.blocked().stored(index, entry.key);
    entry.value = value;
    entry.flags(0);
    recharge(entry);
    range.changed();
    tellWatchers(entry.key, true);
  }

  @Override public boolean delete(Key key) {
    if (!remove(key)) return false;
    range.changed();
    return true;
  }

  private boolean remove(Key key) {
    SlotMap map = mapOf(key, false);
    if (map == null) return false;
    Entry old = map.remove(key);
    if (old == null) return false;
    // A blocked XREADGROUP on a stream that goes is answered (Redis's dbGenericDelete signals it).
    if (old.value instanceof RedisStream) range.blocked().stored(index, key);
    size--;
    slotMapResized(map.size() + 1, map.size());
    forgetExpiry(old);
    discharge(old);
    tellWatchers(key, false);
    return true;
  }

  @Override public void expireAt(Entry entry, long unixMs) {
    range.changed();
    if (unixMs < 0) {
      forgetExpiry(entry);
      recharge(entry);
      return;
    }
    if (entry.expiryIndex < 0) {
      entry.expiryIndex = volatileEntries.size();
      volatileEntries.add(entry);
      recharge(entry);
      range.evictable();
    }
    entry.expireAt = unixMs;
  }

  private void forgetExpiry(Entry entry) {
    int i = entry.expiryIndex;
    if (i < 0) return;
    Entry last = volatileEntries.remove(volatileEntries.size() - 1);
    if (last != entry) {
      volatileEntries.set(i, last);
      last.expiryIndex = i;
    }
    entry.expiryIndex = -1;
    entry.expireAt = -1;
  }

  @Override public void dirtied(Key key) {
    Entry e = stored(key);
    if (e != null) recharge(e);
    range.changed();
  }

  @Override public void signalReady(Key key) {
    range.blocked().stored(index, key);
  }

  @Override public void modified(Key key) {
    Entry e = stored(key);
    if (e != null) recharge(e);
    range.changed();
    tellWatchers(key, true);
  }

  @Override public void notify(int type, String event, byte[] key) {
    range.notify(type, event, key, index);
  }

  @Override public void effect(byte[]... args) {
    range.effect(index, args);
  }

  @Override public void effects(java.util.List<byte[][]> commands) {
    range.effects(index, commands);
  }

  /**
   * Redis's touchWatchedKey, after a key changed ({@code stored}: it is still stored) or was deleted: its watchers
   * are dirty, except one that watched the key already expired, for whom its deletion is no change (and it
   * watches the key as an ordinary missing one from then on).
   */
  private void tellWatchers(Key key, boolean stored) {
    if (watchers.isEmpty()) return;
    List<WatchToken.Watched> list = watchers.get(key);
    if (list == null) return;
    list.removeIf(w -> {
      if (w.token.closed()) return true;
      if (w.expired) {
        if (!stored) w.expired = false;
        return false;
      }
      w.token.markDirty();
      return true;
    });
    if (list.isEmpty()) watchers.remove(key);
  }

  @Override public void watch(Key key, WatchToken token) {
    WatchToken.Watched watched = token.add(this, key, isExpired(key));
    if (watched == null) return;
    List<WatchToken.Watched> list = watchers.computeIfAbsent(key, k -> new ArrayList<>(2));
    list.removeIf(w -> w.token.closed());
    list.add(watched);
  }

  /** Whether a key is stored and logically expired (Redis's keyIsExpired), without deleting it. */
  boolean isExpired(Key key) {
    Entry e = stored(key);
    return e != null && e.expireAt >= 0 && e.expireAt <= range.now();
  }

  @Override public Long memoryUsage(Key key, long samples) {
    SlotMap map = mapOf(key, false);
    Entry e = map == null ? null : map.get(key);
    return e == null ? null : MemoryUsage.current().ofEntry(e, map.size(), samples);
  }

  /** Drops tokens of clients that stopped watching (called from the active cycle). */
  void pruneWatchers() {
    watchers.values().removeIf(list -> {
      list.removeIf(w -> w.token.closed());
      return list.isEmpty();
    });
  }

  public long size() {
    return size;
  }

  public int expiresCount() {
    return volatileEntries.size();
  }

  /** Sum of remaining TTLs of keys with one, for INFO keyspace's avg_ttl. */
  public long ttlSum() {
    long now = range.now();
    long sum = 0;
    for (Entry e : volatileEntries) sum += Math.max(0, e.expireAt - now);
    return sum;
  }

  public int countKeysInSlot(int slot) {
    SlotMap map = slotMaps[slot - range.firstSlot()];
    return map == null ? 0 : map.size();
  }

  /** Calls the consumer with every live key of one slot. */
  public void forEachKeyInSlot(int slot, Consumer<Entry> consumer) {
    SlotMap map = slotMaps[slot - range.firstSlot()];
    if (map == null) return;
    long now = range.now();
    for (Entry e : map.values()) {
      if (e.expireAt < 0 || e.expireAt > now) consumer.accept(e);
    }
  }

  /**
   * Calls the consumer with every key stored in one slot, logically expired or not: SCAN's walk, which (as Redis's)
   * deletes the expired keys it meets, and a snapshot's. The consumer must not change the slot.
   */
  public void forEachStoredInSlot(int slot, Consumer<Entry> consumer) {
    SlotMap map = slotMaps[slot - range.firstSlot()];
    if (map != null) map.forEach(consumer);
  }

  /**
   * Exchanges this database's keys with {@code other}'s (of the same range), as Redis's swap of two databases
   * (SWAPDB, and a replica's async load that puts its master's data in place): the watchers and the clients
   * blocked on keys stay with the database number. A key watched here that was stored before or is stored after
   * makes its watchers dirty (Redis's touchAllWatchedKeysInDb; a watcher of a key that had expired and is not
   * stored after is not, it only stops counting it as expired); clients blocked here on a key now stored become
   * ready. {@code other} gets this database's keys and is told nothing: the caller says what it is for.
   */
  public void swapWith(RangeDb other) {
    if (other.range != range || other.slotMaps.length != slotMaps.length) {
      throw new IllegalArgumentException("only two databases of one range swap");
    }
    for (Key key : List.copyOf(watchers.keySet())) swapTouches(key, stored(key) != null, other);
    for (int i = 0; i < slotMaps.length; i++) {
      SlotMap map = slotMaps[i];
      slotMaps[i] = other.slotMaps[i];
      other.slotMaps[i] = map;
    }
    ArrayList<Entry> entries = volatileEntries;
    volatileEntries = other.volatileEntries;
    other.volatileEntries = entries;
    long keys = size;
    size = other.size;
    other.size = keys;
    // The node's total is unchanged: each database's share moves with its keys.
    long dataset = bytes;
    bytes = other.bytes;
    other.bytes = dataset;
    range.changed();
    range.blocked().storedWhere(index, key -> stored(key) != null);
  }

  /**
   * SWAPDB in this range: the two databases exchange their keys and, unlike {@link #swapWith}, both sides' watchers
   * and blocked clients are told (Redis's touchAllWatchedKeysInDb and scanDatabaseForReadyKeys for each).
   */
  public void exchangeWith(RangeDb other) {
    if (other == this) return;
    if (other.range != range) throw new IllegalArgumentException("only two databases of one range swap");
    // other's watchers compare what other holds now with what it gets: this database's keys, before the swap.
    for (Key key : List.copyOf(other.watchers.keySet())) other.swapTouches(key, other.stored(key) != null, this);
    swapWith(other);
    range.blocked().storedWhere(other.index, key -> other.stored(key) != null);
  }

  /**
   * The watchers of {@code key} as a swap with {@code replacement} leaves them (Redis 7.0's
   * touchAllWatchedKeysInDb): a key that was expired stays unchanged for them if it is gone or still expired after;
   * a key missing before that comes back expired is an expired key to them from now on; anything else is a change.
   */
  private void swapTouches(Key key, boolean before, RangeDb replacement) {
    boolean after = replacement.stored(key) != null;
    if (!before && !after) return;
    boolean afterExpired = after && replacement.isExpired(key);
    List<WatchToken.Watched> list = watchers.get(key);
    list.removeIf(w -> {
      if (w.token.closed()) return true;
      if (w.expired) {
        if (!after) {
          w.expired = false;
          return false;
        }
        if (afterExpired) return false;
      } else if (!before && afterExpired) {
        w.expired = true;
        return false;
      }
      w.token.markDirty();
      return true;
    });
    if (list.isEmpty()) watchers.remove(key);
  }

  /** Removes every key (FLUSHDB/FLUSHALL); watchers of keys that existed are told. */
  public void clear() {
    for (int i = 0; i < slotMaps.length; i++) {
      SlotMap map = slotMaps[i];
      if (map == null) continue;
      for (Entry e : map.values()) {
        tellWatchers(e.key, false);
        // A blocked XREADGROUP on a stream that goes is answered, as Redis's emptyDb signals it.
        if (e.value instanceof RedisStream) range.blocked().stored(index, e.key);
      }
      slotMaps[i] = null;
    }
    range.changed();
    for (Entry e : volatileEntries) e.expiryIndex = -1;
    volatileEntries.clear();
    size = 0;
    charge(-bytes);
  }

  /**
   * Calls the consumer with every key stored, logically expired or not: what Redis's DEBUG DIGEST walks (its
   * dict keeps an expired key until it is reclaimed, as these maps do), and what a snapshot holds, as Redis's RDB
   * and AOF rewrite write every key they find (a replica keeps them until its master's DEL).
   */
  public void forEachStored(Consumer<Entry> consumer) {
    for (SlotMap map : slotMaps) {
      if (map != null) map.forEach(consumer);
    }
  }

  /** The entry stored under a key, expired or not, left untouched: Redis's dictFind (DEBUG OBJECT, DIGEST-VALUE). */
  public Entry stored(Key key) {
    SlotMap map = mapOf(key, false);
    return map == null ? null : map.get(key);
  }

  /** A random live key, or null; tries a few random slots first, then scans. */
  public Entry randomEntry() {
    if (size == 0) return null;
    Random rnd = range.random();
    for (int attempt = 0; attempt < 64; attempt++) {
      SlotMap map = slotMaps[rnd.nextInt(slotMaps.length)];
      if (map == null || map.isEmpty()) continue;
      int skip = rnd.nextInt(map.size());
      Iterator<Entry> it = map.values().iterator();
      Entry e = it.next();
      while (skip-- > 0) e = it.next();
      if (peek(e.key) != null) return e;
    }
    for (int i = 0; i < slotMaps.length; i++) {
      if (slotMaps[i] == null) continue;
      for (Entry e : new ArrayList<>(slotMaps[i].values())) {
        if (peek(e.key) != null) return e;
      }
    }
    return null;
  }

  // ---- eviction (maxmemory) -----------------------------------------------------------------------------

  /** How many keys the policy may evict here: all of them, or those with a TTL. */
  long candidates(EvictionPolicy policy) {
    return policy.volatileOnly() ? volatileEntries.size() : size;
  }

  /**
   * Up to {@code n} keys at random among the policy's candidates, expired or not (as Redis's dictGetSomeKeys): from
   * the list of keys with a TTL, or a run of keys of a random slot, starting at a random place in it.
   */
  void sample(EvictionPolicy policy, int n, Consumer<Entry> consumer) {
    Random rnd = range.random();
    if (policy.volatileOnly()) {
      int count = volatileEntries.size();
      for (int i = 0; i < n && count > 0; i++) consumer.accept(volatileEntries.get(rnd.nextInt(count)));
      return;
    }
    if (size == 0) return;
    // As dictGetSomeKeys walks buckets from a random one: slots from a random one on, from a random place in it.
    int start = rnd.nextInt(slotMaps.length);
    int taken = 0;
    for (int i = 0; i < slotMaps.length && taken < n && taken < size; i++) {
      SlotMap map = slotMaps[(start + i) % slotMaps.length];
      if (map == null || map.isEmpty()) continue;
      int skip = taken == 0 ? rnd.nextInt(map.size()) : 0;
      for (Entry e : map.values()) {
        if (skip-- > 0) continue;
        consumer.accept(e);
        if (++taken >= n) return;
      }
    }
  }

  /** Whether {@code entry} is still the one stored under its key (a pool's candidate may be gone). */
  boolean holds(Entry entry) {
    return stored(entry.key) == entry;
  }

  /** Deletes a key to free memory and records its DEL (UNLINK with lazyfree-lazy-eviction), as Redis's eviction. */
  void evict(Entry entry) {
    remove(entry.key);
    range.memory().evicted();
    range.effect(index, range.memory().lazyEviction() ? UNLINK : DEL, entry.key.bytes());
    range.notify(KeyspaceEvents.EVICTED, "evicted", entry.key.bytes(), index);
  }

  private static final byte[] DEL = EffectBuffer.bytes("DEL");
  private static final byte[] UNLINK = EffectBuffer.bytes("UNLINK");

  /**
   * One round of Redis's active expiry for this database: sample up to {@code sample} keys with a TTL and
   * delete the expired ones. Returns {sampled, expired} so the caller can decide whether to go on.
   */
  int[] expireSample(int sample) {
    int n = Math.min(sample, volatileEntries.size());
    int expired = 0;
    long now = range.now();
    Random rnd = range.random();
    for (int i = 0; i < n && !volatileEntries.isEmpty(); i++) {
      Entry e = volatileEntries.get(rnd.nextInt(volatileEntries.size()));
      if (e.expireAt <= now) {
        expire(e.key);
        expired++;
      }
    }
    return new int[] {n, expired};
  }
}
