package org.akkaredis.command;

import java.util.Locale;
import java.util.Map;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.RedisHash;
import org.akkaredis.keyspace.RedisList;
import org.akkaredis.keyspace.RedisSet;
import org.akkaredis.keyspace.RedisZSet;
import org.akkaredis.text.RedisNumbers;

/**
 * DEBUG OBJECT's line, as Redis 7.0 writes it. What is exact: the encoding (OBJECT ENCODING's), refcount, lru (the
 * 24-bit seconds clock at the last access) and lru_seconds_idle. What is computed from the value as Redis would
 * store it, so an approximation: "Value at" (an identity, not an address), serializedlength (the RDB length
 * without LZF compression, which Redis applies to strings over 20 bytes) and, for lists, the ql_ fields (as if the
 * elements had been pushed one by one at the tail into listpack nodes sized by list-max-listpack-size).
 */
final class ObjectReport {
  private ObjectReport() {}

  /** Redis's LRU clock: seconds, 24 bits. */
  private static final long LRU_CLOCK_MAX = (1 << 24) - 1;
  /** Bytes a listpack node may hold for list-max-listpack-size -1 .. -5. */
  private static final int[] NODE_BYTES = {4096, 8192, 16384, 32768, 65536};
  /** Redis's cap on a node's bytes when the fill is a count. */
  private static final int SIZE_SAFETY_LIMIT = 8192;
  private static final int LISTPACK_HEADER = 6;
  private static final int LISTPACK_END = 1;

  static String line(Entry entry, long nowMs, Settings settings) {
    String encoding = KeyCommands.encodingOf(entry);
    long refcount = entry.value instanceof byte[] ? StringCommands.refcount(entry) : 1;
    long lru = (entry.lastAccess() / 1000) & LRU_CLOCK_MAX;
    long idle = Math.max(0, nowMs - entry.lastAccess()) / 1000;
    StringBuilder line = new StringBuilder()
        .append("Value at:0x").append(Integer.toHexString(System.identityHashCode(entry.value)))
        .append(" refcount:").append(refcount)
        .append(" encoding:").append(encoding)
        .append(" serializedlength:").append(serializedLength(entry, encoding, settings))
        .append(" lru:").append(lru)
        .append(" lru_seconds_idle:").append(idle);
    if (entry.value instanceof RedisList list) {
      int fill = (int) settings.longValue("list-max-listpack-size");
      Quicklist ql = quicklist(list, fill);
      line.append(" ql_nodes:").append(ql.nodes)
          .append(" ql_avg_node:").append(String.format(Locale.ROOT, "%.2f", (double) list.size() / ql.nodes))
          .append(" ql_listpack_max:").append(fill)
          .append(" ql_compressed:").append(settings.longValue("list-compress-depth") != 0 ? 1 : 0)
          .append(" ql_uncompressed_size:").append(ql.bytes);
    }
    return line.toString();
  }

  // ---- RDB lengths (rdbSavedObjectLen, without compression) ----

