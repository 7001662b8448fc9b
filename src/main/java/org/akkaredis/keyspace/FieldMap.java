package org.akkaredis.keyspace;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A hash's fields in insertion order, compactly (as CPython's dict): the fields' bytes, values and hashes in three
 * parallel arrays in the order they came, and an open-addressing index of positions into them. A field costs its
 * two byte arrays, 12 bytes in the parallel arrays and a slot of the index; no {@link Key} or map node is kept per
 * field (a LinkedHashMap takes a 40-byte entry and a 24-byte Key more). A removed field leaves a hole, reclaimed when
 * the arrays fill up; the index has none (a removal shifts its run back). The Keys it hands out are made on the
 * fly, with the stored hash. Iteration follows insertion order, as LinkedHashMap's; a change other than through the
 * iterator during an iteration throws ConcurrentModificationException.
 */
public final class FieldMap extends AbstractMap<Key, byte[]> {
  private static final byte[][] NO_BYTES = new byte[0][];
  private static final int[] NO_INTS = new int[0];

  private byte[][] names = NO_BYTES;
  private byte[][] values = NO_BYTES;
  private int[] hashes = NO_INTS;
  /** Positions + 1 (0: a free slot); its length is a power of two, at most three quarters taken. */
  private int[] index = NO_INTS;
  /** Positions used in the parallel arrays, holes included. */
  private int end;
  private int size;
  private int modCount;
  /**
   * Its names' and values' arrays as the dataset estimate counts them, kept with every change
   * ({@link MemoryUsage#tracked}).
   */
  private long fieldBytes;
  /** New fields added so far (HSCAN's index is rebuilt after one). */
  long insertions;

  @Override public int size() {
    return size;
  }

  long fieldBytes() {
    return fieldBytes;
  }

  /** Length of the parallel arrays (for the memory estimate). */
  int arrayCapacity() {
    return names.length;
  }

  /** Slots of the index (for the memory estimate). */
  int indexCapacity() {
    return index.length;
  }

  private static int home(int hash, int mask) {
    int h = hash * 0x9E3779B9;
    return (h ^ h >>> 16) & mask;
  }

  /** The index slot holding the field, or -1. */
  private int slotOf(byte[] field, int hash) {
    int[] ix = index;
    if (ix.length == 0) return -1;
    int mask = ix.length - 1;
    for (int i = home(hash, mask); ; i = (i + 1) & mask) {
      int p = ix[i] - 1;
      if (p < 0) return -1;
      if (hashes[p] == hash && java.util.Arrays.equals(names[p], field)) return i;
    }
  }

  @Override public byte[] get(Object o) {
    if (!(o instanceof Key key)) return null;
    int slot = slotOf(key.bytes(), key.hashCode());
    return slot < 0 ? null : values[index[slot] - 1];
  }

  @Override public boolean containsKey(Object o) {
    return o instanceof Key key && slotOf(key.bytes(), key.hashCode()) >= 0;
  }

  @Override public byte[] put(Key key, byte[] value) {
    if (value == null) throw new NullPointerException("a field's value");
    int hash = key.hashCode();
    int slot = slotOf(key.bytes(), hash);
    if (slot >= 0) {
      int p = index[slot] - 1;
      byte[] old = values[p];
      values[p] = value;
      fieldBytes += MemoryUsage.tracked(value.length) - MemoryUsage.tracked(old.length);
      return old;
    }
    if (end == names.length) makeRoom();
    if ((size + 1) > index.length / 4 * 3) reindex(Math.max(8, index.length * 2));
    names[end] = key.bytes();
    values[end] = value;
    hashes[end] = hash;
    fieldBytes += MemoryUsage.tracked(key.bytes().length) + MemoryUsage.tracked(value.length);
    end++;
    insertInIndex(end - 1);
    size++;
    insertions++;
    modCount++;
    return null;
  }

  @Override public byte[] remove(Object o) {
    if (!(o instanceof Key key)) return null;
    int slot = slotOf(key.bytes(), key.hashCode());
    if (slot < 0) return null;
    int p = index[slot] - 1;
    byte[] old = values[p];
    removeAt(slot, p);
    modCount++;
    return old;
  }

  @Override public void clear() {
    names = NO_BYTES;
    values = NO_BYTES;
    hashes = NO_INTS;
    index = NO_INTS;
    end = 0;
    size = 0;
    fieldBytes = 0;
    modCount++;
  }

