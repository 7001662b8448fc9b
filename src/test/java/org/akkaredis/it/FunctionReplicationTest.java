package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.LocalCluster;
import org.akkaredis.it.support.LocalCluster.Member;
import org.akkaredis.it.support.RespConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Function libraries reach a replica, as Redis's do: FUNCTION LOAD, DELETE and RESTORE through the stream (WAIT
 * counts them), a restarted replica's full sync carries the master's libraries, and the replica keeps them when it
 * takes over.
 */
class FunctionReplicationTest {
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

  @Test
  void theReplicaGetsTheLibrariesByStreamAndFullSyncAndKeepsThemAfterAFailover() {
    Member master = cluster.member(0);
    Member replica = cluster.member(1);
    try (RespConnection m = RespConnection.open(master.port)) {
      m.call("SET", "k", "v");
      assertEquals("liba", m.call("FUNCTION", "LOAD", FunctionPersistenceRedisTest.LIB_A).text());
      assertEquals("libc", m.call("FUNCTION", "LOAD", FunctionPersistenceRedisTest.LIB_CLASH
          .replace("'fa'", "'fc'")).text());
      assertEquals("OK", m.call("FUNCTION", "DELETE", "libc").text());
      assertEquals(1, m.call("WAIT", "1", "10000").integer(), "the replica has every write");
      try (RespConnection r = RespConnection.open(replica.port)) {
        assertEquals("OK", r.call("READONLY").text());
        assertEquals("v", r.call("FCALL_RO", "fa_ro", "1", "k").text());
        assertEquals(FunctionPersistenceRedisTest.libraries(m), FunctionPersistenceRedisTest.libraries(r));
      }

      // Loaded while the replica is down: only its full sync can bring it.
      replica.shutdown();
      long fullSyncs = Long.parseLong(m.infoField("stats", "sync_full"));
      assertEquals("libb", m.call("FUNCTION", "LOAD", FunctionPersistenceRedisTest.LIB_B).text());
      replica.start();
      Await.until("the restarted replica's full sync", TIMEOUT,
          () -> Long.parseLong(m.infoField("stats", "sync_full")) > fullSyncs);
      assertEquals(1, m.call("WAIT", "1", "10000").integer());
      try (RespConnection r = RespConnection.open(replica.port)) {
        assertEquals(FunctionPersistenceRedisTest.libraries(m), FunctionPersistenceRedisTest.libraries(r));
      }

      Await.until("the replica takes over", TIMEOUT, () -> replica.call("cluster", "failover").equals("OK"));
      Await.until("the replica is master", TIMEOUT, () -> replica.myFlags().contains("master"));
      try (RespConnection now = RespConnection.open(replica.port)) {
        assertEquals("from a", now.call("FCALL", "fa", "0").text());
        assertEquals(2, now.call("FCALL", "fb", "0").integer());
        assertEquals("v", now.call("FCALL_RO", "fa_ro", "1", "k").text());
      }
    }
  }
}
