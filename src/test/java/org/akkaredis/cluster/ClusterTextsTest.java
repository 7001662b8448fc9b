package org.akkaredis.cluster;

import static org.akkaredis.cluster.ClusterFixtures.assertThrowsMessage;
import static org.akkaredis.cluster.ClusterFixtures.known;
import static org.akkaredis.cluster.ClusterFixtures.range;
import static org.akkaredis.cluster.ClusterFixtures.slots;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** ClusterTexts and NodesConf: CLUSTER NODES, CLUSTER INFO and nodes.conf. */
class ClusterTextsTest {
  private static final long TIMEOUT = 1000;
  private final SimulatedBus bus = new SimulatedBus(TIMEOUT);

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

  // ---- the part on its own

  @Test
  void nodeLinesShowAReplicasMasterEpochAndAMastersSlots() {
    ClusterState a = bus.node(7001);
    a.addSlots(range(0, 9));
    assertNull(a.setConfigEpoch(4));
    ClusterNode b = known(a, 'b', 7002, ClusterNode.MASTER | ClusterNode.PFAIL);
    b.configEpoch = 2;
    a.slots.assign(b, slots(10, 14));
    ClusterNode r = known(a, 'c', 7003, ClusterNode.SLAVE);
    r.masterId = b.id();
    known(a, 'd', 7004, ClusterNode.HANDSHAKE);
    assertEquals(b.id() + " 127.0.0.1:7002@17002 master,fail? - 0 0 2 disconnected 10-14", a.describe(b));
    assertEquals(r.id() + " 127.0.0.1:7003@17003 slave " + b.id() + " 0 0 2 disconnected", a.describe(r));
    assertEquals(4, a.nodesText().lines().count());
    assertEquals(3, NodesConf.format(a).lines().filter(l -> !l.startsWith("vars")).count(),
        "nodes.conf keeps no node in handshake");

    String info = a.infoText();
    assertTrue(info.contains("cluster_slots_assigned:15\r\ncluster_slots_ok:10\r\ncluster_slots_pfail:5\r\n"
        + "cluster_slots_fail:0\r\ncluster_known_nodes:4\r\ncluster_size:2\r\ncluster_current_epoch:4\r\n"
        + "cluster_my_epoch:4\r\ncluster_stats_messages_sent:0\r\ncluster_stats_messages_received:0\r\n"), info);
  }

  @Test
  void allNodeLinesAtOnceEqualEachNodesOwnLine() {
    ClusterState a = bus.node(7001);
    ClusterNode b = known(a, 'b', 7002, ClusterNode.MASTER);
    ClusterNode c = known(a, 'c', 7003, ClusterNode.MASTER);
    known(a, 'd', 7004, ClusterNode.HANDSHAKE);
    // Interleaved ownership: runs of every length, single slots, and the last slot.
    for (int slot = 0; slot < 16384; slot++) {
      int pick = (slot / 7 + slot % 3) % 4;
      BitSet one = slots(slot, slot);
      if (pick == 0) a.slots.assign(a.myself(), one);
      else if (pick == 1) a.slots.assign(b, one);
      else if (pick == 2) a.slots.assign(c, one);
    }
    StringBuilder oneByOne = new StringBuilder();
    for (ClusterNode node : a.nodes()) oneByOne.append(a.describe(node)).append('\n');
    assertEquals(oneByOne.toString(), a.nodesText());
    assertTrue(a.describe(b).split(" ").length > 1000, "b owns many runs: " + a.describe(b));
    assertEquals(oneByOne.toString().lines().filter(l -> !l.contains("handshake")).map(l -> l + "\n")
        .reduce("", String::concat) + "vars currentEpoch 0 lastVoteEpoch 0\n", NodesConf.format(a));
  }

  @Test
  void infoCountsMessagesByType() {
    ClusterState a = bus.node(7001);
    known(a, 'b', 7002, ClusterNode.MASTER);
    known(a, 'd', 7004, ClusterNode.HANDSHAKE | ClusterNode.MEET);
    a.cron(bus.now + ClusterState.CRON_PERIOD_MS);
    String info = a.infoText();
    assertTrue(info.contains("\r\ncluster_stats_messages_ping_sent:1\r\ncluster_stats_messages_meet_sent:1\r\n"
        + "cluster_stats_messages_sent:2\r\ncluster_stats_messages_received:0\r\n"
        + "total_cluster_links_buffer_limit_exceeded:0\r\n"), info);
  }
}
