package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.Test;

/**
 * BUSY, side by side with redis-server: once a script has run busy-reply-threshold, other clients' commands get
 * BUSY (in standalone mode the script holds every range, so every command not flagged allow_busy), including one
 * that already waited for the script's ranges; MULTI is allowed, EXEC is aborted; SCRIPT KILL then stops the script;
 * a script that wrote is stopped only by SHUTDOWN NOSAVE, which stops the server. In cluster mode a script holds
 * only its slot's range: the node refuses only what needs that range (redis-server refuses everything).
 */
class ScriptBusyTest {
  static final String BUSY_SCRIPT =
      "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

  @Test
  void busyRepliesThenScriptKill() {
    try (Servers.NodeAndRedis servers = Servers.nodeAndRedis(false, Map.of("busy-reply-threshold", "1000"))) {
      List<String> node = busyThenKill(servers.node(), true);
      List<String> redis = busyThenKill(servers.redis(), false);
      assertEquals(redis, node);
    }
  }

  /** The replies of one run; {@code queuedBeforeThreshold}: check that a GET sent before the threshold is BUSY. */
  private static List<String> busyThenKill(RedisEndpoint server, boolean queuedBeforeThreshold) {
    List<String> replies = new ArrayList<>();
    try (RespConnection looping = server.connect(); RespConnection other = server.connect();
        RespConnection admin = server.connect(); RespConnection watcher = server.connect()) {
      other.call("SET", "k", "v");
      watcher.call("SUBSCRIBE", "started");
      looping.send("EVAL", "redis.call('publish', 'started', 'yes') local i = 0 while true do i = i + 1 end", "0");
      replies.add(watcher.read().toString());
      // The script runs and holds its ranges: this GET waits for them (on redis-server, in the socket).
      other.send("GET", "k");
      RespReply get = other.read();
      if (queuedBeforeThreshold) assertEquals(BUSY_SCRIPT, get.text());
      replies.add(get.toString());
      for (String[] command : new String[][] {{"PING"}, {"SET", "k", "w"}, {"SCRIPT", "EXISTS", "x"}, {"MULTI"},
          {"GET", "k"}, {"EXEC"}, {"CLIENT", "ID"}}) {
        RespReply reply = other.call(command);
        replies.add(command[0] + " -> " + (command[0].equals("CLIENT") && !reply.isError() ? "(id)" : reply));
      }
      replies.add(admin.call("SCRIPT", "KILL").toString());
      replies.add(looping.read().toString());
      replies.add(other.call("GET", "k").toString());
      replies.add(admin.call("SCRIPT", "KILL").toString());
    }
    return replies;
  }

  @Test
  void aBusyScriptThatWroteStopsOnlyWithShutdownNosave() {
    try (Servers.NodeAndRedis servers = Servers.nodeAndRedis(false, Map.of("busy-reply-threshold", "100"))) {
      assertEquals(shutdownWhileBusy(servers.redis()), shutdownWhileBusy(servers.node()));
    }
  }

  private static List<String> shutdownWhileBusy(RedisEndpoint server) {
    List<String> replies = new ArrayList<>();
    try (RespConnection looping = server.connect(); RespConnection admin = server.connect()) {
      looping.send("EVAL", "redis.call('set', 'x', '1') while true do end", "0");
      RespReply[] ping = new RespReply[1];
      Await.until("the script to be busy", Duration.ofSeconds(20), () -> {
        ping[0] = admin.call("PING");
        return ping[0].isError();
      }, () -> String.valueOf(ping[0]));
      replies.add(ping[0].toString());
      replies.add(admin.call("SCRIPT", "KILL").toString());
      replies.add(admin.call("SHUTDOWN").toString());
      admin.send("SHUTDOWN", "NOSAVE");
      replies.add("after SHUTDOWN NOSAVE: " + RespReply.escape(admin.readUntilClosed(), 200));
    }
    Await.until(server.describe() + " to stop listening", Duration.ofSeconds(30), () -> {
      try (RespConnection late = server.connect()) {
        return false;
      } catch (RuntimeException refused) {
        return true;
      }
    });
    return replies;
  }

  @Test
  void inClusterModeOnlyTheScriptsRangeIsBusy() {
    try (Servers.NodeAndRedis servers = Servers.nodeAndRedisServingAllSlots(true,
        Map.of("busy-reply-threshold", "100"))) {
      RedisEndpoint node = servers.node();
      try (RespConnection looping = node.connect(); RespConnection other = node.connect();
          RespConnection admin = node.connect()) {
        // {a} is slot 15495, {b} slot 3300: different ranges.
        other.call("SET", "{a}2", "v");
        other.call("SET", "{b}", "v");
        looping.send("EVAL", "local i = 0 while true do i = i + 1 end", "1", "{a}1");
        RespReply[] get = new RespReply[1];
        Await.until("the script's range to be busy", Duration.ofSeconds(20), () -> {
          get[0] = other.call("GET", "{a}2");
          return get[0].isError();
        }, () -> String.valueOf(get[0]));
        assertEquals(BUSY_SCRIPT, get[0].text());
        assertEquals("v", other.call("GET", "{b}").text());
        assertEquals("PONG", other.call("PING").text());
        assertEquals("OK", admin.call("SCRIPT", "KILL").text());
        assertTrue(looping.read().text().startsWith("ERR Script killed by user with SCRIPT KILL..."));
        assertEquals("v", other.call("GET", "{a}2").text());
      }
    }
  }
}
