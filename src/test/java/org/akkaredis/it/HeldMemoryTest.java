package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RespConnection;
import org.junit.jupiter.api.Test;

/**
 * used_memory counts what the node holds for its clients besides the dataset, as Redis's does, and maxmemory is
 * compared with it less mem_not_counted_for_evict (the replicas' output buffers and the AOF buffer), as Redis
 * compares: invariants on a live node, figures that move when they should.
 */
class HeldMemoryTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** One INFO memory reply's numeric fields: figures taken at the same moment. */
  private static Map<String, Long> memorySection(RespConnection c) {
    Map<String, Long> fields = new java.util.HashMap<>();
    for (String line : c.call("INFO", "memory").text().split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) continue;
      try {
        fields.put(line.substring(0, colon), Long.parseLong(line.substring(colon + 1)));
      } catch (NumberFormatException notANumber) {
        // human-readable and ratio fields
      }
    }
    return fields;
  }

  private static long memory(RespConnection c, String field) {
    return Long.parseLong(c.infoField("memory", field));
  }

  /**
   * A client's half-sent big argument is held in its query buffer: used_memory rises by it, the dataset not; once
   * the command runs the value is in the dataset (the buffer's allocation is kept for a while, as Redis's is).
   */
  @Test
  void aClientsQueryBufferCountsInUsedMemoryBesideTheDataset() throws IOException {
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of()).join(); RespConnection c = node.connect();
        Socket writer = new Socket("127.0.0.1", node.port())) {
      long usedBefore = memory(c, "used_memory");
      long datasetBefore = memory(c, "used_memory_dataset");
      long clientsBefore = memory(c, "mem_clients_normal");
      int size = 4 << 20;
      OutputStream out = writer.getOutputStream();
      out.write(("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + size + "\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] half = new byte[size / 2];
      java.util.Arrays.fill(half, (byte) 'x');
      out.write(half);
      out.flush();
      Await.until("the half-sent argument shows in mem_clients_normal", TIMEOUT,
          () -> memory(c, "mem_clients_normal") >= clientsBefore + size / 2);
      Map<String, Long> now = memorySection(c);
      assertTrue(now.get("used_memory") >= usedBefore + size / 2, "used_memory counts the query buffer");
      assertEquals(datasetBefore, now.get("used_memory_dataset"), "the dataset did not change");
      assertEquals(now.get("used_memory") - now.get("used_memory_dataset"), now.get("used_memory_overhead"));
      assertEquals(now.get("used_memory_overhead"), now.get("used_memory_startup") + now.get("mem_clients_normal")
          + now.get("mem_clients_slaves") + now.get("mem_replication_backlog") + now.get("mem_aof_buffer"));
      out.write(half);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Await.until("the value is stored", TIMEOUT, () -> c.call("STRLEN", "big").integer() == size);
      assertTrue(memory(c, "used_memory_dataset") >= datasetBefore + size, "the value is in the dataset now");
      assertEquals("0", c.infoField("memory", "mem_not_counted_for_evict"), "no replica, no AOF buffer");
    }
  }

  /**
   * A replica that does not read makes the node hold the replication stream for it: mem_clients_slaves and
   * mem_not_counted_for_evict rise with it, used_memory counts it, and maxmemory leaves it out: a limit between
   * used_memory less that part and used_memory evicts nothing, one below evicts.
   */
  @Test
  void aStalledReplicasOutputCountsInUsedMemoryButNotForEviction() throws IOException {
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of()).join(); RespConnection c = node.connect();
        Socket replica = new Socket("127.0.0.1", node.port())) {
      replica.setReceiveBufferSize(4096);
      replica.getOutputStream().write("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
      replica.getOutputStream().flush();
      Await.until("the SYNC client is a replica", TIMEOUT,
          () -> c.call("CLIENT", "LIST", "TYPE", "replica").text().contains("cmd=sync"));
      String value = "v".repeat(64 * 1024);
      for (int i = 0; i < 20; i++) assertEquals("OK", c.call("SET", "seed:" + i, "x").text());
      int written = 0;
      while (memory(c, "mem_not_counted_for_evict") < (8 << 20)) {
        assertTrue(written < 2000, "the stalled replica's stream was never held");
        for (int i = 0; i < 50; i++, written++) c.call("SET", "k:" + (written % 20), value);
      }
      long notCounted = memory(c, "mem_not_counted_for_evict");
      assertTrue(memory(c, "mem_clients_slaves") >= notCounted, "the replica's output is its client memory");
      assertTrue(memory(c, "mem_total_replication_buffers") >= notCounted);
      long used = memory(c, "used_memory");
      assertTrue(used >= memory(c, "used_memory_startup") + memory(c, "used_memory_dataset") + notCounted);
      // Between used_memory less what is not counted and used_memory: Redis evicts nothing.
      long between = used - notCounted / 2;
      assertEquals("OK", c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random").text());
      assertEquals("OK", c.call("CONFIG", "SET", "maxmemory", Long.toString(between)).text());
      for (int i = 0; i < 5; i++) assertEquals("OK", c.call("SET", "probe:" + i, "1").text());
      assertEquals("0", c.infoField("stats", "evicted_keys").trim(), "what is not counted does not evict");
      // Below what is counted: keys go.
      long counted = memory(c, "used_memory") - memory(c, "mem_not_counted_for_evict");
      assertEquals("OK", c.call("CONFIG", "SET", "maxmemory", Long.toString(counted - (512 << 10))).text());
      c.call("SET", "trigger", "1");
      Await.until("keys are evicted below the counted figure", TIMEOUT,
          () -> Long.parseLong(c.infoField("stats", "evicted_keys").trim()) > 0);
      assertEquals("OK", c.call("CONFIG", "SET", "maxmemory", "0").text());
    }
  }
}
