package org.akkaredis.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SORT's reading of a number, as redis-server 7.0.15 sorts or refuses the same elements. */
class SortNumberTest {
  private static Double parse(String text) {
    return SortNumber.parse(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void whatStrtodReadsWhole() {
    assertEquals(3.0, parse("3"));
    assertEquals(-2.5, parse("-2.5"));
    assertEquals(2000.0, parse("2e3"));
    assertEquals(16.0, parse("0x10"));
    assertEquals(5.0, parse(" 5"));
    assertEquals(Double.POSITIVE_INFINITY, parse("inf"));
    assertEquals(Double.NEGATIVE_INFINITY, parse("-Infinity"));
  }

  @Test
  void theTextEndsAtItsFirstNulAndAnEmptyOneIsZero() {
    assertEquals(0.0, parse(""));
    assertEquals(0.0, parse("\0"));
    assertEquals(12.0, parse("12\0abc"));
  }

  @Test
  void refused() {
    assertNull(parse("5 "));
    assertNull(parse("  "));
    assertNull(parse("a"));
    assertNull(parse("nan"));
    assertNull(parse("1e400"));
    assertNull(parse("1e-400"));
  }
}
