package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The wire protocol against the node over raw sockets: pipelining, split frames, inline commands, protocol
 * errors and limits with Redis 7.0.15's exact bytes (each checked against redis-server), QUIT, AUTH and
 * maxclients.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolTest {
  /** Redis's smallest allowed values for both limits, so that a test needs to send only about 1 MB. */
  private static final int ONE_MB = 1024 * 1024;

  private RedisEndpoint node;
  /** Opened before every test and checked after it: a misbehaving client must not disturb anyone else. */
  private RespConnection bystander;

  @BeforeAll
  void start() {
    node = Servers.standalone(Map.of("proto-max-bulk-len", "1mb", "client-query-buffer-limit", "1mb"));
    bystander = node.connect();
  }

  @AfterAll
  void stop() {
    if (bystander != null) bystander.close();
    if (node != null) node.close();
  }

  @AfterEach
  void otherConnectionsAreUnaffected() {
    assertEquals("$9\r\nbystander\r\n", text(bystander.call("ECHO", "bystander")));
  }

  @Test
  void fiveThousandPipelinedCommandsInOneWriteAreAnsweredInOrder() {
    ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      switch (i % 3) {
        case 0 -> {
          pipeline.writeBytes(RespConnection.encode("SET", "pipelined:" + i, "value:" + i));
          expected.add("+OK\r\n");
        }
        case 1 -> {
          pipeline.writeBytes(RespConnection.encode("GET", "pipelined:" + (i - 1)));
          String value = "value:" + (i - 1);
          expected.add("$" + value.length() + "\r\n" + value + "\r\n");
        }
        default -> {
          pipeline.writeBytes(RespConnection.encode("ECHO", "echo:" + i));
          String echo = "echo:" + i;
          expected.add("$" + echo.length() + "\r\n" + echo + "\r\n");
        }
      }
    }
    try (RespConnection connection = node.connect()) {
      connection.sendRaw(pipeline.toByteArray());
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(expected.get(i), text(connection.read()), "reply " + i + " of the pipeline");
      }
      assertEquals("+PONG\r\n", text(connection.call("PING")), "the connection stays usable");
    }
  }

  @Test
  void commandsSplitIntoOneBytePerWriteAreReassembled() {
    byte[] commands = concat(RespConnection.encode("SET", "split", "a value with spaces"),
        RespConnection.encode("GET", "split"), "PING\r\n".getBytes(StandardCharsets.US_ASCII),
        RespConnection.encode("ECHO", "x".repeat(100)));
    try (RespConnection connection = node.connect()) {
      connection.sendByteByByte(commands);
      assertEquals("+OK\r\n", text(connection.read()));
      assertEquals("$19\r\na value with spaces\r\n", text(connection.read()));
      assertEquals("+PONG\r\n", text(connection.read()));
      assertEquals("$100\r\n" + "x".repeat(100) + "\r\n", text(connection.read()));
    }
  }

  @Test
  void inlineCommandsAreSplitLikeRedis() {
    try (RespConnection connection = node.connect()) {
      connection.sendRaw("PING\r\n");
      assertEquals("+PONG\r\n", text(connection.read()));
      connection.sendRaw("PING\n");
      assertEquals("+PONG\r\n", text(connection.read()), "a bare LF ends an inline command too");
      connection.sendRaw("\r\n\r\n  \r\nPING hello\r\n");
      assertEquals("$5\r\nhello\r\n", text(connection.read()), "blank lines are skipped");
      connection.sendRaw("ECHO \"a\\x41b\\tc\\\"d\"\r\n");
      assertEquals("$7\r\naAb\tc\"d\r\n", text(connection.read()), "double quotes take C escapes");
      connection.sendRaw("SET 'inline key' 'it\\'s'\r\n");
      assertEquals("+OK\r\n", text(connection.read()));
      assertEquals("$4\r\nit's\r\n", text(connection.call("GET", "inline key")), "single quotes keep spaces");
      connection.sendRaw("ECHO \"\"\r\n");
      assertEquals("$0\r\n\r\n", text(connection.read()));
      connection.sendRaw("*0\r\n*-1\r\nPING\r\n");
      assertEquals("+PONG\r\n", text(connection.read()), "empty and null arrays are no commands");
      connection.sendRaw("ECHO a b\r\n");
      assertEquals("-ERR wrong number of arguments for 'echo' command\r\n", text(connection.read()));
      connection.sendRaw("*1\r\n$4\r\nPINGxx");
      assertEquals("+PONG\r\n", text(connection.read()), "the two bytes after a bulk are skipped unchecked");
    }
  }

  @Test
  void helloInsideAPipelineSwitchesTheProtocolFromItsOwnReplyOn() {
    try (RespConnection connection = node.connect()) {
      connection.sendRaw("HSET switch a 1\r\nHGETALL switch\r\nHELLO 3\r\nHGETALL switch\r\nHELLO 2\r\n"
          + "HGETALL switch\r\n");
      assertEquals(":1\r\n", text(connection.read()));
      assertEquals("*2\r\n$1\r\na\r\n$1\r\n1\r\n", text(connection.read()), "RESP2 before HELLO 3");
      assertEquals('%', connection.read().type, "HELLO 3 answers in RESP3");
      assertEquals("%1\r\n$1\r\na\r\n$1\r\n1\r\n", text(connection.read()), "RESP3 after HELLO 3");
      assertEquals('*', connection.read().type, "HELLO 2 answers in RESP2");
      assertEquals("*2\r\n$1\r\na\r\n$1\r\n1\r\n", text(connection.read()), "RESP2 again after HELLO 2");
    }
  }

  @Test
  void malformedMultibulkCountIsAProtocolErrorThatClosesTheConnection() {
    assertProtocolError("*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
    assertProtocolError("*3000000000\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
  }

  @Test
  void malformedBulkIsAProtocolErrorThatClosesTheConnection() {
    assertProtocolError("*1\r\nfoo\r\n", "-ERR Protocol error: expected '$', got 'f'\r\n");
    assertProtocolError("*1\r\n$abc\r\n", "-ERR Protocol error: invalid bulk length\r\n");
    assertProtocolError("*1\r\n$-5\r\n", "-ERR Protocol error: invalid bulk length\r\n");
  }

  @Test
  void unbalancedQuotesInAnInlineCommandAreAProtocolError() {
    assertProtocolError("SET \"a b\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n");
    assertProtocolError("SET \"a\"b c\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n");
  }

  @Test
  void overlongLinesAreProtocolErrors() {
    assertProtocolError("a".repeat(70_000), "-ERR Protocol error: too big inline request\r\n");
    assertProtocolError("*" + "1".repeat(70_000), "-ERR Protocol error: too big mbulk count string\r\n");
    assertProtocolError("*2\r\n$4\r\nECHO\r\n$" + "1".repeat(70_000),
        "-ERR Protocol error: too big bulk count string\r\n");
  }

  @Test
  void commandsBeforeAProtocolErrorAreAnsweredAndThoseAfterItAreNot() {
    assertProtocolError("PING\r\n*abc\r\nPING\r\n", "+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n");
  }

  @Test
  void aBulkLongerThanProtoMaxBulkLenIsAProtocolError() {
    assertProtocolError("*2\r\n$4\r\nECHO\r\n$" + (ONE_MB + 1) + "\r\n",
        "-ERR Protocol error: invalid bulk length\r\n");
  }

  @Test
  void aBulkUpToTheLimitsIsAccepted() {
    byte[] value = new byte[1_000_000];
    Arrays.fill(value, (byte) 'v');
    try (RespConnection connection = node.connect()) {
      assertEquals("+OK\r\n", text(connection.call("SET".getBytes(StandardCharsets.US_ASCII),
          "big".getBytes(StandardCharsets.US_ASCII), value)));
      assertTrue(Arrays.equals(value, connection.call("GET", "big").bytes()), "GET returns the value");
      assertEquals(":1000000\r\n", text(connection.call("STRLEN", "big")));
    }
  }

  @Test
  void exceedingTheQueryBufferLimitClosesTheConnectionSilently() {
    // The whole argument plus its CRLF is 2 bytes more than client-query-buffer-limit; redis-server 7.0.15
    // closes such a client without a reply (it only logs "closing client that reached max query buffer").
    byte[] header = ("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + ONE_MB + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] payload = new byte[ONE_MB];
    Arrays.fill(payload, (byte) 'q');
    try (RespConnection connection = node.connect()) {
      try {
        connection.sendRaw(concat(header, payload, "\r\n".getBytes(StandardCharsets.US_ASCII)));
      } catch (UncheckedIOException closedWhileWriting) {
        // The server may drop the connection before it has read the last bytes; what it sent still counts.
      }
      assertEquals("", RespReply.escape(connection.readUntilClosed(), 300));
    }
    try (RespConnection check = node.connect()) {
      assertEquals(":0\r\n", text(check.call("EXISTS", "k")), "the command was not run");
    }
  }

  @Test
  void quitAnswersOkAndClosesWithoutRunningWhatFollows() {
    try (RespConnection connection = node.connect()) {
      connection.sendRaw("QUIT\r\nSET after-quit 1\r\n");
      assertEquals("+OK\\r\\n", RespReply.escape(connection.readUntilClosed(), 300));
    }
    try (RespConnection check = node.connect()) {
      assertEquals(":0\r\n", text(check.call("EXISTS", "after-quit")));
    }
  }

  @Test
  void authWithoutAConfiguredPasswordIsAnError() {
    try (RespConnection connection = node.connect()) {
      assertEquals("-ERR AUTH <password> called without any password configured for the default user. "
          + "Are you sure your configuration is correct?\r\n", text(connection.call("AUTH", "secret")));
      assertEquals("+PONG\r\n", text(connection.call("PING")));
    }
  }

  /** A node with requirepass: NOAUTH until AUTH, and Redis's stricter limits before authentication. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WithPassword {
    private RedisEndpoint secured;

    @BeforeAll
    void start() {
      secured = Servers.standalone(Map.of("requirepass", "secret"));
    }

    @AfterAll
    void stop() {
      if (secured != null) secured.close();
    }

    @Test
    void commandsNeedAuthenticationFirst() {
      try (RespConnection connection = secured.connect()) {
        assertEquals("-NOAUTH Authentication required.\r\n", text(connection.call("PING")));
        assertEquals("-NOAUTH Authentication required.\r\n", text(connection.call("SET", "k", "v")));
        assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n",
            text(connection.call("AUTH", "wrong")));
        assertEquals("-ERR syntax error\r\n", text(connection.call("AUTH", "a", "b", "c")));
        assertEquals("+OK\r\n", text(connection.call("AUTH", "secret")));
        assertEquals("+PONG\r\n", text(connection.call("PING")));
        assertEquals("+OK\r\n", text(connection.call("AUTH", "default", "secret")));
        assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n",
            text(connection.call("AUTH", "wrong")));
        assertEquals("+PONG\r\n", text(connection.call("PING")), "a failed AUTH keeps the earlier login");
      }
    }

    @Test
    void helloNeedsAuthenticationOrAuthenticatesItself() {
      try (RespConnection connection = secured.connect()) {
        assertEquals("-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
            + "AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol "
            + "version at the same time\r\n", text(connection.call("HELLO", "3")));
        RespReply hello = connection.call("HELLO", "3", "AUTH", "default", "secret");
        assertEquals('%', hello.type, "HELLO 3 answers a RESP3 map: " + hello);
        assertEquals("+PONG\r\n", text(connection.call("PING")));
      }
    }

    @Test
    void unauthenticatedClientsGetSmallerProtocolLimits() {
      assertProtocolError(secured, "*11\r\n", "-ERR Protocol error: unauthenticated multibulk length\r\n");
      assertProtocolError(secured, "*1\r\n$20000\r\n", "-ERR Protocol error: unauthenticated bulk length\r\n");
      try (RespConnection connection = secured.connect()) {
        assertEquals("+OK\r\n", text(connection.call("AUTH", "secret")));
        String[] many = new String[12];
        Arrays.fill(many, "k");
        many[0] = "EXISTS";
        assertEquals(":0\r\n", text(connection.call(many)), "the limits end with authentication");
      }
    }
  }

  /** A node that takes at most three clients. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WithMaxClients {
    private static final int MAX_CLIENTS = 3;
    private RedisEndpoint limited;

    @BeforeAll
    void start() {
      limited = Servers.standalone(Map.of("maxclients", Integer.toString(MAX_CLIENTS)));
    }

    @AfterAll
    void stop() {
      if (limited != null) limited.close();
    }

    @Test
    void oneClientTooManyIsToldSoAndDisconnected() {
      List<RespConnection> admitted = new ArrayList<>();
      try {
        for (int i = 0; i < MAX_CLIENTS; i++) {
          RespConnection connection = limited.connect();
          admitted.add(connection);
          assertEquals("+PONG\r\n", text(connection.call("PING")), "client " + (i + 1) + " is admitted");
        }
        try (RespConnection rejected = limited.connect()) {
          rejected.sendRaw("PING\r\n");
          String sent = RespReply.escape(rejected.readUntilClosed(), 300);
          assertEquals("-ERR max number of clients reached\\r\\n", sent);
        }
        admitted.remove(0).close();
        // The server notices the closed connection asynchronously.
        Await.until("a client is admitted again after one left", Duration.ofSeconds(10), () -> {
          try (RespConnection retry = limited.connect()) {
            return text(retry.call("PING")).equals("+PONG\r\n");
          } catch (RuntimeException rejected) {
            return false;
          }
        });
        assertTrue(admitted.stream().allMatch(c -> text(c.call("PING")).equals("+PONG\r\n")),
            "the admitted clients keep working");
      } finally {
        admitted.forEach(RespConnection::close);
      }
    }
  }

  private void assertProtocolError(String request, String expectedBytesBeforeClose) {
    assertProtocolError(node, request, expectedBytesBeforeClose);
  }

  /** Sends {@code request} on a new connection; the server must send exactly the expected bytes and close. */
  private static void assertProtocolError(RedisEndpoint server, String request, String expectedBytesBeforeClose) {
    try (RespConnection connection = server.connect()) {
      connection.sendRaw(request);
      byte[] sent = connection.readUntilClosed();
      assertEquals(RespReply.escape(expectedBytesBeforeClose.getBytes(StandardCharsets.UTF_8), 1000),
          RespReply.escape(sent, 1000), "reply to " + RespReply.escape(request.getBytes(StandardCharsets.UTF_8), 60));
    }
  }

  /** A reply's raw bytes as text, for readable assertions. */
  private static String text(RespReply reply) {
    return new String(reply.raw(), StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) out.writeBytes(part);
    return out.toByteArray();
  }
}
