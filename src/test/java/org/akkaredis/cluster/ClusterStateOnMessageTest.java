package org.akkaredis.cluster;

import static org.akkaredis.cluster.ClusterFixtures.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cluster state follows a bus message at once, as Redis's beforeSleep updates it after the message
 * (CLUSTER_TODO_UPDATE_STATE), not at the next cron run: a cluster being created is ok as soon as its nodes know
 * every slot's owner.
 */
class ClusterStateOnMessageTest {

  @Test
  void theMessageThatCompletesTheSlotsMakesTheClusterOk() {
    SimulatedBus bus = new SimulatedBus(5000);
    List<ClusterState> masters = List.of(bus.node(7001), bus.node(7002), bus.node(7003));
    bus.run(3000); // past the writable delay: up a while before the cluster is created, as redis-cli finds them
    int[][] ranges = {{0, 5460}, {5461, 10922}, {10923, 16383}};
    for (int i = 0; i < 3; i++) masters.get(i).addSlots(range(ranges[i][0], ranges[i][1]));
    bus.meetAll(masters);
    // Each period runs every node's cron and then delivers what it sent: a state that waited for the cron would
    // still say fail right after the delivery that taught it the last slots.
    bus.runUntil("every node knows every slot's owner", 5000,
        () -> masters.stream().allMatch(m -> m.infoText().contains("cluster_slots_assigned:16384\r\n")
            && m.size() == 3));
    for (ClusterState master : masters) assertTrue(master.ok(), master.infoText());
  }

  @Test
  void aMessageThatChangesNothingLeavesTheStateToTheCron() {
    SimulatedBus bus = new SimulatedBus(5000);
    ClusterState a = bus.node(7001);
    ClusterState b = bus.node(7002);
    a.addSlots(range(0, 16383));
    bus.meetAll(List.of(a, b));
    bus.run(1000);
    assertFalse(a.ok(), "a fresh master waits 2 s, whatever the bus says");
    assertEquals(16384, a.slotCount(a.myself()));
    bus.run(1500);
    assertTrue(a.ok());
    assertTrue(b.ok());
  }
}
