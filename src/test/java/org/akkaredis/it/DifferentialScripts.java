package org.akkaredis.it;

import static org.akkaredis.it.support.Comparison.commandInfo;
import static org.akkaredis.it.support.Comparison.fields;
import static org.akkaredis.it.support.Comparison.integerWithin;
import static org.akkaredis.it.support.Comparison.keyspaceInfo;
import static org.akkaredis.it.support.Comparison.mapIgnoringValuesOf;
import static org.akkaredis.it.support.Comparison.ownAddresses;
import static org.akkaredis.it.support.Comparison.membersOf;
import static org.akkaredis.it.support.Comparison.randomPairsOf;
import static org.akkaredis.it.support.Comparison.sameType;
import static org.akkaredis.it.support.Comparison.unordered;
import static org.akkaredis.it.support.Comparison.unorderedPairs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.akkaredis.it.support.Comparison;
import org.akkaredis.it.support.Script;

/**
 * The command scripts the differential test sends to redis-server and to the node. The same scripts run in
 * standalone and in cluster mode: each mode's expected replies come from a redis-server in that mode. Keys
 * share the hash tag {t} so that multi-key commands stay in one slot, except where CROSSSLOT is the point.
 */
final class DifferentialScripts {
  private DifferentialScripts() {}

  // A TTL read from two servers a few milliseconds apart may straddle a second (TTL rounds to the nearest).
  private static final Comparison TTL = integerWithin(1, "a TTL ticks between the two servers' replies");
  private static final Comparison PTTL = integerWithin(2000, "a PTTL ticks between the two servers' replies");

  /** 2100-01-01T00:00:00Z: far enough for absolute expiry times that EXPIRETIME reports exactly. */
  private static final String YEAR_2100 = "4102444800";

  static List<Script> all() {
    List<Script> all = new ArrayList<>(List.of(setOptions(), counters(), rangesAndAppend(), multiKeyStrings(),
        getexGetdel(), lcs(), keys(),
        renameCopyTouch(), objectEncoding(), hashes(), bigHashes(), randomAndScan(), transactions(), watch(),
        errors(), crossSlot(), doomedTransactions(), connectionAndServer(), commandIntrospection(), clusterCommands(), resp3(),
        generated(20240611L, 800)));
    all.addAll(DifferentialTypeScripts.all());
    all.addAll(DifferentialNumberScripts.all());
    return all;
  }

  static Script setOptions() {
    return new Script("strings: SET and its options")
        .cmd("SET", "{t}s", "v")
        .cmd("GET", "{t}s")
        .cmd("SET", "{t}s", "v2", "NX")
        .cmd("SET", "{t}s", "v3", "XX")
        .cmd("SET", "{t}missing", "v", "XX")
        .cmd("EXISTS", "{t}missing")
        .cmd("SET", "{t}s", "v4", "GET")
        .cmd("SET", "{t}s", "v5", "NX", "GET")
        .cmd("SET", "{t}new", "v", "NX", "GET")
        .cmd("SET", "{t}s", "v6", "XX", "GET")
        .cmd("GET", "{t}s")
        .cmd("SET", "{t}s", "v", "EX", "100")
        .cmd(TTL, "TTL", "{t}s")
        .cmd("SET", "{t}s", "v", "PX", "100000")
        .cmd(PTTL, "PTTL", "{t}s")
        .cmd("SET", "{t}s", "v", "EXAT", YEAR_2100)
        .cmd("EXPIRETIME", "{t}s")
        .cmd("SET", "{t}s", "v2", "KEEPTTL")
        .cmd("EXPIRETIME", "{t}s")
        .cmd("SET", "{t}s", "v", "PXAT", YEAR_2100 + "123")
        .cmd("PEXPIRETIME", "{t}s")
        .cmd("SET", "{t}s", "v")
        .cmd("TTL", "{t}s")
        .cmd("set", "{t}s", "v", "ex", "100", "nx")
        .cmd("set", "{t}s", "v", "px", "100", "xx", "get")
        .cmd(PTTL, "PTTL", "{t}s")
        .cmd("SET", "{t}s", "v", "EX", "0")
        .cmd("SET", "{t}s", "v", "EX", "-1")
        .cmd("SET", "{t}s", "v", "PX", "0")
        .cmd("SET", "{t}s", "v", "EX", "abc")
        .cmd("SET", "{t}s", "v", "EX", "1.5")
        .cmd("SET", "{t}s", "v", "EX", "9223372036854775807")
        .cmd("SET", "{t}s", "v", "PX", "9223372036854775807")
        .cmd("SET", "{t}s", "v", "EXAT", "9223372036854775807")
        .cmd("SET", "{t}past", "v", "PXAT", "1")
        .cmd("EXISTS", "{t}past")
        .cmd("SET", "{t}past", "v", "EXAT", "1", "GET")
        .cmd("SET", "{t}s", "v", "EX", "10", "PX", "10")
        .cmd("SET", "{t}s", "v", "NX", "XX")
        .cmd("SET", "{t}s", "v", "KEEPTTL", "EX", "10")
        .cmd("SET", "{t}s", "v", "EX")
        .cmd("SET", "{t}s", "v", "FOO")
        .cmd("SET", "{t}s")
        .cmd("SET", "{t}s", "")
        .cmd("GET", "{t}s")
        .cmd("STRLEN", "{t}s")
        .cmd("STRLEN", "{t}missing")
        .cmd("SETNX", "{t}s", "x")
        .cmd("SETNX", "{t}nx", "x")
        .cmd("SETEX", "{t}s", "100", "ex")
        .cmd(TTL, "TTL", "{t}s")
        .cmd("SETEX", "{t}s", "0", "ex")
        .cmd("SETEX", "{t}s", "abc", "ex")
        .cmd("PSETEX", "{t}s", "100000", "px")
        .cmd(PTTL, "PTTL", "{t}s")
        .cmd("PSETEX", "{t}s", "-5", "px")
        .cmd("GETSET", "{t}s", "gs")
        .cmd("GETSET", "{t}gs", "first")
        .cmd("TTL", "{t}s")
        .cmd("HSET", "{t}h", "f", "v")
        .cmd("SET", "{t}h", "over", "GET")
        .cmd("SET", "{t}h", "over")
        .cmd("GET", "{t}h");
  }

  static Script counters() {
    return new Script("strings: INCR family and INCRBYFLOAT")
        .cmd("SET", "{t}n", "10")
        .cmd("INCR", "{t}n")
        .cmd("INCRBY", "{t}n", "5")
        .cmd("DECR", "{t}n")
        .cmd("DECRBY", "{t}n", "3")
        .cmd("INCRBY", "{t}n", "-20")
        .cmd("GET", "{t}n")
        .cmd("INCR", "{t}fresh")
        .cmd("SET", "{t}kept", "1", "EX", "100")
        .cmd("INCR", "{t}kept")
        .cmd("INCRBYFLOAT", "{t}kept", "0.5")
        .cmd("APPEND", "{t}kept", "0")
        .cmd(TTL, "TTL", "{t}kept")
        .cmd("STRLEN", "{t}kept")
        .cmd("SET", "{t}int", "12345")
        .cmd("STRLEN", "{t}int")
        .cmd("GETRANGE", "{t}int", "1", "2")
        .cmd("DECR", "{t}fresh2")
        .cmd("SET", "{t}n", "9223372036854775806")
        .cmd("INCR", "{t}n")
        .cmd("INCR", "{t}n")
        .cmd("INCRBY", "{t}n", "-1")
        .cmd("SET", "{t}n", "-9223372036854775808")
        .cmd("DECR", "{t}n")
        .cmd("DECRBY", "{t}n", "1")
        .cmd("INCRBY", "{t}n", "9223372036854775807")
        .cmd("DECRBY", "{t}n", "-9223372036854775808")
        .cmd("GET", "{t}n")
        .cmd("INCRBY", "{t}n", "abc")
        .cmd("INCRBY", "{t}n", "9223372036854775808")
        .cmd("INCRBY", "{t}n", "")
        .cmd("SET", "{t}n", " 1")
        .cmd("INCR", "{t}n")
        .cmd("SET", "{t}n", "1.5")
        .cmd("INCR", "{t}n")
        .cmd("SET", "{t}n", "007")
        .cmd("INCR", "{t}n")
        .cmd("SET", "{t}n", "-0")
        .cmd("INCR", "{t}n")
        .cmd("SET", "{t}n", "123456789012345678901")
        .cmd("INCR", "{t}n")
        .cmd("SET", "{t}n", "5000000000")
        .cmd("INCRBY", "{t}n", "5000000000")
        .cmd("OBJECT", "ENCODING", "{t}n")
        .cmd("INCR")
        .cmd("INCR", "{t}n", "1")
        .cmd("INCRBYFLOAT", "{t}f", "1.5")
        .cmd("INCRBYFLOAT", "{t}f", "0.1")
        .cmd("INCRBYFLOAT", "{t}f", "1e3")
        .cmd("INCRBYFLOAT", "{t}f", "-5.0e-1")
        .cmd("INCRBYFLOAT", "{t}f", "-1101.1")
        .cmd("INCRBYFLOAT", "{t}f", "abc")
        .cmd("INCRBYFLOAT", "{t}f", "inf")
        .cmd("INCRBYFLOAT", "{t}f", "nan")
        .cmd("INCRBYFLOAT", "{t}f", "")
        .cmd("INCRBYFLOAT", "{t}f", " 1")
        .cmd("INCRBYFLOAT", "{t}f", "0x10")
        .cmd("GET", "{t}f")
        .cmd("SET", "{t}f", "3.0")
        .cmd("INCRBYFLOAT", "{t}f", "0")
        .cmd("SET", "{t}f", "1.23456789012345678")
        .cmd("INCRBYFLOAT", "{t}f", "1")
        .cmd("SET", "{t}f", "10.5e2")
        .cmd("INCRBYFLOAT", "{t}f", "0.0")
        .cmd("INCRBYFLOAT", "{t}f", "1.7e308")
        .cmd("INCRBYFLOAT", "{t}f", "1.7e308")
        .cmd("SET", "{t}f", "1e400")
        .cmd("INCRBYFLOAT", "{t}f", "1")
        .cmd("SET", "{t}f", "0.1")
        .cmd("INCRBYFLOAT", "{t}f", "0.2")
        .cmd("INCRBYFLOAT", "{t}f", "1e-20")
        .cmd("INCRBYFLOAT", "{t}f", "100000000000000000000")
        .cmd("INCRBYFLOAT", "{t}new", "5")
        .cmd("OBJECT", "ENCODING", "{t}new")
        .cmd("INCR", "{t}new")
        .cmd("SET", "{t}f", "abc")
        .cmd("INCRBYFLOAT", "{t}f", "1")
        .cmd("HSET", "{t}h", "f", "1")
        .cmd("INCR", "{t}h")
        .cmd("INCRBYFLOAT", "{t}h", "1")
        .cmd("DECRBY", "{t}h", "1");
  }

