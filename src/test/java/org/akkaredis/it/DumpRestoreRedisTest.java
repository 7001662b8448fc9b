package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.persistence.Crc64;
import org.junit.jupiter.api.Test;

/**
 * DUMP on a real redis-server 7.0 and RESTORE on the node, and the reverse, for every type in each encoding Redis
 * has for it (small ones in listpacks or intsets, large ones in their plain forms, strings as integers, short,
 * LZF-compressed): the restored value has the same DEBUG DIGEST-VALUE and OBJECT ENCODING as the original.
 */
class DumpRestoreRedisTest extends NodeBesideRedisDebug {
  /** One value, as the commands that build it under {@code key}. */
  private record Case(String key, List<String[]> commands) {}

  private static Case of(String key, String... command) {
    return new Case(key, List.<String[]>of(command));
  }

  private static Case many(String key, String command, int count, java.util.function.IntFunction<String[]> items) {
    List<String[]> commands = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String[] tail = items.apply(i);
      String[] args = new String[2 + tail.length];
      args[0] = command;
      args[1] = key;
      System.arraycopy(tail, 0, args, 2, tail.length);
      commands.add(args);
    }
    return new Case(key, commands);
  }

  private static List<Case> cases() {
    return List.of(
        of("s-embstr", "SET", "s-embstr", "bar"),
        of("s-int", "SET", "s-int", "-12345"),
        of("s-int64", "SET", "s-int64", "9223372036854775807"),
        of("s-raw", "SET", "s-raw", "abc".repeat(300)),
        of("s-empty", "SET", "s-empty", ""),
        of("l-small", "RPUSH", "l-small", "a", "1", "-20", "300", "70000", "5000000000", "x".repeat(100)),
        many("l-large", "RPUSH", 2000, i -> new String[] {"item-" + i}),
        of("set-intset", "SADD", "set-intset", "1", "-2", "300", "70000", "5000000000"),
        of("set-small", "SADD", "set-small", "a", "b", "1"),
        many("set-large", "SADD", 700, i -> new String[] {Integer.toString(i)}),
        of("z-small", "ZADD", "z-small", "1", "a", "2.5", "b", "-3", "c", "inf", "d", "-inf", "e", "0.1", "f"),
        many("z-large", "ZADD", 300, i -> new String[] {Double.toString(i / 3.0), "member-" + i}),
        of("h-small", "HSET", "h-small", "f1", "v1", "n", "123", "big", "-9223372036854775808", "e", ""),
        many("h-large", "HSET", 700, i -> new String[] {"field-" + i, "value-" + i}),
        of("h-long", "HSET", "h-long", "f", "v".repeat(100), "g", "w"));
  }

  private static void build(RespConnection c, Case value) {
    c.call("DEL", value.key());
    for (String[] command : value.commands()) assertFalse(c.call(command).isError(), String.join(" ", command));
  }

  private static byte[] b(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String digest(RespConnection c, String key) {
    return c.call("DEBUG", "DIGEST-VALUE", key).get(0).text();
  }

  /** Builds every case on {@code from}, DUMPs it, RESTOREs it on {@code to} and compares the two. */
  private static void transfer(RedisEndpoint from, RedisEndpoint to) {
    try (RespConnection source = from.connect(); RespConnection target = to.connect()) {
      for (Case value : cases()) {
        build(source, value);
        RespReply payload = source.call("DUMP", value.key());
        assertFalse(payload.isNull() || payload.isError(), value.key() + ": " + payload);
        String restored = value.key() + "-restored";
        target.call("DEL", restored);
        RespReply reply = target.call(b("RESTORE"), b(restored), b("0"), payload.bytes());
        assertEquals("OK", reply.text(), value.key() + " from " + from.describe() + " to " + to.describe());
        assertEquals(digest(source, value.key()), digest(target, restored), value.key() + ": DIGEST-VALUE");
        assertEquals(source.call("OBJECT", "ENCODING", value.key()).text(),
            target.call("OBJECT", "ENCODING", restored).text(), value.key() + ": OBJECT ENCODING");
        assertEquals(-1, target.call("PTTL", restored).integer());
      }
    }
  }

  @Test
  void redisPayloadsRestoreOnTheNode() {
    transfer(redis, node);
  }

  @Test
  void nodePayloadsRestoreOnRedis() {
    transfer(node, redis);
  }

  @Test
  void errorsAreRedisErrors() {
    try (RespConnection r = redis.connect(); RespConnection n = node.connect()) {
      for (RespConnection c : List.of(r, n)) {
        c.call("SET", "busy", "x");
        c.call("DEL", "free");
      }
      byte[] payload = r.call("DUMP", "busy").bytes();
      byte[] flipped = payload.clone();
      flipped[1] ^= 1;
      byte[] emptyList = {1, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0};
      long crc = Crc64.update(0, emptyList, 0, 4);
      for (int i = 0; i < 8; i++) emptyList[4 + i] = (byte) (crc >>> (8 * i));
      List<byte[][]> calls = List.of(
          new byte[][] {b("RESTORE"), b("busy"), b("0"), payload},
          new byte[][] {b("RESTORE"), b("free"), b("0"), flipped},
          new byte[][] {b("RESTORE"), b("free"), b("0"), emptyList},
          new byte[][] {b("RESTORE"), b("free"), b("-5"), payload},
          new byte[][] {b("RESTORE"), b("free"), b("0"), payload, b("IDLETIME"), b("-1")},
          new byte[][] {b("RESTORE"), b("free"), b("0"), payload, b("FREQ"), b("256")},
          new byte[][] {b("RESTORE"), b("free"), b("0"), payload, b("FREQ"), b("1"), b("IDLETIME"), b("1")},
          new byte[][] {b("RESTORE-ASKING"), b("busy"), b("0"), payload},
          new byte[][] {b("DUMP"), b("free")});
      for (byte[][] call : calls) {
        RespReply expected = r.call(call);
        RespReply actual = n.call(call);
        assertTrue(expected.rawEquals(actual), new String(call[0]) + " " + new String(call[1]) + ": redis "
            + expected.escaped(200) + ", node " + actual.escaped(200));
      }
    }
  }

  /** A restored list serves a client blocked on its key, as any list push does. */
  @Test
  void aRestoredListWakesABlockedClient() {
    try (RespConnection blocked = node.connect(); RespConnection c = node.connect()) {
      c.call("DEL", "queue", "source");
      c.call("RPUSH", "source", "first", "second");
      byte[] payload = c.call("DUMP", "source").bytes();
      blocked.send("BLPOP", "queue", "10");
      // The BLPOP is registered once CLIENT LIST shows it blocked.
      Await.until("BLPOP blocked", Duration.ofSeconds(10),
          () -> c.call("CLIENT", "LIST").text().contains("cmd=blpop"));
      assertEquals("OK", c.call(b("RESTORE"), b("queue"), b("0"), payload).text());
      assertEquals(List.of("queue", "first"), blocked.read().texts());
      assertEquals(List.of("second"), c.call("LRANGE", "queue", "0", "-1").texts());
    }
  }
}
