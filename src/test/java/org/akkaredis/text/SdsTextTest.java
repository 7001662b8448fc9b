package org.akkaredis.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Redis's sdssplitargs, sdscatrepr, sdstrim and C's atoll as the manifest uses them. */
class SdsTextTest {
  private static List<String> split(String line) {
    List<byte[]> args = SdsText.splitArgs(line.getBytes(StandardCharsets.ISO_8859_1));
    return args == null ? null : args.stream().map(arg -> new String(arg, StandardCharsets.ISO_8859_1)).toList();
  }

  @Test
  void wordsAreSplitOnSpacesAndQuotesGroupThem() {
    assertEquals(List.of("file", "a b", "seq", "1"), split("  file \"a b\"\tseq 1 "));
    assertEquals(List.of("it's", "x"), split("'it\\'s' x"));
    assertEquals(List.of(""), split("\"\""));
  }

  @Test
  void doubleQuotesHaveCEscapesSingleQuotesOnlyTheQuote() {
    assertEquals(List.of("\n\r\t\b\u0007q\"\\\u00e9"), split("\"\\n\\r\\t\\b\\aq\\\"\\\\\\xe9\""));
    assertEquals(List.of("\\n\\x41"), split("'\\n\\x41'"));
    assertEquals(List.of("xg1"), split("\"\\xg1\""), "not a hex escape: the x stands for itself");
  }

  @Test
  void aQuoteMustBeClosedAndFollowedByASpace() {
    assertNull(split("\"open"));
    assertNull(split("'open"));
    assertNull(split("\"a\"b"));
    assertNull(split("'a'b"));
    assertEquals(List.of("a", "b"), split("\"a\" b"));
  }

  @Test
  void aNameIsQuotedOnlyWhenItWouldNotReadBack() {
    StringBuilder text = new StringBuilder();
    SdsText.appendRepr(text, "appendonly.aof".getBytes(StandardCharsets.UTF_8));
    text.append(' ');
    SdsText.appendRepr(text, "a b\"\u00e9\t".getBytes(StandardCharsets.UTF_8));
    assertEquals("appendonly.aof \"a b\\\"\\xc3\\xa9\\t\"", text.toString());
  }

  @Test
  void atollReadsLeadingDigitsAndSaturates() {
    assertEquals(12, SdsText.atoll("12abc".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(-7, SdsText.atoll("  -7".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(0, SdsText.atoll("x".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(Long.MAX_VALUE, SdsText.atoll("99999999999999999999".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(Long.MIN_VALUE, SdsText.atoll("-99999999999999999999".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void trimCutsSpacesTabsAndLineEnds() {
    byte[] line = " \tfile x\r\n".getBytes(StandardCharsets.US_ASCII);
    assertEquals("file x", new String(SdsText.trim(line, 0, line.length), StandardCharsets.US_ASCII));
  }
}
