package org.akkaredis.replication;

import akka.Done;
import akka.NotUsed;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.stream.BoundedSourceQueue;
import akka.stream.QueueOfferResult;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.akkaredis.config.DefaultUser;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.EffectSink;
import org.akkaredis.persistence.RdbWriter;

/**
 * The node's replication history and, on a master, the streams to its replicas (Redis's replication.c master
 * side). The slot ranges hand it every write's effects; it numbers them into the {@link ReplicationLog}, and
 * {@link ReplicaChannels} decides what goes to each replica: a continuation from the backlog, or a full sync (a
 * snapshot of every range, each taken by the range itself between two of its messages, while the stream goes on
 * for the ranges already sent). {@link WaitTable} keeps the WAITs. This actor carries out what they decide:
 * sends, snapshot requests, timers, the board. On a replica it keeps the master's history as its
 * {@link ReplicaLink} child applies it, so that after a promotion the siblings can continue.
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

  /**
   * Over the bus, from a replica's link: send me what I lack after {@code offset} of history {@code replid}. The
   * link authenticates as a client would, with its masteruser and masterauth ("" when not set).
   */
  public record Sync(String replicaId, String link, int port, long syncId, String replid, long offset, String user,
      String password) implements Command {
    @Override
    public String toString() {
      // The password stays out of logs and dead-letter reports.
      return "Sync[replicaId=" + replicaId + ", link=" + link + ", port=" + port + ", syncId=" + syncId
          + ", replid=" + replid + ", offset=" + offset + ", user=" + user + "]";
    }
  }

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

  /**
   * A client sent SYNC: {@code queue} feeds its connection (see {@link #clientStream}), which gets the data as an
   * RDB and then the stream.
   */
  public record SyncClient(String replicaId, String host, BoundedSourceQueue<ClientBytes> queue) implements Command {}

  /** A SYNC client's connection took the bytes of payload {@code seq} of its sync. */
  record Consumed(String replicaId, long syncId, long seq) implements Command {}

  /** A SYNC client sent REPLCONF ACK {@code offset}. */
  public record ClientAck(String replicaId, long offset) implements Command {}

  /** A SYNC client's connection is gone. */
  record ClientGone(String replicaId) implements Command {}

  /**
   * CLIENT KILL of this replica's master client: its link cuts the stream and connects again (no effect on a
   * master).
   */
  public record KillMasterLink() implements Command {}

  /**
   * CLIENT KILL TYPE REPLICA: every replica's connection is dropped (each connects again and asks to continue);
   * completes with how many there were.
   */
  public record DropReplicas(CompletableFuture<Integer> dropped) implements Command {}

  /** DEBUG CHANGE-REPL-ID: a new history id; completes once changed. */
  public record ChangeReplicationId(CompletableFuture<Void> changed) implements Command {}

  /** Bytes for a SYNC client's connection: payload {@code seq} of sync {@code syncId}, or a keepalive (seq 0). */
  public record ClientBytes(long syncId, long seq, ByteString bytes) {}

  private record PartsTaken(String replicaId, long syncId, int range, RdbWriter.Part[] parts) implements Command {}

  private record SnapshotTaken(String replicaId, long syncId, int range, List<byte[]> chunks)
      implements Command {}

  /** A paced full sync (rdb-key-save-delay): the range's keys are counted, its snapshot is due after their time. */
  private record KeysCounted(String replicaId, long syncId, int range, long keys) implements Command {}

  /** A paced full sync: the range's snapshot is due now. */
  private record TakePaced(String replicaId, long syncId, int range) implements Command {}

  /** The timer of a replica's paced full sync. */
  private record PaceTimer(String replicaId) {}

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

    /** The range's keys in the RDB encoding, one part per database (a SYNC client's RDB is made of them). */
    CompletionStage<RdbWriter.Part[]> parts(int range);

    /** The RDB header's fields now. */
    RdbWriter.Aux aux();

    /** How many keys the range holds now, all databases (what a paced snapshot of it costs). */
    CompletionStage<Long> keys(int range);
  }

  /** A SYNC client's queue; its syncs are numbered by this source. */
  private record ClientFeed(long syncId, BoundedSourceQueue<ClientBytes> queue) {}

  /** How long a stopping master lets its replicas' disconnection notices travel before remoting stops. */
  private static final Duration SHUTDOWN_NOTICE_FLUSH = Duration.ofSeconds(1);

  /** Replicas whose sync requests a pause holds at once: more than a cluster has per master. */
  private static final int MAX_HELD_SYNCS = 1000;

  private static final ByteString KEEPALIVE = ByteString.fromString("\n");
  private static final ByteString PING = ByteString.fromArrayUnsafe(
      org.akkaredis.keyspace.EffectBuffer.encode("PING".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));

  /**
   * The replication stream for a client that sent SYNC, as its connection's bytes: the RDB as a bulk, then the
   * commands as they propagate. The queue holds at most a window of payloads; the rest waits in the source, which
   * drops the client past client-output-buffer-limit's replica class. Ends (and tells the source) when the
   * connection does; fails when the source drops the client, which closes the connection.
   */
  public static Source<ByteString, NotUsed> clientStream(ActorRef<Command> source, String replicaId, String host) {
    return Source.<ClientBytes>queue(ReplicaChannel.WINDOW + 4)
        .mapMaterializedValue(queue -> {
          source.tell(new SyncClient(replicaId, host, queue));
          return NotUsed.getInstance();
        })
        .map(out -> {
          if (out.seq() > 0) source.tell(new Consumed(replicaId, out.syncId(), out.seq()));
          return out.bytes();
        })
        .watchTermination((notUsed, done) -> {
          done.whenComplete((ok, failure) -> source.tell(new ClientGone(replicaId)));
          return NotUsed.getInstance();
        });
  }

  private final ReplicationLog log;
  private final NodeServices node;
  private final ReplicationBoard board;
  private final Snapshots snapshots;
  private final ReplicaChannels replicas = new ReplicaChannels();
  private final Map<String, ActorRef<ReplicaLink.Command>> links = new HashMap<>();
  private final Map<String, ClientFeed> clients = new HashMap<>();
  /** The sync id of each replica whose full sync is paced (rdb-key-save-delay); one entry per replica at most. */
  private final Map<String, Long> pacedSyncs = new HashMap<>();
  /** Sync requests waiting for the end of a CLIENT PAUSE ALL. */
  private final HeldSyncs<Sync> heldSyncs = new HeldSyncs<>(MAX_HELD_SYNCS);
  private long clientSyncs;
  private final List<ReplicationLog.Batch> unflushed = new ArrayList<>();
  private final WaitTable<CompletableFuture<Long>> waits = new WaitTable<>();
  private final TimerScheduler<Command> timers;
  private final Consumer<EffectSink> effects;
  private ActorRef<ReplicaLink.Command> link;
  private Follow following;
  /** Redis creates the backlog when the first replica syncs (or this node follows a master) and keeps it. */
  private boolean backlogActive;
  private InjectFaults faults = InjectFaults.NONE;
  private int linkGeneration;
  /** Ticks so far (Redis's replication_cron_loops): the PINGs to the replicas keep to them. */
  private long cronLoops;

  /**
   * {@code effects} is where the ranges' effects are switched on (Keyspace.effectSink): only once the backlog
   * starts, so a node that no replica ever followed spends nothing on them.
   */
  public static Behavior<Command> create(ReplicationBoard board, Settings settings, Snapshots snapshots,
      Applier applier, LongSupplier clock, Consumer<EffectSink> effects, NodeSleep sleep,
      BooleanSupplier syncsPaused) {
    // Resumed after a failure, as the slot ranges are: a failed message must not lose the replication history.
    return Behaviors.supervise(Behaviors.<Command>setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Tick(), Duration.ofSeconds(1));
      PacedApplier paced = new PacedApplier(applier, settings, nanos -> {
        CompletableFuture<Void> elapsed = new CompletableFuture<>();
        ctx.getSystem().scheduler().scheduleOnce(Duration.ofNanos(nanos), () -> elapsed.complete(null),
            ctx.getSystem().executionContext());
        return elapsed;
      }, System::nanoTime);
      // As Redis closes its replicas' sockets when it stops (SIGTERM, SHUTDOWN), so that they see their master gone
      // at once: each replica's link hears that its sync was dropped before remoting stops. (Remote DeathWatch
      // would do it too, but its failure detector would quarantine a master that is only slow, for good.)
      ActorRef<Command> self = ctx.getSelf();
      CoordinatedShutdown.get(ctx.getSystem()).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(),
          "replication-drop-replicas", () -> {
            CompletableFuture<Integer> dropped = new CompletableFuture<>();
            self.tell(new DropReplicas(dropped));
            // The notices are only queued in remoting then: they get a moment to go out before it stops.
            // (Wall-clock time, not the system's scheduler, which a test may drive by hand.)
            return dropped.thenCompose(count -> count == 0 ? CompletableFuture.completedFuture(Done.getInstance())
                : CompletableFuture.supplyAsync(Done::getInstance, CompletableFuture.delayedExecutor(
                    SHUTDOWN_NOTICE_FLUSH.toMillis(), TimeUnit.MILLISECONDS)));
          });
      return new ReplicationSource(ctx, timers, new NodeServices(board, settings, paced, clock, sleep,
          syncsPaused), snapshots,
          effects);
    }))).onFailure(SupervisorStrategy.resume());
  }

  private ReplicationSource(ActorContext<Command> ctx, TimerScheduler<Command> timers, NodeServices node,
      Snapshots snapshots, Consumer<EffectSink> effects) {
    super(ctx);
    this.effects = effects;
    this.timers = timers;
    this.node = node;
    this.board = node.board();
    this.snapshots = snapshots;
    this.log = new ReplicationLog(ReplicationLog.newId(), node.current().backlogSize());
    board.publishLog(log);
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
        .onMessage(KeysCounted.class, counted -> {
          long nanos = KeySaveDelay.nanosFor(counted.keys(), node.settings().longValue("rdb-key-save-delay"));
          TakePaced due = new TakePaced(counted.replicaId(), counted.syncId(), counted.range());
          if (nanos == 0) return onTakePaced(due);
          timers.startSingleTimer(new PaceTimer(counted.replicaId()), due, Duration.ofNanos(nanos));
          return this;
        })
        .onMessage(TakePaced.class, this::onTakePaced)
        .onMessage(Ack.class, ack -> {
          perform(replicas.ack(ack.replicaId(), ack.syncId(), ack.seq(), ack.offset(), node.current(), node.now()));
          return this;
        })
        .onMessage(Wait.class, this::onWait)
        .onMessage(SyncClient.class, this::onSyncClient)
        .onMessage(PartsTaken.class, taken -> {
          flush(); // as for a snapshot: the batches appended before the parts were taken go out without this range's
          perform(replicas.partsTaken(taken.replicaId(), taken.syncId(), taken.range(), taken.parts(), snapshots.aux(),
              node.current(), node.now()));
          return this;
        })
        .onMessage(Consumed.class, consumed -> {
          perform(replicas.consumed(consumed.replicaId(), consumed.syncId(), consumed.seq(), node.current(),
              node.now()));
          return this;
        })
        .onMessage(ClientAck.class, ack -> {
          perform(replicas.clientAck(ack.replicaId(), ack.offset(), node.now()));
          return this;
        })
        .onMessage(ClientGone.class, gone -> {
          clients.remove(gone.replicaId());
          perform(replicas.disconnected(gone.replicaId()));
          return this;
        })
        .onMessage(DropReplicas.class, drop -> {
          List<ReplicaChannels.Effect> effects = replicas.dropAll();
          perform(effects);
          drop.dropped().complete((int) effects.stream().filter(ReplicaChannels.Dropped.class::isInstance).count());
          return this;
        })
        .onMessage(ChangeReplicationId.class, change -> {
          getContext().getLog().warn("Changing replication IDs after receiving DEBUG change-repl-id");
          log.changeId();
          board.publishLog(log);
          change.changed().complete(null);
          return this;
        })
        .onMessage(WaitTimedOut.class, timedOut -> {
          WaitTable.Answer<CompletableFuture<Long>> answer = waits.timedOut(timedOut.waitId(), replicas::ackedAt);
          if (answer != null) answer.caller().complete(answer.acked());
          return this;
        })
        .onMessage(Follow.class, this::onFollow)
        .onMessage(Lead.class, this::onLead)
        .onMessage(Restarted.class, restarted ->
            fromLink(restarted.generation(), () -> log.restart(restarted.replid(), restarted.offset())))
        .onMessage(Continued.class, continued -> fromLink(continued.generation(), () -> log.adopt(continued.replid())))
        .onMessage(Received.class, received ->
            fromLink(received.generation(), () -> log.appendReceived(received.commands())))
        .onMessage(Tick.class, tick -> onTick())
        .onMessage(KillMasterLink.class, kill -> {
          if (link != null) link.tell(new ReplicaLink.KillMasterLink());
          return this;
        })
        .onSignal(akka.actor.typed.PostStop.class, stopped -> {
          // A WAIT must not outlive the source that would answer it: each gets the count a timeout would give.
          for (WaitTable.Answer<CompletableFuture<Long>> answer : waits.drain(replicas::ackedAt)) {
            answer.caller().complete(answer.acked());
          }
          return this;
        })
        .onMessage(InjectFaults.class, inject -> {
          faults = inject;
          return this;
        })
        .build();
  }

  /** A change of the history from the link; a stopped link may have sent some, for a history no longer followed. */
  private Behavior<Command> fromLink(int generation, Runnable change) {
    if (generation == linkGeneration) change.run();
    board.publishLog(log);
    return this;
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
    perform(replicas.stream(unflushed, node.current(), node.now()));
    unflushed.clear();
    board.publishLog(log);
  }

  private Behavior<Command> onSync(Sync sync) {
    // Under CLIENT PAUSE ALL a Redis replica's handshake waits like any client's commands: served at its end.
    if (heldSyncs.hold(sync.replicaId(), sync, node.syncsPaused())) return this;
    flush();
    ActorRef<ReplicaLink.Command> replica = ActorRefResolver.get(getContext().getSystem()).resolveActorRef(sync.link());
    // Authentication first, as a Redis replica's AUTH comes before its PSYNC: no data without the password.
    String refusal = DefaultUser.syncRefusal(node.settings(), sync.user(), sync.password());
    if (refusal != null) {
      replica.tell(new ReplicaLink.Refused(sync.syncId(), !sync.password().isEmpty(), refusal));
      return this;
    }
    if (link != null) return this; // no chained replication: the replica asks again once this node leads
    startBacklog();
    log.backlogLimit(node.current().backlogSize()); // a repl-backlog-size set since the last tick applies already
    links.put(sync.replicaId(), replica);
    String host = replica.path().address().getHost().orElse("127.0.0.1");
    perform(replicas.sync(sync.replicaId(), host, sync.port(), sync.syncId(), sync.replid(), sync.offset(), log,
        snapshots.ranges(), node.current(), node.now()));
    return this;
  }

  /**
   * A client sent SYNC. A replica serves none (no chained replication): the client is dropped at once. Redis
   * emits a SELECT before the next effect for a full sync, so the client learns the stream's database.
   */
  private Behavior<Command> onSyncClient(SyncClient sync) {
    flush();
    if (link != null) {
      endFeed(sync.queue(), "this node follows a master now");
      return this;
    }
    startBacklog();
    log.forgetDb();
    long syncId = ++clientSyncs;
    clients.put(sync.replicaId(), new ClientFeed(syncId, sync.queue()));
    perform(replicas.syncClient(sync.replicaId(), sync.host(), syncId, snapshots.ranges(), node.current(),
        node.now()));
    return this;
  }

  /**
   * A range's snapshot, taken by the range between two of its messages: every batch of that range appended
   * before it is in it, every later one is not. So the batches still unflushed go out first, without this
   * range's, and from now on the range's batches go to the replica.
   */
  private Behavior<Command> onSnapshotTaken(SnapshotTaken taken) {
    flush();
    perform(replicas.snapshotTaken(taken.replicaId(), taken.syncId(), taken.range(), taken.chunks(), log.offset(),
        node.current(), node.now()));
    // A paced sync goes on with the next range (nothing when the sync was given up meanwhile).
    if (pacedSyncs.getOrDefault(taken.replicaId(), 0L) == taken.syncId()) {
      if (replicas.awaits(taken.replicaId(), taken.syncId(), taken.range() + 1)) {
        countKeys(taken.replicaId(), taken.syncId(), taken.range() + 1);
      } else {
        pacedSyncs.remove(taken.replicaId());
      }
    }
    return this;
  }

  /**
   * A paced full sync (rdb-key-save-delay, Redis's testing aid): the ranges' snapshots are taken one after the
   * other, each once its keys' time has passed on a timer, so the sync lasts what producing every key costs, and
   * no range or thread waits meanwhile. Each range's snapshot is still one moment of that range.
   */
  private void countKeys(String replicaId, long syncId, int range) {
    pacedSyncs.put(replicaId, syncId);
    getContext().pipeToSelf(snapshots.keys(range), (keys, failure) ->
        new KeysCounted(replicaId, syncId, range, failure == null ? keys : 0));
  }

  private Behavior<Command> onTakePaced(TakePaced due) {
    if (!replicas.awaits(due.replicaId(), due.syncId(), due.range())) {
      pacedSyncs.remove(due.replicaId(), due.syncId());
      return this;
    }
    getContext().pipeToSelf(snapshots.take(due.range(), StreamPayloads.MAX_PAYLOAD_BYTES), (chunks, failure) ->
        new SnapshotTaken(due.replicaId(), due.syncId(), due.range(), failure == null ? chunks : null));
    return this;
  }

  private Behavior<Command> onWait(Wait wait) {
    flush();
    long target = log.offset();
    WaitTable.Added<CompletableFuture<Long>> added =
        waits.add(wait.replicas(), wait.timeoutMs(), target, replicas.ackedAt(target), wait.acked());
    if (added.answer() != null) added.answer().caller().complete(added.answer().acked());
    if (added.needsTimer()) {
      timers.startSingleTimer(added.waitId(), new WaitTimedOut(added.waitId()), Duration.ofMillis(wait.timeoutMs()));
    }
    return this;
  }

  private Behavior<Command> onFollow(Follow follow) {
    if (follow.equals(following)) return this;
    flush();
    following = follow;
    startBacklog();
    if (link != null) getContext().stop(link);
    replicas.clear();
    links.clear();
    // Redis disconnects its replicas when it starts following a master.
    clients.values().forEach(feed -> feed.queue().fail(new IllegalStateException("this node follows a master now")));
    clients.clear();
    getContext().getLog().info("Connecting to MASTER {}:{}", follow.masterHost(), follow.masterPort());
    board.startLinkGeneration(++linkGeneration, null);
    link = getContext().spawn(ReplicaLink.create(getContext().getSelf(), linkGeneration, follow, log.replid(),
        log.offset(), node), "link-" + linkGeneration);
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
    getContext().getLog().info("Setting secondary replication ID to {}, valid up to offset: {}. "
        + "New replication ID is {}", log.replid2(), log.secondOffset(), log.replid());
    return this;
  }

  private Behavior<Command> onTick() {
    for (Sync held : heldSyncs.release(node.syncsPaused())) onSync(held);
    flush();
    ReplicationSettings current = node.current();
    pingReplicas(current);
    flush();
    log.backlogLimit(current.backlogSize()); // CONFIG SET repl-backlog-size applies from here
    perform(replicas.tick(log.offset(), current, node.now()));
    cronLoops++;
    return this;
  }

  /**
   * Redis's replicationCron: on every tick whose number is a multiple of repl-ping-replica-period (in seconds) a
   * master with replicas feeds PING into the stream, so the offsets move on while no client writes (a replica at
   * offset 0 counts as loading in CLUSTER SLOTS). Keeping to the tick count as Redis does matters: Redis's test
   * harness sets the period to 3600 before it reads the stream, and expects no PING then. Not while a manual
   * failover pauses the writes: the replica must reach the offset the master stopped at.
   */
  private void pingReplicas(ReplicationSettings current) {
    long periodTicks = Math.max(1, current.pingPeriodMs() / 1000);
    if (link != null || !backlogActive || !replicas.any() || cronLoops % periodTicks != 0
        || board.failoverPaused(System.currentTimeMillis())) {
      return;
    }
    log.appendNodeWide(PING.toArray(), unflushed); // the tick flushes it at once
  }

  /** Carries out what {@link ReplicaChannels} decided, in order. */
  private void perform(List<ReplicaChannels.Effect> effects) {
    for (ReplicaChannels.Effect effect : effects) {
      if (effect instanceof ReplicaChannels.Send send) {
        send(send);
      } else if (effect instanceof ReplicaChannels.FullSyncStarted full) {
        board.syncFull++;
        if (full.continuationRefused()) board.syncPartialErr++;
        if (node.settings().longValue("rdb-key-save-delay") != 0) {
          countKeys(full.replicaId(), full.syncId(), 0);
          continue;
        }
        for (int range = 0; range < full.ranges(); range++) {
          int r = range;
          getContext().pipeToSelf(snapshots.take(range, StreamPayloads.MAX_PAYLOAD_BYTES), (chunks, failure) ->
              new SnapshotTaken(full.replicaId(), full.syncId(), r, failure == null ? chunks : null));
        }
      } else if (effect instanceof ReplicaChannels.RdbSyncStarted full) {
        board.syncFull++;
        for (int range = 0; range < full.ranges(); range++) {
          int r = range;
          getContext().pipeToSelf(snapshots.parts(range), (parts, failure) ->
              new PartsTaken(full.replicaId(), full.syncId(), r, failure == null ? parts : null));
        }
      } else if (effect instanceof ReplicaChannels.Keepalive keepalive) {
        ClientFeed feed = clients.get(keepalive.replicaId());
        if (feed != null) feed.queue().offer(new ClientBytes(feed.syncId(), 0, KEEPALIVE)); // full: not needed
      } else if (effect instanceof ReplicaChannels.PartialSyncAccepted) {
        board.syncPartialOk++;
      } else if (effect instanceof ReplicaChannels.ReplicasChanged) {
        publishReplicas();
      } else if (effect instanceof ReplicaChannels.AckRecorded) {
        for (WaitTable.Answer<CompletableFuture<Long>> answer : waits.satisfied(replicas::ackedAt)) {
          timers.cancel(answer.waitId());
          answer.caller().complete(answer.acked());
        }
      } else if (effect instanceof ReplicaChannels.Disconnect disconnect) {
        ActorRef<ReplicaLink.Command> replica = links.get(disconnect.replicaId());
        if (replica != null) replica.tell(new ReplicaLink.Disconnected(disconnect.syncId()));
      } else if (effect instanceof ReplicaChannels.Dropped dropped) {
        links.remove(dropped.replicaId());
        ClientFeed feed = clients.remove(dropped.replicaId());
        if (feed != null) endFeed(feed.queue(), "replica dropped");
      } else if (effect instanceof LogLine line) {
        line.writeTo(getContext().getLog());
      }
    }
  }

  private void send(ReplicaChannels.Send send) {
    board.sent(send.payload());
    ClientFeed feed = clients.get(send.replicaId());
    if (feed != null) {
      sendToClient(feed, send);
      return;
    }
    if (faults.dropped().contains(send.replicaId())) return;
    ReplicaLink.Deliver deliver = new ReplicaLink.Deliver(send.syncId(), send.seq(), send.payload());
    Duration delay = faults.delayed().getOrDefault(send.replicaId(), Duration.ZERO);
    if (delay.isZero()) links.get(send.replicaId()).tell(deliver);
    else getContext().scheduleOnce(delay, links.get(send.replicaId()), deliver);
  }

  /**
   * A payload as a SYNC client's bytes. The window keeps the queue from filling; if it is full anyway, the client
   * is dropped rather than a byte lost.
   */
  private void sendToClient(ClientFeed feed, ReplicaChannels.Send send) {
    ByteString bytes;
    if (send.payload() instanceof Payload.Chunk chunk) bytes = ByteString.fromArrayUnsafe(chunk.commands());
    else if (send.payload() instanceof Payload.Stream stream) bytes = ByteString.fromArrayUnsafe(stream.commands());
    else if (send.payload() instanceof Payload.Ping) bytes = PING;
    else return;
    QueueOfferResult result = feed.queue().offer(new ClientBytes(feed.syncId(), send.seq(), bytes));
    if (result != QueueOfferResult.enqueued()) {
      clients.remove(send.replicaId());
      endFeed(feed.queue(), "replica output queue full");
      perform(replicas.disconnected(send.replicaId()));
    }
  }

  /**
   * Ends a SYNC client's feed, which closes its connection. The connection may have ended it first (the client
   * closed its socket while a payload was on its way; ClientGone is still in the mailbox): then there is nothing
   * left to end, and failing the queue again would throw.
   */
  static void endFeed(BoundedSourceQueue<ClientBytes> queue, String reason) {
    try {
      queue.fail(new IllegalStateException(reason));
    } catch (IllegalStateException alreadyCompleted) {
      // the connection is gone already
    }
  }

  private void publishReplicas() {
    board.replicas = replicas.views();
    board.goodReplicas = replicas.good(node.now(), node.current().minReplicasMaxLagMs());
  }
}
