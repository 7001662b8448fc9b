package org.akkaredis.replication;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A master's view of one replica: where its sync stands, what it acknowledged, and the payloads waiting to go.
 * At most {@link #WINDOW} payloads travel unacknowledged, so a slow replica backs up here (where its size is
 * counted and limited) rather than in the transport, which would drop what does not fit.
 */
final class ReplicaChannel {
  static final int WINDOW = 64;

  final String id;
  final String host;
  final int port;
  final long syncId;
  /** The full sync under way, null when the replica continued from the backlog. */
  final FullSyncPlan fullSync;
  /**
   * A client that sent SYNC (Redis's pre-PSYNC replica): it gets the data as one RDB, then the stream, as bytes
   * on its connection. It acknowledges nothing (so WAIT counts it only for offset 0, as Redis does, and
   * repl-timeout never drops it); its window moves on as its connection takes the payloads ({@link #consumed}),
   * and nothing is ever sent twice.
   */
  final boolean client;
  /** A SYNC client's RDB, sent before anything queued; held like Redis's RDB file, outside the output limit. */
  private final ArrayDeque<Payload> rdb = new ArrayDeque<>();
  private final ArrayDeque<Payload> queued = new ArrayDeque<>();
  private long queuedBytes;
  /** Since when the queue has been above the soft limit of client-output-buffer-limit's replica class. */
  final org.akkaredis.resp.OutputBufferLimit.Tracker limits = new org.akkaredis.resp.OutputBufferLimit.Tracker();
  private long sentSeq;
  private long ackedSeq;
  long ackOffset;
  long lastAckMs;
  long lastSendMs;
  /** When the acknowledged sequence last moved on (or the first payload was sent after a quiet time). */
  private long ackProgressMs;
  private Payload lastSent;

  ReplicaChannel(String id, String host, int port, long syncId, FullSyncPlan fullSync, long nowMs) {
    this(id, host, port, syncId, fullSync, nowMs, false);
  }

  ReplicaChannel(String id, String host, int port, long syncId, FullSyncPlan fullSync, long nowMs, boolean client) {
    this.client = client;
    this.id = id;
    this.host = host;
    this.port = port;
    this.syncId = syncId;
    this.fullSync = fullSync;
    this.lastAckMs = nowMs;
  }

  /** Whether the replica has the master's data, and so counts for WAIT (Redis's ONLINE state). */
  boolean online() {
    return fullSync == null || fullSync.complete();
  }

  /** Whether effects of {@code range} (-1: node-wide) go to the replica now. */
  boolean streams(int range) {
    return fullSync == null || fullSync.streams(range);
  }

  void enqueue(Payload payload) {
    queued.addLast(payload);
    queuedBytes += size(payload);
  }

  void enqueueAll(List<? extends Payload> payloads) {
    payloads.forEach(this::enqueue);
  }

  long queuedBytes() {
    return queuedBytes;
  }

  /** A SYNC client's RDB, in pieces: it goes out before everything queued meanwhile. */
  void rdbReady(List<byte[]> pieces) {
    for (byte[] piece : pieces) rdb.addLast(new Payload.Chunk(piece));
  }

  /** A SYNC client's connection took the payloads up to {@code seq}: the window moves on. */
  void consumed(long seq) {
    if (seq <= sentSeq) ackedSeq = Math.max(ackedSeq, seq);
  }

  /** Takes an acknowledgement; false when it is not one of this sync's. */
  boolean acked(long seq, long offset, long nowMs) {
    if (seq > sentSeq) return false;
    if (seq > ackedSeq) ackProgressMs = nowMs;
    ackedSeq = Math.max(ackedSeq, seq);
    ackOffset = Math.max(ackOffset, offset);
    lastAckMs = nowMs;
    return true;
  }

  /** Hands every payload the window allows to {@code send}, with its sequence number (the first is 1). */
  void drain(long nowMs, SeqConsumer send) {
    if (client && !online()) return; // its stream waits for the RDB, which is whole only once every range's is in
    while ((!rdb.isEmpty() || !queued.isEmpty()) && sentSeq - ackedSeq < WINDOW) {
      Payload payload = rdb.pollFirst();
      if (payload == null) {
        payload = queued.pollFirst();
        queuedBytes -= size(payload);
        if (payload instanceof Payload.Stream stream) payload = joinQueuedStreams(stream);
      }
      if (sentSeq == ackedSeq) ackProgressMs = nowMs;
      sentSeq++;
      lastSendMs = nowMs;
      lastSent = payload;
      send.accept(sentSeq, payload);
    }
  }

  /**
   * {@code first} and the stream payloads queued right behind it, as one payload of at most
   * {@link StreamPayloads#MAX_PAYLOAD_BYTES}: each flush of the master's writes makes its own small payload, and
   * while the window is full they queue up here; sent one by one, a window of them would carry little.
   */
  private Payload.Stream joinQueuedStreams(Payload.Stream first) {
    if (!(queued.peekFirst() instanceof Payload.Stream next)
        || first.commands().length + next.commands().length > StreamPayloads.MAX_PAYLOAD_BYTES) {
      return first;
    }
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    joined.writeBytes(first.commands());
    long end = first.end();
    while (queued.peekFirst() instanceof Payload.Stream behind
        && joined.size() + behind.commands().length <= StreamPayloads.MAX_PAYLOAD_BYTES) {
      queued.pollFirst();
      queuedBytes -= size(behind);
      joined.writeBytes(behind.commands());
      end = behind.end();
    }
    return new Payload.Stream(end, joined.toByteArray());
  }

  /**
   * Sends the last payload again when payloads are out and no acknowledgement came for {@code patienceMs}: the
   * transport may have lost them (a dropped connection). A replica that has it ignores it; one that lacks earlier
   * ones sees the gap and asks to sync again, continuing from the backlog.
   */
  void resendIfStalled(long nowMs, long patienceMs, SeqConsumer send) {
    if (!client && sentSeq > ackedSeq && nowMs - ackProgressMs >= patienceMs) {
      ackProgressMs = nowMs;
      send.accept(sentSeq, lastSent);
    }
  }

  interface SeqConsumer {
    void accept(long seq, Payload payload);
  }

  static long size(Payload payload) {
    if (payload instanceof Payload.Chunk chunk) return chunk.commands().length;
    if (payload instanceof Payload.Stream stream) return stream.commands().length;
    return 16;
  }
}
