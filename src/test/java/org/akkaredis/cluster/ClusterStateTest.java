package org.akkaredis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.akkaredis.keyspace.SlotRouting;
import org.junit.jupiter.api.Test;

/** Redis Cluster's rules on plain ClusterStates talking over a {@link SimulatedBus}. */
class ClusterStateTest {
  private static final long TIMEOUT = 1000;
  private final SimulatedBus bus = new SimulatedBus(TIMEOUT);

  private static int[] range(int from, int to) {
    return IntStream.rangeClosed(from, to).toArray();
  }

  private static String flagsOf(ClusterState viewer, ClusterState node) {
    return viewer.node(node.myself().id()).flagWords();
  }

  @Test
  void freshNodeLooksLikeRedis() {
    ClusterState fresh = bus.node(7001);
    String id = fresh.myself().id();
    assertEquals(40, id.length());
    assertEquals(id + " :7001@17001 myself,master - 0 0 0 connected\n", fresh.nodesText());
    assertTrue(fresh.infoText().startsWith("cluster_state:fail\r\ncluster_slots_assigned:0\r\n"));
    assertTrue(fresh.infoText().contains("\r\ncluster_known_nodes:1\r\ncluster_size:0\r\n"));
    assertEquals(id + " :7001@17001 myself,master - 0 0 0 connected\nvars currentEpoch 0 lastVoteEpoch 0\n",
        NodesConf.format(fresh));
  }

  @Test
  void slotAssignmentRefusesBusyRepeatedAndUnassignedSlots() {
    ClusterState node = bus.node(7001);
    assertNull(node.addSlots(new int[] {1, 2, 3}));
    assertEquals("ERR Slot 2 is already busy", node.addSlots(new int[] {5, 2}));
    assertEquals("ERR Slot 5 specified multiple times", node.addSlots(new int[] {5, 5}));
    assertEquals("ERR Slot 9 is already unassigned", node.delSlots(new int[] {9}));
    assertNull(node.delSlots(new int[] {2}));
    assertTrue(node.nodesText().endsWith(" connected 1 3\n"));
  }

  @Test
  void meetingOneNodeIntroducesEveryoneThroughGossip() {
    List<ClusterState> nodes = List.of(bus.node(7001), bus.node(7002), bus.node(7003), bus.node(7004));
    bus.meetAll(nodes);
    assertTrue(nodes.get(1).nodesText().contains(" handshake - 0 0 0 disconnected"), nodes.get(1).nodesText());
    bus.run(3000);
    for (ClusterState node : nodes) {
      assertEquals(4, node.nodes().size(), node.nodesText());
      for (ClusterState other : nodes) assertEquals(node == other ? "myself,master" : "master", flagsOf(node, other));
      assertEquals("127.0.0.1", node.myself().ip(), "learned from the MEET");
    }
  }

  @Test
  void aLostMeetIsSentAgainUntilTheHandshakeTimesOut() {
    ClusterState a = bus.node(7001);
    ClusterState b = bus.node(7002);
    bus.cut(a, b);
    b.meet("127.0.0.1", 7001, 17001, bus.now);
    bus.run(3000);
    assertEquals(1, a.nodes().size(), "nothing arrived");
    assertTrue(b.messagesSent("meet") >= 3, "one MEET a second");
    bus.heal();
    bus.run(1500);
    assertEquals(2, a.nodes().size(), a.nodesText());
    assertEquals("master", flagsOf(b, a));
    assertEquals("master", flagsOf(a, b));
  }

  @Test
  void anUnansweredHandshakeIsDroppedAfterItsTimeout() {
    ClusterState b = bus.node(7002);
    b.meet("127.0.0.1", 7999, 17999, bus.now);
    bus.run(Membership.HANDSHAKE_MIN_TIMEOUT_MS - 500);
    assertEquals(2, b.nodes().size(), "still in handshake");
    bus.run(1000);
    assertEquals(1, b.nodes().size());
  }

  @Test
  void allAgreeOnSlotsAndTurnOkAfterTheWritableDelay() {
    List<ClusterState> masters = bus.threeMasters();
    bus.run(1500);
    assertFalse(masters.get(0).ok(), "a fresh master waits 2 s");
    bus.run(1000);
    for (ClusterState master : masters) {
      assertTrue(master.ok(), master.infoText());
      assertTrue(master.infoText().contains("cluster_slots_assigned:16384\r\n"));
      assertTrue(master.infoText().contains("cluster_size:3\r\ncluster_current_epoch:3\r\n"));
      assertEquals(masters.get(1).myself().id(), master.owner(5798).id());
    }
    assertEquals(Set.of(masters.get(0).nodesText().lines().map(l -> l.replaceAll(" \\d+ \\d+ (\\d+) ", " $1 ")
        .replace("myself,", "")).sorted().toList()), Set.of(masters.get(2).nodesText().lines()
        .map(l -> l.replaceAll(" \\d+ \\d+ (\\d+) ", " $1 ").replace("myself,", "")).sorted().toList()));
  }

