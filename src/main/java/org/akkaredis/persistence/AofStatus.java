package org.akkaredis.persistence;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongConsumer;

/**
 * The AOF's figures for INFO persistence, written by the {@link AofWriter} actor and read by any thread. The names
 * are Redis's INFO fields.
 */
public final class AofStatus {
  public volatile boolean enabled;
  /** Where each fsync's time goes, in nanoseconds (the metrics' histogram; none by default). */
  public volatile LongConsumer fsyncNanos = nanos -> {};
  /**
   * The AOF began without files of its own (a first start with appendonly yes, CONFIG SET appendonly yes) and its
   * first rewrite has not finished: no file holds the data yet (Redis's AOF_WAIT_REWRITE).
   */
  public volatile boolean writingInitial;
  /**
   * Completed when the attempt at the first rewrite under way ends: {@link #writingInitial} ended (the rewrite made
   * the files, or the AOF stopped), or the attempt failed (the next one has a new future).
   */
  private volatile CompletableFuture<Void> initialAttempt = CompletableFuture.completedFuture(null);
  public volatile boolean rewriteInProgress;
  public volatile boolean rewriteScheduled;
  /** Unix ms the running rewrite started at, or -1. */
  public volatile long rewriteStartedMs = -1;
  public volatile long lastRewriteTimeSec = -1;
  public volatile boolean lastRewriteOk = true;
  public volatile long rewrites;
  public volatile long consecutiveFailures;
  /**
   * Why the last write of the AOF failed (the OS's text, as C's strerror gives it: "No space left on device"), or
   * null when it succeeded; cleared by the next write that succeeds.
   */
  public volatile String writeError;
  /** Why the last fsync failed, or null; cleared by the next fsync that succeeds (Redis's aof_bio_fsync_status). */
  public volatile String fsyncError;
  /** Bytes of the files in the manifest (base and incrs), and of the base alone. */
  public volatile long currentSize;
  public volatile long baseSize;
  /** Bytes received and not yet written. */
  public volatile long bufferLength;
  /** Unix ms of the last fsync. */
  public volatile long lastFsyncMs;

  /** INFO's aof_last_write_status: ok unless the last write or the last fsync failed, as Redis shows it. */
  public boolean writeOk() {
    return writeError == null && fsyncError == null;
  }

  /** The OS's text of the failure that makes the AOF refuse writes now, or null. */
  public String error() {
    String write = writeError;
    return write != null ? write : fsyncError;
  }

  void rewriteStarted(long startedMs) {
    rewriteInProgress = true;
    rewriteStartedMs = startedMs;
  }

  void rewriteSucceeded(long seconds) {
    lastRewriteTimeSec = seconds;
    lastRewriteOk = true;
    rewrites++;
    consecutiveFailures = 0;
    rewriteEnded();
  }

  /** The AOF begins without files of its own: {@link #writingInitial} until its first rewrite has made them. */
  public synchronized void beginInitial() {
    writingInitial = true;
    if (initialAttempt.isDone()) initialAttempt = new CompletableFuture<>();
  }

  /** No file is waited for any more: the first rewrite made the AOF's files, or the AOF stopped. */
  synchronized void endInitial() {
    writingInitial = false;
    initialAttempt.complete(null);
  }

  /**
   * Completes when the current attempt at the first rewrite ends, made or failed (at once when none is under way);
   * {@link #writingInitial} then says which.
   */
  public CompletionStage<Void> initialAttemptEnded() {
    return initialAttempt;
  }

  /** Given up by a node-wide effect: it starts again soon. */
  void rewriteGivenUp() {
    rewriteScheduled = true;
    rewriteEnded();
  }

  synchronized void rewriteFailed() {
    lastRewriteOk = false;
    consecutiveFailures++;
    rewriteEnded();
    endInitialAttempt();
  }

  /**
   * A write or fsync of the AOF failed: a SHUTDOWN waiting for the first rewrite stops waiting (that attempt cannot
   * make the files while the disk fails) and is refused, as Redis refuses while no file holds the data.
   */
  synchronized void failed(String reason, boolean fsync) {
    if (fsync) fsyncError = reason;
    else writeError = reason;
    endInitialAttempt();
  }

  private void endInitialAttempt() {
    if (!writingInitial) return;
    initialAttempt.complete(null);
    initialAttempt = new CompletableFuture<>();
  }

  private void rewriteEnded() {
    rewriteInProgress = false;
    rewriteStartedMs = -1;
  }
}
