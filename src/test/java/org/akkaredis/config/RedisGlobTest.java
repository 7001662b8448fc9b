package org.akkaredis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedisGlobTest {

  @ParameterizedTest(name = "{0} ~ {1}")
  @CsvSource(delimiter = '|', value = {
    "*|anything|true|true",
    // As in redis-server: an empty text matches nothing (KEYS short-cuts a lone "*" itself).
    "*|''|true|false",
    "h?llo|hello|true|true",
    "h?llo|hllo|true|false",
    "h*llo|heeeello|true|true",
    "h[ae]llo|hallo|true|true",
    "h[ae]llo|hillo|true|false",
    "h[^e]llo|hallo|true|true",
    "h[^e]llo|hello|true|false",
    "h[a-b]llo|hbllo|true|true",
    "h[b-a]llo|hbllo|true|true",
    "h\\*llo|h*llo|true|true",
    "h\\*llo|hello|true|false",
    "HELLO|hello|true|true",
    "HELLO|hello|false|false",
    "[A-C]x|bx|true|true",
    "[A-C]x|bx|false|false",
    "a*b*c|aXbYc|true|true",
    "a*b*c|aXbY|true|false",
    "[abc|b|true|true",
    "x[|x|true|false",
    "**port|port|true|true",
  })
  void matchesLikeRedisStringmatch(String pattern, String text, boolean ignoreCase, boolean expected) {
    assertEquals(expected, RedisGlob.matches(pattern, text, ignoreCase));
  }
}
