package org.akkaredis.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.akkaredis.keyspace.EffectBuffer;
import org.akkaredis.replication.ReplicaSyncState.Acknowledge;
import org.akkaredis.replication.ReplicaSyncState.Apply;
import org.akkaredis.replication.ReplicaSyncState.Effect;
import org.akkaredis.replication.ReplicaSyncState.HistoryContinued;
import org.akkaredis.replication.ReplicaSyncState.HistoryReceived;
import org.akkaredis.replication.ReplicaSyncState.HistoryRestarted;
import org.akkaredis.replication.ReplicaSyncState.Publish;
import org.akkaredis.replication.ReplicaSyncState.RequestSync;
import org.akkaredis.replication.ReplicaSyncState.Work;
import org.junit.jupiter.api.Test;

class ReplicaSyncStateTest {
  private static final String MINE = "r".repeat(40);
  private static final String MASTERS = "m".repeat(40);
  private static final long TIMEOUT = 60_000;

  /** Sync ids 1, 2, 3 ... so that tests can name them. */
  private long lastSyncId;
  private final ReplicaSyncState link = new ReplicaSyncState(MINE, 100, 0, () -> ++lastSyncId);

  static byte[] command(String... args) {
    byte[][] bytes = new byte[args.length][];
    for (int i = 0; i < args.length; i++) bytes[i] = args[i].getBytes(StandardCharsets.US_ASCII);
    return EffectBuffer.encode(bytes);
  }

