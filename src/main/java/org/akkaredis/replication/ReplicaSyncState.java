package org.akkaredis.replication;

import akka.util.ByteString;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.akkaredis.persistence.DataLoader;
import org.akkaredis.resp.ProtocolException;
import org.akkaredis.resp.RespDecoder;

/**
 * A replica's side of one master's stream (Redis's replication.c replica side): which sync is current, which
 * payload is due next, what the payloads do to the replica's history, and when to ask for a sync again. Each sync
 * request gets a new sync id, and only payloads of the current one count. Payloads are applied strictly in order,
 * one apply at a time (the stream payloads queued up behind each other in one apply). A payload missing (a gap in
 * the numbers), applying one failing, or a master silent for repl-timeout starts over with a new sync request,
 * which continues from the master's backlog if it can. Each step returns what the {@link ReplicaLink} is to do;
 * this class sends and applies nothing itself.
 */
final class ReplicaSyncState {

  /** What the link is to do, in order. */
  sealed interface Effect permits RequestSync, Acknowledge, Apply, HistoryRestarted, HistoryContinued,
      HistoryReceived, Publish, LogLine {}

  /** Ask the master to sync {@code syncId}: send what follows {@code offset} of history {@code replid}. */
  record RequestSync(long syncId, String replid, long offset) implements Effect {}

  /** Tell the master that payloads up to {@code seq} are applied, the history up to {@code offset}. */
  record Acknowledge(long syncId, long seq, long offset) implements Effect {}

  /**
   * Do {@code work}, then report {@link #applied} or {@link #failed} with this sync id and {@code seq}. Nothing
   * else is applied meanwhile.
   */
  record Apply(long syncId, long seq, Work work) implements Effect {}

  /** The replica's history (its ReplicationLog) restarts as the master's at {@code offset}: a full sync ended. */
  record HistoryRestarted(String replid, long offset) implements Effect {}

  /** The replica's history goes on under the master's id {@code replid}. */
  record HistoryContinued(String replid) implements Effect {}

  /** Stream bytes that are now part of the replica's history. */
  record HistoryReceived(byte[] commands) implements Effect {}

  /**
   * The link's state changed (INFO replication's master_link_status and neighbours; {@code asyncLoading}: the
   * full sync under way loads aside, INFO persistence's async_loading).
   */
  record Publish(boolean up, boolean syncing, boolean asyncLoading, long lastIoMs, long downSinceMs)
      implements Effect {}


  /** What applying a payload takes. */
  sealed interface Work {
    /** Run the commands as the master's client of that channel. */
    record Run(Applier.Channel channel, List<byte[][]> commands) implements Work {}

    /** A full sync begins: drop every key; the stream starts in database {@code db}. */
    record DropData(int db) implements Work {}

    /**
     * A full sync begins as an async load (repl-diskless-load swapdb): the keys stay, the master's data loads
     * aside; the stream starts in database {@code db}.
     */
    record LoadAside(int db) implements Work {}

    /** The async load is complete: the loaded data replaces the old. */
    record SwapIn() implements Work {}

    /** The async load failed: what it loaded is dropped (applied before anything of a later sync). */
    record DropAside() implements Work {}

    /** Nothing to run (the payload only changed this state). */
    record Nothing() implements Work {}

    /** The payload cannot be applied. */
    record Invalid(Throwable cause) implements Work {}
  }

  private enum Phase { CONNECTING, SYNCING, CONNECTED }

  private record Queued(long seq, Payload payload) {}

  /**
   * How long an unanswered sync request waits before it is sent again. The first contact with a node can take
   * seconds (remoting associates first); asking again meanwhile would only start a second full sync.
   */
  static final long SYNC_RETRY_MS = 5000;

  /** After a refusal, and once the stream was cut, the link connects again a second later (replicationCron). */
  static final long RECONNECT_MS = 1000;

  private static final Work NOTHING = new Work.Nothing();

  /**
   * At most this many stream payloads in one apply: under load they queue up while one apply runs, and each apply
   * costs a round trip to the ranges. The master's window bounds the queue the same way.
   */
  static final int MERGED_STREAMS = ReplicaChannel.WINDOW;

