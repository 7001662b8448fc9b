package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.FreePorts;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.keyspace.Keyspace;
import org.akkaredis.keyspace.Slots;
import org.junit.jupiter.api.Test;

/** The Prometheus endpoint: scraped over HTTP, its figures are INFO's and move with what the node does. */
class MetricsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /** One scrape: the text and its samples, by name with labels as written ({@code redis_db_keys{db="db0"}}). */
  private record Scrape(int status, String contentType, String text, Map<String, Double> samples) {
    double value(String sample) {
      Double value = samples.get(sample);
      if (value == null) throw new AssertionError("no sample " + sample + " in the scrape:\n" + text);
      return value;
    }
  }

  private static Scrape scrape(int port, String path) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
      Map<String, Double> samples = new LinkedHashMap<>();
      for (String line : response.body().split("\n")) {
        if (response.statusCode() != 200 || line.isEmpty() || line.startsWith("#")) continue;
        int space = line.lastIndexOf(' ');
        samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
      return new Scrape(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
          response.body(), samples);
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static long info(RespConnection c, String section, String field) {
    return Long.parseLong(c.infoField(section, field));
  }

  @Test
  void aScrapeShowsInfosFiguresUnderRedisExportersNamesAndTheJvms() {
    int metricsPort = FreePorts.next();
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of("metrics-port", Integer.toString(metricsPort),
        "appendonly", "yes", "appendfsync", "always")).join(); RespConnection c = RespConnection.open(node.port())) {
      assertEquals(metricsPort, node.node().metricsPort());
      for (int i = 0; i < 10; i++) c.call("SET", "key" + i, "value", "EX", "1000");
      c.call("GET", "key1");
      c.call("GET", "missing");
      c.call("INCR", "key2"); // an error: not an integer

      Scrape first = scrape(metricsPort, "/metrics");
      assertEquals(200, first.status());
      assertTrue(first.contentType().startsWith("text/plain"), first.contentType());
      for (String name : List.of("redis_uptime_in_seconds", "redis_memory_used_bytes", "redis_memory_max_bytes",
          "redis_blocked_clients", "redis_connections_received_total", "redis_expired_keys_total",
          "redis_evicted_keys_total", "redis_net_input_bytes_total", "redis_net_output_bytes_total",
          "redis_instantaneous_ops_per_sec", "redis_connected_slaves", "redis_master_repl_offset",
          "redis_aof_enabled", "redis_rdb_changes_since_last_save", "redis_cluster_enabled",
          "jvm_threads_live_threads")) {
        first.value(name);
      }
      assertTrue(first.text().contains("jvm_memory_used_bytes{area=\"heap\""), "JVM heap");
      assertTrue(first.text().contains("# TYPE jvm_gc_"), "JVM GC");
      assertEquals(1, first.value("redis_up"));
      assertEquals(1, first.value("redis_connected_clients"));
      assertTrue(first.value("redis_memory_used_bytes") > 0);
      assertEquals(10, first.value("redis_db_keys{db=\"db0\"}"));
      assertEquals(10, first.value("redis_db_keys_expiring{db=\"db0\"}"));
      assertEquals(1, first.value("redis_keyspace_hits_total"));
      assertEquals(1, first.value("redis_keyspace_misses_total"));
      assertEquals(1, first.value("redis_errors_total{err=\"ERR\"}"));
      assertTrue(first.value("redis_rdb_changes_since_last_save") >= 10);
      assertTrue(first.text().contains("redis_instance_info{") && first.text().contains("redis_mode=\"standalone\""));

      // The same figures as INFO's: the scrape does not count as a command; INFO, read right after it, counts
      // the 13 commands and itself.
      assertEquals(13, first.value("redis_commands_processed_total"));
      assertEquals(info(c, "stats", "total_commands_processed"), first.value("redis_commands_processed_total") + 1);
      String setStats = c.infoField("commandstats", "cmdstat_set");
      assertEquals(Double.parseDouble(setStats.replaceAll("calls=(\\d+),.*", "$1")),
          first.value("redis_commands_total{cmd=\"set\"}"));
      assertEquals(10, first.value("redis_commands_total{cmd=\"set\"}"));
      assertTrue(first.value("redis_commands_duration_seconds_total{cmd=\"set\"}") > 0);
      assertEquals(1, first.value("redis_commands_failed_calls_total{cmd=\"incr\"}"));

      // They move: five more writes, and the next scrape shows exactly them.
      for (int i = 0; i < 5; i++) c.call("SET", "more" + i, "v");
      Scrape second = scrape(metricsPort, "/metrics");
      assertEquals(15, second.value("redis_commands_total{cmd=\"set\"}"));
      assertEquals(15, second.value("redis_db_keys{db=\"db0\"}"));
      assertEquals(first.value("redis_commands_processed_total") + 2 + 5,
          second.value("redis_commands_processed_total"), "the two INFOs and five SETs between the scrapes");
      assertTrue(second.value("redis_net_input_bytes_total") > first.value("redis_net_input_bytes_total"));

      // What only the node knows: every range's mailbox (all answered: empty), its run times, the AOF's fsyncs.
      double runs = 0;
      int perRange = Slots.COUNT / Keyspace.rangeCount(ConfigFactory.load()); // the node's ranges: the default
      for (int slot = 0; slot < Slots.COUNT; slot += perRange) {
        String range = "{range=\"" + slot + "-" + (slot + perRange - 1) + "\"}";
        assertEquals(0, second.value("redis_range_mailbox_depth" + range));
        runs += second.value("redis_range_run_seconds_count" + range);
        assertTrue(second.text().contains("redis_range_run_seconds_bucket{range=\"" + slot + "-" + (slot + perRange - 1)
            + "\",le=\"0.001\"}"), "fixed buckets");
      }
      assertTrue(runs >= 15, "the SETs ran at their ranges: " + runs);
      assertTrue(second.value("redis_aof_fsync_seconds_count{file=\"incr\"}") >= 15, "appendfsync always");

      assertEquals(404, scrape(metricsPort, "/other").status());
    }
  }

  @Test
  void aClusterNodeShowsClusterInfosFigures() {
    int metricsPort = FreePorts.next();
    try (NodeFixture node = NodeFixture.startAsync(true, Map.of("metrics-port", Integer.toString(metricsPort)))
        .join(); RespConnection c = RespConnection.open(node.port())) {
      Scrape before = scrape(metricsPort, "/metrics");
      assertEquals(1, before.value("redis_cluster_enabled"));
      assertEquals(0, before.value("redis_cluster_state"));
      assertEquals(0, before.value("redis_cluster_slots_assigned"));
      assertEquals("OK", c.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383").text());
      Await.until("cluster_state ok in the scrape", TIMEOUT,
          () -> scrape(metricsPort, "/metrics").value("redis_cluster_state") == 1);
      Scrape after = scrape(metricsPort, "/metrics");
      assertEquals(16384, after.value("redis_cluster_slots_assigned"));
      assertEquals(16384, after.value("redis_cluster_slots_ok"));
      assertEquals(0, after.value("redis_cluster_slots_pfail"));
      assertEquals(0, after.value("redis_cluster_slots_fail"));
      assertEquals(1, after.value("redis_cluster_known_nodes"));
      assertEquals(1, after.value("redis_cluster_size"));
      assertTrue(after.text().contains("redis_instance_info{") && after.text().contains("redis_mode=\"cluster\""));
    }
  }

  @Test
  void metricsPortZeroOpensNothing() throws IOException {
    Set<Integer> before = listeningPorts();
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of()).join()) {
      assertEquals(0, node.node().metricsPort());
      Set<Integer> opened = listeningPorts();
      opened.removeAll(before);
      assertEquals(Set.of(node.port()), opened, "only the client port listens");
    }
  }

  /** The TCP ports this process listens on: its sockets' inodes among /proc/net/tcp{,6}'s LISTEN entries. */
  private static Set<Integer> listeningPorts() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    Set<Integer> ports = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path path = Path.of(table);
      if (!Files.exists(path)) continue;
      for (String line : Files.readAllLines(path).subList(1, Files.readAllLines(path).size())) {
        String[] fields = line.trim().split("\\s+");
        // local_address is field 1 (HEX_IP:HEX_PORT), st field 3 (0A: LISTEN), inode field 9
        if (fields[3].equals("0A") && inodes.contains(fields[9])) {
          String local = fields[1];
          ports.add(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
        }
      }
    }
    return ports;
  }
}
