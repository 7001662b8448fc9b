package org.akkaredis.pubsub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.util.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PubSubTest {
  private final PubSub registry = new PubSub();

  private static byte[] b(String text) {
    return text.getBytes();
  }

  private record Client(Subscriber subscriber, List<String> frames) {}

  private Client client(int protocol) {
    List<String> frames = new ArrayList<>();
    Subscriber s = registry.subscriber(() -> protocol, frame -> frames.add(frame.utf8String()));
    return new Client(s, frames);
  }

  @Test
  void channelsAndPatternsCountPerClientAndDeliverChannelFirst() {
    Client c = client(2);
    assertEquals(1, registry.subscribe(c.subscriber(), b("a")));
    assertEquals(1, registry.subscribe(c.subscriber(), b("a")));
    assertEquals(2, registry.psubscribe(c.subscriber(), b("a*")));
    assertTrue(c.subscriber().subscribed());
    assertEquals(2, registry.publish(b("a"), b("hi")));
    assertEquals(List.of("*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n",
        "*4\r\n$8\r\npmessage\r\n$2\r\na*\r\n$1\r\na\r\n$2\r\nhi\r\n"), c.frames());
    assertEquals(1, registry.channelCount());
    assertEquals(1, registry.patternCount());
    assertEquals(1, registry.unsubscribe(c.subscriber(), b("a")));
    assertEquals(0, registry.punsubscribe(c.subscriber(), b("a*")));
    assertFalse(c.subscriber().subscribed());
    assertEquals(0, registry.channelCount());
    assertEquals(0, registry.patternCount());
  }

  @Test
  void resp3SubscribersGetPushes() {
    Client c = client(3);
    registry.subscribe(c.subscriber(), b("x"));
    registry.publish(b("x"), b(""));
    assertEquals(List.of(">3\r\n$7\r\nmessage\r\n$1\r\nx\r\n$0\r\n\r\n"), c.frames());
  }

  @Test
  void thePublisherGetsItsOwnMessagesBackInsteadOfAPush() {
    Client c = client(3);
    registry.subscribe(c.subscriber(), b("x"));
    registry.psubscribe(c.subscriber(), b("?"));
    PubSub.Published published = registry.publish(b("x"), b("m"), c.subscriber());
    assertEquals(2, published.receivers());
    assertNull(published.toPublisher().get(0));
    assertArrayEquals(b("?"), published.toPublisher().get(1));
    assertTrue(c.frames().isEmpty());
  }

  @Test
  void leavingEndsEverySubscriptionAndNumsubAndChannelsSeeIt() {
    Client one = client(2);
    Client two = client(2);
    registry.subscribe(one.subscriber(), b("news"));
    registry.subscribe(two.subscriber(), b("news"));
    registry.subscribe(two.subscriber(), b("sport"));
    registry.psubscribe(one.subscriber(), b("n*"));
    assertEquals(2, registry.subscribers(b("news")));
    assertEquals(List.of("news", "sport"), registry.channels(null).stream().map(String::new).toList());
    assertEquals(List.of("sport"), registry.channels(b("s*")).stream().map(String::new).toList());
    one.subscriber().leave();
    assertEquals(1, registry.subscribers(b("news")));
    assertEquals(0, registry.patternCount());
    assertEquals(1, registry.publish(b("news"), b("m")));
    assertTrue(one.frames().isEmpty());
    assertEquals(0, registry.subscribers(b("nobody")));
  }

  @Test
  void aSubscriberThatClosesWhileBeingDeliveredToDoesNotDisturbTheFanOut() {
    List<String> got = new ArrayList<>();
    Subscriber[] closing = new Subscriber[1];
    closing[0] = registry.subscriber(() -> 2, frame -> closing[0].leave());
    Subscriber other = registry.subscriber(() -> 2, frame -> got.add(frame.utf8String()));
    registry.subscribe(closing[0], b("c"));
    registry.subscribe(other, b("c"));
    assertEquals(2, registry.publish(b("c"), b("m")));
    assertEquals(1, got.size());
    assertEquals(1, registry.subscribers(b("c")));
  }

  @Test
  void framesAreBinarySafe() {
    ByteString frame = PubSubFrames.message(2, new byte[] {0, '\r'}, new byte[] {'\n'});
    assertEquals("*3\r\n$7\r\nmessage\r\n$2\r\n\0\r\r\n$1\r\n\n\r\n", frame.utf8String());
  }

  @Test
  void shardChannelsCountApartAndTheirSlotsTakeThemAlong() {
    Client c = client(2);
    Client resp3 = client(3);
    assertEquals(1, registry.ssubscribe(c.subscriber(), b("{t}b"), 7));
    assertEquals(2, registry.ssubscribe(c.subscriber(), b("{t}a"), 7));
    assertEquals(3, registry.ssubscribe(c.subscriber(), b("other"), 9));
    assertEquals(1, registry.subscribe(c.subscriber(), b("plain")));
    assertEquals(1, registry.ssubscribe(resp3.subscriber(), b("{t}a"), 7));
    assertEquals(3, c.subscriber().shardChannelCount());
    assertEquals(1, c.subscriber().subscriptions(), "SUBSCRIBE's count leaves shard channels out");
    assertEquals(3, registry.shardChannelCount());
    assertEquals(2, registry.shardSubscribers(b("{t}a")));
    assertEquals(0, registry.publish(b("{t}a"), b("x")), "PUBLISH does not reach a shard channel");
    assertEquals(2, registry.spublish(b("{t}a"), b("hi"), null).receivers());
    assertEquals(List.of("*3\r\n$8\r\nsmessage\r\n$4\r\n{t}a\r\n$2\r\nhi\r\n"), c.frames());
    assertEquals(List.of(">3\r\n$8\r\nsmessage\r\n$4\r\n{t}a\r\n$2\r\nhi\r\n"), resp3.frames());
    c.frames().clear();
    resp3.frames().clear();
    // Slot 7 leaves: each subscriber is told of each channel of it, in byte order, with its count after.
    assertEquals(2, registry.dropSlots(slot -> slot == 7));
    assertEquals(List.of("*3\r\n$12\r\nsunsubscribe\r\n$4\r\n{t}a\r\n:2\r\n",
        "*3\r\n$12\r\nsunsubscribe\r\n$4\r\n{t}b\r\n:1\r\n"), c.frames());
    assertEquals(List.of(">3\r\n$12\r\nsunsubscribe\r\n$4\r\n{t}a\r\n:0\r\n"), resp3.frames());
    assertFalse(resp3.subscriber().subscribed());
    assertEquals(1, registry.shardChannelCount());
    assertEquals(0, registry.dropSlots(slot -> slot == 7), "nothing left in the slot");
    assertEquals(0, registry.sunsubscribe(c.subscriber(), b("other"), 9));
    assertTrue(c.subscriber().subscribed(), "still subscribed to a channel");
    assertEquals(0, registry.dropSlots(slot -> true), "the slot's set went with its last channel");
    registry.ssubscribe(c.subscriber(), b("again"), 9);
    registry.leave(c.subscriber());
    assertEquals(0, registry.shardChannelCount());
    assertEquals(0, registry.dropSlots(slot -> true));
  }
}
