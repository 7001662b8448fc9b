package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.Servers;
import org.akkaredis.it.support.TempDirs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SWAPDB and MOVE on the node beside a real redis-server 7.0: the same commands get the same replies (errors
 * included), a transaction WATCHing keys of a swapped or moved-to database fails as on Redis, a BLPOP is woken by
 * SWAPDB and by MOVE, COMMAND INFO agrees, and cluster mode refuses both. The AOF keeps the result over a restart,
 * and redis-server loads the node's AOF to the same data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SwapDbMoveRedisTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private Servers.NodeAndRedis servers;

  @BeforeAll
  void start() {
    servers = Servers.nodeAndRedis(false, Map.of());
  }

  @AfterAll
  void stop() {
    if (servers != null) servers.close();
  }

  private List<RedisEndpoint> both() {
    return List.of(servers.node(), servers.redis());
  }

  /** Runs the same commands on both servers (after FLUSHALL) and compares every reply byte for byte. */
  private void sameReplies(String[]... commands) {
    List<List<String>> replies = new ArrayList<>();
    for (RedisEndpoint server : both()) {
      List<String> out = new ArrayList<>();
      try (RespConnection c = server.connect()) {
        c.call("FLUSHALL");
        for (String[] command : commands) out.add(String.join(" ", command) + " -> " + c.call(command).escaped(300));
      }
      replies.add(out);
    }
    assertEquals(replies.get(1), replies.get(0), "node vs redis-server");
  }

  private static String[] c(String... args) {
    return args;
  }

  @Test
  void repliesAndErrorsAreRedisOnes() {
    sameReplies(
        c("SET", "a", "zero"), c("SELECT", "1"), c("RPUSH", "b", "x", "y"), c("PEXPIRE", "b", "100000"),
        c("SWAPDB", "0", "1"), c("GET", "a"), c("LRANGE", "b", "0", "-1"), c("SELECT", "0"), c("GET", "a"),
        c("TYPE", "b"), c("DBSIZE"), c("SWAPDB", "1", "1"), c("SWAPDB", "15", "0"), c("DBSIZE"),
        c("SWAPDB", "a", "1"), c("SWAPDB", "1", "a"), c("SWAPDB", "a", "b"), c("SWAPDB", "1", "16"),
        c("SWAPDB", "-1", "0"), c("SWAPDB", "99999999999", "1"), c("SWAPDB", "1", "99999999999"),
        c("SWAPDB", "1"), c("SWAPDB", "1", "2", "3"),
        c("SWAPDB", "0", "15"), c("SET", "k", "v"), c("PEXPIRE", "k", "500000"),
        c("MOVE", "k", "a"), c("MOVE", "k", "0"), c("MOVE", "nokey", "0"), c("MOVE", "k", "16"),
        c("MOVE", "k", "-1"), c("MOVE", "k", "99999999999"), c("MOVE", "nokey", "1"), c("MOVE", "k"),
        c("MOVE", "k", "1"), c("EXISTS", "k"), c("SET", "k", "again"), c("MOVE", "k", "1"), c("GET", "k"),
        c("SELECT", "1"), c("GET", "k"), c("TTL", "k"), c("OBJECT", "ENCODING", "k"),
        c("SADD", "s", "1", "2"), c("MOVE", "s", "5"), c("SELECT", "5"), c("SMEMBERS", "s"),
        c("OBJECT", "ENCODING", "s"));
  }

  @Test
  void commandInfoAgrees() {
    List<String> infos = new ArrayList<>();
    for (RedisEndpoint server : both()) {
      try (RespConnection c = server.connect()) {
        infos.add(c.call("COMMAND", "INFO", "SWAPDB", "MOVE").escaped(2000)
            + c.call("COMMAND", "DOCS", "SWAPDB", "MOVE").escaped(4000)
            + c.call("COMMAND", "GETKEYS", "MOVE", "k", "1").escaped(200));
      }
    }
    assertEquals(infos.get(1), infos.get(0));
  }

  @Test
  void watchedKeysOfBothDatabasesAreTouchedBySwapdbAndMove() {
    List<List<String>> results = new ArrayList<>();
    for (RedisEndpoint server : both()) {
      List<String> out = new ArrayList<>();
      try (RespConnection watcher = server.connect(); RespConnection other = server.connect()) {
        other.call("FLUSHALL");
        other.call("SET", "x", "0");
        // Watches a key of database 1 that the swap brings in; another in database 0 that the swap takes away.
        for (String[] watched : List.of(c("1", "x"), c("0", "x"), c("2", "missing"))) {
          watcher.call("SELECT", watched[0]);
          watcher.call("WATCH", watched[1]);
          watcher.call("MULTI");
          watcher.call("PING");
          other.call("SWAPDB", "0", "1");
          out.add("swap db" + watched[0] + " " + watched[1] + " -> " + watcher.call("EXEC").escaped(100));
        }
        // MOVE touches the source's watchers and the target's.
        other.call("SELECT", "0");
        other.call("FLUSHALL");
        for (String db : List.of("0", "3", "4")) {
          other.call("SET", "m", "v");
          watcher.call("SELECT", db);
          watcher.call("WATCH", "m");
          watcher.call("MULTI");
          watcher.call("PING");
          out.add("move " + other.call("MOVE", "m", "3").escaped(100));
          out.add("move watched in db" + db + " -> " + watcher.call("EXEC").escaped(100));
          other.call("FLUSHALL");
        }
      }
      results.add(out);
    }
    assertEquals(results.get(1), results.get(0));
  }

  @Test
  void aBlockedBlpopIsWokenBySwapdbAndByMove() {
    List<List<String>> results = new ArrayList<>();
    for (RedisEndpoint server : both()) {
      List<String> out = new ArrayList<>();
      try (RespConnection blocked = server.connect(); RespConnection other = server.connect()) {
        other.call("FLUSHALL");
        blocked.call("SELECT", "1");
        blocked.send("BLPOP", "q", "0");
        awaitBlocked(other, 1);
        other.call("RPUSH", "q", "from-db0");
        other.call("SWAPDB", "0", "1");
        out.add("after swapdb: " + blocked.read().escaped(100));
        out.add("left in db1: " + other.call("DBSIZE").escaped(50));

        blocked.call("SELECT", "2");
        blocked.send("BLPOP", "q", "0");
        awaitBlocked(other, 1);
        other.call("SELECT", "0");
        other.call("RPUSH", "q", "a", "b");
        out.add("move: " + other.call("MOVE", "q", "2").escaped(50));
        out.add("after move: " + blocked.read().escaped(100));
        other.call("SELECT", "2");
        out.add("left in db2: " + other.call("LRANGE", "q", "0", "-1").escaped(100));
        awaitBlocked(other, 0);
      }
      results.add(out);
    }
    assertEquals(results.get(1), results.get(0));
  }

  private static void awaitBlocked(RespConnection c, int clients) {
    Await.until(clients + " blocked client(s)", TIMEOUT,
        () -> c.infoField("clients", "blocked_clients").equals(Integer.toString(clients)));
  }

  @Test
  void clusterModeRefusesBoth() {
    try (Servers.NodeAndRedis cluster = Servers.nodeAndRedis(true, Map.of())) {
      List<String> replies = new ArrayList<>();
      for (RedisEndpoint server : List.of(cluster.node(), cluster.redis())) {
        server.assignAllSlots();
        server.awaitClusterStateOk();
        try (RespConnection c = server.connect()) {
          replies.add(c.call("SWAPDB", "0", "1").escaped(100) + c.call("SWAPDB", "a", "b").escaped(100)
              + c.call("SET", "k", "v").escaped(100) + c.call("MOVE", "k", "1").escaped(100)
              + c.call("MOVE", "k", "a").escaped(100) + c.call("MOVE", "k", "0").escaped(100));
        }
      }
      assertEquals(replies.get(1), replies.get(0));
    }
  }

  @Test
  void theAofReplaysSwapdbAndMoveAndRedisLoadsItTheSame() {
    Path dir = TempDirs.create("swapdb-aof-");
    try {
      Map<String, String> settings = Map.of("dir", dir.toString(), "appendonly", "yes", "appendfsync", "always");
      try (NodeFixture first = NodeFixture.startAsync(false, settings).join(); RespConnection c = first.connect()) {
        c.call("SET", "a", "1");
        c.call("SET", "ttl", "t");
        c.call("PEXPIRE", "ttl", "600000");
        c.call("SELECT", "2");
        c.call("RPUSH", "l", "x");
        c.call("SWAPDB", "0", "2");
        c.call("MOVE", "ttl", "0");
        c.call("SELECT", "0");
        c.call("MOVE", "l", "7");
        c.call("SET", "after", "y");
      }
      String expected = "db0 [ttl, after] db2 [a] db7 [l]";
      try (NodeFixture second = NodeFixture.startAsync(false, settings).join();
          RespConnection c = second.connect()) {
        assertEquals(expected, layout(c));
        c.call("SELECT", "0");
        assertEquals(1, c.call("EXISTS", "ttl").integer());
        long ttl = c.call("PTTL", "ttl").integer();
        assertEquals(true, ttl > 0 && ttl <= 600000, "the TTL is kept: " + ttl);
      }
      try (RedisServerFixture redis = RedisServerFixture.start(false, Map.of("dir", dir.toString(),
          "appendonly", "yes")); RespConnection r = redis.connect()) {
        assertEquals(expected, layout(r));
      }
    } finally {
      TempDirs.delete(dir);
    }
  }

  /** The keys of databases 0, 2 and 7, sorted within each. */
  private static String layout(RespConnection c) {
    StringBuilder out = new StringBuilder();
    for (String db : List.of("0", "2", "7")) {
      c.call("SELECT", db);
      List<String> keys = new ArrayList<>(c.call("KEYS", "*").texts());
      keys.sort(java.util.Comparator.comparing((String k) -> !k.equals("ttl")).thenComparing(k -> k));
      if (out.length() > 0) out.append(' ');
      out.append("db").append(db).append(' ').append(keys);
    }
    return out.toString();
  }
}
