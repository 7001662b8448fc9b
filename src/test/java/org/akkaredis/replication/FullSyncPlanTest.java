package org.akkaredis.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FullSyncPlanTest {
  @Test
  void aRangesStreamJoinsOnceItsSnapshotIsOut() {
    FullSyncPlan plan = new FullSyncPlan(3);
    assertTrue(plan.streams(-1), "node-wide effects (SELECT) go from the start");
    assertFalse(plan.streams(1));
    assertTrue(plan.awaits(1));
    List<Payload> payloads = plan.snapshotTaken(1, List.of(new byte[] {1}, new byte[] {2}), 99);
    assertEquals(2, payloads.size(), "its chunks, no end yet");
    assertArrayEquals(new byte[] {1}, ((Payload.Chunk) payloads.get(0)).commands());
    assertArrayEquals(new byte[] {2}, ((Payload.Chunk) payloads.get(1)).commands());
    assertTrue(plan.streams(1));
    assertFalse(plan.streams(0));
    assertFalse(plan.complete());
  }

  @Test
  void theLastRangesSnapshotEndsTheSnapshotAtTheOffsetThen() {
    FullSyncPlan plan = new FullSyncPlan(2);
    plan.snapshotTaken(1, List.of(), 10);
    List<Payload> last = plan.snapshotTaken(0, List.of(new byte[] {7}), 42);
    assertEquals(new Payload.SnapshotDone(42), last.get(last.size() - 1));
    assertTrue(plan.complete());
    assertTrue(plan.streams(0));
  }
}
