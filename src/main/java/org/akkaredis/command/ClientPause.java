package org.akkaredis.command;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * CLIENT PAUSE / UNPAUSE, as Redis 7.0's pauseClients: until the end time, clients' commands wait before they run
 * (all of them, or with WRITE those that write or may replicate, and an EXEC whose queue does); a second pause keeps
 * the later end and the stronger mode. Keys do not expire meanwhile (told to {@code expiryPausedUntil}). Every wait
 * ends at the pause's end at the latest.
 */
public final class ClientPause {
  /** WRITE pauses writes only; ALL every command. */
  public enum Mode { WRITE, ALL }

  private Mode mode;
  /** Volatile so that {@link #holds}, asked before every command, sees "no pause" without taking the lock. */
  private volatile long endMs;
  private CompletableFuture<Void> released = new CompletableFuture<>();
  /** Told the wall-clock time until which keys must not expire (0: they may). */
  private volatile LongConsumer expiryPausedUntil = until -> { };

  public void onExpiryPause(LongConsumer listener) {
    this.expiryPausedUntil = listener;
  }

  public synchronized void pause(long endMs, Mode mode, long nowMs) {
    if (!active(nowMs)) {
      this.mode = mode;
      this.endMs = endMs;
      if (released.isDone()) released = new CompletableFuture<>();
    } else {
      if (mode == Mode.ALL) this.mode = Mode.ALL;
      this.endMs = Math.max(this.endMs, endMs);
    }
    expiryPausedUntil.accept(this.endMs);
  }

  public void unpause() {
    CompletableFuture<Void> toRelease;
    synchronized (this) {
      endMs = 0;
      mode = null;
      toRelease = released;
    }
    expiryPausedUntil.accept(0);
    toRelease.complete(null);
  }

  private boolean active(long nowMs) {
    return mode != null && nowMs < endMs;
  }

  /** The mode in force now, or null. */
  public synchronized Mode mode(long nowMs) {
    return active(nowMs) ? mode : null;
  }

  /**
   * Whether this command must wait: every command under ALL; under WRITE one flagged write or may_replicate, or an
   * EXEC whose queued commands include one.
   */
  public boolean holds(CommandSpec spec, Session session, CommandTable table, long nowMs) {
    if (nowMs >= endMs) return false; // no pause in force: the usual case
    Mode now = mode(nowMs);
    if (now == null) return false;
    if (now == Mode.ALL) return true;
    if (mayReplicate(spec)) return true;
    List<byte[][]> queued = session.multiQueue;
    if (spec.name().equals("exec") && queued != null) {
      for (int i = 0; i < queued.size(); i++) {
        CommandSpec inner = CommandRunner.resolve(table, queued.get(i)).spec();
        if (inner != null && mayReplicate(inner)) return true;
      }
    }
    return false;
  }

  private static boolean mayReplicate(CommandSpec spec) {
    return spec.isWrite() || spec.hasFlag("may_replicate");
  }

  /** Completes when the pause is lifted (CLIENT UNPAUSE) or has ended, whichever comes first. */
  public CompletionStage<Void> released(long nowMs) {
    CompletableFuture<Void> lifted;
    long waitMs;
    synchronized (this) {
      lifted = released;
      waitMs = Math.max(0, endMs - nowMs);
    }
    CompletableFuture<Void> ended = new CompletableFuture<>();
    CompletableFuture.delayedExecutor(waitMs + 1, TimeUnit.MILLISECONDS).execute(() -> ended.complete(null));
    return lifted.applyToEither(ended, done -> done);
  }
}