  /** The sequence number of work this state starts itself (dropping an aborted async load): no payload's. */
  private static final long OWN_WORK = 0;

  private final LongSupplier syncIds;
  /** Read at each full sync's start: repl-diskless-load is swapdb. */
  private final BooleanSupplier swapdb;
  /** The full sync under way loads aside: the old data is served meanwhile. */
  private boolean asyncLoading;
  /** An async load was given up: what it loaded is to be dropped before anything else is applied. */
  private boolean dropAsideWaiting;
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  private Phase phase = Phase.CONNECTING;
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
  private RespDecoder streamDecoder = newDecoder();
  private long lastIoMs;
  private long downSinceMs;
  /** While connecting: when the sync request is sent again if nothing came. */
  private long retryAtMs;

  /**
   * A link that has {@code offset} bytes of history {@code replid} (to continue from if the master can);
   * {@code syncIds} gives each sync request its id (random: a restarted link must not reuse one).
   */
  ReplicaSyncState(String replid, long offset, long now, LongSupplier syncIds) {
    this(replid, offset, now, syncIds, () -> false);
  }

  /** {@code swapdb}: whether a full sync starting now loads aside (repl-diskless-load swapdb). */
  ReplicaSyncState(String replid, long offset, long now, LongSupplier syncIds, BooleanSupplier swapdb) {
    this.swapdb = swapdb;
    this.replid = replid;
    this.offset = offset;
    this.appliedOffset = offset;
    this.downSinceMs = now;
    this.syncIds = syncIds;
  }

  /** The link starts: its first sync request. */
  List<Effect> start(long now) {
    List<Effect> effects = new ArrayList<>();
    requestSync(now, effects);
    return effects;
  }

  /** Payload {@code seq} of sync {@code syncId} arrived. */
  List<Effect> deliver(long syncId, long seq, Payload payload, long now) {
    if (syncId != this.syncId) return List.of(); // of a sync abandoned since
    lastIoMs = now;
    if (seq < expectedSeq) return List.of(); // sent again by a master that waited for its acknowledgement
    List<Effect> effects = new ArrayList<>();
    if (seq != expectedSeq) {
      effects.add(LogLine.warn("Payload %d from MASTER arrived where %d was due: resynchronizing", seq, expectedSeq));
      resync(now, effects);
      return effects;
    }
    expectedSeq++;
    queue.addLast(new Queued(seq, payload));
    applyNext(effects);
    return effects;
  }

  /**
   * The master refused sync {@code syncId} with Redis's {@code error} reply: to the link's AUTH
   * ({@code authReply}: its masterauth is wrong, or the master has no password), or to the sync itself (no
   * masterauth while the master has one). Logged with Redis's texts; the link stays down and asks again a second
   * later, as Redis's replica does, so that a masterauth or requirepass fixed meanwhile takes effect.
   */
  List<Effect> refused(long syncId, boolean authReply, String error, long now) {
    if (syncId != this.syncId || phase != Phase.CONNECTING) return List.of();
    List<Effect> effects = new ArrayList<>();
    effects.add(authReply
        ? LogLine.warn("Unable to AUTH to MASTER: -%s", error)
        : LogLine.warn("MASTER aborted replication with an error: %s", error));
    retryAtMs = now + RECONNECT_MS;
    return effects;
  }

  /**
   * CLIENT KILL of the master's client (Redis's freeClient of server.master): the stream is cut where it is, the
   * payloads taken but not yet applied are lost with it, and the link connects again a second later
   * (replicationCron), continuing from what it applied if the master still has that in its backlog.
   */
  List<Effect> killed(long now) {
    if (phase == Phase.CONNECTING) return new ArrayList<>(); // no master client to kill
    return lost(now);
  }

  /** The master dropped sync {@code syncId} (its connection to this replica, in Redis's terms): as {@link #killed}. */
  List<Effect> disconnected(long syncId, long now) {
    if (syncId != this.syncId || phase == Phase.CONNECTING) return List.of();
    return lost(now);
  }