  static Script rangesAndAppend() {
    return new Script("strings: APPEND, GETRANGE, SETRANGE")
        .cmd("APPEND", "{t}a", "hello")
        .cmd("APPEND", "{t}a", " world")
        .cmd("GET", "{t}a")
        .cmd("GETRANGE", "{t}a", "0", "4")
        .cmd("GETRANGE", "{t}a", "-5", "-1")
        .cmd("GETRANGE", "{t}a", "5", "2")
        .cmd("GETRANGE", "{t}a", "0", "1000")
        .cmd("GETRANGE", "{t}a", "-1000", "3")
        .cmd("GETRANGE", "{t}a", "-1000", "-1000")
        .cmd("GETRANGE", "{t}a", "100", "200")
        .cmd("GETRANGE", "{t}a", "0", "-1")
        .cmd("GETRANGE", "{t}a", "0", "-100")
        .cmd("GETRANGE", "{t}missing", "0", "10")
        .cmd("GETRANGE", "{t}a", "x", "1")
        .cmd("GETRANGE", "{t}a", "0")
        .cmd("SUBSTR", "{t}a", "0", "3")
        .cmd("SETRANGE", "{t}a", "6", "W")
        .cmd("GET", "{t}a")
        .cmd("SETRANGE", "{t}a", "9", "LD!!")
        .cmd("GET", "{t}a")
        .cmd("SETRANGE", "{t}b", "5", "x")
        .cmd("GET", "{t}b")
        .cmd("SETRANGE", "{t}a", "-1", "x")
        .cmd("SETRANGE", "{t}a", "536870912", "x")
        .cmd("SETRANGE", "{t}a", "536870911", "")
        .cmd("SETRANGE", "{t}c", "0", "")
        .cmd("EXISTS", "{t}c")
        .cmd("SETRANGE", "{t}c", "3", "")
        .cmd("EXISTS", "{t}c")
        .cmd("SETRANGE", "{t}a", "2", "")
        .cmd("SETRANGE", "{t}a", "x", "y")
        .cmd("SET", "{t}i", "12")
        .cmd("OBJECT", "ENCODING", "{t}i")
        .cmd("APPEND", "{t}i", "3")
        .cmd("OBJECT", "ENCODING", "{t}i")
        .cmd("GET", "{t}i")
        .cmd("INCR", "{t}i")
        .cmd("SET", "{t}i", "12")
        .cmd("SETRANGE", "{t}i", "0", "3")
        .cmd("OBJECT", "ENCODING", "{t}i")
        .cmd("GETRANGE", "{t}i", "0", "0")
        .cmd("SET", "{t}e", "")
        .cmd("APPEND", "{t}e", "")
        .cmd("GETRANGE", "{t}e", "0", "-1")
        .cmd("STRLEN", "{t}e")
        .cmd("HSET", "{t}h", "f", "v")
        .cmd("APPEND", "{t}h", "x")
        .cmd("GETRANGE", "{t}h", "0", "1")
        .cmd("SETRANGE", "{t}h", "0", "x")
        .cmd("STRLEN", "{t}h")
        .binary("SET".getBytes(StandardCharsets.US_ASCII), "{t}bin".getBytes(StandardCharsets.US_ASCII),
            new byte[] {0, 1, 2, (byte) 0xff, '\r', '\n', 0})
        .binary("APPEND".getBytes(StandardCharsets.US_ASCII), "{t}bin".getBytes(StandardCharsets.US_ASCII),
            new byte[] {(byte) 0x80, 0})
        .cmd("GET", "{t}bin")
        .cmd("GETRANGE", "{t}bin", "3", "5")
        .cmd("STRLEN", "{t}bin");
  }

  static Script multiKeyStrings() {
    return new Script("strings: MGET, MSET, MSETNX")
        .cmd("MSET", "{t}m1", "a", "{t}m2", "b")
        .cmd("MGET", "{t}m1", "{t}m2", "{t}m3")
        .cmd("MGET", "{t}m3")
        .cmd("MSET", "{t}m1")
        .cmd("MSET", "{t}m1", "a", "{t}m2")
        .cmd("MSET", "{t}m1", "x", "{t}m1", "y")
        .cmd("GET", "{t}m1")
        .cmd("MSETNX", "{t}m1", "x", "{t}m9", "y")
        .cmd("EXISTS", "{t}m9")
        .cmd("MSETNX", "{t}m8", "x", "{t}m9", "y")
        .cmd("MGET", "{t}m8", "{t}m9")
        .cmd("MSETNX", "{t}m7", "x", "{t}m7", "y")
        .cmd("GET", "{t}m7")
        .cmd("MSETNX", "{t}m1", "x", "{t}m2")
        .cmd("HSET", "{t}h", "f", "v")
        .cmd("MGET", "{t}h", "{t}m1")
        .cmd("MSET", "{t}h", "now-a-string")
        .cmd("TYPE", "{t}h")
        .cmd("SET", "{t}ttl", "v", "EX", "100")
        .cmd("MSET", "{t}ttl", "w")
        .cmd("TTL", "{t}ttl")
        .cmd("MGET");
  }

  static Script getexGetdel() {
    return new Script("strings: GETEX and GETDEL")
        .cmd("SET", "{t}g", "v")
        .cmd("GETEX", "{t}g")
        .cmd("TTL", "{t}g")
        .cmd("GETEX", "{t}g", "EX", "100")
        .cmd(TTL, "TTL", "{t}g")
        .cmd("GETEX", "{t}g", "PERSIST")
        .cmd("TTL", "{t}g")
        .cmd("GETEX", "{t}g", "PX", "50000")
        .cmd(PTTL, "PTTL", "{t}g")
        .cmd("GETEX", "{t}g", "EXAT", YEAR_2100)
        .cmd("EXPIRETIME", "{t}g")
        .cmd("GETEX", "{t}g", "PXAT", YEAR_2100 + "999")
        .cmd("PEXPIRETIME", "{t}g")
        .cmd("GETEX", "{t}g", "ex", "10", "persist")
        .cmd("GETEX", "{t}g", "EX", "0")
        .cmd("GETEX", "{t}g", "EX", "-3")
        .cmd("GETEX", "{t}g", "PX", "abc")
        .cmd("GETEX", "{t}g", "EX", "10", "PX", "10")
        .cmd("GETEX", "{t}g", "PERSIST", "EX", "10")
        .cmd("GETEX", "{t}g", "FOO")
        .cmd("GETEX", "{t}g", "EX")
        .cmd("GETEX", "{t}g", "EX", "9223372036854775807")
        .cmd("GETEX", "{t}missing")
        .cmd("GETEX", "{t}missing", "EX", "10")
        .cmd("GETEX", "{t}g", "EXAT", "1")
        .cmd("EXISTS", "{t}g")
        .cmd("SET", "{t}g", "v")
        .cmd("GETDEL", "{t}g")
        .cmd("GETDEL", "{t}g")
        .cmd("EXISTS", "{t}g")
        .cmd("GETDEL", "{t}g", "x")
        .cmd("HSET", "{t}h", "f", "v")
        .cmd("GETDEL", "{t}h")
        .cmd("GETEX", "{t}h")
        .cmd("GETEX", "{t}h", "PERSIST")
        .cmd("EXISTS", "{t}h");
  }

