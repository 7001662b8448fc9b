package org.akkaredis.keyspace;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * How node-wide commands reach the slot ranges: by messages in normal operation ({@link Keyspace}), or
 * directly while a transaction holds every range ({@link HeldKeyspace}).
 */
public interface KeyspaceAccess {
  int rangeCount();

  int rangeOfSlot(int slot);

  SlotRouting routing();

  /**
   * DEBUG PAUSE-CRON: whether the node's periodic work (Redis's serverCron: the active expiry cycle, idle-client
   * timeouts, the save rules) is paused.
   */
  default boolean cronPaused() {
    return false;
  }

  /** DEBUG PAUSE-CRON 0|1. */
  default void pauseCron(boolean paused) {
    throw new UnsupportedOperationException("this keyspace has no periodic work");
  }

  /** The node's memory figures and maxmemory (used_memory, the -OOM check, evicted_keys). */
  default MemoryBudget memory() {
    return MemoryBudget.UNLIMITED;
  }

  /** The node's scripts past busy-reply-threshold (BUSY replies). */
  default BusyScript busyScript() {
    return BusyScript.NONE;
  }

  /** Runs {@code work} on one range. */
  <T> CompletionStage<T> onRange(int range, Function<RangeState, T> work);

  /** Runs {@code work} on every range, concurrently; results in range order. */
  <T> CompletionStage<List<T>> onAll(Function<RangeState, T> work);

  /**
   * Runs {@code work} while the given ranges are all held (states in ascending range order), so it sees and
   * changes them atomically; they are released when the stage it returns completes.
   */
  <T> CompletionStage<T> holding(int[] ranges, Function<RangeState[], CompletionStage<T>> work);

  default <T> CompletionStage<T> onSlot(int slot, Function<RangeState, T> work) {
    return onRange(rangeOfSlot(slot), work);
  }
}
