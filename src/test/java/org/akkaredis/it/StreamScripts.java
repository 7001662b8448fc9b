package org.akkaredis.it;

import static org.akkaredis.it.support.Comparison.mapIgnoringValuesOf;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.akkaredis.it.support.Comparison;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.Script;

/**
 * The differential scripts for streams: every X* command with its options and errors, and long generated runs over
 * three streams with consumer groups (fixed seeds, RESP2 and RESP3). Ids are given explicitly ("ms-seq" and
 * "ms-*"), so both servers hold the same entries; only times differ (idle times and the absolute times of
 * deliveries and consumers), which {@link #TIMES} compares within a tolerance.
 */
final class StreamScripts {
  private StreamScripts() {}

  /** Idle times and unix-ms times are each server's clock: within 10 s; everything else exact. */
  static final Comparison TIMES = new Comparison() {
    @Override public String mismatch(RespReply expected, RespReply actual) {
      return compare(expected, actual, false);
    }

    @Override public String reason() {
      return "idle and delivery times come from each server's clock";
    }

    private String compare(RespReply e, RespReply a, boolean time) {
      if (e.type == ':' && a.type == ':') {
        long x = e.integer();
        long y = a.integer();
        if ((time || x >= 1_000_000_000_000L) && Math.abs(x - y) <= 10_000) return null;
        return x == y ? null : "expected " + x + ", got " + y;
      }
      if (e.type != a.type || !e.isAggregate()) return e.rawEquals(a) ? null : "expected " + e + ", got " + a;
      List<RespReply> xs = e.elements();
      List<RespReply> ys = a.elements();
      if (xs.size() != ys.size()) return "expected " + xs.size() + " elements, got " + ys.size() + ": " + a;
      // An XPENDING line: id, consumer, idle ms, deliveries.
      boolean pendingLine = xs.size() == 4 && xs.get(0).type == '$' && xs.get(1).type == '$' && xs.get(2).type == ':';
      for (int i = 0; i < xs.size(); i++) {
        RespReply before = i > 0 ? xs.get(i - 1) : null;
        boolean idle = before != null && before.type == '$' && !before.isNull() && "idle".equals(before.text());
        String why = compare(xs.get(i), ys.get(i), idle || (pendingLine && i == 2));
        if (why != null) return why;
      }
      return null;
    }
  };

  static List<Script> all() {
    return List.of(commands(), groups(), generated(20261207L, 2500, 2), generated(5L, 2500, 3));
  }

