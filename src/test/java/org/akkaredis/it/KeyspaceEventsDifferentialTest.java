package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.akkaredis.RedisNode;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.LocalCluster;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Keyspace notifications against redis-server 7.0: the same command scripts, one command at a time, to a real
 * redis-server and to a node, under several notify-keyspace-events settings; the (channel, message) sequences the
 * two publish must be equal. Both sides' events come to a real PSUBSCRIBE {@code __key*__:*} subscriber. Each script
 * ends with a marker event (SET of a marker key under "E$"), up to which a subscriber reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyspaceEventsDifferentialTest {
  private static final String MARKER = "__ke_marker__";
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** The settings every script runs under: everything, and classes one by one (with K or E). */
  private static final List<String> SETTINGS = List.of("KEA", "KEAmn", "Kg$", "Elshz", "Kx", "Ee", "Eg", "Em",
      "En", "Km");

  private RedisServerFixture redis;
  private NodeFixture node;
  private Subscriber redisEvents;
  private Subscriber nodeEvents;

  /** One (channel, message) pair as published. */
  record Event(String channel, String message) {
    @Override public String toString() {
      return channel + " " + message;
    }
  }

  /** Where a server's events are read: every event published since the last call, up to the marker's. */
  interface Subscriber extends AutoCloseable {
    List<Event> eventsUntilMarker();

    @Override void close();
  }

  /** A real subscriber: a connection in PSUBSCRIBE {@code __key*__:*}. */
  static final class PatternSubscriber implements Subscriber {
    private final RespConnection connection;

    PatternSubscriber(int port) {
      connection = RespConnection.open(port);
      RespReply subscribed = connection.call("PSUBSCRIBE", "__key*__:*");
      assertEquals("psubscribe", subscribed.get(0).text());
    }

    @Override public List<Event> eventsUntilMarker() {
      List<Event> events = new ArrayList<>();
      while (true) {
        RespReply message = connection.read();
        Event event = new Event(message.get(2).text(), message.get(3).text());
        if (isMarker(event)) return events;
        events.add(event);
      }
    }

    @Override public void close() {
      connection.close();
    }
  }

  /** The node's subscriber: a real PSUBSCRIBE, as for redis-server. */
  private static Subscriber nodeSubscriber(RedisNode node) {
    return new PatternSubscriber(node.port());
  }

  private static boolean isMarker(Event event) {
    return event.message().equals(MARKER);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  @BeforeAll
  void start() {
    // DEBUG SET-ACTIVE-EXPIRE turns the active expiry off for the lazy one.
    Map<String, String> debug = Map.of("enable-debug-command", "yes");
    CompletableFuture<NodeFixture> starting = NodeFixture.startAsync(false, debug);
    try {
      redis = RedisServerFixture.start(false, debug);
    } finally {
      node = starting.join();
    }
    redisEvents = new PatternSubscriber(redis.port());
    nodeEvents = nodeSubscriber(node.node());
  }

  @AfterAll
  void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {redisEvents, nodeEvents, redis, node}) {
      try {
        if (closeable != null) closeable.close();
      } catch (Exception e) {
        // the others still close
      }
    }
  }

  // ---- scripts -------------------------------------------------------------------------------------------

  /**
   * One step of a script, run on a server's connection; {@code other} is a second connection of the same server,
   * {@code peerPort} the port of the other server (MIGRATE's target).
   */
  interface Step {
    void run(RespConnection client, RespConnection other, int peerPort);
  }

  static Step cmd(String... args) {
    return (client, other, peerPort) -> client.call(args);
  }

  /** Sends a blocking command on the second connection and waits until the server has it blocked. */
  static Step block(String... args) {
    return (client, other, peerPort) -> {
      other.send(args);
      Await.until("the client blocked", WAIT, () -> client.infoField("clients", "blocked_clients").equals("1"));
    };
  }

  /** Reads the reply of the blocked command. */
  static Step unblocked() {
    return (client, other, peerPort) -> other.read();
  }

  /** Waits until the server's clock has moved {@code ms} on (TIME, which touches no key). */
  static Step pass(long ms) {
    return (client, other, peerPort) -> {
      long until = serverMs(client) + ms;
      Await.until(ms + " ms passed on the server", WAIT, () -> serverMs(client) >= until);
    };
  }

  /** Waits until the database holds no key (the active expiry or the eviction took them; DBSIZE takes none). */
  static Step awaitEmpty() {
    return (client, other, peerPort) -> Await.until("the keys went", WAIT, () -> client.call("DBSIZE").integer() == 0);
  }

  /** MIGRATE to the other server: {@code args} after host and port. */
  static Step migrate(String... args) {
    return (client, other, peerPort) -> {
      List<String> command = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", Integer.toString(peerPort)));
      command.addAll(List.of(args));
      assertEquals("OK", client.call(command.toArray(String[]::new)).text(), String.join(" ", command));
    };
  }

  /** RESTORE {@code target} with the DUMP of {@code source} taken on the same server. */
  static Step restoreDumpOf(String source, String target, String... options) {
    return (client, other, peerPort) -> {
      byte[] payload = client.call("DUMP", source).bytes();
      List<byte[]> args = new ArrayList<>(List.of(bytes("RESTORE"), bytes(target), bytes("0"), payload));
      for (String option : options) args.add(bytes(option));
      client.call(args);
    };
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static long serverMs(RespConnection client) {
    RespReply time = client.call("TIME");
    return Long.parseLong(time.get(0).text()) * 1000 + Long.parseLong(time.get(1).text()) / 1000;
  }

  record Script(String name, List<Step> steps) {}

  static Script script(String name, Step... steps) {
    return new Script(name, List.of(steps));
  }

  private static List<Script> scripts() {
    return List.of(
        script("generic",
            cmd("SET", "a", "1"), cmd("DEL", "a"), cmd("DEL", "a"), cmd("SET", "a", "1"), cmd("SET", "b", "1"),
            cmd("DEL", "a", "b", "c"), cmd("SET", "a", "1"), cmd("UNLINK", "a"), cmd("SET", "a", "1"),
            cmd("EXPIRE", "a", "100"), cmd("PEXPIRE", "a", "100000"), cmd("EXPIREAT", "a", "4000000000"),
            cmd("PEXPIREAT", "a", "4000000000000"), cmd("EXPIRE", "a", "100", "NX"), cmd("EXPIRE", "a", "200", "XX"),
            cmd("PERSIST", "a"), cmd("PERSIST", "a"), cmd("EXPIRE", "nokey", "100"), cmd("EXPIRE", "a", "-1"),
            cmd("SET", "a", "1"), cmd("PEXPIREAT", "a", "1"), cmd("SET", "b", "1"), cmd("RENAME", "b", "c"),
            cmd("SET", "d", "1"), cmd("RENAME", "c", "d"), cmd("RENAME", "d", "d"), cmd("RENAMENX", "d", "d"),
            cmd("SET", "e", "1"), cmd("RENAMENX", "d", "e"), cmd("RENAMENX", "d", "f"), cmd("EXPIRE", "f", "100"),
            cmd("RENAME", "f", "g"), cmd("COPY", "g", "h"), cmd("COPY", "g", "h"), cmd("COPY", "g", "h", "REPLACE"),
            cmd("COPY", "g", "h", "DB", "1"), cmd("MOVE", "h", "1"), cmd("MOVE", "g", "1"), cmd("MOVE", "nokey", "1"),
            cmd("SELECT", "1"), cmd("DEL", "h", "g"), cmd("SELECT", "0"), cmd("TOUCH", "e", "nokey"),
            cmd("SET", "s", "v"), restoreDumpOf("s", "r"), restoreDumpOf("s", "r", "REPLACE"),
            restoreDumpOf("s", "r"), cmd("RPUSH", "l", "x"), restoreDumpOf("l", "s", "REPLACE"),
            cmd("EXISTS", "nokey"), cmd("TYPE", "nokey"), cmd("TTL", "nokey"), cmd("RANDOMKEY"),
            cmd("OBJECT", "ENCODING", "nokey"), cmd("DUMP", "nokey"), cmd("SWAPDB", "0", "1"),
            cmd("FLUSHDB"), cmd("SET", "z", "1"), cmd("FLUSHALL")),
        script("strings",
            cmd("SET", "s", "1"), cmd("SET", "s", "2", "XX"), cmd("SET", "s", "3", "NX"), cmd("SET", "t", "3", "XX"),
            cmd("SET", "s", "4", "GET"), cmd("SET", "s", "5", "EX", "100"), cmd("SET", "s", "6", "KEEPTTL"),
            cmd("SET", "s", "6", "PXAT", "4000000000000"), cmd("SET", "s", "7", "EX", "0"), cmd("SETNX", "s2", "x"),
            cmd("SETNX", "s2", "y"), cmd("SETEX", "s3", "100", "v"), cmd("PSETEX", "s4", "100000", "v"),
            cmd("GETSET", "s", "7"), cmd("GETSET", "new", "1"), cmd("GETDEL", "s"), cmd("GETDEL", "s"),
            cmd("GETEX", "s2", "EX", "100"), cmd("GETEX", "s2", "PERSIST"), cmd("GETEX", "s2"),
            cmd("GETEX", "s2", "PXAT", "1"), cmd("GETEX", "nokey", "EX", "1"), cmd("MSET", "m1", "1", "m2", "2"),
            cmd("MSETNX", "m3", "1", "m4", "2"), cmd("MSETNX", "m3", "1", "m5", "1"), cmd("INCR", "i"),
            cmd("DECR", "i"), cmd("INCRBY", "i", "5"), cmd("DECRBY", "i", "2"), cmd("INCRBYFLOAT", "f", "1.5"),
            cmd("INCR", "m1"), cmd("INCR", "ap"), cmd("APPEND", "ap", "x"), cmd("APPEND", "ap2", "y"),
            cmd("APPEND", "ap2", ""), cmd("SETRANGE", "sr", "5", "x"), cmd("SETRANGE", "sr", "0", ""),
            cmd("SETRANGE", "sr2", "0", ""), cmd("SETRANGE", "sr", "1", "abc"), cmd("GET", "nokey"),
            cmd("MGET", "m1", "nokey", "nokey2"), cmd("STRLEN", "nokey"), cmd("GETRANGE", "nokey", "0", "1"),
            cmd("LCS", "m1", "nokey"), cmd("GET", "m1"), cmd("RPUSH", "l", "x"), cmd("SET", "l", "over"),
            cmd("INCR", "l2"), cmd("INCRBYFLOAT", "nokey3", "x")),
        script("lists",
            cmd("LPUSH", "l", "a", "b"), cmd("RPUSH", "l", "c"), cmd("LPUSHX", "l", "d"), cmd("RPUSHX", "l", "e"),
            cmd("LPUSHX", "nol", "x"), cmd("RPUSHX", "nol", "x"), cmd("LINSERT", "l", "BEFORE", "a", "z"),
            cmd("LINSERT", "l", "AFTER", "nothere", "z"), cmd("LINSERT", "nol", "AFTER", "a", "z"),
            cmd("LSET", "l", "0", "q"), cmd("LREM", "l", "1", "q"), cmd("LREM", "l", "1", "nothere"),
            cmd("LTRIM", "l", "0", "3"), cmd("LTRIM", "l", "0", "-1"), cmd("LPOP", "l"), cmd("RPOP", "l"),
            cmd("LPOP", "l", "2"), cmd("LPOP", "nol"), cmd("RPOP", "l", "5"), cmd("RPUSH", "l", "1", "2", "3"),
            cmd("RPOPLPUSH", "l", "l2"), cmd("LMOVE", "l", "l2", "LEFT", "RIGHT"), cmd("LMOVE", "l2", "l2", "LEFT", "LEFT"),
            cmd("LMOVE", "l", "l3", "RIGHT", "LEFT"), cmd("LMOVE", "l", "l3", "RIGHT", "LEFT"),
            cmd("LMPOP", "2", "nol", "l2", "LEFT", "COUNT", "1"), cmd("LMPOP", "2", "nol", "l2", "RIGHT", "COUNT", "5"),
            cmd("LMPOP", "1", "nol", "LEFT"), cmd("RPUSH", "l", "1", "2"), cmd("BLPOP", "nol", "l", "0"),
            cmd("BRPOP", "l", "0"), cmd("RPUSH", "l", "1", "2"), cmd("BLMOVE", "l", "l4", "LEFT", "LEFT", "0"),
            cmd("BRPOPLPUSH", "l", "l4", "0"), cmd("BLMPOP", "0", "2", "l4", "l", "RIGHT", "COUNT", "10"),
            cmd("LTRIM", "l3", "1", "0"), cmd("LRANGE", "nol", "0", "-1"), cmd("LLEN", "nol"),
            cmd("LINDEX", "nol", "0"), cmd("LPOS", "nol", "x"), cmd("RPUSH", "l", "x"), cmd("LREM", "l", "0", "x")),
        script("blocked lists",
            block("BLPOP", "bl", "0"), cmd("RPUSH", "bl", "x", "y"), unblocked(),
            block("BRPOP", "bl2", "0"), cmd("LPUSH", "bl2", "x"), unblocked(),
            block("BLMOVE", "bl3", "dst", "LEFT", "RIGHT", "0"), cmd("RPUSH", "bl3", "x"), unblocked(),
            block("BRPOPLPUSH", "bl4", "bl4", "0"), cmd("RPUSH", "bl4", "x"), unblocked(),
            block("BLMPOP", "0", "2", "bl5", "bl6", "LEFT", "COUNT", "2"), cmd("RPUSH", "bl6", "x", "y", "z"), unblocked(),
            block("BLPOP", "bl7", "0"), cmd("MULTI"), cmd("RPUSH", "bl7", "x"), cmd("LPOP", "bl7"),
            cmd("RPUSH", "bl7", "y"), cmd("EXEC"), unblocked()),
        script("hashes",
            cmd("HSET", "h", "a", "1", "b", "2"), cmd("HSET", "h", "a", "1"), cmd("HSETNX", "h", "a", "1"),
            cmd("HSETNX", "h", "c", "3"), cmd("HSETNX", "h2", "c", "3"), cmd("HMSET", "h", "d", "4"),
            cmd("HINCRBY", "h", "n", "1"), cmd("HINCRBYFLOAT", "h", "f", "1.5"), cmd("HINCRBY", "h3", "n", "1"),
            cmd("HDEL", "h", "a"), cmd("HDEL", "h", "zz"), cmd("HDEL", "nokey", "zz"),
            cmd("HDEL", "h", "b", "c", "d", "n", "f"), cmd("HGET", "nokey", "a"), cmd("HGETALL", "nokey"),
            cmd("HMGET", "nokey", "a"), cmd("HLEN", "nokey"), cmd("HEXISTS", "nokey", "a"), cmd("HKEYS", "nokey"),
            cmd("HVALS", "nokey"), cmd("HSTRLEN", "nokey", "a"), cmd("HRANDFIELD", "nokey"),
            cmd("HSCAN", "nokey", "0"), cmd("HINCRBY", "h2", "c", "x"), cmd("HDEL", "h2", "c")),
        script("sets",
            cmd("SADD", "s", "a", "b", "c"), cmd("SADD", "s", "a"), cmd("SREM", "s", "a"), cmd("SREM", "s", "zz"),
            cmd("SREM", "nokey", "zz"), cmd("SPOP", "s"), cmd("SPOP", "nokey"), cmd("SADD", "s", "1", "2", "3"),
            cmd("SPOP", "s", "2"), cmd("SPOP", "s", "0"), cmd("SPOP", "s", "5"), cmd("SADD", "s", "x", "y"),
            cmd("SMOVE", "s", "s2", "x"), cmd("SMOVE", "s", "s2", "zz"), cmd("SMOVE", "s", "s", "y"),
            cmd("SMOVE", "s2", "s", "x"), cmd("SMOVE", "s", "s2", "x"), cmd("SMOVE", "s", "s2", "y"),
            cmd("SADD", "a", "1", "2"), cmd("SADD", "b", "2", "3"), cmd("SINTERSTORE", "d", "a", "b"),
            cmd("SUNIONSTORE", "d", "a", "b"), cmd("SDIFFSTORE", "d", "a", "a"), cmd("SDIFFSTORE", "d", "a", "a"),
            cmd("SINTERSTORE", "d2", "a", "nokey"), cmd("SUNIONSTORE", "d3", "a"), cmd("SINTERSTORE", "d3", "nokey"),
            cmd("SMEMBERS", "nokey"), cmd("SISMEMBER", "nokey", "a"), cmd("SCARD", "nokey"),
            cmd("SRANDMEMBER", "nokey"), cmd("SINTER", "a", "nokey"), cmd("SUNION", "nokey", "a"),
            cmd("SDIFF", "nokey", "a"), cmd("SINTERCARD", "2", "a", "nokey"), cmd("SMISMEMBER", "nokey", "a"),
            cmd("SSCAN", "nokey", "0")),
        script("sorted sets",
            cmd("ZADD", "z", "1", "a", "2", "b"), cmd("ZADD", "z", "1", "a"), cmd("ZADD", "z", "5", "a"),
            cmd("ZADD", "z", "NX", "9", "a"), cmd("ZADD", "z", "INCR", "5", "a"), cmd("ZADD", "z", "XX", "INCR", "1", "q"),
            cmd("ZINCRBY", "z", "1", "b"), cmd("ZINCRBY", "z2", "1", "b"), cmd("ZREM", "z", "a"), cmd("ZREM", "z", "zz"),
            cmd("ZADD", "z", "1", "a", "2", "c", "3", "d", "4", "e", "5", "f"), cmd("ZREMRANGEBYSCORE", "z", "1", "1"),
            cmd("ZREMRANGEBYSCORE", "z", "100", "200"), cmd("ZREMRANGEBYRANK", "z", "0", "0"),
            cmd("ZREMRANGEBYLEX", "z", "[a", "[b"), cmd("ZPOPMIN", "z"), cmd("ZPOPMAX", "z"), cmd("ZPOPMIN", "nokey"),
            cmd("ZPOPMAX", "z", "10"), cmd("ZADD", "z", "1", "a", "2", "b", "3", "c"),
            cmd("ZMPOP", "2", "nokey", "z", "MIN"), cmd("ZMPOP", "1", "z", "MAX", "COUNT", "5"),
            cmd("ZADD", "z", "1", "a", "2", "b"), cmd("BZPOPMIN", "nokey", "z", "0"), cmd("BZPOPMAX", "z", "0"),
            cmd("ZADD", "z", "1", "a", "2", "b"), cmd("BZMPOP", "0", "1", "z", "MIN", "COUNT", "3"),
            cmd("ZADD", "x", "1", "a", "2", "b"), cmd("ZADD", "y", "2", "b", "3", "c"),
            cmd("ZUNIONSTORE", "d", "2", "x", "y"), cmd("ZINTERSTORE", "d", "2", "x", "y"),
            cmd("ZDIFFSTORE", "d", "2", "x", "x"), cmd("ZDIFFSTORE", "d", "2", "x", "x"),
            cmd("ZRANGESTORE", "d", "x", "0", "-1"), cmd("ZRANGESTORE", "d", "x", "5", "6"),
            cmd("ZINTERSTORE", "d4", "2", "x", "nokey"), cmd("ZREMRANGEBYRANK", "x", "0", "-1"),
            cmd("ZRANGE", "nokey", "0", "-1"), cmd("ZSCORE", "nokey", "a"), cmd("ZCARD", "nokey"),
            cmd("ZRANK", "nokey", "a"), cmd("ZCOUNT", "nokey", "0", "1"), cmd("ZMSCORE", "nokey", "a"),
            cmd("ZRANDMEMBER", "nokey"), cmd("ZUNION", "2", "y", "nokey"), cmd("ZRANGEBYSCORE", "nokey", "0", "1"),
            cmd("ZSCAN", "nokey", "0"), cmd("ZLEXCOUNT", "nokey", "-", "+")),
        script("blocked sorted sets",
            block("BZPOPMIN", "bz", "0"), cmd("ZADD", "bz", "1", "a", "2", "b"), unblocked(),
            block("BZPOPMAX", "bz2", "0"), cmd("ZADD", "bz2", "1", "a"), unblocked(),
            block("BZMPOP", "0", "1", "bz3", "MAX", "COUNT", "5"), cmd("ZADD", "bz3", "1", "a", "2", "b"), unblocked()),
        script("debug",
            // One key: the node populates its ranges side by side, so several keys' events have no order.
            cmd("SET", "a", "1"), cmd("DEBUG", "POPULATE", "1", "p", "5"), cmd("DEBUG", "RELOAD"),
            cmd("DEBUG", "OBJECT", "nokey"), cmd("DEBUG", "DIGEST-VALUE", "nokey"), cmd("SET", "b", "2")),
        // The keys go to the other server, whose events are off meanwhile.
        script("migrate",
            cmd("SET", "m", "1"), cmd("RPUSH", "m2", "x"), cmd("SADD", "m3", "y"), cmd("SET", "c", "1"),
            migrate("m", "0", "5000", "REPLACE"), migrate("c", "0", "5000", "COPY", "REPLACE"),
            migrate("", "0", "5000", "REPLACE", "KEYS", "m2", "m3"), cmd("SET", "m", "2")),
        script("transactions",
            cmd("MULTI"), cmd("SET", "a", "1"), cmd("LPUSH", "l", "x"), cmd("DEL", "a"), cmd("LPOP", "l"),
            cmd("EXEC"), cmd("MULTI"), cmd("SET", "a", "1"), cmd("SADD", "a", "x"), cmd("INCR", "a"), cmd("EXEC"),
            cmd("MSET", "k1", "1", "k2", "2", "k3", "3"), cmd("DEL", "k1", "k2", "k3")),
        script("expired lazily",
            cmd("DEBUG", "SET-ACTIVE-EXPIRE", "0"), cmd("SET", "a", "1", "PX", "1"), cmd("SET", "b", "1", "PX", "1"),
            cmd("SET", "c", "1", "PX", "1"), cmd("RPUSH", "l", "1"), cmd("PEXPIRE", "l", "1"), pass(5),
            cmd("GET", "a"), cmd("SET", "b", "2"), cmd("LPUSH", "l", "2"), cmd("EXISTS", "c"),
            cmd("DEBUG", "SET-ACTIVE-EXPIRE", "1")),
        // One key at a time: the order in which the active expiry finds several is its draw.
        script("expired actively",
            cmd("SET", "a", "1", "PX", "1"), awaitEmpty(), cmd("HSET", "h", "f", "v"), cmd("PEXPIRE", "h", "1"),
            awaitEmpty()),
        // One key each: the order in which several are evicted is the policy's draw. redis-server evicts at
        // CONFIG SET maxmemory already, the node at the key's range's next turn: both by the time it is empty.
        script("evicted, allkeys-random",
            cmd("SET", "a", "1"), cmd("CONFIG", "SET", "maxmemory-policy", "allkeys-random"),
            cmd("CONFIG", "SET", "maxmemory", "1"), awaitEmpty(), cmd("CONFIG", "SET", "maxmemory", "0"),
            cmd("SET", "c", "3"), cmd("CONFIG", "SET", "maxmemory-policy", "noeviction")),
        script("evicted, allkeys-lru",
            cmd("SELECT", "3"), cmd("RPUSH", "a", "1"), cmd("CONFIG", "SET", "maxmemory-policy", "allkeys-lru"),
            cmd("CONFIG", "SET", "maxmemory", "1"), awaitEmpty(), cmd("CONFIG", "SET", "maxmemory", "0"),
            cmd("LPUSH", "b", "2"), cmd("CONFIG", "SET", "maxmemory-policy", "noeviction")));
  }

  @TestFactory
  Stream<DynamicTest> everyScriptUnderEverySetting() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Script script : scripts()) {
      for (String setting : SETTINGS) {
        tests.add(DynamicTest.dynamicTest(script.name() + " with \"" + setting + "\"", () -> {
          List<Event> expected = run(redis.port(), redisEvents, script, setting, node.port());
          List<Event> actual = run(node.port(), nodeEvents, script, setting, redis.port());
          assertEquals(String.join("\n", expected.stream().map(Event::toString).toList()),
              String.join("\n", actual.stream().map(Event::toString).toList()),
              "events of \"" + script.name() + "\" with notify-keyspace-events " + setting);
        }));
      }
    }
    return tests.stream();
  }

  /** CONFIG SET notify-keyspace-events takes and refuses what redis-server does, and CONFIG GET prints the same. */
  @Test
  void settingAsRedisServer() {
    List<String> values = List.of("", "KEA", "AKE", "An", "nA", "gK", "Eg$lshzxetdmn", "Kxe", "KEAm", "lKm", "x",
        "E", "AAK", "Ezh", "KEA ", "b", "KE?", "k", "g$lshzxetd");
    try (RespConnection onRedis = RespConnection.open(redis.port());
        RespConnection onNode = RespConnection.open(node.port())) {
      for (String value : values) {
        for (String[] command : List.of(new String[] {"CONFIG", "SET", "notify-keyspace-events", value},
            new String[] {"CONFIG", "GET", "notify-keyspace-events"})) {
          RespReply expected = onRedis.call(command);
          RespReply actual = onNode.call(command);
          assertEquals(expected.escaped(500), actual.escaped(500), String.join(" ", command));
        }
      }
      onRedis.call("CONFIG", "SET", "notify-keyspace-events", "");
      onNode.call("CONFIG", "SET", "notify-keyspace-events", "");
    }
  }

  /**
   * A replica publishes the events of what it applies from its master's stream (the master's expiry comes as a
   * DEL), and none for the snapshot of a full sync, as redis-server's replica, which loads the RDB silently. The
   * node replicates in cluster mode only: a master and its replica of a cluster of two.
   */
  @Test
  void replicaPublishesWhatItApplies() {
    List<Event> expected;
    try (RedisServerFixture redisReplica = RedisServerFixture.start(false, Map.of());
        RespConnection master = RespConnection.open(redis.port());
        RespConnection replica = RespConnection.open(redisReplica.port());
        Subscriber events = new PatternSubscriber(redisReplica.port())) {
      writeBeforeSync(master);
      replica.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
      replica.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port()));
      expected = writeThroughMaster(master, replica, events);
    }
    List<Event> actual;
    try (LocalCluster cluster = LocalCluster.start(2, 5000)) {
      cluster.create(1);
      LocalCluster.Member masterMember = cluster.member(0);
      LocalCluster.Member replicaMember = cluster.member(1);
      try (RespConnection master = RespConnection.open(masterMember.port);
          RespConnection replica = RespConnection.open(replicaMember.port);
          Subscriber events = nodeSubscriber(replicaMember.node())) {
        Await.until("the replica in sync", WAIT,
            () -> replica.infoField("replication", "master_link_status").equals("up"));
        writeBeforeSync(master);
        // What the stream brings publishes: the keys are in before the events are on.
        Await.until("the keys on the replica", WAIT, () -> replica.call("DBSIZE").integer() == 2);
        replica.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
        // A full sync of the keys written so far: a new replication id on the master, the link cut; the writes
        // after it come once it is done, so that they reach the replica by the stream, not in the snapshot.
        long fullSyncs = Long.parseLong(master.infoField("stats", "sync_full"));
        assertEquals("OK", master.call("DEBUG", "CHANGE-REPL-ID").text());
        replica.call("CLIENT", "KILL", "TYPE", "MASTER");
        Await.until("the full sync done", WAIT,
            () -> Long.parseLong(master.infoField("stats", "sync_full")) > fullSyncs
                && replica.infoField("replication", "master_sync_in_progress").equals("0")
                && replica.infoField("replication", "master_link_status").equals("up"));
        actual = writeThroughMaster(master, replica, events);
      }
    }
    assertEquals(String.join("\n", expected.stream().map(Event::toString).toList()),
        String.join("\n", actual.stream().map(Event::toString).toList()), "a replica's events");
  }

  private static void writeBeforeSync(RespConnection master) {
    master.call("FLUSHALL");
    master.call("SET", "before", "1");
    master.call("RPUSH", "list", "a", "b");
  }

  /** Once the replica holds the master's keys: writes through the master, reads the replica's events. */
  private static List<Event> writeThroughMaster(RespConnection master, RespConnection replica, Subscriber events) {
    Await.until("the replica in sync", WAIT,
        () -> replica.infoField("replication", "master_link_status").equals("up")
            && replica.call("DBSIZE").integer() == 2);
    master.call("SET", "k", "1");
    master.call("LPOP", "list", "5");
    master.call("SADD", "s", "m");
    master.call("EXPIRE", "before", "0");
    // Last, so that the master's expiry of it (whenever its cycle finds it) comes last too.
    master.call("SET", "e", "1", "PX", "1");
    Await.until("e expired on the master", WAIT, () -> master.call("DBSIZE").integer() == 2);
    // The flags change on the replica only once it applied everything, the master's DELs too.
    assertEquals(1, master.call("WAIT", "1", Long.toString(WAIT.toMillis())).integer(), "the replica acknowledged");
    replica.call("CONFIG", "SET", "notify-keyspace-events", "E$");
    master.call("SET", MARKER, "1");
    return events.eventsUntilMarker();
  }

  /** Runs a script from an empty server under {@code setting}, then reads its events up to the marker. */
  private static List<Event> run(int port, Subscriber subscriber, Script script, String setting, int peerPort) {
    try (RespConnection client = RespConnection.open(port); RespConnection other = RespConnection.open(port)) {
      client.call("CONFIG", "SET", "notify-keyspace-events", "");
      client.call("FLUSHALL");
      RespReply set = client.call("CONFIG", "SET", "notify-keyspace-events", setting);
      assertEquals("OK", set.text(), "CONFIG SET notify-keyspace-events " + setting);
      for (Step step : script.steps()) step.run(client, other, peerPort);
      // One event only, so that none of the marker's is left for the next script.
      client.call("CONFIG", "SET", "notify-keyspace-events", "E$");
      client.call("SET", MARKER, "1");
      client.call("CONFIG", "SET", "notify-keyspace-events", "");
      return subscriber.eventsUntilMarker();
    }
  }
}
