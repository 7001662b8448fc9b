package org.akkaredis.replication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.akkaredis.persistence.RdbWriter;

/**
 * A master's replicas, one {@link ReplicaChannel} each: how a sync request is answered (a continuation from the
 * backlog, or a full sync whose range snapshots the caller takes), how snapshots and the stream go out, and
 * when a replica is given up (silent for repl-timeout, too far behind, a snapshot failed). Each step returns what
 * the {@link ReplicationSource} is to do; this class sends nothing itself.
 */
final class ReplicaChannels {

  /** What the actor is to do, in order. */
  sealed interface Effect permits Send, PartialSyncAccepted, FullSyncStarted, RdbSyncStarted, Keepalive,
      ReplicasChanged, AckRecorded, Dropped, Disconnect, LogLine {}

  /** Send the replica payload {@code seq} of its sync. */
  record Send(String replicaId, long syncId, long seq, Payload payload) implements Effect {}

  /** A replica continues from the backlog (counted as sync_partial_ok). */
  record PartialSyncAccepted(String replicaId) implements Effect {}

  /**
   * A replica syncs in full: take every one of the {@code ranges} snapshots and hand each back to
   * {@link #snapshotTaken}. {@code continuationRefused}: it had asked to continue (sync_partial_err).
   */
  record FullSyncStarted(String replicaId, long syncId, int ranges, boolean continuationRefused)
      implements Effect {}

  /**
   * A SYNC client syncs: take every one of the {@code ranges} ranges' RDB parts and hand each back to
   * {@link #partsTaken} (counted as sync_full).
   */
  record RdbSyncStarted(String replicaId, long syncId, int ranges) implements Effect {}

  /** A SYNC client waits for its RDB: send it a newline, as Redis does every second meanwhile. */
  record Keepalive(String replicaId) implements Effect {}

  /** The replicas' state changed: publish {@link #views} and {@link #good} for INFO and min-replicas-to-write. */
  record ReplicasChanged() implements Effect {}

  /** An acknowledgement moved a replica on: WAITs may be satisfied now. */
  record AckRecorded(String replicaId) implements Effect {}

  /** The replica was given up; it will ask to sync again. */
  record Dropped(String replicaId) implements Effect {}

  /**
   * Tell the replica's link that its sync {@code syncId} is over (Redis closes the replica's connection, which
   * the replica notices at once): it connects again, without waiting for repl-timeout. Comes before its
   * {@link Dropped}.
   */
  record Disconnect(String replicaId, long syncId) implements Effect {}

  /** How long payloads may go unacknowledged before the last one is sent again. */
  static final long RESEND_AFTER_MS = 2000;

  private static final ReplicasChanged REPLICAS_CHANGED = new ReplicasChanged();

  private final Map<String, ReplicaChannel> channels = new HashMap<>();

  /**
   * A replica asks to sync after {@code offset} of history {@code replid}; any sync it had is abandoned. It
   * continues from the backlog when {@code log} still has all it lacks, else it gets a full sync of
   * {@code ranges} ranges from the log's offset.
   */
  List<Effect> sync(String replicaId, String host, int port, long syncId, String replid, long offset,
      ReplicationLog log, int ranges, ReplicationSettings settings, long now) {
    List<Effect> effects = new ArrayList<>();
    boolean continues = log.canContinue(replid, offset);
    ReplicaChannel channel = new ReplicaChannel(replicaId, host, port, syncId,
        continues ? null : new FullSyncPlan(ranges), now);
    channels.remove(replicaId); // its earlier sync, if any, is over
    channels.put(replicaId, channel);
    if (continues) {
      effects.add(LogLine.info("Partial resynchronization request from %s:%d accepted. Sending %d bytes of backlog",
          host, port, log.offset() - offset));
      effects.add(new PartialSyncAccepted(replicaId));
      channel.ackOffset = offset;
      channel.enqueue(new Payload.Continue(log.replid(), offset));
      channel.enqueueAll(streamPayloads(channel, log.since(offset)));
    } else {
      effects.add(LogLine.info("Replica %s:%d asks for synchronization: full sync of %d ranges from offset %d",
          host, port, ranges, log.offset()));
      effects.add(new FullSyncStarted(replicaId, syncId, ranges, offset > 0));
      channel.enqueue(new Payload.FullSync(log.replid(), log.offset(), log.currentDb()));
    }
    drain(channel, settings, now, effects);
    effects.add(REPLICAS_CHANGED);
    return effects;
  }

