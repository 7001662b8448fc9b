package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.Processes;
import org.akkaredis.it.support.LocalCluster;
import org.akkaredis.it.support.LocalCluster.Member;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.keyspace.Slots;
import org.junit.jupiter.api.Test;

/**
 * A slot moved by hand between two live masters, as redis-cli's reshard does it but without MIGRATE: SETSLOT
 * IMPORTING on the target, MIGRATING on the source, each key by DUMP on the source, RESTORE-ASKING on the target
 * and DEL on the source, then SETSLOT NODE on both. The same script runs on two of the node's masters (with a
 * replica) and on two redis-server 7.0 cluster nodes, and every reply along the way (SETSLOT's errors, ASK, ASKING,
 * MOVED, TRYAGAIN, the open slots on CLUSTER NODES) must be the same; both end with every node agreeing the slot
 * is the target's, the target on a new configEpoch.
 */
class ManualReshardTest {
  private static final Duration AGREEMENT = Duration.ofSeconds(30);

  /** Two masters of one cluster: the source owns 8192-16383, the target 0-8191 and has the lower configEpoch. */
  private record Pair(int sourcePort, String sourceId, int targetPort, String targetId) {
    /** The reply text with what differs between the two clusters (ports, ids) named instead. */
    String normalize(String text) {
      return text.replace(sourceId, "SOURCE-ID").replace(targetId, "TARGET-ID")
          .replace("127.0.0.1:" + sourcePort, "SOURCE").replace("127.0.0.1:" + targetPort, "TARGET");
    }
  }

  /** A hash tag of the first slot the source owns that has one of the form "tN": every key of the script is in it. */
  private static String tag() {
    for (int n = 0; ; n++) {
      if (Slots.slotOf(("t" + n).getBytes()) >= 8192) return "t" + n;
    }
  }

  private static final String TAG = tag();
  private static final String SLOT = Integer.toString(Slots.slotOf(TAG.getBytes()));
  private static final String K1 = "{" + TAG + "}1";
  private static final String K2 = "{" + TAG + "}2";
  private static final String HASH = "{" + TAG + "}h";
  private static final String ABSENT = "{" + TAG + "}absent";
  /** Written by a cluster client half-way: it lands on the target. */
  private static final String NEW = "{" + TAG + "}new";
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(30);

  /** Runs commands on a connection and writes each reply, normalized, to the transcript. */
  private static final class Script {
    final List<String> transcript = new ArrayList<>();
    final Pair pair;

    Script(Pair pair) {
      this.pair = pair;
    }

    RespReply call(String who, RespConnection connection, String... args) {
      RespReply reply = connection.call(args);
      transcript.add(pair.normalize(who + " " + String.join(" ", args) + " -> " + reply.escaped(400)));
      return reply;
    }

    void note(String line) {
      transcript.add(pair.normalize(line));
    }
  }

  /** The line of CLUSTER NODES the node prints for itself, from its slots on: "0-8191 [123-<-id]". */
  private static String myselfSlots(RespConnection connection) {
    String nodes = connection.call("cluster", "nodes").text();
    String line = nodes.lines().filter(l -> l.contains(" myself,")).findFirst().orElseThrow();
    int connected = line.indexOf(" connected");
    return line.substring(connected + " connected".length()).trim();
  }

  private static long epochField(RespConnection connection, String field) {
    return Long.parseLong(connection.call("cluster", "info").text().lines().filter(l -> l.startsWith(field + ":"))
        .map(l -> l.substring(field.length() + 1)).findFirst().orElseThrow());
  }

