package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.akkaredis.RedisNode;
import org.akkaredis.config.Settings;
import org.akkaredis.it.support.FreePorts;
import org.akkaredis.cluster.bus.BusEndpoint;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.LocalCluster;
import org.akkaredis.it.support.LocalCluster.Member;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.keyspace.Slots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * Six nodes in this JVM, each an ActorSystem with its bus on Akka remoting, made a 3-master cluster as
 * redis-cli does it: redirections, cluster clients, and what the bus does when a node dies or is cut off.
 * A node timeout of 1 s keeps failure detection quick; the rules are Redis's at any timeout.
 */
class ClusterBusTest {
  private static final long NODE_TIMEOUT_MS = 1000;
  private static final Duration FAILURE_TIMEOUT = Duration.ofSeconds(15);
  private static LocalCluster cluster;

  @BeforeAll
  static void createCluster() {
    cluster = LocalCluster.start(6, NODE_TIMEOUT_MS);
    cluster.create(3);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  /** Every test leaves the six nodes running, fault-free and in agreement. */
  @AfterEach
  void backToHealthy() {
    for (Member member : cluster.members()) if (!member.running()) member.start();
    cluster.heal();
    cluster.awaitAgreement();
    cluster.restoreMasters(3);
  }

  private static String readConf(Member member) {
    try {
      return Files.readString(member.dir.resolve("nodes.conf"));
    } catch (java.io.IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static Member master(int i) {
    return cluster.member(i);
  }

  private static Member replicaOf(int i) {
    return cluster.member(i + 3);
  }

  /** A key whose slot the i-th master serves. */
  private static String keyOf(int master) {
    for (int n = 0; ; n++) {
      String key = "key:" + n;
      int slot = Slots.slotOf(key.getBytes());
      if (slot * 3 / Slots.COUNT == master) return key;
    }
  }

  @Test
  void createdClusterHasThreeMastersWithAReplicaEachAndKeepsItInNodesConf() throws Exception {
    for (Member member : cluster.members()) {
      String nodes = member.call("cluster", "nodes");
      assertEquals(6, nodes.lines().count(), nodes);
      assertEquals(1, nodes.lines().filter(l -> l.contains("myself")).count());
      assertEquals(3, nodes.lines().filter(l -> l.contains("slave ")).count(), nodes);
      assertTrue(member.call("cluster", "info").contains("cluster_slots_ok:16384\r\ncluster_slots_pfail:0\r\n"));
      // nodes.conf is written after the change that made it (its own address learned last): wait for the write
      String myLine = member.id() + " 127.0.0.1:" + member.port + "@" + member.cport + " myself,";
      Await.until("nodes.conf of " + member.port + " has its address", Duration.ofSeconds(10),
          () -> readConf(member).contains(myLine), () -> readConf(member));
      String conf = readConf(member);
      // 6 and 0 when created; failovers in other tests move them on
      assertTrue(conf.matches("(?s).*\nvars currentEpoch \\d+ lastVoteEpoch \\d+\n"), conf);
    }
    try (RespConnection connection = RespConnection.open(master(1).port)) {
      String replicas = new String(connection.call("cluster", "replicas", master(0).id()).raw());
      assertTrue(replicas.matches("(?s)\\*1\r\n\\$\\d+\r\n" + replicaOf(0).id() + " 127.0.0.1:" + replicaOf(0).port
          + "@" + replicaOf(0).cport + " slave " + master(0).id() + " \\d+ \\d+ \\d+ connected\r\n"), replicas);
      assertEquals("ERR The specified node is not a master",
          connection.call("cluster", "replicas", replicaOf(0).id()).text());
      // Redis's two links with each peer, over Akka remoting: one to it and one from it (RESP2: flat maps)
      Await.until("two links with each of the 5 peers", Duration.ofSeconds(10),
          () -> connection.call("cluster", "links").elements().size() == 10,
          () -> connection.call("cluster", "links").toString());
      RespReply links = connection.call("cluster", "links");
      Set<String> seen = new HashSet<>();
      for (RespReply link : links.elements()) {
        assertEquals(List.of("direction", "node", "create-time", "events", "send-buffer-allocated",
            "send-buffer-used"), List.of(link.get(0).text(), link.get(2).text(), link.get(4).text(),
            link.get(6).text(), link.get(8).text(), link.get(10).text()));
        assertTrue(link.get(5).integer() > 0 && link.get(9).integer() >= 0 && link.get(11).integer() >= 0, "" + link);
        seen.add(link.get(1).text() + " " + link.get(3).text());
      }
      for (Member peer : cluster.members()) {
        if (peer == master(1)) continue;
        assertTrue(seen.contains("to " + peer.id()) && seen.contains("from " + peer.id()), seen.toString());
      }
    }
  }

  @Test
  void aSecondNodeCannotTakeANodesConfInUse() throws Exception {
    Settings sameDir = Settings.defaults().withOverrides(Map.of("port", "" + FreePorts.next(),
        "cluster-port", "" + FreePorts.next(), "bind", "127.0.0.1", "cluster-enabled", "yes",
        "dir", master(0).dir.toString(), "appendonly", "no", "save", ""));
    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> RedisNode.start(sameDir).toCompletableFuture().get(30, TimeUnit.SECONDS));
    assertEquals("Sorry, the cluster configuration file nodes.conf is already used by a different Redis Cluster "
        + "node. Please make sure that different nodes use different cluster configuration files.",
        refused.getCause().getMessage());
  }

  @Test
  void keysAreServedByTheirMasterAndEveryOtherNodeRedirects() {
    String key = keyOf(1);
    int slot = Slots.slotOf(key.getBytes());
    assertEquals("OK", master(1).call("set", key, "v"));
    assertEquals("1", master(1).call("wait", "1", "5000"), "the replica has it");
    assertEquals("MOVED " + slot + " 127.0.0.1:" + master(1).port, master(0).call("get", key));
    assertEquals("MOVED " + slot + " 127.0.0.1:" + master(1).port, replicaOf(1).call("get", key));
    try (RespConnection replica = RespConnection.open(replicaOf(1).port)) {
      assertEquals("OK", replica.call("readonly").text());
      assertEquals("v", replica.call("get", key).text(), "served here, from the replicated data");
      assertEquals("MOVED " + slot + " 127.0.0.1:" + master(1).port, replica.call("set", key, "w").text());
      assertEquals("MOVED " + Slots.slotOf(keyOf(0).getBytes()) + " 127.0.0.1:" + master(0).port,
          replica.call("get", keyOf(0)).text(), "only its own master's slots");
    }
    assertEquals("v", master(1).call("get", key));
  }

  @Test
  void lettuceAndJedisReadAndWriteAcrossAllMasters() {
    RedisClusterClient lettuce = RedisClusterClient.create(RedisURI.create("127.0.0.1", master(0).port));
    try (StatefulRedisClusterConnection<String, String> connection = lettuce.connect()) {
      for (int i = 0; i < 60; i++) connection.sync().set("lettuce:" + i, "v" + i);
      for (int i = 0; i < 60; i++) assertEquals("v" + i, connection.sync().get("lettuce:" + i));
    } finally {
      lettuce.shutdown();
    }
    try (JedisCluster jedis = new JedisCluster(new HostAndPort("127.0.0.1", master(2).port))) {
      for (int i = 0; i < 60; i++) jedis.set("jedis:" + i, "v" + i);
      for (int i = 0; i < 60; i++) assertEquals("v" + i, jedis.get("jedis:" + i));
      for (int i = 0; i < 60; i++) assertEquals("v" + i, jedis.get("lettuce:" + i), "what Lettuce wrote");
      for (int i = 0; i < 3; i++) {
        assertTrue(jedis.getClusterNodes().containsKey("127.0.0.1:" + master(i).port), "the masters of CLUSTER SLOTS");
      }
    }
    for (int i = 0; i < 3; i++) {
      long keys = Long.parseLong(master(i).call("dbsize"));
      assertTrue(keys > 0, "master " + i + " holds some of the keys");
    }
  }

  @Test
  void clusterFailoverIsForReplicasWithRedissRepliesOtherwise() {
    assertEquals("ERR You should send CLUSTER FAILOVER to a replica", master(0).call("cluster", "failover"));
    assertEquals("ERR syntax error", replicaOf(0).call("cluster", "failover", "now"));
    assertEquals("ERR unknown subcommand or wrong number of arguments for 'failover'. Try CLUSTER HELP.",
        replicaOf(0).call("cluster", "failover", "force", "takeover"));
  }

  @Test
  void crashedMasterIsReplacedByItsReplicaAndRejoinsAsItsReplica() {
    Member victim = master(2);
    Member heir = replicaOf(2);
    String id = victim.id();
    String heirId = heir.id();
    victim.crash();
    List<Member> others = cluster.running();
    Await.until("every node shows the replica as master", FAILURE_TIMEOUT,
        () -> others.stream().allMatch(m -> heir.flagsSeenBy(m, heirId).replace("myself,", "").equals("master")),
        () -> heir.lineSeenBy(others.get(0), heirId));
    cluster.awaitAgreement();
    for (Member member : others) {
      assertEquals("ok", member.info("cluster_state"));
      assertTrue(heir.lineSeenBy(member, heirId).endsWith(" connected 10923-16383"), heir.lineSeenBy(member, heirId));
      assertEquals("master,fail", victim.flagsSeenBy(member, id));
    }
    String key = keyOf(2);
    assertEquals("OK", heir.call("set", key, "after"));
    assertEquals("MOVED " + Slots.slotOf(key.getBytes()) + " 127.0.0.1:" + heir.port, master(0).call("get", key));

    victim.start();
    assertEquals(id, victim.id(), "the same node, from nodes.conf");
    cluster.awaitAgreement();
    for (Member member : cluster.members()) {
      String line = victim.lineSeenBy(member, id);
      assertTrue(line.matches(id + " \\S+ (myself,)?slave " + heirId + " .*"), line);
    }
  }

  @Test
  void masterCutOffFromTheMajorityIsReplacedThereAndTurnsReplicaWhenHealed() {
    Member alone = master(0);
    Member heir = replicaOf(0);
    List<Member> rest = cluster.members().subList(1, 6);
    String id = alone.id();
    String heirId = heir.id();
    cluster.partition(List.of(alone), rest);
    Await.until("the minority master refuses", FAILURE_TIMEOUT, () -> alone.info("cluster_state").equals("fail"));
    assertEquals("CLUSTERDOWN The cluster is down", alone.call("set", keyOf(0), "x"));
    Await.until("the majority promotes its replica", FAILURE_TIMEOUT, () -> rest.stream()
        .allMatch(m -> heir.lineSeenBy(m, heirId).matches(heirId + " \\S+ (myself,)?master .* connected 0-5460")),
        () -> heir.lineSeenBy(rest.get(0), heirId));
    Await.until("the majority is ok", FAILURE_TIMEOUT,
        () -> rest.stream().allMatch(m -> m.info("cluster_state").equals("ok")));
    assertEquals("OK", heir.call("set", keyOf(0), "y"));
    assertTrue(alone.lineSeenBy(alone, id).endsWith(" 0-5460"), "cut off, it still claims its slots...");
    assertEquals("fail", alone.info("cluster_state"), "...but serves none of them");

    cluster.heal();
    cluster.awaitAgreement();
    for (Member member : cluster.members()) {
      String line = alone.lineSeenBy(member, id);
      assertTrue(line.matches(id + " \\S+ (myself,)?slave " + heirId + " .*"), line);
      long claimers = member.call("cluster", "nodes").lines().filter(l -> l.contains(" 0-5460")).count();
      assertEquals(1, claimers, "one master claims the slots in " + member.port + "'s view");
    }
  }

  @Test
  void messagesDelayedWithinTheNodeTimeoutRaiseNoSuspicion() {
    Member slow = master(1);
    String slowId = slow.id();
    Map<String, Duration> delays = new java.util.HashMap<>();
    for (Member m : cluster.members()) if (m != slow) delays.put(m.id(), Duration.ofMillis(NODE_TIMEOUT_MS / 4));
    slow.faults(BusEndpoint.Faults.delay(delays));
    Set<String> seen = new HashSet<>();
    long until = System.nanoTime() + Duration.ofMillis(3 * NODE_TIMEOUT_MS).toNanos();
    while (System.nanoTime() < until) { // watches a window: nothing may happen in it
      for (Member m : cluster.members()) seen.add(slow.flagsSeenBy(m, slowId).replace("myself,", ""));
      seen.add(slow.info("cluster_state"));
    }
    assertEquals(Set.of("master", "ok"), seen);
    slow.faults(BusEndpoint.Faults.NONE);
  }
}