  private List<Effect> lost(long now) {
    List<Effect> effects = new ArrayList<>();
    effects.add(LogLine.warn("Connection with master lost."));
    if (phase == Phase.CONNECTED) downSinceMs = now;
    phase = Phase.CONNECTING;
    syncId = syncIds.getAsLong(); // payloads of the cut stream that are still on their way do not count
    expectedSeq = 1;
    appliedSeq = 0;
    queue.clear();
    retryAtMs = now + RECONNECT_MS;
    abortAsyncLoad(effects);
    publish(effects);
    return effects;
  }

  /** Whether a full sync is loading aside now (INFO's async_loading). */
  boolean asyncLoading() {
    return asyncLoading;
  }

  /** A full sync that loaded aside ended unfinished: its data is dropped once the payload being applied is done. */
  private void abortAsyncLoad(List<Effect> effects) {
    if (!asyncLoading) return;
    asyncLoading = false;
    dropAsideWaiting = true;
    effects.add(LogLine.warn("MASTER <-> REPLICA sync: the async load failed; the old data stays"));
    applyNext(effects);
  }

  /** The {@link Apply} of {@code seq} in sync {@code syncId} is done. */
  List<Effect> applied(long syncId, long seq, long now) {
    List<Effect> effects = new ArrayList<>();
    // Applied, also when its sync was abandoned meanwhile: the next sync request starts after it.
    applying = false;
    appliedOffset = applyingOffset;
    if (syncId == this.syncId && seq != OWN_WORK) {
      appliedSeq = seq;
      effects.add(new Acknowledge(syncId, appliedSeq, appliedOffset));
    }
    if (syncRequestWaiting) sendSync(effects);
    applyNext(effects);
    return effects;
  }

  /** The {@link Apply} of a payload of sync {@code syncId} failed: the master's data is to be taken again. */
  List<Effect> failed(long syncId, Throwable cause, long now) {
    List<Effect> effects = new ArrayList<>();
    applying = false;
    if (syncId == this.syncId) {
      effects.add(LogLine.warn("Applying the master's data failed (%s): resynchronizing", cause.toString()));
      resync(now, effects);
    }
    if (syncRequestWaiting) sendSync(effects);
    applyNext(effects);
    return effects;
  }

  /**
   * Once a second: an unanswered sync request is sent again after {@link #SYNC_RETRY_MS}, a master silent for
   * {@code timeoutMs} (repl-timeout) is given up, else the master hears that this replica is alive.
   */
  List<Effect> tick(long timeoutMs, long now) {
    List<Effect> effects = new ArrayList<>();
    if (phase == Phase.CONNECTING && now >= retryAtMs) {
      requestSync(now, effects);
    } else if (phase != Phase.CONNECTING && now - lastIoMs > timeoutMs) {
      effects.add(LogLine.warn("MASTER timeout: no data nor PING received..."));
      resync(now, effects);
    } else if (phase != Phase.CONNECTING) {
      // REPLCONF ACK's heartbeat: the master counts this replica as good (min-replicas-max-lag) meanwhile.
      effects.add(new Acknowledge(syncId, appliedSeq, appliedOffset));
    }
    publish(effects);
    return effects;
  }

  /** Applies the next payload once the one before it is done: a replica applies its master's writes in order. */
  private void applyNext(List<Effect> effects) {
    if (applying) return;
    if (dropAsideWaiting) {
      dropAsideWaiting = false;
      applyingOffset = appliedOffset;
      applying = true;
      effects.add(new Apply(syncId, OWN_WORK, new Work.DropAside()));
      return;
    }
    if (queue.isEmpty()) return;
    Queued next = queue.pollFirst();
    if (next.payload() instanceof Payload.Stream) {
      // Redis's replica applies whatever its socket holds: the stream payloads queued behind go with this one.
      List<byte[][]> commands = new ArrayList<>();
      for (int taken = 1; ; taken++) {
        if (take(next.payload(), effects) instanceof Work.Run run) commands.addAll(run.commands());
        Queued behind = queue.peekFirst();
        if (taken == MERGED_STREAMS || behind == null || !(behind.payload() instanceof Payload.Stream)) break;
        next = queue.pollFirst();
      }
      startApply(next.seq(), commands.isEmpty() ? NOTHING : new Work.Run(Applier.Channel.STREAM, commands), effects);
      return;
    }
    startApply(next.seq(), take(next.payload(), effects), effects);
  }

