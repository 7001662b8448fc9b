package org.akkaredis.cluster.manager;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.akkaredis.keyspace.Deadlines;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.akkaredis.cluster.BusLinks;
import org.akkaredis.cluster.BusMessage;
import org.akkaredis.cluster.ClusterNode;
import org.akkaredis.cluster.ClusterState;
import org.akkaredis.cluster.NodesConf;
import org.akkaredis.cluster.ReplicationStatus;
import org.akkaredis.cluster.ShardSlots;
import org.akkaredis.cluster.bus.BusEndpoint;
import org.akkaredis.cluster.bus.BusSerializer;
import org.akkaredis.cluster.nodesconf.NodesConfWriter;
import org.akkaredis.keyspace.SlotRouting;

/**
 * The actor shell around {@link ClusterState}: feeds it bus messages, the CLUSTER commands' changes and the
 * 100 ms cron (Redis's clusterCron: gossip pings and failure detection), then does what the state asks:
 * sends through the {@link BusEndpoint}, writes nodes.conf, publishes slot routing to the keyspace and
 * empties slots this node lost.
 */
public final class ClusterManager extends AbstractBehavior<ClusterManager.Command> {

  public sealed interface Command {}

  /**
   * Runs {@code work} on the state (reading it or changing it) and answers its result, unless the sender gave the
   * {@code ticket} up first (its deadline passed and its client was answered with an error: the change must not
   * happen behind its back).
   */
  public record Run<T>(Function<ClusterState, T> work, CompletableFuture<T> result, Deadlines.Ticket ticket)
      implements Command {
    public Run(Function<ClusterState, T> work, CompletableFuture<T> result) {
      this(work, result, new Deadlines.Ticket());
    }
  }

  /** Writes nodes.conf now; {@code done} gets null or the error (CLUSTER SAVECONFIG). */
  public record SaveConfig(CompletableFuture<String> done) implements Command {}

  /** PUBLISH in cluster mode: to every other node's subscribers; {@code taken} runs once the manager has it. */
  public record Publish(byte[] channel, byte[] message, Runnable taken) implements Command {}

  /** SPUBLISH in cluster mode: to the other nodes of this node's shard; {@code taken} runs once the manager has it. */
  public record PublishShard(byte[] channel, byte[] message, Runnable taken) implements Command {}

  /** Forwards a fault plan to the bus endpoint (tests). */
  public record InjectFaults(BusEndpoint.Faults faults) implements Command {}

  /** DEBUG DROP-CLUSTER-PACKET-FILTER, for the bus endpoint (see {@link BusEndpoint.DropInbound}). */
  public record DropInbound(long type, java.util.concurrent.CompletableFuture<Void> applied) implements Command {}

  private record FromBus(BusMessage message) implements Command {}

  /** The bus endpoint's links table changed. */
  private record LinksChanged(BusLinks.Snapshot links) implements Command {}

  private record Tick() implements Command {}

  /** The durable nodes.conf write number {@code seq} finished; {@code error} is null or what went wrong. */
  private record Saved(long seq, String error) implements Command {}

  /** The nodes.conf write in flight ended (well or not). */
  private record Written() implements Command {}

  /**
   * What the manager does to the rest of the node and learns from it: {@code replication} is read before every
   * cron run, bus message and command; {@code pauseWritesUntil} pauses client writes until a unix time in ms (0
   * resumes them) for a manual failover's master; {@code follow} tells replication which master to follow
   * (null: this node is a master).
   */
  public record Hooks(Consumer<SlotRouting> publishRouting, Consumer<BitSet> emptySlots,
      Supplier<ReplicationStatus> replication, LongConsumer pauseWritesUntil, Consumer<MasterAddress> follow,
      BiConsumer<byte[], byte[]> published, BiConsumer<byte[], byte[]> publishedShard,
      Consumer<BitSet> shardSlotsLost) {
    /** {@code published}: where another node's PUBLISH goes (this node's subscribers); never blocks. */
    public Hooks(Consumer<SlotRouting> publishRouting, Consumer<BitSet> emptySlots,
        Supplier<ReplicationStatus> replication, LongConsumer pauseWritesUntil, Consumer<MasterAddress> follow,
        BiConsumer<byte[], byte[]> published) {
      this(publishRouting, emptySlots, replication, pauseWritesUntil, follow, published, (channel, message) -> { },
          slots -> { });
    }

    public Hooks(Consumer<SlotRouting> publishRouting, Consumer<BitSet> emptySlots,
        Supplier<ReplicationStatus> replication, LongConsumer pauseWritesUntil, Consumer<MasterAddress> follow) {
      this(publishRouting, emptySlots, replication, pauseWritesUntil, follow, (channel, message) -> { });
    }
  }

  /** The master this node (known as {@code myId}) replicates, as the bus knows it. */
  public record MasterAddress(String myId, String id, String host, int port, int cport) {}

  /** Messages waiting for the durable write {@code seq}; {@code bytes}: its size on the wire. */
  private record Held(long seq, ClusterState.Outgoing outgoing, long bytes) {}

