package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RespConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** INFO's and CLIENT LIST's figures move with what the node does (invariants, not values). */
class InfoFiguresTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final long BUSY = 150;
  private static NodeFixture node;

  @BeforeAll
  static void start() {
    node = NodeFixture.startAsync(false, Map.of()).join();
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private static long stat(RespConnection c, String field) {
    return Long.parseLong(c.infoField("stats", field).split("\\.")[0]);
  }

  @Test
  void instantaneousFiguresAndCountersFollowTheTraffic() {
    try (RespConnection c = RespConnection.open(node.port())) {
      long reads = stat(c, "total_reads_processed");
      long writes = stat(c, "total_writes_processed");
      Await.until("instantaneous_ops_per_sec and instantaneous_input_kbps rise under load", TIMEOUT, () -> {
        for (int i = 0; i < 200; i++) c.call("set", "k", "v".repeat(100));
        // Well above what the polling INFO alone makes (one command per 20 ms poll: about 50 a second).
        return stat(c, "instantaneous_ops_per_sec") > BUSY && !c.infoField("stats", "instantaneous_input_kbps")
            .equals("0.00");
      });
      assertTrue(stat(c, "total_reads_processed") >= reads + 200);
      assertTrue(stat(c, "total_writes_processed") >= writes + 200);
      assertEquals("", c.infoField("server", "gcc_version"), "not a C program: left out");
      Await.until("instantaneous_ops_per_sec falls back once idle", TIMEOUT,
          () -> stat(c, "instantaneous_ops_per_sec") < BUSY);
    }
  }

  @Test
  void clientListShowsEachSocketsDescriptorAndItsQueryBuffer() {
    try (RespConnection a = RespConnection.open(node.port()); RespConnection b = RespConnection.open(node.port())) {
      // A socket just accepted may be missing from /proc for a moment; it is looked for again at each CLIENT LIST.
      Pattern fd = Pattern.compile(" fd=(\\d+) ");
      Await.until("both connections show a descriptor", Duration.ofSeconds(10),
          () -> fd.matcher(a.call("client", "list").text()).results().count() == 2);
      String list = a.call("client", "list").text();
      Matcher fds = fd.matcher(list);
      assertTrue(fds.find(), list);
      String first = fds.group(1);
      assertTrue(fds.find(), list);
      assertNotEquals(first, fds.group(1), "two connections, two descriptors");
      Matcher own = Pattern.compile("qbuf=26 qbuf-free=(\\d+) .*tot-mem=(\\d+) ").matcher(a.call("client", "info").text());
      assertTrue(own.find());
      assertTrue(Long.parseLong(own.group(2)) >= 26 + Long.parseLong(own.group(1)), "tot-mem counts the query buffer");
      // Each client's reply buffer counts in its tot-mem and in INFO's mem_clients_normal, as in Redis.
      Matcher rbs = Pattern.compile(" rbs=(\\d+) .*tot-mem=(\\d+) ").matcher(a.call("client", "info").text());
      assertTrue(rbs.find());
      long replyBuffer = Long.parseLong(rbs.group(1));
      assertTrue(replyBuffer > 0 && Long.parseLong(rbs.group(2)) >= replyBuffer);
      assertTrue(Long.parseLong(a.infoField("memory", "mem_clients_normal")) >= 2 * replyBuffer, "two clients");
      assertEquals("0", a.infoField("memory", "mem_clients_slaves"), "no replica");
    }
  }
}
