package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.models.stream.PendingMessages;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A stream used as a job queue through Lettuce's streams API, over RESP3 and RESP2: producers XADD, a consumer group
 * reads with XREADGROUP (also blocking until a job comes), acknowledges with XACK, and a second consumer claims what
 * the first left pending.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LettuceStreamsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private RedisEndpoint node;
  private RedisClient resp3;
  private RedisClient resp2;

  @BeforeAll
  void start() {
    node = Servers.standalone(Map.of());
    RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(node.port()).withTimeout(TIMEOUT).build();
    resp3 = RedisClient.create(uri);
    resp2 = RedisClient.create(uri);
    resp2.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
  }

  @AfterAll
  void stop() {
    if (resp3 != null) resp3.shutdown(Duration.ZERO, TIMEOUT);
    if (resp2 != null) resp2.shutdown(Duration.ZERO, TIMEOUT);
    if (node != null) node.close();
  }

  @Test
  void aJobQueueOverResp3() throws Exception {
    jobQueue(resp3, "jobs3");
  }

  @Test
  void aJobQueueOverResp2() throws Exception {
    jobQueue(resp2, "jobs2");
  }

  private static void jobQueue(RedisClient client, String key) throws Exception {
    try (StatefulRedisConnection<String, String> producer = client.connect();
        StatefulRedisConnection<String, String> worker = client.connect()) {
      RedisCommands<String, String> p = producer.sync();
      RedisCommands<String, String> w = worker.sync();
      String first = p.xadd(key, Map.of("job", "resize", "size", "100"));
      String second = p.xadd(key, XAddArgs.Builder.maxlen(1000).approximateTrimming(), Map.of("job", "crop"));
      assertTrue(first.compareTo(second) < 0 || first.length() < second.length(), first + " before " + second);
      assertEquals(2, p.xlen(key));
      assertEquals("OK", p.xgroupCreate(StreamOffset.from(key, "0"), "workers"));

      List<StreamMessage<String, String>> got = w.xreadgroup(Consumer.from("workers", "alice"),
          XReadArgs.Builder.count(10), StreamOffset.lastConsumed(key));
      assertEquals(2, got.size());
      assertEquals(first, got.get(0).getId());
      assertEquals(Map.of("job", "resize", "size", "100"), got.get(0).getBody());
      assertEquals(Map.of("job", "crop"), got.get(1).getBody());
      assertEquals(1, w.xack(key, "workers", first));

      PendingMessages pending = p.xpending(key, "workers");
      assertEquals(1, pending.getCount());
      assertEquals(Map.of("alice", 1L), pending.getConsumerMessageCount());
      List<PendingMessage> lines = p.xpending(key, "workers", Range.create("-", "+"), Limit.from(10));
      assertEquals(second, lines.get(0).getId());
      assertEquals("alice", lines.get(0).getConsumer());

      List<StreamMessage<String, String>> claimed = p.xclaim(key, Consumer.from("workers", "bob"),
          XClaimArgs.Builder.minIdleTime(0), second);
      assertEquals(List.of(second), claimed.stream().map(StreamMessage::getId).toList());
      assertEquals(1, p.xack(key, "workers", second));

      // A blocked read is woken by the next job.
      RedisFuture<List<StreamMessage<String, String>>> waiting = worker.async().xreadgroup(
          Consumer.from("workers", "alice"), XReadArgs.Builder.block(0), StreamOffset.lastConsumed(key));
      Await.until("the worker blocks", TIMEOUT, () -> p.clientList().contains("cmd=xreadgroup"));
      String third = p.xadd(key, "job", "rotate");
      List<StreamMessage<String, String>> woken = waiting.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(third, woken.get(0).getId());
      assertEquals(Map.of("job", "rotate"), woken.get(0).getBody());
      assertEquals(1, p.xack(key, "workers", third));
      assertEquals(0, p.xpending(key, "workers").getCount());

      List<StreamMessage<String, String>> all = p.xrange(key, Range.create("-", "+"));
      assertEquals(List.of(first, second, third), all.stream().map(StreamMessage::getId).toList());
      assertEquals(List.of(third, second, first),
          p.xrevrange(key, Range.create("-", "+")).stream().map(StreamMessage::getId).toList());
      assertEquals(1, p.xdel(key, first));
      assertEquals(1, p.xtrim(key, 1));
      assertEquals(1, p.xlen(key));
      assertEquals(1, p.xgroupDestroy(key, "workers") ? 1 : 0);
      assertTrue(p.xgroupCreate(StreamOffset.latest(key), "late", XGroupCreateArgs.Builder.mkstream()).equals("OK"));
    }
  }
}
