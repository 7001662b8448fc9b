package org.akkaredis.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.akkaredis.replication.ReplicaChannels.AckRecorded;
import org.akkaredis.replication.ReplicaChannels.Disconnect;
import org.akkaredis.replication.ReplicaChannels.Dropped;
import org.akkaredis.replication.ReplicaChannels.Effect;
import org.akkaredis.replication.ReplicaChannels.FullSyncStarted;
import org.akkaredis.replication.ReplicaChannels.PartialSyncAccepted;
import org.akkaredis.replication.ReplicaChannels.ReplicasChanged;
import org.akkaredis.replication.ReplicaChannels.Send;
import org.akkaredis.resp.OutputBufferLimit;
import org.junit.jupiter.api.Test;

class ReplicaChannelsTest {
  private static final String MASTERS = "m".repeat(40);
  private static final ReplicationSettings SETTINGS = new ReplicationSettings(1 << 20, 60_000, 10_000, 10_000, OutputBufferLimit.NONE);

  private final ReplicationLog log = new ReplicationLog(MASTERS, 1 << 20);
  private final ReplicaChannels replicas = new ReplicaChannels();

  /** Appends effects of {@code range} to the log; returns the new batches (a SELECT first, the first time). */
  private List<ReplicationLog.Batch> write(int range, String text) {
    List<ReplicationLog.Batch> batches = new ArrayList<>();
    log.append(range, 0, text.getBytes(StandardCharsets.US_ASCII), batches);
    return batches;
  }

  private static List<Payload> sent(List<Effect> effects) {
    return effects.stream().filter(Send.class::isInstance).map(e -> ((Send) e).payload()).toList();
  }

  private static String text(List<Payload> payloads) {
    StringBuilder out = new StringBuilder();
    for (Payload p : payloads) {
      if (p instanceof Payload.Stream stream) out.append(new String(stream.commands(), StandardCharsets.US_ASCII));
      if (p instanceof Payload.Chunk chunk) {
        out.append('[').append(new String(chunk.commands(), StandardCharsets.US_ASCII)).append(']');
      }
    }
    return out.toString();
  }

  private static <T extends Effect> T only(List<Effect> effects, Class<T> type) {
    List<Effect> found = effects.stream().filter(type::isInstance).toList();
    assertEquals(1, found.size(), () -> "one " + type.getSimpleName() + " in " + effects);
    return type.cast(found.get(0));
  }

  private static boolean warns(List<Effect> effects) {
    return effects.stream().anyMatch(e -> e instanceof LogLine line && line.warning());
  }

  private List<Effect> fullSync(String replicaId, long syncId, int ranges, long now) {
    return replicas.sync(replicaId, "10.0.0.1", 7004, syncId, ReplicationLog.NO_ID, 0, log, ranges, SETTINGS, now);
  }

  @Test
  void aReplicaThatTheBacklogCoversContinuesFromIt() {
    write(0, "one");
    long offset = log.offset();
    write(1, "two");
    List<Effect> effects = replicas.sync("r", "10.0.0.1", 7004, 9, MASTERS, offset, log, 2, SETTINGS, 0);
    only(effects, PartialSyncAccepted.class);
    only(effects, ReplicasChanged.class);
    List<Payload> payloads = sent(effects);
    assertEquals(new Payload.Continue(MASTERS, offset), payloads.get(0));
    assertEquals("two", text(payloads), "what it lacks, nothing more");
    assertEquals(1, replicas.ackedAt(offset), "online at once, with its offset acknowledged");
    assertEquals(0, replicas.ackedAt(log.offset()));
    List<Effect> ack = replicas.ack("r", 9, 2, log.offset(), SETTINGS, 10);
    only(ack, AckRecorded.class);
    assertEquals(1, replicas.ackedAt(log.offset()));
  }

