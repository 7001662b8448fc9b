package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.LocalCluster;
import org.akkaredis.it.support.LocalCluster.Member;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.TempDirs;
import org.akkaredis.keyspace.Slots;
import org.akkaredis.replication.ReplicationSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Six nodes in this JVM, 3 masters with a replica each, over real remoting: writes reach the replicas as their
 * effects, WAIT counts the replicas that have them, a replica restarted empty gets everything by a full sync, one
 * whose stream was lost for a while continues from the backlog, and a delayed stream holds WAIT back.
 */
class ReplicationTest {
  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);
  private static LocalCluster cluster;

  @BeforeAll
  static void createCluster() {
    cluster = LocalCluster.start(6, 5000);
    cluster.create(3);
    for (int i = 0; i < 3; i++) awaitLinkUp(i);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  @AfterEach
  void backToHealthy() {
    for (int i = 0; i < 3; i++) {
      master(i).node().replication().tell(ReplicationSource.InjectFaults.NONE);
      call(master(i), "config", "set", "min-replicas-to-write", "0");
    }
  }

  private static Member master(int i) {
    return cluster.member(i);
  }

  private static Member replicaOf(int i) {
    return cluster.member(i + 3);
  }

  private static RespReply call(Member member, String... args) {
    try (RespConnection connection = RespConnection.open(member.port)) {
      return connection.call(args);
    }
  }

  /** Reads on a replica, which serves its master's slots after READONLY. */
  private static RespReply readOnReplica(Member replica, String... args) {
    try (RespConnection connection = RespConnection.open(replica.port)) {
      assertEquals("OK", connection.call("readonly").text());
      return connection.call(args);
    }
  }

  private static String infoField(Member member, String section, String field) {
    return call(member, "info", section).text().lines().filter(line -> line.startsWith(field + ":"))
        .map(line -> line.substring(field.length() + 1)).findFirst().orElse("");
  }

  private static void awaitLinkUp(int master) {
    Await.until("replica of master " + master + " in sync", SYNC_TIMEOUT,
        () -> replicaOf(master).running() && infoField(replicaOf(master), "replication", "master_link_status").equals("up")
            && infoField(master(master), "replication", "slave0").contains("state=online"));
  }

  /** Keys spread over the slots the i-th master serves (LocalCluster.create's ranges, as redis-cli's). */
  private static List<String> keysOf(int master, int count) {
    long first = Math.round(Slots.COUNT * master / 3.0);
    long last = Math.round(Slots.COUNT * (master + 1) / 3.0) - 1;
    List<String> keys = new ArrayList<>();
    for (int n = 0; keys.size() < count; n++) {
      String key = "k" + master + ":" + n;
      int slot = Slots.slotOf(key.getBytes());
      if (slot >= first && slot <= last) keys.add(key);
    }
    return keys;
  }

  private static void setAll(Member master, List<String> keys, String prefix) {
    try (RespConnection connection = RespConnection.open(master.port)) {
      for (String key : keys) connection.send("set", key, prefix + key);
      for (String key : keys) assertEquals("OK", connection.read().text(), key);
    }
  }

  @Test
  void everyTypeOfWriteReachesTheReplicaAndWaitCountsIt() {
    Member master = master(1);
    Member replica = replicaOf(1);
    assertEquals(5798, Slots.slotOf("name".getBytes()));
    try (RespConnection connection = RespConnection.open(master.port)) {
      assertEquals("OK", connection.call("set", "name", "tom").text());
      connection.call("expire", "name", "1000");
      connection.call("rpush", "{name}l", "a", "b", "c");
      connection.call("lpop", "{name}l");
      connection.call("sadd", "{name}s", "x", "y");
      connection.call("zadd", "{name}z", "1.5", "m", "2", "n");
      connection.call("hset", "{name}h", "f", "v");
      connection.call("incrbyfloat", "{name}f", "1.25");
      connection.call("set", "{name}gone", "x", "px", "1");
      assertEquals(1, connection.call("wait", "1", "5000").integer());
    }
    assertEquals("tom", readOnReplica(replica, "get", "name").text());
    long ttl = readOnReplica(replica, "pttl", "name").integer();
    assertTrue(ttl > 900_000 && ttl <= 1_000_000, "the TTL travels as an absolute time: " + ttl);
    assertEquals(List.of("b", "c"), readOnReplica(replica, "lrange", "{name}l", "0", "-1").texts());
    assertEquals(List.of("x", "y"), readOnReplica(replica, "smembers", "{name}s").texts().stream().sorted().toList());
    assertEquals(List.of("m", "1.5", "n", "2"), readOnReplica(replica, "zrange", "{name}z", "0", "-1", "withscores").texts());
    assertEquals(List.of("f", "v"), readOnReplica(replica, "hgetall", "{name}h").texts());
    assertEquals("1.25", readOnReplica(replica, "get", "{name}f").text());
    assertTrue(readOnReplica(replica, "get", "{name}gone").isNull());
    assertEquals(infoField(master, "replication", "master_repl_offset"),
        infoField(replica, "replication", "master_repl_offset"), () -> call(master, "info", "replication").text()
        + "\n" + call(replica, "info", "replication").text());
  }

  @Test
  void aReplicaKeepsWhatItAppliesInItsOwnAof() throws Exception {
    Member master = master(2);
    Member replica = replicaOf(2);
    List<String> before = keysOf(2, 50).subList(0, 25);
    List<String> after = keysOf(2, 50).subList(25, 50);
    setAll(master, before, "aof-");
    assertEquals(1, call(master, "wait", "1", "5000").integer());
    // Turned on, the replica's AOF starts with a rewrite of what it holds, then records what its master sends.
    assertEquals("OK", call(replica, "config", "set", "appendonly", "yes").text());
    Await.until("the replica's first AOF rewrite", SYNC_TIMEOUT,
        () -> infoField(replica, "persistence", "aof_rewrites").equals("1"));
    setAll(master, after, "aof-");
    String counter = "{" + after.get(0) + "}counter";
    assertEquals(1, call(master, "incr", counter).integer());
    assertEquals(1, call(master, "wait", "1", "5000").integer());
    assertEquals("OK", call(replica, "config", "set", "appendonly", "no").text());
    Await.until("the replica's AOF closed", SYNC_TIMEOUT,
        () -> infoField(replica, "persistence", "aof_enabled").equals("0"));
    Path copy = TempDirs.create("replica-aof-");
    try {
      Files.createDirectories(copy.resolve("appendonlydir"));
      try (var files = Files.list(replica.dir.resolve("appendonlydir"))) {
        for (Path file : files.toList()) Files.copy(file, copy.resolve("appendonlydir").resolve(file.getFileName()));
      }
      try (RedisServerFixture redis = RedisServerFixture.start(false, Map.of("dir", copy.toString(),
          "appendonly", "yes")); RespConnection r = redis.connect()) {
        for (String key : before) assertEquals("aof-" + key, r.call("get", key).text(), key);
        for (String key : after) assertEquals("aof-" + key, r.call("get", key).text(), key);
        assertEquals("1", r.call("get", counter).text());
      }
    } finally {
      TempDirs.delete(copy);
    }
  }

  @Test
  void infoAndRoleDescribeBothEndsOfTheLink() {
    Member master = master(0);
    Member replica = replicaOf(0);
    assertEquals("master", infoField(master, "replication", "role"));
    assertEquals("1", infoField(master, "replication", "connected_slaves"));
    assertTrue(infoField(master, "replication", "slave0").startsWith("ip=127.0.0.1,port=" + replica.port
        + ",state=online,offset="), infoField(master, "replication", "slave0"));
    assertEquals("slave", infoField(replica, "replication", "role"));
    assertEquals("127.0.0.1", infoField(replica, "replication", "master_host"));
    assertEquals("" + master.port, infoField(replica, "replication", "master_port"));
    assertEquals("up", infoField(replica, "replication", "master_link_status"));

    RespReply role = call(master, "role");
    assertEquals("master", role.get(0).text());
    assertEquals(List.of("127.0.0.1", "" + replica.port), role.get(2).get(0).texts().subList(0, 2));
    RespReply replicaRole = call(replica, "role");
    assertEquals(List.of("slave", "127.0.0.1"), replicaRole.texts().subList(0, 2));
    assertEquals(master.port, replicaRole.get(2).integer());
    assertEquals("connected", replicaRole.get(3).text());
    assertTrue(call(replica, "wait", "1", "0").text().startsWith("ERR WAIT cannot be used with replica instances."));
  }

  @Test
  void minReplicasToWriteRefusesWritesWithoutEnoughGoodReplicas() {
    Member master = master(2);
    String key = keysOf(2, 1).get(0);
    call(master, "config", "set", "min-replicas-to-write", "2");
    assertEquals("NOREPLICAS Not enough good replicas to write.", call(master, "set", key, "v").text());
    assertEquals("OK", call(master, "config", "set", "min-replicas-to-write", "1").text());
    assertEquals("OK", call(master, "set", key, "v").text());
  }

  /**
   * Redis's cluster test 14-consistency-check: a replica restarted from its own RDB, then from its own AOF, still
   * has the keys that expired while it was down (a replica never drops a key by itself, and its master may still
   * send commands that need them), hides them from reads, and loses them when its master's active expiry sends the
   * DELs.
   */
  @Test
  void aReplicaRestartedFromItsFilesKeepsTheKeysThatExpiredMeanwhileUntilItsMastersDels() {
    Member master = master(1);
    Member replica = replicaOf(1);
    // Each round's keys share a slot of master 1 that nothing else writes: COUNTKEYSINSLOT counts the keys stored
    // there, expired or not, as DBSIZE does, without the other tests' keys (one of them expires meanwhile).
    List<String> tags = new ArrayList<>();
    for (int n = 0; tags.size() < 2; n++) {
      String tag = "{expired-meanwhile-" + n + "}";
      int slot = Slots.slotOf(tag.getBytes());
      if (slot > Slots.COUNT / 3 + 10 && slot < 2 * Slots.COUNT / 3 - 10) tags.add(tag);
    }
    try {
      for (boolean aof : new boolean[] {false, true}) {
        String tag = tags.get(aof ? 1 : 0);
        String slot = "" + Slots.slotOf(tag.getBytes());
        if (aof) {
          assertEquals("OK", call(replica, "config", "set", "appendonly", "yes").text());
          Await.until("the replica's first AOF rewrite", SYNC_TIMEOUT,
              () -> infoField(replica, "persistence", "aof_rewrite_scheduled").equals("0")
                  && infoField(replica, "persistence", "aof_rewrite_in_progress").equals("0"));
        }
        long expireAt = System.currentTimeMillis() + 1000;
        try (RespConnection connection = RespConnection.open(master.port)) {
          for (int i = 0; i < 20; i++) {
            assertEquals("OK", connection.call("set", tag + i, "v", "pxat", "" + expireAt).text());
          }
        }
        assertEquals(1, call(master, "wait", "1", "5000").integer());
        assertEquals(20, call(replica, "cluster", "countkeysinslot", slot).integer());
        if (!aof) assertEquals("OK", call(replica, "save").text());
        replica.shutdown();
        assertEquals("OK", call(master, "debug", "set-active-expire", "0").text());
        Await.until("the keys' time has passed", SYNC_TIMEOUT, () -> System.currentTimeMillis() > expireAt);
        replica.start(aof ? Map.of("appendonly", "yes") : Map.of());
        assertEquals(20, call(replica, "cluster", "countkeysinslot", slot).integer(), "loaded, appendonly=" + aof);
        assertEquals(0, infoFieldLong(replica, "rdb_last_load_keys_expired"), "none left out");
        awaitLinkUp(1);
        assertEquals(20, call(replica, "cluster", "countkeysinslot", slot).integer(), "after the sync with its master");
        assertTrue(readOnReplica(replica, "get", tag + 0).isNull(), "hidden from reads");
        assertEquals("OK", call(master, "debug", "set-active-expire", "1").text());
        Await.until("the master's DELs reach the replica", SYNC_TIMEOUT,
            () -> call(replica, "cluster", "countkeysinslot", slot).integer() == 0);
      }
    } finally {
      call(master, "debug", "set-active-expire", "1");
      if (replica.running()) call(replica, "config", "set", "appendonly", "no");
    }
  }

  private static long infoFieldLong(Member member, String field) {
    return Long.parseLong(infoField(member, "persistence", field));
  }

  @Test
  void aReplicaRestartedEmptyGetsEverythingByAFullSync() {
    Member master = master(0);
    Member replica = replicaOf(0);
    long fullBefore = Long.parseLong(infoField(master, "stats", "sync_full"));
    replica.crash();
    List<String> keys = keysOf(0, 3000);
    setAll(master, keys, "v");
    // Every type in the snapshot's RDB chunks, and a list too big for one chunk (it goes as commands).
    String tag = "{" + keys.get(0) + "}";
    try (RespConnection connection = RespConnection.open(master.port)) {
      for (int i = 0; i < 30_000; i += 500) {
        List<String> push = new ArrayList<>(List.of("rpush", tag + "big"));
        for (int j = i; j < i + 500; j++) push.add("element-" + j);
        connection.call(push.toArray(String[]::new));
      }
      connection.call("zadd", tag + "z", "1.5", "a", "-2", "b");
      connection.call("hset", tag + "h", "f", "v", "n", "7");
      connection.call("sadd", tag + "s", "1", "2", "x");
      connection.call("pexpire", tag + "h", "900000");
    }
    replica.start();
    awaitLinkUp(0);
    assertEquals(1, call(master, "wait", "1", "10000").integer());
    assertTrue(Long.parseLong(infoField(master, "stats", "sync_full")) > fullBefore);
    assertEquals(call(master, "dbsize").integer(), call(replica, "dbsize").integer());
    for (String key : keys.subList(0, 50)) assertEquals("v" + key, readOnReplica(replica, "get", key).text());
    assertEquals(30_000, readOnReplica(replica, "llen", tag + "big").integer());
    assertEquals(List.of("element-0", "element-29999"), List.of(readOnReplica(replica, "lindex", tag + "big", "0").text(),
        readOnReplica(replica, "lindex", tag + "big", "-1").text()));
    assertEquals(List.of("b", "-2", "a", "1.5"), readOnReplica(replica, "zrange", tag + "z", "0", "-1", "withscores").texts());
    assertEquals(List.of("f", "v", "n", "7"), readOnReplica(replica, "hgetall", tag + "h").texts());
    assertEquals(List.of("1", "2", "x"), readOnReplica(replica, "smembers", tag + "s").texts().stream().sorted().toList());
    assertTrue(readOnReplica(replica, "pttl", tag + "h").integer() > 0, "the TTL came with the key");
  }

  @Test
  void aReplicaWhoseStreamWasLostForAWhileContinuesFromTheBacklog() {
    Member master = master(2);
    Member replica = replicaOf(2);
    long partialBefore = Long.parseLong(infoField(master, "stats", "sync_partial_ok"));
    long fullBefore = Long.parseLong(infoField(master, "stats", "sync_full"));
    master.node().replication().tell(new ReplicationSource.InjectFaults(Set.of(replica.id()), Map.of()));
    List<String> keys = keysOf(2, 200);
    setAll(master, keys, "lost-");
    assertEquals(0, call(master, "wait", "1", "300").integer(), "the replica has not got them");
    master.node().replication().tell(ReplicationSource.InjectFaults.NONE);
    assertEquals(1, call(master, "wait", "1", "20000").integer());
    assertEquals(partialBefore + 1, Long.parseLong(infoField(master, "stats", "sync_partial_ok")));
    assertEquals(fullBefore, Long.parseLong(infoField(master, "stats", "sync_full")));
    for (String key : keys.subList(0, 20)) assertEquals("lost-" + key, readOnReplica(replica, "get", key).text());
  }

  @Test
  void aDelayedStreamHoldsWaitBackUntilItArrives() {
    Member master = master(1);
    Member replica = replicaOf(1);
    master.node().replication().tell(new ReplicationSource.InjectFaults(Set.of(),
        Map.of(replica.id(), Duration.ofMillis(1500))));
    String key = keysOf(1, 1).get(0);
    assertEquals("OK", call(master, "set", key, "late").text());
    try (RespConnection connection = RespConnection.open(master.port)) {
      assertEquals(0, connection.call("wait", "1", "200").integer());
      assertEquals(1, connection.call("wait", "1", "10000").integer());
    }
    assertEquals("late", readOnReplica(replica, "get", key).text());
  }

  private static long stat(Member member, String field) {
    return Long.parseLong(infoField(member, "stats", field));
  }

  @Test
  void killingTheMastersClientOnAReplicaCutsTheLinkWhichConnectsAgainAndContinues() {
    Member master = master(2);
    Member replica = replicaOf(2);
    long partialBefore = stat(master, "sync_partial_ok");
    long fullBefore = stat(master, "sync_full");
    try (RespConnection connection = RespConnection.open(replica.port)) {
      assertEquals("ERR No such client", connection.call("client", "kill", "127.0.0.1:1").text());
      assertEquals("OK", connection.call("client", "kill", "127.0.0.1:" + master.port).text());
    }
    Await.until("the replica continues from the backlog", SYNC_TIMEOUT,
        () -> stat(master, "sync_partial_ok") == partialBefore + 1);
    awaitLinkUp(2);
    try (RespConnection connection = RespConnection.open(replica.port)) {
      assertEquals(1, connection.call("client", "kill", "type", "master").integer());
    }
    Await.until("the replica continues again", SYNC_TIMEOUT, () -> stat(master, "sync_partial_ok") == partialBefore + 2);
    awaitLinkUp(2);
    assertEquals(fullBefore, stat(master, "sync_full"));
    try (RespConnection connection = RespConnection.open(master.port)) {
      assertEquals(0, connection.call("client", "kill", "type", "master").integer(), "a master has no master client");
    }
  }

  /**
   * 05-slave-selection's pause: MULTI, DEBUG SLEEP, CLIENT KILL of the master, EXEC on a replica. While it sleeps
   * the replica acknowledges nothing, and the kill cuts the stream before the link reads what came meanwhile:
   * the replica gets those writes by continuing from the backlog once it connects again.
   */
  @Test
  void aSleepingReplicaTakesNothingAndAKillQueuedAfterTheSleepCutsTheStreamBeforeItReadsIt() {
    Member master = master(2);
    Member replica = replicaOf(2);
    long partialBefore = stat(master, "sync_partial_ok");
    List<String> keys = keysOf(2, 50);
    try (RespConnection sleeper = RespConnection.open(replica.port)) {
      assertEquals("OK", sleeper.call("multi").text());
      assertEquals("QUEUED", sleeper.call("debug", "sleep", "3").text());
      assertEquals("QUEUED", sleeper.call("client", "kill", "127.0.0.1:" + master.port).text());
      sleeper.send("exec");
      Await.until("the replica runs the EXEC", SYNC_TIMEOUT,
          () -> call(replica, "client", "list").text().contains("cmd=exec"));
      setAll(master, keys, "slept-");
      assertEquals(0, call(master, "wait", "1", "1000").integer(), "a sleeping replica acknowledges nothing");
      assertEquals(List.of("OK", "OK"), sleeper.read().texts());
    }
    Await.until("the replica continues from the backlog", SYNC_TIMEOUT,
        () -> stat(master, "sync_partial_ok") == partialBefore + 1);
    assertEquals(1, call(master, "wait", "1", "20000").integer());
    for (String key : keys.subList(0, 10)) assertEquals("slept-" + key, readOnReplica(replica, "get", key).text());
  }

  /**
   * 05/06's CLIENT PAUSE on the master: under ALL a replica's sync waits until the pause ends (a Redis replica's
   * handshake is made of client commands); under WRITE it does not.
   */
  @Test
  void aClientPauseAllOnTheMasterHoldsAReplicasSyncUntilItEnds() {
    Member master = master(2);
    Member replica = replicaOf(2);
    long partialBefore = stat(master, "sync_partial_ok");
    assertEquals("OK", call(master, "client", "pause", "1000", "write").text());
    assertEquals(1, call(replica, "client", "kill", "type", "master").integer());
    Await.until("a WRITE pause holds no sync", SYNC_TIMEOUT, () -> stat(master, "sync_partial_ok") == partialBefore + 1);
    awaitLinkUp(2);
    assertEquals("OK", call(master, "client", "pause", "6000", "all").text());
    assertEquals(1, call(replica, "client", "kill", "type", "master").integer());
    // The link asks again a second after the kill and every 5 s after: down for 3 s means the master held it.
    Await.until("the link stays down while the master is paused", SYNC_TIMEOUT, () -> {
      String downFor = infoField(replica, "replication", "master_link_down_since_seconds");
      assertEquals("down", infoField(replica, "replication", "master_link_status"));
      return !downFor.isEmpty() && Long.parseLong(downFor) >= 3;
    });
    awaitLinkUp(2);
    assertEquals(partialBefore + 2, stat(master, "sync_partial_ok"));
  }
}