  static <T extends Effect> List<T> all(List<Effect> effects, Class<T> type) {
    return effects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends Effect> T only(List<Effect> effects, Class<T> type) {
    List<T> found = all(effects, type);
    assertEquals(1, found.size(), () -> "one " + type.getSimpleName() + " in " + effects);
    return found.get(0);
  }

  private static boolean warns(List<Effect> effects) {
    return effects.stream().anyMatch(e -> e instanceof LogLine line && line.warning());
  }

  /** Delivers and applies payloads 1.. of sync 1: a full sync of one chunk, the master's history at 500. */
  private void fullSync(long now) {
    link.start(now);
    deliverAndApply(1, 1, new Payload.FullSync(MASTERS, 500, 0), now);
    deliverAndApply(1, 2, new Payload.Chunk(command("SET", "k", "v")), now);
    deliverAndApply(1, 3, new Payload.SnapshotDone(500), now);
  }

  private List<Effect> deliverAndApply(long syncId, long seq, Payload payload, long now) {
    only(link.deliver(syncId, seq, payload, now), Apply.class);
    return link.applied(syncId, seq, now);
  }

  @Test
  void theLinkAsksToContinueFromWhereItsHistoryIs() {
    List<Effect> effects = link.start(0);
    assertEquals(new RequestSync(1, MINE, 100), only(effects, RequestSync.class));
    assertEquals(new Publish(false, false, false, 0, 0), only(effects, Publish.class));
  }

  @Test
  void aLinkTheMasterDroppedIsDownAndAsksAgainFromItsHistoryASecondLater() {
    fullSync(0);
    List<Effect> lost = link.disconnected(1, 2000);
    assertEquals(new Publish(false, false, false, 0, 2000), only(lost, Publish.class));
    assertTrue(all(lost, RequestSync.class).isEmpty(), "Redis's replica connects again at its next cron");
    assertTrue(link.deliver(1, 4, new Payload.Ping(500), 2100).isEmpty(), "what the dropped sync still sends");
    assertTrue(all(link.tick(TIMEOUT, 2999), RequestSync.class).isEmpty());
    assertEquals(new RequestSync(3, MASTERS, 500), only(link.tick(TIMEOUT, 3000), RequestSync.class));
  }

  @Test
  void aDropOfAnEarlierSyncChangesNothing() {
    fullSync(0);
    link.disconnected(1, 2000);
    link.tick(TIMEOUT, 3000);
    assertTrue(link.disconnected(1, 3100).isEmpty(), "sync 3 is the current one");
  }

  @Test
  void aRefusedSyncIsLoggedWithRedisTextsAndAskedAgainASecondLater() {
    link.start(0);
    List<Effect> refused = link.refused(1, true, "WRONGPASS invalid username-password pair or user is disabled.", 10);
    assertEquals(LogLine.warn("Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is "
        + "disabled."), only(refused, LogLine.class));
    assertTrue(all(refused, RequestSync.class).isEmpty(), "nothing asked at once");
    assertTrue(all(link.tick(TIMEOUT, 10 + ReplicaSyncState.RECONNECT_MS - 1), RequestSync.class).isEmpty());
    List<Effect> retry = link.tick(TIMEOUT, 10 + ReplicaSyncState.RECONNECT_MS);
    assertEquals(new RequestSync(2, MINE, 100), only(retry, RequestSync.class));
    assertTrue(all(retry, Publish.class).stream().noneMatch(Publish::up), "the link stays down");

    List<Effect> noAuth = link.refused(2, false, "NOAUTH Authentication required.", 2000);
    assertEquals(LogLine.warn("MASTER aborted replication with an error: NOAUTH Authentication required."),
        only(noAuth, LogLine.class));
    assertTrue(link.refused(1, false, "NOAUTH Authentication required.", 2000).isEmpty(), "of an old sync");
  }

  @Test
  void aFullSyncDropsTheDataLoadsTheChunksAndThenTheHistoryIsTheMasters() {
    link.start(0);
    List<Effect> begin = link.deliver(1, 1, new Payload.FullSync(MASTERS, 500, 3), 10);
    assertEquals(new Work.DropData(3), only(begin, Apply.class).work());
    assertEquals(new Publish(false, true, false, 10, 0), only(begin, Publish.class), "syncing");
    assertEquals(new Acknowledge(1, 1, 500), only(link.applied(1, 1, 10), Acknowledge.class));

    Work chunk = only(link.deliver(1, 2, new Payload.Chunk(command("SET", "k", "v")), 20), Apply.class).work();
    Work.Run run = assertInstanceOf(Work.Run.class, chunk, "commands, not an RDB: decoded as RESP");
    assertEquals(Applier.Channel.SNAPSHOT, run.channel());
    assertArrayEquals("k".getBytes(StandardCharsets.US_ASCII), run.commands().get(0)[1]);
    link.applied(1, 2, 20);

    List<Effect> done = link.deliver(1, 3, new Payload.SnapshotDone(520), 30);
    assertEquals(new HistoryRestarted(MASTERS, 520), only(done, HistoryRestarted.class));
    assertEquals(new Publish(true, false, false, 30, 0), only(done, Publish.class), "the link is up");
    assertEquals(new Acknowledge(1, 3, 520), only(link.applied(1, 3, 30), Acknowledge.class));

    byte[] write = command("INCR", "n");
    List<Effect> stream = link.deliver(1, 4, new Payload.Stream(520 + write.length, write), 40);
    assertArrayEquals(write, only(stream, HistoryReceived.class).commands(), "an online replica keeps the history");
    assertEquals(Applier.Channel.STREAM, ((Work.Run) only(stream, Apply.class).work()).channel());
    assertEquals(new Acknowledge(1, 4, 520 + write.length), only(link.applied(1, 4, 40), Acknowledge.class));
  }

  @Test
  void aStreamCommandCutInTwoPayloadsRunsOnceBothArrived() {
    fullSync(0);
    byte[] write = command("SET", "key", "value");
    int cut = 7;
    List<Effect> first = link.deliver(1, 4, new Payload.Stream(500 + cut,
        Arrays.copyOfRange(write, 0, cut)), 10);
    assertInstanceOf(Work.Nothing.class, only(first, Apply.class).work(), "half a command runs nothing yet");
    link.applied(1, 4, 10);
    List<Effect> second = link.deliver(1, 5, new Payload.Stream(500 + write.length,
        Arrays.copyOfRange(write, cut, write.length)), 10);
    assertEquals(1, ((Work.Run) only(second, Apply.class).work()).commands().size());
  }

  @Test
  void payloadsApplyOneAtATimeInOrder() {
    link.start(0);
    assertEquals(1, all(link.deliver(1, 1, new Payload.FullSync(MASTERS, 0, 0), 0), Apply.class).size());
    assertTrue(all(link.deliver(1, 2, new Payload.Ping(0), 0), Apply.class).isEmpty(), "waits for the first");
    assertTrue(all(link.deliver(1, 3, new Payload.Ping(0), 0), Apply.class).isEmpty());
    List<Effect> next = link.applied(1, 1, 0);
    assertEquals(2, only(next, Apply.class).seq());
    assertEquals(3, only(link.applied(1, 2, 0), Apply.class).seq());
  }

  @Test
  void aGapInTheSequenceNumbersStartsANewSyncFromWhatWasApplied() {
    fullSync(0);
    List<Effect> gap = link.deliver(1, 5, new Payload.Ping(500), 1000);
    assertTrue(warns(gap));
    assertTrue(all(gap, Apply.class).isEmpty(), "nothing of it is applied");
    assertEquals(new RequestSync(2, MASTERS, 500), only(gap, RequestSync.class), "a new sync id, continuing");
    assertEquals(new Publish(false, false, false, 1000, 1000), only(gap, Publish.class), "down since the gap");
  }

  @Test
  void aPayloadOfAStaleSyncIdIsIgnored() {
    fullSync(0);
    link.deliver(1, 5, new Payload.Ping(500), 1000); // a gap: sync 2 asked for
    assertTrue(link.deliver(1, 4, new Payload.Ping(500), 1100).isEmpty(), "sync 1 is over");
    List<Effect> cont = link.deliver(2, 1, new Payload.Continue(MASTERS, 500), 1200);
    assertInstanceOf(Work.Nothing.class, only(cont, Apply.class).work());
    assertTrue(all(cont, HistoryContinued.class).isEmpty(), "the same history goes on");
    assertEquals(new Publish(true, false, false, 1200, 0), only(cont, Publish.class));
  }

  @Test
  void aPayloadSentAgainIsIgnoredButCountsAsLifeFromTheMaster() {
    fullSync(0);
    assertTrue(link.deliver(1, 2, new Payload.Chunk(command("SET", "k", "v")), 50_000).isEmpty());
    List<Effect> tick = link.tick(TIMEOUT, 50_000 + TIMEOUT);
    assertEquals(new Acknowledge(1, 3, 500), only(tick, Acknowledge.class), "not timed out: a heartbeat");
  }

  @Test
  void aSyncRequestWhileAPayloadIsAppliedWaitsForIt() {
    fullSync(0);
    byte[] write = command("INCR", "n");
    only(link.deliver(1, 4, new Payload.Stream(500 + write.length, write), 10), Apply.class);
    List<Effect> gap = link.deliver(1, 9, new Payload.Ping(0), 20);
    assertTrue(all(gap, RequestSync.class).isEmpty(), "the payload being applied still counts");
    List<Effect> applied = link.applied(1, 4, 30);
    assertTrue(all(applied, Acknowledge.class).isEmpty(), "of an abandoned sync: not acknowledged");
    assertEquals(new RequestSync(2, MASTERS, 500 + write.length), only(applied, RequestSync.class));
  }

  @Test
  void aContinuationUnderAnotherIdKeepsTheDataAndAdoptsTheId() {
    link.start(0);
    List<Effect> cont = link.deliver(1, 1, new Payload.Continue(MASTERS, 100), 10);
    assertEquals(new HistoryContinued(MASTERS), only(cont, HistoryContinued.class));
    link.applied(1, 1, 10);
    byte[] write = command("DEL", "k");
    assertArrayEquals(write, only(link.deliver(1, 2, new Payload.Stream(100 + write.length, write), 20),
        HistoryReceived.class).commands());
  }

  @Test
  void applyingThatFailsStartsOverWithAFullSync() {
    link.start(0);
    deliverAndApply(1, 1, new Payload.FullSync(MASTERS, 500, 0), 0);
    byte[] notAnRdb = "REDIS0011-not-an-rdb".getBytes(StandardCharsets.US_ASCII);
    Work bad = only(link.deliver(1, 2, new Payload.Chunk(notAnRdb), 0), Apply.class).work();
    assertInstanceOf(IOException.class, assertInstanceOf(Work.Invalid.class, bad).cause());
    List<Effect> failed = link.failed(1, new IOException("bad"), 10);
    assertTrue(warns(failed));
    assertEquals(new RequestSync(2, ReplicationLog.NO_ID, 500), only(failed, RequestSync.class),
        "a half-loaded snapshot is no history to continue from");
    assertTrue(link.failed(1, new IOException("again"), 20).isEmpty(), "a failure of the abandoned sync: no news");
  }

  @Test
  void aStreamThatIsNotRespStopsTheLink() {
    fullSync(0);
    byte[] junk = "*x\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThrows(IllegalStateException.class,
        () -> link.deliver(1, 4, new Payload.Stream(500 + junk.length, junk), 0));
  }

