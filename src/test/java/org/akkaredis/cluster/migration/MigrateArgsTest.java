package org.akkaredis.cluster.migration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.akkaredis.resp.Reply;
import org.junit.jupiter.api.Test;

class MigrateArgsTest {
  private static byte[][] args(String... words) {
    byte[][] a = new byte[words.length][];
    for (int i = 0; i < words.length; i++) a[i] = words[i].getBytes(StandardCharsets.ISO_8859_1);
    return a;
  }

  private static MigrateArgs parsed(String... words) {
    return (MigrateArgs) MigrateArgs.parse(args(words));
  }

  @Test
  void oneKeyWithDefaults() {
    MigrateArgs a = parsed("MIGRATE", "10.0.0.1", "7000", "k", "3", "250");
    assertEquals("10.0.0.1:7000", a.target());
    assertEquals(7000, a.port());
    assertEquals(3, a.db());
    assertEquals(250, a.timeoutMs());
    assertFalse(a.copy() || a.replace());
    assertNull(a.password());
    assertEquals(3, a.firstKey());
    assertEquals(1, a.keyCount());
  }

  @Test
  void optionsAndKeys() {
    MigrateArgs a = parsed("MIGRATE", "h", "1", "", "0", "0", "copy", "REPLACE", "AUTH2", "u", "p", "KEYS", "a", "b");
    assertTrue(a.copy() && a.replace());
    assertArrayEquals("u".getBytes(), a.username());
    assertArrayEquals("p".getBytes(), a.password());
    assertEquals(12, a.firstKey());
    assertEquals(2, a.keyCount());
    assertEquals(1000, a.timeoutMs(), "a timeout of 0 or less is a second, as Redis's");
    assertEquals(0, parsed("MIGRATE", "h", "1", "", "0", "5", "KEYS").keyCount());
    assertArrayEquals("pw".getBytes(), parsed("MIGRATE", "h", "1", "k", "0", "5", "AUTH", "pw").password());
  }

  @Test
  void errorsInRedisOrder() {
    assertEquals(Reply.SYNTAX_ERROR, MigrateArgs.parse(args("MIGRATE", "h", "1", "k", "x", "y", "BAD")));
    assertEquals(Reply.SYNTAX_ERROR, MigrateArgs.parse(args("MIGRATE", "h", "1", "k", "0", "1", "AUTH")));
    assertEquals(Reply.SYNTAX_ERROR, MigrateArgs.parse(args("MIGRATE", "h", "1", "k", "0", "1", "AUTH2", "u")));
    assertEquals(MigrateArgs.KEYS_NEED_EMPTY_KEY, MigrateArgs.parse(args("MIGRATE", "h", "1", "k", "0", "1", "KEYS",
        "a")));
    assertEquals(Reply.NOT_INTEGER, MigrateArgs.parse(args("MIGRATE", "h", "1", "k", "0", "1.5")));
    assertEquals(Reply.NOT_INTEGER, MigrateArgs.parse(args("MIGRATE", "h", "1", "k", "x", "1")));
  }

  /** The port as C's atoi reads it (what Redis connects to). */
  @Test
  void portIsAtoi() {
    assertEquals(0, MigrateArgs.atoi("abc".getBytes()));
    assertEquals(12, MigrateArgs.atoi(" 12x".getBytes()));
    assertEquals(-1, MigrateArgs.atoi("-1".getBytes()));
    assertEquals(70000, MigrateArgs.atoi("+70000".getBytes()));
    assertEquals(" 12x", parsed("MIGRATE", "h", " 12x", "k", "0", "1").portText(), "named as given");
  }
}
