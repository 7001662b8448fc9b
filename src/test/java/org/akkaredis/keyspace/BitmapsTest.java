package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bit counting, searching, BITOP and BITFIELD's integer arithmetic, as Redis 7.0's bitops.c computes them. */
class BitmapsTest {
  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void popcountOfAnyLengthAndOffset() {
    Random random = new Random(1);
    byte[] data = new byte[101];
    random.nextBytes(data);
    for (int from = 0; from < 9; from++) {
      for (int count = 0; from + count <= data.length; count += 7) {
        long expected = 0;
        for (int i = from; i < from + count; i++) expected += Integer.bitCount(data[i] & 0xFF);
        assertEquals(expected, Bitmaps.popcount(data, from, count));
      }
    }
  }

  @Test
  void bitcountRangesInBytesAndBits() {
    byte[] foobar = ascii("foobar");
    assertEquals(26, Bitmaps.bitcount(foobar, Bitmaps.range(6, 0, -1, false)));
    assertEquals(4, Bitmaps.bitcount(foobar, Bitmaps.range(6, 0, 0, false)));
    assertEquals(6, Bitmaps.bitcount(foobar, Bitmaps.range(6, 1, 1, false)));
    assertEquals(17, Bitmaps.bitcount(foobar, Bitmaps.range(6, 5, 30, true)));
    assertEquals(1, Bitmaps.bitcount(foobar, Bitmaps.range(6, 1, 1, true)));
    assertEquals(0, Bitmaps.bitcount(foobar, Bitmaps.range(6, 4, 2, false)));
  }

  @Test
  void bitposAsRedis() {
    byte[] ff = {(byte) 0xff, (byte) 0xf0, 0};
    assertEquals(12, Bitmaps.bitposInRange(ff, Bitmaps.range(3, 0, 2, false), 0, false));
    assertEquals(24, Bitmaps.bitpos(new byte[] {-1, -1, -1}, 0, 3, 0));
    assertEquals(-1, Bitmaps.bitposInRange(new byte[] {-1, -1, -1}, Bitmaps.range(3, 0, 2, false), 0, true));
    assertEquals(-1, Bitmaps.bitpos(new byte[3], 0, 3, 1));
    byte[] bits = {0, 0x01, (byte) 0x80};
    assertEquals(15, Bitmaps.bitposInRange(bits, Bitmaps.range(3, 7, 15, true), 1, true));
    assertEquals(16, Bitmaps.bitposInRange(bits, Bitmaps.range(3, 16, -1, true), 1, true));
  }

  @Test
  void bitopOverStringsOfDifferentLengths() {
    byte[][] sources = {ascii("foobar"), ascii("abc"), null};
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0}, Bitmaps.bitop(Bitmaps.AND, sources));
    assertArrayEquals(ascii("goobar"), Bitmaps.bitop(Bitmaps.OR, new byte[][] {ascii("foobar"), {1}}));
    assertArrayEquals(new byte[] {7, 13, 12, 'b', 'a', 'r'}, Bitmaps.bitop(Bitmaps.XOR, new byte[][] {ascii("foobar"),
        ascii("abc")}));
    assertArrayEquals(new byte[] {(byte) 0xfe}, Bitmaps.bitop(Bitmaps.NOT, new byte[][] {{1}}));
  }

  @Test
  void fieldsAcrossByteBoundaries() {
    byte[] p = new byte[2];
    Bitmaps.set(p, 7, 5, 23);
    assertArrayEquals(new byte[] {0x01, 0x70}, p); // Redis's own example: u5 23 at offset 7
    assertEquals(23, Bitmaps.getUnsigned(p, 7, 5));
    assertEquals(-9, Bitmaps.getSigned(p, 7, 5));
    byte[] all = new byte[8];
    Bitmaps.set(all, 0, 64, -1);
    assertEquals(-1, Bitmaps.getSigned(all, 0, 64));
    assertEquals(Long.MAX_VALUE, Bitmaps.getUnsigned(all, 0, 63));
    assertEquals(0, Bitmaps.getUnsigned(new byte[0], 100, 8), "bytes past the string read as zero");
  }

  @Test
  void unsignedOverflowWrapsSaturatesOrFails() {
    long[] limit = new long[1];
    assertEquals(0, Bitmaps.checkUnsignedOverflow(3, 0, 2, Bitmaps.OVERFLOW_WRAP, limit));
    assertEquals(1, Bitmaps.checkUnsignedOverflow(3, 1, 2, Bitmaps.OVERFLOW_WRAP, limit));
    assertEquals(0, limit[0]);
    assertEquals(1, Bitmaps.checkUnsignedOverflow(3, 1, 2, Bitmaps.OVERFLOW_SAT, limit));
    assertEquals(3, limit[0]);
    assertEquals(-1, Bitmaps.checkUnsignedOverflow(0, -1, 2, Bitmaps.OVERFLOW_SAT, limit));
    assertEquals(0, limit[0]);
    assertEquals(1, Bitmaps.checkUnsignedOverflow(0, -1, 2, Bitmaps.OVERFLOW_WRAP, limit));
    assertEquals(3, limit[0]);
    assertEquals(-1, Bitmaps.checkUnsignedOverflow(0, -1, 2, Bitmaps.OVERFLOW_FAIL, limit));
    assertEquals(1, Bitmaps.checkUnsignedOverflow(300, 0, 8, Bitmaps.OVERFLOW_WRAP, limit));
    assertEquals(44, limit[0]);
  }

  @Test
  void signedOverflowWrapsSaturatesOrFails() {
    long[] limit = new long[1];
    assertEquals(1, Bitmaps.checkSignedOverflow(127, 1, 8, Bitmaps.OVERFLOW_WRAP, limit));
    assertEquals(-128, limit[0]);
    assertEquals(1, Bitmaps.checkSignedOverflow(300, 0, 8, Bitmaps.OVERFLOW_SAT, limit));
    assertEquals(127, limit[0]);
    assertEquals(-1, Bitmaps.checkSignedOverflow(-128, -1, 8, Bitmaps.OVERFLOW_SAT, limit));
    assertEquals(-128, limit[0]);
    assertEquals(1, Bitmaps.checkSignedOverflow(Long.MAX_VALUE, Long.MAX_VALUE, 64, Bitmaps.OVERFLOW_WRAP, limit));
    assertEquals(-2, limit[0]);
    assertEquals(-1, Bitmaps.checkSignedOverflow(Long.MIN_VALUE, -1, 64, Bitmaps.OVERFLOW_SAT, limit));
    assertEquals(Long.MIN_VALUE, limit[0]);
    assertEquals(0, Bitmaps.checkSignedOverflow(-1, Long.MIN_VALUE + 1, 64, Bitmaps.OVERFLOW_FAIL, limit));
  }
}
