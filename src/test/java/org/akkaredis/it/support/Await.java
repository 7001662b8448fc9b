package org.akkaredis.it.support;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling with a deadline: the only way these tests wait for something to happen. */
public final class Await {
  private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

  private Await() {}

  /** Polls {@code condition} until it holds; fails naming {@code what} once {@code timeout} has passed. */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    until(what, timeout, condition, () -> "");
  }

  /** As {@link #until(String, Duration, BooleanSupplier)}, adding {@code lastSeen} to the failure message. */
  public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> lastSeen) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        String seen = lastSeen.get();
        throw new AssertionError("timed out after " + timeout + " waiting until " + what
            + (seen.isEmpty() ? "" : "; last seen: " + seen));
      }
      LockSupport.parkNanos(POLL_INTERVAL.toNanos());
    }
  }
}
