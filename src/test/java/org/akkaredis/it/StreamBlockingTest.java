package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.Test;

/**
 * Blocking XREAD and XREADGROUP side by side on the node and a real redis-server: each scenario blocks a reader on
 * both, waits until CLIENT LIST shows it blocked (polled), does the same thing to both from another connection and
 * compares what the reader gets byte for byte: entries added, a key deleted or made another type, a group destroyed,
 * a timeout; in cluster mode, the slot taken away (the same answer the blocking pops get).
 */
class StreamBlockingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Sets up with {@code setup}, blocks {@code blocking} on a reader, runs {@code action}, compares the replies. */
  private static void scenario(RedisEndpoint redis, RedisEndpoint node, List<String[]> setup, String[] blocking,
      BiConsumer<RespConnection, RedisEndpoint> action) {
    RespReply[] replies = new RespReply[2];
    RedisEndpoint[] servers = {redis, node};
    for (int i = 0; i < 2; i++) {
      try (RespConnection control = servers[i].connect(); RespConnection reader = servers[i].connect()) {
        for (String[] command : setup) control.call(command);
        reader.send(blocking);
        String cmd = "cmd=" + blocking[0].toLowerCase();
        Await.until("the reader blocks on " + servers[i].describe(), WAIT,
            () -> control.call("CLIENT", "LIST").text().contains(cmd));
        action.accept(control, servers[i]);
        replies[i] = reader.read();
      }
    }
    assertTrue(replies[0].rawEquals(replies[1]), String.join(" ", blocking) + ": redis-server "
        + replies[0].escaped(500) + ", node " + replies[1].escaped(500));
  }

  private static String[] c(String... args) {
    return args;
  }

  @Test
  void readersAreWokenAsRedisWakesThem() {
    try (Servers.NodeAndRedis both = Servers.nodeAndRedis(false, Map.of())) {
      RedisEndpoint redis = both.redis();
      RedisEndpoint node = both.node();
      List<String[]> fresh = List.of(c("FLUSHALL"), c("XADD", "s", "1-0", "f", "v"),
          c("XGROUP", "CREATE", "s", "g", "$"));
      scenario(redis, node, fresh, c("XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
          (control, server) -> control.call("XADD", "s", "2-0", "new", "entry"));
      scenario(redis, node, fresh, c("XREAD", "BLOCK", "0", "STREAMS", "nokey", "other", "$", "$"),
          (control, server) -> control.call("XADD", "other", "5-0", "f", "v"));
      scenario(redis, node, fresh, c("XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", "1-0"),
          (control, server) -> {
            control.call("XADD", "s", "2-0", "a", "1");
            control.call("XADD", "s", "3-0", "b", "2");
          });
      scenario(redis, node, fresh, c("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
          (control, server) -> control.call("XADD", "s", "2-0", "new", "entry"));
      scenario(redis, node, fresh, c("XREADGROUP", "GROUP", "g", "alice", "NOACK", "BLOCK", "0", "STREAMS", "s", ">"),
          (control, server) -> control.call("XADD", "s", "2-0", "new", "entry"));
      scenario(redis, node, fresh, c("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
          (control, server) -> control.call("DEL", "s"));
      scenario(redis, node, fresh, c("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
          (control, server) -> control.call("SET", "s", "now a string"));
      scenario(redis, node, fresh, c("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
          (control, server) -> control.call("XGROUP", "DESTROY", "s", "g"));
      scenario(redis, node, fresh, c("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
          (control, server) -> control.call("FLUSHALL"));
      scenario(redis, node, fresh, c("XREAD", "BLOCK", "0", "STREAMS", "s", "$"), (control, server) -> {
        control.call("DEL", "s");
        control.call("XADD", "s", "0-1", "too", "old");
        control.call("XADD", "s", "5-0", "again", "1");
      });
      try (RespConnection r = redis.connect(); RespConnection n = node.connect()) {
        String[] timesOut = c("XREADGROUP", "GROUP", "g", "bob", "BLOCK", "50", "STREAMS", "s", ">");
        assertEquals(r.call(timesOut).escaped(500), n.call(timesOut).escaped(500), "a timeout");
      }
      // Woken, then the group's state: what each server's reader took shows in the pending entries.
      try (RespConnection r = redis.connect(); RespConnection n = node.connect()) {
        assertEquals(r.call("XPENDING", "s", "g").escaped(500), n.call("XPENDING", "s", "g").escaped(500));
      }
    }
  }

  @Test
  void inClusterModeAReaderWhoseSlotGoesGetsWhatTheBlockingPopsGet() {
    try (Servers.NodeAndRedis both = Servers.nodeAndRedis(true, Map.of("cluster-require-full-coverage", "no"))) {
      RedisEndpoint redis = both.redis();
      RedisEndpoint node = both.node();
      for (RedisEndpoint server : List.of(redis, node)) server.assignAllSlots();
      for (RedisEndpoint server : List.of(redis, node)) server.awaitClusterStateOk();
      String slot;
      try (RespConnection r = redis.connect()) {
        slot = Long.toString(r.call("CLUSTER", "KEYSLOT", "s").integer());
      }
      scenario(redis, node, List.of(c("XADD", "s", "1-0", "f", "v"), c("XGROUP", "CREATE", "s", "g", "$")),
          c("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
          (control, server) -> control.call("CLUSTER", "DELSLOTS", slot));
    }
  }
}
