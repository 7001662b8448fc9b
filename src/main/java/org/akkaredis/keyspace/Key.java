package org.akkaredis.keyspace;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A key or hash field: bytes compared by content, with the hash computed once. */
public final class Key implements Comparable<Key> {
  private final byte[] bytes;
  private final int hash;
  /** The hash slot, computed on first use (a command looks a key up more than once). */
  private int slot = -1;

  public Key(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** A key whose content hash ({@link java.util.Arrays#hashCode(byte[])}) is already known. */
  Key(byte[] bytes, int hash) {
    this.bytes = bytes;
    this.hash = hash;
  }

  public static Key of(String text) {
    return new Key(text.getBytes(StandardCharsets.UTF_8));
  }

  public byte[] bytes() {
    return bytes;
  }

  public int slot() {
    if (slot < 0) slot = Slots.slotOf(bytes);
    return slot;
  }

  @Override public boolean equals(Object o) {
    return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
  }

  @Override public int hashCode() {
    return hash;
  }

  @Override public int compareTo(Key other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override public String toString() {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
