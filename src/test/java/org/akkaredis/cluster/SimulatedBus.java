package org.akkaredis.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.akkaredis.config.Settings;

/**
 * Several {@link ClusterState}s wired by a bus of plain method calls, with a clock the test moves: Redis
 * Cluster's protocol without actors or sockets. Messages between cut nodes are lost.
 */
final class SimulatedBus {
  static final long START = 1_000_000;
  final Settings settings = Settings.defaults();
  final Map<String, ClusterState> byAddress = new LinkedHashMap<>();
  private final Set<String> cut = new HashSet<>();
  private final Random random;
  private final long seed;
  /** What each node logged, and the last write pause it asked for (a manual failover's master). */
  final Map<ClusterState, List<String>> logs = new HashMap<>();
  final Map<ClusterState, Long> pausedUntil = new HashMap<>();
  long now = START;

  SimulatedBus(long nodeTimeoutMs) {
    this(nodeTimeoutMs, 42);
  }

  /** {@code seed} decides the node ids and every random choice of the nodes. */
  SimulatedBus(long nodeTimeoutMs, long seed) {
    this.seed = seed;
    this.random = new Random(seed);
    settings.set(List.of("cluster-node-timeout", Long.toString(nodeTimeoutMs)));
  }

  ClusterState node(int port) {
    ClusterState state = new ClusterState(ClusterState.randomId(random), port, port + 10000, "127.0.0.1",
        settings, new Random(port + 31 * (seed - 42)), now);
    byAddress.put("127.0.0.1 " + (port + 10000), state);
    return state;
  }

  /** Nodes of 3 masters (0-5460, 5461-10922, 10923-16383, epochs 1-3), all met with the first. */
  List<ClusterState> threeMasters() {
    List<ClusterState> masters = List.of(node(7001), node(7002), node(7003));
    int[][] ranges = {{0, 5460}, {5461, 10922}, {10923, 16383}};
    for (int i = 0; i < 3; i++) {
      masters.get(i).addSlots(java.util.stream.IntStream.rangeClosed(ranges[i][0], ranges[i][1]).toArray());
      masters.get(i).setConfigEpoch(i + 1);
    }
    meetAll(masters);
    return masters;
  }

  void meetAll(List<ClusterState> nodes) {
    for (ClusterState node : nodes.subList(1, nodes.size())) node.meet("127.0.0.1", 7001, 17001, now);
  }

  /** Loses every message between {@code a} and {@code b}, both ways. */
  void cut(ClusterState a, ClusterState b) {
    cut.add(a.myself().id() + b.myself().id());
    cut.add(b.myself().id() + a.myself().id());
  }

  void isolate(ClusterState node) {
    for (ClusterState other : byAddress.values()) if (other != node) cut(node, other);
  }

  void heal() {
    cut.clear();
  }

  /** Delivers until no node has anything more to send. */
  void deliver() {
    for (int round = 0; round < 100; round++) {
      boolean any = false;
      for (ClusterState from : new ArrayList<>(byAddress.values())) {
        List<ClusterState.Outgoing> outgoing = new ArrayList<>(from.effects().outgoing);
        logs.computeIfAbsent(from, k -> new ArrayList<>()).addAll(from.effects().log);
        if (from.effects().pauseWritesUntil >= 0) pausedUntil.put(from, from.effects().pauseWritesUntil);
        from.effects().clear();
        for (ClusterState.Outgoing out : outgoing) {
          any = true;
          ClusterState to = byAddress.get(out.host() + " " + out.cport());
          if (to == null || cut.contains(from.myself().id() + to.myself().id())) continue;
          to.receive(out.message(), now);
        }
      }
      if (!any) return;
    }
    throw new AssertionError("the nodes never stop talking");
  }

  /** What {@code node} has logged so far. */
  List<String> log(ClusterState node) {
    deliver();
    return logs.getOrDefault(node, List.of());
  }

  boolean logged(ClusterState node, String prefix) {
    return log(node).stream().anyMatch(line -> line.startsWith(prefix));
  }

  /** Runs cron periods until {@code condition} holds; fails after {@code maxMs}. Returns the time it took. */
  long runUntil(String what, long maxMs, java.util.function.BooleanSupplier condition) {
    long start = now;
    deliver();
    while (!condition.getAsBoolean()) {
      if (now - start >= maxMs) throw new AssertionError("not within " + maxMs + " ms: " + what);
      run(ClusterState.CRON_PERIOD_MS);
    }
    return now - start;
  }

  /** Moves the clock by {@code ms} in cron periods, running every node's cron and delivering. */
  void run(long ms) {
    deliver();
    for (long t = 0; t < ms; t += ClusterState.CRON_PERIOD_MS) {
      now += ClusterState.CRON_PERIOD_MS;
      for (ClusterState state : byAddress.values()) state.cron(now);
      deliver();
    }
  }
}
