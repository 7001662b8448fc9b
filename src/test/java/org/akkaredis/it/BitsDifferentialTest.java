package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.akkaredis.it.support.DifferentialRunner;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.Script;
import org.akkaredis.it.support.ServerPair;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Bitmaps and HyperLogLogs against a real redis-server 7.0: every command and its errors, long generated runs
 * (fixed seeds) compared reply by reply, byte for byte (GET of an HLL included), standalone and in cluster mode;
 * then values moved between the two servers by DUMP and RESTORE both ways, and the keyspace events both publish.
 */
class BitsDifferentialTest {
  private static final String[] KEYS = {"{b}a", "{b}b", "{b}c", "{b}d"};

  static List<Script> all() {
    return List.of(bitmaps(), bitfields(), hyperloglogs(), acrossSlots(), generatedBits(11L, 2500),
        generatedBits(29L, 2500),
        generatedHlls(5L, 600), generatedHlls(17L, 600));
  }

  static Script bitmaps() {
    return new Script("bitmaps: SETBIT GETBIT BITCOUNT BITPOS BITOP and their errors")
        .cmd("setbit", "{b}b", "7", "1")
        .cmd("setbit", "{b}b", "7", "1")
        .cmd("setbit", "{b}b", "100", "1")
        .cmd("get", "{b}b")
        .cmd("object", "encoding", "{b}b")
        .cmd("getbit", "{b}b", "7")
        .cmd("getbit", "{b}b", "1000")
        .cmd("getbit", "{b}nokey", "3")
        .cmd("setbit", "{b}b", "-1", "1")
        .cmd("setbit", "{b}b", "4294967296", "1")
        .cmd("setbit", "{b}b", "1", "2")
        .cmd("setbit", "{b}b", "x", "1")
        .cmd("setbit", "{b}b", "1", "-1")
        .cmd("getbit", "{b}b", "x")
        .cmd("getbit", "{b}b", "-1")
        .cmd("set", "{b}s", "foobar")
        .cmd("bitcount", "{b}s")
        .cmd("bitcount", "{b}s", "0", "0")
        .cmd("bitcount", "{b}s", "1", "1")
        .cmd("bitcount", "{b}s", "1", "1", "bit")
        .cmd("bitcount", "{b}s", "5", "30", "BIT")
        .cmd("bitcount", "{b}s", "0", "-1", "byte")
        .cmd("bitcount", "{b}s", "-1", "-2", "foo")
        .cmd("bitcount", "{b}s", "0", "foo")
        .cmd("bitcount", "{b}s", "0")
        .cmd("bitcount", "{b}s", "0", "1", "2", "3")
        .cmd("bitcount", "{b}s", "0", "1", "foo")
        .cmd("bitcount", "{b}nokey", "0", "x")
        .cmd("bitcount", "{b}s", "-100", "100", "bit")
        .cmd("set", "{b}n", "12345")
        .cmd("object", "encoding", "{b}n")
        .cmd("getbit", "{b}n", "3")
        .cmd("bitcount", "{b}n")
        .cmd("bitpos", "{b}n", "1")
        .cmd("setbit", "{b}n", "0", "1")
        .cmd("object", "encoding", "{b}n")
        .cmd("get", "{b}n")
        .cmd("bitpos", "{b}s", "1")
        .cmd("bitpos", "{b}s", "0", "2", "-1", "bit")
        .cmd("bitpos", "{b}s", "1", "2", "-1", "bit")
        .cmd("bitpos", "{b}s", "1", "7", "15", "bit")
        .cmd("bitpos", "{b}s", "0", "0", "-1")
        .cmd("bitpos", "{b}s", "0", "1")
        .cmd("bitpos", "{b}s", "2")
        .cmd("bitpos", "{b}s", "x")
        .cmd("bitpos", "{b}nokey", "1")
        .cmd("bitpos", "{b}nokey", "0")
        .cmd("bitpos", "{b}s", "1", "0", "1", "foo")
        .cmd("bitpos", "{b}s", "1", "0", "1", "bit", "x")
        .cmd("bitpos", "{b}s", "0", "100", "200")
        .binary(b("setrange"), b("{b}f"), b("0"), new byte[] {-1, -1, -1})
        .cmd("bitpos", "{b}f", "0")
        .cmd("bitpos", "{b}f", "0", "0", "-1")
        .cmd("bitpos", "{b}f", "0", "0")
        .cmd("lpush", "{b}l", "a")
        .cmd("bitcount", "{b}l")
        .cmd("bitpos", "{b}l", "1")
        .cmd("getbit", "{b}l", "1")
        .cmd("setbit", "{b}l", "1", "1")
        .cmd("bitop", "and", "{b}d", "{b}s", "{b}f")
        .cmd("get", "{b}d")
        .cmd("object", "encoding", "{b}d")
        .cmd("bitop", "OR", "{b}d", "{b}s", "{b}f", "{b}nokey")
        .cmd("get", "{b}d")
        .cmd("bitop", "xor", "{b}d", "{b}s", "{b}f")
        .cmd("get", "{b}d")
        .cmd("bitop", "not", "{b}d", "{b}s")
        .cmd("get", "{b}d")
        .cmd("bitop", "not", "{b}d", "{b}s", "{b}f")
        .cmd("bitop", "foo", "{b}d", "{b}s")
        .cmd("expire", "{b}d", "100")
        .cmd("bitop", "and", "{b}d", "{b}s")
        .cmd("ttl", "{b}d")
        .cmd("bitop", "and", "{b}d", "{b}nokey", "{b}nokey2")
        .cmd("exists", "{b}d")
        .cmd("bitop", "and", "{b}d", "{b}l")
        .cmd("bitop", "and", "{b}d")
        .cmd("expire", "{b}b", "100")
        .cmd("setbit", "{b}b", "3", "1")
        .cmd("ttl", "{b}b")
        .cmd("config", "set", "proto-max-bulk-len", "1mb")
        .cmd("setbit", "{b}big", "8388607", "1")
        .cmd("setbit", "{b}big", "8388608", "1")
        .cmd("strlen", "{b}big")
        .cmd("config", "set", "proto-max-bulk-len", "512mb");
  }

