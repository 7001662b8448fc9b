package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import org.slf4j.LoggerFactory;

/**
 * A master with requirepass serves a sync only to a replica whose masterauth (and masteruser) authenticate as a
 * client would: over real remoting, the replica is refused with Redis's replies and logs Redis's texts, keeps
 * asking, and syncs once its masterauth is right. A client's SYNC needs AUTH too.
 */
class ReplicationAuthTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static LocalCluster cluster;
  private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();

  @BeforeAll
  static void createCluster() {
    LOG.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOG);
    cluster = LocalCluster.start(2, 5000);
    cluster.create(1);
  }

  @AfterAll
  static void stopCluster() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOG);
    if (cluster != null) cluster.close();
  }

  private static String call(Member member, String password, String... args) {
    try (RespConnection connection = RespConnection.open(member.port)) {
      if (password != null) assertEquals("OK", connection.call("auth", password).text());
      return connection.call(args).text();
    }
  }

  private static String linkStatus(Member replica) {
    return call(replica, null, "info", "replication").lines().filter(l -> l.startsWith("master_link_status:"))
        .findFirst().orElse("");
  }

  private static void awaitLogged(String text) {
    Await.until("the replica logs '" + text + "'", TIMEOUT, () -> logged().contains(text), () -> logged().toString());
  }

  private static long wrongPasses() {
    return logged().stream().filter(line -> line.equals(
        "Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is disabled.")).count();
  }

  private static List<String> logged() {
    synchronized (LOG.list) {
      return LOG.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  /** HELLO's role is the node's: "replica" on a replica (any password passes HELLO AUTH while none is set). */
  @Test
  void helloAnswersTheNodesRole() {
    for (int i = 0; i < 2; i++) {
      Member member = cluster.member(i);
      String expected = i == 0 ? "master" : "replica";
      Await.until("HELLO's role on " + expected, TIMEOUT, () -> {
        try (RespConnection connection = RespConnection.open(member.port)) {
          List<RespReply> hello = connection.call("hello", "2", "auth", "default", "secret").elements();
          for (int j = 0; j + 1 < hello.size(); j += 2) {
            if (hello.get(j).text().equals("role")) return hello.get(j + 1).text().equals(expected);
          }
          return false;
        }
      });
    }
  }

  @Test
  void aSyncAuthenticatesAsAClientWould() {
    Member master = cluster.member(0);
    Member replica = cluster.member(1);
    Await.until("the replica's link is up", TIMEOUT, () -> linkStatus(replica).equals("master_link_status:up"));

    assertEquals("OK", call(master, null, "config", "set", "requirepass", "secret"));
    // A replica whose master is silent for repl-timeout asks for a sync again: with the new rules.
    assertEquals("OK", call(replica, null, "config", "set", "repl-timeout", "1"));
    awaitLogged("MASTER aborted replication with an error: NOAUTH Authentication required.");
    Await.until("the link is down", TIMEOUT, () -> linkStatus(replica).equals("master_link_status:down"));

    assertEquals("OK", call(replica, null, "config", "set", "masterauth", "wrong"));
    awaitLogged("Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is disabled.");
    assertEquals("OK", call(replica, null, "config", "set", "masteruser", "bob", "masterauth", "secret"));
    // One refusal may be of a request sent before the change; the one after it is of a request sent after.
    long refusedBefore = wrongPasses();
    Await.until("bob is refused", TIMEOUT, () -> wrongPasses() >= refusedBefore + 2);

    assertEquals("OK", call(master, "secret", "set", "{k}1", "after the password"));
    assertEquals("OK", call(replica, null, "config", "set", "masteruser", "default", "repl-timeout", "60"));
    Await.until("the replica syncs with the right credentials", TIMEOUT,
        () -> linkStatus(replica).equals("master_link_status:up"));
    try (RespConnection connection = RespConnection.open(replica.port)) {
      assertEquals("OK", connection.call("readonly").text());
      Await.until("the write reaches the replica", TIMEOUT,
          () -> "after the password".equals(connection.call("get", "{k}1").text()));
    }

    // A client's SYNC is a command like any other: NOAUTH before AUTH.
    try (RespConnection client = RespConnection.open(master.port)) {
      assertEquals("NOAUTH Authentication required.", client.call("sync").text());
    }
  }
}
