package org.akkaredis.text;

import java.nio.charset.StandardCharsets;

/**
 * The number C's strtod and strtold (glibc, C locale) read at the start of a text, scanned once so that every
 * floating-point parser takes the same reading and differs only in what it then accepts: leading white space,
 * an optional sign, then a decimal number (digits with an optional point, an optional complete exponent), a
 * hex float ("0x", hex digits with an optional point, an optional complete "p" exponent), "inf" or "infinity",
 * or "nan" with an optional "(chars)", all case-insensitive. An incomplete tail ("1e", "1e+", "0x") is not part
 * of the number, as in C.
 */
final class FloatText {

  enum Kind { NONE, DECIMAL, HEX, INFINITY, NAN }

  /** Exponents are saturated here: far beyond any long double's, so the value is infinity or zero anyway. */
  private static final long EXPONENT_LIMIT = 1_000_000_000L;

  final byte[] text;
  final Kind kind;
  final boolean negative;
  /** Where the sign, or the number when it has none, starts (after the white space). */
  final int numberStart;
  /** Just past the number; 0 when there is none (C's endptr back at the start). */
  final int end;
  /** The digits with their point: after "0x" for a hex float. */
  final int mantissaStart;
  final int mantissaEnd;
  /** The complete exponent's value (0 when there is none), decimal for DECIMAL and binary for HEX. */
  final long exponent;
  final boolean hasExponent;

  private FloatText(byte[] text, Kind kind, boolean negative, int numberStart, int end, int mantissaStart,
      int mantissaEnd, long exponent, boolean hasExponent) {
    this.text = text;
    this.kind = kind;
    this.negative = negative;
    this.numberStart = numberStart;
    this.end = end;
    this.mantissaStart = mantissaStart;
    this.mantissaEnd = mantissaEnd;
    this.exponent = exponent;
    this.hasExponent = hasExponent;
  }

  static FloatText scan(byte[] s) {
    int n = s.length;
    int i = 0;
    while (i < n && isSpace(s[i])) i++;
    int numberStart = i;
    boolean negative = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
      negative = s[i] == '-';
      i++;
    }
    if (startsWithIgnoreCase(s, i, "inf")) {
      int end = startsWithIgnoreCase(s, i, "infinity") ? i + 8 : i + 3;
      return new FloatText(s, Kind.INFINITY, negative, numberStart, end, i, i, 0, false);
    }
    if (startsWithIgnoreCase(s, i, "nan")) {
      int end = i + 3;
      int j = end;
      if (j < n && s[j] == '(') {
        j++;
        while (j < n && (isAlnum(s[j]) || s[j] == '_')) j++;
        if (j < n && s[j] == ')') end = j + 1;
      }
      return new FloatText(s, Kind.NAN, negative, numberStart, end, i, i, 0, false);
    }
    boolean hex = i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')
        && (hexDigit(s, i + 2) >= 0 || (i + 2 < n && s[i + 2] == '.' && hexDigit(s, i + 3) >= 0));
    int mantissaStart = hex ? i + 2 : i;
    int j = mantissaStart;
    boolean anyDigit = false;
    while (digit(s, j, hex) >= 0) {
      j++;
      anyDigit = true;
    }
    if (j < n && s[j] == '.') {
      j++;
      while (digit(s, j, hex) >= 0) {
        j++;
        anyDigit = true;
      }
    }
    if (!anyDigit) return new FloatText(s, Kind.NONE, false, numberStart, 0, i, i, 0, false);
    int mantissaEnd = j;
    long exponent = 0;
    boolean hasExponent = false;
    if (j < n && (hex ? s[j] == 'p' || s[j] == 'P' : s[j] == 'e' || s[j] == 'E')) {
      int e = j + 1;
      boolean negativeExponent = false;
      if (e < n && (s[e] == '+' || s[e] == '-')) {
        negativeExponent = s[e] == '-';
        e++;
      }
      if (digit(s, e, false) >= 0) {
        while (digit(s, e, false) >= 0) {
          exponent = Math.min(exponent * 10 + (s[e] - '0'), EXPONENT_LIMIT);
          e++;
        }
        if (negativeExponent) exponent = -exponent;
        hasExponent = true;
        j = e;
      }
    }
    return new FloatText(s, hex ? Kind.HEX : Kind.DECIMAL, negative, numberStart, j, mantissaStart, mantissaEnd,
        exponent, hasExponent);
  }

  /** Whether a number was read and it is the whole text. */
  boolean isWholeText() {
    return kind != Kind.NONE && end == text.length;
  }

  boolean isFinite() {
    return kind == Kind.DECIMAL || kind == Kind.HEX;
  }

  /** The value as strtod rounds it (0 when there is no number); infinite when it overflows. */
  double toDouble() {
    switch (kind) {
      case INFINITY:
        return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      case NAN:
        return Double.NaN;
      case DECIMAL:
        // Java reads this exact form and rounds to nearest as glibc does.
        return Double.parseDouble(new String(text, numberStart, end - numberStart, StandardCharsets.ISO_8859_1));
      case HEX:
        String hexText = (negative ? "-0x" : "0x")
            + new String(text, mantissaStart, mantissaEnd - mantissaStart, StandardCharsets.ISO_8859_1)
            + "p" + exponent;
        return Double.parseDouble(hexText);
      default:
        return 0;
    }
  }

  /** Whether a digit of the mantissa is not zero: a finite number then reads as zero only by underflowing. */
  boolean hasNonZeroDigit() {
    for (int i = mantissaStart; i < mantissaEnd; i++) {
      if (text[i] != '0' && text[i] != '.') return true;
    }
    return false;
  }

  /** C's isspace in the C locale. */
  static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == '\f';
  }

  /** The value of the digit at {@code at} (hex or decimal), or -1 when there is none. */
  static int digit(byte[] s, int at, boolean hex) {
    if (at >= s.length) return -1;
    int c = s[at];
    if (c >= '0' && c <= '9') return c - '0';
    if (!hex) return -1;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  private static int hexDigit(byte[] s, int at) {
    return digit(s, at, true);
  }

  private static boolean isAlnum(byte b) {
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
  }

  private static boolean startsWithIgnoreCase(byte[] s, int at, String word) {
    if (at + word.length() > s.length) return false;
    for (int k = 0; k < word.length(); k++) {
      int c = s[at + k];
      if (c >= 'A' && c <= 'Z') c += 32;
      if (c != word.charAt(k)) return false;
    }
    return true;
  }
}
