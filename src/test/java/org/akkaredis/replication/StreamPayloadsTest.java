package org.akkaredis.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamPayloadsTest {
  private static ReplicationLog.Batch batch(long start, int range, int size, int fill) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) fill);
    return new ReplicationLog.Batch(start, range, bytes);
  }

  @Test
  void consecutiveBatchesShareAPayloadUpToTheLimit() {
    List<ReplicationLog.Batch> batches = List.of(batch(0, 0, 4, 'a'), batch(4, 1, 4, 'b'), batch(8, 0, 4, 'c'));
    List<Payload.Stream> payloads = StreamPayloads.of(batches, range -> true, 8);
    assertEquals(2, payloads.size());
    assertEquals(8, payloads.get(0).end(), "where the history is after it");
    assertArrayEquals("aaaabbbb".getBytes(), payloads.get(0).commands());
    assertEquals(12, payloads.get(1).end());
  }

  @Test
  void aBatchBiggerThanTheLimitGoesInFragmentsAfterWhatCameBefore() {
    List<ReplicationLog.Batch> batches = List.of(batch(0, 0, 3, 'a'), batch(3, 0, 10, 'b'), batch(13, 0, 2, 'c'));
    List<Payload.Stream> payloads = StreamPayloads.of(batches, range -> true, 4);
    assertEquals(List.of(3L, 7L, 11L, 13L, 15L), payloads.stream().map(Payload.Stream::end).toList());
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    payloads.forEach(p -> joined.writeBytes(p.commands()));
    assertArrayEquals("aaabbbbbbbbbbcc".getBytes(), joined.toByteArray());
  }

  @Test
  void theBatchesOfRangesNotFollowedYetAreLeftOut() {
    List<ReplicationLog.Batch> batches = List.of(batch(0, -1, 2, 's'), batch(2, 5, 4, 'x'), batch(6, 1, 3, 'y'));
    FullSyncPlan plan = new FullSyncPlan(6);
    plan.snapshotTaken(1, List.of(), 0);
    List<Payload.Stream> payloads = StreamPayloads.of(batches, plan::streams, 100);
    assertEquals(1, payloads.size());
    assertArrayEquals("ssyyy".getBytes(), payloads.get(0).commands());
    assertEquals(9, payloads.get(0).end());
  }
}
