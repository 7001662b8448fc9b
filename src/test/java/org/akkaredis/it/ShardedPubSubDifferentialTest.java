package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.RespConnection;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Sharded pub/sub (SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH, PUBSUB SHARDCHANNELS / SHARDNUMSUB) against a real
 * redis-server 7.0, byte for byte over raw sockets, RESP2 and RESP3, as {@link PubSubDifferentialTest} does for the
 * node-wide channels. In cluster mode (a one-node cluster) also CROSSSLOT, an unserved slot, and the sunsubscribe a
 * subscriber gets when its channel's slot is deleted (Redis 7.0's removeChannelsInSlot).
 */
class ShardedPubSubDifferentialTest {
  @Nested
  class Standalone extends Scripts {
    Standalone() {
      super(false);
    }
  }

  @Nested
  class Cluster extends Scripts {
    Cluster() {
      super(true);
    }

    @Test
    void crossSlotAndSlotsThatGoAway() {
      int sub = open();
      int other = open();
      int pub = open();
      // "a" and "b" hash to different slots; the hash tag puts "{t}a" and "{t}b" in one.
      run(sub, 1, "SSUBSCRIBE", "a", "b");
      run(pub, 1, "SPUBLISH", "{t}a", "nobody yet");
      run(sub, 2, "SSUBSCRIBE", "{t}b", "{t}a");
      run(other, 1, "SSUBSCRIBE", "{t}a");
      run(other, 1, "SUBSCRIBE", "plain");
      run(sub, 1, "SUNSUBSCRIBE", "a", "b");
      String slot = Long.toString(redis.get(pub).call("CLUSTER", "KEYSLOT", "{t}").integer());
      // The slot deleted: each subscriber is told of each of its channels of it (in the channels' byte order).
      run(pub, 1, "CLUSTER", "DELSLOTS", slot);
      expect(sub, 2, "CLUSTER DELSLOTS");
      expect(other, 1, "CLUSTER DELSLOTS");
      run(pub, 1, "PUBSUB", "SHARDCHANNELS");
      run(pub, 1, "SPUBLISH", "{t}a", "unserved");
      run(sub, 1, "SSUBSCRIBE", "{t}a");
      // Out of subscribed mode: PING answers as usual; the other still holds a channel.
      run(sub, 1, "PING");
      run(other, 1, "PING");
      run(pub, 1, "CLUSTER", "ADDSLOTS", slot);
      servers.redis().awaitClusterStateOk();
      servers.node().awaitClusterStateOk();
      run(sub, 1, "SSUBSCRIBE", "{t}a");
      run(pub, 1, "SPUBLISH", "{t}a", "served again");
      expect(sub, 1, "SPUBLISH {t}a served again");
    }
  }

  abstract static class Scripts extends PubSubScripts {
    Scripts(boolean cluster) {
      super(cluster);
    }

    @Test
    void resp2ShardChannelsCountApartFromTheOthers() {
      int sub = open();
      int pub = open();
      run(sub, 2, "SSUBSCRIBE", "{t}a", "{t}b");
      run(sub, 1, "SSUBSCRIBE", "{t}a");
      // SUBSCRIBE's count is of channels and patterns only, SSUBSCRIBE's of shard channels only.
      run(sub, 1, "SUBSCRIBE", "c");
      run(sub, 1, "PING");
      run(sub, 1, "GET", "x");
      run(sub, 1, "SSUBSCRIBE");
      run(pub, 1, "SPUBLISH", "{t}a", "one");
      expect(sub, 1, "SPUBLISH {t}a one");
      // A shard channel is not a channel: PUBLISH does not reach it, and no pattern matches it.
      run(pub, 1, "PUBLISH", "{t}a", "plain");
      run(sub, 1, "PSUBSCRIBE", "*");
      run(pub, 1, "SPUBLISH", "{t}b", "two");
      expect(sub, 1, "SPUBLISH {t}b two");
      run(pub, 1, "SPUBLISH", "nobody", "three");
      run(pub, 1, "PUBSUB", "SHARDCHANNELS", "*a");
      run(pub, 1, "PUBSUB", "SHARDCHANNELS", "zz*");
      run(pub, 1, "PUBSUB", "SHARDNUMSUB", "{t}a", "{t}b", "c");
      run(pub, 1, "PUBSUB", "SHARDNUMSUB");
      run(pub, 1, "PUBSUB", "NUMSUB", "{t}a", "c");
      run(pub, 1, "PUBSUB", "CHANNELS");
      run(sub, 1, "SUNSUBSCRIBE", "{t}a");
      run(sub, 1, "SUNSUBSCRIBE", "never");
      run(sub, 1, "SUNSUBSCRIBE");
      run(sub, 1, "SUNSUBSCRIBE");
      run(sub, 1, "PUNSUBSCRIBE");
      // Still subscribed to "c": subscribed mode holds.
      run(sub, 1, "PING");
      run(sub, 1, "UNSUBSCRIBE");
      run(sub, 1, "PING");
      run(sub, 1, "GET", "x");
    }

