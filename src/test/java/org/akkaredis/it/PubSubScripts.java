package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Pub/Sub scripts run on a node and a real redis-server 7.0 side by side, over raw sockets: connections opened in
 * pairs, the same bytes sent on both, every frame read back compared byte for byte. In cluster mode each server is a
 * one-node cluster that serves every slot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PubSubScripts {
  private final boolean cluster;
  Servers.NodeAndRedis servers;
  /** Connection i of the node and connection i of redis-server, opened in pairs. */
  final List<RespConnection> node = new ArrayList<>();
  final List<RespConnection> redis = new ArrayList<>();

  PubSubScripts(boolean cluster) {
    this.cluster = cluster;
  }

  @BeforeAll
  void start() {
    servers = Servers.nodeAndRedisServingAllSlots(cluster, Map.of());
  }

  @AfterAll
  void stop() {
    if (servers != null) servers.close();
  }

  @AfterEach
  void closeConnections() {
    node.forEach(RespConnection::close);
    redis.forEach(RespConnection::close);
    node.clear();
    redis.clear();
    // A closed connection's subscriptions end once the server has seen it close: the next test starts without.
    for (int port : new int[] {servers.node().port(), servers.redis().port()}) {
      try (RespConnection c = RespConnection.open(port)) {
        Await.until("the closed connections' subscriptions gone", Duration.ofSeconds(10),
            () -> c.call("PUBSUB", "NUMPAT").integer() == 0 && c.call("PUBSUB", "CHANNELS").elements().isEmpty()
                && c.call("PUBSUB", "SHARDCHANNELS").elements().isEmpty());
      }
    }
  }

  /** Opens a pair of connections; returns its index. */
  int open() {
    node.add(RespConnection.open(servers.node().port()));
    redis.add(RespConnection.open(servers.redis().port()));
    return node.size() - 1;
  }

  /** Sends a command on both connections of pair {@code c}, reading nothing (its replies are read later, or none). */
  void send(int c, String... args) {
    node.get(c).send(args);
    redis.get(c).send(args);
  }

  void send(int c, byte[]... args) {
    node.get(c).send(args);
    redis.get(c).send(args);
  }

  /** Runs a command on both connections of pair {@code c} whose replies are not compared (HELLO's differ). */
  void callBoth(int c, String... args) {
    node.get(c).call(args);
    redis.get(c).call(args);
  }

  /** Sends a command on pair {@code c} and compares the {@code frames} frames it then reads on that pair. */
  void run(int c, int frames, String... args) {
    send(c, args);
    expect(c, frames, String.join(" ", args));
  }

  /** Reads {@code frames} frames on pair {@code c} from both servers and compares them byte for byte. */
  void expect(int c, int frames, String after) {
    for (int i = 0; i < frames; i++) {
      RespReply expected = redis.get(c).read();
      RespReply actual = node.get(c).read();
      assertEquals(text(expected), text(actual), "frame " + (i + 1) + " of " + frames + " on connection " + c
          + " after " + after);
    }
  }

  /** Sends raw bytes (several commands in one write) on pair {@code c}, then compares {@code frames} frames. */
  void pipeline(int c, int frames, String raw) {
    node.get(c).sendRaw(raw);
    redis.get(c).sendRaw(raw);
    expect(c, frames, raw);
  }

  static String text(RespReply reply) {
    return new String(reply.raw(), StandardCharsets.ISO_8859_1);
  }
}