  @Test
  void aFullSyncSendsEachRangesSnapshotBeforeItsStream() {
    write(0, "early"); // part of range 0's snapshot
    List<Effect> start = fullSync("r", 7, 2, 0);
    assertEquals(new FullSyncStarted("r", 7, 2, false), only(start, FullSyncStarted.class));
    assertEquals(List.of(new Payload.FullSync(MASTERS, log.offset(), 0)), sent(start));

    assertEquals("", text(sent(replicas.stream(write(0, "r0-before"), SETTINGS, 1))),
        "in range 0's snapshot, which is not out yet");
    List<Effect> first = replicas.snapshotTaken("r", 7, 0, List.of("S0".getBytes()), log.offset(), SETTINGS, 2);
    assertEquals("[S0]", text(sent(first)));
    assertEquals("r0-after", text(sent(replicas.stream(write(0, "r0-after"), SETTINGS, 3))), "range 0 streams now");
    assertEquals("", text(sent(replicas.stream(write(1, "r1-before"), SETTINGS, 4))));
    assertEquals(0, replicas.ackedAt(0), "not online before every snapshot is out");
    assertFalse(replicas.views().get(0).online());

    List<Effect> last = replicas.snapshotTaken("r", 7, 1, List.of("S1".getBytes()), log.offset(), SETTINGS, 5);
    List<Payload> payloads = sent(last);
    assertEquals("[S1]", text(payloads));
    assertEquals(new Payload.SnapshotDone(log.offset()), payloads.get(payloads.size() - 1));
    assertTrue(replicas.views().get(0).online());
    assertEquals(1, replicas.ackedAt(0));
    List<Long> seqs = new ArrayList<>();
    for (List<Effect> effects : List.of(start, first, last)) {
      effects.stream().filter(Send.class::isInstance).forEach(e -> seqs.add(((Send) e).seq()));
    }
    assertEquals(List.of(1L, 2L, 4L, 5L), seqs, "numbered in order (3 was range 0's stream)");
  }

  @Test
  void aReplicaThatAsksAgainAbandonsItsFullSync() {
    fullSync("r", 7, 2, 0);
    List<Effect> again = replicas.sync("r", "10.0.0.1", 7004, 8, MASTERS, 5, log, 2, SETTINGS, 1);
    assertEquals(new FullSyncStarted("r", 8, 2, true), only(again, FullSyncStarted.class),
        "a continuation it could not get");
    assertTrue(replicas.snapshotTaken("r", 7, 0, List.of("S0".getBytes()), 0, SETTINGS, 2).isEmpty(),
        "a snapshot for the abandoned sync");
    assertTrue(replicas.ack("r", 7, 1, 0, SETTINGS, 2).isEmpty(), "an acknowledgement of the abandoned sync");
    assertEquals(1, replicas.views().size());
  }

  @Test
  void aReplicaThatDisconnectedMidwayGetsNoMoreOfItsSnapshot() {
    fullSync("r", 7, 2, 0);
    List<Effect> tick = replicas.tick(log.offset(), SETTINGS, SETTINGS.timeoutMs() + 1);
    assertTrue(warns(tick));
    assertEquals(new Dropped("r"), only(tick, Dropped.class));
    assertTrue(replicas.snapshotTaken("r", 7, 0, List.of("S0".getBytes()), 0, SETTINGS, 2).isEmpty());
    assertTrue(replicas.views().isEmpty());
  }

  @Test
  void clientKillTypeReplicaDropsEveryReplicaAndTellsEachLinkWhichSyncEnded() {
    fullSync("r", 7, 2, 0);
    fullSync("s", 8, 2, 0);
    List<Effect> dropped = replicas.dropAll();
    assertEquals(Set.of(new Disconnect("r", 7), new Disconnect("s", 8)),
        Set.copyOf(dropped.stream().filter(Disconnect.class::isInstance).toList()));
    assertEquals(Set.of(new Dropped("r"), new Dropped("s")),
        Set.copyOf(dropped.stream().filter(Dropped.class::isInstance).toList()));
    only(dropped, ReplicasChanged.class);
    assertTrue(replicas.views().isEmpty());
    assertTrue(replicas.dropAll().isEmpty(), "no replica left: nothing changes");
  }

  @Test
  void aTimedOutReplicasLinkIsToldAsWell() {
    fullSync("r", 7, 2, 0);
    assertEquals(new Disconnect("r", 7),
        only(replicas.tick(log.offset(), SETTINGS, SETTINGS.timeoutMs() + 1), Disconnect.class));
  }

