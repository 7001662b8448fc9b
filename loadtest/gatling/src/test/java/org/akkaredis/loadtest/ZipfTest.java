package org.akkaredis.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfTest {

  @Test
  void probabilitiesFollowOneOverRankAndSumToOne() {
    Zipf zipf = new Zipf(4, 1.0);
    double harmonic = 1 + 1 / 2.0 + 1 / 3.0 + 1 / 4.0;
    for (int rank = 0; rank < 4; rank++) {
      assertEquals(1.0 / (rank + 1) / harmonic, zipf.probabilityOf(rank), 1e-12);
    }
  }

  @Test
  void uniformDrawsMapToTheRankWhoseCumulativeShareCoversThem() {
    Zipf zipf = new Zipf(4, 1.0);
    double first = zipf.probabilityOf(0);
    assertEquals(0, zipf.rankOf(0.0));
    assertEquals(0, zipf.rankOf(first - 1e-9));
    assertEquals(1, zipf.rankOf(first));
    assertEquals(3, zipf.rankOf(0.999999999));
  }

  @Test
  void drawsAreSkewedTowardsTheFirstRanks() {
    Zipf zipf = new Zipf(1000, 1.0);
    SplittableRandom random = new SplittableRandom(17);
    int[] counts = new int[1000];
    int draws = 100_000;
    for (int i = 0; i < draws; i++) {
      counts[zipf.next(random)]++;
    }
    // Rank 0 has probability 1/H(1000) (about 13 %), rank 1 half of that.
    assertEquals(zipf.probabilityOf(0), counts[0] / (double) draws, 0.01);
    assertEquals(zipf.probabilityOf(1), counts[1] / (double) draws, 0.01);
    assertTrue(counts[0] > counts[999] * 100);
  }

  @Test
  void rejectsAnEmptyRange() {
    assertThrows(IllegalArgumentException.class, () -> new Zipf(0, 1.0));
  }
}
