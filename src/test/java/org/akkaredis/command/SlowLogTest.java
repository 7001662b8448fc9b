package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slow log's rules, as Redis 7.0.15's unit/slowlog checks them. */
class SlowLogTest {
  static byte[][] argv(String... words) {
    byte[][] out = new byte[words.length][];
    for (int i = 0; i < words.length; i++) out[i] = words[i].getBytes(StandardCharsets.UTF_8);
    return out;
  }

  static List<String> text(byte[][] argv) {
    List<String> out = new ArrayList<>();
    for (byte[] arg : argv) out.add(new String(arg, StandardCharsets.UTF_8));
    return out;
  }

  @Test void logsOnlyCommandsAtLeastAsSlowAsTheThreshold() {
    SlowLog log = new SlowLog();
    assertFalse(log.record(99, argv("ping"), "127.0.0.1:1", "", 1, 100, 128));
    assertTrue(log.record(100, argv("ping"), "127.0.0.1:1", "", 1, 100, 128));
    assertFalse(log.record(1_000_000, argv("ping"), "127.0.0.1:1", "", 1, -1, 128), "negative threshold: off");
    assertEquals(1, log.length());
  }

  @Test void keepsTheNewestUpToMaxLenWithGrowingIds() {
    SlowLog log = new SlowLog();
    for (int i = 0; i < 100; i++) log.record(5, argv("ping", "" + i), "a:1", "n", 1000 + i, 0, 10);
    assertEquals(10, log.length());
    List<SlowLog.Entry> newest = log.newest(5);
    assertEquals(5, newest.size());
    assertEquals(99, newest.get(0).id());
    assertEquals(List.of("ping", "99"), text(newest.get(0).argv()));
    assertEquals(1099, newest.get(0).timeSeconds());
    assertEquals(10, log.newest(-1).size());
    assertEquals(0, log.newest(0).size());
    log.reset();
    assertEquals(0, log.length());
    log.record(5, argv("ping"), "a:1", "n", 1, 0, 10);
    assertEquals(100, log.newest(1).get(0).id(), "ids go on after RESET");
    log.record(5, argv("ping"), "a:1", "n", 1, 0, 0);
    assertEquals(0, log.length(), "slowlog-max-len 0 keeps nothing");
  }

  @Test void trimsArgumentsAsRedis() {
    String[] sadd = new String[34];
    sadd[0] = "sadd";
    sadd[1] = "set";
    for (int i = 2; i < 34; i++) sadd[i] = Integer.toString(i + 1);
    byte[][] trimmed = SlowLog.trimmed(argv(sadd));
    assertEquals(32, trimmed.length);
    assertEquals("31", new String(trimmed[30], StandardCharsets.UTF_8));
    assertEquals("... (3 more arguments)", new String(trimmed[31], StandardCharsets.UTF_8));

    byte[][] longArg = SlowLog.trimmed(argv("sadd", "set", "foo", "A".repeat(129)));
    assertEquals("A".repeat(128) + "... (1 more bytes)", new String(longArg[3], StandardCharsets.UTF_8));
    byte[][] exact = argv("get", "B".repeat(128));
    assertArrayEquals(exact[1], SlowLog.trimmed(exact)[1]);
  }
}
