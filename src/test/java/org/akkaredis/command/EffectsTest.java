package org.akkaredis.command;

import static org.akkaredis.command.EffectsNode.resp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Key;
import org.akkaredis.resp.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What each write hands to the effect sink, on a one-range keyspace with a controlled clock. The expected
 * rewrites are those redis-server 7.0.15 wrote to its AOF for the same commands.
 */
class EffectsTest {
  private static final long NOW = 1_700_000_000_000L;

  /** Every keyed command group. */
  static CommandTable table() {
    CommandTable.Builder b = CommandTable.builder();
    StringCommands.register(b);
    KeyCommands.register(b);
    HashCommands.register(b);
    ListCommands.register(b);
    SetCommands.register(b);
    SortedSetCommands.register(b);
    return b.build();
  }

  private TestKeyspace ks = new TestKeyspace(table());
  private final List<String> sink = new ArrayList<>();

  @BeforeEach
  void listen() {
    listen(ks);
  }

  private void listen(TestKeyspace keyspace) {
    keyspace.state.propagation().sink((range, db, resp) ->
        sink.add(range + " " + db + " " + new String(resp, StandardCharsets.UTF_8)));
  }

  /** Runs a command and returns what reached the sink (one element per sink call: "range db resp"). */
  private List<String> effects(String... args) {
    ks.run(args);
    ks.state.flushEffects();
    List<String> out = List.copyOf(sink);
    sink.clear();
    return out;
  }

  /** The effect of a command that must produce exactly one sink call in database 0. */
  private String effect(String... args) {
    List<String> out = effects(args);
    assertEquals(1, out.size(), "one sink call for " + String.join(" ", args) + ": " + out);
    assertTrue(out.get(0).startsWith("0 0 "), out.get(0));
    return out.get(0).substring(4);
  }

  /** Drops what the commands so far recorded. */
  private void forget() {
    ks.state.flushEffects();
    sink.clear();
  }

  private void noEffect(String... args) {
    assertEquals(List.of(), effects(args), String.join(" ", args) + " changed nothing");
  }

  @Test
  void aWriteIsRecordedAsSentAndTheBytesAreRespArraysOfBulkStrings() {
    assertEquals("*3\r\n$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n", effect("set", "k", "v"));
    assertEquals(resp("RPUSH", "l", "a", "b"), effect("RPUSH", "l", "a", "b"));
    assertEquals(resp("del", "l", "missing"), effect("del", "l", "missing"));
  }

  @Test
  void commandsThatChangeNothingOrOnlyReadRecordNothing() {
    ks.run("set", "k", "v");
    ks.run("sadd", "s", "a");
    forget();
    noEffect("setnx", "k", "x");
    noEffect("set", "k", "x", "nx");
    noEffect("set", "nokey", "x", "xx");
    noEffect("del", "missing");
    noEffect("srem", "s", "zz");
    noEffect("expire", "missing", "10");
    noEffect("persist", "k");
    noEffect("get", "k");
    noEffect("lpush", "k", "x");
    noEffect("getex", "k");
    noEffect("spop", "nokey");
    noEffect("lmpop", "1", "nokey", "left");
  }

  @Test
  void expireFamilyBecomesPexpireatWithTheAbsoluteTime() {
    ks.run("set", "k", "v");
    forget();
    assertEquals(resp("PEXPIREAT", "k", Long.toString(NOW + 100_000)), effect("expire", "k", "100"));
    assertEquals(resp("PEXPIREAT", "k", Long.toString(NOW + 5_000)), effect("pexpire", "k", "5000"));
    assertEquals(resp("PEXPIREAT", "k", "4102444800000"), effect("expireat", "k", "4102444800"));
    assertEquals(resp("pexpireat", "k", "4102444800001"), effect("pexpireat", "k", "4102444800001"));
    ks.run("persist", "k");
    forget();
    // NX/XX/GT/LT stay as they were sent, as in Redis.
    assertEquals(resp("PEXPIREAT", "k", Long.toString(NOW + 10_000), "nx"), effect("expire", "k", "10", "nx"));
    noEffect("expire", "k", "20", "nx");
  }

