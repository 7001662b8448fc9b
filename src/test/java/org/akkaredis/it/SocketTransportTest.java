package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The client port's transport at its edges, over raw sockets: a reply larger than the socket takes at once, a
 * pipeline larger than the read-ahead bound sent by a client that reads no reply meanwhile, and the ends of a
 * connection (QUIT, the client closing, the client resetting). Also runs against redis-server
 * (-Dit.server=redis-server).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SocketTransportTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private RedisEndpoint server;

  @BeforeAll
  void start() {
    server = Servers.standalone(Map.of());
  }

  @AfterAll
  void stop() {
    if (server != null) server.close();
  }

  private Socket connect(int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
    socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
    socket.setSoTimeout((int) WAIT.toMillis());
    return socket;
  }

  @Test
  void replyLargerThanTheSocketTakesArrivesWhole() throws IOException {
    byte[] value = new byte[8 * 1024 * 1024 + 7];
    for (int i = 0; i < value.length; i++) value[i] = (byte) (i * 31 + (i >>> 11));
    try (RespConnection c = RespConnection.open(server.port())) {
      assertEquals("OK", c.call("SET".getBytes(StandardCharsets.US_ASCII), "big".getBytes(StandardCharsets.US_ASCII),
          value).text());
    }
    // A small receive buffer: the node's writes go out in parts, each once the socket is writable again.
    try (Socket socket = connect(4096)) {
      socket.getOutputStream().write(RespConnection.encode("GET", "big"));
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] header = ("$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] got = new byte[header.length + value.length + 2];
      in.readFully(got);
      byte[] expected = new byte[got.length];
      System.arraycopy(header, 0, expected, 0, header.length);
      System.arraycopy(value, 0, expected, header.length, value.length);
      expected[expected.length - 2] = '\r';
      expected[expected.length - 1] = '\n';
      assertArrayEquals(expected, got);
    }
  }

  @Test
  void pipelineBeyondTheReadAheadIsAnsweredInOrder() throws Exception {
    int commands = 60_000; // about 2.5 MB of requests, sent before any reply is read
    try (Socket socket = connect(0)) {
      OutputStream out = socket.getOutputStream();
      CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
        try {
          ByteArrayOutputStream batch = new ByteArrayOutputStream();
          for (int i = 1; i <= commands; i++) {
            batch.write(RespConnection.encode("INCR", "transport:counter"));
            batch.write(RespConnection.encode("SET", "transport:" + (i % 1000), "v".repeat(16)));
          }
          out.write(batch.toByteArray());
          out.flush();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
      for (int i = 1; i <= commands; i++) {
        assertEquals(":" + i, line(in), "reply to INCR number " + i);
        assertEquals("+OK", line(in));
      }
      sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  @Test
  void quitAnswersAndCloses() throws IOException {
    try (Socket socket = connect(0)) {
      socket.getOutputStream().write(RespConnection.encode("QUIT"));
      InputStream in = socket.getInputStream();
      assertEquals("+OK", line(in));
      assertEquals(-1, in.read());
    }
  }

  @Test
  void closedAndResetClientsAreDropped() throws IOException {
    try (RespConnection observer = RespConnection.open(server.port())) {
      Socket closed = connect(0);
      Socket reset = connect(0);
      for (Socket socket : new Socket[] {closed, reset}) {
        socket.getOutputStream().write(RespConnection.encode("PING"));
        assertEquals("+PONG", line(socket.getInputStream()));
      }
      // By address: other tests' connections may still be leaving, so the count of clients would not tell.
      String closedAddr = "addr=127.0.0.1:" + closed.getLocalPort() + " ";
      String resetAddr = "addr=127.0.0.1:" + reset.getLocalPort() + " ";
      String listed = observer.call("CLIENT", "LIST").text();
      assertTrue(listed.contains(closedAddr) && listed.contains(resetAddr), listed);
      closed.close();
      reset.setSoLinger(true, 0); // the close sends a reset instead of a FIN
      reset.close();
      Await.until("both clients dropped", WAIT, () -> {
        String now = observer.call("CLIENT", "LIST").text();
        return !now.contains(closedAddr) && !now.contains(resetAddr);
      });
    }
  }

  /** One reply line, without its CRLF. */
  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\r'; b = in.read()) {
      if (b < 0) throw new IOException("closed after " + line);
      line.append((char) b);
    }
    if (in.read() != '\n') throw new IOException("no LF after " + line);
    return line.toString();
  }
}
