package org.akkaredis.cluster;

import static org.akkaredis.cluster.ClusterFixtures.flagsOf;
import static org.akkaredis.cluster.ClusterFixtures.known;
import static org.akkaredis.cluster.ClusterFixtures.range;
import static org.akkaredis.cluster.ClusterFixtures.slots;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SlotOwnership: slot assignment and the configEpoch rules, over a {@link SimulatedBus}. */
class SlotOwnershipTest {
  private static final long TIMEOUT = 1000;
  private final SimulatedBus bus = new SimulatedBus(TIMEOUT);

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

  // ---- the part on its own

  @Test
  void onlyANewerConfigEpochWinsSlotsAndTheLoserEmptiesThem() {
    ClusterState a = bus.node(7001);
    assertNull(a.addSlots(range(0, 99)));
    assertNull(a.setConfigEpoch(5));
    ClusterNode b = known(a, 'b', 7002, ClusterNode.MASTER);
    a.effects().clear();

    b.configEpoch = 5;
    a.slots.updateSlotsConfigWith(b, 5, slots(0, 9), bus.now);
    assertEquals(a.myself(), a.owner(0), "an equal epoch does not win");
    assertTrue(a.effects().slotsToEmpty.isEmpty());

    b.configEpoch = 7;
    long version = a.routingVersion();
    a.slots.updateSlotsConfigWith(b, 7, slots(0, 9), bus.now);
    assertEquals(b, a.owner(0));
    assertEquals(a.myself(), a.owner(10));
    assertEquals(slots(0, 9), a.effects().slotsToEmpty, "the keys of the lost slots go");
    assertTrue(a.effects().save);
    assertTrue(a.routingVersion() > version);
    assertTrue(a.myself().isMaster(), "it keeps slots 10-99");
    a.effects().clear();

    a.slots.updateSlotsConfigWith(b, 7, slots(10, 99), bus.now);
    assertEquals(0, a.slotCount(a.myself()));
    assertTrue(a.myself().isReplica(), "all its slots went to b: it follows b");
    assertEquals(b.id(), a.myself().masterId());
    assertTrue(a.effects().slotsToEmpty.isEmpty(), "a replica's data follows its master instead");
    assertEquals(List.of("Configuration change detected. Reconfiguring myself as a replica of " + b.id()),
        a.effects().log);
  }

  @Test
  void aClaimOfMyOwnSlotsByMyselfChangesNothing() {
    ClusterState a = bus.node(7001);
    a.addSlots(range(0, 9));
    a.effects().clear();
    a.slots.updateSlotsConfigWith(a.myself(), 100, slots(0, 20), bus.now);
    assertEquals(10, a.slotCount(a.myself()));
    assertFalse(a.effects().save);
  }

  @Test
  void ofTwoMastersWithOneConfigEpochOnlyTheSmallerIdMovesOn() {
    ClusterState a = bus.node(7001);
    a.setConfigEpoch(3);
    ClusterNode larger = known(a, 'f', 7002, ClusterNode.MASTER);
    ClusterNode smaller = known(a, '0', 7003, ClusterNode.MASTER);
    larger.configEpoch = 3;
    smaller.configEpoch = 3;
    assertTrue(a.myself().id().compareTo(larger.id()) < 0, "ids are hex: none is larger than f...f");
    a.slots.handleConfigEpochCollision(smaller);
    assertEquals(3, a.myself().configEpoch(), "the other has the smaller id: it moves, not me");
    a.slots.handleConfigEpochCollision(larger);
    assertEquals(4, a.currentEpoch());
    assertEquals(4, a.myself().configEpoch(), "a new epoch of its own");
    assertTrue(a.effects().save);
    a.slots.handleConfigEpochCollision(larger);
    assertEquals(4, a.myself().configEpoch(), "no collision any more");
  }

  @Test
  void anUpdateWithANewerEpochMakesItsNodeTheMasterOfItsSlots() {
    ClusterState a = bus.node(7001);
    ClusterState sender = bus.node(7002);
    ClusterNode c = known(a, 'c', 7003, ClusterNode.SLAVE);
    c.masterId = "d".repeat(40);
    known(a, sender.myself().id(), 7002, ClusterNode.MASTER); // UPDATEs count only from known nodes

    a.receive(new BusMessage.Update(sender.header(), c.id(), 0, slots(0, 5)), bus.now);
    assertTrue(c.isReplica(), "epoch 0 is not newer than 0");
    a.receive(new BusMessage.Update(sender.header(), c.id(), 2, slots(0, 5)), bus.now);
    assertTrue(c.isMaster());
    assertEquals(2, c.configEpoch());
    assertEquals(c, a.owner(5));
    assertTrue(a.effects().saveBeforeSend, "on disk before anything is answered");
  }

  @Test
  void slotRunsAreMaximalAndAscending() {
    ClusterState a = bus.node(7001);
    a.addSlots(new int[] {0, 1, 2, 5, 16383});
    ClusterNode b = known(a, 'b', 7002, ClusterNode.MASTER);
    a.slots.assign(b, slots(3, 4));
    assertEquals(List.of("0-2", "5-5", "16383-16383"),
        a.slotRuns(a.myself()).stream().map(r -> r[0] + "-" + r[1]).toList());
    List<String> runs = new ArrayList<>();
    a.forEachOwnedRun((start, end, owner) -> runs.add(start + "-" + end + (owner == b ? " b" : " a")));
    assertEquals(List.of("0-2 a", "3-4 b", "5-5 a", "16383-16383 a"), runs);
    assertTrue(a.nodesText().contains(" connected 0-2 5 16383\n"), a.nodesText());
  }
}
