package org.akkaredis.text;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Numbers read and printed exactly as redis-server 7.0 does it, for every layer (commands, settings, RDB
 * files): strict integers (string2ll), C's strtoll and memtoull for settings, doubles through C's strtod with
 * the checks each Redis caller adds (string2d, zslParseRange, DEBUG SLEEP, RDB scores), and the "%.17g" and
 * d2string printers. Long doubles (INCRBYFLOAT, timeouts) are {@link LongDouble}; both read their text with
 * {@link FloatText}.
 */
public final class RedisNumbers {

  /** Redis's LONG_STR_SIZE: texts this long or longer are never integers. */
  private static final int LONG_STR_SIZE = 21;

  private RedisNumbers() {
  }

  /** Redis string2ll: strict decimal, no '+', no leading zeros, no spaces; null if invalid. */
  public static Long string2ll(String s) {
    return string2ll(latin1(s));
  }

  /**
   * Redis's string2ll: an optional '-', then digits without leading zeros (except "0"), within 64 bits, and
   * nothing else. Null when the text is not such an integer.
   */
  public static Long string2ll(byte[] s) {
    long value = string2ll(s, 0, s.length, 0);
    // 0 is the answer for invalid text, and of valid text only for "0"
    return value != 0 || (s.length == 1 && s[0] == '0') ? Long.valueOf(value) : null;
  }

  /**
   * {@link #string2ll(byte[])} over {@code s[from, to)} without allocating (the RESP reader's lengths): the value,
   * or {@code ifInvalid} when the text is not such an integer.
   */
  public static long string2ll(byte[] s, int from, int to, long ifInvalid) {
    int n = to - from;
    if (n <= 0 || n >= LONG_STR_SIZE) return ifInvalid;
    int i = from;
    boolean negative = false;
    if (s[i] == '-') {
      negative = true;
      if (++i == to) return ifInvalid;
    }
    if (s[i] == '0') return n == 1 ? 0 : ifInvalid;
    long value = 0;
    for (; i < to; i++) {
      int d = s[i] - '0';
      if (d < 0 || d > 9) return ifInvalid;
      // Accumulated as a negative number so that Long.MIN_VALUE fits.
      if (value < (Long.MIN_VALUE + d) / 10) return ifInvalid;
      value = value * 10 - d;
    }
    if (negative) return value;
    return value == Long.MIN_VALUE ? ifInvalid : -value;
  }

