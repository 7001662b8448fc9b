package org.akkaredis.server;

import akka.NotUsed;
import akka.stream.javadsl.Flow;
import akka.util.ByteString;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One accepted client socket, between the event loop that reads it ({@link SocketLoop}) and the stream that
 * serves it ({@link SocketStage}), which writes to it. Reads are made on the loop's thread only; writes, interest
 * changes and the close on the stream's.
 */
final class SocketConnection {
  /** What the loop hands to the stream: a read's bytes, the end of the input, the socket taking writes again. */
  interface Events {
    void received(ByteString bytes);

    void inputEnded();

    void writable();
  }

  private final SocketChannel channel;
  private final SocketLoop loop;
  private final InetSocketAddress remote;
  private final InetSocketAddress local;
  private volatile Events events;
  private volatile SelectionKey key;

  SocketConnection(SocketChannel channel, SocketLoop loop) throws IOException {
    this.channel = channel;
    this.loop = loop;
    this.remote = (InetSocketAddress) channel.getRemoteAddress();
    this.local = (InetSocketAddress) channel.getLocalAddress();
  }

  InetSocketAddress remoteAddress() {
    return remote;
  }

  InetSocketAddress localAddress() {
    return local;
  }

  /** The socket as a flow: what it takes is written to the client, what it gives was read from the client. */
  Flow<ByteString, ByteString, NotUsed> flow() {
    return Flow.fromGraph(new SocketStage(this));
  }

  /** Starts reading into {@code events}; called once, by the stage when it starts. */
  void start(Events events) throws IOException {
    this.events = events;
    key = loop.register(channel, this);
  }

  // --- on the loop's thread ---

  void readable(ByteBuffer buffer) {
    buffer.clear();
    int n;
    try {
      n = channel.read(buffer);
    } catch (IOException e) {
      n = -1; // a reset connection ends its input as a closed one does
    }
    if (n > 0) {
      byte[] bytes = new byte[n];
      buffer.flip().get(bytes);
      events.received(ByteString.fromArrayUnsafe(bytes));
    } else if (n < 0) {
      interest(SelectionKey.OP_READ, false);
      events.inputEnded();
    }
  }

  void writable() {
    interest(SelectionKey.OP_WRITE, false);
    events.writable();
  }

  // --- on the stream's thread ---

  /** Stops reading while the stream holds its bound of unread input; {@link #resumeReading} starts it again. */
  void pauseReading() {
    interest(SelectionKey.OP_READ, false);
  }

  void resumeReading() {
    interest(SelectionKey.OP_READ, true);
    loop.wakeup();
  }

  /** Writes what the socket takes now; the rest stays in {@code bytes} (its position moved). */
  int write(ByteBuffer bytes) throws IOException {
    return channel.write(bytes);
  }

  /** Asks the loop to say when the socket takes writes again. */
  void awaitWritable() {
    interest(SelectionKey.OP_WRITE, true);
    loop.wakeup();
  }

  /** Interest changes from either thread, atomically; a key cancelled by the close meanwhile has none to change. */
  private void interest(int op, boolean on) {
    try {
      if (on) key.interestOpsOr(op);
      else key.interestOpsAnd(~op);
    } catch (CancelledKeyException closed) {
      // closed: nothing to read or write any more
    }
  }

  void close() {
    SelectionKey registered = key;
    if (registered != null) registered.cancel();
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing: nothing left to tell the client
    }
    // A registered channel is closed when the selection drops its key: make that happen now.
    loop.wakeup();
  }
}
