package org.akkaredis.cluster;

import static org.akkaredis.cluster.ClusterFixtures.range;
import static org.akkaredis.cluster.ClusterFixtures.slots;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sharded pub/sub in the cluster model: PUBLISHSHARD's receivers and {@link ShardSlots}, over a {@link SimulatedBus}. */
class ShardedPublishTest {
  private final SimulatedBus bus = new SimulatedBus(1000);

  private static List<String> receivers(ClusterState from) {
    return from.effects().outgoing.stream().map(ClusterState.Outgoing::targetId).sorted().toList();
  }

  @Test
  void publishShardGoesToTheOtherNodesOfTheShardOnlyAndIsDeliveredThere() {
    List<ClusterState> masters = bus.threeMasters();
    bus.run(2500);
    List<ClusterState> replicas = ClusterFixtures.withReplicas(bus, masters, 2);
    ClusterState master = masters.get(0);
    bus.deliver();
    master.publishShard("ch".getBytes(), "m".getBytes());
    assertEquals(List.of(replicas.get(0).myself().id(), replicas.get(1).myself().id()).stream().sorted().toList(),
        receivers(master));
    BusMessage.Publish sent = (BusMessage.Publish) master.effects().outgoing.get(0).message();
    assertTrue(sent.shard());
    assertEquals(0, sent.header().slots().length(), "the light header carries no slots");
    master.effects().clear();
    // From a replica: to its master and the other replica.
    replicas.get(0).publishShard("ch".getBytes(), "r".getBytes());
    assertEquals(List.of(master.myself().id(), replicas.get(1).myself().id()).stream().sorted().toList(),
        receivers(replicas.get(0)));
    replicas.get(0).effects().clear();
    // Received: for the subscribers, and nothing learnt from its empty header (the sender keeps its slots).
    replicas.get(1).receive(sent, bus.now);
    assertEquals(List.of(sent), replicas.get(1).effects().published);
    assertEquals(master.myself().id(), replicas.get(1).owner(100).id());
    replicas.get(1).effects().clear();
    // A master without replicas has no one to tell.
    masters.get(1).publishShard("x".getBytes(), "y".getBytes());
    assertEquals(List.of(), receivers(masters.get(1)));
  }

  @Test
  void shardSlotsReportsTheSlotsTheShardStopsServing() {
    List<ClusterState> masters = bus.threeMasters();
    bus.run(2500);
    ClusterState replica = ClusterFixtures.withReplicas(bus, masters, 1).get(0);
    ShardSlots ofMaster = new ShardSlots();
    ShardSlots ofReplica = new ShardSlots();
    ShardSlots ofSecond = new ShardSlots();
    ShardSlots ofThird = new ShardSlots();
    assertTrue(ofMaster.update(masters.get(0)).isEmpty(), "nothing lost at the first look");
    assertTrue(ofReplica.update(replica).isEmpty());
    assertTrue(ofSecond.update(masters.get(1)).isEmpty());
    assertTrue(ofThird.update(masters.get(2)).isEmpty());
    // The second master deletes slots of its own: lost there only.
    assertNull(masters.get(1).delSlots(range(5461, 5470)));
    assertEquals(slots(5461, 5470), ofSecond.update(masters.get(1)));
    assertTrue(ofSecond.update(masters.get(1)).isEmpty(), "reported once");
    // The third takes the first master's slots with a newer epoch (what a failover elsewhere does): the first
    // shard's nodes, master and replica, lose them; the third gains and loses nothing.
    masters.get(2).myself().configEpoch = 10;
    masters.get(2).slots.addSlotsForTest(range(0, 5460));
    bus.run(1500);
    assertEquals(slots(0, 5460), ofMaster.update(masters.get(0)));
    assertEquals(slots(0, 5460), ofReplica.update(replica));
    assertEquals(new BitSet(), ofThird.update(masters.get(2)));
  }
}