  /**
   * Redis memtoull: digits followed by an optional unit b, k (1000), kb (1024), m, mb, g, gb
   * (case-insensitive). An empty text is 0. Too many digits saturate, and the unit
   * multiplication wraps, as unsigned 64-bit arithmetic does in C. Null if invalid.
   */
  public static Long memtoull(String p) {
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
  public record Parsed(long value, boolean wholeText, boolean overflow) {
  }

  /**
   * C strtoll in a given base: optional leading white space and sign, saturating on overflow.
   * {@code wholeText} is C's {@code *endptr == '\0'}; note that an empty text counts as a
   * whole-text 0, as it does in C.
   */
  public static Parsed strtoll(String s, int radix) {
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

  /**
   * Redis's parseScanCursorOrReply (SCAN, HSCAN, SSCAN, ZSCAN): strtoul in base 10 over the argument up to its
   * first NUL (a C string), an optional sign with a negative value wrapping modulo 2^64, no leading space,
   * nothing after the digits, nothing beyond 2^64-1; an empty argument is cursor 0. The 64 bits as a long read
   * unsigned; null when invalid.
   */
  public static Long parseScanCursor(byte[] arg) {
    int n = 0;
    while (n < arg.length && arg[n] != 0) n++;
    if (n == 0) return 0L;
    int i = 0;
    boolean negative = false;
    if (arg[0] == '+' || arg[0] == '-') {
      negative = arg[0] == '-';
      i = 1;
      if (n == 1) return null;
    }
    long value = 0;
    for (; i < n; i++) {
      int d = arg[i] - '0';
      if (d < 0 || d > 9) return null;
      if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, 10)) > 0) return null;
      value = value * 10 + d;
    }
    return negative ? -value : value;
  }

  /**
   * Redis's string2d (ZADD and ZINCRBY scores, WEIGHTS, latency percentiles): strtod must read the whole text,
   * which may not start with white space; NaN is refused, and so are an overflow to infinity and a non-zero
   * number that underflows to zero ("inf" itself is fine). Null when refused.
   */
  public static Double string2d(byte[] s) {
    Long integer = string2ll(s);
    // Most scores are small integers: exact as doubles, and no need to scan them twice.
    if (integer != null && Math.abs(integer) < 1L << 53) return (double) integer;
    if (s.length == 0 || FloatText.isSpace(s[0])) return null;
    FloatText number = FloatText.scan(s);
    if (!number.isWholeText() || number.kind == FloatText.Kind.NAN) return null;
    double value = number.toDouble();
    if (number.isFinite() && (Double.isInfinite(value) || (value == 0 && number.hasNonZeroDigit()))) return null;
    return value;
  }

  public static Double string2d(String s) {
    return string2d(latin1(s));
  }

  /**
   * strtod that must read the whole text: leading white space allowed, overflow to infinity allowed, NaN
   * returned as NaN (zslParseRange refuses it, an RDB score is NaN). Null when there is no number or something
   * follows it.
   */
  public static Double strtodWholeText(byte[] s) {
    FloatText number = FloatText.scan(s);
    return number.isWholeText() ? number.toDouble() : null;
  }

  /**
   * Redis's zslParseRange (score range bounds): strtod over the argument as a C string, whose end pointer must
   * reach the string's terminating NUL. So the text stops at its first NUL byte, and an empty text is 0 (strtod
   * reads nothing and leaves the end pointer on the NUL); leading white space, overflow to infinity and NaN
   * (returned as NaN, for the caller to refuse) as in {@link #strtodWholeText}. Null when refused.
   */
  public static Double strtodCString(byte[] s) {
    int length = 0;
    while (length < s.length && s[length] != 0) length++;
    if (length == 0) return 0.0;
    return strtodWholeText(length == s.length ? s : Arrays.copyOf(s, length));
  }

  /** C's strtod without looking at the end pointer: the longest numeric prefix after white space, else 0. */
  public static double strtod(byte[] s) {
    return FloatText.scan(s).toDouble();
  }

  private static final MathContext SEVENTEEN_DIGITS = new MathContext(17, RoundingMode.HALF_EVEN);

  /** C's "%.17g" as Redis prints scores: 17 significant digits, trailing zeros dropped; "inf" and "-inf". */
  public static String format17g(double d) {
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    if (d == 0) return 1 / d < 0 ? "-0" : "0";
    if (d == (long) d && Math.abs(d) < 1e15) return Long.toString((long) d);
    BigDecimal rounded = new BigDecimal(d).round(SEVENTEEN_DIGITS);
    String digits = rounded.unscaledValue().abs().toString().replaceFirst("0+$", "");
    if (digits.isEmpty()) digits = "0";
    int exponent = rounded.precision() - 1 - rounded.scale();
    String sign = d < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 17) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
          + Math.abs(exponent);
    }
    String plain = rounded.abs().toPlainString();
    if (plain.indexOf('.') >= 0) plain = plain.replaceFirst("0+$", "").replaceFirst("\\.$", "");
    return sign + plain;
  }

  /** Redis's d2string (ZSCAN): integers within ±LLONG_MAX/2 print as integers, other values as "%.17g". */
  public static String d2string(double d) {
    if (d != 0 && Math.abs(d) <= Long.MAX_VALUE / 2 && d == (long) d) return Long.toString((long) d);
    return format17g(d);
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  public static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  public static boolean isCSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
  }
}
