package org.akkaredis.cluster.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.Address;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.eventstream.EventStream;
import akka.remote.QuarantinedEvent;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.akkaredis.cluster.BusLinks;
import org.akkaredis.cluster.BusMessage;
import org.akkaredis.cluster.BusMessage.Header;
import org.akkaredis.cluster.BusMessage.Ping;
import org.akkaredis.cluster.BusMessage.PingKind;
import org.akkaredis.cluster.ClusterState.Outgoing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's DEBUG DROP-CLUSTER-PACKET-FILTER (received messages of one Redis type number are dropped) and its
 * silence towards a peer Akka remoting quarantined.
 */
class BusEndpointTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final ActorTestKit manualKit = ActorTestKit.create(
      ManualTime.config().withFallback(ConfigFactory.load()));
  private static final ManualTime manualTime = ManualTime.get(manualKit.system());

  @AfterAll
  static void shutdownTestKit() {
    testKit.shutdownTestKit();
    manualKit.shutdownTestKit();
  }

  private static Header header() {
    return new Header("a".repeat(40), 1, 1, 0, 0, new BitSet(), null, "127.0.0.1", "127.0.0.1", 7000, 17000,
        false, 0);
  }

  private static Ping ping(PingKind kind) {
    return new Ping(kind, header(), List.of());
  }

  @Test
  void messagesHaveRedisTypeNumbers() {
    Header h = header();
    assertEquals(0, BusEndpoint.typeNumber(ping(PingKind.PING)));
    assertEquals(1, BusEndpoint.typeNumber(ping(PingKind.PONG)));
    assertEquals(2, BusEndpoint.typeNumber(ping(PingKind.MEET)));
    assertEquals(3, BusEndpoint.typeNumber(new BusMessage.Fail(h, "b".repeat(40))));
    assertEquals(4, BusEndpoint.typeNumber(new BusMessage.Publish(h, new byte[0], new byte[0], false)));
    assertEquals(4, BusEndpoint.typeNumber(new BusMessage.Publishes(h, List.of())));
    assertEquals(5, BusEndpoint.typeNumber(new BusMessage.FailoverAuthRequest(h)));
    assertEquals(6, BusEndpoint.typeNumber(new BusMessage.FailoverAuthAck(h)));
    assertEquals(7, BusEndpoint.typeNumber(new BusMessage.Update(h, "b".repeat(40), 1, new BitSet())));
    assertEquals(8, BusEndpoint.typeNumber(new BusMessage.MfStart(h)));
    assertEquals(10, BusEndpoint.typeNumber(new BusMessage.Publish(h, new byte[0], new byte[0], true)));
  }

  @Test
  void publishMessagesQueuedTogetherTravelAsOneBatchPerPeerInOrder() {
    TestProbe<BusMessage> delivered = testKit.createTestProbe();
    TestProbe<BusEndpoint.Command> peer = testKit.createTestProbe();
    ActorRef<BusEndpoint.Command> endpoint = testKit.spawn(BusEndpoint.create(delivered.getRef(),
        (self, host, cport) -> peer.getRef()));
    // Told while the endpoint may already run: the first flush takes what came before it, the rest the next one.
    int count = 300;
    for (int i = 0; i < count; i++) {
      endpoint.tell(new BusEndpoint.Send(new Outgoing("b".repeat(40), "127.0.0.1", 17001,
          new BusMessage.Publish(header(), "ch".getBytes(), ("m" + i).getBytes(), false))));
    }
    int received = 0;
    int batches = 0;
    while (received < count) {
      BusMessage message = peer.expectMessageClass(BusEndpoint.Inbound.class).message();
      List<BusMessage.Publish> batch = ((BusMessage.Publishes) message).publishes();
      for (BusMessage.Publish publish : batch) assertEquals("m" + received++, new String(publish.message()));
      batches++;
    }
    assertEquals(count, received);
    assertTrue(batches < count, "batched: " + batches + " messages for " + count + " publishes");
    // A message as big as a batch goes alone, the next one after it.
    byte[] big = new byte[BusEndpoint.PUBLISH_BATCH_BYTES];
    endpoint.tell(new BusEndpoint.Send(new Outgoing("b".repeat(40), "127.0.0.1", 17001,
        new BusMessage.Publish(header(), new byte[0], big, false))));
    endpoint.tell(new BusEndpoint.Send(new Outgoing("b".repeat(40), "127.0.0.1", 17001,
        new BusMessage.Publish(header(), new byte[0], "small".getBytes(), false))));
    List<BusMessage.Publish> first = ((BusMessage.Publishes) peer.expectMessageClass(BusEndpoint.Inbound.class)
        .message()).publishes();
    assertEquals(big.length, first.get(0).message().length);
    int seen = first.size();
    while (seen < 2) {
      seen += ((BusMessage.Publishes) peer.expectMessageClass(BusEndpoint.Inbound.class).message()).publishes().size();
    }
  }

  @Test
  void aQuarantinedPeerGetsNothingForAWhileThenMessagesGoAgain() {
    TestProbe<BusMessage> delivered = manualKit.createTestProbe();
    TestProbe<BusEndpoint.Command> peer = manualKit.createTestProbe();
    ActorRef<BusEndpoint.Command> endpoint = manualKit.spawn(BusEndpoint.create(delivered.getRef(),
        (self, host, cport) -> peer.getRef()));
    BusEndpoint.Send toPeer = new BusEndpoint.Send(new Outgoing("b".repeat(40), "127.0.0.1", 17001,
        ping(PingKind.PING)));
    BusEndpoint.Send toOther = new BusEndpoint.Send(new Outgoing("c".repeat(40), "127.0.0.1", 17002,
        ping(PingKind.PING)));
    endpoint.tell(toPeer);
    peer.expectMessageClass(BusEndpoint.Inbound.class);

    // Remoting publishes the quarantine; once the endpoint has it, nothing more goes to that address.
    manualKit.system().eventStream().tell(new EventStream.Publish<>(
        QuarantinedEvent.apply(new Address("akka", "akka-redis-cluster", "127.0.0.1", 17001), 7L)));
    peer.awaitAssert(Duration.ofSeconds(10), () -> {
      endpoint.tell(toPeer);
      peer.expectNoMessage(Duration.ofMillis(200));
      return null;
    });
    endpoint.tell(toOther);
    peer.expectMessageClass(BusEndpoint.Inbound.class, Duration.ofSeconds(5)); // other peers are not silenced

    manualTime.timePasses(BusEndpoint.QUARANTINE_SILENCE);
    endpoint.tell(toPeer);
    peer.expectMessageClass(BusEndpoint.Inbound.class, Duration.ofSeconds(5));

    // The peer at 17002 quarantined this node: silent towards it as well.
    manualKit.system().eventStream().tell(new EventStream.Publish<>(new akka.remote.ThisActorSystemQuarantinedEvent(
        new Address("akka", "akka-redis-cluster", "127.0.0.1", 17001),
        new Address("akka", "akka-redis-cluster", "127.0.0.1", 17002))));
    peer.awaitAssert(Duration.ofSeconds(10), () -> {
      endpoint.tell(toOther);
      peer.expectNoMessage(Duration.ofMillis(200));
      return null;
    });
    endpoint.tell(toPeer);
    peer.expectMessageClass(BusEndpoint.Inbound.class, Duration.ofSeconds(5));
  }

  @Test
  void theLinksTableIsPublishedWhenALinkComesOrGoes() {
    TestProbe<BusMessage> delivered = testKit.createTestProbe();
    TestProbe<BusLinks.Snapshot> published = testKit.createTestProbe();
    TestProbe<BusEndpoint.Command> peer = testKit.createTestProbe();
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(5000);
    ActorRef<BusEndpoint.Command> endpoint = testKit.spawn(BusEndpoint.create(delivered.getRef(),
        published.getRef(), (self, host, cport) -> peer.getRef(), clock::get));
    BusEndpoint.Send toPeer = new BusEndpoint.Send(new Outgoing("a".repeat(40), "127.0.0.1", 17000,
        ping(PingKind.PING)));
    endpoint.tell(toPeer);
    assertEquals(5000, published.receiveMessage().toCreatedMs("127.0.0.1", 17000));
    clock.set(6000);
    endpoint.tell(toPeer);
    endpoint.tell(new BusEndpoint.Inbound(ping(PingKind.PONG))); // from a's 127.0.0.1:17000, see header()
    BusLinks.Snapshot both = published.receiveMessage();
    assertEquals(5000, both.toCreatedMs("127.0.0.1", 17000), "the second message went over the same link");
    assertEquals(6000, both.fromCreatedMs("a".repeat(40)));
    delivered.receiveMessage();

    // a message lost to the fault switch never arrived: no link from its sender
    endpoint.tell(new BusEndpoint.InjectFaults(BusEndpoint.Faults.partitionFrom(java.util.Set.of("a".repeat(40)))));
    endpoint.tell(new BusEndpoint.DropLinks(new org.akkaredis.cluster.ClusterState.LinkDrop("a".repeat(40),
        "127.0.0.1", 17000)));
    assertEquals(BusLinks.Snapshot.NONE, published.receiveMessage());
    endpoint.tell(new BusEndpoint.Inbound(ping(PingKind.PING)));
    endpoint.tell(new BusEndpoint.InjectFaults(BusEndpoint.Faults.NONE));
    clock.set(7000);
    endpoint.tell(new BusEndpoint.Inbound(ping(PingKind.PING)));
    assertEquals(7000, published.receiveMessage().fromCreatedMs("a".repeat(40)));

    // every message this endpoint sends carries its incarnation; the peer restarted sends another one
    endpoint.tell(toPeer);
    assertEquals(7000, published.receiveMessage().toCreatedMs("127.0.0.1", 17000));
    long mine = peer.expectMessageClass(BusEndpoint.Inbound.class).incarnation();
    endpoint.tell(toPeer);
    assertEquals(mine, peer.expectMessageClass(BusEndpoint.Inbound.class).incarnation());
    assertTrue(mine != 0);
    clock.set(8000);
    endpoint.tell(new BusEndpoint.Inbound(ping(PingKind.PING), 99));
    BusLinks.Snapshot restarted = published.receiveMessage();
    assertEquals(8000, restarted.fromCreatedMs("a".repeat(40)));
    assertEquals(-1, restarted.toCreatedMs("127.0.0.1", 17000));
    endpoint.tell(toPeer);
    assertEquals(8000, published.receiveMessage().toCreatedMs("127.0.0.1", 17000));

    // remoting quarantined the peer's address: both directions go
    endpoint.tell(new BusEndpoint.PeerQuarantined("127.0.0.1", 17000));
    assertEquals(BusLinks.Snapshot.NONE, published.receiveMessage());
  }

  @Test
  void receivedMessagesOfTheFilteredTypeAreDroppedUntilTheFilterIsCleared() throws Exception {
    TestProbe<BusMessage> delivered = testKit.createTestProbe();
    ActorRef<BusEndpoint.Command> endpoint = testKit.spawn(BusEndpoint.create(delivered.getRef(),
        (self, host, cport) -> {
          throw new AssertionError("nothing is sent");
        }));
    CompletableFuture<Void> applied = new CompletableFuture<>();
    endpoint.tell(new BusEndpoint.DropInbound(0, applied));
    applied.get(5, TimeUnit.SECONDS);
    // Messages are handled in order: the PING before the PONG was dropped if the PONG comes first.
    endpoint.tell(new BusEndpoint.Inbound(ping(PingKind.PING)));
    endpoint.tell(new BusEndpoint.Inbound(ping(PingKind.PONG)));
    assertEquals(PingKind.PONG, ((Ping) delivered.receiveMessage()).kind());

    CompletableFuture<Void> cleared = new CompletableFuture<>();
    endpoint.tell(new BusEndpoint.DropInbound(-1, cleared));
    cleared.get(5, TimeUnit.SECONDS);
    endpoint.tell(new BusEndpoint.Inbound(ping(PingKind.PING)));
    assertEquals(PingKind.PING, ((Ping) delivered.receiveMessage()).kind());
  }
}