  static Script commands() {
    return new Script("streams: XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM, XSETID, XINFO STREAM and their errors")
        .cmd("xadd", "{t}s", "1-1", "a", "1", "b", "2")
        .cmd("xadd", "{t}s", "1-2", "a", "3", "b", "4")
        .cmd("xadd", "{t}s", "1-*", "a", "5", "b", "6")
        .cmd("xadd", "{t}s", "2", "c", "7")
        .cmd("xadd", "{t}s", "1-1", "a", "1")
        .cmd("xadd", "{t}s", "0-0", "a", "1")
        .cmd("xadd", "{t}s", "0", "a", "1")
        .cmd("xadd", "{t}s", "5-5", "a")
        .cmd("xadd", "{t}s", "abc", "a", "1")
        .cmd("xadd", "{t}s", "1-2-3", "a", "1")
        .cmd("xadd", "{t}s", "nomkstream", "6-0", "x", "y")
        .cmd("xadd", "{t}nosuch", "nomkstream", "6-0", "x", "y")
        .cmd("exists", "{t}nosuch")
        .cmd("xadd", "{t}s", "maxlen", "~", "abc", "7-0", "x", "y")
        .cmd("xadd", "{t}s", "maxlen", "-1", "7-0", "x", "y")
        .cmd("xadd", "{t}s", "maxlen", "5", "minid", "1", "7-0", "x", "y")
        .cmd("xadd", "{t}s", "limit", "5", "7-0", "x", "y")
        .cmd("xadd", "{t}s", "maxlen", "5", "limit", "5", "7-0", "x", "y")
        .cmd("xadd", "{t}s", "maxlen", "~", "5", "limit", "-1", "7-0", "x", "y")
        .cmd("xadd", "{t}s", "18446744073709551615-18446744073709551614", "x", "y")
        .cmd("xadd", "{t}s", "18446744073709551615-*", "x", "y")
        .cmd("xadd", "{t}s", "18446744073709551615-*", "x", "y")
        .cmd("xadd", "{t}s", "*", "x", "y")
        .cmd("xlen", "{t}s")
        .cmd("xlen", "{t}nosuch")
        .cmd("xrange", "{t}s", "-", "+")
        .cmd("xrevrange", "{t}s", "+", "-")
        .cmd("xrange", "{t}s", "(1-1", "+", "count", "2")
        .cmd("xrange", "{t}s", "-", "+", "count", "0")
        .cmd("xrange", "{t}s", "-", "+", "count", "-1")
        .cmd("xrange", "{t}s", "-", "+", "count")
        .cmd("xrange", "{t}s", "-", "+", "foo", "1")
        .cmd("xrange", "{t}s", "1", "1")
        .cmd("xrange", "{t}s", "abc", "+")
        .cmd("xrange", "{t}s", "(-", "+")
        .cmd("xrange", "{t}s", "(18446744073709551615-18446744073709551615", "+")
        .cmd("xrange", "{t}s", "-", "(0-0")
        .cmd("xrevrange", "{t}s", "2", "1")
        .cmd("xrevrange", "{t}s", "(2", "-", "count", "1")
        .cmd("xrange", "{t}nosuch", "-", "+")
        .cmd("xdel", "{t}s", "1-2", "9-9")
        .cmd("xdel", "{t}s", "abc")
        .cmd("xdel", "{t}nosuch", "1-1")
        .cmd("xrange", "{t}s", "-", "+")
        .cmd("xinfo", "stream", "{t}s")
        .cmd("xinfo", "stream", "{t}nosuch")
        .cmd("xinfo", "stream", "{t}s", "foo")
        .cmd("xinfo", "stream", "{t}s", "full", "count")
        .cmd("xtrim", "{t}s", "maxlen", "2")
        .cmd("xtrim", "{t}s", "maxlen", "~", "1")
        .cmd("xtrim", "{t}s", "minid", "2-0")
        .cmd("xtrim", "{t}s")
        .cmd("xtrim", "{t}s", "maxlen", "1", "limit", "10")
        .cmd("xtrim", "{t}s", "maxlen", "~", "1", "limit", "10")
        .cmd("xtrim", "{t}s", "maxlen", "-1")
        .cmd("xtrim", "{t}s", "minid", "abc")
        .cmd("xtrim", "{t}s", "nomkstream")
        .cmd("xtrim", "{t}nosuch", "maxlen", "0")
        .cmd("xrange", "{t}s", "-", "+")
        .cmd("xinfo", "stream", "{t}s")
        .cmd("xsetid", "{t}s", "1-1")
        .cmd("xsetid", "{t}s", "18446744073709551615-18446744073709551615", "entriesadded", "1")
        .cmd("xsetid", "{t}s", "18446744073709551615-18446744073709551615", "maxdeletedid", "20-0")
        .cmd("xsetid", "{t}s", "30-0", "maxdeletedid", "40-0")
        .cmd("xsetid", "{t}s", "30-0", "entriesadded", "-1")
        .cmd("xsetid", "{t}s", "30-0", "foo")
        .cmd("xsetid", "{t}nosuch", "30-0")
        .cmd("xinfo", "stream", "{t}s")
        .cmd("type", "{t}s")
        .cmd("object", "encoding", "{t}s")
        .cmd("set", "{t}str", "x")
        .cmd("xadd", "{t}str", "1-1", "a", "1")
        .cmd("xrange", "{t}str", "-", "+")
        .cmd("xlen", "{t}str")
        .cmd("xdel", "{t}str", "1-1")
        .cmd("xtrim", "{t}str", "maxlen", "0")
        .cmd("xinfo", "stream", "{t}str")
        .cmd("xsetid", "{t}str", "1-1")
        .cmd("xread", "streams", "{t}str", "0")
        .cmd("CONFIG", "SET", "stream-node-max-entries", "3")
        .cmd("del", "{t}n")
        .cmd("xadd", "{t}n", "1-0", "f", "1")
        .cmd("xadd", "{t}n", "2-0", "f", "2")
        .cmd("xadd", "{t}n", "3-0", "g", "3", "h", "4")
        .cmd("xadd", "{t}n", "4-0", "f", "-5")
        .cmd("xadd", "{t}n", "5-0", "f", "123456789012")
        .cmd("xadd", "{t}n", "6-0", "f", "0.5")
        .cmd("xadd", "{t}n", "7-0", "", "")
        .cmd("xinfo", "stream", "{t}n")
        .cmd("xtrim", "{t}n", "maxlen", "~", "2")
        .cmd("xinfo", "stream", "{t}n")
        .cmd("xdel", "{t}n", "7-0", "6-0")
        .cmd("xinfo", "stream", "{t}n")
        .cmd("xrevrange", "{t}n", "+", "-")
        .cmd("CONFIG", "SET", "stream-node-max-entries", "100")
        .cmd("CONFIG", "SET", "stream-node-max-bytes", "60")
        .cmd("xadd", "{t}b", "1-0", "field", "value-value-value")
        .cmd("xadd", "{t}b", "2-0", "field", "value-value-value")
        .cmd("xadd", "{t}b", "3-0", "field", "value-value-value")
        .cmd("xinfo", "stream", "{t}b")
        .cmd("CONFIG", "SET", "stream-node-max-bytes", "4096")
        .cmd("copy", "{t}n", "{t}n2")
        .cmd("xadd", "{t}n2", "8-0", "new", "1")
        .cmd("xlen", "{t}n")
        .cmd("xlen", "{t}n2")
        .cmd("MULTI")
        .cmd("xadd", "{t}m", "1-0", "a", "1")
        .cmd("xread", "block", "0", "streams", "{t}m", "$")
        .cmd("xread", "block", "0", "streams", "{t}m", "0")
        .cmd("EXEC")
        .cmd("xread", "block", "1", "streams", "{t}m", "$")
        .cmd("xread", "count", "1", "block", "0", "streams", "{t}m", "0");
  }

