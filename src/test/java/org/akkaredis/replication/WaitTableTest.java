package org.akkaredis.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

class WaitTableTest {
  private final WaitTable<String> waits = new WaitTable<>();
  /** How many replicas acknowledged each offset, as the test sets it. */
  private final Map<Long, Long> acked = new HashMap<>();
  private final LongUnaryOperator ackedAt = offset -> acked.getOrDefault(offset, 0L);

  /** The source stopping answers every WAIT still waiting (WAIT 0 too) with the count a timeout would give. */
  @Test
  void drainingAnswersEveryPendingWaitWithWhatThereIs() {
    WaitTable.Added<String> forever = waits.add(2, 0, 50, 0, "forever");
    WaitTable.Added<String> timed = waits.add(3, 1000, 60, 0, "timed");
    acked.put(50L, 1L);
    assertEquals(List.of(new WaitTable.Answer<>(forever.waitId(), "forever", 1),
        new WaitTable.Answer<>(timed.waitId(), "timed", 0)), waits.drain(ackedAt));
    assertEquals(0, waits.size());
  }

  @Test
  void enoughReplicasAlreadyAnswersAtOnce() {
    WaitTable.Added<String> added = waits.add(2, 1000, 50, 3, "caller");
    assertEquals(new WaitTable.Answer<>(-1, "caller", 3), added.answer());
    assertFalse(added.needsTimer());
    assertEquals(0, waits.size());
  }

  @Test
  void aWaitThatMayNotWaitAnswersWithWhatThereIs() {
    WaitTable.Added<String> added = waits.add(2, -1, 50, 1, "caller");
    assertEquals(1, added.answer().acked());
    assertEquals(0, waits.size());
  }

  @Test
  void aWaitIsSatisfiedByTheAcknowledgementThatMakesEnough() {
    WaitTable.Added<String> added = waits.add(2, 1000, 50, 0, "caller");
    assertNull(added.answer());
    assertTrue(added.needsTimer());
    acked.put(50L, 1L);
    assertTrue(waits.satisfied(ackedAt).isEmpty(), "one of two");
    acked.put(50L, 2L);
    assertEquals(List.of(new WaitTable.Answer<>(added.waitId(), "caller", 2)), waits.satisfied(ackedAt));
    assertNull(waits.timedOut(added.waitId(), ackedAt), "answered already: its timer is late");
  }

  @Test
  void aWaitTimesOutWithTheReplicasThatHaveItsOffsetThen() {
    WaitTable.Added<String> first = waits.add(3, 1000, 50, 0, "first");
    WaitTable.Added<String> second = waits.add(1, 1000, 80, 0, "second");
    acked.put(50L, 2L);
    assertTrue(waits.satisfied(ackedAt).isEmpty());
    assertEquals(new WaitTable.Answer<>(first.waitId(), "first", 2), waits.timedOut(first.waitId(), ackedAt));
    assertEquals(1, waits.size(), "the other waits on");
    acked.put(80L, 1L);
    assertEquals("second", waits.satisfied(ackedAt).get(0).caller());
  }

  @Test
  void aWaitWithoutTimeoutNeedsNoTimer() {
    WaitTable.Added<String> added = waits.add(1, 0, 50, 0, "caller");
    assertNull(added.answer());
    assertFalse(added.needsTimer(), "WAIT n 0 waits for ever");
    assertEquals(1, waits.size());
  }
}
