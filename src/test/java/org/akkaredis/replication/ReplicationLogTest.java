package org.akkaredis.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicationLogTest {
  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void offsetsCountTheBytesAndASelectPrecedesTheFirstEffectsOfADatabase() {
    ReplicationLog log = new ReplicationLog("a".repeat(40), 1 << 20);
    List<ReplicationLog.Batch> appended = new ArrayList<>();
    log.append(3, 0, bytes("0123456789"), appended);
    String select = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n";
    assertEquals(2, appended.size(), "the SELECT, then the effects");
    assertEquals(select.length(), appended.get(1).start());
    assertEquals(select.length() + 10, log.offset());
    log.append(4, 0, bytes("abc"), new ArrayList<>());
    assertEquals(select.length() + 13, log.offset(), "same database: no second SELECT");
    List<ReplicationLog.Batch> all = log.since(0);
    assertEquals(-1, all.get(0).range(), "the SELECT is node-wide: no replica skips it");
    assertArrayEquals(bytes(select), all.get(0).bytes());
    assertEquals(1, log.firstByteOffset());
  }

  @Test
  void aReplicaContinuesWhileTheBacklogHoldsWhatItLacks() {
    ReplicationLog log = new ReplicationLog("a".repeat(40), 30);
    log.append(0, 0, bytes("x".repeat(20)), new ArrayList<>());
    long afterFirst = log.offset();
    log.append(0, 0, bytes("y".repeat(20)), new ArrayList<>());
    log.append(0, 0, bytes("z".repeat(20)), new ArrayList<>());
    assertFalse(log.canContinue("a".repeat(40), 0), "trimmed away");
    assertFalse(log.canContinue("a".repeat(40), afterFirst - 20), "trimmed away");
    assertTrue(log.canContinue("a".repeat(40), afterFirst), "whole batches are kept: at least 30 bytes");
    long beforeLast = log.offset() - 20;
    assertTrue(log.canContinue("a".repeat(40), beforeLast));
    assertEquals(1, log.since(beforeLast).size());
    assertTrue(log.canContinue("a".repeat(40), log.offset()), "nothing lacking");
    assertFalse(log.canContinue("b".repeat(40), log.offset()), "another history");
    assertFalse(log.canContinue("a".repeat(40), beforeLast + 1), "inside a batch");
  }

  @Test
  void afterAPromotionTheOldHistoryStaysValidUpToWhereItWasLeft() {
    ReplicationLog log = new ReplicationLog("a".repeat(40), 1 << 20);
    log.restart("m".repeat(40), 100);
    log.appendReceived(bytes("0123456789"));
    log.promote();
    assertEquals("m".repeat(40), log.replid2());
    assertEquals(111, log.secondOffset());
    log.append(1, 0, bytes("new"), new ArrayList<>());
    assertTrue(log.canContinue("m".repeat(40), 110), "a sibling that had all of the old master's stream");
    assertTrue(log.canContinue("m".repeat(40), 100));
    assertFalse(log.canContinue("m".repeat(40), log.offset()), "the old history ends where it was left");
    assertTrue(log.since(110).get(0).range() == -1, "the new master starts with a SELECT");
  }

  @Test
  void aReplicaThatContinuesUnderANewIdKeepsItsOldOneValid() {
    ReplicationLog log = new ReplicationLog("r".repeat(40), 1 << 20);
    log.restart("m".repeat(40), 50);
    log.adopt("n".repeat(40));
    assertEquals("n".repeat(40), log.replid());
    assertEquals("m".repeat(40), log.replid2());
    assertEquals(51, log.secondOffset());
  }
}
