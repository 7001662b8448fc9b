package org.akkaredis.command;

import static org.akkaredis.command.TypedKeys.keyed;
import static org.akkaredis.command.TypedKeys.read;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Db;
import org.akkaredis.keyspace.GeoHash;
import org.akkaredis.keyspace.GeoSearch;
import org.akkaredis.keyspace.GeoSearch.Point;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceEvents;
import org.akkaredis.keyspace.RedisZSet;
import org.akkaredis.resp.Reply;
import org.akkaredis.text.LongDouble;
import org.akkaredis.text.RedisNumbers;

/**
 * The geo commands (Redis 7.0 geo.c) over sorted sets whose scores are {@link GeoHash} 52-bit geohashes. GEOADD is
 * ZADD with the pairs turned into scores (its effect and its keyspace event are ZADD's, as Redis rewrites the
 * command); the searches find their members with {@link GeoSearch}. Coordinates print as Redis's
 * addReplyHumanLongDouble ("%.17Lf" less trailing zeros), distances with four decimals.
 */
public final class GeoCommands {
  private GeoCommands() {}

  private static final Reply BAD_UNIT = Reply.error("ERR unsupported unit provided. please use M, KM, FT, MI");
  private static final Reply NO_MEMBER = Reply.error("ERR could not decode requested zset member");
  private static final Reply COUNT_NOT_POSITIVE = Reply.error("ERR COUNT must be > 0");
  private static final Reply ANY_NEEDS_COUNT = Reply.error("ERR the ANY argument requires COUNT argument");

  public static void register(CommandTable.Builder b) {
    b.handle("geoadd", keyed(GeoCommands::geoadd));
    b.handle("geodist", keyed(GeoCommands::geodist));
    b.handle("geohash", keyed(GeoCommands::geohash));
    b.handle("geopos", keyed(GeoCommands::geopos));
    b.handle("georadius", keyed((ctx, a) -> search(ctx, a, Variant.RADIUS, false)));
    b.handle("georadius_ro", keyed((ctx, a) -> search(ctx, a, Variant.RADIUS, true)));
    b.handle("georadiusbymember", keyed((ctx, a) -> search(ctx, a, Variant.BY_MEMBER, false)));
    b.handle("georadiusbymember_ro", keyed((ctx, a) -> search(ctx, a, Variant.BY_MEMBER, true)));
    b.handle("geosearch", keyed((ctx, a) -> search(ctx, a, Variant.SEARCH, true)));
    b.handle("geosearchstore", keyed((ctx, a) -> search(ctx, a, Variant.SEARCH_STORE, true)));
  }

  // ---- arguments ----------------------------------------------------------------------------------------------

  /** extractLongLatOrReply: a longitude and a latitude from a[i], a[i + 1]; an error reply when refused. */
  private static Object lonLat(byte[][] a, int i) {
    double[] xy = new double[2];
    for (int j = 0; j < 2; j++) {
      Double value = RedisNumbers.string2d(a[i + j]);
      if (value == null) return Reply.NOT_FLOAT;
      xy[j] = value;
    }
    if (!GeoHash.validPair(xy[0], xy[1])) {
      return Reply.error("ERR invalid longitude,latitude pair " + cFixed6(xy[0]) + "," + cFixed6(xy[1]));
    }
    return xy;
  }

  /** C's "%f". */
  private static String cFixed6(double d) {
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    String text = new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    return (d < 0 || (d == 0 && 1 / d < 0)) && !text.startsWith("-") ? "-" + text : text;
  }

  /** extractUnitOrReply: meters per unit, or -1. */
  private static double unit(byte[] arg) {
    if (Args.is(arg, "m")) return 1;
    if (Args.is(arg, "km")) return 1000;
    if (Args.is(arg, "ft")) return 0.3048;
    if (Args.is(arg, "mi")) return 1609.34;
    return -1;
  }

  /** A number of a distance argument: getDoubleFromObjectOrReply with its own message. */
  private static Double number(byte[] arg) {
    return RedisNumbers.string2d(arg);
  }

  private static Reply coordinate(double value) {
    return new Reply.Dbl(new LongDouble(new BigDecimal(value), 0).formatHuman());
  }