  /** Applies {@code work}, whose payloads end with payload {@code seq}: acknowledged once it is applied. */
  private void startApply(long seq, Work work, List<Effect> effects) {
    applyingOffset = offset;
    applying = true;
    effects.add(new Apply(syncId, seq, work));
  }

  /** What a payload does to this state, and the work of applying it. */
  private Work take(Payload payload, List<Effect> effects) {
    if (payload instanceof Payload.Stream stream) {
      List<byte[][]> commands = decode(streamDecoder, stream.commands());
      offset = stream.end();
      if (phase == Phase.CONNECTED) effects.add(new HistoryReceived(stream.commands()));
      return commands.isEmpty() ? NOTHING : new Work.Run(Applier.Channel.STREAM, commands);
    }
    if (payload instanceof Payload.Chunk chunk) {
      // A chunk is a small RDB (the master's snapshot encoding), or commands for a value too big for one.
      List<byte[][]> commands;
      try {
        commands = DataLoader.commandsOfRdb(chunk.commands());
      } catch (IOException e) {
        return new Work.Invalid(e);
      }
      return new Work.Run(Applier.Channel.SNAPSHOT, commands != null ? commands
          : decode(newDecoder(), chunk.commands()));
    }
    if (payload instanceof Payload.FullSync full) {
      effects.add(LogLine.info("Full resync from master: %s:%d", full.replid(), full.offset()));
      phase = Phase.SYNCING;
      // The data is being replaced: until the snapshot is complete no history is ours to continue from.
      replid = ReplicationLog.NO_ID;
      syncingReplid = full.replid();
      offset = full.offset();
      streamDecoder = newDecoder();
      asyncLoading = swapdb.getAsBoolean();
      publish(effects);
      return asyncLoading ? new Work.LoadAside(full.db()) : new Work.DropData(full.db());
    }
    if (payload instanceof Payload.SnapshotDone done) {
      effects.add(LogLine.info("MASTER <-> REPLICA sync: Finished with success"));
      offset = done.offset();
      replid = syncingReplid;
      effects.add(new HistoryRestarted(replid, offset));
      boolean swap = asyncLoading;
      asyncLoading = false;
      linkUp(effects);
      return swap ? new Work.SwapIn() : NOTHING;
    }
    if (payload instanceof Payload.Continue cont) {
      effects.add(LogLine.info("Successful partial resynchronization with master."));
      if (!cont.replid().equals(replid)) effects.add(new HistoryContinued(cont.replid()));
      replid = cont.replid();
      streamDecoder = newDecoder(); // the master continues at a command boundary
      linkUp(effects);
      return NOTHING;
    }
    return NOTHING; // Ping
  }

  private static RespDecoder newDecoder() {
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

  private void linkUp(List<Effect> effects) {
    phase = Phase.CONNECTED;
    downSinceMs = 0;
    publish(effects);
  }

  /** The link is down from now (if it was up), and a new sync is asked for. */
  private void resync(long now, List<Effect> effects) {
    if (phase == Phase.CONNECTED) downSinceMs = now;
    requestSync(now, effects);
  }

  private void requestSync(long now, List<Effect> effects) {
    phase = Phase.CONNECTING;
    syncId = syncIds.getAsLong();
    expectedSeq = 1;
    appliedSeq = 0;
    queue.clear();
    retryAtMs = now + SYNC_RETRY_MS;
    // The payload being applied still counts: ask from where it ends, once it has.
    if (applying) syncRequestWaiting = true;
    else sendSync(effects);
    abortAsyncLoad(effects);
    publish(effects);
  }

  private void sendSync(List<Effect> effects) {
    syncRequestWaiting = false;
    offset = appliedOffset;
    effects.add(new RequestSync(syncId, replid, appliedOffset));
  }

  private void publish(List<Effect> effects) {
    effects.add(new Publish(phase == Phase.CONNECTED, phase == Phase.SYNCING, asyncLoading, lastIoMs,
        downSinceMs));
  }
}
