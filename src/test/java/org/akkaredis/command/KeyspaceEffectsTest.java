package org.akkaredis.command;

import static org.akkaredis.command.EffectsNode.resp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * Effects through the real keyspace (16 SlotRange actors): they reach the sink before the reply, a hold's
 * effects go out as one, EXEC wraps them, FLUSHALL is node-wide, and blocking pops are recorded as the pops
 * they are, also when another client's push serves them. Expected rewrites as redis-server 7.0.15 writes them.
 */
class KeyspaceEffectsTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdownTestKit() {
    testKit.shutdownTestKit();
  }

  private EffectsNode node;
  private Session client;

  @BeforeEach
  void start() {
    node = new EffectsNode(testKit, Settings.defaults(), new AtomicLong(1_700_000_000_000L)).capturing();
    client = node.connect();
  }

  private int range(String key) {
    return node.keyspace.rangeOfSlot(Slots.slotOf(key.getBytes()));
  }

  @Test
  void theEffectReachesTheSinkBeforeTheReply() {
    // The range is held while the callback is attached, so the callback surely runs as the reply completes.
    CompletableFuture<Void> granted = new CompletableFuture<>();
    CompletableFuture<Void> release = new CompletableFuture<>();
    node.keyspace.holding(new int[] {range("k")}, held -> {
      granted.complete(null);
      return release;
    });
    EffectsNode.await(granted);
    CompletableFuture<Integer> seen = node.send(client, "set", "k", "v").thenApply(reply -> node.effects.size());
    assertFalse(seen.isDone(), "waits for the held range");
    release.complete(null);
    assertEquals(1, EffectsNode.await(seen));
    assertEquals(List.of("[" + range("k") + " 0] " + resp("set", "k", "v")), node.takeEffects());
  }

  @Test
  void keysInSeveralRangesGoOutAsOneEffect() {
    assertTrue(range("a") != range("b"));
    node.run(client, "mset", "a", "1", "b", "2");
    assertEquals(List.of("[" + range("a") + " 0] " + resp("mset", "a", "1", "b", "2")), node.takeEffects(),
        "under the range of the first key (standalone mode: nothing replicates)");
  }

  @Test
  void execWrapsMoreThanOneEffectInMultiExec() {
    node.run(client, "multi");
    node.run(client, "set", "a", "1");
    node.run(client, "incr", "a");
    node.run(client, "set", "b", "2");
    node.run(client, "get", "b");
    node.run(client, "exec");
    assertEquals(List.of("[-1 0] " + resp("MULTI") + resp("set", "a", "1") + resp("incr", "a")
        + resp("set", "b", "2") + resp("EXEC")), node.takeEffects());

    node.run(client, "multi");
    node.run(client, "set", "a", "3");
    node.run(client, "get", "a");
    node.run(client, "exec");
    assertEquals(List.of("[" + range("a") + " 0] " + resp("set", "a", "3")), node.takeEffects(), "one: no MULTI");

    node.run(client, "multi");
    node.run(client, "get", "a");
    node.run(client, "setnx", "a", "x");
    node.run(client, "exec");
    assertEquals(List.of(), node.takeEffects());
  }

  @Test
  void aTransactionOverTwoDatabasesSplitsWhereTheDatabaseChanges() {
    node.run(client, "multi");
    node.run(client, "set", "x", "1");
    node.run(client, "select", "4");
    node.run(client, "set", "x", "2");
    node.run(client, "exec");
    assertEquals(List.of("[" + range("x") + " 0] " + resp("MULTI") + resp("set", "x", "1"),
        "[" + range("x") + " 4] " + resp("set", "x", "2") + resp("EXEC")), node.takeEffects());
  }

  @Test
  void flushesAreNodeWideEffectsEvenOnAnEmptyNode() {
    node.run(client, "flushall");
    client.db = 2;
    node.run(client, "flushdb", "async");
    assertEquals(List.of("[-1 0] " + resp("flushall"), "[-1 2] " + resp("flushdb", "async")), node.takeEffects());
    node.run(client, "multi");
    node.run(client, "set", "k", "v");
    node.run(client, "flushall");
    node.run(client, "exec");
    assertEquals(List.of("[-1 2] " + resp("MULTI") + resp("set", "k", "v") + resp("flushall") + resp("EXEC")),
        node.takeEffects());
  }

  @Test
  void swapdbIsANodeWideEffectAndMoveIsItself() {
    client.db = 3;
    node.run(client, "swapdb", "0", "1");
    node.run(client, "swapdb", "2", "2");
    node.run(client, "swapdb", "0", "16");
    assertEquals(List.of("[-1 3] " + resp("swapdb", "0", "1"), "[-1 3] " + resp("swapdb", "2", "2")),
        node.takeEffects(), "a swap with itself is propagated too, as Redis counts it dirty; an error is not");
    node.run(client, "set", "m", "v");
    node.takeEffects();
    node.run(client, "move", "m", "5");
    node.run(client, "move", "m", "5");
    assertEquals(List.of("[" + range("m") + " 3] " + resp("move", "m", "5")), node.takeEffects(),
        "a MOVE that moved nothing changed nothing");
  }

  @Test
  void blockingPopsThatFindAValueAreRecordedAsThePop() {
    node.run(client, "rpush", "{l}1", "a", "b", "c", "d");
    node.run(client, "zadd", "{l}z", "1", "a", "2", "b", "3", "c");
    node.takeEffects();
    node.run(client, "blpop", "{l}nokey", "{l}1", "0");
    node.run(client, "brpop", "{l}1", "0");
    node.run(client, "blmove", "{l}1", "{l}2", "left", "right", "0");
    node.run(client, "brpoplpush", "{l}2", "{l}1", "0");
    node.run(client, "blmpop", "0", "1", "{l}1", "left", "count", "5");
    node.run(client, "bzpopmin", "{l}z", "0");
    node.run(client, "bzpopmax", "{l}z", "0");
    node.run(client, "bzmpop", "0", "1", "{l}z", "min", "count", "3");
    String prefix = "[" + range("{l}") + " 0] ";
    assertEquals(List.of(prefix + resp("LPOP", "{l}1"), prefix + resp("RPOP", "{l}1"),
        prefix + resp("LMOVE", "{l}1", "{l}2", "left", "right"), prefix + resp("RPOPLPUSH", "{l}2", "{l}1"),
        prefix + resp("LPOP", "{l}1", "2"), prefix + resp("ZPOPMIN", "{l}z"), prefix + resp("ZPOPMAX", "{l}z"),
        prefix + resp("ZPOPMIN", "{l}z", "1")), node.takeEffects());
  }

  @Test
  void aBlockedClientServedByAnotherClientsPushIsRecordedAfterThePushAndBeforeItsReply() {
    Session waiting = node.connect();
    CompletableFuture<Boolean> popSeen = node.send(waiting, "blpop", "{q}l", "0")
        .thenApply(reply -> node.effects.stream().anyMatch(e -> e.text().contains("LPOP")));
    awaitBlocked(waiting);
    node.run(client, "rpush", "{q}l", "x", "y");
    assertTrue(EffectsNode.await(popSeen), "the LPOP was in the sink when the reply completed");
    CompletableFuture<Reply> move = node.send(waiting, "blmove", "{q}m", "{q}d", "right", "left", "0");
    awaitBlocked(waiting);
    node.run(client, "lpush", "{q}m", "z");
    EffectsNode.await(move);
    CompletableFuture<Reply> zpop = node.send(waiting, "bzmpop", "0", "1", "{q}z", "max", "count", "2");
    awaitBlocked(waiting);
    node.run(client, "zadd", "{q}z", "1", "a", "2", "b", "3", "c");
    EffectsNode.await(zpop);
    String all = String.join("", node.takeEffects().stream().map(s -> s.substring(s.indexOf("] ") + 2)).toList());
    assertEquals(resp("rpush", "{q}l", "x", "y") + resp("LPOP", "{q}l")
        + resp("lpush", "{q}m", "z") + resp("LMOVE", "{q}m", "{q}d", "right", "left")
        + resp("zadd", "{q}z", "1", "a", "2", "b", "3", "c") + resp("ZPOPMAX", "{q}z", "2"), all);
  }

  /**
   * Data that arrives through the master's stream wakes clients as a client's push does: a replica that is promoted
   * keeps serving the clients that wait on its keys, and its own pops from then on are effects of its own.
   */
  @Test
  void aPushFromTheMastersStreamServesABlockedClient() {
    node.keyspace.replica(true);
    Session applier = node.applier();
    Session waiting = node.connect();
    CompletableFuture<Reply> pop = node.send(waiting, "blpop", "{r}l", "0");
    awaitBlocked(waiting);
    node.run(applier, "rpush", "{r}l", "from-master");
    assertEquals(resp("{r}l", "from-master"),
        new String(RespWriter.encode(EffectsNode.await(pop), 2), StandardCharsets.ISO_8859_1));
    assertEquals(List.of("[" + range("{r}l") + " 0] " + resp("LPOP", "{r}l")), node.takeEffects(),
        "the pop is this node's own write, the push was the master's");
  }

  private static void awaitBlocked(Session session) {
    Await.until("the client blocks", Duration.ofSeconds(10), () -> session.blocked);
  }

  @Test
  void theMastersStreamRecordsNothingAndIgnoresExpiryOnAReplica() {
    node.keyspace.replica(true);
    Session applier = node.applier();
    node.run(applier, "set", "k", "1", "px", "100");
    node.clock.addAndGet(1000);
    assertEquals(Reply.NULL, node.run(client, "get", "k"), "expired for a client");
    assertEquals(Reply.integer(2), node.run(applier, "incr", "k"), "still there for the master's stream");
    assertEquals(List.of(), node.takeEffects());
  }

  /**
   * As Redis's keyIsExpired while loading: the start-up load finds every key it wrote, even one whose time has
   * passed (an AOF's SET ... PXAT); a master expires it once the load is over, with the DEL its copies need.
   */
  @Test
  void nothingExpiresWhileTheNodeLoadsAndAMasterExpiresItAfterwards() {
    Session loader = node.applier();
    node.keyspace.loading(true);
    try {
      String past = Long.toString(node.clock.get() - 1000);
      assertEquals(Reply.OK, node.run(loader, "set", "k", "1", "pxat", past));
      assertEquals(Reply.integer(2), node.run(loader, "append", "k", "x"), "appended to the loaded value");
      assertEquals(List.of(), node.takeEffects(), "nothing expired");
    } finally {
      node.keyspace.loading(false);
    }
    assertEquals(Reply.NULL, node.run(client, "get", "k"));
    assertEquals(List.of("[" + range("k") + " 0] " + resp("DEL", "k")), node.takeEffects());
  }

  /** A replica that loaded a key already expired keeps it after the load too: only its master's DEL removes it. */
  @Test
  void aReplicaKeepsAKeyItLoadedExpiredUntilItsMastersDel() {
    node.keyspace.replica(true);
    Session loader = node.applier();
    node.keyspace.loading(true);
    try {
      node.run(loader, "set", "k", "1", "pxat", Long.toString(node.clock.get() - 1000));
    } finally {
      node.keyspace.loading(false);
    }
    assertEquals(Reply.NULL, node.run(client, "get", "k"), "hidden from clients");
    assertEquals(Reply.integer(1), node.run(client, "dbsize"), "but still stored");
    assertEquals(Reply.integer(1), node.run(loader, "del", "k"), "the master's DEL finds it");
    assertEquals(Reply.integer(0), node.run(client, "dbsize"));
  }

  @Test
  void scanDeletesTheExpiredKeysItMeetsThatMatchItsPatternAndRecordsTheirDel() throws Exception {
    // Its own node, without the active expiry cycle, which would otherwise delete bar1 whenever it runs.
    EffectsNode node = new EffectsNode(testKit, Settings.defaults().withOverrides(Map.of("enable-debug-command", "yes")),
        new AtomicLong(1_700_000_000_000L)).capturing();
    assertEquals(Reply.OK, node.run(client, "debug", "set-active-expire", "0"));
    node.run(client, "set", "foo1", "bar", "px", "1");
    node.run(client, "set", "bar1", "bar", "px", "1");
    node.run(client, "set", "foo2", "bar");
    node.takeEffects();
    node.clock.addAndGet(10);
    Reply scanned = node.run(client, "scan", "0", "match", "foo*", "count", "100000");
    assertEquals(List.of("foo2"), ((Reply.Array) ((Reply.Array) scanned).items().get(1)).items().stream()
        .map(r -> new String(((Reply.Bulk) r).bytes(), StandardCharsets.US_ASCII)).toList());
    assertEquals(List.of("[" + range("foo1") + " 0] " + resp("DEL", "foo1")), node.takeEffects(),
        "as Redis 7.0: the expired key the pattern matches is deleted; bar1 is left to expire later");
    assertEquals(Reply.integer(2), node.run(client, "dbsize"));
  }
}
