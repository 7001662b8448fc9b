package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.junit.jupiter.api.Test;

/**
 * INFO commandstats counts a command once it has run, as Redis's call() does after the command's proc: the same
 * sequence against redis-server 7.0 and the node gives the same sections (run times masked), whether a command
 * lists itself, a pipeline's earlier commands, CONFIG RESETSTAT's own call, rejected and failed calls, and a
 * blocked BLPOP (redis-server 7.0 counts it as it blocks, and not again when it is served).
 */
class CommandStatsRedisTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** The commandstats seen at each step of the sequence on one server, usec figures masked. */
  private static List<String> sequence(int port) {
    List<String> seen = new ArrayList<>();
    try (RespConnection c = RespConnection.open(port); RespConnection waiter = RespConnection.open(port);
        RespConnection observer = RespConnection.open(port)) {
      assertEquals("OK", c.call("CONFIG", "RESETSTAT").text());
      seen.add(stats(c));
      seen.add(stats(c));
      c.send("SET", "k", "v");
      c.send("INFO", "commandstats");
      assertEquals("OK", c.read().text());
      seen.add(masked(c.read().text()));
      c.call("GET");
      c.call("LPUSH", "k", "x");
      seen.add(stats(c));
      waiter.send("BLPOP", "list", "0");
      Await.until("the BLPOP blocks", TIMEOUT, () -> observer.call("CLIENT", "LIST").text().contains("flags=b "));
      seen.add(stats(c));
      c.call("RPUSH", "list", "a");
      assertEquals("a", waiter.read().get(1).text());
      seen.add(stats(c));
    }
    return seen;
  }

  private static String stats(RespConnection c) {
    return masked(c.call("INFO", "commandstats").text());
  }

  /**
   * The section's lines in order (Redis lists them in its dict's order), run times masked, without the observer's
   * CLIENT LIST polls (their count depends on timing).
   */
  private static String masked(String section) {
    return section.lines().filter(line -> !line.startsWith("cmdstat_client|list:")).sorted()
        .map(line -> line.replaceAll("usec=\\d+,usec_per_call=[0-9.]+", "usec=_,usec_per_call=_"))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  @Test
  void commandstatsCountACommandAfterItRanAsRedisServerDoes() {
    List<String> redis;
    try (RedisServerFixture server = RedisServerFixture.standalone()) {
      redis = sequence(server.port());
    }
    List<String> node;
    try (NodeFixture fixture = NodeFixture.startAsync(false, Map.of()).join()) {
      node = sequence(fixture.port());
    }
    assertEquals(redis, node);
    // The first INFO after the reset does not list itself.
    assertEquals("# Commandstats\n"
        + "cmdstat_config|resetstat:calls=1,usec=_,usec_per_call=_,rejected_calls=0,failed_calls=0", redis.get(0));
  }
}
