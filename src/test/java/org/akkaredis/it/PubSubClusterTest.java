package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.LocalCluster;
import org.akkaredis.it.support.LocalCluster.Member;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PUBLISH across a cluster of three in-JVM nodes: a message published on one node reaches the subscribers of every
 * node (the bus's light PUBLISH), the reply counts the publishing node's own, and a message to a node cut off by a
 * partition is dropped, not delivered late.
 */
class PubSubClusterTest {
  private static LocalCluster cluster;

  @BeforeAll
  static void createCluster() {
    cluster = LocalCluster.start(3, 1000);
    cluster.create(3);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  private static RespConnection subscribe(Member member, String channel) {
    RespConnection c = RespConnection.open(member.port);
    assertEquals(List.of("subscribe", channel, "1"), c.call("SUBSCRIBE", channel).texts());
    return c;
  }

  private static void expectMessage(RespConnection c, String channel, String message) {
    RespReply frame = c.read();
    assertEquals(List.of("message", channel, message), frame.texts());
  }

  @Test
  void aMessagePublishedOnOneNodeReachesTheSubscribersOfEveryNode() {
    try (RespConnection onFirst = subscribe(cluster.member(0), "news");
         RespConnection onSecond = subscribe(cluster.member(1), "news");
         RespConnection onThird = RespConnection.open(cluster.member(2).port);
         RespConnection publisher = RespConnection.open(cluster.member(0).port)) {
      assertEquals(List.of("psubscribe", "n*", "1"), onThird.call("PSUBSCRIBE", "n*").texts());
      for (int i = 0; i < 100; i++) {
        // As Redis: the count is this node's receivers only.
        assertEquals(1, publisher.call("PUBLISH", "news", "m" + i).integer());
      }
      for (int i = 0; i < 100; i++) {
        expectMessage(onFirst, "news", "m" + i);
        expectMessage(onSecond, "news", "m" + i);
        assertEquals(List.of("pmessage", "n*", "news", "m" + i), onThird.read().texts());
      }
      String received = cluster.member(1).info("cluster_stats_messages_publish_received");
      Await.until("publish counted", java.time.Duration.ofSeconds(10),
          () -> Long.parseLong(cluster.member(0).info("cluster_stats_messages_publish_sent")) >= 200);
      assertEquals(true, Long.parseLong(received) >= 100, received);
    }
  }

  @Test
  void aPartitionedNodeMissesWhatWasPublishedMeanwhile() {
    Member first = cluster.member(0);
    Member cut = cluster.member(2);
    try (RespConnection onCut = subscribe(cut, "alerts");
         RespConnection onSecond = subscribe(cluster.member(1), "alerts");
         RespConnection publisher = RespConnection.open(first.port)) {
      cluster.partition(List.of(cut), List.of(first, cluster.member(1)));
      assertEquals(0, publisher.call("PUBLISH", "alerts", "during").integer());
      expectMessage(onSecond, "alerts", "during");
      cluster.heal();
      // After the heal (in force once heal returns) the next message arrives, and nothing of the partition before it.
      assertEquals(0, publisher.call("PUBLISH", "alerts", "after").integer());
      expectMessage(onSecond, "alerts", "after");
      expectMessage(onCut, "alerts", "after");
    }
  }
}
