package org.akkaredis.replication;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.akkaredis.keyspace.EffectBuffer;

/**
 * A node's replication history as Redis keeps it (PSYNC2): the replication id and offset, the previous id and
 * the offset up to which it is still valid (after a promotion), and the backlog of the most recent effects.
 * The offset counts the bytes of effects since the history began; a replica that has {@code offset} bytes of a
 * history this log knows can continue from the backlog instead of syncing in full.
 */
public final class ReplicationLog {
  public static final String NO_ID = "0000000000000000000000000000000000000000";
  private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);

  /** Effects of one range (or of all ranges: -1), at {@code start} of the history. */
  public record Batch(long start, int range, byte[] bytes) {
    public long end() {
      return start + bytes.length;
    }
  }

  private final ArrayDeque<Batch> backlog = new ArrayDeque<>();
  private long backlogBytes;
  private long backlogLimit;
  private String replid;
  private String replid2 = NO_ID;
  private long secondOffset = -1;
  private long offset;
  /** The database the stream is in; -1 when unknown, so the next effects start with a SELECT. */
  private int currentDb = -1;

  public ReplicationLog(String replid, long backlogLimit) {
    this.replid = replid;
    this.backlogLimit = backlogLimit;
  }

  public static String newId() {
    byte[] bytes = new byte[20];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  public String replid() {
    return replid;
  }

  public String replid2() {
    return replid2;
  }

  /** Redis's second_repl_offset: the first offset the previous id does not cover, -1 without one. */
  public long secondOffset() {
    return secondOffset;
  }

  public long offset() {
    return offset;
  }

  public long backlogBytes() {
    return backlogBytes;
  }

  /** Redis's repl_backlog_first_byte_offset: the (1-based) offset of the oldest byte kept. */
  public long firstByteOffset() {
    return offset - backlogBytes + 1;
  }

  public void backlogLimit(long bytes) {
    backlogLimit = bytes;
    trim();
  }

  /**
   * Appends a range's effects in database {@code db} (to the log and to {@code appended}), after a SELECT (a
   * node-wide batch of its own, so a replica that skips the range's batches still follows the database) when the
   * stream was in another one.
   */
  public void append(int range, int db, byte[] bytes, List<Batch> appended) {
    if (db != currentDb) {
      currentDb = db;
      appended.add(add(new Batch(offset, -1, select(db))));
    }
    appended.add(add(new Batch(offset, range, bytes)));
  }

  private static byte[] select(int db) {
    return EffectBuffer.encode(SELECT, Integer.toString(db).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Appends a node-wide command of the master's own (its PING to the replicas), in no database: no SELECT
   * before it, as Redis feeds it in the stream's current database.
   */
  public void appendNodeWide(byte[] bytes, List<Batch> appended) {
    appended.add(add(new Batch(offset, -1, bytes)));
  }

  /** Appends a master's stream as received (a replica's copy of its master's history). */
  public Batch appendReceived(byte[] bytes) {
    return add(new Batch(offset, -1, bytes));
  }

  /** The database the stream's next effects are in, as a replica joining here must start in. */
  public int currentDb() {
    return Math.max(currentDb, 0);
  }

  private Batch add(Batch batch) {
    byte[] bytes = batch.bytes();
    offset += bytes.length;
    backlog.addLast(batch);
    backlogBytes += bytes.length;
    trim();
    return batch;
  }

  /** Keeps at least {@code backlogLimit} bytes, in whole batches. */
  private void trim() {
    while (!backlog.isEmpty() && backlogBytes - backlog.peekFirst().bytes().length >= backlogLimit) {
      backlogBytes -= backlog.pollFirst().bytes().length;
    }
  }

  /**
   * Whether a replica that has {@code theirOffset} bytes of history {@code theirId} can go on from this log:
   * the id is this history's, or the previous one up to where it was left (a promoted replica's siblings),
   * and the backlog still holds every byte after their offset. What they lack must also fit in
   * repl-backlog-size, as in Redis's backlog of that size: the whole batches kept may hold more (one EXEC is one
   * batch), but no more than the size is served.
   */
  public boolean canContinue(String theirId, long theirOffset) {
    boolean sameHistory = theirId.equals(replid) && theirOffset <= offset
        || !NO_ID.equals(replid2) && theirId.equals(replid2) && theirOffset < secondOffset;
    return sameHistory && theirOffset >= offset - backlogBytes && offset - theirOffset <= backlogLimit
        && startsBatch(theirOffset);
  }

  private boolean startsBatch(long at) {
    if (at == offset) return true;
    for (Batch batch : backlog) if (batch.start() == at) return true;
    return false;
  }

  /** The batches after {@code from}, which {@link #canContinue} accepted. */
  public List<Batch> since(long from) {
    List<Batch> batches = new ArrayList<>();
    for (Batch batch : backlog) if (batch.start() >= from) batches.add(batch);
    return batches;
  }

  /** A replica becomes master: a new history begins, the old one stays valid up to here for its siblings. */
  public void promote() {
    replid2 = replid;
    secondOffset = offset + 1;
    replid = newId();
    currentDb = -1;
  }

  /**
   * The next effects start with a SELECT whatever the database (Redis sets slaveseldb to -1 when a full sync
   * starts): a replica that gets the data as an RDB joins the stream here, not knowing its database.
   */
  public void forgetDb() {
    currentDb = -1;
  }

  /**
   * DEBUG CHANGE-REPL-ID, as Redis 7.0's changeReplicationId and clearReplicationId2: a new random id, and no
   * previous one, so no replica can continue from this history: the next sync of each is a full one.
   */
  public void changeId() {
    replid = newId();
    replid2 = NO_ID;
    secondOffset = -1;
  }

  /** A replica took its master's data in full: its history is the master's from {@code masterOffset} on. */
  public void restart(String masterReplid, long masterOffset) {
    replid = masterReplid;
    replid2 = NO_ID;
    secondOffset = -1;
    offset = masterOffset;
    currentDb = -1;
    backlog.clear();
    backlogBytes = 0;
  }

  /**
   * A replica continued with a master whose id changed (it was promoted, or this replica follows a new
   * master that shares its history): the id this replica had stays valid up to its current offset.
   */
  public void adopt(String masterReplid) {
    if (masterReplid.equals(replid)) return;
    replid2 = replid;
    secondOffset = offset + 1;
    replid = masterReplid;
  }
}
