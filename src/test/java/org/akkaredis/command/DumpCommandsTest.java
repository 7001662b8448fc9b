package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Key;
import org.akkaredis.persistence.Crc64;
import org.akkaredis.resp.Reply;
import org.akkaredis.resp.RespWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DUMP, RESTORE and RESTORE-ASKING on a one-range keyspace with a controlled clock: Redis's restoreCommand's checks
 * in its order, its TTL, LRU and LFU handling, and what reaches replicas and the AOF. Expected replies and effects
 * were taken from redis-server 7.0.15 (its replication stream for the effects).
 */
class DumpCommandsTest {
  private static CommandTable table() {
    CommandTable.Builder b = CommandTable.builder();
    StringCommands.register(b);
    KeyCommands.register(b);
    ListCommands.register(b);
    HashCommands.register(b);
    SetCommands.register(b);
    DumpCommands.register(b);
    return b.build();
  }

  private TestKeyspace ks = new TestKeyspace(table());
  private final List<String> sink = new ArrayList<>();

  @BeforeEach
  void listen() {
    listen(ks);
  }

  private void listen(TestKeyspace keyspace) {
    keyspace.state.propagation().sink((range, db, resp) -> sink.add(new String(resp, StandardCharsets.ISO_8859_1)));
  }

  private static byte[] b(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private String r(String... args) {
    return ks.resp(args);
  }

  private String r(byte[]... args) {
    return new String(RespWriter.encode(ks.run(args), 2), StandardCharsets.ISO_8859_1);
  }

  private byte[] dump(String key) {
    Reply reply = ks.run("dump", key);
    assertTrue(reply instanceof Reply.Bulk, "DUMP " + key + " gave " + reply);
    return ((Reply.Bulk) reply).bytes();
  }

  private List<String> effects() {
    ks.state.flushEffects();
    List<String> out = List.copyOf(sink);
    sink.clear();
    return out;
  }

  private static String resp(String... args) {
    StringBuilder text = new StringBuilder("*" + args.length + "\r\n");
    for (String arg : args) text.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
    return text.toString();
  }

  @Test void dumpOfAMissingKeyIsNil() {
    assertEquals("$-1\r\n", r("dump", "nokey"));
  }

  @Test void restoreRecreatesEachType() {
    r("set", "s", "bar");
    r("rpush", "l", "a", "b", "c");
    r("hset", "h", "f", "v", "g", "w");
    for (String key : List.of("s", "l", "h")) {
      byte[] payload = dump(key);
      r("del", key);
      assertEquals("+OK\r\n", r(b("restore"), b(key), b("0"), payload));
      assertEquals("$-1\r\n".equals(r("dump", key)), false);
    }
    assertEquals("$3\r\nbar\r\n", r("get", "s"));
    assertEquals("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", r("lrange", "l", "0", "-1"));
    assertEquals("$1\r\nw\r\n", r("hget", "h", "g"));
    assertEquals(":-1\r\n", r("ttl", "s"));
  }

  @Test void checksInRedisOrder() {
    byte[] payload = b("...");
    assertEquals("-ERR syntax error\r\n", r("restore", "foo", "0", "...", "invalid-option"));
    assertEquals("-ERR syntax error\r\n", r("restore", "foo", "0", "...", "freq", "1", "idletime", "1"));
    assertEquals("-ERR syntax error\r\n", r("restore", "foo", "0", "...", "idletime", "1", "freq", "1"));
    assertEquals("-ERR syntax error\r\n", r("restore", "foo", "0", "...", "idletime"));
    assertEquals("-ERR value is not an integer or out of range\r\n", r("restore", "foo", "0", "...", "idletime", "x"));
    assertEquals("-ERR Invalid IDLETIME value, must be >= 0\r\n", r("restore", "foo", "0", "...", "idletime", "-1"));
    assertEquals("-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n", r("restore", "foo", "0", "...", "freq", "256"));
    assertEquals("-ERR value is not an integer or out of range\r\n", r("restore", "foo", "abc", "..."));
    assertEquals("-ERR Invalid TTL value, must be >= 0\r\n", r("restore", "foo", "-1", "..."));
    assertEquals("-ERR DUMP payload version or checksum are wrong\r\n", r(b("restore"), b("foo"), b("0"), payload));
    assertEquals("-ERR DUMP payload version or checksum are wrong\r\n", r("restore-asking", "foo", "0", "..."));
    r("set", "foo", "bar");
    // BUSYKEY comes before the TTL's checks; options before BUSYKEY.
    assertEquals("-BUSYKEY Target key name already exists.\r\n", r("restore", "foo", "abc", "..."));
    assertEquals("-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n",
        r("restore", "foo", "0", "...", "replace", "freq", "300"));
    assertEquals(List.of(resp("set", "foo", "bar")), effects(), "refusals propagate nothing");
  }

  @Test void badDataFormat() {
    // A list of no elements, with a correct footer: Redis refuses an empty key.
    byte[] empty = {1, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    long crc = Crc64.update(0, empty, 0, 4);
    for (int i = 0; i < 8; i++) empty[4 + i] = (byte) (crc >>> (8 * i));
    assertEquals("-ERR Bad data format\r\n", r(b("restore"), b("k"), b("0"), empty));
    assertEquals("$-1\r\n", r("dump", "k"));
  }

  @Test void replaceOverwrites() {
    r("set", "foo", "bar1");
    byte[] first = dump("foo");
    r("set", "foo", "bar2");
    byte[] second = dump("foo");
    r("del", "foo");
    assertEquals("+OK\r\n", r(b("restore"), b("foo"), b("0"), first));
    assertEquals("-BUSYKEY Target key name already exists.\r\n", r(b("restore"), b("foo"), b("0"), second));
    assertEquals("+OK\r\n", r(b("restore"), b("foo"), b("0"), second, b("REPLACE")));
    assertEquals("$4\r\nbar2\r\n", r("get", "foo"));
  }

  @Test void relativeTtlIsPropagatedAsAbsoluteWithAbsttl() {
    r("set", "foo", "bar");
    byte[] payload = dump("foo");
    r("del", "foo");
    effects();
    long now = ks.clock.get();
    assertEquals("+OK\r\n", r(b("restore"), b("foo"), b("5000"), payload));
    assertEquals(":5000\r\n", r("pttl", "foo"));
    String p = new String(payload, StandardCharsets.ISO_8859_1);
    assertEquals(List.of(resp("restore", "foo", Long.toString(now + 5000), p, "ABSTTL")), effects());

    assertEquals("+OK\r\n", r(b("restore"), b("bar"), b(Long.toString(now + 3000)), payload, b("absttl")));
    assertEquals(":3000\r\n", r("pttl", "bar"));
    assertEquals(List.of(resp("restore", "bar", Long.toString(now + 3000), p, "absttl")), effects());

    assertEquals("+OK\r\n", r(b("restore"), b("big"), b("2569591501"), payload));
    assertEquals(":2569591501\r\n", r("pttl", "big"));
  }

  @Test void anAbsoluteTtlInThePastCreatesNothing() {
    r("set", "foo", "bar");
    byte[] payload = dump("foo");
    effects();
    long past = ks.clock.get() - 3000;
    assertEquals("+OK\r\n", r(b("restore"), b("new"), b(Long.toString(past)), payload, b("absttl")));
    assertEquals(":0\r\n", r("exists", "new"));
    assertEquals(List.of(), effects(), "nothing changed, nothing propagated");
    // With REPLACE the old key goes, and goes as DEL.
    assertEquals("+OK\r\n", r(b("restore"), b("foo"), b(Long.toString(past)), payload, b("absttl"), b("replace")));
    assertEquals(":0\r\n", r("exists", "foo"));
    assertEquals(List.of(resp("DEL", "foo")), effects());
  }

  @Test void aReplicaKeepsAKeyItsMasterSentAlreadyExpired() {
    r("set", "foo", "bar");
    byte[] payload = dump("foo");
    r("del", "foo");
    ks.session.replicationApplier = true;
    long past = ks.clock.get() - 3000;
    assertEquals("+OK\r\n", r(b("restore"), b("foo"), b(Long.toString(past)), payload, b("absttl")));
    // Looked at without a lookup, which would expire it here (this keyspace is no replica).
    List<Long> stored = new ArrayList<>();
    ks.state.db(0).forEachStoredInSlot(org.akkaredis.keyspace.Slots.slotOf(b("foo")), e -> stored.add(e.expireAt()));
    assertEquals(List.of(past), stored);
  }

  @Test void idletimeSetsTheLastAccessUnderAnLruPolicy() throws Exception {
    ks = new TestKeyspace(table(), Settings.defaults().withOverrides(Map.of("maxmemory-policy", "allkeys-lru")));
    r("set", "foo", "bar");
    byte[] payload = dump("foo");
    r("del", "foo");
    assertEquals("+OK\r\n", r(b("restore"), b("foo"), b("0"), payload, b("idletime"), b("1000")));
    assertEquals(":1000\r\n", r("object", "idletime", "foo"));
    // FREQ is accepted and ignored under an LRU policy, as Redis's objectSetLRUOrLFU does.
    assertEquals("+OK\r\n", r(b("restore"), b("bar"), b("0"), payload, b("freq"), b("100")));
    assertEquals(":0\r\n", r("object", "idletime", "bar"));
  }

  @Test void freqSetsTheCounterUnderAnLfuPolicy() throws Exception {
    ks = new TestKeyspace(table(), Settings.defaults().withOverrides(Map.of("maxmemory-policy", "allkeys-lfu")));
    r("set", "foo", "bar");
    byte[] payload = dump("foo");
    r("del", "foo");
    assertEquals("+OK\r\n", r(b("restore"), b("foo"), b("0"), payload, b("freq"), b("100")));
    assertEquals(":100\r\n", r("object", "freq", "foo"));
    assertEquals("+OK\r\n", r(b("restore"), b("bar"), b("0"), payload, b("idletime"), b("100")));
    assertEquals(":5\r\n", r("object", "freq", "bar"), "a new key's counter");
  }

  @Test void restoreAskingIsServedAsRestore() {
    r("hset", "h", "f", "v");
    byte[] payload = dump("h");
    assertEquals("-BUSYKEY Target key name already exists.\r\n", r(b("restore-asking"), b("h"), b("0"), payload));
    assertEquals("+OK\r\n", r(b("restore-asking"), b("h2"), b("0"), payload));
    assertEquals("$1\r\nv\r\n", r("hget", "h2", "f"));
  }

  /** Every sanitize-dump-payload value is accepted; the node checks deeply under each, as Redis under yes. */
  @Test void everySanitizeSettingChecksDeeply() throws Exception {
    byte[] duplicateMembers = {2, 2, 1, 'a', 1, 'a', 10, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    long crc = Crc64.update(0, duplicateMembers, 0, 8);
    for (int i = 0; i < 8; i++) duplicateMembers[8 + i] = (byte) (crc >>> (8 * i));
    for (String mode : List.of("no", "yes", "clients")) {
      ks = new TestKeyspace(table(), Settings.defaults().withOverrides(Map.of("sanitize-dump-payload", mode)));
      r("sadd", "s", "a", "b");
      byte[] payload = dump("s");
      assertEquals("+OK\r\n", r(b("restore"), b("t"), b("0"), payload), mode);
      assertEquals("-ERR Bad data format\r\n", r(b("restore"), b("u"), b("0"), duplicateMembers), mode);
    }
  }
}
