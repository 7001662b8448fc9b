package org.akkaredis.server;

import akka.util.ByteString;
import java.util.ArrayDeque;

/**
 * What is queued for one client's socket, as Redis counts it: the write under way (CLIENT LIST's {@code obl}: at
 * most {@link #WRITE_CHUNK} bytes handed to the socket and not yet acknowledged) and the replies waiting behind it
 * ({@code oll} of them, {@code omem} bytes: what client-output-buffer-limit is checked against). A plain object,
 * owned by the connection's {@link OutputQueue} stage.
 */
final class ClientOutput {
  /** The largest piece handed to the socket at once. */
  static final int WRITE_CHUNK = 64 * 1024;

  private final ArrayDeque<ByteString> waiting = new ArrayDeque<>();
  private long waitingBytes;
  private int writing;

  void enqueue(ByteString bytes) {
    if (bytes.isEmpty()) return;
    waiting.addLast(bytes);
    waitingBytes += bytes.length();
  }

  /** Drops what waits (the write under way is the socket's already). */
  void clear() {
    waiting.clear();
    waitingBytes = 0;
  }

  boolean hasWaiting() {
    return !waiting.isEmpty();
  }

  /** The socket took the last write: nothing is under way. */
  void written() {
    writing = 0;
  }

  /** The next piece for the socket (at most {@link #WRITE_CHUNK} bytes), now the write under way. */
  ByteString nextWrite() {
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

  /** obl: bytes of the write under way. */
  int bufferLength() {
    return writing;
  }
}
