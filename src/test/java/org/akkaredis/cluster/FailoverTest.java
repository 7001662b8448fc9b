package org.akkaredis.cluster;

import static org.akkaredis.cluster.ClusterFixtures.flagsOf;
import static org.akkaredis.cluster.ClusterFixtures.header;
import static org.akkaredis.cluster.ClusterFixtures.id;
import static org.akkaredis.cluster.ClusterFixtures.known;
import static org.akkaredis.cluster.ClusterFixtures.range;
import static org.akkaredis.cluster.ClusterFixtures.withReplicas;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Failover: elections, votes and manual failover, over a {@link SimulatedBus}. */
class FailoverTest {
  private static final long TIMEOUT = 1000;
  private final SimulatedBus bus = new SimulatedBus(TIMEOUT);

  private String electionStart(ClusterState replica) {
    return bus.log(replica).stream().filter(l -> l.startsWith("Start of election delayed for ")).findFirst()
        .orElseThrow();
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

  // ---- the part on its own

  @Test
  void theRankCountsSiblingsAheadThatMayFailOver() {
    ClusterState r = bus.node(7004);
    ClusterNode master = known(r, 'a', 7001, ClusterNode.MASTER);
    assertNull(r.replicate(master.id(), 0));
    ClusterNode ahead = known(r, 'b', 7005, ClusterNode.SLAVE);
    ahead.masterId = master.id();
    ahead.replOffset = 100;
    ClusterNode aheadButNoFailover = known(r, 'c', 7006, ClusterNode.SLAVE | ClusterNode.NOFAILOVER);
    aheadButNoFailover.masterId = master.id();
    aheadButNoFailover.replOffset = 200;
    r.replicationStatus(50, bus.now);
    assertEquals(1, r.failover.replicaRank());
    r.replicationStatus(150, bus.now);
    assertEquals(0, r.failover.replicaRank());
  }

  @Test
  void aVoteIsRefusedForAReplicaOfAnUnknownMaster() {
    ClusterState b = bus.node(7002);
    b.addSlots(range(0, 9));
    assertNull(b.setConfigEpoch(1)); // currentEpoch 1: no vote was given in it
    ClusterState r = bus.node(7004);
    ClusterNode rInB = known(b, r.myself().id(), 7004, ClusterNode.SLAVE);
    rInB.masterId = "e".repeat(40);
    b.effects().clear();
    b.failover.voteIfNeeded(rInB, header(r, 1, 0, BusMessage.MF_FORCEACK), bus.now);
    assertEquals(List.of("Failover auth denied to " + rInB.id() + ": I don't know its master"), b.effects().log);
    assertTrue(b.effects().outgoing.isEmpty());
    assertEquals(0, b.lastVoteEpoch());
  }
}
