package org.akkaredis.it.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A plain-socket RESP client with no logic of its own: it sends a command as a RESP array (or any raw bytes)
 * and reads exactly one reply at a time, so tests see the server's bytes unaltered.
 */
public final class RespConnection implements AutoCloseable {
  /** Long enough for a slow CI machine, short enough that a missing reply fails the test rather than hanging it. */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final RespReader reader;

  private RespConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    this.reader = new RespReader(in);
  }

  public static RespConnection open(int port) {
    return open("127.0.0.1", port);
  }

  /** A connection to {@code host}: a non-loopback address of this machine, say, to be seen as a remote client. */
  public static RespConnection open(String host, int port) {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
      socket.connect(new InetSocketAddress(host, port), (int) READ_TIMEOUT.toMillis());
      return new RespConnection(socket);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
    }
  }

  /** Sends one command and reads its reply. */
  public RespReply call(String... args) {
    send(args);
    return read();
  }

  /** One field of an INFO section, as text ("" when the section has no such field). */
  public String infoField(String section, String field) {
    return call("INFO", section).text().lines().filter(line -> line.startsWith(field + ":"))
        .map(line -> line.substring(field.length() + 1)).findFirst().orElse("");
  }

  public RespReply call(byte[]... args) {
    send(args);
    return read();
  }

  public RespReply call(List<byte[]> args) {
    return call(args.toArray(byte[][]::new));
  }

  public void send(String... args) {
    sendRaw(encode(args));
  }

  public void send(byte[]... args) {
    sendRaw(encode(args));
  }

  public void sendRaw(String text) {
    sendRaw(text.getBytes(StandardCharsets.UTF_8));
  }

  public void sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the server", e);
    }
  }

  /** Sends each byte in its own write (TCP_NODELAY is on, so mostly in its own segment). */
  public void sendByteByByte(byte[] bytes) {
    try {
      for (byte b : bytes) {
        out.write(b);
        out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the server", e);
    }
  }

  /** Reads exactly one reply. */
  public RespReply read() {
    try {
      return reader.read();
    } catch (IOException e) {
      throw new UncheckedIOException("no complete reply from the server", e);
    }
  }

  /**
   * Everything the server still sends until it closes the connection. Fails (after READ_TIMEOUT) if the
   * server keeps the connection open.
   */
  public byte[] readUntilClosed() {
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try {
      for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) rest.write(chunk, 0, n);
      return rest.toByteArray();
    } catch (java.net.SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection within " + READ_TIMEOUT
          + "; it sent " + RespReply.escape(rest.toByteArray(), 300), e);
    } catch (IOException e) {
      // A reset also means the server closed the connection (it may discard our unread bytes).
      return rest.toByteArray();
    }
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do about a failed close of a test connection
    }
  }

  public static byte[] encode(String... args) {
    byte[][] bytes = new byte[args.length][];
    for (int i = 0; i < args.length; i++) bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
    return encode(bytes);
  }

  public static byte[] encode(byte[]... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (byte[] arg : args) {
      out.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(arg);
      out.writeBytes(new byte[] {'\r', '\n'});
    }
    return out.toByteArray();
  }
}
