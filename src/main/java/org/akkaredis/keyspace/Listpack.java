package org.akkaredis.keyspace;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.akkaredis.text.RedisNumbers;

/**
 * Redis's listpack (listpack.c) over a byte array, as the stream's nodes hold their entries: a header of the total
 * bytes (32 bits) and the element count (16 bits, 65535 once unknown), the elements, and 0xFF. An element is its
 * encoding (an integer, or a string's length) with its data, then "backlen", the length of the two in 7-bit groups,
 * so that the list can be walked backwards. The array may be longer than the listpack (room to append); the
 * header's total says where it ends. Positions are offsets of an element's first byte; -1 is "none".
 */
final class Listpack {
  private Listpack() {}

  static final int HEADER = 6;
  private static final int END = 0xFF;
  private static final int COUNT_UNKNOWN = 0xFFFF;

  /** An empty listpack with room for {@code capacity} bytes. */
  static byte[] create(int capacity) {
    byte[] lp = new byte[Math.max(HEADER + 1, capacity)];
    setTotal(lp, HEADER + 1);
    lp[HEADER] = (byte) END;
    return lp;
  }

  static int total(byte[] lp) {
    return (lp[0] & 0xFF) | (lp[1] & 0xFF) << 8 | (lp[2] & 0xFF) << 16 | (lp[3] & 0xFF) << 24;
  }

  private static void setTotal(byte[] lp, int total) {
    lp[0] = (byte) total;
    lp[1] = (byte) (total >>> 8);
    lp[2] = (byte) (total >>> 16);
    lp[3] = (byte) (total >>> 24);
  }

  private static int count(byte[] lp) {
    return (lp[4] & 0xFF) | (lp[5] & 0xFF) << 8;
  }

  private static void setCount(byte[] lp, int count) {
    lp[4] = (byte) count;
    lp[5] = (byte) (count >>> 8);
  }

  /** The listpack alone, without the room after it. */
  static byte[] trimmed(byte[] lp) {
    int total = total(lp);
    return lp.length == total ? lp : Arrays.copyOf(lp, total);
  }

  static int first(byte[] lp) {
    return (lp[HEADER] & 0xFF) == END ? -1 : HEADER;
  }

  /** The element after the one at {@code p}, or -1 at the end. */
  static int next(byte[] lp, int p) {
    int size = encodedSize(lp, p);
    int q = p + size + backlenSize(size);
    return (lp[q] & 0xFF) == END ? -1 : q;
  }

