package org.akkaredis.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The one number reader and printer, against what redis-server 7.0.15 accepts and prints (score values taken
 * from its replies; the string2d, zslParseRange and DEBUG SLEEP cases checked with ZADD, ZRANGEBYSCORE and
 * CONFIG SET latency-tracking-info-percentiles on it).
 */
class RedisNumbersTest {
  private static byte[] b(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void string2llIsStrict() {
    assertEquals(0L, RedisNumbers.string2ll(b("0")));
    assertEquals(-1L, RedisNumbers.string2ll(b("-1")));
    assertEquals(Long.MAX_VALUE, RedisNumbers.string2ll(b("9223372036854775807")));
    assertEquals(Long.MIN_VALUE, RedisNumbers.string2ll(b("-9223372036854775808")));
    for (String refused : new String[] {"", "+1", "-0", "01", " 1", "1 ", "-", "1e3", "1.0", "0x10", "inf", "nan",
        "9223372036854775808", "-9223372036854775809", "18446744073709551616", "123456789012345678901", "1\u00001"}) {
      assertNull(RedisNumbers.string2ll(b(refused)), refused);
      assertNull(RedisNumbers.string2ll(refused), refused);
    }
    assertNull(RedisNumbers.string2ll("1\u0661"), "a non-ASCII digit is no digit");
    assertEquals(42L, RedisNumbers.string2ll("42"));
  }

  @Test
  void scanCursorsAreReadLikeStrtoul() {
    assertEquals(0L, RedisNumbers.parseScanCursor(new byte[0]));
    assertEquals(1L, RedisNumbers.parseScanCursor(b("01")));
    assertEquals(5L, RedisNumbers.parseScanCursor(b("+5")));
    assertEquals("18446744073709551615", Long.toUnsignedString(RedisNumbers.parseScanCursor(b("-1"))));
    assertEquals("18446744073709551615",
        Long.toUnsignedString(RedisNumbers.parseScanCursor(b("18446744073709551615"))));
    assertEquals(0L, RedisNumbers.parseScanCursor(b("-0")));
    // strtoul reads a C string: it ends at the first NUL (redis-server 7.0.15 answers HSCAN h "0\0x" as 0).
    assertEquals(7L, RedisNumbers.parseScanCursor(new byte[] {'7', 0, 'x'}));
    assertEquals(0L, RedisNumbers.parseScanCursor(new byte[] {0}));
    for (String refused : new String[] {"-", "+", "0x1", " 1", "1 ", "1e3", "18446744073709551616", "inf"}) {
      assertNull(RedisNumbers.parseScanCursor(b(refused)), refused);
    }
  }

  @Test
  void formatsAsPercentPoint17g() {
    assertEquals("1.1000000000000001", RedisNumbers.format17g(1.1));
    assertEquals("0.10000000000000001", RedisNumbers.format17g(0.1));
    assertEquals("9.9999999999999995e-08", RedisNumbers.format17g(1e-7));
    assertEquals("1.2345678901234568e+17", RedisNumbers.format17g(123456789012345678.0));
    assertEquals("1.5000000000000001e+300", RedisNumbers.format17g(1.5e300));
    assertEquals("10000000000000000", RedisNumbers.format17g(1e16));
    assertEquals("1e+17", RedisNumbers.format17g(1e17));
    assertEquals("0.0001", RedisNumbers.format17g(0.0001));
    assertEquals("1.0000000000000001e-05", RedisNumbers.format17g(0.00001));
    assertEquals("-2.5", RedisNumbers.format17g(-2.5));
    assertEquals("16", RedisNumbers.format17g(16));
    assertEquals("inf", RedisNumbers.format17g(Double.POSITIVE_INFINITY));
    assertEquals("-inf", RedisNumbers.format17g(Double.NEGATIVE_INFINITY));
    assertEquals("0", RedisNumbers.format17g(0.0));
    assertEquals("-0", RedisNumbers.format17g(-0.0));
    assertEquals("1.4999833007740245e-320", RedisNumbers.format17g(1.5e-320));
  }

  @Test
  void zscanPrintsIntegralScoresAsIntegers() {
    assertEquals("123456789012345680", RedisNumbers.d2string(123456789012345678.0));
    assertEquals("1.5000000000000001e+300", RedisNumbers.d2string(1.5e300));
    assertEquals("-0", RedisNumbers.d2string(-0.0));
    assertEquals("2.5", RedisNumbers.d2string(2.5));
  }

  @Test
  void string2dReadsLikeStrtod() {
    assertEquals(16.0, RedisNumbers.string2d(b("0x10")));
    assertEquals(1.5, RedisNumbers.string2d(b("0x1.8")));
    assertEquals(4.0, RedisNumbers.string2d(b("0X1P2")));
    assertEquals(Double.POSITIVE_INFINITY, RedisNumbers.string2d(b("+inf")));
    assertEquals(Double.POSITIVE_INFINITY, RedisNumbers.string2d(b("inf")));
    assertEquals(Double.NEGATIVE_INFINITY, RedisNumbers.string2d(b("-inf")));
    assertEquals(Double.NEGATIVE_INFINITY, RedisNumbers.string2d(b("-Infinity")));
    assertEquals(0.5, RedisNumbers.string2d(b(".5")));
    assertEquals(5.0, RedisNumbers.string2d(b("5.")));
    assertEquals(0.0, RedisNumbers.string2d(b("0e5")));
    assertEquals(1.0, RedisNumbers.string2d(b("+1")));
    assertEquals(-0.0, RedisNumbers.string2d(b("-0")));
    assertTrue(1 / RedisNumbers.string2d(b("-0")) < 0, "-0 keeps its sign");
    assertEquals(1.5e-320, RedisNumbers.string2d(b("1.5e-320")), "a subnormal is no underflow to zero");
    assertEquals(9.223372036854775807e18, RedisNumbers.string2d(b("9223372036854775807")));
    assertEquals(1e19, RedisNumbers.string2d(b("10000000000000000000")), "beyond a long is still a double");
    assertEquals(42.0, RedisNumbers.string2d("42"));
  }

  @Test
  void string2dRefusesSpacesNanOverflowAndUnderflow() {
    for (String refused : new String[] {"", " 1", "\t1", "1 ", "nan", "-nan", "NaN", "nan(1)", "1e400", "-1e400",
        "1e-400", "1.5e-330", "0x1p-1080", "0x1p1024", "1e", "1e+", "0x", "0x.", "1d", "1f", "Infinity1", "inf ",
        ".", "-", "1\u00001", "1,5"}) {
      assertNull(RedisNumbers.string2d(b(refused)), refused);
    }
  }

  @Test
  void wholeTextStrtodAllowsLeadingSpacesOverflowAndNan() {
    assertEquals(1.0, RedisNumbers.strtodWholeText(b(" 1")), "a range bound may have leading spaces");
    assertEquals(1.0, RedisNumbers.strtodWholeText(b("\n\t+1")));
    assertEquals(Double.POSITIVE_INFINITY, RedisNumbers.strtodWholeText(b("1e400")));
    assertEquals(0.0, RedisNumbers.strtodWholeText(b("1.5e-330")));
    assertTrue(RedisNumbers.strtodWholeText(b("nan")).isNaN());
    assertTrue(RedisNumbers.strtodWholeText(b("-NAN")).isNaN());
    assertTrue(RedisNumbers.strtodWholeText(b("nan(abc_1)")).isNaN());
    assertEquals(16.0, RedisNumbers.strtodWholeText(b("0x10")));
    assertEquals(Double.NEGATIVE_INFINITY, RedisNumbers.strtodWholeText(b("-infinity")));
    for (String refused : new String[] {"", " ", "1 ", "1d", "0x", "1e", "nan(", "inf ", "(1"}) {
      assertNull(RedisNumbers.strtodWholeText(b(refused)), refused);
    }
  }

  @Test
  void cStringStrtodStopsAtTheFirstNulAndReadsAnEmptyTextAsZero() {
    // What redis-server 7.0.15 answers to ZRANGEBYSCORE z "" +inf and ZCOUNT z -inf "(": every member, nothing.
    assertEquals(0.0, RedisNumbers.strtodCString(b("")));
    assertEquals(1.0, RedisNumbers.strtodCString(b("1\u0000x")), "the C string ends at the NUL");
    assertEquals(0.0, RedisNumbers.strtodCString(b("\u00001")));
    assertEquals(1.0, RedisNumbers.strtodCString(b(" 1")));
    assertEquals(Double.POSITIVE_INFINITY, RedisNumbers.strtodCString(b("1e400")));
    assertTrue(RedisNumbers.strtodCString(b("nan")).isNaN());
    for (String refused : new String[] {" ", "1 ", "1e", "abc", " \u00001", "0x"}) {
      assertNull(RedisNumbers.strtodCString(b(refused)), refused);
    }
  }

  @Test
  void strtodReadsTheLongestPrefix() {
    assertEquals(2.0, RedisNumbers.strtod(b("2x")));
    assertEquals(0.1, RedisNumbers.strtod(b(" 1e-1")));
    assertEquals(3.0, RedisNumbers.strtod(b("3e")));
    assertEquals(3.0, RedisNumbers.strtod(b("3e+")));
    assertEquals(16.0, RedisNumbers.strtod(b("0x10")));
    assertEquals(1.5, RedisNumbers.strtod(b("0x1.8")));
    assertEquals(4.0, RedisNumbers.strtod(b("0x1p2")));
    assertEquals(1.0, RedisNumbers.strtod(b("0x1p")), "an incomplete exponent is not read");
    assertEquals(0.0, RedisNumbers.strtod(b("0x")));
    assertEquals(0.0, RedisNumbers.strtod(b("x")));
    assertEquals(0.0, RedisNumbers.strtod(b("")));
    assertEquals(-1.0, RedisNumbers.strtod(b("-1")));
    assertEquals(Double.POSITIVE_INFINITY, RedisNumbers.strtod(b("infinite")));
    assertEquals(Double.POSITIVE_INFINITY, RedisNumbers.strtod(b("1e400")));
    assertTrue(Double.isNaN(RedisNumbers.strtod(b("nanx"))));
  }
}