  @Test
  void aFailedRangeSnapshotGivesTheReplicaUpSoThatItAsksAgain() {
    fullSync("r", 7, 2, 0);
    replicas.snapshotTaken("r", 7, 0, List.of("S0".getBytes()), 0, SETTINGS, 1);
    List<Effect> failed = replicas.snapshotTaken("r", 7, 1, null, 0, SETTINGS, 2);
    assertTrue(warns(failed));
    assertEquals(new Dropped("r"), only(failed, Dropped.class));
    assertTrue(sent(failed).isEmpty());
    assertTrue(replicas.views().isEmpty());
    assertTrue(sent(replicas.stream(write(0, "later"), SETTINGS, 3)).isEmpty());
  }

  @Test
  void anAcknowledgementOfWhatWasNeverSentIsIgnored() {
    fullSync("r", 7, 1, 0);
    assertTrue(replicas.ack("r", 7, 5, 100, SETTINGS, 1).isEmpty());
    assertTrue(replicas.ack("other", 7, 1, 100, SETTINGS, 1).isEmpty());
    only(replicas.ack("r", 7, 1, 0, SETTINGS, 1), AckRecorded.class);
  }

  @Test
  void anIdleReplicaIsPingedAndAStalledOneGetsTheLastPayloadAgain() {
    fullSync("r", 7, 1, 0);
    replicas.ack("r", 7, 1, 0, SETTINGS, 0);
    List<Effect> idle = replicas.tick(log.offset(), SETTINGS, SETTINGS.pingPeriodMs());
    assertEquals(new Send("r", 7, 2, new Payload.Ping(log.offset())), only(idle, Send.class));
    only(idle, ReplicasChanged.class);
    List<Effect> stalled = replicas.tick(log.offset(), SETTINGS,
        SETTINGS.pingPeriodMs() + ReplicaChannels.RESEND_AFTER_MS);
    assertEquals(new Send("r", 7, 2, new Payload.Ping(log.offset())), only(stalled, Send.class), "sent again");
  }

  @Test
  void aReplicaTooFarBehindIsGivenUp() {
    ReplicationSettings small = new ReplicationSettings(64, 60_000, 10_000, 10_000, new OutputBufferLimit(100, 0, 0));
    replicas.sync("r", "10.0.0.1", 7004, 7, MASTERS, log.offset(), log, 1, small, 0);
    List<Effect> effects = new ArrayList<>();
    for (int i = 0; i < ReplicaChannel.WINDOW + 10 && effects.stream().noneMatch(Dropped.class::isInstance); i++) {
      effects.addAll(replicas.stream(write(0, "x".repeat(20)), small, 1));
    }
    assertTrue(warns(effects));
    only(effects, Dropped.class);
    assertTrue(replicas.views().isEmpty());
  }

  @Test
  void aReplicaAboveTheSoftLimitForLongerThanItsSecondsIsGivenUp() {
    ReplicationSettings soft = new ReplicationSettings(64, 60_000, 10_000, 10_000, new OutputBufferLimit(0, 100, 5));
    replicas.sync("r", "10.0.0.1", 7004, 7, MASTERS, log.offset(), log, 1, soft, 0);
    List<Effect> effects = new ArrayList<>();
    for (int i = 0; i < ReplicaChannel.WINDOW + 10; i++) {
      effects.addAll(replicas.stream(write(0, "x".repeat(20)), soft, 1));
    }
    assertTrue(effects.stream().noneMatch(Dropped.class::isInstance), "above the soft limit, but only since now");
    assertTrue(replicas.tick(log.offset(), soft, 5_001).stream().noneMatch(Dropped.class::isInstance),
        "5 seconds above it: not more than the soft-seconds yet");
    List<Effect> later = replicas.tick(log.offset(), soft, 5_002);
    assertTrue(warns(later));
    only(later, Dropped.class);
    assertTrue(replicas.views().isEmpty());
  }

  @Test
  void goodReplicasAreOnlineAndAcknowledgedWithinTheLag() {
    replicas.sync("a", "10.0.0.1", 7004, 1, MASTERS, 0, log, 1, SETTINGS, 0);
    replicas.sync("b", "10.0.0.2", 7004, 2, MASTERS, 0, log, 1, SETTINGS, 0);
    fullSync("c", 3, 1, 0);
    replicas.ack("b", 2, 1, 0, SETTINGS, 5_000);
    assertEquals(2, replicas.good(5_000, 10_000), "c is not online");
    assertEquals(1, replicas.good(12_000, 10_000));
    replicas.clear();
    assertEquals(0, replicas.good(12_000, 10_000));
    assertTrue(replicas.views().isEmpty());
  }
}