    @Test
    void resp2Pipelined() {
      int sub = open();
      int pub = open();
      pipeline(sub, 5, "SSUBSCRIBE s1\r\nPING\r\nSET k v\r\nSSUBSCRIBE s2\r\nSUNSUBSCRIBE s2\r\n");
      pipeline(pub, 3, "SPUBLISH s1 x\r\nSPUBLISH s2 y\r\nPUBSUB SHARDNUMSUB s1 s2\r\n");
      expect(sub, 1, "SPUBLISH s1 x");
      pipeline(sub, 2, "PING\r\nQUIT\r\n");
    }

    @Test
    void resp3PushesAndAnyCommand() {
      int sub = open();
      int pub = open();
      callBoth(sub, "HELLO", "3");
      run(sub, 1, "SSUBSCRIBE", "s");
      run(sub, 1, "GET", "x");
      run(sub, 1, "PING");
      // Its own message comes before its SPUBLISH's reply.
      run(sub, 2, "SPUBLISH", "s", "self");
      run(pub, 1, "SPUBLISH", "s", "from another");
      expect(sub, 1, "SPUBLISH s from another");
      int resp2 = open();
      run(resp2, 1, "SSUBSCRIBE", "s");
      run(pub, 1, "SPUBLISH", "s", "both");
      expect(sub, 1, "SPUBLISH s both");
      expect(resp2, 1, "SPUBLISH s both");
      run(sub, 1, "SUNSUBSCRIBE");
      run(sub, 1, "SUNSUBSCRIBE");
      run(sub, 1, "RESET");
    }

    @Test
    void resetLeavesShardChannels() {
      int sub = open();
      int pub = open();
      run(sub, 1, "SSUBSCRIBE", "r");
      run(sub, 1, "RESET");
      run(pub, 1, "SPUBLISH", "r", "gone");
      run(pub, 1, "PUBSUB", "SHARDCHANNELS");
      run(sub, 1, "MULTI");
      run(sub, 1, "SSUBSCRIBE", "t");
      run(sub, 1, "SPUBLISH", "t", "in multi");
      run(sub, 1, "EXEC");
    }

    @Test
    void errorsAndCommandInfo() {
      int c = open();
      run(c, 1, "SSUBSCRIBE");
      run(c, 1, "SPUBLISH", "a");
      run(c, 1, "SPUBLISH", "a", "b", "c");
      run(c, 1, "PUBSUB", "SHARDCHANNELS", "a", "b");
      run(c, 1, "COMMAND", "INFO", "ssubscribe", "sunsubscribe", "spublish", "pubsub|shardchannels",
          "pubsub|shardnumsub");
      run(c, 1, "COMMAND", "DOCS", "ssubscribe", "sunsubscribe", "spublish");
      run(c, 1, "COMMAND", "GETKEYS", "SPUBLISH", "ch", "m");
    }

    @Test
    void clientListAndInfoCountShardChannels() {
      int sub = open();
      int pub = open();
      run(sub, 2, "SSUBSCRIBE", "{x}1", "{x}2");
      run(sub, 1, "SUBSCRIBE", "x");
      for (List<RespConnection> side : List.of(node, redis)) {
        String line = side.get(pub).call("CLIENT", "LIST", "TYPE", "pubsub").text();
        assertTrue(line.contains(" flags=P ") && line.contains(" sub=1 psub=0 ssub=2 "), line);
        assertEquals("2", side.get(pub).infoField("stats", "pubsubshard_channels"));
      }
      node.get(sub).close();
      Await.until("the closed subscriber's shard channels gone", Duration.ofSeconds(10),
          () -> node.get(pub).infoField("stats", "pubsubshard_channels").equals("0"));
    }
  }
}
