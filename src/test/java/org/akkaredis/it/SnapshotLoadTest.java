package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.DataSets;
import org.akkaredis.it.support.FreePorts;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.TempDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshots at start and in the background: without an AOF the node loads dump.rdb when it starts (answering
 * -LOADING meanwhile), BGSAVE writes it while the node serves, and the save rules make one by themselves.
 */
class SnapshotLoadTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private Path dir;

  @BeforeEach
  void createDir() {
    dir = TempDirs.create("snapshot-load-");
  }

  @AfterEach
  void deleteDir() {
    TempDirs.delete(dir);
  }

  private CompletableFuture<NodeFixture> start(String... overrides) {
    Map<String, String> settings = new HashMap<>(Map.of("dir", dir.toString()));
    for (int i = 0; i < overrides.length; i += 2) settings.put(overrides[i], overrides[i + 1]);
    return NodeFixture.startAsync(false, settings);
  }

  @Test
  void aSavedNodeComesBackFromItsDumpWithEveryKey() {
    try (NodeFixture first = start().join(); RespConnection c = first.connect()) {
      DataSets.fill(c);
      assertEquals("Background saving started", c.call("BGSAVE").text());
      Await.until("BGSAVE done", TIMEOUT, () -> c.infoField("persistence", "rdb_bgsave_in_progress").equals("0")
          && c.infoField("persistence", "rdb_saves").equals("1"));
      assertEquals("ok", c.infoField("persistence", "rdb_last_bgsave_status"));
      assertEquals("0", c.infoField("persistence", "rdb_changes_since_last_save"));
      assertEquals("-ERR syntax error\\r\\n", c.call("BGSAVE", "now").escaped(100));
    }
    try (NodeFixture second = start().join(); RespConnection c = second.connect();
        NodeFixture reference = NodeFixture.startAsync(false, Map.of()).join();
        RespConnection filled = reference.connect()) {
      DataSets.fill(filled);
      DataSets.assertSameData(filled, c);
      c.call("SELECT", "0");
      assertTrue(Long.parseLong(c.infoField("persistence", "rdb_last_load_keys_loaded")) > 10);
    }
  }

  @Test
  void aDumpThatRedisWroteLoadsWithEveryKey() {
    try (RedisServerFixture redis = RedisServerFixture.start(false, Map.of("dir", dir.toString()));
        RespConnection r = redis.connect()) {
      DataSets.fill(r);
      assertEquals("+OK\\r\\n", r.call("SAVE").escaped(100));
      try (NodeFixture node = start().join(); RespConnection c = node.connect()) {
        DataSets.assertSameData(r, c);
      }
    }
  }

  @Test
  void theSaveRulesSaveByThemselves() {
    try (NodeFixture node = start("save", "1 2").join(); RespConnection c = node.connect()) {
      c.call("SET", "a", "1");
      c.call("SET", "b", "2");
      Await.until("a save by the rule 1 2", TIMEOUT, () -> c.infoField("persistence", "rdb_saves").equals("1"));
      assertTrue(Files.exists(dir.resolve("dump.rdb")));
    }
  }

  @Test
  void whileTheDumpLoadsCommandsAnswerLoading() {
    try (NodeFixture first = start().join(); RespConnection c = first.connect()) {
      for (int i = 0; i < 2000; i++) c.send("SET", "key:" + i, "value-" + i);
      for (int i = 0; i < 2000; i++) c.read();
      assertEquals("+OK\\r\\n", c.call("SAVE").escaped(100));
    }
    int port = FreePorts.next();
    // key-load-delay (Redis's testing aid) makes the load last until the test lets it go on.
    CompletableFuture<NodeFixture> starting = start("port", Integer.toString(port), "key-load-delay", "1000000");
    RespConnection c = connectWhileStarting(port);
    try {
      assertEquals("-LOADING Redis is loading the dataset in memory\\r\\n", c.call("GET", "key:1").escaped(100));
      assertEquals("1", c.infoField("persistence", "loading"));
      // The loading thread may not have opened the file yet when the port first answers.
      Await.until("the dump's size in INFO", TIMEOUT,
          () -> Long.parseLong(c.infoField("persistence", "loading_total_bytes")) > 0);
      assertEquals("+OK\\r\\n", c.call("CONFIG", "SET", "key-load-delay", "0").escaped(100));
      try (NodeFixture loaded = starting.join()) {
        assertEquals("value-1", c.call("GET", "key:1").text());
        assertEquals(2000, c.call("DBSIZE").integer());
        assertEquals("0", c.infoField("persistence", "loading"));
      }
    } finally {
      c.close();
    }
  }

  @Test
  void aShutdownWhileLoadingSavesNothingOverTheDump() throws Exception {
    try (NodeFixture first = start().join(); RespConnection c = first.connect()) {
      for (int i = 0; i < 100; i++) c.call("SET", "key:" + i, "value-" + i);
      assertEquals("+OK\\r\\n", c.call("SAVE").escaped(100));
    }
    byte[] dump = Files.readAllBytes(dir.resolve("dump.rdb"));
    int port = FreePorts.next();
    CompletableFuture<NodeFixture> starting = start("port", Integer.toString(port), "key-load-delay", "1000000");
    try (RespConnection c = connectWhileStarting(port)) {
      assertEquals("1", c.infoField("persistence", "loading"));
      c.send("SHUTDOWN", "SAVE");
      c.readUntilClosed();
    }
    // The start completes: the node started, then stopped as asked.
    starting.join().close();
    org.junit.jupiter.api.Assertions.assertArrayEquals(dump, Files.readAllBytes(dir.resolve("dump.rdb")),
        "the dump is the one the node was loading");
  }

  /** The client port answers before the node's start completes (the data is still loading). */
  private static RespConnection connectWhileStarting(int port) {
    RespConnection[] connection = new RespConnection[1];
    Await.until("the client port to open", TIMEOUT, () -> {
      try {
        connection[0] = RespConnection.open(port);
        return true;
      } catch (RuntimeException | AssertionError e) {
        return false;
      }
    });
    return connection[0];
  }
}
