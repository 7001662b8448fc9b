package org.akkaredis.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaChannelTest {
  @Test
  void atMostAWindowOfPayloadsTravelsUnacknowledged() {
    ReplicaChannel channel = new ReplicaChannel("r", "127.0.0.1", 7004, 42, null, 0);
    for (int i = 0; i < ReplicaChannel.WINDOW + 10; i++) channel.enqueue(new Payload.Chunk(new byte[100]));
    List<Long> sent = new ArrayList<>();
    channel.drain(0, (seq, payload) -> sent.add(seq));
    assertEquals(ReplicaChannel.WINDOW, sent.size());
    assertEquals(1L, sent.get(0));
    assertEquals(1000, channel.queuedBytes());
    assertTrue(channel.acked(5, 500, 10));
    channel.drain(10, (seq, payload) -> sent.add(seq));
    assertEquals(ReplicaChannel.WINDOW + 5, sent.size());
    assertFalse(channel.acked(1000, 0, 20), "an acknowledgement of what was never sent belongs to another sync");
    assertEquals(500, channel.ackOffset);
  }

  @Test
  void aReplicaIsOnlineOnceEveryRangeSnapshotWasSent() {
    ReplicaChannel channel = new ReplicaChannel("r", "127.0.0.1", 7004, 42, new FullSyncPlan(2), 0);
    assertFalse(channel.online());
    channel.fullSync.snapshotTaken(0, List.of(), 0);
    channel.fullSync.snapshotTaken(1, List.of(), 0);
    assertTrue(channel.online());
    assertTrue(new ReplicaChannel("r", "127.0.0.1", 7004, 43, null, 0).online(), "a continuation: online at once");
  }
}
