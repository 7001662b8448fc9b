package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.GetExArgs;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Lettuce 6.3 against the node: its default RESP3 handshake (HELLO 3) and RESP2, strings, hashes,
 * transactions, pipelining, concurrent connections, binary values, and its cluster client against a
 * one-node cluster that owns every slot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LettuceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private RedisEndpoint standalone;
  private RedisEndpoint cluster;
  private ClientResources resources;
  private RedisClient resp3Client;
  private RedisClient resp2Client;
  private RedisClusterClient clusterClient;

  @BeforeAll
  void start() {
    Servers.StandaloneAndCluster servers = Servers.standaloneAndCluster();
    standalone = servers.standalone();
    cluster = servers.cluster();
    resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(standalone.port()).withTimeout(TIMEOUT).build();
    resp3Client = RedisClient.create(resources, uri);
    resp2Client = RedisClient.create(resources, uri);
    resp2Client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
    clusterClient = RedisClusterClient.create(resources,
        RedisURI.builder().withHost("127.0.0.1").withPort(cluster.port()).withTimeout(TIMEOUT).build());
    clusterClient.setOptions(ClusterClientOptions.builder().build());
  }

  @AfterAll
  void stop() {
    if (clusterClient != null) clusterClient.shutdown(Duration.ZERO, TIMEOUT);
    if (resp3Client != null) resp3Client.shutdown(Duration.ZERO, TIMEOUT);
    if (resp2Client != null) resp2Client.shutdown(Duration.ZERO, TIMEOUT);
    if (resources != null) resources.shutdown(0, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (cluster != null) cluster.close();
    if (standalone != null) standalone.close();
  }

  @BeforeEach
  void emptyTheStandaloneServer() {
    try (StatefulRedisConnection<String, String> connection = resp2Client.connect()) {
      connection.sync().flushall();
    }
  }

  @Test
  void theDefaultHandshakeIsResp3() {
    try (StatefulRedisConnection<String, String> connection = resp3Client.connect()) {
      assertEquals("3", ownClientField(connection.sync(), "resp"), "Lettuce 6.3 negotiates RESP3 with HELLO 3");
      assertEquals("PONG", connection.sync().ping());
    }
  }

  @Test
  void protocolVersionResp2SkipsHello() {
    try (StatefulRedisConnection<String, String> connection = resp2Client.connect()) {
      assertEquals("2", ownClientField(connection.sync(), "resp"));
      assertEquals("PONG", connection.sync().ping());
    }
  }

  @Test
  void stringsOverResp3() {
    try (StatefulRedisConnection<String, String> connection = resp3Client.connect()) {
      exerciseStrings(connection.sync());
    }
  }

  @Test
  void stringsOverResp2() {
    try (StatefulRedisConnection<String, String> connection = resp2Client.connect()) {
      exerciseStrings(connection.sync());
    }
  }

  private static void exerciseStrings(RedisCommands<String, String> redis) {
    assertEquals("OK", redis.set("s", "v"));
    assertEquals("v", redis.get("s"));
    assertNull(redis.get("missing"));
    assertNull(redis.set("s", "w", SetArgs.Builder.nx()));
    assertEquals("v", redis.setGet("s", "w"));
    assertEquals("OK", redis.set("ttl", "v", SetArgs.Builder.ex(100)));
    long ttl = redis.ttl("ttl");
    assertTrue(ttl > 98 && ttl <= 100, "TTL " + ttl);
    assertEquals(-1L, redis.ttl("s"));
    assertEquals(-2L, redis.ttl("missing"));
    assertEquals(1L, redis.incr("n"));
    assertEquals(11L, redis.incrby("n", 10));
    assertEquals(10L, redis.decr("n"));
    assertEquals(12.5, redis.incrbyfloat("n", 2.5));
    assertEquals(5L, redis.append("a", "hello"));
    assertEquals(11L, redis.append("a", " world"));
    assertEquals("world", redis.getrange("a", 6, -1));
    assertEquals(11L, redis.setrange("a", 0, "HELLO"));
    assertEquals(11L, redis.strlen("a"));
    assertEquals("OK", redis.mset(Map.of("m1", "1", "m2", "2")));
    assertEquals(List.of(KeyValue.just("m1", "1"), KeyValue.empty("m9"), KeyValue.just("m2", "2")),
        redis.mget("m1", "m9", "m2"));
    assertTrue(redis.msetnx(Map.of("m3", "3", "m4", "4")));
    assertFalse(redis.msetnx(Map.of("m3", "x", "m5", "5")));
    assertEquals("3", redis.getdel("m3"));
    assertEquals(0L, redis.exists("m3"));
    assertEquals("4", redis.getex("m4", GetExArgs.Builder.ex(50)));
    assertTrue(redis.ttl("m4") > 0);
    assertEquals("string", redis.type("s"));
    assertEquals(2L, redis.del("s", "a", "missing"));
    assertEquals(5L, redis.dbsize());
    RedisCommandExecutionException wrongType = assertThrows(RedisCommandExecutionException.class, () -> {
      redis.hset("h", "f", "v");
      redis.get("h");
    });
    assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", wrongType.getMessage());
    RedisCommandExecutionException overflow = assertThrows(RedisCommandExecutionException.class, () -> {
      redis.set("max", Long.toString(Long.MAX_VALUE));
      redis.incr("max");
    });
    assertEquals("ERR increment or decrement would overflow", overflow.getMessage());
  }

  @Test
  void hashesOverResp3() {
    try (StatefulRedisConnection<String, String> connection = resp3Client.connect()) {
      exerciseHashes(connection.sync());
    }
  }

  @Test
  void hashesOverResp2() {
    try (StatefulRedisConnection<String, String> connection = resp2Client.connect()) {
      exerciseHashes(connection.sync());
    }
  }

  private static void exerciseHashes(RedisCommands<String, String> redis) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("a", "1");
    fields.put("b", "2");
    fields.put("c", "3");
    assertEquals(3L, redis.hset("h", fields));
    assertEquals(fields, redis.hgetall("h"));
    assertEquals(List.of("a", "b", "c"), redis.hkeys("h"), "a small hash keeps insertion order");
    assertEquals(List.of("1", "2", "3"), redis.hvals("h"));
    assertEquals("2", redis.hget("h", "b"));
    assertNull(redis.hget("h", "z"));
    assertEquals(List.of(KeyValue.just("a", "1"), KeyValue.empty("z")), redis.hmget("h", "a", "z"));
    assertTrue(redis.hexists("h", "a"));
    assertFalse(redis.hsetnx("h", "a", "x"));
    assertTrue(redis.hsetnx("h", "d", "4"));
    assertEquals(4L, redis.hlen("h"));
    assertEquals(1L, redis.hstrlen("h", "d"));
    assertEquals(11L, redis.hincrby("h", "a", 10));
    assertEquals(2.75, redis.hincrbyfloat("h", "b", 0.75));
    assertEquals("2.75", redis.hget("h", "b"));
    assertEquals(2L, redis.hdel("h", "c", "d", "z"));
    assertTrue(Set.of("a", "b").contains(redis.hrandfield("h")));
    assertEquals(Set.of("a", "b"), new HashSet<>(redis.hrandfield("h", 5)));
    Map<String, String> withValues = new HashMap<>();
    redis.hrandfieldWithvalues("h", 2).forEach(kv -> withValues.put(kv.getKey(), kv.getValue()));
    assertEquals(Map.of("a", "11", "b", "2.75"), withValues);
    Map<String, String> scanned = new HashMap<>();
    MapScanCursor<String, String> cursor = redis.hscan("h");
    scanned.putAll(cursor.getMap());
    while (!cursor.isFinished()) {
      cursor = redis.hscan("h", cursor);
      scanned.putAll(cursor.getMap());
    }
    assertEquals(Map.of("a", "11", "b", "2.75"), scanned);
    Map<String, String> big = new HashMap<>();
    for (int i = 0; i < 500; i++) big.put("field" + i, "value" + i);
    assertEquals(500L, redis.hset("big", big));
    assertEquals(big, redis.hgetall("big"));
    assertEquals("listpack", redis.objectEncoding("h"));
    RedisCommandExecutionException notInteger = assertThrows(RedisCommandExecutionException.class,
        () -> redis.hincrby("h", "b", 1));
    assertEquals("ERR hash value is not an integer", notInteger.getMessage());
  }

  @Test
  void transactionsCommitDiscardAndAbortOnAWatchedChange() {
    try (StatefulRedisConnection<String, String> connection = resp3Client.connect();
         StatefulRedisConnection<String, String> other = resp2Client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      assertEquals("OK", redis.multi());
      assertNull(redis.set("x", "1"));
      assertNull(redis.incr("x"));
      assertNull(redis.hset("h", "f", "v"));
      assertNull(redis.get("x"));
      TransactionResult committed = redis.exec();
      assertFalse(committed.wasDiscarded());
      assertEquals(List.of("OK", 2L, true, "2"), committed.stream().toList());

      assertEquals("OK", redis.multi());
      redis.set("x", "discarded");
      assertEquals("OK", redis.discard());
      assertEquals("2", redis.get("x"));

      assertEquals("OK", redis.watch("x"));
      assertEquals("OK", other.sync().set("x", "changed"));
      redis.multi();
      redis.set("x", "mine");
      assertTrue(redis.exec().wasDiscarded(), "a watched key changed, so EXEC answers null");
      assertEquals("changed", redis.get("x"));

      redis.multi();
      redis.incr("h");
      redis.set("y", "set anyway");
      TransactionResult withError = redis.exec();
      assertInstanceOf(RedisCommandExecutionException.class, withError.get(0));
      assertEquals("OK", withError.get(1));
      assertEquals("set anyway", redis.get("y"));
    }
  }

  @Test
  void aThousandPipelinedCommandsInOneFlush() {
    try (StatefulRedisConnection<String, String> connection = resp3Client.connect()) {
      RedisAsyncCommands<String, String> async = connection.async();
      connection.setAutoFlushCommands(false);
      List<RedisFuture<?>> futures = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        futures.add(async.set("p:" + i, "v" + i));
        futures.add(async.incr("pipelined-counter"));
      }
      connection.flushCommands();
      assertTrue(LettuceFutures.awaitAll(TIMEOUT, futures.toArray(RedisFuture[]::new)));
      connection.setAutoFlushCommands(true);
      for (int i = 0; i < 500; i++) {
        assertEquals("OK", completed(futures.get(2 * i)));
        assertEquals((long) i + 1, completed(futures.get(2 * i + 1)), "INCR replies arrive in order");
      }
      assertEquals("v499", connection.sync().get("p:499"));
    }
  }

  @Test
  void aThousandAsyncCommandsInFlight() {
    try (StatefulRedisConnection<String, String> connection = resp2Client.connect()) {
      RedisAsyncCommands<String, String> async = connection.async();
      List<RedisFuture<String>> echoes = new ArrayList<>();
      for (int i = 0; i < 1000; i++) echoes.add(async.echo("echo-" + i));
      assertTrue(LettuceFutures.awaitAll(TIMEOUT, echoes.toArray(RedisFuture[]::new)));
      for (int i = 0; i < 1000; i++) assertEquals("echo-" + i, completed(echoes.get(i)));
    }
  }

  @Test
  void severalConnectionsWorkConcurrently() throws Exception {
    int clients = 8;
    int increments = 250;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        RedisClient redisClient = client % 2 == 0 ? resp3Client : resp2Client;
        results.add(pool.submit(() -> {
          try (StatefulRedisConnection<String, String> connection = redisClient.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            for (int i = 0; i < increments; i++) {
              redis.incr("shared-counter");
              redis.hincrby("shared-hash", "client-" + client, 1);
              redis.set("own:" + client, Integer.toString(i));
            }
            return redis.get("own:" + client);
          }
        }));
      }
      for (Future<String> result : results) {
        assertEquals(Integer.toString(increments - 1), result.get(30, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    try (StatefulRedisConnection<String, String> connection = resp2Client.connect()) {
      assertEquals(Integer.toString(clients * increments), connection.sync().get("shared-counter"));
      Map<String, String> perClient = connection.sync().hgetall("shared-hash");
      assertEquals(clients, perClient.size());
      perClient.values().forEach(count -> assertEquals(Integer.toString(increments), count));
    }
  }

  @Test
  void binaryKeysAndValuesSurviveUnchanged() {
    byte[] allBytes = new byte[256];
    for (int i = 0; i < allBytes.length; i++) allBytes[i] = (byte) i;
    byte[] key = {0, (byte) 0xff, '\r', '\n', ' ', '*'};
    for (RedisClient client : List.of(resp3Client, resp2Client)) {
      try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
        RedisCommands<byte[], byte[]> redis = connection.sync();
        assertEquals("OK", redis.set(key, allBytes));
        assertArrayEquals(allBytes, redis.get(key));
        assertEquals(258L, redis.append(key, new byte[] {(byte) 0x80, 0}));
        assertArrayEquals(new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0x80, 0}, redis.getrange(key, 254, -1));
        byte[] field = {(byte) 0xc3, 0x28, 0};
        assertTrue(redis.hset(key("bin-hash"), field, allBytes));
        assertArrayEquals(allBytes, redis.hget(key("bin-hash"), field));
        Map<byte[], byte[]> all = redis.hgetall(key("bin-hash"));
        assertEquals(1, all.size());
        assertArrayEquals(field, all.keySet().iterator().next());
        assertEquals(1L, redis.exists(key));
        assertEquals(2L, redis.del(key, key("bin-hash")));
      }
    }
  }

  @Test
  void clusterClientReadsAndWritesKeysOfManySlots() {
    try (StatefulRedisClusterConnection<String, String> connection = clusterClient.connect()) {
      RedisAdvancedClusterCommands<String, String> redis = connection.sync();
      redis.flushall();
      assertEquals(1, clusterClient.getPartitions().size(), "one node owns every slot");
      Set<Integer> slots = new HashSet<>();
      for (int i = 0; i < 1000; i++) {
        String key = "key:" + i;
        slots.add(SlotHash.getSlot(key));
        assertEquals("OK", redis.set(key, "value:" + i));
      }
      assertTrue(slots.size() > 900, "the keys spread over " + slots.size() + " slots");
      for (int i = 0; i < 1000; i += 7) assertEquals("value:" + i, redis.get("key:" + i));
      Map<String, String> batch = new LinkedHashMap<>();
      for (int i = 0; i < 300; i++) batch.put("batch:" + i, Integer.toString(i));
      assertEquals("OK", redis.mset(batch), "Lettuce splits MSET by slot");
      List<KeyValue<String, String>> values = redis.mget(batch.keySet().toArray(String[]::new));
      for (int i = 0; i < 300; i++) assertEquals(KeyValue.just("batch:" + i, Integer.toString(i)), values.get(i));
      assertEquals(1300L, redis.dbsize());
      assertEquals(300L, redis.del(batch.keySet().toArray(String[]::new)));
      assertEquals(1L, redis.incr("{user1000}.visits"));
      assertEquals(1L, redis.hset("{user1000}.profile", Map.of("name", "x")));
      assertEquals(3443L, redis.clusterKeyslot("{user1000}.following"));
      assertEquals(2L, redis.clusterCountKeysInSlot(SlotHash.getSlot("{user1000}")));
      List<String> inSlot = redis.clusterGetKeysInSlot(SlotHash.getSlot("key:1"), 10);
      assertTrue(inSlot.contains("key:1"), "GETKEYSINSLOT lists key:1: " + inSlot);
      assertTrue(redis.clusterInfo().startsWith("cluster_state:ok\r\n"));
    }
  }

  @Test
  void clusterClientOverResp2() {
    RedisClusterClient resp2Cluster = RedisClusterClient.create(resources,
        RedisURI.builder().withHost("127.0.0.1").withPort(cluster.port()).withTimeout(TIMEOUT).build());
    resp2Cluster.setOptions(ClusterClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
    try (StatefulRedisClusterConnection<String, String> connection = resp2Cluster.connect()) {
      RedisAdvancedClusterCommands<String, String> redis = connection.sync();
      for (int i = 0; i < 200; i++) redis.set("resp2:" + i, Integer.toString(i));
      for (int i = 0; i < 200; i++) assertEquals(Integer.toString(i), redis.get("resp2:" + i));
      List<String> keys = new ArrayList<>();
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        var page = redis.scan(cursor, ScanArgs.Builder.matches("resp2:*").limit(50));
        keys.addAll(page.getKeys());
        cursor = page;
      } while (!cursor.isFinished());
      assertEquals(200, new HashSet<>(keys).size());
    } finally {
      resp2Cluster.shutdown(Duration.ZERO, TIMEOUT);
    }
  }

  /** A field of this connection's line in CLIENT LIST. */
  private static String ownClientField(RedisCommands<String, String> redis, String field) {
    for (String line : redis.clientList().split("\n")) {
      if (!line.contains("cmd=client|list")) continue;
      for (String word : line.trim().split(" ")) {
        if (word.startsWith(field + "=")) return word.substring(field.length() + 1);
      }
    }
    throw new AssertionError("no line with cmd=client|list in CLIENT LIST");
  }

  /** The value of a future that has completed. */
  private static Object completed(RedisFuture<?> future) {
    try {
      return future.get(0, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the command failed or did not complete", e);
    }
  }

  private static byte[] key(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }
}
