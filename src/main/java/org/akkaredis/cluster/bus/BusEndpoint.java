package org.akkaredis.cluster.bus;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.Address;
import akka.remote.QuarantinedEvent;
import akka.remote.ThisActorSystemQuarantinedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.akkaredis.cluster.BusLinks;
import org.akkaredis.cluster.BusMessage;
import org.akkaredis.cluster.ClusterState.LinkDrop;
import org.akkaredis.cluster.ClusterState.Outgoing;

/**
 * This node's end of the cluster bus. Every node runs one at the same path of an ActorSystem with the same
 * name, listening (Akka remoting, Artery TCP) on its cluster port, so a peer's endpoint follows from the host
 * and bus port that CLUSTER MEET and gossip give. Inbound messages go to the cluster manager, outbound ones to
 * the peers' endpoints. The fault switch drops or delays messages to and from chosen nodes: the tests'
 * partitions. It keeps the table of its links with the peers ({@link BusLinks}) and publishes it whenever a link
 * comes or goes.
 */
public final class BusEndpoint extends AbstractBehavior<BusEndpoint.Command> {

  public sealed interface Command {}

  /**
   * A message from a peer: the only type that travels between nodes (see {@link BusSerializer}). {@code incarnation}
   * names the sending endpoint's run (a random number drawn when it starts; 0: not told), so that a peer's restart
   * shows as new links.
   */
  public record Inbound(BusMessage message, long incarnation) implements Command {
    public Inbound(BusMessage message) {
      this(message, 0);
    }
  }

  public record Send(Outgoing outgoing) implements Command {}

  /** Replaces the fault switch's settings. */
  public record InjectFaults(Faults faults) implements Command {}

  /**
   * DEBUG DROP-CLUSTER-PACKET-FILTER: from now on, messages received of this type (Redis's numbers, see
   * {@link #typeNumber}) are dropped; -1 (or any number no type has) drops none. Completes {@code applied} once
   * in force.
   */
  public record DropInbound(long type, CompletableFuture<Void> applied) implements Command {}

  private record Release(Command delayed) implements Command {}

  /** Sends the PUBLISH messages waiting for each peer (told to itself behind the Sends that queued them). */
  private record FlushPublishes() implements Command {}

  /**
   * At most this many bytes of channels and messages go in one {@link BusMessage.Publishes}: well under Artery's
   * maximum-frame-size (256 KiB), so a batch never exceeds a frame; a single bigger message travels alone.
   */
  static final int PUBLISH_BATCH_BYTES = 64 * 1024;

  /** The node table dropped a node or changed its address: the links Redis frees with it go. */
  public record DropLinks(LinkDrop drop) implements Command {}

  /**
   * Akka remoting quarantined a peer's address, or the peer this node's (akka.remote.QuarantinedEvent,
   * ThisActorSystemQuarantinedEvent): after a failure of its control
   * stream (a TCP connection cut, as on a loaded machine) Artery refuses that peer's incarnation for good, where a
   * Redis node would just reconnect. Artery forgets a quarantine once the association was unused for
   * remove-quarantined-association-after (application.conf): sending nothing to that address for
   * {@link #QUARANTINE_SILENCE} lets it, and the next message then opens a fresh association. Meanwhile the
   * link is down, as a Redis link being reconnected is.
   */
  public record PeerQuarantined(String host, int cport) implements Command {}

  private record QuarantineOver(String address) implements Command {}

  /** Longer than remove-quarantined-association-after (4 s) plus Artery's check interval (half of it). */
  static final Duration QUARANTINE_SILENCE = Duration.ofSeconds(8);

  /**
   * Which traffic the bus loses: everything when {@code isolated}, messages to and from the nodes in
   * {@code dropped}, and messages to and from the nodes in {@code delayed} arrive that much later.
   */
  public record Faults(boolean isolated, Set<String> dropped, Map<String, Duration> delayed) {
    public static final Faults NONE = new Faults(false, Set.of(), Map.of());

    public static Faults partitionFrom(Set<String> nodeIds) {
      return new Faults(false, Set.copyOf(nodeIds), Map.of());
    }

    public static Faults isolate() {
      return new Faults(true, Set.of(), Map.of());
    }

    public static Faults delay(Map<String, Duration> nodeDelays) {
      return new Faults(false, Set.of(), Map.copyOf(nodeDelays));
    }
  }

  /** Finds a peer's endpoint from its bus address. */
  public interface Directory {
    ActorRef<Command> lookup(ActorContext<Command> self, String host, int cport);

    /** Peers over Akka remoting: the endpoint at this endpoint's path in the ActorSystem at host:cport. */
    Directory REMOTE = (self, host, cport) -> {
      String address = (host.contains(":") ? "[" + host + "]" : host) + ":" + cport;
      return ActorRefResolver.get(self.getSystem()).resolveActorRef("akka://" + self.getSystem().name() + "@"
          + address + self.getSelf().path().toStringWithoutAddress());
    };
  }