  private void removeAt(int slot, int p) {
    fieldBytes -= MemoryUsage.tracked(names[p].length) + MemoryUsage.tracked(values[p].length);
    names[p] = null;
    values[p] = null;
    size--;
    // A hole at the end is simply given back.
    while (end > 0 && names[end - 1] == null) end--;
    shiftBack(slot);
  }

  /** Fills the hole at {@code hole} of the index with later slots of its run that may move there. */
  private void shiftBack(int hole) {
    int[] ix = index;
    int mask = ix.length - 1;
    for (int j = (hole + 1) & mask; ix[j] != 0; j = (j + 1) & mask) {
      int home = home(hashes[ix[j] - 1], mask);
      boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        ix[hole] = ix[j];
        hole = j;
      }
    }
    ix[hole] = 0;
  }

  private void insertInIndex(int p) {
    int[] ix = index;
    int mask = ix.length - 1;
    int i = home(hashes[p], mask);
    while (ix[i] != 0) i = (i + 1) & mask;
    ix[i] = p + 1;
  }

  /**
   * The parallel arrays are full: squeeze the holes out if they are a quarter or more, else grow by half (from 4),
   * and rebuild the index over the new positions. Either way at least a quarter of the work is new room, so the
   * cost is O(1) amortized per insertion.
   */
  private void makeRoom() {
    int capacity = names.length;
    if (capacity == 0 || end - size < capacity / 4) capacity = capacity == 0 ? 4 : capacity + (capacity >> 1);
    byte[][] newNames = new byte[capacity][];
    byte[][] newValues = new byte[capacity][];
    int[] newHashes = new int[capacity];
    int n = 0;
    for (int p = 0; p < end; p++) {
      if (names[p] == null) continue;
      newNames[n] = names[p];
      newValues[n] = values[p];
      newHashes[n] = hashes[p];
      n++;
    }
    names = newNames;
    values = newValues;
    hashes = newHashes;
    end = n;
    reindex(Math.max(8, index.length));
  }

  private void reindex(int capacity) {
    index = new int[capacity];
    for (int p = 0; p < end; p++) if (names[p] != null) insertInIndex(p);
  }

  @Override public Set<Map.Entry<Key, byte[]>> entrySet() {
    return new AbstractSet<>() {
      @Override public Iterator<Map.Entry<Key, byte[]>> iterator() {
        return new FieldIterator();
      }

      @Override public int size() {
        return size;
      }
    };
  }

  /** Fields in insertion order; {@code remove} takes out the last one returned. */
  private final class FieldIterator implements Iterator<Map.Entry<Key, byte[]>> {
    private int next = skipHoles(0);
    private int last = -1;
    private int expectedModCount = modCount;

    private int skipHoles(int p) {
      while (p < end && names[p] == null) p++;
      return p;
    }

    @Override public boolean hasNext() {
      return next < end;
    }

    @Override public Map.Entry<Key, byte[]> next() {
      if (modCount != expectedModCount) throw new ConcurrentModificationException();
      if (next >= end) throw new NoSuchElementException();
      last = next;
      next = skipHoles(next + 1);
      return new Field(last);
    }

    @Override public void remove() {
      if (last < 0) throw new IllegalStateException();
      if (modCount != expectedModCount) throw new ConcurrentModificationException();
      removeAt(slotOf(names[last], hashes[last]), last);
      last = -1;
      next = skipHoles(next);
    }
  }

  /**
   * One field as a map entry, its value as it was when the iterator returned it (or set through it, as long as the
   * map has not changed otherwise since).
   */
  private final class Field implements Map.Entry<Key, byte[]> {
    private final int position;
    private final Key key;
    private byte[] value;

    Field(int position) {
      this.position = position;
      this.key = new Key(names[position], hashes[position]);
      this.value = values[position];
    }

    @Override public Key getKey() {
      return key;
    }

    @Override public byte[] getValue() {
      return value;
    }

    @Override public byte[] setValue(byte[] newValue) {
      if (newValue == null) throw new NullPointerException("a field's value");
      byte[] old = value;
      value = newValue;
      fieldBytes += MemoryUsage.tracked(newValue.length) - MemoryUsage.tracked(values[position].length);
      values[position] = newValue;
      return old;
    }

    @Override public boolean equals(Object o) {
      return o instanceof Map.Entry<?, ?> e && key.equals(e.getKey()) && value == e.getValue();
    }

    @Override public int hashCode() {
      return key.hashCode() ^ System.identityHashCode(value);
    }
  }
}