  static Script bitfields() {
    return new Script("bitfields: BITFIELD and BITFIELD_RO, overflow, # offsets and errors")
        .cmd("bitfield", "{b}f", "set", "u8", "0", "255", "get", "u8", "0")
        .cmd("bitfield", "{b}f", "incrby", "u2", "100", "1", "overflow", "sat", "incrby", "u2", "102", "1")
        .cmd("bitfield", "{b}f", "overflow", "fail", "incrby", "u2", "102", "5")
        .cmd("bitfield", "{b}f", "set", "i64", "0", "-1", "get", "i64", "0", "get", "u63", "0")
        .cmd("bitfield", "{b}f", "get", "u64", "0")
        .cmd("bitfield", "{b}f", "get", "i65", "0")
        .cmd("bitfield", "{b}f", "get", "i0", "0")
        .cmd("bitfield", "{b}f", "get", "x8", "0")
        .cmd("bitfield", "{b}f", "get", "", "0")
        .cmd("bitfield", "{b}f", "get", "u8", "#3")
        .cmd("bitfield", "{b}f", "set", "u8", "#3", "200", "get", "u8", "24")
        .cmd("bitfield", "{b}f", "get", "u8", "#x")
        .cmd("bitfield", "{b}f", "get", "u8", "#")
        .cmd("bitfield", "{b}f", "overflow", "foo")
        .cmd("bitfield", "{b}f", "overflow")
        .cmd("bitfield", "{b}f", "foo")
        .cmd("bitfield", "{b}f", "get", "u8")
        .cmd("bitfield", "{b}f", "set", "u8", "0", "x")
        .cmd("bitfield", "{b}f", "set", "u8", "-1", "1")
        .cmd("bitfield", "{b}f", "set", "u8", "4294967296", "1")
        .cmd("bitfield", "{b}f", "set", "i8", "0", "300", "overflow", "sat", "set", "i8", "0", "300", "overflow",
            "fail", "set", "i8", "0", "300")
        .cmd("bitfield", "{b}f", "incrby", "i8", "0", "-1000", "overflow", "sat", "incrby", "i8", "0", "-1000")
        .cmd("bitfield", "{b}f", "overflow", "wrap", "incrby", "i64", "0", "9223372036854775807", "incrby", "i64",
            "0", "9223372036854775807")
        .cmd("bitfield", "{b}f", "overflow", "sat", "incrby", "i64", "0", "9223372036854775807", "incrby", "i64",
            "0", "-9223372036854775808")
        .cmd("bitfield", "{b}f", "overflow", "sat", "incrby", "u63", "0", "9223372036854775807", "incrby", "u63",
            "0", "-9223372036854775808")
        .cmd("bitfield", "{b}f", "overflow", "wrap", "incrby", "u63", "0", "9223372036854775807", "set", "u1", "3",
            "7")
        .cmd("bitfield_ro", "{b}f", "get", "u8", "0", "get", "i5", "3", "GET", "u7", "#2")
        .cmd("bitfield_ro", "{b}f", "set", "u8", "0", "1")
        .cmd("bitfield_ro", "{b}f", "overflow", "sat", "get", "u8", "0")
        .cmd("bitfield_ro", "{b}nokey", "get", "u8", "0")
        .cmd("bitfield", "{b}new", "overflow", "fail", "incrby", "u2", "100", "8")
        .cmd("exists", "{b}new")
        .cmd("get", "{b}new")
        .cmd("bitfield", "{b}new", "get", "u8", "1000")
        .cmd("strlen", "{b}new")
        .cmd("get", "{b}f")
        .cmd("object", "encoding", "{b}f")
        .cmd("lpush", "{b}l", "a")
        .cmd("bitfield", "{b}l", "get", "u8", "0")
        .cmd("bitfield", "{b}l", "set", "u8", "0", "1")
        .cmd("bitfield_ro", "{b}l", "get", "u8", "0")
        .cmd("bitfield", "{b}f")
        .cmd("bitfield_ro", "{b}f")
        .cmd("set", "{b}n", "1")
        .cmd("bitfield", "{b}n", "get", "u8", "#-1")
        .cmd("bitfield", "{b}n", "get", "u8", "0", "get", "i16", "0")
        .cmd("bitfield", "{b}n", "incrby", "u8", "0", "1")
        .cmd("get", "{b}n");
  }

