package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.RedisHash;
import org.akkaredis.keyspace.WatchToken;
import org.akkaredis.resp.RespWriter;
import org.junit.jupiter.api.Test;

/**
 * The string commands on a one-range keyspace with a controlled clock. Every expected reply was taken from
 * redis-server 7.0.15 running the same commands.
 */
class StringCommandsTest {
  private static final String OK = "+OK\r\n";
  private static final String NIL = "$-1\r\n";
  private static final String WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
  private static final String NOT_INTEGER = "-ERR value is not an integer or out of range\r\n";
  private static final String NOT_FLOAT = "-ERR value is not a valid float\r\n";
  private static final String SYNTAX = "-ERR syntax error\r\n";
  private static final String TOO_BIG = "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n";

  private static CommandTable table() {
    CommandTable.Builder b = CommandTable.builder();
    StringCommands.register(b);
    KeyCommands.register(b);
    return b.build();
  }

  private final TestKeyspace ts = new TestKeyspace(table());

  private static TestKeyspace withSettings(String... nameValues) throws Exception {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) overrides.put(nameValues[i], nameValues[i + 1]);
    return new TestKeyspace(table(), Settings.defaults().withOverrides(overrides));
  }

  private String r(String... args) {
    return ts.resp(args);
  }

  private static String bulk(String text) {
    return "$" + text.getBytes(StandardCharsets.UTF_8).length + "\r\n" + text + "\r\n";
  }

  private static String integer(long n) {
    return ":" + n + "\r\n";
  }

  private void putHash(String key) {
    RedisHash hash = new RedisHash();
    hash.fields.put(Key.of("f"), "v".getBytes(StandardCharsets.UTF_8));
    ts.db().put(Key.of(key), hash);
  }

  private Entry entry(String key) {
    return ts.db().peek(Key.of(key));
  }

  // ---- table rows -------------------------------------------------------------------------------------------

  @Test
  void tableRowsFollowRedisMetadata() {
    CommandTable t = table();
    CommandSpec set = t.lookup("set");
    assertEquals(-3, set.arity());
    assertTrue(set.hasFlag("write") && set.hasFlag("denyoom"));
    CommandSpec mset = t.lookup("mset");
    assertEquals(1, mset.firstKey());
    assertEquals(-1, mset.lastKey());
    assertEquals(2, mset.step());
    assertArrayEquals(new int[] {1, 3, 5}, mset.keyPositions(7));
    CommandSpec lcs = t.lookup("lcs");
    assertEquals(2, lcs.lastKey());
    assertEquals("7.0.0", lcs.since());
    assertEquals("string", t.lookup("getrange").group());
    assertTrue(t.lookup("get").hasFlag("readonly") && t.lookup("get").hasFlag("fast"));
    assertEquals(-2, t.lookup("getex").arity());
  }

  // ---- GET / SET ----------------------------------------------------------------------------------------------

  @Test
  void getAndSetBasics() {
    assertEquals(NIL, r("GET", "k"));
    assertEquals(OK, r("SET", "k", "v"));
    assertEquals(bulk("v"), r("GET", "k"));
    assertEquals("-ERR wrong number of arguments for 'get' command\r\n", r("GET"));
    putHash("h");
    assertEquals(WRONGTYPE, r("GET", "h"));
    assertEquals(OK, r("SET", "h", "now-a-string"));
    assertEquals(bulk("now-a-string"), r("GET", "h"));
  }

  @Test
  void setIsBinarySafe() {
    byte[] key = {0, (byte) 0xff, 'k'};
    byte[] value = {(byte) 0xc3, 0, (byte) 0x80, '\r', '\n'};
    ts.state.tick();
    Handler.Keyed set = (Handler.Keyed) table().lookup("set").handler();
    Handler.Keyed get = (Handler.Keyed) table().lookup("get").handler();
    set.run(ts, new byte[][] {"SET".getBytes(), key, value});
    var reply = get.run(ts, new byte[][] {"GET".getBytes(), key});
    assertArrayEquals(value, ((org.akkaredis.resp.Reply.Bulk) reply).bytes());
  }

  @Test
  void setOptionCombinationsAndSyntaxErrors() {
    assertEquals(OK, r("SET", "k", "v", "EX", "10", "EX", "20"));
    assertEquals(integer(20), r("TTL", "k"));
    assertEquals(NIL, r("SET", "k", "v", "NX", "NX"));
    assertEquals(SYNTAX, r("SET", "k", "v", "NX", "XX"));
    assertEquals(SYNTAX, r("SET", "k", "v", "XX", "NX"));
    assertEquals(SYNTAX, r("SET", "k", "v", "EX", "10", "PX", "100"));
    assertEquals(SYNTAX, r("SET", "k", "v", "KEEPTTL", "EX", "10"));
    assertEquals(SYNTAX, r("SET", "k", "v", "EX", "10", "KEEPTTL"));
    assertEquals(SYNTAX, r("SET", "k", "v", "EXAT", "10", "PXAT", "10"));
    assertEquals(SYNTAX, r("SET", "k", "v", "EX"));
    assertEquals(SYNTAX, r("SET", "k", "v", "PERSIST"));
    assertEquals(SYNTAX, r("SET", "k", "v", "foo"));
    assertEquals(bulk("v"), r("set", "k", "w", "xx", "get", "keepttl"));
  }

  @Test
  void setExpireArgumentErrors() {
    String invalid = "-ERR invalid expire time in 'set' command\r\n";
    assertEquals(invalid, r("SET", "k", "v", "EX", "0"));
    assertEquals(invalid, r("SET", "k", "v", "EX", "-1"));
    assertEquals(invalid, r("SET", "k", "v", "PX", "0"));
    assertEquals(invalid, r("SET", "k", "v", "EXAT", "0"));
    assertEquals(invalid, r("SET", "k", "v", "PXAT", "-5"));
    assertEquals(invalid, r("SET", "k", "v", "EX", "9223372036854776"));
    // PX plus the current time overflows; PXAT takes the same number as it is.
    assertEquals(invalid, r("SET", "k", "v", "PX", "9223372036854775807"));
    assertEquals(NOT_INTEGER, r("SET", "k", "v", "EX", "abc"));
    assertEquals(NIL, r("GET", "k"));
    assertEquals(OK, r("SET", "k", "v", "PXAT", "9223372036854775807"));
    assertEquals(integer(9223372036854775807L - ts.clock.get()), r("PTTL", "k"));
    putHash("h");
    // The expire time is checked before the type of the old value.
    assertEquals(invalid, r("SET", "h", "v", "EX", "0", "GET"));
  }

  @Test
  void setExpiryVariantsAndTtlReset() {
    long now = ts.clock.get();
    assertEquals(OK, r("SET", "k", "v", "EX", "100"));
    assertEquals(integer(now + 100_000), r("PEXPIRETIME", "k"));
    assertEquals(OK, r("SET", "k", "v", "PX", "1500"));
    assertEquals(integer(1500), r("PTTL", "k"));
    assertEquals(OK, r("SET", "k", "v", "EXAT", Long.toString(now / 1000 + 50)));
    assertEquals(integer(now / 1000 + 50), r("EXPIRETIME", "k"));
    assertEquals(OK, r("SET", "k", "v", "PXAT", Long.toString(now + 7777)));
    assertEquals(integer(now + 7777), r("PEXPIRETIME", "k"));
    assertEquals(OK, r("SET", "k", "v2", "KEEPTTL"));
    assertEquals(integer(now + 7777), r("PEXPIRETIME", "k"));
    assertEquals(bulk("v2"), r("GET", "k"));
    assertEquals(OK, r("SET", "k", "v3"));
    assertEquals(integer(-1), r("TTL", "k"));
  }

  @Test
  void setWithTimeInThePastLeavesNoKey() {
    assertEquals(OK, r("SET", "k", "v", "EXAT", "1"));
    assertEquals(NIL, r("GET", "k"));
    assertEquals(integer(0), r("EXISTS", "k"));
  }

  @Test
  void setExpiresWithTheClock() {
    assertEquals(OK, r("SET", "k", "v", "PX", "100"));
    ts.advance(99);
    assertEquals(bulk("v"), r("GET", "k"));
    ts.advance(1);
    assertEquals(NIL, r("GET", "k"));
  }

  @Test
  void setNxXxAndGet() {
    assertEquals(NIL, r("SET", "k", "v", "XX"));
    assertEquals(OK, r("SET", "k", "v", "NX"));
    assertEquals(NIL, r("SET", "k", "w", "NX"));
    assertEquals(OK, r("SET", "k", "w", "XX"));
    assertEquals(bulk("w"), r("SET", "k", "x", "GET"));
    assertEquals(bulk("x"), r("SET", "k", "y", "NX", "GET"));
    assertEquals(bulk("x"), r("GET", "k"));
    assertEquals(NIL, r("SET", "k2", "v2", "NX", "GET"));
    assertEquals(bulk("v2"), r("GET", "k2"));
    assertEquals(NIL, r("SET", "k3", "v3", "XX", "GET"));
    assertEquals(NIL, r("GET", "k3"));
    putHash("h");
    assertEquals(WRONGTYPE, r("SET", "h", "v", "GET"));
    assertEquals(WRONGTYPE, r("SET", "h", "v", "NX", "GET"));
    assertTrue(entry("h").value instanceof RedisHash);
  }

  @Test
  void setTellsWatchers() {
    r("SET", "k", "v");
    WatchToken token = new WatchToken();
    ts.db().watch(Key.of("k"), token);
    assertFalse(token.dirty());
    r("SET", "k", "w");
    assertTrue(token.dirty());
  }

  @Test
  void setnxSetexPsetex() {
    assertEquals(integer(1), r("SETNX", "k", "a"));
    assertEquals(integer(0), r("SETNX", "k", "b"));
    assertEquals(bulk("a"), r("GET", "k"));
    putHash("h");
    assertEquals(integer(0), r("SETNX", "h", "x"));
    assertEquals("-ERR invalid expire time in 'setex' command\r\n", r("SETEX", "k", "0", "v"));
    assertEquals("-ERR invalid expire time in 'setex' command\r\n", r("SETEX", "k", "9223372036854776", "v"));
    assertEquals(NOT_INTEGER, r("SETEX", "k", "abc", "v"));
    assertEquals(OK, r("SETEX", "k", "10", "v"));
    assertEquals(integer(10), r("TTL", "k"));
    assertEquals("-ERR invalid expire time in 'psetex' command\r\n", r("PSETEX", "k", "-5", "v"));
    assertEquals("-ERR invalid expire time in 'psetex' command\r\n",
        r("PSETEX", "k", "9223372036854775807", "v"));
    assertEquals(OK, r("PSETEX", "k", "5000", "w"));
    assertEquals(integer(5000), r("PTTL", "k"));
    assertEquals(OK, r("SETEX", "h", "10", "s"));
    assertEquals(bulk("s"), r("GET", "h"));
  }

  @Test
  void getsetAndGetdel() {
    assertEquals(NIL, r("GETSET", "k", "a"));
    r("EXPIRE", "k", "100");
    assertEquals(bulk("a"), r("GETSET", "k", "b"));
    assertEquals(integer(-1), r("TTL", "k"));
    putHash("h");
    assertEquals(WRONGTYPE, r("GETSET", "h", "x"));
    assertEquals(WRONGTYPE, r("GETDEL", "h"));
    assertEquals(bulk("b"), r("GETDEL", "k"));
    assertEquals(NIL, r("GETDEL", "k"));
    assertEquals(integer(0), r("EXISTS", "k"));
  }

  @Test
  void getexOptions() {
    assertEquals(NIL, r("GETEX", "k"));
    assertEquals(NIL, r("GETEX", "k", "EX", "0"));
    assertEquals(NIL, r("GETEX", "k", "EX", "abc"));
    assertEquals(SYNTAX, r("GETEX", "k", "foo"));
    r("SET", "k", "v");
    assertEquals(bulk("v"), r("GETEX", "k", "EX", "10"));
    assertEquals(integer(10), r("TTL", "k"));
    assertEquals(bulk("v"), r("GETEX", "k", "PX", "2500"));
    assertEquals(integer(2500), r("PTTL", "k"));
    long now = ts.clock.get();
    assertEquals(bulk("v"), r("GETEX", "k", "PXAT", Long.toString(now + 999)));
    assertEquals(integer(now + 999), r("PEXPIRETIME", "k"));
    assertEquals(bulk("v"), r("GETEX", "k", "EXAT", Long.toString(now / 1000 + 9)));
    assertEquals(integer(now / 1000 + 9), r("EXPIRETIME", "k"));
    assertEquals(bulk("v"), r("GETEX", "k"));
    assertEquals(integer(now / 1000 + 9), r("EXPIRETIME", "k"));
    assertEquals(bulk("v"), r("GETEX", "k", "PERSIST"));
    assertEquals(integer(-1), r("TTL", "k"));
    assertEquals(bulk("v"), r("GETEX", "k", "PERSIST", "PERSIST"));
    assertEquals(SYNTAX, r("GETEX", "k", "PERSIST", "EX", "10"));
    assertEquals(SYNTAX, r("GETEX", "k", "EX", "10", "PERSIST"));
    assertEquals(SYNTAX, r("GETEX", "k", "KEEPTTL"));
    assertEquals(SYNTAX, r("GETEX", "k", "NX"));
    assertEquals(SYNTAX, r("GETEX", "k", "GET"));
    assertEquals(SYNTAX, r("GETEX", "k", "EX"));
    assertEquals("-ERR invalid expire time in 'getex' command\r\n", r("GETEX", "k", "EX", "0"));
    assertEquals("-ERR invalid expire time in 'getex' command\r\n", r("GETEX", "k", "PXAT", "0"));
    assertEquals(NOT_INTEGER, r("GETEX", "k", "EX", "x"));
    // An absolute time already past answers the value and deletes the key.
    assertEquals(bulk("v"), r("GETEX", "k", "EXAT", "1"));
    assertEquals(integer(0), r("EXISTS", "k"));
    putHash("h");
    assertEquals(WRONGTYPE, r("GETEX", "h"));
    assertEquals(WRONGTYPE, r("GETEX", "h", "EX", "0"));
  }

  @Test
  void getexExpiryChangeTellsWatchers() {
    r("SET", "k", "v");
    WatchToken token = new WatchToken();
    ts.db().watch(Key.of("k"), token);
    r("GETEX", "k");
    assertFalse(token.dirty());
    r("GETEX", "k", "EX", "100");
    assertTrue(token.dirty());
  }

  @Test
  void mgetMsetMsetnx() {
    assertEquals(OK, r("MSET", "a", "1", "b", "2"));
    putHash("h");
    assertEquals("*4\r\n$1\r\n1\r\n$-1\r\n$-1\r\n$1\r\n2\r\n", r("MGET", "a", "nokey", "h", "b"));
    assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", r("MSET", "a", "b", "c"));
    assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", r("MSET", "a"));
    assertEquals("-ERR wrong number of arguments for 'msetnx' command\r\n", r("MSETNX", "q", "1", "q"));
    assertEquals(OK, r("MSET", "z", "1", "z", "2"));
    assertEquals(bulk("2"), r("GET", "z"));
    r("EXPIRE", "z", "100");
    r("MSET", "z", "3");
    assertEquals(integer(-1), r("TTL", "z"));
    assertEquals(integer(0), r("MSETNX", "a", "1", "x", "2"));
    assertEquals(integer(0), r("EXISTS", "x"));
    assertEquals(integer(1), r("MSETNX", "x", "1", "y", "2"));
    assertEquals(integer(0), r("MSETNX", "x", "1", "x", "2"));
    assertEquals(integer(1), r("MSETNX", "w", "1", "w", "2"));
    assertEquals(bulk("2"), r("GET", "w"));
    assertEquals(integer(0), r("MSETNX", "h", "1"));
  }

  // ---- counters -------------------------------------------------------------------------------------------

  @Test
  void incrDecrAndOverflow() {
    assertEquals(integer(1), r("INCR", "n"));
    assertEquals(integer(0), r("DECR", "n"));
    assertEquals(integer(9223372036854775807L), r("INCRBY", "n", "9223372036854775807"));
    assertEquals("-ERR increment or decrement would overflow\r\n", r("INCR", "n"));
    assertEquals("-ERR decrement would overflow\r\n", r("DECRBY", "n", "-9223372036854775808"));
    assertEquals(integer(0), r("DECRBY", "n", "9223372036854775807"));
    r("SET", "n", "-9223372036854775807");
    assertEquals(integer(-9223372036854775808L), r("DECR", "n"));
    assertEquals("-ERR increment or decrement would overflow\r\n", r("DECR", "n"));
    assertEquals(NOT_INTEGER, r("INCRBY", "n", "abc"));
    assertEquals(NOT_INTEGER, r("INCRBY", "nokey", "1.5"));
    assertEquals(integer(0), r("EXISTS", "nokey"));
    for (String bad : new String[] {" 1", "01", "1 ", "9223372036854775808", "-0", "", "abc"}) {
      r("SET", "s", bad);
      assertEquals(NOT_INTEGER, r("INCR", "s"), bad);
    }
    putHash("h");
    assertEquals(WRONGTYPE, r("INCR", "h"));
    assertEquals(NOT_INTEGER, r("INCRBY", "h", "abc"));
    assertEquals(WRONGTYPE, r("DECRBY", "h", "1"));
  }

  @Test
  void incrKeepsTheTtl() {
    r("SET", "n", "5", "EX", "100");
    assertEquals(integer(6), r("INCR", "n"));
    assertEquals(integer(100), r("TTL", "n"));
  }

  @Test
  void incrbyfloatComputesInLongDouble() {
    assertEquals(bulk("0.1"), r("INCRBYFLOAT", "f", "0.1"));
    assertEquals(bulk("0.2"), r("INCRBYFLOAT", "f", "0.1"));
    assertEquals(bulk("0.3"), r("INCRBYFLOAT", "f", "0.1"));
    r("SET", "f", "10.5");
    assertEquals(bulk("10.6"), r("INCRBYFLOAT", "f", "0.1"));
    assertEquals(bulk("11.6"), r("INCRBYFLOAT", "f", "+1."));
    assertEquals(bulk("12.1"), r("INCRBYFLOAT", "f", ".5"));
    assertEquals(bulk("112.1"), r("INCRBYFLOAT", "f", "1E2"));
    // 112.1 is not exact in a long double: adding 16 shows the difference in the 17th decimal, as in Redis.
    assertEquals(bulk("128.10000000000000001"), r("INCRBYFLOAT", "f", "0x10"));
    r("SET", "f", "1e30");
    assertEquals(bulk("1000000000000000000024696061952"), r("INCRBYFLOAT", "f", "0"));
    assertEquals(bulk("0"), r("INCRBYFLOAT", "g", "-0.00000000000000000001"));
    assertEquals(bulk("0"), r("INCRBYFLOAT", "tiny", "5e-4940"));
    String big = "10000000000000000000281880683947586514586453433629052038625910693539685534008629862039363994848324"
        + "160522094053927317616200295822777259255734023828976593340661017797447434546173917862448116674971723778"
        + "943824391593338047470675026246684401359237513603830343735485505244955964979021825038280091068414947402"
        + "456898653040951017512658092615827588920183472511643316591362664138176309734806343732497430221946880";
    assertEquals(bulk(big), r("INCRBYFLOAT", "huge", "1e400"));
    assertEquals(bulk(big), r("INCRBYFLOAT", "huge", "1.5e3"));
  }

  @Test
  void incrbyfloatErrors() {
    String nanOrInf = "-ERR increment would produce NaN or Infinity\r\n";
    r("SET", "f", "1");
    assertEquals(nanOrInf, r("INCRBYFLOAT", "f", "inf"));
    assertEquals(nanOrInf, r("INCRBYFLOAT", "f", "-Infinity"));
    assertEquals(4933, ((org.akkaredis.resp.Reply.Bulk) ts.run("INCRBYFLOAT", "big", "1.18e4932")).bytes().length);
    assertEquals(nanOrInf, r("INCRBYFLOAT", "big", "1.18e4932"));
    for (String bad : new String[] {"nan", " 1", "1 ", "1e-5000", "1e5000", "abc", "1e", ".", "0x", "0x1p", "1.2.3"}) {
      assertEquals(NOT_FLOAT, r("INCRBYFLOAT", "f", bad), bad);
    }
    assertEquals(bulk("1"), r("GET", "f"));
    r("SET", "s", "abc");
    assertEquals(NOT_FLOAT, r("INCRBYFLOAT", "s", "1"));
    r("SET", "i", "inf");
    assertEquals(nanOrInf, r("INCRBYFLOAT", "i", "1"));
    putHash("h");
    assertEquals(WRONGTYPE, r("INCRBYFLOAT", "h", "abc"));
  }

  @Test
  void incrbyfloatKeepsTtlAndIsNeverIntEncoded() {
    r("SET", "f", "1.5", "EX", "100");
    assertEquals(bulk("3"), r("INCRBYFLOAT", "f", "1.5"));
    assertEquals(integer(100), r("TTL", "f"));
    assertEquals(bulk("embstr"), r("OBJECT", "ENCODING", "f"));
    r("INCRBYFLOAT", "g", "1e50");
    assertEquals(bulk("raw"), r("OBJECT", "ENCODING", "g"));
  }

  // ---- APPEND / STRLEN / SETRANGE / GETRANGE -----------------------------------------------------------------

  @Test
  void appendAndStrlen() {
    assertEquals(integer(0), r("STRLEN", "a"));
    assertEquals(integer(3), r("APPEND", "a", "123"));
    assertEquals(bulk("int"), r("OBJECT", "ENCODING", "a"));
    assertEquals(integer(4), r("APPEND", "a", "4"));
    assertEquals(bulk("raw"), r("OBJECT", "ENCODING", "a"));
    assertEquals(bulk("1234"), r("GET", "a"));
    assertEquals(integer(4), r("STRLEN", "a"));
    r("SET", "b", "123", "EX", "100");
    assertEquals(integer(3), r("APPEND", "b", ""));
    assertEquals(bulk("raw"), r("OBJECT", "ENCODING", "b"));
    assertEquals(integer(100), r("TTL", "b"));
    putHash("h");
    assertEquals(WRONGTYPE, r("APPEND", "h", "x"));
    assertEquals(WRONGTYPE, r("STRLEN", "h"));
  }

  @Test
  void appendAndSetrangeRespectProtoMaxBulkLen() throws Exception {
    TestKeyspace small = withSettings("proto-max-bulk-len", "1048576");
    small.run("SET", "k", "x".repeat(1000));
    assertEquals(TOO_BIG, small.resp("APPEND", "k", "y".repeat(1048576 - 999)));
    assertEquals(integer(1048576), small.resp("APPEND", "k", "y".repeat(1048576 - 1000)));
    assertEquals(TOO_BIG, small.resp("SETRANGE", "k", "1048576", "x"));
    assertEquals(integer(1048576), small.resp("SETRANGE", "k", "1048575", "x"));
    assertEquals(TOO_BIG, small.resp("SETRANGE", "new", "1048576", "x"));
    assertEquals(integer(0), small.resp("EXISTS", "new"));
  }

  @Test
  void setrange() {
    assertEquals(integer(0), r("SETRANGE", "d", "0", ""));
    assertEquals(integer(0), r("EXISTS", "d"));
    assertEquals(integer(4), r("SETRANGE", "d", "3", "x"));
    assertEquals("$4\r\n\0\0\0x\r\n", r("GET", "d"));
    assertEquals(bulk("raw"), r("OBJECT", "ENCODING", "d"));
    assertEquals("-ERR offset is out of range\r\n", r("SETRANGE", "d", "-1", "x"));
    assertEquals(NOT_INTEGER, r("SETRANGE", "d", "abc", "x"));
    assertEquals(TOO_BIG, r("SETRANGE", "d", "536870912", "x"));
    assertEquals(TOO_BIG, r("SETRANGE", "d", "9223372036854775807", "x"));
    assertEquals(integer(4), r("SETRANGE", "d", "9223372036854775807", ""));
    r("SET", "c", "123", "EX", "100");
    assertEquals(integer(3), r("SETRANGE", "c", "0", ""));
    assertEquals(bulk("int"), r("OBJECT", "ENCODING", "c"));
    assertEquals(integer(3), r("SETRANGE", "c", "1", "x"));
    assertEquals(bulk("1x3"), r("GET", "c"));
    assertEquals(bulk("raw"), r("OBJECT", "ENCODING", "c"));
    assertEquals(integer(100), r("TTL", "c"));
    assertEquals(integer(6), r("SETRANGE", "c", "4", "yz"));
    assertEquals("$6\r\n1x3\0yz\r\n", r("GET", "c"));
    putHash("h");
    assertEquals(WRONGTYPE, r("SETRANGE", "h", "0", "x"));
    assertEquals(WRONGTYPE, r("SETRANGE", "h", "0", ""));
    assertEquals("-ERR offset is out of range\r\n", r("SETRANGE", "h", "-1", ""));
  }

  @Test
  void getrangeAndSubstr() {
    assertEquals("$0\r\n\r\n", r("GETRANGE", "nokey", "0", "-1"));
    assertEquals(NOT_INTEGER, r("GETRANGE", "nokey", "a", "2"));
    r("SET", "s", "Hello World");
    assertEquals(bulk("Hell"), r("GETRANGE", "s", "0", "3"));
    assertEquals(bulk("rld"), r("GETRANGE", "s", "-3", "-1"));
    assertEquals(bulk("Hello World"), r("GETRANGE", "s", "0", "-1"));
    assertEquals(bulk("d"), r("GETRANGE", "s", "10", "100"));
    assertEquals("$0\r\n\r\n", r("GETRANGE", "s", "-1", "-5"));
    assertEquals("$0\r\n\r\n", r("GETRANGE", "s", "5", "3"));
    assertEquals(bulk("H"), r("GETRANGE", "s", "-100", "-50"));
    assertEquals(bulk("Hel"), r("GETRANGE", "s", "-100", "2"));
    assertEquals(bulk("Hello World"), r("GETRANGE", "s", "-9223372036854775808", "9223372036854775807"));
    assertEquals(NOT_INTEGER, r("GETRANGE", "s", "0", "b"));
    assertEquals(bulk("Hell"), r("SUBSTR", "s", "0", "3"));
    r("SET", "e", "");
    assertEquals("$0\r\n\r\n", r("GETRANGE", "e", "0", "-1"));
    assertEquals("$0\r\n\r\n", r("GETRANGE", "e", "-1", "0"));
    r("SET", "n", "12345");
    assertEquals(bulk("23"), r("GETRANGE", "n", "1", "2"));
    putHash("h");
    assertEquals(WRONGTYPE, r("GETRANGE", "h", "0", "-1"));
  }

  // ---- LCS -------------------------------------------------------------------------------------------------

  @Test
  void lcsReplies() {
    r("MSET", "key1", "ohmytext", "key2", "mynewtext");
    assertEquals(bulk("mytext"), r("LCS", "key1", "key2"));
    assertEquals(integer(6), r("LCS", "key1", "key2", "LEN"));
    String m1 = "*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n";
    String m2 = "*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n";
    assertEquals("*4\r\n$7\r\nmatches\r\n*2\r\n" + m1 + m2 + "$3\r\nlen\r\n:6\r\n", r("LCS", "key1", "key2", "IDX"));
    assertEquals("*4\r\n$7\r\nmatches\r\n*1\r\n" + m1 + "$3\r\nlen\r\n:6\r\n",
        r("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4"));
    assertEquals("*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n"
        + "*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n",
        r("LCS", "key1", "key2", "IDX", "WITHMATCHLEN"));
    assertEquals("*4\r\n$7\r\nmatches\r\n*2\r\n" + m1 + m2 + "$3\r\nlen\r\n:6\r\n",
        r("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "-5"));
    assertEquals(bulk("mytext"), r("LCS", "key1", "key2", "WITHMATCHLEN"));
    assertEquals(integer(6), r("LCS", "key1", "key2", "LEN", "MINMATCHLEN", "2"));
    assertEquals("$0\r\n\r\n", r("LCS", "key1", "nokey"));
    assertEquals("*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n", r("LCS", "nokey", "nokey2", "IDX"));
    r("MSET", "a", "abcdefghij", "b", "xbcdyfghqq");
    assertEquals("*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:5\r\n:7\r\n*2\r\n:5\r\n:7\r\n:3\r\n"
        + "*3\r\n*2\r\n:1\r\n:3\r\n*2\r\n:1\r\n:3\r\n:3\r\n$3\r\nlen\r\n:6\r\n",
        r("LCS", "a", "b", "IDX", "WITHMATCHLEN"));
  }

  @Test
  void lcsIsAMapInResp3() {
    r("MSET", "key1", "ohmytext", "key2", "mynewtext");
    String resp3 = new String(RespWriter.encode(ts.run("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4"), 3),
        StandardCharsets.UTF_8);
    assertEquals("%2\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n", resp3);
  }

  @Test
  void lcsErrors() {
    r("MSET", "key1", "a", "key2", "b");
    assertEquals("-ERR If you want both the length and indexes, please just use IDX.\r\n",
        r("LCS", "key1", "key2", "LEN", "IDX"));
    assertEquals(SYNTAX, r("LCS", "key1", "key2", "MINMATCHLEN"));
    assertEquals(NOT_INTEGER, r("LCS", "key1", "key2", "MINMATCHLEN", "x"));
    assertEquals(SYNTAX, r("LCS", "key1", "key2", "foo"));
    putHash("h");
    String notStrings = "-ERR The specified keys must contain string values\r\n";
    assertEquals(notStrings, r("LCS", "key1", "h"));
    assertEquals(notStrings, r("LCS", "h", "key1", "foo"));
  }

  @Test
  void lcsRefusesTablesBeyondProtoMaxBulkLen() throws Exception {
    TestKeyspace small = withSettings("proto-max-bulk-len", "1048576");
    small.run("SET", "a", "a".repeat(600));
    small.run("SET", "b", "b".repeat(600));
    assertEquals("-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n",
        small.resp("LCS", "a", "b", "LEN"));
    small.run("SET", "b", "b".repeat(400));
    assertEquals(integer(0), small.resp("LCS", "a", "b", "LEN"));
  }

  // ---- encodings -------------------------------------------------------------------------------------------

  @Test
  void objectEncodingOfStrings() {
    String[][] cases = {
        {"123", "int"}, {"-1", "int"}, {"9223372036854775807", "int"}, {"-9223372036854775808", "int"},
        {"9223372036854775808", "embstr"}, {"-0", "embstr"}, {"+1", "embstr"}, {"01", "embstr"},
        {"123456789012345678901", "embstr"}, {"x".repeat(44), "embstr"}, {"x".repeat(45), "raw"}, {"", "embstr"},
    };
    for (String[] c : cases) {
      r("SET", "k", c[0]);
      assertEquals(bulk(c[1]), r("OBJECT", "ENCODING", "k"), c[0]);
    }
    assertEquals(integer(1), r("INCR", "counter"));
    assertEquals(bulk("int"), r("OBJECT", "ENCODING", "counter"));
  }

  @Test
  void objectRefcountOfSharedIntegers() throws Exception {
    for (String v : new String[] {"0", "123", "9999"}) {
      r("SET", "k", v);
      assertEquals(integer(2147483647), r("OBJECT", "REFCOUNT", "k"), v);
    }
    for (String v : new String[] {"10000", "-1", "abc", "x".repeat(50)}) {
      r("SET", "k", v);
      assertEquals(integer(1), r("OBJECT", "REFCOUNT", "k"), v);
    }
    r("INCR", "c");
    assertEquals(integer(2147483647), r("OBJECT", "REFCOUNT", "c"));
    r("SET", "c", "9999");
    r("INCR", "c");
    assertEquals(integer(1), r("OBJECT", "REFCOUNT", "c"));
    r("APPEND", "new", "5");
    assertEquals(integer(2147483647), r("OBJECT", "REFCOUNT", "new"));
    r("INCRBYFLOAT", "fl", "3");
    assertEquals(integer(1), r("OBJECT", "REFCOUNT", "fl"));

    TestKeyspace lru = withSettings("maxmemory", "100mb", "maxmemory-policy", "allkeys-lru");
    lru.run("SET", "n", "5");
    assertEquals(integer(1), lru.resp("OBJECT", "REFCOUNT", "n"));
    lru.run("INCR", "m");
    assertEquals(integer(1), lru.resp("OBJECT", "REFCOUNT", "m"));
  }
}