  static Script groups() {
    return new Script("streams: consumer groups (XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO)")
        .cmd("xadd", "{t}s", "1-0", "a", "1")
        .cmd("xadd", "{t}s", "2-0", "a", "2")
        .cmd("xadd", "{t}s", "3-0", "b", "3", "c", "4")
        .cmd("xadd", "{t}s", "4-0", "a", "5")
        .cmd("xgroup", "create", "{t}s", "g", "0")
        .cmd("xgroup", "create", "{t}s", "g", "0")
        .cmd("xgroup", "create", "{t}nosuch", "g", "0")
        .cmd("xgroup", "create", "{t}s", "g9", "abc")
        .cmd("xgroup", "create", "{t}s", "g9", "0", "entriesread", "-5")
        .cmd("xgroup", "create", "{t}s", "g9", "0", "foo")
        .cmd("xgroup", "create", "{t}new", "g", "$", "mkstream")
        .cmd("xinfo", "stream", "{t}new")
        .cmd("xgroup", "foo")
        .cmd("xgroup", "help")
        .cmd("xinfo", "help")
        .cmd("xinfo", "foo", "{t}s")
        .cmd("xreadgroup", "group", "g", "c1", "count", "2", "streams", "{t}s", ">")
        .cmd("xreadgroup", "group", "g", "c2", "streams", "{t}s", ">")
        .cmd("xreadgroup", "group", "g", "c2", "streams", "{t}s", ">")
        .cmd("xreadgroup", "group", "g", "c1", "streams", "{t}s", "0")
        .cmd("xreadgroup", "group", "g", "c1", "count", "1", "streams", "{t}s", "1-0")
        .cmd("xpending", "{t}s", "g")
        .cmd(TIMES, "xpending", "{t}s", "g", "-", "+", "10")
        .cmd(TIMES, "xpending", "{t}s", "g", "-", "+", "10", "c1")
        .cmd("xpending", "{t}s", "g", "-", "+", "10", "nosuch")
        .cmd(TIMES, "xpending", "{t}s", "g", "(1-0", "+", "10")
        .cmd("xpending", "{t}s", "g", "idle", "1000000", "-", "+", "10")
        .cmd("xpending", "{t}s", "g", "idle")
        .cmd("xpending", "{t}s", "nog")
        .cmd("xpending", "{t}nokey", "g")
        .cmd("xpending", "{t}s", "g", "-", "+", "abc")
        .cmd("xpending", "{t}s", "g", "-", "+")
        .cmd("xclaim", "{t}s", "g", "c3", "0", "1-0", "justid")
        .cmd("xclaim", "{t}s", "g", "c3", "0", "1-0", "2-0", "retrycount", "5", "justid")
        .cmd("xclaim", "{t}s", "g", "c3", "0", "9-0", "force", "justid")
        .cmd("xclaim", "{t}s", "g", "c3", "0", "4-0", "force")
        .cmd("xclaim", "{t}s", "g", "c3", "0", "4-0", "foo")
        .cmd("xclaim", "{t}s", "g", "c3", "abc", "4-0")
        .cmd("xclaim", "{t}s", "g", "c3", "0", "4-0", "idle", "abc")
        .cmd("xclaim", "{t}s", "g", "c3", "0", "4-0", "time", "abc")
        .cmd("xclaim", "{t}s", "g", "c3", "0", "4-0", "retrycount", "abc")
        .cmd("xclaim", "{t}s", "g", "c3", "0", "4-0", "lastid", "abc")
        .cmd("xclaim", "{t}s", "nog", "c3", "0", "4-0")
        .cmd("xclaim", "{t}s", "g", "c4", "0", "1-0", "lastid", "10-0", "justid")
        .cmd("xclaim", "{t}s", "g", "c4", "3600000", "1-0", "justid")
        .cmd(TIMES, "xpending", "{t}s", "g", "-", "+", "10")
        .cmd("xinfo", "groups", "{t}s")
        .cmd("xdel", "{t}s", "2-0")
        .cmd("xautoclaim", "{t}s", "g", "c5", "0", "0")
        .cmd("xautoclaim", "{t}s", "g", "c5", "0", "0", "count", "1", "justid")
        .cmd("xautoclaim", "{t}s", "g", "c5", "0", "0", "count", "0")
        .cmd("xautoclaim", "{t}s", "g", "c5", "0", "0", "count", "1", "foo")
        .cmd("xautoclaim", "{t}s", "nog", "c5", "0", "0")
        .cmd("xautoclaim", "{t}s", "g", "c5", "abc", "0")
        .cmd("xautoclaim", "{t}s", "g", "c5", "0", "(18446744073709551615-18446744073709551615")
        .cmd("xautoclaim", "{t}s", "g", "c5", "3600000", "0")
        .cmd(TIMES, "xpending", "{t}s", "g", "-", "+", "10")
        .cmd(TIMES, "xinfo", "consumers", "{t}s", "g")
        .cmd("xinfo", "consumers", "{t}s", "nog")
        .cmd(TIMES, "xinfo", "stream", "{t}s", "full")
        .cmd(TIMES, "xinfo", "stream", "{t}s", "full", "count", "1")
        .cmd("xgroup", "create", "{t}s", "g2", "$")
        .cmd("xreadgroup", "group", "g2", "c1", "noack", "streams", "{t}s", ">")
        .cmd("xadd", "{t}s", "5-0", "z", "1")
        .cmd("xreadgroup", "group", "g2", "c1", "noack", "streams", "{t}s", ">")
        .cmd("xinfo", "groups", "{t}s")
        .cmd("xreadgroup", "group", "nog", "c1", "streams", "{t}s", ">")
        .cmd("xreadgroup", "group", "g", "c1", "streams", "{t}s", "$")
        .cmd("xread", "group", "g", "c1", "streams", "{t}s", "0")
        .cmd("xread", "noack", "streams", "{t}s", "0")
        .cmd("xreadgroup", "streams", "{t}s", "0")
        .cmd("xread", "count", "1", "streams", "{t}s")
        .cmd("xread", "streams", "{t}s", "{t}s", "0")
        .cmd("xread", "block", "abc", "streams", "{t}s", "0")
        .cmd("xread", "block", "-1", "streams", "{t}s", "0")
        .cmd("xread", "streams", "{t}s", ">")
        .cmd("xreadgroup", "group", "g", "c1", "streams", "{t}s", "{t}nosuch", ">", ">")
        .cmd("xreadgroup", "group", "g", "c1", "block", "1", "streams", "{t}s", ">")
        .cmd("xack", "{t}s", "g", "3-0", "9-0")
        .cmd("xack", "{t}s", "g", "3-0")
        .cmd("xack", "{t}s", "g", "abc")
        .cmd("xack", "{t}s", "nog", "3-0")
        .cmd("xack", "{t}nokey", "g", "3-0")
        .cmd("xgroup", "createconsumer", "{t}s", "g", "c9")
        .cmd("xgroup", "createconsumer", "{t}s", "g", "c9")
        .cmd("xgroup", "createconsumer", "{t}s", "nog", "c9")
        .cmd("xgroup", "delconsumer", "{t}s", "g", "c5")
        .cmd("xgroup", "delconsumer", "{t}s", "g", "c5")
        .cmd("xgroup", "setid", "{t}s", "g", "0")
        .cmd("xgroup", "setid", "{t}s", "g", "$", "entriesread", "3")
        .cmd("xgroup", "setid", "{t}s", "g", "abc")
        .cmd("xgroup", "setid", "{t}s", "nog", "0")
        .cmd("xinfo", "groups", "{t}s")
        .cmd("copy", "{t}s", "{t}copy")
        .cmd("xack", "{t}copy", "g", "1-0", "3-0", "4-0")
        .cmd("xpending", "{t}s", "g")
        .cmd("xpending", "{t}copy", "g")
        .cmd("xgroup", "destroy", "{t}s", "g")
        .cmd("xgroup", "destroy", "{t}s", "g")
        .cmd("xinfo", "groups", "{t}s")
        .cmd("xinfo", "groups", "{t}nosuch")
        .cmd("set", "{t}str", "x")
        .cmd("xgroup", "create", "{t}str", "g", "0")
        .cmd("xack", "{t}str", "g", "1-0")
        .cmd("xpending", "{t}str", "g")
        .cmd("xclaim", "{t}str", "g", "c", "0", "1-0")
        .cmd("xautoclaim", "{t}str", "g", "c", "0", "0")
        .cmd("xreadgroup", "group", "g", "c", "streams", "{t}str", ">")
        .cmd("xinfo", "groups", "{t}str");
  }

