package org.akkaredis.command;

import static org.akkaredis.command.TypedKeys.keyed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.akkaredis.keyspace.Db;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceEvents;
import org.akkaredis.keyspace.PartialQuickSort;
import org.akkaredis.keyspace.RedisHash;
import org.akkaredis.keyspace.RedisList;
import org.akkaredis.keyspace.RedisSet;
import org.akkaredis.keyspace.RedisZSet;
import org.akkaredis.resp.Reply;
import org.akkaredis.text.SortNumber;

/**
 * SORT and SORT_RO (Redis 7.0 sort.c) on lists, sets and sorted sets: BY (a pattern, or a constant that means no
 * sorting), LIMIT, GET (a pattern, {@code #}, {@code key->field}), ASC/DESC, ALPHA and STORE. Elements are loaded
 * in Redis's order and sorted as Redis sorts them: stably (glibc's qsort is a merge sort), or with Redis's partial
 * quicksort when BY and LIMIT leave part of the result out. In cluster mode a BY pattern and any GET are refused as
 * Redis 7.0 refuses them; in standalone mode the keys the patterns name may lie in any range, so the command then
 * runs holding every range ({@link KeyFinder#readsPatternKeys}).
 */
public final class SortCommand {
  private SortCommand() {}

  private static final Reply BY_IN_CLUSTER = Reply.error("ERR BY option of SORT denied in Cluster mode.");
  private static final Reply GET_IN_CLUSTER = Reply.error("ERR GET option of SORT denied in Cluster mode.");
  private static final Reply NOT_DOUBLE = Reply.error("ERR One or more scores can't be converted into double");

  public static void register(CommandTable.Builder b) {
    b.handle("sort", keyed((ctx, a) -> sort(ctx, a, false)));
    b.handle("sort_ro", keyed((ctx, a) -> sort(ctx, a, true)));
  }

  /** One element to sort: the element, its numeric weight, and its BY value for ALPHA (null when missing). */
  private static final class Item {
    final byte[] element;
    double score;
    byte[] compared;

    Item(byte[] element) {
      this.element = element;
    }
  }

  private static Reply sort(KeyedContext ctx, byte[][] a, boolean readonly) {
    Db db = ctx.db();
    boolean cluster = db.settings().clusterEnabled();
    boolean desc = false;
    boolean alpha = false;
    long limitStart = 0;
    long limitCount = -1;
    boolean dontSort = false;
    byte[] sortBy = null;
    byte[] storeKey = null;
    List<byte[]> gets = new ArrayList<>();
    for (int j = 2; j < a.length; j++) {
      int left = a.length - j - 1;
      if (Args.is(a[j], "asc")) {
        desc = false;
      } else if (Args.is(a[j], "desc")) {
        desc = true;
      } else if (Args.is(a[j], "alpha")) {
        alpha = true;
      } else if (Args.is(a[j], "limit") && left >= 2) {
        Long start = Args.parseLong(a[j + 1]);
        if (start == null) return Reply.NOT_INTEGER;
        limitStart = start;
        Long count = Args.parseLong(a[j + 2]);
        if (count == null) return Reply.NOT_INTEGER;
        limitCount = count;
        j += 2;
      } else if (!readonly && Args.is(a[j], "store") && left >= 1) {
        storeKey = a[++j];
      } else if (Args.is(a[j], "by") && left >= 1) {
        sortBy = a[j + 1];
        if (indexOf(sortBy, (byte) '*', 0) < 0) {
          dontSort = true;
        } else if (cluster) {
          return BY_IN_CLUSTER;
        }
        j++;
      } else if (Args.is(a[j], "get") && left >= 1) {
        if (cluster) return GET_IN_CLUSTER;
        gets.add(a[++j]);
      } else {
        return Reply.SYNTAX_ERROR;
      }
    }

    Entry entry = db.lookup(new Key(a[1]));
    Object value = entry == null ? null : entry.value;
    if (value != null && !(value instanceof RedisSet || value instanceof RedisList || value instanceof RedisZSet)) {
      return Reply.WRONGTYPE;
    }
    if (value == null) value = new RedisList();
    // A set has no order of its own: when its elements are stored or go to a script they are sorted (by
    // themselves, ALPHA).
    if (dontSort && value instanceof RedisSet && (storeKey != null || ctx.session().scriptClient)) {
      dontSort = false;
      alpha = true;
      sortBy = null;
    }
    // Redis converts a listpack sorted set to a skiplist for SORT, for good.
    if (value instanceof RedisZSet zset) zset.fitEncoding(0, 0);

    int length = value instanceof RedisList list ? list.size()
        : value instanceof RedisSet set ? set.size() : ((RedisZSet) value).size();
    long start = Math.min(Math.max(limitStart, 0), length);
    limitCount = Math.min(Math.max(limitCount, -1), length);
    long end = limitCount < 0 ? length - 1 : start + limitCount - 1;
    if (start >= length) {
      start = length - 1;
      end = length - 2;
    }
    if (end >= length) end = length - 1;
    int vectorLength = length;
    if (!(value instanceof RedisSet) && dontSort && (start != 0 || end != length - 1)) {
      vectorLength = (int) (end - start + 1);
    }

    Item[] vector = new Item[vectorLength];
    if (value instanceof RedisList list) {
      if (dontSort) {
        if (end >= start) {
          int from = (int) (desc ? list.size() - start - 1 : start);
          for (int j = 0; j < vectorLength; j++) vector[j] = new Item(list.get(desc ? from - j : from + j));
          end -= start;
          start = 0;
        }
      } else {
        for (int j = 0; j < vectorLength; j++) vector[j] = new Item(list.get(j));
      }
    } else if (value instanceof RedisSet set) {
      int j = 0;
      for (Key member : set.members()) vector[j++] = new Item(member.bytes());
    } else {
      RedisZSet zset = (RedisZSet) value;
      if (dontSort) {
        RedisZSet.Node node = desc ? zset.byRank(zset.size() - 1 - start) : zset.byRank(start);
        for (int j = 0; j < vectorLength; j++) {
          vector[j] = new Item(node.member.bytes());
          node = desc ? node.prev() : node.next();
        }
        end -= start;
        start = 0;
      } else {
        int j = 0;
        for (RedisZSet.Node node = zset.first(); node != null; node = node.next()) {
          vector[j++] = new Item(node.member.bytes());
        }
      }
    }

    boolean conversionError = false;
    if (!dontSort) {
      for (Item item : vector) {
        byte[] by = sortBy == null ? item.element : lookupByPattern(db, sortBy, item.element);
        if (by == null) continue;
        if (alpha) {
          if (sortBy != null) item.compared = by;
        } else {
          Double score = SortNumber.parse(by);
          if (score == null) conversionError = true;
          else item.score = score;
        }
      }
      Comparator<Item> order = comparator(alpha, sortBy != null, storeKey != null);
      if (desc) order = order.reversed();
      if (sortBy != null && (start != 0 || end != vectorLength - 1)) {
        PartialQuickSort.sort(vector, order, (int) start, (int) end);
      } else {
        Arrays.sort(vector, order);
      }
    }

    long outputLength = gets.isEmpty() ? end - start + 1 : gets.size() * (end - start + 1);
    if (conversionError) return NOT_DOUBLE;
    if (storeKey == null) {
      List<Reply> out = new ArrayList<>((int) Math.max(outputLength, 0));
      for (long j = start; j <= end; j++) {
        byte[] element = vector[(int) j].element;
        if (gets.isEmpty()) out.add(Reply.bulk(element));
        for (byte[] get : gets) out.add(Reply.bulk(lookupByPattern(db, get, element)));
      }
      return Reply.array(out);
    }
    RedisList stored = new RedisList();
    for (long j = start; j <= end; j++) {
      byte[] element = vector[(int) j].element;
      if (gets.isEmpty()) stored.push(false, element);
      for (byte[] get : gets) {
        byte[] found = lookupByPattern(db, get, element);
        stored.push(false, found == null ? new byte[0] : found);
      }
    }
    TypedKeys.store(db, storeKey, stored, outputLength == 0, KeyspaceEvents.LIST, "sortstore");
    return Reply.integer(outputLength);
  }

