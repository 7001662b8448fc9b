package org.akkaredis.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket of the client port, accepting on a thread of its own (a blocking accept, not registered with a
 * selector: {@link #close} returns once the port is free, which CONFIG SET port and bind rely on). Accepted sockets
 * are handed over non-blocking, with TCP_NODELAY as Redis sets it.
 */
public final class ClientListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClientListener.class);
  /** The most a close waits for the accepting thread to let go of the socket. */
  private static final long CLOSE_WAIT_MS = 5_000;

  /** What serves an accepted socket; when it throws, the socket is closed. */
  interface Accepted {
    void serve(SocketChannel client) throws IOException;
  }

  private final ServerSocketChannel channel;
  private final InetSocketAddress localAddress;
  private final Thread acceptor;

  /** Binds {@code host:port} with Redis's listen backlog ({@code tcp-backlog}) and starts accepting. */
  ClientListener(String host, int port, int backlog, Accepted accepted) throws IOException {
    channel = ServerSocketChannel.open();
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.bind(new InetSocketAddress(host, port), backlog);
      localAddress = (InetSocketAddress) channel.getLocalAddress();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    acceptor = new Thread(() -> accept(accepted), "akka-redis-accept-" + localAddress.getPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public InetSocketAddress localAddress() {
    return localAddress;
  }

  private void accept(Accepted accepted) {
    while (channel.isOpen()) {
      SocketChannel client;
      try {
        client = channel.accept();
      } catch (ClosedChannelException closed) {
        return;
      } catch (IOException e) {
        // Out of file descriptors and the like: the client is not taken, the listener goes on (as Redis).
        LOG.warn("Accepting client connection: {}", e.getMessage());
        continue;
      }
      try {
        client.configureBlocking(false);
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        accepted.serve(client);
      } catch (IOException | RuntimeException e) {
        LOG.warn("Serving accepted client connection: {}", e.toString());
        try {
          client.close();
        } catch (IOException ignored) {
          // it could not be served and cannot be told
        }
      }
    }
  }

  /**
   * Closes the listening socket and returns once the port is free: the JDK closes a socket that a thread is blocked
   * on only when that thread has left its accept.
   */
  @Override public void close() {
    try {
      channel.close();
      if (Thread.currentThread() != acceptor) acceptor.join(CLOSE_WAIT_MS);
    } catch (IOException e) {
      LOG.warn("Closing listener {}: {}", localAddress, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