  static Script lcs() {
    return new Script("strings: LCS")
        .cmd("MSET", "{t}l1", "ohmytext", "{t}l2", "mynewtext")
        .cmd("LCS", "{t}l1", "{t}l2")
        .cmd("LCS", "{t}l1", "{t}l2", "LEN")
        .cmd("LCS", "{t}l1", "{t}l2", "IDX")
        .cmd("LCS", "{t}l1", "{t}l2", "IDX", "MINMATCHLEN", "4")
        .cmd("LCS", "{t}l1", "{t}l2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN")
        .cmd("LCS", "{t}l1", "{t}l2", "idx", "withmatchlen")
        .cmd("LCS", "{t}l1", "{t}l2", "LEN", "IDX")
        .cmd("LCS", "{t}l1", "{t}l2", "MINMATCHLEN", "x")
        .cmd("LCS", "{t}l1", "{t}l2", "MINMATCHLEN", "-5", "IDX")
        .cmd("LCS", "{t}l1", "{t}l2", "FOO")
        .cmd("LCS", "{t}l1", "{t}missing")
        .cmd("LCS", "{t}missing", "{t}missing2", "IDX")
        .cmd("LCS", "{t}l1", "{t}l1", "LEN")
        .cmd("MSET", "{t}l3", "ABCBDAB", "{t}l4", "BDCABA")
        .cmd("LCS", "{t}l3", "{t}l4")
        .cmd("LCS", "{t}l3", "{t}l4", "IDX", "WITHMATCHLEN")
        .cmd("HSET", "{t}h", "f", "v")
        .cmd("LCS", "{t}h", "{t}l1")
        .cmd("SET", "{t}empty", "")
        .cmd("LCS", "{t}empty", "{t}l1", "IDX")
        .cmd("LCS", "{t}l1");
  }

  static Script keys() {
    return new Script("keys: DEL, EXISTS, TYPE, EXPIRE family, TTL, PERSIST")
        .cmd("SET", "{t}k", "v")
        .cmd("DEL", "{t}k", "{t}missing")
        .cmd("EXISTS", "{t}k")
        .cmd("SET", "{t}k", "v")
        .cmd("EXISTS", "{t}k", "{t}k", "{t}missing")
        .cmd("UNLINK", "{t}k", "{t}k")
        .cmd("DEL")
        .cmd("SET", "{t}k", "v")
        .cmd("HSET", "{t}h", "f", "v")
        .cmd("TYPE", "{t}k")
        .cmd("TYPE", "{t}h")
        .cmd("TYPE", "{t}missing")
        .cmd("TTL", "{t}k")
        .cmd("PTTL", "{t}k")
        .cmd("TTL", "{t}missing")
        .cmd("PTTL", "{t}missing")
        .cmd("EXPIRETIME", "{t}k")
        .cmd("PEXPIRETIME", "{t}missing")
        .cmd("PERSIST", "{t}k")
        .cmd("PERSIST", "{t}missing")
        .cmd("EXPIRE", "{t}k", "100", "GT")
        .cmd("TTL", "{t}k")
        .cmd("EXPIRE", "{t}k", "100", "XX")
        .cmd("EXPIRE", "{t}k", "100", "LT")
        .cmd(TTL, "TTL", "{t}k")
        .cmd("EXPIRE", "{t}k", "100", "NX")
        .cmd("EXPIRE", "{t}k", "200", "XX")
        .cmd(TTL, "TTL", "{t}k")
        .cmd("EXPIRE", "{t}k", "50", "GT")
        .cmd("EXPIRE", "{t}k", "300", "GT")
        .cmd("EXPIRE", "{t}k", "500", "LT")
        .cmd("EXPIRE", "{t}k", "100", "lt")
        .cmd(TTL, "TTL", "{t}k")
        .cmd("EXPIRE", "{t}k", "100", "NX", "XX")
        .cmd("EXPIRE", "{t}k", "100", "GT", "LT")
        .cmd("EXPIRE", "{t}k", "100", "NX", "GT")
        .cmd("EXPIRE", "{t}k", "100", "FOO")
        .cmd("EXPIRE", "{t}k", "abc")
        .cmd("EXPIRE", "{t}k", "9223372036854775807")
        .cmd("PEXPIRE", "{t}k", "9223372036854775807")
        .cmd("EXPIREAT", "{t}k", "9223372036854775807")
        .cmd("EXPIRE", "{t}k")
        .cmd("EXPIRE", "{t}missing", "100")
        .cmd("PERSIST", "{t}k")
        .cmd("PERSIST", "{t}k")
        .cmd("TTL", "{t}k")
        .cmd("PEXPIRE", "{t}k", "100000")
        .cmd(PTTL, "PTTL", "{t}k")
        .cmd(TTL, "TTL", "{t}k")
        .cmd("EXPIREAT", "{t}k", YEAR_2100)
        .cmd("EXPIRETIME", "{t}k")
        .cmd("PEXPIRETIME", "{t}k")
        .cmd("EXPIREAT", "{t}k", YEAR_2100, "NX")
        .cmd("PEXPIREAT", "{t}k", YEAR_2100 + "123", "GT")
        .cmd("PEXPIRETIME", "{t}k")
        .cmd("EXPIRETIME", "{t}k")
        .cmd("EXPIRE", "{t}k", "-1")
        .cmd("EXISTS", "{t}k")
        .cmd("SET", "{t}k", "v")
        .cmd("EXPIREAT", "{t}k", "1")
        .cmd("EXISTS", "{t}k")
        .cmd("SET", "{t}k", "v")
        .cmd("PEXPIRE", "{t}k", "0")
        .cmd("GET", "{t}k")
        .cmd("SET", "{t}k", "v", "EX", "100")
        .cmd("SET", "{t}k", "w")
        .cmd("TTL", "{t}k")
        .cmd("HSET", "{t}h", "g", "w")
        .cmd("EXPIRE", "{t}h", "100")
        .cmd("HSET", "{t}h", "x", "y")
        .cmd(TTL, "TTL", "{t}h")
        .cmd("HDEL", "{t}h", "f", "g", "x")
        .cmd("TTL", "{t}h")
        .cmd("EXISTS", "{t}h")
        .cmd("TYPE", "{t}h")
        .cmd("DBSIZE");
  }

  static Script renameCopyTouch() {
    return new Script("keys: RENAME, RENAMENX, COPY, TOUCH")
        .cmd("SET", "{t}k", "v")
        .cmd("RENAME", "{t}k", "{t}k2")
        .cmd("EXISTS", "{t}k", "{t}k2")
        .cmd("RENAME", "{t}missing", "{t}x")
        .cmd("RENAME", "{t}k2", "{t}k2")
        .cmd("RENAME", "{t}missing", "{t}missing")
        .cmd("HSET", "{t}h", "f", "v")
        .cmd("RENAMENX", "{t}k2", "{t}h")
        .cmd("RENAMENX", "{t}k2", "{t}k3")
        .cmd("RENAMENX", "{t}missing", "{t}k4")
        .cmd("RENAMENX", "{t}k3", "{t}k3")
        .cmd("SET", "{t}e", "v", "EX", "100")
        .cmd("RENAME", "{t}e", "{t}e2")
        .cmd(TTL, "TTL", "{t}e2")
        .cmd("SET", "{t}p", "plain")
        .cmd("RENAME", "{t}p", "{t}e2")
        .cmd("TTL", "{t}e2")
        .cmd("GET", "{t}e2")
        .cmd("RENAME", "{t}h", "{t}e2")
        .cmd("TYPE", "{t}e2")
        .cmd("HGETALL", "{t}e2")
        .cmd("COPY", "{t}k3", "{t}c")
        .cmd("COPY", "{t}k3", "{t}c")
        .cmd("COPY", "{t}k3", "{t}c", "REPLACE")
        .cmd("COPY", "{t}k3", "{t}k3")
        .cmd("COPY", "{t}missing", "{t}x")
        .cmd("COPY", "{t}k3", "{t}c", "DB", "99")
        .cmd("COPY", "{t}k3", "{t}c", "DB", "abc")
        .cmd("COPY", "{t}k3", "{t}c", "FOO")
        .cmd("COPY", "{t}k3", "{t}c", "DB")
        .cmd("COPY", "{t}k3", "{t}c1", "DB", "1")
        .cmd("COPY", "{t}k3", "{t}c0", "DB", "0")
        .cmd("COPY", "{t}e2", "{t}hc")
        .cmd("HGETALL", "{t}hc")
        .cmd("HSET", "{t}hc", "extra", "1")
        .cmd("HLEN", "{t}e2")
        .cmd("SET", "{t}ttl", "v", "EX", "100")
        .cmd("COPY", "{t}ttl", "{t}ttl2")
        .cmd(TTL, "TTL", "{t}ttl2")
        .cmd("TOUCH", "{t}k3", "{t}missing", "{t}hc")
        .cmd("TOUCH", "{t}missing")
        .cmd("TOUCH")
        .cmd("RENAME", "{t}k3")
        .cmd("DBSIZE");
  }

