package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Score texts as redis-server 7.0.15 prints and reads them (values taken from its replies). */
class ScoresTest {
  @Test
  void formatsAsPercentPoint17g() {
    assertEquals("1.1000000000000001", Scores.format(1.1));
    assertEquals("0.10000000000000001", Scores.format(0.1));
    assertEquals("9.9999999999999995e-08", Scores.format(1e-7));
    assertEquals("1.2345678901234568e+17", Scores.format(123456789012345678.0));
    assertEquals("1.5000000000000001e+300", Scores.format(1.5e300));
    assertEquals("10000000000000000", Scores.format(1e16));
    assertEquals("1e+17", Scores.format(1e17));
    assertEquals("0.0001", Scores.format(0.0001));
    assertEquals("1.0000000000000001e-05", Scores.format(0.00001));
    assertEquals("-2.5", Scores.format(-2.5));
    assertEquals("16", Scores.format(16));
    assertEquals("inf", Scores.format(Double.POSITIVE_INFINITY));
    assertEquals("-inf", Scores.format(Double.NEGATIVE_INFINITY));
    assertEquals("0", Scores.format(0.0));
    assertEquals("-0", Scores.format(-0.0));
  }

  @Test
  void zscanPrintsIntegralScoresAsIntegers() {
    assertEquals("123456789012345680", Scores.formatForScan(123456789012345678.0));
    assertEquals("1.5000000000000001e+300", Scores.formatForScan(1.5e300));
    assertEquals("-0", Scores.formatForScan(-0.0));
  }

  @Test
  void parsesLikeStrtod() {
    assertEquals(16.0, Scores.parse("0x10".getBytes(), true));
    assertEquals(Double.POSITIVE_INFINITY, Scores.parse("+inf".getBytes(), true));
    assertEquals(Double.NEGATIVE_INFINITY, Scores.parse("-Infinity".getBytes(), true));
    assertEquals(0.5, Scores.parse(".5".getBytes(), true));
    assertEquals(0.0, Scores.parse("0e5".getBytes(), true));
    assertNull(Scores.parse("nan".getBytes(), true));
    assertNull(Scores.parse("1e400".getBytes(), true), "string2d refuses an overflow");
    assertNull(Scores.parse("1e-400".getBytes(), true), "and an underflow to zero");
    assertNull(Scores.parse(" 1".getBytes(), true));
    assertNull(Scores.parse("1d".getBytes(), false));
    assertNull(Scores.parse("".getBytes(), false));
    assertEquals(1.0, Scores.parse(" 1".getBytes(), false), "a range bound may have leading spaces");
    assertEquals(Double.POSITIVE_INFINITY, Scores.parse("1e400".getBytes(), false));
  }
}
