package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.DataSets;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.Processes;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReader;
import org.akkaredis.it.support.TempDirs;
import org.junit.jupiter.api.Test;

/**
 * SYNC from a plain client over a real socket, as Redis's test harness attaches to the replication stream: the
 * RDB bulk (Debian's redis-check-rdb accepts it and a real redis-server loaded from it holds the node's data),
 * then the writes as they propagate; the client is a replica for CLIENT LIST and INFO until it hangs up.
 */
class SyncClientTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** A client that sent SYNC: its RDB, then the commands of the stream. */
  private static final class SyncClient implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final byte[] rdb;
    final RespReader stream;

    SyncClient(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout((int) WAIT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      in = new BufferedInputStream(socket.getInputStream());
      String line;
      do {
        line = readLine(in); // empty lines: keepalives while the RDB is made
      } while (line.isEmpty());
      assertTrue(line.startsWith("$"), line);
      rdb = in.readNBytes(Integer.parseInt(line.substring(1)));
      stream = new RespReader(in);
    }

    /** The stream's next command, past the master's PINGs (every repl-ping-replica-period, between any two). */
    List<String> next() throws IOException {
      List<String> command;
      do {
        command = stream.read().texts();
      } while (command.equals(List.of("PING")));
      return command;
    }

    @Override public void close() throws IOException {
      socket.close();
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) throw new IOException("closed");
      line.write(b);
    }
    String text = line.toString(StandardCharsets.US_ASCII);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  @Test
  void aSyncClientGetsAnRdbRedisLoadsThenTheStreamAsRedisPropagatesIt() throws Exception {
    Path dir = TempDirs.create("sync-");
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of("enable-debug-command", "yes")).join();
        RespConnection c = node.connect()) {
      DataSets.fill(c);
      try (SyncClient sync = new SyncClient(node.port())) {
        Path file = dir.resolve("sync.rdb");
        Files.write(file, sync.rdb);
        Processes.Result check = Processes.run(WAIT, "redis-check-rdb", file.toString());
        assertEquals(0, check.exitCode(), check.describe());
        assertTrue(check.stdout().contains("\\o/ RDB looks OK! \\o/"), check.describe());
        try (RedisServerFixture redis = RedisServerFixture.start(false, Map.of("dir", dir.toString(),
            "dbfilename", "sync.rdb")); RespConnection r = redis.connect()) {
          DataSets.assertSameData(c, r);
        }

        assertEquals("1", c.infoField("replication", "connected_slaves"));
        assertEquals("1", c.infoField("clients", "connected_clients"), "replicas are not counted as clients");
        String replica = c.infoField("replication", "slave0");
        assertTrue(replica.startsWith("ip=127.0.0.1,port=0,state=online,offset=0,lag="), replica);
        assertTrue(c.call("CLIENT", "LIST").text().contains(" flags=S db=0 "), "a replica in CLIENT LIST");
        c.call("SET", "k", "v");
        assertEquals(0, c.call("WAIT", "1", "100").integer(), "a SYNC client acknowledges nothing");
        c.call("EXPIRE", "k", "100");
        c.call("GETDEL", "k");
        c.call("MULTI");
        c.call("INCR", "n");
        c.call("INCR", "n");
        c.call("EXEC");
        c.call("SELECT", "1");
        c.call("RPUSH", "l", "a");
        assertEquals(List.of("SELECT", "0"), sync.next(), "the stream starts in its database");
        assertEquals(List.of("SET", "k", "v"), sync.next());
        List<String> expire = sync.next();
        assertEquals(List.of("PEXPIREAT", "k"), expire.subList(0, 2), expire.toString());
        long at = Long.parseLong(expire.get(2));
        assertTrue(Math.abs(at - (System.currentTimeMillis() + 100_000)) < 30_000, expire.toString());
        assertEquals(List.of("DEL", "k"), sync.next(), "GETDEL propagates as DEL");
        assertEquals(List.of("MULTI"), sync.next());
        assertEquals(List.of("INCR", "n"), sync.next());
        assertEquals(List.of("INCR", "n"), sync.next());
        assertEquals(List.of("EXEC"), sync.next());
        assertEquals(List.of("SELECT", "1"), sync.next());
        assertEquals(List.of("RPUSH", "l", "a"), sync.next());
      }
      Await.until("the replica is gone once its connection is", WAIT,
          () -> c.infoField("replication", "connected_slaves").equals("0"));
    } finally {
      TempDirs.delete(dir);
    }
  }

  /**
   * Redis's "MULTI + LPUSH + EXPIRE + DEBUG SLEEP on blocked client, key already expired": the EXEC fills the key a
   * client waits on, but by the time the client would be served the key has expired. It is deleted, the DEL goes
   * into the stream after the transaction, and the client stays blocked (checked against redis-server 7.0.15).
   */
  @Test
  void aBlockedClientsKeyFoundExpiredAfterExecIsDeletedAndPropagatedAndTheClientWaitsOn() throws Exception {
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of("enable-debug-command", "yes")).join();
        RespConnection c = node.connect(); RespConnection waiting = node.connect();
        SyncClient sync = new SyncClient(node.port())) {
      assertEquals("OK", c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0").text());
      long id = waiting.call("CLIENT", "ID").integer();
      waiting.send("BRPOP", "k", "0");
      Await.until("the client is blocked", WAIT,
          () -> c.call("CLIENT", "LIST", "ID", String.valueOf(id)).text().contains(" flags=b "));
      c.call("MULTI");
      c.call("RPUSH", "k", "hello");
      c.call("PEXPIRE", "k", "100");
      c.call("DEBUG", "SLEEP", "0.2");
      assertEquals("*3\\r\\n:1\\r\\n:1\\r\\n+OK\\r\\n", c.call("EXEC").escaped(100));
      assertTrue(c.call("CLIENT", "LIST", "ID", String.valueOf(id)).text().contains(" flags=b "),
          "still blocked: the key it found had expired");
      assertEquals(0, c.call("EXISTS", "k").integer());
      assertEquals(1, c.call("CLIENT", "UNBLOCK", String.valueOf(id)).integer());
      assertTrue(waiting.read().isNull(), "unblocked as on a timeout");
      assertEquals(List.of("SELECT", "0"), sync.next());
      assertEquals(List.of("MULTI"), sync.next());
      assertEquals(List.of("RPUSH", "k", "hello"), sync.next());
      assertEquals(List.of("PEXPIREAT", "k"), sync.next().subList(0, 2));
      assertEquals(List.of("EXEC"), sync.next());
      assertEquals(List.of("DEL", "k"), sync.next(), "the expired key's deletion follows the transaction");
    }
  }

  @Test
  void aSyncClientsAcksCountButAnyOtherCommandDisconnectsItAndSyncIsRefusedInsideMulti() throws Exception {
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of()).join(); RespConnection c = node.connect()) {
      c.call("MULTI");
      assertEquals("ERR Command not allowed inside a transaction", c.call("SYNC").text());
      c.call("DISCARD");
      try (SyncClient sync = new SyncClient(node.port())) {
        c.call("SET", "a", "1");
        assertEquals(0, c.call("WAIT", "1", "100").integer());
        String offset = c.infoField("replication", "master_repl_offset");
        sync.socket.getOutputStream().write(("REPLCONF ACK " + offset + "\r\n").getBytes(StandardCharsets.US_ASCII));
        Await.until("the replica's acknowledgement counts for WAIT, as in Redis", WAIT,
            () -> c.call("WAIT", "1", "100").integer() == 1);
        assertTrue(c.infoField("replication", "slave0").contains(",offset=" + offset + ","),
            c.infoField("replication", "slave0"));
        assertEquals("1", c.infoField("replication", "connected_slaves"), "REPLCONF is taken silently");
        sync.socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        String rest = new String(sync.in.readAllBytes(), StandardCharsets.US_ASCII); // ends: closed (or times out)
        assertTrue(!rest.contains("PONG"), "a replica whose command would be answered is disconnected: " + rest);
      }
      Await.until("the replica is gone", WAIT, () -> c.infoField("replication", "connected_slaves").equals("0"));
    }
  }

  @Test
  void clientKillClosesAReplicasConnection() throws Exception {
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of()).join(); RespConnection c = node.connect();
        SyncClient sync = new SyncClient(node.port())) {
      String line = c.call("CLIENT", "LIST").text().lines().filter(l -> l.contains(" flags=S "))
          .findFirst().orElseThrow();
      String id = line.substring(3, line.indexOf(' '));
      assertEquals(1, c.call("CLIENT", "KILL", "ID", id).integer());
      assertTrue(closed(sync), "the connection is closed, though its stream would never end");
      Await.until("the replica is gone", WAIT, () -> c.infoField("replication", "connected_slaves").equals("0"));
    }
  }

  /** A SYNC connection is of type replica for CLIENT LIST TYPE and CLIENT KILL TYPE, as Redis's getClientType. */
  @Test
  void aSyncConnectionIsOfTypeReplicaForClientListAndKill() throws Exception {
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of()).join(); RespConnection c = node.connect();
        SyncClient sync = new SyncClient(node.port())) {
      Await.until("the replica is listed", WAIT, () -> c.infoField("replication", "connected_slaves").equals("1"));
      String replicas = c.call("CLIENT", "LIST", "TYPE", "replica").text();
      assertEquals(1, replicas.lines().count(), replicas);
      assertTrue(replicas.contains(" flags=S "), replicas);
      int at = replicas.indexOf(" addr=") + 6;
      String addr = replicas.substring(at, replicas.indexOf(" ", at));
      assertTrue(c.call("CLIENT", "LIST", "TYPE", "normal").text().lines().noneMatch(l -> l.contains(" flags=S ")));
      assertEquals(0, c.call("CLIENT", "KILL", "TYPE", "normal", "ADDR", addr).integer(), "not a normal client");
      assertEquals(1, c.call("CLIENT", "KILL", "TYPE", "replica", "ADDR", addr).integer());
      assertTrue(closed(sync), "its connection is closed");
      Await.until("the replica is gone", WAIT, () -> c.infoField("replication", "connected_slaves").equals("0"));
    }
  }

  @Test
  void clientKillTypeReplicaDropsEveryReplicaAlsoInsideMultiExec() throws Exception {
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of()).join(); RespConnection c = node.connect()) {
      try (SyncClient sync = new SyncClient(node.port())) {
        Await.until("the replica is listed", WAIT, () -> c.infoField("replication", "connected_slaves").equals("1"));
        assertEquals(1, c.call("CLIENT", "KILL", "TYPE", "replica").integer());
        assertEquals("0", c.infoField("replication", "connected_slaves"), "gone before the reply, as in Redis");
        assertTrue(closed(sync), "its connection is closed");
      }
      try (SyncClient sync = new SyncClient(node.port())) {
        Await.until("the replica is listed", WAIT, () -> c.infoField("replication", "connected_slaves").equals("1"));
        assertEquals("OK", c.call("MULTI").text());
        assertEquals("QUEUED", c.call("CLIENT", "KILL", "TYPE", "slave").text());
        assertEquals("QUEUED", c.call("SET", "k", "v").text());
        assertEquals("*2\\r\\n:1\\r\\n+OK\\r\\n", c.call("EXEC").escaped(100));
        assertEquals("0", c.infoField("replication", "connected_slaves"));
        assertTrue(closed(sync));
      }
      assertEquals(0, c.call("CLIENT", "KILL", "TYPE", "replica").integer(), "none left");
    }
  }

  /**
   * Whether the node closed the SYNC client's connection: an end of stream, or a reset (a dropped feed aborts it),
   * after what was on its way (a PING); a connection left open fails on the socket's timeout instead.
   */
  private static boolean closed(SyncClient sync) throws IOException {
    try {
      while (sync.in.read() != -1) {
        // bytes sent before the drop
      }
      return true;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  @Test
  void debugChangeReplIdGivesANewIdAndNoPreviousOne() {
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of("enable-debug-command", "yes")).join();
        RespConnection c = node.connect()) {
      String before = c.infoField("replication", "master_replid");
      assertEquals("OK", c.call("DEBUG", "CHANGE-REPL-ID").text());
      String after = c.infoField("replication", "master_replid");
      assertNotEquals(before, after);
      assertTrue(after.matches("[0-9a-f]{40}"), after);
      assertEquals("0000000000000000000000000000000000000000", c.infoField("replication", "master_replid2"));
      assertEquals("-1", c.infoField("replication", "second_repl_offset"));
    }
  }
}
