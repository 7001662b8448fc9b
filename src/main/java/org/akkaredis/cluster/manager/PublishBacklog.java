package org.akkaredis.cluster.manager;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bound on PUBLISH messages handed to the cluster manager and not yet taken by it: a publisher faster than the
 * manager would otherwise grow its mailbox without end. Past {@link #LIMIT_BYTES} of channels and messages, a PUBLISH
 * still reaches this node's subscribers but not the other nodes (Redis would queue it on the link; its
 * cluster-link-sendbuf-limit, when set, frees the link instead). Thread-safe; counted for the log.
 */
public final class PublishBacklog {
  /** Twice client-output-buffer-limit pubsub's default hard limit. */
  public static final long LIMIT_BYTES = 64L * 1024 * 1024;

  private final long limit;
  private final AtomicLong waiting = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  public PublishBacklog() {
    this(LIMIT_BYTES);
  }

  PublishBacklog(long limit) {
    this.limit = limit;
  }

  /** Bytes a PUBLISH weighs here: its channel and message, and a little for the message around them. */
  public static long weight(byte[] channel, byte[] message) {
    return channel.length + message.length + 64L;
  }

  /** Whether a PUBLISH of this weight may go to the manager now (then {@link #taken} must follow); else dropped. */
  public boolean admit(long weight) {
    long now = waiting.addAndGet(weight);
    if (now <= limit) return true;
    waiting.addAndGet(-weight);
    dropped.incrementAndGet();
    return false;
  }

  /** The manager took a PUBLISH of this weight. */
  public void taken(long weight) {
    waiting.addAndGet(-weight);
  }

  public long waitingBytes() {
    return waiting.get();
  }

  /** PUBLISH messages not sent to the other nodes since the start, for the bound. */
  public long dropped() {
    return dropped.get();
  }
}