  static Script objectEncoding() {
    return new Script("keys: OBJECT ENCODING")
        .cmd("SET", "{t}e1", "12345")
        .cmd("OBJECT", "ENCODING", "{t}e1")
        .cmd("SET", "{t}e2", "short")
        .cmd("OBJECT", "ENCODING", "{t}e2")
        .cmd("SET", "{t}e3", "x".repeat(44))
        .cmd("OBJECT", "ENCODING", "{t}e3")
        .cmd("SET", "{t}e4", "x".repeat(45))
        .cmd("OBJECT", "ENCODING", "{t}e4")
        .cmd("SET", "{t}e5", "-123")
        .cmd("OBJECT", "ENCODING", "{t}e5")
        .cmd("SET", "{t}e6", "0123")
        .cmd("OBJECT", "ENCODING", "{t}e6")
        .cmd("SET", "{t}e7", "9223372036854775807")
        .cmd("OBJECT", "ENCODING", "{t}e7")
        .cmd("SET", "{t}e8", "9223372036854775808")
        .cmd("OBJECT", "ENCODING", "{t}e8")
        .cmd("SET", "{t}e9", "1.5")
        .cmd("OBJECT", "ENCODING", "{t}e9")
        .cmd("SET", "{t}e10", "")
        .cmd("OBJECT", "ENCODING", "{t}e10")
        .cmd("SET", "{t}e11", "1 ")
        .cmd("OBJECT", "ENCODING", "{t}e11")
        .cmd("INCR", "{t}e12")
        .cmd("OBJECT", "ENCODING", "{t}e12")
        .cmd("INCRBYFLOAT", "{t}e13", "2.5")
        .cmd("OBJECT", "ENCODING", "{t}e13")
        .cmd("APPEND", "{t}e14", "new")
        .cmd("OBJECT", "ENCODING", "{t}e14")
        .cmd("SETRANGE", "{t}e15", "0", "abc")
        .cmd("OBJECT", "ENCODING", "{t}e15")
        .cmd("GETSET", "{t}e16", "42")
        .cmd("OBJECT", "ENCODING", "{t}e16")
        .cmd("MSET", "{t}e17", "77", "{t}e18", "seventy")
        .cmd("OBJECT", "ENCODING", "{t}e17")
        .cmd("OBJECT", "ENCODING", "{t}e18")
        .cmd("SETEX", "{t}e19", "100", "5")
        .cmd("OBJECT", "ENCODING", "{t}e19")
        .cmd("COPY", "{t}e4", "{t}e20")
        .cmd("OBJECT", "ENCODING", "{t}e20")
        .cmd("HSET", "{t}hs", "f", "v")
        .cmd("OBJECT", "ENCODING", "{t}hs")
        .cmd("HSET", "{t}hv", "f", "x".repeat(64))
        .cmd("OBJECT", "ENCODING", "{t}hv")
        .cmd("HSET", "{t}hv", "g", "x".repeat(65))
        .cmd("OBJECT", "ENCODING", "{t}hv")
        .cmd("HSET", "{t}hk", "k".repeat(65), "v")
        .cmd("OBJECT", "ENCODING", "{t}hk")
        .cmd("HINCRBYFLOAT", "{t}hf", "f", "1.5")
        .cmd("OBJECT", "ENCODING", "{t}hf")
        .cmd("OBJECT", "ENCODING", "{t}missing")
        .cmd("OBJECT", "ENCODING")
        .cmd("OBJECT", "ENCODING", "{t}e1", "{t}e2")
        .cmd("OBJECT", "NOSUCH", "{t}e1");
  }

  static Script hashes() {
    return new Script("hashes: every H* command on small (listpack) hashes")
        .cmd("HSET", "{t}h", "f1", "v1", "f2", "v2")
        .cmd("HSET", "{t}h", "f1", "x")
        .cmd("HSET", "{t}h", "f3", "v3", "f3", "v3b")
        .cmd("HSETNX", "{t}h", "f1", "y")
        .cmd("HSETNX", "{t}h", "f4", "v4")
        .cmd("HSETNX", "{t}new", "f", "v")
        .cmd("HGET", "{t}h", "f1")
        .cmd("HGET", "{t}h", "nofield")
        .cmd("HGET", "{t}missing", "f")
        .cmd("HMSET", "{t}h", "f5", "v5", "f6", "v6")
        .cmd("HMGET", "{t}h", "f1", "nofield", "f5")
        .cmd("HMGET", "{t}missing", "a", "b")
        .cmd("HLEN", "{t}h")
        .cmd("HLEN", "{t}missing")
        .cmd("HSTRLEN", "{t}h", "f1")
        .cmd("HSTRLEN", "{t}h", "nofield")
        .cmd("HSTRLEN", "{t}missing", "f")
        .cmd("HEXISTS", "{t}h", "f1")
        .cmd("HEXISTS", "{t}h", "nofield")
        .cmd("HEXISTS", "{t}missing", "f")
        .cmd("HGETALL", "{t}h")
        .cmd("HKEYS", "{t}h")
        .cmd("HVALS", "{t}h")
        .cmd("HDEL", "{t}h", "f1", "nofield")
        .cmd("HDEL", "{t}h", "f1")
        .cmd("HDEL", "{t}missing", "f1")
        .cmd("HSET", "{t}h", "f1", "back")
        .cmd("HGETALL", "{t}h")
        .cmd("HKEYS", "{t}missing")
        .cmd("HGETALL", "{t}missing")
        .cmd("HVALS", "{t}missing")
        .cmd("HINCRBY", "{t}h", "n", "5")
        .cmd("HINCRBY", "{t}h", "n", "-10")
        .cmd("HINCRBY", "{t}h", "f2", "1")
        .cmd("HINCRBY", "{t}h", "n", "abc")
        .cmd("HINCRBY", "{t}h", "n", "1.5")
        .cmd("HINCRBY", "{t}h", "big", "9223372036854775807")
        .cmd("HINCRBY", "{t}h", "big", "1")
        .cmd("HINCRBY", "{t}h", "small", "-9223372036854775808")
        .cmd("HINCRBY", "{t}h", "small", "-1")
        .cmd("HINCRBY", "{t}newer", "f", "3")
        .cmd("HINCRBYFLOAT", "{t}h", "fl", "1.5")
        .cmd("HINCRBYFLOAT", "{t}h", "fl", "0.1")
        .cmd("HINCRBYFLOAT", "{t}h", "fl", "1e20")
        .cmd("HINCRBYFLOAT", "{t}h", "fl", "-1e20")
        .cmd("HINCRBYFLOAT", "{t}h", "fl", "abc")
        .cmd("HINCRBYFLOAT", "{t}h", "f2", "1")
        .cmd("HINCRBYFLOAT", "{t}h", "fl", "inf")
        .cmd("HINCRBYFLOAT", "{t}h", "n", "2.5")
        .cmd("HINCRBYFLOAT", "{t}h", "n", "-2.5")
        .cmd("HINCRBYFLOAT", "{t}h", "z", "0")
        .cmd("HINCRBYFLOAT", "{t}h", "e", "5.0e3")
        .cmd("HSET", "{t}h", "sp", " 1")
        .cmd("HINCRBYFLOAT", "{t}h", "sp", "1")
        .cmd("HINCRBY", "{t}h", "sp", "1")
        .cmd("HGETALL", "{t}h")
        .cmd("HSET", "{t}h")
        .cmd("HSET", "{t}h", "f")
        .cmd("HSET", "{t}h", "f", "v", "g")
        .cmd("HMSET", "{t}h", "f")
        .cmd("HGET", "{t}h")
        .cmd("HDEL", "{t}h")
        .cmd("HMGET", "{t}h")
        .cmd("HINCRBY", "{t}h", "f")
        .cmd("HSET", "{t}h", "", "")
        .cmd("HGET", "{t}h", "")
        .cmd("HSTRLEN", "{t}h", "")
        .cmd("HDEL", "{t}h", "f2", "f3", "f4", "f5", "f6", "f1", "n", "fl", "big", "small", "z", "e", "sp", "")
        .cmd("EXISTS", "{t}h")
        .cmd("SET", "{t}s", "v")
        .cmd("HGET", "{t}s", "f")
        .cmd("HSET", "{t}s", "f", "v")
        .cmd("HGETALL", "{t}s")
        .cmd("HLEN", "{t}s")
        .cmd("HDEL", "{t}s", "f")
        .cmd("HINCRBY", "{t}s", "f", "1")
        .cmd("HEXISTS", "{t}s", "f")
        .cmd("HRANDFIELD", "{t}s")
        .cmd("HSTRLEN", "{t}s", "f")
        .hscan("HSCAN", "{t}s", "0");
  }

