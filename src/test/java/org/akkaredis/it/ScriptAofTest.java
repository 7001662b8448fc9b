package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.DataSets;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.TempDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scripts in the append-only file: the node's AOF holds a script's writes as their effects, several wrapped in
 * MULTI/EXEC, byte for byte as redis-server 7.0 writes them for the same scripts (a script failing midway keeps
 * the writes before its error; SPOP becomes SREM, INCRBYFLOAT a SET ... KEEPTTL, EXAT a PXAT; a script that only
 * read writes nothing; redis.set_repl's REPL_NONE and REPL_REPLICA keep a write out of it); and after random and time-dependent scripts a restart from the AOF, and redis-server loading the same
 * files, reproduce the data.
 */
class ScriptAofTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Scripts whose effects are the same on every server and every run. */
  static final List<String[]> DETERMINISTIC = List.of(
      new String[] {"set", "{e}text", "not a number"},
      new String[] {"eval", "redis.call('set', KEYS[1], 'before') redis.call('rpush', KEYS[2], 'x') "
          + "redis.call('incr', KEYS[3]) redis.call('set', KEYS[4], 'after') return 1", "4",
          "{e}a", "{e}list", "{e}text", "{e}b"},
      new String[] {"eval", "return redis.call('set', KEYS[1], ARGV[1])", "1", "single", "write"},
      new String[] {"eval", "return redis.call('get', KEYS[1])", "1", "single"},
      new String[] {"sadd", "{o}one", "only"},
      new String[] {"eval", "local m = redis.call('spop', KEYS[1]) redis.call('rpush', KEYS[2], m) "
          + "return redis.call('llen', KEYS[2])", "2", "{o}one", "{o}popped"},
      new String[] {"eval", "redis.call('incrbyfloat', KEYS[1], '0.1') return redis.call('incrbyfloat', KEYS[1], '2.5')",
          "1", "float"},
      new String[] {"eval", "redis.call('hset', KEYS[1], 'a', 1, 'b', 2) redis.call('hdel', KEYS[1], 'a') "
          + "redis.call('hincrby', KEYS[1], 'b', 40) redis.call('del', KEYS[2]) return redis.call('hgetall', KEYS[1])",
          "2", "{h}hash", "{h}missing"},
      new String[] {"eval", "redis.call('select', 1) redis.call('set', KEYS[1], 'in db 1') return 1", "1", "other"},
      new String[] {"set", "back", "in db 0"},
      new String[] {"eval", "redis.call('set', KEYS[1], 'v', 'EXAT', '4102444800') "
          + "redis.call('expireat', KEYS[2], '4102444800') redis.call('getex', KEYS[1], 'PERSIST') "
          + "return redis.call('hincrbyfloat', KEYS[3], 'f', '1.5')", "3", "{t}s", "{h}hash", "{t}h"},
      new String[] {"rpush", "{b}list", "a", "b", "c"},
      new String[] {"zadd", "{b}zset", "1", "x", "2", "y"},
      new String[] {"eval", "redis.call('blpop', KEYS[1], 0) redis.call('brpoplpush', KEYS[1], KEYS[3], 0) "
          + "redis.call('bzpopmin', KEYS[2], 0) redis.call('zpopmax', KEYS[2]) "
          + "return redis.call('blpop', KEYS[1], KEYS[3], 0)", "3", "{b}list", "{b}zset", "{b}other"},
      new String[] {"eval", "redis.set_repl(redis.REPL_NONE) redis.call('set', KEYS[1], 'nowhere') "
          + "redis.set_repl(redis.REPL_AOF) redis.call('set', KEYS[2], 'aof only') "
          + "redis.set_repl(redis.REPL_REPLICA) redis.call('set', KEYS[3], 'replica only') "
          + "redis.set_repl(redis.REPL_ALL) return redis.call('set', KEYS[4], 'both')", "4",
          "{r}none", "{r}aof", "{r}replica", "{r}all"},
      new String[] {"eval", "redis.call('set', KEYS[1], 'v') return redis.call('del', KEYS[1])", "1", "{g}gone"},
      new String[] {"eval", "redis.call('set', KEYS[1], 'v') return redis.call('publish', 'channel', 'message')", "1",
          "{p}published"},
      new String[] {"eval", "redis.call('publish', 'channel', 'message') redis.call('set', KEYS[1], 'v') "
          + "return redis.call('set', KEYS[2], 'w')", "2", "{p}a", "{p}b"},
      new String[] {"eval", "redis.call('flushdb') return redis.call('set', KEYS[1], 'after flush')", "1", "last"});

  private Path nodeDir;
  private Path redisDir;

  @BeforeEach
  void createDirs() {
    nodeDir = TempDirs.create("script-aof-node-");
    redisDir = TempDirs.create("script-aof-redis-");
  }

  @AfterEach
  void deleteDirs() {
    TempDirs.delete(nodeDir);
    TempDirs.delete(redisDir);
  }

  private static Map<String, String> aofSettings(Path dir) {
    return Map.of("dir", dir.toString(), "appendonly", "yes", "appendfsync", "always", "enable-debug-command", "local");
  }

  private NodeFixture startNode() {
    NodeFixture node = NodeFixture.startAsync(false, aofSettings(nodeDir)).join();
    try (RespConnection c = node.connect()) {
      Await.until("the node's first AOF written", TIMEOUT,
          () -> c.infoField("persistence", "aof_rewrite_in_progress").equals("0") && incrFile(nodeDir) != null);
    }
    return node;
  }

  /** The one incremental file of a fresh AOF, or null before it exists. */
  private static Path incrFile(Path dir) {
    try (Stream<Path> files = Files.list(dir.resolve("appendonlydir"))) {
      List<Path> incr = files.filter(f -> f.getFileName().toString().endsWith(".incr.aof")).toList();
      return incr.size() == 1 ? incr.get(0) : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String incrText(Path dir) {
    try {
      return new String(Files.readAllBytes(incrFile(dir)), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void runAll(RedisEndpoint server, List<String[]> commands) {
    try (RespConnection c = server.connect()) {
      for (String[] command : commands) c.call(command);
    }
  }

  private static String resp(String... args) {
    return new String(RespConnection.encode(args), StandardCharsets.ISO_8859_1);
  }

  @Test
  void theAofHoldsAScriptsEffectsAsRedisWritesThem() {
    try (NodeFixture node = startNode();
        RedisServerFixture redis = RedisServerFixture.start(false, aofSettings(redisDir))) {
      runAll(node, DETERMINISTIC);
      runAll(redis, DETERMINISTIC);
      String expected = incrText(redisDir);
      String keptBeforeTheError = String.join("", List.of(resp("MULTI"), resp("set", "{e}a", "before"),
          resp("rpush", "{e}list", "x"), resp("EXEC")));
      assertTrue(expected.contains(keptBeforeTheError), "redis-server keeps the writes before the error: "
          + RespReply.escape(expected.getBytes(StandardCharsets.ISO_8859_1), 2000));
      assertEquals(RespReply.escape(expected.getBytes(StandardCharsets.ISO_8859_1), 100_000),
          RespReply.escape(incrText(nodeDir).getBytes(StandardCharsets.ISO_8859_1), 100_000));
    }
  }

  @Test
  void randomScriptWritesComeBackFromTheAofOnTheNodeAndOnRedis() {
    String digest;
    try (NodeFixture node = startNode(); RespConnection c = node.connect()) {
      runAll(node, DETERMINISTIC);
      ScriptReplicationTest.runRandomWrites(c);
      digest = c.call("debug", "digest").text();
    }
    try (NodeFixture restarted = NodeFixture.startAsync(false, aofSettings(nodeDir)).join();
        RespConnection c = restarted.connect()) {
      assertEquals(digest, c.call("debug", "digest").text(), "the restart from the AOF reproduces the data");
      try (RedisServerFixture redis = RedisServerFixture.start(false, Map.of("dir", nodeDir.toString(),
          "appendonly", "yes", "enable-debug-command", "local")); RespConnection r = redis.connect()) {
        DataSets.assertSameData(c, r);
        assertEquals(digest, r.call("debug", "digest").text(), "redis-server loads the same data from the files");
      }
    }
  }
}
