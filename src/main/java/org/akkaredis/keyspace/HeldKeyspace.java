package org.akkaredis.keyspace;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The keyspace as seen by a transaction or script that holds its ranges (every range, or in cluster mode a script's
 * one): work runs at once, on the caller's thread.
 */
public final class HeldKeyspace implements KeyspaceAccess {
  private final KeyspaceAccess owner;
  private final RangeState[] states;
  /** The held states at their range's number; null where a range is not held. */
  private final RangeState[] byRange;

  /** {@code states} are the held ranges' states, in any order. */
  public HeldKeyspace(KeyspaceAccess owner, RangeState[] states) {
    this.owner = owner;
    this.states = states;
    this.byRange = new RangeState[owner.rangeCount()];
    for (RangeState state : states) byRange[state.index()] = state;
  }

  @Override public int rangeCount() {
    return byRange.length;
  }

  @Override public int rangeOfSlot(int slot) {
    return owner.rangeOfSlot(slot);
  }

  @Override public boolean cronPaused() {
    return owner.cronPaused();
  }

  @Override public void pauseCron(boolean paused) {
    owner.pauseCron(paused);
  }

  @Override public MemoryBudget memory() {
    return owner.memory();
  }

  @Override public BusyScript busyScript() {
    return owner.busyScript();
  }

  @Override public SlotRouting routing() {
    return owner.routing();
  }

  @Override public <T> CompletionStage<T> onRange(int range, Function<RangeState, T> work) {
    return run(() -> work.apply(held(range)));
  }

  @Override public <T> CompletionStage<List<T>> onAll(Function<RangeState, T> work) {
    return run(() -> {
      List<T> results = new ArrayList<>(states.length);
      for (RangeState state : states) results.add(work.apply(state));
      return results;
    });
  }

  @Override public <T> CompletionStage<T> holding(int[] ranges, Function<RangeState[], CompletionStage<T>> work) {
    int[] sorted = java.util.Arrays.stream(ranges).distinct().sorted().toArray();
    RangeState[] picked = new RangeState[sorted.length];
    try {
      for (int i = 0; i < sorted.length; i++) picked[i] = held(sorted[i]);
      return work.apply(picked);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private RangeState held(int range) {
    RangeState state = byRange[range];
    if (state == null) throw new IllegalStateException("slot range " + range + " is not held");
    return state;
  }

  private static <T> CompletionStage<T> run(java.util.function.Supplier<T> work) {
    try {
      return CompletableFuture.completedFuture(work.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
