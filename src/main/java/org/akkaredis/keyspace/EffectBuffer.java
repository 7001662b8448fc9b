package org.akkaredis.keyspace;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.akkaredis.config.Settings;

/**
 * The effects a range (or the ranges of one hold, which share one buffer) recorded and has not yet handed to the
 * sink: commands in order, each with its database. A transaction's effects are wrapped in MULTI ... EXEC when
 * there are more than one, as Redis 7.0 wraps what one call propagated.
 */
public final class EffectBuffer {
  private static final byte[][] MULTI = {bytes("MULTI")};
  private static final byte[][] EXEC = {bytes("EXEC")};

  /** Where an effect goes (Redis's PROPAGATE_AOF and PROPAGATE_REPL, the values of redis.set_repl's flags). */
  public static final int TO_AOF = 1;
  public static final int TO_REPLICAS = 2;
  public static final int TO_ALL = TO_AOF | TO_REPLICAS;

  /**
   * One command of database {@code db}, recorded by range {@code range} (-1: none in particular); {@code applied}
   * when it was applied from the master's stream (it goes to the AOF only); {@code targets}: where a command of the
   * node's own goes ({@link #TO_ALL} but for a script's redis.set_repl).
   */
  private record Piece(int range, int db, boolean applied, int targets, byte[] resp) {}

  private final List<Piece> pieces = new ArrayList<>();
  private int depth;
  private boolean nodeWide;
  private int targets = TO_ALL;

  /**
   * Records one command for database {@code db}, of the keys of range {@code range}; {@code applied}: run by a
   * replica from its master's stream. Not recorded while effects go nowhere (redis.set_repl(redis.REPL_NONE)).
   */
  public void add(int range, int db, boolean applied, byte[]... args) {
    if (targets == 0 && !applied) return;
    pieces.add(new Piece(range, db, applied, targets, encode(args)));
  }

  /**
   * Where the effects recorded from now on go (bits of {@link #TO_AOF} and {@link #TO_REPLICAS}, as a script's
   * redis.set_repl); returns what it was. MULTI and EXEC around a transaction go to both, as Redis 7.0's.
   */
  public int propagateTo(int targets) {
    int before = this.targets;
    this.targets = targets;
    return before;
  }

  /** Marks what is buffered as node-wide (FLUSHALL, FLUSHDB): it goes to the sink as range -1. */
  public void markNodeWide() {
    nodeWide = true;
  }

  /** Opens a transaction (EXEC, a command that propagates several commands); nested ones join the outer one. */
  public int begin() {
    depth++;
    return pieces.size();
  }

  /** Closes the transaction opened at {@code start}: the outermost wraps its effects if there are several. */
  public void end(int start) {
    if (--depth > 0 || pieces.size() - start < 2) return;
    Piece first = pieces.get(start);
    Piece last = pieces.get(pieces.size() - 1);
    pieces.add(start, new Piece(first.range(), first.db(), first.applied(), TO_ALL, encode(MULTI)));
    pieces.add(new Piece(last.range(), last.db(), last.applied(), TO_ALL, encode(EXEC)));
  }

  /** Where the next effect will go: a mark for {@link #discardFrom}. */
  public int mark() {
    return pieces.size();
  }

  /** Drops what was recorded since {@code mark}: work that changed nothing a copy must know of (DEBUG RELOAD). */
  public void discardFrom(int mark) {
    pieces.subList(mark, pieces.size()).clear();
  }

  public boolean isEmpty() {
    return pieces.isEmpty();
  }

  /**
   * Hands everything to the propagation's sinks, one call per run of pieces of the same database and origin, and
   * starts empty again. The range given is the one range all pieces belong to, else -1: a replica's full sync and
   * an AOF rewrite rely on it to tell which range's snapshot an effect is part of. Returns what the reply of the
   * work must wait for ({@link EffectSink#synced}; {@link EffectSink#written} for what a replica applied), or null.
   */
  public CompletionStage<Void> flushTo(Propagation propagation) {
    if (pieces.isEmpty()) return null;
    int target = nodeWide ? -1 : pieces.get(0).range();
    for (Piece piece : pieces) if (piece.range() != target) target = -1;
    List<Piece> out = List.copyOf(pieces);
    // Emptied first: a sink that throws must not get the same effects again with the next flush.
    pieces.clear();
    nodeWide = false;
    ByteArrayOutputStream run = new ByteArrayOutputStream();
    Piece first = out.get(0);
    boolean applied = first.applied();
    int to = first.targets();
    int db = first.db();
    boolean anyApplied = applied;
    boolean anyOwn = !applied;
    for (Piece piece : out) {
      if (piece.db() != db || piece.applied() != applied || piece.targets() != to) {
        sinkOf(propagation, applied, to).accept(target, db, run.toByteArray());
        run.reset();
        db = piece.db();
        applied = piece.applied();
        to = piece.targets();
        anyApplied |= applied;
        anyOwn |= !applied;
      }
      run.writeBytes(piece.resp());
    }
    sinkOf(propagation, applied, to).accept(target, db, run.toByteArray());
    // Both sinks end in the AOF when it is on, so either one's barrier covers everything handed on here.
    return anyOwn ? propagation.sink().synced() : anyApplied ? propagation.appliedSink().written() : null;
  }

  private static EffectSink sinkOf(Propagation propagation, boolean applied, int targets) {
    if (applied) return propagation.appliedSink();
    return targets == TO_ALL ? propagation.sink() : propagation.sinkTo(targets);
  }

  private static final byte[] DEL = bytes("DEL");
  private static final byte[] UNLINK = bytes("UNLINK");

  /** How the deletion of an expired key is propagated: UNLINK with lazyfree-lazy-expire, else DEL (Redis 7.0). */
  public static byte[] expiryDeletion(Settings settings) {
    return "yes".equals(settings.rawValue("lazyfree-lazy-expire")) ? UNLINK : DEL;
  }

  /** One command as a RESP2 array of bulk strings. */
  public static byte[] encode(byte[]... args) {
    // Sized exactly and filled in place: every write of a master with replicas or an AOF passes here, and
    // ByteArrayOutputStream's synchronized writes and digit strings cost more than the copy itself.
    int size = 1 + digits(args.length) + 2;
    for (byte[] arg : args) size += 1 + digits(arg.length) + 2 + arg.length + 2;
    byte[] out = new byte[size];
    int at = header(out, 0, (byte) '*', args.length);
    for (byte[] arg : args) {
      at = header(out, at, (byte) '$', arg.length);
      System.arraycopy(arg, 0, out, at, arg.length);
      at += arg.length;
      out[at++] = '\r';
      out[at++] = '\n';
    }
    return out;
  }

  private static int digits(int n) {
    int digits = 1;
    for (long limit = 10; n >= limit; limit *= 10) digits++;
    return digits;
  }

  /** Writes {@code type}, {@code n} (not negative) and CRLF at {@code at}; returns where it ends. */
  private static int header(byte[] out, int at, byte type, int n) {
    out[at++] = type;
    int end = at + digits(n);
    for (int i = end - 1; i >= at; i--, n /= 10) out[i] = (byte) ('0' + n % 10);
    out[end] = '\r';
    out[end + 1] = '\n';
    return end + 2;
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
