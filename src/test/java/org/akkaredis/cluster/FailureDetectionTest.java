package org.akkaredis.cluster;

import static org.akkaredis.cluster.ClusterFixtures.flagsOf;
import static org.akkaredis.cluster.ClusterFixtures.known;
import static org.akkaredis.cluster.ClusterFixtures.range;
import static org.akkaredis.cluster.ClusterFixtures.slots;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** FailureDetection: PFAIL, FAIL, failure reports and the cluster state, over a {@link SimulatedBus}. */
class FailureDetectionTest {
  private static final long TIMEOUT = 1000;
  private final SimulatedBus bus = new SimulatedBus(TIMEOUT);

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

  // ---- the part on its own

  /** A master with slots 0-99 that knows masters b (100-199) and c (200-299): a majority is 2. */
  private ClusterState threeMastersKnownToA() {
    ClusterState a = bus.node(7001);
    a.addSlots(range(0, 99));
    a.slots.assign(known(a, 'b', 7002, ClusterNode.MASTER), slots(100, 199));
    a.slots.assign(known(a, 'c', 7003, ClusterNode.MASTER), slots(200, 299));
    a.effects().clear();
    return a;
  }

  @Test
  void pfailBecomesFailWithAMajorityOfReportsAndEveryoneIsTold() {
    ClusterState a = threeMastersKnownToA();
    ClusterNode b = a.node("b".repeat(40));
    ClusterNode c = a.node("c".repeat(40));
    c.flags |= ClusterNode.PFAIL;
    a.failures.markFailingIfNeeded(c, bus.now);
    assertEquals("master,fail?", c.flagWords(), "my own suspicion is 1 of 3");
    a.failures.reportedBy(b, c, true, bus.now);
    assertEquals("master,fail", c.flagWords(), "b's report makes 2 of 3");
    assertEquals(bus.now, c.failTimeMs);
    assertTrue(a.effects().save);
    assertEquals(Set.of(b.id(), c.id()), a.effects().outgoing.stream().map(ClusterState.Outgoing::targetId)
        .collect(Collectors.toSet()), "a FAIL to every node");
    for (ClusterState.Outgoing out : a.effects().outgoing) {
      assertEquals(c.id(), ((BusMessage.Fail) out.message()).failing());
    }
  }

  @Test
  void failureReportsAreWithdrawnAndExpireAfterTwoNodeTimeouts() {
    ClusterState a = threeMastersKnownToA();
    ClusterNode b = a.node("b".repeat(40));
    ClusterNode c = a.node("c".repeat(40));
    a.failures.reportedBy(b, c, true, bus.now);
    assertEquals(1, a.validFailReports(c, bus.now));
    assertEquals("master", c.flagWords(), "a report alone flags nothing");
    a.failures.reportedBy(b, c, false, bus.now);
    assertEquals(0, a.validFailReports(c, bus.now), "b says c is fine now");
    a.failures.reportedBy(b, c, true, bus.now);
    assertEquals(1, a.validFailReports(c, bus.now + 2 * TIMEOUT));
    assertEquals(0, a.validFailReports(c, bus.now + 2 * TIMEOUT + 1));
    assertTrue(c.failReports.isEmpty(), "expired reports are dropped");
  }

  @Test
  void aPongClearsPfailAtOnceAndFailOfAMasterWithSlotsAfterTwoNodeTimeouts() {
    ClusterState a = threeMastersKnownToA();
    ClusterNode c = a.node("c".repeat(40));
    c.flags |= ClusterNode.PFAIL;
    a.failures.pongReceived(c, bus.now);
    assertEquals("master", c.flagWords());

    c.flags |= ClusterNode.FAIL;
    c.failTimeMs = bus.now;
    a.failures.pongReceived(c, bus.now + 2 * TIMEOUT);
    assertEquals("master,fail", c.flagWords(), "it may still be failed over");
    a.failures.pongReceived(c, bus.now + 2 * TIMEOUT + 1);
    assertEquals("master", c.flagWords());

    ClusterNode replica = known(a, 'd', 7004, ClusterNode.SLAVE | ClusterNode.FAIL);
    ClusterNode noSlots = known(a, 'e', 7005, ClusterNode.MASTER | ClusterNode.FAIL);
    a.failures.pongReceived(replica, bus.now);
    a.failures.pongReceived(noSlots, bus.now);
    assertEquals("slave", replica.flagWords(), "nothing to fail over: cleared at once");
    assertEquals("master", noSlots.flagWords());
  }

  @Test
  void aFailMessageFlagsTheNodeButNeverMyself() {
    ClusterState a = threeMastersKnownToA();
    ClusterNode c = a.node("c".repeat(40));
    c.flags |= ClusterNode.PFAIL;
    a.failures.receiveFail(new BusMessage.Fail(a.header(), c.id()), bus.now);
    assertEquals("master,fail", c.flagWords());
    assertTrue(a.effects().save);
    a.failures.receiveFail(new BusMessage.Fail(a.header(), a.myself().id()), bus.now);
    assertEquals("myself,master", a.myself().flagWords());
  }

  @Test
  void aSilentNodeLosesItsLinkThenIsSuspectedAndAnIdleOneIsPinged() {
    ClusterState a = threeMastersKnownToA();
    ClusterNode b = a.node("b".repeat(40));
    ClusterNode c = a.node("c".repeat(40));
    for (ClusterNode node : List.of(b, c)) {
      node.linked = true;
      node.linkCreatedMs = bus.now;
      node.dataReceivedMs = bus.now;
      node.pongReceivedMs = bus.now;
    }
    c.pingSentMs = bus.now;
    a.failures.cron(bus.now + TIMEOUT / 2);
    assertTrue(a.effects().outgoing.isEmpty(), "b's pong is recent, c's ping is young");
    a.failures.cron(bus.now + TIMEOUT + 1);
    assertFalse(c.linked(), "Redis drops the link first");
    assertEquals("master", c.flagWords());
    assertEquals(List.of(b.id()), a.effects().outgoing.stream().map(ClusterState.Outgoing::targetId).toList(),
        "b's pong is older than half the node timeout: it is pinged");
    assertEquals(bus.now + TIMEOUT + 1, b.pingSentMs);
    long version = a.routingVersion();
    a.failures.cron(bus.now + TIMEOUT + 1);
    assertEquals("master,fail?", c.flagWords(), "no answer for the node timeout");
    assertTrue(a.routingVersion() > version);
  }
}
