package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * How messages reach subscribers on a live node (also run against redis-server with -Dit.server=redis-server): never
 * before the subscriber's own SUBSCRIBE reply, whatever a publisher does meanwhile; and a subscriber that stops
 * reading is closed at client-output-buffer-limit pubsub while the others receive everything and the publisher is
 * never held up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PubSubDeliveryTest {
  private RedisEndpoint server;

  @BeforeAll
  void start() {
    server = Servers.standalone(Map.of());
  }

  @AfterAll
  void stop() {
    if (server != null) server.close();
  }

  /**
   * Publishers flood a channel while subscribers keep arriving: each reads GET's reply, then its SUBSCRIBE's replies
   * (the flooded channel first, then many more, which keeps the window between the subscription and the reply's
   * output wide), and only then messages. The SUBSCRIBE comes in a read of its own right after the GET's (a later
   * batch then runs while an earlier one's output is on its way), and also in the same read.
   */
  @Test
  void noMessageComesBeforeItsSubscribeReply() throws Exception {
    AtomicBoolean publishing = new AtomicBoolean(true);
    AtomicLong published = new AtomicLong();
    List<Thread> publishers = new java.util.ArrayList<>();
    String burst = "PUBLISH flood m\r\n".repeat(50);
    for (int p = 0; p < 2; p++) {
      Thread publisher = new Thread(() -> {
        try (RespConnection c = RespConnection.open(server.port())) {
          while (publishing.get()) {
            c.sendRaw(burst);
            for (int i = 0; i < 50; i++) c.read();
            published.addAndGet(50);
          }
        }
      }, "flood-publisher-" + p);
      publisher.start();
      publishers.add(publisher);
    }
    StringBuilder subscribe = new StringBuilder("SUBSCRIBE flood");
    int others = 200;
    for (int i = 0; i < others; i++) subscribe.append(" other-").append(i);
    subscribe.append("\r\n");
    try {
      Await.until("the publishers run", Duration.ofSeconds(10), () -> published.get() > 100);
      for (int round = 0; round < 200; round++) {
        try (RespConnection c = RespConnection.open(server.port())) {
          // A keyed command first: the SUBSCRIBE then runs on the range's thread once the GET is done, and its
          // batch's output reaches the connection's stream asynchronously.
          if (round % 2 == 0) {
            c.sendRaw("GET k\r\n");
            c.sendRaw(subscribe.toString());
          } else {
            c.sendRaw("GET k\r\n" + subscribe);
          }
          assertTrue(c.read().isNull(), "round " + round);
          assertEquals(List.of("subscribe", "flood", "1"), c.read().texts(), "round " + round);
          for (int i = 0; i < others; i++) {
            assertEquals(List.of("subscribe", "other-" + i, "" + (i + 2)), c.read().texts(), "round " + round);
          }
          assertEquals(List.of("message", "flood", "m"), c.read().texts(), "round " + round);
        }
      }
    } finally {
      publishing.set(false);
      for (Thread publisher : publishers) publisher.join(10_000);
    }
  }

  @Test
  void aSubscriberThatStopsReadingIsClosedAtItsLimitAndTheOthersGetEverything() throws Exception {
    int messages = 1200;
    byte[] payload = new byte[32 * 1024];
    java.util.Arrays.fill(payload, (byte) 'p');
    try (RespConnection admin = RespConnection.open(server.port());
         Socket stalled = new Socket();
         RespConnection reader = RespConnection.open(server.port());
         RespConnection publisher = RespConnection.open(server.port())) {
      assertEquals("OK", admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 4mb 0 0").text());
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new InetSocketAddress("127.0.0.1", server.port()));
      stalled.getOutputStream().write("CLIENT SETNAME stalled\r\nSUBSCRIBE big\r\n".getBytes());
      stalled.getOutputStream().flush();
      assertEquals(List.of("subscribe", "big", "1"), reader.call("SUBSCRIBE", "big").texts());
      Await.until("both subscribed", Duration.ofSeconds(10),
          () -> admin.call("PUBSUB", "NUMSUB", "big").texts().equals(List.of("big", "2")));
      AtomicLong whole = new AtomicLong();
      Thread readAll = new Thread(() -> {
        for (int i = 0; i < messages; i++) {
          RespReply frame = reader.read();
          if (frame.get(2).bytes().length == payload.length) whole.incrementAndGet();
        }
      }, "fast-subscriber");
      readAll.start();
      long receiversAtEnd = -1;
      for (int i = 0; i < messages; i++) {
        // The reading subscriber stays within 32 messages (1 MB) of the publisher: under its limit, whatever the
        // machine's speed. The stalled one reads nothing.
        int sent = i;
        Await.until("the reader keeps up", Duration.ofSeconds(30), () -> sent - whole.get() <= 32);
        publisher.send("PUBLISH".getBytes(), "big".getBytes(), payload);
        receiversAtEnd = publisher.read().integer();
      }
      readAll.join(60_000);
      assertEquals(messages, whole.get(), "the reading subscriber got every message");
      assertEquals(1, receiversAtEnd, "the stalled subscriber was closed, the reader still counted");
      assertTrue(!admin.call("CLIENT", "LIST").text().contains("name=stalled"));
      // Its socket ends: what it had not read yet, then the close.
      stalled.setSoTimeout(10_000);
      InputStream in = stalled.getInputStream();
      byte[] chunk = new byte[64 * 1024];
      try {
        while (in.read(chunk) >= 0) {
          // drain
        }
      } catch (IOException reset) {
        // a reset closes it too
      }
    } finally {
      try (RespConnection admin = RespConnection.open(server.port())) {
        admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 8mb 60");
      }
    }
  }
}
