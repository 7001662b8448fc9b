package org.akkaredis.it.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How a differential step compares Redis's reply (expected) with the node's (actual). Byte-for-byte unless
 * the content legitimately differs between two correct servers; every other comparison names that reason.
 */
public interface Comparison {
  /** Null when the replies agree, else what differs. */
  String mismatch(RespReply expected, RespReply actual);

  /** As {@link #mismatch(RespReply, RespReply)}, for comparisons that need to know which servers replied. */
  default String mismatch(RespReply expected, RespReply actual, RedisEndpoint expectedServer,
                          RedisEndpoint actualServer) {
    return mismatch(expected, actual);
  }

  /** Why this step is not compared byte for byte; empty for exact steps. */
  default String reason() {
    return "";
  }

  /** The raw bytes must be identical. */
  static Comparison exact() {
    return Exact.INSTANCE;
  }

  /**
   * Both integers, equal when negative (-1 no TTL, -2 no key), else at most {@code tolerance} apart: a TTL
   * ticks between the two servers' replies.
   */
  static Comparison integerWithin(long tolerance, String reason) {
    return described(reason, (expected, actual) -> {
      if (expected.type != ':' || actual.type != ':') return exact().mismatch(expected, actual);
      long e = expected.integer();
      long a = actual.integer();
      if (e < 0 || a < 0) return e == a ? null : "expected " + e + ", got " + a;
      return Math.abs(e - a) <= tolerance ? null : "expected " + e + " (+-" + tolerance + "), got " + a;
    });
  }

  /** Same type and the same multiset of elements (each compared byte for byte), in any order. */
  static Comparison unordered(String reason) {
    return described(reason, (expected, actual) -> {
      if (expected.type != actual.type || !expected.isAggregate() || !actual.isAggregate()) {
        return exact().mismatch(expected, actual);
      }
      return sameMultiset(rawStrings(expected.elements()), rawStrings(actual.elements()));
    });
  }

  /**
   * A field/value reply (RESP2 flat array or RESP3 map, or RESP3 array of pairs) with the same pairs in any
   * order.
   */
  static Comparison unorderedPairs(String reason) {
    return described(reason, (expected, actual) -> {
      if (expected.type != actual.type || !expected.isAggregate() || !actual.isAggregate()) {
        return exact().mismatch(expected, actual);
      }
      return sameMultiset(pairs(expected), pairs(actual));
    });
  }

  /** Same type and length; every element (or the single reply) is one of {@code allowed}. */
  static Comparison membersOf(Set<String> allowed, String reason) {
    return described(reason, (expected, actual) -> {
      if (expected.type != actual.type) return exact().mismatch(expected, actual);
      String problem = allFrom(expected, allowed, "expected");
      if (problem != null) return "the harness is wrong: " + problem;
      if (expected.isAggregate() && expected.elements().size() != actual.elements().size()) {
        return "expected " + expected.elements().size() + " elements, got " + actual.elements().size();
      }
      return allFrom(actual, allowed, "actual");
    });
  }

  /** A reply of (field, value) pairs taken at random, possibly repeating, from {@code hash}. */
  static Comparison randomPairsOf(Map<String, String> hash, String reason) {
    return described(reason, (expected, actual) -> {
      if (expected.type != actual.type || !actual.isAggregate()) return exact().mismatch(expected, actual);
      List<String> got = pairs(actual);
      if (got.size() != pairs(expected).size()) {
        return "expected " + pairs(expected).size() + " pairs, got " + got.size();
      }
      for (String pair : got) {
        if (!pairs(hash).contains(pair)) return "pair " + pair + " is not in the hash " + hash;
      }
      return null;
    });
  }

  /** Both the same type; the values are allowed to differ (a connection id, say). */
  static Comparison sameType(String reason) {
    return described(reason, (expected, actual) -> expected.type == actual.type ? null
        : "expected a reply of type '" + expected.type + "', got " + actual);
  }

  /** A map-like reply (RESP2 flat array or RESP3 map) equal apart from the values of {@code keys}. */
  static Comparison mapIgnoringValuesOf(Set<String> keys, String reason) {
    return described(reason, (expected, actual) -> {
      if (expected.type != actual.type || !actual.isAggregate()) return exact().mismatch(expected, actual);
      List<String> e = maskedPairs(expected, keys);
      List<String> a = maskedPairs(actual, keys);
      return e.equals(a) ? null : "expected " + e + ", got " + a;
    });
  }

  /**
   * An INFO-style bulk of {@code name:value} lines (or a CLIENT INFO line of {@code name=value} words): the
   * same field names, and equal values for {@code comparedFields}; the other values are the server's own
   * (uptime, memory, ports, ids).
   */
  static Comparison fields(char separator, Set<String> comparedFields, String reason) {
    return fields(separator, comparedFields, Set.of(), reason);
  }

