package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.HeldKeyspace;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceAccess;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.RedisHash;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.keyspace.Slots;
import org.akkaredis.keyspace.WatchToken;
import org.akkaredis.resp.Reply;
import org.akkaredis.resp.RespWriter;
import org.junit.jupiter.api.Test;

/**
 * The generic key commands on a one-range keyspace with a controlled clock, and the node-wide ones (KEYS, SCAN,
 * RANDOMKEY) over held ranges. Expected replies were taken from redis-server 7.0.15.
 */
class KeyCommandsTest {
  private static final String OK = "+OK\r\n";
  private static final String NIL = "$-1\r\n";
  private static final String NOT_INTEGER = "-ERR value is not an integer or out of range\r\n";
  private static final String SYNTAX = "-ERR syntax error\r\n";

  private static CommandTable table() {
    CommandTable.Builder b = CommandTable.builder();
    StringCommands.register(b);
    KeyCommands.register(b);
    return b.build();
  }

  private final CommandTable table = table();
  private final TestKeyspace ts = new TestKeyspace(table);

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
    assertEquals(-2, table.lookup("del").arity());
    assertEquals(-1, table.lookup("del").lastKey());
    assertEquals(2, table.lookup("rename").lastKey());
    assertTrue(table.lookup("unlink").hasFlag("fast"));
    assertEquals("generic", table.lookup("expire").group());
    CommandSpec object = table.lookup("object");
    assertEquals(-2, object.arity());
    CommandSpec encoding = object.subcommands().get("encoding");
    assertEquals("object|encoding", encoding.name());
    assertEquals(2, encoding.firstKey());
    assertEquals(3, encoding.arity());
    assertEquals("object|help", object.subcommands().get("help").name());
    assertEquals(0, table.lookup("keys").firstKey());
    assertTrue(table.lookup("scan").handler() instanceof Handler.OfNode);
  }

  // ---- DEL / UNLINK / EXISTS / TYPE / TOUCH ------------------------------------------------------------------

  @Test
  void delUnlinkExistsType() {
    r("MSET", "a", "1", "b", "2", "c", "3");
    assertEquals(integer(2), r("DEL", "a", "b", "nokey", "a"));
    assertEquals(integer(2), r("EXISTS", "c", "c", "nokey"));
    assertEquals(integer(1), r("UNLINK", "c", "nokey"));
    assertEquals("+none\r\n", r("TYPE", "c"));
    r("SET", "s", "v");
    assertEquals("+string\r\n", r("TYPE", "s"));
    putHash("h");
    assertEquals("+hash\r\n", r("TYPE", "h"));
    assertEquals(integer(1), r("DEL", "h"));
    assertEquals(integer(0), r("EXISTS", "h"));
  }

  @Test
  void expiredKeysAreGoneForEveryCommand() {
    r("SET", "k", "v", "PX", "10");
    ts.advance(10);
    assertEquals(integer(0), r("DEL", "k"));
    r("SET", "k", "v", "PX", "10");
    ts.advance(10);
    assertEquals(integer(0), r("EXISTS", "k"));
    assertEquals("+none\r\n", r("TYPE", "k"));
    assertEquals(integer(-2), r("TTL", "k"));
    assertEquals("-ERR no such key\r\n", r("RENAME", "k", "k2"));
    assertEquals(integer(0), r("COPY", "k", "k2"));
    assertEquals(integer(0), r("PERSIST", "k"));
    assertEquals(NIL, r("OBJECT", "ENCODING", "k"));
    r("SET", "k", "v", "PX", "10");
    ts.advance(10);
    assertEquals(integer(1), r("APPEND", "k", "x"));
    assertEquals(integer(-1), r("TTL", "k"));
  }

  @Test
  void touchUpdatesAccessTimeButExistsAndTypeDoNot() {
    r("SET", "k", "v");
    ts.advance(5000);
    r("EXISTS", "k");
    r("TYPE", "k");
    r("TTL", "k");
    assertEquals(integer(5), r("OBJECT", "IDLETIME", "k"));
    assertEquals(integer(2), r("TOUCH", "k", "nokey", "k"));
    assertEquals(integer(0), r("OBJECT", "IDLETIME", "k"));
    ts.advance(3000);
    r("GET", "k");
    assertEquals(integer(0), r("OBJECT", "IDLETIME", "k"));
  }

  @Test
  void lookupsCountKeyspaceHitsLikeRedis() {
    r("SET", "k", "v");
    long hits = ts.state.keyspaceHits;
    long misses = ts.state.keyspaceMisses;
    r("EXISTS", "k", "nokey");
    assertEquals(hits + 1, ts.state.keyspaceHits);
    assertEquals(misses + 1, ts.state.keyspaceMisses);
    // Writes never count.
    r("SET", "k", "w");
    r("DEL", "nokey");
    r("EXPIRE", "k", "10");
    assertEquals(hits + 1, ts.state.keyspaceHits);
    assertEquals(misses + 1, ts.state.keyspaceMisses);
  }

  // ---- EXPIRE family ------------------------------------------------------------------------------------------

  @Test
  void expireOptions() {
    r("SET", "s", "v");
    assertEquals(integer(1), r("EXPIRE", "s", "100"));
    assertEquals(integer(100), r("TTL", "s"));
    assertEquals(integer(0), r("EXPIRE", "s", "100", "NX"));
    assertEquals(integer(1), r("EXPIRE", "s", "200", "XX"));
    assertEquals(integer(200), r("TTL", "s"));
    assertEquals(integer(0), r("EXPIRE", "s", "100", "GT"));
    assertEquals(integer(1), r("EXPIRE", "s", "300", "gt"));
    assertEquals(integer(0), r("EXPIRE", "s", "400", "LT"));
    assertEquals(integer(1), r("EXPIRE", "s", "50", "lt"));
    assertEquals(integer(50), r("TTL", "s"));
    assertEquals(integer(0), r("EXPIRE", "s", "10", "XX", "GT"));
    assertEquals(integer(1), r("EXPIRE", "s", "10", "LT", "LT", "XX"));
    r("SET", "p", "v");
    assertEquals(integer(0), r("EXPIRE", "p", "10", "XX"));
    assertEquals(integer(0), r("EXPIRE", "p", "10", "GT"));
    assertEquals(integer(1), r("EXPIRE", "p", "10", "LT"));
    assertEquals(integer(10), r("TTL", "p"));
  }

  @Test
  void expireErrors() {
    r("SET", "s", "v");
    String nxWith = "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n";
    assertEquals(nxWith, r("EXPIRE", "s", "10", "NX", "XX"));
    assertEquals(nxWith, r("EXPIRE", "s", "10", "NX", "GT"));
    assertEquals(nxWith, r("EXPIRE", "s", "10", "NX", "LT"));
    assertEquals("-ERR GT and LT options at the same time are not compatible\r\n", r("EXPIRE", "s", "10", "GT", "LT"));
    assertEquals("-ERR Unsupported option foo\r\n", r("EXPIRE", "s", "10", "foo"));
    assertEquals("-ERR Unsupported option NxX\r\n", r("EXPIRE", "s", "10", "NxX"));
    // Options are checked before the time argument.
    assertEquals("-ERR Unsupported option foo\r\n", r("EXPIRE", "s", "abc", "foo"));
    assertEquals(NOT_INTEGER, r("EXPIRE", "s", "abc"));
    assertEquals(NOT_INTEGER, r("EXPIRE", "nokey", "abc"));
    assertEquals(integer(0), r("EXPIRE", "nokey", "10"));
    assertEquals("-ERR invalid expire time in 'expire' command\r\n", r("EXPIRE", "s", "9223372036854776"));
    assertEquals("-ERR invalid expire time in 'expire' command\r\n", r("EXPIRE", "s", "-9223372036854776"));
    assertEquals("-ERR invalid expire time in 'expire' command\r\n", r("EXPIRE", "s", "9223372036854775"));
    assertEquals("-ERR invalid expire time in 'pexpire' command\r\n", r("PEXPIRE", "s", "9223372036854775807"));
    assertEquals("-ERR invalid expire time in 'expireat' command\r\n", r("EXPIREAT", "s", "9223372036854775807"));
    assertEquals("-ERR invalid expire time in 'expireat' command\r\n", r("EXPIREAT", "s", "-9223372036854776"));
    assertEquals(integer(-1), r("TTL", "s"));
    assertEquals(integer(1), r("PEXPIREAT", "s", "9223372036854775807"));
    assertEquals(integer(9223372036854775807L), r("PEXPIRETIME", "s"));
  }

  @Test
  void expireInThePastDeletesTheKey() {
    String[][] commands = {
        {"EXPIRE", "k", "-1"}, {"EXPIRE", "k", "0"}, {"PEXPIRE", "k", "0"}, {"EXPIREAT", "k", "1"},
        {"PEXPIREAT", "k", "-9223372036854775808"}, {"EXPIREAT", "k", "-9223372036854775"},
        {"EXPIRE", "k", "-5", "LT"}, {"PEXPIREAT", "k", Long.toString(ts.clock.get())},
    };
    for (String[] command : commands) {
      r("SET", "k", "v");
      assertEquals(integer(1), r(command), String.join(" ", command));
      assertEquals(integer(0), r("EXISTS", "k"), String.join(" ", command));
    }
    r("SET", "k", "v");
    assertEquals(integer(0), r("EXPIRE", "k", "-5", "GT"));
    assertEquals(integer(0), r("EXPIRE", "k", "-5", "XX"));
    assertEquals(integer(1), r("EXISTS", "k"));
  }

  @Test
  void expireAndTtlFollowTheClock() {
    long now = ts.clock.get();
    r("SET", "k", "v");
    assertEquals(integer(1), r("PEXPIRE", "k", "1500"));
    assertEquals(integer(2), r("TTL", "k"));
    assertEquals(integer(1500), r("PTTL", "k"));
    assertEquals(integer(now + 1500), r("PEXPIRETIME", "k"));
    assertEquals(integer((now + 1500 + 500) / 1000), r("EXPIRETIME", "k"));
    ts.advance(1000);
    assertEquals(integer(1), r("TTL", "k"));
    assertEquals(integer(500), r("PTTL", "k"));
    ts.advance(499);
    assertEquals(integer(1), r("PTTL", "k"));
    ts.advance(1);
    assertEquals(integer(-2), r("PTTL", "k"));
    assertEquals(integer(-2), r("EXPIRETIME", "k"));
    r("SET", "k", "v");
    assertEquals(integer(-1), r("PTTL", "k"));
    assertEquals(integer(-1), r("EXPIRETIME", "k"));
    assertEquals(integer(-1), r("PEXPIRETIME", "k"));
    assertEquals(integer(1), r("EXPIREAT", "k", "5000000000"));
    assertEquals(integer(5000000000000L), r("PEXPIRETIME", "k"));
    assertEquals(integer(1), r("PEXPIREAT", "k", "5000000000499"));
    assertEquals(integer(5000000000L), r("EXPIRETIME", "k"));
    assertEquals(integer(1), r("PEXPIREAT", "k", "5000000000500"));
    assertEquals(integer(5000000001L), r("EXPIRETIME", "k"));
  }

  @Test
  void persist() {
    r("SET", "p", "v", "EX", "10");
    assertEquals(integer(1), r("PERSIST", "p"));
    assertEquals(integer(-1), r("TTL", "p"));
    assertEquals(integer(0), r("PERSIST", "p"));
    assertEquals(integer(0), r("PERSIST", "nokey"));
  }

  @Test
  void expireAndPersistTellWatchers() {
    r("SET", "k", "v");
    WatchToken token = new WatchToken();
    ts.db().watch(Key.of("k"), token);
    r("PERSIST", "k");
    assertFalse(token.dirty());
    r("EXPIRE", "k", "100");
    assertTrue(token.dirty());
    WatchToken second = new WatchToken();
    ts.db().watch(Key.of("k"), second);
    r("PERSIST", "k");
    assertTrue(second.dirty());
  }

  // ---- RENAME / RENAMENX / COPY ------------------------------------------------------------------------------

  @Test
  void renameAndRenamenx() {
    assertEquals("-ERR no such key\r\n", r("RENAME", "nokey", "x"));
    assertEquals("-ERR no such key\r\n", r("RENAMENX", "nokey", "x"));
    assertEquals("-ERR no such key\r\n", r("RENAME", "nokey", "nokey"));
    r("SET", "s", "v");
    r("PEXPIREAT", "s", "5000000000000");
    assertEquals(OK, r("RENAME", "s", "s"));
    assertEquals(integer(0), r("RENAMENX", "s", "s"));
    assertEquals(OK, r("RENAME", "s", "t"));
    assertEquals(integer(0), r("EXISTS", "s"));
    assertEquals(integer(5000000000000L), r("PEXPIRETIME", "t"));
    r("SET", "u", "other");
    assertEquals(integer(0), r("RENAMENX", "t", "u"));
    assertEquals(bulk("other"), r("GET", "u"));
    assertEquals(integer(1), r("RENAMENX", "t", "w"));
    assertEquals(OK, r("RENAME", "w", "u"));
    assertEquals(bulk("v"), r("GET", "u"));
    assertEquals(integer(5000000000000L), r("PEXPIRETIME", "u"));
    putHash("h");
    assertEquals(OK, r("RENAME", "u", "h"));
    assertEquals("+string\r\n", r("TYPE", "h"));
    r("APPEND", "raw", "12");
    r("APPEND", "raw", "3");
    r("RENAME", "raw", "moved");
    assertEquals(bulk("raw"), r("OBJECT", "ENCODING", "moved"));
  }

  @Test
  void renameTellsWatchersOfBothKeys() {
    r("SET", "a", "1");
    r("SET", "b", "2");
    WatchToken onA = new WatchToken();
    WatchToken onB = new WatchToken();
    ts.db().watch(Key.of("a"), onA);
    ts.db().watch(Key.of("b"), onB);
    r("RENAME", "a", "b");
    assertTrue(onA.dirty());
    assertTrue(onB.dirty());
  }

  @Test
  void copy() {
    r("SET", "u", "v");
    r("PEXPIREAT", "u", "5000000000000");
    assertEquals("-ERR source and destination objects are the same\r\n", r("COPY", "u", "u"));
    assertEquals("-ERR source and destination objects are the same\r\n", r("COPY", "u", "u", "DB", "0"));
    assertEquals(integer(1), r("COPY", "u", "u", "DB", "1"));
    assertEquals("-ERR DB index is out of range\r\n", r("COPY", "u", "u2", "DB", "16"));
    assertEquals("-ERR DB index is out of range\r\n", r("COPY", "u", "u2", "DB", "-1"));
    assertEquals(NOT_INTEGER, r("COPY", "u", "u2", "DB", "abc"));
    assertEquals("-ERR value is out of range, value must between -2147483648 and 2147483647\r\n",
        r("COPY", "u", "u2", "DB", "4294967296"));
    assertEquals(SYNTAX, r("COPY", "u", "u2", "DB"));
    assertEquals(SYNTAX, r("COPY", "u", "u2", "foo"));
    assertEquals(integer(1), r("COPY", "u", "u2", "REPLACE", "REPLACE"));
    assertEquals(integer(5000000000000L), r("PEXPIRETIME", "u2"));
    assertEquals(integer(0), r("COPY", "nokey", "u2"));
    putHash("hh");
    assertEquals(integer(0), r("COPY", "u", "hh"));
    assertEquals("+hash\r\n", r("TYPE", "hh"));
    assertEquals(integer(1), r("COPY", "u", "hh", "REPLACE"));
    assertEquals("+string\r\n", r("TYPE", "hh"));
    ts.session.db = 1;
    assertEquals(bulk("v"), r("GET", "u"));
    assertEquals(integer(5000000000000L), r("PEXPIRETIME", "u"));
  }

  @Test
  void moveTakesTheKeyWithItsTtlToAnotherDatabase() {
    r("SET", "u", "v");
    r("PEXPIREAT", "u", "5000000000000");
    assertEquals(NOT_INTEGER, r("MOVE", "u", "abc"));
    assertEquals("-ERR source and destination objects are the same\r\n", r("MOVE", "u", "0"));
    assertEquals("-ERR source and destination objects are the same\r\n", r("MOVE", "nokey", "0"));
    assertEquals("-ERR DB index is out of range\r\n", r("MOVE", "u", "16"));
    assertEquals("-ERR DB index is out of range\r\n", r("MOVE", "u", "-1"));
    assertEquals("-ERR value is out of range, value must between -2147483648 and 2147483647\r\n",
        r("MOVE", "u", "4294967296"));
    assertEquals(integer(0), r("MOVE", "nokey", "1"));
    assertEquals(integer(1), r("MOVE", "u", "1"));
    assertEquals(integer(0), r("EXISTS", "u"));
    r("SET", "u", "other");
    assertEquals(integer(0), r("MOVE", "u", "1"), "the key exists in the target");
    assertEquals(bulk("other"), r("GET", "u"), "and stays here");
    ts.session.db = 1;
    assertEquals(bulk("v"), r("GET", "u"));
    assertEquals(integer(5000000000000L), r("PEXPIRETIME", "u"));
  }

  @Test
  void moveOverAnExpiredKeyInTheTargetMovesAndMoveInClusterModeIsRefused() throws Exception {
    r("SET", "gone", "old");
    r("PEXPIRE", "gone", "10");
    ts.session.db = 1;
    r("SET", "gone", "new");
    ts.session.db = 0;
    ts.advance(20);
    ts.session.db = 1;
    assertEquals(integer(1), r("MOVE", "gone", "0"), "the target's copy had expired");
    ts.session.db = 0;
    assertEquals(bulk("new"), r("GET", "gone"));
    assertEquals(integer(-1), r("PTTL", "gone"));

    TestKeyspace cluster = withSettings("cluster-enabled", "yes");
    assertEquals("-ERR MOVE is not allowed in cluster mode\r\n", cluster.resp("MOVE", "k", "1"));
  }

  @Test
  void copyOfAHashIsIndependent() {
    putHash("h");
    ((RedisHash) entry("h").value).hashtable = true;
    assertEquals(integer(1), r("COPY", "h", "h2"));
    RedisHash copy = (RedisHash) entry("h2").value;
    assertTrue(copy.hashtable);
    assertEquals(bulk("hashtable"), r("OBJECT", "ENCODING", "h2"));
    copy.fields.put(Key.of("g"), new byte[] {'w'});
    assertEquals(1, ((RedisHash) entry("h").value).fields.size());
  }

  @Test
  void copyOfASharedIntegerIsNotShared() {
    r("SET", "sm", "123");
    r("COPY", "sm", "smc");
    assertEquals(integer(1), r("OBJECT", "REFCOUNT", "smc"));
    assertEquals(bulk("int"), r("OBJECT", "ENCODING", "smc"));
    assertEquals(integer(2147483647), r("OBJECT", "REFCOUNT", "sm"));
  }

  @Test
  void copyToAnotherDatabaseIsRefusedInClusterMode() throws Exception {
    TestKeyspace cluster = withSettings("cluster-enabled", "yes");
    cluster.run("SET", "a", "1");
    assertEquals("-ERR Copying to another database is not allowed in cluster mode\r\n",
        cluster.resp("COPY", "a", "b", "DB", "5"));
    assertEquals("-ERR DB index is out of range\r\n", cluster.resp("COPY", "a", "b", "DB", "16"));
    assertEquals(integer(1), cluster.resp("COPY", "a", "b", "DB", "0"));
  }

  // ---- OBJECT -----------------------------------------------------------------------------------------------

  @Test
  void objectSubcommands() {
    assertEquals(NIL, r("OBJECT", "ENCODING", "nokey"));
    assertEquals(NIL, r("OBJECT", "REFCOUNT", "nokey"));
    assertEquals(NIL, r("OBJECT", "IDLETIME", "nokey"));
    assertEquals(NIL, r("OBJECT", "FREQ", "nokey"));
    r("SET", "s", "hello");
    assertEquals(bulk("embstr"), r("OBJECT", "ENCODING", "s"));
    assertEquals(integer(1), r("OBJECT", "REFCOUNT", "s"));
    assertEquals("-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when"
        + " switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n",
        r("OBJECT", "FREQ", "s"));
    putHash("h");
    assertEquals(bulk("listpack"), r("OBJECT", "ENCODING", "h"));
    assertEquals(integer(1), r("OBJECT", "REFCOUNT", "h"));
    assertEquals("-ERR wrong number of arguments for 'object|encoding' command\r\n", r("OBJECT", "ENCODING"));
    assertEquals("-ERR wrong number of arguments for 'object|encoding' command\r\n", r("OBJECT", "encoding", "a", "b"));
  }

  @Test
  void objectIdletimeCountsWholeSecondsOfTheLruClock() {
    ts.clock.set(1_700_000_000_900L);
    r("SET", "k", "v");
    ts.advance(200);
    // 0.2 s later but across a second boundary: the LRU clock says one second.
    assertEquals(integer(1), r("OBJECT", "IDLETIME", "k"));
    ts.advance(10_000);
    assertEquals(integer(11), r("OBJECT", "IDLETIME", "k"));
    assertEquals(integer(11), r("OBJECT", "IDLETIME", "k"));
  }

  @Test
  void objectUnderAnLfuPolicy() throws Exception {
    TestKeyspace lfu = withSettings("maxmemory-policy", "allkeys-lfu");
    lfu.run("SET", "k", "v");
    assertEquals(integer(5), lfu.resp("OBJECT", "FREQ", "k"));
    assertEquals("-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching"
        + " between policies at runtime LRU and LFU data will take some time to adjust.\r\n",
        lfu.resp("OBJECT", "IDLETIME", "k"));
    lfu.advance(3 * 60_000);
    assertEquals(integer(2), lfu.resp("OBJECT", "FREQ", "k"));
  }

  @Test
  void objectFreqCountsAccessesLogarithmicallyAndLooksWithoutTouching() throws Exception {
    TestKeyspace lfu = withSettings("maxmemory-policy", "allkeys-lfu", "lfu-log-factor", "0");
    lfu.run("SET", "k", "v");
    for (int i = 0; i < 10; i++) lfu.run("GET", "k");
    assertEquals(integer(15), lfu.resp("OBJECT", "FREQ", "k"), "factor 0: every access counts");
    assertEquals(integer(15), lfu.resp("OBJECT", "FREQ", "k"), "OBJECT FREQ itself is no access");
    lfu.run("SET", "k", "w");
    assertEquals(integer(16), lfu.resp("OBJECT", "FREQ", "k"), "SET looks the key up (one access), the overwrite keeps"
        + " the counter (redis-server 7.0.15 answers 16 too)");
    lfu.run("APPEND", "k", "x");
    assertEquals(integer(17), lfu.resp("OBJECT", "FREQ", "k"));
    lfu.advance(4 * 60_000);
    assertEquals(integer(13), lfu.resp("OBJECT", "FREQ", "k"), "one less per lfu-decay-time minute");
    TestKeyspace slow = withSettings("maxmemory-policy", "allkeys-lfu");
    slow.run("SET", "k", "v");
    for (int i = 0; i < 100; i++) slow.run("GET", "k");
    long freq = Long.parseLong(slow.resp("OBJECT", "FREQ", "k").substring(1).trim());
    assertTrue(freq > 5 && freq < 20, "factor 10: about 10 after 100 accesses, got " + freq);
  }

  @Test
  void objectHelp() {
    Handler.OfSession help = (Handler.OfSession) table.lookup("object").subcommands().get("help").handler();
    Reply reply = help.run(ts.session, new byte[][] {"OBJECT".getBytes(), "HELP".getBytes()});
    List<Reply> lines = ((Reply.Array) reply).items();
    assertEquals(15, lines.size());
    assertEquals(new Reply.Simple("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"), lines.get(0));
    assertEquals(new Reply.Simple("    Prints this help."), lines.get(14));
  }

  // ---- node-wide: KEYS / SCAN / RANDOMKEY --------------------------------------------------------------------

  /** The owner HeldKeyspace asks about routing: {@code ranges} equal ranges over all slots. */
  static KeyspaceAccess owner(int ranges) {
    int perRange = Slots.COUNT / ranges;
    return new KeyspaceAccess() {
      @Override public int rangeCount() {
        return ranges;
      }

      @Override public int rangeOfSlot(int slot) {
        return slot / perRange;
      }

      @Override public SlotRouting routing() {
        return SlotRouting.standalone();
      }

      @Override public <T> CompletionStage<T> onRange(int range, Function<RangeState, T> work) {
        throw new UnsupportedOperationException();
      }

      @Override public <T> CompletionStage<List<T>> onAll(Function<RangeState, T> work) {
        throw new UnsupportedOperationException();
      }

      @Override public <T> CompletionStage<T> holding(int[] r, Function<RangeState[], CompletionStage<T>> work) {
        throw new UnsupportedOperationException();
      }
    };
  }

  private NodeContext node(RangeState... states) {
    return new NodeContext(new HeldKeyspace(owner(states.length), states), Settings.defaults(), table, null, null,
        null, Replication.NONE, null, Persistence.NONE);
  }

  private Reply runNode(NodeContext node, String... args) {
    byte[][] argv = new byte[args.length][];
    for (int i = 0; i < args.length; i++) argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
    CommandSpec spec = table.lookup(args[0]);
    if (!spec.arityOk(argv.length)) return Reply.wrongArity(spec.name());
    return ((Handler.OfNode) spec.handler()).run(node, ts.session, argv).toCompletableFuture().join();
  }

  private static String resp(Reply reply) {
    return new String(RespWriter.encode(reply, 2), StandardCharsets.UTF_8);
  }

  private static Set<String> texts(Reply array) {
    Set<String> out = new HashSet<>();
    for (Reply item : ((Reply.Array) array).items()) out.add(new String(((Reply.Bulk) item).bytes(), StandardCharsets.UTF_8));
    return out;
  }

  @Test
  void keysMatchesGlobPatterns() {
    NodeContext node = node(ts.state);
    assertEquals("*0\r\n", resp(runNode(node, "KEYS", "*")));
    r("MSET", "a", "1", "b", "2", "ab", "3", "{x}1", "4", "a*", "5", "[a", "6");
    putHash("h");
    r("SET", "gone", "v", "PX", "1");
    ts.advance(1);
    ts.state.tick();
    assertEquals(Set.of("a", "b", "ab", "{x}1", "a*", "[a", "h"), texts(runNode(node, "KEYS", "*")));
    assertEquals(Set.of("a", "ab", "a*"), texts(runNode(node, "KEYS", "a*")));
    assertEquals(Set.of("a*"), texts(runNode(node, "KEYS", "a\\*")));
    assertEquals(Set.of("a", "b"), texts(runNode(node, "KEYS", "[ab]")));
    assertEquals(Set.of("a"), texts(runNode(node, "KEYS", "[a")));
    assertEquals(Set.of("a", "b", "h"), texts(runNode(node, "KEYS", "?")));
    assertEquals("-ERR wrong number of arguments for 'keys' command\r\n", resp(runNode(node, "KEYS")));
    ts.session.db = 3;
    assertEquals("*0\r\n", resp(runNode(node, "KEYS", "*")));
  }

  @Test
  void randomkey() {
    NodeContext node = node(ts.state);
    assertEquals(NIL, resp(runNode(node, "RANDOMKEY")));
    r("SET", "only", "v");
    assertEquals(bulk("only"), resp(runNode(node, "RANDOMKEY")));
    r("SET", "other", "v");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) seen.add(new String(((Reply.Bulk) runNode(node, "RANDOMKEY")).bytes()));
    assertEquals(Set.of("only", "other"), seen);
  }

  @Test
  void randomkeyOverSeveralRanges() {
    AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    RangeState[] states = ranges(4, clock);
    NodeContext node = node(states);
    assertEquals(NIL, resp(runNode(node, "RANDOMKEY")));
    Map<Integer, String> oneKeyPerRange = new HashMap<>();
    for (int i = 0; oneKeyPerRange.size() < 4; i++) {
      String key = "key" + i;
      int range = Slots.slotOf(key.getBytes()) / 4096;
      if (oneKeyPerRange.putIfAbsent(range, key) == null) states[range].db(0).put(Key.of(key), new byte[] {'v'});
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 400; i++) seen.add(new String(((Reply.Bulk) runNode(node, "RANDOMKEY")).bytes()));
    assertEquals(new HashSet<>(oneKeyPerRange.values()), seen);
  }

  @Test
  void scanArgumentErrors() {
    NodeContext node = node(ts.state);
    assertEquals("-ERR invalid cursor\r\n", resp(runNode(node, "SCAN", "abc")));
    assertEquals("-ERR invalid cursor\r\n", resp(runNode(node, "SCAN", " 0")));
    assertEquals("-ERR invalid cursor\r\n", resp(runNode(node, "SCAN", "0 ")));
    assertEquals("-ERR invalid cursor\r\n", resp(runNode(node, "SCAN", "+")));
    assertEquals("-ERR invalid cursor\r\n", resp(runNode(node, "SCAN", "18446744073709551616")));
    assertEquals("-ERR invalid cursor\r\n", resp(runNode(node, "SCAN", "abc", "COUNT", "0")));
    assertEquals(SYNTAX, resp(runNode(node, "SCAN", "0", "COUNT", "0")));
    assertEquals(SYNTAX, resp(runNode(node, "SCAN", "0", "COUNT", "-1")));
    assertEquals(NOT_INTEGER, resp(runNode(node, "SCAN", "0", "COUNT", "abc")));
    assertEquals(SYNTAX, resp(runNode(node, "SCAN", "0", "COUNT")));
    assertEquals(SYNTAX, resp(runNode(node, "SCAN", "0", "MATCH")));
    assertEquals(SYNTAX, resp(runNode(node, "SCAN", "0", "TYPE")));
    assertEquals(SYNTAX, resp(runNode(node, "SCAN", "0", "foo", "bar")));
    assertEquals(SYNTAX, resp(runNode(node, "SCAN", "0", "TYPE", "hash", "COUNT", "0")));
    assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", resp(runNode(node, "SCAN", "0", "TYPE", "foo")));
    // Cursors past the last slot (including strtoul's wrapped negatives) have nothing left to visit.
    assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", resp(runNode(node, "SCAN", "18446744073709551615")));
    assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", resp(runNode(node, "SCAN", "-1")));
  }

  @Test
  void scanFiltersByMatchAndType() {
    NodeContext node = node(ts.state);
    r("MSET", "a", "1", "b", "2", "ab", "3");
    putHash("h");
    Reply all = runNode(node, "SCAN", "0", "COUNT", "1000");
    List<Reply> parts = ((Reply.Array) all).items();
    assertEquals(new Reply.Bulk("0".getBytes()), parts.get(0));
    assertEquals(Set.of("a", "b", "ab", "h"), texts(parts.get(1)));
    assertEquals(Set.of("h"), texts(((Reply.Array) runNode(node, "SCAN", "0", "TYPE", "HASH", "COUNT", "1000"))
        .items().get(1)));
    assertEquals(Set.of("a", "b", "ab"),
        texts(((Reply.Array) runNode(node, "SCAN", "0", "type", "string", "COUNT", "1000")).items().get(1)));
    assertEquals(Set.of("a", "ab"),
        texts(((Reply.Array) runNode(node, "SCAN", "0", "MATCH", "a*", "COUNT", "1000")).items().get(1)));
    assertEquals(Set.of("b"), texts(((Reply.Array) runNode(node, "SCAN", "0", "MATCH", "a", "MATCH", "b",
        "COUNT", "1000")).items().get(1)));
  }

  private static RangeState[] ranges(int count, AtomicLong clock) {
    RangeState[] states = new RangeState[count];
    int per = Slots.COUNT / count;
    for (int i = 0; i < count; i++) {
      states[i] = new RangeState(i, i * per, i * per + per - 1, 16, Settings.defaults(), clock::get,
          SlotRouting::standalone);
    }
    return states;
  }

  private static void put(RangeState[] states, String key) {
    int slot = Slots.slotOf(key.getBytes(StandardCharsets.UTF_8));
    states[slot / (Slots.COUNT / states.length)].db(0).put(Key.of(key), new byte[] {'v'});
  }

  private static void delete(RangeState[] states, String key) {
    int slot = Slots.slotOf(key.getBytes(StandardCharsets.UTF_8));
    states[slot / (Slots.COUNT / states.length)].db(0).delete(Key.of(key));
  }

  /** Runs a whole SCAN iteration, calling {@code between} before each call; returns every key seen, in order. */
  private List<String> fullScan(NodeContext node, String count, Runnable between) {
    List<String> seen = new ArrayList<>();
    String cursor = "0";
    int calls = 0;
    do {
      between.run();
      List<Reply> parts = ((Reply.Array) runNode(node, "SCAN", cursor, "COUNT", count)).items();
      cursor = new String(((Reply.Bulk) parts.get(0)).bytes(), StandardCharsets.US_ASCII);
      for (Reply key : ((Reply.Array) parts.get(1)).items()) seen.add(new String(((Reply.Bulk) key).bytes()));
      assertTrue(++calls < 20_000, "scan does not end");
    } while (!cursor.equals("0"));
    return seen;
  }

  @Test
  void scanWalksEveryRangeAndStopsAfterCount() {
    AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    RangeState[] states = ranges(4, clock);
    NodeContext node = node(states);
    Set<String> stored = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      put(states, "key:" + i);
      stored.add("key:" + i);
    }
    List<Reply> first = ((Reply.Array) runNode(node, "SCAN", "0", "COUNT", "10")).items();
    int returned = ((Reply.Array) first.get(1)).items().size();
    // Whole slots are walked: at least COUNT keys, and no slot of 500 keys over 16384 slots holds many.
    assertTrue(returned >= 10 && returned < 20, "returned " + returned);
    assertNotEquals(new Reply.Bulk("0".getBytes()), first.get(0));

    List<String> seen = fullScan(node, "10", () -> { });
    assertEquals(500, seen.size());
    assertEquals(stored, new HashSet<>(seen));
    assertEquals(stored, new HashSet<>(fullScan(node, "1", () -> { })));
    assertEquals(500, fullScan(node, "100000", () -> { }).size());
  }

  @Test
  void scanReturnsLongLivedKeysExactlyOnceWhileOthersComeAndGo() {
    AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    RangeState[] states = ranges(4, clock);
    NodeContext node = node(states);
    Set<String> stable = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      put(states, "stable:" + i);
      stable.add("stable:" + i);
    }
    int[] churn = {0};
    List<String> seen = fullScan(node, "7", () -> {
      for (int i = 0; i < 5; i++) put(states, "churn:" + churn[0]++);
      if (churn[0] > 10) delete(states, "churn:" + (churn[0] - 10));
    });
    Map<String, Integer> counts = new HashMap<>();
    for (String key : seen) counts.merge(key, 1, Integer::sum);
    for (String key : stable) assertEquals(1, counts.getOrDefault(key, 0), key);
    for (Map.Entry<String, Integer> e : counts.entrySet()) assertEquals(1, e.getValue(), e.getKey());
  }

  @Test
  void scanSkipsExpiredKeys() {
    NodeContext node = node(ts.state);
    r("SET", "live", "v");
    r("SET", "dying", "v", "PX", "5");
    ts.advance(5);
    ts.state.tick();
    assertEquals(Set.of("live"), texts(((Reply.Array) runNode(node, "SCAN", "0", "COUNT", "100")).items().get(1)));
  }
}
