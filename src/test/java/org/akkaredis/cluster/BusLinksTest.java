package org.akkaredis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bus's links table: when links to and from a peer are created, and what ends them. */
class BusLinksTest {
  private static final String B = "b".repeat(40);
  private static final String C = "c".repeat(40);
  private final BusLinks links = new BusLinks();

  @Test
  void theFirstMessageEachWayCreatesTheLinkAndLaterOnesKeepIt() {
    assertTrue(links.sent("127.0.0.1", 17002, 1000));
    assertFalse(links.sent("127.0.0.1", 17002, 1100));
    assertTrue(links.received(B, "127.0.0.1", 17002, 1, 1050));
    assertFalse(links.received(B, "127.0.0.1", 17002, 1, 1200));
    BusLinks.Snapshot snapshot = links.snapshot();
    assertEquals(1000, snapshot.toCreatedMs("127.0.0.1", 17002));
    assertEquals(1050, snapshot.fromCreatedMs(B));
    assertEquals(-1, snapshot.toCreatedMs("127.0.0.1", 17003));
    assertEquals(-1, snapshot.fromCreatedMs(C));
  }

  @Test
  void aSnapshotDoesNotChangeWithTheTable() {
    links.sent("127.0.0.1", 17002, 1000);
    BusLinks.Snapshot before = links.snapshot();
    links.closed("127.0.0.1", 17002);
    links.sent("127.0.0.1", 17002, 2000);
    assertEquals(1000, before.toCreatedMs("127.0.0.1", 17002));
    assertEquals(2000, links.snapshot().toCreatedMs("127.0.0.1", 17002));
  }

  @Test
  void aNodeSpeakingFromAnotherAddressIsOnANewLink() {
    links.received(B, "127.0.0.1", 17002, 1, 1000);
    assertTrue(links.received(B, "127.0.0.1", 17012, 1, 3000));
    assertEquals(3000, links.snapshot().fromCreatedMs(B));
  }

  @Test
  void aPeerSpeakingAsANewIncarnationRestartedBothLinksAreNew() {
    links.sent("127.0.0.1", 17002, 1000);
    links.received(B, "127.0.0.1", 17002, 1, 1000);
    assertTrue(links.received(B, "127.0.0.1", 17002, 2, 4000));
    assertEquals(4000, links.snapshot().fromCreatedMs(B));
    assertEquals(-1, links.snapshot().toCreatedMs("127.0.0.1", 17002), "the link to the old process ended");
    assertTrue(links.sent("127.0.0.1", 17002, 4100));
    assertEquals(4100, links.snapshot().toCreatedMs("127.0.0.1", 17002));
  }

  @Test
  void aQuarantinedAddressLosesBothDirectionsAndOnlyThose() {
    links.sent("127.0.0.1", 17002, 1000);
    links.received(B, "127.0.0.1", 17002, 1, 1000);
    links.sent("127.0.0.1", 17003, 1000);
    links.received(C, "127.0.0.1", 17003, 1, 1000);
    assertTrue(links.closed("127.0.0.1", 17002));
    assertFalse(links.closed("127.0.0.1", 17002), "nothing left to close");
    BusLinks.Snapshot snapshot = links.snapshot();
    assertEquals(-1, snapshot.toCreatedMs("127.0.0.1", 17002));
    assertEquals(-1, snapshot.fromCreatedMs(B));
    assertEquals(1000, snapshot.toCreatedMs("127.0.0.1", 17003));
    assertEquals(1000, snapshot.fromCreatedMs(C));
    // the peer's next message is a new link
    assertTrue(links.received(B, "127.0.0.1", 17002, 1, 5000));
    assertEquals(5000, links.snapshot().fromCreatedMs(B));
  }

  @Test
  void aDroppedNodeLosesWhatTheDropNames() {
    links.sent("127.0.0.1", 17002, 1000);
    links.received(B, "127.0.0.1", 17002, 1, 1000);
    assertTrue(links.dropped(null, "127.0.0.1", 17002), "an address change: the link to the old address goes");
    assertEquals(1000, links.snapshot().fromCreatedMs(B), "the inbound link stays");
    links.sent("127.0.0.1", 17002, 2000);
    assertTrue(links.dropped(B, null, 17002), "another node is still at the address: only the inbound link goes");
    assertEquals(2000, links.snapshot().toCreatedMs("127.0.0.1", 17002));
    assertEquals(-1, links.snapshot().fromCreatedMs(B));
    assertTrue(links.dropped(B, "127.0.0.1", 17002));
    assertFalse(links.dropped(B, "127.0.0.1", 17002));
    assertEquals(BusLinks.Snapshot.NONE, links.snapshot());
  }
}
