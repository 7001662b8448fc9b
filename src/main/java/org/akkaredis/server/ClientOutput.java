package org.akkaredis.server;

import akka.util.ByteString;
import java.util.ArrayDeque;

/**
 * What is queued for one client's socket, as Redis keeps it: the reply buffer ({@link ReplyBuffer}, which takes
 * replies while the list is empty), the write under way (at most {@link #WRITE_CHUNK} bytes handed to the socket and
 * not yet acknowledged; with the buffer's bytes, CLIENT LIST's {@code obl}) and the reply list behind them ({@code
 * oll} pieces, {@code omem} bytes: what client-output-buffer-limit is checked against). A plain object, owned by
 * the connection's {@link OutputQueue} stage.
 */
final class ClientOutput {
  /** The largest piece handed to the socket at once. */
  static final int WRITE_CHUNK = 64 * 1024;

  private final ReplyBuffer buffer;
  private final ArrayDeque<ByteString> waiting = new ArrayDeque<>();
  private long waitingBytes;
  private int writing;

  ClientOutput(long nowMs) {
    this.buffer = new ReplyBuffer(nowMs);
  }

  /** The reply, into the buffer as far as it fits while the list is empty (as Redis's _addReplyToBuffer), the rest to the list. */
  void enqueue(ByteString bytes) {
    if (bytes.isEmpty()) return;
    if (waiting.isEmpty()) {
      int taken = buffer.take(bytes);
      if (taken == bytes.length()) return;
      bytes = bytes.drop(taken);
    }
    waiting.addLast(bytes);
    waitingBytes += bytes.length();
  }

  /** Drops what waits, in the buffer and the list (the write under way is the socket's already). */
  void clear() {
    buffer.clear();
    waiting.clear();
    waitingBytes = 0;
  }

  boolean hasWaiting() {
    return !buffer.isEmpty() || !waiting.isEmpty();
  }

  ReplyBuffer buffer() {
    return buffer;
  }

  /** The socket took the last write: nothing is under way. */
  void written() {
    writing = 0;
  }

  /**
   * The next piece for the socket, now the write under way: the buffer's bytes (always older than the list's), else
   * the list's first reply (at most {@link #WRITE_CHUNK} bytes of it).
   */
  ByteString nextWrite() {
    if (!buffer.isEmpty()) {
      ByteString bytes = buffer.drain();
      writing = bytes.length();
      return bytes;
    }
    ByteString head = waiting.pollFirst();
    if (head.length() > WRITE_CHUNK) {
      waiting.addFirst(head.drop(WRITE_CHUNK));
      head = head.take(WRITE_CHUNK);
    }
    waitingBytes -= head.length();
    writing = head.length();
    return head;
  }

  /** omem: bytes of the replies waiting behind the write under way. */
  long memory() {
    return waitingBytes;
  }

  /** oll: replies (or the rest of one) waiting behind the write under way. */
  int listLength() {
    return waiting.size();
  }

  /** obl: bytes of the reply buffer, and of the write under way. */
  int bufferLength() {
    return buffer.used() + writing;
  }

  /** Bytes handed to the socket and not yet taken by it. */
  int writing() {
    return writing;
  }
}