  static Script hyperloglogs() {
    Script s = new Script("hyperloglogs: PFADD PFCOUNT PFMERGE PFDEBUG, sparse and dense bytes, errors")
        .cmd("pfadd", "{h}h", "a", "b", "c", "d", "e")
        .cmd("get", "{h}h")
        .cmd("pfadd", "{h}h", "a")
        .cmd("pfadd", "{h}h")
        .cmd("pfcount", "{h}h")
        .cmd("get", "{h}h")
        .cmd("pfadd", "{h}h", "f")
        .cmd("get", "{h}h")
        .cmd("pfcount", "{h}h")
        .cmd("pfdebug", "encoding", "{h}h")
        .cmd("pfdebug", "decode", "{h}h")
        .cmd("pfdebug", "getreg", "{h}nokey")
        .cmd("pfdebug", "foo", "{h}h")
        .cmd("pfdebug", "decode")
        .cmd("pfadd", "{h}empty")
        .cmd("get", "{h}empty")
        .cmd("pfcount", "{h}empty")
        .cmd("pfcount", "{h}nokey")
        .cmd("pfcount", "{h}nokey", "{h}nokey2")
        .cmd("object", "encoding", "{h}h");
    List<String> numbers = new ArrayList<>(List.of("pfadd", "{h}h2"));
    for (int i = 1; i <= 30; i++) numbers.add(Integer.toString(i));
    s.cmd(numbers.toArray(String[]::new))
        .cmd("pfcount", "{h}h", "{h}h2")
        .cmd("pfcount", "{h}h", "{h}h2", "{h}nokey")
        .cmd("pfmerge", "{h}m", "{h}h", "{h}h2")
        .cmd("get", "{h}m")
        .cmd("pfcount", "{h}m")
        .cmd("pfdebug", "todense", "{h}m")
        .cmd("pfdebug", "encoding", "{h}m")
        .cmd("pfdebug", "todense", "{h}m")
        .cmd("pfdebug", "decode", "{h}m")
        .cmd("pfcount", "{h}m")
        .cmd("get", "{h}m")
        .cmd("pfmerge", "{h}m2", "{h}h", "{h}m")
        .cmd("pfdebug", "encoding", "{h}m2")
        .cmd("pfmerge", "{h}m3")
        .cmd("get", "{h}m3")
        .cmd("set", "{h}s", "foo")
        .cmd("pfadd", "{h}s", "a")
        .cmd("pfcount", "{h}s")
        .cmd("pfcount", "{h}s", "{h}h")
        .cmd("pfmerge", "{h}s", "{h}h")
        .cmd("pfmerge", "{h}x", "{h}s")
        .cmd("pfdebug", "encoding", "{h}s")
        .cmd("lpush", "{h}l", "a")
        .cmd("pfadd", "{h}l", "a")
        .cmd("pfcount", "{h}l")
        .cmd("pfcount", "{h}h", "{h}l")
        .cmd("pfmerge", "{h}l", "{h}h")
        .cmd("pfdebug", "encoding", "{h}l")
        .binary(b("set"), b("{h}bad"), hex("48594c4c010000000000000000000080" + "7fff00"))
        .cmd("pfcount", "{h}bad")
        .cmd("pfadd", "{h}bad", "x")
        .cmd("pfcount", "{h}bad", "{h}h")
        .cmd("pfmerge", "{h}m4", "{h}h", "{h}bad")
        .cmd("pfdebug", "todense", "{h}bad")
        .binary(b("set"), b("{h}bad2"), hex("48594c4c00000000000000000000000000"))
        .cmd("pfcount", "{h}bad2")
        .binary(b("set"), b("{h}bad3"), hex("48594c4c02000000000000000000000000"))
        .cmd("pfadd", "{h}bad3", "a")
        .cmd("set", "{h}short", "HYLL")
        .cmd("pfcount", "{h}short");
    List<String> many = new ArrayList<>(List.of("pfadd", "{h}big"));
    for (int i = 1; i <= 2000; i++) many.add("e" + i);
    s.cmd(many.toArray(String[]::new))
        .cmd("pfdebug", "encoding", "{h}big")
        .cmd("pfcount", "{h}big")
        .cmd("get", "{h}big")
        .cmd("config", "set", "hll-sparse-max-bytes", "100");
    List<String> small = new ArrayList<>(List.of("pfadd", "{h}small"));
    for (int i = 1; i <= 50; i++) small.add(Integer.toString(i));
    return s.cmd(small.toArray(String[]::new))
        .cmd("pfdebug", "encoding", "{h}small")
        .cmd("get", "{h}small")
        .cmd("pfmerge", "{h}m5", "{h}h")
        .cmd("pfdebug", "encoding", "{h}m5")
        .cmd("config", "set", "hll-sparse-max-bytes", "3000")
        .cmd("pfdebug", "getreg", "{h}h")
        .cmd("pfdebug", "encoding", "{h}h")
        .cmd("get", "{h}h");
  }

