package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.LocalCluster;
import org.akkaredis.it.support.LocalCluster.Member;
import org.akkaredis.it.support.RespConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisShardedPubSub;

/**
 * Sharded pub/sub across a cluster of four in-JVM nodes, three masters and a replica of the first: SSUBSCRIBE is
 * served by the channel's slot's master and its replica (MOVED elsewhere, CROSSSLOT across slots), SPUBLISH reaches
 * that shard and no other, and a slot that leaves the shard (CLUSTER SETSLOT ... NODE, a failover) sends its
 * subscribers sunsubscribe. Jedis's cluster client's sharded pub/sub end to end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShardedPubSubClusterTest {
  /** "b" hashes to slot 3300 (the first master's), "c" to 7365 (the second's). */
  private static final String FIRST_SHARD = "b";
  private static final String SECOND_SHARD = "c";
  private static LocalCluster cluster;

  @BeforeAll
  static void createCluster() {
    cluster = LocalCluster.start(4, 1000);
    cluster.create(3);
    assertEquals("3300", cluster.member(0).call("CLUSTER", "KEYSLOT", FIRST_SHARD));
    assertEquals("7365", cluster.member(0).call("CLUSTER", "KEYSLOT", SECOND_SHARD));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  private static Member master(int i) {
    return cluster.member(i);
  }

  private static Member replicaOfFirst() {
    return cluster.member(3);
  }

  private static RespConnection ssubscribe(Member member, String channel) {
    RespConnection c = RespConnection.open(member.port);
    assertEquals(List.of("ssubscribe", channel, "1"), c.call("SSUBSCRIBE", channel).texts());
    return c;
  }

  private static long stat(Member member, String field) {
    String value = member.info(field);
    return value.isEmpty() ? 0 : Long.parseLong(value);
  }

  @Test
  @Order(1)
  void spublishReachesTheSlotsMasterAndReplicaOnly() {
    long[] receivedBefore = new long[4];
    for (int i = 0; i < 4; i++) receivedBefore[i] = stat(cluster.member(i), "cluster_stats_messages_publishshard_received");
    try (RespConnection onMaster = ssubscribe(master(0), FIRST_SHARD);
         RespConnection onReplica = ssubscribe(replicaOfFirst(), FIRST_SHARD);
         RespConnection onSecond = RespConnection.open(master(1).port);
         RespConnection publisher = RespConnection.open(master(0).port);
         RespConnection replicaPublisher = RespConnection.open(replicaOfFirst().port)) {
      assertEquals("MOVED 3300 127.0.0.1:" + master(0).port, onSecond.call("SSUBSCRIBE", FIRST_SHARD).text());
      assertEquals("MOVED 3300 127.0.0.1:" + master(0).port, onSecond.call("SPUBLISH", FIRST_SHARD, "x").text());
      assertEquals("CROSSSLOT Keys in request don't hash to the same slot",
          publisher.call("SSUBSCRIBE", FIRST_SHARD, SECOND_SHARD).text());
      assertEquals(List.of("ssubscribe", SECOND_SHARD, "1"), onSecond.call("SSUBSCRIBE", SECOND_SHARD).texts());
      for (int i = 0; i < 50; i++) {
        // As Redis: the count is this node's receivers only.
        assertEquals(1, publisher.call("SPUBLISH", FIRST_SHARD, "m" + i).integer());
      }
      for (int i = 0; i < 50; i++) {
        assertEquals(List.of("smessage", FIRST_SHARD, "m" + i), onMaster.read().texts());
        assertEquals(List.of("smessage", FIRST_SHARD, "m" + i), onReplica.read().texts());
      }
      // A replica serves SPUBLISH for its master's slots too, and sends it to the rest of the shard.
      assertEquals(1, replicaPublisher.call("SPUBLISH", FIRST_SHARD, "from the replica").integer());
      assertEquals(List.of("smessage", FIRST_SHARD, "from the replica"), onReplica.read().texts());
      assertEquals(List.of("smessage", FIRST_SHARD, "from the replica"), onMaster.read().texts());
      assertEquals("1", master(1).call("SPUBLISH", SECOND_SHARD, "own shard"));
      // Nothing of the first shard reached the second: its first message is its own shard's.
      assertEquals(List.of("smessage", SECOND_SHARD, "own shard"), onSecond.read().texts());
      Await.until("the shard's messages counted", Duration.ofSeconds(10),
          () -> stat(replicaOfFirst(), "cluster_stats_messages_publishshard_received") - receivedBefore[3] == 50
              && stat(master(0), "cluster_stats_messages_publishshard_received") - receivedBefore[0] == 1);
      assertEquals(receivedBefore[1], stat(master(1), "cluster_stats_messages_publishshard_received"));
      assertEquals(receivedBefore[2], stat(master(2), "cluster_stats_messages_publishshard_received"));
    }
  }

  @Test
  @Order(0)
  void jedisClusterShardedPubSub() throws InterruptedException {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    JedisShardedPubSub listener = new JedisShardedPubSub() {
      @Override public void onSSubscribe(String channel, int count) {
        seen.add("ssubscribe " + channel + " " + count);
      }

      @Override public void onSMessage(String channel, String message) {
        seen.add(channel + " " + message);
        if (message.equals("last")) sunsubscribe();
      }

      @Override public void onSUnsubscribe(String channel, int count) {
        seen.add("sunsubscribe " + channel + " " + count);
      }
    };
    // Each client starts from one node and finds the node of the channels' slot by itself (CLUSTER SLOTS).
    try (JedisCluster subscribing = new JedisCluster(new HostAndPort("127.0.0.1", master(2).port));
         JedisCluster publishing = new JedisCluster(new HostAndPort("127.0.0.1", master(0).port))) {
      Thread subscriber = new Thread(() -> subscribing.ssubscribe(listener, "{news}a", "{news}b"));
      subscriber.start();
      assertEquals("ssubscribe {news}a 1", seen.poll(10, TimeUnit.SECONDS));
      assertEquals("ssubscribe {news}b 2", seen.poll(10, TimeUnit.SECONDS));
      assertEquals(1, publishing.spublish("{news}a", "hello"));
      assertEquals(1, publishing.spublish("{news}b", "last"));
      assertEquals("{news}a hello", seen.poll(10, TimeUnit.SECONDS));
      assertEquals("{news}b last", seen.poll(10, TimeUnit.SECONDS));
      assertEquals("sunsubscribe {news}a 1", seen.poll(10, TimeUnit.SECONDS));
      assertEquals("sunsubscribe {news}b 0", seen.poll(10, TimeUnit.SECONDS));
      subscriber.join(10_000);
      assertFalse(subscriber.isAlive(), "ssubscribe returned once every channel was left");
    }
  }

  @Test
  @Order(2)
  void aSlotGivenToAnotherMasterUnsubscribesItsChannels() {
    String slot = "7365";
    try (RespConnection subscriber = ssubscribe(master(1), SECOND_SHARD);
         RespConnection publisher = RespConnection.open(master(1).port)) {
      assertEquals(List.of("subscribe", "plain", "1"), subscriber.call("SUBSCRIBE", "plain").texts());
      move(slot, master(1), master(2));
      assertEquals(List.of("sunsubscribe", SECOND_SHARD, "0"), subscriber.read().texts());
      assertEquals("[]", String.valueOf(publisher.call("PUBSUB", "SHARDCHANNELS").texts()));
      assertEquals("MOVED 7365 127.0.0.1:" + master(2).port, publisher.call("SPUBLISH", SECOND_SHARD, "x").text());
      // Still subscribed to a channel: the connection stays in subscribed mode.
      assertEquals(List.of("pong", ""), subscriber.call("PING").texts());
    } finally {
      move(slot, master(2), master(1));
      cluster.awaitAgreement();
    }
  }

  /** As redis-cli's reshard of an empty slot: IMPORTING on the target, MIGRATING on the source, then NODE on all. */
  private static void move(String slot, Member source, Member target) {
    assertEquals("OK", target.call("CLUSTER", "SETSLOT", slot, "IMPORTING", source.id()));
    assertEquals("OK", source.call("CLUSTER", "SETSLOT", slot, "MIGRATING", target.id()));
    assertEquals("OK", target.call("CLUSTER", "SETSLOT", slot, "NODE", target.id()));
    assertEquals("OK", source.call("CLUSTER", "SETSLOT", slot, "NODE", target.id()));
    for (Member member : cluster.members()) {
      if (member != source && member != target) member.call("CLUSTER", "SETSLOT", slot, "NODE", target.id());
    }
  }

  /** Last: the cluster is left with the replica as the first shard's master. */
  @Test
  @Order(3)
  void aFailoverUnsubscribesTheOldMastersSubscribers() {
    try (RespConnection onMaster = ssubscribe(master(0), FIRST_SHARD);
         RespConnection onReplica = ssubscribe(replicaOfFirst(), FIRST_SHARD)) {
      assertEquals("OK", replicaOfFirst().call("CLUSTER", "FAILOVER"));
      // As Redis 7.0.15: the old master's subscribers are told, the new master's keep their channels.
      assertEquals(List.of("sunsubscribe", FIRST_SHARD, "0"), onMaster.read().texts());
      assertEquals("1", replicaOfFirst().call("SPUBLISH", FIRST_SHARD, "after"));
      assertEquals(List.of("smessage", FIRST_SHARD, "after"), onReplica.read().texts());
      assertEquals(List.of(), onMaster.call("PUBSUB", "SHARDCHANNELS").texts());
    }
  }
}