  private final ActorRef<BusMessage> deliverTo;
  private final ActorRef<BusLinks.Snapshot> linksTo;
  private final Directory directory;
  private final LongSupplier clock;
  private final BusLinks links = new BusLinks();
  private final long incarnation = drawIncarnation();
  private final Map<String, ActorRef<Command>> peers = new HashMap<>();
  private final Set<String> silenced = new HashSet<>();
  private Faults faults = Faults.NONE;
  private long droppedType = -1;
  /**
   * PUBLISH messages waiting for their peer, by bus address: they go together, one light header for all, once the
   * Sends already in the mailbox are taken ({@link FlushPublishes}). Bounded by the mailbox's burst: each flush
   * empties it.
   */
  private final Map<String, List<Outgoing>> publishes = new LinkedHashMap<>();

  /** An endpoint whose links table goes nowhere. */
  public static Behavior<Command> create(ActorRef<BusMessage> deliverTo, Directory directory) {
    return Behaviors.setup(ctx -> new BusEndpoint(ctx, deliverTo, ctx.getSystem().ignoreRef(), directory,
        System::currentTimeMillis));
  }

  /**
   * Received messages go to {@code deliverTo}, the links table to {@code linksTo} whenever it changes; {@code clock}
   * (unix time in ms) dates the links.
   */
  public static Behavior<Command> create(ActorRef<BusMessage> deliverTo, ActorRef<BusLinks.Snapshot> linksTo,
      Directory directory, LongSupplier clock) {
    return Behaviors.setup(ctx -> new BusEndpoint(ctx, deliverTo, linksTo, directory, clock));
  }

