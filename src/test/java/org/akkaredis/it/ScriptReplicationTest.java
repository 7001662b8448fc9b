package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.LocalCluster;
import org.akkaredis.it.support.LocalCluster.Member;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A script's writes reach the replica as their effects, not as the script: a master and its replica (a one-master
 * cluster of two nodes in this JVM) end with the same DEBUG DIGEST after scripts whose writes depend on SPOP's and
 * SRANDMEMBER's random picks, TIME, INCRBYFLOAT and relative TTLs; a script that fails midway keeps the writes it did before the
 * error on both; redis.set_repl chooses what the replica gets; and after the master is lost, the promoted replica serves what WAIT acknowledged. The failover
 * runs last, since it ends the pair.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScriptReplicationTest {
  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);

  /** Writes that differ from run to run; only their effects can make the replica the same. */
  static final List<String[]> RANDOM_WRITES = List.of(
      new String[] {"local m = redis.call('spop', KEYS[1]) redis.call('rpush', KEYS[2], m) return m", "2",
          "{s}pool", "{s}popped"},
      new String[] {"return redis.call('spop', KEYS[1], 3)", "1", "{s}pool"},
      new String[] {"local m = redis.call('srandmember', KEYS[1]) redis.call('set', KEYS[2], m) "
          + "redis.call('sadd', KEYS[3], m) return m", "3", "{s}pool", "{s}picked", "{s}picks"},
      new String[] {"local t = redis.call('time') redis.call('hset', KEYS[1], 'sec', t[1], 'usec', t[2]) "
          + "redis.call('zadd', KEYS[2], t[2], t[1] .. '.' .. t[2]) return t[2]", "2", "{s}clock", "{s}clocks"},
      new String[] {"redis.call('incrbyfloat', KEYS[1], ARGV[1]) return redis.call('incrbyfloat', KEYS[1], ARGV[2])",
          "1", "{s}float", "0.1", "1.0e-3"},
      new String[] {"return redis.call('set', KEYS[1], tostring(math.random()) .. redis.call('randomkey'))", "1",
          "{s}random"},
      new String[] {"redis.call('set', KEYS[1], 'v', 'EX', 1000) redis.call('expire', KEYS[2], 500) "
          + "return redis.call('setex', KEYS[3], 700, 'w')", "3", "{s}ex", "{s}float", "{s}setex"});

  private static LocalCluster cluster;

  @BeforeAll
  static void createPair() {
    cluster = LocalCluster.start(2, 5000);
    cluster.create(1);
    Await.until("the replica in sync", SYNC_TIMEOUT,
        () -> info(replica(), "master_link_status").equals("up") && info(master(), "slave0").contains("online"));
  }

  @AfterAll
  static void stopPair() {
    if (cluster != null) cluster.close();
  }

  private static Member master() {
    return cluster.member(0);
  }

  private static Member replica() {
    return cluster.member(1);
  }

  private static String info(Member member, String field) {
    return member.call("info", "replication").lines().filter(line -> line.startsWith(field + ":"))
        .map(line -> line.substring(field.length() + 1)).findFirst().orElse("");
  }

  private static RespReply call(Member member, String... args) {
    try (RespConnection connection = RespConnection.open(member.port)) {
      connection.call("readonly");
      return connection.call(args);
    }
  }

  static void runRandomWrites(RespConnection connection) {
    String[] members = new String[52];
    members[0] = "sadd";
    members[1] = "{s}pool";
    for (int i = 0; i < 50; i++) members[i + 2] = "m" + i;
    connection.call(members);
    for (int round = 0; round < 5; round++) {
      for (String[] script : RANDOM_WRITES) {
        String[] eval = new String[script.length + 1];
        eval[0] = "eval";
        System.arraycopy(script, 0, eval, 1, script.length);
        RespReply reply = connection.call(eval);
        assertTrue(!reply.isError(), String.join(" ", eval) + ": " + reply);
      }
    }
  }

  /** WAIT for the replica, then both digests, which must be equal and not empty. */
  private static void assertReplicaIdentical() {
    try (RespConnection connection = RespConnection.open(master().port)) {
      assertEquals(1, connection.call("wait", "1", "10000").integer(), "WAIT counts the replica");
    }
    String digest = master().call("debug", "digest");
    assertNotEquals("0000000000000000000000000000000000000000", digest);
    assertEquals(digest, replica().call("debug", "digest"), "the replica's dataset differs from its master's");
  }

  @Test
  @Order(1)
  void randomAndTimeDependentScriptWritesLeaveTheReplicaIdentical() {
    try (RespConnection connection = RespConnection.open(master().port)) {
      runRandomWrites(connection);
    }
    assertReplicaIdentical();
    assertEquals(call(master(), "smembers", "{s}pool").texts().stream().sorted().toList(),
        call(replica(), "smembers", "{s}pool").texts().stream().sorted().toList());
    assertEquals(call(master(), "get", "{s}float").toString(), call(replica(), "get", "{s}float").toString());
  }

  /** Redis keeps a script's writes before a failing redis.call (no rollback) and propagates exactly those. */
  @Test
  @Order(2)
  void aScriptFailingMidwayKeepsItsEarlierWritesOnTheReplica() {
    try (RespConnection connection = RespConnection.open(master().port)) {
      connection.call("set", "{e}text", "not a number");
      RespReply reply = connection.call("eval", "redis.call('set', KEYS[1], 'before') redis.call('rpush', KEYS[2], 'x') "
          + "redis.call('incr', KEYS[3]) redis.call('set', KEYS[4], 'after') return 1", "4",
          "{e}a", "{e}list", "{e}text", "{e}b");
      assertTrue(reply.text().startsWith("ERR value is not an integer or out of range script: "), reply.toString());
      assertEquals("before", connection.call("get", "{e}a").text());
      assertEquals(0, connection.call("exists", "{e}b").integer());
    }
    assertReplicaIdentical();
    assertEquals("before", call(replica(), "get", "{e}a").text());
    assertEquals(List.of("x"), call(replica(), "lrange", "{e}list", "0", "-1").texts());
    assertEquals(0, call(replica(), "exists", "{e}b").integer());
  }

  /**
   * redis.set_repl: REPL_NONE's and REPL_AOF's writes stay on the master (which has no AOF here), REPL_REPLICA's
   * and REPL_ALL's reach the replica. The keys only the master has are deleted afterwards, as the test ends.
   */
  @Test
  @Order(3)
  void setReplChoosesWhatTheReplicaGets() {
    try (RespConnection connection = RespConnection.open(master().port)) {
      assertEquals("OK", connection.call("eval", "redis.set_repl(redis.REPL_NONE) redis.call('set', KEYS[1], 'nowhere') "
          + "redis.set_repl(redis.REPL_AOF) redis.call('set', KEYS[2], 'aof only') "
          + "redis.set_repl(redis.REPL_REPLICA) redis.call('set', KEYS[3], 'replica only') "
          + "redis.set_repl(redis.REPL_ALL) return redis.call('set', KEYS[4], 'both')", "4",
          "{r}none", "{r}aof", "{r}replica", "{r}all").text());
      assertEquals(1, connection.call("wait", "1", "10000").integer());
      assertEquals(4, connection.call("exists", "{r}none", "{r}aof", "{r}replica", "{r}all").integer());
    }
    assertEquals(List.of("", "", "replica only", "both"),
        call(replica(), "mget", "{r}none", "{r}aof", "{r}replica", "{r}all").elements().stream()
            .map(reply -> reply.isNull() ? "" : reply.text()).toList());
    master().call("del", "{r}none", "{r}aof");
    assertReplicaIdentical();
  }

  /**
   * A replica after READONLY runs scripts that only read, as redis-server 7.0.15 does (these replies are its, from a
   * master and replica of redis-server): EVAL_RO, a plain EVAL (no shebang: its writes are checked as it runs them,
   * failing with READONLY), a no-writes shebang; a shebang script without no-writes is redirected to the master.
   */
  @Test
  @Order(4)
  void aReplicaRunsReadingScriptsAfterReadonly() {
    try (RespConnection master = RespConnection.open(master().port)) {
      master.call("set", "{ro}k", "v");
      assertEquals(1, master.call("wait", "1", "10000").integer());
    }
    String slot = Long.toString(org.akkaredis.keyspace.Slots.slotOf("{ro}k".getBytes()));
    try (RespConnection replica = RespConnection.open(replica().port)) {
      assertEquals("OK", replica.call("readonly").text());
      assertEquals("v", replica.call("eval_ro", "return redis.call('get', KEYS[1])", "1", "{ro}k").text());
      assertEquals("v", replica.call("eval", "return redis.call('get', KEYS[1])", "1", "{ro}k").text());
      assertEquals("v", replica.call("eval", "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", "1",
          "{ro}k").text());
      assertEquals("MOVED " + slot + " 127.0.0.1:" + master().port,
          replica.call("eval", "#!lua\nreturn redis.call('set', KEYS[1], 'x')", "1", "{ro}k").text());
      assertEquals(1, replica.call("eval", "return 1", "0").integer());
      String written = replica.call("eval", "return redis.call('set', KEYS[1], 'x')", "1", "{ro}k").text();
      assertTrue(written.startsWith("READONLY You can't write against a read only replica. script: "), written);
    }
  }

  /** What a script wrote and WAIT acknowledged survives the master's loss: the replica, promoted, serves it. */
  @Test
  @Order(5)
  void thePromotedReplicaServesWhatWaitAcknowledged() {
    try (RespConnection connection = RespConnection.open(master().port)) {
      for (int i = 0; i < 20; i++) {
        connection.call("eval", "redis.call('incr', KEYS[1]) redis.call('rpush', KEYS[2], ARGV[1]) "
            + "return redis.call('hset', KEYS[3], ARGV[1], redis.call('time')[1])", "3", "{f}n", "{f}log", "{f}seen",
            "entry" + i);
      }
    }
    assertReplicaIdentical();
    String digest = master().call("debug", "digest");
    master().crash();
    Member promoted = replica();
    String[] reply = new String[1];
    Await.until("the replica takes over", SYNC_TIMEOUT,
        () -> (reply[0] = promoted.call("cluster", "failover", "takeover")).equals("OK"), () -> reply[0]);
    Await.until("the replica is master", SYNC_TIMEOUT, () -> promoted.myFlags().contains("master"),
        promoted::myFlags);
    try (RespConnection connection = RespConnection.open(promoted.port)) {
      assertEquals(digest, connection.call("debug", "digest").text());
      assertEquals("20", connection.call("get", "{f}n").text());
      assertEquals(20, connection.call("llen", "{f}log").integer());
      assertEquals(21, connection.call("eval", "return redis.call('incr', KEYS[1])", "1", "{f}n").integer(),
          "the promoted replica runs scripts that write");
    }
  }
}
