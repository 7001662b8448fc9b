package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RespConnection;
import org.junit.jupiter.api.Test;

/**
 * CLUSTER GETKEYSINSLOT and COUNTKEYSINSLOT see what the slot stores, as Redis's getKeysInSlot and countKeysInSlot:
 * a key whose TTL passed but that nothing deleted yet is listed and counted, while KEYS and SCAN leave it out
 * (the same sequence against redis-server 7.0.15 in cluster mode gives the same replies).
 */
class KeysInSlotTest {
  @Test
  void aKeyWhoseTtlPassedIsInItsSlotUntilDeleted() {
    try (NodeFixture node = NodeFixture.startAsync(true, Map.of("enable-debug-command", "yes")).join();
        RespConnection c = node.connect()) {
      assertEquals("OK", c.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383").text());
      Await.until("cluster_state:ok", Duration.ofSeconds(20),
          () -> c.call("CLUSTER", "INFO").text().contains("cluster_state:ok"));
      assertEquals("OK", c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0").text());
      long setAt = System.currentTimeMillis();
      assertEquals("OK", c.call("SET", "foo", "bar", "PX", "1").text());
      Await.until("the key's millisecond has passed", Duration.ofSeconds(5),
          () -> System.currentTimeMillis() > setAt + 5);
      assertEquals(List.of("foo"), c.call("CLUSTER", "GETKEYSINSLOT", "12182", "10").texts());
      assertEquals(1, c.call("CLUSTER", "COUNTKEYSINSLOT", "12182").integer());
      assertEquals(List.of(), c.call("KEYS", "*").texts());
      assertTrue(c.call("GET", "foo").isNull(), "a read deletes it");
      assertEquals(List.of(), c.call("CLUSTER", "GETKEYSINSLOT", "12182", "10").texts());
      assertEquals(0, c.call("CLUSTER", "COUNTKEYSINSLOT", "12182").integer());
    }
  }
}