  @Test
  void anExpireTimeAlreadyPastDeletesTheKeyAndIsRecordedAsDel() {
    ks.run("set", "a", "v");
    ks.run("set", "b", "v");
    forget();
    assertEquals(resp("DEL", "a"), effect("expire", "a", "-1"));
    assertEquals(resp("DEL", "b"), effect("pexpireat", "b", "1"));
    TestKeyspace lazy = ks = withSettings("lazyfree-lazy-expire", "yes");
    listen(lazy);
    lazy.run("set", "c", "v");
    forget();
    assertEquals(resp("UNLINK", "c"), effect("expireat", "c", "1"));
  }

  @Test
  void setWithAnExpiryBecomesSetPxatWhateverItsForm() {
    String at = Long.toString(NOW + 100_000);
    assertEquals(resp("SET", "k", "v", "PXAT", at), effect("set", "k", "v", "ex", "100"));
    assertEquals(resp("SET", "k", "w", "PXAT", Long.toString(NOW + 500)), effect("set", "k", "w", "px", "500", "get"));
    assertEquals(resp("SET", "n", "v", "PXAT", "4102444800000"), effect("set", "n", "v", "exat", "4102444800", "nx"));
    assertEquals(resp("SET", "s", "v", "PXAT", Long.toString(NOW + 10_000)), effect("setex", "s", "10", "v"));
    assertEquals(resp("SET", "p", "v", "PXAT", Long.toString(NOW + 1_000)), effect("psetex", "p", "1000", "v"));
    assertEquals(resp("set", "k", "x", "keepttl"), effect("set", "k", "x", "keepttl"));
    // A time already past is kept as it is: the key then expires (and its DEL follows) as on the master.
    assertEquals(resp("SET", "old", "v", "PXAT", "1000"), effect("set", "old", "v", "exat", "1"));
  }

  @Test
  void getexAndGetdelBecomeTheirKeyCommands() {
    ks.run("set", "k", "v");
    forget();
    assertEquals(resp("PEXPIREAT", "k", Long.toString(NOW + 5_000)), effect("getex", "k", "ex", "5"));
    assertEquals(resp("PEXPIREAT", "k", "4102444800000"), effect("getex", "k", "pxat", "4102444800000"));
    assertEquals(resp("PERSIST", "k"), effect("getex", "k", "persist"));
    noEffect("getex", "k", "persist");
    assertEquals(resp("DEL", "k"), effect("getex", "k", "exat", "1"));
    ks.run("set", "g", "v");
    forget();
    assertEquals(resp("DEL", "g"), effect("getdel", "g"));
    noEffect("getdel", "g");
  }

  @Test
  void floatIncrementsBecomeTheirResult() {
    assertEquals(resp("SET", "f", "1.5", "KEEPTTL"), effect("incrbyfloat", "f", "1.5"));
    assertEquals(resp("SET", "f", "1.6", "KEEPTTL"), effect("incrbyfloat", "f", "0.1"));
    assertEquals(resp("HSET", "h", "a", "2.5"), effect("hincrbyfloat", "h", "a", "2.5"));
    assertEquals(resp("HSET", "h", "a", "5000"), effect("hincrbyfloat", "h", "a", "4997.5"));
  }

  @Test
  void spopBecomesSremPerMemberOrDelWhenTheSetGoes() {
    ks.run("sadd", "s", "a");
    forget();
    assertEquals(resp("SREM", "s", "a"), effect("spop", "s"));
    ks.run("sadd", "s", "a", "b", "c", "d");
    forget();
    String one = effect("spop", "s", "1");
    assertEquals(resp("SREM", "s", members(ks, "s", "a", "b", "c", "d")), one, "one member: no MULTI");
    String[] left = remaining(ks, "s", "a", "b", "c", "d");
    String two = effect("spop", "s", "2");
    String[] now = remaining(ks, "s", left);
    List<String> expected = new ArrayList<>();
    for (String m : left) if (!List.of(now).contains(m)) expected.add(m);
    assertEquals(2, expected.size());
    // Two SREMs, wrapped as one transaction as Redis 7.0 wraps what one call propagated.
    assertTrue(two.equals(resp("MULTI") + resp("SREM", "s", expected.get(0)) + resp("SREM", "s", expected.get(1))
        + resp("EXEC")) || two.equals(resp("MULTI") + resp("SREM", "s", expected.get(1))
        + resp("SREM", "s", expected.get(0)) + resp("EXEC")), two);
    assertEquals(resp("DEL", "s"), effect("spop", "s", "5"));
    ks.run("sadd", "t", "a", "b");
    forget();
    assertEquals(resp("DEL", "t"), effect("spop", "t", "2"));
  }

