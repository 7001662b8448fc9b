package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.akkaredis.RedisNode;
import org.akkaredis.config.Settings;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.FreePorts;
import org.akkaredis.it.support.Processes;
import org.akkaredis.it.support.TempDirs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three masters reached only through port forwarders, as containers behind published ports: each node announces
 * the forwarded client and bus ports (cluster-announce-port, cluster-announce-bus-port) and a hostname (one that
 * resolves: Lettuce, as with Redis, connects to the hostname CLUSTER NODES shows when there is one). redis-cli
 * --cluster create, redis-cli -c and Lettuce's cluster client then work through the announced ports alone.
 */
class AnnouncedAddressTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final List<RedisNode> nodes = new ArrayList<>();
  private static final List<Forwarder> forwarders = new ArrayList<>();
  private static final List<Path> dirs = new ArrayList<>();
  private static final int[] announced = new int[3];

  /** Accepts on a free port and copies bytes both ways to {@code target}; one thread per direction. */
  private static final class Forwarder implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final List<Socket> sockets = new ArrayList<>();

    Forwarder(int target) throws IOException {
      Thread accept = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            Socket in = server.accept();
            Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
            synchronized (sockets) {
              sockets.add(in);
              sockets.add(out);
            }
            copy(in, out);
            copy(out, in);
          } catch (IOException e) {
            // closed, or the target is not up yet: the client sees its connection closed and retries
          }
        }
      }, "forwarder-" + target);
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private static void copy(Socket from, Socket to) {
      Thread copier = new Thread(() -> {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
          in.transferTo(out);
        } catch (IOException e) {
          // one side closed: close both below
        }
        closeQuietly(from);
        closeQuietly(to);
      });
      copier.setDaemon(true);
      copier.start();
    }

    @Override
    public void close() {
      closeQuietly(server);
      synchronized (sockets) {
        sockets.forEach(Forwarder::closeQuietly);
      }
    }

    private static void closeQuietly(AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // already closed
      }
    }
  }

  @BeforeAll
  static void startBehindForwarders() throws Exception {
    for (int i = 0; i < 3; i++) {
      int port = FreePorts.next();
      int cport = FreePorts.next();
      Forwarder client = new Forwarder(port);
      Forwarder bus = new Forwarder(cport);
      forwarders.add(client);
      forwarders.add(bus);
      announced[i] = client.port();
      Path dir = TempDirs.create("akka-redis-announce-");
      dirs.add(dir);
      nodes.add(RedisNode.start(Settings.defaults().withOverrides(pairs(
          "port", "" + port, "cluster-port", "" + cport, "bind", "127.0.0.1", "dir", dir.toString(),
          "cluster-enabled", "yes", "cluster-node-timeout", "2000", "save", "", "loglevel", "warning",
          "cluster-announce-port", "" + client.port(), "cluster-announce-bus-port", "" + bus.port(),
          "cluster-announce-hostname", "localhost"))).toCompletableFuture().get(30, TimeUnit.SECONDS));
    }
    Processes.Result created = cli("--cluster", "create",
        "127.0.0.1:" + announced[0], "127.0.0.1:" + announced[1], "127.0.0.1:" + announced[2], "--cluster-yes");
    assertEquals(0, created.exitCode(), created.describe());
    Await.until("cluster_state:ok everywhere", TIMEOUT, () -> {
      for (int port : announced) {
        Processes.Result info = cli("-p", "" + port, "cluster", "info");
        if (!info.stdout().contains("cluster_state:ok")) return false;
      }
      return true;
    });
  }

  private static Map<String, String> pairs(String... namesAndValues) {
    Map<String, String> map = new java.util.HashMap<>();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) map.put(namesAndValues[i], namesAndValues[i + 1]);
    return map;
  }

  private static Processes.Result cli(String... args) {
    return Processes.run(TIMEOUT, Processes.redisCli(args).toArray(new String[0]));
  }

  @AfterAll
  static void stop() throws Exception {
    for (RedisNode node : nodes) node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    forwarders.forEach(Forwarder::close);
    dirs.forEach(TempDirs::delete);
  }

  @Test
  void clusterNodesShowsTheAnnouncedPortsAndHostnames() {
    String text = cli("-p", "" + announced[1], "cluster", "nodes").stdout();
    for (int i = 0; i < 3; i++) {
      assertTrue(text.contains(" 127.0.0.1:" + announced[i] + "@"), text);
      assertTrue(text.matches("(?s).* 127\\.0\\.0\\.1:" + announced[i] + "@\\d+,localhost .*"), text);
    }
  }

  @Test
  void redisCliAndLettuceFollowTheAnnouncedAddresses() {
    for (int k = 0; k < 20; k++) {
      Processes.Result set = cli("-c", "-p", "" + announced[0], "set", "key" + k, "v" + k);
      assertEquals("OK", set.stdout().trim(), set.describe());
    }
    RedisClusterClient client = RedisClusterClient.create(RedisURI.create("127.0.0.1", announced[2]));
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      for (int k = 0; k < 20; k++) assertEquals("v" + k, connection.sync().get("key" + k));
      List<Integer> seen = connection.getPartitions().getPartitions().stream()
          .map(p -> p.getUri().getPort()).sorted().toList();
      assertEquals(List.of(announced[0], announced[1], announced[2]).stream().sorted().toList(), seen);
    } finally {
      client.shutdown();
    }
  }
}
