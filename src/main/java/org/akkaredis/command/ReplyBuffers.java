package org.akkaredis.command;

import java.util.concurrent.atomic.LongAdder;

/**
 * What every client's reply buffer shares, as Redis's server-wide fields: how often a buffer's peak is forgotten
 * ({@code reply_buffer_peak_reset_time}, DEBUG REPLYBUFFER PEAK-RESET-TIME), whether buffers are resized at all
 * (DEBUG REPLYBUFFER RESIZING), and INFO's reply_buffer_shrinks / reply_buffer_expands.
 */
public final class ReplyBuffers {
  /** Redis's REPLY_BUFFER_DEFAULT_PEAK_RESET_TIME, in milliseconds. */
  public static final long DEFAULT_PEAK_RESET_TIME_MS = 5000;

  /** Milliseconds between peak resets; negative: never. */
  private volatile long peakResetTimeMs = DEFAULT_PEAK_RESET_TIME_MS;
  private volatile boolean resizing = true;
  private final LongAdder shrinks = new LongAdder();
  private final LongAdder expands = new LongAdder();

  public long peakResetTimeMs() {
    return peakResetTimeMs;
  }

  public void peakResetTimeMs(long ms) {
    this.peakResetTimeMs = ms;
  }

  public boolean resizing() {
    return resizing;
  }

  public void resizing(boolean enabled) {
    this.resizing = enabled;
  }

  public void shrunk() {
    shrinks.increment();
  }

  public void expanded() {
    expands.increment();
  }

  public long shrinks() {
    return shrinks.sum();
  }

  public long expands() {
    return expands.sum();
  }
}
