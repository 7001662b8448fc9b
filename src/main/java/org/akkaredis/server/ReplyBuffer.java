package org.akkaredis.server;

import akka.util.ByteString;
import java.nio.ByteBuffer;
import org.akkaredis.command.ReplyBuffers;

/**
 * A client's reply buffer, as Redis's {@code c->buf}: replies are copied into it while nothing waits in the reply
 * list, what does not fit goes to the list, and the socket gets the buffer's bytes as one write. Its size follows
 * the client's use as Redis's clientsCronResizeOutputBuffer: a new client's buffer is
 * {@link #CHUNK_BYTES}; it halves (down to {@link #MIN_BYTES}) while its peak stays under half of it, and doubles
 * (up to {@link #CHUNK_BYTES}) once a reply filled it. CLIENT LIST shows its size (rbs) and peak (rbp). A plain
 * object, owned by the connection's {@link OutputQueue} stage.
 */
final class ReplyBuffer {
  /** Redis's PROTO_REPLY_MIN_BYTES: the smallest a buffer shrinks to. */
  static final int MIN_BYTES = 1024;
  /** Redis's PROTO_REPLY_CHUNK_BYTES: a new client's buffer, and the largest one grows to. */
  static final int CHUNK_BYTES = 16 * 1024;

  private byte[] buf = new byte[CHUNK_BYTES];
  private int used;
  /** A new buffer counts as full (as Redis's createClient): it shrinks only after its first peak reset. */
  private int peak = CHUNK_BYTES;
  private long peakResetAtMs;

  ReplyBuffer(long nowMs) {
    this.peakResetAtMs = nowMs;
  }

  /** Copies what fits of {@code bytes}; returns how many bytes it took. */
  int take(ByteString bytes) {
    int n = Math.min(bytes.length(), buf.length - used);
    if (n == 0) return 0;
    bytes.take(n).copyToBuffer(ByteBuffer.wrap(buf, used, n));
    used += n;
    peak = Math.max(peak, used);
    return n;
  }

  boolean isEmpty() {
    return used == 0;
  }

  /** The buffer's bytes as one write for the socket; the buffer is empty again. */
  ByteString drain() {
    ByteString out = ByteString.fromArray(buf, 0, used);
    used = 0;
    return out;
  }

  int size() {
    return buf.length;
  }

  int peak() {
    return peak;
  }

  int used() {
    return used;
  }

  /** Drops what the buffer holds. */
  void clear() {
    used = 0;
  }

  /**
   * Whether {@link #resize} can change the size later: false for a buffer at its smallest size that no reply filled,
   * which only a reply that fills it changes.
   */
  boolean mayResize() {
    return buf.length >= 2 * MIN_BYTES || peak == buf.length;
  }

  /**
   * Redis's clientsCronResizeOutputBuffer, run for each client by the clients' cron: shrinks or grows the buffer
   * by its peak (counted in {@code shared}), then forgets the peak when its reset time has passed.
   */
  void resize(long nowMs, ReplyBuffers shared) {
    if (!shared.resizing()) return;
    int shrinkTarget = buf.length / 2;
    int expandTarget = buf.length * 2;
    int newSize = 0;
    if (shrinkTarget >= MIN_BYTES && peak < shrinkTarget) {
      newSize = Math.max(MIN_BYTES, peak + 1);
      shared.shrunk();
    } else if (expandTarget < CHUNK_BYTES * 2 && peak == buf.length) {
      newSize = Math.min(CHUNK_BYTES, expandTarget);
      shared.expanded();
    }
    long resetTime = shared.peakResetTimeMs();
    if (resetTime >= 0 && nowMs - peakResetAtMs >= resetTime) {
      peak = used;
      peakResetAtMs = nowMs;
    }
    if (newSize != 0) {
      byte[] resized = new byte[newSize];
      System.arraycopy(buf, 0, resized, 0, used);
      buf = resized;
    }
  }
}
