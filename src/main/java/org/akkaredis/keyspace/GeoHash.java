package org.akkaredis.keyspace;

/**
 * Redis's geohash (geohash.c, geohash_helper.c): a longitude/latitude pair as a 52-bit interleaved integer (26 bits
 * each, latitude in the even bits), kept as a sorted set score; the cell's centre as what a score decodes to; the
 * haversine distance on Redis's earth radius; the cells a search area needs. Every step is the C one in the same
 * double arithmetic, so coordinates, distances and the cells searched are redis-server's bit for bit.
 */
public final class GeoHash {
  private GeoHash() {}

  public static final double LAT_MIN = -85.05112878;
  public static final double LAT_MAX = 85.05112878;
  public static final double LONG_MIN = -180;
  public static final double LONG_MAX = 180;
  /** 26 * 2 = 52 bits: a score keeps them exactly. */
  public static final int STEP_MAX = 26;
  /** Earth's quadratic mean radius for WGS-84, as Redis has it. */
  public static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
  private static final double MERCATOR_MAX = 20037726.37;
  private static final double D_R = Math.PI / 180.0;

  /** A cell: its bits (2 * step of them) and its step; step 0 with bits 0 is "no cell". */
  public record Cell(long bits, int step) {
    static final Cell NONE = new Cell(0, 0);

    boolean isNone() {
      return bits == 0 && step == 0;
    }

    /** The scores of the cell's points: min inclusive, max exclusive (scoresOfGeoHashBox). */
    long minScore() {
      return bits << (52 - step * 2);
    }

    long maxScore() {
      return (bits + 1) << (52 - step * 2);
    }
  }

  /** A cell's area: longitude and latitude bounds. */
  public record Area(double longMin, double longMax, double latMin, double latMax) {}

  /** Whether a pair is one GEOADD and the searches accept (extractLongLatOrReply's bounds). */
  public static boolean validPair(double longitude, double latitude) {
    return !(longitude < LONG_MIN || longitude > LONG_MAX || latitude < LAT_MIN || latitude > LAT_MAX);
  }

