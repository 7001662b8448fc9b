package org.akkaredis.replication;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.StashBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A replica's link to its master: asks the master's {@link ReplicationSource} to sync, applies what comes back
 * and acknowledges it. What to do with each payload, and when to ask again, {@link ReplicaSyncState} decides;
 * this actor carries its effects out (messages to the master and to its parent, the applier, the board).
 * While the node sleeps (DEBUG SLEEP, {@link NodeSleep}) the link holds its messages, as a Redis replica whose
 * event loop is blocked leaves its master's data unread: nothing is applied or acknowledged and no sync is asked
 * for; the ticks of that time are skipped. Once awake it handles what it held, in order. A kill of the master's
 * client ({@link KillMasterLink}) is handled even while asleep, as Redis runs CLIENT KILL in the same EXEC as the
 * sleep before reading anything: what was held of the cut stream is then ignored.
 */
public final class ReplicaLink extends AbstractBehavior<ReplicaLink.Command> {

  public sealed interface Command {}

  /** Over the bus, from the master: payload number {@code seq} of sync {@code syncId}. */
  public record Deliver(long syncId, long seq, Payload payload) implements Command {}

  /**
   * Over the bus, from the master: sync {@code syncId} is refused with Redis's {@code error} reply, to the AUTH the
   * link's masterauth stands for ({@code authReply}) or, without one, to the sync itself.
   */
  public record Refused(long syncId, boolean authReply, String error) implements Command {}

  /** Over the bus, from the master: it dropped sync {@code syncId} (CLIENT KILL, a timeout, limits). */
  public record Disconnected(long syncId) implements Command {}

  private record Applied(long syncId, long seq) implements Command {}

  private record Failed(long syncId, Throwable cause) implements Command {}

  private record Tick() implements Command {}

  /** CLIENT KILL of the master's client, through the parent. */
  record KillMasterLink() implements Command {}

  /** The node's sleep ended: the held messages are handled. */
  private record Woke() implements Command {}

  /**
   * Messages held during a sleep: the master sends a window of payloads ahead of its acknowledgements, so a
   * few are held at most; past this the stream breaks (a gap), and the link resyncs once awake.
   */
  static final int HELD_MESSAGES = 10_000;

  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

  private final int generation;
  private final ReplicationSource.Follow master;
  private final ActorRef<ReplicationSource.Command> parent;
  private final ActorRef<ReplicationSource.Command> source;
  private final NodeServices node;
  private final ReplicaSyncState sync;
  private final StashBuffer<Command> held;
  private boolean wakeAwaited;

