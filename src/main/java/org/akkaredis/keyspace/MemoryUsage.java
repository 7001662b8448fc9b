package org.akkaredis.keyspace;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * What a key and its value take in the node's heap, in bytes: MEMORY USAGE's figure, and the one place a memory
 * limit (maxmemory, used_memory) can count data from. Computed from the value's actual structure — how many
 * fields, members and elements, their byte lengths, the node's own objects around each of them (the {@link Key},
 * the {@link Entry}, the map node, the skip-list node with its levels, the arrays' capacities) — with the object
 * sizes of this JVM's layout ({@link Layout}): a header, 4- or 8-byte references, objects aligned to 8 bytes.
 *
 * <p>As Redis's objectComputeSize, an aggregate's per-element part is taken from its first {@code samples}
 * elements and scaled to its size ({@code samples} 0 or at least the size: every element, exactly). Not counted,
 * as Redis does not count them: objects shared between keys (the slot map itself, cached small Integers) and
 * Java's own short-lived copies, and a map's view objects (16 bytes each once something iterated over its keys or
 * entries). An estimate, not a measurement: a hash table's capacity is taken as the one its
 * entries grew it to (a table does not shrink after deletions; the estimate does), and HashMap's tree bins for
 * colliding hashes are left out. {@code MemoryUsageTest} checks the figures against JOL's walk of the real objects.
 */
public final class MemoryUsage {

  /**
   * Object sizes as HotSpot lays objects out: a header of mark word and class pointer (compressed or not), fields
   * packed after it, arrays with a length after the header, everything aligned.
   */
  public record Layout(int header, int reference, int arrayHeader, int alignment) {
    /** The usual layout, heaps under 32 GB: compressed class pointers and references. */
    public static final Layout COMPRESSED = new Layout(12, 4, 16, 8);

    /** This JVM's layout, read from its options (the usual one when they cannot be read). */
    public static Layout current() {
      try {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        boolean compressedOops = Boolean.parseBoolean(vm.getVMOption("UseCompressedOops").getValue());
        boolean compressedClasses = Boolean.parseBoolean(vm.getVMOption("UseCompressedClassPointers").getValue());
        int alignment = Integer.parseInt(vm.getVMOption("ObjectAlignmentInBytes").getValue());
        int header = compressedClasses ? 12 : 16;
        return new Layout(header, compressedOops ? 4 : 8, (int) align(header + 4, 8), alignment);
      } catch (RuntimeException | LinkageError e) {
        return COMPRESSED;
      }
    }

    /**
     * An instance with these fields ({@code smalls}: booleans and bytes). Fields go after the header, wider ones
     * first; the 4 bytes a 12-byte header leaves before the first 8-byte field are filled only by a field that
     * narrow.
     */
    public long object(int refs, int ints, int longs, int smalls) {
      long wide = (long) refs * reference + longs * 8L;
      long narrow = ints * 4L + (reference == 4 ? (long) refs * reference : 0);
      long size;
      if (header % 8 != 0 && narrow == 0 && wide > 0) {
        long gap = 8 - header % 8;
        size = header + gap + wide + Math.max(0, smalls - gap);
      } else {
        size = header + (long) refs * reference + ints * 4L + longs * 8L + smalls;
      }
      return align(size, alignment);
    }

    long byteArray(int length) {
      return align(arrayHeader + (long) length, alignment);
    }

    long referenceArray(int length) {
      return align(arrayHeader + (long) length * reference, alignment);
    }

    long intArray(int length) {
      return align(arrayHeader + length * 4L, alignment);
    }

    long longArray(int length) {
      return align(arrayHeader + length * 8L, alignment);
    }
  }