  /**
   * Multi-key commands on keys of different slots: run over several slot ranges in standalone mode, CROSSSLOT in
   * cluster mode, as redis-server.
   */
  static Script acrossSlots() {
    Script s = new Script("BITOP, PFCOUNT and PFMERGE on keys of different slots");
    for (String key : List.of("alpha", "beta", "gamma", "delta", "epsilon")) {
      s.cmd("setbit", key, Integer.toString(key.length() * 3), "1").cmd("pfadd", "hll-" + key, key, "x", "y");
    }
    return s.cmd("bitop", "or", "dest", "alpha", "beta", "gamma", "delta", "epsilon")
        .cmd("get", "dest")
        .cmd("bitop", "and", "dest2", "alpha", "nokey")
        .cmd("exists", "dest2")
        .cmd("pfcount", "hll-alpha", "hll-beta", "hll-gamma", "hll-delta")
        .cmd("pfmerge", "hll-all", "hll-alpha", "hll-beta", "hll-gamma", "hll-delta", "hll-epsilon")
        .cmd("pfcount", "hll-all")
        .cmd("get", "hll-all")
        .cmd("pfcount", "hll-all", "alpha");
  }

  /** Long runs of random bit commands over four keys, small offsets so that they meet. */
  static Script generatedBits(long seed, int commands) {
    Random r = new Random(seed);
    Script s = new Script("generated bit commands (seed " + seed + ")");
    String[] types = {"u1", "u3", "u8", "i8", "i5", "u16", "i32", "u63", "i64"};
    String[] overflows = {"WRAP", "SAT", "FAIL"};
    for (int i = 0; i < commands; i++) {
      String k = KEYS[r.nextInt(KEYS.length)];
      String k2 = KEYS[r.nextInt(KEYS.length)];
      String off = Integer.toString(r.nextInt(200));
      String num = Integer.toString(r.nextInt(60) - 20);
      String num2 = Integer.toString(r.nextInt(60) - 30);
      String unit = r.nextBoolean() ? "BIT" : "BYTE";
      String type = types[r.nextInt(types.length)];
      String value = r.nextInt(4) == 0 ? Long.toString(r.nextLong()) : Integer.toString(r.nextInt(600) - 300);
      switch (r.nextInt(21)) {
        case 0, 1, 2 -> s.cmd("SETBIT", k, off, Integer.toString(r.nextInt(2)));
        case 3 -> s.cmd("GETBIT", k, off);
        case 4 -> s.cmd("BITCOUNT", k);
        case 5 -> s.cmd("BITCOUNT", k, num, num2, unit);
        case 6 -> s.cmd("BITPOS", k, Integer.toString(r.nextInt(2)));
        case 7 -> s.cmd("BITPOS", k, Integer.toString(r.nextInt(2)), num, num2, unit);
        case 8 -> s.cmd("BITPOS", k, Integer.toString(r.nextInt(2)), num);
        case 9 -> s.cmd("BITOP", new String[] {"AND", "OR", "XOR"}[r.nextInt(3)], k, k2, KEYS[r.nextInt(4)]);
        case 10 -> s.cmd("BITOP", "NOT", k, k2);
        case 11, 12 -> s.cmd("BITFIELD", k, "OVERFLOW", overflows[r.nextInt(3)], "INCRBY", type,
            r.nextBoolean() ? off : "#" + r.nextInt(20), value, "GET", type, off);
        case 13 -> s.cmd("BITFIELD", k, "SET", type, off, value, "OVERFLOW", overflows[r.nextInt(3)], "SET", type,
            off, value);
        case 14 -> s.cmd("BITFIELD_RO", k, "GET", type, off, "GET", types[r.nextInt(types.length)], "#1");
        // String commands between them: integer and embstr encodings meeting the bit commands' raw strings.
        case 16 -> s.cmd("SET", k, Integer.toString(r.nextInt(100000)));
        case 17 -> s.cmd("APPEND", k, "xy");
        case 18 -> s.cmd("SETRANGE", k, Integer.toString(r.nextInt(30)), "ab");
        case 19 -> s.cmd("INCR", k);
        case 20 -> s.cmd("OBJECT", "ENCODING", k);
        default -> s.cmd(r.nextInt(8) == 0 ? "DEL" : "GET", k);
      }
    }
    for (String key : KEYS) s.cmd("GET", key).cmd("OBJECT", "ENCODING", key);
    return s;
  }

