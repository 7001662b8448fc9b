package org.akkaredis.cluster;

import static org.akkaredis.cluster.ClusterFixtures.id;
import static org.akkaredis.cluster.ClusterFixtures.range;
import static org.akkaredis.cluster.ClusterFixtures.withReplicas;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.akkaredis.keyspace.SlotRouting;
import org.junit.jupiter.api.Test;

/**
 * CLUSTER SETSLOT's rules in {@link SlotOwnership} (IMPORTING, MIGRATING, STABLE, NODE; error texts as
 * redis-server 7.0.15 answers them), the states in CLUSTER NODES and nodes.conf, and a slot moved by hand over a
 * {@link SimulatedBus}: every node ends agreeing on its new owner.
 */
class SlotMigrationTest {
  private static final long TIMEOUT = 1000;
  private final SimulatedBus bus = new SimulatedBus(TIMEOUT);

  @Test
  void setSlotChecksInRedisOrderWithRedisTexts() {
    List<ClusterState> masters = bus.threeMasters();
    List<ClusterState> replicas = withReplicas(bus, masters, 1);
    ClusterState a = masters.get(0);
    String b = id(masters.get(1));
    String replica = id(replicas.get(0));
    assertEquals("ERR I'm already the owner of hash slot 100", a.setSlot(100, "importing", b, 0));
    assertEquals("ERR I'm already the owner of hash slot 100", a.setSlot(100, "IMPORTING", "nonexistent", 0));
    assertEquals("ERR I'm not the owner of hash slot 6000", a.setSlot(6000, "migrating", b, 0));
    assertEquals("ERR I don't know about node nonexistent", a.setSlot(100, "migrating", "nonexistent", 0));
    assertEquals("ERR I don't know about node nonexistent", a.setSlot(6000, "importing", "nonexistent", 0));
    assertEquals("ERR Target node is not a master", a.setSlot(100, "migrating", replica, 0));
    assertEquals("ERR Target node is not a master", a.setSlot(6000, "importing", replica, 0));
    assertEquals("ERR Target node is not a master", a.setSlot(100, "node", replica, 0));
    assertEquals("ERR Unknown node nonexistent", a.setSlot(100, "node", "nonexistent", 0));
    assertEquals("ERR Invalid or out of range slot", a.setSlot(-1, "stable", null, 0));
    String invalid = "ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP";
    assertEquals(invalid, a.setSlot(100, "foo", b, 0));
    assertEquals(invalid, a.setSlot(100, "node", null, 0));
    assertEquals(invalid, a.setSlot(100, "stable", b, 0));
    assertEquals("ERR Can't assign hashslot 100 to a different node while I still hold keys for this hash slot.",
        a.setSlot(100, "node", b, 3));
    assertEquals("ERR Please use SETSLOT only with masters.", replicas.get(0).setSlot(-1, "stable", null, 0));
    assertEquals("ERR Please use SETSLOT only with masters.", replicas.get(0).setSlot(100, "node", b, 0));
    // Redis 7.0 lets a master migrate a slot to itself and import one from itself.
    assertNull(a.setSlot(100, "migrating", id(a), 0));
    assertNull(a.setSlot(100, "stable", null, 0));
    assertNull(a.migratingTo(100));
  }

  @Test
  void openSlotsShowOnMyOwnLineOnlyAndSurviveARestart() {
    List<ClusterState> masters = bus.threeMasters();
    bus.run(2500);
    ClusterState a = masters.get(0);
    ClusterState b = masters.get(1);
    assertNull(a.setSlot(100, "migrating", id(b), 0));
    assertNull(a.setSlot(7000, "importing", id(b), 0));
    assertNull(a.setSlot(5, "migrating", id(masters.get(2)), 0));
    String mine = a.describe(a.myself());
    assertTrue(mine.endsWith(" connected 0-5460 [5->-" + id(masters.get(2)) + "] [100->-" + id(b) + "] [7000-<-"
        + id(b) + "]"), mine);
    assertFalse(a.describe(a.node(id(b))).contains("["), "only myself's line carries open slots");
    assertFalse(b.nodesText().contains("["), "b knows nothing of a's open slots");

    String saved = NodesConf.format(a);
    ClusterState loaded = NodesConf.parse(saved, 7001, 17001, "127.0.0.1", bus.settings, new Random(1), bus.now);
    assertEquals(id(b), loaded.migratingTo(100).id());
    assertEquals(id(b), loaded.importingFrom(7000).id());
    assertEquals(id(masters.get(2)), loaded.migratingTo(5).id());
    assertTrue(loaded.routing().inMigration(100));
    assertTrue(loaded.routing().inMigration(7000));
    assertFalse(loaded.routing().inMigration(101));

    assertNull(a.setSlot(100, "stable", null, 0));
    assertNull(a.setSlot(7000, "STABLE", null, 0));
    assertTrue(a.describe(a.myself()).endsWith(" connected 0-5460 [5->-" + id(masters.get(2)) + "]"));
  }

