package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.akkaredis.it.support.Processes;
import org.akkaredis.it.support.Processes.Result;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Debian's redis-cli 7.0 as a subprocess against the node: one-shot commands, -c, --pipe and its REPL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisCliTest {
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(30);

  private RedisEndpoint standalone;
  private RedisEndpoint cluster;

  @BeforeAll
  void start() {
    Servers.StandaloneAndCluster servers = Servers.standaloneAndCluster();
    standalone = servers.standalone();
    cluster = servers.cluster();
  }

  @AfterAll
  void stop() {
    if (standalone != null) standalone.close();
    if (cluster != null) cluster.close();
  }

  @Test
  void ping() {
    assertEquals("PONG\n", cli(standalone, "ping"));
  }

  @Test
  void setAndGet() {
    assertEquals("OK\n", cli(standalone, "set", "cli:key", "hello world"));
    assertEquals("hello world\n", cli(standalone, "get", "cli:key"));
    assertEquals("\n", cli(standalone, "get", "cli:missing"), "raw mode prints nil as an empty line");
    assertEquals("(nil)\n", cli(standalone, "--no-raw", "get", "cli:missing"));
    assertEquals("(integer) 1\n", cli(standalone, "--no-raw", "exists", "cli:key"));
    assertEquals("\"1.5\"\n", cli(standalone, "--no-raw", "incrbyfloat", "cli:float", "1.5"));
    assertEquals("(error) ERR wrong number of arguments for 'get' command\n", cli(standalone, "--no-raw", "get"));
  }

  @Test
  void hashesInResp2AndResp3() {
    assertEquals("2\n", cli(standalone, "hset", "cli:hash", "a", "1", "b", "2"));
    assertEquals("1) \"a\"\n2) \"1\"\n3) \"b\"\n4) \"2\"\n", cli(standalone, "--no-raw", "hgetall", "cli:hash"));
    assertEquals("1# \"a\" => \"1\"\n2# \"b\" => \"2\"\n", cli(standalone, "-3", "--no-raw", "hgetall", "cli:hash"),
        "redis-cli -3 sends HELLO 3 and prints the map");
    assertEquals("a 1\nb 2\n", cli(standalone, "-3", "hgetall", "cli:hash"));
  }

  @Test
  void infoContainsClusterEnabled() {
    assertTrue(cli(standalone, "info").contains("cluster_enabled:0\r\n"), "standalone INFO has cluster_enabled:0");
    String clusterInfo = cli(cluster, "info");
    assertTrue(clusterInfo.contains("cluster_enabled:1\r\n"), "cluster INFO has cluster_enabled:1");
    assertTrue(clusterInfo.contains("redis_version:7.0.15\r\n"), clusterInfo);
  }

  @Test
  void clusterInfoWithNoRaw() {
    String info = cli(cluster, "--no-raw", "cluster", "info");
    assertTrue(info.startsWith("cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\n"), info);
    assertTrue(info.contains("cluster_known_nodes:1\r\n"), info);
  }

  @Test
  void clusterModeFollowsSlotsOfManyKeys() {
    for (String key : List.of("foo", "bar", "hello", "{user1000}.following", "06S", "Qi")) {
      assertEquals("OK\n", cli(cluster, "-c", "set", key, "v:" + key));
      assertEquals("v:" + key + "\n", cli(cluster, "-c", "get", key));
    }
    assertEquals("12182\n", cli(cluster, "-c", "cluster", "keyslot", "foo"));
    String nodes = cli(cluster, "-c", "cluster", "nodes");
    assertTrue(nodes.contains("myself,master") && nodes.contains(" 0-16383\n"), nodes);
  }

  @Test
  void pipeModeMassInsertion() {
    StringBuilder protocol = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      protocol.append(new String(RespConnection.encode("SET", "mass:" + i, "value-" + i), StandardCharsets.UTF_8));
    }
    try (RespConnection connection = cluster.connect()) {
      connection.call("FLUSHALL");
    }
    Result pipe = Processes.run(CLI_TIMEOUT, protocol.toString().getBytes(StandardCharsets.UTF_8),
        Processes.redisCli("-p", Integer.toString(cluster.port()), "--pipe"));
    assertEquals(0, pipe.exitCode(), pipe.describe());
    assertTrue(pipe.stdout().contains("errors: 0, replies: 10000"), pipe.describe());
    assertEquals("10000\n", cli(cluster, "dbsize"));
    assertEquals("value-9999\n", cli(cluster, "-c", "get", "mass:9999"));
  }

  @Test
  void interactiveModeReadsCommandsFromStdin() {
    // Without a command on its command line redis-cli starts its REPL, which first sends COMMAND DOCS.
    String commands = "set cli:repl 1\nget cli:repl\nhset cli:repl-hash f v\nhgetall cli:repl-hash\n";
    Result repl = Processes.runWithInput(CLI_TIMEOUT, commands, "redis-cli", "-p", Integer.toString(standalone.port()));
    assertEquals(0, repl.exitCode(), repl.describe());
    assertEquals("OK\n1\n1\nf\nv\n", repl.stdout(), repl.describe());
    assertEquals("", repl.stderr(), repl.describe());
  }

  /** redis-cli against {@code server}; fails unless it exits 0 with nothing on stderr. Returns its stdout. */
  private static String cli(RedisEndpoint server, String... args) {
    String[] command = new String[args.length + 2];
    command[0] = "-p";
    command[1] = Integer.toString(server.port());
    System.arraycopy(args, 0, command, 2, args.length);
    Result result = Processes.run(CLI_TIMEOUT, new byte[0], Processes.redisCli(command));
    assertEquals(0, result.exitCode(), result.describe());
    assertEquals("", result.stderr(), result.describe());
    return result.stdout();
  }
}