  @Test
  void mastersUpLongBeforeTheirClusterIsCreatedNeedNoRejoinDelay() {
    SimulatedBus slow = new SimulatedBus(5000); // a rejoin delay of 5 s
    List<ClusterState> masters = List.of(slow.node(7001), slow.node(7002), slow.node(7003));
    slow.run(5000);
    int[][] ranges = {{0, 5460}, {5461, 10922}, {10923, 16383}};
    for (int i = 0; i < 3; i++) masters.get(i).addSlots(range(ranges[i][0], ranges[i][1]));
    slow.meetAll(masters);
    slow.run(2000);
    for (ClusterState master : masters) assertTrue(master.ok(), "ok as soon as all agree: " + master.infoText());
  }

  @Test
  void masterBackFromAMinorityWaitsTheRejoinDelay() {
    List<ClusterState> masters = bus.threeMasters();
    bus.run(2500);
    ClusterState c = masters.get(2);
    bus.isolate(c);
    bus.run(3 * TIMEOUT);
    assertFalse(c.ok());
    bus.heal();
    bus.run(300);
    assertEquals("master", flagsOf(c, masters.get(0)), "it hears the majority again");
    assertFalse(c.ok(), "but takes no writes for the rejoin delay (the node timeout, 0.5-5 s)");
  }

  @Test
  void clusterFailsWithoutFullCoverageUnlessNotRequired() {
    List<ClusterState> masters = bus.threeMasters();
    bus.run(2500);
    masters.get(0).delSlots(new int[] {42});
    masters.get(0).updateState(bus.now);
    assertFalse(masters.get(0).ok());
    bus.settings.set(List.of("cluster-require-full-coverage", "no"));
    masters.get(0).updateState(bus.now);
    assertTrue(masters.get(0).ok());
  }

  @Test
  void unreachableMasterIsSuspectedThenFailedByMajorityAndForgivenLater() {
    List<ClusterState> masters = bus.threeMasters();
    ClusterState a = masters.get(0);
    ClusterState b = masters.get(1);
    ClusterState c = masters.get(2);
    bus.run(2500);
    bus.isolate(c);
    bus.run(TIMEOUT / 2);
    assertEquals("master", flagsOf(a, c), "not before the node timeout");
    bus.run(TIMEOUT + 500);
    assertEquals("master,fail", flagsOf(a, c), "a and b agree: 2 of 3 masters");
    assertEquals("master,fail", flagsOf(b, c));
    assertTrue(a.infoText().contains("cluster_slots_fail:5461\r\n"));
    assertFalse(a.ok(), "c's slots have no live owner");
    assertFalse(c.ok(), "c sees itself in a minority");
    assertEquals("master,fail?", flagsOf(c, a), "c alone cannot fail anyone: 1 of 3");

    bus.heal();
    bus.run(500);
    assertEquals("master", flagsOf(c, a), "a pong clears PFAIL at once");
    assertEquals("master,fail", flagsOf(a, c), "FAIL of a master with slots stays for 2 node timeouts");
    bus.run(2 * TIMEOUT);
    assertEquals("master", flagsOf(a, c));
    assertTrue(a.ok());
    bus.run(5000);
    assertTrue(c.ok(), "back after the rejoin delay");
  }

  @Test
  void failureReportsComeOnlyFromMastersAndExpire() {
    List<ClusterState> masters = bus.threeMasters();
    bus.run(2500);
    ClusterState c = masters.get(2);
    bus.cut(masters.get(0), c);
    bus.run(TIMEOUT + 600);
    ClusterState a = masters.get(0);
    ClusterState b = masters.get(1);
    assertEquals("master,fail?", flagsOf(a, c), "only a misses c");
    assertEquals(1, b.validFailReports(b.node(c.myself().id()), bus.now), "a told b");
    assertEquals("master", flagsOf(b, c), "b hears c: one report of a is no majority");
    bus.isolate(a);
    bus.run(2 * TIMEOUT + 200);
    assertEquals(0, b.validFailReports(b.node(c.myself().id()), bus.now), "a's report expired");

  }

  @Test
  void equalConfigEpochsAreResolvedBySmallerIdBumping() {
    List<ClusterState> nodes = List.of(bus.node(7001), bus.node(7002), bus.node(7003));
    bus.meetAll(nodes);
    bus.run(3000);
    Set<Long> epochs = new HashSet<>();
    for (ClusterState node : nodes) epochs.add(node.myself().configEpoch);
    assertEquals(3, epochs.size(), "three masters end with three epochs");
    ClusterState largestId = nodes.stream().max((x, y) -> x.myself().id().compareTo(y.myself().id())).get();
    assertEquals(0, largestId.myself().configEpoch, "the largest id never moves");
  }

