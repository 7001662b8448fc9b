package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What RespFuzzTest found, each as the shortest sequence that showed it; the replies are redis-server's. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FuzzFindingsTest {
  private RedisEndpoint node;

  @BeforeAll
  void start() {
    node = Servers.standalone(Map.of());
  }

  @AfterAll
  void stop() {
    if (node != null) node.close();
  }

  /**
   * A command whose keys cannot be found (ZUNIONSTORE with a bad numkeys) ran in the first range without a slot
   * and left it a hint "this key array is at slot -1"; every empty argument was the same array, so a later
   * command reaching that range for the key "" without hinting it (MGET over several ranges) failed with an
   * internal error (ArrayIndexOutOfBoundsException).
   */
  @Test
  void anEmptyKeyAfterACommandWithoutKeysIsAnOrdinaryKey() {
    try (RespConnection client = node.connect()) {
      for (String numkeys : new String[] {"x", "-1", "0", "5"}) {
        assertEquals('-', client.call("ZUNIONSTORE", "", numkeys, "y").type, numkeys);
        // "{a}" is in the last range, "" in the first.
        assertEquals("*2\r\n$-1\r\n$-1\r\n",
            new String(client.call("MGET", "{a}x", "").raw(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("OK", client.call("WATCH", "{a}x", "").text());
        assertEquals("OK", client.call("UNWATCH").text());
      }
      assertEquals("OK", client.call("SET", "", "v").text());
      assertEquals("v", client.call("GET", "").text());
    }
  }
}
