package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.EffectSink;
import org.akkaredis.persistence.AofBacklog;
import org.akkaredis.persistence.AofWriter;
import org.akkaredis.resp.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With appendonly yes and appendfsync everysec, a real keyspace and dispatcher whose AOF writer is a probe that
 * holds every barrier: a client's write is answered only once the writer has tried to write it (Redis writes the AOF
 * in beforeSleep, before any reply goes out), and what a replica applies from its master completes (so its link
 * acknowledges it) only once the writer has written it. So kill -9 of every node after a write was acknowledged
 * (to the client, or by WAIT) finds it in the page cache and in the file at restart.
 */
class AofBeforeReplyTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config()
      .withFallback(ConfigFactory.load()));
  /** appendfsync everysec is the default. */
  private static final Settings EVERYSEC = Settings.defaults();

  private final EffectsNode node = new EffectsNode(testKit, EVERYSEC, new AtomicLong(1_700_000_000_000L));
  private final TestProbe<AofWriter.Command> writer = testKit.createTestProbe();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @AfterEach
  void detach() {
    node.keyspace.aofSink(EffectSink.NONE);
  }

  private void heldWriter() {
    node.keyspace.aofSink(AofWriter.sink(writer.ref(), EVERYSEC, new AofBacklog(AofBacklog.DEFAULT_LIMIT)));
  }

  /** The writer is told the write, then the barrier the reply waits on; nothing else. */
  private AofWriter.Barrier appendedThenBarrier(String command) {
    AofWriter.Append append = writer.expectMessageClass(AofWriter.Append.class);
    assertTrue(new String(append.resp(), StandardCharsets.UTF_8).contains(command), "the AOF is told " + command);
    return writer.expectMessageClass(AofWriter.Barrier.class);
  }

  @Test
  void aClientsWriteIsAnsweredOnlyOnceTheAofWriterHasTriedToWriteIt() {
    heldWriter();
    Session client = node.connect();
    CompletableFuture<Reply> set = node.send(client, "SET", "k", "v");
    AofWriter.Barrier barrier = appendedThenBarrier("v");
    assertTrue(barrier.tryIsEnough(), "everysec: the write tried is enough, as Redis replies after a failed write");
    assertFalse(set.isDone(), "no reply while the AOF writer has not written the SET");
    barrier.synced().complete(null);
    assertEquals(Reply.OK, EffectsNode.await(set));
    assertEquals(Reply.bulk("v".getBytes(StandardCharsets.UTF_8)), node.run(client, "GET", "k"),
        "a read writes nothing and waits for nothing");
  }

  @Test
  void whatAReplicaAppliesFromItsMasterCompletesOnlyOnceItsAofHasWrittenIt() {
    heldWriter();
    Session master = Session.applier("master", EVERYSEC);
    CompletableFuture<Reply> applied = node.send(master, "SET", "k", "applied");
    AofWriter.Barrier barrier = appendedThenBarrier("applied");
    assertFalse(barrier.tryIsEnough(), "the acknowledgement needs the write done, not only tried");
    assertFalse(applied.isDone(), "the link acknowledges on completion: not yet");
    barrier.synced().complete(null);
    assertEquals(Reply.OK, EffectsNode.await(applied));
  }
}
