package org.akkaredis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.akkaredis.keyspace.SlotRouting;
import org.junit.jupiter.api.Test;

class ClusterStateTest {
  private static final String ID = "c5a41ec744fcb5d377f78ea0ec836d9e04e94d6e";
  private static final long START = 1_000_000;

  private final ClusterState fresh = ClusterState.fresh(ID, "", 7001, 17001, START);

  private static int[] range(int from, int to) {
    return IntStream.rangeClosed(from, to).toArray();
  }

  @Test
  void freshNodeLooksLikeRedis() {
    assertEquals(ID + " :7001@17001 myself,master - 0 0 0 connected\n", fresh.nodesText());
    assertTrue(fresh.infoText().startsWith("cluster_state:fail\r\ncluster_slots_assigned:0\r\n"));
    assertTrue(fresh.infoText().contains("cluster_known_nodes:1\r\n"));
    assertTrue(fresh.infoText().contains("cluster_size:0\r\n"));
  }

  @Test
  void addSlotsRefusesBusyAndRepeatedSlots() {
    ClusterState some = fresh.addSlots(new int[] {1, 2, 3}).state();
    assertEquals("ERR Slot 2 is already busy", some.addSlots(new int[] {5, 2}).error());
    assertEquals("ERR Slot 5 specified multiple times", some.addSlots(new int[] {5, 5}).error());
    assertEquals("ERR Slot 9 is already unassigned", some.delSlots(new int[] {9}).error());
    assertEquals(2, some.delSlots(new int[] {2}).state().mySlots().cardinality());
  }

  @Test
  void nodesLineListsCanonicalRuns() {
    ClusterState state = fresh.addSlots(range(0, 5460)).state().addSlots(new int[] {7000, 7002}).state();
    assertEquals(ID + " :7001@17001 myself,master - 0 0 0 connected 0-5460 7000 7002\n", state.nodesText());
  }

  @Test
  void stateTurnsOkOnlyWithFullCoverageAndAfterTheWritableDelay() {
    ClusterState all = fresh.addSlots(range(0, 16383)).state();
    assertFalse(all.evaluate(START + 1999, true).ok(), "a fresh master waits 2 s");
    ClusterState ok = all.evaluate(START + 2000, true);
    assertTrue(ok.ok());
    assertTrue(ok.infoText().startsWith("cluster_state:ok\r\n"));
    ClusterState partial = ok.delSlots(new int[] {42}).state().evaluate(START + 3000, true);
    assertFalse(partial.ok());
    assertTrue(partial.evaluate(START + 3000, false).ok(), "coverage not required");
    assertFalse(fresh.evaluate(START + 5000, false).ok(), "no slots: no majority of slot owners");
  }

  @Test
  void routingServesOwnSlotsOnlyWhenOk() {
    ClusterState ok = fresh.addSlots(range(0, 16383)).state().evaluate(START + 2000, true);
    assertNull(ok.routing(false).refusal(5798, true));
    ClusterState down = ok.delSlots(new int[] {42}).state().evaluate(START + 3000, true);
    SlotRouting routing = down.routing(false);
    assertEquals("CLUSTERDOWN Hash slot not served", routing.refusal(42, false));
    assertEquals("CLUSTERDOWN The cluster is down", routing.refusal(43, false));
    SlotRouting readsAllowed = down.routing(true);
    assertNull(readsAllowed.refusal(43, false));
    assertEquals("CLUSTERDOWN The cluster is down and only accepts read commands", readsAllowed.refusal(43, true));
  }
}