  @Test
  void newerConfigEpochWinsSlotsAndTheLoserFollowsAsReplica() {
    List<ClusterState> masters = bus.threeMasters();
    bus.run(2500);
    ClusterState a = masters.get(0);
    ClusterState b = masters.get(1);
    // b takes a's slots with a newer epoch (what a failover does), a learns it from b's pings
    b.myself().configEpoch = 10;
    b.slots.addSlotsForTest(range(0, 5460));
    bus.run(1500);
    assertEquals(b.myself().id(), a.owner(100).id());
    assertEquals("myself,slave", a.myself().flagWords(), "a lost all its slots: it follows b");
    assertEquals(b.myself().id(), a.myself().masterId());
    assertEquals(b.myself().id(), masters.get(2).owner(100).id());
    assertEquals("slave", flagsOf(masters.get(2), a));
  }

  @Test
  void staleClaimerGetsAnUpdate() {
    List<ClusterState> masters = bus.threeMasters();
    bus.run(2500);
    ClusterState a = masters.get(0);
    ClusterState b = masters.get(1);
    bus.isolate(a);
    b.myself().configEpoch = 10;
    b.slots.addSlotsForTest(range(0, 5460));
    bus.run(200);
    bus.heal();
    bus.run(1500);
    assertTrue(a.messagesReceived("update") + a.messagesReceived("pong") > 0);
    assertEquals(b.myself().id(), a.owner(0).id());
    assertTrue(b.messagesSent("update") > 0 || masters.get(2).messagesSent("update") > 0,
        "someone told a its claim is stale");
  }

  @Test
  void replicateMakesAReplicaInEveryonesView() {
    List<ClusterState> masters = bus.threeMasters();
    ClusterState replica = bus.node(7004);
    replica.meet("127.0.0.1", 7001, 17001, bus.now);
    String aId = masters.get(0).myself().id();
    assertEquals("ERR Unknown node " + "f".repeat(40), replica.replicate("f".repeat(40), 0));
    bus.run(2500);
    assertEquals("ERR Can't replicate myself", replica.replicate(replica.myself().id(), 0));
    assertEquals("ERR To set a master the node must be empty and without assigned slots.",
        replica.replicate(aId, 3));
    assertEquals("ERR To set a master the node must be empty and without assigned slots.",
        masters.get(1).replicate(aId, 0));
    assertNull(replica.replicate(aId, 0));
    bus.run(1500);
    String line = masters.get(2).describe(masters.get(2).node(replica.myself().id()));
    assertTrue(line.matches(replica.myself().id() + " 127.0.0.1:7004@17004 slave " + aId + " \\d+ \\d+ 1 connected"),
        line);
    assertEquals("ERR I can only replicate a master, not a replica.",
        masters.get(1).replicate(replica.myself().id(), 0));
    SlotRouting routing = replica.routing();
    assertEquals("MOVED 100 127.0.0.1:7001", routing.refusal(100, false, false));
    assertNull(routing.refusal(100, false, true), "reads of its master's slots after READONLY");
    assertEquals("MOVED 100 127.0.0.1:7001", routing.refusal(100, true, true), "never writes");
    assertEquals("MOVED 5798 127.0.0.1:7002", routing.refusal(5798, false, true));
    assertEquals("cluster_my_epoch:1", replica.infoText().lines().filter(l -> l.startsWith("cluster_my_epoch"))
        .findFirst().orElseThrow().trim());
  }

  @Test
  void forgottenNodeStaysAwayForAMinute() {
    List<ClusterState> masters = bus.threeMasters();
    bus.run(2500);
    ClusterState a = masters.get(0);
    String cId = masters.get(2).myself().id();
    assertEquals("ERR I tried hard but I can't forget myself...", a.forget(a.myself().id(), bus.now));
    assertNull(a.forget(cId, bus.now));
    assertNull(a.node(cId));
    bus.run(5000);
    assertNull(a.node(cId), "b's gossip does not bring it back");
    bus.run(Membership.BLACKLIST_TTL_MS);
    assertTrue(a.node(cId) != null, "after 60 s gossip may bring it back");
  }

  @Test
  void resetForgetsEveryoneAndHardResetTakesANewIdentity() {
    List<ClusterState> masters = bus.threeMasters();
    bus.run(2500);
    ClusterState a = masters.get(0);
    String id = a.myself().id();
    assertEquals("ERR CLUSTER RESET can't be called with master nodes containing keys", a.reset(false, 1, bus.now));
    assertNull(a.reset(false, 0, bus.now));
    assertEquals(1, a.nodes().size());
    assertEquals(id, a.myself().id());
    assertEquals(1, a.myself().configEpoch, "soft keeps the epochs");
    assertNull(a.reset(true, 0, bus.now));
    assertNotEquals(id, a.myself().id());
    assertEquals(0, a.myself().configEpoch);
    assertEquals(0, a.currentEpoch());
  }

  @Test
  void configEpochCommands() {
    ClusterState node = bus.node(7001);
    assertEquals("ERR Invalid config epoch specified: -1", node.setConfigEpoch(-1));
    assertEquals("BUMPED 1", node.bumpEpoch());
    assertEquals("STILL 1", node.bumpEpoch());
    assertEquals("ERR Node config epoch is already non-zero", node.setConfigEpoch(5));
    ClusterState other = bus.node(7002);
    other.meet("127.0.0.1", 7001, 17001, bus.now);
    assertEquals("ERR The user can assign a config epoch only when the node does not know any other node.",
        other.setConfigEpoch(5));
  }

