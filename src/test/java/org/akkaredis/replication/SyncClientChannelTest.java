package org.akkaredis.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.persistence.Crc64;
import org.akkaredis.persistence.DataLoader;
import org.akkaredis.persistence.RdbWriter;
import org.akkaredis.replication.ReplicaChannels.Dropped;
import org.akkaredis.replication.ReplicaChannels.Effect;
import org.akkaredis.replication.ReplicaChannels.Keepalive;
import org.akkaredis.replication.ReplicaChannels.RdbSyncStarted;
import org.akkaredis.replication.ReplicaChannels.Send;
import org.akkaredis.resp.OutputBufferLimit;
import org.junit.jupiter.api.Test;

/** A client that sent SYNC, as the master's plain objects see it: one RDB, then the stream, as bytes. */
class SyncClientChannelTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final ReplicationSettings SETTINGS = new ReplicationSettings(1 << 20, 60_000, 10_000, 10_000, OutputBufferLimit.NONE);
  private static final RdbWriter.Aux AUX = new RdbWriter.Aux("7.0.15", NOW / 1000, 1_000_000, false);
  private static final String SELECT_0 = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n";

  private final ReplicationLog log = new ReplicationLog("m".repeat(40), 1 << 20);
  private final ReplicaChannels replicas = new ReplicaChannels();

  private List<ReplicationLog.Batch> write(int range, String text) {
    List<ReplicationLog.Batch> batches = new ArrayList<>();
    log.append(range, 0, text.getBytes(StandardCharsets.US_ASCII), batches);
    return batches;
  }

  private static List<Send> sends(List<Effect> effects) {
    return effects.stream().filter(Send.class::isInstance).map(Send.class::cast).toList();
  }

  private static byte[] bytesOf(List<Send> sends) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Send send : sends) {
      if (send.payload() instanceof Payload.Chunk chunk) out.writeBytes(chunk.commands());
      else if (send.payload() instanceof Payload.Stream stream) out.writeBytes(stream.commands());
      else throw new AssertionError("a SYNC client gets bytes only: " + send.payload());
    }
    return out.toByteArray();
  }

  private static RangeState range(int index, String... keysAndValues) {
    RangeState range = new RangeState(index, 0, 16383, 2, Settings.defaults(), () -> NOW, SlotRouting::standalone);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      range.db(0).put(Key.of(keysAndValues[i]), keysAndValues[i + 1].getBytes(StandardCharsets.US_ASCII));
    }
    return range;
  }

  @Test
  void theClientGetsTheRdbAsABulkThenTheStreamOfTheRangesAfterTheirParts() throws Exception {
    write(0, "before-sync");
    log.forgetDb(); // as the source does when a client syncs
    List<Effect> started = replicas.syncClient("c", "127.0.0.1", 1, 2, SETTINGS, NOW);
    assertEquals(new RdbSyncStarted("c", 1, 2), started.stream().filter(RdbSyncStarted.class::isInstance)
        .findFirst().orElseThrow());
    assertTrue(sends(started).isEmpty(), "nothing before the RDB");
    assertFalse(replicas.views().get(0).online(), "wait_bgsave");

    // Range 1's write is in its parts (taken later); range 0's parts are in, so its write follows the RDB.
    List<Effect> parts0 = replicas.partsTaken("c", 1, 0, RdbWriter.partsOf(range(0, "a", "1")), AUX, SETTINGS, NOW);
    assertTrue(sends(parts0).isEmpty(), "the RDB is whole only with every range's part");
    assertTrue(sends(replicas.stream(write(1, "in-range-1-parts"), SETTINGS, NOW)).isEmpty());
    assertTrue(sends(replicas.stream(write(0, "after-range-0-parts"), SETTINGS, NOW)).isEmpty(), "held for the RDB");
    List<Effect> parts1 = replicas.partsTaken("c", 1, 1, RdbWriter.partsOf(range(1, "b", "2")), AUX, SETTINGS, NOW);
    assertTrue(replicas.views().get(0).online());

    byte[] out = bytesOf(sends(parts1));
    String text = new String(out, StandardCharsets.ISO_8859_1);
    assertTrue(text.startsWith("$"), text);
    int headerEnd = text.indexOf("\r\n");
    int length = Integer.parseInt(text.substring(1, headerEnd));
    byte[] rdb = Arrays.copyOfRange(out, headerEnd + 2, headerEnd + 2 + length);
    assertEquals("REDIS0010", new String(rdb, 0, 9, StandardCharsets.US_ASCII));
    long crc = Crc64.update(0, rdb, 0, rdb.length - 8);
    for (int i = 0; i < 8; i++) assertEquals((byte) (crc >>> (8 * i)), rdb[rdb.length - 8 + i], "the CRC-64");
    List<String> commands = DataLoader.commandsOfRdb(rdb).stream()
        .map(c -> String.join(" ", Arrays.stream(c).map(b -> new String(b, StandardCharsets.US_ASCII)).toList()))
        .toList();
    assertEquals(List.of("SELECT 0", "SET a 1", "SET b 2"), commands);
    assertEquals(SELECT_0 + "after-range-0-parts", text.substring(headerEnd + 2 + length),
        "no CRLF after the RDB; then the stream from a SELECT, without what the parts hold");

    List<Effect> later = replicas.stream(write(1, "later"), SETTINGS, NOW);
    assertArrayEquals("later".getBytes(StandardCharsets.US_ASCII), bytesOf(sends(later)));
  }

  @Test
  void theClientsWindowMovesAsItsConnectionTakesThePayloadsAndNothingIsSentTwice() {
    replicas.syncClient("c", "127.0.0.1", 1, 1, SETTINGS, NOW);
    List<Send> rdb = sends(replicas.partsTaken("c", 1, 0, RdbWriter.partsOf(range(0)), AUX, SETTINGS, NOW));
    long seq = rdb.get(rdb.size() - 1).seq();
    int streamed = 0;
    for (int i = 0; i < ReplicaChannel.WINDOW * 2; i++) {
      streamed += sends(replicas.stream(write(0, "w" + i), SETTINGS, NOW)).size();
    }
    assertEquals(ReplicaChannel.WINDOW - seq, streamed, "a window of payloads travels untaken");
    List<Send> more = sends(replicas.consumed("c", 1, 3, SETTINGS, NOW));
    // What queued behind the full window goes out joined (ReplicaChannel.joinQueuedStreams), in order, once.
    assertEquals(1, more.size(), "three taken: the queued payloads go, joined into one");
    assertEquals(ReplicaChannel.WINDOW + 1, more.get(0).seq());
    StringBuilder queued = new StringBuilder();
    for (int i = streamed; i < ReplicaChannel.WINDOW * 2; i++) queued.append("w").append(i);
    assertEquals(queued.toString(), new String(bytesOf(more), StandardCharsets.US_ASCII));
    assertTrue(sends(replicas.consumed("c", 1, 2, SETTINGS, NOW)).isEmpty(), "an older take moves nothing");
    int sentAgain = 0;
    for (int i = 0; i < ReplicaChannel.WINDOW; i++) sentAgain += sends(replicas.stream(write(0, "x" + i), SETTINGS, NOW)).size();
    assertEquals(2, sentAgain, "the window is full again; the rest waits");
    List<Effect> tick = replicas.tick(log.offset(), SETTINGS, NOW + 120_000);
    assertTrue(sends(tick).isEmpty(), "no resend over a connection, and no ping while payloads wait");
    assertTrue(tick.stream().noneMatch(Dropped.class::isInstance), "never timed out: it acknowledges nothing");
    assertEquals(0, replicas.ackedAt(log.offset()), "WAIT does not count it");
  }

  @Test
  void aClientWaitingForItsRdbGetsNewlinesAndOneTooFarBehindIsDropped() {
    ReplicationSettings limited = new ReplicationSettings(64, 60_000, 10_000, 10_000, new OutputBufferLimit(100, 0, 0));
    replicas.syncClient("c", "127.0.0.1", 1, 2, limited, NOW);
    List<Effect> tick = replicas.tick(log.offset(), limited, NOW + 1000);
    assertTrue(tick.contains(new Keepalive("c")));
    replicas.partsTaken("c", 1, 0, RdbWriter.partsOf(range(0)), AUX, limited, NOW);
    List<Effect> effects = replicas.stream(write(0, "x".repeat(200)), limited, NOW);
    assertTrue(effects.contains(new Dropped("c")), "past client-output-buffer-limit's replica class");
    assertTrue(replicas.views().isEmpty());
  }

  @Test
  void aClosedConnectionEndsTheReplica() {
    replicas.syncClient("c", "127.0.0.1", 1, 1, SETTINGS, NOW);
    assertEquals(1, replicas.views().size());
    assertFalse(replicas.disconnected("c").isEmpty());
    assertTrue(replicas.views().isEmpty());
    assertTrue(replicas.disconnected("c").isEmpty(), "once");
    assertTrue(replicas.partsTaken("c", 1, 0, RdbWriter.partsOf(range(0)), AUX, SETTINGS, NOW).isEmpty());
  }

  @Test
  void aClientsReplconfAckMovesItsOffsetAsRedisTakesIt() {
    replicas.syncClient("c", "127.0.0.1", 1, 1, SETTINGS, NOW);
    replicas.partsTaken("c", 1, 0, RdbWriter.partsOf(range(0)), AUX, SETTINGS, NOW);
    replicas.stream(write(0, "x"), SETTINGS, NOW);
    assertEquals(0, replicas.ackedAt(log.offset()));
    List<Effect> effects = replicas.clientAck("c", log.offset(), NOW + 5000);
    assertTrue(effects.contains(new ReplicaChannels.AckRecorded("c")), "WAITs may be satisfied now");
    assertEquals(1, replicas.ackedAt(log.offset()));
    assertEquals(NOW + 5000, replicas.views().get(0).lastAckMs());
    replicas.clientAck("c", 1, NOW + 6000);
    assertEquals(log.offset(), replicas.views().get(0).ackOffset(), "never backwards");
    assertTrue(replicas.clientAck("nobody", 5, NOW).isEmpty());
  }
}