  static Script bigHashes() {
    Script script = new Script("hashes: hashtable encoding and the order of big hashes");
    List<String> hset = new ArrayList<>(List.of("HSET", "{t}big"));
    for (int i = 0; i < 200; i++) {
      hset.add("field:" + i);
      hset.add("value:" + i * 7);
    }
    String order = "a hashtable's iteration order depends on its hash function and seed";
    return script.cmd(hset.toArray(String[]::new))
        .cmd("OBJECT", "ENCODING", "{t}big")
        .cmd("HLEN", "{t}big")
        .cmd(unorderedPairs(order), "HGETALL", "{t}big")
        .cmd(unordered(order), "HKEYS", "{t}big")
        .cmd(unordered(order), "HVALS", "{t}big")
        .cmd(unordered(order + ", and HRANDFIELD picks at random"), "HRANDFIELD", "{t}big", "300")
        .cmd("HGET", "{t}big", "field:150")
        .cmd("HDEL", "{t}big", "field:150", "field:1")
        .cmd("HLEN", "{t}big")
        .cmd("HINCRBY", "{t}big", "field:2", "1")
        .cmd("HINCRBY", "{t}big", "value:2", "1")
        .cmd("HINCRBYFLOAT", "{t}big", "field:3", "0.5")
        .hscan("HSCAN", "{t}big", "0", "COUNT", "7")
        .hscan("HSCAN", "{t}big", "0", "MATCH", "field:1*")
        .cmd("HSET", "{t}grow", "a", "1", "b", "2")
        .cmd("CONFIG", "GET", "hash-max-listpack-entries")
        .cmd("HSET", "{t}e128", "f", "v")
        .cmd(hashOf("{t}e128", 128))
        .cmd("OBJECT", "ENCODING", "{t}e128")
        .cmd("HSET", "{t}e128", "one-more", "v")
        .cmd("OBJECT", "ENCODING", "{t}e128")
        .cmd("HDEL", "{t}e128", "one-more", "f:1", "f:2")
        .cmd("OBJECT", "ENCODING", "{t}e128")
        .cmd("HSET", "{t}lp", "z", "1", "a", "2", "m", "3")
        .cmd("HDEL", "{t}lp", "a")
        .cmd("HSET", "{t}lp", "a", "4", "b", "5")
        .cmd("HGETALL", "{t}lp")
        .cmd("HKEYS", "{t}lp")
        .cmd("HVALS", "{t}lp");
  }

  private static String[] hashOf(String key, int fields) {
    List<String> args = new ArrayList<>(List.of("HSET", key));
    for (int i = 0; i < fields; i++) {
      args.add("f:" + i);
      args.add("v");
    }
    return args.toArray(String[]::new);
  }

  static Script randomAndScan() {
    Map<String, String> hash = new LinkedHashMap<>();
    hash.put("a", "1");
    hash.put("b", "2");
    hash.put("c", "3");
    String random = "HRANDFIELD and RANDOMKEY pick at random";
    Script script = new Script("random picks, SCAN, KEYS")
        .cmd("RANDOMKEY")
        .cmd("SET", "{t}only", "v")
        .cmd("RANDOMKEY")
        .cmd("HSET", "{t}one", "f", "v")
        .cmd("HRANDFIELD", "{t}one")
        .cmd("HRANDFIELD", "{t}one", "1")
        .cmd("HRANDFIELD", "{t}one", "1", "WITHVALUES")
        .cmd("HRANDFIELD", "{t}one", "-3")
        .cmd("HRANDFIELD", "{t}one", "-3", "WITHVALUES")
        .cmd("HSET", "{t}h", "a", "1", "b", "2", "c", "3")
        .cmd(membersOf(hash.keySet(), random), "HRANDFIELD", "{t}h")
        .cmd(unordered(random + "; a count above the size returns every field"), "HRANDFIELD", "{t}h", "100")
        .cmd(unorderedPairs(random), "HRANDFIELD", "{t}h", "3", "WITHVALUES")
        .cmd(membersOf(hash.keySet(), random), "HRANDFIELD", "{t}h", "2")
        .cmd(membersOf(hash.keySet(), random), "HRANDFIELD", "{t}h", "-5")
        .cmd(randomPairsOf(hash, random), "HRANDFIELD", "{t}h", "-5", "WITHVALUES")
        .cmd(randomPairsOf(hash, random), "HRANDFIELD", "{t}h", "2", "WITHVALUES")
        .cmd("HRANDFIELD", "{t}h", "0")
        .cmd("HRANDFIELD", "{t}h", "0", "WITHVALUES")
        .cmd("HRANDFIELD", "{t}missing")
        .cmd("HRANDFIELD", "{t}missing", "5")
        .cmd("HRANDFIELD", "{t}missing", "5", "WITHVALUES")
        .cmd("HRANDFIELD", "{t}h", "5", "FOO")
        .cmd("HRANDFIELD", "{t}h", "x")
        .cmd("HRANDFIELD", "{t}h", "-9223372036854775808")
        .cmd("HRANDFIELD", "{t}h", "-9223372036854775807", "WITHVALUES");
    List<String> mset = new ArrayList<>(List.of("MSET"));
    for (int i = 0; i < 60; i++) {
      mset.add("{t}key:" + i);
      mset.add("v" + i);
    }
    Set<String> allKeys = new TreeSet<>(Set.of("{t}only", "{t}one", "{t}h"));
    for (int i = 0; i < 60; i++) allKeys.add("{t}key:" + i);
    return script.cmd(mset.toArray(String[]::new))
        .cmd(membersOf(allKeys, random), "RANDOMKEY")
        .cmd("DBSIZE")
        .scan("SCAN", "0")
        .scan("SCAN", "0", "COUNT", "5")
        .scan("SCAN", "0", "MATCH", "{t}key:1*", "COUNT", "3")
        .scan("SCAN", "0", "TYPE", "hash")
        .scan("SCAN", "0", "TYPE", "string", "MATCH", "*only*")
        .cmd("SCAN", "0", "COUNT", "0")
        .cmd("SCAN", "abc")
        .cmd("SCAN", "0", "FOO")
        .cmd("SCAN", "0", "COUNT")
        .cmd("SCAN", "18446744073709551616")
        .cmd(unordered("KEYS lists keys in the keyspace's own order"), "KEYS", "*")
        .cmd(unordered("KEYS lists keys in the keyspace's own order"), "KEYS", "{t}key:?")
        .cmd("KEYS", "nothing*")
        .cmd(unordered("KEYS lists keys in the keyspace's own order"), "KEYS", "{t}[ho]*")
        .hscan("HSCAN", "{t}h", "0")
        .hscan("HSCAN", "{t}h", "0", "MATCH", "a*")
        .hscan("HSCAN", "{t}missing", "0")
        .cmd("HSCAN", "{t}h", "abc")
        .cmd("HSCAN", "{t}h", "0", "COUNT", "0");
  }

  static Script transactions() {
    return new Script("transactions: MULTI, EXEC, DISCARD, EXECABORT")
        .cmd("MULTI")
        .cmd("SET", "{t}x", "1")
        .cmd("INCR", "{t}x")
        .cmd("GET", "{t}x")
        .cmd("HSET", "{t}h", "f", "v")
        .cmd("EXEC")
        .cmd("MULTI")
        .cmd("EXEC")
        .cmd("MULTI")
        .cmd("MULTI")
        .cmd("DISCARD")
        .cmd("DISCARD")
        .cmd("EXEC")
        .cmd("MULTI")
        .cmd("SET", "{t}x", "2")
        .cmd("NOSUCHCMD", "a")
        .cmd("SET", "{t}x", "3")
        .cmd("EXEC")
        .cmd("GET", "{t}x")
        .cmd("MULTI")
        .cmd("SET", "{t}x")
        .cmd("EXEC")
        .cmd("MULTI")
        .cmd("INCR", "{t}h")
        .cmd("SET", "{t}x", "4")
        .cmd("HGET", "{t}x", "f")
        .cmd("EXEC")
        .cmd("GET", "{t}x")
        .cmd("MULTI")
        .cmd("SET", "{t}y", "1")
        .cmd("DISCARD")
        .cmd("EXISTS", "{t}y")
        .cmd("MULTI")
        .cmd("PING")
        .cmd("ECHO", "hi")
        .cmd("DBSIZE")
        .cmd("EXEC")
        .cmd("MULTI")
        .cmd("SET", "{t}x", "5", "EX", "0")
        .cmd("GET", "{t}x")
        .cmd("EXEC")
        .cmd("MULTI")
        .cmd("SET", "{t}ttl", "v", "EX", "100")
        .cmd("TTL", "{t}ttl")
        .cmd("EXEC")
        .cmd("MULTI")
        .cmd("HSET", "{t}h2", "a", "1")
        .cmd("HGETALL", "{t}h2")
        .cmd("DEL", "{t}h2")
        .cmd("HGETALL", "{t}h2")
        .cmd("EXEC")
        .cmd("MULTI")
        .cmd("EXEC", "extra")
        .cmd("DISCARD");
  }

