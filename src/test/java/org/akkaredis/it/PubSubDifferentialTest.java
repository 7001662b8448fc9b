package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.akkaredis.it.support.RespReply;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Pub/Sub against a real redis-server 7.0, byte for byte over raw sockets, RESP2 and RESP3: every reply and every
 * message frame the same connections of both servers receive, in the same order. Where Redis's order follows a hash
 * table (the channels of UNSUBSCRIBE without arguments, PUBSUB CHANNELS) the scripts hold one channel at a time.
 */
class PubSubDifferentialTest {
  /** Standalone: both servers without cluster mode. */
  @Nested
  class Standalone extends Scripts {
    Standalone() {
      super(false);
    }
  }

  /** Cluster mode: each server a one-node cluster that serves every slot (PUBLISH then also goes to the bus). */
  @Nested
  class Cluster extends Scripts {
    Cluster() {
      super(true);
    }
  }

  abstract static class Scripts extends PubSubScripts {
    Scripts(boolean cluster) {
      super(cluster);
    }

    @Test
    void resp2SubscribedModeMessagesAndUnsubscribing() {
      int sub = open();
      int pub = open();
      run(sub, 1, "SUBSCRIBE", "a");
      run(sub, 1, "SUBSCRIBE", "b");
      run(sub, 1, "SUBSCRIBE", "a");
      run(sub, 1, "GET", "x");
      run(sub, 1, "CLIENT", "ID");
      run(sub, 1, "CONFIG", "GET", "maxmemory");
      run(sub, 1, "NOSUCHCOMMAND");
      run(sub, 1, "SUBSCRIBE");
      run(sub, 1, "PING");
      run(sub, 1, "PING", "hello");
      run(sub, 1, "PING", "a", "b");
      run(pub, 1, "PUBLISH", "a", "one");
      expect(sub, 1, "PUBLISH a one");
      // Redis delivers a message to the patterns in its dict's order: one pattern matches each channel here.
      run(sub, 3, "PSUBSCRIBE", "a*", "h?llo", "[xy]");
      run(pub, 1, "PUBLISH", "a", "two");
      expect(sub, 2, "PUBLISH a two");
      run(pub, 1, "PUBLISH", "hello", "three");
      expect(sub, 1, "PUBLISH hello three");
      run(pub, 1, "PUBLISH", "nobody", "four");
      run(pub, 1, "PUBSUB", "NUMSUB", "a", "b", "c");
      run(pub, 1, "PUBSUB", "NUMSUB");
      run(pub, 1, "PUBSUB", "NUMPAT");
      run(pub, 1, "PUBSUB", "CHANNELS", "a*");
      run(pub, 1, "PUBSUB", "CHANNELS", "zz*");
      run(sub, 1, "UNSUBSCRIBE", "a");
      run(sub, 1, "UNSUBSCRIBE", "never");
      run(sub, 3, "PUNSUBSCRIBE");
      run(sub, 1, "PUNSUBSCRIBE");
      run(sub, 1, "UNSUBSCRIBE");
      run(sub, 1, "UNSUBSCRIBE");
      // Out of subscribed mode: every command again, PING as usual.
      run(sub, 1, "PING");
      run(sub, 1, "GET", "x");
      run(pub, 1, "PUBSUB", "NUMPAT");
      run(pub, 1, "PUBSUB", "CHANNELS");
    }

    @Test
    void resp2Pipelined() {
      int sub = open();
      int pub = open();
      pipeline(sub, 6, "SUBSCRIBE c1\r\nPING\r\nSET k v\r\nPSUBSCRIBE c*\r\nPUNSUBSCRIBE c*\r\nUNSUBSCRIBE c1\r\n");
      pipeline(sub, 4, "GET k\r\nSUBSCRIBE c2 c3\r\nUNSUBSCRIBE c3\r\n");
      pipeline(pub, 3, "PUBLISH c2 x\r\nPUBLISH c3 y\r\nPUBSUB NUMSUB c2 c3\r\n");
      expect(sub, 1, "PUBLISH c2 x");
      pipeline(sub, 2, "PING\r\nQUIT\r\n");
    }