  @Test
  void nodesConfRoundTrips() {
    List<ClusterState> masters = bus.threeMasters();
    ClusterState replica = bus.node(7004);
    replica.meet("127.0.0.1", 7001, 17001, bus.now);
    bus.run(2500);
    replica.replicate(masters.get(0).myself().id(), 0);
    bus.run(1500);
    for (ClusterState state : List.of(masters.get(1), replica)) {
      String saved = NodesConf.format(state);
      assertTrue(saved.endsWith("vars currentEpoch 3 lastVoteEpoch 0\n"), saved);
      ClusterState loaded = NodesConf.parse(saved, state.myself().port(), state.myself().cport(), "127.0.0.1",
          bus.settings, new Random(1), bus.now);
      assertEquals(saved.replaceAll(" \\d{6,} ", " T "), NodesConf.format(loaded).replaceAll(" \\d{6,} ", " T ")
          .replace("disconnected", "connected"), "the same, but links are down until the first pong");
      assertEquals(state.myself().id(), loaded.myself().id());
      assertEquals(state.slotsOf(state.myself()), loaded.slotsOf(loaded.myself()));
    }
  }

  @Test
  void nodesConfFromRedisLoadsAndBadFilesAreRefused() {
    String redis = """
        80a8955edd9621b53c12ffbde777de374618a823 127.0.0.1:30001@40001 myself,master - 0 1795561472000 8 connected 0 2-5460 [100->-33713491ba7f1ba364f94d20e1085bacc0921232]
        d9b3a550b6bb7f04bdcf378026cc830baeae3f16 127.0.0.1:30006@40006,node6 slave 80a8955edd9621b53c12ffbde777de374618a823 0 1795561413000 8 connected
        vars currentEpoch 9 lastVoteEpoch 7
        """;
    ClusterState loaded = NodesConf.parse(redis, 30001, 40001, "127.0.0.1", bus.settings, new Random(1), bus.now);
    assertEquals(9, loaded.currentEpoch());
    assertEquals(7, loaded.lastVoteEpoch());
    BitSet expected = new BitSet();
    expected.set(0);
    expected.set(2, 5461);
    assertEquals(expected, loaded.slotsOf(loaded.myself()));
    assertEquals(8, loaded.epochOf(loaded.node("d9b3a550b6bb7f04bdcf378026cc830baeae3f16")));
    assertThrowsMessage("corrupted cluster config file", () -> NodesConf.parse("abc def\n", 1, 2, "h",
        bus.settings, new Random(1), 0));
    assertThrowsMessage("no myself line", () -> NodesConf.parse("vars currentEpoch 1 lastVoteEpoch 0\n", 1, 2,
        "h", bus.settings, new Random(1), 0));
  }

  // ---- failover

  /** {@code counts[i]} replicas of master i (from {@link SimulatedBus#threeMasters}), all in agreement. */
  private static List<ClusterState> withReplicas(SimulatedBus bus, List<ClusterState> masters, int... counts) {
    List<ClusterState> replicas = new java.util.ArrayList<>();
    int port = 7004;
    for (int i = 0; i < counts.length; i++) {
      for (int n = 0; n < counts[i]; n++) {
        ClusterState replica = bus.node(port++);
        replica.meet("127.0.0.1", 7001, 17001, bus.now);
        replicas.add(replica);
      }
    }
    bus.run(2500);
    int next = 0;
    for (int i = 0; i < counts.length; i++) {
      for (int n = 0; n < counts[i]; n++) assertNull(replicas.get(next++).replicate(masters.get(i).myself().id(), 0));
    }
    bus.run(1500);
    return replicas;
  }

  private String electionStart(ClusterState replica) {
    return bus.log(replica).stream().filter(l -> l.startsWith("Start of election delayed for ")).findFirst()
        .orElseThrow();
  }

  private static String id(ClusterState node) {
    return node.myself().id();
  }

  private static BusMessage.Header header(ClusterState from, long currentEpoch, long configEpoch, int mflags) {
    BusMessage.Header h = from.header();
    return new BusMessage.Header(h.sender(), currentEpoch, configEpoch, h.replOffset(), h.flags(), h.slots(),
        h.masterId(), h.myIp(), h.busHost(), h.port(), h.cport(), h.stateOk(), mflags);
  }

