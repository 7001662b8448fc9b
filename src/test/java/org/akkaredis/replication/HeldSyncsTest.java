package org.akkaredis.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeldSyncsTest {
  private final HeldSyncs<String> held = new HeldSyncs<>(2);

  @Test
  void withoutAPauseARequestIsServedAtOnce() {
    assertFalse(held.hold("r1", "sync-1", false));
    assertEquals(0, held.size());
  }

  @Test
  void duringAPauseRequestsWaitAndTheLatestOfEachReplicaIsServedOnceItEnds() {
    assertTrue(held.hold("r1", "r1-first", true));
    assertTrue(held.hold("r2", "r2-first", true));
    assertTrue(held.hold("r1", "r1-again", true));
    assertEquals(List.of(), held.release(true));
    assertEquals(List.of("r2-first", "r1-again"), held.release(false));
    assertEquals(List.of(), held.release(false));
  }

  @Test
  void pastItsCapacityTheOldestRequestIsDropped() {
    held.hold("r1", "a", true);
    held.hold("r2", "b", true);
    held.hold("r3", "c", true);
    assertEquals(List.of("b", "c"), held.release(false));
  }
}