  /** The script itself; the source's and target's connections stay open, so ASKING lives on the target's one. */
  private static List<String> moveSlotByHand(Pair pair) {
    Script s = new Script(pair);
    try (RespConnection src = RespConnection.open(pair.sourcePort());
        RespConnection dst = RespConnection.open(pair.targetPort())) {
      s.call("src", src, "set", K1, "v1");
      s.call("src", src, "set", K2, "v2");
      s.call("src", src, "hset", HASH, "f1", "a", "f2", "b");

      // The checks Redis makes, in its words
      s.call("src", src, "cluster", "setslot", SLOT, "importing", pair.targetId());
      s.call("dst", dst, "cluster", "setslot", SLOT, "migrating", pair.sourceId());
      s.call("src", src, "cluster", "setslot", SLOT, "migrating", "nosuchnode");
      s.call("src", src, "cluster", "setslot", SLOT, "bogus");
      s.call("src", src, "cluster", "setslot", SLOT, "node");
      s.call("src", src, "cluster", "setslot", SLOT, "stable", "extra");
      s.call("src", src, "cluster", "setslot", "16384", "stable");
      s.call("src", src, "cluster", "setslot", "x", "stable");
      s.call("src", src, "cluster", "setslot", SLOT);
      s.call("src", src, "cluster", "setslot", SLOT, "node", "nosuchnode");
      s.call("src", src, "cluster", "setslot", SLOT, "node", pair.targetId());

      // Open the slot: importing on the target first, as redis-cli does
      s.call("dst", dst, "cluster", "setslot", SLOT, "importing", pair.sourceId());
      s.call("src", src, "cluster", "setslot", SLOT, "migrating", pair.targetId());
      s.note("src myself: " + myselfSlots(src));
      s.note("dst myself: " + myselfSlots(dst));

      s.call("src", src, "get", K1);
      s.call("src", src, "get", ABSENT);
      s.call("src", src, "set", ABSENT, "x");
      s.call("src", src, "exists", ABSENT);
      s.call("src", src, "mget", K1, ABSENT);
      s.call("src", src, "del", K1, ABSENT);
      s.call("src", src, "mget", K1, K2);
      // A refusal of the node's own (here NOREPLICAS) comes after the redirection, as in Redis
      s.call("src", src, "config", "set", "min-replicas-to-write", "1");
      s.call("src", src, "set", ABSENT, "x");
      s.call("src", src, "set", K1, "v1");
      s.call("src", src, "multi");
      s.call("src", src, "set", ABSENT, "x");
      s.call("src", src, "discard");
      s.call("src", src, "config", "set", "min-replicas-to-write", "0");
      s.call("dst", dst, "get", K1);
      s.call("dst", dst, "asking");
      s.call("dst", dst, "get", K1);
      s.call("dst", dst, "get", K1);

      move(s, src, dst, K1);
      s.call("src", src, "get", K1);
      s.call("src", src, "mget", K1, K2);
      s.call("dst", dst, "asking");
      s.call("dst", dst, "mget", K1, K2);
      s.call("dst", dst, "asking");
      s.call("dst", dst, "mset", K1, "v1", ABSENT, "y");
      s.call("dst", dst, "asking");
      s.call("dst", dst, "get", K1);
      s.call("src", src, "cluster", "setslot", SLOT, "node", pair.targetId());
      clientsFollowTheMigration(s);
      // Transactions: each queued command is routed by its keys, then EXEC by all of them
      s.call("src", src, "multi");
      s.call("src", src, "get", ABSENT);
      s.call("src", src, "exec");
      s.call("src", src, "multi");
      s.call("src", src, "get", K2);
      s.call("src", src, "get", K1);
      s.call("src", src, "exec");
      s.call("src", src, "multi");
      s.call("src", src, "get", K2);
      s.call("src", src, "exec");
      s.call("dst", dst, "asking");
      s.call("dst", dst, "multi");
      s.call("dst", dst, "get", K1);
      s.call("dst", dst, "get", ABSENT);
      s.call("dst", dst, "exec");
      s.call("dst", dst, "get", K1);
      s.call("dst", dst, "multi");
      s.call("dst", dst, "get", K1);
      s.call("dst", dst, "discard");
      s.call("src", src, "watch", ABSENT);
      s.call("src", src, "watch", K1, K2);
      s.call("src", src, "watch", K2);
      s.call("src", src, "unwatch");
      s.call("dst", dst, "watch", K1);
      s.call("dst", dst, "asking");
      s.call("dst", dst, "watch", K1);
      s.call("dst", dst, "unwatch");
      s.call("src", src, "blpop", ABSENT, "0.01");
      s.call("dst", dst, "blpop", ABSENT, "0.01");
      s.call("dst", dst, "asking");
      s.call("dst", dst, "blpop", ABSENT, "0.01");

      move(s, src, dst, K2);
      move(s, src, dst, HASH);
      s.call("src", src, "get", K2);
      s.call("src", src, "cluster", "countkeysinslot", SLOT);
      s.call("dst", dst, "asking");
      s.call("dst", dst, "mget", K1, K2);
      // ASKING holds through a transaction begun right after it, up to its EXEC
      s.call("dst", dst, "asking");
      s.call("dst", dst, "multi");
      s.call("dst", dst, "get", K1);
      s.call("dst", dst, "hget", HASH, "f2");
      s.call("dst", dst, "exec");
      s.call("dst", dst, "get", K1);

      // Close it: the source gives the slot up, then the target takes it with a new epoch
      s.call("src", src, "cluster", "setslot", SLOT, "node", pair.targetId());
      s.note("src myself: " + myselfSlots(src));
      s.call("src", src, "get", K1);
      long epochBefore = epochField(dst, "cluster_my_epoch");
      s.call("dst", dst, "cluster", "setslot", SLOT, "node", pair.targetId());
      s.note("dst myself: " + myselfSlots(dst));
      long epochAfter = epochField(dst, "cluster_my_epoch");
      assertTrue(epochAfter > epochBefore, "the target bumped its configEpoch: " + epochBefore + " -> " + epochAfter);
      assertEquals(epochField(dst, "cluster_current_epoch"), epochAfter);
      s.call("dst", dst, "get", K1);
      s.call("dst", dst, "hgetall", HASH);
      Await.until("the source learns the target's claim", AGREEMENT,
          () -> src.call("cluster", "nodes").text().lines()
              .anyMatch(l -> l.startsWith(pair.targetId()) && (l.endsWith(" " + SLOT) || l.contains(" " + SLOT + " "))));
      s.call("src", src, "get", K1);
      s.note("src myself at the end: " + myselfSlots(src));
    }
    return s.transcript;
  }

