package org.akkaredis.persistence;

import java.util.ArrayList;
import java.util.List;

/**
 * The AOF's group commit, without I/O: effects are buffered as they come, and one flush (write, and fsync with
 * appendfsync always) is asked for behind the first of them, so it serves every effect that queued up meanwhile.
 * A reply that must wait for the disk ({@code W}, a waiter) is released by the first flush after it, or at once
 * when nothing is buffered. {@link Fsync} says when the files are fsynced.
 *
 * <p>A reply that needs only the write tried ({@link #awaitTry}: appendfsync everysec or no, where Redis's beforeSleep
 * writes the AOF before the replies go out, and sends them whether that write succeeded or not) is released by the
 * first flush after it whatever its outcome, so a process killed after the reply (kill -9 keeps the page cache)
 * still has the write on disk.
 *
 * <p>A flush that fails (a write or fsync error) releases nobody else: what it was to write stays buffered, its waiters
 * and every later one wait until a flush succeeds (retried on the writer's tick and behind every new effect, as
 * Redis retries from serverCron and beforeSleep), unless the failure is fatal ({@link Fsync#failureIsFatal}).
 */
final class AofGroupCommit<W> {

  /** appendfsync: when a written file is fsynced. */
  enum Fsync {
    /** Before the replies waiting on the write go out. */
    ALWAYS,
    /** Once a second, on the writer's tick. */
    EVERYSEC,
    /** Never here: the OS decides. */
    NO;

    static Fsync of(String appendfsync) {
      return switch (appendfsync) {
        case "always" -> ALWAYS;
        case "everysec" -> EVERYSEC;
        default -> NO;
      };
    }

    /** Whether a flush fsyncs what it wrote. */
    boolean onFlush() {
      return this == ALWAYS;
    }

    /** Whether the one-second tick fsyncs what was written. */
    boolean onTick() {
      return this == EVERYSEC;
    }

    /**
     * Whether a failed write or fsync must stop the node (Redis exits): with appendfsync always, the replies that
     * waited for it and reads of the same data were promised a disk that has not got them. Otherwise the data stays
     * buffered and writes are refused until a retry succeeds.
     */
    boolean failureIsFatal() {
      return this == ALWAYS;
    }
  }

  private boolean flushAsked;
  /** The last flush failed: what it had is still buffered. */
  private boolean failing;
  private long bufferedBytes;
  private final List<W> waiting = new ArrayList<>();
  private final List<W> awaitingTry = new ArrayList<>();

  /** {@code bytes} of effects were buffered: true when a flush must be asked for (none is asked yet). */
  boolean buffered(int bytes) {
    bufferedBytes += bytes;
    if (flushAsked) return false;
    flushAsked = true;
    return true;
  }

  /**
   * {@code waiter} waits for everything buffered so far: true when it may go now (every effect is already flushed),
   * else the asked flush releases it.
   */
  boolean await(W waiter) {
    if (!flushAsked && !failing) return true;
    waiting.add(waiter);
    return false;
  }

  /**
   * {@code waiter} waits for the next flush to try writing everything buffered so far: true when it may go now (no
   * flush is asked, so what came before it was already tried).
   */
  boolean awaitTry(W waiter) {
    if (!flushAsked) return true;
    awaitingTry.add(waiter);
    return false;
  }

  /** The asked flush runs now: effects buffered from now on ask for another one. */
  void flushTaken() {
    flushAsked = false;
  }

  /** Everything buffered is written (fsynced as {@link Fsync} says): the waiters it releases. */
  List<W> flushed() {
    failing = false;
    bufferedBytes = 0;
    List<W> released = new ArrayList<>(waiting);
    released.addAll(awaitingTry);
    waiting.clear();
    awaitingTry.clear();
    return released;
  }

  /**
   * The flush failed: everything stays buffered and every {@link #await} waiter waits for a flush that succeeds.
   * The {@link #awaitTry} waiters it releases unless the failure is fatal (then they are {@link #abandoned}).
   */
  List<W> flushFailed() {
    failing = true;
    List<W> tried = List.copyOf(awaitingTry);
    awaitingTry.clear();
    return tried;
  }

  /** Whether the last flush failed, so the writer's tick must try again. */
  boolean failing() {
    return failing;
  }

  /** The writer stops without having written everything: the waiters it leaves, who must be told so. */
  List<W> abandoned() {
    List<W> left = new ArrayList<>(waiting);
    left.addAll(awaitingTry);
    waiting.clear();
    awaitingTry.clear();
    return left;
  }

  /** Bytes buffered and not yet written (INFO's aof_buffer_length). */
  long bufferedBytes() {
    return bufferedBytes;
  }
}
