package org.akkaredis.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The small stream payloads that queued up behind a full window go out joined, up to the payload limit, so that a
 * window of them carries more than a window of single flushes; anything else (a snapshot chunk, a ping) stays apart.
 */
class ReplicaChannelJoinTest {
  private final ReplicaChannel channel = new ReplicaChannel("r", "127.0.0.1", 7004, 42, null, 0);
  private final List<Payload> sent = new ArrayList<>();

  private static Payload.Stream stream(long end, int size, int fill) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) fill);
    return new Payload.Stream(end, bytes);
  }

  @Test
  void queuedStreamPayloadsGoOutJoinedUpToTheLimitAndInOrder() {
    int half = StreamPayloads.MAX_PAYLOAD_BYTES / 2;
    channel.enqueue(stream(110, 10, 1));
    channel.enqueue(stream(130, 20, 2));
    channel.enqueue(new Payload.Ping(130));
    channel.enqueue(stream(130 + half, half, 3));
    channel.enqueue(stream(130 + 2 * half, half, 4));
    channel.enqueue(stream(131 + 2 * half, 1, 5));
    channel.drain(0, (seq, payload) -> sent.add(payload));

    assertEquals(4, sent.size(), "two streams joined, the ping alone, two halves joined, the last byte alone");
    Payload.Stream first = assertInstanceOf(Payload.Stream.class, sent.get(0));
    assertEquals(130, first.end());
    byte[] expected = new byte[30];
    Arrays.fill(expected, 0, 10, (byte) 1);
    Arrays.fill(expected, 10, 30, (byte) 2);
    assertArrayEquals(expected, first.commands());
    assertInstanceOf(Payload.Ping.class, sent.get(1));
    Payload.Stream full = assertInstanceOf(Payload.Stream.class, sent.get(2));
    assertEquals(StreamPayloads.MAX_PAYLOAD_BYTES, full.commands().length);
    assertEquals(130 + 2 * half, full.end());
    assertEquals(131 + 2 * half, ((Payload.Stream) sent.get(3)).end());
    assertEquals(0, channel.queuedBytes());
  }
}
