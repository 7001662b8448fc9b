package org.akkaredis.replication;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.EffectSink;

/**
 * The node's replication history and, on a master, the streams to its replicas (Redis's replication.c master
 * side). The slot ranges hand it every write's effects; it numbers them into the {@link ReplicationLog} and
 * sends them to each replica through a {@link ReplicaChannel}. A replica asking to sync either continues from
 * the backlog or gets a full sync: a snapshot of every range, each taken by the range itself between two of
 * its messages, while the stream goes on for the ranges already sent. On a replica it keeps the master's
 * history as its {@link ReplicaLink} child applies it, so that after a promotion the siblings can continue.
 */
public final class ReplicationSource extends AbstractBehavior<ReplicationSource.Command> {

  public sealed interface Command {}

  /** A slot range's effects (range -1: node-wide, all ranges held) in database {@code db}. */
  public record Effect(int range, int db, byte[] commands) implements Command {}

  /** Become (or stay) a replica of the master at this address. */
  public record Follow(String myId, int myPort, String masterId, String masterHost, int masterPort,
      int masterCport) implements Command {}

  /** Become (or stay) a master: a promoted replica starts a new history. */
  public record Lead() implements Command {}

  /** WAIT: completes with the number of replicas that have everything written so far. */
  public record Wait(int replicas, long timeoutMs, CompletableFuture<Long> acked) implements Command {}

  /** Over the bus, from a replica's link: send me what I lack after {@code offset} of history {@code replid}. */
  public record Sync(String replicaId, String link, int port, long syncId, String replid, long offset)
      implements Command {}

  /** Over the bus, from a replica's link: it applied everything up to payload {@code seq} and {@code offset}. */
  public record Ack(String replicaId, long syncId, long seq, long offset) implements Command {}

  /** From the link: a full sync ended, the master's history is mine from {@code offset}. */
  record Restarted(int generation, String replid, long offset) implements Command {}

  /** From the link: the master's stream went on from where mine was, under its id. */
  record Continued(int generation, String replid) implements Command {}

  /** From the link: applied stream bytes, to keep in my history. */
  record Received(int generation, byte[] commands) implements Command {}

  /**
   * Tests' fault switch for the streams this node sends: payloads to the replicas in {@code dropped} are lost,
   * those to the replicas in {@code delayed} arrive that much later.
   */
  public record InjectFaults(Set<String> dropped, Map<String, Duration> delayed) implements Command {
    public static final InjectFaults NONE = new InjectFaults(Set.of(), Map.of());
  }

  private record SnapshotTaken(String replicaId, long syncId, int range, List<byte[]> chunks)
      implements Command {}

  private record Flush() implements Command {}

  private record Tick() implements Command {}

  private record WaitTimedOut(long waitId) implements Command {}

  /** The node's slot ranges as far as a full sync needs them. */
  public interface Snapshots {
    int ranges();

    /**
     * The range's keys in chunks of about {@code maxChunkBytes}: small RDBs (the snapshot encoding of BGSAVE and the
     * AOF's base), or commands for a value too big for one chunk.
     */
    CompletionStage<List<byte[]>> take(int range, int maxChunkBytes);
  }

  /** Bigger messages would exceed Artery's frame (256 KiB) or hold the bus's stream for long. */
  static final int MAX_PAYLOAD_BYTES = 64 * 1024;
  /** How long payloads may go unacknowledged before the last one is sent again. */
  static final long RESEND_AFTER_MS = 2000;

  private record PendingWait(long id, long target, int replicas, CompletableFuture<Long> acked) {}

  private final ReplicationLog log;
  private final ReplicationBoard board;
  private final Settings settings;
  private final Snapshots snapshots;
  private final Applier applier;
  private final LongSupplier clock;
  private final Map<String, ReplicaChannel> channels = new HashMap<>();
  private final Map<String, ActorRef<ReplicaLink.Command>> links = new HashMap<>();
  private final List<ReplicationLog.Batch> unflushed = new ArrayList<>();
  private final List<PendingWait> waits = new ArrayList<>();
  private final TimerScheduler<Command> timers;
  private final Consumer<EffectSink> effects;
  private ActorRef<ReplicaLink.Command> link;
  private Follow following;
  /** Redis creates the backlog when the first replica syncs (or this node follows a master) and keeps it. */
  private boolean backlogActive;
  private InjectFaults faults = InjectFaults.NONE;
  private long nextWaitId;
  private int linkGeneration;

