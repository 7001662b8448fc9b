package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.akkaredis.config.Settings;
import org.junit.jupiter.api.Test;

/** A script's run as BusyScript sees it: busy once past the threshold, until it ends; what it refuses meanwhile. */
class BusyScriptTest {
  private static final String BUSY = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or "
      + "SHUTDOWN NOSAVE.";

  private final List<Integer> told = new ArrayList<>();
  private final BusyScript busy = new BusyScript(null, told::add);

  private static RangeState[] ranges(int... indexes) {
    RangeState[] states = new RangeState[indexes.length];
    for (int i = 0; i < indexes.length; i++) {
      states[i] = new RangeState(indexes[i], 0, 16383, 1, Settings.defaults(), () -> 0L, SlotRouting::standalone);
    }
    return states;
  }

  @Test
  void aScriptHoldingEveryRangeMakesTheNodeBusyUntilItEnds() {
    RangeState[] held = ranges(0, 1);
    BusyScript.Watch watch = busy.watch(held, true, true, BUSY, () -> {});
    assertNull(busy.refusal());
    assertFalse(watch.busy());
    assertFalse(watch.busyOrEnded("late").toCompletableFuture().isDone());
    watch.passedThreshold();
    assertTrue(watch.busy());
    assertTrue(watch.busyOrEnded("late").toCompletableFuture().isDone());
    assertEquals(BUSY, busy.refusal());
    assertEquals(BUSY, held[0].heldRefusal);
    assertEquals(List.of(0, 1), told);
    watch.end();
    assertFalse(watch.busy());
    assertNull(busy.refusal());
    assertNull(held[1].heldRefusal);
  }

  @Test
  void aScriptOnSomeRangesRefusesOnlyThere() {
    RangeState[] held = ranges(3);
    BusyScript.Watch watch = busy.watch(held, false, true, BUSY, () -> {});
    watch.passedThreshold();
    assertNull(busy.refusal());
    assertEquals(BUSY, held[0].heldRefusal);
    assertEquals(List.of(3), told);
  }

  @Test
  void onAReplicaTheRangesDoNotRefuse() {
    RangeState[] held = ranges(0);
    busy.watch(held, true, false, BUSY, () -> {}).passedThreshold();
    assertEquals(BUSY, busy.refusal());
    assertNull(held[0].heldRefusal);
    assertTrue(told.isEmpty());
  }

  @Test
  void aScriptThatEndedIsNeverBusy() {
    RangeState[] held = ranges(0);
    BusyScript.Watch watch = busy.watch(held, true, true, BUSY, () -> {});
    watch.end();
    assertTrue(watch.busyOrEnded("late").toCompletableFuture().isDone());
    watch.passedThreshold();
    assertFalse(watch.busy());
    assertNull(busy.refusal());
    assertNull(held[0].heldRefusal);
  }

  @Test
  void shutdownAbortsTheRunningScriptsOnly() {
    int[] aborted = new int[2];
    BusyScript.Watch first = busy.watch(ranges(0), false, true, BUSY, () -> aborted[0]++);
    busy.watch(ranges(1), false, true, BUSY, () -> aborted[1]++);
    first.end();
    busy.abortAll();
    assertEquals(0, aborted[0]);
    assertEquals(1, aborted[1]);
  }
}