  static Script watch() {
    return new Script("transactions: WATCH with a change from a second connection")
        .cmd("SET", "{t}w", "start")
        .cmd("WATCH", "{t}w")
        .on(1, "SET", "{t}w", "changed")
        .cmd("MULTI")
        .cmd("SET", "{t}w", "mine")
        .cmd("EXEC")
        .cmd("GET", "{t}w")
        .cmd("WATCH", "{t}w")
        .cmd("MULTI")
        .cmd("SET", "{t}w", "mine")
        .cmd("EXEC")
        .cmd("GET", "{t}w")
        .cmd("WATCH", "{t}w", "{t}other")
        .on(1, "SET", "{t}other", "x")
        .cmd("MULTI")
        .cmd("SET", "{t}w", "again")
        .cmd("EXEC")
        .cmd("WATCH", "{t}w")
        .on(1, "SET", "{t}w", "mine")
        .cmd("UNWATCH")
        .cmd("MULTI")
        .cmd("EXEC")
        .cmd("WATCH", "{t}absent")
        .on(1, "SET", "{t}absent", "now")
        .cmd("MULTI")
        .cmd("PING")
        .cmd("EXEC")
        .cmd("WATCH", "{t}absent2")
        .on(1, "DEL", "{t}absent2")
        .cmd("MULTI")
        .cmd("PING")
        .cmd("EXEC")
        .cmd("WATCH", "{t}w")
        .on(1, "GET", "{t}w")
        .cmd("MULTI")
        .cmd("GET", "{t}w")
        .cmd("EXEC")
        .cmd("WATCH", "{t}w")
        .on(1, "EXPIRE", "{t}w", "100")
        .cmd("MULTI")
        .cmd("GET", "{t}w")
        .cmd("EXEC")
        .cmd("HSET", "{t}h", "f", "v")
        .cmd("WATCH", "{t}h")
        .on(1, "HINCRBY", "{t}h", "n", "1")
        .cmd("MULTI")
        .cmd("HGETALL", "{t}h")
        .cmd("EXEC")
        .cmd("WATCH", "{t}w")
        .cmd("MULTI")
        .cmd("WATCH", "{t}w")
        .cmd("EXEC")
        .cmd("WATCH", "{t}w")
        .on(1, "FLUSHDB")
        .cmd("MULTI")
        .cmd("PING")
        .cmd("EXEC")
        .cmd("WATCH")
        .cmd("UNWATCH", "x");
  }

  static Script errors() {
    return new Script("errors: unknown commands, arity, WRONGTYPE, syntax, SELECT")
        .cmd("NOSUCHCMD", "a", "b")
        .cmd("nosuchcmd")
        .cmd("")
        .cmd("x\r\ny", "a b", "c\nd")
        .cmd("NOSUCH", "x".repeat(100), "y".repeat(100), "z")
        .cmd("NOSUCH", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
            "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32", "33",
            "34", "35", "36", "37", "38", "39", "40")
        .cmd("GET")
        .cmd("get", "a", "b")
        .cmd("GeT", "{t}mixed-case")
        .cmd("HGETALL")
        .cmd("PING", "a", "b")
        .cmd("CONFIG")
        .cmd("CONFIG", "FOO")
        .cmd("config", "nosuch", "x")
        .cmd("OBJECT")
        .cmd("OBJECT", "FOO")
        .cmd("CLUSTER", "NOSUCH")
        .cmd("CLUSTER", "KEYSLOT", "{t}")
        .cmd("CLUSTER", "KEYSLOT", "foo")
        .cmd("SET", "{t}s", "v")
        .cmd("HGET", "{t}s", "f")
        .cmd("HSET", "{t}h", "f", "v")
        .cmd("GET", "{t}h")
        .cmd("INCR", "{t}h")
        .cmd("APPEND", "{t}h", "x")
        .cmd("STRLEN", "{t}h")
        .cmd("GETSET", "{t}h", "x")
        .cmd("SETRANGE", "{t}h", "0", "x")
        .cmd("SET", "{t}s", "v", "PX")
        .cmd("SET", "{t}s", "v", "GET", "GET")
        .cmd("SELECT", "1")
        .cmd("SET", "{t}s", "in-db-1")
        .cmd("GET", "{t}s")
        .cmd("SELECT", "99")
        .cmd("SELECT", "-1")
        .cmd("SELECT", "abc")
        .cmd("DBSIZE")
        .cmd("FLUSHDB")
        .cmd("SET", "{t}s", "in-db-1")
        .cmd("SELECT", "0")
        .cmd("GET", "{t}s")
        .cmd("DBSIZE")
        .cmd("COPY", "{t}s", "{t}copied", "DB", "1")
        .cmd("SELECT", "1")
        .cmd("GET", "{t}copied")
        .cmd("SELECT", "0")
        .cmd("CLIENT", "FOO")
        .cmd("COMMAND", "FOO")
        .cmd("DBSIZE");
  }

  static Script crossSlot() {
    return new Script("errors: multi-key commands across slots (CROSSSLOT in cluster mode)")
        .cmd("MSET", "a", "1", "b", "2")
        .cmd("MGET", "a", "b")
        .cmd("MSETNX", "a", "1", "b", "2")
        .cmd("SET", "a", "1")
        .cmd("SET", "b", "2")
        .cmd("DEL", "a", "b")
        .cmd("EXISTS", "a", "b")
        .cmd("EXISTS", "a", "a")
        .cmd("TOUCH", "a", "b")
        .cmd("UNLINK", "a", "b")
        .cmd("RENAME", "a", "b")
        .cmd("RENAMENX", "a", "b")
        .cmd("COPY", "a", "b")
        .cmd("LCS", "a", "b")
        .cmd("WATCH", "a", "b")
        .cmd("MSET", "{a}x", "1", "{a}y", "2")
        .cmd("MGET", "{a}x", "{a}y")
        .cmd("MULTI")
        .cmd("SET", "a", "1")
        .cmd("SET", "b", "2")
        .cmd("EXEC")
        .cmd("MULTI")
        .cmd("SET", "{a}x", "3")
        .cmd("GET", "{a}y")
        .cmd("EXEC")
        .cmd("MSET", "a", "1", "b", "2", "c", "3")
        .cmd("WATCH", "a", "b")
        .on(1, "SET", "b", "changed")
        .cmd("MULTI")
        .cmd("INCR", "a")
        .cmd("INCR", "c")
        .cmd("EXEC")
        .cmd("MGET", "a", "b", "c")
        .cmd("MULTI")
        .cmd("INCR", "a")
        .cmd("APPEND", "b", "!")
        .cmd("INCR", "c")
        .cmd("MGET", "a", "b", "c")
        .cmd("EXEC")
        .cmd("WATCH", "a", "c")
        .on(1, "DEL", "c")
        .cmd("MULTI")
        .cmd("PING")
        .cmd("EXEC")
        .cmd("DBSIZE");
  }

  /**
   * Once a transaction is doomed (a refused command, a touched watched key) Redis keeps nothing more that is
   * queued (queueMultiCommand), so in cluster mode EXEC is not routed by it: EXECABORT or nil, not CROSSSLOT
   * (a and b hash to different slots).
   */
  static Script doomedTransactions() {
    return new Script("transactions: what is queued after a transaction is doomed")
        .cmd("MULTI")
        .cmd("SET", "a", "1")
        .cmd("NOSUCHCMD")
        .cmd("SET", "b", "1")
        .cmd("EXEC")
        .cmd("WATCH", "a")
        .on(1, "SET", "a", "2")
        .cmd("MULTI")
        .cmd("SET", "a", "1")
        .cmd("SET", "b", "1")
        .cmd("EXEC")
        .cmd("WATCH", "a")
        .cmd("MULTI")
        .cmd("SET", "a", "3")
        .on(1, "SET", "a", "4")
        .cmd("SET", "b", "3")
        .cmd("EXEC")
        .cmd("MGET", "a")
        .cmd("EXISTS", "b");
  }