  @Test
  void aSlotMovedByHandEndsWithItsNewOwnerEverywhere() {
    List<ClusterState> masters = bus.threeMasters();
    List<ClusterState> replicas = withReplicas(bus, masters, 1, 1);
    ClusterState a = masters.get(0);
    ClusterState b = masters.get(1);
    assertNull(b.setSlot(100, "importing", id(a), 0));
    assertNull(a.setSlot(100, "migrating", id(b), 0));
    SlotRouting atA = a.routing();
    assertEquals("ASK 100 127.0.0.1:7002", atA.refusal(100, 0, new SlotRouting.KeyCount(0, 1, false)));
    assertEquals("MOVED 100 127.0.0.1:7001", b.routing().refusal(100, 0, new SlotRouting.KeyCount(0, 1, false)));
    assertNull(b.routing().refusal(100, SlotRouting.ASKING, new SlotRouting.KeyCount(0, 1, false)));

    // The keys went (DUMP, RESTORE-ASKING, DEL); the source gives the slot up first, as redis-cli does.
    assertNull(a.setSlot(100, "node", id(b), 0));
    assertNull(a.migratingTo(100), "no key left: the migration is over here");
    assertEquals(id(b), a.owner(100).id());
    long before = b.myself().configEpoch;
    assertNull(b.setSlot(100, "node", id(b), 0));
    assertNull(b.importingFrom(100));
    assertTrue(b.myself().configEpoch > before, "b took a new epoch without an election (it had 2 of 3)");
    assertEquals(b.currentEpoch(), b.myself().configEpoch);
    for (ClusterNode other : b.nodes()) assertTrue(other == b.myself() || other.configEpoch < b.myself().configEpoch);
    assertTrue(b.effects().saveBeforeSend, "the new epoch is on disk before anyone hears of it");
    assertTrue(bus.logged(b, "configEpoch updated after importing slot 100"));
    bus.run(1500);
    for (ClusterState node : List.of(a, b, masters.get(2), replicas.get(0), replicas.get(1))) {
      assertEquals(id(b), node.owner(100).id(), node.myself().port() + " sees b own slot 100");
      assertEquals(id(a), node.owner(101).id());
      assertFalse(node.nodesText().contains("["), node.nodesText());
    }
  }

  @Test
  void anImportingSlotChangesHandsOnlyBySetSlot() {
    List<ClusterState> masters = bus.threeMasters();
    bus.run(2500);
    ClusterState a = masters.get(0);
    ClusterState b = masters.get(1);
    ClusterState c = masters.get(2);
    assertNull(b.setSlot(100, "importing", id(a), 0));
    // c claims slot 100 with a newer epoch: a and c follow the claim, b keeps importing from a.
    c.myself().configEpoch = 10;
    c.slots.addSlotsForTest(new int[] {100});
    bus.run(1500);
    assertEquals(id(c), a.owner(100).id());
    assertEquals(id(a), b.owner(100).id(), "an importing slot is closed by hand only");
    assertNull(b.setSlot(100, "stable", null, 0));
    bus.run(1500);
    assertEquals(id(c), b.owner(100).id());
  }

  @Test
  void aMasterThatGivesAwayItsLastSlotFollowsItsNewOwner() {
    List<ClusterState> masters = bus.threeMasters();
    bus.run(2500);
    ClusterState a = masters.get(0);
    ClusterState b = masters.get(1);
    assertNull(a.delSlots(range(1, 5460)));
    assertNull(a.setSlot(0, "node", id(b), 0));
    assertEquals("myself,slave", a.myself().flagWords());
    assertEquals(id(b), a.myself().masterId());
    assertTrue(bus.logged(a, "Configuration change detected. Reconfiguring myself as a replica of " + id(b)));
  }

  @Test
  void addSlotsEndsAnImportAndForgettingANodeEndsMigrationsWithIt() {
    List<ClusterState> masters = bus.threeMasters();
    bus.run(2500);
    ClusterState a = masters.get(0);
    ClusterState b = masters.get(1);
    ClusterState c = masters.get(2);
    // a forgets b's claim of slot 6000 (its own view only), then imports the slot and takes it with ADDSLOTS
    assertNull(a.delSlots(new int[] {6000}));
    assertNull(a.setSlot(6000, "importing", id(b), 0));
    assertNull(a.addSlots(new int[] {6000}));
    assertNull(a.importingFrom(6000));
    assertNull(a.setSlot(100, "migrating", id(c), 0));
    assertNull(a.forget(id(c), bus.now));
    assertNull(a.migratingTo(100));
  }
}
