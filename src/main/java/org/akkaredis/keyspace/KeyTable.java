package org.akkaredis.keyspace;

import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * A hash table of objects that each carry their own {@link Key} (a keyspace {@link Entry}, a sorted set's skip-list
 * node): open addressing with linear probing in one array of references, so an element costs one slot of the
 * array and no map node beside it (a HashMap would add a 32-byte node per element). The capacity is a power of
 * two, doubled when more than three quarters are taken, as HashMap's table grows ({@link MemoryUsage#tableCapacity}),
 * and never shrunk; a removal shifts the following run back, so there are no tombstones. Iteration is in table
 * order; the table must not change during an iteration.
 */
abstract class KeyTable<T> {
  private static final int MIN_CAPACITY = 16;
  private Object[] table = new Object[MIN_CAPACITY];
  private int size;

  /** The key an element is stored under (it must not change while the element is in the table). */
  abstract Key keyOf(T element);

  final int size() {
    return size;
  }

  final boolean isEmpty() {
    return size == 0;
  }

  /** Slots in the table (what it takes in memory: this many references). */
  final int capacity() {
    return table.length;
  }

  private static int home(Key key, int mask) {
    int h = key.hashCode() * 0x9E3779B9;
    return (h ^ h >>> 16) & mask;
  }

  /** The slot holding the key's element, or {@code -(slot + 1)} for the free slot where it would go. */
  @SuppressWarnings("unchecked")
  private int find(Key key) {
    Object[] t = table;
    int mask = t.length - 1;
    int i = home(key, mask);
    for (; t[i] != null; i = (i + 1) & mask) {
      if (keyOf((T) t[i]).equals(key)) return i;
    }
    return -(i + 1);
  }

  @SuppressWarnings("unchecked")
  final T get(Key key) {
    int i = find(key);
    return i < 0 ? null : (T) table[i];
  }

  final boolean containsKey(Key key) {
    return find(key) >= 0;
  }

  /** Stores an element, replacing the one under the same key; returns the one replaced, or null. */
  @SuppressWarnings("unchecked")
  final T put(T element) {
    int i = find(keyOf(element));
    if (i >= 0) {
      T old = (T) table[i];
      table[i] = element;
      return old;
    }
    if (size + 1 > table.length / 4 * 3) {
      grow();
      insertNew(element);
    } else {
      table[-(i + 1)] = element;
    }
    size++;
    return null;
  }

  /** Removes the element under a key; returns it, or null. */
  @SuppressWarnings("unchecked")
  final T remove(Key key) {
    int i = find(key);
    if (i < 0) return null;
    T old = (T) table[i];
    shiftBack(i);
    size--;
    return old;
  }

  /** Empties the table, back to its first capacity. */
  final void clear() {
    table = new Object[MIN_CAPACITY];
    size = 0;
  }

  /** Fills the hole at {@code hole} with later elements of its run that may move there (Knuth's algorithm R). */
  @SuppressWarnings("unchecked")
  private void shiftBack(int hole) {
    Object[] t = table;
    int mask = t.length - 1;
    for (int j = (hole + 1) & mask; t[j] != null; j = (j + 1) & mask) {
      int home = home(keyOf((T) t[j]), mask);
      // t[j] may fill the hole unless its home lies cyclically in (hole, j].
      boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        t[hole] = t[j];
        hole = j;
      }
    }
    t[hole] = null;
  }

  @SuppressWarnings("unchecked")
  private void grow() {
    Object[] old = table;
    table = new Object[old.length * 2];
    for (Object o : old) if (o != null) insertNew((T) o);
  }

  private void insertNew(T element) {
    Object[] t = table;
    int mask = t.length - 1;
    int i = home(keyOf(element), mask);
    while (t[i] != null) i = (i + 1) & mask;
    t[i] = element;
  }

  @SuppressWarnings("unchecked")
  final void forEach(Consumer<? super T> consumer) {
    for (Object o : table) if (o != null) consumer.accept((T) o);
  }

  final Iterator<T> iterator() {
    Object[] t = table;
    return new Iterator<>() {
      private int next = advance(0);

      private int advance(int from) {
        while (from < t.length && t[from] == null) from++;
        return from;
      }

      @Override public boolean hasNext() {
        return next < t.length;
      }

      @SuppressWarnings("unchecked")
      @Override public T next() {
        if (next >= t.length) throw new NoSuchElementException();
        T element = (T) t[next];
        next = advance(next + 1);
        return element;
      }
    };
  }

  /** The elements, as a read-only collection over the table. */
  final Collection<T> values() {
    return new AbstractCollection<>() {
      @Override public Iterator<T> iterator() {
        return KeyTable.this.iterator();
      }

      @Override public int size() {
        return size;
      }
    };
  }

  /** The keys, as a read-only collection over the table. */
  final Collection<Key> keys() {
    return new AbstractCollection<>() {
      @Override public Iterator<Key> iterator() {
        Iterator<T> elements = KeyTable.this.iterator();
        return new Iterator<>() {
          @Override public boolean hasNext() {
            return elements.hasNext();
          }

          @Override public Key next() {
            return keyOf(elements.next());
          }
        };
      }

      @Override public int size() {
        return size;
      }
    };
  }
}
