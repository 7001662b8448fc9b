package org.akkaredis.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client connections' event loop: one selector thread that reads every client socket, as Redis's event loop.
 * Read interest stays registered while a connection's stream takes what is read, so a request costs one
 * {@code epoll_wait} and one {@code read}, and the bytes go straight to the connection's stream
 * ({@link SocketStage}); writes are made by the stream itself. Akka IO's pull mode cost two {@code epoll_ctl}, an
 * empty read and two more mailbox hand-offs per request (docs/performance.md, "Where the time goes").
 */
final class SocketLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SocketLoop.class);
  /** The most one read takes: what a pipelined client sent since the last read, up to this. */
  static final int READ_SIZE = 64 * 1024;

  private final Selector selector;
  private final Thread thread;
  private volatile boolean open = true;

  SocketLoop(String name) {
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Registers a connection's socket for reading; from any thread (a selection in progress is woken up). */
  SelectionKey register(SocketChannel channel, SocketConnection connection) throws IOException {
    SelectionKey key = channel.register(selector, SelectionKey.OP_READ, connection);
    selector.wakeup();
    return key;
  }

  /** Makes the selection see changed interest or a closed channel now (an interest change waits for it). */
  void wakeup() {
    selector.wakeup();
  }

  private void run() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(READ_SIZE);
    while (open) {
      try {
        selector.select(key -> {
          if (!key.isValid()) return;
          SocketConnection connection = (SocketConnection) key.attachment();
          int ready = key.readyOps();
          if ((ready & SelectionKey.OP_WRITE) != 0) connection.writable();
          if ((ready & SelectionKey.OP_READ) != 0 && key.isValid()) connection.readable(buffer);
        });
      } catch (ClosedSelectorException e) {
        return;
      } catch (IOException | RuntimeException e) {
        // One connection's failure must not stop the loop that serves all the others.
        LOG.warn("Client event loop: {}", e.toString());
      }
    }
  }

  @Override public void close() {
    open = false;
    try {
      selector.close();
    } catch (IOException e) {
      LOG.warn("Closing the client event loop: {}", e.toString());
    }
  }
}
