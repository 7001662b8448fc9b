package org.akkaredis.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.akkaredis.persistence.AofGroupCommit.Fsync;
import org.junit.jupiter.api.Test;

/** Group commit: one flush for the effects that queued up, and the waiting replies each flush releases. */
class AofGroupCommitTest {
  private final AofGroupCommit<String> commit = new AofGroupCommit<>();

  @Test
  void oneFlushIsAskedForAllEffectsBufferedBeforeItRuns() {
    assertTrue(commit.buffered(10), "the first effect asks for a flush");
    assertFalse(commit.buffered(5));
    assertFalse(commit.buffered(1));
    assertEquals(16, commit.bufferedBytes());
    commit.flushTaken();
    assertTrue(commit.buffered(3), "buffered once the flush has run: another one");
  }

  @Test
  void aFlushReleasesEveryReplyWaitingSinceTheLastOneInOrder() {
    commit.buffered(10);
    assertFalse(commit.await("a"));
    commit.buffered(10);
    assertFalse(commit.await("b"));
    commit.flushTaken();
    assertEquals(List.of("a", "b"), commit.flushed());
    assertEquals(0, commit.bufferedBytes());
    assertEquals(List.of(), commit.flushed(), "released once only");
  }

  @Test
  void aReplyGoesAtOnceWhenNothingIsBuffered() {
    assertTrue(commit.await("a"));
    commit.buffered(1);
    commit.flushTaken();
    commit.flushed();
    assertTrue(commit.await("b"));
    assertEquals(List.of(), commit.flushed());
  }

  @Test
  void aFlushOfItsOwnBeforeTheAskedOneLeavesLaterRepliesForTheAskedOne() {
    commit.buffered(1);
    assertFalse(commit.await("a"));
    // A rewrite starting or ending writes everything, before the asked flush has run.
    assertEquals(List.of("a"), commit.flushed());
    assertFalse(commit.await("b"), "the asked flush is still to come");
    assertFalse(commit.buffered(1), "and serves this effect too");
    commit.flushTaken();
    assertEquals(List.of("b"), commit.flushed());
  }

  @Test
  void aFailedFlushReleasesNobodyAndEveryLaterReplyWaitsForTheFlushThatSucceeds() {
    commit.buffered(10);
    assertFalse(commit.await("a"));
    commit.flushTaken();
    commit.flushFailed();
    assertTrue(commit.failing(), "the writer's tick tries again");
    assertEquals(10, commit.bufferedBytes(), "what failed stays buffered");
    assertFalse(commit.await("b"), "nothing asked, yet the failed bytes are unwritten");
    assertTrue(commit.buffered(5), "a new effect asks for a flush, which tries the failed bytes again");
    commit.flushTaken();
    assertEquals(List.of("a", "b"), commit.flushed());
    assertFalse(commit.failing());
    assertTrue(commit.await("c"));
  }

  @Test
  void aReplyThatNeedsTheWriteOnlyTriedGoesWithTheNextFlushWhateverItsOutcome() {
    assertTrue(commit.awaitTry("idle"), "nothing buffered: at once");
    commit.buffered(10);
    assertFalse(commit.awaitTry("a"));
    assertFalse(commit.await("b"));
    commit.flushTaken();
    assertEquals(List.of("a"), commit.flushFailed(), "tried, though it failed, as Redis replies after it");
    assertTrue(commit.awaitTry("c"), "no flush asked: what came before was tried");
    assertTrue(commit.buffered(5));
    assertFalse(commit.awaitTry("d"));
    commit.flushTaken();
    assertEquals(List.of("b", "d"), commit.flushed());
  }

  @Test
  void aWriterThatStopsUnwrittenHandsBackItsWaiters() {
    commit.buffered(1);
    commit.await("a");
    commit.flushFailed();
    assertEquals(List.of("a"), commit.abandoned());
    assertEquals(List.of(), commit.flushed());
  }

  @Test
  void onlyAppendfsyncAlwaysMakesAFailedWriteFatal() {
    assertTrue(Fsync.ALWAYS.failureIsFatal());
    assertFalse(Fsync.EVERYSEC.failureIsFatal());
    assertFalse(Fsync.NO.failureIsFatal());
  }

  @Test
  void appendfsyncSaysWhenToFsync() {
    assertTrue(Fsync.of("always").onFlush());
    assertFalse(Fsync.of("always").onTick());
    assertFalse(Fsync.of("everysec").onFlush());
    assertTrue(Fsync.of("everysec").onTick());
    assertFalse(Fsync.of("no").onFlush());
    assertFalse(Fsync.of("no").onTick());
    assertEquals(Fsync.NO, Fsync.of("sometimes"), "anything else leaves it to the OS");
  }
}
