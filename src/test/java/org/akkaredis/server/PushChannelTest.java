package org.akkaredis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.stream.testkit.TestSubscriber;
import akka.stream.testkit.javadsl.TestSink;
import akka.util.ByteString;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The push channel: its order, and its bound (a push past it closes the client once). */
class PushChannelTest {
  private static final ActorTestKit KIT = ActorTestKit.create();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static ByteString bytes(String text) {
    return ByteString.fromString(text);
  }

  private static TestSubscriber.Probe<ByteString> run(PushChannel channel) {
    return channel.source().runWith(TestSink.probe(KIT.system().classicSystem()), KIT.system());
  }

  @Test
  void aPushPastTheBoundClosesTheClientOnceAndIsNotQueued() {
    AtomicInteger closed = new AtomicInteger();
    AtomicLong taken = new AtomicLong();
    PushChannel channel = new PushChannel(() -> 10, closed::incrementAndGet, taken::addAndGet, () -> 1);
    TestSubscriber.Probe<ByteString> out = run(channel);
    channel.push(bytes("12345"));
    channel.push(bytes("67890"));
    assertEquals(10, channel.waitingBytes());
    assertEquals(0, closed.get());
    channel.push(bytes("x"));
    channel.push(bytes("y"));
    assertEquals(1, closed.get());
    assertEquals(10, channel.waitingBytes());
    out.request(2);
    out.expectNext(bytes("12345"), bytes("67890"));
    assertEquals(0, channel.waitingBytes());
    assertEquals(10, taken.get(), "what the output took counts as sent");
    out.cancel();
  }

  @Test
  void whatWaitsForTheRepliesComesAfterThemAndNothingPushedLaterOvertakesIt() {
    PushChannel channel = new PushChannel(() -> 1000, () -> { }, size -> { }, () -> 1);
    TestSubscriber.Probe<ByteString> out = run(channel);
    channel.push(bytes("before"));
    channel.pushAfterReplies(bytes("own"));
    channel.push(bytes("other"));
    out.request(3);
    out.expectNext(bytes("before"));
    out.expectNoMessage(java.time.Duration.ofMillis(50));
    assertEquals(8, channel.waitingBytes());
    channel.repliesSent(1);
    out.expectNext(bytes("own"));
    out.expectNext(bytes("other"));
    assertEquals(0, channel.waitingBytes());
    out.cancel();
  }

  @Test
  void aHoldIsReleasedOnlyByTheOutputOfItsOwnBatch() {
    java.util.concurrent.atomic.AtomicLong batch = new java.util.concurrent.atomic.AtomicLong(1);
    PushChannel channel = new PushChannel(() -> 1000, () -> { }, size -> { }, batch::get);
    TestSubscriber.Probe<ByteString> out = run(channel);
    // Batch 2 runs (and holds, as SUBSCRIBE does) while batch 1's output has not passed yet.
    batch.set(2);
    channel.holdUntilRepliesSent();
    channel.push(bytes("message"));
    out.request(2);
    channel.repliesSent(1);
    out.expectNoMessage(java.time.Duration.ofMillis(50));
    channel.repliesSent(2);
    out.expectNext(bytes("message"));
    channel.push(bytes("next"));
    out.expectNext(bytes("next"));
    out.cancel();
  }

  @Test
  void pushesBeforeTheChannelRunsAreDropped() {
    AtomicInteger closed = new AtomicInteger();
    PushChannel channel = new PushChannel(() -> 1, closed::incrementAndGet, size -> { }, () -> 1);
    channel.push(bytes("too big, but nobody listens yet"));
    assertEquals(0, channel.waitingBytes());
    assertEquals(0, closed.get());
  }
}