  /** As {@link #fields(char, Set, String)}; {@code leftOut} are Redis's fields the node leaves out by design. */
  static Comparison fields(char separator, Set<String> comparedFields, Set<String> leftOut, String reason) {
    return described(reason, (expected, actual) -> {
      if (expected.type != actual.type || expected.isNull() || actual.isNull() || expected.isError()) {
        return exact().mismatch(expected, actual);
      }
      Map<String, String> e = parseFields(expected.text(), separator);
      Map<String, String> a = parseFields(actual.text(), separator);
      List<String> missing = new ArrayList<>();
      for (String name : e.keySet()) if (!a.containsKey(name) && !leftOut.contains(name)) missing.add(name);
      List<String> extra = new ArrayList<>();
      for (String name : a.keySet()) if (!e.containsKey(name)) extra.add(name);
      if (!missing.isEmpty() || !extra.isEmpty()) return "fields missing: " + missing + "; fields extra: " + extra;
      for (String name : comparedFields) {
        if (!String.valueOf(e.get(name)).equals(String.valueOf(a.get(name)))) {
          return "field " + name + ": expected " + e.get(name) + ", got " + a.get(name);
        }
      }
      return null;
    });
  }

  /** INFO keyspace: exact except avg_ttl, an estimate Redis keeps by sampling. */
  static Comparison keyspaceInfo(String reason) {
    return described(reason, (expected, actual) -> {
      if (expected.type != actual.type || expected.isError()) return exact().mismatch(expected, actual);
      String e = expected.text().replaceAll("avg_ttl=\\d+", "avg_ttl=*");
      String a = actual.text().replaceAll("avg_ttl=\\d+", "avg_ttl=*");
      return e.equals(a) ? null : "expected \"" + e + "\", got \"" + a + "\"";
    });
  }

  /**
   * Exact after replacing, in each reply, that server's own client port, bus port and 40-hex node ids with
   * placeholders (CLUSTER NODES, SLOTS, SHARDS, MYID). Both servers' ports have as many digits (the OS hands
   * out five-digit ephemeral ports), so bulk lengths stay comparable.
   */
  static Comparison ownAddresses(String reason) {
    return new Comparison() {
      @Override
      public String mismatch(RespReply expected, RespReply actual) {
        throw new IllegalStateException("needs the servers");
      }

      @Override
      public String mismatch(RespReply expected, RespReply actual, RedisEndpoint expectedServer,
                             RedisEndpoint actualServer) {
        String e = normalizeAddresses(expected, expectedServer);
        String a = normalizeAddresses(actual, actualServer);
        if (e.equals(a)) return null;
        int at = 0;
        while (at < e.length() && at < a.length() && e.charAt(at) == a.charAt(at)) at++;
        return "after replacing ports and ids, they differ from character " + at + " on: expected \"..."
            + e.substring(Math.max(0, at - 20), Math.min(e.length(), at + 100)) + "\", got \"..."
            + a.substring(Math.max(0, at - 20), Math.min(a.length(), at + 100)) + "\"";
      }

      @Override
      public String reason() {
        return reason;
      }
    };
  }

  private static String normalizeAddresses(RespReply reply, RedisEndpoint server) {
    String text = reply.escaped(Integer.MAX_VALUE).replaceAll("[0-9a-f]{40}", "<node-id>");
    text = replaceNumber(text, server.port(), "<port>");
    return server.busPort() == 0 ? text : replaceNumber(text, server.busPort(), "<bus-port>");
  }

  /** Replaces {@code number} where it is not part of a longer number. */
  private static String replaceNumber(String text, int number, String placeholder) {
    return text.replaceAll("(?<![0-9])" + number + "(?![0-9])", placeholder);
  }

  static Comparison described(String reason, Comparison comparison) {
    return new Comparison() {
      @Override
      public String mismatch(RespReply expected, RespReply actual) {
        return comparison.mismatch(expected, actual);
      }

      @Override
      public String reason() {
        return reason;
      }
    };
  }

  /** Null when both hold the same items as often; else which items only one of them has. */
  private static String sameMultiset(List<String> expected, List<String> actual) {
    Map<String, Integer> e = counts(expected);
    Map<String, Integer> a = counts(actual);
    if (e.equals(a)) return null;
    List<String> missing = new ArrayList<>();
    List<String> extra = new ArrayList<>();
    for (Map.Entry<String, Integer> item : new TreeMap<>(e).entrySet()) {
      int surplus = item.getValue() - a.getOrDefault(item.getKey(), 0);
      if (surplus > 0) missing.add(surplus + " x " + cut(item.getKey()));
    }
    for (Map.Entry<String, Integer> item : new TreeMap<>(a).entrySet()) {
      int surplus = item.getValue() - e.getOrDefault(item.getKey(), 0);
      if (surplus > 0) extra.add(surplus + " x " + cut(item.getKey()));
    }
    return "(compared in any order) missing from the node's reply: " + missing + "; only in the node's reply: "
        + extra;
  }

  private static String cut(String text) {
    return text.length() <= 120 ? text : text.substring(0, 120) + "...";
  }

  private static Map<String, Integer> counts(Collection<String> items) {
    Map<String, Integer> counts = new HashMap<>();
    for (String item : items) counts.merge(item, 1, Integer::sum);
    return counts;
  }

