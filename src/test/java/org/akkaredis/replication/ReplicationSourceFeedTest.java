package org.akkaredis.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.japi.Pair;
import akka.stream.BoundedSourceQueue;
import akka.stream.QueueOfferResult;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A SYNC client's feed ended by the source, also after its connection ended it first. */
class ReplicationSourceFeedTest {
  private static final ActorTestKit TEST_KIT = ActorTestKit.create();

  @AfterAll
  static void stop() {
    TEST_KIT.shutdownTestKit();
  }

  private static Pair<BoundedSourceQueue<ReplicationSource.ClientBytes>, CompletionStage<akka.Done>> feed() {
    return Source.<ReplicationSource.ClientBytes>queue(4).toMat(Sink.ignore(), akka.stream.javadsl.Keep.both())
        .run(TEST_KIT.system());
  }

  @Test
  void endingAFeedFailsItsConnectionsStream() throws Exception {
    var feed = feed();
    ReplicationSource.endFeed(feed.first(), "replica dropped");
    Throwable failure = feed.second().toCompletableFuture().handle((done, t) -> t).get(5, TimeUnit.SECONDS);
    assertEquals("replica dropped", failure.getMessage());
  }

  @Test
  void endingAFeedTheConnectionAlreadyCompletedIsNoError() throws Exception {
    var feed = feed();
    feed.first().complete(); // the client closed its socket while a payload was on its way
    feed.second().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertTrue(feed.first().offer(new ReplicationSource.ClientBytes(1, 1, ByteString.emptyByteString()))
        != QueueOfferResult.enqueued());
    ReplicationSource.endFeed(feed.first(), "replica output queue full"); // threw IllegalStateException before
  }
}
