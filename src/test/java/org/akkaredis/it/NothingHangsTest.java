package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.ActorRef;
import akka.actor.PoisonPill;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.keyspace.Keyspace;
import org.akkaredis.keyspace.SlotRange;
import org.akkaredis.keyspace.Slots;
import org.junit.jupiter.api.Test;

/**
 * Nothing hangs: an actor stopped in the middle of commands (a fault injected by stopping it, as a crash of that
 * actor would) leaves no client waiting. Each waiting client gets an error reply, and its connection's next command
 * succeeds. (A wait on an actor that is alive but does not answer ends at the deadline: CrossActorDeadlineTest.)
 */
class NothingHangsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static NodeFixture start(boolean cluster, Map<String, String> settings) {
    return NodeFixture.startAsync(cluster, settings).join();
  }

  private static void stop(NodeFixture node, String path) {
    node.node().system().classicSystem().actorSelection(path).tell(PoisonPill.getInstance(), ActorRef.noSender());
  }

  private static String rangeName(String key) {
    int perRange = Slots.COUNT / Keyspace.rangeCount(ConfigFactory.load()); // the node's ranges: the default
    int range = Slots.slotOf(key.getBytes(StandardCharsets.UTF_8)) / perRange;
    return (range * perRange) + "-" + ((range + 1) * perRange - 1);
  }

  private static String otherRangeKey(String key) {
    for (int i = 0; ; i++) {
      if (!rangeName("other" + i).equals(rangeName(key))) return "other" + i;
    }
  }

  private static void assertError(String expected, RespReply reply) {
    assertTrue(reply.isError(), "expected the error " + expected + ", got " + reply);
    assertEquals(expected, reply.text());
  }

  private static boolean clientListShows(RespConnection observer, String text) {
    return observer.call("CLIENT", "LIST").text().contains(text);
  }

  /**
   * A slot range stopped (as a crash of it would): commands for its slots reach a stopped actor and are answered
   * TRYAGAIN at once, and the connection goes on with other ranges. (A range stopped while it holds work answers
   * that work too: SlotRangeTest.)
   */
  @Test
  void aStoppedSlotRangeAnswersTryagainAndTheConnectionGoesOn() {
    try (NodeFixture node = start(false, Map.of());
        RespConnection client = RespConnection.open(node.port())) {
      String key = "k";
      String range = rangeName(key);
      String other = otherRangeKey(key);
      assertEquals("OK", client.call("SET", key, "v").text());
      node.node().system().classicSystem().actorSelection("/user/slot-range-" + range)
          .tell(new SlotRange.Stop(), ActorRef.noSender());
      Await.until("the range has stopped", TIMEOUT, () -> client.call("GET", key).isError());
      String stopped = "TRYAGAIN slot range " + range + " is stopped; the command was not run";
      assertError(stopped, client.call("GET", key));
      assertError(stopped, client.call("MSET", key, "1", other, "2"));
      assertEquals(Boolean.TRUE, client.call("GET", other).isNull(), "the MSET did not run on the other range");
      assertEquals("OK", client.call("SET", other, "1").text());
      assertEquals("1", client.call("GET", other).text());
    }
  }

  /**
   * Clients blocked in each kind of blocking command on keys of a range that stops get the range's TRYAGAIN (nothing
   * was taken), and their connections go on. The stop is sent as soon as the clients show as blocked, which is the
   * moment their registration in the range may still be under way (the race BlockedClients closes).
   */
  @Test
  void clientsBlockedInAStoppingRangeAreAnsweredAndTheirConnectionsGoOn() {
    try (NodeFixture node = start(false, Map.of());
        RespConnection observer = RespConnection.open(node.port())) {
      String key = "{b}list";
      String zkey = "{b}zset";
      String range = rangeName(key);
      String other = otherRangeKey(key);
      List<String[]> commands = List.of(
          new String[] {"BLPOP", key, "0"},
          new String[] {"BRPOPLPUSH", key, "{b}target", "0"},
          new String[] {"BLMOVE", key, "{b}target", "LEFT", "RIGHT", "0"},
          new String[] {"BZPOPMIN", zkey, "0"});
      List<RespConnection> clients = new ArrayList<>();
      try {
        for (String[] command : commands) {
          RespConnection client = RespConnection.open(node.port());
          clients.add(client);
          client.send(command);
        }
        Await.until("the clients are blocked", TIMEOUT,
            () -> observer.infoField("clients", "blocked_clients").equals(String.valueOf(commands.size())));
        node.node().system().classicSystem().actorSelection("/user/slot-range-" + range)
            .tell(new SlotRange.Stop(), ActorRef.noSender());
        for (RespConnection client : clients) {
          assertError("TRYAGAIN slot range " + range + " stopped while the client was blocked; nothing was taken",
              client.read());
          assertEquals("OK", client.call("SET", other, "v").text());
          assertError("TRYAGAIN slot range " + range + " is stopped; the command was not run",
              client.call("LPUSH", key, "x"));
        }
        assertEquals("0", observer.infoField("clients", "blocked_clients"));
      } finally {
        clients.forEach(RespConnection::close);
      }
    }
  }

  /**
   * The stop sent while the clients' blocking commands are still on their way: each is answered, whether its hold
   * reached the range before the stop (blocked, then ended) or after (a dead letter, not run), and none hangs.
   * A client whose holder's work runs on its own thread after the stop must still be answered (BlockedClients
   * refuses registrations after the end; SlotRangeBlockingTest makes that interleaving deterministic).
   */
  @Test
  void clientsBlockingAsTheirRangeStopsAreAnsweredAndTheirConnectionsGoOn() {
    try (NodeFixture node = start(false, Map.of())) {
      String key = "{b}list";
      String range = rangeName(key);
      String other = otherRangeKey(key);
      List<RespConnection> clients = new ArrayList<>();
      try {
        for (int i = 0; i < 16; i++) clients.add(RespConnection.open(node.port()));
        for (int i = 0; i < clients.size(); i++) {
          switch (i % 4) {
            case 0 -> clients.get(i).send("BLPOP", key, "0");
            case 1 -> clients.get(i).send("BRPOPLPUSH", key, "{b}target", "0");
            case 2 -> clients.get(i).send("BLMOVE", key, "{b}target", "LEFT", "RIGHT", "0");
            default -> clients.get(i).send("BZPOPMIN", "{b}zset", "0");
          }
        }
        node.node().system().classicSystem().actorSelection("/user/slot-range-" + range)
            .tell(new SlotRange.Stop(), ActorRef.noSender());
        String endedWhileBlocked = "TRYAGAIN slot range " + range
            + " stopped while the client was blocked; nothing was taken";
        String notRun = "TRYAGAIN slot range " + range + " is stopped; the command was not run";
        for (RespConnection client : clients) {
          RespReply reply = client.read();
          assertTrue(reply.isError() && (reply.text().equals(endedWhileBlocked) || reply.text().equals(notRun)),
              "expected the range's TRYAGAIN, got " + reply);
          assertEquals("OK", client.call("SET", other, "v").text());
        }
      } finally {
        clients.forEach(RespConnection::close);
      }
    }
  }

  @Test
  void aStoppedClusterManagerAnswersTryagainAndTheConnectionGoesOn() {
    try (NodeFixture node = start(true, Map.of());
        RespConnection client = RespConnection.open(node.port())) {
      assertTrue(client.call("CLUSTER", "INFO").text().contains("cluster_known_nodes:1"));
      stop(node, "/user/cluster");
      Await.until("the manager has stopped", TIMEOUT, () -> client.call("CLUSTER", "INFO").isError());
      assertError("TRYAGAIN the cluster manager is stopped; the command was not run",
          client.call("CLUSTER", "MYID"));
      assertEquals("PONG", client.call("PING").text());
    }
  }

  /** WAIT 0 waits as long as it takes; the source stopping answers it (0 replicas), and later WAITs too. */
  @Test
  void aStoppedReplicationSourceStillAnswersWait() {
    try (NodeFixture node = start(false, Map.of());
        RespConnection client = RespConnection.open(node.port());
        RespConnection observer = RespConnection.open(node.port())) {
      assertEquals("OK", client.call("SET", "k", "v").text());
      client.send("WAIT", "1", "0");
      Await.until("WAIT is waiting", TIMEOUT, () -> clientListShows(observer, "cmd=wait"));
      stop(node, "/user/replication");
      assertEquals(0, client.read().integer());
      assertEquals(0, client.call("WAIT", "1", "0").integer());
      assertEquals("v", client.call("GET", "k").text());
    }
  }

  /**
   * With appendfsync always a write's reply waits for the AOF writer's fsync: with the writer gone, the write gets
   * an error (it is applied in memory, not on disk), reads go on, and switching the AOF off makes writes succeed.
   */
  @Test
  void aStoppedAofWriterFailsTheWritesThatWaitForItAndTheConnectionGoesOn() {
    try (NodeFixture node = start(false, Map.of("appendonly", "yes", "appendfsync", "always"));
        RespConnection client = RespConnection.open(node.port())) {
      assertEquals("OK", client.call("SET", "k", "v").text());
      stop(node, "/system/aof-writer-1");
      Await.until("the writer has stopped", TIMEOUT, () -> client.call("SET", "k", "v2").isError());
      assertError("ERR the AOF writer is stopped; the write was applied in memory but may not be on disk",
          client.call("SET", "k", "v3"));
      assertEquals("v3", client.call("GET", "k").text());
      assertEquals("OK", client.call("CONFIG", "SET", "appendonly", "no").text());
      assertEquals("OK", client.call("SET", "k", "v4").text());
    }
  }

  /**
   * CONFIG SET appendonly no swaps the ranges' sink and stops the writer while writers with appendfsync always wait
   * for its fsync: no reply is lost in the hand-over (each write is answered OK, within the client's read timeout).
   */
  @Test
  void switchingTheAofOffAndOnUnderWritesLosesNoReply() throws Exception {
    try (NodeFixture node = start(false, Map.of("appendonly", "yes", "appendfsync", "always"));
        RespConnection admin = RespConnection.open(node.port())) {
      int writers = 4;
      List<CompletableFuture<Integer>> done = new ArrayList<>();
      java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(CompletableFuture.supplyAsync(() -> {
          int ok = 0;
          try (RespConnection client = RespConnection.open(node.port())) {
            for (int i = 0; !stop.get() || i < 50; i++) {
              RespReply reply = client.call("SET", "w" + writer + ":" + i, "x");
              if (!reply.isError() && reply.text().equals("OK")) ok++;
              else throw new AssertionError("SET answered " + reply);
            }
          }
          return ok;
        }));
      }
      for (int round = 0; round < 6; round++) {
        assertEquals("OK", admin.call("CONFIG", "SET", "appendonly", round % 2 == 0 ? "no" : "yes").text());
        Await.until("the AOF is " + (round % 2 == 0 ? "off" : "on"), TIMEOUT,
            () -> admin.infoField("persistence", "aof_rewrite_in_progress").equals("0"));
      }
      stop.set(true);
      for (CompletableFuture<Integer> writer : done) assertTrue(writer.get(60, TimeUnit.SECONDS) >= 50);
      assertEquals("PONG", admin.call("PING").text());
    }
  }
}
