package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Map;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.Test;

/**
 * Clients that pipeline big reads and never read their socket, against a node in this JVM so that its heap can be
 * measured: with a limit the node closes the client (client-output-buffer-limit, as Redis); without one (Redis's
 * default for normal clients, under which Redis itself grows without end) the node stops running the client's
 * commands while its output is full, and its heap stays bounded either way. Each reply is a fresh 1 MB copy
 * (GETRANGE), so replies that piled up would show in the heap.
 */
class SlowReaderTest {
  private static final int MB = 1024 * 1024;
  /** What the heap may grow by while a client holds back gigabytes of replies. */
  private static final long HEAP_BOUND = 96L * MB;

  private static byte[] bigValue() {
    byte[] value = new byte[MB];
    for (int i = 0; i < value.length; i++) value[i] = (byte) (i % 251);
    return value;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static byte[] pipeline(int commands) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] one = RespConnection.encode("GETRANGE", "bigkey", "0", "-1");
    for (int i = 0; i < commands; i++) out.writeBytes(one);
    return out.toByteArray();
  }

  /** The heap in use after a full collection. */
  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) System.gc();
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static String clientLine(RespConnection checker, long id) {
    return checker.call("CLIENT", "LIST", "ID", Long.toString(id)).text().trim();
  }

  private static long field(String clientLine, String name) {
    for (String part : clientLine.split(" ")) {
      if (part.startsWith(name + "=")) return Long.parseLong(part.substring(name.length() + 1));
    }
    throw new AssertionError("no " + name + " in " + clientLine);
  }

  @Test
  void aClientOverItsHardLimitIsClosedAndTheHeapStaysBounded() {
    if (Servers.AGAINST_REDIS) return; // the heap measured is this JVM's
    try (NodeFixture node = NodeFixture.startAsync(false,
            Map.of("client-output-buffer-limit", "normal 8mb 4mb 60")).join();
         RespConnection checker = RespConnection.open(node.port());
         RespConnection greedy = RespConnection.open(node.port())) {
      assertEquals("OK", checker.call(bytes("SET"), bytes("bigkey"), bigValue()).text());
      assertEquals("OK", checker.call("SET", "other", "intact").text());
      long heapBefore = heapAfterGc();
      long id = greedy.call("CLIENT", "ID").integer();

      greedy.sendRaw(pipeline(3000)); // 3 GB of replies

      Await.until("the node closed the client that does not read", Duration.ofSeconds(30),
          () -> clientLine(checker, id).isEmpty(), () -> clientLine(checker, id));
      long recentMax = Long.parseLong(checker.infoField("clients", "client_recent_max_output_buffer"));
      assertTrue(recentMax >= 8L * MB, "the queue reached the hard limit: " + recentMax);
      assertTrue(recentMax < 8L * MB + 64L * MB, "and not far beyond it: " + recentMax);
      long grown = heapAfterGc() - heapBefore;
      assertTrue(grown < HEAP_BOUND, "the heap grew by " + grown + " bytes");
      assertEquals("intact", checker.call("GET", "other").text());
      assertEquals(MB, checker.call("STRLEN", "bigkey").integer());
    }
  }

  @Test
  void withoutALimitAClientThatDoesNotReadIsHeldBackAndLosesNothing() {
    if (Servers.AGAINST_REDIS) return;
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of()).join();
         RespConnection checker = RespConnection.open(node.port());
         RespConnection slow = RespConnection.open(node.port())) {
      byte[] value = bigValue();
      assertEquals("OK", checker.call(bytes("SET"), bytes("bigkey"), value).text());
      long heapBefore = heapAfterGc();
      long id = slow.call("CLIENT", "ID").integer();
      int commands = 200;

      slow.sendRaw(pipeline(commands));

      // The queue is full once it holds at least its cap: the node then runs no more of the client's commands.
      Await.until("the slow client's output queue filled up", Duration.ofSeconds(30),
          () -> field(clientLine(checker, id), "omem") >= 1024 * 1024, () -> clientLine(checker, id));
      long grown = heapAfterGc() - heapBefore;
      assertTrue(grown < HEAP_BOUND, "the heap grew by " + grown + " bytes while " + commands + " MB were asked");
      String line = clientLine(checker, id);
      assertTrue(field(line, "oll") > 0 && field(line, "obl") >= 0, line);
      assertEquals("PONG", checker.call("PING").text(), "other clients go on");

      for (int i = 0; i < commands; i++) assertArrayEquals(value, slow.read().bytes(), "reply " + i);
      assertEquals("PONG", slow.call("PING").text());
      Await.until("its queue emptied", Duration.ofSeconds(10),
          () -> field(clientLine(checker, id), "omem") == 0, () -> clientLine(checker, id));
    }
  }

  @Test
  void aClientAboveItsSoftLimitForLongerThanItsSecondsIsClosed() {
    if (Servers.AGAINST_REDIS) return;
    try (NodeFixture node = NodeFixture.startAsync(false,
            Map.of("client-output-buffer-limit", "normal 0 2mb 1")).join();
         RespConnection checker = RespConnection.open(node.port());
         RespConnection slow = RespConnection.open(node.port())) {
      assertEquals("OK", checker.call(bytes("SET"), bytes("bigkey"), bigValue()).text());
      long id = slow.call("CLIENT", "ID").integer();
      slow.sendRaw(pipeline(200));
      // Held at the soft limit (no hard one), the client stays above it until its second has passed.
      Await.until("the node closed the client above its soft limit", Duration.ofSeconds(30),
          () -> clientLine(checker, id).isEmpty(), () -> clientLine(checker, id));
      assertEquals("PONG", checker.call("PING").text());
    }
  }

  @Test
  void aKilledClientThatDoesNotReadIsClosedWithoutWaitingForIt() {
    if (Servers.AGAINST_REDIS) return;
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of()).join();
         RespConnection checker = RespConnection.open(node.port());
         RespConnection slow = RespConnection.open(node.port())) {
      assertEquals("OK", checker.call(bytes("SET"), bytes("bigkey"), bigValue()).text());
      long id = slow.call("CLIENT", "ID").integer();
      slow.sendRaw(pipeline(200));
      Await.until("the slow client's output queue filled up", Duration.ofSeconds(30),
          () -> field(clientLine(checker, id), "omem") >= 1024 * 1024, () -> clientLine(checker, id));
      assertEquals(1, checker.call("CLIENT", "KILL", "ID", Long.toString(id)).integer());
      Await.until("the killed client is gone", Duration.ofSeconds(30),
          () -> clientLine(checker, id).isEmpty(), () -> clientLine(checker, id));
    }
  }
}