  static Script connectionAndServer() {
    String own = "each server reports its own ids, addresses, ages and memory";
    return new Script("connection and server: PING, ECHO, DBSIZE, FLUSHDB, INFO, CLIENT")
        .cmd("PING")
        .cmd("PING", "hello")
        .cmd("ping", "")
        .cmd("ECHO", "hi")
        .cmd("ECHO", "")
        .cmd("ECHO")
        .cmd("ECHO", "a", "b")
        .binary("ECHO".getBytes(StandardCharsets.US_ASCII), new byte[] {0, (byte) 0xfe, '\r', '\n'})
        .cmd("DBSIZE")
        .cmd("MSET", "{t}a", "1", "{t}b", "2", "{t}c", "3")
        .cmd("HSET", "{t}h", "f", "v")
        .cmd("SET", "{t}e", "v", "EX", "1000")
        .cmd("DBSIZE")
        .cmd("DBSIZE", "x")
        .cmd(keyspaceInfo("avg_ttl is an estimate Redis keeps by sampling"), "INFO", "keyspace")
        .cmd("INFO", "cluster")
        .cmd(fields(':', Set.of("redis_version", "redis_mode", "arch_bits", "hz", "configured_hz"),
            Set.of("gcc_version"), own + "; only some server fields are comparable; no C compiler built the node"),
            "INFO", "server")
        .cmd(fields('=', Set.of("name", "flags", "db", "sub", "psub", "ssub", "multi", "cmd", "user", "redir",
            "resp", "events"), own), "CLIENT", "INFO")
        .cmd(sameType(own), "CLIENT", "ID")
        .cmd(fields('=', Set.of(), own + "; the line count depends on when each server notices closed clients"),
            "CLIENT", "LIST")
        .cmd("CLIENT", "SETNAME", "differential")
        .cmd("CLIENT", "GETNAME")
        .cmd("CLIENT", "SETNAME", "has space")
        .cmd("FLUSHDB", "FOO")
        .cmd("FLUSHDB", "ASYNC")
        .cmd("DBSIZE")
        .cmd("SET", "{t}a", "1")
        .cmd("FLUSHDB", "SYNC")
        .cmd("DBSIZE")
        .cmd("SET", "{t}a", "1")
        .cmd("FLUSHDB")
        .cmd("DBSIZE")
        .cmd("INFO", "keyspace")
        .cmd("FLUSHALL", "NOSUCH")
        .cmd("FLUSHDB", "SYNC", "ASYNC")
        .cmd("LASTSAVE", "x")
        .cmd("TIME", "x");
  }

  /** COMMAND's metadata: clients (redis-py, redis-cli) route and complete with it. */
  static Script commandIntrospection() {
    Comparison info = commandInfo("a container's subcommands come in the order of a randomly seeded hash table");
    return new Script("COMMAND INFO, GETKEYS and DOCS of the implemented commands")
        .cmd("COMMAND", "INFO", "get", "set", "mset", "msetnx", "mget", "getex", "getdel", "lcs", "incrbyfloat")
        .cmd(info, "COMMAND", "INFO", "del", "exists", "expire", "pexpireat", "ttl", "rename", "copy", "touch",
            "object", "object|encoding", "type", "persist", "unlink")
        .cmd("COMMAND", "INFO", "hset", "hgetall", "hrandfield", "hscan", "hincrbyfloat", "hmget")
        .cmd("COMMAND", "INFO", "multi", "exec", "watch", "discard", "unwatch")
        .cmd(info, "COMMAND", "INFO", "ping", "echo", "hello", "auth", "select", "quit", "client|setname",
            "client|getname", "client|id", "client|info", "client|list")
        .cmd(info, "COMMAND", "INFO", "dbsize", "flushdb", "flushall", "info", "config", "config|get", "scan", "keys",
            "randomkey", "command", "command|docs")
        .cmd("COMMAND", "INFO", "nosuch", "GET")
        .cmd("COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2")
        .cmd("COMMAND", "GETKEYS", "SET", "k", "v", "EX", "10")
        .cmd("COMMAND", "GETKEYS", "LCS", "k1", "k2", "IDX")
        .cmd("COMMAND", "GETKEYS", "PING")
        .cmd("COMMAND", "GETKEYS", "NOSUCH", "a")
        .cmd("COMMAND", "GETKEYS", "GET")
        .cmd("COMMAND", "DOCS", "get")
        .cmd("COMMAND", "DOCS", "set", "hset")
        .cmd("COMMAND", "DOCS", "nosuch");
  }

  private static final String FAKE_ID = "ffffffffffffffffffffffffffffffffffffffff";

  /** CLUSTER subcommands on a one-node cluster (in standalone mode: the "cluster support disabled" error). */
  static Script clusterCommands() {
    Comparison own = ownAddresses("each server has its own node id, client port and bus port");
    return new Script("cluster commands on a one-node cluster")
        .cmd("CLUSTER", "INFO")
        .cmd(own, "CLUSTER", "MYID")
        .cmd(own, "CLUSTER", "NODES")
        .cmd(own, "CLUSTER", "SLOTS")
        .cmd(own, "CLUSTER", "SHARDS")
        .cmd("CLUSTER", "KEYSLOT", "foo")
        .cmd("CLUSTER", "KEYSLOT", "bar")
        .cmd("CLUSTER", "KEYSLOT", "{user1000}.following")
        .cmd("CLUSTER", "KEYSLOT", "foo{}{bar}")
        .cmd("CLUSTER", "KEYSLOT", "foo{{bar}}zap")
        .cmd("CLUSTER", "KEYSLOT", "foo{bar}{zap}")
        .cmd("CLUSTER", "KEYSLOT", "{}abc")
        .cmd("CLUSTER", "KEYSLOT", "06S")
        .cmd("CLUSTER", "KEYSLOT", "")
        .cmd("CLUSTER", "KEYSLOT")
        .cmd("MSET", "{t}a", "1", "{t}b", "2")
        .cmd("SET", "foo", "v")
        .cmd("CLUSTER", "COUNTKEYSINSLOT", "12182")
        .cmd("CLUSTER", "COUNTKEYSINSLOT", "7365")
        .cmd("CLUSTER", "COUNTKEYSINSLOT", "0")
        .cmd("CLUSTER", "COUNTKEYSINSLOT", "16384")
        .cmd("CLUSTER", "COUNTKEYSINSLOT", "-1")
        .cmd("CLUSTER", "COUNTKEYSINSLOT", "abc")
        .cmd("CLUSTER", "GETKEYSINSLOT", "12182", "10")
        .cmd(unordered("keys of one slot come in the keyspace's own order"), "CLUSTER", "GETKEYSINSLOT", "7365", "10")
        .cmd("CLUSTER", "GETKEYSINSLOT", "7365", "0")
        .cmd("CLUSTER", "GETKEYSINSLOT", "7365", "-1")
        .cmd("CLUSTER", "GETKEYSINSLOT", "16384", "1")
        .cmd("CLUSTER", "ADDSLOTS", "0")
        .cmd("CLUSTER", "ADDSLOTS", "16384")
        .cmd("CLUSTER", "ADDSLOTSRANGE", "5", "10")
        .cmd("CLUSTER", "ADDSLOTSRANGE", "10", "5")
        .cmd("CLUSTER", "MEET", "1.2.3", "5")
        .cmd("CLUSTER", "MEET", "localhost", "7000")
        .cmd("CLUSTER", "MEET", "127.0.0.1", "abc")
        .cmd("CLUSTER", "MEET", "127.0.0.1", "7000", "abc")
        .cmd("CLUSTER", "MEET", "127.0.0.1", "70000")
        .cmd("CLUSTER", "MEET", "127.0.0.1", "7000", "17000", "x")
        .cmd("CLUSTER", "MEET", "127.0.0.1")
        .cmd("CLUSTER", "REPLICATE", FAKE_ID)
        .cmd("CLUSTER", "FORGET", FAKE_ID)
        .cmd("CLUSTER", "COUNT-FAILURE-REPORTS", FAKE_ID)
        .cmd("CLUSTER", "REPLICAS", FAKE_ID)
        .cmd("CLUSTER", "SLAVES", FAKE_ID)
        .cmd("CLUSTER", "RESET", "foo")
        .cmd("CLUSTER", "RESET", "hard", "x")
        .cmd("CLUSTER", "RESET", "SOFT")
        .cmd("CLUSTER", "FLUSHSLOTS")
        .cmd("CLUSTER", "SET-CONFIG-EPOCH", "-1")
        .cmd("CLUSTER", "SET-CONFIG-EPOCH", "abc")
        .cmd("CLUSTER", "SET-CONFIG-EPOCH", "5")
        .cmd("CLUSTER", "SET-CONFIG-EPOCH", "6")
        .cmd("CLUSTER", "BUMPEPOCH")
        .cmd("CLUSTER", "SAVECONFIG")
        .cmd("CLUSTER", "LINKS")
        .cmd("CLUSTER", "BUMPEPOCH", "x")
        .cmd("READONLY")
        .cmd("READWRITE")
        .cmd("ASKING")
        .cmd("GET", "foo")
        .cmd(mapIgnoringValuesOf(Set.of("id"), "the connection id is each server's own"), "HELLO", "3")
        .cmd("CLUSTER", "INFO")
        .cmd(own, "CLUSTER", "NODES")
        .cmd(own, "CLUSTER", "SLOTS")
        .cmd(own, "CLUSTER", "SHARDS");
  }