  private final Layout layout;
  // The node's own classes and the JDK's, by their instance fields (refs, ints, longs, booleans and bytes).
  /** Key: bytes; hash, slot. */
  final long key;
  /** Entry: key, value; expiryIndex, lastAccessSecond, lfuAndFlags; expireAt, charged. */
  final long entry;
  /** HashMap.Node: key, value, next; hash. */
  final long hashMapNode;
  /** HashMap: table, entrySet, keySet, values; size, modCount, threshold, loadFactor. */
  final long hashMap;
  /** RedisHash's {@link FieldMap}: names, values, hashes, index, and AbstractMap's keySet, values; end, size, modCount; insertions, fieldBytes. */
  final long fieldMap;
  /** A {@link KeyTable} (a slot's map, a sorted set's member map): table; size. */
  final long keyTable;
  /** ArrayList: elementData; size, modCount. */
  final long arrayList;
  /** Integer: value (positions from 128 up are boxed anew; smaller ones are the JDK's shared cache). */
  final long integer;
  /** RedisHash: fields, scanIndex; hashtable. */
  final long redisHash;
  /** RedisList: items; head, size; elementBytes. */
  final long redisList;
  /** RedisSet: index, members, scan; intset; insertions, memberBytes. */
  final long redisSet;
  /** RedisZSet: nodes, head, tail, scan; level, length; insertions, nodeBytes; listpack. */
  final long redisZSet;
  /** RedisZSet.Node: member, prev, next0..2, upper, upperSpans; span0..2; score; levels. */
  final long zsetNode;
  /** ScanIndex: order, keys; builtAtInsertions. */
  final long scanIndex;
  /** RedisStream: nodes, lastId, firstId, maxDeletedId, groups; length, entriesAdded, nodeArrayBytes. */
  final long redisStream;
  /** TreeMap: root, comparator, entrySet, navigableKeySet, descendingMap, keySet, values; size, modCount. */
  final long treeMap;
  /** TreeMap.Entry: key, value, left, right, parent; color. */
  final long treeEntry;
  /** RedisStream.Id: ms, seq. */
  final long streamId;
  /** RedisStream.Group: lastId, pel, consumers; entriesRead. Consumer: name, pel; seenTime. Nack: consumer; 2 longs. */
  final long streamGroup;
  final long streamConsumer;
  final long streamNack;

  private static final Layout CURRENT_LAYOUT = Layout.current();
  /** The layout is this JVM's, the one the aggregates' element sums are kept in ({@link #ofStoredValue}). */
  private final boolean tracksElements;

  public MemoryUsage(Layout layout) {
    this.layout = layout;
    this.tracksElements = layout.equals(CURRENT_LAYOUT);
    key = layout.object(1, 2, 0, 0);
    entry = layout.object(2, 3, 2, 0);
    hashMapNode = layout.object(3, 1, 0, 0);
    hashMap = layout.object(4, 4, 0, 0);
    fieldMap = layout.object(6, 3, 2, 0);
    keyTable = layout.object(1, 1, 0, 0);
    arrayList = layout.object(1, 2, 0, 0);
    integer = layout.object(0, 1, 0, 0);
    redisHash = layout.object(2, 0, 0, 1);
    redisList = layout.object(1, 2, 1, 0);
    redisSet = layout.object(3, 0, 2, 1);
    redisZSet = layout.object(4, 2, 2, 1);
    zsetNode = layout.object(7, 3, 1, 1);
    scanIndex = layout.object(2, 0, 1, 0);
    redisStream = layout.object(5, 0, 3, 0);
    treeMap = layout.object(7, 2, 0, 0);
    treeEntry = layout.object(5, 0, 0, 1);
    streamId = layout.object(0, 0, 2, 0);
    streamGroup = layout.object(3, 0, 1, 0);
    streamConsumer = layout.object(2, 0, 1, 0);
    streamNack = layout.object(1, 0, 2, 0);
  }

  private static final MemoryUsage CURRENT = new MemoryUsage(CURRENT_LAYOUT);

  /** The estimate for this JVM. */
  public static MemoryUsage current() {
    return CURRENT;
  }

  public Layout layout() {
    return layout;
  }

  /**
   * A key with its value as the keyspace holds it: its share of the slot map's table, the
   * {@link Key} and its bytes, the {@link Entry}, its place in the list of keys with a TTL, and the value.
   *
   * @param keysInMap the number of keys in the slot map holding it
   */
  public long ofEntry(Entry e, int keysInMap, long samples) {
    long size = tableShare(keysInMap) + ofKey(e.key) + entry + ofValue(e.value, samples);
    if (e.expiryIndex >= 0) size += layout.reference;
    return size;
  }

  /** Samples of a stream's groups and consumers for the dataset estimate kept with every write ({@link #ofStored}). */
  public static final long ACCOUNTING_SAMPLES = 16;

  /**
   * What a key counts for in the dataset estimate that used_memory and maxmemory use: as {@link #ofEntry} without
   * the share of the slot map's table (counted per map, {@link #ofSlotMap}), so the figure of one key does not
   * change when other keys come and go. A list's, hash's, set's or sorted set's elements are counted exactly and
   * in O(1): each keeps the sum of what its elements take ({@link #tracked}), changed by what a write adds or
   * removes, so a write does not walk its value again; a stream's groups are sampled over {@link #ACCOUNTING_SAMPLES}.
   */
  public long ofStored(Entry e) {
    long size = ofKey(e.key) + entry + ofStoredValue(e.value);
    if (e.expiryIndex >= 0) size += layout.reference;
    return size;
  }

