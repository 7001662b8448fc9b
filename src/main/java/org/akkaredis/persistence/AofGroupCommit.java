package org.akkaredis.persistence;

import java.util.ArrayList;
import java.util.List;

/**
 * The AOF's group commit, without I/O: effects are buffered as they come, and one flush (write, and fsync with
 * appendfsync always) is asked for behind the first of them, so it serves every effect that queued up meanwhile.
 * A reply that must wait for the disk ({@code W}, a waiter) is released by the first flush after it, or at once
 * when nothing is buffered. {@link Fsync} says when the files are fsynced.
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
  }

  private boolean flushAsked;
  private long bufferedBytes;
  private final List<W> waiting = new ArrayList<>();

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
    if (!flushAsked) return true;
    waiting.add(waiter);
    return false;
  }

  /** The asked flush runs now: effects buffered from now on ask for another one. */
  void flushTaken() {
    flushAsked = false;
  }

  /** Everything buffered is written (fsynced as {@link Fsync} says): the waiters it releases. */
  List<W> flushed() {
    bufferedBytes = 0;
    List<W> released = List.copyOf(waiting);
    waiting.clear();
    return released;
  }

  /** Bytes buffered and not yet written (INFO's aof_buffer_length). */
  long bufferedBytes() {
    return bufferedBytes;
  }
}
