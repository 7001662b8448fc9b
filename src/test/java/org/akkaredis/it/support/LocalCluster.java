package org.akkaredis.it.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.akkaredis.RedisNode;
import org.akkaredis.cluster.bus.BusEndpoint;
import org.akkaredis.cluster.manager.ClusterManager;
import org.akkaredis.config.Settings;

/**
 * Several cluster nodes in this JVM, each its own ActorSystem on real ports with its bus on Akka remoting, set
 * up the way redis-cli --cluster create does it, with a switch for bus faults and abrupt stops.
 */
public final class LocalCluster implements AutoCloseable {
  public static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(30);

  /** One node: its ports and directory stay when it is stopped and started again. */
  public final class Member {
    public final int port = FreePorts.next();
    public final int cport = FreePorts.next();
    public final Path dir = TempDirs.create("akka-redis-cluster-node-");
    private RedisNode node;

    public String call(String... args) {
      try (RespConnection connection = RespConnection.open(port)) {
        return connection.call(args).text();
      }
    }

    public String id() {
      return call("cluster", "myid");
    }

    public String info(String field) {
      return call("cluster", "info").lines().filter(line -> line.startsWith(field + ":"))
          .map(line -> line.substring(field.length() + 1)).findFirst().orElse("");
    }

    /** This member's flags in {@code viewer}'s CLUSTER NODES. */
    public String flagsSeenBy(Member viewer, String id) {
      return viewer.call("cluster", "nodes").lines().filter(line -> line.startsWith(id + " "))
          .map(line -> line.split(" ")[2]).findFirst().orElse("(unknown)");
    }

    /** This member's flags in its own CLUSTER NODES ("myself,master"). */
    public String myFlags() {
      return call("cluster", "nodes").lines().filter(line -> line.contains(" myself,"))
          .map(line -> line.split(" ")[2]).findFirst().orElse("");
    }

    /** This member's line in {@code viewer}'s CLUSTER NODES, or "". */
    public String lineSeenBy(Member viewer, String id) {
      return viewer.call("cluster", "nodes").lines().filter(line -> line.startsWith(id + " ")).findFirst()
          .orElse("");
    }

    public boolean running() {
      return node != null;
    }

    public RedisNode node() {
      return node;
    }

    public void start() {
      start(Map.of());
    }

    /** Starts the node with {@code overrides} over the cluster's settings (appendonly yes, ...). */
    public void start(Map<String, String> overrides) {
      Map<String, String> settings = new HashMap<>(Map.of(
          "port", Integer.toString(port),
          "cluster-port", Integer.toString(cport),
          "bind", "127.0.0.1",
          "dir", dir.toString(),
          "cluster-enabled", "yes",
          "cluster-node-timeout", Long.toString(nodeTimeoutMs),
          "appendonly", "no",
          "save", "",
          "loglevel", "warning",
          "enable-debug-command", "local"));
      settings.putAll(overrides);
      try {
        node = RedisNode.start(Settings.defaults().withOverrides(settings)).toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("node " + port + " did not start", e);
      }
    }

    /** Stops as SIGTERM stops it (the AOF written out first), as the suite's kill_instance does. */
    public void shutdown() {
      await(node.shutdown());
      node = null;
    }

    /** Gone without a word to its peers, as a killed process. */
    public void crash() {
      await(node.crash());
      node = null;
    }

    public void faults(BusEndpoint.Faults faults) {
      node.cluster().tell(new ClusterManager.InjectFaults(faults));
    }
  }

  private final long nodeTimeoutMs;
  private final List<Member> members = new ArrayList<>();

  private LocalCluster(int size, long nodeTimeoutMs) {
    this.nodeTimeoutMs = nodeTimeoutMs;
    for (int i = 0; i < size; i++) members.add(new Member());
    CompletableFuture.allOf(members.stream().map(m -> CompletableFuture.runAsync(m::start))
        .toArray(CompletableFuture[]::new)).join();
  }

  public static LocalCluster start(int size, long nodeTimeoutMs) {
    return new LocalCluster(size, nodeTimeoutMs);
  }

  public List<Member> members() {
    return members;
  }

  public Member member(int index) {
    return members.get(index);
  }

