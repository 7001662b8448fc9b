package org.akkaredis.keyspace;

/**
 * Redis 7.0's bitops.c as plain functions on a string's bytes: bit 0 is the most significant bit of the first
 * byte. Counting, searching, BITOP's combination, and BITFIELD's integers with their overflow rules.
 */
public final class Bitmaps {
  private Bitmaps() {}

  public static final int OVERFLOW_WRAP = 0;
  public static final int OVERFLOW_SAT = 1;
  public static final int OVERFLOW_FAIL = 2;

  public static final int AND = 0;
  public static final int OR = 1;
  public static final int XOR = 2;
  public static final int NOT = 3;

  /** The set bits of {@code count} bytes from {@code from}. */
  public static long popcount(byte[] s, int from, int count) {
    long bits = 0;
    int i = from;
    int end = from + count;
    for (; i + 8 <= end; i += 8) {
      long word = (s[i] & 0xFFL) | (s[i + 1] & 0xFFL) << 8 | (s[i + 2] & 0xFFL) << 16 | (s[i + 3] & 0xFFL) << 24
          | (s[i + 4] & 0xFFL) << 32 | (s[i + 5] & 0xFFL) << 40 | (s[i + 6] & 0xFFL) << 48 | (s[i + 7] & 0xFFL) << 56;
      bits += Long.bitCount(word);
    }
    for (; i < end; i++) bits += Integer.bitCount(s[i] & 0xFF);
    return bits;
  }

  /**
   * Redis's redisBitpos: the position of the first bit equal to {@code bit} in {@code count} bytes from
   * {@code from}; for 0 with none found, count*8 (the string is taken as zero-padded); for 1 with none, -1.
   */
  public static long bitpos(byte[] s, int from, int count, int bit) {
    int skip = bit == 1 ? 0 : 0xFF;
    for (int i = 0; i < count; i++) {
      int b = s[from + i] & 0xFF;
      if (b == skip) continue;
      for (int j = 7; j >= 0; j--) {
        if (((b >> j) & 1) == bit) return (long) i * 8 + (7 - j);
      }
    }
    return bit == 1 ? -1 : (long) count * 8;
  }

  /** BITCOUNT over a whole string or a range already parsed; see {@link #range}. */
  public static long bitcount(byte[] s, long[] range) {
    long start = range[0];
    long end = range[1];
    if (start > end) return 0;
    long count = popcount(s, (int) start, (int) (end - start + 1));
    int firstMask = (int) range[2];
    int lastMask = (int) range[3];
    if (firstMask != 0 || lastMask != 0) {
      // The bits of the edge bytes outside the range, as Redis subtracts them.
      int first = firstMask != 0 ? s[(int) start] & firstMask : 0;
      int last = lastMask != 0 ? s[(int) end] & lastMask : 0;
      count -= Integer.bitCount(first) + Integer.bitCount(last);
    }
    return count;
  }