  /** A value as {@link #ofStored} counts it. */
  long ofStoredValue(Object value) {
    // The sums are kept in this JVM's layout; an estimate for another one counts every element instead.
    if (!tracksElements) return ofValue(value, value instanceof RedisStream ? ACCOUNTING_SAMPLES : 0);
    if (value instanceof RedisHash hash) return hashFixed(hash) + hash.fields.fieldBytes();
    if (value instanceof RedisList list) return listFixed(list) + list.elementBytes();
    if (value instanceof RedisSet set) return setFixed(set) + set.memberBytes();
    if (value instanceof RedisZSet zset) return zsetFixed(zset) + zset.nodeBytes();
    return ofValue(value, ACCOUNTING_SAMPLES);
  }

  private static final long TRACKED_HEADER = CURRENT_LAYOUT.arrayHeader() + CURRENT_LAYOUT.alignment() - 1;
  private static final long TRACKED_MASK = -(long) CURRENT_LAYOUT.alignment();

  /**
   * A byte array of this length in this JVM's layout: the unit of the element sums an aggregate keeps for
   * {@link #ofStored} (alignment is a power of two in HotSpot, so a mask rounds up).
   */
  static long tracked(int length) {
    return (TRACKED_HEADER + length) & TRACKED_MASK;
  }

  /** A sorted set's node with its member's array, in this JVM's layout (the unit of {@link RedisZSet}'s sum). */
  static long trackedNode(RedisZSet.Node node) {
    return CURRENT.zsetNode(node.levels()) + tracked(node.member.bytes().length);
  }

  /** A slot's map holding {@code keys} keys: the {@link KeyTable} and its table (none counted while empty). */
  public long ofSlotMap(int keys) {
    return keys == 0 ? 0 : keyTable + table(keys);
  }

  /**
   * One database of one range with no keys: its array of slot maps, the list of keys with a TTL and the map of
   * watched keys (RangeDb's fixed structures).
   */
  public long ofEmptyRangeDb(int slots) {
    return layout.object(4, 1, 2, 0) + layout.referenceArray(slots) + arrayList + layout.referenceArray(10) + hashMap;
  }

  /** A {@link Key} with its bytes. */
  public long ofKey(Key k) {
    return key + layout.byteArray(k.bytes().length);
  }

  /** A value: a string's bytes, or a data type with everything it holds (see the class comment for samples). */
  public long ofValue(Object value, long samples) {
    if (value instanceof byte[] bytes) return layout.byteArray(bytes.length);
    if (value instanceof RedisHash hash) return ofHash(hash, samples);
    if (value instanceof RedisList list) return ofList(list, samples);
    if (value instanceof RedisSet set) return ofSet(set, samples);
    if (value instanceof RedisZSet zset) return ofZSet(zset, samples);
    if (value instanceof RedisStream stream) return ofStream(stream, samples);
    throw new IllegalArgumentException("no memory estimate for " + value.getClass().getName());
  }

  long ofHash(RedisHash hash, long samples) {
    int n = hash.fields.size();
    long size = hashFixed(hash);
    long sampled = 0;
    int taken = 0;
    long limit = limit(samples, n);
    for (var field : hash.fields.entrySet()) {
      if (taken >= limit) break;
      sampled += layout.byteArray(field.getKey().bytes().length) + layout.byteArray(field.getValue().length);
      taken++;
    }
    return size + scaled(sampled, taken, n);
  }

  /** A hash without its fields' names and values: its objects, arrays and index. */
  private long hashFixed(RedisHash hash) {
    int slots = hash.fields.arrayCapacity();
    int indexSlots = hash.fields.indexCapacity();
    // HSCAN's index holds Keys of its own (the map keeps none).
    ScanIndex index = hash.scanIndex();
    return redisHash + fieldMap + scanIndex(index) + (index == null ? 0 : index.length() * key)
        + (slots == 0 ? 0 : 2 * layout.referenceArray(slots) + layout.intArray(slots))
        + (indexSlots == 0 ? 0 : layout.intArray(indexSlots));
  }

  long ofList(RedisList list, long samples) {
    int n = list.size();
    long size = listFixed(list);
    long sampled = 0;
    long limit = limit(samples, n);
    for (int i = 0; i < limit; i++) sampled += layout.byteArray(list.get(i).length);
    return size + scaled(sampled, limit, n);
  }

  /** A list without its elements' arrays. */
  private long listFixed(RedisList list) {
    return redisList + layout.referenceArray(list.capacity());
  }

  long ofSet(RedisSet set, long samples) {
    int n = set.size();
    long size = setFixed(set);
    long sampled = 0;
    long limit = limit(samples, n);
    for (int i = 0; i < limit; i++) sampled += layout.byteArray(set.get(i).bytes().length);
    return size + scaled(sampled, limit, n);
  }

