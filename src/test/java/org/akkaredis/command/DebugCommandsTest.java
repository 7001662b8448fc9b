package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.akkaredis.command.ServerCommandsTest.Node;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.Keyspace;
import org.akkaredis.keyspace.KeyspaceAccess;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.RedisHash;
import org.akkaredis.keyspace.RedisList;
import org.akkaredis.keyspace.RedisSet;
import org.akkaredis.keyspace.RedisZSet;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.keyspace.Slots;
import org.akkaredis.resp.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * DEBUG on the two-range node of {@link ServerCommandsTest}. Expected texts and digests were taken from
 * redis-server 7.0.15 (enable-debug-command yes) holding the same data; DebugDifferentialTest compares with a
 * running one.
 */
class DebugCommandsTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdownTestKit() {
    testKit.shutdownTestKit();
  }

  private static Node debugNode() {
    return Node.with(Map.of("enable-debug-command", "yes"));
  }

  private static RangeState rangeOf(Node node, String key) {
    return node.ranges[Slots.slotOf(key.getBytes(StandardCharsets.UTF_8)) < 8192 ? 0 : 1];
  }

  /** Stores a value of any type in database {@code db}, as a command would have. */
  private static Entry store(Node node, int db, String key, Object value) {
    RangeState range = rangeOf(node, key);
    range.tick();
    return range.db(db).put(Key.of(key), value);
  }

  private static RedisList list(String... items) {
    RedisList list = new RedisList();
    for (String item : items) list.push(false, item.getBytes(StandardCharsets.UTF_8));
    return list;
  }

  private static RedisSet set(boolean integers, String... members) {
    RedisSet set = new RedisSet();
    for (String member : members) set.add(Key.of(member), integers, 512);
    return set;
  }

  private static String status(String hex) {
    return "+" + hex + "\r\n";
  }

  // access, HELP, unknown subcommands

  @Test
  void debugIsRefusedUnlessEnabled() {
    Node node = new Node();
    Session s = node.connect();
    String refused = "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you "
        + "can run it from a local connection, otherwise you need to set this option in the configuration file, "
        + "and then restart the server.\r\n";
    assertEquals(refused, node.resp(s, "debug", "sleep", "0"));
    assertEquals(refused, node.resp(s, "debug", "digest"));
    assertEquals(refused, node.resp(s, "debug", "foo"));
    assertEquals("-ERR wrong number of arguments for 'debug' command\r\n", node.resp(s, "debug"));

    Node local = Node.with(Map.of("enable-debug-command", "local"));
    assertEquals("+OK\r\n", local.resp(local.connect("127.0.0.1:5000"), "debug", "sleep", "0"));
    assertEquals("+OK\r\n", local.resp(local.connect("[::1]:5000"), "debug", "sleep", "0"));
    assertEquals(refused, local.resp(local.connect("10.1.2.3:5000"), "debug", "sleep", "0"));
  }

  @Test
  void wrongArgumentCountsAndUnknownSubcommandsAnswerRedisError() {
    Node node = debugNode();
    Session s = node.connect("10.1.2.3:5000");
    for (List<String> command : List.of(List.of("foo"), List.of("sleep"), List.of("sleep", "1", "2"),
        List.of("help", "x"), List.of("digest", "x"), List.of("object"), List.of("populate"),
        List.of("populate", "1", "p", "2", "3"), List.of("set-active-expire"), List.of("protocol"),
        List.of("stringmatch-test", "x"), List.of("quicklist-packed-threshold"),
        List.of("stringmatch-len", "a", "b"))) {
      String[] args = new String[command.size() + 1];
      args[0] = "debug";
      for (int i = 0; i < command.size(); i++) args[i + 1] = command.get(i);
      assertEquals("-ERR unknown subcommand or wrong number of arguments for '" + command.get(0)
          + "'. Try DEBUG HELP.\r\n", node.resp(s, args), command.toString());
    }
    // Redis 7.0 has these; what they change has no counterpart here yet.
    assertEquals("-ERR unknown subcommand or wrong number of arguments for 'change-repl-id'. Try DEBUG HELP.\r\n",
        node.resp(s, "debug", "change-repl-id", "x"));
  }

  @Test
  void replyBufferSetsTheClientsBuffersSharedSettingsAsRedisChecksThem() {
    Node node = debugNode();
    Session s = node.connect();
    ReplyBuffers buffers = node.replyBuffers();
    assertEquals("+OK\r\n", node.resp(s, "debug", "replybuffer", "peak-reset-time", "100"));
    assertEquals(100, buffers.peakResetTimeMs());
    assertEquals("+OK\r\n", node.resp(s, "debug", "replybuffer", "PEAK-RESET-TIME", "never"));
    assertEquals(-1, buffers.peakResetTimeMs());
    assertEquals("+OK\r\n", node.resp(s, "debug", "replybuffer", "peak-reset-time", "reset"));
    assertEquals(ReplyBuffers.DEFAULT_PEAK_RESET_TIME_MS, buffers.peakResetTimeMs());
    assertEquals("-ERR value is not an integer or out of range\r\n",
        node.resp(s, "debug", "replybuffer", "peak-reset-time", "abc"));
    assertEquals("+OK\r\n", node.resp(s, "debug", "replybuffer", "resizing", "0"));
    assertFalse(buffers.resizing());
    assertEquals("+OK\r\n", node.resp(s, "debug", "replybuffer", "resizing", "x"), "atoi, as Redis: x is 0");
    assertEquals("+OK\r\n", node.resp(s, "debug", "replybuffer", "resizing", "1"));
    assertTrue(buffers.resizing());
    assertEquals("-ERR unknown subcommand or wrong number of arguments for 'replybuffer'. Try DEBUG HELP.\r\n",
        node.resp(s, "debug", "replybuffer", "foo", "1"));
    assertEquals("-ERR unknown subcommand or wrong number of arguments for 'replybuffer'. Try DEBUG HELP.\r\n",
        node.resp(s, "debug", "replybuffer"));
  }

  @Test
  void helpListsWhatIsImplemented() {
    Node node = debugNode();
    Reply help = node.run(node.connect(), "debug", "HELP");
    List<String> lines = ((Reply.Array) help).items().stream().map(r -> ((Reply.Simple) r).text()).toList();
    assertEquals("DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", lines.get(0));
    List<String> names = lines.stream().skip(1).filter(line -> !line.startsWith(" "))
        .map(line -> line.split(" ")[0]).toList();
    assertEquals(List.of("CHANGE-REPL-ID", "DIGEST", "DIGEST-VALUE", "DROP-CLUSTER-PACKET-FILTER", "ERROR", "LOG", "LOADAOF", "OBJECT", "POPULATE", "PROTOCOL", "RELOAD", "SET-ACTIVE-EXPIRE",
        "REPLYBUFFER", "REPLYBUFFER", "QUICKLIST-PACKED-THRESHOLD", "SET-DISABLE-DENY-SCRIPTS", "SLEEP", "STRINGMATCH-TEST", "PAUSE-CRON", "HELP"), names);
  }

  // SLEEP

  @Test
  void sleepAnswersOkWhateverItsArgument() {
    Node node = debugNode();
    Session s = node.connect();
    for (String duration : List.of("0", "x", "-1", "inf", "-inf", "nan", "", "1e300", "0.01")) {
      assertEquals("+OK\r\n", node.resp(s, "debug", "sleep", duration), duration);
    }
  }

  @Test
  void sleepReadsItsArgumentLikeStrtod() {
    assertEquals(2_000_000, DebugCommands.sleepMicros(Args.bytes("2x")));
    assertEquals(100_000, DebugCommands.sleepMicros(Args.bytes(" 1e-1")));
    assertEquals(500_000, DebugCommands.sleepMicros(Args.bytes(".5")));
    assertEquals(1_000, DebugCommands.sleepMicros(Args.bytes("1e-3")));
    assertEquals(3_000_000, DebugCommands.sleepMicros(Args.bytes("3e")));
    assertEquals(16_000_000, DebugCommands.sleepMicros(Args.bytes("0x10")));
    assertEquals(1_500_000, DebugCommands.sleepMicros(Args.bytes("0x1.8")));
    assertEquals(4_000_000, DebugCommands.sleepMicros(Args.bytes("0x1p2")));
    assertEquals(0, DebugCommands.sleepMicros(Args.bytes("0x")));
    assertEquals(0, DebugCommands.sleepMicros(Args.bytes("x")));
    assertTrue(DebugCommands.sleepMicros(Args.bytes("nan")) < 0);
    assertTrue(DebugCommands.sleepMicros(Args.bytes("inf")) < 0);
    assertTrue(DebugCommands.sleepMicros(Args.bytes("1e300")) < 0);
    assertEquals(-1_000_000, DebugCommands.sleepMicros(Args.bytes("-1")));
  }

  @Test
  void sleepHoldsEverySlotRangeUntilTheTimeIsUp() throws Exception {
    Settings settings = Settings.defaults().withOverrides(Map.of("enable-debug-command", "yes"));
    CompletableFuture<Keyspace> created = new CompletableFuture<>();
    testKit.spawn(Behaviors.<Void>setup(context -> {
      created.complete(new Keyspace(context, Keyspace.rangeCount(ConfigFactory.load()), settings,
          System::currentTimeMillis, SlotRouting.standalone()));
      return Behaviors.empty();
    }));
    Keyspace keyspace = created.get(5, TimeUnit.SECONDS);
    CompletableFuture<Integer> heldRanges = new CompletableFuture<>();
    CompletableFuture<Void> sleepOver = new CompletableFuture<>();
    // The keyspace as DEBUG SLEEP sees it, telling the test when the ranges are held and when the sleep is over.
    KeyspaceAccess observed = new KeyspaceAccess() {
      @Override public int rangeCount() {
        return keyspace.rangeCount();
      }

      @Override public int rangeOfSlot(int slot) {
        return keyspace.rangeOfSlot(slot);
      }

      @Override public SlotRouting routing() {
        return keyspace.routing();
      }

      @Override public <T> CompletionStage<T> onRange(int range, Function<RangeState, T> work) {
        return keyspace.onRange(range, work);
      }

      @Override public <T> CompletionStage<List<T>> onAll(Function<RangeState, T> work) {
        return keyspace.onAll(work);
      }

      @Override public <T> CompletionStage<T> holding(int[] ranges, Function<RangeState[], CompletionStage<T>> work) {
        return keyspace.holding(ranges, held -> {
          heldRanges.complete(held.length);
          return work.apply(held).whenComplete((value, failure) -> sleepOver.complete(null));
        });
      }
    };
    Node node = new Node(settings, "");
    NodeContext ctx = node.ctx.withKeyspace(observed);
    Session s = node.connect();
    CompletableFuture<Reply> sleep = DebugCommands.debug(ctx, s,
        new byte[][] {Args.bytes("debug"), Args.bytes("sleep"), Args.bytes("0.05")}).toCompletableFuture();
    assertEquals(keyspace.rangeCount(), heldRanges.get(5, TimeUnit.SECONDS));
    // Sent while every range is held: it can only run once the sleep is over.
    CompletableFuture<Boolean> ranAfterSleep = keyspace.onRange(keyspace.rangeCount() - 1, state -> sleepOver.isDone()).toCompletableFuture();
    assertEquals(Reply.OK, sleep.get(5, TimeUnit.SECONDS));
    assertTrue(ranAfterSleep.get(5, TimeUnit.SECONDS), "work on a range waited for DEBUG SLEEP");
  }

  // DIGEST, DIGEST-VALUE

  @Test
  void digestOfNothingIsFortyZeros() {
    Node node = debugNode();
    Session s = node.connect();
    assertEquals(status("0".repeat(40)), node.resp(s, "debug", "digest"));
    assertEquals("*0\r\n", node.resp(s, "debug", "digest-value"));
    assertEquals("*1\r\n" + status("0".repeat(40)), node.resp(s, "debug", "digest-value", "nokey"));
  }

  @Test
  void valueDigestsAreRedisOnesForEveryType() {
    Node node = debugNode();
    Session s = node.connect();
    store(node, 0, "s", "hellox".getBytes(StandardCharsets.UTF_8));
    store(node, 0, "l", list("a", "b"));
    store(node, 0, "ss", set(false, "b", "a"));
    store(node, 0, "si", set(true, "2", "1"));
    RedisHash hash = new RedisHash();
    hash.fields.put(Key.of("f"), "v".getBytes(StandardCharsets.UTF_8));
    store(node, 0, "h", hash);
    RedisZSet zset = new RedisZSet(128, 64, 1);
    zset.put(Key.of("a"), 1.1, 128, 64);
    store(node, 0, "z", zset);
    assertEquals("*7\r\n"
        + status("a8a9be575fe6a53e7eb0578fa06387d243cb063d")
        + status("62f55a532623cf6c3d81081db480b6fd8461eb3f")
        + status("dd99329063ca0f1f28df2ac68d94b82fd95501c6")
        + status("5d9842e5bd79f833c83b3535ec4a6836aba6d1fd")
        + status("90c76e9e9f4c62d642a34fc97c7dad503b51f906")
        + status("0afd0507a38ea3c3ca917a82c82ccea86228cfc8")
        + status("0".repeat(40)),
        node.resp(s, "debug", "digest-value", "s", "l", "ss", "si", "h", "z", "nokey"));
  }

  @Test
  void datasetDigestMixesKeysTtlsAndDatabasesAsRedis() {
    Node node = debugNode();
    Session s = node.connect();
    node.put(0, "s", "hellox", -1);
    store(node, 0, "l", list("a", "b"));
    assertEquals(status("27bfa3ec528c2968d42bf0481dd8eac2f908181b"), node.resp(s, "debug", "digest"));
    node.put(0, "s", "hellox", 100_000);
    assertEquals(status("5e06503d692dd96ba6409fb669f58b3ced3d1f54"), node.resp(s, "debug", "digest"));
    node.put(3, "x", "y", -1);
    assertEquals(status("52f6f85fa3ecb624a936542e0be2a69dae677614"), node.resp(s, "debug", "digest"));
    assertEquals("*2\r\n" + status("4e2c40a883df4f6abfa6bc77e5094849596547be")
        + status("62f55a532623cf6c3d81081db480b6fd8461eb3f"), node.resp(s, "debug", "digest-value", "s", "l"));
  }

  @Test
  void digestsSeeKeysThatExpiredButAreStillStored() {
    Node node = debugNode();
    Session s = node.connect();
    node.put(0, "gone", "v", 10);
    String before = node.resp(s, "debug", "digest");
    node.clock.addAndGet(1000);
    // As Redis's dict, the key is there until something reclaims it; DEBUG does not.
    assertEquals(before, node.resp(s, "debug", "digest"));
    assertFalse(node.resp(s, "debug", "digest-value", "gone").contains("0".repeat(40)));
    assertNotNull(rangeOf(node, "gone").db(0).stored(Key.of("gone")));
  }

  // OBJECT

  @Test
  void objectReportsEncodingAndSizesAsRedis() {
    Node node = debugNode();
    Session s = node.connect();
    node.put(0, "s", "hello", -1);
    node.put(0, "n", "12345", -1);
    store(node, 0, "l", list("a", "b", "c"));
    store(node, 0, "si", set(true, "1", "2", "3"));
    store(node, 0, "ss", set(false, "a", "b"));
    RedisZSet zset = new RedisZSet(128, 64, 1);
    zset.put(Key.of("a"), 1, 128, 64);
    zset.put(Key.of("b"), 2.5, 128, 64);
    store(node, 0, "z", zset);
    RedisHash hash = new RedisHash();
    hash.fields.put(Key.of("f"), "v".getBytes(StandardCharsets.UTF_8));
    store(node, 0, "h", hash);
    long lru = (node.clock.get() / 1000) & ((1 << 24) - 1);
    String tail = " lru:" + lru + " lru_seconds_idle:0";
    assertObject("encoding:embstr serializedlength:6" + tail, node.resp(s, "debug", "object", "s"));
    assertObject("encoding:int serializedlength:3" + tail, node.resp(s, "debug", "object", "n"));
    assertObject("encoding:quicklist serializedlength:19" + tail
        + " ql_nodes:1 ql_avg_node:3.00 ql_listpack_max:-2 ql_compressed:0 ql_uncompressed_size:16",
        node.resp(s, "debug", "object", "l"));
    assertObject("encoding:intset serializedlength:15" + tail, node.resp(s, "debug", "object", "si"));
    assertObject("encoding:hashtable serializedlength:5" + tail, node.resp(s, "debug", "object", "ss"));
    assertObject("encoding:listpack serializedlength:21" + tail, node.resp(s, "debug", "object", "z"));
    assertObject("encoding:listpack serializedlength:14" + tail, node.resp(s, "debug", "object", "h"));
    assertEquals("-ERR no such key\r\n", node.resp(s, "debug", "object", "nokey"));
    node.clock.addAndGet(5_000);
    assertTrue(node.resp(s, "debug", "object", "s").endsWith(" lru_seconds_idle:5\r\n"));
  }

  private static void assertObject(String expectedAfterRefcount, String actual) {
    assertTrue(actual.matches("\\+Value at:0x[0-9a-f]+ refcount:1 .*\r\n"), actual);
    assertEquals(expectedAfterRefcount, actual.substring(actual.indexOf("encoding:"), actual.length() - 2));
  }

  @Test
  void quicklistEstimateSplitsNodesByListpackBytes() {
    RedisList big = new RedisList();
    for (int i = 0; i < 1000; i++) big.push(false, "x".repeat(100).getBytes(StandardCharsets.US_ASCII));
    // 103 bytes an entry; 8192-byte nodes (list-max-listpack-size -2) take 79 of them. redis-server 7.0.15 says
    // ql_nodes:13 ql_uncompressed_size:103091 for this list, and the same with a fill of 100 (a node of a counted
    // fill still stops at 8 KB).
    ObjectReport.Quicklist ql = ObjectReport.quicklist(big, -2);
    assertEquals(13, ql.nodes());
    assertEquals(103091, ql.bytes());
    assertEquals(13, ObjectReport.quicklist(big, 100).nodes());
    assertEquals(20, ObjectReport.quicklist(big, 50).nodes());
    assertEquals(1, ObjectReport.quicklist(new RedisList(), -2).nodes());
  }

  // POPULATE

  @Test
  void populateAddsKeysItDoesNotFindAndChecksItsArguments() {
    Node node = debugNode();
    Session s = node.connect();
    node.put(0, "key:1", "mine", -1);
    assertEquals("+OK\r\n", node.resp(s, "debug", "populate", "4"));
    assertEquals("+OK\r\n", node.resp(s, "debug", "populate", "3", "p", "10"));
    assertEquals("+OK\r\n", node.resp(s, "debug", "populate", "2", "q", "3"));
    assertEquals("+OK\r\n", node.resp(s, "debug", "populate", "0"));
    assertEquals("value:0", value(node, "key:0"));
    assertEquals("mine", value(node, "key:1"));
    assertEquals("value:3", value(node, "key:3"));
    assertEquals("value:1\0\0\0", value(node, "p:1"));
    assertEquals("val", value(node, "q:1"));
    assertNull(rangeOf(node, "key:4").db(0).stored(Key.of("key:4")));
    assertEquals(":9\r\n", node.resp(s, "dbsize"));
    String positive = "-ERR value is out of range, must be positive\r\n";
    assertEquals(positive, node.resp(s, "debug", "populate", "x"));
    assertEquals(positive, node.resp(s, "debug", "populate", "-1"));
    assertEquals(positive, node.resp(s, "debug", "populate", "3", "k", "-1"));
    assertEquals(positive, node.resp(s, "debug", "populate", "3", "k", "x"));
  }

  private static String value(Node node, String key) {
    Entry entry = rangeOf(node, key).db(0).stored(Key.of(key));
    return new String((byte[]) entry.value, StandardCharsets.ISO_8859_1);
  }

  // SET-ACTIVE-EXPIRE

  @Test
  void setActiveExpireTurnsTheRangesExpiryCycleOffAndOn() {
    Node node = debugNode();
    Session s = node.connect();
    node.put(0, "a", "1", 10);
    node.clock.addAndGet(1000);
    assertEquals("+OK\r\n", node.resp(s, "debug", "set-active-expire", "0"));
    for (RangeState range : node.ranges) {
      assertFalse(range.activeExpire());
      assertEquals(0, range.activeExpireCycle(1_000_000_000L));
    }
    assertNotNull(rangeOf(node, "a").db(0).stored(Key.of("a")), "still stored while active expiry is off");
    // As C's atoi reads it: anything that is not a nonzero number is 0.
    assertEquals("+OK\r\n", node.resp(s, "debug", "set-active-expire", "x"));
    assertFalse(node.ranges[0].activeExpire());
    assertEquals("+OK\r\n", node.resp(s, "debug", "set-active-expire", " 1"));
    assertTrue(node.ranges[1].activeExpire());
    int expired = 0;
    for (RangeState range : node.ranges) expired += range.activeExpireCycle(1_000_000_000L);
    assertEquals(1, expired);
    assertNull(rangeOf(node, "a").db(0).stored(Key.of("a")));
  }

  // PROTOCOL

  @Test
  void protocolAnswersEachTypeAsRedisInRespTwoAndThree() {
    Node node = debugNode();
    Session s = node.connect();
    Map<String, String> resp2 = Map.ofEntries(Map.entry("string", "$11\r\nHello World\r\n"),
        Map.entry("integer", ":12345\r\n"), Map.entry("double", "$5\r\n3.141\r\n"),
        Map.entry("bignum", "$37\r\n1234567999999999999999999999999999999\r\n"), Map.entry("null", "$-1\r\n"),
        Map.entry("array", "*3\r\n:0\r\n:1\r\n:2\r\n"), Map.entry("set", "*3\r\n:0\r\n:1\r\n:2\r\n"),
        Map.entry("map", "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n"),
        Map.entry("attrib", "$39\r\nSome real reply following the attribute\r\n"),
        Map.entry("push", "-ERR RESP2 is not supported by this command\r\n"),
        Map.entry("verbatim", "$25\r\nThis is a verbatim\nstring\r\n"), Map.entry("true", ":1\r\n"),
        Map.entry("false", ":0\r\n"));
    resp2.forEach((type, expected) -> assertEquals(expected, node.resp(s, "debug", "protocol", type), type));
    assertEquals("-ERR Wrong protocol type name. Please use one of the following: "
        + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false\r\n",
        node.resp(s, "debug", "protocol", "nosuch"));
    s.protocol = 3;
    Map<String, String> resp3 = Map.of("string", "$11\r\nHello World\r\n", "integer", ":12345\r\n",
        "double", ",3.141\r\n", "null", "_\r\n", "array", "*3\r\n:0\r\n:1\r\n:2\r\n",
        "set", "~3\r\n:0\r\n:1\r\n:2\r\n", "map", "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n",
        "verbatim", "=29\r\ntxt:This is a verbatim\nstring\r\n", "true", "#t\r\n", "false", "#f\r\n");
    resp3.forEach((type, expected) -> assertEquals(expected, node.resp(s, "debug", "protocol", type), type));
    // As redis-server 7.0.15 answers them (raw socket, HELLO 3): the attribute comes before its reply, the push
    // before the command's reply.
    assertEquals("(1234567999999999999999999999999999999\r\n", node.resp(s, "debug", "protocol", "bignum"));
    assertEquals("|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n"
        + "$39\r\nSome real reply following the attribute\r\n", node.resp(s, "debug", "protocol", "attrib"));
    assertEquals(">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n",
        node.resp(s, "debug", "protocol", "push"));
  }

  /** The debug node as a replica whose link to 127.0.0.1:7001 is up. */
  private static NodeContext replicaContext(Node node, LinkedReplica replica) {
    return new NodeContext(node.ctx.keyspace(), node.ctx.settings(), node.ctx.commands(), node, node.ctx.stats(),
        node.ctx.info(), replica, node.ctx.shutdown(), node.ctx.persistence());
  }

  private static Reply exec(NodeContext ctx, Session s, String[]... queued) {
    s.beginMulti();
    for (String[] command : queued) {
      byte[][] argv = new byte[command.length][];
      for (int i = 0; i < command.length; i++) argv[i] = Args.bytes(command[i]);
      s.multiQueue.add(argv);
    }
    try {
      return TransactionCommands.exec(ctx, s, new byte[][] {Args.bytes("exec")}).toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void sleepStopsTheReplicasLinkUntilItEnds() {
    LinkedReplica replica = new LinkedReplica("127.0.0.1", 7001, "connected");
    NodeContext ctx = replicaContext(debugNode(), replica);
    Session s = new Session(1, "127.0.0.1:5000", "127.0.0.1:7000", 0, ctx.settings());
    CompletableFuture<Reply> sleeping = DebugCommands.debug(ctx, s,
        new byte[][] {Args.bytes("debug"), Args.bytes("sleep"), Args.bytes("0.2")}).toCompletableFuture();
    assertEquals(Reply.OK, sleeping.join());
    assertEquals(0, replica.sleeping(), "awake once the sleep's reply is out");
    assertEquals(Reply.OK, run(ctx, s, "debug", "sleep", "0"));
    assertEquals(0, replica.sleeping(), "a sleep of no time stops nothing");
  }

  @Test
  void insideExecTheSleepLastsUntilTheTransactionEndsSoAKillQueuedAfterItComesWhileAsleep() {
    // 05-slave-selection: MULTI, DEBUG SLEEP, CLIENT KILL <master>, EXEC. Redis's event loop stays blocked for the
    // whole EXEC, so the master's client dies before the replica reads what its master sent meanwhile.
    LinkedReplica replica = new LinkedReplica("127.0.0.1", 7001, "connected");
    NodeContext ctx = replicaContext(debugNode(), replica);
    Session s = new Session(1, "127.0.0.1:5000", "127.0.0.1:7000", 0, ctx.settings());
    assertEquals(Reply.array(List.of(Reply.OK, Reply.OK)), exec(ctx, s,
        new String[] {"debug", "sleep", "0.05"}, new String[] {"client", "kill", "127.0.0.1:7001"}));
    assertEquals(List.of(1), replica.sleepingAtKills());
    assertEquals(0, replica.sleeping());
    // 06-slave-stop-cond: the kill first, then the sleep.
    assertEquals(Reply.array(List.of(Reply.OK, Reply.OK)), exec(ctx, s,
        new String[] {"client", "kill", "127.0.0.1:7001"}, new String[] {"debug", "sleep", "0.05"}));
    assertEquals(List.of(1, 0), replica.sleepingAtKills());
    assertEquals(0, replica.sleeping());
  }

  // DROP-CLUSTER-PACKET-FILTER

  @Test
  void dropClusterPacketFilterGoesToTheClusterBus() {
    Node node = debugNode();
    List<Long> filters = new java.util.ArrayList<>();
    NodeContext ctx = new NodeContext(node.ctx.keyspace(), node.ctx.settings(), node.ctx.commands(), node,
        node.ctx.stats(), node.ctx.info(), node.ctx.replication(), node.ctx.shutdown(), node.ctx.persistence(),
        type -> {
          filters.add(type);
          return CompletableFuture.completedFuture(null);
        });
    Session s = node.connect();
    assertEquals(Reply.OK, run(ctx, s, "debug", "drop-cluster-packet-filter", "1"));
    assertEquals(Reply.OK, run(ctx, s, "debug", "drop-cluster-packet-filter", "-1"));
    assertEquals(Reply.NOT_INTEGER, run(ctx, s, "debug", "drop-cluster-packet-filter", "x"));
    assertEquals(List.of(1L, -1L), filters);
    // Without cluster mode there is no bus; Redis answers OK all the same.
    assertEquals("+OK\r\n", node.resp(s, "debug", "drop-cluster-packet-filter", "3"));
  }

  private static Reply run(NodeContext ctx, Session s, String... args) {
    byte[][] argv = new byte[args.length][];
    for (int i = 0; i < args.length; i++) argv[i] = Args.bytes(args[i]);
    try {
      return DebugCommands.debug(ctx, s, argv).toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  // ERROR, LOG

  @Test
  void errorAnswersItsTextAndLogAnswersOk() {
    Node node = debugNode();
    Session s = node.connect();
    assertEquals("-foo bar\r\n", node.resp(s, "debug", "error", "foo bar"));
    assertEquals("-a  b\r\n", node.resp(s, "debug", "error", "a\r\nb"));
    assertEquals("-\r\n", node.resp(s, "debug", "error", ""));
    assertEquals("+OK\r\n", node.resp(s, "debug", "log", "a line for the log"));
    assertEquals("-ERR unknown subcommand or wrong number of arguments for 'log'. Try DEBUG HELP.\r\n",
        node.resp(s, "debug", "log"));
  }

  // STRINGMATCH-TEST, QUICKLIST-PACKED-THRESHOLD, SET-DISABLE-DENY-SCRIPTS

  @Test
  void stringmatchTestRunsTheGlobMatcherOnRandomInput() {
    assertEquals(Reply.simple("Apparently Redis did not crash: test passed"),
        DebugCommands.stringmatchTest(new Random(42)));
  }

  @Test
  void quicklistPackedThresholdChecksItsArgumentAsRedis() {
    Node node = debugNode();
    Session s = node.connect();
    for (String ok : List.of("0", "1", "1gb", "4095mb", "")) {
      assertEquals("+OK\r\n", node.resp(s, "debug", "quicklist-packed-threshold", ok), ok);
    }
    for (String bad : List.of("5gb", "4096mb", "x", "-1")) {
      assertEquals("-ERR argument must be a memory value bigger than 1 and smaller than 4gb\r\n",
          node.resp(s, "debug", "quicklist-packed-threshold", bad), bad);
    }
    assertEquals("+OK\r\n", node.resp(s, "debug", "set-disable-deny-scripts", "1"));
  }

  @Test
  void pauseCronStopsTheActiveExpiryCycleUntilResumed() {
    Node node = debugNode();
    Session s = node.connect();
    node.put(0, "a", "1", 10);
    node.clock.addAndGet(100);
    assertEquals("+OK\r\n", node.resp(s, "debug", "pause-cron", "1"));
    assertTrue(node.keyspace.cronPaused());
    for (RangeState range : node.ranges) assertEquals(0, range.activeExpireCycle(1_000_000_000L));
    assertNotNull(rangeOf(node, "a").db(0).stored(Key.of("a")), "still stored while the cron is paused");
    assertEquals("+OK\r\n", node.resp(s, "debug", "pause-cron", "0"));
    int expired = 0;
    for (RangeState range : node.ranges) expired += range.activeExpireCycle(1_000_000_000L);
    assertEquals(1, expired);
  }
}
