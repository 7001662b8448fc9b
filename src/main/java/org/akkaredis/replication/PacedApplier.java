package org.akkaredis.replication;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.akkaredis.config.Settings;

/**
 * Applies a full sync's snapshot at the pace of {@link LoadingPace}: in batches of
 * loading-process-events-interval-bytes, each after the one before has run (other clients' commands reach the
 * ranges in between), waiting what key-load-delay owes on a timer, never on a thread. The stream, and everything
 * when neither setting asks for it, goes straight to the node's applier. The link applies one payload at a time,
 * so the pace's account is never used by two loads at once.
 */
final class PacedApplier implements Applier {

  /** A timer: completes after that many nanoseconds. */
  interface Timer {
    CompletionStage<Void> after(long nanos);
  }

  private final Applier applier;
  private final Settings settings;
  private final Timer timer;
  private final LongSupplier nanoTime;
  private final LoadingPace pace = new LoadingPace();
  private byte[] lastKey;

  /** {@code nanoTime}: the clock the timer keeps to (System::nanoTime). */
  PacedApplier(Applier applier, Settings settings, Timer timer, LongSupplier nanoTime) {
    this.applier = applier;
    this.settings = settings;
    this.timer = timer;
    this.nanoTime = nanoTime;
  }

  @Override public CompletionStage<Void> apply(Channel channel, List<byte[][]> commands) {
    if (channel != Channel.SNAPSHOT) return applier.apply(channel, commands);
    LoadingPace.Batched batched = LoadingPace.batches(commands,
        settings.longValue("loading-process-events-interval-bytes"), lastKey);
    lastKey = batched.lastKey();
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (LoadingPace.Batch batch : batched.batches()) {
      chain = chain.thenCompose(done -> applier.apply(channel, batch.commands())).thenCompose(done -> {
        // Read per batch, as Redis reads it per key: CONFIG SET key-load-delay 0 speeds up a load under way.
        long wait = pace.owe(batch.keys(), settings.longValue("key-load-delay"), nanoTime.getAsLong());
        return wait == 0 ? CompletableFuture.completedFuture(null) : timer.after(wait);
      });
    }
    return chain;
  }

  @Override public CompletionStage<Void> restart(int db) {
    lastKey = null;
    return applier.restart(db);
  }

  @Override public CompletionStage<Void> restartAside(int db) {
    lastKey = null;
    return applier.restartAside(db);
  }

  @Override public CompletionStage<Void> swapIn() {
    return applier.swapIn();
  }

  @Override public CompletionStage<Void> dropAside() {
    return applier.dropAside();
  }
}