  /** A set without its members' arrays. */
  private long setFixed(RedisSet set) {
    int n = set.size();
    // The member map (member -> position) and the member array share each member's Key.
    return redisSet + hashMap + table(n) + arrayList + arrayListData(n)
        + scanIndex(set.scanIndex()) + n * (hashMapNode + key) + Math.max(0, n - 128) * integer;
  }

  /**
   * A stream: its nodes (each a map entry, its master id and its array, whose lengths the stream keeps a sum of),
   * and its groups, sampled: each group's pending entries (two map entries, an id and a Nack each) and consumers.
   */
  long ofStream(RedisStream stream, long samples) {
    long size = redisStream + treeMap + 3 * streamId + stream.nodeCount() * (treeEntry + streamId + layout.byteArray(0))
        + stream.nodeArrayBytes();
    var groups = stream.groups();
    if (groups.isEmpty()) return size;
    size += treeMap;
    long sampled = 0;
    int taken = 0;
    long limit = limit(samples, groups.size());
    for (var named : groups.entrySet()) {
      if (taken >= limit) break;
      RedisStream.Group group = named.getValue();
      sampled += treeEntry + layout.byteArray(named.getKey().length) + streamGroup + 2 * treeMap + streamId
          + group.pel.size() * (2 * treeEntry + streamId + streamNack);
      int n = group.consumers.size();
      long consumers = 0;
      int seen = 0;
      for (RedisStream.Consumer consumer : group.consumers.values()) {
        if (seen >= limit(samples, n)) break;
        consumers += treeEntry + streamConsumer + layout.byteArray(consumer.name.length) + treeMap;
        seen++;
      }
      sampled += scaled(consumers, seen, n);
      taken++;
    }
    return size + scaled(sampled, taken, groups.size());
  }

  long ofZSet(RedisZSet zset, long samples) {
    int n = zset.size();
    long size = zsetFixed(zset);
    long sampled = 0;
    int taken = 0;
    long limit = limit(samples, n);
    for (RedisZSet.Node node = zset.first(); node != null && taken < limit; node = node.next()) {
      sampled += zsetNode(node.levels()) + layout.byteArray(node.member.bytes().length);
      taken++;
    }
    return size + scaled(sampled, taken, n);
  }

  /** A sorted set without its nodes and their members' arrays. */
  private long zsetFixed(RedisZSet zset) {
    return redisZSet + keyTable + layout.referenceArray(zset.tableCapacity()) + scanIndex(zset.scanIndex())
        + zsetNode(RedisZSet.MAX_LEVEL) + zset.size() * key;
  }

  /** A skip-list node with its links and spans above the levels it keeps as fields. */
  private long zsetNode(int levels) {
    int inArrays = levels - RedisZSet.Node.INLINE;
    return zsetNode + (inArrays > 0 ? layout.referenceArray(inArrays) + layout.intArray(inArrays) : 0);
  }

  private long scanIndex(ScanIndex index) {
    if (index == null) return 0;
    int length = index.length();
    return scanIndex + (length > 0 ? layout.longArray(length) + layout.referenceArray(length) : 0);
  }

  /** A HashMap's table holding n entries, grown from 16 by doubling at three quarters full; none while empty. */
  long table(int n) {
    return n == 0 ? 0 : layout.referenceArray(tableCapacity(n));
  }

  /** One key's share of its slot map's table. */
  private long tableShare(int keysInMap) {
    return keysInMap <= 0 ? 0 : tableCapacity(keysInMap) * (long) layout.reference / keysInMap;
  }

  static int tableCapacity(int n) {
    int capacity = 16;
    while (n > capacity * 3L / 4 && capacity < 1 << 30) capacity <<= 1;
    return capacity;
  }

  /** An ArrayList's array holding n, grown one addition at a time: 10 at the first, then by half when full. */
  private long arrayListData(int n) {
    if (n == 0) return 0;
    long capacity = 10;
    while (capacity < n) capacity += capacity >> 1;
    return layout.referenceArray((int) Math.min(capacity, Integer.MAX_VALUE - 8));
  }

  private static long limit(long samples, int n) {
    return samples <= 0 ? n : Math.min(samples, n);
  }

  /** The sampled part for {@code taken} of {@code n} elements, scaled to all n (Redis scales the same way). */
  private static long scaled(long sampled, long taken, int n) {
    if (taken == 0) return 0;
    if (taken == n) return sampled;
    return (long) ((double) sampled / taken * n);
  }

  private static long align(long size, int alignment) {
    return (size + alignment - 1) / alignment * alignment;
  }
}
