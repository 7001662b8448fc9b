package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** MONITOR over real connections to a live node (also run against redis-server with -Dit.server=redis-server). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitorTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern LINE = Pattern.compile("\\d+\\.\\d{6} \\[(\\d+) 127\\.0\\.0\\.1:\\d+\\] (.*)");
  private RedisEndpoint server;

  @BeforeAll
  void start() {
    server = Servers.standalone(Map.of());
  }

  @AfterAll
  void stop() {
    if (server != null) server.close();
  }

  private RespConnection open() {
    return RespConnection.open(server.port());
  }

  private static RespConnection monitor(RespConnection c) {
    assertEquals("OK", c.call("MONITOR").text());
    return c;
  }

  /** The next line's db and arguments, without its time and address. */
  private static String next(RespConnection monitor) {
    RespReply line = monitor.read();
    assertEquals('+', line.type, line.text());
    var m = LINE.matcher(line.text());
    assertTrue(m.matches(), line.text());
    return m.group(1) + " " + m.group(2);
  }

  /** The monitor's next reply to a command of its own, past the lines before it. */
  private static RespReply replyAfterLines(RespConnection monitor) {
    for (;;) {
      RespReply reply = monitor.read();
      if (reply.type != '+' || !LINE.matcher(reply.text()).matches()) return reply;
    }
  }

  @Test
  void otherClientsCommandsAreLoggedQuotedAndRedacted() {
    try (RespConnection m = monitor(open()); RespConnection c = open()) {
      c.call("SET", "foo", "bar");
      c.call("GET", "foo");
      c.call(new byte[][] {"SET".getBytes(), "a\"b\\c".getBytes(), {'x', '\n', 'y', 1, (byte) 0xff}});
      c.call("CONFIG", "GET", "maxmemory"); // admin: not shown
      c.call("AUTH", "not-real"); // an error, but it ran: shown, redacted
      c.call("SELECT", "5");
      c.call("NOSUCHCOMMAND"); // refused before it ran: not shown
      c.call("PING");
      assertEquals("0 \"SET\" \"foo\" \"bar\"", next(m));
      assertEquals("0 \"GET\" \"foo\"", next(m));
      assertEquals("0 \"SET\" \"a\\\"b\\\\c\" \"x\\ny\\x01\\xff\"", next(m));
      assertEquals("0 \"AUTH\" \"(redacted)\"", next(m));
      assertEquals("5 \"SELECT\" \"5\"", next(m));
      assertEquals("5 \"PING\"", next(m));
    }
  }

  @Test
  void transactionsShowMultiTheirCommandsAndExec() {
    try (RespConnection m = monitor(open()); RespConnection c = open()) {
      c.call("MULTI");
      c.call("SET", "foo", "bar");
      c.call("EXEC");
      assertEquals("0 \"MULTI\"", next(m));
      assertEquals("0 \"SET\" \"foo\" \"bar\"", next(m));
      assertEquals("0 \"EXEC\"", next(m));
      c.call("MULTI");
      assertTrue(c.call("SYNTAX", "error").isError());
      assertTrue(c.call("EXEC").text().startsWith("EXECABORT"));
      assertEquals("0 \"MULTI\"", next(m));
      assertEquals("0 \"EXEC\"", next(m));
    }
  }

  @Test
  void aMonitorIsFlaggedCountsAsAClientAndMayNotTouchTheKeyspace() {
    try (RespConnection observer = open()) {
      try (RespConnection m = monitor(open())) {
        // Counted among the clients: connected_clients is CLIENT LIST's length, the monitor's line included (polled:
        // an earlier test's connection may still be closing between the two questions).
        Await.until("the monitor counted among connected_clients", Duration.ofSeconds(10), () -> {
          String list = observer.call("CLIENT", "LIST").text();
          long lines = list.lines().filter(line -> !line.isEmpty()).count();
          return list.contains(" flags=O ")
              && lines == Long.parseLong(observer.infoField("clients", "connected_clients"));
        });
        m.send("GET", "foo");
        assertEquals("ERR Replica can't interact with the keyspace", replyAfterLines(m).text());
        m.send("MONITOR"); // already monitoring: no reply at all
        m.send("ECHO", "after");
        assertEquals("after", replyAfterLines(m).text());
        assertEquals("0 \"ECHO\" \"after\"", next(m)); // as Redis: its own command's line after the reply
        m.send("RESET");
        assertEquals("RESET", replyAfterLines(m).text());
        observer.call("SET", "foo", "bar");
        assertEquals("bar", m.call("GET", "foo").text()); // no line came between: not a monitor any more
        assertFalse(observer.call("CLIENT", "LIST").text().contains("flags=O"));
      }
    }
  }

  @Test
  void monitorIsRefusedInsideATransaction() {
    try (RespConnection c = open()) {
      c.call("MULTI");
      assertEquals("QUEUED", c.call("MONITOR").text());
      RespReply exec = c.call("EXEC");
      assertTrue(exec.raw().length > 0 && new String(exec.raw()).contains(
          "-ERR MONITOR isn't allowed for DENY BLOCKING client"), new String(exec.raw()));
      assertEquals("PONG", c.call("PING").text());
    }
  }

  @Test
  void quitClosesAMonitor() {
    try (RespConnection m = monitor(open())) {
      assertEquals("OK", m.call("QUIT").text());
      m.readUntilClosed();
    }
  }

  @Test
  void aMonitorThatDoesNotReadIsClosedAtTheNormalClassLimit() {
    try (RespConnection admin = open(); RespConnection m = monitor(open()); RespConnection c = open()) {
      assertEquals("OK", admin.call("CONFIG", "SET", "client-output-buffer-limit", "normal 256kb 0 0").text());
      try {
        m.call("CLIENT", "ID"); // the monitor's last command: how CLIENT LIST tells it apart
        byte[] value = new byte[64 * 1024];
        java.util.Arrays.fill(value, (byte) 'v');
        Await.until("the monitor closed", WAIT, () -> {
          c.call("SET".getBytes(), "big".getBytes(), value);
          return !admin.call("CLIENT", "LIST").text().contains("cmd=client|id");
        });
      } finally {
        admin.call("CONFIG", "SET", "client-output-buffer-limit", "normal 0 0 0");
      }
    }
  }
}
