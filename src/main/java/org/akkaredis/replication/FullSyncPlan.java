package org.akkaredis.replication;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.akkaredis.persistence.RdbWriter;

/**
 * Where a full sync to one replica stands on the master. Every range's snapshot is taken by the range itself
 * between two of its messages: the range's effects before it are in the snapshot, those after it are not. So
 * a range's stream joins the replica's only once its snapshot has gone out, and the node-wide stream (SELECTs)
 * goes from the start. Once the last range's snapshot is out the replica has the master's data and history.
 */
final class FullSyncPlan {
  /** Ranges whose snapshot has not been sent yet: their effects until then are part of that snapshot. */
  private final BitSet pending = new BitSet();
  /** A SYNC client's plan: each range's RDB parts, kept until all are in and the RDB can be made of them. */
  private final RdbWriter.Part[][] parts;

  FullSyncPlan(int ranges) {
    this(ranges, false);
  }

  /** {@code asRdb}: the data goes as one RDB (a SYNC client), made once every range's parts are in. */
  FullSyncPlan(int ranges, boolean asRdb) {
    pending.set(0, ranges);
    parts = asRdb ? new RdbWriter.Part[ranges][] : null;
  }

  boolean complete() {
    return pending.isEmpty();
  }

  /** Whether the snapshot of {@code range} is still to be sent. */
  boolean awaits(int range) {
    return pending.get(range);
  }

  /** Whether effects of {@code range} (-1: node-wide) go to the replica now. */
  boolean streams(int range) {
    return range < 0 || !pending.get(range);
  }

  /**
   * A range's snapshot was taken: the payloads that carry it, its chunks in order, and after the last range's,
   * the end of the snapshot at the history's {@code offset} (everything after it comes by the stream).
   */
  List<Payload> snapshotTaken(int range, List<byte[]> chunks, long offset) {
    List<Payload> payloads = new ArrayList<>(chunks.size() + 1);
    for (byte[] chunk : chunks) payloads.add(new Payload.Chunk(chunk));
    pending.clear(range);
    if (complete()) payloads.add(new Payload.SnapshotDone(offset));
    return payloads;
  }

  /** A range's RDB parts (one per database) for a SYNC client: from now on the range's effects follow the RDB. */
  void partsTaken(int range, RdbWriter.Part[] rangeParts) {
    parts[range] = rangeParts;
    pending.clear(range);
  }

  /** Every range's parts, in range order, once {@link #complete}; the plan lets go of them (they are big). */
  List<RdbWriter.Part[]> takeParts() {
    List<RdbWriter.Part[]> taken = List.of(parts.clone());
    java.util.Arrays.fill(parts, null);
    return taken;
  }
}