  /**
   * A client sent SYNC (the pre-PSYNC protocol: no history id, no continuation): it gets the data as one RDB made
   * of every range's parts, then the stream from there. The caller has made the history's next effects start with
   * a SELECT ({@link ReplicationLog#forgetDb}), since the client does not know the stream's database.
   */
  List<Effect> syncClient(String replicaId, String host, long syncId, int ranges, ReplicationSettings settings,
      long now) {
    List<Effect> effects = new ArrayList<>();
    channels.put(replicaId, new ReplicaChannel(replicaId, host, 0, syncId, new FullSyncPlan(ranges, true), now, true));
    effects.add(LogLine.info("Replica %s:<unknown-replica-port> asks for synchronization", host));
    effects.add(new RdbSyncStarted(replicaId, syncId, ranges));
    effects.add(REPLICAS_CHANGED);
    return effects;
  }

  /**
   * A range's RDB parts for a SYNC client ({@code parts} null: taking them failed, and the client is dropped).
   * From now on the range's effects are queued for the client; once the last range's parts are in, the RDB made
   * of them ({@code aux}: its header fields) goes out first, then what was queued.
   */
  List<Effect> partsTaken(String replicaId, long syncId, int range, RdbWriter.Part[] parts, RdbWriter.Aux aux,
      ReplicationSettings settings, long now) {
    ReplicaChannel channel = ofSync(replicaId, syncId);
    if (channel == null || channel.fullSync == null || !channel.client) return List.of();
    List<Effect> effects = new ArrayList<>();
    if (parts == null) {
      effects.add(LogLine.warn("Snapshot of range %d failed: SYNC client %s dropped", range, channel.host));
      drop(channel, effects);
      return effects;
    }
    channel.fullSync.partsTaken(range, parts);
    if (channel.fullSync.complete()) {
      channel.rdbReady(RdbBulk.of(aux, channel.fullSync.takeParts(), StreamPayloads.MAX_PAYLOAD_BYTES));
      effects.add(LogLine.info("Synchronization with replica %s:<unknown-replica-port> succeeded", channel.host));
    }
    drain(channel, settings, now, effects);
    effects.add(REPLICAS_CHANGED);
    return effects;
  }

  /** A SYNC client's connection took its payloads up to {@code seq}: more may go. */
  List<Effect> consumed(String replicaId, long syncId, long seq, ReplicationSettings settings, long now) {
    ReplicaChannel channel = ofSync(replicaId, syncId);
    if (channel == null) return List.of();
    channel.consumed(seq);
    List<Effect> effects = new ArrayList<>();
    drain(channel, settings, now, effects);
    return effects;
  }

  /**
   * A SYNC client sent REPLCONF ACK: as Redis takes it from any replica, its acknowledged offset moves on (WAIT and
   * INFO see it) and it counts as heard from now.
   */
  List<Effect> clientAck(String replicaId, long offset, long now) {
    ReplicaChannel channel = channels.get(replicaId);
    if (channel == null || !channel.client) return List.of();
    channel.ackOffset = Math.max(channel.ackOffset, offset);
    channel.lastAckMs = now;
    return List.of(REPLICAS_CHANGED, new AckRecorded(replicaId));
  }

