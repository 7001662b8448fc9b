package org.akkaredis.cluster.bus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.NotSerializableException;
import java.util.BitSet;
import java.util.List;
import org.akkaredis.cluster.BusMessage;
import org.akkaredis.cluster.BusMessage.Gossip;
import org.akkaredis.cluster.BusMessage.Header;
import org.akkaredis.cluster.BusMessage.Ping;
import org.akkaredis.cluster.BusMessage.PingKind;
import org.junit.jupiter.api.Test;

class BusSerializerTest {
  private final BusSerializer serializer = new BusSerializer();

  private static Header header(String masterId) {
    BitSet slots = new BitSet();
    slots.set(0, 5461);
    slots.set(16383);
    return new Header("a".repeat(40), 7, 3, 1234, 2, slots, masterId, "10.0.0.1", "10.0.0.1", 7001, 17001,
        true, BusMessage.MF_PAUSED);
  }

  private BusMessage roundTrip(BusMessage message) throws NotSerializableException {
    BusEndpoint.Inbound inbound = new BusEndpoint.Inbound(message);
    byte[] bytes = serializer.toBinary(inbound);
    return ((BusEndpoint.Inbound) serializer.fromBinary(bytes, serializer.manifest(inbound))).message();
  }

  @Test
  void everyMessageTypeSurvivesTheWireWithAStableManifest() throws Exception {
    Header header = header("b".repeat(40));
    List<Gossip> gossip = List.of(new Gossip("c".repeat(40), 0, 99, "::1", 7003, 17003, 5));
    for (PingKind kind : PingKind.values()) {
      Ping ping = new Ping(kind, header, gossip);
      assertEquals(ping, roundTrip(ping));
      assertEquals(kind.name().toLowerCase(), serializer.manifest(new BusEndpoint.Inbound(ping)));
    }
    BitSet slots = new BitSet();
    slots.set(100);
    for (BusMessage message : List.<BusMessage>of(new BusMessage.Fail(header(null), "d".repeat(40)),
        new BusMessage.Update(header, "e".repeat(40), 9, slots), new BusMessage.FailoverAuthRequest(header),
        new BusMessage.FailoverAuthAck(header), new BusMessage.MfStart(header))) {
      assertEquals(message, roundTrip(message));
    }
    BusMessage.Publish publish = (BusMessage.Publish) roundTrip(
        new BusMessage.Publish(header, "ch".getBytes(), new byte[] {0, 1, 2}, true));
    assertArrayEquals(new byte[] {0, 1, 2}, publish.message());
    assertEquals("publishshard", BusMessage.statName(publish));
  }

  @Test
  void publishesTravelLightSenderAndBusAddressOnceThenEachChannelAndMessage() throws Exception {
    BusMessage.Publish one = new BusMessage.Publish(header(null), "news".getBytes(), new byte[16], false);
    BusMessage.Publish two = new BusMessage.Publish(header(null), "x".getBytes(), "hello".getBytes(), false);
    BusMessage.Publishes batch = new BusMessage.Publishes(header(null), List.of(one, two));
    BusEndpoint.Inbound inbound = new BusEndpoint.Inbound(batch, 77);
    assertEquals("publish-light", serializer.manifest(inbound));
    byte[] bytes = serializer.toBinary(inbound);
    // 40-byte id, host, port, count; then per message its channel and message with their lengths; incarnation.
    assertEquals(2 + 40 + 2 + 8 + 2 + 4 + (4 + 4 + 4 + 16) + (4 + 1 + 4 + 5) + 8, bytes.length);
    BusEndpoint.Inbound back = (BusEndpoint.Inbound) serializer.fromBinary(bytes, "publish-light");
    BusMessage.Publishes received = (BusMessage.Publishes) back.message();
    assertEquals(77, back.incarnation());
    assertEquals("publish", BusMessage.statName(received));
    assertEquals("a".repeat(40), received.header().sender());
    assertEquals("10.0.0.1", received.header().busHost());
    assertEquals(17001, received.header().cport());
    assertEquals(2, received.publishes().size());
    assertArrayEquals("news".getBytes(), received.publishes().get(0).channel());
    assertArrayEquals(new byte[16], received.publishes().get(0).message());
    assertArrayEquals("hello".getBytes(), received.publishes().get(1).message());
  }

  @Test
  void publishShardTravelsLightToo() throws Exception {
    BusMessage.Publish shard = new BusMessage.Publish(header(null), "ch".getBytes(), "hello".getBytes(), true);
    BusEndpoint.Inbound inbound = new BusEndpoint.Inbound(shard, 5);
    assertEquals("publishshard-light", serializer.manifest(inbound));
    byte[] bytes = serializer.toBinary(inbound);
    // The light layout with one message: id, host, port, count 1, channel, message, incarnation.
    assertEquals(2 + 40 + 2 + 8 + 2 + 4 + (4 + 2 + 4 + 5) + 8, bytes.length);
    BusEndpoint.Inbound back = (BusEndpoint.Inbound) serializer.fromBinary(bytes, "publishshard-light");
    BusMessage.Publish received = (BusMessage.Publish) back.message();
    assertEquals(5, back.incarnation());
    assertTrue(received.shard());
    assertEquals("publishshard", BusMessage.statName(received));
    assertEquals("a".repeat(40), received.header().sender());
    assertEquals(17001, received.header().cport());
    assertArrayEquals("ch".getBytes(), received.channel());
    assertArrayEquals("hello".getBytes(), received.message());
  }

  @Test
  void theSendersIncarnationTravelsLastAndIsZeroFromANodeThatDoesNotSendIt() throws Exception {
    BusEndpoint.Inbound inbound = new BusEndpoint.Inbound(new BusMessage.MfStart(header(null)), -42);
    byte[] bytes = serializer.toBinary(inbound);
    assertEquals(inbound, serializer.fromBinary(bytes, "mfstart"));
    byte[] without = java.util.Arrays.copyOf(bytes, bytes.length - Long.BYTES);
    assertEquals(new BusEndpoint.Inbound(inbound.message(), 0), serializer.fromBinary(without, "mfstart"));
  }

  @Test
  void unknownOrTruncatedMessagesAreRefused() {
    assertThrows(NotSerializableException.class, () -> serializer.fromBinary(new byte[0], "ping"));
    byte[] bytes = serializer.toBinary(new BusEndpoint.Inbound(new BusMessage.MfStart(header(null))));
    assertThrows(NotSerializableException.class, () -> serializer.fromBinary(bytes, "nosuch"));
  }
}
