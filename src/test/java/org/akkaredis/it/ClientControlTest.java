package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.FreePorts;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * CLIENT REPLY, CLIENT PAUSE / UNPAUSE and CONFIG SET port / bind over real connections (also run against redis-server with
 * -Dit.server=redis-server). Paused clients are seen through INFO's blocked_clients, polled with a deadline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientControlTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private RedisEndpoint server;

  @BeforeAll
  void start() {
    server = Servers.standalone(Map.of());
  }

  @AfterAll
  void stop() {
    if (server != null) server.close();
  }

  @AfterEach
  void unpause() {
    try (RespConnection c = RespConnection.open(server.port())) {
      c.call("CLIENT", "UNPAUSE");
    }
  }

  private RespConnection open() {
    return RespConnection.open(server.port());
  }

  private void awaitBlocked(RespConnection observer, int n) {
    Await.until(n + " blocked clients", WAIT,
        () -> Long.parseLong(observer.infoField("clients", "blocked_clients")) == n);
  }

  @Test
  void replyOffOnAndSkip() {
    try (RespConnection c = open()) {
      c.send("CLIENT", "REPLY", "OFF");
      c.send("PING", "silenced");
      c.send("NOSUCHCOMMAND");
      c.send("CLIENT", "REPLY", "SKIP");
      c.send("CLIENT", "REPLY", "ON");
      assertEquals("OK", c.read().text());
      c.send("CLIENT", "REPLY", "SKIP");
      c.send("PING", "skipped");
      c.send("PING", "answered");
      assertEquals("answered", c.read().text());
      c.send("CLIENT", "REPLY", "SKIP");
      c.send("CLIENT", "REPLY", "ON");
      assertEquals("OK", c.read().text());
      assertEquals("PONG", c.call("PING").text());
      c.send("CLIENT", "REPLY", "OFF");
      assertEquals("RESET", c.call("RESET").text());
      assertEquals("PONG", c.call("PING").text());
      assertEquals("ERR syntax error", c.call("CLIENT", "REPLY", "MAYBE").text());
    }
  }

  @Test
  void pauseWriteHoldsWritesUntilUnpause() {
    try (RespConnection admin = open(); RespConnection writer = open(); RespConnection reader = open()) {
      admin.call("SET", "k", "v0");
      assertEquals("OK", admin.call("CLIENT", "PAUSE", "100000", "WRITE").text());
      assertEquals("v0", reader.call("GET", "k").text());
      assertEquals("ERR wrong number of arguments for 'set' command", writer.call("SET", "k").text());
      writer.send("SET", "k", "v1");
      awaitBlocked(admin, 1);
      assertEquals("v0", reader.call("GET", "k").text());
      assertEquals("OK", admin.call("CLIENT", "UNPAUSE").text());
      assertEquals("OK", writer.read().text());
      assertEquals("v1", reader.call("GET", "k").text());
    }
  }

  @Test
  void pauseWriteHoldsAnExecThatWrites() {
    try (RespConnection admin = open(); RespConnection tx = open()) {
      tx.call("MULTI");
      assertEquals("QUEUED", tx.call("SET", "t", "1").text());
      admin.call("CLIENT", "PAUSE", "100000", "WRITE");
      tx.send("EXEC");
      awaitBlocked(admin, 1);
      admin.call("CLIENT", "UNPAUSE");
      assertEquals("OK", tx.read().get(0).text());
      tx.call("MULTI");
      tx.call("GET", "t");
      admin.call("CLIENT", "PAUSE", "100000", "WRITE");
      assertEquals("1", tx.call("EXEC").get(0).text(), "a read-only EXEC is not held");
    }
  }

  @Test
  void pauseAllEndsByItself() {
    try (RespConnection admin = open(); RespConnection reader = open()) {
      assertEquals("ERR timeout is negative", admin.call("CLIENT", "PAUSE", "-1").text());
      assertEquals("ERR CLIENT PAUSE mode must be WRITE or ALL", admin.call("CLIENT", "PAUSE", "10", "x").text());
      assertEquals("OK", admin.call("CLIENT", "PAUSE", "300", "ALL").text());
      // The read waits for the pause to end on its own (no UNPAUSE), then gets its reply.
      assertEquals("PONG", reader.call("PING").text());
      assertEquals("0", admin.infoField("clients", "blocked_clients"));
    }
  }

  @Test
  void keysDoNotExpireWhilePaused() {
    try (RespConnection c = open()) {
      long expiredBefore = Long.parseLong(c.infoField("stats", "expired_keys"));
      c.call("MULTI");
      c.call("SET", "e1", "v", "PX", "10");
      c.call("CLIENT", "PAUSE", "100000", "WRITE");
      c.call("EXEC");
      Await.until("e1 logically expired", WAIT, () -> c.call("GET", "e1").isNull());
      assertEquals(expiredBefore, Long.parseLong(c.infoField("stats", "expired_keys")));
      c.call("CLIENT", "UNPAUSE");
      assertTrue(c.call("GET", "e1").isNull());
      assertEquals(expiredBefore + 1, Long.parseLong(c.infoField("stats", "expired_keys")));
    }
  }

  private static String config(RespConnection c, String name) {
    return c.call("CONFIG", "GET", name).get(1).text();
  }

  @Test
  void configSetPortListensOnTheNewPortOrRollsEverythingBack() throws IOException {
    int original = server.port();
    try (RespConnection c = open();
         ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      String maxmemory = config(c, "maxmemory");
      assertEquals("ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. "
          + "Check server logs.", c.call("CONFIG", "SET", "maxmemory", "10000001", "port",
          Integer.toString(taken.getLocalPort()), "client-query-buffer-limit", "10m").text());
      assertEquals(maxmemory, config(c, "maxmemory"));
      assertEquals(Integer.toString(original), config(c, "port"));
      assertEquals("1073741824", config(c, "client-query-buffer-limit"));
      try (RespConnection again = open()) {
        assertEquals("PONG", again.call("PING").text());
      }

      int free = FreePorts.next();
      assertEquals("OK", c.call("CONFIG", "SET", "port", Integer.toString(free)).text());
      assertEquals("PONG", c.call("PING").text(), "open connections stay");
      try (RespConnection moved = RespConnection.open(free)) {
        assertEquals(Integer.toString(free), config(moved, "port"));
        assertEquals(Integer.toString(free), moved.infoField("server", "tcp_port"));
      }
      assertThrows(UncheckedIOException.class, () -> RespConnection.open(original).close(), "the old port is closed");
      assertEquals("OK", c.call("CONFIG", "SET", "port", Integer.toString(original)).text());
      try (RespConnection back = open()) {
        assertEquals("PONG", back.call("PING").text());
      }
    }
  }

  @Test
  void configSetBindThatFailsKeepsTheOldAddresses() {
    try (RespConnection c = open()) {
      String bind = config(c, "bind");
      assertEquals("ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified "
          + "addresses.", c.call("CONFIG", "SET", "bind", "127.0.0.1 10.255.255.1").text());
      assertEquals(bind, config(c, "bind"));
      try (RespConnection again = open()) {
        assertEquals("PONG", again.call("PING").text());
      }
    }
  }
}
