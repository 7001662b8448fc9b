package org.akkaredis.replication;

import static org.akkaredis.replication.ReplicaSyncStateTest.all;
import static org.akkaredis.replication.ReplicaSyncStateTest.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.akkaredis.replication.ReplicaSyncState.Acknowledge;
import org.akkaredis.replication.ReplicaSyncState.Apply;
import org.akkaredis.replication.ReplicaSyncState.Effect;
import org.akkaredis.replication.ReplicaSyncState.HistoryReceived;
import org.akkaredis.replication.ReplicaSyncState.Work;
import org.junit.jupiter.api.Test;

/**
 * The stream payloads that queued up while one apply ran go into the next apply together, their commands in the
 * master's order, and that apply acknowledges the last of them; anything other than the stream (a ping, a snapshot
 * chunk) ends the merge, and one apply takes at most {@link ReplicaSyncState#MERGED_STREAMS} payloads.
 */
class ReplicaMergedApplyTest {
  private static final String MASTERS = "m".repeat(40);
  private long lastSyncId;
  private final ReplicaSyncState link = new ReplicaSyncState("r".repeat(40), 100, 0, () -> ++lastSyncId);
  private long offset = 500;
  private long seq = 3;

  /** A linked replica (full sync done at offset 500, payloads 1-3) whose next payload is 4. */
  private void linked() {
    link.start(0);
    link.deliver(1, 1, new Payload.FullSync(MASTERS, 500, 0), 0);
    link.applied(1, 1, 0);
    link.deliver(1, 2, new Payload.SnapshotDone(500), 0);
    link.applied(1, 2, 0);
    link.deliver(1, 3, new Payload.Ping(500), 0);
    link.applied(1, 3, 0);
  }

  /** Delivers the next payload: a stream payload of {@code commands}. */
  private List<Effect> stream(byte[]... commands) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (byte[] command : commands) bytes.writeBytes(command);
    offset += bytes.size();
    return link.deliver(1, ++seq, new Payload.Stream(offset, bytes.toByteArray()), 0);
  }

  private static List<String> texts(Work work) {
    return assertInstanceOf(Work.Run.class, work).commands().stream()
        .map(args -> String.join(" ", Arrays.stream(args).map(String::new).toList())).toList();
  }

  @Test
  void streamPayloadsQueuedDuringAnApplyRunTogetherInOrderAndAreAcknowledgedAtOnce() {
    linked();
    assertEquals(List.of("SET a 0"), texts(all(stream(command("SET", "a", "0")), Apply.class).get(0).work()));
    List<Effect> queued = new ArrayList<>();
    queued.addAll(stream(command("SET", "b", "1"), command("SET", "a", "2")));
    queued.addAll(stream(command("APPEND", "b", "3")));
    queued.addAll(stream(command("INCR", "c")));
    assertTrue(all(queued, Apply.class).isEmpty(), "one apply at a time");

    List<Effect> next = link.applied(1, 4, 0);
    assertEquals(new Acknowledge(1, 4, 500 + command("SET", "a", "0").length), all(next, Acknowledge.class).get(0));
    Apply merged = all(next, Apply.class).get(0);
    assertEquals(7, merged.seq(), "acknowledges the last payload it took");
    assertEquals(List.of("SET b 1", "SET a 2", "APPEND b 3", "INCR c"), texts(merged.work()));
    assertEquals(3, all(next, HistoryReceived.class).size(), "each payload joins the replica's history, in order");
    assertEquals(List.of(new Acknowledge(1, 7, offset)), all(link.applied(1, 7, 0), Acknowledge.class));
  }

  @Test
  void aPingEndsTheMergeAndAStreamCommandCutInTwoPayloadsRunsWhole() {
    linked();
    stream(command("SET", "a", "0"));
    byte[] cut = command("SET", "b", "12345");
    offset += 10;
    link.deliver(1, ++seq, new Payload.Stream(offset, Arrays.copyOf(cut, 10)), 0);
    offset += cut.length - 10;
    link.deliver(1, ++seq, new Payload.Stream(offset, Arrays.copyOfRange(cut, 10, cut.length)), 0);
    long pingedAt = offset;
    link.deliver(1, ++seq, new Payload.Ping(pingedAt), 0);
    stream(command("DEL", "a"));

    Apply merged = all(link.applied(1, 4, 0), Apply.class).get(0);
    assertEquals(6, merged.seq());
    assertEquals(List.of("SET b 12345"), texts(merged.work()));
    Apply ping = all(link.applied(1, 6, 0), Apply.class).get(0);
    assertEquals(7, ping.seq());
    assertInstanceOf(Work.Nothing.class, ping.work());
    assertEquals(List.of("DEL a"), texts(all(link.applied(1, 7, 0), Apply.class).get(0).work()));
  }

  @Test
  void oneApplyTakesAtMostAWindowOfPayloads() {
    linked();
    stream(command("SET", "k", "first"));
    for (int i = 0; i < ReplicaSyncState.MERGED_STREAMS + 1; i++) stream(command("SET", "k", Integer.toString(i)));
    Apply merged = all(link.applied(1, 4, 0), Apply.class).get(0);
    assertEquals(ReplicaSyncState.MERGED_STREAMS, texts(merged.work()).size());
    assertEquals(4 + ReplicaSyncState.MERGED_STREAMS, merged.seq());
    Apply rest = all(link.applied(1, merged.seq(), 0), Apply.class).get(0);
    assertEquals(List.of("SET k " + ReplicaSyncState.MERGED_STREAMS), texts(rest.work()));
  }
}