  /**
   * Real cluster clients half-way through: K1 is on the target, K2 still on the source. Lettuce's cluster client and
   * redis-cli -c follow ASK (sending ASKING to the target) and write a new key of the slot to the target.
   */
  private static void clientsFollowTheMigration(Script s) {
    RedisClusterClient lettuce = RedisClusterClient.create(RedisURI.create("127.0.0.1", s.pair.sourcePort()));
    try (StatefulRedisClusterConnection<String, String> connection = lettuce.connect()) {
      assertEquals("v1", connection.sync().get(K1), "after ASK, from the target");
      assertEquals("v2", connection.sync().get(K2), "from the source");
      assertEquals("OK", connection.sync().set(NEW, "by-lettuce"));
    } finally {
      lettuce.shutdown();
    }
    Processes.Result get = Processes.run(CLI_TIMEOUT, new byte[0],
        Processes.redisCli("-c", "-p", Integer.toString(s.pair.sourcePort()), "get", K1));
    assertEquals(0, get.exitCode(), get.describe());
    assertEquals("v1", get.stdout().trim(), get.describe());
    try (RespConnection dst = RespConnection.open(s.pair.targetPort())) {
      s.call("dst", dst, "asking");
      assertEquals("by-lettuce", s.call("dst", dst, "get", NEW).text(), "the new key is on the target");
    }
    try (RespConnection src = RespConnection.open(s.pair.sourcePort())) {
      s.call("src", src, "get", NEW);
    }
  }

  /** One key by hand: DUMP on the source, RESTORE (refused) and RESTORE-ASKING on the target, DEL on the source. */
  private static void move(Script s, RespConnection src, RespConnection dst, String key) {
    byte[] payload = src.call("dump", key).bytes();
    s.transcript.add("dst restore " + key + " -> "
        + s.pair.normalize(dst.call("restore".getBytes(), key.getBytes(), "0".getBytes(), payload).escaped(200)));
    s.transcript.add("dst restore-asking " + key + " -> " + dst.call("restore-asking".getBytes(), key.getBytes(),
        "0".getBytes(), payload).escaped(200));
    s.transcript.add("dst restore-asking again " + key + " -> " + dst.call("restore-asking".getBytes(),
        key.getBytes(), "0".getBytes(), payload).escaped(200));
    s.call("src", src, "del", key);
  }

  /** The owner of the slot in a node's CLUSTER SLOTS: "port" of the master of the range holding it. */
  private static long ownerPort(int port) {
    try (RespConnection connection = RespConnection.open(port)) {
      int slot = Integer.parseInt(SLOT);
      for (RespReply range : connection.call("cluster", "slots").elements()) {
        if (range.get(0).integer() <= slot && slot <= range.get(1).integer()) return range.get(2).get(1).integer();
      }
      return -1;
    }
  }