  private static Reply distance(double meters) {
    return Reply.bulk(GeoHash.formatDistance(meters));
  }

  // ---- GEOADD, GEODIST, GEOHASH, GEOPOS -------------------------------------------------------------------------

  private static Reply geoadd(KeyedContext ctx, byte[][] a) {
    boolean xx = false;
    boolean nx = false;
    boolean ch = false;
    int first = 2;
    for (; first < a.length; first++) {
      if (Args.is(a[first], "nx")) nx = true;
      else if (Args.is(a[first], "xx")) xx = true;
      else if (Args.is(a[first], "ch")) ch = true;
      else break;
    }
    if ((a.length - first) % 3 != 0 || (xx && nx)) return Reply.SYNTAX_ERROR;
    int elements = (a.length - first) / 3;
    // ZADD's own check, GEOADD key CH CH CH being ZADD key CH CH CH.
    if (elements == 0) return Reply.SYNTAX_ERROR;
    byte[][] zadd = new byte[first + elements * 2][];
    zadd[0] = ZADD;
    System.arraycopy(a, 1, zadd, 1, first - 1);
    double[] scores = new double[elements];
    for (int i = 0; i < elements; i++) {
      Object xy = lonLat(a, first + i * 3);
      if (xy instanceof Reply error) return error;
      double[] pair = (double[]) xy;
      long score = GeoHash.score(pair[0], pair[1]);
      scores[i] = score;
      zadd[first + i * 2] = Args.bytes(score);
      zadd[first + i * 2 + 1] = a[first + i * 3 + 2];
    }
    // As Redis's replaceClientCommandVector: the command that runs, and is propagated, is this ZADD.
    ctx.propagate(zadd);
    return SortedSetCommands.add(ctx, a[1], zadd, first, scores, nx, xx, false, false, ch, false);
  }

  private static final byte[] ZADD = Args.bytes("zadd");

  private static Reply geodist(KeyedContext ctx, byte[][] a) {
    double toMeters = 1;
    if (a.length == 5) {
      toMeters = unit(a[4]);
      if (toMeters < 0) return BAD_UNIT;
    } else if (a.length > 5) {
      return Reply.SYNTAX_ERROR;
    }
    RedisZSet zset = read(ctx.db(), a[1], RedisZSet.class);
    if (zset == null) return Reply.NULL;
    Double score1 = zset.score(new Key(a[2]));
    Double score2 = zset.score(new Key(a[3]));
    if (score1 == null || score2 == null) return Reply.NULL;
    double[] xy1 = GeoHash.decodeScore(score1);
    double[] xy2 = GeoHash.decodeScore(score2);
    return distance(GeoHash.distance(xy1[0], xy1[1], xy2[0], xy2[1]) / toMeters);
  }

  private static Reply geohash(KeyedContext ctx, byte[][] a) {
    RedisZSet zset = read(ctx.db(), a[1], RedisZSet.class);
    List<Reply> out = new ArrayList<>(a.length - 2);
    for (int j = 2; j < a.length; j++) {
      Double score = zset == null ? null : zset.score(new Key(a[j]));
      out.add(score == null ? Reply.NULL : Reply.bulk(GeoHash.standardGeohash(score)));
    }
    return Reply.array(out);
  }

  private static Reply geopos(KeyedContext ctx, byte[][] a) {
    RedisZSet zset = read(ctx.db(), a[1], RedisZSet.class);
    List<Reply> out = new ArrayList<>(a.length - 2);
    for (int j = 2; j < a.length; j++) {
      Double score = zset == null ? null : zset.score(new Key(a[j]));
      if (score == null) {
        out.add(Reply.NULL_ARRAY);
      } else {
        double[] xy = GeoHash.decodeScore(score);
        out.add(Reply.array(coordinate(xy[0]), coordinate(xy[1])));
      }
    }
    return Reply.array(out);
  }

  // ---- the searches -----------------------------------------------------------------------------------------

  enum Variant { RADIUS, BY_MEMBER, SEARCH, SEARCH_STORE }