  @Test
  void anUnansweredSyncRequestIsSentAgainAfterAWhile() {
    link.start(0);
    assertTrue(all(link.tick(TIMEOUT, ReplicaSyncState.SYNC_RETRY_MS - 1), RequestSync.class).isEmpty());
    assertEquals(new RequestSync(2, MINE, 100),
        only(link.tick(TIMEOUT, ReplicaSyncState.SYNC_RETRY_MS), RequestSync.class));
    assertTrue(link.deliver(1, 1, new Payload.FullSync(MASTERS, 0, 0), 6000).isEmpty(), "the first answer is late");
  }

  @Test
  void aMasterSilentForReplTimeoutIsGivenUp() {
    fullSync(1000);
    List<Effect> alive = link.tick(TIMEOUT, 1000 + TIMEOUT);
    assertEquals(new Acknowledge(1, 3, 500), only(alive, Acknowledge.class));
    assertEquals(new Publish(true, false, false, 1000, 0), only(alive, Publish.class));
    List<Effect> silent = link.tick(TIMEOUT, 1001 + TIMEOUT);
    assertTrue(warns(silent));
    assertEquals(new RequestSync(2, MASTERS, 500), only(silent, RequestSync.class));
    Publish down = all(silent, Publish.class).get(all(silent, Publish.class).size() - 1);
    assertFalse(down.up());
    assertEquals(1001 + TIMEOUT, down.downSinceMs());
  }

