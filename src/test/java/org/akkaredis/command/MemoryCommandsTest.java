package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.RedisList;
import org.junit.jupiter.api.Test;

/** MEMORY USAGE's arguments and replies; the error texts and the order of the checks are redis-server 7.0.15's. */
class MemoryCommandsTest {
  private static CommandTable table() {
    CommandTable.Builder b = CommandTable.builder();
    StringCommands.register(b);
    ListCommands.register(b);
    MemoryCommands.register(b);
    return b.build();
  }

  private final TestKeyspace ts = new TestKeyspace(table());

  private String r(String... args) {
    return ts.resp(args);
  }

  @Test
  void aMissingKeyIsNilAndAStringIsItsEntryWithItsBytes() {
    assertEquals("$-1\r\n", r("MEMORY", "USAGE", "nokey"));
    r("SET", "s", "value");
    long expected = ts.db().memoryUsage(Key.of("s"), 5);
    assertEquals(":" + expected + "\r\n", r("MEMORY", "USAGE", "s"));
    assertEquals(":" + expected + "\r\n", r("memory", "usage", "s", "samples", "0"));
  }

  @Test
  void samplesPicksHowManyElementsAreMeasured() {
    RedisList list = new RedisList();
    for (int i = 0; i < 100; i++) list.push(false, new byte[i]);
    ts.db().put(Key.of("l"), list);
    long all = ts.db().memoryUsage(Key.of("l"), 0);
    long five = ts.db().memoryUsage(Key.of("l"), 5);
    assertEquals(":" + five + "\r\n", r("MEMORY", "USAGE", "l"));
    assertEquals(":" + all + "\r\n", r("MEMORY", "USAGE", "l", "SAMPLES", "0"));
    assertEquals(":" + all + "\r\n", r("MEMORY", "USAGE", "l", "SAMPLES", "100"));
    assertEquals(":" + all + "\r\n", r("MEMORY", "USAGE", "l", "SAMPLES", "1", "SAMPLES", "0"), "the last one counts");
    assertTrue(five < all, "the first five elements are the smallest");
  }

  @Test
  void badOptionsAreRefusedBeforeTheKeyIsLookedAt() {
    String syntax = "-ERR syntax error\r\n";
    assertEquals(syntax, r("MEMORY", "USAGE", "nokey", "SAMPLES"));
    assertEquals(syntax, r("MEMORY", "USAGE", "nokey", "SAMPLES", "-1"));
    assertEquals(syntax, r("MEMORY", "USAGE", "nokey", "FOO"));
    assertEquals("-ERR value is not an integer or out of range\r\n", r("MEMORY", "USAGE", "nokey", "SAMPLES", "x"));
    assertEquals("-ERR wrong number of arguments for 'memory|usage' command\r\n", r("MEMORY", "USAGE"));
  }

  @Test
  void doctorJudgesOnlyFromFiveMegabytesAndNamesEachIssue() {
    long mb = 1024 * 1024;
    assertEquals(MemoryCommands.EMPTY, MemoryCommands.doctorReport(4 * mb, 4 * mb, 0, 1));
    assertEquals(MemoryCommands.HEALTHY, MemoryCommands.doctorReport(10 * mb, 14 * mb, 100_000, 1));
    String peak = MemoryCommands.doctorReport(10 * mb, 16 * mb, 100_000, 1);
    assertTrue(peak.startsWith("Sam, I detected a few issues") && peak.contains("* Peak memory")
        && !peak.contains("Big client buffers"), peak);
    String buffers = MemoryCommands.doctorReport(10 * mb, 10 * mb, 2 * 300_000, 2);
    assertTrue(buffers.contains("* Big client buffers") && !buffers.contains("Peak memory"), buffers);
  }
}
