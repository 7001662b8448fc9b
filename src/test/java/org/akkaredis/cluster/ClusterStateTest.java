package org.akkaredis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.akkaredis.keyspace.SlotRouting;
import org.junit.jupiter.api.Test;

/** The facade: a replica in everyone's view, with its routing, and CLUSTER RESET. */
class ClusterStateTest {
  private static final long TIMEOUT = 1000;
  private final SimulatedBus bus = new SimulatedBus(TIMEOUT);

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
}