  @Test
  void aKilledMasterLinkLosesWhatWasNotAppliedAndConnectsAgainASecondLaterFromWhatItApplied() {
    fullSync(0);
    byte[] applied = command("SET", "a", "1");
    deliverAndApply(1, 4, new Payload.Stream(500 + applied.length, applied), 10);
    byte[] first = command("SET", "b", "2");
    byte[] second = command("SET", "c", "3");
    // Payload 5 is being applied when the kill comes; payload 6 waits behind it and is lost with the stream.
    only(link.deliver(1, 5, new Payload.Stream(500 + applied.length + first.length, first), 20), Apply.class);
    assertTrue(link.deliver(1, 6, new Payload.Stream(500 + applied.length + first.length + second.length, second),
        20).stream().noneMatch(e -> e instanceof Apply));

    List<Effect> killed = link.killed(30);
    assertTrue(warns(killed));
    assertTrue(all(killed, RequestSync.class).isEmpty(), "no reconnection before replicationCron's next run");
    assertEquals(new Publish(false, false, false, 20, 30), only(killed, Publish.class));
    // The payload being applied finishes: its acknowledgement belongs to the cut stream and is not sent.
    assertTrue(all(link.applied(1, 5, 40), Acknowledge.class).isEmpty());
    // What the master sent before it noticed is of the cut stream.
    assertTrue(link.deliver(1, 7, new Payload.Ping(0), 50).isEmpty());
    assertTrue(all(link.tick(TIMEOUT, 1029), RequestSync.class).isEmpty());
    assertEquals(new RequestSync(3, MASTERS, 500 + applied.length + first.length),
        only(link.tick(TIMEOUT, 1030), RequestSync.class));
    // A second kill while connecting finds no master client.
    assertTrue(link.killed(1040).isEmpty());
  }

  // ---- repl-diskless-load swapdb: the async load ----------------------------------------------------------

  private final ReplicaSyncState swapdb = new ReplicaSyncState(MINE, 100, 0, () -> ++lastSyncId, () -> true);