  /**
   * What redis-cli --cluster create does for {@code masters} masters and the rest as their replicas: slots in
   * three even ranges, config epochs 1..n, every node meets the first, then the replicas replicate.
   */
  public void create(int masters) {
    for (int i = 0; i < masters; i++) {
      long first = Math.round(16384.0 * i / masters);
      long last = Math.round(16384.0 * (i + 1) / masters) - 1;
      members.get(i).call("cluster", "addslotsrange", Long.toString(first), Long.toString(last));
    }
    for (int i = 0; i < members.size(); i++) members.get(i).call("cluster", "set-config-epoch", "" + (i + 1));
    Member first = members.get(0);
    for (Member member : members.subList(1, members.size())) {
      member.call("cluster", "meet", "127.0.0.1", "" + first.port, "" + first.cport);
    }
    Await.until("every node knows every node", CONVERGE_TIMEOUT, () -> members.stream()
        .allMatch(m -> m.info("cluster_known_nodes").equals("" + members.size())));
    for (int i = masters; i < members.size(); i++) {
      String master = members.get(i % masters).id();
      Member replica = members.get(i);
      // A node counted in cluster_known_nodes may still be in its handshake, under a random id (Unknown node).
      String[] reply = new String[1];
      Await.until("the replica takes its master", CONVERGE_TIMEOUT,
          () -> (reply[0] = replica.call("cluster", "replicate", master)).equals("OK"), () -> reply[0]);
    }
    awaitAgreement();
  }

  /** Until every running node is ok and all print the same CLUSTER SLOTS and the same roles and slots. */
  public void awaitAgreement() {
    Await.until("every node ok and the same view everywhere", CONVERGE_TIMEOUT, () -> {
      Set<String> views = new HashSet<>();
      for (Member member : running()) {
        if (!member.info("cluster_state").equals("ok")) return false;
        views.add(slotsView(member) + view(member));
      }
      return views.size() == 1;
    }, () -> running().stream().map(m -> m.port + ": " + m.info("cluster_state") + "\n" + view(m) + "\n"
        + slotsText(m).replace("\r\n", " ")).collect(Collectors.joining(", ")));
  }

  /**
   * Makes the first {@code masters} members masters again where a failover replaced them: CLUSTER FAILOVER on
   * each that is a replica now (retried while its master still looks down to it), then agreement.
   */
  public void restoreMasters(int masters) {
    for (Member member : members.subList(0, masters)) {
      if (member.myFlags().contains("master")) continue;
      Await.until(member.port + " accepts CLUSTER FAILOVER", CONVERGE_TIMEOUT,
          () -> member.call("cluster", "failover").equals("OK"));
      Await.until(member.port + " is master again", CONVERGE_TIMEOUT, () -> member.myFlags().contains("master"));
    }
    awaitAgreement();
  }

  /** CLUSTER NODES reduced to what all nodes must agree on: ids, roles, masters, slots. */
  private static String view(Member member) {
    return member.call("cluster", "nodes").lines().map(line -> {
      String[] f = line.split(" ");
      return f[0] + " " + f[2].replace("myself,", "") + " " + f[3] + " "
          + String.join(" ", List.of(f).subList(8, f.length));
    }).sorted().collect(Collectors.joining("\n"));
  }

  /** CLUSTER SLOTS as one comparable string. */
  /**
   * CLUSTER SLOTS as every node must agree on it: each range, its master's address and id, and its replicas' in
   * id order (each node lists a master's replicas in the order it learned them, as Redis does).
   */
  static String slotsView(Member member) {
    try (RespConnection connection = RespConnection.open(member.port)) {
      StringBuilder view = new StringBuilder();
      for (RespReply range : connection.call("cluster", "slots").elements()) {
        List<RespReply> items = range.elements();
        view.append(items.get(0).integer()).append('-').append(items.get(1).integer()).append(' ')
            .append(nodeOf(items.get(2)));
        items.subList(3, items.size()).stream().map(LocalCluster::nodeOf).sorted()
            .forEach(replica -> view.append(' ').append(replica));
        view.append('\n');
      }
      return view.toString();
    }
  }

  private static String nodeOf(RespReply node) {
    return node.get(0).text() + ":" + node.get(1).integer() + "@" + node.get(2).text();
  }

  public static String slotsText(Member member) {
    try (RespConnection connection = RespConnection.open(member.port)) {
      return new String(connection.call("cluster", "slots").raw(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  public List<Member> running() {
    return members.stream().filter(Member::running).toList();
  }

  /** Cuts every bus message between the two sides, both ways. */
  public void partition(List<Member> side, List<Member> otherSide) {
    Set<String> sideIds = ids(side);
    Set<String> otherIds = ids(otherSide);
    side.forEach(m -> m.faults(BusEndpoint.Faults.partitionFrom(otherIds)));
    otherSide.forEach(m -> m.faults(BusEndpoint.Faults.partitionFrom(sideIds)));
  }

  public void heal() {
    running().forEach(m -> m.faults(BusEndpoint.Faults.NONE));
  }

  private static Set<String> ids(List<Member> members) {
    return members.stream().map(Member::id).collect(Collectors.toSet());
  }

  private static void await(java.util.concurrent.CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    for (Member member : members) {
      if (member.running()) await(member.node.stop());
      TempDirs.delete(member.dir);
    }
  }
}
