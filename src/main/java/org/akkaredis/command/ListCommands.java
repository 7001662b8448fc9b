package org.akkaredis.command;

import static org.akkaredis.command.TypedKeys.keyed;
import static org.akkaredis.command.TypedKeys.read;
import static org.akkaredis.command.TypedKeys.write;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.akkaredis.keyspace.Db;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceEvents;
import org.akkaredis.keyspace.RedisList;
import org.akkaredis.resp.Reply;

/** The list commands (Redis 7.0 t_list.c). */
public final class ListCommands {
  private ListCommands() {}

  private static final Reply NO_SUCH_KEY = Reply.error("ERR no such key");
  private static final Reply INDEX_OUT_OF_RANGE = Reply.error("ERR index out of range");
  private static final Reply RANK_ZERO = Reply.error("ERR RANK can't be zero: use 1 to start from the first match, 2"
      + " from the second ... or use negative to start from the end of the list");
  private static final Reply NEGATIVE_COUNT = Reply.error("ERR COUNT can't be negative");
  private static final Reply NEGATIVE_MAXLEN = Reply.error("ERR MAXLEN can't be negative");
  private static final Reply MINUS_ONE = Reply.integer(-1);

  public static void register(CommandTable.Builder b) {
    b.handle("lpush", keyed((ctx, a) -> push(ctx, a, true, false)));
    b.handle("rpush", keyed((ctx, a) -> push(ctx, a, false, false)));
    b.handle("lpushx", keyed((ctx, a) -> push(ctx, a, true, true)));
    b.handle("rpushx", keyed((ctx, a) -> push(ctx, a, false, true)));
    b.handle("lpop", keyed((ctx, a) -> pop(ctx, a, true)));
    b.handle("rpop", keyed((ctx, a) -> pop(ctx, a, false)));
    b.handle("llen", keyed(ListCommands::llen));
    b.handle("lrange", keyed(ListCommands::lrange));
    b.handle("lindex", keyed(ListCommands::lindex));
    b.handle("lset", keyed(ListCommands::lset));
    b.handle("linsert", keyed(ListCommands::linsert));
    b.handle("lrem", keyed(ListCommands::lrem));
    b.handle("ltrim", keyed(ListCommands::ltrim));
    b.handle("lpos", keyed(ListCommands::lpos));
    b.handle("lmove", keyed((ctx, a) -> {
      Boolean from = side(a[3]);
      Boolean to = side(a[4]);
      return from == null || to == null ? Reply.SYNTAX_ERROR : move(ctx.db(), a[1], a[2], from, to);
    }));
    b.handle("rpoplpush", keyed((ctx, a) -> move(ctx.db(), a[1], a[2], false, true)));
    b.handle("lmpop", keyed(ListCommands::lmpop));
  }

  /** LEFT is true, RIGHT false, anything else null. */
  static Boolean side(byte[] arg) {
    if (Args.is(arg, "left")) return Boolean.TRUE;
    if (Args.is(arg, "right")) return Boolean.FALSE;
    return null;
  }

  private static Reply push(KeyedContext ctx, byte[][] a, boolean left, boolean onlyIfExists) {
    Db db = ctx.db();
    RedisList list = write(db, a[1], RedisList.class);
    if (list == null && onlyIfExists) return Reply.ZERO;
    boolean created = list == null;
    if (created) list = new RedisList();
    for (int i = 2; i < a.length; i++) list.push(left, a[i]);
    if (created) db.put(new Key(a[1]), list);
    else db.modified(new Key(a[1]));
    db.notify(KeyspaceEvents.LIST, left ? "lpush" : "rpush", a[1]);
    return Reply.integer(list.size());
  }

