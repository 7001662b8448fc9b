package org.akkaredis.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The C string functions Redis reads and writes its text files with (redis.conf, the AOF manifest), byte for byte:
 * sdscatrepr (quoting a value), sdstrim and sdssplitargs (a line into words) and atoll (a sequence number), in the
 * C locale. One copy for the settings and for persistence.
 */
public final class SdsText {
  private SdsText() {}

  /**
   * Appends {@code name} as Redis writes a file name: bare, or, when sdsneedsrepr says the bare name would not read
   * back (spaces, quotes, control or non-ASCII bytes), in double quotes with C escapes, as sdscatrepr does.
   */
  public static void appendRepr(StringBuilder text, byte[] name) {
    if (!needsRepr(name)) {
      text.append(new String(name, StandardCharsets.US_ASCII));
      return;
    }
    appendQuoted(text, name);
  }

  /** Appends {@code value} in double quotes with C escapes, always, as sdscatrepr does (CONFIG REWRITE's strings). */
  public static void appendQuoted(StringBuilder text, byte[] value) {
    text.append('"');
    for (byte b : value) {
      switch (b) {
        case '\\' -> text.append("\\\\");
        case '"' -> text.append("\\\"");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        case '\t' -> text.append("\\t");
        case 7 -> text.append("\\a");
        case '\b' -> text.append("\\b");
        default -> {
          if (isPrint(b)) {
            text.append((char) b);
          } else {
            text.append("\\x").append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
          }
        }
      }
    }
    text.append('"');
  }

  private static boolean needsRepr(byte[] name) {
    for (byte b : name) {
      if (b == '\\' || b == '"' || !isPrint(b) || isSpace(b)) return true;
    }
    return false;
  }

  /** C's isprint in the C locale: bytes 0x20 to 0x7e. */
  private static boolean isPrint(int b) {
    return b >= 0x20 && b < 0x7f;
  }

  /** C's isspace in the C locale: space, \t, \n, \v, \f, \r. */
  public static boolean isSpace(int b) {
    return b == ' ' || (b >= '\t' && b <= '\r');
  }

  /** As sdstrim(s, " \t\r\n") on {@code bytes[from..to)}. */
  public static byte[] trim(byte[] bytes, int from, int to) {
    while (from < to && isTrimmed(bytes[from])) from++;
    while (to > from && isTrimmed(bytes[to - 1])) to--;
    return Arrays.copyOfRange(bytes, from, to);
  }

  private static boolean isTrimmed(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
  }

  /** As C's atoll (strtoll in base 10): leading spaces, a sign, digits up to the first non-digit; saturates. */
  public static long atoll(byte[] value) {
    int i = 0;
    while (i < value.length && isSpace(value[i])) i++;
    boolean negative = false;
    if (i < value.length && (value[i] == '+' || value[i] == '-')) negative = value[i++] == '-';
    long result = 0;
    for (; i < value.length && value[i] >= '0' && value[i] <= '9'; i++) {
      int digit = value[i] - '0';
      if (result > (Long.MAX_VALUE - digit) / 10) return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
      result = result * 10 + digit;
    }
    return negative ? -result : result;
  }

  /**
   * As Redis's sdssplitargs: words separated by spaces; "double quotes" with C escapes (\n, \r, \t, \b, \a, \xHH,
   * any other escaped character as itself); 'single quotes' where only \' is an escape. A closing quote must be
   * followed by a space or the end of the line. Returns null where Redis's returns NULL (unbalanced quotes).
   */
  public static List<byte[]> splitArgs(byte[] line) {
    List<byte[]> args = new ArrayList<>();
    int p = 0;
    int n = line.length;
    while (true) {
      while (p < n && isSpace(line[p])) p++;
      if (p == n) return args;
      ByteArrayOutputStream current = new ByteArrayOutputStream();
      // The quote the word is in: '"', '\'', or 0 outside quotes.
      int quote = 0;
      boolean done = false;
      while (!done) {
        int c = p < n ? line[p] : 0;
        int next = p + 1 < n ? line[p + 1] : 0;
        if (quote == '"' && c == '\\' && next == 'x' && p + 3 < n && isHex(line[p + 2]) && isHex(line[p + 3])) {
          current.write(Character.digit(line[p + 2], 16) * 16 + Character.digit(line[p + 3], 16));
          p += 3;
        } else if (quote == '"' && c == '\\' && next != 0) {
          p++;
          current.write(switch (next) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'a' -> 7;
            default -> next;
          });
        } else if (quote == '\'' && c == '\\' && next == '\'') {
          p++;
          current.write('\'');
        } else if (quote != 0 && c == quote) {
          if (next != 0 && !isSpace(next)) return null;
          done = true;
        } else if (quote != 0 && c == 0) {
          return null;
        } else if (quote != 0) {
          current.write(c);
        } else {
          switch (c) {
            case ' ', '\n', '\r', '\t', 0 -> done = true;
            case '"', '\'' -> quote = c;
            default -> current.write(c);
          }
        }
        if (p < n) p++;
      }
      args.add(current.toByteArray());
    }
  }

  private static boolean isHex(byte b) {
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
  }
}