    @Test
    void resp3PushesAndAnyCommand() {
      int sub = open();
      int pub = open();
      callBoth(sub, "HELLO", "3");
      run(sub, 1, "SUBSCRIBE", "a");
      run(sub, 1, "GET", "x");
      run(sub, 1, "PING");
      // Its own message comes before its PUBLISH's reply.
      run(sub, 2, "PUBLISH", "a", "self");
      run(sub, 1, "PSUBSCRIBE", "*");
      run(sub, 3, "PUBLISH", "a", "twice");
      run(pub, 1, "PUBLISH", "a", "from another");
      expect(sub, 2, "PUBLISH a from another");
      run(pub, 1, "PUBLISH", "b", "");
      expect(sub, 1, "PUBLISH b ''");
      run(sub, 1, "UNSUBSCRIBE");
      run(sub, 1, "UNSUBSCRIBE");
      run(sub, 2, "PUNSUBSCRIBE", "*", "other");
      run(sub, 1, "PUNSUBSCRIBE");
      pipeline(sub, 4, "SUBSCRIBE p\r\nECHO e\r\nPUBLISH p q\r\n");
      // A RESP2 subscriber next to a RESP3 one: each gets its own framing.
      int resp2 = open();
      run(resp2, 1, "SUBSCRIBE", "p");
      run(pub, 1, "PUBLISH", "p", "both");
      expect(sub, 1, "PUBLISH p both");
      expect(resp2, 1, "PUBLISH p both");
      // HELLO 2 while subscribed: RESP2's rules again.
      callBoth(sub, "HELLO", "2");
      run(sub, 1, "GET", "x");
    }

    /**
     * CLIENT REPLY OFF / SKIP silence replies, not pushes: (un)subscribe confirmations and messages still come, in
     * RESP2 and RESP3, as redis-server 7.0 sends them; a self-published message without PUBLISH's reply.
     */
    @Test
    void clientReplyOffSilencesRepliesNotPushes() {
      for (String protocol : List.of("2", "3")) {
        int sub = open();
        int pub = open();
        callBoth(sub, "HELLO", protocol);
        send(sub, "CLIENT", "REPLY", "OFF");
        run(sub, 2, "SUBSCRIBE", "off1", "off2");
        run(pub, 1, "PUBLISH", "off1", "m");
        expect(sub, 1, "PUBLISH off1 m");
        if (protocol.equals("3")) {
          run(sub, 1, "PUBLISH", "off2", "self");
          send(sub, "GET", "x");
        }
        run(sub, 2, "UNSUBSCRIBE", "off1", "off2");
        send(sub, "CLIENT", "REPLY", "ON");
        expect(sub, 1, "CLIENT REPLY ON");
        send(sub, "CLIENT", "REPLY", "SKIP");
        run(sub, 1, "SUBSCRIBE", "skip");
        run(sub, 1, "PING");
      }
    }

    @Test
    void binaryAndEmptyChannelsAndMessages() {
      int sub = open();
      int pub = open();
      byte[] odd = {'a', 0, '\r', '\n', (byte) 0xff};
      send(sub, "SUBSCRIBE".getBytes(), odd, new byte[0]);
      expect(sub, 2, "SUBSCRIBE odd ''");
      send(pub, "PUBLISH".getBytes(), odd, odd);
      expect(pub, 1, "PUBLISH odd odd");
      expect(sub, 1, "PUBLISH odd odd");
      run(pub, 1, "PUBLISH", "", "");
      expect(sub, 1, "PUBLISH '' ''");
    }

