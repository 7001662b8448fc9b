package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.SmallDisk;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The checks Redis makes before a script runs (processCommand with the flags its shebang gives EVAL and FCALL, then
 * scriptPrepareForRun) and before each redis.call (scriptCall): read-only scripts and *_RO commands, and maxmemory
 * (-OOM at the start of a script without allow-oom or no-writes, or at its first denyoom command until it wrote),
 * side by side with redis-server, every reply compared whole.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScriptChecksDifferentialTest {
  private Servers.NodeAndRedis servers;

  private static final String LIBRARY = "#!lua name=checks\n"
      + "redis.register_function('fset', function(keys, args) return redis.call('set', keys[1], args[1]) end)\n"
      + "redis.register_function{function_name='fset_oom', callback=function(keys, args) "
      + "return redis.call('set', keys[1], args[1]) end, flags={'allow-oom'}}\n"
      + "redis.register_function{function_name='fget', callback=function(keys) return redis.call('get', keys[1]) end, "
      + "flags={'no-writes'}}\n";

  @BeforeAll
  void start() {
    servers = Servers.nodeAndRedis(false, Map.of());
  }

  @AfterAll
  void stop() {
    servers.close();
  }

  private void compare(String[][] commands) {
    assertEquals(run(servers.redis(), commands), run(servers.node(), commands));
  }

  private static List<String> run(RedisEndpoint server, String[][] commands) {
    List<String> replies = new ArrayList<>();
    try (RespConnection c = server.connect()) {
      c.call("FLUSHALL");
      c.call("FUNCTION", "FLUSH");
      c.call("FUNCTION", "LOAD", LIBRARY);
      for (String[] command : commands) replies.add(String.join(" ", command) + " -> " + c.call(command));
      c.call("CONFIG", "SET", "maxmemory", "0");
    }
    return replies;
  }

  @Test
  void readOnlyScriptsAndCommands() {
    compare(new String[][] {
        {"SET", "k", "v"},
        {"EVAL_RO", "return redis.call('set', KEYS[1], 'w')", "1", "k"},
        {"EVAL_RO", "return redis.call('publish', 'c', 'm')", "0"},
        {"EVAL_RO", "return redis.call('get', KEYS[1])", "1", "k"},
        {"EVAL_RO", "#!lua\nreturn redis.call('get', KEYS[1])", "1", "k"},
        {"EVAL_RO", "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", "1", "k"},
        {"EVAL", "#!lua flags=no-writes\nreturn redis.call('set', KEYS[1], 'w')", "1", "k"},
        {"EVAL", "#!lua flags=no-writes\nreturn redis.call('publish', 'c', 'm')", "0"},
        {"EVAL", "#!lua flags=no-writes\nreturn redis.pcall('incr', KEYS[1])", "1", "k"},
        {"EVALSHA_RO", "0000000000000000000000000000000000000000", "0"},
        {"FCALL_RO", "fset", "1", "k", "w"},
        {"FCALL_RO", "fget", "1", "k"},
        {"FCALL", "fget", "1", "k"},
        {"GET", "k"},
        {"MULTI"},
        {"EVAL", "return redis.call('incr', KEYS[1])", "1", "n"},
        {"EVAL_RO", "return redis.call('incr', KEYS[1])", "1", "n"},
        {"FCALL", "fset", "1", "k", "in-multi"},
        {"EXEC"},
        {"GET", "k"},
    });
  }

  /**
   * A failed BGSAVE (its disk full) with save rules and stop-writes-on-bgsave-error: a script that may write is
   * refused MISCONF before it runs; one without a shebang runs and its first write is refused inside. Each server
   * on a small disk of its own.
   */
  @Test
  void whenTheSnapshotFailed() {
    String[][] commands = {
        {"EVAL", "return redis.call('set', KEYS[1], 'w')", "1", "k"},
        {"EVAL", "return redis.pcall('set', KEYS[1], 'w')", "1", "k"},
        {"EVAL", "redis.call('get', KEYS[1]) return redis.call('get', KEYS[1])", "1", "k"},
        {"EVAL", "#!lua\nreturn 1", "0"},
        {"EVAL", "#!lua flags=allow-oom\nreturn 1", "0"},
        {"EVAL", "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", "1", "k"},
        {"EVAL_RO", "#!lua\nreturn 1", "0"},
        {"FCALL", "fset", "1", "k", "z"},
        {"FCALL", "fget", "1", "k"},
    };
    List<String> redis;
    try (SmallDisk disk = SmallDisk.mount("script-misconf-redis-", 1 << 20);
        RedisServerFixture server = RedisServerFixture.start(false, settingsOn(disk))) {
      redis = failedSnapshot(server, disk, commands);
    }
    assertEquals(6, redis.stream().filter(reply -> reply.contains("MISCONF")).count(), redis.toString());
    try (SmallDisk disk = SmallDisk.mount("script-misconf-node-", 1 << 20);
        NodeFixture server = NodeFixture.startAsync(false, settingsOn(disk)).join()) {
      assertEquals(redis, failedSnapshot(server, disk, commands));
    }
  }

  private static Map<String, String> settingsOn(SmallDisk disk) {
    return Map.of("dir", disk.dir().toString(), "save", "3600 1");
  }

  private static List<String> failedSnapshot(RedisEndpoint server, SmallDisk disk, String[][] commands) {
    List<String> replies = new ArrayList<>();
    try (RespConnection c = server.connect()) {
      c.call("FUNCTION", "LOAD", LIBRARY);
      c.call("SET", "k", "v".repeat(4000)); // the snapshot needs more than the disk keeps after fill()
      disk.fill();
      c.call("BGSAVE");
      Await.until("the snapshot to fail", Duration.ofSeconds(20),
          () -> c.infoField("persistence", "rdb_last_bgsave_status").equals("err")
              && c.infoField("persistence", "rdb_bgsave_in_progress").equals("0"));
      for (String[] command : commands) replies.add(String.join(" ", command) + " -> " + c.call(command));
      c.call("CONFIG", "SET", "save", "");
      replies.add("no save rules -> " + c.call("EVAL", "#!lua\nreturn redis.call('del', KEYS[1])", "1", "k"));
    }
    return replies;
  }

  @Test
  void overMaxmemory() {
    compare(new String[][] {
        {"SET", "k", "v"},
        {"CONFIG", "SET", "maxmemory", "1"},
        {"EVAL", "return redis.call('set', KEYS[1], 'w')", "1", "k"},
        {"EVAL", "return redis.pcall('set', KEYS[1], 'w')", "1", "k"},
        {"EVAL", "return redis.call('get', KEYS[1])", "1", "k"},
        {"EVAL", "redis.call('del', KEYS[2]) return redis.call('set', KEYS[1], 'x')", "2", "k", "other"},
        {"EVAL", "#!lua\nreturn redis.call('get', KEYS[1])", "1", "k"},
        {"EVAL", "#!lua flags=allow-oom\nreturn redis.call('set', KEYS[1], 'y')", "1", "k"},
        {"EVAL", "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", "1", "k"},
        {"EVAL_RO", "#!lua\nreturn redis.call('get', KEYS[1])", "1", "k"},
        {"FCALL", "fset", "1", "k", "z"},
        {"FCALL", "fset_oom", "1", "k", "z"},
        {"FCALL", "fget", "1", "k"},
        {"CONFIG", "SET", "maxmemory", "0"},
        {"EVAL", "#!lua\nreturn redis.call('set', KEYS[1], 'after')", "1", "k"},
        {"GET", "k"},
    });
  }
}
