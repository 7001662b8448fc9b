package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.RedisHash;
import org.akkaredis.keyspace.WatchToken;
import org.akkaredis.resp.Reply;
import org.akkaredis.resp.RespWriter;
import org.junit.jupiter.api.Test;

/**
 * The hash commands on a one-range keyspace. Expected replies were taken from redis-server 7.0.15. Where a hash
 * is hashtable-encoded, Redis answers in hash-table order, so those replies are compared as sets here.
 */
class HashCommandsTest {
  private static final String WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
  private static final String NOT_INTEGER = "-ERR value is not an integer or out of range\r\n";
  private static final String SYNTAX = "-ERR syntax error\r\n";
  private static final String LONG64 = "x".repeat(64);
  private static final String LONG65 = "x".repeat(65);

  private static CommandTable table() {
    CommandTable.Builder b = CommandTable.builder();
    HashCommands.register(b);
    return b.build();
  }

  private final TestKeyspace ts = new TestKeyspace(table());

  private static TestKeyspace withSettings(String... nameValues) throws Exception {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) overrides.put(nameValues[i], nameValues[i + 1]);
    return new TestKeyspace(table(), Settings.defaults().withOverrides(overrides));
  }

  private void putString(String key) {
    ts.db().put(Key.of(key), "x".getBytes(StandardCharsets.UTF_8));
  }

  private RedisHash hash(String key) {
    Entry e = ts.db().peek(Key.of(key));
    return e == null ? null : (RedisHash) e.value;
  }

  private String resp3(String... args) {
    int before = ts.session.protocol;
    ts.session.protocol = 3;
    try {
      return new String(RespWriter.encode(ts.run(args), 3), StandardCharsets.UTF_8);
    } finally {
      ts.session.protocol = before;
    }
  }

  private static List<String> texts(Reply reply) {
    List<String> out = new ArrayList<>();
    for (Reply r : ((Reply.Array) reply).items()) out.add(new String(((Reply.Bulk) r).bytes(), StandardCharsets.UTF_8));
    return out;
  }

  // ---- metadata ----------------------------------------------------------------------------------------------

  @Test
  void registersRedis70Metadata() {
    CommandTable t = table();
    assertEquals(16, t.size());
    Object[][] rows = {
        {"hset", -4, "write denyoom fast", "2.0.0"}, {"hsetnx", 4, "write denyoom fast", "2.0.0"},
        {"hget", 3, "readonly fast", "2.0.0"}, {"hmset", -4, "write denyoom fast", "2.0.0"},
        {"hmget", -3, "readonly fast", "2.0.0"}, {"hdel", -3, "write fast", "2.0.0"},
        {"hlen", 2, "readonly fast", "2.0.0"}, {"hstrlen", 3, "readonly fast", "3.2.0"},
        {"hexists", 3, "readonly fast", "2.0.0"}, {"hkeys", 2, "readonly", "2.0.0"},
        {"hvals", 2, "readonly", "2.0.0"}, {"hgetall", 2, "readonly", "2.0.0"},
        {"hincrby", 4, "write denyoom fast", "2.0.0"}, {"hincrbyfloat", 4, "write denyoom fast", "2.6.0"},
        {"hrandfield", -2, "readonly", "6.2.0"}, {"hscan", -3, "readonly", "2.8.0"}};
    for (Object[] row : rows) {
      CommandSpec spec = t.lookup((String) row[0]);
      assertNotNull(spec, (String) row[0]);
      assertEquals(row[1], spec.arity(), spec.name());
      assertEquals(List.of(((String) row[2]).split(" ")), spec.flags(), spec.name());
      assertEquals(row[3], spec.since(), spec.name());
      assertEquals("hash", spec.group());
      assertEquals(1, spec.firstKey());
      assertEquals(1, spec.lastKey());
      assertEquals(1, spec.step());
      assertTrue(spec.handler() instanceof Handler.Keyed);
    }
    assertEquals("Get all the fields and values in a hash", t.lookup("hgetall").summary());
    assertEquals("O(N) where N is the number of fields returned", t.lookup("hrandfield").complexity());
  }

  // ---- HSET / HMSET / HSETNX ---------------------------------------------------------------------------------

  @Test
  void hsetCountsNewFieldsAndKeepsInsertionOrder() {
    assertEquals(":3\r\n", ts.resp("HSET", "h", "a", "1", "b", "2", "c", "3"));
    assertEquals(":1\r\n", ts.resp("HSET", "h", "a", "9", "d", "4"));
    // An updated field keeps its place, as in a listpack.
    assertEquals("*8\r\n$1\r\na\r\n$1\r\n9\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n",
        ts.resp("HGETALL", "h"));
    // The same field twice in one call counts once; the last value wins.
    assertEquals(":1\r\n", ts.resp("HSET", "h", "e", "1", "e", "2"));
    assertEquals("$1\r\n2\r\n", ts.resp("HGET", "h", "e"));
    assertEquals(":1\r\n", ts.resp("HSET", "h", "", ""));
    assertEquals("$0\r\n\r\n", ts.resp("HGET", "h", ""));
  }

  @Test
  void hsetAndHmsetRefuseAnOddArgumentCount() {
    assertEquals("-ERR wrong number of arguments for 'hset' command\r\n", ts.resp("HSET", "h", "a"));
    assertEquals("-ERR wrong number of arguments for 'hset' command\r\n", ts.resp("HSET", "h", "a", "1", "b"));
    assertEquals("-ERR wrong number of arguments for 'hmset' command\r\n", ts.resp("HMSET", "h", "a", "1", "b"));
    assertNull(hash("h"), "nothing created");
  }

  @Test
  void hmsetAnswersOk() {
    assertEquals("+OK\r\n", ts.resp("HMSET", "h", "a", "1", "b", "2"));
    assertEquals("+OK\r\n", ts.resp("HMSET", "h", "a", "3"));
    assertEquals("*2\r\n$1\r\n3\r\n$1\r\n2\r\n", ts.resp("HVALS", "h"));
  }

  @Test
  void hsetnxSetsOnlyMissingFields() {
    assertEquals(":1\r\n", ts.resp("HSETNX", "h", "a", "1"));
    assertEquals(":0\r\n", ts.resp("HSETNX", "h", "a", "2"));
    assertEquals("$1\r\n1\r\n", ts.resp("HGET", "h", "a"));
    assertEquals(":1\r\n", ts.resp("HSETNX", "h", "b", ""));
    assertEquals(":2\r\n", ts.resp("HLEN", "h"));
  }

  @Test
  void everyCommandAnswersWrongTypeOnAString() {
    putString("s");
    String[][] commands = {
        {"HSET", "s", "a", "1"}, {"HMSET", "s", "a", "1"}, {"HSETNX", "s", "a", "1"}, {"HGET", "s", "a"},
        {"HMGET", "s", "a"}, {"HDEL", "s", "a"}, {"HLEN", "s"}, {"HSTRLEN", "s", "a"}, {"HEXISTS", "s", "a"},
        {"HKEYS", "s"}, {"HVALS", "s"}, {"HGETALL", "s"}, {"HINCRBY", "s", "a", "1"},
        {"HINCRBYFLOAT", "s", "a", "1"}, {"HRANDFIELD", "s"}, {"HRANDFIELD", "s", "0"},
        {"HRANDFIELD", "s", "2", "WITHVALUES"}, {"HSCAN", "s", "0"}, {"HSCAN", "s", "0", "COUNT", "0"}};
    for (String[] command : commands) assertEquals(WRONGTYPE, ts.resp(command), String.join(" ", command));
    assertTrue(ts.db().peek(Key.of("s")).isString(), "the string is untouched");
  }

  @Test
  void argumentErrorsComeBeforeTheTypeCheckWhereRedisChecksThemFirst() {
    putString("s");
    assertEquals(NOT_INTEGER, ts.resp("HINCRBY", "s", "a", "x"));
    assertEquals("-ERR value is not a valid float\r\n", ts.resp("HINCRBYFLOAT", "s", "a", "x"));
    assertEquals("-ERR value is NaN or Infinity\r\n", ts.resp("HINCRBYFLOAT", "s", "a", "inf"));
    assertEquals(NOT_INTEGER, ts.resp("HRANDFIELD", "s", "x"));
    assertEquals(SYNTAX, ts.resp("HRANDFIELD", "s", "1", "foo"));
    assertEquals("-ERR invalid cursor\r\n", ts.resp("HSCAN", "s", "x"));
  }

  // ---- reads -------------------------------------------------------------------------------------------------

  @Test
  void hgetAndHmget() {
    ts.run("HSET", "h", "a", "1", "c", "3");
    assertEquals("$1\r\n1\r\n", ts.resp("HGET", "h", "a"));
    assertEquals("$-1\r\n", ts.resp("HGET", "h", "x"));
    assertEquals("$-1\r\n", ts.resp("HGET", "nokey", "x"));
    assertEquals("_\r\n", resp3("HGET", "h", "x"));
    assertEquals("*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n3\r\n", ts.resp("HMGET", "h", "a", "x", "c"));
    assertEquals("*3\r\n$1\r\n1\r\n_\r\n$1\r\n3\r\n", resp3("HMGET", "h", "a", "x", "c"));
    assertEquals("*2\r\n$-1\r\n$-1\r\n", ts.resp("HMGET", "nokey", "a", "b"));
  }

  @Test
  void hlenHstrlenHexists() {
    ts.run("HSET", "h", "a", "hello", "n", "-123");
    assertEquals(":2\r\n", ts.resp("HLEN", "h"));
    assertEquals(":0\r\n", ts.resp("HLEN", "nokey"));
    assertEquals(":5\r\n", ts.resp("HSTRLEN", "h", "a"));
    assertEquals(":4\r\n", ts.resp("HSTRLEN", "h", "n"));
    assertEquals(":0\r\n", ts.resp("HSTRLEN", "h", "x"));
    assertEquals(":0\r\n", ts.resp("HSTRLEN", "nokey", "x"));
    assertEquals(":1\r\n", ts.resp("HEXISTS", "h", "a"));
    assertEquals(":0\r\n", ts.resp("HEXISTS", "h", "x"));
    assertEquals(":0\r\n", ts.resp("HEXISTS", "nokey", "x"));
    assertEquals(":1\r\n", resp3("HEXISTS", "h", "a"), "an integer in RESP3 too, not a boolean");
  }

  @Test
  void hkeysHvalsHgetallInBothProtocols() {
    ts.run("HSET", "h", "b", "2", "a", "1");
    assertEquals("*2\r\n$1\r\nb\r\n$1\r\na\r\n", ts.resp("HKEYS", "h"));
    assertEquals("*2\r\n$1\r\nb\r\n$1\r\na\r\n", resp3("HKEYS", "h"));
    assertEquals("*2\r\n$1\r\n2\r\n$1\r\n1\r\n", ts.resp("HVALS", "h"));
    assertEquals("*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n", ts.resp("HGETALL", "h"));
    assertEquals("%2\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n", resp3("HGETALL", "h"));
    assertEquals("*0\r\n", ts.resp("HKEYS", "nokey"));
    assertEquals("*0\r\n", resp3("HVALS", "nokey"));
    assertEquals("*0\r\n", ts.resp("HGETALL", "nokey"));
    assertEquals("%0\r\n", resp3("HGETALL", "nokey"));
  }

  @Test
  void readsCountKeyspaceHitsAndMissesWritesDoNot() {
    ts.run("HSET", "h", "a", "1");
    long hits = ts.state.keyspaceHits;
    long misses = ts.state.keyspaceMisses;
    ts.run("HGET", "h", "a");
    ts.run("HGET", "nokey", "a");
    assertEquals(hits + 1, ts.state.keyspaceHits);
    assertEquals(misses + 1, ts.state.keyspaceMisses);
    ts.run("HSET", "h", "b", "2");
    ts.run("HDEL", "nokey", "a");
    ts.run("HINCRBY", "h", "n", "1");
    assertEquals(hits + 1, ts.state.keyspaceHits);
    assertEquals(misses + 1, ts.state.keyspaceMisses);
  }

  // ---- HDEL and empty hashes ---------------------------------------------------------------------------------

  @Test
  void hdelCountsAndRemovesTheEmptyHash() {
    ts.run("HSET", "h", "a", "1", "b", "2", "c", "3");
    assertEquals(":0\r\n", ts.resp("HDEL", "nokey", "a"));
    assertEquals(":0\r\n", ts.resp("HDEL", "h", "x"));
    assertEquals(":2\r\n", ts.resp("HDEL", "h", "a", "x", "a", "c"));
    assertEquals("*2\r\n$1\r\nb\r\n$1\r\n2\r\n", ts.resp("HGETALL", "h"));
    assertEquals(":1\r\n", ts.resp("HDEL", "h", "b", "b", "zz"));
    assertNull(ts.db().peek(Key.of("h")), "a hash without fields does not exist");
    assertEquals(":0\r\n", ts.resp("HLEN", "h"));
    assertEquals(":1\r\n", ts.resp("HSET", "h", "n", "1"), "a fresh hash starts again");
  }

  @Test
  void deletingTheLastFieldKeepsNoTtl() {
    ts.run("HSET", "h", "a", "1");
    Entry e = ts.db().peek(Key.of("h"));
    ts.db().expireAt(e, ts.clock.get() + 10_000);
    ts.run("HDEL", "h", "a");
    ts.run("HSET", "h", "a", "1");
    assertEquals(-1, ts.db().peek(Key.of("h")).expireAt());
  }

  @Test
  void changesKeepTheTtlAndExpiredHashesAreGone() {
    ts.run("HSET", "h", "a", "1");
    Entry e = ts.db().peek(Key.of("h"));
    long at = ts.clock.get() + 1000;
    ts.db().expireAt(e, at);
    ts.run("HSET", "h", "b", "2");
    ts.run("HINCRBY", "h", "n", "5");
    ts.run("HDEL", "h", "a");
    assertEquals(at, ts.db().peek(Key.of("h")).expireAt());
    ts.advance(1000);
    assertEquals("*0\r\n", ts.resp("HGETALL", "h"));
    assertEquals(":1\r\n", ts.resp("HSETNX", "h", "b", "x"));
    assertEquals("*2\r\n$1\r\nb\r\n$1\r\nx\r\n", ts.resp("HGETALL", "h"));
  }

  @Test
  void writesTouchWatchersAndFailedOrNoOpWritesDoNot() {
    ts.run("HSET", "h", "a", "1");
    String[][] changing = {{"HSET", "h", "a", "2"}, {"HMSET", "h", "b", "1"}, {"HSETNX", "h", "c", "1"},
        {"HDEL", "h", "c"}, {"HINCRBY", "h", "b", "1"}, {"HINCRBYFLOAT", "h", "b", "0.5"}, {"HDEL", "h", "a", "b"}};
    for (String[] command : changing) {
      WatchToken token = new WatchToken();
      ts.db().watch(Key.of("h"), token);
      ts.run(command);
      assertTrue(token.dirty(), String.join(" ", command));
    }
    ts.run("HSET", "h", "a", "x");
    String[][] unchanged = {{"HSETNX", "h", "a", "1"}, {"HDEL", "h", "zz"}, {"HINCRBY", "h", "a", "1"},
        {"HINCRBYFLOAT", "h", "a", "1"}, {"HGET", "h", "a"}, {"HSET", "h", "a"}};
    for (String[] command : unchanged) {
      WatchToken token = new WatchToken();
      ts.db().watch(Key.of("h"), token);
      ts.run(command);
      assertFalse(token.dirty(), String.join(" ", command));
    }
  }

  // ---- HINCRBY -----------------------------------------------------------------------------------------------

  @Test
  void hincrby() {
    assertEquals(":5\r\n", ts.resp("HINCRBY", "h", "n", "5"));
    assertEquals(":-2\r\n", ts.resp("HINCRBY", "h", "n", "-7"));
    assertEquals("$2\r\n-2\r\n", ts.resp("HGET", "h", "n"));
    assertEquals(NOT_INTEGER, ts.resp("HINCRBY", "h", "n", "1.5"));
    assertEquals(NOT_INTEGER, ts.resp("HINCRBY", "h", "n", "-0"));
    assertEquals(NOT_INTEGER, ts.resp("HINCRBY", "h", "n", "+1"));
    assertEquals(NOT_INTEGER, ts.resp("HINCRBY", "h", "n", "9223372036854775808"));
    assertEquals(NOT_INTEGER, ts.resp("HINCRBY", "nokey", "n", "x"));
    assertNull(hash("nokey"), "a refused increment creates nothing");
  }

  @Test
  void hincrbyRefusesNonIntegerValuesAndOverflow() {
    ts.run("HSET", "h", "s", "abc", "z", "007", "f", "1.5", "sp", " 7", "max", "9223372036854775807",
        "min", "-9223372036854775808");
    for (String field : List.of("s", "z", "f", "sp")) {
      assertEquals("-ERR hash value is not an integer\r\n", ts.resp("HINCRBY", "h", field, "1"), field);
    }
    assertEquals("-ERR increment or decrement would overflow\r\n", ts.resp("HINCRBY", "h", "max", "1"));
    assertEquals("-ERR increment or decrement would overflow\r\n", ts.resp("HINCRBY", "h", "min", "-1"));
    assertEquals("$19\r\n9223372036854775807\r\n", ts.resp("HGET", "h", "max"));
    assertEquals(":9223372036854775807\r\n", ts.resp("HINCRBY", "h", "max", "0"));
    assertEquals(":-1\r\n", ts.resp("HINCRBY", "h", "min", "9223372036854775807"));
    assertEquals(":9223372036854775806\r\n", ts.resp("HINCRBY", "h", "max", "-1"));
  }

  // ---- HINCRBYFLOAT ------------------------------------------------------------------------------------------

  @Test
  void hincrbyfloatComputesInLongDoubleAsRedisDoes() {
    assertEquals("$3\r\n0.1\r\n", ts.resp("HINCRBYFLOAT", "h", "f", "0.1"));
    assertEquals("$3\r\n0.3\r\n", ts.resp("HINCRBYFLOAT", "h", "f", "0.2"), "not 0.30000000000000004");
    assertEquals("$3\r\n0.3\r\n", ts.resp("HGET", "h", "f"));
    assertEquals("$31\r\n1000000000000000000024696061952\r\n", ts.resp("HINCRBYFLOAT", "h", "big", "1e30"));
    assertEquals("$1\r\n0\r\n", ts.resp("HINCRBYFLOAT", "h", "tiny", "1e-20"));
    assertEquals("$1\r\n0\r\n", ts.resp("HINCRBYFLOAT", "h", "neg", "-1e-20"));
    assertEquals("$1\r\n0\r\n", ts.resp("HINCRBYFLOAT", "h", "z", "-0.0"));
    // %.17Lf rounds half to even: 2^-18 = 0.000003814697265625.
    assertEquals("$19\r\n0.00000381469726562\r\n", ts.resp("HINCRBYFLOAT", "h", "tie", "3.8146972656250e-6"));
    assertEquals("$18\r\n100000000000000000\r\n", ts.resp("HINCRBYFLOAT", "h", "n3", "1e17"));
    assertEquals("$18\r\n100000000000000003\r\n", ts.resp("HINCRBYFLOAT", "h", "n3", "3.0"));
    assertEquals("$19\r\n9223372036854775807\r\n", ts.resp("HINCRBYFLOAT", "h", "n2", "9223372036854775807"));
  }

  @Test
  void hincrbyfloatAcceptsWhatStrtoldAccepts() {
    assertEquals("$2\r\n16\r\n", ts.resp("HINCRBYFLOAT", "h", "hex", "0x10"));
    assertEquals("$2\r\n19\r\n", ts.resp("HINCRBYFLOAT", "h", "hex", "0x1.8p1"));
    assertEquals("$1\r\n1\r\n", ts.resp("HINCRBYFLOAT", "h", "e", "+1"));
    assertEquals("$3\r\n1.5\r\n", ts.resp("HINCRBYFLOAT", "h", "e", ".5"));
    assertEquals("$3\r\n6.5\r\n", ts.resp("HINCRBYFLOAT", "h", "e", "5."));
    assertEquals("$3\r\n6.5\r\n", ts.resp("HINCRBYFLOAT", "h", "e", "0e99999999999"));
    assertEquals("$1\r\n0\r\n", ts.resp("HINCRBYFLOAT", "h", "sub", "1e-4940"), "a subnormal long double");
    for (String bad : List.of("x", "", " 1", "1 ", "1e", "1e+", "0x", "1.2.3", "1_0", "nan", "1e5000", "1e-5000",
        "1.2e4932", "1\u00002")) {
      assertEquals("-ERR value is not a valid float\r\n", ts.resp("HINCRBYFLOAT", "h", "e", bad), bad);
    }
    for (String infinite : List.of("inf", "-inf", "Infinity", "-INFINITY")) {
      assertEquals("-ERR value is NaN or Infinity\r\n", ts.resp("HINCRBYFLOAT", "h", "e", infinite), infinite);
    }
    assertEquals("$3\r\n6.5\r\n", ts.resp("HGET", "h", "e"));
  }

  @Test
  void hincrbyfloatChecksTheStoredValue() {
    ts.run("HSET", "h", "s", "abc", "n", "nan", "big", "1e5000", "sp", " 7", "inf", "inf", "i", "10.5000");
    for (String field : List.of("s", "n", "big", "sp")) {
      assertEquals("-ERR hash value is not a float\r\n", ts.resp("HINCRBYFLOAT", "h", field, "1"), field);
    }
    assertEquals("-ERR increment would produce NaN or Infinity\r\n", ts.resp("HINCRBYFLOAT", "h", "inf", "1"));
    assertEquals("$4\r\n11.5\r\n", ts.resp("HINCRBYFLOAT", "h", "i", "1"));
    assertEquals("-ERR hash value is not an integer\r\n", ts.resp("HINCRBY", "h", "i", "1"));
    ts.run("HINCRBYFLOAT", "h", "max", "1.18e4932");
    assertEquals("-ERR increment would produce NaN or Infinity\r\n", ts.resp("HINCRBYFLOAT", "h", "max", "1.18e4932"));
  }

  // ---- encodings ---------------------------------------------------------------------------------------------

  @Test
  void longValuesOrFieldsMakeAHashtableForGood() {
    ts.run("HSET", "h", "a", LONG64, "b", "1");
    assertEquals("listpack", hash("h").encoding());
    ts.run("HSET", "h", "a", LONG65);
    assertEquals("hashtable", hash("h").encoding(), "an updated value counts too");
    ts.run("HDEL", "h", "a");
    assertEquals("hashtable", hash("h").encoding(), "never converted back");
    ts.run("HDEL", "h", "b");
    ts.run("HSET", "h", "a", "1");
    assertEquals("listpack", hash("h").encoding(), "a hash emptied and created again starts as a listpack");

    ts.run("HSET", "g", "a", "1");
    ts.run("HSETNX", "g", "a", LONG65);
    assertEquals("listpack", hash("g").encoding(), "HSETNX on an existing field converts nothing");
    ts.run("HSETNX", "g", LONG65, "1");
    assertEquals("hashtable", hash("g").encoding());

    ts.run("HSET", "i", "a", "1");
    ts.run("HINCRBY", "i", LONG65, "1");
    assertEquals("hashtable", hash("i").encoding());
    ts.run("HSET", "j", "a", "1");
    ts.run("HINCRBYFLOAT", "j", LONG65, "1.5");
    assertEquals("hashtable", hash("j").encoding());

    ts.run("HSET", "k", "a", "1");
    ts.run("HGET", "k", LONG65);
    ts.run("HEXISTS", "k", LONG65);
    assertEquals("listpack", hash("k").encoding(), "reads convert nothing");
  }

  @Test
  void moreFieldsThanTheLimitMakeAHashtable() {
    List<String> args = new ArrayList<>(List.of("HSET", "h"));
    for (int i = 0; i < 512; i++) {
      args.add("f" + i);
      args.add("v");
    }
    ts.run(args.toArray(new String[0]));
    assertEquals("listpack", hash("h").encoding(), "512 fields is the default limit");
    ts.run("HSET", "h", "f0", "w");
    assertEquals("listpack", hash("h").encoding());
    ts.run("HSET", "h", "one-more", "v");
    assertEquals("hashtable", hash("h").encoding());
  }

  @Test
  void limitsFollowTheSettings() throws Exception {
    TestKeyspace small = withSettings("hash-max-listpack-entries", "2", "hash-max-listpack-value", "3");
    small.run("HSET", "h", "a", "123");
    assertEquals("listpack", ((RedisHash) small.db().peek(Key.of("h")).value).encoding());
    small.run("HINCRBY", "h", "a", "1000");
    assertEquals("hashtable", ((RedisHash) small.db().peek(Key.of("h")).value).encoding(),
        "the new value 1123 is longer than 3 bytes");
    small.run("HSET", "g", "a", "1", "b", "2");
    assertEquals("listpack", ((RedisHash) small.db().peek(Key.of("g")).value).encoding());
    small.run("HSETNX", "g", "c", "3");
    assertEquals("hashtable", ((RedisHash) small.db().peek(Key.of("g")).value).encoding());
    TestKeyspace none = withSettings("hash-max-listpack-entries", "0");
    none.run("HSET", "h", "a", "1");
    assertEquals("hashtable", ((RedisHash) none.db().peek(Key.of("h")).value).encoding());
  }

  // ---- HRANDFIELD --------------------------------------------------------------------------------------------

  @Test
  void hrandfieldArgumentsAndEmptyCases() {
    assertEquals("$-1\r\n", ts.resp("HRANDFIELD", "nokey"));
    assertEquals("_\r\n", resp3("HRANDFIELD", "nokey"));
    assertEquals("*0\r\n", ts.resp("HRANDFIELD", "nokey", "3"));
    assertEquals("*0\r\n", ts.resp("HRANDFIELD", "nokey", "-3", "WITHVALUES"));
    ts.run("HSET", "h", "a", "1");
    assertEquals("*0\r\n", ts.resp("HRANDFIELD", "h", "0"));
    assertEquals("*0\r\n", ts.resp("HRANDFIELD", "h", "0", "withvalues"));
    assertEquals(NOT_INTEGER, ts.resp("HRANDFIELD", "h", "x"));
    assertEquals(NOT_INTEGER, ts.resp("HRANDFIELD", "h", "1.5"));
    assertEquals(SYNTAX, ts.resp("HRANDFIELD", "h", "1", "values"));
    assertEquals(SYNTAX, ts.resp("HRANDFIELD", "h", "1", "withvalues", "x"));
    assertEquals("-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n",
        ts.resp("HRANDFIELD", "h", "-9223372036854775808"));
    assertEquals("-ERR value is out of range\r\n", ts.resp("HRANDFIELD", "h", "4611686018427387904", "withvalues"));
    assertEquals("-ERR value is out of range\r\n", ts.resp("HRANDFIELD", "h", "-4611686018427387904", "withvalues"));
    assertEquals("*2\r\n$1\r\na\r\n$1\r\n1\r\n", ts.resp("HRANDFIELD", "h", "4611686018427387903", "withvalues"));
    // A repeated pick of this size could not be answered from memory (Redis would try).
    assertEquals("-ERR value is out of range\r\n", ts.resp("HRANDFIELD", "h", "-9223372036854775807"));
  }

  @Test
  void hrandfieldWithoutCountPicksAField() {
    ts.run("HSET", "h", "a", "1", "b", "2", "c", "3");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Reply r = ts.run("HRANDFIELD", "h");
      seen.add(new String(((Reply.Bulk) r).bytes(), StandardCharsets.UTF_8));
    }
    assertEquals(Set.of("a", "b", "c"), seen);
  }

  @Test
  void hrandfieldPositiveCountGivesDistinctFields() {
    List<String> args = new ArrayList<>(List.of("HSET", "h"));
    for (int i = 0; i < 20; i++) {
      args.add("f" + i);
      args.add("v" + i);
    }
    ts.run(args.toArray(new String[0]));
    List<String> order = texts(ts.run("HKEYS", "h"));
    for (int count = 1; count <= 20; count++) {
      List<String> picked = texts(ts.run("HRANDFIELD", "h", Integer.toString(count)));
      assertEquals(count, picked.size());
      assertEquals(count, new HashSet<>(picked).size(), "distinct");
      List<String> inHashOrder = new ArrayList<>(order);
      inHashOrder.retainAll(picked);
      assertEquals(inHashOrder, picked, "answered in hash order");
    }
    assertEquals(order, texts(ts.run("HRANDFIELD", "h", "100")), "count beyond the size: the whole hash");
  }

  @Test
  void hrandfieldNegativeCountMayRepeat() {
    ts.run("HSET", "h", "a", "1", "b", "2");
    List<String> picked = texts(ts.run("HRANDFIELD", "h", "-50"));
    assertEquals(50, picked.size());
    assertEquals(Set.of("a", "b"), new HashSet<>(picked));
    assertEquals(1, texts(ts.run("HRANDFIELD", "h", "-1")).size());
  }

  @Test
  void hrandfieldWithValuesIsFlatInResp2AndNestedInResp3() {
    ts.run("HSET", "h", "a", "1", "b", "2", "c", "3");
    Map<String, String> expected = Map.of("a", "1", "b", "2", "c", "3");
    Map<String, Integer> pairsByCount = Map.of("2", 2, "3", 3, "10", 3, "-7", 7);
    pairsByCount.forEach((count, pairs) -> {
      List<String> flat = texts(ts.run("HRANDFIELD", "h", count, "WITHVALUES"));
      assertEquals(2 * pairs, flat.size(), count);
      for (int i = 0; i < flat.size(); i += 2) assertEquals(expected.get(flat.get(i)), flat.get(i + 1));
    });
    assertEquals("*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n",
        ts.resp("HRANDFIELD", "h", "5", "withvalues"));
    assertEquals("*3\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n",
        resp3("HRANDFIELD", "h", "5", "withvalues"));
    ts.session.protocol = 3;
    try {
      Reply.Array nested = (Reply.Array) ts.run("HRANDFIELD", "h", "-4", "withvalues");
      assertEquals(4, nested.items().size());
      for (Reply pair : nested.items()) {
        List<String> fv = texts(pair);
        assertEquals(expected.get(fv.get(0)), fv.get(1));
      }
      assertEquals(2, ((Reply.Array) ts.run("HRANDFIELD", "h", "2")).items().size(), "no nesting without values");
    } finally {
      ts.session.protocol = 2;
    }
  }

  // ---- HSCAN -------------------------------------------------------------------------------------------------

  @Test
  void hscanOfAListpackAnswersEverythingAtOnce() {
    ts.run("HSET", "h", "alpha", "1", "beta", "2", "gamma", "3", "alfa", "4");
    String all = "*2\r\n$1\r\n0\r\n*8\r\n$5\r\nalpha\r\n$1\r\n1\r\n$4\r\nbeta\r\n$1\r\n2\r\n$5\r\ngamma\r\n$1\r\n3\r\n"
        + "$4\r\nalfa\r\n$1\r\n4\r\n";
    assertEquals(all, ts.resp("HSCAN", "h", "0"));
    assertEquals(all, ts.resp("HSCAN", "h", "0", "COUNT", "1"));
    assertEquals(all, ts.resp("HSCAN", "h", "12345"), "the cursor does not matter");
    assertEquals(all, ts.resp("HSCAN", "h", "0", "MATCH", "*"));
    assertEquals("*2\r\n$1\r\n0\r\n*4\r\n$5\r\nalpha\r\n$1\r\n1\r\n$4\r\nalfa\r\n$1\r\n4\r\n",
        ts.resp("HSCAN", "h", "0", "match", "a*"));
    assertEquals("*2\r\n$1\r\n0\r\n*2\r\n$4\r\nbeta\r\n$1\r\n2\r\n",
        ts.resp("HSCAN", "h", "0", "match", "a*", "count", "5", "match", "b*"), "the last MATCH wins");
    assertEquals(ts.resp("HSCAN", "h", "0"), resp3("HSCAN", "h", "0"), "the same shape in RESP3");
  }

  @Test
  void hscanCursorsAndOptions() {
    ts.run("HSET", "h", "a", "1");
    String all = "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n";
    // strtoul's rules: sign allowed (- wraps around), empty is 0, leading zeros fine.
    for (String cursor : List.of("", "00", "-1", "+5", "-0", "18446744073709551615", "-18446744073709551615")) {
      assertEquals(all, ts.resp("HSCAN", "h", cursor), cursor);
    }
    for (String cursor : List.of("x", " 1", "1 ", "1.0", "0x10", "+", "-", "18446744073709551616",
        "-18446744073709551616")) {
      assertEquals("-ERR invalid cursor\r\n", ts.resp("HSCAN", "h", cursor), cursor);
    }
    assertEquals(SYNTAX, ts.resp("HSCAN", "h", "0", "COUNT", "0"));
    assertEquals(SYNTAX, ts.resp("HSCAN", "h", "0", "COUNT", "-1"));
    assertEquals(NOT_INTEGER, ts.resp("HSCAN", "h", "0", "COUNT", "x"));
    assertEquals(NOT_INTEGER, ts.resp("HSCAN", "h", "0", "COUNT", "9223372036854775808"));
    assertEquals(SYNTAX, ts.resp("HSCAN", "h", "0", "COUNT"));
    assertEquals(SYNTAX, ts.resp("HSCAN", "h", "0", "MATCH"));
    assertEquals(SYNTAX, ts.resp("HSCAN", "h", "0", "TYPE", "string"));
    assertEquals(SYNTAX, ts.resp("HSCAN", "h", "0", "foo"));
    // A missing key answers the empty scan before the options are read.
    assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", ts.resp("HSCAN", "nokey", "0"));
    assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", ts.resp("HSCAN", "nokey", "0", "COUNT", "0"));
    assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", ts.resp("HSCAN", "nokey", "0", "foo"));
    assertEquals("-ERR invalid cursor\r\n", ts.resp("HSCAN", "nokey", "x"));
  }

  /** Runs a full HSCAN; between calls, {@code between} may change the hash. Returns the fields seen. */
  private List<String> scanAll(TestKeyspace keyspace, String key, String count, Runnable between) {
    List<String> seen = new ArrayList<>();
    String cursor = "0";
    int calls = 0;
    do {
      Reply.Array reply = (Reply.Array) keyspace.run("HSCAN", key, cursor, "COUNT", count);
      cursor = new String(((Reply.Bulk) reply.items().get(0)).bytes(), StandardCharsets.UTF_8);
      List<String> items = texts(reply.items().get(1));
      for (int i = 0; i < items.size(); i += 2) seen.add(items.get(i));
      if (!cursor.equals("0")) {
        assertTrue(items.size() / 2 >= Integer.parseInt(count), "a non-final call gives at least COUNT fields");
      }
      between.run();
      assertTrue(++calls < 100_000);
    } while (!cursor.equals("0"));
    return seen;
  }

  @Test
  void hscanOfAHashtableReturnsEveryFieldOnceAcrossCalls() {
    List<String> args = new ArrayList<>(List.of("HSET", "h"));
    Set<String> all = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      args.add("field:" + i);
      args.add("v" + i);
      all.add("field:" + i);
    }
    ts.run(args.toArray(new String[0]));
    assertEquals("hashtable", hash("h").encoding());
    for (String count : List.of("1", "7", "10", "1000", "5000")) {
      List<String> seen = scanAll(ts, "h", count, () -> { });
      assertEquals(all.size(), seen.size(), "no duplicates without changes, COUNT " + count);
      assertEquals(all, new HashSet<>(seen));
    }
    Reply.Array first = (Reply.Array) ts.run("HSCAN", "h", "0");
    assertEquals(20, ((Reply.Array) first.items().get(1)).items().size(), "COUNT defaults to 10 fields");
    // A cursor past every hash value ends the iteration.
    assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", ts.resp("HSCAN", "h", "4294967296"));
    assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", ts.resp("HSCAN", "h", "-1"));
  }

  @Test
  void hscanOfAHashtableWithMatchFiltersTheVisitedFields() {
    List<String> args = new ArrayList<>(List.of("HSET", "h", LONG65, "1"));
    for (int i = 0; i < 100; i++) {
      args.add("a" + i);
      args.add("1");
      args.add("b" + i);
      args.add("2");
    }
    ts.run(args.toArray(new String[0]));
    Set<String> seen = new HashSet<>();
    String cursor = "0";
    do {
      Reply.Array reply = (Reply.Array) ts.run("HSCAN", "h", cursor, "MATCH", "a*", "COUNT", "5");
      cursor = new String(((Reply.Bulk) reply.items().get(0)).bytes(), StandardCharsets.UTF_8);
      List<String> items = texts(reply.items().get(1));
      for (int i = 0; i < items.size(); i += 2) {
        assertTrue(items.get(i).startsWith("a"));
        assertEquals("1", items.get(i + 1));
        seen.add(items.get(i));
      }
    } while (!cursor.equals("0"));
    assertEquals(100, seen.size());
  }

  @Test
  void hscanOfAHashtableSurvivesDeletesAndInsertsBetweenCalls() {
    Random random = new Random(42);
    for (int round = 0; round < 20; round++) {
      TestKeyspace keyspace = new TestKeyspace(table());
      List<String> args = new ArrayList<>(List.of("HSET", "h", LONG65, "x"));
      for (int i = 0; i < 300; i++) {
        args.add("f" + i);
        args.add("v");
      }
      keyspace.run(args.toArray(new String[0]));
      // Fields present for the whole iteration must all be seen; deleted ones must not come back after deletion.
      Set<String> stable = new HashSet<>();
      for (int i = 0; i < 300; i++) stable.add("f" + i);
      stable.add(LONG65);
      Set<String> deleted = new HashSet<>();
      Set<String> live = new HashSet<>(stable);
      int[] inserted = {0};
      List<String> seen = scanAll(keyspace, "h", Integer.toString(1 + random.nextInt(15)), () -> {
        for (int k = 0; k < 5; k++) {
          if (random.nextBoolean()) {
            String victim = "f" + random.nextInt(300);
            if (live.remove(victim)) {
              keyspace.run("HDEL", "h", victim);
              stable.remove(victim);
              deleted.add(victim);
            }
          } else {
            String fresh = "new" + inserted[0]++;
            keyspace.run("HSET", "h", fresh, "v");
            live.add(fresh);
          }
        }
      });
      Set<String> seenSet = new HashSet<>(seen);
      assertEquals(seen.size(), seenSet.size(), "no field twice in one iteration");
      assertTrue(seenSet.containsAll(stable), "every field present throughout was returned");
      for (String f : seenSet) assertTrue(f.startsWith("f") || f.startsWith("new") || f.equals(LONG65));
    }
  }

  @Test
  void hscanReturnsDeletedAndReinsertedFieldsCorrectly() {
    List<String> args = new ArrayList<>(List.of("HSET", "h", LONG65, "x"));
    for (int i = 0; i < 50; i++) {
      args.add("f" + i);
      args.add("v");
    }
    ts.run(args.toArray(new String[0]));
    Set<String> seen = new HashSet<>();
    String cursor = "0";
    boolean changed = false;
    do {
      Reply.Array reply = (Reply.Array) ts.run("HSCAN", "h", cursor, "COUNT", "3");
      cursor = new String(((Reply.Bulk) reply.items().get(0)).bytes(), StandardCharsets.UTF_8);
      List<String> items = texts(reply.items().get(1));
      for (int i = 0; i < items.size(); i += 2) {
        assertTrue(seen.add(items.get(i)), "once");
        assertEquals(items.get(i).equals(LONG65) ? "x" : (items.get(i).equals("f7") && changed ? "new" : "v"),
            items.get(i + 1), "the current value is answered");
      }
      if (!changed) {
        // Every field but the long one goes and comes back with f7 changed: nothing may be lost.
        for (int i = 0; i < 50; i++) ts.run("HDEL", "h", "f" + i);
        for (int i = 0; i < 50; i++) ts.run("HSET", "h", "f" + i, i == 7 ? "new" : "v");
        changed = true;
      }
    } while (!cursor.equals("0"));
    assertTrue(seen.contains(LONG65), "the field present throughout was returned");
  }

  @Test
  void hscanGivesFieldsSharingAHashTogether() {
    // "Aa" and "BB" have the same Java hash; their 2^6 combinations all share one HSCAN hash value.
    RedisHash hash = new RedisHash();
    hash.hashtable = true;
    List<String> colliding = new ArrayList<>();
    for (int bits = 0; bits < 64; bits++) {
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < 6; j++) sb.append((bits >> j & 1) == 0 ? "Aa" : "BB");
      colliding.add(sb.toString());
      hash.fields.put(Key.of(sb.toString()), new byte[0]);
    }
    for (int i = 0; i < 10; i++) hash.fields.put(Key.of("other" + i), new byte[0]);
    long expected = RedisHash.scanHash(Key.of(colliding.get(0)));
    for (String c : colliding) assertEquals(expected, RedisHash.scanHash(Key.of(c)));
    Set<String> seen = new HashSet<>();
    long cursor = 0;
    do {
      List<Key> out = new ArrayList<>();
      cursor = hash.scan(cursor, 1, out);
      Set<String> call = new HashSet<>();
      for (Key k : out) call.add(k.toString());
      if (call.contains(colliding.get(0))) assertTrue(call.containsAll(colliding), "one call gives them all");
      else assertEquals(1, out.size());
      for (String f : call) assertTrue(seen.add(f));
    } while (cursor != 0);
    assertEquals(74, seen.size());
  }

  @Test
  void scanIndexNoticesFieldsAddedInAnyWay() {
    RedisHash hash = new RedisHash();
    hash.hashtable = true;
    for (int i = 0; i < 100; i++) hash.fields.put(Key.of("f" + i), new byte[0]);
    List<Key> out = new ArrayList<>();
    long cursor = hash.scan(0, 10, out);
    long firstCursor = cursor;
    // Fields added behind the HashCommands' back (putAll, putIfAbsent, merge) are seen by the next call.
    Map<Key, byte[]> more = new HashMap<>();
    for (int i = 0; i < 100; i++) more.put(Key.of("g" + i), new byte[0]);
    hash.fields.putAll(more);
    hash.fields.putIfAbsent(Key.of("h1"), new byte[0]);
    hash.fields.merge(Key.of("h2"), new byte[0], (a, b) -> a);
    Set<Key> seen = new HashSet<>(out);
    while (cursor != 0) cursor = hash.scan(cursor, 10, out);
    seen.addAll(out);
    for (Key k : hash.fields.keySet()) {
      if (Long.compareUnsigned(RedisHash.scanHash(k), firstCursor) >= 0) {
        assertTrue(seen.contains(k), k + " lies ahead of the cursor and must be returned");
      }
    }
  }

  @Test
  void hrandfieldAndReadsOnAHashtableAnswerTheSameFields() {
    // Hashtable order in Redis is hash-table order; here it is compared as a set.
    ts.run("HSET", "h", "a", "1", "b", LONG65, "c", "3");
    assertEquals("hashtable", hash("h").encoding());
    assertEquals(Set.of("a", "b", "c"), new HashSet<>(texts(ts.run("HKEYS", "h"))));
    assertEquals(Set.of("a", "b", "c"), new HashSet<>(texts(ts.run("HRANDFIELD", "h", "10"))));
    assertSame(Reply.ONE, ts.run("HEXISTS", "h", "b"));
  }
}
