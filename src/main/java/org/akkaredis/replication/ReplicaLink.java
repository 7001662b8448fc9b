package org.akkaredis.replication;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.util.ByteString;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.akkaredis.config.Settings;
import org.akkaredis.persistence.DataLoader;
import org.akkaredis.resp.ProtocolException;
import org.akkaredis.resp.RespDecoder;

/**
 * A replica's link to its master (Redis's replication.c replica side): asks the master's
 * {@link ReplicationSource} to sync, applies what comes back strictly in order, one payload at a time, and
 * acknowledges each. A lost or out-of-order payload, or a master silent for repl-timeout, starts over with a
 * new sync request, which continues from the backlog when the master still has it.
 */
public final class ReplicaLink extends AbstractBehavior<ReplicaLink.Command> {

  public sealed interface Command {}

  /** Over the bus, from the master: payload number {@code seq} of sync {@code syncId}. */
  public record Deliver(long syncId, long seq, Payload payload) implements Command {}

  private record Applied(long syncId, long seq) implements Command {}

  private record Failed(long syncId, Throwable cause) implements Command {}

  private record Tick() implements Command {}

  private enum State { CONNECTING, SYNCING, CONNECTED }

  /**
   * How long an unanswered sync request waits before it is sent again. The first contact with a node can take
   * seconds (remoting associates first); asking again meanwhile would only start a second full sync.
   */
  static final long SYNC_RETRY_MS = 5000;

  private final int generation;
  private final ReplicationSource.Follow master;
  private final ActorRef<ReplicationSource.Command> parent;
  private final ActorRef<ReplicationSource.Command> source;
  private final ReplicationBoard board;
  private final Settings settings;
  private final Applier applier;
  private final LongSupplier clock;
  private final ArrayDeque<Deliver> queue = new ArrayDeque<>();
  private State state = State.CONNECTING;
  private String replid;
  /** The history's offset once the payloads taken so far are applied. */
  private long offset;
  /** Where the payload being applied takes the history, and where the applied ones took it. */
  private long applyingOffset;
  private long appliedOffset;
  /** A sync request waits for the payload being applied. */
  private boolean syncRequestWaiting;
  /** The master's history id during a full sync, ours once its snapshot is complete. */
  private String syncingReplid;
  private long appliedSeq;
  private long syncId;
  private long expectedSeq;
  private boolean applying;
  private RespDecoder streamDecoder;
  private long lastIoMs;
  private long downSinceMs;
  private long lastSyncRequestMs;

