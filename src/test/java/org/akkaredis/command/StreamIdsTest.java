package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.akkaredis.keyspace.RedisStream.Id;
import org.junit.jupiter.api.Test;

/** Stream ids as Redis parses them (streamGenericParseIDOrReply with string2ull's C strtoull fallback). */
class StreamIdsTest {
  private static StreamCommands.ParsedId parse(String text, long missingSeq, boolean strict, boolean star) {
    return StreamCommands.parseId(text.getBytes(StandardCharsets.ISO_8859_1), missingSeq, strict, star);
  }

  @Test
  void theFormsRedisAccepts() {
    assertEquals(new Id(5, 3), parse("5-3", 0, true, false).id());
    assertEquals(new Id(5, 0), parse("5", 0, true, false).id());
    assertEquals(new Id(5, -1L), parse("5", -1L, false, false).id());
    assertEquals(Id.MIN, parse("-", 0, false, false).id());
    assertEquals(Id.MAX, parse("+", 0, false, false).id());
    assertNull(parse("-", 0, true, false), "strict: no - or +");
    StreamCommands.ParsedId star = parse("7-*", 0, true, true);
    assertEquals(new Id(7, 0), star.id());
    assertFalse(star.seqGiven());
    assertNull(parse("7-*", 0, true, false), "ms-* only where XADD allows it");
    assertEquals(new Id(-1L, -1L), parse("18446744073709551615-18446744073709551615", 0, true, false).id());
    assertNull(parse("18446744073709551616", 0, true, false), "past 64 bits");
  }

  @Test
  void strtoullsLeniencyAndItsLimits() {
    assertEquals(new Id(7, 0), parse("007", 0, true, false).id(), "leading zeros");
    assertEquals(new Id(7, 0), parse("+7", 0, true, false).id());
    assertEquals(new Id(7, 0), parse(" 7", 0, true, false).id(), "leading white space");
    assertNull(parse("-0", 0, true, false), "split at the first dash: an empty ms is no number");
    assertEquals(new Id(9, 1), parse("9-+1", 0, true, false).id());
    assertEquals(new Id(10, 1), parse("10- 1", 0, true, false).id());
    assertNull(parse("-5", 0, true, false));
    assertNull(parse("5-", 0, true, false));
    assertNull(parse("5-3-1", 0, true, false));
    assertNull(parse("abc", 0, true, false));
    assertNull(parse("1".repeat(128), 0, true, false), "longer than 127 bytes");
  }
}
