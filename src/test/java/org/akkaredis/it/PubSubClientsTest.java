package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/** Lettuce's and Jedis's pub/sub clients against the node, end to end. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PubSubClientsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private RedisEndpoint server;
  private ClientResources resources;

  @BeforeAll
  void start() {
    server = Servers.standalone(Map.of());
    resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
  }

  @AfterAll
  void stop() {
    if (resources != null) resources.shutdown(0, 10, TimeUnit.SECONDS);
    if (server != null) server.close();
  }

  private void lettuceSubscriber(ProtocolVersion protocol) throws InterruptedException {
    RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(server.port()).withTimeout(TIMEOUT).build();
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
    String channel = "lettuce-" + protocol;
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
         StatefulRedisConnection<String, String> pub = client.connect()) {
      sub.addListener(new RedisPubSubAdapter<>() {
        @Override public void message(String ch, String message) {
          received.add(ch + ":" + message);
        }

        @Override public void message(String pattern, String ch, String message) {
          received.add(pattern + ">" + ch + ":" + message);
        }
      });
      sub.sync().subscribe(channel);
      sub.sync().psubscribe(channel + "*");
      if (protocol == ProtocolVersion.RESP3) {
        // RESP3: the subscribed connection still runs any command.
        assertEquals("OK", sub.sync().set("k", "v"));
      }
      assertEquals(2L, pub.sync().publish(channel, "hello"));
      assertEquals(channel + ":hello", received.poll(10, TimeUnit.SECONDS));
      assertEquals(channel + "*>" + channel + ":hello", received.poll(10, TimeUnit.SECONDS));
      assertEquals(List.of(channel), pub.sync().pubsubChannels(channel + "*"));
      assertEquals(Map.of(channel, 1L), pub.sync().pubsubNumsub(channel));
      sub.sync().unsubscribe(channel);
      sub.sync().punsubscribe(channel + "*");
      assertEquals(0L, pub.sync().publish(channel, "gone"));
    } finally {
      client.shutdown(Duration.ZERO, TIMEOUT);
    }
  }

  @Test
  void lettuceResp3() throws InterruptedException {
    lettuceSubscriber(ProtocolVersion.RESP3);
  }

  @Test
  void lettuceResp2() throws InterruptedException {
    lettuceSubscriber(ProtocolVersion.RESP2);
  }

  @Test
  void jedis() throws InterruptedException {
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    CountDownLatch subscribed = new CountDownLatch(2);
    JedisPubSub listener = new JedisPubSub() {
      @Override public void onSubscribe(String channel, int count) {
        subscribed.countDown();
      }

      @Override public void onPSubscribe(String pattern, int count) {
        subscribed.countDown();
      }

      @Override public void onMessage(String channel, String message) {
        received.add(channel + ":" + message);
        if (message.equals("last")) unsubscribe();
      }

      @Override public void onPMessage(String pattern, String channel, String message) {
        received.add(pattern + ">" + channel + ":" + message);
        if (message.equals("last")) punsubscribe();
      }
    };
    Thread subscriber = new Thread(() -> {
      try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
        jedis.subscribe(listener, "jedis");
      }
    }, "jedis-subscriber");
    subscriber.start();
    try (Jedis publisher = new Jedis("127.0.0.1", server.port())) {
      Await.until("Jedis subscribed", TIMEOUT, () -> publisher.pubsubNumSub("jedis").get("jedis") == 1L);
      listener.psubscribe("jed*");
      assertTrue(subscribed.await(10, TimeUnit.SECONDS));
      for (int i = 0; i < 50; i++) assertEquals(2L, publisher.publish("jedis", "m" + i));
      assertEquals(2L, publisher.publish("jedis", "last"));
      for (int i = 0; i < 50; i++) {
        assertEquals("jedis:m" + i, received.poll(10, TimeUnit.SECONDS));
        assertEquals("jed*>jedis:m" + i, received.poll(10, TimeUnit.SECONDS));
      }
      subscriber.join(10_000);
      // Both unsubscribed at "last": Jedis's subscribe() returned, the connection is out of subscribed mode.
      assertTrue(!subscriber.isAlive());
      assertEquals(0L, publisher.publish("jedis", "after"));
    }
  }
}