  private static List<String> rawStrings(List<RespReply> replies) {
    List<String> raw = new ArrayList<>();
    for (RespReply reply : replies) raw.add(reply.escaped(Integer.MAX_VALUE));
    return raw;
  }

  /** "field=value" for each pair of a flat array, a map, or an array of two-element arrays. */
  private static List<String> pairs(RespReply reply) {
    List<String> pairs = new ArrayList<>();
    List<RespReply> elements = reply.elements();
    if (!elements.isEmpty() && elements.get(0).isAggregate()) {
      for (RespReply pair : elements) pairs.add(pair.get(0).escaped(1000) + "=" + pair.get(1).escaped(1000));
      return pairs;
    }
    for (int i = 0; i + 1 < elements.size(); i += 2) {
      pairs.add(elements.get(i).escaped(1000) + "=" + elements.get(i + 1).escaped(1000));
    }
    if (elements.size() % 2 != 0) pairs.add("(odd element) " + elements.get(elements.size() - 1).escaped(1000));
    return pairs;
  }

  private static List<String> pairs(Map<String, String> hash) {
    List<String> pairs = new ArrayList<>();
    hash.forEach((field, value) -> pairs.add(bulk(field) + "=" + bulk(value)));
    return pairs;
  }

  private static String bulk(String text) {
    return RespReply.escape(("$" + text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n" + text
        + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), 1000);
  }

  private static List<String> maskedPairs(RespReply reply, Set<String> keys) {
    List<String> masked = new ArrayList<>();
    List<RespReply> elements = reply.elements();
    for (int i = 0; i + 1 < elements.size(); i += 2) {
      String key = elements.get(i).isNull() ? "" : elements.get(i).text();
      String value = keys.contains(key) ? "<" + elements.get(i + 1).type + " any>" : elements.get(i + 1).escaped(1000);
      masked.add(key + "=" + value);
    }
    return masked;
  }

  private static String allFrom(RespReply reply, Set<String> allowed, String side) {
    List<RespReply> items = reply.isAggregate() ? reply.elements() : List.of(reply);
    for (RespReply item : items) {
      if (item.isNull() || item.isAggregate() || !allowed.contains(item.text())) {
        return side + " element " + item + " is not one of " + allowed;
      }
    }
    return null;
  }

  private static Map<String, String> parseFields(String text, char separator) {
    Map<String, String> fields = new TreeMap<>();
    for (String line : text.split(separator == '=' ? "[ \r\n]+" : "\r\n")) {
      if (line.isEmpty() || line.startsWith("#")) continue;
      int at = line.indexOf(separator);
      if (at < 0) fields.put(line, "");
      else fields.put(line.substring(0, at), line.substring(at + 1));
    }
    return fields;
  }

  /**
   * COMMAND INFO: every entry exact except the order of a container's subcommands, which redis-server lists
   * in the order of a hash table with a per-process random seed.
   */
  static Comparison commandInfo(String reason) {
    return described(reason, (expected, actual) -> {
      if (expected.type != actual.type || !expected.isAggregate() || !actual.isAggregate()
          || expected.elements().size() != actual.elements().size()) {
        return exact().mismatch(expected, actual);
      }
      for (int i = 0; i < expected.elements().size(); i++) {
        RespReply e = expected.get(i);
        RespReply a = actual.get(i);
        String problem = sameCommandEntry(e, a);
        if (problem != null) return "entry " + i + ": " + problem;
      }
      return null;
    });
  }

  private static String sameCommandEntry(RespReply expected, RespReply actual) {
    boolean entries = expected.isAggregate() && actual.isAggregate() && expected.elements().size() == 10
        && actual.elements().size() == 10;
    if (!entries) return exact().mismatch(expected, actual);
    for (int field = 0; field < 9; field++) {
      String problem = exact().mismatch(expected.get(field), actual.get(field));
      if (problem != null) return "field " + field + " of " + expected.get(0) + ": " + problem;
    }
    return unordered("").mismatch(expected.get(9), actual.get(9));
  }

  /** Byte-for-byte. */
  final class Exact implements Comparison {
    static final Exact INSTANCE = new Exact();
    private static final int CONTEXT = 80;

    @Override
    public String mismatch(RespReply expected, RespReply actual) {
      if (expected.rawEquals(actual)) return null;
      byte[] e = expected.raw();
      byte[] a = actual.raw();
      int at = 0;
      while (at < e.length && at < a.length && e[at] == a[at]) at++;
      return "the raw replies differ from byte " + at + " on: expected \"..." + excerpt(e, at) + "\", got \"..."
          + excerpt(a, at) + "\"";
    }

    private static String excerpt(byte[] bytes, int at) {
      int from = Math.max(0, at - 20);
      int to = Math.min(bytes.length, at + CONTEXT);
      return RespReply.escape(java.util.Arrays.copyOfRange(bytes, from, to), 4 * CONTEXT)
          + (to < bytes.length ? "..." : "");
    }
  }
}