  static Script resp3() {
    String id = "the connection id is each server's own";
    Map<String, String> hash = new LinkedHashMap<>();
    hash.put("a", "1");
    hash.put("b", "2");
    return new Script("RESP3 after HELLO 3")
        .cmd(mapIgnoringValuesOf(Set.of("id"), id), "HELLO", "3")
        .cmd(mapIgnoringValuesOf(Set.of("id"), id), "HELLO")
        .cmd("HELLO", "4")
        .cmd("HELLO", "abc")
        .cmd("PING")
        .cmd("SET", "{t}s", "v")
        .cmd("GET", "{t}s")
        .cmd("GET", "{t}missing")
        .cmd("MGET", "{t}s", "{t}missing")
        .cmd("SET", "{t}s", "w", "GET")
        .cmd("SET", "{t}missing", "w", "XX")
        .cmd("EXISTS", "{t}s")
        .cmd("TTL", "{t}s")
        .cmd("INCR", "{t}n")
        .cmd("INCRBYFLOAT", "{t}f", "1.5")
        .cmd("HSET", "{t}h", "a", "1", "b", "2")
        .cmd("HGETALL", "{t}h")
        .cmd("HGETALL", "{t}missing")
        .cmd("HKEYS", "{t}h")
        .cmd("HMGET", "{t}h", "a", "nofield")
        .cmd("HINCRBYFLOAT", "{t}h", "a", "0.25")
        .cmd("HRANDFIELD", "{t}h", "0", "WITHVALUES")
        .cmd(unorderedPairs("HRANDFIELD picks at random"), "HRANDFIELD", "{t}h", "2", "WITHVALUES")
        .cmd(randomPairsOf(Map.of("a", "1.25", "b", "2"), "HRANDFIELD picks at random"), "HRANDFIELD", "{t}h",
            "-3", "WITHVALUES")
        .cmd("HRANDFIELD", "{t}missing", "2", "WITHVALUES")
        .cmd("HRANDFIELD", "{t}missing")
        .cmd("MSET", "{t}l1", "ohmytext", "{t}l2", "mynewtext")
        .cmd("LCS", "{t}l1", "{t}l2", "IDX", "WITHMATCHLEN")
        .cmd("LCS", "{t}l1", "{t}l2", "LEN")
        .cmd("OBJECT", "ENCODING", "{t}s")
        .cmd("OBJECT", "ENCODING", "{t}missing")
        .cmd("COPY", "{t}s", "{t}s2")
        .cmd("TYPE", "{t}h")
        .cmd("CONFIG", "GET", "maxmemory")
        .cmd("CONFIG", "GET", "nosuch")
        .cmd("COMMAND", "INFO", "get", "hset", "exec")
        .cmd("COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2")
        .cmd("NOSUCH")
        .cmd("GET", "{t}h")
        .cmd("MULTI")
        .cmd("GET", "{t}s")
        .cmd("HGETALL", "{t}h")
        .cmd("EXEC")
        .cmd("WATCH", "{t}s")
        .on(1, "SET", "{t}s", "changed")
        .cmd("MULTI")
        .cmd("GET", "{t}s")
        .cmd("EXEC")
        .cmd("MULTI")
        .cmd("NOSUCH")
        .cmd("EXEC")
        .cmd("SCAN", "0", "MATCH", "nothing")
        .cmd(keyspaceInfo("avg_ttl is an estimate Redis keeps by sampling"), "INFO", "keyspace")
        .cmd("CLIENT", "GETNAME")
        .cmd(mapIgnoringValuesOf(Set.of("id"), id), "HELLO", "2")
        .cmd("HGETALL", "{t}h")
        .cmd("GET", "{t}missing")
        .cmd(mapIgnoringValuesOf(Set.of("id"), id), "HELLO", "3", "SETNAME", "resp3-client")
        .cmd("CLIENT", "GETNAME")
        // The default user has no password here, so any password is accepted.
        .cmd(mapIgnoringValuesOf(Set.of("id"), id), "HELLO", "3", "AUTH", "default", "any")
        .cmd("HELLO", "3", "AUTH", "nosuchuser", "any")
        .cmd("AUTH", "default", "any")
        .cmd("AUTH", "any")
        .cmd("HELLO", "3", "FOO");
  }

  /**
   * A long reproducible mix of string, hash and key commands on a few keys, with values that hit the edge
   * cases (numbers at the limits, floats, empty values) and WRONGTYPE, some of them inside MULTI/EXEC and
   * some in database 1; a fixed seed keeps every run identical.
   */
  static Script generated(long seed, int commands) {
    Random random = new Random(seed);
    Script script = new Script("generated mix (seed " + seed + ")");
    int emitted = 0;
    while (emitted < commands) {
      int kind = random.nextInt(40);
      if (kind == 0) {
        script.cmd("MULTI");
        int queued = 1 + random.nextInt(4);
        for (int i = 0; i < queued; i++) randomCommand(random, script);
        script.cmd(random.nextInt(8) == 0 ? "DISCARD" : "EXEC");
        emitted += queued + 2;
      } else if (kind == 1) {
        // In cluster mode both servers refuse SELECT and stay in database 0.
        script.cmd("SELECT", random.nextBoolean() ? "0" : "1");
        emitted++;
      } else {
        randomCommand(random, script);
        emitted++;
      }
    }
    return script.cmd("SELECT", "0").cmd("DBSIZE");
  }

  private static final String[] GENERATED_KEYS = {"{t}g0", "{t}g1", "{t}g2", "{t}g3", "{t}g4", "{t}g5"};
  private static final String[] GENERATED_FIELDS = {"f0", "f1", "f2", "f3", ""};
  private static final String[] GENERATED_VALUES = {"0", "1", "-1", "42", "9223372036854775807",
      "-9223372036854775808", "3.5", "-0.25", "1e3", "abc", "", " 7", "007", "10.50", "x".repeat(50), "inf"};

  private static void randomCommand(Random random, Script script) {
    String k = GENERATED_KEYS[random.nextInt(GENERATED_KEYS.length)];
    String k2 = GENERATED_KEYS[random.nextInt(GENERATED_KEYS.length)];
    String f = GENERATED_FIELDS[random.nextInt(GENERATED_FIELDS.length)];
    String f2 = GENERATED_FIELDS[random.nextInt(GENERATED_FIELDS.length)];
    String v = GENERATED_VALUES[random.nextInt(GENERATED_VALUES.length)];
    String v2 = GENERATED_VALUES[random.nextInt(GENERATED_VALUES.length)];
    String n = Integer.toString(random.nextInt(30) - 10);
    String m = Integer.toString(random.nextInt(20) - 5);
    switch (random.nextInt(36)) {
      case 0 -> script.cmd("SET", k, v);
      case 1 -> script.cmd("GET", k);
      case 2 -> script.cmd("APPEND", k, v);
      case 3 -> script.cmd("INCR", k);
      case 4 -> script.cmd("INCRBY", k, v);
      case 5 -> script.cmd("DECRBY", k, v);
      case 6 -> script.cmd("INCRBYFLOAT", k, v);
      case 7 -> script.cmd("GETRANGE", k, n, m);
      case 8 -> script.cmd("SETRANGE", k, Integer.toString(random.nextInt(12)), v);
      case 9 -> script.cmd("STRLEN", k);
      case 10 -> script.cmd("MSET", k, v, k2, v2);
      case 11 -> script.cmd("MGET", k, k2);
      case 12 -> script.cmd("GETDEL", k);
      case 13 -> script.cmd("SETNX", k, v);
      case 14 -> script.cmd("HSET", k, f, v);
      case 15 -> script.cmd("HGET", k, f);
      case 16 -> script.cmd("HDEL", k, f, f2);
      case 17 -> script.cmd("HINCRBY", k, f, v);
      case 18 -> script.cmd("HINCRBYFLOAT", k, f, v);
      case 19 -> script.cmd("HGETALL", k);
      case 20 -> script.cmd("HLEN", k);
      case 21 -> script.cmd("HSETNX", k, f, v);
      case 22 -> script.cmd("HMGET", k, f, "f9");
      case 23 -> script.cmd("HSTRLEN", k, f);
      case 24 -> script.cmd("DEL", k, k2);
      case 25 -> script.cmd("EXISTS", k, k2);
      case 26 -> script.cmd("TYPE", k);
      case 27 -> script.cmd("EXPIRE", k, Integer.toString(1000 + random.nextInt(1000)),
          new String[] {"NX", "XX", "GT", "LT"}[random.nextInt(4)]);
      case 28 -> script.cmd(TTL, "TTL", k);
      case 29 -> script.cmd("PERSIST", k);
      case 30 -> script.cmd("RENAME", k, k2);
      case 31 -> script.cmd("COPY", k, k2, "REPLACE");
      case 32 -> script.cmd("OBJECT", "ENCODING", k);
      // Count 0 and a non-number are the HRANDFIELD forms whose reply is not random.
      case 33 -> script.cmd("HRANDFIELD", k, random.nextBoolean() ? "0" : "x");
      case 34 -> script.cmd("GETEX", k, "PERSIST");
      default -> script.cmd("LCS", k, k2, "LEN");
    }
  }
}