  /** Pops up to {@code count} elements from one end, deleting the key when the list empties. */
  static List<Reply> popMany(Db db, byte[] key, RedisList list, boolean left, long count) {
    int n = (int) Math.min(count, list.size());
    List<Reply> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) items.add(Reply.bulk(list.pop(left)));
    TypedKeys.changed(db, key, list.size() == 0, KeyspaceEvents.LIST, left ? "lpop" : "rpop");
    return items;
  }

  private static Reply pop(KeyedContext ctx, byte[][] a, boolean left) {
    if (a.length > 3) return Reply.wrongArity(left ? "lpop" : "rpop");
    Long count = null;
    if (a.length == 3) {
      count = Args.parseLong(a[2]);
      if (count == null || count < 0) return TypedKeys.MUST_BE_POSITIVE;
    }
    Db db = ctx.db();
    RedisList list = write(db, a[1], RedisList.class);
    if (list == null) return count == null ? Reply.NULL : Reply.NULL_ARRAY;
    if (count == null) return popMany(db, a[1], list, left, 1).get(0);
    if (count == 0) return Reply.EMPTY_ARRAY;
    return Reply.array(popMany(db, a[1], list, left, count));
  }

  private static Reply llen(KeyedContext ctx, byte[][] a) {
    RedisList list = read(ctx.db(), a[1], RedisList.class);
    return Reply.integer(list == null ? 0 : list.size());
  }

  /** Redis's range clamping: {start, end} within the list, or null when the range is empty. */
  private static int[] range(long start, long end, int size) {
    if (start < 0) start += size;
    if (end < 0) end += size;
    if (start < 0) start = 0;
    if (start > end || start >= size) return null;
    if (end >= size) end = size - 1;
    return new int[] {(int) start, (int) end};
  }

  private static Reply lrange(KeyedContext ctx, byte[][] a) {
    Long start = Args.parseLong(a[2]);
    Long end = Args.parseLong(a[3]);
    if (start == null || end == null) return Reply.NOT_INTEGER;
    RedisList list = read(ctx.db(), a[1], RedisList.class);
    if (list == null) return Reply.EMPTY_ARRAY;
    int[] r = range(start, end, list.size());
    if (r == null) return Reply.EMPTY_ARRAY;
    List<Reply> items = new ArrayList<>(r[1] - r[0] + 1);
    for (int i = r[0]; i <= r[1]; i++) items.add(Reply.bulk(list.get(i)));
    return Reply.array(items);
  }

  private static Reply ltrim(KeyedContext ctx, byte[][] a) {
    Long start = Args.parseLong(a[2]);
    Long end = Args.parseLong(a[3]);
    if (start == null || end == null) return Reply.NOT_INTEGER;
    Db db = ctx.db();
    RedisList list = write(db, a[1], RedisList.class);
    if (list == null) return Reply.OK;
    int[] r = range(start, end, list.size());
    if (r == null) {
      TypedKeys.changed(db, a[1], true, KeyspaceEvents.LIST, "ltrim");
    } else {
      list.trim(r[0], r[1]);
      db.modified(new Key(a[1]));
      db.notify(KeyspaceEvents.LIST, "ltrim", a[1]);
    }
    return Reply.OK;
  }

  /** A list index (negative from the end) as a position, or -1 when outside the list. */
  private static int position(long index, int size) {
    if (index < 0) index += size;
    return index < 0 || index >= size ? -1 : (int) index;
  }

  private static Reply lindex(KeyedContext ctx, byte[][] a) {
    RedisList list = read(ctx.db(), a[1], RedisList.class);
    if (list == null) return Reply.NULL;
    Long index = Args.parseLong(a[2]);
    if (index == null) return Reply.NOT_INTEGER;
    int at = position(index, list.size());
    return at < 0 ? Reply.NULL : Reply.bulk(list.get(at));
  }

  private static Reply lset(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    RedisList list = write(db, a[1], RedisList.class);
    if (list == null) return NO_SUCH_KEY;
    Long index = Args.parseLong(a[2]);
    if (index == null) return Reply.NOT_INTEGER;
    int at = position(index, list.size());
    if (at < 0) return INDEX_OUT_OF_RANGE;
    list.set(at, a[3]);
    db.modified(new Key(a[1]));
    db.notify(KeyspaceEvents.LIST, "lset", a[1]);
    return Reply.OK;
  }

  private static Reply linsert(KeyedContext ctx, byte[][] a) {
    boolean after;
    if (Args.is(a[2], "after")) after = true;
    else if (Args.is(a[2], "before")) after = false;
    else return Reply.SYNTAX_ERROR;
    Db db = ctx.db();
    RedisList list = write(db, a[1], RedisList.class);
    if (list == null) return Reply.ZERO;
    for (int i = 0; i < list.size(); i++) {
      if (Arrays.equals(list.get(i), a[3])) {
        list.insert(after ? i + 1 : i, a[4]);
        db.modified(new Key(a[1]));
        db.notify(KeyspaceEvents.LIST, "linsert", a[1]);
        return Reply.integer(list.size());
      }
    }
    return MINUS_ONE;
  }

  private static Reply lrem(KeyedContext ctx, byte[][] a) {
    Long count = Args.parseLong(a[2]);
    if (count == null) return Reply.NOT_INTEGER;
    Db db = ctx.db();
    RedisList list = write(db, a[1], RedisList.class);
    if (list == null) return Reply.ZERO;
    int size = list.size();
    boolean fromTail = count < 0;
    long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count == Long.MIN_VALUE ? Long.MAX_VALUE : count);
    boolean[] gone = new boolean[size];
    long removed = 0;
    for (int n = 0; n < size && removed < limit; n++) {
      int i = fromTail ? size - 1 - n : n;
      if (Arrays.equals(list.get(i), a[3])) {
        gone[i] = true;
        removed++;
      }
    }
    if (removed == 0) return Reply.ZERO;
    int kept = 0;
    for (int i = 0; i < size; i++) if (!gone[i]) list.set(kept++, list.get(i));
    list.trim(0, kept - 1);
    TypedKeys.changed(db, a[1], kept == 0, KeyspaceEvents.LIST, "lrem");
    return Reply.integer(removed);
  }

  private static Reply lpos(KeyedContext ctx, byte[][] a) {
    long rank = 1;
    long count = -1;
    long maxlen = 0;
    for (int i = 3; i < a.length; i += 2) {
      if (i + 1 >= a.length) return Reply.SYNTAX_ERROR;
      Long value = Args.parseLong(a[i + 1]);
      if (Args.is(a[i], "rank")) {
        if (value == null) return Reply.NOT_INTEGER;
        if (value == 0) return RANK_ZERO;
        rank = value;
      } else if (Args.is(a[i], "count")) {
        if (value == null || value < 0) return NEGATIVE_COUNT;
        count = value;
      } else if (Args.is(a[i], "maxlen")) {
        if (value == null || value < 0) return NEGATIVE_MAXLEN;
        maxlen = value;
      } else {
        return Reply.SYNTAX_ERROR;
      }
    }
    RedisList list = read(ctx.db(), a[1], RedisList.class);
    if (list == null) return count >= 0 ? Reply.EMPTY_ARRAY : Reply.NULL;
    boolean fromTail = rank < 0;
    if (fromTail) rank = -rank;
    int size = list.size();
    List<Reply> found = new ArrayList<>();
    long matches = 0;
    for (int n = 0; n < size && (maxlen == 0 || n < maxlen); n++) {
      int i = fromTail ? size - 1 - n : n;
      if (!Arrays.equals(list.get(i), a[2])) continue;
      matches++;
      if (matches < rank) continue;
      if (count < 0) return Reply.integer(i);
      found.add(Reply.integer(i));
      if (count > 0 && found.size() >= count) break;
    }
    return count < 0 ? Reply.NULL : Reply.array(found);
  }

  /** LMOVE's core: pops from one end of the source and pushes to one end of the destination. */
  static Reply move(Db db, byte[] source, byte[] destination, boolean fromLeft, boolean toLeft) {
    RedisList from = write(db, source, RedisList.class);
    if (from == null) return Reply.NULL;
    RedisList to = write(db, destination, RedisList.class);
    byte[] value = from.pop(fromLeft);
    if (to == null) {
      to = new RedisList();
      to.push(toLeft, value);
      db.put(new Key(destination), to);
    } else {
      to.push(toLeft, value);
      db.modified(new Key(destination));
    }
    // As Redis: the push's event first, then the pop's (and the source's deletion).
    db.notify(KeyspaceEvents.LIST, toLeft ? "lpush" : "rpush", destination);
    if (from != to) {
      TypedKeys.changed(db, source, from.size() == 0, KeyspaceEvents.LIST, fromLeft ? "lpop" : "rpop");
    } else {
      db.notify(KeyspaceEvents.LIST, fromLeft ? "lpop" : "rpop", source);
    }
    return Reply.bulk(value);
  }

  private static Reply lmpop(KeyedContext ctx, byte[][] a) {
    return TypedKeys.mpop(ctx, a, "left", "right", ListCommands::mpop);
  }

  static final byte[] LPOP = Args.bytes("LPOP");
  static final byte[] RPOP = Args.bytes("RPOP");

  /**
   * [key, [elements]] from the first non-empty list among a[from..to), or null when all are empty. The effect,
   * as Redis 7.0 propagates it, is LPOP/RPOP key n with n the number of elements popped.
   */
  static Reply mpop(Db db, byte[][] a, int from, int to, boolean left, long count, Consumer<byte[][]> effect) {
    for (int i = from; i < to; i++) {
      RedisList list = write(db, a[i], RedisList.class);
      if (list == null) continue;
      List<Reply> items = popMany(db, a[i], list, left, count);
      effect.accept(new byte[][] {left ? LPOP : RPOP, a[i], Args.bytes(items.size())});
      return Reply.array(Reply.bulk(a[i]), Reply.array(items));
    }
    return null;
  }
}