  private static final String[] KEYS = {"{t}s1", "{t}s2", "{t}s3"};
  private static final String[] GROUPS = {"g1", "g2"};
  private static final String[] CONSUMERS = {"c1", "c2", "c3"};
  private static final String[] FIELDS = {"f", "g", "123", "-7", ""};

  /** Random commands over three streams with groups: explicit ids, trims, deletions, group reads and claims. */
  static Script generated(long seed, int commands, int protocol) {
    Random random = new Random(seed);
    Script script = new Script("generated streams and consumer groups (seed " + seed + ", RESP" + protocol + ")")
        .cmd(mapIgnoringValuesOf(Set.of("id"), "the connection id is each server's own"), "HELLO",
            Integer.toString(protocol))
        .cmd("CONFIG", "SET", "stream-node-max-entries", "4");
    long[] ms = new long[KEYS.length];
    for (int i = 0; i < commands; i++) {
      if (random.nextInt(80) == 0) {
        script.cmd("MULTI");
        for (int q = 0; q < 3; q++) randomCommand(random, script, ms);
        script.cmd("EXEC");
      } else {
        randomCommand(random, script, ms);
      }
    }
    for (String key : KEYS) {
      script.cmd("XINFO", "STREAM", key).cmd("XINFO", "GROUPS", key).cmd("XRANGE", key, "-", "+");
    }
    return script.cmd("CONFIG", "SET", "stream-node-max-entries", "100");
  }

