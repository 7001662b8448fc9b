package org.akkaredis.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Long doubles as INCRBYFLOAT, HINCRBYFLOAT and blocking timeouts read, add and print them (string2ld). */
class LongDoubleTest {
  private static LongDouble parse(String text) {
    return LongDouble.parse(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void longDoubleParsingEdgeCases() {
    assertNull(LongDouble.parse(new byte[0]));
    // strtold stops at a NUL byte: Redis refuses the value (checked on redis-server 7.0.15).
    assertNull(parse("1\u0000junk"));
    assertEquals("0.375", parse("0x1.8p-2").formatHuman());
    assertEquals("3.14159265358979324", parse("3.14159265358979323846").formatHuman().substring(0, 19));
    assertNull(parse("0x1g"));
    assertEquals("0", parse("0e999999999999").formatHuman());
  }

  @Test
  void longDoubleRoundsToA64BitSignificand() {
    // 2^64 + 1 is not a long double: it rounds to 2^64 (ties to even); 2^64 + 3 rounds up to 2^64 + 4.
    assertEquals("18446744073709551616", parse("18446744073709551617").formatHuman());
    assertEquals("18446744073709551620", parse("18446744073709551619").formatHuman());
    assertEquals("18446744073709551615", parse("18446744073709551615").formatHuman());
    assertNull(parse("0x1p-16446"), "half the smallest subnormal is zero");
    assertNotNull(parse("0x1.8p-16446"));
    assertNotNull(parse("0x1.fffffffffffffffep16383"));
    assertNull(parse("0x1p16384"));
  }

  @Test
  void string2ldRefusesWhatStrtoldDoesNotReadWhole() {
    for (String refused : new String[] {"", " 1", "1 ", "nan", "-nan", "nan(1)", "1e", "1e+", "0x", "0x.", ".",
        "-", "+", "inf ", "infx", "1e5000", "-1e5000", "1e-5000", "1.5.5", "1,5"}) {
      assertNull(parse(refused), refused);
    }
    assertNull(LongDouble.parse(new byte[5 * 1024]), "MAX_LONG_DOUBLE_CHARS");
    assertEquals("1", parse("+1").formatHuman());
    assertEquals("0", parse("-0").formatHuman());
    assertEquals("16", parse("0x10").formatHuman());
    assertEquals("0.5", parse("0x.8").formatHuman());
    assertEquals("0.5", parse(".5").formatHuman());
    assertEquals("5", parse("5.").formatHuman());
    assertEquals("1500", parse("1.5E3").formatHuman());
    assertEquals("-9223372036854775809", parse("-9223372036854775809").formatHuman());
  }

  @Test
  void infinitiesAreReadAndAddedButOverflowIsInfinite() {
    assertTrue(parse("inf").infinite());
    assertEquals("-inf", parse("-Infinity").formatHuman());
    assertEquals("inf", parse("+INF").formatHuman());
    LongDouble max = parse("1.18e4932");
    assertTrue(max.add(max).infinite());
    assertEquals("0.3", parse("0.1").add(parse("0.2")).formatHuman());
    assertEquals("1000000000000000000024696061952", parse("1e30").formatHuman());
    assertEquals("0", parse("1").add(parse("-1")).formatHuman());
  }
}
