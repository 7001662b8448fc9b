package org.akkaredis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.akkaredis.config.Settings;
import org.junit.jupiter.api.Test;

/**
 * cluster-announce-port, -bus-port, -hostname and cluster-preferred-endpoint-type: what other nodes learn of a node
 * and how redirects name it, in the forms of Redis 7.0.15 (checked against redis-server in cluster mode).
 */
class AnnounceTest {
  private final SimulatedBus bus = new SimulatedBus(1000);
  /** Node a's own settings: it announces client port 27001 and a hostname; its bus is announced as 37001. */
  private final Settings aSettings = Settings.defaults();
  private final Settings bSettings = Settings.defaults();
  private final ClusterState a;
  private final ClusterState b;

  AnnounceTest() {
    aSettings.set(List.of("cluster-node-timeout", "1000", "cluster-announce-port", "27001",
        "cluster-announce-hostname", "a.example"));
    bSettings.set(List.of("cluster-node-timeout", "1000"));
    a = node(7001, 37001, aSettings);
    b = node(7002, 17002, bSettings);
    a.addSlots(IntStream.rangeClosed(0, 8191).toArray());
    b.addSlots(IntStream.rangeClosed(8192, 16383).toArray());
    b.meet("127.0.0.1", 27001, 37001, bus.now);
    bus.runUntil("a and b agree", 5000, () -> a.ok() && b.ok());
  }

  private ClusterState node(int port, int busPort, Settings settings) {
    ClusterState state = new ClusterState(ClusterState.randomId(new Random(-port)), port, busPort, "127.0.0.1",
        settings, new Random(port), bus.now);
    bus.byAddress.put("127.0.0.1 " + busPort, state);
    return state;
  }

  private static String lineOf(ClusterState viewer, ClusterState node) {
    return viewer.nodesText().lines().filter(line -> line.startsWith(node.myself().id())).findFirst().orElseThrow();
  }

  @Test
  void theAnnouncedAddressIsWhatOthersSeeAndRedirectTo() {
    assertTrue(lineOf(a, a).contains(" 127.0.0.1:27001@37001,a.example myself,master "), lineOf(a, a));
    assertTrue(lineOf(b, a).contains(" 127.0.0.1:27001@37001,a.example master "), lineOf(b, a));
    assertTrue(lineOf(a, b).contains(" 127.0.0.1:7002@17002 master "), "no hostname, no comma: " + lineOf(a, b));
    assertEquals("MOVED 0 127.0.0.1:27001", b.routing().refusal(0, false, false));
    assertEquals("MOVED 8192 127.0.0.1:7002", a.routing().refusal(8192, false, false));
  }

  @Test
  void preferredEndpointTypeNamesNodesByHostnameOrByNothing() {
    bSettings.set(List.of("cluster-preferred-endpoint-type", "hostname"));
    aSettings.set(List.of("cluster-preferred-endpoint-type", "hostname"));
    bus.run(ClusterState.CRON_PERIOD_MS);
    assertEquals("MOVED 0 a.example:27001", b.routing().refusal(0, false, false));
    assertEquals("MOVED 8192 ?:7002", a.routing().refusal(8192, false, false), "b announces no hostname");
    bSettings.set(List.of("cluster-preferred-endpoint-type", "unknown-endpoint"));
    bus.run(ClusterState.CRON_PERIOD_MS);
    assertEquals("MOVED 0 :27001", b.routing().refusal(0, false, false));
    assertEquals("unknown-endpoint", b.preferredEndpointType());
    assertEquals("", a.node(a.myself().id()).preferredEndpoint("unknown-endpoint"));
  }

  @Test
  void settingThemAtRunTimeIsAnnouncedFromTheNextPing() {
    aSettings.set(List.of("cluster-announce-hostname", "", "cluster-announce-port", "27101"));
    bSettings.set(List.of("cluster-announce-hostname", "b.example"));
    bus.runUntil("b sees a's new port", 3000, () -> lineOf(b, a).contains(" 127.0.0.1:27101@37001 master "));
    bus.runUntil("a sees b's hostname", 3000, () -> lineOf(a, b).contains(" 127.0.0.1:7002@17002,b.example "));
    assertEquals("MOVED 0 127.0.0.1:27101", b.routing().refusal(0, false, false));
  }

  @Test
  void nodesConfKeepsHostnamesAndTheAnnouncedPortsWin() {
    String saved = NodesConf.format(b);
    assertTrue(saved.contains(" 127.0.0.1:27001@37001,a.example master "), saved);
    ClusterState loaded = NodesConf.parse(saved, 7002, 17002, "127.0.0.1", bSettings, new Random(1), bus.now);
    assertEquals("a.example", loaded.node(a.myself().id()).hostname());
    // Its own line is remade from its settings as they are now, as Redis's clusterUpdateMyselfAnnouncedPorts.
    bSettings.set(List.of("cluster-announce-port", "27002", "cluster-announce-hostname", "b.example"));
    ClusterState reloaded = NodesConf.parse(saved, 7002, 17002, "127.0.0.1", bSettings, new Random(1), bus.now);
    assertTrue(lineOf(reloaded, b).contains(":27002@17002,b.example myself,master "), lineOf(reloaded, b));
  }
}