  private BusEndpoint(ActorContext<Command> ctx, ActorRef<BusMessage> deliverTo, ActorRef<BusLinks.Snapshot> linksTo,
      Directory directory, LongSupplier clock) {
    super(ctx);
    this.deliverTo = deliverTo;
    this.linksTo = linksTo;
    this.directory = directory;
    this.clock = clock;
    ActorRef<QuarantinedEvent> quarantined =
        ctx.messageAdapter(QuarantinedEvent.class, event -> quarantinedPeer(event.address()));
    ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(QuarantinedEvent.class, quarantined));
    // The other side of it: the peer quarantined this node. Silent both ways, the peer's association goes unused.
    ActorRef<ThisActorSystemQuarantinedEvent> quarantinedBy = ctx.messageAdapter(
        ThisActorSystemQuarantinedEvent.class, event -> quarantinedPeer(event.remoteAddress()));
    ctx.getSystem().eventStream().tell(
        new EventStream.Subscribe<>(ThisActorSystemQuarantinedEvent.class, quarantinedBy));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Inbound.class, inbound -> {
          if (typeNumber(inbound.message()) == droppedType) return this;
          Duration delay = faultDelay(inbound.message().header().sender());
          if (delay == null) return this;
          if (delay.isZero()) receive(inbound);
          else getContext().scheduleOnce(delay, getContext().getSelf(), new Release(inbound));
          return this;
        })
        .onMessage(Send.class, send -> {
          Duration delay = faultDelay(send.outgoing().targetId());
          if (delay == null) return this;
          if (delay.isZero()) send(send.outgoing());
          else getContext().scheduleOnce(delay, getContext().getSelf(), new Release(send));
          return this;
        })
        .onMessage(Release.class, release -> {
          if (release.delayed() instanceof Inbound inbound) receive(inbound);
          else send(((Send) release.delayed()).outgoing());
          return this;
        })
        .onMessage(FlushPublishes.class, flush -> {
          flushPublishes();
          return this;
        })
        .onMessage(InjectFaults.class, inject -> {
          faults = inject.faults();
          return this;
        })
        .onMessage(PeerQuarantined.class, quarantined -> {
          String address = BusLinks.address(quarantined.host(), quarantined.cport());
          if (links.closed(quarantined.host(), quarantined.cport())) publishLinks();
          if (silenced.add(address)) {
            peers.remove(address);
            getContext().getLog().info("Cluster bus: remoting quarantined {}:{}; sending nothing to it for {} s so that"
                + " a fresh association replaces it", quarantined.host(), quarantined.cport(),
                QUARANTINE_SILENCE.toSeconds());
            getContext().scheduleOnce(QUARANTINE_SILENCE, getContext().getSelf(), new QuarantineOver(address));
          }
          return this;
        })
        .onMessage(QuarantineOver.class, over -> {
          silenced.remove(over.address());
          return this;
        })
        .onMessage(DropLinks.class, drop -> {
          if (links.dropped(drop.drop().id(), drop.drop().host(), drop.drop().cport())) publishLinks();
          return this;
        })
        .onMessage(DropInbound.class, drop -> {
          droppedType = drop.type();
          drop.applied().complete(null);
          return this;
        })
        .build();
  }

  private static PeerQuarantined quarantinedPeer(Address address) {
    return new PeerQuarantined(address.host().getOrElse(() -> ""), (Integer) address.port().getOrElse(() -> 0));
  }

  /**
   * A message's type as Redis's bus numbers it (cluster.h): PING 0, PONG 1, MEET 2, FAIL 3, PUBLISH 4,
   * FAILOVER_AUTH_REQUEST 5, FAILOVER_AUTH_ACK 6, UPDATE 7, MFSTART 8, MODULE 9 (none here), PUBLISHSHARD 10.
   */
  public static int typeNumber(BusMessage message) {
    if (message instanceof BusMessage.Ping ping) {
      return switch (ping.kind()) {
        case PING -> 0;
        case PONG -> 1;
        case MEET -> 2;
      };
    }
    if (message instanceof BusMessage.Fail) return 3;
    if (message instanceof BusMessage.Publish publish) return publish.shard() ? 10 : 4;
    if (message instanceof BusMessage.Publishes) return 4;
    if (message instanceof BusMessage.FailoverAuthRequest) return 5;
    if (message instanceof BusMessage.FailoverAuthAck) return 6;
    if (message instanceof BusMessage.Update) return 7;
    if (message instanceof BusMessage.MfStart) return 8;
    throw new IllegalArgumentException("no type number for " + message);
  }

  /** Null when the message is lost, else how much later it goes on. */
  private Duration faultDelay(String peerId) {
    if (faults.isolated() || peerId != null && faults.dropped().contains(peerId)) return null;
    return peerId == null ? Duration.ZERO : faults.delayed().getOrDefault(peerId, Duration.ZERO);
  }

  /** A PUBLISH waits for the others queued behind it in the mailbox; anything else goes at once. */
  private void send(Outgoing outgoing) {
    if (!(outgoing.message() instanceof BusMessage.Publish publish) || publish.shard()) {
      deliver(outgoing);
      return;
    }
    if (publishes.isEmpty()) getContext().getSelf().tell(new FlushPublishes());
    String address = BusLinks.address(outgoing.host(), outgoing.cport());
    publishes.computeIfAbsent(address, peer -> new ArrayList<>()).add(outgoing);
  }

  /** Each peer's waiting PUBLISH messages, in order, as few {@link BusMessage.Publishes} as the batch size allows. */
  private void flushPublishes() {
    for (List<Outgoing> waiting : publishes.values()) {
      Outgoing first = waiting.get(0);
      List<BusMessage.Publish> batch = new ArrayList<>();
      long bytes = 0;
      for (Outgoing outgoing : waiting) {
        BusMessage.Publish publish = (BusMessage.Publish) outgoing.message();
        long size = publish.channel().length + publish.message().length;
        if (!batch.isEmpty() && bytes + size > PUBLISH_BATCH_BYTES) {
          deliver(publishes(first, batch));
          batch = new ArrayList<>();
          bytes = 0;
        }
        batch.add(publish);
        bytes += size;
      }
      deliver(publishes(first, batch));
    }
    publishes.clear();
  }

  private static Outgoing publishes(Outgoing first, List<BusMessage.Publish> batch) {
    return new Outgoing(first.targetId(), first.host(), first.cport(),
        new BusMessage.Publishes(batch.get(0).header(), List.copyOf(batch)));
  }

  private void deliver(Outgoing outgoing) {
    if (outgoing.host().isEmpty() || outgoing.cport() <= 0) return;
    String address = BusLinks.address(outgoing.host(), outgoing.cport());
    if (silenced.contains(address)) return;
    ActorRef<Command> peer = peers.computeIfAbsent(address,
        key -> directory.lookup(getContext(), outgoing.host(), outgoing.cport()));
    peer.tell(new Inbound(outgoing.message(), incarnation));
    if (links.sent(outgoing.host(), outgoing.cport(), clock.getAsLong())) publishLinks();
  }

  /** A message that got through the filter and the fault switch: it came over the sender's link. */
  private void receive(Inbound inbound) {
    BusMessage.Header h = inbound.message().header();
    if (links.received(h.sender(), h.busHost(), h.cport(), inbound.incarnation(), clock.getAsLong())) publishLinks();
    deliverTo.tell(inbound.message());
  }

  private static long drawIncarnation() {
    long drawn;
    do {
      drawn = ThreadLocalRandom.current().nextLong();
    } while (drawn == 0);
    return drawn;
  }

  private void publishLinks() {
    linksTo.tell(links.snapshot());
  }
}