  /** georadiusGeneric: GEORADIUS[BYMEMBER][_RO] and GEOSEARCH[STORE]; {@code noStore}: STORE is not an option. */
  private static Reply search(KeyedContext ctx, byte[][] a, Variant variant, boolean noStore) {
    Db db = ctx.db();
    boolean geosearch = variant == Variant.SEARCH || variant == Variant.SEARCH_STORE;
    int source = variant == Variant.SEARCH_STORE ? 2 : 1;
    RedisZSet zset = read(db, a[source], RedisZSet.class);
    double[] xy = new double[2];
    boolean circle = true;
    double radius = 0;
    double width = 0;
    double height = 0;
    double toMeters = 0;
    int base;
    byte[] storeKey = null;
    boolean storeDist = false;
    if (variant == Variant.RADIUS) {
      base = 6;
      Object pair = lonLat(a, 2);
      if (pair instanceof Reply error) return error;
      xy = (double[]) pair;
      Object parsed = radius(a, 4);
      if (parsed instanceof Reply error) return error;
      radius = ((double[]) parsed)[0];
      toMeters = ((double[]) parsed)[1];
    } else if (variant == Variant.BY_MEMBER) {
      base = 5;
      if (zset != null) {
        Double score = zset.score(new Key(a[2]));
        if (score == null) return NO_MEMBER;
        xy = GeoHash.decodeScore(score);
        Object parsed = radius(a, 3);
        if (parsed instanceof Reply error) return error;
        radius = ((double[]) parsed)[0];
        toMeters = ((double[]) parsed)[1];
      }
    } else {
      base = source + 1;
      if (variant == Variant.SEARCH_STORE) storeKey = a[1];
    }
    boolean withDist = false;
    boolean withHash = false;
    boolean withCoord = false;
    boolean fromMember = false;
    boolean fromLonLat = false;
    boolean byRadius = false;
    boolean byBox = false;
    int sort = 0; // 0 none, 1 asc, 2 desc
    boolean any = false;
    long count = 0;
    int remaining = a.length - base;
    for (int i = 0; i < remaining; i++) {
      byte[] arg = a[base + i];
      if (Args.is(arg, "withdist")) {
        withDist = true;
      } else if (Args.is(arg, "withhash")) {
        withHash = true;
      } else if (Args.is(arg, "withcoord")) {
        withCoord = true;
      } else if (Args.is(arg, "any")) {
        any = true;
      } else if (Args.is(arg, "asc")) {
        sort = 1;
      } else if (Args.is(arg, "desc")) {
        sort = 2;
      } else if (Args.is(arg, "count") && i + 1 < remaining) {
        Long parsed = RedisNumbers.string2ll(a[base + i + 1]);
        if (parsed == null) return Reply.NOT_INTEGER;
        if (parsed <= 0) return COUNT_NOT_POSITIVE;
        count = parsed;
        i++;
      } else if ((Args.is(arg, "store") || Args.is(arg, "storedist")) && i + 1 < remaining && !noStore
          && !geosearch) {
        storeKey = a[base + i + 1];
        storeDist = Args.is(arg, "storedist");
        i++;
      } else if (Args.is(arg, "storedist") && variant == Variant.SEARCH_STORE) {
        storeDist = true;
      } else if (Args.is(arg, "frommember") && i + 1 < remaining && geosearch && !fromLonLat) {
        if (zset != null) {
          Double score = zset.score(new Key(a[base + i + 1]));
          if (score == null) return NO_MEMBER;
          xy = GeoHash.decodeScore(score);
        }
        fromMember = true;
        i++;
      } else if (Args.is(arg, "fromlonlat") && i + 2 < remaining && geosearch && !fromMember) {
        Object pair = lonLat(a, base + i + 1);
        if (pair instanceof Reply error) return error;
        xy = (double[]) pair;
        fromLonLat = true;
        i += 2;
      } else if (Args.is(arg, "byradius") && i + 2 < remaining && geosearch && !byBox) {
        Object parsed = radius(a, base + i + 1);
        if (parsed instanceof Reply error) return error;
        radius = ((double[]) parsed)[0];
        toMeters = ((double[]) parsed)[1];
        circle = true;
        byRadius = true;
        i += 2;
      } else if (Args.is(arg, "bybox") && i + 3 < remaining && geosearch && !byRadius) {
        Double w = number(a[base + i + 1]);
        if (w == null) return Reply.error("ERR need numeric width");
        Double h = number(a[base + i + 2]);
        if (h == null) return Reply.error("ERR need numeric height");
        if (h < 0 || w < 0) return Reply.error("ERR height or width cannot be negative");
        toMeters = unit(a[base + i + 3]);
        if (toMeters < 0) return BAD_UNIT;
        width = w;
        height = h;
        circle = false;
        byBox = true;
        i += 3;
      } else {
        return Reply.SYNTAX_ERROR;
      }
    }
    if (storeKey != null && (withDist || withHash || withCoord)) {
      return Reply.error("ERR " + (variant == Variant.SEARCH_STORE ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
          + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
    }
    if (geosearch && !(fromMember || fromLonLat)) {
      return Reply.error("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + Args.text(a[0]));
    }
    if (geosearch && !(byRadius || byBox)) {
      return Reply.error("ERR exactly one of BYRADIUS and BYBOX can be specified for " + Args.text(a[0]));
    }
    if (any && count == 0) return ANY_NEEDS_COUNT;
    if (zset == null) {
      if (storeKey == null) return Reply.EMPTY_ARRAY;
      if (db.delete(new Key(storeKey))) db.notify(KeyspaceEvents.GENERIC, "del", storeKey);
      return Reply.ZERO;
    }
    if (count != 0 && sort == 0 && !any) sort = 1;
    GeoSearch.Shape shape = circle ? GeoSearch.Shape.circle(xy[0], xy[1], radius, toMeters)
        : GeoSearch.Shape.box(xy[0], xy[1], width, height, toMeters);
    List<Point> points = GeoSearch.find(zset, shape, any ? count : 0);
    if (points.isEmpty() && storeKey == null) return Reply.EMPTY_ARRAY;
    int returned = (int) (count == 0 || points.size() < count ? points.size() : count);
    if (sort != 0) GeoSearch.sort(points, sort == 2, returned);
    if (storeKey == null) {
      int options = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoord ? 1 : 0);
      List<Reply> out = new ArrayList<>(returned);
      for (int i = 0; i < returned; i++) {
        Point point = points.get(i);
        Reply member = Reply.bulk(point.member().bytes());
        if (options == 0) {
          out.add(member);
          continue;
        }
        List<Reply> item = new ArrayList<>(options + 1);
        item.add(member);
        if (withDist) item.add(distance(point.distance() / toMeters));
        if (withHash) item.add(Reply.integer((long) point.score()));
        if (withCoord) item.add(Reply.array(coordinate(point.longitude()), coordinate(point.latitude())));
        out.add(Reply.array(item));
      }
      return Reply.array(out);
    }
    Settings settings = db.settings();
    RedisZSet stored = new RedisZSet(Long.MAX_VALUE, Long.MAX_VALUE, 0);
    for (int i = 0; i < returned; i++) {
      Point point = points.get(i);
      double score = storeDist ? point.distance() / toMeters : point.score();
      stored.put(point.member(), score, Long.MAX_VALUE, Long.MAX_VALUE);
    }
    stored.fitEncoding(settings.zsetMaxListpackEntries(), settings.zsetMaxListpackValue());
    TypedKeys.store(db, storeKey, stored, returned == 0, KeyspaceEvents.ZSET,
        geosearch ? "geosearchstore" : "georadiusstore");
    return Reply.integer(returned);
  }

  /** extractDistanceOrReply: {radius, meters per unit} from a[i], a[i + 1], or the error reply. */
  private static Object radius(byte[][] a, int i) {
    Double radius = number(a[i]);
    if (radius == null) return Reply.error("ERR need numeric radius");
    if (radius < 0) return Reply.error("ERR radius cannot be negative");
    double toMeters = unit(a[i + 1]);
    if (toMeters < 0) return BAD_UNIT;
    return new double[] {radius, toMeters};
  }
}
