package org.akkaredis.command;

import java.util.regex.Pattern;
import org.akkaredis.keyspace.RedisZSet;
import org.akkaredis.resp.Reply;

/** Sorted-set scores as Redis 7.0 reads (strtod) and prints them ("%.17g", and d2string for ZSCAN). */
final class Scores {
  private Scores() {}

  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern HEX =
      Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)([pP][+-]?\\d+)?");
  private static final Pattern INFINITY = Pattern.compile("[+-]?(?i:inf|infinity)");

  /**
   * The whole argument as strtod reads it, or null (also for NaN). {@code strict} is Redis's string2d (ZADD,
   * ZINCRBY, WEIGHTS): no leading white space, no overflow to infinity, no underflow to zero.
   */
  static Double parse(byte[] arg, boolean strict) {
    Long integer = Args.parseLong(arg);
    if (integer != null && Math.abs(integer) < 1L << 53) return (double) integer;
    String text = Args.text(arg);
    if (!strict) text = text.replaceFirst("^[ \\t\\n\\u000B\\f\\r]+", "");
    if (INFINITY.matcher(text).matches()) {
      return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    double value;
    if (DECIMAL.matcher(text).matches()) {
      value = Double.parseDouble(text);
    } else if (HEX.matcher(text).matches()) {
      value = Double.parseDouble(text.matches(".*[pP].*") ? text : text + "p0");
    } else {
      return null;
    }
    if (strict && (Double.isInfinite(value) || (value == 0 && nonZeroMantissa(text)))) return null;
    return value;
  }

  /** Whether the digits before the exponent are not all zeros (a zero result is then an underflow). */
  private static boolean nonZeroMantissa(String number) {
    String mantissa = number.matches("[+-]?0[xX].*")
        ? number.replaceFirst("^[+-]?0[xX]", "").replaceFirst("[pP].*$", "")
        : number.replaceFirst("[eE].*$", "");
    return mantissa.chars().anyMatch(c -> c != '0' && c != '.' && c != '+' && c != '-');
  }

  /** C's "%.17g", as Redis prints scores. */
  static String format(double d) {
    return RedisZSet.formatScore(d);
  }

  /** Redis's d2string (ZSCAN): integers within ±LLONG_MAX/2 print as integers, other values as "%.17g". */
  static String formatForScan(double d) {
    if (d != 0 && Math.abs(d) <= Long.MAX_VALUE / 2 && d == (long) d) return Long.toString((long) d);
    return format(d);
  }

  /** A score reply: a RESP3 double, a bulk string in RESP2. */
  static Reply reply(double d) {
    return new Reply.Dbl(format(d));
  }
}
