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
    assertEquals(afterFirst, log.offset() - log.backlogBytes(), "whole batches are kept: at least 30 bytes");
    assertFalse(log.canContinue("a".repeat(40), afterFirst),
        "40 bytes lacking: kept, but more than a backlog of 30 bytes holds in Redis");
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

  @Test
  void forgettingTheDatabaseMakesTheNextEffectsStartWithASelect() {
    ReplicationLog log = new ReplicationLog("a".repeat(40), 1 << 20);
    log.append(0, 2, bytes("x"), new ArrayList<>());
    log.forgetDb();
    List<ReplicationLog.Batch> appended = new ArrayList<>();
    log.append(0, 2, bytes("y"), appended);
    assertEquals(2, appended.size(), "same database, but a SELECT first: a SYNC client joins here");
    assertArrayEquals(bytes("*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n"), appended.get(0).bytes());
    appended.clear();
    log.append(0, 2, bytes("z"), appended);
    assertEquals(1, appended.size());
  }

  @Test
  void changingTheIdLeavesNoHistoryToContinue() {
    ReplicationLog log = new ReplicationLog("a".repeat(40), 1 << 20);
    log.restart("m".repeat(40), 100);
    log.promote();
    log.append(0, 0, bytes("0123456789"), new ArrayList<>());
    long offset = log.offset();
    assertTrue(log.canContinue(log.replid(), offset));
    assertTrue(log.canContinue("m".repeat(40), 100));
    String before = log.replid();
    log.changeId();
    assertEquals(40, log.replid().length());
    assertFalse(before.equals(log.replid()), "a new random id");
    assertEquals(ReplicationLog.NO_ID, log.replid2(), "and none before it (clearReplicationId2)");
    assertEquals(-1, log.secondOffset());
    assertEquals(offset, log.offset(), "the offset goes on");
    assertFalse(log.canContinue(before, offset), "the old id is not continued");
    assertFalse(log.canContinue("m".repeat(40), 100));
    assertTrue(log.canContinue(log.replid(), offset));
  }
}
