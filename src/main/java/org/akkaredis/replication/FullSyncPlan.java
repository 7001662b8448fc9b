package org.akkaredis.replication;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Where a full sync to one replica stands on the master. Every range's snapshot is taken by the range itself
 * between two of its messages: the range's effects before it are in the snapshot, those after it are not. So
 * a range's stream joins the replica's only once its snapshot has gone out, and the node-wide stream (SELECTs)
 * goes from the start. Once the last range's snapshot is out the replica has the master's data and history.
 */
final class FullSyncPlan {
  /** Ranges whose snapshot has not been sent yet: their effects until then are part of that snapshot. */
  private final BitSet pending = new BitSet();

  FullSyncPlan(int ranges) {
    pending.set(0, ranges);
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
}
