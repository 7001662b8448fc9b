package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RespConnection;
import org.junit.jupiter.api.Test;

/**
 * min-replicas-to-write and transactions, as Redis 7.0's rejectCommand: an EXEC whose queue holds a write is
 * refused when too few replicas are in touch, and the transaction is discarded; an EXEC of reads runs.
 */
class ExecNoReplicasTest {
  @Test
  void anExecOfWritesIsAbortedWhileTooFewReplicasAreInTouch() {
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of()).join(); RespConnection c = node.connect()) {
      c.call("SET", "xx", "1");
      c.call("MULTI");
      assertEquals("QUEUED", c.call("INCR", "xx").text());
      try (RespConnection other = node.connect()) {
        assertEquals("OK", other.call("CONFIG", "SET", "min-replicas-to-write", "2").text());
      }
      assertEquals("EXECABORT Transaction discarded because of: NOREPLICAS Not enough good replicas to write.",
          c.call("EXEC").text());
      assertEquals("1", c.call("GET", "xx").text(), "the INCR did not run");
      assertEquals("ERR EXEC without MULTI", c.call("EXEC").text(), "the transaction is over");
      c.call("MULTI");
      c.call("GET", "xx");
      assertEquals("1", c.call("EXEC").get(0).text(), "reads only: it runs");
    }
  }
}
