package org.akkaredis.cluster.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.akkaredis.cluster.ClusterNode;
import org.akkaredis.cluster.ClusterState;
import org.akkaredis.cluster.ReplicationStatus;
import org.akkaredis.cluster.bus.BusEndpoint;
import org.akkaredis.config.Settings;
import org.akkaredis.it.support.Await;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.resp.Reply;
import org.akkaredis.it.support.TempDirs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Three cluster managers in one ActorSystem whose clock the test moves (ManualTime): the cron's gossip, failure
 * detection and the bus's fault switch as actors, with the bus endpoints found locally instead of over
 * remoting.
 */
class ClusterManagerTest {
  private static final long TIMEOUT_MS = 1000;
  private static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config());
  private static final ManualTime manualTime = ManualTime.get(testKit.system());
  private static final AtomicLong clock = new AtomicLong(1_000_000);
  private static int nextPort = 7001;
  private static final List<Path> dirs = new ArrayList<>();

  /** Every node's bus endpoint lives at /user/cluster-<cport>/bus of this one ActorSystem. */
  private static final BusEndpoint.Directory LOCAL = (self, host, cport) ->
      ActorRefResolver.get(self.getSystem()).resolveActorRef(
          self.getSystem().path().address() + "/user/cluster-" + cport + "/bus");

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
    dirs.forEach(TempDirs::delete);
  }

  private record Node(ActorRef<ClusterManager.Command> manager, AtomicReference<SlotRouting> routing,
      Path nodesConf, int port, AtomicLong pausedUntil, AtomicLong longestPause) {

    <T> T ask(Function<ClusterState, T> work) {
      CompletableFuture<T> result = new CompletableFuture<>();
      manager.tell(new ClusterManager.Run<>(work, result));
      try {
        return result.get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    String flagsOf(Node other) {
      String id = other.ask(state -> state.myself().id());
      return ask(state -> state.node(id) == null ? "(unknown)" : state.node(id).flagWords());
    }
  }

  private static Node start() throws Exception {
    int port = nextPort++;
    Settings settings = Settings.defaults();
    settings.set(List.of("cluster-node-timeout", Long.toString(TIMEOUT_MS)));
    ClusterState state = new ClusterState(ClusterState.randomId(new Random(-port)), port, port + 10000,
        "127.0.0.1", settings, new Random(port), clock.get());
    Path dir = TempDirs.create("cluster-manager-test");
    dirs.add(dir);
    AtomicReference<SlotRouting> routing = new AtomicReference<>();
    AtomicLong pausedUntil = new AtomicLong(-1);
    // the pause can begin and end between two looks of the test: keep the latest end it was ever given
    AtomicLong longestPause = new AtomicLong(-1);
    ActorRef<ClusterManager.Command> manager = testKit.spawn(ClusterManager.create(state, dir.resolve("nodes.conf"),
        clock::get, new ClusterManager.Hooks(routing::set, slots -> { },
            () -> new ReplicationStatus(0, clock.get()), until -> {
              pausedUntil.set(until);
              longestPause.accumulateAndGet(until, Math::max);
            }, master -> { }), LOCAL),
        "cluster-" + (port + 10000));
    return new Node(manager, routing, dir.resolve("nodes.conf"), port, pausedUntil, longestPause);
  }

  /** Three masters with a third of the slots each, met as redis-cli meets them. */
  private static List<Node> threeMasters() throws Exception {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Node node = start();
      int first = i * 5462;
      int last = Math.min(16383, first + 5461);
      node.ask(state -> state.addSlots(IntStream.rangeClosed(first, last).toArray()));
      nodes.add(node);
    }
    for (Node node : nodes.subList(1, 3)) {
      int port = nodes.get(0).port;
      node.ask(state -> state.meet("127.0.0.1", port, port + 10000, clock.get()));
    }
    return nodes;
  }

  /** Moves time in cron periods until {@code condition} holds, failing after {@code maxMs} of node time. */
  private static long advanceUntil(String what, long maxMs, Predicate<Void> condition) {
    long start = clock.get();
    while (!condition.test(null)) {
      if (clock.get() - start > maxMs) throw new AssertionError("not within " + maxMs + " ms: " + what);
      clock.addAndGet(ClusterState.CRON_PERIOD_MS);
      manualTime.timePasses(Duration.ofMillis(ClusterState.CRON_PERIOD_MS));
    }
    return clock.get() - start;
  }

  @Test
  void managersMeetAgreeAndPublishRouting() throws Exception {
    List<Node> nodes = threeMasters();
    advanceUntil("all ok", 10_000, v -> nodes.stream().allMatch(n -> n.ask(ClusterState::ok)));
    for (Node node : nodes) {
      assertEquals(Integer.valueOf(3), node.ask(state -> state.nodes().size()));
      SlotRouting routing = node.routing().get();
      assertTrue(routing.stateOk());
    }
    assertNull(nodes.get(1).routing().get().refusal(5798, true, false), "5798 is the second master's");
    assertEquals("MOVED 5798 127.0.0.1:" + nodes.get(1).port,
        nodes.get(0).routing().get().refusal(5798, true, false));
    String id = nodes.get(0).ask(state -> state.myself().id());
    Await.until("nodes.conf written (on the blocking-I/O dispatcher)", Duration.ofSeconds(10), () -> {
      try {
        return Files.exists(nodes.get(0).nodesConf()) && Files.readString(nodes.get(0).nodesConf()).contains(
            id + " 127.0.0.1:" + nodes.get(0).port + "@" + (nodes.get(0).port + 10000) + " myself,master");
      } catch (Exception e) {
        return false;
      }
    }, () -> {
      try {
        return Files.readString(nodes.get(0).nodesConf());
      } catch (Exception e) {
        return e.toString();
      }
    });
  }

  /** CLUSTER LINKS of {@code node}: each link's direction, peer id and create-time. */
  private static List<List<String>> links(Node node) {
    Reply reply = node.ask(ClusterCommands::linksReply);
    return ((Reply.Array) reply).items().stream().map(link -> {
      List<Reply> fields = ((Reply.MapReply) link).keysAndValues();
      assertEquals(12, fields.size());
      return List.of(text(fields.get(1)), text(fields.get(3)), Long.toString(((Reply.Int) fields.get(5)).value()));
    }).toList();
  }

  private static String text(Reply bulk) {
    return new String(((Reply.Bulk) bulk).bytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** As Redis saves nodes.conf before it writes its replies: the answer to a change finds it on disk. */
  @Test
  void aChangeIsAnsweredOnceNodesConfHoldsIt() throws Exception {
    Node node = start();
    for (int slot = 0; slot < 20; slot++) {
      int added = slot;
      String conf = node.ask(state -> {
        state.addSlots(new int[] {added});
        return "";
      }) + Files.readString(node.nodesConf());
      assertTrue(conf.contains(" connected 0" + (added == 0 ? "" : "-" + added) + "\n"), conf);
    }
  }

  @Test
  void eachManagerListsOneLinkToAndOneLinkFromEachPeerUntilItForgetsThePeer() throws Exception {
    long before = clock.get();
    List<Node> nodes = threeMasters();
    advanceUntil("every node has two links with each peer", 10_000,
        v -> nodes.stream().allMatch(n -> links(n).size() == 4));
    for (Node node : nodes) {
      String myId = node.ask(state -> state.myself().id());
      List<List<String>> links = links(node);
      for (Node peer : nodes) {
        String peerId = peer.ask(state -> state.myself().id());
        if (peerId.equals(myId)) continue;
        for (String direction : List.of("to", "from")) {
          List<List<String>> matching = links.stream()
              .filter(l -> l.get(0).equals(direction) && l.get(1).equals(peerId)).toList();
          assertEquals(1, matching.size(), direction + " " + peerId + ": " + links);
          long created = Long.parseLong(matching.get(0).get(2));
          assertTrue(created >= before && created <= clock.get(), "dated by the node's clock: " + created);
        }
      }
    }
    String forgotten = nodes.get(2).ask(state -> state.myself().id());
    assertNull(nodes.get(0).ask(state -> state.forget(forgotten, clock.get())));
    List<List<String>> left = links(nodes.get(0));
    assertEquals(2, left.size(), left.toString());
    assertTrue(left.stream().noneMatch(l -> l.get(1).equals(forgotten)), left.toString());
  }

  @Test
  void isolatedMasterIsSuspectedAfterTheTimeoutThenFailedAndForgivenWhenBack() throws Exception {
    List<Node> nodes = threeMasters();
    advanceUntil("all ok", 10_000, v -> nodes.stream().allMatch(n -> n.ask(ClusterState::ok)));
    Node lost = nodes.get(2);
    lost.manager().tell(new ClusterManager.InjectFaults(BusEndpoint.Faults.isolate()));
    long failedAfter = advanceUntil("both others fail it", 5 * TIMEOUT_MS,
        v -> nodes.get(0).flagsOf(lost).equals("master,fail") && nodes.get(1).flagsOf(lost).equals("master,fail"));
    assertTrue(failedAfter > TIMEOUT_MS, "never before the node timeout: " + failedAfter);
    advanceUntil("the majority goes down (its slots have no owner)", 1000,
        v -> !nodes.get(0).routing().get().stateOk());
    assertEquals("CLUSTERDOWN The cluster is down", nodes.get(0).routing().get().refusal(16000, false, false));
    advanceUntil("the isolated node sees itself in a minority", 5 * TIMEOUT_MS,
        v -> !lost.routing().get().stateOk());

    lost.manager().tell(new ClusterManager.InjectFaults(BusEndpoint.Faults.NONE));
    advanceUntil("all ok again", 20 * TIMEOUT_MS, v -> nodes.stream().allMatch(n -> n.ask(ClusterState::ok)));
    assertEquals("master", nodes.get(0).flagsOf(lost));
  }

  @Test
  void replicaIsPromotedWhenItsMasterIsIsolatedAndHandsBackByManualFailover() throws Exception {
    List<Node> nodes = threeMasters();
    Node replica = start();
    int port = nodes.get(0).port;
    replica.ask(state -> state.meet("127.0.0.1", port, port + 10000, clock.get()));
    Node master = nodes.get(2);
    String masterId = master.ask(state -> state.myself().id());
    advanceUntil("the replica knows the master", 10_000, v -> replica.ask(state -> state.node(masterId) != null));
    String replicaId = replica.ask(state -> state.myself().id());
    assertNull(replica.ask(state -> state.replicate(masterId, 0)));
    advanceUntil("all ok, the replica known as such", 10_000, v -> nodes.stream().allMatch(
        n -> n.ask(ClusterState::ok) && n.flagsOf(replica).equals("slave")));

    master.manager().tell(new ClusterManager.InjectFaults(BusEndpoint.Faults.isolate()));
    long promotedAfter = advanceUntil("the replica is promoted", 10 * TIMEOUT_MS,
        v -> replica.ask(state -> state.myself().isMaster() && state.slotCount(state.myself()) > 0));
    assertTrue(promotedAfter > TIMEOUT_MS + 500, "failure detection, then the election delay: " + promotedAfter);
    long epoch = replica.ask(state -> state.myself().configEpoch());
    for (Node voter : nodes.subList(0, 2)) {
      assertEquals(Long.valueOf(epoch), voter.ask(ClusterState::lastVoteEpoch), "both votes were needed");
      // its ACK left only once this was fsynced, and the replica needed that ACK: no waiting here
      assertTrue(Files.readString(voter.nodesConf()).endsWith("lastVoteEpoch " + epoch + "\n"));
    }
    advanceUntil("the other masters route to it", 2000, v -> nodes.subList(0, 2).stream().allMatch(
        n -> n.routing().get().stateOk() && n.ask(state -> state.owner(16000).id().equals(replicaId))));

    master.manager().tell(new ClusterManager.InjectFaults(BusEndpoint.Faults.NONE));
    advanceUntil("the old master follows the new one", 10 * TIMEOUT_MS,
        v -> master.ask(state -> replicaId.equals(state.myself().masterId())));
    assertEquals(Integer.valueOf(0), master.ask(state -> state.slotCount(state.myself())));

    // and back: a manual failover, during which the master pauses writes and resumes them once demoted
    advanceUntil("the old master's link is up", 10 * TIMEOUT_MS,
        v -> master.ask(state -> state.node(replicaId).linked() && !state.node(replicaId).failing()));
    // MFSTART counts only from a node the master knows as its replica: wait until gossip has told it
    advanceUntil("the new master lists the old one as its replica", 10 * TIMEOUT_MS, v -> replica.ask(state -> {
      ClusterNode old = state.node(masterId);
      return old != null && old.isReplica() && replicaId.equals(old.masterId());
    }));
    long now = clock.get();
    assertNull(master.ask(state -> state.manualFailover(false, false, clock.get())));
    // MFSTART arrives some cron periods of node time later: the pause runs 10 s from then
    advanceUntil("the replica pauses writes for 10 s", 1000, v -> replica.longestPause().get() >= now + 10_000);
    advanceUntil("the old master is master again", 4500, v -> master.ask(state -> state.myself().isMaster()));
    advanceUntil("the demoted one resumes writes", 2000, v -> replica.pausedUntil().get() == 0
        && replica.ask(state -> masterId.equals(state.myself().masterId())));
  }
}
