package org.akkaredis.config;

import java.nio.charset.StandardCharsets;

/**
 * Glob matching exactly like redis-server's stringmatchlen(): {@code *}, {@code ?},
 * {@code [abc]}, {@code [^a-z]} and backslash escapes, optionally ignoring ASCII case.
 * Public so KEYS, SCAN MATCH and PSUBSCRIBE can share Redis's exact rules. Like the original,
 * no pattern matches an empty text, not even {@code *} (redis-server's KEYS treats a lone
 * {@code *} as "every key" before matching).
 */
public final class RedisGlob {

  /** redis-server's guard against patterns that would recurse too deeply. */
  private static final int MAX_NESTING = 1000;

  private RedisGlob() {
  }

  public static boolean matches(String pattern, String text, boolean ignoreCase) {
    return matches(pattern.getBytes(StandardCharsets.UTF_8), text.getBytes(StandardCharsets.UTF_8), ignoreCase);
  }

  /** Byte-wise, as redis-server compares binary-safe keys and channel names. */
  public static boolean matches(byte[] pattern, byte[] text, boolean ignoreCase) {
    boolean[] skipLongerMatches = new boolean[1];
    return match(pattern, 0, text, 0, ignoreCase, skipLongerMatches, 0);
  }

  private static boolean match(byte[] pattern, int p, byte[] text, int s, boolean ignoreCase,
                 boolean[] skipLongerMatches, int nesting) {
    if (nesting > MAX_NESTING) {
      return false;
    }
    int patternLen = pattern.length - p;
    int textLen = text.length - s;
    while (patternLen > 0 && textLen > 0) {
      switch (at(pattern, p)) {
        case '*': {
          while (patternLen > 0 && at(pattern, p + 1) == '*') {
            p++;
            patternLen--;
          }
          if (patternLen == 1) {
            return true;
          }
          while (textLen > 0) {
            if (match(pattern, p + 1, text, s, ignoreCase, skipLongerMatches, nesting + 1)) {
              return true;
            }
            if (skipLongerMatches[0]) {
              return false;
            }
            s++;
            textLen--;
          }
          // Nothing after this '*' matches anywhere in the rest: earlier stars cannot help.
          skipLongerMatches[0] = true;
          return false;
        }
        case '?':
          s++;
          textLen--;
          break;
        case '[': {
          p++;
          patternLen--;
          boolean not = at(pattern, p) == '^';
          if (not) {
            p++;
            patternLen--;
          }
          boolean matched = false;
          int c = at(text, s);
          while (true) {
            if (at(pattern, p) == '\\' && patternLen >= 2) {
              p++;
              patternLen--;
              if (at(pattern, p) == c) {
                matched = true;
              }
            } else if (at(pattern, p) == ']') {
              break;
            } else if (patternLen == 0) {
              p--;
              patternLen++;
              break;
            } else if (patternLen >= 3 && at(pattern, p + 1) == '-') {
              int start = at(pattern, p);
              int end = at(pattern, p + 2);
              int candidate = c;
              if (start > end) {
                int swap = start;
                start = end;
                end = swap;
              }
              if (ignoreCase) {
                start = lower(start);
                end = lower(end);
                candidate = lower(candidate);
              }
              p += 2;
              patternLen -= 2;
              if (candidate >= start && candidate <= end) {
                matched = true;
              }
            } else if (same(at(pattern, p), c, ignoreCase)) {
              matched = true;
            }
            p++;
            patternLen--;
          }
          if (not) {
            matched = !matched;
          }
          if (!matched) {
            return false;
          }
          s++;
          textLen--;
          break;
        }
        case '\\':
          if (patternLen >= 2) {
            p++;
            patternLen--;
          }
          // fall through: the escaped character matches itself, as in stringmatchlen
        default:
          if (!same(at(pattern, p), at(text, s), ignoreCase)) {
            return false;
          }
          s++;
          textLen--;
          break;
      }
      p++;
      patternLen--;
      if (textLen == 0) {
        while (at(pattern, p) == '*') {
          p++;
          patternLen--;
        }
        break;
      }
    }
    return patternLen == 0 && textLen == 0;
  }

  /**
   * The byte at an index as a C (signed) char, or NUL past the end, as reading a C string
   * would give.
   */
  private static int at(byte[] bytes, int index) {
    return index >= 0 && index < bytes.length ? bytes[index] : 0;
  }

  private static boolean same(int a, int b, boolean ignoreCase) {
    return ignoreCase ? lower(a) == lower(b) : a == b;
  }

  /** C tolower(): ASCII letters only. */
  private static int lower(int c) {
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
  }
}