  private final ClusterState state;
  private final LongSupplier clock;
  private final Hooks hooks;
  private final ActorRef<BusEndpoint.Command> bus;
  private final ActorRef<NodesConfWriter.Command> writer;
  private long publishedRouting = -1;
  /** The slots this node's shard serves, for sharded pub/sub's subscriptions of the slots it loses. */
  private final ShardSlots shardSlots = new ShardSlots();
  /** The master replication was last told to follow; empty before the first time. */
  private Optional<MasterAddress> followed;
  private final Deque<Held> held = new ArrayDeque<>();
  /** The bytes of {@link #held} by bus address: what CLUSTER LINKS shows as the links' send buffers. */
  private final Map<String, Long> heldBytes = new HashMap<>();
  private final BusSerializer wireFormat = new BusSerializer();
  private long durableRequested;
  private long durableDone;
  private final Deadlines deadlines;
  /**
   * A nodes.conf write is in flight; the saves asked for meanwhile share {@link #nextSave}, one write of the state as
   * it is when that write starts (during a reshard every slot moved changes the state of every node).
   */
  private boolean writing;
  private CompletableFuture<String> nextSave;
  private boolean nextDurable;

  /** {@code peers} finds other nodes' bus endpoints: {@link BusEndpoint.Directory#REMOTE} but in tests. */
  public static Behavior<Command> create(ClusterState state, Path nodesConf, LongSupplier clock, Hooks hooks,
      BusEndpoint.Directory peers) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Tick(), Duration.ofMillis(ClusterState.CRON_PERIOD_MS));
      return new ClusterManager(ctx, state, nodesConf, clock, hooks, peers);
    }));
  }

  private ClusterManager(ActorContext<Command> ctx, ClusterState state, Path nodesConf, LongSupplier clock,
      Hooks hooks, BusEndpoint.Directory peers) {
    super(ctx);
    this.state = state;
    this.clock = clock;
    this.hooks = hooks;
    this.bus = ctx.spawn(BusEndpoint.create(ctx.messageAdapter(BusMessage.class, FromBus::new),
        ctx.messageAdapter(BusLinks.Snapshot.class, LinksChanged::new), peers, clock), "bus");
    this.writer = ctx.spawn(NodesConfWriter.create(nodesConf), "nodes-conf", DispatcherSelector.blocking());
    this.deadlines = Deadlines.of(ctx.getSystem());
    state.effects().save = true; // Redis writes nodes.conf at start, so a fresh node's id is kept from then on
    state.updateState(clock.getAsLong());
    perform();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Run.class, this::onRun)
        .onMessage(FromBus.class, fromBus -> {
          readReplication();
          state.receive(fromBus.message(), clock.getAsLong());
          perform();
          return this;
        })
        .onMessage(Tick.class, tick -> {
          readReplication();
          state.cron(clock.getAsLong());
          perform();
          return this;
        })
        .onMessage(Saved.class, this::onSaved)
        .onMessage(LinksChanged.class, changed -> {
          state.busLinks(changed.links());
          return this;
        })
        .onMessage(SaveConfig.class, save -> {
          save(true).whenComplete((error, failure) -> save.done().complete(failure != null
              ? Deadlines.replyText(failure) : error));
          return this;
        })
        .onMessage(Written.class, written -> {
          writing = false;
          if (nextSave != null) writeNext();
          return this;
        })
        .onMessage(Publish.class, publish -> {
          publish.taken().run();
          state.publish(publish.channel(), publish.message());
          perform();
          return this;
        })
        .onMessage(PublishShard.class, publish -> {
          publish.taken().run();
          state.publishShard(publish.channel(), publish.message());
          perform();
          return this;
        })
        .onMessage(InjectFaults.class, inject -> {
          bus.tell(new BusEndpoint.InjectFaults(inject.faults()));
          return this;
        })
        .onMessage(DropInbound.class, drop -> {
          bus.tell(new BusEndpoint.DropInbound(drop.type(), drop.applied()));
          return this;
        })
        .build();
  }

  private Behavior<Command> onSaved(Saved saved) {
    durableDone = Math.max(durableDone, saved.seq());
    if (saved.error() != null) {
      // Redis exits here; what this write was to make durable (a vote, an epoch) must not be announced.
      getContext().getLog().error("Cluster config not saved, {} message(s) not sent: {}",
          held.stream().filter(h -> h.seq() <= saved.seq()).count(), saved.error());
    }
    while (!held.isEmpty() && held.peek().seq() <= saved.seq()) {
      Held next = held.poll();
      heldBytes.computeIfPresent(BusLinks.address(next.outgoing().host(), next.outgoing().cport()),
          (address, bytes) -> bytes == next.bytes() ? null : bytes - next.bytes());
      if (saved.error() == null) bus.tell(new BusEndpoint.Send(next.outgoing()));
    }
    state.busQueuedBytes(Map.copyOf(heldBytes));
    return this;
  }

  @SuppressWarnings("unchecked")
  private Behavior<Command> onRun(Run<?> run) {
    if (!run.ticket().take()) return this;
    Object result;
    try {
      readReplication();
      result = run.work().apply(state);
    } catch (RuntimeException e) {
      run.result().completeExceptionally(e);
      perform();
      return this;
    }
    state.updateState(clock.getAsLong());
    CompletableFuture<String> saved = perform();
    CompletableFuture<Object> answer = (CompletableFuture<Object>) run.result();
    if (saved == null) {
      answer.complete(result);
    } else {
      // As Redis saves nodes.conf before it writes the replies: a change is answered once it is on disk.
      saved.whenComplete((error, failure) -> {
        if (error == null && failure == null) answer.complete(result);
        else answer.completeExceptionally(new Deadlines.Exceeded("ERR error saving the cluster node config: "
            + (failure != null ? Deadlines.replyText(failure) : error)));
      });
    }
    return this;
  }

  private void readReplication() {
    ReplicationStatus status = hooks.replication().get();
    state.replicationStatus(status.offset(), status.lastMasterInteractionMs());
  }

  /**
   * Does what the state asks. A vote, an election's epoch or a promotion must be on disk before anyone hears of
   * it (Redis fsyncs nodes.conf before its event loop writes to the links): such a write is numbered, and every
   * message from then on waits, in order, until the writer has fsynced it. Returns the nodes.conf write asked for
   * (null, or the error; bounded by the deadline), or null when there is none.
   */
  private CompletableFuture<String> perform() {
    ClusterState.Effects effects = state.effects();
    for (String line : effects.log) getContext().getLog().warn(line);
    CompletableFuture<String> saved = null;
    if (effects.saveBeforeSend || effects.save) {
      saved = save(effects.saveBeforeSend);
      if (effects.saveBeforeSend) {
        long seq = ++durableRequested;
        getContext().pipeToSelf(saved, (error, failure) -> new Saved(seq,
            failure != null ? failure.toString() : error));
      }
    }
    for (ClusterState.Outgoing outgoing : effects.outgoing) {
      if (durableDone < durableRequested) hold(outgoing);
      else bus.tell(new BusEndpoint.Send(outgoing));
    }
    for (ClusterState.LinkDrop drop : effects.linksToDrop) bus.tell(new BusEndpoint.DropLinks(drop));
    for (BusMessage.Publish publish : effects.published) {
      if (publish.shard()) hooks.publishedShard().accept(publish.channel(), publish.message());
      else hooks.published().accept(publish.channel(), publish.message());
    }
    if (!effects.slotsToEmpty.isEmpty()) hooks.emptySlots().accept((BitSet) effects.slotsToEmpty.clone());
    if (effects.pauseWritesUntil >= 0) hooks.pauseWritesUntil().accept(effects.pauseWritesUntil);
    effects.clear();
    if (state.routingVersion() != publishedRouting) {
      publishedRouting = state.routingVersion();
      hooks.publishRouting().accept(state.routing());
      BitSet lost = shardSlots.update(state);
      if (!lost.isEmpty()) hooks.shardSlotsLost().accept(lost);
    }
    followMyMaster();
    return saved;
  }

  /**
   * Writes nodes.conf (fsynced when {@code durable}) once the write in flight, if any, has ended; what it answers,
   * null or the error, comes within the deadline: a writer that does not answer in time counts as a failed save.
   */
  private CompletableFuture<String> save(boolean durable) {
    if (nextSave == null) nextSave = new CompletableFuture<>();
    nextDurable |= durable;
    CompletableFuture<String> saved = nextSave;
    if (!writing) writeNext();
    return deadlines.bound(saved, () -> "nodes.conf writer did not answer within " + deadlines.millis() + " ms");
  }

  private void writeNext() {
    CompletableFuture<String> done = nextSave;
    writer.tell(new NodesConfWriter.Write(NodesConf.format(state), nextDurable, done));
    writing = true;
    nextSave = null;
    nextDurable = false;
    getContext().pipeToSelf(done, (error, failure) -> new Written());
  }

  /** Keeps a message until nodes.conf is durable, counting its bytes on the wire against its peer's link. */
  private void hold(ClusterState.Outgoing outgoing) {
    long bytes = wireFormat.toBinary(new BusEndpoint.Inbound(outgoing.message())).length;
    held.add(new Held(durableRequested, outgoing, bytes));
    heldBytes.merge(BusLinks.address(outgoing.host(), outgoing.cport()), bytes, Long::sum);
    state.busQueuedBytes(Map.copyOf(heldBytes));
  }

  /** A change of role or of master (REPLICATE, a failover, a lost last slot) reaches replication. */
  private void followMyMaster() {
    ClusterNode master = state.myself().isMaster() ? null : state.myMaster();
    if (master != null && (master.ip().isEmpty() || master.cport() <= 0)) return; // address not known yet
    MasterAddress address = master == null ? null
        : new MasterAddress(state.myself().id(), master.id(), master.ip(), master.port(), master.cport());
    if (followed != null && Objects.equals(followed.orElse(null), address)) return;
    followed = Optional.ofNullable(address);
    hooks.follow().accept(address);
  }
}