  @Test
  void replicaOfAFailedMasterIsElectedTakesTheSlotsAndTheOldMasterReturnsAsItsReplica() {
    List<ClusterState> masters = bus.threeMasters();
    List<ClusterState> replicas = withReplicas(bus, masters, 1, 1, 1);
    ClusterState a = masters.get(0);
    ClusterState ra = replicas.get(0);
    long epochBefore = ra.currentEpoch();
    bus.isolate(a);
    bus.runUntil("a is failed", 3 * TIMEOUT, () -> flagsOf(ra, a).equals("master,fail"));
    long failedAt = bus.now;
    long took = bus.runUntil("ra is promoted", 3000, () -> ra.myself().isMaster());
    assertTrue(took >= 500, "not before the fixed delay: " + took);
    long electionEpoch = epochBefore + 1;
    String delayed = electionStart(ra);
    assertTrue(delayed.matches("Start of election delayed for ([5-9]\\d\\d) milliseconds \\(rank #0, offset 0\\)\\."),
        delayed);
    assertTrue(bus.log(ra).containsAll(List.of("Starting a failover election for epoch " + electionEpoch + ".",
        "Failover election won: I'm the new master.",
        "configEpoch set to " + electionEpoch + " after successful failover")), bus.log(ra).toString());
    assertTrue(bus.now - failedAt < 1500, "promoted within the delay plus a vote round");
    bus.run(300);
    for (ClusterState viewer : List.of(masters.get(1), masters.get(2), ra, replicas.get(1), replicas.get(2))) {
      assertEquals(id(ra), viewer.owner(0).id(), "every reachable node has the new owner");
      assertEquals(viewer == ra ? "myself,master" : "master", flagsOf(viewer, ra));
      assertEquals(electionEpoch, viewer.node(id(ra)).configEpoch);
      assertTrue(viewer.ok(), viewer.infoText());
    }
    for (ClusterState voter : List.of(masters.get(1), masters.get(2))) {
      assertEquals(electionEpoch, voter.lastVoteEpoch());
      assertTrue(NodesConf.format(voter).endsWith("lastVoteEpoch " + electionEpoch + "\n"));
      assertTrue(bus.logged(voter, "Failover auth granted to " + id(ra) + " for epoch " + electionEpoch));
    }
    assertEquals(2, ra.messagesReceived("auth-ack"));
    assertTrue(ra.infoText().contains("cluster_stats_messages_auth-req_sent:"), ra.infoText());
    assertTrue(masters.get(1).infoText().contains("cluster_stats_messages_auth-ack_sent:1\r\n"));

    // a comes back but hears nothing from ra: the others tell it that its slots moved on (UPDATE)
    bus.heal();
    bus.cut(a, ra);
    bus.runUntil("a follows ra", 3000, () -> a.myself().isReplica());
    assertTrue(a.messagesReceived("update") > 0);
    assertEquals(id(ra), a.myself().masterId());
    assertEquals(id(ra), a.owner(0).id());
    assertTrue(bus.logged(a, "Configuration change detected. Reconfiguring myself as a replica of " + id(ra)));
    bus.heal();
    bus.runUntil("everyone sees a as ra's replica", 3000,
        () -> Stream.of(masters.get(1), masters.get(2), ra).allMatch(v -> flagsOf(v, a).equals("slave")));
  }

  @Test
  void theReplicaWithTheLargerOffsetGoesFirstAndARankThatWorsensAddsDelay() {
    List<ClusterState> masters = bus.threeMasters();
    List<ClusterState> replicas = withReplicas(bus, masters, 2, 0, 0);
    ClusterState behind = replicas.get(0);
    ClusterState ahead = replicas.get(1);
    behind.replicationStatus(50, bus.now);
    ahead.replicationStatus(100, bus.now);
    bus.run(1000); // their pings carry the offsets
    assertEquals(1, behind.failover.replicaRank());
    assertEquals(0, ahead.failover.replicaRank());
    bus.isolate(masters.get(0));
    bus.runUntil("both scheduled", 4 * TIMEOUT,
        () -> bus.logged(behind, "Start of election") && bus.logged(ahead, "Start of election"));
    assertTrue(electionStart(behind).matches("Start of election delayed for 1[5-9]\\d\\d milliseconds "
        + "\\(rank #1, offset 50\\)\\."), bus.log(behind).toString());
    assertTrue(electionStart(ahead).matches("Start of election delayed for [5-9]\\d\\d milliseconds "
        + "\\(rank #0, offset 100\\)\\."), bus.log(ahead).toString());
    // behind catches up past ahead: ahead, still waiting, learns it and steps back
    behind.replicationStatus(200, bus.now);
    ahead.receive(new BusMessage.Ping(BusMessage.PingKind.PING, behind.header(), List.of()), bus.now);
    bus.run(100);
    assertTrue(bus.log(ahead).contains("Replica rank updated to #1, added 1000 milliseconds of delay."),
        bus.log(ahead).toString());
    bus.runUntil("one of them is promoted", 3000, () -> behind.myself().isMaster() || ahead.myself().isMaster());
    bus.run(1000);
    assertTrue(behind.myself().isMaster() != ahead.myself().isMaster(), "exactly one");
  }