  /** sortCompare: numeric (ties by the elements' bytes), or ALPHA by the elements or by their BY values. */
  private static Comparator<Item> comparator(boolean alpha, boolean byPattern, boolean store) {
    if (!alpha) {
      return (x, y) -> x.score > y.score ? 1 : x.score < y.score ? -1 : Arrays.compareUnsigned(x.element, y.element);
    }
    // Redis compares with strcoll when it replies, memcmp when it stores; the node's locale is C, where strcoll is
    // strcmp: the bytes up to the first NUL.
    Comparator<byte[]> text = store ? Arrays::compareUnsigned : SortCommand::strcmp;
    if (!byPattern) return (x, y) -> text.compare(x.element, y.element);
    return (x, y) -> {
      if (x.compared == null || y.compared == null) {
        return x.compared == y.compared ? 0 : x.compared == null ? -1 : 1;
      }
      return text.compare(x.compared, y.compared);
    };
  }

  private static int strcmp(byte[] x, byte[] y) {
    for (int i = 0; ; i++) {
      int cx = i < x.length ? x[i] & 0xff : 0;
      int cy = i < y.length ? y[i] & 0xff : 0;
      if (cx != cy || cx == 0) return cx - cy;
    }
  }

  /**
   * lookupKeyByPattern: "#" is the element itself; otherwise the first '*' is replaced by the element and the key
   * read, a string, or with "->field" after the '*' a hash's field. Null when there is no '*', no such key, or
   * the key holds another type.
   */
  static byte[] lookupByPattern(Db db, byte[] pattern, byte[] element) {
    if (pattern.length > 0 && pattern[0] == '#' && (pattern.length == 1 || pattern[1] == 0)) return element;
    int cLength = cLength(pattern);
    int star = indexOf(pattern, (byte) '*', 0);
    if (star < 0 || star >= cLength) return null;
    int arrow = -1;
    for (int i = star + 1; i + 1 < cLength; i++) {
      if (pattern[i] == '-' && pattern[i + 1] == '>') {
        arrow = i;
        break;
      }
    }
    int fieldLength = 0;
    if (arrow >= 0 && arrow + 2 < cLength) fieldLength = pattern.length - arrow - 2;
    int postfixLength = pattern.length - (star + 1) - (fieldLength > 0 ? fieldLength + 2 : 0);
    byte[] key = new byte[star + element.length + postfixLength];
    System.arraycopy(pattern, 0, key, 0, star);
    System.arraycopy(element, 0, key, star, element.length);
    System.arraycopy(pattern, star + 1, key, star + element.length, postfixLength);
    Entry found = db.lookup(new Key(key));
    if (found == null) return null;
    if (fieldLength > 0) {
      if (!(found.value instanceof RedisHash hash)) return null;
      return hash.fields.get(new Key(Arrays.copyOfRange(pattern, pattern.length - fieldLength, pattern.length)));
    }
    return found.value instanceof byte[] bytes ? bytes : null;
  }

  private static int cLength(byte[] s) {
    int n = 0;
    while (n < s.length && s[n] != 0) n++;
    return n;
  }

  private static int indexOf(byte[] s, byte b, int from) {
    int end = cLength(s);
    for (int i = from; i < end; i++) if (s[i] == b) return i;
    return -1;
  }
}
