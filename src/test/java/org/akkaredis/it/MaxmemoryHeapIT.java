package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.akkaredis.it.support.FreePorts;
import org.akkaredis.it.support.JarNode;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.junit.jupiter.api.Test;

/**
 * The sizing docs/configuration.md gives, tried: a node started with -Xmx192m and maxmemory 64mb (inside the
 * guidance: 1.5 x maxmemory + 96 MB) takes ten times maxmemory of writes, pipelined, under an evicting policy and
 * under noeviction, and never runs out of heap: it keeps answering, its dataset estimate stays under the limit,
 * and its log has no OutOfMemoryError.
 */
class MaxmemoryHeapIT {
  private static final int VALUE_BYTES = 10_000;
  private static final int BATCH = 50;

  /** Writes {@code total} keys of 10 KB in pipelined batches; returns how many were refused with -OOM. */
  private static int fill(RespConnection c, String prefix, int total) {
    String value = "v".repeat(VALUE_BYTES);
    int refused = 0;
    for (int i = 0; i < total; i += BATCH) {
      for (int j = i; j < i + BATCH; j++) c.send("SET", prefix + j, value);
      for (int j = i; j < i + BATCH; j++) {
        RespReply reply = c.read();
        if (reply.isError()) {
          assertTrue(reply.text().startsWith("OOM "), reply.text());
          refused++;
        }
      }
    }
    return refused;
  }

  @Test
  void aNodeSizedAsDocumentedTakesTenTimesItsMaxmemoryWithoutRunningOutOfHeap() {
    JarNode.assertJarBuilt();
    long maxmemory = 64L * 1024 * 1024;
    try (JarNode node = new JarNode("akka-redis-maxmemory-heap-", FreePorts.next(), "--maxmemory", "64mb",
        "--maxmemory-policy", "allkeys-lru", "--appendonly", "no", "--save", "").jvmOptions("-Xmx192m")) {
      node.start();
      node.awaitReady();
      try (RespConnection c = RespConnection.open(node.port)) {
        // 640 MB of writes, evicting.
        assertEquals(0, fill(c, "lru:", 64_000));
        long used = Long.parseLong(c.infoField("memory", "used_memory"));
        assertTrue(used <= maxmemory + 2L * VALUE_BYTES * BATCH, "used_memory " + used);
        assertTrue(Long.parseLong(c.infoField("stats", "evicted_keys")) > 50_000);
        // The same again under noeviction: most refused, the node still answers.
        assertEquals("OK", c.call("CONFIG", "SET", "maxmemory-policy", "noeviction").text());
        int refused = fill(c, "noev:", 64_000);
        assertTrue(refused > 60_000, "refused " + refused);
        assertEquals("PONG", c.call("PING").text());
        assertEquals(List.of("OK"), List.of(c.call("FLUSHALL").text()));
        assertEquals("OK", c.call("SET", "after", "x").text());
      }
      assertTrue(node.isAlive());
      assertFalse(node.log().contains("OutOfMemoryError"), node.log());
    }
  }
}
