package org.akkaredis.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.NotSerializableException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicationSerializerTest {
  private final ReplicationSerializer serializer = new ReplicationSerializer();

  private Object roundTrip(Object message) throws NotSerializableException {
    return serializer.fromBinary(serializer.toBinary(message), serializer.manifest(message));
  }

  @Test
  void everyMessageSurvivesTheWire() throws NotSerializableException {
    ReplicationSource.Sync sync = new ReplicationSource.Sync("r".repeat(40), "akka://x@127.0.0.1:17004/user/a",
        7004, -5, "m".repeat(40), 1234, "default", "s3cret");
    assertEquals(sync, roundTrip(sync));
    ReplicaLink.Refused refused = new ReplicaLink.Refused(-5, true, "WRONGPASS invalid username-password pair or "
        + "user is disabled.");
    assertEquals(refused, roundTrip(refused));
    ReplicaLink.Disconnected disconnected = new ReplicaLink.Disconnected(-7);
    assertEquals(disconnected, roundTrip(disconnected));
    ReplicationSource.Ack ack = new ReplicationSource.Ack("r".repeat(40), 7, 8, 9);
    assertEquals(ack, roundTrip(ack));
    List<Payload> payloads = List.of(new Payload.FullSync("m".repeat(40), 10, 3),
        new Payload.Continue("m".repeat(40), 11), new Payload.SnapshotDone(12), new Payload.Ping(13));
    for (Payload payload : payloads) {
      ReplicaLink.Deliver deliver = new ReplicaLink.Deliver(1, 2, payload);
      assertEquals(deliver, roundTrip(deliver));
    }
    ReplicaLink.Deliver stream = (ReplicaLink.Deliver) roundTrip(
        new ReplicaLink.Deliver(1, 3, new Payload.Stream(99, new byte[] {1, 2, 3})));
    assertEquals(99, ((Payload.Stream) stream.payload()).end());
    assertArrayEquals(new byte[] {1, 2, 3}, ((Payload.Stream) stream.payload()).commands());
    ReplicaLink.Deliver chunk = (ReplicaLink.Deliver) roundTrip(
        new ReplicaLink.Deliver(1, 4, new Payload.Chunk(new byte[] {4, 5})));
    assertArrayEquals(new byte[] {4, 5}, ((Payload.Chunk) chunk.payload()).commands());
  }
}
