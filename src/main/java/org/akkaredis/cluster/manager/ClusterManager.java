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
import java.util.BitSet;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.akkaredis.cluster.BusMessage;
import org.akkaredis.cluster.ClusterNode;
import org.akkaredis.cluster.ClusterState;
import org.akkaredis.cluster.NodesConf;
import org.akkaredis.cluster.bus.BusEndpoint;
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

  /** Runs {@code work} on the state (reading it or changing it) and answers its result. */
  public record Run<T>(Function<ClusterState, T> work, CompletableFuture<T> result) implements Command {}

  /** Writes nodes.conf now; {@code done} gets null or the error (CLUSTER SAVECONFIG). */
  public record SaveConfig(CompletableFuture<String> done) implements Command {}

  /** Forwards a fault plan to the bus endpoint (tests). */
  public record InjectFaults(BusEndpoint.Faults faults) implements Command {}

  private record FromBus(BusMessage message) implements Command {}

  private record Tick() implements Command {}

  /**
   * What the manager does to the rest of the node: publish routing, empty lost slots, and tell replication
   * which master to follow (null: this node is a master).
   */
  public record Hooks(Consumer<SlotRouting> publishRouting, Consumer<BitSet> emptySlots,
      Consumer<MasterAddress> follow) {}

  /** The master this node (known as {@code myId}) replicates, as the bus knows it. */
  public record MasterAddress(String myId, String id, String host, int port, int cport) {}

  private final ClusterState state;
  private final LongSupplier clock;
  private final Hooks hooks;
  private final ActorRef<BusEndpoint.Command> bus;
  private final ActorRef<NodesConfWriter.Command> writer;
  private long publishedRouting = -1;
  /** The master replication was last told to follow; empty before the first time. */
  private Optional<MasterAddress> followed;

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
    this.bus = ctx.spawn(BusEndpoint.create(ctx.messageAdapter(BusMessage.class, FromBus::new), peers), "bus");
    this.writer = ctx.spawn(NodesConfWriter.create(nodesConf), "nodes-conf", DispatcherSelector.blocking());
    state.effects().save = true; // Redis writes nodes.conf at start, so a fresh node's id is kept from then on
    state.updateState(clock.getAsLong());
    perform();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Run.class, this::onRun)
        .onMessage(FromBus.class, fromBus -> {
          state.receive(fromBus.message(), clock.getAsLong());
          perform();
          return this;
        })
        .onMessage(Tick.class, tick -> {
          state.cron(clock.getAsLong());
          perform();
          return this;
        })
        .onMessage(SaveConfig.class, save -> {
          writer.tell(new NodesConfWriter.Write(NodesConf.format(state), save.done()));
          return this;
        })
        .onMessage(InjectFaults.class, inject -> {
          bus.tell(new BusEndpoint.InjectFaults(inject.faults()));
          return this;
        })
        .build();
  }

  @SuppressWarnings("unchecked")
  private Behavior<Command> onRun(Run<?> run) {
    Object result;
    try {
      result = run.work().apply(state);
    } catch (RuntimeException e) {
      run.result().completeExceptionally(e);
      perform();
      return this;
    }
    state.updateState(clock.getAsLong());
    perform();
    ((CompletableFuture<Object>) run.result()).complete(result);
    return this;
  }

  private void perform() {
    ClusterState.Effects effects = state.effects();
    for (ClusterState.Outgoing outgoing : effects.outgoing) bus.tell(new BusEndpoint.Send(outgoing));
    if (effects.save) writer.tell(new NodesConfWriter.Write(NodesConf.format(state), null));
    if (!effects.slotsToEmpty.isEmpty()) hooks.emptySlots().accept((BitSet) effects.slotsToEmpty.clone());
    effects.clear();
    if (state.routingVersion() != publishedRouting) {
      publishedRouting = state.routingVersion();
      hooks.publishRouting().accept(state.routing());
    }
    followMyMaster();
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
