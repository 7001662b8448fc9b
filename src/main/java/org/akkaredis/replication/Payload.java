package org.akkaredis.replication;

/** What a master sends a replica, in order, each in a numbered {@link ReplicaLink.Deliver}. */
public sealed interface Payload {
  /**
   * The replica is to drop its data; the master's data follows as snapshot chunks, mixed with the stream
   * (which starts in database {@code db}) of the ranges already sent.
   */
  record FullSync(String replid, long offset, int db) implements Payload {}

  /** The replica keeps its data: the stream goes on after its offset, under the master's history id. */
  record Continue(String replid, long offset) implements Payload {}

  /** Commands that recreate some of the master's keys (part of a full sync). */
  record Chunk(byte[] commands) implements Payload {}

  /** Every range's snapshot has been sent: from {@code offset} on, the replica has the master's history. */
  record SnapshotDone(long offset) implements Payload {}

  /** The next effects (may end inside a command that the next Stream completes); the history then ends at end. */
  record Stream(long end, byte[] commands) implements Payload {}

  /** Nothing to send for a while (repl-ping-replica-period): the link is alive. */
  record Ping(long offset) implements Payload {}

  /** The data bytes a payload carries (a snapshot chunk's, the stream's), as INFO's total_net_repl_* count them. */
  static long dataBytes(Payload payload) {
    if (payload instanceof Chunk chunk) return chunk.commands().length;
    if (payload instanceof Stream stream) return stream.commands().length;
    return 0;
  }
}
