package org.akkaredis.command;

import java.nio.charset.StandardCharsets;
import org.akkaredis.config.RedisGlob;
import org.akkaredis.text.RedisNumbers;

/** Parsing of command arguments the way Redis does it (string2ll, glob patterns), and bytes/text conversion. */
public final class Args {
  private Args() {}

  /**
   * Bytes as text one char per byte (ISO-8859-1), the inverse of {@link #bytes(String)}: user bytes that end
   * up in replies (client names, error messages quoting arguments) go back out exactly as they came in.
   */
  public static String text(byte[] arg) {
    return new String(arg, StandardCharsets.ISO_8859_1);
  }

  public static byte[] bytes(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  public static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Case-insensitive comparison of an argument with an ASCII keyword, without allocating. */
  public static boolean is(byte[] arg, String keyword) {
    if (arg.length != keyword.length()) return false;
    for (int i = 0; i < arg.length; i++) {
      int a = arg[i] & 0xFF;
      int k = keyword.charAt(i);
      if (a >= 'A' && a <= 'Z') a += 32;
      if (k >= 'A' && k <= 'Z') k += 32;
      if (a != k) return false;
    }
    return true;
  }

  /** Case-insensitive (ASCII) comparison of an argument with lower-case name bytes. */
  static boolean is(byte[] arg, byte[] lowerName) {
    if (arg.length != lowerName.length) return false;
    for (int i = 0; i < arg.length; i++) {
      int a = arg[i];
      if (a >= 'A' && a <= 'Z') a += 32;
      if (a != lowerName[i]) return false;
    }
    return true;
  }

  /**
   * Redis's string2ll: an optional '-', then digits without leading zeros (except "0"), within 64 bits.
   * Returns null when the argument is not such an integer.
   */
  public static Long parseLong(byte[] arg) {
    return RedisNumbers.string2ll(arg);
  }

  /** Redis's stringmatchlen: glob-style matching with *, ?, [...] (with ^ and ranges) and \ escapes. */
  public static boolean globMatch(byte[] pattern, byte[] string, boolean nocase) {
    return RedisGlob.matches(pattern, string, nocase);
  }
}
