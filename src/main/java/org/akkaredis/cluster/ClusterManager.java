package org.akkaredis.cluster;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.akkaredis.keyspace.SlotRouting;

/**
 * Owns this node's {@link ClusterState}: applies changes, re-evaluates the cluster state every 100 ms (Redis's
 * clusterCron period) and publishes who serves which slot to the keyspace whenever that changes.
 */
public final class ClusterManager extends AbstractBehavior<ClusterManager.Command> {

  public sealed interface Command {}

  /** Answers the current state. */
  public record Read(CompletableFuture<ClusterState> result) implements Command {}

  /** Applies a change; the result is null when applied, else Redis's error text. */
  public record Change(Function<ClusterState, ClusterState.Outcome> change, CompletableFuture<String> result)
      implements Command {}

  private record Tick() implements Command {}

  static final Duration CRON_PERIOD = Duration.ofMillis(100);

  private final LongSupplier clock;
  private final boolean requireFullCoverage;
  private final boolean allowReadsWhenDown;
  private final Consumer<SlotRouting> publish;
  private ClusterState state;

  public static Behavior<Command> create(ClusterState initial, LongSupplier clock, boolean requireFullCoverage,
      boolean allowReadsWhenDown, Consumer<SlotRouting> publish) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Tick(), CRON_PERIOD);
      return new ClusterManager(ctx, initial, clock, requireFullCoverage, allowReadsWhenDown, publish);
    }));
  }

  private ClusterManager(ActorContext<Command> ctx, ClusterState initial, LongSupplier clock,
      boolean requireFullCoverage, boolean allowReadsWhenDown, Consumer<SlotRouting> publish) {
    super(ctx);
    this.clock = clock;
    this.requireFullCoverage = requireFullCoverage;
    this.allowReadsWhenDown = allowReadsWhenDown;
    this.publish = publish;
    this.state = initial.evaluate(clock.getAsLong(), requireFullCoverage);
    publish.accept(state.routing(allowReadsWhenDown));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Read.class, read -> {
          read.result().complete(state);
          return this;
        })
        .onMessage(Change.class, this::onChange)
        .onMessage(Tick.class, tick -> {
          update(state);
          return this;
        })
        .build();
  }

  private Behavior<Command> onChange(Change change) {
    ClusterState.Outcome outcome = change.change().apply(state);
    if (outcome.error() != null) {
      change.result().complete(outcome.error());
    } else {
      update(outcome.state());
      change.result().complete(null);
    }
    return this;
  }

  private void update(ClusterState next) {
    ClusterState evaluated = next.evaluate(clock.getAsLong(), requireFullCoverage);
    if (evaluated != state) {
      state = evaluated;
      publish.accept(state.routing(allowReadsWhenDown));
    }
  }
}
