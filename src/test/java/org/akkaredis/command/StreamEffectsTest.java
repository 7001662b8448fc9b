package org.akkaredis.command;

import static org.akkaredis.command.EffectsNode.resp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.config.Settings;
import org.akkaredis.it.support.Await;
import org.akkaredis.keyspace.Slots;
import org.akkaredis.resp.Reply;
import org.akkaredis.resp.RespWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the stream commands hand to replication and the AOF, through the real keyspace on a fixed clock, as Redis
 * 7.0's t_stream.c propagates: XADD with the id it generated and an approximate trim as the exact one it did, a
 * group read as one XCLAIM per delivered entry (and XGROUP SETID for NOACK), XCLAIM and XAUTOCLAIM as XCLAIMs, the
 * others as sent; several in one call wrapped in MULTI ... EXEC.
 */
class StreamEffectsTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdownTestKit() {
    testKit.shutdownTestKit();
  }

  private EffectsNode node;
  private Session client;
  private String prefix;

  @BeforeEach
  void start() {
    node = new EffectsNode(testKit, Settings.defaults(), new AtomicLong(NOW)).capturing();
    client = node.connect();
    prefix = "[" + node.keyspace.rangeOfSlot(Slots.slotOf("{s}".getBytes(StandardCharsets.US_ASCII))) + " 0] ";
  }

  private List<String> effectsOf(String... args) {
    node.takeEffects();
    node.run(client, args);
    return node.takeEffects();
  }

  private List<String> one(String... expected) {
    return List.of(prefix + resp(expected));
  }

  @Test
  void xaddPropagatesTheIdItGeneratedAndTheTrimItDid() {
    assertEquals(one("xadd", "{s}", NOW + "-0", "f", "v"), effectsOf("xadd", "{s}", "*", "f", "v"));
    assertEquals(one("xadd", "{s}", NOW + "-1", "f", "v"), effectsOf("xadd", "{s}", NOW + "-*", "f", "v"));
    assertEquals(one("xadd", "{s}", "9999999999999-5", "f", "v"), effectsOf("xadd", "{s}", "9999999999999-5", "f", "v"));
    assertEquals(one("xadd", "{s}", "maxlen", "=", "4", "9999999999999-6", "f", "v"),
        effectsOf("xadd", "{s}", "maxlen", "~", "2", "9999999999999-*", "f", "v"));
    assertEquals(one("xtrim", "{s}", "maxlen", "1"), effectsOf("xtrim", "{s}", "maxlen", "1"));
    assertEquals(List.of(), effectsOf("xtrim", "{s}", "maxlen", "1"), "a trim that trimmed nothing");
    assertEquals(List.of(), effectsOf("xadd", "{none}", "nomkstream", "*", "f", "v"));
  }

  @Test
  void aGroupReadIsPropagatedAsAnXclaimPerEntryAndNoackAsSetid() {
    node.run(client, "xadd", "{s}", "1-0", "a", "1");
    node.run(client, "xadd", "{s}", "2-0", "a", "2");
    assertEquals(one("xgroup", "create", "{s}", "g", "0"), effectsOf("xgroup", "create", "{s}", "g", "0"));
    assertEquals(List.of(prefix + resp("MULTI")
            + resp("XCLAIM", "{s}", "g", "alice", "0", "1-0", "TIME", Long.toString(NOW), "RETRYCOUNT", "1", "FORCE",
                "JUSTID", "LASTID", "1-0")
            + resp("XCLAIM", "{s}", "g", "alice", "0", "2-0", "TIME", Long.toString(NOW), "RETRYCOUNT", "1", "FORCE",
                "JUSTID", "LASTID", "2-0")
            + resp("EXEC")),
        effectsOf("xreadgroup", "group", "g", "alice", "streams", "{s}", ">"));
    assertEquals(List.of(), effectsOf("xreadgroup", "group", "g", "alice", "streams", "{s}", ">"));
    node.run(client, "xgroup", "create", "{s}", "n", "0");
    assertEquals(List.of(prefix + resp("MULTI") + resp("XGROUP", "CREATECONSUMER", "{s}", "n", "bob")
            + resp("XGROUP", "SETID", "{s}", "n", "2-0", "ENTRIESREAD", "2") + resp("EXEC")),
        effectsOf("xreadgroup", "group", "n", "bob", "noack", "streams", "{s}", ">"));
    assertEquals(one("xack", "{s}", "g", "1-0"), effectsOf("xack", "{s}", "g", "1-0"));
    assertEquals(List.of(), effectsOf("xack", "{s}", "g", "1-0"), "nothing acknowledged");
  }

  @Test
  void claimsArePropagatedAsXclaimsWithTheirTimesAndCounts() {
    node.run(client, "xadd", "{s}", "1-0", "a", "1");
    node.run(client, "xadd", "{s}", "2-0", "a", "2");
    node.run(client, "xgroup", "create", "{s}", "g", "0");
    node.run(client, "xreadgroup", "group", "g", "alice", "streams", "{s}", ">");
    assertEquals(one("XCLAIM", "{s}", "g", "bob", "0", "1-0", "TIME", "123", "RETRYCOUNT", "7", "FORCE", "JUSTID",
        "LASTID", "2-0"), effectsOf("xclaim", "{s}", "g", "bob", "0", "1-0", "time", "123", "retrycount", "7",
        "justid"));
    assertEquals(one("XGROUP", "SETID", "{s}", "g", "5-0", "ENTRIESREAD", "2"),
        effectsOf("xclaim", "{s}", "g", "bob", "0", "9-0", "lastid", "5-0"));
    node.run(client, "xdel", "{s}", "2-0");
    assertEquals(List.of(prefix + resp("MULTI")
            + resp("XCLAIM", "{s}", "g", "carol", "0", "1-0", "TIME", Long.toString(NOW), "RETRYCOUNT", "8", "FORCE",
                "JUSTID", "LASTID", "5-0")
            + resp("XCLAIM", "{s}", "g", "alice", "0", "2-0", "TIME", Long.toString(NOW), "RETRYCOUNT", "1", "FORCE",
                "JUSTID", "LASTID", "5-0")
            + resp("EXEC")),
        effectsOf("xautoclaim", "{s}", "g", "carol", "0", "0"));
  }

  @Test
  void aBlockedGroupReadServedByAnotherClientsXaddIsPropagatedAfterIt() {
    node.run(client, "xgroup", "create", "{s}", "g", "$", "mkstream");
    Session waiting = node.connect();
    node.takeEffects();
    CompletableFuture<Reply> read = node.send(waiting, "xreadgroup", "group", "g", "alice", "block", "0", "streams",
        "{s}", ">");
    Await.until("the client blocks", Duration.ofSeconds(10), () -> waiting.blocked);
    node.run(client, "xadd", "{s}", "7-0", "f", "v");
    String reply = new String(RespWriter.encode(EffectsNode.await(read), 2), StandardCharsets.ISO_8859_1);
    assertEquals("*1\r\n" + "*2\r\n$3\r\n{s}\r\n" + "*1\r\n*2\r\n$3\r\n7-0\r\n" + resp("f", "v"), reply);
    String all = String.join("", node.takeEffects().stream().map(s -> s.substring(s.indexOf("] ") + 2)).toList());
    assertEquals(resp("xadd", "{s}", "7-0", "f", "v") + resp("XCLAIM", "{s}", "g", "alice", "0", "7-0", "TIME",
        Long.toString(NOW), "RETRYCOUNT", "1", "FORCE", "JUSTID", "LASTID", "7-0"), all);
    assertTrue(!waiting.blocked);
  }
}