  @Test
  void aSlotMovedByHandAnswersAsRedisServerAndEveryNodeAgrees() {
    List<String> expected;
    try (RedisServerFixture target = RedisServerFixture.cluster();
        RedisServerFixture source = RedisServerFixture.cluster()) {
      try (RespConnection t = target.connect(); RespConnection s = source.connect()) {
        assertEquals("OK", t.call("cluster", "addslotsrange", "0", "8191").text());
        assertEquals("OK", s.call("cluster", "addslotsrange", "8192", "16383").text());
        assertEquals("OK", t.call("cluster", "set-config-epoch", "1").text());
        assertEquals("OK", s.call("cluster", "set-config-epoch", "2").text());
        assertEquals("OK", t.call("cluster", "meet", "127.0.0.1", "" + source.port(), "" + source.busPort()).text());
      }
      target.awaitClusterStateOk();
      source.awaitClusterStateOk();
      Pair pair = new Pair(source.port(), idOf(source.port()), target.port(), idOf(target.port()));
      Await.until("redis-server's nodes know each other", AGREEMENT,
          () -> knows(pair.sourcePort(), pair.targetId()) && knows(pair.targetPort(), pair.sourceId()));
      expected = moveSlotByHand(pair);
      Await.until("both redis-servers see the target own the slot", AGREEMENT,
          () -> ownerPort(source.port()) == target.port() && ownerPort(target.port()) == target.port());
    }

    // member 0 (epoch 1) and member 1 (epoch 2) are the masters, member 2 member 0's replica
    // A generous node timeout: nothing here is about failure detection, and a loaded machine must not flap PFAIL.
    try (LocalCluster cluster = LocalCluster.start(3, 5000)) {
      cluster.create(2);
      Member target = cluster.member(0);
      Member source = cluster.member(1);
      Member replica = cluster.member(2);
      Pair pair = new Pair(source.port, source.id(), target.port, target.id());
      try (RespConnection r = RespConnection.open(replica.port)) {
        assertEquals("ERR Please use SETSLOT only with masters.",
            r.call("cluster", "setslot", SLOT, "stable").text());
      }
      assertEquals("ERR Target node is not a master", source.call("cluster", "setslot", SLOT, "migrating", replica.id()));
      List<String> actual = moveSlotByHand(pair);
      for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
        assertEquals(expected.get(i), actual.get(i), "step " + i + " of\n" + String.join("\n", actual));
      }
      assertEquals(expected.size(), actual.size(), String.join("\n", actual));
      cluster.awaitAgreement();
      for (Member member : cluster.members()) {
        assertEquals(target.port, ownerPort(member.port), member.port + " sees the target own slot " + SLOT);
      }
      // The target's replica has the moved keys and, with READONLY, serves them
      try (RespConnection r = RespConnection.open(replica.port)) {
        assertEquals("OK", r.call("readonly").text());
        Await.until("the replica has the moved keys", AGREEMENT, () -> "v1".equals(r.call("get", K1).text()));
        assertEquals("v2", r.call("get", K2).text());
        assertTrue(r.call("set", K1, "x").text().startsWith("MOVED " + SLOT + " 127.0.0.1:" + target.port));
      }
      // A restart keeps the move; an open slot kept in nodes.conf comes back open
      String before;
      try (RespConnection src = RespConnection.open(source.port)) {
        assertEquals("OK", src.call("cluster", "setslot", "16000", "migrating", target.id()).text());
        before = myselfSlots(src);
      }
      assertTrue(before.endsWith("-16383 [16000->-" + target.id() + "]"), before);
      // nodes.conf is written after the change's reply, as for every CLUSTER change: wait for the write
      Path conf = source.dir.resolve("nodes.conf");
      Await.until("nodes.conf has the open slot", AGREEMENT, () -> read(conf).contains(" [16000->-" + target.id() + "]"),
          () -> read(conf));
      source.shutdown();
      source.start();
      try (RespConnection src = RespConnection.open(source.port)) {
        assertEquals(before, myselfSlots(src));
        assertEquals("OK", src.call("cluster", "setslot", "16000", "stable").text());
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static String idOf(int port) {
    try (RespConnection connection = RespConnection.open(port)) {
      return connection.call("cluster", "myid").text();
    }
  }

  private static boolean knows(int port, String id) {
    try (RespConnection connection = RespConnection.open(port)) {
      return connection.call("cluster", "nodes").text().lines()
          .anyMatch(l -> l.startsWith(id + " ") && !l.contains("handshake") && l.contains(" connected"));
    }
  }
}
