package org.akkaredis.server;

import akka.NotUsed;
import akka.stream.BoundedSourceQueue;
import akka.stream.QueueOfferResult;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.akkaredis.command.PushTarget;

/**
 * One connection's channel for what the node sends its client unasked: MONITOR's lines, Pub/Sub's messages,
 * offered from any thread, and a replica's replication stream once SYNC was answered. Its {@link #source} joins the
 * replies before the output queue, so pushed bytes count in the client's output buffer as Redis counts them.
 *
 * <p>Bounded: {@link #push} never blocks a range's thread; it holds at most {@code bound} bytes the output queue has
 * not taken yet (the output queue itself stops taking at its own cap, see {@link OutputLimits#queueCap}), and a push
 * past that closes the client, as Redis closes a client over its client-output-buffer-limit.
 */
final class PushChannel implements PushTarget {
  /**
   * At most this many pushes wait, whatever their size; past it the client is closed as past the byte bound. High
   * enough that the byte bound decides for Pub/Sub's small messages too (a burst of 40-byte messages to a subscriber
   * whose stream has not run yet), low enough to bound the queue's nodes (it allocates per element, not up front).
   */
  static final int MAX_WAITING = 256 * 1024;

  private final LongSupplier bound;
  private final Runnable overflow;
  private final LongConsumer taken;
  private final AtomicLong waitingBytes = new AtomicLong();
  private final CompletableFuture<Source<ByteString, NotUsed>> attached = new CompletableFuture<>();
  private volatile BoundedSourceQueue<ByteString> queue;
  private volatile boolean overflowed;
  /** The batch the connection runs now (Session.batch). */
  private final LongSupplier currentBatch;
  /** Pushes wait while the output of this batch has not passed (guarded by this). */
  private long heldUntilBatch;
  /** The last batch whose output has joined the output stream (guarded by this). */
  private long sentBatch;
  /**
   * Pushes that wait for the replies of a batch (counted in waitingBytes, so bounded), in order; once one waits,
   * every later push queues behind it, so nothing overtakes what waits (guarded by this).
   */
  private final Queue<ByteString> afterReplies = new ArrayDeque<>();

  /**
   * @param bound how many bytes may wait, read on each push (client-output-buffer-limit may change)
   * @param overflow what a push past the bound does: close the client (called once)
   * @param taken told the size of each push the output queue takes (INFO's total_net_output_bytes counts them)
   * @param currentBatch the number of the batch of commands the connection runs now (Session.batch)
   */
  PushChannel(LongSupplier bound, Runnable overflow, LongConsumer taken, LongSupplier currentBatch) {
    this.bound = bound;
    this.overflow = overflow;
    this.taken = taken;
    this.currentBatch = currentBatch;
  }

  /** The pushes and the attached stream, to be merged into the connection's output; materialized once. */
  Source<ByteString, NotUsed> source() {
    Source<ByteString, NotUsed> pushes = Source.<ByteString>queue(MAX_WAITING)
        .mapMaterializedValue(materialized -> {
          queue = materialized;
          return NotUsed.getInstance();
        })
        .map(bytes -> {
          waitingBytes.addAndGet(-bytes.size());
          taken.accept(bytes.size());
          return bytes;
        });
    return pushes.merge(Source.completionStageSource(attached), true);
  }

  /** The replication stream's bytes follow from now on (SYNC's reply is already ahead of them). */
  void attach(Source<ByteString, NotUsed> stream) {
    attached.complete(stream);
  }

  /** Bytes offered and not yet taken by the output queue. */
  long waitingBytes() {
    return waitingBytes.get();
  }

  @Override public synchronized void push(ByteString bytes) {
    if (!admitted(bytes)) return;
    if (afterReplies.isEmpty() && heldUntilBatch <= sentBatch) offer(bytes);
    else afterReplies.add(bytes);
  }

  @Override public synchronized void pushAfterReplies(ByteString bytes) {
    holdUntilRepliesSent();
    push(bytes);
  }

  @Override public synchronized void holdUntilRepliesSent() {
    heldUntilBatch = Math.max(heldUntilBatch, currentBatch.getAsLong());
  }

  /**
   * The output of batch {@code batch} has joined the output stream: what waited for it follows. Only the batch's own
   * output releases what it holds: a later batch may already run (and hold) while an earlier one's output passes.
   */
  synchronized void repliesSent(long batch) {
    sentBatch = Math.max(sentBatch, batch);
    if (heldUntilBatch > sentBatch) return;
    for (ByteString bytes = afterReplies.poll(); bytes != null; bytes = afterReplies.poll()) offer(bytes);
  }

  /** Whether the bytes fit under the bound (they are counted from now on); a push past it closes the client. */
  private boolean admitted(ByteString bytes) {
    if (queue == null || overflowed) return false; // not running yet, or closing
    if (waitingBytes.addAndGet(bytes.size()) > bound.getAsLong()) {
      waitingBytes.addAndGet(-bytes.size());
      closeOverflowed();
      return false;
    }
    return true;
  }

  private void offer(ByteString bytes) {
    QueueOfferResult result = queue.offer(bytes);
    if (result != QueueOfferResult.enqueued()) {
      waitingBytes.addAndGet(-bytes.size());
      if (result == QueueOfferResult.dropped()) closeOverflowed();
    }
  }

  private void closeOverflowed() {
    synchronized (this) {
      if (overflowed) return;
      overflowed = true;
    }
    overflow.run();
  }
}
