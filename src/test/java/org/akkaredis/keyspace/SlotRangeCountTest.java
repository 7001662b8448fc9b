package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** akka-redis.slot-ranges: how many SlotRange actors hold the 16384 slots, auto or a power of two from 1 to 16384. */
class SlotRangeCountTest {
  private static int ranges(String value) {
    return Keyspace.rangeCount(ConfigFactory.parseString("akka-redis.slot-ranges = " + value));
  }

  @Test
  void defaultIsAutoTwiceTheCoresAsAPowerOfTwoFromFourToSixteen() {
    int here = Keyspace.defaultRangeCount(Runtime.getRuntime().availableProcessors());
    assertEquals(here, Keyspace.rangeCount(ConfigFactory.empty()));
    assertEquals(here, Keyspace.rangeCount(ConfigFactory.parseResources("application.conf")), "what the jar ships");
    assertEquals(here, ranges("auto"));
    assertEquals(here, ranges("\"auto\""));
    int[][] coresToRanges = {{1, 4}, {2, 4}, {3, 8}, {4, 8}, {5, 16}, {8, 16}, {9, 16}, {64, 16}, {0, 4}};
    for (int[] pair : coresToRanges) {
      assertEquals(pair[1], Keyspace.defaultRangeCount(pair[0]), pair[0] + " cores");
    }
  }

  @Test
  void powersOfTwoFromOneTo16384AreTaken() {
    assertEquals(1, ranges("1"));
    assertEquals(4, ranges("4"));
    assertEquals(16, ranges("16"));
    assertEquals(16384, ranges("16384"));
    assertEquals(8, ranges("\"8\"")); // as -Dakka-redis.slot-ranges=8 gives it: a string
  }

  @Test
  void anythingElseIsRefusedWithOneLineSayingWhy() {
    for (String value : new String[] {"0", "-4", "12", "32768", "many", "2.5", "AUTO"}) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ranges(value));
      assertEquals("akka-redis.slot-ranges must be auto or a power of two from 1 to 16384, not '" + value + "'",
          refused.getMessage());
    }
  }
}