  /** {@code generation} numbers the source's links: only the current one publishes on the board. */
  static Behavior<Command> create(ActorRef<ReplicationSource.Command> parent, int generation,
      ReplicationSource.Follow master, String replid, long offset, ReplicationBoard board, Settings settings,
      Applier applier, LongSupplier clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Tick(), Duration.ofSeconds(1));
      return new ReplicaLink(ctx, parent, generation, master, replid, offset, board, settings, applier, clock);
    }));
  }

  private ReplicaLink(ActorContext<Command> ctx, ActorRef<ReplicationSource.Command> parent, int generation,
      ReplicationSource.Follow master, String replid, long offset, ReplicationBoard board, Settings settings,
      Applier applier, LongSupplier clock) {
    super(ctx);
    this.generation = generation;
    this.master = master;
    this.parent = parent;
    this.board = board;
    this.settings = settings;
    this.applier = applier;
    this.clock = clock;
    this.replid = replid;
    this.offset = offset;
    this.appliedOffset = offset;
    this.downSinceMs = clock.getAsLong();
    String host = master.masterHost().contains(":") ? "[" + master.masterHost() + "]" : master.masterHost();
    this.source = ActorRefResolver.get(ctx.getSystem()).resolveActorRef("akka://" + ctx.getSystem().name() + "@"
        + host + ":" + master.masterCport() + ctx.getSelf().path().parent().toStringWithoutAddress());
    requestSync();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Deliver.class, this::onDeliver)
        .onMessage(Applied.class, applied -> {
          // Applied, also when its sync was abandoned meanwhile: the next sync request starts after it.
          applying = false;
          appliedOffset = applyingOffset;
          if (applied.syncId() == syncId) {
            appliedSeq = applied.seq();
            source.tell(new ReplicationSource.Ack(master.myId(), syncId, appliedSeq, appliedOffset));
          }
          if (syncRequestWaiting) sendSync();
          applyNext();
          return this;
        })
        .onMessage(Failed.class, failed -> {
          applying = false;
          if (failed.syncId() == syncId) {
            getContext().getLog().warn("Applying the master's data failed ({}): resynchronizing",
                failed.cause().toString());
            linkDown();
            requestSync();
          }
          if (syncRequestWaiting) sendSync();
          applyNext();
          return this;
        })
        .onMessage(Tick.class, tick -> onTick())
        .build();
  }

  private Behavior<Command> onDeliver(Deliver deliver) {
    if (deliver.syncId() != syncId) return this;
    lastIoMs = clock.getAsLong();
    if (deliver.seq() < expectedSeq) return this; // sent again by a master that waited for its acknowledgement
    if (deliver.seq() != expectedSeq) {
      getContext().getLog().warn("Payload {} from MASTER arrived where {} was due: resynchronizing", deliver.seq(),
          expectedSeq);
      linkDown();
      requestSync();
      return this;
    }
    expectedSeq++;
    queue.addLast(deliver);
    applyNext();
    return this;
  }

  /** Applies the next payload once the one before it is done: a replica applies its master's writes in order. */
  private void applyNext() {
    if (applying || queue.isEmpty()) return;
    Deliver deliver = queue.pollFirst();
    CompletionStage<Void> done = apply(deliver.payload());
    applyingOffset = offset;
    applying = true;
    long id = syncId;
    getContext().pipeToSelf(done, (ok, failure) -> failure == null
        ? new Applied(id, deliver.seq()) : new Failed(id, failure));
  }

  private CompletionStage<Void> apply(Payload payload) {
    if (payload instanceof Payload.Stream stream) {
      List<byte[][]> commands = decode(streamDecoder, stream.commands());
      offset = stream.end();
      if (state == State.CONNECTED) parent.tell(new ReplicationSource.Received(generation, stream.commands()));
      return commands.isEmpty() ? DONE : applier.apply(Applier.Channel.STREAM, commands);
    }
    if (payload instanceof Payload.Chunk chunk) {
      // A chunk is a small RDB (the master's snapshot encoding), or commands for a value too big for one.
      List<byte[][]> commands;
      try {
        commands = DataLoader.commandsOfRdb(chunk.commands());
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
      return applier.apply(Applier.Channel.SNAPSHOT, commands != null ? commands
          : decode(newDecoder(), chunk.commands()));
    }
    if (payload instanceof Payload.FullSync full) {
      getContext().getLog().info("Full resync from master: {}:{}", full.replid(), full.offset());
      state = State.SYNCING;
      // The data is being replaced: until the snapshot is complete no history is ours to continue from.
      replid = ReplicationLog.NO_ID;
      syncingReplid = full.replid();
      offset = full.offset();
      streamDecoder = newDecoder();
      publish();
      return applier.restart(full.db());
    }
    if (payload instanceof Payload.SnapshotDone done) {
      getContext().getLog().info("MASTER <-> REPLICA sync: Finished with success");
      offset = done.offset();
      replid = syncingReplid;
      parent.tell(new ReplicationSource.Restarted(generation, replid, offset));
      linkUp();
      return DONE;
    }
    if (payload instanceof Payload.Continue cont) {
      getContext().getLog().info("Successful partial resynchronization with master.");
      if (!cont.replid().equals(replid)) parent.tell(new ReplicationSource.Continued(generation, cont.replid()));
      replid = cont.replid();
      streamDecoder = newDecoder(); // the master continues at a command boundary
      linkUp();
      return DONE;
    }
    return DONE; // Ping
  }

  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

  private RespDecoder newDecoder() {
    return new RespDecoder(Long.MAX_VALUE, Long.MAX_VALUE);
  }

  private static List<byte[][]> decode(RespDecoder decoder, byte[] bytes) {
    decoder.feed(ByteString.fromArrayUnsafe(bytes));
    List<byte[][]> commands = new ArrayList<>();
    try {
      for (byte[][] command = decoder.next(); command != null; command = decoder.next()) commands.add(command);
    } catch (ProtocolException e) {
      throw new IllegalStateException("the master's stream is not RESP: " + e.getMessage(), e);
    }
    return commands;
  }

  private void linkUp() {
    state = State.CONNECTED;
    downSinceMs = 0;
    publish();
  }

  private void linkDown() {
    if (state == State.CONNECTED) downSinceMs = clock.getAsLong();
  }

  private Behavior<Command> onTick() {
    long now = clock.getAsLong();
    long timeout = Long.parseLong(settings.rawValue("repl-timeout")) * 1000;
    if (state == State.CONNECTING && now - lastSyncRequestMs >= SYNC_RETRY_MS) {
      requestSync();
    } else if (state != State.CONNECTING && now - lastIoMs > timeout) {
      getContext().getLog().warn("MASTER timeout: no data nor PING received...");
      linkDown();
      requestSync();
    } else if (state != State.CONNECTING) {
      // REPLCONF ACK's heartbeat: the master counts this replica as good (min-replicas-max-lag) meanwhile.
      source.tell(new ReplicationSource.Ack(master.myId(), syncId, appliedSeq, appliedOffset));
    }
    publish();
    return this;
  }

  private void requestSync() {
    state = State.CONNECTING;
    syncId = ThreadLocalRandom.current().nextLong();
    expectedSeq = 1;
    appliedSeq = 0;
    queue.clear();
    lastSyncRequestMs = clock.getAsLong();
    // The payload being applied still counts: ask from where it ends, once it has.
    if (applying) syncRequestWaiting = true;
    else sendSync();
    publish();
  }

  private void sendSync() {
    syncRequestWaiting = false;
    offset = appliedOffset;
    source.tell(new ReplicationSource.Sync(master.myId(),
        ActorRefResolver.get(getContext().getSystem()).toSerializationFormat(getContext().getSelf()),
        master.myPort(), syncId, replid, appliedOffset));
  }

  private void publish() {
    board.publishLink(generation, new ReplicationBoard.LinkView(master.masterHost(), master.masterPort(),
        state == State.CONNECTED, state == State.SYNCING, lastIoMs, downSinceMs));
  }
}