  @Test
  void twoReplicasNeverBothWinAnEpoch() {
    int contested = 0;
    for (long seed = 1; seed <= 8; seed++) {
      SimulatedBus run = new SimulatedBus(TIMEOUT, seed);
      List<ClusterState> masters = run.threeMasters();
      List<ClusterState> replicas = withReplicas(run, masters, 3, 0, 0);
      run.isolate(masters.get(0));
      run.run(8000);
      Set<String> winningEpochs = new HashSet<>();
      int winners = 0;
      for (ClusterState replica : replicas) {
        List<String> log = run.log(replica);
        for (int i = 0; i < log.size(); i++) {
          if (!log.get(i).equals("Failover election won: I'm the new master.")) continue;
          winners++;
          String started = log.subList(0, i).stream().filter(l -> l.startsWith("Starting a failover election"))
              .reduce((x, y) -> y).orElseThrow();
          assertTrue(winningEpochs.add(started), "seed " + seed + ": two winners of " + started);
        }
      }
      assertEquals(1, winners, "seed " + seed);
      if (run.logged(masters.get(1), "Failover auth denied") || run.logged(masters.get(2), "Failover auth denied")) {
        contested++;
      }
      String owner = masters.get(1).owner(0).id();
      assertEquals(owner, masters.get(2).owner(0).id(), "seed " + seed);
      for (ClusterState replica : replicas) {
        assertEquals(replica.myself().id().equals(owner), replica.myself().isMaster(), "seed " + seed);
        assertEquals(owner, replica.owner(0).id(), "seed " + seed);
      }
    }
    assertTrue(contested > 0, "some seeds had replicas asking in the same epoch, or a master refusing");
  }

  @Test
  void aMasterVotesOncePerEpochAndOnlyWhenEveryRuleHolds() {
    List<ClusterState> masters = bus.threeMasters();
    List<ClusterState> replicas = withReplicas(bus, masters, 2, 1, 0);
    ClusterState b = masters.get(1);
    ClusterState r1 = replicas.get(0);
    ClusterState r2 = replicas.get(1);
    long epoch = b.currentEpoch() + 1;
    String denied = "Failover auth denied to ";

    b.receive(new BusMessage.FailoverAuthRequest(header(r1, epoch, 1, 0)), bus.now);
    assertEquals(List.of(denied + id(r1) + ": its master is up"), b.effects().log);
    assertTrue(b.effects().outgoing.isEmpty(), "a refusal is silence");
    b.effects().clear();

    b.receive(new BusMessage.FailoverAuthRequest(header(r1, epoch, 1, BusMessage.MF_FORCEACK)), bus.now);
    assertEquals(List.of("Failover auth granted to " + id(r1) + " for epoch " + epoch), b.effects().log);
    assertEquals(1, b.effects().outgoing.size());
    assertTrue(b.effects().outgoing.get(0).message() instanceof BusMessage.FailoverAuthAck);
    assertTrue(b.effects().saveBeforeSend, "the vote is fsynced before the ACK leaves");
    assertEquals(epoch, b.lastVoteEpoch());
    b.effects().clear();

    b.receive(new BusMessage.FailoverAuthRequest(header(r2, epoch, 1, BusMessage.MF_FORCEACK)), bus.now);
    assertEquals(List.of(denied + id(r2) + ": already voted for epoch " + epoch), b.effects().log);
    b.effects().clear();

    b.receive(new BusMessage.FailoverAuthRequest(header(r2, epoch + 1, 1, BusMessage.MF_FORCEACK)), bus.now + 10);
    assertEquals(List.of(denied + id(r2) + ": can't vote about this master before " + (2 * TIMEOUT - 10)
        + " milliseconds"), b.effects().log);
    b.effects().clear();

    long later = bus.now + 2 * TIMEOUT;
    b.receive(new BusMessage.FailoverAuthRequest(header(r2, epoch, 1, BusMessage.MF_FORCEACK)), later);
    assertEquals(List.of(denied + id(r2) + ": reqEpoch (" + epoch + ") < curEpoch(" + (epoch + 1) + ")"),
        b.effects().log);
    b.effects().clear();

    b.receive(new BusMessage.FailoverAuthRequest(header(r2, epoch + 1, 0, BusMessage.MF_FORCEACK)), later);
    assertEquals(List.of(denied + id(r2) + ": slot 0 epoch (1) > reqEpoch (0)"), b.effects().log);
    b.effects().clear();

    b.receive(new BusMessage.FailoverAuthRequest(header(masters.get(2), epoch + 1, 3, BusMessage.MF_FORCEACK)),
        later);
    assertEquals(List.of(denied + id(masters.get(2)) + ": it is a master node"), b.effects().log);
    b.effects().clear();

    ClusterState rb = replicas.get(2);
    rb.receive(new BusMessage.FailoverAuthRequest(header(r2, epoch + 1, 1, BusMessage.MF_FORCEACK)), later);
    assertTrue(rb.effects().log.isEmpty() && rb.effects().outgoing.isEmpty(), "replicas never vote");
  }

