package org.akkaredis.keyspace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream value as Redis 7.0's t_stream.c keeps it: nodes of entries, each node a listpack in Redis's own layout
 * (a master entry with the node's count of live and deleted entries and the first entry's field names, then each
 * entry as flags, its id as a difference to the node's master id, its fields or only its values when they are the
 * master's, and the count of its elements), ordered by the node's master id in a sorted map where Redis has a radix
 * tree; so lookups are O(log N) and an RDB or DUMP carries the nodes as they are. Beside them the length, the last,
 * first and largest deleted ids, the count of entries ever added, and the consumer groups with their pending
 * entries (the group's and each consumer's) and consumers, ordered by name as Redis's radix trees order them.
 */
public final class RedisStream {
  static final int FLAG_DELETED = 1;
  static final int FLAG_SAMEFIELDS = 2;
  /** STREAM_LISTPACK_MAX_SIZE: no node grows past 1 GiB whatever stream-node-max-bytes says. */
  private static final long MAX_NODE_BYTES = 1L << 30;

  /** A stream entry id: two unsigned 64-bit numbers. */
  public record Id(long ms, long seq) implements Comparable<Id> {
    public static final Id MIN = new Id(0, 0);
    public static final Id MAX = new Id(-1L, -1L);

    @Override public int compareTo(Id o) {
      int c = Long.compareUnsigned(ms, o.ms);
      return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    /** The next id, or null past the largest (streamIncrID's error). */
    public Id next() {
      if (seq == -1L) return ms == -1L ? null : new Id(ms + 1, 0);
      return new Id(ms, seq + 1);
    }

    /** The previous id, or null before 0-0 (streamDecrID's error). */
    public Id previous() {
      if (seq == 0) return ms == 0 ? null : new Id(ms - 1, -1L);
      return new Id(ms, seq - 1);
    }

    public boolean isZero() {
      return ms == 0 && seq == 0;
    }

    @Override public String toString() {
      return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    public byte[] bytes() {
      return toString().getBytes(StandardCharsets.US_ASCII);
    }
  }

  /** One entry: its id and its fields and values, alternating. */
  public record Item(Id id, byte[][] fieldsAndValues) {}

  /** A pending entry: delivered to {@code consumer}, not acknowledged yet (streamNACK). */
  public static final class Nack {
    public long deliveryTime;
    public long deliveryCount;
    public Consumer consumer;

    public Nack(long deliveryTime, long deliveryCount, Consumer consumer) {
      this.deliveryTime = deliveryTime;
      this.deliveryCount = deliveryCount;
      this.consumer = consumer;
    }
  }

  public static final class Consumer {
    public final byte[] name;
    public long seenTime;
    public final TreeMap<Id, Nack> pel = new TreeMap<>();

    public Consumer(byte[] name, long seenTime) {
      this.name = name;
      this.seenTime = seenTime;
    }
  }

  /** SCG_INVALID_ENTRIES_READ. */
  public static final long INVALID_ENTRIES_READ = -1;

  public static final class Group {
    public Id lastId;
    public long entriesRead;
    public final TreeMap<Id, Nack> pel = new TreeMap<>();
    public final TreeMap<byte[], Consumer> consumers = new TreeMap<>(Arrays::compareUnsigned);

    public Group(Id lastId, long entriesRead) {
      this.lastId = lastId;
      this.entriesRead = entriesRead;
    }

    /** streamCreateConsumer: null when one of that name exists. */
    public Consumer createConsumer(byte[] name, long now) {
      if (consumers.containsKey(name)) return null;
      Consumer consumer = new Consumer(name.clone(), now);
      consumers.put(consumer.name, consumer);
      return consumer;
    }

    /** streamDelConsumer: its pending entries leave the group's list too. */
    public void deleteConsumer(Consumer consumer) {
      for (Id id : consumer.pel.keySet()) pel.remove(id);
      consumers.remove(consumer.name);
    }
  }

  /** The nodes by master id; each value a listpack, the last one with room to grow. */
  final TreeMap<Id, byte[]> nodes = new TreeMap<>();
  /** The length of every node's array, room included: kept as nodes change, so the memory estimate is O(1). */
  private long nodeArrayBytes;
  public long length;
  public Id lastId = Id.MIN;
  public Id firstId = Id.MIN;
  public Id maxDeletedId = Id.MIN;
  public long entriesAdded;
  /** By name; null until the first group, as Redis creates the tree on demand. */
  private TreeMap<byte[], Group> groups;

  public int nodeCount() {
    return nodes.size();
  }

  /** The nodes in order, each as its master id and listpack (trimmed): what the RDB holds. */
  public List<Map.Entry<Id, byte[]>> nodesForSave() {
    List<Map.Entry<Id, byte[]>> out = new ArrayList<>(nodes.size());
    for (Map.Entry<Id, byte[]> node : nodes.entrySet()) {
      out.add(Map.entry(node.getKey(), Listpack.trimmed(node.getValue())));
    }
    return out;
  }

  /** Adds a node as loaded (RDB, RESTORE); false when its master id is there already. */
  public boolean loadNode(Id master, byte[] listpack) {
    if (nodes.putIfAbsent(master, listpack) != null) return false;
    nodeArrayBytes += listpack.length;
    return true;
  }

  /** Stores a node's (new) array in place of {@code old} (null: a new node). */
  private void putNode(Id master, byte[] lp, byte[] old) {
    nodes.put(master, lp);
    nodeArrayBytes += lp.length - (old == null ? 0 : old.length);
  }

  /** The groups by name; empty when none was ever created. */
  public Map<byte[], Group> groups() {
    return groups == null ? Map.of() : groups;
  }

  public Group group(byte[] name) {
    return groups == null ? null : groups.get(name);
  }

  /** streamCreateCG: null when a group of that name exists. */
  public Group createGroup(byte[] name, Id lastId, long entriesRead) {
    if (groups == null) groups = new TreeMap<>(Arrays::compareUnsigned);
    if (groups.containsKey(name)) return null;
    Group group = new Group(lastId, entriesRead);
    groups.put(name.clone(), group);
    return group;
  }

  public boolean destroyGroup(byte[] name) {
    return groups != null && groups.remove(name) != null;
  }

  // ---- appending ------------------------------------------------------------------------------------------

  /** Why {@link #append} refused: the id is not above the top one (EDOM), or the elements are too big (ERANGE). */
  public enum AppendError { ID_TOO_SMALL, TOO_LARGE }

  /**
   * streamAppendItem: adds an entry with the given id ({@code seqGiven} false: only its ms part is given, the
   * sequence is generated) or, with {@code id} null, one generated from {@code nowMs}. Returns the new id or an
   * {@link AppendError}.
   */
  public Object append(byte[][] fieldsAndValues, Id id, boolean seqGiven, long nowMs, long maxBytes,
      long maxEntries) {
    Id newId;
    if (id != null) {
      if (seqGiven) {
        newId = id;
      } else if (lastId.ms == id.ms) {
        if (lastId.seq == -1L) return AppendError.ID_TOO_SMALL;
        newId = new Id(lastId.ms, lastId.seq + 1);
      } else {
        newId = id;
      }
    } else if (Long.compareUnsigned(nowMs, lastId.ms) > 0) {
      newId = new Id(nowMs, 0);
    } else {
      newId = lastId.next();
      if (newId == null) newId = Id.MIN;
    }
    if (newId.compareTo(lastId) <= 0) return AppendError.ID_TOO_SMALL;
    int numFields = fieldsAndValues.length / 2;
    long totalElementLength = 0;
    for (byte[] element : fieldsAndValues) totalElementLength += element.length;
    if (totalElementLength > MAX_NODE_BYTES) return AppendError.TOO_LARGE;

    Map.Entry<Id, byte[]> tail = nodes.lastEntry();
    byte[] lp = tail == null ? null : tail.getValue();
    byte[] before = lp;
    if (lp != null) {
      long nodeMaxBytes = maxBytes == 0 || maxBytes > MAX_NODE_BYTES ? MAX_NODE_BYTES : maxBytes;
      boolean newNode = false;
      if (Listpack.total(lp) + totalElementLength >= nodeMaxBytes) {
        newNode = true;
      } else if (maxEntries > 0) {
        int p = Listpack.first(lp);
        long count = Listpack.integer(lp, p) + Listpack.integer(lp, Listpack.next(lp, p));
        if (count >= maxEntries) newNode = true;
      }
      if (newNode) {
        putNode(tail.getKey(), Listpack.trimmed(lp), lp);
        lp = null;
      }
    }
    int flags = 0;
    Id master;
    if (lp == null) {
      before = null;
      master = newId;
      int room = 64;
      for (byte[] element : fieldsAndValues) room += element.length + 3;
      lp = Listpack.create((int) Math.min(room * 2L, Math.max(room, maxBytes > 0 ? maxBytes : 4096)));
      lp = Listpack.appendInteger(lp, 1);
      lp = Listpack.appendInteger(lp, 0);
      lp = Listpack.appendInteger(lp, numFields);
      for (int i = 0; i < numFields; i++) lp = Listpack.append(lp, Listpack.encodeString(fieldsAndValues[2 * i]));
      lp = Listpack.appendInteger(lp, 0);
      flags |= FLAG_SAMEFIELDS;
    } else {
      master = tail.getKey();
      int p = Listpack.first(lp);
      lp = Listpack.replaceInteger(lp, p, Listpack.integer(lp, p) + 1);
      p = Listpack.next(lp, p);
      p = Listpack.next(lp, p);
      long masterFields = Listpack.integer(lp, p);
      p = Listpack.next(lp, p);
      if (numFields == masterFields) {
        int i;
        for (i = 0; i < masterFields; i++) {
          if (!Listpack.equalsBytes(lp, p, fieldsAndValues[2 * i])) break;
          p = Listpack.next(lp, p);
        }
        if (i == masterFields) flags |= FLAG_SAMEFIELDS;
      }
    }
    boolean same = (flags & FLAG_SAMEFIELDS) != 0;
    lp = Listpack.appendInteger(lp, flags);
    lp = Listpack.appendInteger(lp, newId.ms - master.ms);
    lp = Listpack.appendInteger(lp, newId.seq - master.seq);
    if (!same) lp = Listpack.appendInteger(lp, numFields);
    for (int i = 0; i < numFields; i++) {
      if (!same) lp = Listpack.append(lp, Listpack.encodeString(fieldsAndValues[2 * i]));
      lp = Listpack.append(lp, Listpack.encodeString(fieldsAndValues[2 * i + 1]));
    }
    long lpCount = numFields + 3 + (same ? 0 : numFields + 1);
    lp = Listpack.appendInteger(lp, lpCount);
    putNode(master, lp, before);
    length++;
    entriesAdded++;
    lastId = newId;
    if (length == 1) firstId = newId;
    return newId;
  }

  // ---- iterating --------------------------------------------------------------------------------------------

  /**
   * streamIterator: the entries from {@code start} to {@code end} (inclusive; null for the ends), forwards or
   * backwards, tombstones skipped unless asked for.
   */
  public final class Cursor {
    private final Id start;
    private final Id end;
    private final boolean rev;
    private final boolean skipTombstones;
    private Iterator<Map.Entry<Id, byte[]>> nodeIterator;
    private Id master;
    private byte[] lp;
    private int ele = -1;
    private long masterFieldsCount;
    private int masterFieldsStart;
    private int flagsAt;
    private int entryFlags;
    private long numFields;
    private Id nodeKey;

    Cursor(Id start, Id end, boolean rev, boolean skipTombstones) {
      this.start = start == null ? Id.MIN : start;
      this.end = end == null ? Id.MAX : end;
      this.rev = rev;
      this.skipTombstones = skipTombstones;
      if (!rev) {
        Id from = start != null && !start.isZero() ? nodes.floorKey(start) : null;
        nodeIterator = (from == null ? nodes : nodes.tailMap(from, true)).entrySet().iterator();
      } else {
        Id from = end != null && !end.isZero() ? nodes.floorKey(end) : null;
        nodeIterator = (from == null ? nodes.descendingMap() : nodes.headMap(from, true).descendingMap())
            .entrySet().iterator();
      }
    }

    /** The next entry's id (its fields then through {@link #fields}), or null at the end. */
    public Id next() {
      while (true) {
        if (lp == null || ele < 0) {
          if (!nodeIterator.hasNext()) return null;
          Map.Entry<Id, byte[]> node = nodeIterator.next();
          nodeKey = node.getKey();
          master = nodeKey;
          lp = node.getValue();
          ele = Listpack.first(lp);
          ele = Listpack.next(lp, ele);
          ele = Listpack.next(lp, ele);
          masterFieldsCount = Listpack.integer(lp, ele);
          ele = Listpack.next(lp, ele);
          masterFieldsStart = ele;
          if (!rev) {
            for (long i = 0; i < masterFieldsCount; i++) ele = Listpack.next(lp, ele);
          } else {
            ele = Listpack.last(lp);
          }
        } else if (rev) {
          long lpCount = Listpack.integer(lp, ele);
          while (lpCount-- > 0) ele = Listpack.prev(lp, ele);
          ele = Listpack.prev(lp, ele);
        }
        while (true) {
          if (!rev) {
            ele = Listpack.next(lp, ele);
            if (ele < 0) break;
          } else {
            long lpCount = Listpack.integer(lp, ele);
            if (lpCount == 0) {
              lp = null;
              ele = -1;
              break;
            }
            while (lpCount-- > 0) ele = Listpack.prev(lp, ele);
          }
          flagsAt = ele;
          int flags = (int) Listpack.integer(lp, ele);
          ele = Listpack.next(lp, ele);
          long ms = master.ms + Listpack.integer(lp, ele);
          ele = Listpack.next(lp, ele);
          long seq = master.seq + Listpack.integer(lp, ele);
          ele = Listpack.next(lp, ele);
          Id id = new Id(ms, seq);
          if ((flags & FLAG_SAMEFIELDS) != 0) {
            numFields = masterFieldsCount;
          } else {
            numFields = Listpack.integer(lp, ele);
            ele = Listpack.next(lp, ele);
          }
          boolean visible = !skipTombstones || (flags & FLAG_DELETED) == 0;
          if (!rev) {
            if (id.compareTo(start) >= 0 && visible) {
              if (id.compareTo(end) > 0) return null;
              entryFlags = flags;
              return id;
            }
          } else {
            if (id.compareTo(end) <= 0 && visible) {
              if (id.compareTo(start) < 0) return null;
              entryFlags = flags;
              return id;
            }
          }
          if (!rev) {
            long discard = (flags & FLAG_SAMEFIELDS) != 0 ? numFields : numFields * 2;
            for (long i = 0; i < discard; i++) ele = Listpack.next(lp, ele);
          } else {
            int prevTimes = 4;
            if ((flags & FLAG_SAMEFIELDS) == 0) prevTimes++;
            while (prevTimes-- > 0) ele = Listpack.prev(lp, ele);
          }
        }
      }
    }

    /** The fields and values of the entry {@link #next} returned, alternating (streamIteratorGetField for each). */
    public byte[][] fields() {
      byte[][] out = new byte[(int) numFields * 2][];
      int masterPtr = masterFieldsStart;
      boolean same = (entryFlags & FLAG_SAMEFIELDS) != 0;
      for (int i = 0; i < numFields; i++) {
        if (same) {
          out[2 * i] = Listpack.bytes(lp, masterPtr);
          masterPtr = Listpack.next(lp, masterPtr);
        } else {
          out[2 * i] = Listpack.bytes(lp, ele);
          ele = Listpack.next(lp, ele);
        }
        out[2 * i + 1] = Listpack.bytes(lp, ele);
        ele = Listpack.next(lp, ele);
      }
      return out;
    }

    public boolean deleted() {
      return (entryFlags & FLAG_DELETED) != 0;
    }

    /** streamIteratorRemoveEntry for the entry just returned: flags it deleted, or drops its node with its last one. */
    void removeCurrent() {
      byte[] node = lp;
      node = Listpack.replaceInteger(node, flagsAt, entryFlags | FLAG_DELETED);
      int p = Listpack.first(node);
      long live = Listpack.integer(node, p);
      if (live == 1) {
        nodeArrayBytes -= nodes.remove(nodeKey).length;
      } else {
        node = Listpack.replaceInteger(node, p, live - 1);
        p = Listpack.next(node, p);
        node = Listpack.replaceInteger(node, p, Listpack.integer(node, p) + 1);
        putNode(nodeKey, node, nodes.get(nodeKey));
      }
      length--;
      lp = null;
      ele = -1;
    }
  }

  public Cursor cursor(Id start, Id end, boolean rev) {
    return new Cursor(start, end, rev, true);
  }

  /** Up to {@code count} entries (0: all) from {@code start} to {@code end}. */
  public List<Item> range(Id start, Id end, long count, boolean rev) {
    List<Item> out = new ArrayList<>();
    Cursor cursor = cursor(start, end, rev);
    for (Id id = cursor.next(); id != null; id = cursor.next()) {
      out.add(new Item(id, cursor.fields()));
      if (count > 0 && out.size() >= count) break;
    }
    return out;
  }

  /** The entry with this id, if it exists and is not deleted. */
  public Item get(Id id) {
    Cursor cursor = cursor(id, id, false);
    Id found = cursor.next();
    return found == null ? null : new Item(found, cursor.fields());
  }

  public boolean exists(Id id) {
    return new Cursor(id, id, false, true).next() != null;
  }

  /**
   * streamGetEdgeID: the first or last entry's id (tombstones too, unless skipped); when there is none, the
   * largest id for the first and 0-0 for the last, as Redis answers.
   */
  public Id edge(boolean first, boolean skipTombstones) {
    Id id = new Cursor(null, null, !first, skipTombstones).next();
    return id != null ? id : first ? Id.MAX : Id.MIN;
  }

  /** streamLastValidID. */
  public Id lastValidId() {
    Id id = new Cursor(null, null, true, true).next();
    return id == null ? Id.MIN : id;
  }

  /** streamDeleteItem, with XDEL's bookkeeping of the first and largest deleted ids left to {@link #delete}. */
  private boolean deleteItem(Id id) {
    Cursor cursor = new Cursor(id, id, false, true);
    if (cursor.next() == null) return false;
    cursor.removeCurrent();
    return true;
  }

  /** XDEL: deletes those of the ids that exist; answers how many. */
  public int delete(List<Id> ids) {
    int deleted = 0;
    boolean firstEntry = false;
    for (Id id : ids) {
      if (deleteItem(id)) {
        if (id.equals(firstId)) firstEntry = true;
        if (id.compareTo(maxDeletedId) > 0) maxDeletedId = id;
        deleted++;
      }
    }
    if (deleted > 0) {
      if (length == 0) firstId = Id.MIN;
      else if (firstEntry) firstId = edge(true, true);
    }
    return deleted;
  }

  // ---- trimming ---------------------------------------------------------------------------------------------

  public static final int TRIM_MAXLEN = 1;
  public static final int TRIM_MINID = 2;

  /** streamTrim: by MAXLEN (keep {@code maxLen}) or MINID (drop ids below {@code minId}); answers how many went. */
  public long trim(int strategy, long maxLen, Id minId, boolean approx, long limit) {
    long deleted = 0;
    Iterator<Map.Entry<Id, byte[]>> it = nodes.entrySet().iterator();
    while (it.hasNext()) {
      if (strategy == TRIM_MAXLEN && length <= maxLen) break;
      Map.Entry<Id, byte[]> node = it.next();
      byte[] lp = node.getValue();
      int p = Listpack.first(lp);
      long entries = Listpack.integer(lp, p);
      if (limit > 0 && deleted + entries > limit) break;
      Id master = node.getKey();
      boolean removeNode;
      if (strategy == TRIM_MAXLEN) {
        removeNode = length - entries >= maxLen;
      } else {
        removeNode = lastIdOfNode(master, lp).compareTo(minId) < 0;
      }
      if (removeNode) {
        it.remove();
        nodeArrayBytes -= lp.length;
        length -= entries;
        deleted += entries;
        continue;
      }
      if (approx) break;
      long deletedFromNode = 0;
      p = Listpack.next(lp, p);
      p = Listpack.next(lp, p);
      long masterFields = Listpack.integer(lp, p);
      p = Listpack.next(lp, p);
      for (long j = 0; j < masterFields; j++) p = Listpack.next(lp, p);
      p = Listpack.next(lp, p);
      while (p >= 0) {
        int flagsAt = p;
        long flags = Listpack.integer(lp, p);
        p = Listpack.next(lp, p);
        long msDelta = Listpack.integer(lp, p);
        p = Listpack.next(lp, p);
        long seqDelta = Listpack.integer(lp, p);
        p = Listpack.next(lp, p);
        boolean stop = strategy == TRIM_MAXLEN ? length <= maxLen
            : new Id(master.ms + msDelta, master.seq + seqDelta).compareTo(minId) >= 0;
        if (stop) break;
        long skip;
        if ((flags & FLAG_SAMEFIELDS) != 0) {
          skip = masterFields;
        } else {
          skip = Listpack.integer(lp, p) * 2;
          p = Listpack.next(lp, p);
        }
        while (skip-- > 0) p = Listpack.next(lp, p);
        p = Listpack.next(lp, p);
        if ((flags & FLAG_DELETED) == 0) {
          // The flags' value stays below 128, so its size and every position after it stay the same.
          lp = Listpack.replaceInteger(lp, flagsAt, flags | FLAG_DELETED);
          deletedFromNode++;
          length--;
        }
      }
      deleted += deletedFromNode;
      p = Listpack.first(lp);
      lp = Listpack.replaceInteger(lp, p, entries - deletedFromNode);
      p = Listpack.next(lp, p);
      lp = Listpack.replaceInteger(lp, p, Listpack.integer(lp, p) + deletedFromNode);
      nodeArrayBytes += lp.length - node.getValue().length;
      node.setValue(lp);
      break;
    }
    if (length == 0) firstId = Id.MIN;
    else if (deleted > 0) firstId = edge(true, true);
    return deleted;
  }

  /** lpGetEdgeStreamID(last): the id of the node's last entry, deleted or not; the master id for none. */
  private static Id lastIdOfNode(Id master, byte[] lp) {
    int p = Listpack.last(lp);
    long lpCount = Listpack.integer(lp, p);
    if (lpCount == 0) return master;
    while (lpCount-- > 0) p = Listpack.prev(lp, p);
    p = Listpack.next(lp, p);
    long ms = master.ms + Listpack.integer(lp, p);
    p = Listpack.next(lp, p);
    return new Id(ms, master.seq + Listpack.integer(lp, p));
  }

  // ---- consumer group arithmetic ----------------------------------------------------------------------------

  /** streamRangeHasTombstones: whether a deleted entry may lie between {@code start} and the end. */
  public boolean rangeHasTombstones(Id start) {
    if (length == 0 || maxDeletedId.isZero()) return false;
    if (firstId.compareTo(maxDeletedId) > 0) return false;
    Id from = start == null ? Id.MIN : start;
    return from.compareTo(maxDeletedId) <= 0;
  }

  /** streamEstimateDistanceFromFirstEverEntry. */
  public long estimateDistanceFromFirstEverEntry(Id id) {
    if (entriesAdded == 0) return 0;
    if (length == 0 && id.compareTo(lastId) < 1) return entriesAdded;
    int cmpLast = id.compareTo(lastId);
    if (cmpLast == 0) return entriesAdded;
    if (cmpLast > 0) return INVALID_ENTRIES_READ;
    int cmpIdFirst = id.compareTo(firstId);
    int cmpXdelFirst = maxDeletedId.compareTo(firstId);
    if (maxDeletedId.isZero() || cmpXdelFirst < 0) {
      if (cmpIdFirst < 0) return entriesAdded - length;
      if (cmpIdFirst == 0) return entriesAdded - length + 1;
    }
    return INVALID_ENTRIES_READ;
  }

  /** A group's lag (streamReplyWithCGLag), or null when it cannot be told. */
  public Long lag(Group group) {
    if (entriesAdded == 0) return 0L;
    if (group.entriesRead != INVALID_ENTRIES_READ && !rangeHasTombstones(group.lastId)) {
      return entriesAdded - group.entriesRead;
    }
    long read = estimateDistanceFromFirstEverEntry(group.lastId);
    return read == INVALID_ENTRIES_READ ? null : entriesAdded - read;
  }

  /** The group has read up to {@code id}: its last id and its count of entries read move on, as Redis counts. */
  public void advance(Group group, Id id) {
    if (group.entriesRead != INVALID_ENTRIES_READ && !rangeHasTombstones(id)) {
      group.entriesRead++;
    } else if (entriesAdded != 0) {
      group.entriesRead = estimateDistanceFromFirstEverEntry(id);
    }
    group.lastId = id;
  }

  // ---- copying and sizes ------------------------------------------------------------------------------------

  /** streamDup: an independent copy, groups, consumers and pending entries included. */
  public RedisStream copy() {
    RedisStream copy = new RedisStream();
    for (Map.Entry<Id, byte[]> node : nodes.entrySet()) copy.nodes.put(node.getKey(), node.getValue().clone());
    copy.nodeArrayBytes = nodeArrayBytes;
    copy.length = length;
    copy.lastId = lastId;
    copy.firstId = firstId;
    copy.maxDeletedId = maxDeletedId;
    copy.entriesAdded = entriesAdded;
    if (groups == null) return copy;
    for (Map.Entry<byte[], Group> named : groups.entrySet()) {
      Group group = named.getValue();
      Group target = copy.createGroup(named.getKey(), group.lastId, group.entriesRead);
      for (Map.Entry<Id, Nack> pending : group.pel.entrySet()) {
        target.pel.put(pending.getKey(), new Nack(pending.getValue().deliveryTime, pending.getValue().deliveryCount,
            null));
      }
      for (Consumer consumer : group.consumers.values()) {
        Consumer made = new Consumer(consumer.name.clone(), consumer.seenTime);
        target.consumers.put(made.name, made);
        for (Id id : consumer.pel.keySet()) {
          Nack nack = target.pel.get(id);
          nack.consumer = made;
          made.pel.put(id, nack);
        }
      }
    }
    return copy;
  }

  /** The bytes of every node's array, room included (the memory estimate). */
  public long nodeArrayBytes() {
    return nodeArrayBytes;
  }

  /**
   * The node count of the radix tree Redis would hold for these master ids (XINFO STREAM's radix-tree-nodes): a
   * compressed radix tree over the 16-byte big-endian keys, with a node per branching point, per run of bytes
   * after one and per key.
   */
  public long radixTreeNodes() {
    if (nodes.isEmpty()) return 1;
    List<byte[]> keys = new ArrayList<>(nodes.size());
    for (Id id : nodes.keySet()) keys.add(encode(id));
    return 1 + subtree(keys, 0, keys.size(), 0);
  }

  /**
   * Nodes below the position at {@code depth} shared by keys[from..to) (the position itself not counted): where it
   * branches, each child position is a node, plus the end of the run of bytes below it when that run is longer than
   * one byte.
   */
  private static long subtree(List<byte[]> keys, int from, int to, int depth) {
    if (depth == 16) return 0;
    // The run of bytes all these keys share from here on.
    int common = depth;
    byte[] a = keys.get(from);
    byte[] b = keys.get(to - 1);
    while (common < 16 && a[common] == b[common]) common++;
    if (common > depth) {
      // A compressed node from here to 'common', then the node at 'common' (counted here).
      return 1 + subtree(keys, from, to, common);
    }
    long count = 0;
    int i = from;
    while (i < to) {
      int j = i + 1;
      while (j < to && keys.get(j)[depth] == keys.get(i)[depth]) j++;
      // The child position after this byte is a node; what lies below it follows.
      count += 1 + subtree(keys, i, j, depth + 1);
      i = j;
    }
    return count;
  }

  static byte[] encode(Id id) {
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (id.ms >>> (56 - 8 * i));
      out[8 + i] = (byte) (id.seq >>> (56 - 8 * i));
    }
    return out;
  }

  public static Id decode(byte[] key) {
    long ms = 0;
    long seq = 0;
    for (int i = 0; i < 8; i++) {
      ms = ms << 8 | (key[i] & 0xFF);
      seq = seq << 8 | (key[8 + i] & 0xFF);
    }
    return new Id(ms, seq);
  }

  /** The master id as the RDB's 16-byte key. */
  public static byte[] key(Id id) {
    return encode(id);
  }

  /** Whether a loaded node listpack has the layout of a stream node (streamValidateListpackIntegrity, deep). */
  public static boolean validNode(byte[] lp) {
    try {
      if (!Listpack.valid(lp)) return false;
      int p = Listpack.first(lp);
      if (p < 0) return false;
      long entries = Listpack.integer(lp, p);
      p = Listpack.next(lp, p);
      long deleted = Listpack.integer(lp, p);
      p = Listpack.next(lp, p);
      long masterFields = Listpack.integer(lp, p);
      p = Listpack.next(lp, p);
      for (long j = 0; j < masterFields; j++) p = Listpack.next(lp, p);
      if (Listpack.integer(lp, p) != 0) return false;
      p = Listpack.next(lp, p);
      long total = entries + deleted;
      while (total-- > 0) {
        if (p < 0) return false;
        long fields = masterFields;
        long extra = 3;
        long flags = Listpack.integer(lp, p);
        p = Listpack.next(lp, p);
        Listpack.integer(lp, p);
        p = Listpack.next(lp, p);
        Listpack.integer(lp, p);
        p = Listpack.next(lp, p);
        if ((flags & FLAG_SAMEFIELDS) == 0) {
          fields = Listpack.integer(lp, p);
          p = Listpack.next(lp, p);
          for (long j = 0; j < fields; j++) p = Listpack.next(lp, p);
          extra += fields + 1;
        }
        for (long j = 0; j < fields; j++) p = Listpack.next(lp, p);
        if (Listpack.integer(lp, p) != fields + extra) return false;
        p = Listpack.next(lp, p);
      }
      return p < 0;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
