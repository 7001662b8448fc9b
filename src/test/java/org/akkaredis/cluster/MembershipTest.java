package org.akkaredis.cluster;

import static org.akkaredis.cluster.ClusterFixtures.flagsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Membership: MEET, handshakes, gossip and FORGET, on plain ClusterStates over a {@link SimulatedBus}. */
class MembershipTest {
  private static final long TIMEOUT = 1000;
  private final SimulatedBus bus = new SimulatedBus(TIMEOUT);

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
}
