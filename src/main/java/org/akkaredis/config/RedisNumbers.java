package org.akkaredis.config;

/**
 * Number parsing exactly as redis-server 7.0 does it (string2ll, memtoull, strtoll), because
 * CONFIG SET must accept and reject the same texts as the real server.
 */
final class RedisNumbers {

  /** Redis's LONG_STR_SIZE: texts this long or longer are never integers. */
  private static final int LONG_STR_SIZE = 21;

  private RedisNumbers() {
  }

  /** Redis string2ll: strict decimal, no '+', no leading zeros, no spaces; null if invalid. */
  static Long string2ll(String s) {
    int len = s.length();
    if (len == 0 || len >= LONG_STR_SIZE) {
      return null;
    }
    if (len == 1 && s.charAt(0) == '0') {
      return 0L;
    }
    int i = 0;
    boolean negative = false;
    if (s.charAt(0) == '-') {
      negative = true;
      i++;
      if (i == len) {
        return null;
      }
    }
    char first = s.charAt(i);
    if (first < '1' || first > '9') {
      return null;
    }
    long v = first - '0';
    i++;
    while (i < len) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      // Unsigned overflow checks, as in the C original.
      if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
        return null;
      }
      v *= 10;
      if (Long.compareUnsigned(v, -1L - (c - '0')) > 0) {
        return null;
      }
      v += c - '0';
      i++;
    }
    if (negative) {
      if (Long.compareUnsigned(v, Long.MIN_VALUE) > 0) {
        return null;
      }
      return -v;
    }
    if (Long.compareUnsigned(v, Long.MAX_VALUE) > 0) {
      return null;
    }
    return v;
  }

  /**
   * Redis memtoull: digits followed by an optional unit b, k (1000), kb (1024), m, mb, g, gb
   * (case-insensitive). An empty text is 0. Too many digits saturate, and the unit
   * multiplication wraps, as unsigned 64-bit arithmetic does in C. Null if invalid.
   */
  static Long memtoull(String p) {
    if (!p.isEmpty() && p.charAt(0) == '-') {
      return null;
    }
    int u = 0;
    while (u < p.length() && isAsciiDigit(p.charAt(u))) {
      u++;
    }
    String unit = p.substring(u);
    long mul;
    if (unit.isEmpty() || unit.equalsIgnoreCase("b")) {
      mul = 1;
    } else if (unit.equalsIgnoreCase("k")) {
      mul = 1000L;
    } else if (unit.equalsIgnoreCase("kb")) {
      mul = 1024L;
    } else if (unit.equalsIgnoreCase("m")) {
      mul = 1000L * 1000;
    } else if (unit.equalsIgnoreCase("mb")) {
      mul = 1024L * 1024;
    } else if (unit.equalsIgnoreCase("g")) {
      mul = 1000L * 1000 * 1000;
    } else if (unit.equalsIgnoreCase("gb")) {
      mul = 1024L * 1024 * 1024;
    } else {
      return null;
    }
    if (u >= 128) {
      return null;
    }
    long value = 0;
    for (int i = 0; i < u; i++) {
      int digit = p.charAt(i) - '0';
      if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - digit, 10)) > 0) {
        value = -1L; // strtoull saturates at ULLONG_MAX
        break;
      }
      value = value * 10 + digit;
    }
    return value * mul;
  }

  /**
   * Result of {@link #strtoll}: the value, whether the whole text was consumed and whether it
   * overflowed (C's ERANGE).
   */
  record Parsed(long value, boolean wholeText, boolean overflow) {
  }

  /**
   * C strtoll in a given base: optional leading white space and sign, saturating on overflow.
   * {@code wholeText} is C's {@code *endptr == '\0'}; note that an empty text counts as a
   * whole-text 0, as it does in C.
   */
  static Parsed strtoll(String s, int radix) {
    int i = 0;
    int len = s.length();
    while (i < len && isCSpace(s.charAt(i))) {
      i++;
    }
    boolean negative = false;
    if (i < len && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    int digitsStart = i;
    long magnitude = 0;
    boolean overflow = false;
    while (i < len) {
      int digit = Character.digit(s.charAt(i), radix);
      if (digit < 0 || s.charAt(i) > 127) {
        break;
      }
      if (!overflow) {
        if (magnitude > (Long.MAX_VALUE - digit) / radix) {
          overflow = true;
        } else {
          magnitude = magnitude * radix + digit;
        }
      }
      i++;
    }
    if (i == digitsStart) {
      // No digits: C sets endptr back to the start of the text.
      return new Parsed(0, len == 0, false);
    }
    long value;
    if (overflow) {
      value = negative ? Long.MIN_VALUE : Long.MAX_VALUE;
    } else {
      value = negative ? -magnitude : magnitude;
    }
    return new Parsed(value, i == len, overflow);
  }

  static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isCSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
  }
}