  /**
   * BITCOUNT's and BITPOS's range: start and end (bytes, or bits when {@code isBit}) of a string of {@code length}
   * bytes, negative from the end, clamped; answers {start byte, end byte, first byte's mask of bits before the
   * range, last byte's mask of bits after it}. An empty range has start > end.
   */
  public static long[] range(long length, long start, long end, boolean isBit) {
    long total = isBit ? length << 3 : length;
    if (start < 0) start = total + start;
    if (end < 0) end = total + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= total) end = total - 1;
    long firstMask = 0;
    long lastMask = 0;
    if (isBit && start <= end) {
      firstMask = ~((1 << (8 - (start & 7))) - 1) & 0xFF;
      lastMask = (1 << (7 - (end & 7))) - 1;
      start >>= 3;
      end >>= 3;
    }
    return new long[] {start, end, firstMask, lastMask};
  }

  /**
   * BITPOS over a parsed range (see {@link #range}), as Redis's bitposCommand: {@code endGiven} means a 0 bit
   * past the range's end is not found (-1) rather than the padding after the string.
   */
  public static long bitposInRange(byte[] p, long[] range, int bit, boolean endGiven) {
    long start = range[0];
    long end = range[1];
    int firstMask = (int) range[2];
    int lastMask = (int) range[3];
    if (start > end) return -1;
    long bytes = end - start + 1;
    long pos;
    byte[] one = new byte[1];
    found: {
      if (firstMask != 0) {
        int tmp = bit == 1 ? p[(int) start] & ~firstMask : p[(int) start] | firstMask;
        if (lastMask != 0 && bytes == 1) tmp = bit == 1 ? tmp & ~lastMask : tmp | lastMask;
        one[0] = (byte) tmp;
        pos = bitpos(one, 0, 1, bit);
        if (bytes == 1 || (pos != -1 && pos != 8)) break found;
        start++;
        bytes--;
      }
      long current = bytes - (lastMask != 0 ? 1 : 0);
      if (current > 0) {
        pos = bitpos(p, (int) start, (int) current, bit);
        if (bytes == current || (pos != -1 && pos != current << 3)) break found;
        start += current;
        bytes -= current;
      }
      int tmp = bit == 1 ? p[(int) end] & ~lastMask : p[(int) end] | lastMask;
      one[0] = (byte) tmp;
      pos = bitpos(one, 0, 1, bit);
    }
    if (endGiven && bit == 0 && pos == bytes << 3) return -1;
    if (pos != -1) pos += start << 3;
    return pos;
  }

  /** BITOP AND/OR/XOR/NOT over the sources (null: a missing key, all zeros); the result has the longest's length. */
  public static byte[] bitop(int op, byte[][] sources) {
    int maxlen = 0;
    for (byte[] s : sources) if (s != null && s.length > maxlen) maxlen = s.length;
    byte[] res = new byte[maxlen];
    for (int j = 0; j < maxlen; j++) {
      int output = at(sources[0], j);
      if (op == NOT) output = ~output;
      for (int i = 1; i < sources.length; i++) {
        int b = at(sources[i], j);
        switch (op) {
          case AND -> output &= b;
          case OR -> output |= b;
          default -> output ^= b;
        }
      }
      res[j] = (byte) output;
    }
    return res;
  }

  private static int at(byte[] s, int j) {
    return s != null && j < s.length ? s[j] & 0xFF : 0;
  }

  // ---- BITFIELD integers -----------------------------------------------------------------------------------

  /** The unsigned integer of {@code bits} bits at bit {@code offset}; bytes past the array read as zero. */
  public static long getUnsigned(byte[] p, long offset, int bits) {
    long value = 0;
    for (int j = 0; j < bits; j++) {
      long byteIndex = offset >>> 3;
      int bit = 7 - (int) (offset & 7);
      int byteval = byteIndex < p.length ? p[(int) byteIndex] & 0xFF : 0;
      value = (value << 1) | ((byteval >> bit) & 1);
      offset++;
    }
    return value;
  }

  /** The two's complement integer of {@code bits} bits at bit {@code offset}. */
  public static long getSigned(byte[] p, long offset, int bits) {
    long value = getUnsigned(p, offset, bits);
    if (bits < 64 && (value & (1L << (bits - 1))) != 0) value |= -1L << bits;
    return value;
  }

  /** Writes the low {@code bits} bits of {@code value} at bit {@code offset} (the array must reach that far). */
  public static void set(byte[] p, long offset, int bits, long value) {
    for (int j = 0; j < bits; j++) {
      int bitval = (value & (1L << (bits - 1 - j))) != 0 ? 1 : 0;
      int byteIndex = (int) (offset >>> 3);
      int bit = 7 - (int) (offset & 7);
      int byteval = p[byteIndex] & 0xFF;
      byteval &= ~(1 << bit);
      byteval |= bitval << bit;
      p[byteIndex] = (byte) byteval;
      offset++;
    }
  }

  /**
   * Redis's checkUnsignedBitfieldOverflow: 0 when {@code value + incr} fits in {@code bits} unsigned bits, 1 on
   * overflow, -1 on underflow; then {@code limit[0]} holds what WRAP or SAT makes of it. {@code value} is an
   * unsigned 64-bit quantity.
   */
  public static int checkUnsignedOverflow(long value, long incr, int bits, int owtype, long[] limit) {
    long max = bits == 64 ? -1L : (1L << bits) - 1;
    long maxincr = max - value;
    long minincr = -value;
    if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxincr)) {
      if (owtype == OVERFLOW_WRAP) return wrapUnsigned(value, incr, bits, limit);
      if (owtype == OVERFLOW_SAT) limit[0] = max;
      return 1;
    } else if (incr < 0 && incr < minincr) {
      if (owtype == OVERFLOW_WRAP) return wrapUnsigned(value, incr, bits, limit);
      if (owtype == OVERFLOW_SAT) limit[0] = 0;
      return -1;
    }
    return 0;
  }

  private static int wrapUnsigned(long value, long incr, int bits, long[] limit) {
    long mask = bits == 64 ? 0 : -1L << bits;
    limit[0] = (value + incr) & ~mask;
    return 1;
  }

  /** Redis's checkSignedBitfieldOverflow, the signed counterpart of {@link #checkUnsignedOverflow}. */
  public static int checkSignedOverflow(long value, long incr, int bits, int owtype, long[] limit) {
    long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
    long min = -max - 1;
    long maxincr = max - value;
    long minincr = min - value;
    if (value > max || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr)) {
      if (owtype == OVERFLOW_WRAP) return wrapSigned(value, incr, bits, limit);
      if (owtype == OVERFLOW_SAT) limit[0] = max;
      return 1;
    } else if (value < min || (bits != 64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr)) {
      if (owtype == OVERFLOW_WRAP) return wrapSigned(value, incr, bits, limit);
      if (owtype == OVERFLOW_SAT) limit[0] = min;
      return -1;
    }
    return 0;
  }

  private static int wrapSigned(long value, long incr, int bits, long[] limit) {
    long c = value + incr;
    if (bits < 64) {
      long mask = -1L << bits;
      long msb = 1L << (bits - 1);
      c = (c & msb) != 0 ? c | mask : c & ~mask;
    }
    limit[0] = c;
    return 1;
  }
}
