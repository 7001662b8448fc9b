package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.LocalCluster;
import org.akkaredis.it.support.LocalCluster.Member;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * repl-diskless-load swapdb between two nodes over real remoting: during a slow full sync (rdb-key-save-delay on the
 * master) the replica serves its old keys with INFO async_loading:1; once the snapshot is whole the master's keys
 * replace them; when the master stops in the middle of one, the replica sees it gone at once (not after
 * repl-timeout), drops what it loaded and keeps its old keys.
 */
class AsyncLoadReplicaTest {
  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);
  /** Far below repl-timeout (60 s): a master that stops is seen gone by its notice, not by the timeout. */
  private static final Duration MASTER_GONE_TIMEOUT = Duration.ofSeconds(10);

  private LocalCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) cluster.close();
  }

  private static String info(Member member, String field) {
    return member.call("info", "everything").lines().filter(line -> line.startsWith(field + ":"))
        .map(line -> line.substring(field.length() + 1)).findFirst().orElse("");
  }

  private static String readOnReplica(Member replica, String... args) {
    try (RespConnection connection = RespConnection.open(replica.port)) {
      assertEquals("OK", connection.call("readonly").text());
      RespReply reply = connection.call(args);
      return reply.isNull() ? null : reply.text();
    }
  }

  /** Makes the replica sync in full: a new history on the master, and the replica's link cut. */
  private static void forceFullSync(Member master, Member replica) {
    assertEquals("OK", master.call("debug", "change-repl-id"));
    replica.call("client", "kill", "type", "master");
  }

  @Test
  void theOldKeysAreServedDuringTheLoadAndReplacedWhenItCompletesOrKeptWhenTheMasterStops() {
    cluster = LocalCluster.start(2, 5000);
    cluster.create(1);
    Member master = cluster.member(0);
    Member replica = cluster.member(1);
    Await.until("the replica in sync", SYNC_TIMEOUT, () -> info(replica, "master_link_status").equals("up"));
    assertEquals("OK", master.call("set", "old", "1"));
    Await.until("the old key on the replica", SYNC_TIMEOUT, () -> "1".equals(readOnReplica(replica, "get", "old")));
    assertEquals("OK", replica.call("config", "set", "repl-diskless-load", "swapdb"));

    // A full sync that completes: 21 keys at 0.2 s each. What the master does meanwhile goes aside too.
    for (int i = 0; i < 20; i++) assertEquals("OK", master.call("set", "new" + i, "v" + i));
    assertEquals("OK", master.call("config", "set", "rdb-key-save-delay", "200000"));
    forceFullSync(master, replica);
    Await.until("the replica loading aside", SYNC_TIMEOUT, () -> info(replica, "async_loading").equals("1"));
    assertEquals("1", master.call("del", "old"));
    assertEquals("0", info(replica, "loading"));
    assertEquals("1", readOnReplica(replica, "get", "old"), "the old keys are served meanwhile");
    assertEquals("21", readOnReplica(replica, "dbsize"));
    Await.until("the load swapped in", SYNC_TIMEOUT, () -> info(replica, "async_loading").equals("0")
        && info(replica, "master_link_status").equals("up") && "20".equals(replica.call("dbsize")));
    assertNull(readOnReplica(replica, "get", "old"), "the old keys are gone");
    assertEquals("v7", readOnReplica(replica, "get", "new7"));

    // A full sync the master's stop cuts: 20 keys at 10 s each would take minutes.
    assertEquals("OK", master.call("config", "set", "rdb-key-save-delay", "10000000"));
    forceFullSync(master, replica);
    Await.until("the replica loading aside again", SYNC_TIMEOUT, () -> info(replica, "async_loading").equals("1"));
    for (int i = 0; i < 10; i++) assertEquals("OK", master.call("set", "more" + i, "x"));
    master.shutdown();
    Await.until("the replica seeing its master gone", MASTER_GONE_TIMEOUT,
        () -> info(replica, "async_loading").equals("0") && info(replica, "master_link_status").equals("down"));
    assertEquals("20", replica.call("dbsize"), "the keys of the sync before stay");
    assertEquals("v7", readOnReplica(replica, "get", "new7"));
    assertNull(readOnReplica(replica, "get", "more3"));
  }
}
