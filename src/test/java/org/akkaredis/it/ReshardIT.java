package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.FreePorts;
import org.akkaredis.it.support.JarNode;
import org.akkaredis.it.support.Processes;
import org.akkaredis.it.support.Processes.Result;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.keyspace.Slots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A live cluster changes shape with Debian's redis-cli, as users do it: a 3-master cluster with replicas grows to
 * 4 masters with {@code --cluster add-node} and {@code --cluster rebalance --cluster-use-empty-masters} (the new
 * master weighted 0.1, so that about 530 slots move rather than 4096: each is a slot move all the same) while a
 * Lettuce cluster client and {@code redis-cli -c} write unique keys, slots move with {@code --cluster reshard}
 * (by options and interactively), the 4th master is drained by rebalance with weight 0 under the same writers and
 * removed with {@code --cluster del-node}, and {@code --cluster fix} closes a slot left half-migrated. After each,
 * {@code --cluster check} finds no problem, every acknowledged write is readable, the masters hold exactly the keys
 * written, and the replicas hold their masters' keys. The tests run in order on one cluster.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReshardIT {
  private static final int NODES = 6;
  private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration RECONNECT_TIMEOUT = Duration.ofSeconds(120);
  /** About 530 slots moved one by one, each with its keys, while clients write, on 2 shared cores. */
  private static final Duration REBALANCE_TIMEOUT = Duration.ofSeconds(300);

  private static final long WRITE_INTERVAL_NANOS = 50_000_000;

  private static final List<JarNode> nodes = new ArrayList<>();
  /** The 4th master: added empty, given slots by rebalance, drained and removed. */
  private static JarNode fourth;
  private static RedisClusterClient client;
  private static StatefulRedisClusterConnection<String, String> connection;
  /** Every key written and acknowledged so far, by all writers, with its value (the key's own number). */
  private static final List<String> acknowledged = new ArrayList<>();

  private static JarNode node(int port) {
    return JarNode.clusterNode("akka-redis-cluster-reshard-", port);
  }

  @BeforeAll
  static void createTheCluster() {
    JarNode.assertJarBuilt();
    int base = FreePorts.clusterBase(NODES + 1);
    for (int i = 0; i < NODES; i++) nodes.add(node(base + i));
    fourth = node(base + NODES);
    for (JarNode node : nodes) node.start();
    fourth.start();
    for (JarNode node : nodes) node.awaitReady();
    fourth.awaitReady();
    Result create = JarNode.createCluster(nodes, CREATE_TIMEOUT);
    assertEquals(0, create.exitCode(), create.describe());
    awaitCheckOk(nodes.get(0));
    client = RedisClusterClient.create(RedisURI.create("127.0.0.1", nodes.get(0).port));
    // As applications that reshard run it: the topology is read again after a MOVED or ASK, a redirection to a
    // master it does not know yet (the new one) is followed, and a command waits at most 10 s.
    client.setOptions(ClusterClientOptions.builder()
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers().build())
        .validateClusterNodeMembership(false)
        .build());
    client.setDefaultTimeout(Duration.ofSeconds(10));
    connection = client.connect();
  }

  @AfterAll
  static void stopTheNodes() {
    if (connection != null) connection.close();
    if (client != null) client.shutdown();
    List<JarNode> all = new ArrayList<>(nodes);
    if (fourth != null) all.add(fourth);
    for (JarNode node : all) node.close();
  }

  @Test
  @Order(1)
  void rebalanceOntoANewEmptyMasterUnderWritesLosesNothing() {
    Result add = Processes.run(CREATE_TIMEOUT, "redis-cli", "--cluster", "add-node", fourth.address(),
        nodes.get(0).address());
    assertEquals(0, add.exitCode(), add.describe());
    assertTrue(add.stdout().contains("[OK] New node added correctly."), add.describe());
    awaitCheckOk(fourth);

    Result rebalance = whileWriting("a", () -> Processes.run(REBALANCE_TIMEOUT, "redis-cli", "--cluster",
        "rebalance", nodes.get(0).address(), "--cluster-use-empty-masters", "--cluster-weight", id(fourth) + "=0.1"));
    assertEquals(0, rebalance.exitCode(), rebalance.describe());
    awaitCheckOk(nodes.get(0));
    int slots = slotCount(fourth);
    // Its share by weight: 16384 * 0.1 / 3.1 = 528.5 slots, within rebalance's 2 % threshold.
    assertTrue(slots >= 510 && slots <= 550, "the 4th master serves about 0.1/3.1 of the slots: " + slots);
    assertEveryWriteKept();
  }

  @Test
  @Order(2)
  void reshardMovesSlotsByOptionsAndInteractively() {
    String from = id(nodes.get(0));
    String to = id(fourth);
    int before = slotCount(fourth);
    Result byOptions = Processes.run(REBALANCE_TIMEOUT, "redis-cli", "--cluster", "reshard", nodes.get(1).address(),
        "--cluster-from", from, "--cluster-to", to, "--cluster-slots", "100", "--cluster-yes");
    assertEquals(0, byOptions.exitCode(), byOptions.describe());
    awaitCheckOk(nodes.get(0));
    assertEquals(before + 100, slotCount(fourth), byOptions.describe());

    // The questions redis-cli asks, answered on a terminal (`script` gives it one: from a pipe redis-cli's first
    // read would take every answer at once): how many, to whom, from which sources, and yes.
    String answers = "100\n" + from + "\n" + to + "\ndone\nyes\n";
    Result interactive = Processes.runWithInput(REBALANCE_TIMEOUT, answers, "script", "-qec",
        "redis-cli --cluster reshard " + nodes.get(2).address(), "/dev/null");
    assertEquals(0, interactive.exitCode(), interactive.describe());
    awaitCheckOk(nodes.get(0));
    assertEquals(before, slotCount(fourth), interactive.describe());
    assertEveryWriteKept();
  }

  @Test
  @Order(3)
  void drainingTheFourthMasterUnderWritesAndRemovingItLosesNothing() {
    String id = id(fourth);
    Result drain = whileWriting("d", () -> Processes.run(REBALANCE_TIMEOUT, "redis-cli", "--cluster", "rebalance",
        nodes.get(0).address(), "--cluster-weight", id + "=0"));
    assertEquals(0, drain.exitCode(), drain.describe());
    awaitCheckOk(nodes.get(0));
    assertEquals(0, slotCount(fourth), drain.describe());
    assertEveryWriteKept();

    Result del = Processes.run(CLI_TIMEOUT, "redis-cli", "--cluster", "del-node", nodes.get(0).address(), id);
    assertEquals(0, del.exitCode(), del.describe());
    Await.until("every node forgot the removed master", CONVERGE_TIMEOUT,
        () -> nodes.stream().noneMatch(node -> node.answer("CLUSTER", "NODES").isEmpty()
            || clusterNodes(node).contains(id)),
        () -> nodes.stream().map(node -> node.port + ":\n" + clusterNodes(node)).collect(Collectors.joining("\n")));
    awaitCheckOk(nodes.get(0));
    // The removed node is stopped, as operators do, and the client reads the new shape: it still knew the removed
    // node, which now knows no other node and answers CLUSTERDOWN for every slot (as redis-server does).
    fourth.terminate();
    fourth.awaitExit();
    client.refreshPartitions();
  }

  /**
   * What a reshard killed between two MIGRATEs leaves: the slot importing on the target, migrating on the
   * source, part of its keys on each side. redis-cli --cluster fix moves the rest and closes it.
   */
  @Test
  @Order(4)
  void fixClosesASlotLeftHalfMigrated() {
    JarNode source = nodes.get(0);
    JarNode target = nodes.get(1);
    assertTrue(clusterNodes(source).contains("myself,master"), clusterNodes(source));
    String slot = leaveHalfMigrated(source, target);

    Result check = Processes.run(CLI_TIMEOUT, "redis-cli", "--cluster", "check", source.address());
    assertTrue(check.stdout().contains("The following slots are open: " + slot), "check sees the open slot: "
        + check.describe());
    Result fix = Processes.run(REBALANCE_TIMEOUT, "redis-cli", "--cluster", "fix", source.address(),
        "--cluster-yes");
    assertEquals(0, fix.exitCode(), fix.describe());
    awaitCheckOk(source);
    assertEveryWriteKept();
  }

  /**
   * A node killed mid-slot: the importing master is killed (-9) with the slot half-moved and started again; its
   * nodes.conf keeps the open slot and its AOF the keys it took, and fix closes the slot. Its replica is kept from
   * taking over meanwhile (cluster-replica-no-failover), so that the slot's two sides are the ones fix will find.
   */
  @Test
  @Order(5)
  void fixClosesASlotWhoseImportingMasterWasKilledMidSlot() {
    JarNode source = nodes.get(2);
    JarNode target = nodes.get(1);
    for (JarNode replica : replicasOf(target)) {
      assertEquals("OK", replica.answer("CONFIG", "SET", "cluster-replica-no-failover", "yes"));
    }
    // Each key the target takes is on its disk before the source lets it go.
    assertEquals("OK", target.answer("CONFIG", "SET", "appendfsync", "always"));
    String slot = leaveHalfMigrated(source, target);

    target.kill();
    target.start();
    target.awaitReady();
    Await.until("the restarted master keeps its open slot " + slot, CONVERGE_TIMEOUT,
        () -> myselfLine(target).contains("[" + slot + "-<-" + id(source) + "]"), () -> myselfLine(target));
    // Until then it refuses keyed commands with CLUSTERDOWN (MIGRATE too), as a restarted redis-server does.
    Await.until("the restarted master's cluster_state:ok", CONVERGE_TIMEOUT,
        () -> target.answer("CLUSTER", "INFO").contains("cluster_state:ok\r\n"));
    // redis-cli --cluster fix takes its node list from the node it is given and counts a master that node sees
    // failing or disconnected as unreachable (and refuses to fix): the source must have the target back first.
    // This takes 45-50 s on a quiet machine where Redis takes about a second: the bus's link back to a peer that
    // restarted with a new incarnation is slow to come up (an open defect, reported with step 13's start and join).
    Await.until("the source sees the restarted master connected again", RECONNECT_TIMEOUT,
        () -> seesConnected(source, target), () -> clusterNodes(source));
    Result fix = Processes.run(REBALANCE_TIMEOUT, "redis-cli", "--cluster", "fix", source.address(),
        "--cluster-yes");
    assertEquals(0, fix.exitCode(), fix.describe());
    awaitCheckOk(source);
    assertEveryWriteKept();
  }

  /**
   * What a reshard killed between two MIGRATEs leaves: {@code source}'s fullest slot importing on {@code target},
   * migrating on {@code source}, and half of its keys MIGRATEd. The slot's number.
   */
  private static String leaveHalfMigrated(JarNode source, JarNode target) {
    String slot = fullestSlot(source);
    writeInto(Integer.parseInt(slot), 4); // how many the writers left there depends on the machine's speed
    List<String> keys = keysIn(source, slot);
    assertTrue(keys.size() >= 2, "keys in slot " + slot + ": " + keys);
    assertEquals("OK", target.answer("CLUSTER", "SETSLOT", slot, "IMPORTING", id(source)));
    assertEquals("OK", source.answer("CLUSTER", "SETSLOT", slot, "MIGRATING", id(target)));
    List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", Integer.toString(target.port), "", "0",
        "5000", "KEYS"));
    migrate.addAll(keys.subList(0, keys.size() / 2));
    assertEquals("OK", source.answer(migrate.toArray(String[]::new)));
    return slot;
  }

  // ---- the writers

  /**
   * Runs {@code change} while a Lettuce cluster client and a {@code redis-cli -c} write unique keys (prefixed
   * {@code round}); each write acknowledged goes to {@link #acknowledged}. Any reply but OK fails the test: the
   * redirections (MOVED, ASK, TRYAGAIN) are the clients' to follow, and nothing else may reach them.
   */
  private static Result whileWriting(String round, Supplier<Result> change) {
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<List<String>> lettuce = CompletableFuture.supplyAsync(() -> lettuceWrites(round + ":l:", stop),
        ReshardIT::onOwnThread);
    CompletableFuture<List<String>> cli = CompletableFuture.supplyAsync(() -> redisCliWrites(round + ":c:", stop),
        ReshardIT::onOwnThread);
    Result result;
    long start = System.nanoTime();
    try {
      result = change.get();
    } finally {
      stop.set(true);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    List<String> written = new ArrayList<>(lettuce.orTimeout(60, TimeUnit.SECONDS).join());
    List<String> byCli = cli.orTimeout(60, TimeUnit.SECONDS).join();
    assertFalse(written.isEmpty(), "Lettuce wrote during the change");
    assertFalse(byCli.isEmpty(), "redis-cli -c wrote during the change");
    System.out.printf("ReshardIT: %s took %d ms; Lettuce wrote %d keys, redis-cli -c %d%n",
        String.join(" ", result.command()), millis, written.size(), byCli.size());
    written.addAll(byCli);
    acknowledged.addAll(written);
    return result;
  }

  private static List<String> lettuceWrites(String prefix, AtomicBoolean stop) {
    RedisAdvancedClusterCommands<String, String> commands = connection.sync();
    List<String> written = new ArrayList<>();
    for (int i = 0; !stop.get(); i++) {
      String key = prefix + i;
      assertEquals("OK", commands.set(key, key), "SET " + key + " by Lettuce");
      written.add(key);
      pace();
    }
    return written;
  }

  /** Lines SET key key on redis-cli -c's stdin, fed as fast as it reads them; its replies in order, one a line. */
  private static List<String> redisCliWrites(String prefix, AtomicBoolean stop) {
    Process cli;
    try {
      cli = new ProcessBuilder("redis-cli", "-c", "-p", Integer.toString(nodes.get(0).port)).start();
    } catch (IOException e) {
      throw new AssertionError("cannot run redis-cli", e);
    }
    CompletableFuture<byte[]> errors = Processes.drain(cli.getErrorStream());
    CompletableFuture<List<String>> replies = CompletableFuture.supplyAsync(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(cli.getInputStream(),
          StandardCharsets.UTF_8))) {
        // "-> Redirected to slot [s] located at ..." comes before the reply of a command that was redirected.
        return out.lines().filter(line -> !line.startsWith("-> Redirected")).toList();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }, ReshardIT::onOwnThread);
    int sent = 0;
    try (Writer in = new OutputStreamWriter(cli.getOutputStream(), StandardCharsets.UTF_8)) {
      while (!stop.get()) {
        in.write("SET " + prefix + sent + " " + prefix + sent + "\n");
        in.flush();
        sent++;
        pace();
      }
    } catch (IOException e) {
      throw new AssertionError("redis-cli -c stopped reading: " + new String(errors.join(), StandardCharsets.UTF_8), e);
    }
    List<String> lines = replies.orTimeout(60, TimeUnit.SECONDS).join();
    assertEquals(sent, lines.size(), "one reply per SET: " + String.join("\n", lines.subList(0, Math.min(20, lines.size()))));
    List<String> written = new ArrayList<>();
    for (int i = 0; i < sent; i++) {
      assertEquals("OK", lines.get(i), "SET " + prefix + i + " by redis-cli -c");
      written.add(prefix + i);
    }
    return written;
  }

  /** Writes {@code count} new keys of {@code slot} through the cluster client; each is acknowledged. */
  private static void writeInto(int slot, int count) {
    String tag = "0";
    for (int i = 1; Slots.slotOf(tag.getBytes(StandardCharsets.UTF_8)) != slot; i++) tag = Integer.toString(i);
    for (int i = 0; i < count; i++) {
      String key = "{" + tag + "}:s" + acknowledged.size();
      assertEquals("OK", connection.sync().set(key, key));
      acknowledged.add(key);
    }
  }

  /** A write every 50 ms at most per writer: the 2 cores are mostly the rebalance's (and the suite's time). */
  private static void pace() {
    LockSupport.parkNanos(WRITE_INTERVAL_NANOS);
  }

  private static void onOwnThread(Runnable runnable) {
    Thread thread = new Thread(runnable, "reshard-writer");
    thread.setDaemon(true);
    thread.start();
  }

  // ---- checks

  /**
   * Every acknowledged key reads back its value through the cluster client, the masters hold exactly the keys
   * written, and each replica holds its master's keys once it has caught up.
   */
  private static void assertEveryWriteKept() {
    RedisAdvancedClusterCommands<String, String> commands = connection.sync();
    for (int from = 0; from < acknowledged.size(); from += 1000) {
      List<String> chunk = acknowledged.subList(from, Math.min(acknowledged.size(), from + 1000));
      List<KeyValue<String, String>> values = commands.mget(chunk.toArray(String[]::new));
      for (KeyValue<String, String> value : values) {
        assertTrue(value.hasValue() && value.getValue().equals(value.getKey()), "acknowledged " + value.getKey()
            + " reads " + value);
      }
    }
    List<JarNode> masters = masters();
    long keys = masters.stream().mapToLong(ReshardIT::dbsize).sum();
    assertEquals(acknowledged.size(), keys, "the masters hold exactly the keys written");
    for (JarNode replica : all()) {
      String[] myself = myselfLine(replica).split(" ");
      if (!myself[2].contains("slave")) continue;
      JarNode master = all().stream().filter(node -> id(node).equals(myself[3])).findFirst().orElseThrow();
      Await.until("replica " + replica.port + " holds its master's keys", CONVERGE_TIMEOUT,
          () -> dbsize(replica) == dbsize(master), () -> dbsize(replica) + " keys, its master " + dbsize(master));
    }
  }

  /** Waits until redis-cli --cluster check finds every slot covered and no open slot, error or warning. */
  private static void awaitCheckOk(JarNode node) {
    Await.until("redis-cli --cluster check " + node.address() + " finds no problem", CONVERGE_TIMEOUT, () -> {
      Result check = Processes.run(CLI_TIMEOUT, "redis-cli", "--cluster", "check", node.address());
      return check.exitCode() == 0 && check.stdout().contains("[OK] All nodes agree about slots configuration.")
          && check.stdout().contains("[OK] All 16384 slots covered") && !check.stdout().contains("[WARNING]")
          && !check.stdout().contains("[ERR]");
    }, () -> Processes.run(CLI_TIMEOUT, "redis-cli", "--cluster", "check", node.address()).describe());
  }

  private static List<JarNode> all() {
    List<JarNode> all = new ArrayList<>(nodes);
    if (fourth.isAlive() && clusterNodes(fourth).lines().count() > 1) all.add(fourth);
    return all;
  }

  private static List<JarNode> masters() {
    return all().stream().filter(node -> myselfLine(node).contains("myself,master")).toList();
  }

  private static List<JarNode> replicasOf(JarNode master) {
    String masterId = id(master);
    return all().stream().filter(node -> myselfLine(node).contains("slave " + masterId + " ")).toList();
  }

  private static int slotCount(JarNode node) {
    return ownedSlots(node).cardinality();
  }

  /** The slots {@code node} serves, from its own CLUSTER NODES line. */
  private static BitSet ownedSlots(JarNode node) {
    String[] fields = myselfLine(node).split(" ");
    BitSet slots = new BitSet(Slots.COUNT);
    for (int i = 8; i < fields.length; i++) {
      if (fields[i].startsWith("[")) continue;
      String[] range = fields[i].split("-");
      int first = Integer.parseInt(range[0]);
      slots.set(first, (range.length == 1 ? first : Integer.parseInt(range[1])) + 1);
    }
    return slots;
  }

  /** The slot of {@code node} that holds the most acknowledged keys. */
  private static String fullestSlot(JarNode node) {
    int[] counts = new int[Slots.COUNT];
    for (String key : acknowledged) counts[Slots.slotOf(key.getBytes(StandardCharsets.UTF_8))]++;
    BitSet owned = ownedSlots(node);
    int best = owned.nextSetBit(0);
    for (int slot = best; slot >= 0; slot = owned.nextSetBit(slot + 1)) if (counts[slot] > counts[best]) best = slot;
    return Integer.toString(best);
  }

  private static List<String> keysIn(JarNode node, String slot) {
    try (RespConnection c = RespConnection.open(node.port)) {
      return c.call("CLUSTER", "GETKEYSINSLOT", slot, "100").elements().stream().map(e -> e.text()).toList();
    }
  }

  private static long dbsize(JarNode node) {
    return Long.parseLong(node.answer("DBSIZE"));
  }

  private static String id(JarNode node) {
    return node.answer("CLUSTER", "MYID");
  }

  /** Whether {@code viewer}'s CLUSTER NODES has {@code node} with a connected link and no failure flag. */
  private static boolean seesConnected(JarNode viewer, JarNode node) {
    String id = id(node);
    return clusterNodes(viewer).lines().map(line -> line.split(" ")).anyMatch(fields -> fields[0].equals(id)
        && !fields[2].contains("fail") && fields[7].equals("connected"));
  }

  private static String myselfLine(JarNode node) {
    return clusterNodes(node).lines().filter(line -> line.contains("myself")).findFirst().orElse("");
  }

  private static String clusterNodes(JarNode node) {
    return node.answer("CLUSTER", "NODES");
  }
}
