package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** akka-redis.slot-ranges: how many SlotRange actors hold the 16384 slots, a power of two from 1 to 16384. */
class SlotRangeCountTest {
  private static int ranges(String value) {
    return Keyspace.rangeCount(ConfigFactory.parseString("akka-redis.slot-ranges = " + value));
  }

  @Test
  void defaultIsSixteen() {
    assertEquals(Keyspace.DEFAULT_RANGES, Keyspace.rangeCount(ConfigFactory.empty()));
    assertEquals(16, Keyspace.rangeCount(ConfigFactory.load()));
  }

  @Test
  void powersOfTwoFromOneTo16384AreTaken() {
    assertEquals(1, ranges("1"));
    assertEquals(4, ranges("4"));
    assertEquals(16384, ranges("16384"));
    assertEquals(8, ranges("\"8\"")); // as -Dakka-redis.slot-ranges=8 gives it: a string
  }

  @Test
  void anythingElseIsRefusedWithOneLineSayingWhy() {
    for (String value : new String[] {"0", "-4", "12", "32768", "many", "2.5"}) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ranges(value));
      assertEquals("akka-redis.slot-ranges must be a power of two from 1 to 16384, not '" + value + "'",
          refused.getMessage());
    }
  }
}