  /** A replica's connection is gone (a SYNC client closed it, or was killed). */
  List<Effect> disconnected(String replicaId) {
    ReplicaChannel channel = channels.remove(replicaId);
    if (channel == null) return List.of();
    return List.of(LogLine.info("Connection with replica %s:%s lost.", channel.host,
        channel.client ? "<unknown-replica-port>" : Integer.toString(channel.port)), REPLICAS_CHANGED);
  }

  /**
   * A range's snapshot for a full sync ({@code chunks} null: taking it failed, and the replica is given up so
   * that it asks again). Ignored when the replica was given up or asked to sync again meanwhile. The snapshot
   * goes out before any of the range's later effects; after the last range's the replica is online, with the
   * history from {@code offset} on.
   */
  List<Effect> snapshotTaken(String replicaId, long syncId, int range, List<byte[]> chunks, long offset,
      ReplicationSettings settings, long now) {
    ReplicaChannel channel = ofSync(replicaId, syncId);
    if (channel == null || channel.fullSync == null) return List.of();
    List<Effect> effects = new ArrayList<>();
    if (chunks == null) {
      effects.add(LogLine.warn("Snapshot of range %d failed: replica %s:%d will resync", range, channel.host,
          channel.port));
      drop(channel, effects);
      return effects;
    }
    channel.enqueueAll(channel.fullSync.snapshotTaken(range, chunks, offset));
    if (channel.online()) {
      effects.add(LogLine.info("Synchronization with replica %s:%d succeeded", channel.host, channel.port));
    }
    drain(channel, settings, now, effects);
    effects.add(REPLICAS_CHANGED);
    return effects;
  }

  /** Sends the history's new {@code batches} to every replica, each the ranges it follows. */
  List<Effect> stream(List<ReplicationLog.Batch> batches, ReplicationSettings settings, long now) {
    List<Effect> effects = new ArrayList<>();
    for (ReplicaChannel channel : List.copyOf(channels.values())) {
      channel.enqueueAll(streamPayloads(channel, batches));
      drain(channel, settings, now, effects);
    }
    return effects;
  }

  /** A replica applied its sync's payloads up to {@code seq}, the history up to {@code offset}. */
  List<Effect> ack(String replicaId, long syncId, long seq, long offset, ReplicationSettings settings, long now) {
    ReplicaChannel channel = ofSync(replicaId, syncId);
    if (channel == null || !channel.acked(seq, offset, now)) return List.of();
    List<Effect> effects = new ArrayList<>();
    drain(channel, settings, now, effects);
    effects.add(REPLICAS_CHANGED);
    effects.add(new AckRecorded(replicaId));
    return effects;
  }

  /**
   * Once a second: gives up replicas silent for repl-timeout, pings the idle ones (the history is at
   * {@code offset}), sends what the window allows and again the last payload of a stalled replica.
   */
  List<Effect> tick(long offset, ReplicationSettings settings, long now) {
    List<Effect> effects = new ArrayList<>();
    for (ReplicaChannel channel : List.copyOf(channels.values())) {
      if (channel.client && !channel.online()) {
        effects.add(new Keepalive(channel.id));
        continue;
      }
      // Redis never times out a pre-PSYNC replica: it sends no acknowledgements.
      if (!channel.client && now - channel.lastAckMs > settings.timeoutMs()) {
        effects.add(LogLine.warn("Disconnecting timedout replica: %s:%d", channel.host, channel.port));
        drop(channel, effects);
        continue;
      }
      if (now - channel.lastSendMs >= settings.pingPeriodMs()) channel.enqueue(new Payload.Ping(offset));
      if (!drain(channel, settings, now, effects)) continue;
      channel.resendIfStalled(now, RESEND_AFTER_MS, sender(channel, effects));
    }
    effects.add(REPLICAS_CHANGED);
    return effects;
  }

  /** This node follows a master now: its own replicas are given up (no chained replication). */
  void clear() {
    channels.clear();
  }

