package org.akkaredis.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.akkaredis.config.Settings;
import org.akkaredis.resp.OutputBufferLimit.ClientClass;
import org.junit.jupiter.api.Test;

class OutputBufferLimitTest {
  @Test
  void readsEachClassFromTheSettingAsConfigGetPrintsIt() {
    String text = Settings.defaults().rawValue("client-output-buffer-limit");
    assertEquals(OutputBufferLimit.NONE, OutputBufferLimit.of(text, ClientClass.NORMAL));
    assertEquals(new OutputBufferLimit(256L << 20, 64L << 20, 60), OutputBufferLimit.of(text, ClientClass.REPLICA));
    assertEquals(new OutputBufferLimit(32L << 20, 8L << 20, 60), OutputBufferLimit.of(text, ClientClass.PUBSUB));
    assertEquals(new OutputBufferLimit(100, 50, 3), OutputBufferLimit.of("replica 100 50 3", ClientClass.REPLICA));
  }

  @Test
  void theHardLimitClosesOnceReached() {
    OutputBufferLimit limit = new OutputBufferLimit(1000, 0, 0);
    OutputBufferLimit.Tracker tracker = new OutputBufferLimit.Tracker();
    assertFalse(tracker.over(limit, 999, 0));
    assertTrue(tracker.over(limit, 1000, 0), "Redis closes at used >= hard");
    assertFalse(tracker.over(OutputBufferLimit.NONE, Long.MAX_VALUE, 0), "0 0 0 is no limit");
  }

  @Test
  void theSoftLimitClosesOnlyAfterMoreThanItsSecondsAboveItContinuously() {
    OutputBufferLimit limit = new OutputBufferLimit(0, 100, 10);
    OutputBufferLimit.Tracker tracker = new OutputBufferLimit.Tracker();
    assertFalse(tracker.over(limit, 100, 1_000), "first seen above: the clock starts");
    assertTrue(tracker.aboveSoft());
    assertFalse(tracker.over(limit, 500, 11_000), "exactly soft-seconds later: not yet");
    assertTrue(tracker.over(limit, 100, 11_001));

    OutputBufferLimit.Tracker dipping = new OutputBufferLimit.Tracker();
    assertFalse(dipping.over(limit, 200, 0));
    assertFalse(dipping.over(limit, 99, 9_000), "below the soft limit: the clock stops");
    assertFalse(dipping.aboveSoft());
    assertFalse(dipping.over(limit, 200, 10_000));
    assertFalse(dipping.over(limit, 200, 19_000));
    assertTrue(dipping.over(limit, 200, 20_001));
  }

  @Test
  void aReplicaHardLimitBelowTheBacklogIsRaisedToIt() {
    assertEquals(new OutputBufferLimit(1000, 10, 1), new OutputBufferLimit(10, 10, 1).atLeastBacklog(1000));
    assertEquals(new OutputBufferLimit(0, 10, 1), new OutputBufferLimit(0, 10, 1).atLeastBacklog(1000));
    assertEquals(new OutputBufferLimit(5000, 10, 1), new OutputBufferLimit(5000, 10, 1).atLeastBacklog(1000));
  }
}