  static long serializedLength(Entry entry, String encoding, Settings settings) {
    Object value = entry.value;
    // A stream is saved as it is kept: its payload without the type byte and the footer.
    if (value instanceof org.akkaredis.keyspace.RedisStream) {
      return org.akkaredis.persistence.DumpPayload.of(value).length - 11;
    }
    if (value instanceof byte[] string) return rdbString(string);
    if (value instanceof RedisList list) {
      Quicklist ql = quicklist(list, (int) settings.longValue("list-max-listpack-size"));
      // node count, then per node its container kind and its listpack as a string
      long total = rdbLength(ql.nodes);
      for (long nodeBytes : ql.nodeSizes) total += 1 + rdbLength(nodeBytes) + nodeBytes;
      return total;
    }
    if (value instanceof RedisSet set) {
      if (set.isIntset()) {
        long width = 2;
        for (Key member : set.members()) width = Math.max(width, intsetWidth(Long.parseLong(member.toString())));
        long blob = 8 + width * set.size();
        return rdbLength(blob) + blob;
      }
      long total = rdbLength(set.size());
      for (Key member : set.members()) total += rdbString(member.bytes());
      return total;
    }
    if (value instanceof RedisZSet zset) {
      if (zset.isListpack()) {
        long blob = LISTPACK_HEADER + LISTPACK_END;
        for (RedisZSet.Node node = zset.first(); node != null; node = node.next()) {
          blob += listpackEntry(node.member.bytes())
              + listpackEntry(RedisNumbers.d2string(node.score).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return rdbLength(blob) + blob;
      }
      long total = rdbLength(zset.size());
      for (RedisZSet.Node node = zset.first(); node != null; node = node.next()) {
        total += rdbString(node.member.bytes()) + 8;
      }
      return total;
    }
    if (value instanceof RedisHash hash) {
      if (!hash.hashtable) {
        long blob = LISTPACK_HEADER + LISTPACK_END;
        for (Map.Entry<Key, byte[]> field : hash.fields.entrySet()) {
          blob += listpackEntry(field.getKey().bytes()) + listpackEntry(field.getValue());
        }
        return rdbLength(blob) + blob;
      }
      long total = rdbLength(hash.fields.size());
      for (Map.Entry<Key, byte[]> field : hash.fields.entrySet()) {
        total += rdbString(field.getKey().bytes()) + rdbString(field.getValue());
      }
      return total;
    }
    return 0;
  }

  /** rdbSaveLen's size. */
  static long rdbLength(long length) {
    if (length < (1 << 6)) return 1;
    if (length < (1 << 14)) return 2;
    if (length <= 0xFFFFFFFFL) return 5;
    return 9;
  }

  /** rdbSaveRawString's size: short integers as 8/16/32-bit values, other texts as length and bytes. */
  static long rdbString(byte[] text) {
    if (text.length <= 11) {
      Long integer = RedisNumbers.string2ll(text);
      if (integer != null) {
        long v = integer;
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) return 2;
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) return 3;
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return 5;
      }
    }
    return rdbLength(text.length) + text.length;
  }

  private static long intsetWidth(long v) {
    if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) return 2;
    if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return 4;
    return 8;
  }

  /** A listpack entry's bytes: its encoding and data, then the back length. */
  static long listpackEntry(byte[] element) {
    long encoded;
    Long integer = element.length <= 20 ? RedisNumbers.string2ll(element) : null;
    if (integer != null) {
      long v = integer;
      if (v >= 0 && v <= 127) encoded = 1;
      else if (v >= -4096 && v <= 4095) encoded = 2;
      else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) encoded = 3;
      else if (v >= -(1 << 23) && v <= (1 << 23) - 1) encoded = 4;
      else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) encoded = 5;
      else encoded = 9;
    } else if (element.length < 64) {
      encoded = 1 + element.length;
    } else if (element.length < 4096) {
      encoded = 2 + element.length;
    } else {
      encoded = 5L + element.length;
    }
    long back = encoded < 128 ? 1 : encoded < 16384 ? 2 : encoded < 2097152 ? 3 : encoded < 268435456 ? 4 : 5;
    return encoded + back;
  }

  // ---- quicklist estimate ----

  record Quicklist(int nodes, long bytes, long[] nodeSizes) {}

  /** The nodes the list's elements would fill, pushed one by one at the tail (an empty list has one node). */
  static Quicklist quicklist(RedisList list, int fill) {
    java.util.ArrayList<Long> sizes = new java.util.ArrayList<>();
    long nodeBytes = LISTPACK_HEADER + LISTPACK_END;
    int nodeCount = 0;
    for (int i = 0; i < list.size(); i++) {
      long entryBytes = listpackEntry(list.get(i));
      if (nodeCount > 0 && !fits(nodeBytes + entryBytes, nodeCount + 1, fill)) {
        sizes.add(nodeBytes);
        nodeBytes = LISTPACK_HEADER + LISTPACK_END;
        nodeCount = 0;
      }
      nodeBytes += entryBytes;
      nodeCount++;
    }
    if (nodeCount > 0 || sizes.isEmpty()) sizes.add(nodeBytes);
    long total = 0;
    long[] each = new long[sizes.size()];
    for (int i = 0; i < each.length; i++) {
      each[i] = sizes.get(i);
      total += each[i];
    }
    return new Quicklist(each.length, total, each);
  }

  private static boolean fits(long bytes, int count, int fill) {
    if (fill >= 0) return count <= Math.max(1, fill) && bytes <= SIZE_SAFETY_LIMIT;
    int level = Math.min(-fill, NODE_BYTES.length) - 1;
    return bytes <= NODE_BYTES[level];
  }
}
