package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.junit.jupiter.api.Test;

/**
 * CLIENT LIST's transaction figures against redis-server 7.0's for the same sequence (WATCH, MULTI, queued
 * commands, CLIENT LIST inside EXEC): flags, multi, argv-mem (EXEC's own while it runs its queue), multi-mem and
 * cmd are the same; tot-mem, whose buffers and structures differ between the two, moves with the queue and the
 * watched keys on both.
 */
class ClientListTransactionRedisTest {
  private static final List<String> SAME = List.of("flags", "multi", "argv-mem", "multi-mem", "cmd");

  private static Map<String, String> fields(String line) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String field : line.trim().split(" ")) {
      int eq = field.indexOf('=');
      out.put(field.substring(0, eq), field.substring(eq + 1));
    }
    return out;
  }

  /** The lines seen at each step, and the tot-mem figures. */
  private static List<Map<String, String>> sequence(int port) {
    List<Map<String, String>> seen = new ArrayList<>();
    try (RespConnection c = RespConnection.open(port)) {
      seen.add(fields(c.call("CLIENT", "INFO").text()));
      assertEquals("OK", c.call("WATCH", "a", "b", "c").text());
      seen.add(fields(c.call("CLIENT", "INFO").text()));
      assertEquals("OK", c.call("MULTI").text());
      assertEquals("QUEUED", c.call("SET", "k", "v").text());
      assertEquals("QUEUED", c.call("CLIENT", "INFO").text());
      assertEquals("QUEUED", c.call("SET", "k2", "v".repeat(100)).text());
      RespReply exec = c.call("EXEC");
      seen.add(fields(exec.get(1).text()));
      seen.add(fields(c.call("CLIENT", "INFO").text()));
    }
    return seen;
  }

  @Test
  void transactionFiguresMatchRedisServer() {
    List<Map<String, String>> redis;
    try (RedisServerFixture server = RedisServerFixture.standalone()) {
      redis = sequence(server.port());
    }
    List<Map<String, String>> node;
    try (NodeFixture fixture = NodeFixture.startAsync(false, Map.of()).join()) {
      node = sequence(fixture.port());
    }
    for (int step = 0; step < redis.size(); step++) {
      for (String field : SAME) {
        assertEquals(redis.get(step).get(field), node.get(step).get(field), "step " + step + ": " + field
            + "\nredis-server: " + redis.get(step) + "\nnode:         " + node.get(step));
      }
    }
    assertEquals("4", node.get(2).get("argv-mem"), "EXEC's, as redis-server shows inside EXEC");
    for (List<Map<String, String>> server : List.of(redis, node)) {
      long plain = Long.parseLong(server.get(0).get("tot-mem"));
      long watching = Long.parseLong(server.get(1).get("tot-mem"));
      long inExec = Long.parseLong(server.get(2).get("tot-mem"));
      long multiMem = Long.parseLong(server.get(2).get("multi-mem"));
      assertTrue(watching > plain, "watched keys count in tot-mem: " + server);
      assertTrue(inExec > multiMem, "the queue's structures count beside multi-mem: " + server);
    }
  }
}