  /** CLIENT KILL TYPE REPLICA: every replica is given up (each will ask to sync again); the effects say how many. */
  List<Effect> dropAll() {
    List<Effect> effects = new ArrayList<>();
    for (ReplicaChannel channel : List.copyOf(channels.values())) {
      effects.add(LogLine.info("Connection with replica %s:%s lost.", channel.host,
          channel.client ? "<unknown-replica-port>" : Integer.toString(channel.port)));
      drop(channel, effects);
    }
    if (!effects.isEmpty()) effects.add(REPLICAS_CHANGED);
    return effects;
  }

  /** Whether the full sync {@code syncId} of the replica is current and still waits for the range's snapshot. */
  boolean awaits(String replicaId, long syncId, int range) {
    ReplicaChannel channel = ofSync(replicaId, syncId);
    return channel != null && channel.fullSync != null && channel.fullSync.awaits(range);
  }

  /** Whether any replica follows (or syncs with) this master. */
  boolean any() {
    return !channels.isEmpty();
  }

  /** How many replicas are online and acknowledged the history up to {@code offset} (WAIT's count). */
  long ackedAt(long offset) {
    return channels.values().stream().filter(c -> c.online() && c.ackOffset >= offset).count();
  }

  /** The replicas as INFO lists them. */
  List<ReplicationBoard.ReplicaView> views() {
    List<ReplicationBoard.ReplicaView> views = new ArrayList<>();
    for (ReplicaChannel c : channels.values()) {
      views.add(new ReplicationBoard.ReplicaView(c.host, c.port, c.online(), c.ackOffset, c.lastAckMs));
    }
    return List.copyOf(views);
  }

  /** Replicas online that acknowledged within {@code maxLagMs} (min-replicas-max-lag). */
  int good(long now, long maxLagMs) {
    int good = 0;
    for (ReplicaChannel c : channels.values()) if (c.online() && now - c.lastAckMs <= maxLagMs) good++;
    return good;
  }

  /** The replica's channel if {@code syncId} is its current sync (null: it was given up, or asked again since). */
  private ReplicaChannel ofSync(String replicaId, long syncId) {
    ReplicaChannel channel = channels.get(replicaId);
    return channel != null && channel.syncId == syncId ? channel : null;
  }

  private static List<Payload.Stream> streamPayloads(ReplicaChannel channel, List<ReplicationLog.Batch> batches) {
    return StreamPayloads.of(batches, channel::streams, StreamPayloads.MAX_PAYLOAD_BYTES);
  }

  /**
   * Sends what the window allows; false when that left too much queued and the replica was given up: its queue
   * reached client-output-buffer-limit's hard limit for replicas, or stayed above the soft limit for longer than
   * its seconds (Redis's rule, {@link org.akkaredis.resp.OutputBufferLimit.Tracker}). So a slow replica costs
   * the master at most its limit; dropped, it resyncs.
   */
  private boolean drain(ReplicaChannel channel, ReplicationSettings settings, long now, List<Effect> effects) {
    channel.drain(now, sender(channel, effects));
    if (channel.limits.over(settings.effectiveReplicaLimit(), channel.queuedBytes(), now)) {
      effects.add(LogLine.warn("Client id=%s addr=%s:%d flags=S omem=%d scheduled to be closed ASAP for overcoming"
          + " of output buffer limits.", channel.id, channel.host, channel.port, channel.queuedBytes()));
      drop(channel, effects);
      return false;
    }
    return true;
  }

  private static ReplicaChannel.SeqConsumer sender(ReplicaChannel channel, List<Effect> effects) {
    return (seq, payload) -> effects.add(new Send(channel.id, channel.syncId, seq, payload));
  }

  private void drop(ReplicaChannel channel, List<Effect> effects) {
    channels.remove(channel.id);
    if (!channel.client) effects.add(new Disconnect(channel.id, channel.syncId));
    effects.add(new Dropped(channel.id));
  }
}