  /** Random PFADD, PFCOUNT, PFMERGE (and GETs of the raw bytes) over four keys, through sparse and dense. */
  static Script generatedHlls(long seed, int commands) {
    Random r = new Random(seed);
    Script s = new Script("generated HyperLogLog commands (seed " + seed + ")")
        .cmd("CONFIG", "SET", "hll-sparse-max-bytes", "400");
    for (int i = 0; i < commands; i++) {
      String k = KEYS[r.nextInt(KEYS.length)];
      switch (r.nextInt(10)) {
        case 0, 1, 2, 3 -> {
          List<String> args = new ArrayList<>(List.of("PFADD", k));
          int n = r.nextInt(12);
          for (int j = 0; j < n; j++) args.add(Integer.toString(r.nextInt(5000)));
          s.cmd(args.toArray(String[]::new));
        }
        case 4 -> s.cmd("PFCOUNT", k);
        case 5 -> s.cmd("PFCOUNT", k, KEYS[r.nextInt(4)], KEYS[r.nextInt(4)]);
        case 6 -> s.cmd("PFMERGE", k, KEYS[r.nextInt(4)]);
        case 7 -> s.cmd("GET", k);
        case 8 -> s.cmd("PFDEBUG", "ENCODING", k);
        default -> s.cmd(r.nextInt(6) == 0 ? "DEL" : "STRLEN", k);
      }
    }
    for (String key : KEYS) s.cmd("GET", key).cmd("PFCOUNT", key).cmd("GET", key);
    return s.cmd("CONFIG", "SET", "hll-sparse-max-bytes", "3000");
  }