  /** {@code generation} numbers the source's links: only the current one publishes on the board. */
  static Behavior<Command> create(ActorRef<ReplicationSource.Command> parent, int generation,
      ReplicationSource.Follow master, String replid, long offset, NodeServices node) {
    return Behaviors.setup(ctx -> Behaviors.withStash(HELD_MESSAGES, held -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Tick(), Duration.ofSeconds(1));
      return new ReplicaLink(ctx, held, parent, generation, master, replid, offset, node);
    })));
  }

  private ReplicaLink(ActorContext<Command> ctx, StashBuffer<Command> held, ActorRef<ReplicationSource.Command> parent,
      int generation, ReplicationSource.Follow master, String replid, long offset, NodeServices node) {
    super(ctx);
    this.held = held;
    this.generation = generation;
    this.master = master;
    this.parent = parent;
    this.node = node;
    // Random sync ids: a payload of an earlier link's sync must never pass for one of this link's.
    this.sync = new ReplicaSyncState(replid, offset, node.now(), () -> ThreadLocalRandom.current().nextLong(),
        () -> "swapdb".equals(node.settings().rawValue("repl-diskless-load")));
    String host = master.masterHost().contains(":") ? "[" + master.masterHost() + "]" : master.masterHost();
    this.source = ActorRefResolver.get(ctx.getSystem()).resolveActorRef("akka://" + ctx.getSystem().name() + "@"
        + host + ":" + master.masterCport() + ctx.getSelf().path().parent().toStringWithoutAddress());
    perform(sync.start(node.now()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(KillMasterLink.class, kill -> perform(sync.killed(node.now())))
        .onMessage(Woke.class, woke -> {
          wakeAwaited = false;
          return held.unstashAll(this);
        })
        .onMessage(Command.class, message -> node.sleep().asleep(), this::hold)
        .onMessage(Deliver.class, deliver -> {
          node.board().received(deliver.payload());
          return perform(sync.deliver(deliver.syncId(), deliver.seq(), deliver.payload(), node.now()));
        })
        .onMessage(Refused.class, refused ->
            perform(sync.refused(refused.syncId(), refused.authReply(), refused.error(), node.now())))
        .onMessage(Disconnected.class, lost -> perform(sync.disconnected(lost.syncId(), node.now())))
        .onMessage(Applied.class, applied -> perform(sync.applied(applied.syncId(), applied.seq(), node.now())))
        .onMessage(Failed.class, failed -> perform(sync.failed(failed.syncId(), failed.cause(), node.now())))
        .onMessage(Tick.class, tick ->
            perform(sync.tick(node.current().timeoutMs(), node.now())))
        .build();
  }

  /** While the node sleeps: the message waits for the wake-up (a tick is skipped). */
  private Behavior<Command> hold(Command message) {
    if (!wakeAwaited) {
      wakeAwaited = true;
      getContext().pipeToSelf(node.sleep().awake(), (ok, failure) -> new Woke());
    }
    if (message instanceof Tick) return this;
    // One apply at most is in flight: its outcome always fits, the master's messages are dropped one before.
    boolean fromMaster = message instanceof Deliver || message instanceof Refused;
    if (fromMaster && held.size() >= HELD_MESSAGES - 1) {
      getContext().getLog().warn("Held {} messages of the master while asleep: the rest of its stream is lost",
          HELD_MESSAGES);
      return this;
    }
    held.stash(message);
    return this;
  }

  private Behavior<Command> perform(List<ReplicaSyncState.Effect> effects) {
    for (ReplicaSyncState.Effect effect : effects) {
      if (effect instanceof ReplicaSyncState.RequestSync request) {
        source.tell(new ReplicationSource.Sync(master.myId(),
            ActorRefResolver.get(getContext().getSystem()).toSerializationFormat(getContext().getSelf()),
            master.myPort(), request.syncId(), request.replid(), request.offset(), node.settings().masteruser(),
            node.settings().masterauth()));
      } else if (effect instanceof ReplicaSyncState.Acknowledge ack) {
        source.tell(new ReplicationSource.Ack(master.myId(), ack.syncId(), ack.seq(), ack.offset()));
      } else if (effect instanceof ReplicaSyncState.Apply apply) {
        getContext().pipeToSelf(run(apply.work()), (ok, failure) -> failure == null
            ? new Applied(apply.syncId(), apply.seq()) : new Failed(apply.syncId(), failure));
      } else if (effect instanceof ReplicaSyncState.HistoryRestarted restarted) {
        parent.tell(new ReplicationSource.Restarted(generation, restarted.replid(), restarted.offset()));
      } else if (effect instanceof ReplicaSyncState.HistoryContinued continued) {
        parent.tell(new ReplicationSource.Continued(generation, continued.replid()));
      } else if (effect instanceof ReplicaSyncState.HistoryReceived received) {
        parent.tell(new ReplicationSource.Received(generation, received.commands()));
      } else if (effect instanceof ReplicaSyncState.Publish view) {
        node.board().publishLink(generation, new ReplicationBoard.LinkView(master.masterHost(), master.masterPort(),
            view.up(), view.syncing(), view.asyncLoading(), view.lastIoMs(), view.downSinceMs()));
      } else if (effect instanceof LogLine line) {
        line.writeTo(getContext().getLog());
      }
    }
    return this;
  }

  private CompletionStage<Void> run(ReplicaSyncState.Work work) {
    if (work instanceof ReplicaSyncState.Work.Run run) return node.applier().apply(run.channel(), run.commands());
    if (work instanceof ReplicaSyncState.Work.DropData drop) return node.applier().restart(drop.db());
    if (work instanceof ReplicaSyncState.Work.LoadAside aside) return node.applier().restartAside(aside.db());
    if (work instanceof ReplicaSyncState.Work.SwapIn) return node.applier().swapIn();
    if (work instanceof ReplicaSyncState.Work.DropAside) return node.applier().dropAside();
    if (work instanceof ReplicaSyncState.Work.Invalid invalid) return CompletableFuture.failedFuture(invalid.cause());
    return DONE;
  }
}
