package org.akkaredis.server;

/**
 * INFO's client_recent_max_output_buffer: the largest output queue any client had in the last few seconds, as
 * Redis keeps it (CLIENTS_PEAK_MEM_USAGE_SLOTS: one slot per second of the last 8, the oldest slot reused). Redis
 * samples each client once a second; here every change of a client's queue is seen.
 */
final class RecentPeak {
  static final int SLOTS = 8;

  private final long[] peaks = new long[SLOTS];
  private final long[] slotSecond = new long[SLOTS];

  RecentPeak() {
    java.util.Arrays.fill(slotSecond, -1);
  }

  synchronized void note(long bytes, long nowMs) {
    int slot = slot(nowMs);
    peaks[slot] = Math.max(peaks[slot], bytes);
  }

  /** The largest figure noted in the last {@link #SLOTS} seconds. */
  synchronized long max(long nowMs) {
    slot(nowMs);
    long second = nowMs / 1000;
    long max = 0;
    for (int i = 0; i < SLOTS; i++) {
      if (second - slotSecond[i] < SLOTS) max = Math.max(max, peaks[i]);
    }
    return max;
  }

  /** This second's slot, emptied first when it last held an older second. */
  private int slot(long nowMs) {
    long second = nowMs / 1000;
    int slot = (int) Math.floorMod(second, (long) SLOTS);
    if (slotSecond[slot] != second) {
      slotSecond[slot] = second;
      peaks[slot] = 0;
    }
    return slot;
  }
}
