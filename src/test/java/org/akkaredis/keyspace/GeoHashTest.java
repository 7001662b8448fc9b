package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.akkaredis.text.LongDouble;
import org.junit.jupiter.api.Test;

/** Redis's geohash, distance and area search; the expected values are what redis-server 7.0.15 answers. */
class GeoHashTest {
  private static String human(double d) {
    return new LongDouble(new BigDecimal(d), 0).formatHuman();
  }

  @Test
  void scoresAreRedisOnes() {
    assertEquals(3479099956230698L, GeoHash.score(13.361389, 38.115556));
    assertEquals(3479447370796909L, GeoHash.score(15.087269, 37.502669));
    assertEquals(3377699720527872L, GeoHash.score(0, 0));
    assertEquals(0L, GeoHash.score(-180, -85.05112878));
    // The top corner's offsets are 2^26 each: Redis's overflowing bits, kept.
    assertEquals(13510798882111488L, GeoHash.score(180, 85.05112878));
  }

  @Test
  void decodingGivesTheCellCentreClampedToTheLimits() {
    double[] palermo = GeoHash.decodeScore(3479099956230698L);
    assertEquals("13.36138933897018433", human(palermo[0]));
    assertEquals("38.11555639549629859", human(palermo[1]));
    double[] origin = GeoHash.decodeScore(3377699720527872L);
    assertEquals("0.00000268220901489", human(origin[0]));
    assertEquals("0.00000126736058093", human(origin[1]));
    double[] southWest = GeoHash.decodeScore(0);
    assertEquals("-179.99999731779098511", human(southWest[0]));
    assertEquals("-85.05112751263942528", human(southWest[1]));
    double[] northEast = GeoHash.decodeScore(13510798882111488L);
    assertEquals("180", human(northEast[0]));
    assertEquals("85.0511287799999991", human(northEast[1]));
  }

  @Test
  void standardGeohashes() {
    assertEquals("sqc8b49rny0", text(GeoHash.standardGeohash(3479099956230698L)));
    assertEquals("sqdtr74hyu0", text(GeoHash.standardGeohash(3479447370796909L)));
    assertEquals("s0000000000", text(GeoHash.standardGeohash(3377699720527872L)));
    assertEquals("00bh0hbj200", text(GeoHash.standardGeohash(0)));
    assertEquals("bp05b5048p0", text(GeoHash.standardGeohash(13510798882111488L)));
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  @Test
  void distancesAndTheirText() {
    double[] palermo = GeoHash.decodeScore(3479099956230698L);
    double[] catania = GeoHash.decodeScore(3479447370796909L);
    assertEquals("166274.1516", GeoHash.formatDistance(GeoHash.distance(palermo[0], palermo[1], catania[0],
        catania[1])));
    assertEquals("166.2742", GeoHash.formatDistance(GeoHash.distance(palermo[0], palermo[1], catania[0],
        catania[1]) / 1000));
    assertEquals("0.0000", GeoHash.formatDistance(0));
    assertEquals("0.0005", GeoHash.formatDistance(0.0005));
    assertEquals("1.2346", GeoHash.formatDistance(1.23456));
    // llrint rounds half to even.
    assertEquals("0.0000", GeoHash.formatDistance(0.00005));
    assertEquals("12.0000", GeoHash.formatDistance(12));
    // Same longitude: only the latitude difference counts.
    assertEquals(GeoHash.EARTH_RADIUS_IN_METERS * Math.PI / 180, GeoHash.distance(5, 1, 5, 2), 1e-6);
  }

  @Test
  void validPairsAreRedisLimits() {
    assertTrue(GeoHash.validPair(180, 85.05112878));
    assertTrue(GeoHash.validPair(-180, -85.05112878));
    assertFalse(GeoHash.validPair(180.0000001, 0));
    assertFalse(GeoHash.validPair(0, 85.06));
    assertFalse(GeoHash.validPair(Double.POSITIVE_INFINITY, 0));
  }

  @Test
  void neighboursWrapAroundAtTheCellGridsEdges() {
    GeoHash.Cell cell = new GeoHash.Cell(0, 1);
    // Step 1: four cells; east of the first is the longitude-bit one (odd bits hold the longitude).
    assertEquals(new GeoHash.Cell(2, 1), GeoHash.neighbour(cell, 1, 0));
    assertEquals(new GeoHash.Cell(1, 1), GeoHash.neighbour(cell, 0, 1));
    assertEquals(new GeoHash.Cell(2, 1), GeoHash.neighbour(cell, -1, 0));
    assertEquals(new GeoHash.Cell(3, 1), GeoHash.neighbour(cell, 1, 1));
  }

  @Test
  void interleavingRoundTrips() {
    Random random = new Random(3);
    for (int i = 0; i < 1000; i++) {
      long lat = random.nextInt(1 << 26);
      long lon = random.nextInt(1 << 26);
      long bits = GeoHash.interleave(lat, lon);
      assertEquals(lat | (lon << 32), GeoHash.deinterleave(bits));
    }
  }

  /** Searches find exactly what testing every member finds: the nine cells cover every shape. */
  @Test
  void circleAndBoxSearchesFindWhatABruteForceScanFinds() {
    Random random = new Random(11);
    for (int round = 0; round < 40; round++) {
      RedisZSet zset = new RedisZSet(0, 0, 0);
      double centreLon = random.nextDouble() * 340 - 170;
      double centreLat = random.nextDouble() * 160 - 80;
      for (int i = 0; i < 300; i++) {
        double lon = Math.max(-180, Math.min(180, centreLon + random.nextGaussian() * 2));
        double lat = Math.max(GeoHash.LAT_MIN, Math.min(GeoHash.LAT_MAX, centreLat + random.nextGaussian() * 2));
        zset.put(Key.of("m" + i), GeoHash.score(lon, lat), 0, 0);
      }
      double size = 1 + random.nextDouble() * 300;
      GeoSearch.Shape shape = random.nextBoolean()
          ? GeoSearch.Shape.circle(centreLon, centreLat, size, 1000)
          : GeoSearch.Shape.box(centreLon, centreLat, size, size * 1.5, 1000);
      Set<Key> expected = new HashSet<>();
      for (RedisZSet.Node n = zset.first(); n != null; n = n.next()) {
        double[] xy = GeoHash.decodeScore(n.score);
        if (shape.distanceIfWithin(xy[0], xy[1]) >= 0) expected.add(n.member);
      }
      Set<Key> found = new HashSet<>();
      for (GeoSearch.Point p : GeoSearch.find(zset, shape, 0)) assertTrue(found.add(p.member()), "found twice");
      assertEquals(expected, found, "round " + round);
    }
  }

  @Test
  void partialQuickSortSortsTheWantedPlaces() {
    Random random = new Random(5);
    for (int round = 0; round < 500; round++) {
      int n = 1 + random.nextInt(120);
      Integer[] values = new Integer[n];
      for (int i = 0; i < n; i++) values[i] = random.nextInt(20);
      Integer[] sorted = values.clone();
      java.util.Arrays.sort(sorted);
      int from = random.nextInt(n);
      int to = from + random.nextInt(n - from);
      Integer[] partial = values.clone();
      PartialQuickSort.sort(partial, Comparator.naturalOrder(), from, to);
      for (int i = from; i <= to; i++) assertEquals(sorted[i], partial[i], "round " + round + " place " + i);
      List<Integer> all = new ArrayList<>(List.of(partial));
      all.sort(null);
      assertArrayEquals(sorted, all.toArray(new Integer[0]));
    }
  }
}