  /** The element before the one at {@code p}, or -1 at the start. */
  static int prev(byte[] lp, int p) {
    if (p == HEADER) return -1;
    int q = p - 1;
    long length = 0;
    int shift = 0;
    // backlen is read from its last byte backwards: 7 bits each, the high bit set on all but the first.
    while (true) {
      int b = lp[q] & 0xFF;
      length |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) break;
      shift += 7;
      q--;
    }
    return (int) (q - length);
  }

  static int last(byte[] lp) {
    int end = total(lp) - 1;
    return end == HEADER ? -1 : prev(lp, end);
  }

  /** The bytes of the encoding and data of the element at {@code p}, without its backlen. */
  static int encodedSize(byte[] lp, int p) {
    int e = lp[p] & 0xFF;
    if ((e & 0x80) == 0) return 1;
    if ((e & 0xC0) == 0x80) return 1 + (e & 0x3F);
    if ((e & 0xE0) == 0xC0) return 2;
    if ((e & 0xF0) == 0xE0) return 2 + (((e & 0x0F) << 8) | (lp[p + 1] & 0xFF));
    return switch (e) {
      case 0xF0 -> 5 + (int) littleEndian(lp, p + 1, 4);
      case 0xF1 -> 3;
      case 0xF2 -> 4;
      case 0xF3 -> 5;
      case 0xF4 -> 9;
      default -> throw new IllegalStateException("bad listpack encoding " + e);
    };
  }

  /**
   * lpValidateIntegrity, deep: the header's total is the array's length, every element lies inside it with a backlen
   * that says its size, the end marker is last, and the header's count (unless unknown) is the elements'.
   */
  static boolean valid(byte[] lp) {
    if (lp.length < HEADER + 1 || total(lp) != lp.length || (lp[lp.length - 1] & 0xFF) != END) return false;
    int p = HEADER;
    int count = 0;
    try {
      while (p < lp.length - 1) {
        int size = encodedSize(lp, p);
        int backlen = backlenSize(size);
        if (size <= 0 || (long) p + size + backlen > lp.length - 1) return false;
        int end = p + size + backlen;
        if (prev(lp, end) != p) return false;
        p = end;
        count++;
      }
    } catch (RuntimeException e) {
      return false;
    }
    return count(lp) == COUNT_UNKNOWN || count(lp) == count;
  }

  static int backlenSize(long l) {
    return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
  }

  private static long littleEndian(byte[] b, int at, int width) {
    long v = 0;
    for (int i = width - 1; i >= 0; i--) v = v << 8 | (b[at + i] & 0xFF);
    return v;
  }

  private static long signed(long v, int bits) {
    return v << (64 - bits) >> (64 - bits);
  }

  /** Whether the element at {@code p} is integer-encoded. */
  static boolean isInteger(byte[] lp, int p) {
    int e = lp[p] & 0xFF;
    return (e & 0x80) == 0 || (e & 0xE0) == 0xC0 || (e >= 0xF1 && e <= 0xF4);
  }

  /** The element's integer value (a string element is parsed, as lpGetInteger does). */
  static long integer(byte[] lp, int p) {
    int e = lp[p] & 0xFF;
    if ((e & 0x80) == 0) return e;
    if ((e & 0xE0) == 0xC0) return signed(((e & 0x1F) << 8) | (lp[p + 1] & 0xFF), 13);
    switch (e) {
      case 0xF1: return signed(littleEndian(lp, p + 1, 2), 16);
      case 0xF2: return signed(littleEndian(lp, p + 1, 3), 24);
      case 0xF3: return signed(littleEndian(lp, p + 1, 4), 32);
      case 0xF4: return littleEndian(lp, p + 1, 8);
      default:
        Long parsed = RedisNumbers.string2ll(bytes(lp, p));
        if (parsed == null) throw new IllegalStateException("listpack element is no integer");
        return parsed;
    }
  }

  /** The element as bytes: a string's own, an integer's decimal text. */
  static byte[] bytes(byte[] lp, int p) {
    if (isInteger(lp, p)) return Long.toString(integer(lp, p)).getBytes(StandardCharsets.US_ASCII);
    int e = lp[p] & 0xFF;
    int from;
    int length;
    if ((e & 0xC0) == 0x80) {
      from = p + 1;
      length = e & 0x3F;
    } else if ((e & 0xF0) == 0xE0) {
      from = p + 2;
      length = ((e & 0x0F) << 8) | (lp[p + 1] & 0xFF);
    } else {
      from = p + 5;
      length = (int) littleEndian(lp, p + 1, 4);
    }
    return Arrays.copyOfRange(lp, from, from + length);
  }

  /** Whether the element equals {@code value} as bytes. */
  static boolean equalsBytes(byte[] lp, int p, byte[] value) {
    return Arrays.equals(bytes(lp, p), value);
  }

  /** lpStringToInt64: the value if the bytes are an integer's canonical text, else null. */
  static Long canonicalInteger(byte[] s) {
    if (s.length == 0 || s.length >= 21) return null;
    if (s.length == 1 && s[0] == '0') return 0L;
    int i = 0;
    boolean negative = false;
    if (s[0] == '-') {
      negative = true;
      i++;
      if (i == s.length) return null;
    }
    if (s[i] < '1' || s[i] > '9') return null;
    long v = 0;
    for (; i < s.length; i++) {
      int d = s[i] - '0';
      if (d < 0 || d > 9) return null;
      if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) return null;
      v *= 10;
      if (Long.compareUnsigned(v, -1L - d) > 0) return null;
      v += d;
    }
    if (negative) {
      if (Long.compareUnsigned(v, Long.MIN_VALUE) > 0) return null;
      return -v;
    }
    return v < 0 ? null : v;
  }

  /** The encoding of an integer (lpEncodeIntegerGetType). */
  static byte[] encodeInteger(long v) {
    if (v >= 0 && v <= 127) return new byte[] {(byte) v};
    if (v >= -4096 && v <= 4095) {
      long u = v < 0 ? (1L << 13) + v : v;
      return new byte[] {(byte) ((u >> 8) | 0xC0), (byte) u};
    }
    int width;
    int tag;
    if (v >= -32768 && v <= 32767) {
      width = 2;
      tag = 0xF1;
    } else if (v >= -8388608 && v <= 8388607) {
      width = 3;
      tag = 0xF2;
    } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      width = 4;
      tag = 0xF3;
    } else {
      width = 8;
      tag = 0xF4;
    }
    byte[] out = new byte[1 + width];
    out[0] = (byte) tag;
    for (int i = 0; i < width; i++) out[1 + i] = (byte) (v >>> (8 * i));
    return out;
  }

  /** The encoding of a string element: as an integer if it is one's canonical text (lpEncodeGetType). */
  static byte[] encodeString(byte[] s) {
    Long integer = canonicalInteger(s);
    if (integer != null) return encodeInteger(integer);
    int n = s.length;
    byte[] out;
    int at;
    if (n < 64) {
      out = new byte[1 + n];
      out[0] = (byte) (0x80 | n);
      at = 1;
    } else if (n < 4096) {
      out = new byte[2 + n];
      out[0] = (byte) (0xE0 | (n >> 8));
      out[1] = (byte) n;
      at = 2;
    } else {
      out = new byte[5 + n];
      out[0] = (byte) 0xF0;
      for (int i = 0; i < 4; i++) out[1 + i] = (byte) (n >>> (8 * i));
      at = 5;
    }
    System.arraycopy(s, 0, out, at, n);
    return out;
  }

  /** The bytes an encoded element takes in the listpack, backlen included. */
  static int elementSize(byte[] encoded) {
    return encoded.length + backlenSize(encoded.length);
  }

  private static int writeElement(byte[] lp, int at, byte[] encoded) {
    System.arraycopy(encoded, 0, lp, at, encoded.length);
    at += encoded.length;
    long l = encoded.length;
    int size = backlenSize(l);
    // lpEncodeBacklen: the most significant group first, the high bit set on all bytes after it.
    for (int i = 0; i < size; i++) {
      int shift = 7 * (size - 1 - i);
      int b = (int) ((l >>> shift) & 127);
      lp[at + i] = (byte) (i == 0 ? b : b | 128);
    }
    return at + size;
  }

  /** Appends an element (encoded by {@link #encodeInteger} or {@link #encodeString}); may return a new array. */
  static byte[] append(byte[] lp, byte[] encoded) {
    int total = total(lp);
    int size = elementSize(encoded);
    if (total + size > lp.length) lp = Arrays.copyOf(lp, Math.max(total + size, lp.length + (lp.length >> 1)));
    writeElement(lp, total - 1, encoded);
    lp[total - 1 + size] = (byte) END;
    setTotal(lp, total + size);
    int count = count(lp);
    if (count < COUNT_UNKNOWN) setCount(lp, count + 1);
    return lp;
  }

  static byte[] appendInteger(byte[] lp, long v) {
    return append(lp, encodeInteger(v));
  }

  /**
   * Replaces the element at {@code p} by an integer (lpReplaceInteger); the elements after it move when the sizes
   * differ. May return a new array; {@code p} still points at the element.
   */
  static byte[] replaceInteger(byte[] lp, int p, long v) {
    byte[] encoded = encodeInteger(v);
    int oldEncoded = encodedSize(lp, p);
    int oldSize = oldEncoded + backlenSize(oldEncoded);
    int newSize = elementSize(encoded);
    int total = total(lp);
    if (newSize != oldSize) {
      int newTotal = total - oldSize + newSize;
      if (newTotal > lp.length) lp = Arrays.copyOf(lp, Math.max(newTotal, lp.length + (lp.length >> 1)));
      System.arraycopy(lp, p + oldSize, lp, p + newSize, total - p - oldSize);
      setTotal(lp, newTotal);
    }
    writeElement(lp, p, encoded);
    return lp;
  }
}