  @Test
  void onlyAcksOfSlotOwningMastersInTheElectionsEpochCount() {
    List<ClusterState> masters = bus.threeMasters();
    List<ClusterState> replicas = withReplicas(bus, masters, 1, 1, 0);
    ClusterState ra = replicas.get(0);
    ClusterState b = masters.get(1);
    ClusterState c = masters.get(2);
    bus.isolate(masters.get(0));
    bus.runUntil("ra scheduled", 4 * TIMEOUT, () -> bus.logged(ra, "Start of election"));
    bus.cut(ra, b);
    bus.cut(ra, c);
    bus.runUntil("ra asked", 2000, () -> bus.logged(ra, "Starting a failover election"));
    long epoch = ra.currentEpoch();
    ra.receive(new BusMessage.FailoverAuthAck(header(b, epoch - 1, 2, 0)), bus.now);
    assertEquals(0, ra.failover.failoverAuthCount(), "an ACK of an older epoch");
    ra.receive(new BusMessage.FailoverAuthAck(header(replicas.get(1), epoch, 2, 0)), bus.now);
    assertEquals(0, ra.failover.failoverAuthCount(), "a replica's ACK");
    ra.receive(new BusMessage.FailoverAuthAck(header(b, epoch, 2, 0)), bus.now);
    assertEquals(1, ra.failover.failoverAuthCount());
    assertTrue(ra.myself().isReplica(), "1 of 3 is no majority");
    ra.receive(new BusMessage.FailoverAuthAck(header(c, epoch, 3, 0)), bus.now);
    assertTrue(ra.myself().isMaster(), "2 of 3 is");
    assertEquals(epoch, ra.myself().configEpoch);
  }

  @Test
  void staleReplicasAndReplicasConfiguredSoDoNotFailOver() {
    List<ClusterState> masters = bus.threeMasters();
    List<ClusterState> replicas = withReplicas(bus, masters, 1, 0, 0);
    ClusterState ra = replicas.get(0);
    // the limit: repl-ping-replica-period 10 s + node timeout x cluster-replica-validity-factor 10 = 20 s
    ra.replicationStatus(0, bus.now - 30_000);
    bus.isolate(masters.get(0));
    bus.run(2 * TIMEOUT + 7000);
    assertTrue(ra.myself().isReplica());
    assertTrue(bus.log(ra).contains("Currently unable to failover: Disconnected from master for longer than "
        + "allowed. Please check the 'cluster-replica-validity-factor' configuration option."), bus.log(ra).toString());
    bus.settings.set(List.of("cluster-replica-no-failover", "yes"));
    bus.settings.set(List.of("cluster-replica-validity-factor", "0"));
    bus.run(3000);
    assertTrue(ra.myself().isReplica(), "no failover");
    assertEquals("slave,nofailover", flagsOf(masters.get(1), ra), "the flag travels");
    bus.settings.set(List.of("cluster-replica-no-failover", "no"));
    bus.runUntil("promoted once allowed", 6000, () -> ra.myself().isMaster());
  }

  @Test
  void manualFailoverWaitsForTheMastersPausedOffsetThenWinsWithItsMasterUp() {
    List<ClusterState> masters = bus.threeMasters();
    List<ClusterState> replicas = withReplicas(bus, masters, 1, 0, 0);
    ClusterState a = masters.get(0);
    ClusterState ra = replicas.get(0);
    a.replicationStatus(50, bus.now);
    ra.replicationStatus(40, bus.now);
    assertEquals("ERR You should send CLUSTER FAILOVER to a replica", a.manualFailover(false, false, bus.now));
    long startedAt = bus.now;
    assertNull(ra.manualFailover(false, false, bus.now));
    bus.deliver();
    assertEquals(startedAt + 10_000, bus.pausedUntil.get(a), "the master pauses writes for 2 x 5 s");
    assertTrue(bus.logged(a, "Manual failover requested by replica " + id(ra) + "."));
    assertTrue(bus.log(ra).containsAll(List.of("Manual failover user request accepted.",
        "Received replication offset for paused master manual failover: 50")), bus.log(ra).toString());
    bus.run(500);
    assertTrue(ra.myself().isReplica(), "40 of 50: not yet");
    ra.replicationStatus(50, bus.now);
    bus.runUntil("ra promoted", 500, () -> ra.myself().isMaster());
    assertTrue(bus.log(ra).containsAll(List.of("All master replication stream processed, manual failover can start.",
        "Start of election delayed for 0 milliseconds (rank #0, offset 50).")), bus.log(ra).toString());
    bus.runUntil("a follows ra", 1000, () -> a.myself().isReplica());
    assertEquals(id(ra), a.myself().masterId());
    assertEquals(0L, bus.pausedUntil.get(a), "demoted, it resumes writes (to answer MOVED)");
  }

