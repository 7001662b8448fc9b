package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.akkaredis.command.WriteRefusal.Verdict;
import org.junit.jupiter.api.Test;

/** Redis 7.0's processCommand rule for commands while the node cannot persist. */
class WriteRefusalTest {
  @Test
  void writesAndPingAreRefusedWhileDenied() {
    assertEquals(Verdict.REFUSE, WriteRefusal.decide(true, true, false, false));
    assertEquals(Verdict.REFUSE, WriteRefusal.decide(true, false, true, false), "PING shows the trouble");
    assertEquals(Verdict.RUN, WriteRefusal.decide(true, false, false, false), "reads run");
  }

  @Test
  void nothingIsRefusedWhileAllIsWell() {
    assertEquals(Verdict.RUN, WriteRefusal.decide(false, true, false, false));
    assertEquals(Verdict.RUN, WriteRefusal.decide(false, false, true, false));
    assertEquals(Verdict.RUN, WriteRefusal.decide(false, true, false, true));
  }

  @Test
  void theMastersStreamIsNeverRefusedAWriteFromItStopsTheReplica() {
    assertEquals(Verdict.STOP_NODE, WriteRefusal.decide(true, true, false, true));
    assertEquals(Verdict.RUN, WriteRefusal.decide(true, false, true, true), "the master's PING passes");
    assertEquals(Verdict.RUN, WriteRefusal.decide(true, false, false, true));
  }
}
