package org.akkaredis.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** How a failed command is named in Gatling's report. */
class RedisErrorsTest {

  @Test
  void aRedisErrorIsNamedByItsCodeAndKeepsItsText() {
    Throwable error = new CompletionException(new RedisCommandExecutionException("CLUSTERDOWN The cluster is down"));
    Throwable cause = Redis.unwrap(error);
    assertEquals("CLUSTERDOWN", Redis.codeOf(cause));
    assertEquals("CLUSTERDOWN The cluster is down", Redis.messageOf(cause));
  }

  @Test
  void aTimeoutIsNamedTimeout() {
    Throwable cause = Redis.unwrap(new RedisCommandTimeoutException("Command timed out after 1 second(s)"));
    assertEquals("timeout", Redis.codeOf(cause));
    assertEquals("timeout: Command timed out after 1 second(s)", Redis.messageOf(cause));
  }

  @Test
  void anyOtherFailureIsNamedByItsClass() {
    Throwable cause = Redis.unwrap(new CompletionException(new IllegalStateException("no connection")));
    assertEquals("IllegalStateException", Redis.codeOf(cause));
    assertEquals("IllegalStateException: no connection", Redis.messageOf(cause));
  }
}
