package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.LocalCluster;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A replica whose link to its master is down, with replica-serve-stale-data no and yes, side by side with
 * redis-server: the node a cluster replica whose master was shut down, redis-server a replica of a port nothing
 * listens on. MASTERDOWN for commands not flagged stale, scripts without allow-stale refused, an allow-stale script's
 * redis.call of a command not flagged stale refused, READONLY for a script that may write; each reply compared
 * whole, then INFO errorstats and commandstats' counts. Keyless commands only, so that the cluster's routing (which
 * comes first in both) plays no part.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScriptStaleReplicaDifferentialTest {
  private static LocalCluster cluster;
  private static RedisServerFixture redis;

  private static final String LIBRARY = "#!lua name=stale\n"
      + "redis.register_function{function_name='fstale', callback=function() return redis.call('echo', 'e') end, "
      + "flags={'allow-stale', 'no-writes'}}\n"
      + "redis.register_function{function_name='fping', callback=function() return redis.call('ping') end, "
      + "flags={'no-writes'}}\n";

  @BeforeAll
  static void start() {
    redis = RedisServerFixture.start(false, Map.of());
    try (RespConnection c = redis.connect()) {
      c.call("FUNCTION", "LOAD", LIBRARY);
      c.call("REPLICAOF", "127.0.0.1", "1");
    }
    cluster = LocalCluster.start(2, 5000);
    cluster.create(1);
    Await.until("the replica in sync", Duration.ofSeconds(30),
        () -> linkStatus().equals("up"));
    cluster.member(0).call("FUNCTION", "LOAD", LIBRARY);
    Await.until("the library on the replica", Duration.ofSeconds(30),
        () -> {
          try (RespConnection c = RespConnection.open(cluster.member(1).port)) {
            return c.call("FUNCTION", "LIST").toString().contains("fstale");
          }
        });
    try (RespConnection c = RespConnection.open(cluster.member(1).port)) {
      c.call("CONFIG", "SET", "replica-serve-stale-data", "no");
      // The link up: nothing is stale.
      assertEquals("PONG", c.call("PING").text());
    }
    cluster.member(0).crash();
    Await.until("the replica's link down", Duration.ofSeconds(30),
        () -> linkStatus().equals("down"));
  }

  private static String linkStatus() {
    return cluster.member(1).call("INFO", "replication").lines().filter(line -> line.startsWith("master_link_status:"))
        .map(line -> line.substring("master_link_status:".length())).findFirst().orElse("");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
    if (redis != null) redis.close();
  }
  private static final String[][] COMMANDS = {
      {"PING"},
      {"ECHO", "a"},
      {"CONFIG", "GET", "maxmemory"},
      {"MULTI"}, {"ECHO", "b"}, {"EXEC"},
      {"MULTI"}, {"ECHO", "b"}, {"PING"}, {"EXEC"},
      {"EVAL", "return 1", "0"},
      {"EVAL", "return redis.call('ping')", "0"},
      {"EVAL_RO", "return redis.call('echo', 'x')", "0"},
      {"EVAL", "#!lua flags=no-writes\nreturn 1", "0"},
      {"EVAL", "#!lua flags=allow-stale,no-writes\nreturn 1", "0"},
      {"EVAL", "#!lua flags=allow-stale,no-writes\nreturn redis.call('ping')", "0"},
      {"EVAL", "#!lua flags=allow-stale,no-writes\nreturn redis.pcall('dbsize')", "0"},
      {"EVAL", "#!lua flags=allow-stale,no-writes\nreturn redis.call('echo', 'foobar')", "0"},
      {"EVAL", "#!lua flags=allow-stale,no-writes\nreturn redis.call('nosuch', 'x')", "0"},
      {"EVAL", "#!lua flags=allow-stale\nreturn redis.call('flushall')", "0"},
      {"EVAL", "#!lua\nreturn 1", "0"},
      {"FCALL", "fstale", "0"},
      {"FCALL", "fping", "0"},
  };

  private static List<String> run(int port, String serveStale) {
    List<String> out = new ArrayList<>();
    try (RespConnection c = RespConnection.open(port)) {
      c.call("CONFIG", "SET", "replica-serve-stale-data", serveStale);
      c.call("CONFIG", "RESETSTAT");
      for (String[] command : COMMANDS) out.add(String.join(" ", command) + " -> " + c.call(command));
      // Commands come in no fixed order in INFO commandstats.
      List<String> counts = new ArrayList<>();
      out.add("total_error_replies:" + c.infoField("stats", "total_error_replies"));
      for (String line : c.call("INFO", "errorstats").text().split("\r\n")) {
        if (line.startsWith("errorstat_")) counts.add(line);
      }
      for (String line : c.call("INFO", "commandstats").text().split("\r\n")) {
        if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_config|") && !line.startsWith("cmdstat_info:")
) {
          counts.add(line.replaceAll("usec=[0-9]+,usec_per_call=[0-9.]+,", ""));
        }
      }
      counts.sort(null);
      out.addAll(counts);
    }
    return out;
  }

  @Test
  @Order(1)
  void servingNoStaleData() {
    assertEquals(run(redis.port(), "no"), run(cluster.member(1).port, "no"));
  }

  @Test
  @Order(2)
  void servingStaleData() {
    assertEquals(run(redis.port(), "yes"), run(cluster.member(1).port, "yes"));
  }
}
