package org.akkaredis.persistence;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The AOF's back-pressure: bytes of effects the ranges have handed to one {@link AofWriter} and it has not yet
 * written. The ranges add as they hand effects over (on their own threads), the writer takes off what a flush has
 * written. While more than {@link #limit} bytes wait, every write's reply waits until the writer has written it
 * ({@link AofWriter#sink}), whatever appendfsync says: a connection sends its next commands only once it has its
 * replies, so a disk slower than the writes slows the writers down instead of filling the heap. What waits is
 * then at most the limit plus one read of commands per connection. Nothing is ever dropped.
 */
public final class AofBacklog {
  /** What may wait before writers are held back: a few seconds of a slow disk, little of a heap. */
  public static final long DEFAULT_LIMIT = 32L << 20;

  private final long limit;
  private final AtomicLong waiting = new AtomicLong();

  public AofBacklog(long limit) {
    this.limit = limit;
  }

  /** A range handed over {@code bytes}. */
  void added(long bytes) {
    waiting.addAndGet(bytes);
  }

  /** The writer has written {@code bytes} of what was handed over (or given them up when it stopped). */
  void written(long bytes) {
    waiting.addAndGet(-bytes);
  }

  /** Whether writers must wait for the writer to catch up before they are answered. */
  boolean full() {
    return waiting.get() > limit;
  }

  long waiting() {
    return waiting.get();
  }
}
