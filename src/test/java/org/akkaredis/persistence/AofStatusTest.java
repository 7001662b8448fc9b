package org.akkaredis.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a SHUTDOWN waiting for the AOF's first rewrite sees of the attempt under way. */
class AofStatusTest {
  @Test
  void aFailedWriteEndsTheWaitForTheFirstRewriteWhichStaysUnmade() {
    AofStatus status = new AofStatus();
    status.beginInitial();
    var attempt = status.initialAttemptEnded().toCompletableFuture();
    assertFalse(attempt.isDone());
    status.failed("No space left on device", false);
    assertTrue(attempt.isDone(), "a disk that fails cannot take the first rewrite now: the wait ends");
    assertTrue(status.writingInitial, "and no file holds the data yet");
    assertEquals("No space left on device", status.error());
    assertFalse(status.initialAttemptEnded().toCompletableFuture().isDone(), "the next attempt has a wait of its own");
  }

  @Test
  void aFailedFsyncEndsItToo() {
    AofStatus status = new AofStatus();
    status.beginInitial();
    var attempt = status.initialAttemptEnded().toCompletableFuture();
    status.failed("Input/output error", true);
    assertTrue(attempt.isDone());
    assertEquals("Input/output error", status.fsyncError);
  }

  @Test
  void aFailureAfterTheFilesExistWaitsForNothing() {
    AofStatus status = new AofStatus();
    status.failed("No space left on device", false);
    assertTrue(status.initialAttemptEnded().toCompletableFuture().isDone());
    assertFalse(status.writingInitial);
  }
}
