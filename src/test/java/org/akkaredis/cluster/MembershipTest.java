package org.akkaredis.cluster;

import static org.akkaredis.cluster.ClusterFixtures.flagsOf;
import static org.akkaredis.cluster.ClusterFixtures.known;
import static org.akkaredis.cluster.ClusterFixtures.slots;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
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

  @Test
  void theBusLinksOfADroppedNodeGoWithIt() {
    ClusterState a = bus.node(7001);
    ClusterNode b = known(a, 'b', 7002, ClusterNode.MASTER);
    assertNull(a.forget(b.id(), bus.now));
    assertEquals(List.of(new ClusterState.LinkDrop(b.id(), "127.0.0.1", 17002)), a.effects().linksToDrop);
    a.effects().clear();

    ClusterNode c = known(a, 'c', 7003, ClusterNode.MASTER);
    known(a, 'd', 7003, ClusterNode.MASTER);
    assertNull(a.forget(c.id(), bus.now));
    assertEquals(List.of(new ClusterState.LinkDrop(c.id(), null, 17003)), a.effects().linksToDrop,
        "d is still at that address: the link to it stays");
    a.effects().clear();

    a.meet("127.0.0.1", 7999, 17999, bus.now);
    a.cron(bus.now + Membership.HANDSHAKE_MIN_TIMEOUT_MS + 1);
    assertTrue(a.effects().linksToDrop.stream().anyMatch(drop -> drop.host() != null && drop.cport() == 17999),
        "an unanswered handshake timed out: " + a.effects().linksToDrop);
  }

  // ---- the part on its own

  @Test
  void aGossipSectionNamesAtLeastThreeNodesAndEveryFailingOne() {
    ClusterState a = bus.node(7001);
    for (char c : "bcdeg".toCharArray()) known(a, c, 7002 + c - 'b', ClusterNode.MASTER).linked = true;
    ClusterNode failing = known(a, 'f', 7010, ClusterNode.MASTER | ClusterNode.PFAIL);
    ClusterNode handshaking = known(a, 'h', 7011, ClusterNode.HANDSHAKE);
    ClusterNode unlinkedWithoutSlots = known(a, '1', 7012, ClusterNode.MASTER);
    BusMessage.Ping ping = a.membership.ping(BusMessage.PingKind.PING);
    List<String> named = ping.gossip().stream().map(BusMessage.Gossip::id).toList();
    assertEquals(4, named.size(), named.toString());
    assertTrue(named.contains(failing.id()));
    assertFalse(named.contains(handshaking.id()) || named.contains(unlinkedWithoutSlots.id())
        || named.contains(a.myself().id()));
    assertEquals(a.myself().id(), ping.header().sender());
  }

  @Test
  void meetRefusesBadPortsAndStartsOneHandshakePerAddress() {
    ClusterState a = bus.node(7001);
    assertEquals("ERR Invalid node address specified: 10.0.0.1:0", a.meet("10.0.0.1", 0, 10000, bus.now));
    assertEquals("ERR Invalid node address specified: 10.0.0.1:7002", a.meet("10.0.0.1", 7002, 65536, bus.now));
    assertNull(a.meet("10.0.0.1", 7002, 17002, bus.now));
    assertNull(a.meet("10.0.0.1", 7002, 17002, bus.now));
    assertEquals(2, a.nodes().size());
    assertTrue(a.nodesText().contains(" 10.0.0.1:7002@17002 handshake - 0 0 0 disconnected\n"), a.nodesText());
  }

  @Test
  void forgetRefusesUnknownNodesAndMyMaster() {
    ClusterState a = bus.node(7001);
    ClusterNode master = known(a, 'b', 7002, ClusterNode.MASTER);
    assertEquals("ERR Unknown node " + "c".repeat(40), a.forget("c".repeat(40), bus.now));
    assertNull(a.replicate(master.id(), 0));
    assertEquals("ERR Can't forget my master!", a.forget(master.id(), bus.now));
  }

  @Test
  void aPongWithAnotherIdFromAKnownAddressLeavesTheOldIdWithoutAddress() {
    ClusterState a = bus.node(7001);
    ClusterNode old = known(a, 'b', 7002, ClusterNode.MASTER);
    ClusterState reset = bus.node(7002); // a new id at b's address
    a.receive(new BusMessage.Ping(BusMessage.PingKind.PONG, reset.header(), List.of()), bus.now);
    assertEquals("master,noaddr", old.flagWords());
    assertEquals(":0@0", old.address());
    assertEquals(List.of(new ClusterState.LinkDrop(old.id(), "127.0.0.1", 17002)), a.effects().linksToDrop);
    assertNull(a.node(reset.myself().id()), "the new id is learned by a handshake, not from this");
  }

  @Test
  void aMasterThatSaysItIsAReplicaLosesItsSlotsAndItsNewMasterIsAMigrationTarget() {
    ClusterState a = bus.node(7001);
    ClusterNode b = known(a, 'b', 7002, ClusterNode.MASTER);
    ClusterNode c = known(a, 'c', 7003, ClusterNode.MASTER);
    a.slots.assign(b, slots(0, 9));
    BusMessage.Header h = new BusMessage.Header(b.id(), 0, 0, 0, ClusterNode.SLAVE, new BitSet(), c.id(),
        "127.0.0.1", "127.0.0.1", 7002, 17002, true, 0);
    a.receive(new BusMessage.Ping(BusMessage.PingKind.PING, h, List.of()), bus.now);
    assertEquals("slave", b.flagWords());
    assertEquals(c.id(), b.masterId());
    assertEquals(0, a.slotCount(b));
    assertTrue(c.has(ClusterNode.MIGRATE_TO));
  }
}