  @Test
  void withSwapdbAFullSyncLoadsAsideAndSwapsItInWhenTheSnapshotIsWhole() {
    swapdb.start(0);
    List<Effect> begin = swapdb.deliver(1, 1, new Payload.FullSync(MASTERS, 500, 2), 10);
    assertEquals(new Work.LoadAside(2), only(begin, Apply.class).work(), "the keys stay");
    assertEquals(new Publish(false, true, true, 10, 0), only(begin, Publish.class), "async_loading");
    assertTrue(swapdb.asyncLoading());
    swapdb.applied(1, 1, 10);
    only(swapdb.deliver(1, 2, new Payload.Chunk(command("SET", "k", "v")), 20), Apply.class);
    swapdb.applied(1, 2, 20);

    List<Effect> done = swapdb.deliver(1, 3, new Payload.SnapshotDone(520), 30);
    assertEquals(new Work.SwapIn(), only(done, Apply.class).work());
    assertEquals(new Publish(true, false, false, 30, 0), only(done, Publish.class));
    assertFalse(swapdb.asyncLoading());
    assertEquals(new Acknowledge(1, 3, 520), only(swapdb.applied(1, 3, 30), Acknowledge.class));
  }

  @Test
  void aLostMasterDuringAnAsyncLoadDropsWhatItLoadedOnceThePayloadBeingAppliedIsDone() {
    swapdb.start(0);
    swapdb.deliver(1, 1, new Payload.FullSync(MASTERS, 500, 0), 10);
    swapdb.applied(1, 1, 10);
    only(swapdb.deliver(1, 2, new Payload.Chunk(command("SET", "k", "v")), 20), Apply.class);

    List<Effect> lost = swapdb.disconnected(1, 30);
    assertTrue(all(lost, Apply.class).isEmpty(), "the chunk is still being applied");
    assertEquals(new Publish(false, false, false, 20, 0), only(lost, Publish.class), "async_loading back to 0");
    assertFalse(swapdb.asyncLoading());

    List<Effect> chunkDone = swapdb.applied(1, 2, 40);
    Apply drop = only(chunkDone, Apply.class);
    assertEquals(new Work.DropAside(), drop.work());
    assertTrue(all(chunkDone, Acknowledge.class).isEmpty(), "the chunk's sync was abandoned");
    assertTrue(all(swapdb.applied(drop.syncId(), drop.seq(), 50), Acknowledge.class).isEmpty(),
        "the node's own work is acknowledged to nobody");

    // The next sync starts over (its history was dropped with the full sync's start).
    RequestSync again = only(swapdb.tick(TIMEOUT, 40 + ReplicaSyncState.RECONNECT_MS), RequestSync.class);
    assertEquals(ReplicationLog.NO_ID, again.replid());
  }

  @Test
  void aTimeoutDuringAnAsyncLoadDropsItBeforeTheNextSyncsPayloads() {
    swapdb.start(0);
    swapdb.deliver(1, 1, new Payload.FullSync(MASTERS, 500, 0), 10);
    swapdb.applied(1, 1, 10);
    List<Effect> timedOut = swapdb.tick(TIMEOUT, 10 + TIMEOUT + 1);
    assertEquals(new Work.DropAside(), only(timedOut, Apply.class).work(), "nothing was being applied: at once");
    RequestSync request = only(timedOut, RequestSync.class);
    List<Effect> next = swapdb.deliver(request.syncId(), 1, new Payload.FullSync(MASTERS, 900, 0),
        10 + TIMEOUT + 2);
    assertTrue(all(next, Apply.class).isEmpty(), "the next sync's payloads wait for the drop");
    Apply drop = only(timedOut, Apply.class);
    assertEquals(new Work.LoadAside(0), only(swapdb.applied(drop.syncId(), drop.seq(), 10 + TIMEOUT + 3),
        Apply.class).work());
  }

  @Test
  void withoutSwapdbALostFullSyncDropsNothingMore() {
    link.start(0);
    link.deliver(1, 1, new Payload.FullSync(MASTERS, 500, 0), 10);
    link.applied(1, 1, 10);
    assertTrue(all(link.disconnected(1, 20), Apply.class).isEmpty());
  }
}
