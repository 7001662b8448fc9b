package org.akkaredis.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The AOF rewrite's state machine: cut-over range by range, giving up, finishing, and the automatic trigger. */
class AofRewriteTest {
  private static final String NAME = "appendonly.aof";
  private static final String INCR_1 = "appendonly.aof.1.incr.aof";
  private static final String INCR_2 = "appendonly.aof.2.incr.aof";
  private static final String INCR_3 = "appendonly.aof.3.incr.aof";
  private static final String BASE_1 = "appendonly.aof.1.base.rdb";
  private static final long NOW = 1_700_000_000_000L;

  /** A loaded AOF of base 1 and incr 1, appended to. */
  private static AofRewrite loaded() throws IOException {
    return AofRewrite.continuing(AofManifest.parse("file " + BASE_1 + " seq 1 type b\nfile " + INCR_1
        + " seq 1 type i\n"), NAME);
  }

  /** Starts a rewrite of {@code ranges} ranges as the actor does once its files are open. */
  private static AofRewrite.Start started(AofRewrite rewrite, int ranges) {
    AofRewrite.Start start = rewrite.start(true);
    rewrite.started(start, ranges, NOW);
    return start;
  }

  @Test
  void aLoadedAofGoesOnInItsLastIncrFile() throws IOException {
    AofRewrite rewrite = loaded();
    assertEquals(INCR_1, rewrite.currentIncr());
    assertEquals(new AofRewrite.Route(INCR_1, null), rewrite.route(3));
    assertEquals(new AofRewrite.Route(INCR_1, null), rewrite.route(-1), "a node-wide effect outside a rewrite");
    assertFalse(rewrite.running());
    assertEquals(-1, rewrite.startedMs());
  }

  @Test
  void aLoadedAofWithoutIncrFileGetsOneNamedBeforeAnythingIsAppended() throws IOException {
    AofManifest baseOnly = AofManifest.parse("file " + BASE_1 + " seq 1 type b\n");
    AofRewrite rewrite = AofRewrite.continuing(baseOnly, NAME);
    assertEquals(INCR_1, rewrite.currentIncr());
    assertNotEquals(baseOnly, rewrite.manifest(), "the manifest to write first");
    assertEquals(INCR_1, rewrite.manifest().lastIncr().name());
  }

  @Test
  void aRangesEffectsGoToTheNewIncrFileOnlyOnceItHasGivenItsPart() throws IOException {
    AofRewrite rewrite = loaded();
    AofRewrite.Start start = started(rewrite, 3);
    assertEquals(INCR_2, start.newIncr());
    assertTrue(start.nameNow(), "the new incr file is named at once, after the old one");
    assertEquals(List.of(INCR_1, INCR_2), rewrite.manifest().incrs().stream().map(AofManifest.FileInfo::name)
        .toList());
    assertEquals(NOW, rewrite.startedMs());

    // Range 0's effects before its part are in that part: they must stay with the old files, or a node dying
    // before the new base is complete would have lost them.
    assertEquals(INCR_1, rewrite.route(0).incr());
    assertTrue(rewrite.wants(start.id(), 0));
    assertFalse(rewrite.partGiven(0));
    assertEquals(INCR_2, rewrite.route(0).incr(), "after its part: not in the base, so in the new incr file");
    assertEquals(INCR_1, rewrite.route(1).incr(), "range 1 has not given its part");
    assertFalse(rewrite.partGiven(2));
    assertEquals(INCR_1, rewrite.route(1).incr());
    assertTrue(rewrite.partGiven(1), "every range has given its part");
  }

  @Test
  void aPartNotAskedForIsNotTaken() throws IOException {
    AofRewrite rewrite = loaded();
    assertFalse(rewrite.wants(1, 0), "no rewrite runs");
    AofRewrite.Start start = started(rewrite, 2);
    assertFalse(rewrite.wants(start.id() + 1, 0), "another rewrite's");
    rewrite.partGiven(0);
    assertFalse(rewrite.wants(start.id(), 0), "a second part of the same range would put its keys twice in the base");
    assertTrue(rewrite.wants(start.id(), 1));
  }

  @Test
  void aNodeWideEffectMidRewriteAbandonsItAndGoesToTheNewIncrFile() throws IOException {
    AofRewrite rewrite = loaded();
    AofRewrite.Start first = started(rewrite, 2);
    rewrite.partGiven(0);
    AofManifest opened = rewrite.manifest();

    AofRewrite.Route route = rewrite.route(-1);
    assertEquals(new AofRewrite.Abandon(INCR_1, null), route.abandon(), "the old incr file is closed");
    assertEquals(INCR_2, route.incr(), "the manifest names the new incr file after the old one");
    assertFalse(rewrite.running());
    assertEquals(-1, rewrite.startedMs());
    assertEquals(opened, rewrite.manifest());
    assertEquals(INCR_2, rewrite.currentIncr());
    assertEquals(INCR_2, rewrite.route(0).incr());
    assertEquals(INCR_2, rewrite.route(1).incr());
    assertFalse(rewrite.wants(first.id(), 1), "the abandoned rewrite's parts are dropped");
    assertTrue(rewrite.retryScheduled());
    assertTrue(rewrite.retryDue());

    AofRewrite.Start retry = started(rewrite, 2);
    assertEquals(INCR_3, retry.newIncr());
    assertFalse(rewrite.retryScheduled());
    assertFalse(rewrite.retryDue());
    assertNotEquals(first.id(), retry.id());
  }

