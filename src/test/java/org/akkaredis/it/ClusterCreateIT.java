package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.FreePorts;
import org.akkaredis.it.support.JarNode;
import org.akkaredis.it.support.Processes;
import org.akkaredis.it.support.Processes.Result;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.keyspace.Slots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Six nodes started as users start them ({@code java -jar target/akka-redis-cluster.jar}), made one cluster of
 * 3 masters and 3 replicas by the real {@code redis-cli --cluster create}, then used and checked with redis-cli
 * as a Redis Cluster would be. The tests run in order on the one cluster; the last ones kill a replica, a
 * master, and all six at once. The nodes run with appendonly yes, as conf/node-700N.conf has it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterCreateIT {
  private static final int NODES = 6;
  /** From MEET to a cluster whose nodes agree; redis-cli itself would wait forever. */
  private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(20);
  /** node-timeout 5000 plus Redis's election delays, on a loaded machine. */
  private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(60);
  /** Written before the whole cluster is killed. */
  private static final int CLUSTER_KEYS = 1000;

  private static final List<JarNode> nodes = new ArrayList<>();
  /** A seventh node, started only to be added with add-node and taken out with del-node. */
  private static JarNode spare;
  private static Result create;

  private static JarNode node(int port) {
    return JarNode.clusterNode("akka-redis-cluster-create-", port);
  }

  @BeforeAll
  static void createTheCluster() {
    JarNode.assertJarBuilt();
    int base = FreePorts.clusterBase(NODES + 1);
    for (int i = 0; i < NODES; i++) nodes.add(node(base + i));
    spare = node(base + NODES);
    for (JarNode node : nodes) node.start();
    for (JarNode node : nodes) node.awaitReady();
    create = JarNode.createCluster(nodes, CREATE_TIMEOUT);
  }

  @AfterAll
  static void killTheNodes() throws InterruptedException {
    if (spare != null) nodes.add(spare);
    for (JarNode node : nodes) {
      if (node.isAlive()) node.process().destroyForcibly();
    }
    for (JarNode node : nodes) node.close();
  }

  @Test
  @Order(1)
  void createCoversAllSlotsWithThreeMastersAndThreeReplicas() {
    assertEquals(0, create.exitCode(), create.describe() + logs());
    assertTrue(create.stdout().contains("[OK] All nodes agree about slots configuration."), create.describe());
    assertTrue(create.stdout().contains("[OK] All 16384 slots covered"), create.describe());
    awaitClusterOk();
    awaitSameView();
    String view = view(nodes.get(0));
    assertEquals(3, count(view, " master "), "three masters:\n" + view);
    assertEquals(3, count(view, " slave "), "three replicas:\n" + view);
  }

  @Test
  @Order(2)
  void checkFindsNoProblem() {
    awaitSameView();
    Result check = Processes.run(CLI_TIMEOUT, "redis-cli", "--cluster", "check", nodes.get(3).address());
    assertEquals(0, check.exitCode(), check.describe());
    assertTrue(check.stdout().contains("[OK] All 16384 slots covered"), check.describe());
    assertFalse(check.stdout().contains("[ERR]"), check.describe());
    assertFalse(check.stdout().contains("[WARNING]"), check.describe());
    assertEquals(3, count(check.stdout(), "| 1 slaves."), "three masters with a replica each: " + check.describe());
  }

  @Test
  @Order(3)
  void aClientFollowsTheRedirectionAndReadsFromEveryNode() {
    awaitClusterOk();
    JarNode owner = masterOf(5798);
    JarNode first = nodes.get(0);
    assertTrue(owner != first, "redis-cli --cluster create gives slot 5798 to the second master");
    Result set = Processes.runWithInput(CLI_TIMEOUT, "set name tom\n", "redis-cli", "-c", "-p",
        Integer.toString(first.port));
    assertEquals("-> Redirected to slot [5798] located at " + owner.address() + "\nOK\n", set.stdout(),
        set.describe());
    for (JarNode node : nodes) {
      Result get = Processes.run(CLI_TIMEOUT, "redis-cli", "-c", "-p", Integer.toString(node.port), "get", "name");
      assertEquals("tom\n", get.stdout(), "GET name through node " + node.port + ": " + get.describe());
    }
  }

  @Test
  @Order(4)
  void everyNodeAnswersTheSameClusterSlots() {
    Await.until("every node answers the same CLUSTER SLOTS", CONVERGE_TIMEOUT, () -> {
      byte[] first = slots(nodes.get(0)).raw();
      return nodes.stream().allMatch(node -> Arrays.equals(first, slots(node).raw()));
    }, () -> nodes.stream().map(node -> node.port + ": " + slots(node)).collect(Collectors.joining("\n")));
    RespReply slots = slots(nodes.get(0));
    assertEquals(3, slots.elements().size(), slots.toString());
    String ranges = slots.elements().stream()
        .map(range -> range.get(0).integer() + "-" + range.get(1).integer() + "@" + range.get(2).get(1).integer())
        .collect(Collectors.joining(" "));
    assertEquals("0-5460@" + nodes.get(0).port + " 5461-10922@" + nodes.get(1).port + " 10923-16383@"
        + nodes.get(2).port, ranges, slots.toString());
  }

  @Test
  @Order(5)
  void aReplicaKilledAndRestartedComesBackWithItsIdAndTheClusterIsOk() throws Exception {
    JarNode replica = nodes.stream().filter(node -> myselfLine(node).contains("myself,slave")).findFirst()
        .orElseThrow(() -> new AssertionError("no replica: " + clusterNodes(nodes.get(0))));
    String id = answers(replica.port, "CLUSTER", "MYID");
    String master = myselfLine(replica).split(" ")[3];
    replica.kill();
    JarNode observer = nodes.stream().filter(node -> node != replica).findFirst().orElseThrow();
    Await.until("node " + observer.port + " flags the killed replica fail? or fail", CONVERGE_TIMEOUT,
        () -> lineOf(observer, id).contains("fail"), () -> clusterNodes(observer));

    replica.start();
    replica.awaitReady();
    assertEquals(id, answers(replica.port, "CLUSTER", "MYID"), "the node id comes from nodes.conf");
    Await.until("every node sees the restarted replica as a connected replica of its master again",
        CONVERGE_TIMEOUT, () -> nodes.stream().allMatch(node -> {
          String[] fields = lineOf(node, id).split(" ");
          return fields.length >= 8 && !fields[2].contains("fail") && fields[2].contains("slave")
              && fields[3].equals(master) && fields[7].equals("connected");
        }), () -> nodes.stream().map(node -> node.port + ": " + lineOf(node, id)).collect(Collectors.joining("\n")));
    awaitClusterOk();
    awaitSameView();
  }

  @Test
  @Order(6)
  void addNodeBringsInANewReplicaAndDelNodeTakesItOut() throws Exception {
    spare.start();
    spare.awaitReady();
    Result add = Processes.run(CREATE_TIMEOUT, "redis-cli", "--cluster", "add-node", spare.address(),
        nodes.get(0).address(), "--cluster-slave");
    assertEquals(0, add.exitCode(), add.describe());
    assertTrue(add.stdout().contains("[OK] New node added correctly."), add.describe());
    String id = answers(spare.port, "CLUSTER", "MYID");
    Await.until("every node lists the new node as a replica", CONVERGE_TIMEOUT,
        () -> nodes.stream().allMatch(node -> lineOf(node, id).contains(" slave ")),
        () -> nodes.stream().map(node -> node.port + ": " + lineOf(node, id)).collect(Collectors.joining("\n")));

    Result del = Processes.run(CLI_TIMEOUT, "redis-cli", "--cluster", "del-node", nodes.get(0).address(), id);
    assertEquals(0, del.exitCode(), del.describe());
    for (JarNode node : nodes) assertEquals("", lineOf(node, id), "node " + node.port + " forgot it");
    assertTrue(answers(spare.port, "CLUSTER", "INFO").contains("cluster_known_nodes:1\r\n"),
        "CLUSTER RESET SOFT left it alone");
    awaitClusterOk();
  }

  /**
   * The walk-through users run first: the master of slot 5798 is killed with -9, its replica takes over with
   * the data, and the killed node, restarted, comes back as a replica of the new master.
   */
  @Test
  @Order(7)
  void aKilledMasterIsReplacedByItsReplicaAndComesBackAsAReplica() throws Exception {
    awaitClusterOk();
    JarNode oldMaster = masterOf(5798);
    String oldId = answers(oldMaster.port, "CLUSTER", "MYID");
    Result set = Processes.runWithInput(CLI_TIMEOUT, "set name tom\nwait 1 5000\n", "redis-cli", "-p",
        Integer.toString(oldMaster.port));
    assertEquals("OK\n1\n", set.stdout(), "the write is on the replica before the master dies: " + set.describe());
    JarNode replica = nodes.stream().filter(node -> myselfLine(node).contains(" " + oldId + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no replica of " + oldId + ": " + clusterNodes(oldMaster)));

    oldMaster.kill();
    JarNode observer = nodes.stream().filter(node -> node != oldMaster && node != replica).findFirst().orElseThrow();
    String newId = answers(replica.port, "CLUSTER", "MYID");
    Await.until("the replica is master of slot 5798 for every other node", FAILOVER_TIMEOUT,
        () -> nodes.stream().filter(node -> node != oldMaster).allMatch(node -> masterIdOf(node, 5798).equals(newId)),
        () -> clusterNodes(observer));
    awaitClusterOk(nodes.stream().filter(node -> node != oldMaster).toList());
    Result get = Processes.run(CLI_TIMEOUT, "redis-cli", "-c", "-p", Integer.toString(observer.port), "get", "name");
    assertEquals("tom\n", get.stdout(), get.describe());

    oldMaster.start();
    oldMaster.awaitReady();
    Await.until("the old master is a replica of the new one, in sync", FAILOVER_TIMEOUT,
        () -> myselfLine(oldMaster).contains("myself,slave " + newId)
            && answers(oldMaster.port, "INFO", "replication").contains("master_link_status:up"),
        () -> myselfLine(oldMaster) + "\n" + answers(oldMaster.port, "INFO", "replication"));
    Result again = Processes.run(CLI_TIMEOUT, "redis-cli", "-c", "-p", Integer.toString(oldMaster.port), "get",
        "name");
    assertEquals("tom\n", again.stdout(), again.describe());
    Result readonly = Processes.runWithInput(CLI_TIMEOUT, "readonly\nget name\n", "redis-cli", "-p",
        Integer.toString(oldMaster.port));
    assertEquals("OK\ntom\n", readonly.stdout(), "the old master has the data again: " + readonly.describe());
    awaitClusterOk();
    awaitSameView();
  }

  /**
   * All six processes killed with -9 at once and started again from their dirs: each loads its AOF and nodes.conf,
   * the cluster is ok again, and every key written (and WAITed for on its replica) before the kill is back.
   */
  @Test
  @Order(8)
  void theWholeClusterKilledAtOnceAndRestartedHasEveryKey() {
    awaitClusterOk();
    awaitSameView();
    int[] owners = slotOwners(nodes.get(0));
    for (int port : Arrays.stream(owners).distinct().toArray()) {
      try (RespConnection connection = RespConnection.open(port)) {
        assertEquals("OK", connection.call("FLUSHALL").text(), "master " + port);
      }
    }
    Map<Integer, List<String>> keysByMaster = new LinkedHashMap<>();
    for (int i = 0; i < CLUSTER_KEYS; i++) {
      String key = "key:" + i;
      keysByMaster.computeIfAbsent(owners[Slots.slotOf(key.getBytes(StandardCharsets.UTF_8))], port -> new ArrayList<>())
          .add(key);
    }
    assertEquals(3, keysByMaster.size(), "the keys land on all three masters: " + keysByMaster.keySet());
    keysByMaster.forEach((port, keys) -> {
      try (RespConnection connection = RespConnection.open(port)) {
        ByteArrayOutputStream sets = new ByteArrayOutputStream();
        for (String key : keys) sets.writeBytes(RespConnection.encode("SET", key, "v-" + key));
        connection.sendRaw(sets.toByteArray());
        for (String key : keys) assertEquals("OK", connection.read().text(), "SET " + key + " on " + port);
        assertEquals(1, connection.call("WAIT", "1", "10000").integer(),
            "master " + port + "'s replica acknowledged its " + keys.size() + " writes");
      }
    });

    long killed = System.nanoTime();
    for (JarNode node : nodes) node.process().destroyForcibly();
    for (JarNode node : nodes) node.kill();
    for (JarNode node : nodes) node.start();
    for (JarNode node : nodes) node.awaitReady();
    long ready = System.nanoTime();
    awaitClusterOk(nodes, FAILOVER_TIMEOUT);
    long ok = System.nanoTime();
    awaitSameView();
    System.out.printf("ClusterCreateIT: all six killed and restarted; PONG from all after %d ms, cluster_state:ok on "
        + "all after %d ms%n", (ready - killed) / 1_000_000, (ok - killed) / 1_000_000);

    long total = 0;
    for (int port : Arrays.stream(slotOwners(nodes.get(0))).distinct().toArray()) {
      total += Long.parseLong(answers(port, "DBSIZE"));
    }
    assertEquals(CLUSTER_KEYS, total, "DBSIZE summed over the masters");
    RedisClusterClient client = RedisClusterClient.create(RedisURI.builder().withHost("127.0.0.1")
        .withPort(nodes.get(0).port).withTimeout(CLI_TIMEOUT).build());
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      RedisAdvancedClusterCommands<String, String> redis = connection.sync();
      List<String> wrong = new ArrayList<>();
      for (int i = 0; i < CLUSTER_KEYS; i++) {
        String key = "key:" + i;
        String value = redis.get(key);
        if (!("v-" + key).equals(value)) wrong.add(key + " = " + value);
      }
      assertEquals(List.of(), wrong, "every key read back through the cluster (Lettuce) has its value");
    } finally {
      client.shutdown(Duration.ZERO, CLI_TIMEOUT);
    }
  }

  /** For each slot, the client port of its master in this node's CLUSTER SLOTS. */
  private static int[] slotOwners(JarNode node) {
    int[] owners = new int[Slots.COUNT];
    for (RespReply range : slots(node).elements()) {
      int port = (int) range.get(2).get(1).integer();
      for (long slot = range.get(0).integer(); slot <= range.get(1).integer(); slot++) owners[(int) slot] = port;
    }
    for (int slot = 0; slot < owners.length; slot++) assertTrue(owners[slot] != 0, "slot " + slot + " is served");
    return owners;
  }

  /** The id of the master serving {@code slot} in this node's CLUSTER NODES. */
  private static String masterIdOf(JarNode node, int slot) {
    for (String line : clusterNodes(node).lines().toList()) {
      String[] fields = line.split(" ");
      if (!fields[2].contains("master") || fields[2].contains("fail")) continue;
      for (int i = 8; i < fields.length; i++) {
        if (fields[i].startsWith("[")) continue;
        String[] range = fields[i].split("-");
        int first = Integer.parseInt(range[0]);
        int last = range.length > 1 ? Integer.parseInt(range[1]) : first;
        if (first <= slot && slot <= last) return fields[0];
      }
    }
    return "";
  }

  private static void awaitClusterOk() {
    awaitClusterOk(nodes);
  }

  private static void awaitClusterOk(List<JarNode> which) {
    awaitClusterOk(which, CONVERGE_TIMEOUT);
  }

  private static void awaitClusterOk(List<JarNode> which, Duration timeout) {
    Await.until("cluster_state:ok on " + which.size() + " nodes", timeout,
        () -> which.stream().allMatch(node -> answers(node.port, "CLUSTER", "INFO").contains("cluster_state:ok\r\n")),
        () -> which.stream().map(node -> node.port + " " + answers(node.port, "CLUSTER", "INFO").lines().findFirst()
            .orElse("")).collect(Collectors.joining(", ")));
  }

  /** Every node's CLUSTER NODES gives the same ids, roles, masters and slots (gossip has spread). */
  private static void awaitSameView() {
    Await.until("all six nodes agree on masters, replicas and slots", CONVERGE_TIMEOUT, () -> {
      String first = view(nodes.get(0));
      return nodes.stream().allMatch(node -> view(node).equals(first));
    }, () -> nodes.stream().map(node -> node.port + ":\n" + view(node)).collect(Collectors.joining("\n")));
  }

  private static String view(JarNode node) {
    return clusterNodes(node).lines().map(line -> {
      String[] f = line.split(" ");
      if (f.length < 8) return line;
      String role = f[2].replace("myself,", "").replaceAll(",.*", "");
      String slots = String.join(" ", Arrays.asList(f).subList(8, f.length));
      return f[0] + " " + role + " " + f[3] + " " + slots;
    }).sorted().collect(Collectors.joining("\n"));
  }

  private static JarNode masterOf(int slot) {
    for (RespReply range : slots(nodes.get(0)).elements()) {
      if (range.get(0).integer() <= slot && slot <= range.get(1).integer()) {
        int port = (int) range.get(2).get(1).integer();
        return nodes.stream().filter(node -> node.port == port).findFirst().orElseThrow();
      }
    }
    throw new AssertionError("no node serves slot " + slot);
  }

  private static String myselfLine(JarNode node) {
    return clusterNodes(node).lines().filter(line -> line.contains("myself")).findFirst().orElse("");
  }

  private static String lineOf(JarNode node, String id) {
    return clusterNodes(node).lines().filter(line -> line.startsWith(id + " ")).findFirst().orElse("");
  }

  private static String clusterNodes(JarNode node) {
    return answers(node.port, "CLUSTER", "NODES");
  }

  private static RespReply slots(JarNode node) {
    try (RespConnection connection = RespConnection.open(node.port)) {
      return connection.call("CLUSTER", "SLOTS");
    }
  }

  /** The reply's text (the first element's for arrays), or "" when the node does not answer. */
  private static String answers(int port, String... command) {
    try (RespConnection connection = RespConnection.open(port)) {
      RespReply reply = connection.call(command);
      return reply.isAggregate() ? reply.get(0).text() : reply.text();
    } catch (RuntimeException | AssertionError notNow) {
      return "";
    }
  }

  private static int count(String text, String word) {
    return (int) text.lines().filter(line -> line.contains(word)).count();
  }

  private static String logs() {
    return nodes.stream().map(node -> "\n--- node " + node.port + " log:\n" + node.log()).collect(Collectors.joining());
  }
}