  /** geohashEncodeWGS84 at step 26, aligned to 52 bits: the score GEOADD gives a pair (which must be valid). */
  public static long score(double longitude, double latitude) {
    return encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, longitude, latitude, STEP_MAX).bits();
  }

  /** geohashEncode over the given ranges; NONE when the pair lies outside Redis's limits or the ranges. */
  static Cell encode(double longMin, double longMax, double latMin, double latMax, double longitude,
      double latitude, int step) {
    if (longitude > LONG_MAX || longitude < LONG_MIN || latitude > LAT_MAX || latitude < LAT_MIN) return Cell.NONE;
    if (latitude < latMin || latitude > latMax || longitude < longMin || longitude > longMax) return Cell.NONE;
    double latOffset = (latitude - latMin) / (latMax - latMin);
    double longOffset = (longitude - longMin) / (longMax - longMin);
    latOffset *= (double) (1L << step);
    longOffset *= (double) (1L << step);
    // C converts the offsets to uint32_t: truncation, as (long) does for these non-negative values below 2^32.
    return new Cell(interleave((long) latOffset & 0xFFFFFFFFL, (long) longOffset & 0xFFFFFFFFL), step);
  }

  static long interleave(long xlo, long ylo) {
    long x = xlo;
    long y = ylo;
    x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
    y = (y | (y << 16)) & 0x0000FFFF0000FFFFL;
    x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
    y = (y | (y << 8)) & 0x00FF00FF00FF00FFL;
    x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
    y = (y | (y << 4)) & 0x0F0F0F0F0F0F0F0FL;
    x = (x | (x << 2)) & 0x3333333333333333L;
    y = (y | (y << 2)) & 0x3333333333333333L;
    x = (x | (x << 1)) & 0x5555555555555555L;
    y = (y | (y << 1)) & 0x5555555555555555L;
    return x | (y << 1);
  }

  static long deinterleave(long interleaved) {
    long x = interleaved;
    long y = interleaved >>> 1;
    x = x & 0x5555555555555555L;
    y = y & 0x5555555555555555L;
    x = (x | (x >>> 1)) & 0x3333333333333333L;
    y = (y | (y >>> 1)) & 0x3333333333333333L;
    x = (x | (x >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
    y = (y | (y >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
    x = (x | (x >>> 4)) & 0x00FF00FF00FF00FFL;
    y = (y | (y >>> 4)) & 0x00FF00FF00FF00FFL;
    x = (x | (x >>> 8)) & 0x0000FFFF0000FFFFL;
    y = (y | (y >>> 8)) & 0x0000FFFF0000FFFFL;
    x = (x | (x >>> 16)) & 0x00000000FFFFFFFFL;
    y = (y | (y >>> 16)) & 0x00000000FFFFFFFFL;
    return x | (y << 32);
  }

  /** geohashDecode over Redis's ranges. */
  static Area decode(Cell cell) {
    long separated = deinterleave(cell.bits());
    double latScale = LAT_MAX - LAT_MIN;
    double longScale = LONG_MAX - LONG_MIN;
    long ilato = separated & 0xFFFFFFFFL;
    long ilono = separated >>> 32;
    double cells = (double) (1L << cell.step());
    return new Area(
        LONG_MIN + (ilono * 1.0 / cells) * longScale,
        LONG_MIN + ((ilono + 1) * 1.0 / cells) * longScale,
        LAT_MIN + (ilato * 1.0 / cells) * latScale,
        LAT_MIN + ((ilato + 1) * 1.0 / cells) * latScale);
  }

  /** decodeGeohash: a score's cell centre, {longitude, latitude}, clamped to Redis's limits. */
  public static double[] decodeScore(double score) {
    Area area = decode(new Cell(toUnsigned(score), STEP_MAX));
    double longitude = (area.longMin() + area.longMax()) / 2;
    if (longitude > LONG_MAX) longitude = LONG_MAX;
    if (longitude < LONG_MIN) longitude = LONG_MIN;
    double latitude = (area.latMin() + area.latMax()) / 2;
    if (latitude > LAT_MAX) latitude = LAT_MAX;
    if (latitude < LAT_MIN) latitude = LAT_MIN;
    return new double[] {longitude, latitude};
  }

  /** C's (uint64_t) of a score: scores at or past 2^63 keep their top bit. */
  private static long toUnsigned(double score) {
    if (score >= 0x1p63) return (long) (score - 0x1p63) ^ Long.MIN_VALUE;
    return (long) score;
  }

  private static final byte[] ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz".getBytes();

  /** GEOHASH's 11 characters: the decoded centre re-encoded over the standard ranges (latitude -90..90). */
  public static byte[] standardGeohash(double score) {
    double[] xy = decodeScore(score);
    long bits = encode(-180, 180, -90, 90, xy[0], xy[1], STEP_MAX).bits();
    byte[] out = new byte[11];
    for (int i = 0; i < 11; i++) {
      int index = i == 10 ? 0 : (int) ((bits >>> (52 - (i + 1) * 5)) & 0x1f);
      out[i] = ALPHABET[index];
    }
    return out;
  }

  // ---- neighbours --------------------------------------------------------------------------------------------

  private static Cell moveX(Cell cell, int d) {
    if (d == 0) return cell;
    long x = cell.bits() & 0xaaaaaaaaaaaaaaaaL;
    long y = cell.bits() & 0x5555555555555555L;
    long zz = 0x5555555555555555L >>> (64 - cell.step() * 2);
    if (d > 0) {
      x = x + (zz + 1);
    } else {
      x = x | zz;
      x = x - (zz + 1);
    }
    x &= (0xaaaaaaaaaaaaaaaaL >>> (64 - cell.step() * 2));
    return new Cell(x | y, cell.step());
  }

  private static Cell moveY(Cell cell, int d) {
    if (d == 0) return cell;
    long x = cell.bits() & 0xaaaaaaaaaaaaaaaaL;
    long y = cell.bits() & 0x5555555555555555L;
    long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - cell.step() * 2);
    if (d > 0) {
      y = y + (zz + 1);
    } else {
      y = y | zz;
      y = y - (zz + 1);
    }
    y &= (0x5555555555555555L >>> (64 - cell.step() * 2));
    return new Cell(x | y, cell.step());
  }

  static Cell neighbour(Cell cell, int dx, int dy) {
    return moveY(moveX(cell, dx), dy);
  }

  // ---- distances ---------------------------------------------------------------------------------------------

  private static double degRad(double angle) {
    return angle * D_R;
  }

  private static double radDeg(double angle) {
    return angle / D_R;
  }

  static double latDistance(double lat1, double lat2) {
    return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2) - degRad(lat1));
  }

  /** geohashGetDistance: the haversine distance in meters. */
  public static double distance(double lon1, double lat1, double lon2, double lat2) {
    double lon1r = degRad(lon1);
    double lon2r = degRad(lon2);
    double v = Math.sin((lon2r - lon1r) / 2);
    if (v == 0.0) return latDistance(lat1, lat2);
    double lat1r = degRad(lat1);
    double lat2r = degRad(lat2);
    double u = Math.sin((lat2r - lat1r) / 2);
    double a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
    return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
  }

  /** geohashEstimateStepsByRadius. */
  static int estimateSteps(double rangeMeters, double latitude) {
    if (rangeMeters == 0) return 26;
    int step = 1;
    while (rangeMeters < MERCATOR_MAX) {
      rangeMeters *= 2;
      step++;
    }
    step -= 2;
    if (latitude > 66 || latitude < -66) {
      step--;
      if (latitude > 80 || latitude < -80) step--;
    }
    if (step < 1) step = 1;
    if (step > 26) step = 26;
    return step;
  }

  /** geohashBoundingBox: {minLong, minLat, maxLong, maxLat} around a centre, half-sizes in meters. */
  static double[] boundingBox(double longitude, double latitude, double halfHeight, double halfWidth) {
    double latDelta = radDeg(halfHeight / EARTH_RADIUS_IN_METERS);
    double longDeltaTop = radDeg(halfWidth / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude + latDelta)));
    double longDeltaBottom = radDeg(halfWidth / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude - latDelta)));
    boolean southern = latitude < 0;
    return new double[] {
        southern ? longitude - longDeltaBottom : longitude - longDeltaTop,
        latitude - latDelta,
        southern ? longitude + longDeltaBottom : longitude + longDeltaTop,
        latitude + latDelta};
  }

  /**
   * geohashCalculateAreasByShapeWGS84: the cells to search for a shape (its centre, its half-sizes and the radius
   * in meters that decides the step), in Redis's order: the centre cell, north, south, east, west, north-east,
   * north-west, south-east, south-west; NONE for those the area cannot reach.
   */
  static Cell[] searchCells(double longitude, double latitude, double halfHeight, double halfWidth,
      double radiusMeters) {
    double[] bounds = boundingBox(longitude, latitude, halfHeight, halfWidth);
    double minLon = bounds[0];
    double minLat = bounds[1];
    double maxLon = bounds[2];
    double maxLat = bounds[3];
    int steps = estimateSteps(radiusMeters, latitude);
    Cell hash = encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, longitude, latitude, steps);
    Area north = decode(neighbour(hash, 0, 1));
    Area south = decode(neighbour(hash, 0, -1));
    Area east = decode(neighbour(hash, 1, 0));
    Area west = decode(neighbour(hash, -1, 0));
    boolean decreaseStep = north.latMax() < maxLat || south.latMin() > minLat || east.longMax() < maxLon
        || west.longMin() > minLon;
    if (steps > 1 && decreaseStep) {
      steps--;
      hash = encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, longitude, latitude, steps);
    }
    Area area = decode(hash);
    Cell[] cells = {hash, neighbour(hash, 0, 1), neighbour(hash, 0, -1), neighbour(hash, 1, 0),
        neighbour(hash, -1, 0), neighbour(hash, 1, 1), neighbour(hash, -1, 1), neighbour(hash, 1, -1),
        neighbour(hash, -1, -1)};
    if (steps >= 2) {
      if (area.latMin() < minLat) none(cells, 2, 7, 8);
      if (area.latMax() > maxLat) none(cells, 1, 5, 6);
      if (area.longMin() < minLon) none(cells, 4, 8, 6);
      if (area.longMax() > maxLon) none(cells, 3, 7, 5);
    }
    return cells;
  }

  private static void none(Cell[] cells, int... which) {
    for (int i : which) cells[i] = Cell.NONE;
  }

  // ---- text --------------------------------------------------------------------------------------------------

  /** fixedpoint_d2string(d, 4): a distance with four decimals, rounded half to even as llrint rounds. */
  public static String formatDistance(double d) {
    if (d == 0) return "0.0000";
    long scaled = (long) Math.rint(d * 10000.0);
    StringBuilder out = new StringBuilder(24);
    if (scaled < 0) out.append('-');
    long value = Math.abs(scaled);
    out.append(value / 10000).append('.');
    String fraction = Long.toString(value % 10000);
    out.append("0000", fraction.length(), 4).append(fraction);
    return out.toString();
  }
}