  @Test
  void aNodeWideEffectMidFirstRewriteDropsTheUnnamedIncrFile() {
    AofRewrite rewrite = AofRewrite.beginning(null, NAME);
    assertNull(rewrite.currentIncr());
    assertNull(rewrite.route(0).incr(), "before the first base, effects are in the data the ranges will give");
    AofRewrite.Start start = started(rewrite, 2);
    assertFalse(start.nameNow(), "nothing is named before the first base exists");
    assertNull(rewrite.route(0).incr());
    rewrite.partGiven(0);
    assertEquals(INCR_1, rewrite.route(0).incr());

    AofRewrite.Route route = rewrite.route(-1);
    assertEquals(new AofRewrite.Abandon(null, INCR_1), route.abandon());
    assertNull(route.incr(), "it is in the data the retry takes");
    assertEquals(AofManifest.empty(), rewrite.manifest(), "back to the manifest before");
    assertEquals(INCR_1, rewrite.start(true).newIncr(), "the retry opens the same incr file again");
  }

  @Test
  void aRewriteAbandonedBecauseItsBaseCouldNotBeWrittenIsRetriedToo() throws IOException {
    AofRewrite rewrite = loaded();
    started(rewrite, 2);
    assertEquals(new AofRewrite.Abandon(INCR_1, null), rewrite.abandon());
    assertTrue(rewrite.retryDue());
  }

  @Test
  void aRewriteCannotStartWhileOneRuns() throws IOException {
    AofRewrite rewrite = loaded();
    started(rewrite, 2);
    assertThrows(IllegalStateException.class, () -> rewrite.start(true));
    assertTrue(rewrite.running());
    assertEquals(-1, rewrite.autoRewriteGrowth(100, 0, Long.MAX_VALUE / 1000), "nor an automatic one");
  }

  @Test
  void aRewriteStartedBeforeTheRetryTimerFiredLeavesTheTimerNothingToDo() throws IOException {
    AofRewrite rewrite = loaded();
    started(rewrite, 2);
    rewrite.route(-1);
    started(rewrite, 2); // BGREWRITEAOF came first
    assertFalse(rewrite.retryDue());
  }

  @Test
  void theCompleteBaseReplacesTheOldFilesInTheManifest() throws IOException {
    AofRewrite rewrite = loaded();
    AofRewrite.Start start = rewrite.start(false);
    rewrite.started(start, 1, NOW);
    assertTrue(rewrite.partGiven(0));
    AofRewrite.Finish finish = rewrite.finish();
    assertEquals("file appendonly.aof.2.base.aof seq 2 type b\n"
        + "file " + INCR_1 + " seq 1 type h\n"
        + "file " + BASE_1 + " seq 1 type h\n"
        + "file " + INCR_2 + " seq 2 type i\n", finish.named().format());
    assertEquals("file appendonly.aof.2.base.aof seq 2 type b\n"
        + "file " + INCR_2 + " seq 2 type i\n", finish.kept().format());
    assertEquals(List.of(INCR_1, BASE_1), finish.toDelete().stream().map(AofManifest.FileInfo::name).toList());
    assertEquals(INCR_1, finish.closedIncr());
    assertEquals(NOW, finish.startedMs());
    assertFalse(rewrite.running());
    assertEquals(INCR_2, rewrite.currentIncr());
    assertEquals(INCR_2, rewrite.route(-1).incr());

    rewrite.installed(finish);
    assertEquals(finish.kept(), rewrite.manifest());
    assertEquals(INCR_3, rewrite.start(true).newIncr());
  }

  @Test
  void aFirstRewriteClosesNoOldIncrFile() {
    AofRewrite rewrite = AofRewrite.beginning(null, NAME);
    started(rewrite, 1);
    rewrite.partGiven(0);
    AofRewrite.Finish finish = rewrite.finish();
    assertNull(finish.closedIncr());
    assertEquals(List.of(), finish.toDelete());
    assertEquals("file " + BASE_1 + " seq 1 type b\nfile " + INCR_1 + " seq 1 type i\n", finish.named().format());
  }

  @Test
  void aRewriteThatFailsToInstallStillSendsEffectsToTheNewIncrFile() throws IOException {
    AofRewrite rewrite = loaded();
    started(rewrite, 1);
    rewrite.partGiven(0);
    AofManifest opened = rewrite.manifest();
    rewrite.finish(); // and no installed(): the old files stay named, with the new incr file after them
    assertEquals(opened, rewrite.manifest());
    assertEquals(INCR_2, rewrite.route(0).incr());
    assertFalse(rewrite.retryDue(), "a failed rewrite is not retried by itself");
  }

  @Test
  void anAutomaticRewriteIsDueOnGrowthPastTheMinimumSize() throws IOException {
    AofRewrite rewrite = loaded();
    rewrite.baseline(1000);
    assertEquals(-1, rewrite.autoRewriteGrowth(100, 1500, 1999));
    assertEquals(100, rewrite.autoRewriteGrowth(100, 1500, 2000));
    assertEquals(150, rewrite.autoRewriteGrowth(100, 1500, 2500));
    assertEquals(-1, rewrite.autoRewriteGrowth(100, 3000, 2500), "below auto-aof-rewrite-min-size");
    assertEquals(-1, rewrite.autoRewriteGrowth(0, 0, 1_000_000), "auto-aof-rewrite-percentage 0: never");
    rewrite.baseline(0);
    assertEquals(9900, rewrite.autoRewriteGrowth(100, 0, 100), "an empty start counts as one byte");
  }
}
