package org.akkaredis.keyspace;

import java.util.Arrays;

/**
 * A list value: a ring buffer of elements, O(1) at both ends and by index. Redis 7.0 reports every list as
 * {@code quicklist}, whatever its size.
 */
public final class RedisList {
  private byte[][] items = new byte[8][];
  private int head;
  private int size;
  /** Its elements' arrays as the dataset estimate counts them, kept with every change ({@link MemoryUsage#tracked}). */
  private long elementBytes;

  public int size() {
    return size;
  }

  /** The ring buffer's length (a power of two, at least 8): what the list's array takes whatever its size. */
  int capacity() {
    return items.length;
  }

  public byte[] get(int index) {
    return items[(head + index) & (items.length - 1)];
  }

  public void set(int index, byte[] value) {
    int at = (head + index) & (items.length - 1);
    elementBytes += MemoryUsage.tracked(value.length) - MemoryUsage.tracked(items[at].length);
    items[at] = value;
  }

  /** {@link #set} for a shift inside the list: the same elements, so the same bytes. */
  private void move(int index, byte[] value) {
    items[(head + index) & (items.length - 1)] = value;
  }

  long elementBytes() {
    return elementBytes;
  }

  public void push(boolean left, byte[] value) {
    grow();
    elementBytes += MemoryUsage.tracked(value.length);
    if (left) {
      head = (head - 1) & (items.length - 1);
      items[head] = value;
    } else {
      items[(head + size) & (items.length - 1)] = value;
    }
    size++;
  }

  /** Removes and returns the first (left) or last element; the list must not be empty. */
  public byte[] pop(boolean left) {
    int at = left ? head : (head + size - 1) & (items.length - 1);
    byte[] value = items[at];
    items[at] = null;
    if (left) head = (head + 1) & (items.length - 1);
    size--;
    elementBytes -= MemoryUsage.tracked(value.length);
    return value;
  }

  /** Inserts before position {@code index} (0..size), shifting the later elements. */
  public void insert(int index, byte[] value) {
    push(false, value);
    for (int i = size - 1; i > index; i--) move(i, get(i - 1));
    move(index, value);
  }

  /** Removes the element at {@code index}, shifting the later elements. */
  public void remove(int index) {
    byte[] removed = get(index);
    for (int i = index; i < size - 1; i++) move(i, get(i + 1));
    // The last slot now repeats the one before it: it goes, and the removed element's bytes with it.
    move(size - 1, removed);
    pop(false);
  }

  /** Keeps only the elements from {@code start} to {@code end} inclusive (0 ≤ start ≤ end < size). */
  public void trim(int start, int end) {
    for (int i = size - 1; i > end; i--) pop(false);
    for (int i = 0; i < start; i++) pop(true);
  }

  public RedisList copy() {
    RedisList copy = new RedisList();
    copy.items = new byte[items.length][];
    for (int i = 0; i < size; i++) copy.items[i] = get(i);
    copy.size = size;
    copy.elementBytes = elementBytes;
    return copy;
  }

  private void grow() {
    if (size < items.length) return;
    byte[][] bigger = new byte[items.length * 2][];
    for (int i = 0; i < size; i++) bigger[i] = get(i);
    items = bigger;
    head = 0;
  }

  @Override public String toString() {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < size; i++) text.append(i == 0 ? "" : ", ").append(new String(get(i)));
    return text.append(']').toString();
  }

  /** The elements in order; for tests. */
  public byte[][] toArray() {
    byte[][] out = new byte[size][];
    for (int i = 0; i < size; i++) out[i] = get(i);
    return Arrays.copyOf(out, size);
  }
}
