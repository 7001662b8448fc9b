package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReader;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * MIGRATE from a node to a real redis-server 7.0 and to another node, with redis-server as the oracle of every
 * reply: the same MIGRATE sent by a redis-server source must answer the same. Keys move with their values and TTLs,
 * leave the source only once the target acknowledged them, and nobody changes them meanwhile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrateTest {
  private static final Map<String, String> DEBUG = Map.of("enable-debug-command", "yes");
  private static final String PASSWORD = "migrate-secret";

  private Servers.NodeAndRedis servers;
  /** The source under test. */
  private RedisEndpoint node;
  /** A redis-server: the target, and as a source the oracle of the replies. */
  private RedisServerFixture redis;
  /** A second node, as a target. */
  private NodeFixture otherNode;
  /** A redis-server with requirepass, as a target. */
  private RedisServerFixture guarded;
  /** The oracle's target: a second redis-server (one cannot MIGRATE to itself, it would wait for its own reply). */
  private RedisServerFixture redisTarget;

  @BeforeAll
  void start() {
    servers = Servers.nodeAndRedis(false, DEBUG);
    node = servers.node();
    redis = servers.redis();
    otherNode = NodeFixture.startAsync(false, DEBUG).join();
    guarded = RedisServerFixture.start(false, Map.of("requirepass", PASSWORD, "enable-debug-command", "yes"));
    redisTarget = RedisServerFixture.start(false, DEBUG);
  }

  @AfterAll
  void stop() {
    try {
      if (guarded != null) guarded.close();
      if (redisTarget != null) redisTarget.close();
    } finally {
      try {
        if (otherNode != null) otherNode.close();
      } finally {
        if (servers != null) servers.close();
      }
    }
  }

  private static String port(RedisEndpoint target) {
    return Integer.toString(target.port());
  }

  private static String escaped(RespReply reply) {
    return reply.escaped(300);
  }

  private static String digest(RespConnection c, String key) {
    return c.call("DEBUG", "DIGEST-VALUE", key).get(0).text();
  }

  /** Builds one value of each type (some with a TTL) under {@code prefix}; returns the keys. */
  private static List<String> fill(RespConnection c, String prefix) {
    c.call("SET", prefix + ":s", "value");
    c.call("SET", prefix + ":ttl", "expiring", "PX", "100000");
    c.call("RPUSH", prefix + ":l", "a", "b", "c");
    c.call("HSET", prefix + ":h", "f1", "v1", "f2", "v2");
    c.call("SADD", prefix + ":set", "x", "y", "1");
    c.call("ZADD", prefix + ":z", "1", "m1", "2.5", "m2");
    c.call("PEXPIRE", prefix + ":z", "200000");
    return List.of(prefix + ":s", prefix + ":ttl", prefix + ":l", prefix + ":h", prefix + ":set", prefix + ":z");
  }

  /** Moves every type to {@code target} with KEYS; values, digests and TTLs arrive, the source is empty of them. */
  private void movesEveryType(RedisEndpoint target, String prefix) {
    try (RespConnection source = node.connect(); RespConnection t = target.connect()) {
      List<String> keys = fill(source, prefix);
      for (String key : keys) t.call("DEL", key);
      Map<String, String> digests = new java.util.HashMap<>();
      for (String key : keys) digests.put(key, digest(source, key));
      String[] command = new String[7 + keys.size()];
      String[] head = {"MIGRATE", "127.0.0.1", port(target), "", "0", "5000", "KEYS"};
      System.arraycopy(head, 0, command, 0, head.length);
      for (int i = 0; i < keys.size(); i++) command[head.length + i] = keys.get(i);
      assertEquals("+OK\\r\\n", escaped(source.call(command)));
      for (String key : keys) {
        assertEquals(0, source.call("EXISTS", key).integer(), key + " left the source");
        assertEquals(digests.get(key), digest(t, key), key + " arrived whole");
      }
      assertEquals(-1, t.call("PTTL", prefix + ":s").integer());
      long ttl = t.call("PTTL", prefix + ":ttl").integer();
      assertTrue(ttl > 0 && ttl <= 100000, "TTL kept: " + ttl);
      long zttl = t.call("PTTL", prefix + ":z").integer();
      assertTrue(zttl > 100000 && zttl <= 200000, "TTL kept: " + zttl);
    }
  }

  @Test
  void movesEveryTypeToRedisServer() {
    movesEveryType(redis, "to-redis");
  }

  @Test
  void movesEveryTypeToAnotherNode() {
    movesEveryType(otherNode, "to-node");
  }

  /** The database is selected on the target (SELECT before the RESTOREs); the source's own database is the client's. */
  @Test
  void movesIntoTheDestinationDatabase() {
    for (RedisEndpoint target : List.of(redis, otherNode)) {
      try (RespConnection source = node.connect(); RespConnection t = target.connect()) {
        source.call("SELECT", "2");
        source.call("SET", "in-db", "two");
        t.call("SELECT", "5");
        t.call("DEL", "in-db");
        assertEquals("+OK\\r\\n", escaped(source.call("MIGRATE", "127.0.0.1", port(target), "in-db", "5", "5000")));
        assertEquals("two", t.call("GET", "in-db").text(), target.describe());
        assertEquals(0, source.call("EXISTS", "in-db").integer());
        source.call("SET", "in-db0", "zero");
        t.call("SELECT", "0");
        t.call("DEL", "in-db0");
        // Back to database 0 on the same cached connection: SELECT again.
        assertEquals("+OK\\r\\n", escaped(source.call("MIGRATE", "127.0.0.1", port(target), "in-db0", "0", "5000")));
        assertEquals("zero", t.call("GET", "in-db0").text(), target.describe());
      }
    }
  }

  /**
   * The same MIGRATE from the node and from redis-server, with the same keys at both sources and at the targets
   * (the node's to the other node, redis-server's to a second redis-server), answers the same.
   */
  @Test
  void repliesAsRedisServer() {
    String[][] cases = {
        {"MIGRATE", "127.0.0.1", "{T}", "k1", "0"},
        {"MIGRATE", "127.0.0.1", "{T}", "missing", "0", "1000"},
        {"MIGRATE", "127.0.0.1", "{T}", "", "0", "1000", "KEYS", "missing", "missing2"},
        {"MIGRATE", "127.0.0.1", "{T}", "", "0", "1000", "KEYS"},
        {"MIGRATE", "127.0.0.1", "{T}", "k1", "0", "1000", "FOO"},
        {"MIGRATE", "127.0.0.1", "{T}", "k1", "0", "1000", "AUTH"},
        {"MIGRATE", "127.0.0.1", "{T}", "k1", "0", "1000", "AUTH2", "user"},
        {"MIGRATE", "127.0.0.1", "{T}", "k1", "0", "1000", "KEYS", "k1"},
        {"MIGRATE", "127.0.0.1", "{T}", "k1", "0", "1.5"},
        {"MIGRATE", "127.0.0.1", "{T}", "k1", "x", "1000"},
        {"MIGRATE", "127.0.0.1", "{T}", "k1", "x", "y"},
        {"MIGRATE", "127.0.0.1", "{T}", "k1", "0", "1000", "COPY", "REPLACE", "KEYS", "k2"},
        {"MIGRATE", "127.0.0.1", "{T}", "busy", "0", "1000"},
        {"MIGRATE", "127.0.0.1", "{T}", "busy", "0", "1000", "COPY"},
        {"MIGRATE", "127.0.0.1", "{T}", "", "0", "1000", "KEYS", "k1", "busy", "k2"},
        {"MIGRATE", "127.0.0.1", "{T}", "k1", "0", "1000", "COPY"},
        {"MIGRATE", "127.0.0.1", "{T}", "k1", "0", "1000", "COPY", "REPLACE"},
        {"MIGRATE", "127.0.0.1", "{T}", "busy", "0", "0", "REPLACE"},
        {"MIGRATE", "127.0.0.1", "{T}", "k2", "0", "-7"},
        {"MIGRATE", "127.0.0.1", "{T}", "k2", "0", "9223372036854775807"},
        {"MIGRATE", "127.0.0.1", "{T}", "k2", "-1", "1000"},
        {"MIGRATE", "127.0.0.1", "{T}", "k2", "99", "1000"},
        {"MIGRATE", "127.0.0.1", "{REFUSED}", "k1", "0", "1000"},
        {"MIGRATE", "127.0.0.1", "-1", "k1", "0", "1000"},
        {"MIGRATE", "127.0.0.1", "{T}", "k1", "0", "1000", "AUTH", "nopass"},
        {"MIGRATE", "127.0.0.1", "{G}", "k1", "0", "1000"},
        {"MIGRATE", "127.0.0.1", "{G}", "k1", "0", "1000", "AUTH", "wrong"},
        {"MIGRATE", "127.0.0.1", "{G}", "k1", "0", "1000", "AUTH2", "default", "wrong"},
    };
    int refused = freePort();
    try (RespConnection n = node.connect(); RespConnection r = redis.connect();
        RespConnection nodeTarget = otherNode.connect(); RespConnection g = guarded.connect();
        RespConnection rt = redisTarget.connect()) {
      g.call("AUTH", PASSWORD);
      for (String[] template : cases) {
        for (RespConnection c : List.of(n, r, nodeTarget, g, rt)) {
          c.call("SELECT", "0");
          c.call("DEL", "k1", "k2", "busy", "missing", "missing2");
        }
        for (RespConnection c : List.of(n, r)) {
          c.call("SET", "k1", "v1");
          c.call("SET", "k2", "v2");
          c.call("SET", "busy", "here");
        }
        nodeTarget.call("SET", "busy", "there");
        rt.call("SET", "busy", "there");
        g.call("SET", "busy", "there");
        String[] forNode = fillIn(template, otherNode.port(), refused);
        String[] forRedis = fillIn(template, redisTarget.port(), refused);
        RespReply expected = r.call(forRedis);
        RespReply actual = n.call(forNode);
        String what = String.join(" ", template);
        assertEquals(escaped(expected), escaped(actual), what);
        for (String key : List.of("k1", "k2", "busy")) {
          assertEquals(r.call("EXISTS", key).integer(), n.call("EXISTS", key).integer(), what + ": " + key);
          assertEquals(rt.call("GET", key).escaped(100), nodeTarget.call("GET", key).escaped(100), what + ": " + key);
        }
      }
    }
  }

  private String[] fillIn(String[] template, int target, int refused) {
    String[] args = template.clone();
    for (int i = 0; i < args.length; i++) {
      args[i] = args[i].replace("{T}", Integer.toString(target)).replace("{REFUSED}", Integer.toString(refused))
          .replace("{G}", Integer.toString(guarded.port()));
    }
    return args;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** A value of several write chunks (1 MiB each) moves whole, node to node and node to redis-server. */
  @Test
  void aBigValueMoves() {
    for (RedisEndpoint target : List.of(redis, otherNode)) {
      try (RespConnection source = node.connect(); RespConnection t = target.connect()) {
        source.call("SETRANGE", "big", Integer.toString(4 * 1024 * 1024 - 1), "end");
        String[] hset = new String[2 + 2 * 2000];
        hset[0] = "HSET";
        hset[1] = "big-hash";
        for (int i = 0; i < 2000; i++) {
          hset[2 + 2 * i] = "field-" + i;
          hset[3 + 2 * i] = "value-" + i;
        }
        source.call(hset);
        String digest = digest(source, "big");
        String hashDigest = digest(source, "big-hash");
        t.call("DEL", "big", "big-hash");
        assertEquals("+OK\\r\\n", escaped(source.call("MIGRATE", "127.0.0.1", port(target), "", "0", "20000", "KEYS",
            "big", "big-hash")), target.describe());
        assertEquals(digest, digest(t, "big"));
        assertEquals(hashDigest, digest(t, "big-hash"));
        assertEquals(4 * 1024 * 1024 + 2, t.call("STRLEN", "big").integer());
        assertEquals(0, source.call("EXISTS", "big", "big-hash").integer());
      }
    }
  }

  /** Inside MULTI/EXEC, as redis-server: queued, then run by EXEC with its reply in EXEC's array. */
  @Test
  void inATransaction() {
    try (RespConnection n = node.connect(); RespConnection r = redis.connect();
        RespConnection nodeTarget = otherNode.connect(); RespConnection rt = redisTarget.connect()) {
      for (RespConnection c : List.of(n, r)) c.call("SET", "in-multi", "v");
      for (RespConnection c : List.of(nodeTarget, rt)) c.call("DEL", "in-multi");
      String[] nodeMigrate = {"MIGRATE", "127.0.0.1", port(otherNode), "in-multi", "0", "5000"};
      String[] redisMigrate = {"MIGRATE", "127.0.0.1", port(redisTarget), "in-multi", "0", "5000"};
      for (RespConnection c : List.of(n, r)) c.call("MULTI");
      assertEquals(escaped(r.call(redisMigrate)), escaped(n.call(nodeMigrate)));
      assertEquals(escaped(r.call("EXISTS", "in-multi")), escaped(n.call("EXISTS", "in-multi")));
      assertEquals(escaped(r.call("EXEC")), escaped(n.call("EXEC")));
      assertEquals("v", nodeTarget.call("GET", "in-multi").text());
    }
  }

  @Test
  void busyKeyIsKeptAndReplaceOverwrites() {
    try (RespConnection source = node.connect(); RespConnection t = redis.connect()) {
      source.call("SET", "contested", "new");
      t.call("SET", "contested", "old");
      assertEquals("-ERR Target instance replied with error: BUSYKEY Target key name already exists.\\r\\n",
          escaped(source.call("MIGRATE", "127.0.0.1", port(redis), "contested", "0", "5000")));
      assertEquals("new", source.call("GET", "contested").text(), "not acknowledged: kept");
      assertEquals("old", t.call("GET", "contested").text());
      assertEquals("+OK\\r\\n", escaped(source.call("MIGRATE", "127.0.0.1", port(redis), "contested", "0", "5000",
          "REPLACE")));
      assertEquals(0, source.call("EXISTS", "contested").integer());
      assertEquals("new", t.call("GET", "contested").text());
    }
  }

  @Test
  void copyLeavesTheSourceKey() {
    try (RespConnection source = node.connect(); RespConnection t = otherNode.connect()) {
      source.call("SET", "copied", "v");
      t.call("DEL", "copied");
      assertEquals("+OK\\r\\n", escaped(source.call("MIGRATE", "127.0.0.1", port(otherNode), "copied", "0", "5000",
          "COPY")));
      assertEquals("v", source.call("GET", "copied").text());
      assertEquals("v", t.call("GET", "copied").text());
    }
  }

  /** Of several keys, those the target acknowledged leave the source; the first error is the reply. */
  @Test
  void onlyAcknowledgedKeysLeave() {
    try (RespConnection source = node.connect(); RespConnection t = redis.connect()) {
      source.call("MSET", "part:a", "1", "part:b", "2", "part:c", "3");
      t.call("DEL", "part:a", "part:c");
      t.call("SET", "part:b", "theirs");
      assertEquals("-ERR Target instance replied with error: BUSYKEY Target key name already exists.\\r\\n",
          escaped(source.call("MIGRATE", "127.0.0.1", port(redis), "", "0", "5000", "KEYS", "part:a", "part:b",
              "part:c")));
      assertEquals(0, source.call("EXISTS", "part:a").integer());
      assertEquals("2", source.call("GET", "part:b").text());
      assertEquals(0, source.call("EXISTS", "part:c").integer());
      assertEquals(List.of("1", "theirs", "3"), t.call("MGET", "part:a", "part:b", "part:c").texts());
    }
  }

  @Test
  void authenticatesWithAuthAndAuth2() {
    try (RespConnection source = node.connect(); RespConnection g = guarded.connect()) {
      g.call("AUTH", PASSWORD);
      source.call("SET", "secret:1", "a");
      source.call("SET", "secret:2", "b");
      g.call("DEL", "secret:1", "secret:2");
      assertEquals("-ERR Target instance replied with error: NOAUTH Authentication required.\\r\\n",
          escaped(source.call("MIGRATE", "127.0.0.1", port(guarded), "secret:1", "0", "5000")));
      assertEquals("+OK\\r\\n", escaped(source.call("MIGRATE", "127.0.0.1", port(guarded), "secret:1", "0", "5000",
          "AUTH", PASSWORD)));
      assertEquals("+OK\\r\\n", escaped(source.call("MIGRATE", "127.0.0.1", port(guarded), "secret:2", "0", "5000",
          "AUTH2", "default", PASSWORD)));
      assertEquals(List.of("a", "b"), g.call("MGET", "secret:1", "secret:2").texts());
      assertEquals(0, source.call("EXISTS", "secret:1", "secret:2").integer());
      // The password never reaches SLOWLOG or MONITOR; here: the command line the node keeps for CLIENT LIST.
    }
  }

  @Test
  void unreachableTargetsAnswerIoerrAndKeepTheKey() {
    try (RespConnection source = node.connect()) {
      source.call("SET", "stays", "v");
      assertEquals("-IOERR error or timeout writing to target instance\\r\\n",
          escaped(source.call("MIGRATE", "127.0.0.1", Integer.toString(freePort()), "stays", "0", "1000")));
      assertEquals("-IOERR error or timeout connecting to the client\\r\\n",
          escaped(source.call("MIGRATE", "no-such-host.invalid", "6379", "stays", "0", "1000")));
      assertEquals("v", source.call("GET", "stays").text());
    }
  }

  /** A target that takes the connection and never answers: IOERR once the timeout passed, the key stays. */
  @Test
  void aSilentTargetTimesOut() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        RespConnection source = node.connect()) {
      source.call("SET", "waiting", "v");
      assertEquals("-IOERR error or timeout reading to target instance\\r\\n", escaped(source.call("MIGRATE",
          "127.0.0.1", Integer.toString(silent.getLocalPort()), "waiting", "0", "1000")));
      assertEquals("v", source.call("GET", "waiting").text());
      assertEquals("-IOERR error or timeout reading to target instance\\r\\n", escaped(source.call("MIGRATE",
          "127.0.0.1", Integer.toString(silent.getLocalPort()), "waiting", "0", "1000")), "not cached after a timeout");
    }
  }

  /**
   * While MIGRATE waits for the target, a write to its key waits too: it runs after the key was deleted, so the
   * new value is not lost. The target here is a test socket that acknowledges only once the SET has reached the node.
   */
  @Test
  void aWriteDuringTheMigrationWaitsForIt() throws IOException {
    try (ServerSocket fake = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        RespConnection migrating = node.connect(); RespConnection writer = node.connect();
        RespConnection observer = node.connect()) {
      fake.setSoTimeout(20_000);
      writer.call("CLIENT", "SETNAME", "writer");
      migrating.call("SET", "held", "old");
      migrating.send("MIGRATE", "127.0.0.1", Integer.toString(fake.getLocalPort()), "held", "0", "20000");
      try (Socket target = fake.accept()) {
        target.setSoTimeout(20_000);
        String request = readUntil(target.getInputStream(), "RESTORE");
        assertTrue(request.contains("SELECT"), request);
        writer.send("SET", "held", "new");
        Await.until("the SET reached the node", Duration.ofSeconds(10),
            () -> observer.call("CLIENT", "LIST").text().contains("name=writer age=")
                && clientLine(observer, "writer").contains("cmd=set"));
        OutputStream out = target.getOutputStream();
        out.write("+OK\r\n+OK\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertEquals("+OK\\r\\n", escaped(migrating.read()));
        assertEquals("+OK\\r\\n", escaped(writer.read()));
        assertEquals("new", observer.call("GET", "held").text(), "the write after the migration stays");
      }
    }
  }

  /**
   * The deletes reach the replication stream (what replicas and the AOF are fed) as one DEL of the keys the target
   * acknowledged; a COPY changes nothing and propagates nothing.
   */
  @Test
  void theDeletesPropagateAsDel() throws IOException {
    try (RespConnection source = node.connect(); RespConnection t = redis.connect();
        Socket sync = new Socket("127.0.0.1", node.port())) {
      sync.setSoTimeout(20_000);
      source.call("DEL", "prop:a", "prop:b", "prop:c");
      t.call("DEL", "prop:a", "prop:b", "prop:c");
      InputStream in = syncStream(sync);
      RespReader stream = new RespReader(in);
      source.call("SET", "prop:a", "1");
      source.call("SET", "prop:b", "2");
      source.call("SET", "prop:c", "3");
      assertEquals("+OK\\r\\n", escaped(source.call("MIGRATE", "127.0.0.1", port(redis), "", "0", "5000", "KEYS",
          "prop:a", "prop:missing", "prop:b")));
      assertEquals("+OK\\r\\n", escaped(source.call("MIGRATE", "127.0.0.1", port(redis), "prop:c", "0", "5000",
          "COPY")));
      source.call("SET", "prop:end", "x");
      assertEquals(List.of("SELECT", "0"), next(stream));
      assertEquals(List.of("SET", "prop:a", "1"), next(stream));
      assertEquals(List.of("SET", "prop:b", "2"), next(stream));
      assertEquals(List.of("SET", "prop:c", "3"), next(stream));
      assertEquals(List.of("DEL", "prop:a", "prop:b"), next(stream));
      assertEquals(List.of("SET", "prop:end", "x"), next(stream), "COPY propagates nothing");
    }
  }

  /** Sends SYNC and skips the RDB: what follows is the replication stream. */
  private static InputStream syncStream(Socket sync) throws IOException {
    sync.getOutputStream().write("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
    sync.getOutputStream().flush();
    InputStream in = new java.io.BufferedInputStream(sync.getInputStream());
    String line;
    do {
      line = readLine(in); // empty lines: keepalives while the RDB is made
    } while (line.isEmpty());
    assertTrue(line.startsWith("$"), line);
    in.readNBytes(Integer.parseInt(line.substring(1)));
    return in;
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) throw new IOException("closed");
      if (b != '\r') line.append((char) b);
    }
    return line.toString();
  }

  /** The stream's next command, past the master's PINGs. */
  private static List<String> next(RespReader stream) throws IOException {
    List<String> command;
    do {
      command = stream.read().texts();
    } while (command.equals(List.of("PING")));
    return command;
  }

  private static String clientLine(RespConnection c, String name) {
    for (String line : c.call("CLIENT", "LIST").text().split("\n")) {
      if (line.contains("name=" + name + " ")) return line;
    }
    return "";
  }

  /** Reads what arrives until it holds {@code marker} and then a full RESTORE (its payload ends the request). */
  private static String readUntil(InputStream in, String marker) throws IOException {
    StringBuilder seen = new StringBuilder();
    byte[] buffer = new byte[4096];
    while (!seen.toString().contains(marker) || !seen.toString().endsWith("\r\n")) {
      int n = in.read(buffer);
      if (n < 0) throw new IOException("closed after " + seen);
      seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
    }
    return seen.toString();
  }
}
