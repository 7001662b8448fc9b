package org.akkaredis.cluster;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;

/** What the tests of ClusterState's parts share: slot ranges, flags as a viewer sees them, clusters with replicas. */
final class ClusterFixtures {
  private ClusterFixtures() {}

  static int[] range(int from, int to) {
    return IntStream.rangeClosed(from, to).toArray();
  }

  /** {@code node}'s flags as {@code viewer} sees them ("master,fail?"). */
  static String flagsOf(ClusterState viewer, ClusterState node) {
    return viewer.node(node.myself().id()).flagWords();
  }

  static String id(ClusterState node) {
    return node.myself().id();
  }

  /** {@code from}'s header with other epochs and mflags, as a hand-made message carries it. */
  static BusMessage.Header header(ClusterState from, long currentEpoch, long configEpoch, int mflags) {
    BusMessage.Header h = from.header();
    return new BusMessage.Header(h.sender(), currentEpoch, configEpoch, h.replOffset(), h.flags(), h.slots(),
        h.masterId(), h.myIp(), h.busHost(), h.port(), h.cport(), h.stateOk(), mflags);
  }

  /** {@code counts[i]} replicas of master i (from {@link SimulatedBus#threeMasters}), all in agreement. */
  static List<ClusterState> withReplicas(SimulatedBus bus, List<ClusterState> masters, int... counts) {
    List<ClusterState> replicas = new ArrayList<>();
    int port = 7004;
    for (int i = 0; i < counts.length; i++) {
      for (int n = 0; n < counts[i]; n++) {
        ClusterState replica = bus.node(port++);
        replica.meet("127.0.0.1", 7001, 17001, bus.now);
        replicas.add(replica);
      }
    }
    bus.run(2500);
    int next = 0;
    for (int i = 0; i < counts.length; i++) {
      for (int n = 0; n < counts[i]; n++) assertNull(replicas.get(next++).replicate(masters.get(i).myself().id(), 0));
    }
    bus.run(1500);
    return replicas;
  }

  /** Puts a node into {@code state}'s node table as if gossip had brought it: {@code c} repeated is its id. */
  static ClusterNode known(ClusterState state, char c, int port, int flags) {
    return known(state, String.valueOf(c).repeat(40), port, flags);
  }

  static ClusterNode known(ClusterState state, String id, int port, int flags) {
    ClusterNode node = new ClusterNode(id, "127.0.0.1", port, port + 10000, flags, SimulatedBus.START);
    state.nodes.put(node.id, node);
    return node;
  }

  static BitSet slots(int from, int to) {
    BitSet slots = new BitSet();
    slots.set(from, to + 1);
    return slots;
  }

  static void assertThrowsMessage(String part, Runnable run) {
    try {
      run.run();
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().contains(part), e.getMessage());
      return;
    }
    throw new AssertionError("no error");
  }
}
