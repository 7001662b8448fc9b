package org.akkaredis.replication;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pace at which a replica loads its master's snapshot, from Redis's two loading settings:
 * loading-process-events-interval-bytes cuts the snapshot's commands into batches of about that many bytes, with
 * other work served between two batches; key-load-delay (Redis's debugDelay, a testing aid) owes a delay per key.
 * Plain functions and one small owed-time account; {@link PacedApplier} carries them out.
 */
final class LoadingPace {

  /** Some commands of a snapshot, and how many keys begin in them. */
  record Batch(List<byte[][]> commands, int keys) {}

  /**
   * Waits shorter than this are not taken: the load goes on and the time stays owed. A timer is no finer than the
   * scheduler's tick, and a wait per key would make the load far slower than asked.
   */
  static final long MIN_WAIT_NANOS = 10_000_000;

  /**
   * How far behind its schedule a load may be and still make it up (timers fire late): the load keeps to the
   * schedule it started on, not to the sum of the waits, within this much; a longer gap (the master had nothing to
   * send) is not made up.
   */
  static final long CATCH_UP_NANOS = 50_000_000;

  private static final byte[] SELECT = {'S', 'E', 'L', 'E', 'C', 'T'};

  /** Until when (System.nanoTime) the load is to wait, by the keys loaded so far; none before the first key. */
  private long dueNanos;
  private boolean started;

  /**
   * {@code keys} keys more at key-load-delay {@code delayMicros}, at {@code nowNanos}: returns the nanoseconds to
   * wait now, or 0 (no wait, or one shorter than {@link #MIN_WAIT_NANOS}, which stays owed).
   */
  long owe(long keys, long delayMicros, long nowNanos) {
    long delay = delayNanos(keys, delayMicros);
    long from = started ? Math.max(dueNanos, nowNanos - CATCH_UP_NANOS) : nowNanos;
    started = true;
    dueNanos = from + delay;
    long wait = dueNanos - nowNanos;
    return wait >= MIN_WAIT_NANOS ? wait : 0;
  }

  /**
   * Redis's debugDelay for {@code keys} keys: {@code delayMicros} microseconds each; a negative value -n means one
   * microsecond for one key in n (Redis draws at random which keys; this is the same time on average).
   */
  static long delayNanos(long keys, long delayMicros) {
    if (delayMicros >= 0) return keys * delayMicros * 1000;
    return keys * 1000 / -delayMicros;
  }

  /**
   * The commands in batches of at least one command and at most {@code maxBytes} bytes of arguments (a bigger
   * command is a batch of its own). {@code previousKey} is the key of the command before these (null: none), so
   * that a key whose commands go on from the previous chunk is not counted twice; the result's last key is what
   * the next call takes.
   */
  static Batched batches(List<byte[][]> commands, long maxBytes, byte[] previousKey) {
    List<Batch> batches = new ArrayList<>();
    List<byte[][]> current = new ArrayList<>();
    long bytes = 0;
    int keys = 0;
    byte[] lastKey = previousKey;
    for (byte[][] command : commands) {
      long size = 0;
      for (byte[] arg : command) size += arg.length;
      if (!current.isEmpty() && bytes + size > maxBytes) {
        batches.add(new Batch(List.copyOf(current), keys));
        current.clear();
        bytes = 0;
        keys = 0;
      }
      current.add(command);
      bytes += size;
      if (command.length > 1 && !isSelect(command[0])) {
        if (lastKey == null || !Arrays.equals(lastKey, command[1])) keys++;
        lastKey = command[1];
      }
    }
    if (!current.isEmpty()) batches.add(new Batch(List.copyOf(current), keys));
    return new Batched(batches, lastKey);
  }

  /** Batches, and the last key in them (or the one before them, if they name none). */
  record Batched(List<Batch> batches, byte[] lastKey) {}

  private static boolean isSelect(byte[] name) {
    if (name.length != SELECT.length) return false;
    for (int i = 0; i < name.length; i++) {
      if (Character.toUpperCase(name[i]) != SELECT[i]) return false;
    }
    return true;
  }
}