  private static String id(Random random, long[] ms, int k) {
    return (ms[k] / 3 + random.nextInt(3)) + "-" + random.nextInt(4);
  }

  private static void randomCommand(Random random, Script script, long[] ms) {
    int k = random.nextInt(KEYS.length);
    String key = KEYS[k];
    String group = GROUPS[random.nextInt(GROUPS.length)];
    String consumer = CONSUMERS[random.nextInt(CONSUMERS.length)];
    String count = Integer.toString(random.nextInt(5));
    switch (random.nextInt(24)) {
      case 0, 1, 2, 3, 4 -> {
        ms[k] += random.nextInt(3);
        String id = random.nextInt(4) == 0 ? (ms[k] / 3) + "-*" : (ms[k] / 3) + "-" + random.nextInt(3);
        String f = FIELDS[random.nextInt(FIELDS.length)];
        if (random.nextInt(6) == 0) {
          script.cmd("XADD", key, "MAXLEN", random.nextBoolean() ? "~" : "=", count, id, f, "v" + ms[k]);
        } else if (random.nextInt(6) == 0) {
          script.cmd("XADD", key, "MINID", "~", id(random, ms, k), "LIMIT", "4", id, f, "1");
        } else if (random.nextInt(3) == 0) {
          script.cmd("XADD", key, id, f, Integer.toString(random.nextInt(200) - 100), "other", "x");
        } else {
          script.cmd("XADD", key, id, f, "v" + random.nextInt(10));
        }
      }
      case 5 -> script.cmd("XDEL", key, id(random, ms, k), id(random, ms, k));
      case 6 -> script.cmd("XTRIM", key, "MAXLEN", random.nextBoolean() ? "~" : "=", Integer.toString(random.nextInt(12)));
      case 7 -> script.cmd("XTRIM", key, "MINID", id(random, ms, k));
      case 8 -> script.cmd("XRANGE", key, random.nextBoolean() ? "-" : "(" + id(random, ms, k), "+", "COUNT", count);
      case 9 -> script.cmd("XREVRANGE", key, "+", id(random, ms, k));
      case 10 -> script.cmd("XLEN", key);
      case 11 -> script.cmd("XGROUP", "CREATE", key, group, random.nextBoolean() ? "$" : "0", "MKSTREAM");
      case 12, 13 -> script.cmd("XREADGROUP", "GROUP", group, consumer, "COUNT", count, "STREAMS", key, ">");
      case 14 -> script.cmd("XREADGROUP", "GROUP", group, consumer, "NOACK", "COUNT", count, "STREAMS", key, ">");
      case 15 -> script.cmd("XREADGROUP", "GROUP", group, consumer, "STREAMS", key, "0");
      case 16 -> script.cmd("XACK", key, group, id(random, ms, k), id(random, ms, k));
      case 17 -> script.cmd("XCLAIM", key, group, consumer, "0", id(random, ms, k), "JUSTID");
      case 18 -> script.cmd("XAUTOCLAIM", key, group, consumer, "0", "0", "COUNT", "3");
      case 19 -> script.cmd("XPENDING", key, group);
      case 20 -> script.cmd("XINFO", random.nextBoolean() ? "STREAM" : "GROUPS", key);
      case 21 -> script.cmd("XGROUP", random.nextBoolean() ? "DELCONSUMER" : "CREATECONSUMER", key, group, consumer);
      case 22 -> script.cmd("XGROUP", "SETID", key, group, random.nextBoolean() ? "$" : id(random, ms, k));
      default -> script.cmd("XREAD", "COUNT", count, "STREAMS", key, KEYS[(k + 1) % KEYS.length], id(random, ms, k),
          "0");
    }
  }
}
