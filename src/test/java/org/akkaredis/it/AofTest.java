package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.DataSets;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.Processes;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.TempDirs;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.Keyspace;
import org.akkaredis.keyspace.SlotRange;
import org.akkaredis.keyspace.Slots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The append-only file: a node stopped abruptly (its ActorSystem terminated, nothing flushed on the way out) and
 * started again on the same directory has every acknowledged write back, also across rewrites made while
 * clients write; the files pass redis-check-aof and a real redis-server loads them; a truncated tail loads up to
 * the last whole command, a corrupt middle stops the start.
 */
class AofTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private Path dir;

  @BeforeEach
  void createDir() {
    dir = TempDirs.create("aof-");
  }

  @AfterEach
  void deleteDir() {
    TempDirs.delete(dir);
  }

  private NodeFixture start(String... overrides) {
    Map<String, String> settings = new HashMap<>(Map.of("dir", dir.toString(), "appendonly", "yes",
        "appendfsync", "always"));
    for (int i = 0; i < overrides.length; i += 2) settings.put(overrides[i], overrides[i + 1]);
    return NodeFixture.startAsync(false, settings).join();
  }

  private Path aofDir() {
    return dir.resolve("appendonlydir");
  }

  /**
   * A node started with appendonly yes writes its first AOF in the background (Redis writes it before serving).
   * A SHUTDOWN while that first rewrite runs waits for it instead of being refused: here the rewrite is kept from
   * finishing by holds on the ranges (as long commands would), SHUTDOWN is sent while INFO shows no rewrite done,
   * the holds end, and the node stops with files that hold what was written before. The holds race the rewrite the node starts at once:
   * a node whose rewrite was done before they were granted is stopped and another started (a few tries at most).
   */
  @Test
  void shutdownWhileTheFirstAofIsWrittenAtStartWaitsForIt() throws Exception {
    int ranges = Keyspace.rangeCount(ConfigFactory.load()); // the node's: the default
    int perRange = Slots.COUNT / ranges;
    int key = Slots.slotOf("k".getBytes(java.nio.charset.StandardCharsets.UTF_8)) / perRange;
    for (int attempt = 1; ; attempt++) {
      assertTrue(attempt <= 5, "the holds never reached the ranges before the first rewrite was done");
      TempDirs.delete(dir);
      dir = TempDirs.create("aof-");
      try (NodeFixture node = start("appendfsync", "everysec"); RespConnection c = node.connect();
          RespConnection observer = node.connect()) {
        CompletableFuture<Void> release = new CompletableFuture<>();
        List<CompletableFuture<RangeState>> granted = new java.util.ArrayList<>();
        for (int range = 0; range < ranges; range++) {
          if (range == key) continue; // k's range stays free for the SET
          CompletableFuture<RangeState> hold = new CompletableFuture<>();
          granted.add(hold);
          node.node().system().classicSystem().actorSelection("/user/slot-range-" + range * perRange + "-"
              + (range * perRange + perRange - 1)).tell(new SlotRange.Hold(hold, release), akka.actor.ActorRef.noSender());
        }
        CompletableFuture.allOf(granted.toArray(CompletableFuture[]::new)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!observer.infoField("persistence", "aof_rewrites").equals("0")) {
          release.complete(null); // the rewrite was done before the holds: try again on a new node
          continue;
        }
        assertEquals("OK", c.call("SET", "k", "v").text());
        c.send("SHUTDOWN");
        // It waits while the rewrite waits for the ranges (or the parts it took before the holds are written out,
        // and the node stops: either way it is not refused).
        Await.until("SHUTDOWN waits for the first AOF", TIMEOUT, () -> {
          try {
            return observer.call("CLIENT", "LIST").text().contains("cmd=shutdown");
          } catch (java.io.UncheckedIOException stopped) {
            return true;
          }
        });
        release.complete(null);
        assertEquals("", new String(c.readUntilClosed()), "SHUTDOWN answers nothing: the node stops");
        node.whenTerminated().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(0, node.exitCode());
      }
      break;
    }
    assertTrue(Files.exists(aofDir().resolve("appendonly.aof.manifest")), "the first AOF was made");
    try (NodeFixture again = start(); RespConnection c = again.connect()) {
      assertEquals("v", c.call("GET", "k").text());
    }
  }

  @Test
  void everyTypeComesBackAfterAnAbruptStopAndRedisLoadsTheSameFiles() {
    try (NodeFixture first = start(); RespConnection c = first.connect()) {
      DataSets.fill(c);
      assertEquals("1", c.infoField("persistence", "aof_enabled"));
    }
    Processes.Result check = Processes.run(TIMEOUT, "redis-check-aof",
        aofDir().resolve("appendonly.aof.manifest").toString());
    assertEquals(0, check.exitCode(), check.describe());
    assertTrue(check.stdout().contains("All AOF files and manifest are valid"), check.describe());

    try (NodeFixture second = start(); RespConnection c = second.connect();
        RedisServerFixture redis = RedisServerFixture.start(false, Map.of("dir", dir.toString(),
            "appendonly", "yes"));
        RespConnection r = redis.connect()) {
      try (NodeFixture reference = NodeFixture.startAsync(false, Map.of()).join();
          RespConnection filled = reference.connect()) {
        DataSets.fill(filled);
        DataSets.assertSameData(filled, c);
      }
      DataSets.assertSameData(c, r);
    }
  }

  @Test
  void rewritesWhileClientsWriteKeepEveryAcknowledgedWrite() throws Exception {
    Map<String, Long> acknowledged = new HashMap<>();
    try (NodeFixture first = start(); RespConnection admin = first.connect()) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong writes = new AtomicLong();
      Thread writer = new Thread(() -> {
        try (RespConnection c = first.connect()) {
          for (long i = 0; !stop.get(); i++) {
            String key = "counter:" + (i % 97);
            long value = c.call("INCR", key).integer();
            c.call("RPUSH", "log:" + (i % 13), Long.toString(i));
            synchronized (acknowledged) {
              acknowledged.put(key, value);
              acknowledged.merge("log:" + (i % 13), 1L, Long::sum);
            }
            writes.incrementAndGet();
          }
        }
      });
      writer.start();
      for (int round = 1; round <= 3; round++) {
        long before = writes.get();
        Await.until("writes before rewrite " + round, TIMEOUT, () -> writes.get() > before + 200);
        String reply = admin.call("BGREWRITEAOF").text();
        assertEquals("Background append only file rewriting started", reply);
        int expected = round + 1; // the first rewrite made the AOF when the node started
        Await.until("rewrite " + round + " done", TIMEOUT,
            () -> admin.infoField("persistence", "aof_rewrites").equals(Integer.toString(expected))
                && admin.infoField("persistence", "aof_rewrite_in_progress").equals("0"));
      }
      long after = writes.get();
      Await.until("writes after the last rewrite", TIMEOUT, () -> writes.get() > after + 200);
      stop.set(true);
      writer.join();
      List<String> files = List.of(aofDir().toFile().list());
      assertEquals(3, files.size(), "base, incr and manifest only: " + files);
    }
    try (NodeFixture second = start(); RespConnection c = second.connect()) {
      synchronized (acknowledged) {
        for (Map.Entry<String, Long> entry : acknowledged.entrySet()) {
          long found = entry.getKey().startsWith("counter:")
              ? Long.parseLong(c.call("GET", entry.getKey()).text()) : c.call("LLEN", entry.getKey()).integer();
          assertEquals(entry.getValue(), found, entry.getKey());
        }
      }
    }
  }

  @Test
  void transactionsAndFlushesReplayInTheirOrderAmongPlainWrites() {
    try (NodeFixture first = start(); RespConnection c = first.connect()) {
      for (int i = 0; i < 3000; i++) c.send("SET", "old:" + i, "x");
      for (int i = 0; i < 3000; i++) c.read();
      c.call("FLUSHALL");
      for (int i = 0; i < 3000; i++) c.send("RPUSH", "list:" + (i % 7), Integer.toString(i));
      for (int i = 0; i < 3000; i++) c.read();
      c.call("MULTI");
      c.call("SET", "{t}a", "1");
      c.call("INCR", "{t}b");
      assertEquals("*2\\r\\n+OK\\r\\n:1\\r\\n", c.call("EXEC").escaped(100));
      c.call("SELECT", "3");
      c.call("SET", "in3", "yes");
      c.call("SELECT", "0");
      c.call("DEL", "list:0");
    }
    try (NodeFixture second = start(); RespConnection c = second.connect()) {
      assertEquals(8, c.call("DBSIZE").integer(), "6 lists and the transaction's 2 keys");
      assertEquals(429, c.call("LLEN", "list:1").integer());
      assertEquals("2999", c.call("LINDEX", "list:3", "-1").text());
      assertEquals("1", c.call("GET", "{t}b").text());
      c.call("SELECT", "3");
      assertEquals("yes", c.call("GET", "in3").text());
    }
  }

  @Test
  void theFilesAreRewrittenByThemselvesWhenTheyDoubled() {
    try (NodeFixture node = start("auto-aof-rewrite-min-size", "20000", "auto-aof-rewrite-percentage", "100");
        RespConnection c = node.connect()) {
      String value = "v".repeat(100);
      // Overwriting the same keys grows the files while the data stays small: a rewrite shrinks them again.
      for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 100; i++) c.send("SET", "key:" + i, value);
        for (int i = 0; i < 100; i++) c.read();
      }
      // The rewritten files hold the data (about 12 kB), not its history (about 65 kB).
      Await.until("an automatic rewrite that shrank the files", TIMEOUT,
          () -> Long.parseLong(c.infoField("persistence", "aof_rewrites")) >= 2
              && c.infoField("persistence", "aof_rewrite_in_progress").equals("0")
              && Long.parseLong(c.infoField("persistence", "aof_current_size")) < 40_000);
    }
    try (NodeFixture second = start(); RespConnection c = second.connect()) {
      assertEquals(100, c.call("DBSIZE").integer());
    }
  }

  @Test
  void aTruncatedTailLoadsUpToTheLastWholeCommandAndIsCutOff() throws IOException {
    try (NodeFixture first = start(); RespConnection c = first.connect()) {
      for (int i = 0; i < 10; i++) c.call("SET", "key:" + i, "value-" + i);
    }
    Path incr = aofDir().resolve("appendonly.aof.1.incr.aof");
    long size = Files.size(incr);
    truncate(incr, size - 5); // inside the last SET
    try (NodeFixture second = start(); RespConnection c = second.connect()) {
      assertEquals(9, c.call("DBSIZE").integer());
      assertEquals("value-8", c.call("GET", "key:8").text());
      c.call("SET", "after", "restart");
    }
    try (NodeFixture third = start(); RespConnection c = third.connect()) {
      assertEquals(10, c.call("DBSIZE").integer());
      assertEquals("restart", c.call("GET", "after").text());
    }
    truncate(incr, Files.size(incr) - 3);
    CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
        () -> start("aof-load-truncated", "no"));
    assertTrue(refused.getMessage().contains("Unexpected end of file reading the append only file"),
        refused.getMessage());
  }

  @Test
  void aCorruptMiddleStopsTheStartWithRedisMessage() throws IOException {
    try (NodeFixture first = start(); RespConnection c = first.connect()) {
      for (int i = 0; i < 10; i++) c.call("SET", "key:" + i, "value-" + i);
    }
    Path incr = aofDir().resolve("appendonly.aof.1.incr.aof");
    byte[] bytes = Files.readAllBytes(incr);
    int middle = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("*3", bytes.length / 2);
    bytes[middle] = '!';
    Files.write(incr, bytes);
    CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
        this::start);
    assertTrue(refused.getMessage().contains("Bad file format reading the append only file"), refused.getMessage());
  }

  @Test
  void aBadManifestStopsTheStartWithRedisMessage() throws IOException {
    try (NodeFixture first = start(); RespConnection c = first.connect()) {
      c.call("SET", "a", "1");
    }
    Files.writeString(aofDir().resolve("appendonly.aof.manifest"), "garbage\n");
    CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
        this::start);
    assertTrue(refused.getMessage().contains("Invalid AOF manifest file format"), refused.getMessage());
  }

  @Test
  void configSetTurnsTheAofOnWithARewriteOfWhatTheNodeHolds() {
    try (NodeFixture first = start("appendonly", "no"); RespConnection c = first.connect()) {
      for (int i = 0; i < 100; i++) c.call("SET", "key:" + i, "value-" + i);
      assertFalse(Files.exists(aofDir()));
      assertEquals("+OK\\r\\n", c.call("CONFIG", "SET", "appendonly", "yes").escaped(100));
      // As Redis, from the reply on the first rewrite is scheduled, under way or done: a wait on the first two holds.
      String info = c.call("INFO", "persistence").text();
      String rewrite = field(info, "aof_rewrite_scheduled") + field(info, "aof_rewrite_in_progress")
          + field(info, "aof_rewrites");
      assertTrue(rewrite.matches("1.0|.10|001"), "scheduled, in progress, done: " + rewrite);
      Await.until("first rewrite done", TIMEOUT, () -> c.infoField("persistence", "aof_rewrites").equals("1"));
      c.call("SET", "later", "1");
    }
    try (NodeFixture second = start(); RespConnection c = second.connect()) {
      assertEquals(101, c.call("DBSIZE").integer());
    }
  }

  private static String field(String info, String name) {
    return info.lines().filter(line -> line.startsWith(name + ":")).map(line -> line.substring(name.length() + 1))
        .findFirst().orElse("?");
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }
}
