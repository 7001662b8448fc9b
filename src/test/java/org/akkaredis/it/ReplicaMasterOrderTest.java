package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.akkaredis.it.KeyspaceEventsDifferentialTest.Event;
import org.akkaredis.it.KeyspaceEventsDifferentialTest.PatternSubscriber;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.LocalCluster;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.keyspace.Slots;
import org.junit.jupiter.api.Test;

/**
 * A replica applies its master's stream strictly in the master's order, also across slot ranges and when many
 * payloads queued up (they are applied together): its keyspace events come in the order the master ran the
 * commands, as a Redis replica's do. The replica sleeps (DEBUG SLEEP holds its link) while the master takes the
 * writes one at a time, so that the payloads wait for it and its next apply takes them all.
 */
class ReplicaMasterOrderTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String MARKER = "__ke_marker__";
  /** Slots 15495 and 3300: in different ranges for any number of ranges above one. */
  private static final String[] KEYS = {"a", "b"};

  @Test
  void theReplicasEventsOfKeysInTwoRangesComeInTheMastersOrder() {
    assertNotEquals(Slots.slotOf(KEYS[0].getBytes()) * 2 / Slots.COUNT,
        Slots.slotOf(KEYS[1].getBytes()) * 2 / Slots.COUNT);
    try (LocalCluster cluster = LocalCluster.start(2, 5000)) {
      cluster.create(1);
      int replicaPort = cluster.member(1).port;
      try (RespConnection master = RespConnection.open(cluster.member(0).port);
          RespConnection replica = RespConnection.open(replicaPort);
          RespConnection sleeper = RespConnection.open(replicaPort);
          PatternSubscriber events = new PatternSubscriber(replicaPort)) {
        Await.until("the replica in sync", WAIT,
            () -> replica.infoField("replication", "master_link_status").equals("up"));
        replica.call("CONFIG", "SET", "notify-keyspace-events", "K$");
        sleeper.send("DEBUG", "SLEEP", "1");
        Await.until("the replica sleeps", WAIT, () -> replica.call("CLIENT", "LIST").text().contains("cmd=debug"));
        List<Event> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          // Runs of one key of different lengths, each command answered before the next is sent.
          String key = KEYS[(i * 5 / 3 + i / 7) % 2];
          boolean set = i % 3 == 0;
          master.call(set ? "SET" : "APPEND", key, Integer.toString(i));
          expected.add(new Event("__keyspace@0__:" + key, set ? "set" : "append"));
        }
        assertEquals("OK", sleeper.read().text(), "the replica's sleep ended");
        assertEquals(1, master.call("WAIT", "1", Long.toString(WAIT.toMillis())).integer(), "the replica acknowledged");
        replica.call("CONFIG", "SET", "notify-keyspace-events", "E$");
        master.call("SET", MARKER, "1");
        assertEquals(String.join("\n", expected.stream().map(Event::toString).toList()),
            String.join("\n", events.eventsUntilMarker().stream().map(Event::toString).toList()));
        replica.call("READONLY");
        assertEquals(master.call("GET", KEYS[0]).text(), replica.call("GET", KEYS[0]).text());
        assertEquals(master.call("GET", KEYS[1]).text(), replica.call("GET", KEYS[1]).text());
      }
    }
  }
}
