package org.akkaredis.it;

import static org.akkaredis.it.support.Comparison.mapIgnoringValuesOf;
import static org.akkaredis.it.support.Comparison.unordered;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.akkaredis.it.support.Comparison;
import org.akkaredis.it.support.Script;

/**
 * The differential scripts for the geo commands and SORT: one script each walking the options and errors, and
 * long generated runs (fixed seeds, RESP2 and RESP3). Keys share the hash tag {t} so the scripts run in cluster
 * mode too, where SORT's BY patterns and GET are refused alike by both servers.
 */
final class GeoSortScripts {
  private GeoSortScripts() {}

  /** Redis loads a sorted set's or a hashtable set's elements in its hash table's order for SORT: ties keep it. */
  private static final Comparison UNORDERED = unordered("SORT ALPHA BY ties keep the hash table's order");

  static List<Script> all() {
    return List.of(geo(), sort(), generatedGeo(20261207L, 1500, 2), generatedGeo(16L, 1500, 3),
        generatedSort(11L, 1500, 2), generatedSort(12L, 1000, 3));
  }

  static Script geo() {
    return new Script("geo: every GEO command, its options and errors")
        .cmd("geoadd", "{t}Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania")
        .cmd("geoadd", "{t}Sicily", "13.583333", "37.316667", "Agrigento")
        .cmd("geodist", "{t}Sicily", "Palermo", "Catania")
        .cmd("geodist", "{t}Sicily", "Palermo", "Catania", "KM")
        .cmd("geodist", "{t}Sicily", "Palermo", "Catania", "mi")
        .cmd("geodist", "{t}Sicily", "Palermo", "Catania", "ft")
        .cmd("geodist", "{t}Sicily", "Palermo", "Catania", "yd")
        .cmd("geodist", "{t}Sicily", "Palermo", "Catania", "km", "x")
        .cmd("geodist", "{t}Sicily", "Palermo", "nope")
        .cmd("geodist", "{t}nokey", "a", "b")
        .cmd("geohash", "{t}Sicily", "Palermo", "Catania", "nope")
        .cmd("geohash", "{t}nokey", "a")
        .cmd("geopos", "{t}Sicily", "Palermo", "nope", "Catania")
        .cmd("geopos", "{t}nokey", "a")
        .cmd("georadius", "{t}Sicily", "15", "37", "100", "km")
        .cmd("georadius", "{t}Sicily", "15", "37", "200", "km", "WITHDIST", "WITHCOORD", "WITHHASH")
        .cmd("georadius", "{t}Sicily", "15", "37", "200", "km", "DESC", "COUNT", "1")
        .cmd("georadius", "{t}Sicily", "15", "37", "200", "km", "COUNT", "2", "ANY")
        .cmd("georadius", "{t}Sicily", "15", "37", "200", "km", "STORE", "{t}d1")
        .cmd("zrange", "{t}d1", "0", "-1", "withscores")
        // A destination in another slot: CROSSSLOT in cluster mode, another range in standalone mode.
        .cmd("georadius", "{t}Sicily", "15", "37", "200", "km", "STORE", "elsewhere")
        .cmd("geosearchstore", "elsewhere", "{t}Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km")
        .cmd("zrange", "elsewhere", "0", "-1", "withscores")
        .cmd("georadius", "{t}Sicily", "15", "37", "200", "km", "STOREDIST", "{t}d1")
        .cmd("zrange", "{t}d1", "0", "-1", "withscores")
        .cmd("georadius", "{t}Sicily", "15", "37", "200", "km", "STORE", "{t}d1", "WITHDIST")
        .cmd("georadius_ro", "{t}Sicily", "15", "37", "200", "km", "STORE", "{t}d1")
        .cmd("georadius_ro", "{t}Sicily", "15", "37", "200", "km", "ASC")
        .cmd("georadius", "{t}Sicily", "200", "37", "200", "km")
        .cmd("georadius", "{t}Sicily", "15", "37", "-1", "km")
        .cmd("georadius", "{t}Sicily", "15", "37", "x", "km")
        .cmd("georadius", "{t}Sicily", "15", "37", "1", "parsec")
        .cmd("georadiusbymember", "{t}Sicily", "Agrigento", "100", "km", "WITHDIST")
        .cmd("georadiusbymember", "{t}Sicily", "nope", "100", "km")
        .cmd("georadiusbymember", "{t}nokey", "nope", "100", "km", "STORE", "{t}d1")
        .cmd("exists", "{t}d1")
        .cmd("georadiusbymember_ro", "{t}Sicily", "Agrigento", "100", "km", "STORE", "{t}d1")
        .cmd("georadiusbymember_ro", "{t}Sicily", "Agrigento", "100", "km", "ASC", "WITHCOORD")
        .cmd("geosearch", "{t}Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC")
        .cmd("geosearch", "{t}Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "ASC", "WITHCOORD",
            "WITHDIST")
        .cmd("geosearch", "{t}Sicily", "FROMMEMBER", "Palermo", "BYBOX", "400", "400", "km", "DESC", "COUNT", "2",
            "WITHDIST")
        .cmd("geosearch", "{t}Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "400", "km", "COUNT", "2", "ANY")
        .cmd("geosearch", "{t}Sicily", "FROMMEMBER", "Palermo", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km")
        .cmd("geosearch", "{t}Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "BYBOX", "1", "1", "km")
        .cmd("geosearch", "{t}Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "0")
        .cmd("geosearch", "{t}Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "x")
        .cmd("geosearch", "{t}Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ANY")
        .cmd("geosearch", "{t}Sicily", "FROMLONLAT", "15", "37", "BYBOX", "x", "1", "km")
        .cmd("geosearch", "{t}Sicily", "FROMLONLAT", "15", "37", "BYBOX", "1", "x", "km")
        .cmd("geosearch", "{t}Sicily", "FROMLONLAT", "15", "37", "BYBOX", "1", "-1", "km")
        .cmd("geosearch", "{t}Sicily", "FROMLONLAT", "15", "37")
        .cmd("geosearch", "{t}Sicily", "BYRADIUS", "1", "km")
        .cmd("geosearch", "{t}Sicily", "FROMMEMBER", "nope", "BYRADIUS", "1", "km")
        .cmd("geosearch", "{t}Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STORE", "{t}x")
        .cmd("geosearch", "{t}nokey", "FROMMEMBER", "nope", "BYRADIUS", "1", "km")
        .cmd("geosearchstore", "{t}d2", "{t}Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km",
            "COUNT", "2")
        .cmd("zrange", "{t}d2", "0", "-1", "withscores")
        .cmd("geosearchstore", "{t}d2", "{t}Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km",
            "STOREDIST")
        .cmd("zrange", "{t}d2", "0", "-1", "withscores")
        .cmd("object", "encoding", "{t}d2")
        .cmd("geosearchstore", "{t}d2", "{t}Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m")
        .cmd("exists", "{t}d2")
        .cmd("geosearchstore", "{t}d2", "{t}Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m", "WITHDIST")
        .cmd("geosearchstore", "{t}d2", "{t}nokey", "FROMMEMBER", "x", "BYRADIUS", "1", "m")
        .cmd("geoadd", "{t}Sicily", "200", "100", "x")
        .cmd("geoadd", "{t}Sicily", "-180.5", "-85.1", "x")
        .cmd("geoadd", "{t}Sicily", "inf", "1", "x")
        .cmd("geoadd", "{t}Sicily", "abc", "1", "x")
        .cmd("geoadd", "{t}Sicily", "1", "1")
        .cmd("geoadd", "{t}Sicily", "nx", "xx", "1", "1", "a")
        .cmd("geoadd", "{t}Sicily", "ch", "ch", "ch")
        .cmd("geoadd", "{t}Sicily", "180", "85.05112878", "ne", "-180", "-85.05112878", "sw")
        .cmd("geopos", "{t}Sicily", "ne", "sw")
        .cmd("geohash", "{t}Sicily", "ne", "sw")
        .cmd("geoadd", "{t}Sicily", "ch", "13.361389", "38.1", "Palermo")
        .cmd("geoadd", "{t}Sicily", "xx", "ch", "13.361389", "38.2", "Palermo", "1", "1", "new")
        .cmd("geoadd", "{t}Sicily", "nx", "13.361389", "38.3", "Palermo", "1", "1", "new")
        .cmd("zrange", "{t}Sicily", "0", "-1", "withscores")
        .cmd("geosearch", "{t}Sicily", "FROMLONLAT", "0", "0", "BYRADIUS", "20000", "km", "ASC", "WITHDIST")
        .cmd("geosearch", "{t}Sicily", "FROMLONLAT", "0", "0", "BYBOX", "40000", "40000", "km", "DESC", "WITHCOORD")
        .cmd("zadd", "{t}Sicily", "-1", "neg", "9e15", "huge")
        .cmd("geopos", "{t}Sicily", "neg", "huge")
        .cmd("geohash", "{t}Sicily", "neg", "huge")
        .cmd("set", "{t}str", "x")
        .cmd("geoadd", "{t}str", "1", "1", "a")
        .cmd("geopos", "{t}str", "a")
        .cmd("geodist", "{t}str", "a", "b")
        .cmd("geosearch", "{t}str", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km")
        .cmd(mapIgnoringValuesOf(Set.of("id"), "the connection id is each server's own"), "hello", "3")
        .cmd("geopos", "{t}Sicily", "Palermo", "nope")
        .cmd("geosearch", "{t}Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC", "WITHCOORD",
            "WITHDIST", "WITHHASH")
        .cmd("geodist", "{t}Sicily", "Palermo", "Catania")
        .cmd("geodist", "{t}nokey", "a", "b")
        .cmd(mapIgnoringValuesOf(Set.of("id"), "the connection id is each server's own"), "hello", "2");
  }

  static Script sort() {
    return new Script("sort: BY, LIMIT, GET, ASC/DESC, ALPHA, STORE on lists, sets and sorted sets")
        .cmd("rpush", "{t}l", "3", "1", "2", "10", "1.5", "-2", "2e3", "0x10")
        .cmd("sort", "{t}l").cmd("sort", "{t}l", "desc").cmd("sort", "{t}l", "limit", "1", "3")
        .cmd("sort", "{t}l", "limit", "-5", "3").cmd("sort", "{t}l", "limit", "2", "-1")
        .cmd("sort", "{t}l", "limit", "100", "3").cmd("sort", "{t}l", "alpha")
        .cmd("sort", "{t}l", "alpha", "desc", "limit", "0", "4")
        .cmd("mset", "w_3", "30", "w_1", "10", "w_2", "5", "w_10", "-1")
        .cmd("sort", "{t}l", "by", "w_*").cmd("sort", "{t}l", "by", "w_*", "desc")
        .cmd("sort", "{t}l", "by", "w_*", "alpha").cmd("sort", "{t}l", "by", "w_*", "alpha", "limit", "1", "2")
        .cmd("sort", "{t}l", "by", "nosort").cmd("sort", "{t}l", "by", "nosort", "desc")
        .cmd("sort", "{t}l", "by", "nosort", "limit", "2", "3")
        .cmd("sort", "{t}l", "by", "nosort", "desc", "limit", "2", "3")
        .cmd("sort", "{t}l", "get", "#", "get", "w_*")
        .cmd("hset", "h_1", "f", "one").cmd("hset", "h_2", "f", "two")
        .cmd("sort", "{t}l", "get", "h_*->f", "get", "#", "by", "w_*", "desc")
        .cmd("sort", "{t}l", "get", "h_*->f", "get", "#", "by", "h_*->f", "alpha")
        .cmd("sort", "{t}l", "get", "h_*->").cmd("sort", "{t}l", "get", "nostar")
        .cmd("sort", "{t}l", "get", "#", "by", "w_*")
        .cmd("sort", "{t}l", "store", "{t}dst").cmd("lrange", "{t}dst", "0", "-1")
        .cmd("sort", "{t}l", "by", "w_*", "get", "#", "get", "w_*", "limit", "0", "2", "store", "{t}dst")
        .cmd("lrange", "{t}dst", "0", "-1")
        .cmd("sort", "{t}nokey", "store", "{t}dst").cmd("exists", "{t}dst")
        .cmd("sort", "{t}l", "store", "otherslot")
        .cmd("sort_ro", "{t}l", "store", "{t}x").cmd("sort_ro", "{t}l", "desc")
        .cmd("sort_ro", "{t}l", "by", "w_*")
        .cmd("rpush", "{t}bad", "1", "a").cmd("sort", "{t}bad").cmd("sort", "{t}bad", "alpha")
        .cmd("sort", "{t}bad", "store", "{t}z")
        .cmd("sadd", "{t}s", "5", "3", "9", "1").cmd("sort", "{t}s").cmd("sort", "{t}s", "by", "nosort")
        .cmd("sort", "{t}s", "by", "nosort", "store", "{t}st").cmd("lrange", "{t}st", "0", "-1")
        .cmd("sadd", "{t}s2", "b", "a", "c")
        .cmd("sort", "{t}s2", "by", "nosort", "store", "{t}st").cmd("lrange", "{t}st", "0", "-1")
        .cmd("sort", "{t}s2", "alpha").cmd("sort", "{t}s2", "alpha", "desc", "limit", "1", "5")
        .cmd("zadd", "{t}z", "1", "c", "2", "b", "3", "a").cmd("object", "encoding", "{t}z")
        .cmd("sort", "{t}z", "alpha").cmd("object", "encoding", "{t}z")
        .cmd("sort", "{t}z", "by", "nosort").cmd("sort", "{t}z", "by", "nosort", "desc", "limit", "1", "1")
        .cmd("sort", "{t}z", "by", "nosort", "limit", "1", "1")
        .cmd("set", "{t}str", "x").cmd("sort", "{t}str").cmd("sort", "{t}l", "limit", "a", "b")
        .cmd("sort", "{t}l", "limit", "1").cmd("sort", "{t}l", "foo").cmd("sort", "{t}l", "get")
        .cmd("rpush", "{t}e", "1", "1", "01", "1.0", "", " 2", "-0").cmd("sort", "{t}e")
        .cmd("rpush", "{t}nan", "nan").cmd("sort", "{t}nan")
        .cmd("rpush", "{t}big", "1e400").cmd("sort", "{t}big").cmd("sort", "{t}big", "alpha")
        .cmd("rpush", "{t}tiny", "1e-400").cmd("sort", "{t}tiny")
        .cmd("rpush", "{t}ws", "  ").cmd("sort", "{t}ws");
  }

  private static final String[] GEO_KEYS = {"{t}g1", "{t}g2", "{t}g3"};
  private static final String[] UNITS = {"m", "km", "mi", "ft", "KM", "M"};

  private static String coordinate(Random r, double min, double max) {
    if (r.nextInt(40) == 0) return r.nextBoolean() ? "200" : "x";
    return String.format(Locale.ROOT, "%.6f", min + r.nextDouble() * (max - min));
  }

  /**
   * A run of GEOADD and of searches around places near the members (so that results are many, equal distances
   * happen, and COUNT with and without ANY cuts them), STORE results read back, over three keys.
   */
  static Script generatedGeo(long seed, int commands, int protocol) {
    Random r = new Random(seed);
    Script s = new Script("generated geo (seed " + seed + ", RESP" + protocol + ")")
        .cmd(mapIgnoringValuesOf(Set.of("id"), "the connection id is each server's own"), "HELLO",
            Integer.toString(protocol))
        .cmd("CONFIG", "SET", "zset-max-listpack-entries", "16");
    for (int i = 0; i < commands; i++) {
      String k = GEO_KEYS[r.nextInt(GEO_KEYS.length)];
      String k2 = GEO_KEYS[r.nextInt(GEO_KEYS.length)];
      String m = "m" + r.nextInt(40);
      String unit = UNITS[r.nextInt(UNITS.length)];
      // Clusters of points around a few centres, some at the same place (equal distances).
      double cx = new double[] {13.36, -73.98, 151.2, 179.9}[r.nextInt(4)];
      double cy = new double[] {38.11, 40.75, -33.86, 84.9}[r.nextInt(4)];
      String lon = r.nextInt(10) == 0 ? Double.toString(cx) : coordinate(r, cx - 1, Math.min(180, cx + 1));
      String lat = r.nextInt(10) == 0 ? Double.toString(cy) : coordinate(r, cy - 1, Math.min(85, cy + 1));
      String radius = Integer.toString(r.nextInt(300)) + (r.nextBoolean() ? "" : ".5");
      List<String> options = new ArrayList<>();
      if (r.nextInt(3) == 0) options.add(r.nextBoolean() ? "ASC" : "DESC");
      if (r.nextInt(3) == 0) {
        options.add("COUNT");
        options.add(Integer.toString(1 + r.nextInt(6)));
        if (r.nextInt(3) == 0) options.add("ANY");
      }
      List<String> with = new ArrayList<>();
      if (r.nextBoolean()) with.add("WITHDIST");
      if (r.nextInt(3) == 0) with.add("WITHHASH");
      if (r.nextInt(3) == 0) with.add("WITHCOORD");
      String distanceUnit = unit.equals("m") || unit.equals("M") || unit.equals("ft") ? "km" : unit;
      switch (r.nextInt(14)) {
        case 0, 1, 2 -> s.cmd("GEOADD", k, lon, lat, m, coordinate(r, cx - 1, Math.min(180, cx + 1)),
            coordinate(r, cy - 1, Math.min(85, cy + 1)), "m" + r.nextInt(40));
        case 3 -> s.cmd("GEOADD", k, r.nextBoolean() ? "NX" : "XX", "CH", lon, lat, m);
        case 4 -> s.cmd("GEODIST", k, m, "m" + r.nextInt(40), distanceUnit);
        case 5 -> s.cmd("GEOPOS", k, m, "m" + r.nextInt(40));
        case 6 -> s.cmd("GEOHASH", k, m, "m" + r.nextInt(40));
        case 7, 8 -> s.cmd(concat(List.of("GEOSEARCH", k, "FROMLONLAT", lon, lat, "BYRADIUS", radius, distanceUnit),
            options, with));
        case 9 -> s.cmd(concat(List.of("GEOSEARCH", k, "FROMMEMBER", m, "BYBOX", radius, Integer.toString(
            r.nextInt(500)), distanceUnit), options, with));
        case 10 -> s.cmd(concat(List.of("GEORADIUS", k, lon, lat, radius, distanceUnit), options, with));
        case 11 -> s.cmd(concat(List.of("GEORADIUSBYMEMBER", k, m, radius, distanceUnit), options,
            r.nextBoolean() ? with : List.of(r.nextBoolean() ? "STORE" : "STOREDIST", k2)));
        case 12 -> s.cmd(concat(List.of("GEOSEARCHSTORE", k2, k, "FROMLONLAT", lon, lat, "BYBOX", radius, radius,
            distanceUnit), options, r.nextBoolean() ? List.of("STOREDIST") : List.of()));
        default -> s.cmd("ZRANGE", k, "0", "-1", "WITHSCORES");
      }
    }
    for (String key : GEO_KEYS) s.cmd("ZRANGE", key, "0", "-1", "WITHSCORES").cmd("OBJECT", "ENCODING", key);
    return s.cmd("CONFIG", "SET", "zset-max-listpack-entries", "128");
  }

  private static String[] concat(List<String> first, List<String> options, List<String> last) {
    List<String> all = new ArrayList<>(first);
    all.addAll(options);
    all.addAll(last);
    return all.toArray(new String[0]);
  }

  private static final String[] SORT_KEYS = {"{t}l1", "{t}l2", "{t}s1", "{t}z1"};
  private static final String[] ELEMENTS = {"1", "2", "3", "10", "-1", "2.5", "0", "7", "a", "b", "", "1e2"};

  /**
   * Lists, integer sets and sorted sets sorted with random options, weights (strings and hash fields) written
   * and removed between the sorts, STORE results read back.
   */
  static Script generatedSort(long seed, int commands, int protocol) {
    Random r = new Random(seed);
    Script s = new Script("generated sort (seed " + seed + ", RESP" + protocol + ")")
        .cmd(mapIgnoringValuesOf(Set.of("id"), "the connection id is each server's own"), "HELLO",
            Integer.toString(protocol));
    for (int i = 0; i < commands; i++) {
      String k = SORT_KEYS[r.nextInt(SORT_KEYS.length)];
      String e = ELEMENTS[r.nextInt(ELEMENTS.length)];
      String numeric = ELEMENTS[r.nextInt(8)];
      switch (r.nextInt(12)) {
        case 0 -> s.cmd("RPUSH", SORT_KEYS[r.nextInt(2)], e, ELEMENTS[r.nextInt(ELEMENTS.length)]);
        case 1 -> s.cmd("SADD", "{t}s1", numeric.equals("2.5") ? "4" : numeric);
        case 2 -> s.cmd("ZADD", "{t}z1", Integer.toString(r.nextInt(5)), e);
        case 3 -> s.cmd("SET", "w_" + e, ELEMENTS[r.nextInt(ELEMENTS.length)]);
        case 4 -> s.cmd("HSET", "h_" + e, "f", ELEMENTS[r.nextInt(ELEMENTS.length)]);
        case 5 -> s.cmd("DEL", r.nextBoolean() ? "w_" + e : "h_" + e);
        case 6 -> s.cmd("LPOP", SORT_KEYS[r.nextInt(2)]);
        default -> {
          List<String> args = new ArrayList<>(List.of("SORT", k));
          boolean alpha = r.nextInt(3) == 0;
          String by = switch (r.nextInt(5)) {
            case 0 -> "w_*";
            case 1 -> "h_*->f";
            case 2 -> "nosort";
            default -> null;
          };
          if (by != null) args.addAll(List.of("BY", by));
          boolean limit = r.nextInt(3) == 0;
          if (limit) args.addAll(List.of("LIMIT", Integer.toString(r.nextInt(4) - 1),
              Integer.toString(r.nextInt(5) - 1)));
          int gets = r.nextInt(3);
          for (int g = 0; g < gets; g++) args.addAll(List.of("GET", new String[] {"#", "w_*", "h_*->f"}[r.nextInt(3)]));
          if (r.nextBoolean()) args.add(r.nextBoolean() ? "ASC" : "DESC");
          if (alpha) args.add("ALPHA");
          boolean hashOrder = k.equals("{t}z1") && alpha && by != null && !by.equals("nosort");
          boolean store = !hashOrder && r.nextInt(4) == 0;
          if (store) args.addAll(List.of("STORE", "{t}dst"));
          if (hashOrder && limit) args.subList(args.indexOf("LIMIT"), args.indexOf("LIMIT") + 3).clear();
          if (hashOrder) s.cmd(UNORDERED, args.toArray(new String[0]));
          else s.cmd(args.toArray(new String[0]));
          if (store) s.cmd("LRANGE", "{t}dst", "0", "-1");
        }
      }
    }
    return s;
  }
}