  private static byte[] b(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static byte[] hex(String hex) {
    return java.util.HexFormat.of().parseHex(hex);
  }

  /** Both servers in one mode; the nested classes pick it. */
  abstract class BothServers extends ServerPair {
    BothServers(boolean cluster) {
      super(cluster);
    }

    @TestFactory
    Stream<DynamicTest> scripts() {
      DifferentialRunner runner = new DifferentialRunner(redis, node);
      return all().stream().flatMap(script -> Stream.of(
          DynamicTest.dynamicTest(script.name(), () -> DifferentialTest.check(runner, script, false)),
          DynamicTest.dynamicTest(script.name() + " (pipelined)",
              () -> DifferentialTest.check(runner, script, true))));
    }

    /** An HLL (sparse and dense) and a bitmap DUMPed by one server RESTOREd by the other: the same bytes, count. */
    @Test
    void valuesMoveByDumpAndRestoreBothWays() {
      try (RespConnection r = redis.connect(); RespConnection n = node.connect()) {
        for (RespConnection c : List.of(r, n)) {
          assertFalse(c.call("FLUSHALL").isError());
          List<String> sparse = new ArrayList<>(List.of("PFADD", "{m}sparse"));
          List<String> dense = new ArrayList<>(List.of("PFADD", "{m}dense"));
          for (int i = 0; i < 300; i++) sparse.add("s" + i);
          for (int i = 0; i < 4000; i++) dense.add("d" + i);
          c.call(sparse.toArray(String[]::new));
          c.call(dense.toArray(String[]::new));
          c.call("SETBIT", "{m}bits", "1000", "1");
          c.call("BITFIELD", "{m}bits", "SET", "i32", "#3", "-123456");
        }
        for (String key : List.of("{m}sparse", "{m}dense", "{m}bits")) {
          assertArrayEquals(r.call("GET", key).bytes(), n.call("GET", key).bytes(), key + ": the same bytes");
          moveAndCompare(r, n, key, "redis-server to the node");
          moveAndCompare(n, r, key, "the node to redis-server");
        }
      }
    }

    private void moveAndCompare(RespConnection from, RespConnection to, String key, String way) {
      byte[] payload = from.call("DUMP", key).bytes();
      String copy = key.replace("}", "}copy");
      RespReply restored = to.call("RESTORE".getBytes(), copy.getBytes(), "0".getBytes(), payload,
          "REPLACE".getBytes());
      assertEquals("OK", restored.text(), way + ": RESTORE " + key);
      assertArrayEquals(from.call("GET", key).bytes(), to.call("GET", copy).bytes(), way + ": " + key);
      if (!key.contains("bits")) {
        assertEquals(from.call("PFCOUNT", key).integer(), to.call("PFCOUNT", copy).integer(), way + ": " + key);
        assertEquals(from.call("PFDEBUG", "ENCODING", key).text(), to.call("PFDEBUG", "ENCODING", copy).text());
      }
      assertArrayEquals(from.call("GET", key).bytes(), to.call("GET", copy).bytes(), way + " after PFCOUNT");
    }

    /** The keyspace events of the bit and HLL commands, as each server publishes them to a subscriber. */
    @Test
    void keyspaceEventsAreRedisOnes() {
      List<String[]> commands = List.of(
          new String[] {"SETBIT", "{e}b", "3", "1"}, new String[] {"SETBIT", "{e}b", "3", "1"},
          new String[] {"BITFIELD", "{e}b", "GET", "u8", "0"}, new String[] {"BITFIELD", "{e}b", "SET", "u8", "0", "1"},
          new String[] {"BITFIELD", "{e}b", "SET", "u8", "0", "1"}, new String[] {"BITOP", "NOT", "{e}c", "{e}b"},
          new String[] {"BITOP", "AND", "{e}c", "{e}none"}, new String[] {"BITOP", "AND", "{e}c", "{e}none"},
          new String[] {"PFADD", "{e}h", "a"}, new String[] {"PFADD", "{e}h", "a"}, new String[] {"PFCOUNT", "{e}h"},
          new String[] {"PFMERGE", "{e}m", "{e}h"}, new String[] {"PFDEBUG", "TODENSE", "{e}m"},
          new String[] {"BITFIELD", "{e}f", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "9"},
          new String[] {"BITFIELD", "{e}f", "OVERFLOW", "FAIL", "INCRBY", "u2", "100", "9"},
          new String[] {"SET", "{e}marker", "x"});
      List<String> fromRedis = events(redis, commands);
      List<String> fromNode = events(node, commands);
      assertEquals(fromRedis, fromNode);
    }

    private List<String> events(RedisEndpoint server, List<String[]> commands) {
      try (RespConnection c = server.connect(); RespConnection sub = server.connect()) {
        c.call("FLUSHALL");
        c.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
        sub.call("PSUBSCRIBE", "__key*__:*");
        for (String[] command : commands) c.call(command);
        List<String> events = new ArrayList<>();
        while (true) {
          RespReply message = sub.read();
          String event = message.get(2).text() + " " + message.get(3).text();
          events.add(event);
          if (event.equals("__keyevent@0__:set {e}marker")) break;
        }
        c.call("CONFIG", "SET", "notify-keyspace-events", "");
        return events;
      }
    }
  }

  @Nested
  class Standalone extends BothServers {
    Standalone() {
      super(false);
    }
  }

  @Nested
  class Cluster extends BothServers {
    Cluster() {
      super(true);
    }
  }
}
