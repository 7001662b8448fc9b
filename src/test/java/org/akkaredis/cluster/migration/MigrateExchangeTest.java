package org.akkaredis.cluster.migration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrateExchangeTest {
  private static MigrateArgs args(String... words) {
    byte[][] a = new byte[words.length][];
    for (int i = 0; i < words.length; i++) a[i] = words[i].getBytes(StandardCharsets.ISO_8859_1);
    return (MigrateArgs) MigrateArgs.parse(a);
  }

  private static MigrateExchange.KeyPayload key(String name, long ttl, String payload) {
    return new MigrateExchange.KeyPayload(name.getBytes(), ttl, payload.getBytes());
  }

  @Test
  void theRequestAsRedisWritesIt() {
    MigrateArgs a = args("MIGRATE", "h", "1", "", "2", "10", "REPLACE", "AUTH2", "u", "pw", "KEYS", "a", "b");
    String request = MigrateExchange.request(a, true, true, List.of(key("a", 0, "P1"), key("b", 1500, "P2")))
        .utf8String();
    assertEquals("*3\r\n$4\r\nAUTH\r\n$1\r\nu\r\n$2\r\npw\r\n"
        + "*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n"
        + "*5\r\n$14\r\nRESTORE-ASKING\r\n$1\r\na\r\n$1\r\n0\r\n$2\r\nP1\r\n$7\r\nREPLACE\r\n"
        + "*5\r\n$14\r\nRESTORE-ASKING\r\n$1\r\nb\r\n$4\r\n1500\r\n$2\r\nP2\r\n$7\r\nREPLACE\r\n", request);
    String plain = MigrateExchange.request(args("MIGRATE", "h", "1", "a", "0", "10"), false, false,
        List.of(key("a", 7, "P"))).utf8String();
    assertEquals("*4\r\n$7\r\nRESTORE\r\n$1\r\na\r\n$1\r\n7\r\n$1\r\nP\r\n", plain);
  }

  @Test
  void aBigPayloadIsInTheRequestWhole() {
    String payload = "p".repeat(5000);
    String request = MigrateExchange.request(args("MIGRATE", "h", "1", "a", "0", "10"), false, false,
        List.of(key("a", 0, payload))).utf8String();
    assertEquals("*4\r\n$7\r\nRESTORE\r\n$1\r\na\r\n$1\r\n0\r\n$5000\r\n" + payload + "\r\n", request);
  }

  @Test
  void ttlAtLeastOneMillisecond() {
    assertEquals(0, MigrateExchange.ttlOf(-1, 1000));
    assertEquals(500, MigrateExchange.ttlOf(1500, 1000));
    assertEquals(1, MigrateExchange.ttlOf(1000, 1000));
    assertEquals(-1, MigrateExchange.ttlOf(999, 1000));
  }

  @Test
  void verdicts() {
    MigrateExchange.Verdict ok = MigrateExchange.judge("+OK", "+OK", List.of("+OK", "+OK"), 2);
    assertArrayEquals(new boolean[] {true, true}, ok.acknowledged());
    assertNull(ok.error());

    MigrateExchange.Verdict busy = MigrateExchange.judge(null, null, List.of("+OK", "-BUSYKEY exists", "-ERR x"), 3);
    assertArrayEquals(new boolean[] {true, false, false}, busy.acknowledged());
    assertEquals("ERR Target instance replied with error: BUSYKEY exists", busy.replyText());

    // A failed AUTH or SELECT makes every key an error, reported as the AUTH's (or SELECT's) error.
    MigrateExchange.Verdict auth = MigrateExchange.judge("-WRONGPASS no", "+OK", List.of("-NOAUTH", "+OK"), 2);
    assertArrayEquals(new boolean[] {false, false}, auth.acknowledged());
    assertEquals("WRONGPASS no", auth.error());
    assertEquals("ERR bad db", MigrateExchange.judge(null, "-ERR bad db", List.of("+OK"), 1).error());

    // The connection broke after the first reply: the second key is not acknowledged.
    assertArrayEquals(new boolean[] {true, false}, MigrateExchange.judge(null, null, List.of("+OK"), 2)
        .acknowledged());
  }
}
