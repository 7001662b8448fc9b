package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.LocalCluster;
import org.akkaredis.it.support.LocalCluster.Member;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.keyspace.Slots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis's cluster test 05-slave-selection in this JVM, on seven nodes: three masters (a failover needs a majority
 * of them), the first with two replicas.
 * One replica is stopped by MULTI, DEBUG SLEEP, CLIENT KILL of its master, EXEC while the master takes writes; the
 * master is paused (CLIENT PAUSE ALL: no replica syncs again) and killed. The replica that has the writes wins the
 * election, the one that slept through them follows it.
 */
class SleepingReplicaFailoverTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static LocalCluster cluster;

  @BeforeAll
  static void createCluster() {
    cluster = LocalCluster.start(7, 3000);
    cluster.create(3); // master 0's replicas are members 3 and 6
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  private static String replicationField(Member member, String field) {
    return member.call("info", "replication").lines().filter(line -> line.startsWith(field + ":"))
        .map(line -> line.substring(field.length() + 1)).findFirst().orElse("");
  }

  /** Writes {@code count} keys of the first master's slots (0-5460), each answered before the next. */
  private static void write(Member master, int count, String value) {
    try (RespConnection connection = RespConnection.open(master.port)) {
      int written = 0;
      for (int n = 0; written < count; n++) {
        String key = "key:" + n;
        if (Slots.slotOf(key.getBytes()) > 5460) continue;
        assertEquals("OK", connection.call("set", key, value).text());
        written++;
      }
    }
  }

  @Test
  void theReplicaThatSleptThroughTheLastWritesLosesTheElection() {
    Member master = cluster.member(0);
    Member keeps = cluster.member(3);
    Member sleeps = cluster.member(6);
    Await.until("both replicas in sync", TIMEOUT, () -> replicationField(keeps, "master_link_status").equals("up")
        && replicationField(sleeps, "master_link_status").equals("up")
        && replicationField(master, "connected_slaves").equals("2"));
    write(master, 100, "before");
    assertEquals(2, Long.parseLong(master.call("wait", "2", "60000")));
    try (RespConnection sleeper = RespConnection.open(sleeps.port)) {
      assertEquals("OK", sleeper.call("multi").text());
      assertEquals("QUEUED", sleeper.call("debug", "sleep", "4").text());
      assertEquals("QUEUED", sleeper.call("client", "kill", "127.0.0.1:" + master.port).text());
      sleeper.send("exec");
      Await.until("the replica runs the EXEC", TIMEOUT, () -> sleeps.call("client", "list").contains("cmd=exec"));
      write(master, 100, "while-asleep");
      assertEquals("OK", master.call("client", "pause", "60000"));
      assertEquals(List.of("OK", "OK"), sleeper.read().texts());
    }
    long keptOffset = Long.parseLong(replicationField(keeps, "slave_repl_offset"));
    assertTrue(Long.parseLong(replicationField(sleeps, "slave_repl_offset")) < keptOffset,
        "the writes made during the sleep never reached the sleeping replica");
    master.crash();
    Await.until("the replica with the writes is promoted", TIMEOUT,
        () -> replicationField(keeps, "role").equals("master"));
    // The sleeper may pass through a moment without a master while it learns of the new one: what counts is that
    // it ends up following the winner, which stays the master.
    Await.until("the other replica follows it", TIMEOUT,
        () -> replicationField(sleeps, "role").equals("slave")
            && replicationField(sleeps, "master_port").equals("" + keeps.port)
            && replicationField(sleeps, "master_link_status").equals("up"));
    assertEquals("master", replicationField(keeps, "role"), "the replica with the writes stays the master");
  }
}