  /** The one member of {@code from} that the set no longer has (after a pop of one). */
  private static String members(TestKeyspace keyspace, String key, String... from) {
    String[] still = remaining(keyspace, key, from);
    for (String m : from) if (!List.of(still).contains(m)) return m;
    throw new AssertionError("nothing was popped");
  }

  private static String[] remaining(TestKeyspace keyspace, String key, String... from) {
    List<String> out = new ArrayList<>();
    for (String m : from) {
      if (keyspace.run("sismember", key, m).equals(Reply.ONE)) out.add(m);
    }
    keyspace.state.flushEffects();
    return out.toArray(String[]::new);
  }

  @Test
  void mpopsBecomeCountedPopsOfWhatWasTaken() {
    ks.run("rpush", "l", "a", "b", "c", "d", "e");
    ks.run("zadd", "z", "1", "a", "2", "b", "3", "c");
    forget();
    assertEquals(resp("LPOP", "l", "2"), effect("lmpop", "2", "nokey", "l", "left", "count", "2"));
    assertEquals(resp("RPOP", "l", "3"), effect("lmpop", "1", "l", "right", "count", "10"));
    assertEquals(resp("ZPOPMIN", "z", "1"), effect("zmpop", "1", "z", "min"));
    assertEquals(resp("ZPOPMAX", "z", "2"), effect("zmpop", "1", "z", "max", "count", "5"));
    ks.run("zadd", "z", "1", "a");
    forget();
    assertEquals(resp("zpopmin", "z", "10"), effect("zpopmin", "z", "10"));
  }

  @Test
  void anExpiredKeyFoundByALookupIsDeletedWithADelBeforeTheCommandsEffect() {
    ks.run("set", "k", "v", "px", "100");
    ks.run("set", "j", "v", "px", "100");
    forget();
    ks.advance(200);
    assertEquals(List.of("0 0 " + resp("DEL", "k")), effects("get", "k"));
    assertEquals(List.of("0 0 " + resp("DEL", "j") + resp("lpush", "j", "x")), effects("lpush", "j", "x"));
  }

  @Test
  void theActiveExpiryCycleRecordsADelPerKeyItDeletes() {
    ks.run("set", "k", "v", "px", "100");
    forget();
    ks.advance(200);
    ks.state.activeExpireCycle(1_000_000_000L);
    ks.state.flushEffects();
    assertEquals(List.of("0 0 " + resp("DEL", "k")), sink);
  }

  @Test
  void effectsCarryTheirDatabaseAndSplitWhereItChanges() {
    ks.session.db = 3;
    assertEquals(List.of("0 3 " + resp("set", "k", "v")), effects("set", "k", "v"));
    ks.run("set", "a", "1");
    ks.session.db = 0;
    ks.run("set", "b", "2");
    ks.state.flushEffects();
    assertEquals(List.of("0 3 " + resp("set", "a", "1"), "0 0 " + resp("set", "b", "2")), sink);
  }

  @Test
  void noEffectsWithoutASinkNorForTheMastersStream() {
    ks.state.propagation().sink(null);
    noEffect("set", "k", "v");
    listen();
    ks.session.replicationApplier = true;
    noEffect("set", "k", "w");
    noEffect("expire", "k", "10");
  }

  @Test
  void onAReplicaExpiredKeysStayForTheMastersStreamAndAreMissingToOthers() {
    ks.state.propagation().replica(true);
    ks.run("set", "k", "5", "px", "100");
    ks.advance(200);
    ks.state.activeExpireCycle(1_000_000_000L);
    assertEquals("$-1\r\n", ks.resp("get", "k"), "a client does not see it");
    assertEquals(1, ks.state.db(0).size(), "neither the active cycle nor the lookup deleted it");
    ks.session.replicationApplier = true;
    assertEquals("$1\r\n5\r\n", ks.resp("get", "k"));
    assertEquals(":6\r\n", ks.resp("incr", "k"), "the master's stream still has it");
    // A time already past does not delete on a replica (checkAlreadyExpired): the master's DEL will.
    assertEquals(":1\r\n", ks.resp("pexpireat", "k", "1"));
    assertTrue(ks.state.db(0).peek(new Key("k".getBytes(StandardCharsets.UTF_8))) != null);
    assertEquals(List.of(), sink);
  }

  private static TestKeyspace withSettings(String name, String value) {
    try {
      return new TestKeyspace(table(), Settings.defaults().withOverrides(Map.of(name, value)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
