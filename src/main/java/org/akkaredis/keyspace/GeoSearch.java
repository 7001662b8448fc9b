package org.akkaredis.keyspace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * GEOSEARCH's and GEORADIUS's search (geo.c): the members of a sorted set inside a circle or a box, found by
 * walking the score ranges of the nine cells {@link GeoHash#searchCells} gives, in Redis's order, then sorted by
 * distance as Redis sorts them (a stable sort, or Redis's partial quicksort when only the first COUNT are kept).
 */
public final class GeoSearch {
  private GeoSearch() {}

  /**
   * A search area around a centre: a circle of {@code radius} or a box of {@code width} by {@code height}, in the
   * unit whose length in meters is {@code toMeters}.
   */
  public record Shape(double longitude, double latitude, boolean circle, double radius, double width,
      double height, double toMeters) {

    public static Shape circle(double longitude, double latitude, double radius, double toMeters) {
      return new Shape(longitude, latitude, true, radius, 0, 0, toMeters);
    }

    public static Shape box(double longitude, double latitude, double width, double height, double toMeters) {
      return new Shape(longitude, latitude, false, 0, width, height, toMeters);
    }

    /** geoWithinShape: the distance from the centre in meters if the point lies inside, else -1. */
    double distanceIfWithin(double x, double y) {
      if (circle) {
        double distance = GeoHash.distance(longitude, latitude, x, y);
        return distance > radius * toMeters ? -1 : distance;
      }
      if (GeoHash.latDistance(y, latitude) > height * toMeters / 2) return -1;
      if (GeoHash.distance(x, y, longitude, y) > width * toMeters / 2) return -1;
      return GeoHash.distance(longitude, latitude, x, y);
    }

    GeoHash.Cell[] cells() {
      double halfHeight = toMeters * (circle ? radius : height / 2);
      double halfWidth = toMeters * (circle ? radius : width / 2);
      double radiusMeters = (circle ? radius : Math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2)))
          * toMeters;
      return GeoHash.searchCells(longitude, latitude, halfHeight, halfWidth, radiusMeters);
    }
  }

  /** A member found: its score (the geohash), its cell's centre and its distance from the centre in meters. */
  public record Point(Key member, double score, double longitude, double latitude, double distance) {}

  /**
   * The members inside the shape in the order Redis finds them (cell by cell, by score within a cell); at most
   * {@code limit} when limit > 0 (COUNT ... ANY stops there).
   */
  public static List<Point> find(RedisZSet zset, Shape shape, long limit) {
    List<Point> found = new ArrayList<>();
    GeoHash.Cell[] cells = shape.cells();
    int lastProcessed = 0;
    for (int i = 0; i < cells.length; i++) {
      GeoHash.Cell cell = cells[i];
      if (cell.isNone()) continue;
      // A huge radius makes neighbours the same cell: skip one equal to the cell searched just before.
      if (lastProcessed != 0 && cell.equals(cells[lastProcessed])) continue;
      if (!found.isEmpty() && limit > 0 && found.size() >= limit) break;
      collect(zset, cell.minScore(), cell.maxScore(), shape, found, limit);
      lastProcessed = i;
    }
    return found;
  }

  /** geoGetPointsInRange: min <= score < max. */
  private static void collect(RedisZSet zset, double min, double max, Shape shape, List<Point> found, long limit) {
    for (RedisZSet.Node node = zset.firstWithScore(min, false); node != null && node.score < max;
        node = node.next()) {
      double[] xy = GeoHash.decodeScore(node.score);
      double distance = shape.distanceIfWithin(xy[0], xy[1]);
      if (distance >= 0) found.add(new Point(node.member, node.score, xy[0], xy[1], distance));
      if (!found.isEmpty() && limit > 0 && found.size() >= limit) break;
    }
  }

  private static final Comparator<Point> NEAREST_FIRST = (a, b) -> a.distance > b.distance ? 1
      : a.distance == b.distance ? 0 : -1;

  /**
   * Sorts points by distance, ascending or descending, as Redis does: the whole array stably (glibc's qsort is a
   * merge sort), or only its first {@code keep} places with Redis's pqsort when fewer are kept.
   */
  public static void sort(List<Point> points, boolean descending, int keep) {
    Comparator<Point> order = descending ? NEAREST_FIRST.reversed() : NEAREST_FIRST;
    if (keep >= points.size()) {
      points.sort(order);
      return;
    }
    Point[] array = points.toArray(new Point[0]);
    PartialQuickSort.sort(array, order, 0, keep - 1);
    for (int i = 0; i < array.length; i++) points.set(i, array[i]);
  }
}
