package org.akkaredis.it;

import java.util.List;
import org.akkaredis.it.support.Script;

/**
 * The edges of every number reader (config's RedisNumbers and LongDouble) as commands meet them: strict integers,
 * string2d scores and weights, zslParseRange bounds, long double increments, SCAN cursors and a setting read
 * with string2d.
 */
final class DifferentialNumberScripts {
  private DifferentialNumberScripts() {}

  private static final String[] EDGES = {"+1", "-0", " 1", "1 ", "1e400", "-1e400", "1.5e-330", "1.5e-320", "inf",
      "-inf", "+inf", "Infinity", "nan", "-nan", "0x10", "0x1p-1080", "0x", "1e", ".5", "5.", "", "9223372036854775807",
      "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "01", "1\u00001"};

  static List<Script> all() {
    return List.of(numbers());
  }

  static Script numbers() {
    Script script = new Script("numbers: each reader's edge cases");
    script.cmd("ZADD", "{t}z", "1", "a", "2", "b").cmd("HSET", "{t}small", "a", "1", "b", "2");
    for (String edge : EDGES) {
      script.cmd("INCRBY", "{t}i", edge)
          .cmd("SET", "{t}s", edge)
          .cmd("INCR", "{t}s")
          .cmd("INCRBYFLOAT", "{t}f", edge)
          .cmd("HINCRBYFLOAT", "{t}h", "f", edge)
          .cmd("ZADD", "{t}z", edge, "e")
          .cmd("ZSCORE", "{t}z", "e")
          .cmd("ZINCRBY", "{t}z", edge, "a")
          .cmd("ZUNIONSTORE", "{t}u", "1", "{t}z", "WEIGHTS", edge)
          .cmd("LRANGE", "{t}l", edge, "1")
          .cmd("EXPIRE", "{t}nokey", edge)
          .cmd("OBJECT", "ENCODING", "{t}s");
      // Range bounds are read with strtod over the C string: "" and "(" are 0, a NUL ends the number.
      script.cmd("ZRANGEBYSCORE", "{t}z", edge, "+inf", "WITHSCORES")
          .cmd("ZCOUNT", "{t}z", "-inf", "(" + edge)
          .cmd("ZRANGE", "{t}z", edge, "+inf", "BYSCORE")
          .cmd("ZREVRANGEBYSCORE", "{t}z", "+inf", "(" + edge)
          .cmd("ZRANGESTORE", "{t}zs", "{t}z", "(" + edge, edge, "BYSCORE", "REV");
    }
    for (String cursor : new String[] {"0\u0000x", "\u0000", "-1", " 0", "0 ", "+0", "18446744073709551615",
        "18446744073709551616", "0x0", ""}) {
      // A listpack hash: a hashtable's answer to an out-of-range cursor depends on redis-server's random hash seed.
      script.cmd("HSCAN", "{t}small", cursor)
          .cmd("SSCAN", "{t}nokey", cursor)
          .cmd("ZSCAN", "{t}z", cursor, "COUNT", "100")
          .cmd("SCAN", cursor, "MATCH", "nothing-matches-this");
    }
    // latency-tracking-info-percentiles, read with string2d too, is not implemented (no INFO latencystats): the
    // node refuses other values than its default, so its parsing is SettingsTest's (latencyPercentilesAre...).
    return script;
  }
}