    /** Glob patterns as Redis's stringmatchlen: each pattern alone on a connection, PUBLISH counts who matched. */
    @Test
    void patternsMatchAsRedisMatchesThem() {
      String[] patterns = {"h?llo", "h*llo", "h[ae]llo", "h[^e]llo", "h[a-b]llo", "h[b-a]llo", "h\\*llo", "*", "**x",
          "[", "a[", "[]]", "[^]", "\\", "x\\", "[a-]", "[\\]]", "*a*b*c*", "?", "", "[-z]", "H*"};
      String[] channels = {"hello", "hallo", "hillo", "hllo", "heeello", "h*llo", "hbllo", "x", "xx", "[", "a[", "]",
          "a", "\\", "x\\", "-", "aXbYc", "abc", "cba", "", "ab", "z", "Hello"};
      int pub = open();
      for (String pattern : patterns) {
        int sub = open();
        run(sub, 1, "PSUBSCRIBE", pattern);
        int matched = 0;
        for (String channel : channels) {
          send(pub, "PUBLISH", channel, "m");
          RespReply expected = redis.get(pub).read();
          assertEquals(text(expected), text(node.get(pub).read()), "PUBLISH " + channel + " to pattern " + pattern);
          matched += (int) expected.integer();
        }
        // The pmessages of the channels it matched, in order, then its PUNSUBSCRIBE's reply.
        expect(sub, matched, "pattern " + pattern);
        run(sub, 1, "PUNSUBSCRIBE", pattern);
      }
      run(pub, 1, "PUBSUB", "NUMPAT");
    }

    @Test
    void resetAndTransactions() {
      int sub = open();
      int pub = open();
      run(sub, 1, "SUBSCRIBE", "r");
      run(sub, 1, "PSUBSCRIBE", "r*");
      run(sub, 1, "RESET");
      run(pub, 1, "PUBLISH", "r", "gone");
      run(pub, 1, "PUBSUB", "NUMPAT");
      run(sub, 1, "GET", "x");
      run(sub, 1, "MULTI");
      run(sub, 1, "SUBSCRIBE", "t");
      run(sub, 1, "PUBLISH", "t", "in multi");
      run(sub, 1, "EXEC");
      run(sub, 1, "PING");
      run(sub, 1, "MULTI");
      run(pub, 1, "PUBLISH", "t", "not yet");
      expect(sub, 1, "PUBLISH t not yet");
    }

    @Test
    void errorsAndHelp() {
      int c = open();
      run(c, 1, "PUBSUB", "HELP");
      run(c, 1, "PUBSUB", "FOO");
      run(c, 1, "PUBSUB");
      run(c, 1, "PUBSUB", "NUMPAT", "x");
      run(c, 1, "PUBSUB", "CHANNELS", "a", "b");
      run(c, 1, "PUBLISH", "a");
      run(c, 1, "PUBLISH", "a", "b", "c");
      run(c, 1, "PSUBSCRIBE");
      // PUBSUB's own entry is left out: Redis lists its subcommands in its dict's order, and sharded ones.
      run(c, 1, "COMMAND", "INFO", "subscribe", "publish", "pubsub|numpat", "punsubscribe");
      run(c, 1, "COMMAND", "DOCS", "publish");
    }

    @Test
    void clientListAndInfoCountSubscriptions() {
      int sub = open();
      int pub = open();
      run(sub, 2, "SUBSCRIBE", "x", "y");
      run(sub, 1, "PSUBSCRIBE", "x*");
      String line = node.get(pub).call("CLIENT", "LIST", "TYPE", "pubsub").text();
      assertTrue(line.contains(" flags=P ") && line.contains(" sub=2 psub=1 ssub=0 "), line);
      String redisLine = redis.get(pub).call("CLIENT", "LIST", "TYPE", "pubsub").text();
      assertTrue(redisLine.contains(" flags=P ") && redisLine.contains(" sub=2 psub=1 ssub=0 "), redisLine);
      assertEquals("2", node.get(pub).infoField("stats", "pubsub_channels"));
      assertEquals("1", node.get(pub).infoField("stats", "pubsub_patterns"));
      assertEquals("0", node.get(pub).infoField("stats", "pubsubshard_channels"));
      // A closed connection's subscriptions end with it.
      node.get(sub).close();
      redis.get(sub).close();
      org.akkaredis.it.support.Await.until("the closed subscriber's channels gone", java.time.Duration.ofSeconds(10),
          () -> node.get(pub).infoField("stats", "pubsub_channels").equals("0")
              && node.get(pub).infoField("stats", "pubsub_patterns").equals("0"));
      assertEquals("", node.get(pub).call("CLIENT", "LIST", "TYPE", "pubsub").text());
    }
  }
}