  @Test
  void manualFailoverTimesOutAndRefusesWhenTheMasterIsDownOrUnknown() {
    List<ClusterState> masters = bus.threeMasters();
    List<ClusterState> replicas = withReplicas(bus, masters, 1, 0, 0);
    ClusterState a = masters.get(0);
    ClusterState ra = replicas.get(0);
    a.replicationStatus(50, bus.now);
    assertNull(ra.manualFailover(false, false, bus.now));
    bus.run(Failover.MF_TIMEOUT_MS + 200);
    assertTrue(ra.myself().isReplica());
    assertTrue(bus.logged(ra, "Manual failover timed out."));
    assertTrue(bus.logged(a, "Manual failover timed out."));
    assertEquals(0L, bus.pausedUntil.get(a), "writes resume");

    bus.isolate(a);
    bus.runUntil("a failed", 4 * TIMEOUT, () -> flagsOf(ra, a).equals("master,fail"));
    assertEquals("ERR Master is down or failed, please use CLUSTER FAILOVER FORCE",
        ra.manualFailover(false, false, bus.now));

    String unknown = "e".repeat(40);
    ClusterState orphan = NodesConf.parse("d".repeat(40) + " 127.0.0.1:7009@17009 myself,slave " + unknown
        + " 0 0 0 connected\nvars currentEpoch 1 lastVoteEpoch 0\n", 7009, 17009, "127.0.0.1", bus.settings,
        new Random(1), bus.now);
    assertEquals("ERR I'm a replica but my master is unknown to me", orphan.manualFailover(true, false, bus.now));
  }

  @Test
  void forcedFailoverNeedsNoFailedMasterAndTakeoverNeedsNoVotes() {
    List<ClusterState> masters = bus.threeMasters();
    List<ClusterState> replicas = withReplicas(bus, masters, 1, 1, 0);
    ClusterState a = masters.get(0);
    ClusterState ra = replicas.get(0);
    bus.isolate(a);
    assertNull(ra.manualFailover(true, false, bus.now), "FORCE: the master is unreachable, not yet failed");
    bus.runUntil("ra promoted by votes", 500, () -> ra.myself().isMaster());
    assertTrue(bus.logged(ra, "Forced failover user request accepted."));
    assertEquals(2, ra.messagesReceived("auth-ack"));

    ClusterState b = masters.get(1);
    ClusterState rb = replicas.get(1);
    long epochs = rb.currentEpoch();
    long requests = rb.messagesSent("auth-req");
    assertNull(rb.manualFailover(false, true, bus.now));
    assertTrue(rb.myself().isMaster(), "at once");
    assertEquals(epochs + 1, rb.myself().configEpoch, "an epoch of its own, without consensus");
    assertEquals(requests, rb.messagesSent("auth-req"), "no votes asked");
    assertTrue(bus.logged(rb, "Taking over the master (user request)."));
    bus.runUntil("b follows rb", 1000, () -> b.myself().isReplica());
    assertEquals(id(rb), masters.get(2).owner(5461).id());
  }

  @Test
  void aReplicaMigratesToAnOrphanedMasterWhenItsOwnKeepsEnough() {
    List<ClusterState> masters = bus.threeMasters();
    List<ClusterState> replicas = withReplicas(bus, masters, 2, 1, 0);
    ClusterState b = masters.get(1);
    ClusterState r1 = replicas.get(0);
    ClusterState r2 = replicas.get(1);
    ClusterState rb = replicas.get(2);
    bus.isolate(rb);
    bus.runUntil("rb failed", 4 * TIMEOUT, () -> flagsOf(r1, rb).equals("slave,fail"));
    long orphanedAt = bus.now;
    ClusterState mover = id(r1).compareTo(id(r2)) < 0 ? r1 : r2;
    ClusterState stayer = mover == r1 ? r2 : r1;
    bus.runUntil("the smaller id migrates", 7000, () -> id(b).equals(mover.myself().masterId()));
    assertTrue(bus.now - orphanedAt > ReplicaMigration.MIGRATION_DELAY_MS, "orphaned for 5 s first");
    assertTrue(bus.logged(mover, "Migrating to orphaned master " + id(b)));
    assertEquals(id(masters.get(0)), stayer.myself().masterId());
    bus.run(1000);
    assertEquals("slave", flagsOf(masters.get(2), mover));
    assertEquals(id(b), masters.get(2).node(id(mover)).masterId());
  }

  @Test
  void noMigrationBelowTheBarrierOrWhenNotAllowed() {
    bus.settings.set(List.of("cluster-migration-barrier", "2"));
    List<ClusterState> masters = bus.threeMasters();
    List<ClusterState> replicas = withReplicas(bus, masters, 2, 1, 0);
    bus.isolate(replicas.get(2));
    bus.run(4 * TIMEOUT + 7000);
    assertEquals(id(masters.get(0)), replicas.get(0).myself().masterId(), "2 replicas do not exceed a barrier of 2");
    assertEquals(id(masters.get(0)), replicas.get(1).myself().masterId());
    bus.settings.set(List.of("cluster-migration-barrier", "1"));
    bus.settings.set(List.of("cluster-allow-replica-migration", "no"));
    bus.run(7000);
    assertEquals(id(masters.get(0)), replicas.get(0).myself().masterId(), "migration switched off");
    assertEquals(id(masters.get(0)), replicas.get(1).myself().masterId());
  }

  private static void assertThrowsMessage(String part, Runnable run) {
    try {
      run.run();
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().contains(part), e.getMessage());
      return;
    }
    throw new AssertionError("no error");
  }
}