  /**
   * {@code effects} is where the ranges' effects are switched on (Keyspace.effectSink): only once the backlog
   * starts, so a node that no replica ever followed spends nothing on them.
   */
  public static Behavior<Command> create(ReplicationBoard board, Settings settings, Snapshots snapshots,
      Applier applier, LongSupplier clock, Consumer<EffectSink> effects) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Tick(), Duration.ofSeconds(1));
      return new ReplicationSource(ctx, timers, board, settings, snapshots, applier, clock, effects);
    }));
  }

  private ReplicationSource(ActorContext<Command> ctx, TimerScheduler<Command> timers, ReplicationBoard board,
      Settings settings, Snapshots snapshots, Applier applier, LongSupplier clock, Consumer<EffectSink> effects) {
    super(ctx);
    this.effects = effects;
    this.timers = timers;
    this.board = board;
    this.settings = settings;
    this.snapshots = snapshots;
    this.applier = applier;
    this.clock = clock;
    this.log = new ReplicationLog(ReplicationLog.newId(), backlogSize());
    board.publishLog(log);
  }

  private long backlogSize() {
    return Long.parseLong(settings.rawValue("repl-backlog-size"));
  }

  private long seconds(String setting) {
    return Long.parseLong(settings.rawValue(setting)) * 1000;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Effect.class, this::onEffect)
        .onMessage(Flush.class, flush -> {
          flush();
          return this;
        })
        .onMessage(Sync.class, this::onSync)
        .onMessage(SnapshotTaken.class, this::onSnapshotTaken)
        .onMessage(Ack.class, this::onAck)
        .onMessage(Wait.class, this::onWait)
        .onMessage(WaitTimedOut.class, timedOut -> {
          for (Iterator<PendingWait> it = waits.iterator(); it.hasNext(); ) {
            PendingWait wait = it.next();
            if (wait.id() == timedOut.waitId()) {
              it.remove();
              wait.acked().complete(countAcked(wait.target()));
            }
          }
          return this;
        })
        .onMessage(Follow.class, this::onFollow)
        .onMessage(Lead.class, this::onLead)
        // From the link; a stopped link may have sent some before it stopped, for a history no longer followed.
        .onMessage(Restarted.class, restarted -> {
          if (restarted.generation() == linkGeneration) log.restart(restarted.replid(), restarted.offset());
          board.publishLog(log);
          return this;
        })
        .onMessage(Continued.class, continued -> {
          if (continued.generation() == linkGeneration) log.adopt(continued.replid());
          board.publishLog(log);
          return this;
        })
        .onMessage(Received.class, received -> {
          if (received.generation() == linkGeneration) log.appendReceived(received.commands());
          board.publishLog(log);
          return this;
        })
        .onMessage(Tick.class, tick -> onTick())
        .onMessage(InjectFaults.class, inject -> {
          faults = inject;
          return this;
        })
        .build();
  }

  private Behavior<Command> onEffect(Effect effect) {
    // A replica's history is its master's: its own ranges write nothing of it. Before any replica came, there
    // is no backlog and the offset stays 0, as in Redis (the first replica syncs in full anyway).
    if (link != null || !backlogActive) return this;
    if (unflushed.isEmpty()) getContext().getSelf().tell(new Flush());
    log.append(effect.range(), effect.db(), effect.commands(), unflushed);
    return this;
  }

  /**
   * Sends the batches appended since the last flush: one message per replica for all the writes that came in
   * meanwhile, the batches of ranges a replica is still waiting the snapshot of left out.
   */
  private void flush() {
    if (unflushed.isEmpty()) return;
    long now = clock.getAsLong();
    for (ReplicaChannel channel : channels.values()) {
      enqueueStream(channel, unflushed);
      drain(channel, now);
    }
    unflushed.clear();
    board.publishLog(log);
  }

  private static void enqueueStream(ReplicaChannel channel, List<ReplicationLog.Batch> batches) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long end = -1;
    for (ReplicationLog.Batch batch : batches) {
      if (batch.range() >= 0 && channel.pendingRanges.get(batch.range())) continue;
      if (bytes.size() > 0 && bytes.size() + batch.bytes().length > MAX_PAYLOAD_BYTES) {
        channel.enqueue(new Payload.Stream(end, bytes.toByteArray()));
        bytes.reset();
      }
      if (batch.bytes().length > MAX_PAYLOAD_BYTES) {
        long[] at = {batch.start()};
        ReplicaChannel.forEachFragment(batch.bytes(), MAX_PAYLOAD_BYTES, fragment -> {
          at[0] += fragment.length;
          channel.enqueue(new Payload.Stream(at[0], fragment));
        });
        continue;
      }
      bytes.writeBytes(batch.bytes());
      end = batch.end();
    }
    if (bytes.size() > 0) channel.enqueue(new Payload.Stream(end, bytes.toByteArray()));
  }

  private void drain(ReplicaChannel channel, long now) {
    channel.drain(now, (seq, payload) -> send(channel, seq, payload));
    long limit = outputBufferLimit();
    if (limit > 0 && channel.queuedBytes() > limit) {
      getContext().getLog().warn("Replica {}:{} is too far behind ({} bytes queued): dropped, it will resync",
          channel.host, channel.port, channel.queuedBytes());
      drop(channel.id);
    }
  }

  private void send(ReplicaChannel channel, long seq, Payload payload) {
    if (faults.dropped().contains(channel.id)) return;
    ReplicaLink.Deliver deliver = new ReplicaLink.Deliver(channel.syncId, seq, payload);
    Duration delay = faults.delayed().getOrDefault(channel.id, Duration.ZERO);
    if (delay.isZero()) links.get(channel.id).tell(deliver);
    else getContext().scheduleOnce(delay, links.get(channel.id), deliver);
  }

  /** client-output-buffer-limit's hard limit for replicas (256 MB by default). */
  private long outputBufferLimit() {
    String[] parts = settings.rawValue("client-output-buffer-limit").split(" ");
    for (int i = 0; i + 1 < parts.length; i += 4) {
      if (parts[i].equals("replica") || parts[i].equals("slave")) return Long.parseLong(parts[i + 1]);
    }
    return 256L << 20;
  }

  private Behavior<Command> onSync(Sync sync) {
    flush();
    long now = clock.getAsLong();
    if (link != null) return this; // no chained replication: the replica asks again once this node leads
    startBacklog();
    drop(sync.replicaId());
    ActorRef<ReplicaLink.Command> replica = ActorRefResolver.get(getContext().getSystem()).resolveActorRef(sync.link());
    String host = replica.path().address().getHost().orElse("127.0.0.1");
    ReplicaChannel channel = new ReplicaChannel(sync.replicaId(), host, sync.port(), sync.syncId(), now);
    channels.put(channel.id, channel);
    links.put(channel.id, replica);
    if (log.canContinue(sync.replid(), sync.offset())) {
      getContext().getLog().info("Partial resynchronization request from {}:{} accepted. Sending {} bytes of backlog",
          host, sync.port(), log.offset() - sync.offset());
      channel.ackOffset = sync.offset();
      board.syncPartialOk++;
      channel.enqueue(new Payload.Continue(log.replid(), sync.offset()));
      enqueueStream(channel, log.since(sync.offset()));
    } else {
      getContext().getLog().info("Replica {}:{} asks for synchronization: full sync of {} ranges from offset {}",
          host, sync.port(), snapshots.ranges(), log.offset());
      board.syncFull++;
      if (sync.offset() > 0) board.syncPartialErr++;
      channel.pendingRanges.set(0, snapshots.ranges());
      channel.enqueue(new Payload.FullSync(log.replid(), log.offset(), log.currentDb()));
      for (int range = 0; range < snapshots.ranges(); range++) {
        int r = range;
        getContext().pipeToSelf(snapshots.take(range, MAX_PAYLOAD_BYTES), (chunks, failure) ->
            new SnapshotTaken(sync.replicaId(), sync.syncId(), r, failure == null ? chunks : null));
      }
    }
    drain(channel, now);
    publishReplicas();
    return this;
  }

  /**
   * A range's snapshot, taken by the range between two of its messages: every batch of that range appended
   * before it is in it, every later one is not. So the batches still unflushed go out first, without this
   * range's, and from now on the range's batches go to the replica.
   */
  private Behavior<Command> onSnapshotTaken(SnapshotTaken taken) {
    flush();
    ReplicaChannel channel = channels.get(taken.replicaId());
    if (channel == null || channel.syncId != taken.syncId()) return this;
    if (taken.chunks() == null) {
      getContext().getLog().warn("Snapshot of range {} failed: replica {}:{} will resync", taken.range(),
          channel.host, channel.port);
      drop(channel.id);
      return this;
    }
    for (byte[] chunk : taken.chunks()) channel.enqueue(new Payload.Chunk(chunk));
    channel.pendingRanges.clear(taken.range());
    if (channel.online()) {
      channel.enqueue(new Payload.SnapshotDone(log.offset()));
      getContext().getLog().info("Synchronization with replica {}:{} succeeded", channel.host, channel.port);
    }
    drain(channel, clock.getAsLong());
    publishReplicas();
    return this;
  }

  private Behavior<Command> onAck(Ack ack) {
    ReplicaChannel channel = channels.get(ack.replicaId());
    if (channel == null || channel.syncId != ack.syncId()) return this;
    long now = clock.getAsLong();
    if (!channel.acked(ack.seq(), ack.offset(), now)) return this;
    drain(channel, now);
    publishReplicas();
    completeWaits();
    return this;
  }

  private Behavior<Command> onWait(Wait wait) {
    flush();
    long target = log.offset();
    long acked = countAcked(target);
    if (acked >= wait.replicas() || wait.timeoutMs() < 0) {
      wait.acked().complete(acked);
      return this;
    }
    PendingWait pending = new PendingWait(nextWaitId++, target, wait.replicas(), wait.acked());
    waits.add(pending);
    if (wait.timeoutMs() > 0) {
      timers.startSingleTimer(pending.id(), new WaitTimedOut(pending.id()), Duration.ofMillis(wait.timeoutMs()));
    }
    return this;
  }

  private long countAcked(long target) {
    return channels.values().stream().filter(c -> c.online() && c.ackOffset >= target).count();
  }

  private void completeWaits() {
    for (Iterator<PendingWait> it = waits.iterator(); it.hasNext(); ) {
      PendingWait wait = it.next();
      long acked = countAcked(wait.target());
      if (acked >= wait.replicas()) {
        it.remove();
        timers.cancel(wait.id());
        wait.acked().complete(acked);
      }
    }
  }

  private Behavior<Command> onFollow(Follow follow) {
    if (follow.equals(following)) return this;
    flush();
    following = follow;
    startBacklog();
    if (link != null) getContext().stop(link);
    for (String id : List.copyOf(channels.keySet())) drop(id);
    getContext().getLog().info("Connecting to MASTER {}:{}", follow.masterHost(), follow.masterPort());
    board.startLinkGeneration(++linkGeneration, null);
    link = getContext().spawn(ReplicaLink.create(getContext().getSelf(), linkGeneration, follow, log.replid(),
        log.offset(), board, settings, applier, clock), "link-" + linkGeneration);
    return this;
  }

  /**
   * The history starts: from now on the ranges record effects. Those made before are in the snapshots a full
   * sync takes after this (the ranges see the sink before they get the snapshot requests).
   */
  private void startBacklog() {
    if (backlogActive) return;
    backlogActive = true;
    board.backlogActive = true;
    ActorRef<Command> self = getContext().getSelf();
    effects.accept((range, db, commands) -> self.tell(new Effect(range, db, commands)));
  }

  private Behavior<Command> onLead(Lead lead) {
    if (link == null) return this;
    getContext().stop(link);
    link = null;
    following = null;
    board.startLinkGeneration(++linkGeneration, null);
    log.promote();
    board.publishLog(log);
    getContext().getLog().info("Setting secondary replication ID to {}, valid up to offset: {}. New replication ID is {}",
        log.replid2(), log.secondOffset(), log.replid());
    return this;
  }

  private Behavior<Command> onTick() {
    flush();
    log.backlogLimit(backlogSize()); // CONFIG SET repl-backlog-size applies from here
    long now = clock.getAsLong();
    long timeout = seconds("repl-timeout");
    long pingPeriod = seconds("repl-ping-replica-period");
    for (ReplicaChannel channel : List.copyOf(channels.values())) {
      if (now - channel.lastAckMs > timeout) {
        getContext().getLog().warn("Disconnecting timedout replica: {}:{}", channel.host, channel.port);
        drop(channel.id);
        continue;
      }
      if (now - channel.lastSendMs >= pingPeriod) channel.enqueue(new Payload.Ping(log.offset()));
      drain(channel, now);
      channel.resendIfStalled(now, RESEND_AFTER_MS, (seq, payload) -> send(channel, seq, payload));
    }
    publishReplicas();
    return this;
  }

  private void drop(String replicaId) {
    channels.remove(replicaId);
    links.remove(replicaId);
  }

  private void publishReplicas() {
    long now = clock.getAsLong();
    long maxLag = seconds("min-replicas-max-lag");
    List<ReplicationBoard.ReplicaView> views = new ArrayList<>();
    int good = 0;
    for (ReplicaChannel c : channels.values()) {
      views.add(new ReplicationBoard.ReplicaView(c.host, c.port, c.online(), c.ackOffset, c.lastAckMs));
      if (c.online() && now - c.lastAckMs <= maxLag) good++;
    }
    board.replicas = List.copyOf(views);
    board.goodReplicas = good;
  }
}
