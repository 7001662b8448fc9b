package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.LocalCluster;
import org.akkaredis.it.support.LocalCluster.Member;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Consumer groups survive a failover: a master and its replica over real remoting; the replica holds the stream and
 * its groups exactly as the master (pending entries with their delivery times and counts, consumers, last ids),
 * since the master propagates group reads as XCLAIM and XGROUP SETID; a reader blocked on the master when the
 * replica takes over is redirected, and the new master serves the consumer's pending history and new entries.
 */
class StreamFailoverTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static LocalCluster cluster;

  @BeforeAll
  static void createCluster() {
    cluster = LocalCluster.start(2, 5000);
    cluster.create(1);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  private static final List<String[]> READS = List.of(new String[] {"XINFO", "STREAM", "jobs", "FULL"},
      new String[] {"XINFO", "GROUPS", "jobs"}, new String[] {"XPENDING", "jobs", "g"},
      new String[] {"XRANGE", "jobs", "-", "+"});

  @Test
  void theReplicaHoldsTheGroupsAndServesThemAfterAFailover() {
    Member master = cluster.member(0);
    Member replica = cluster.member(1);
    try (RespConnection m = RespConnection.open(master.port); RespConnection r = RespConnection.open(replica.port);
        RespConnection blocked = RespConnection.open(master.port)) {
      for (int i = 1; i <= 5; i++) m.call("XADD", "jobs", "*", "n", Integer.toString(i));
      m.call("XGROUP", "CREATE", "jobs", "g", "0");
      m.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "jobs", ">");
      m.call("XREADGROUP", "GROUP", "g", "bob", "NOACK", "COUNT", "2", "STREAMS", "jobs", ">");
      RespReply pendingOfAlice = m.call("XPENDING", "jobs", "g", "-", "+", "10", "alice");
      String firstPending = pendingOfAlice.get(0).get(0).text();
      m.call("XACK", "jobs", "g", firstPending);
      m.call("XCLAIM", "jobs", "g", "carol", "0", pendingOfAlice.get(1).get(0).text());
      m.call("XGROUP", "CREATECONSUMER", "jobs", "g", "dave");
      assertEquals(1, m.call("WAIT", "1", "10000").integer(), "the replica has every write");
      assertEquals("OK", r.call("READONLY").text());
      for (String[] read : READS) {
        RespReply onMaster = m.call(read);
        RespReply onReplica = r.call(read);
        // A consumer's seen time is when each node created it (as on redis-server's replicas); all else is exact.
        String why = StreamScripts.TIMES.mismatch(onMaster, onReplica);
        assertEquals(null, why, String.join(" ", read) + ": master " + onMaster.escaped(2000) + ", replica "
            + onReplica.escaped(2000));
      }

      blocked.send("XREADGROUP", "GROUP", "g", "erin", "BLOCK", "0", "STREAMS", "jobs", ">");
      Await.until("the reader blocks", TIMEOUT, () -> m.infoField("clients", "blocked_clients").equals("1"));
      Await.until("the replica takes over", TIMEOUT, () -> replica.call("cluster", "failover").equals("OK"));
      Await.until("the replica is master", TIMEOUT, () -> replica.myFlags().contains("master"));
      String redirect = blocked.read().text();
      assertTrue(redirect.startsWith("MOVED ") && redirect.endsWith(":" + replica.port), redirect);

      try (RespConnection now = RespConnection.open(replica.port)) {
        RespReply history = now.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "jobs", "0");
        assertEquals(List.of(pendingOfAlice.get(2).get(0).text()),
            history.get(0).get(1).elements().stream().map(entry -> entry.get(0).text()).toList(),
            "alice's pending entries after the failover: what was neither acknowledged nor claimed");
        now.call("XADD", "jobs", "*", "n", "6");
        RespReply fresh = now.call("XREADGROUP", "GROUP", "g", "erin", "STREAMS", "jobs", ">");
        assertEquals(1, fresh.get(0).get(1).elements().size(), "the entry added after the failover");
        assertEquals(1, now.call("XACK", "jobs", "g", pendingOfAlice.get(2).get(0).text()).integer());
      }
    }
  }
}
