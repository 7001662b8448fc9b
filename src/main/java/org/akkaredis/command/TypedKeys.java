package org.akkaredis.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.akkaredis.text.RedisNumbers;
import org.akkaredis.keyspace.Db;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceEvents;
import org.akkaredis.resp.Reply;

/**
 * What the hash, list, set and sorted-set commands share: typed lookups that answer WRONGTYPE by throwing
 * {@link WrongType} (a command may read several keys before it changes anything), caught by {@link #keyed};
 * the *SCAN walk, the *MPOP arguments and the replies they have in common.
 */
final class TypedKeys {
  private TypedKeys() {}

  /** Thrown by a typed lookup that meets another type; carries no stack trace. */
  static final class WrongType extends RuntimeException {
    static final WrongType INSTANCE = new WrongType();

    private WrongType() {
      super("WRONGTYPE", null, false, false);
    }
  }

  /** A handler whose typed lookups may throw {@link WrongType}. */
  static Handler keyed(Handler.Keyed handler) {
    return (Handler.Keyed) (ctx, args) -> {
      try {
        return handler.run(ctx, args);
      } catch (WrongType e) {
        return Reply.WRONGTYPE;
      }
    };
  }

  /** The value of a key if it is of {@code type}, null if the key is absent (counts a hit or miss). */
  static <T> T read(Db db, byte[] key, Class<T> type) {
    return valueOf(db.lookup(new Key(key)), type);
  }

  /** As {@link #read} for a write: refreshes the access time but counts no hit or miss (lookupKeyWrite). */
  static <T> T write(Db db, byte[] key, Class<T> type) {
    Entry entry = db.peek(new Key(key));
    if (entry != null) entry.lastAccess(db.now());
    return valueOf(entry, type);
  }

  private static <T> T valueOf(Entry entry, Class<T> type) {
    if (entry == null) return null;
    if (!type.isInstance(entry.value)) throw WrongType.INSTANCE;
    return type.cast(entry.value);
  }

  /** After an in-place change: deletes the key when the value became empty, else reports the change (WATCH). */
  static void changed(Db db, byte[] key, boolean empty) {
    if (empty) db.delete(new Key(key));
    else db.modified(new Key(key));
  }

  /**
   * As {@link #changed(Db, byte[], boolean)}, then the keyspace events Redis sends: {@code event} of class
   * {@code type}, and "del" when the key went with its last element.
   */
  static void changed(Db db, byte[] key, boolean empty, int type, String event) {
    changed(db, key, empty);
    db.notify(type, event, key);
    if (empty) db.notify(KeyspaceEvents.GENERIC, "del", key);
  }

  /** Stores a value computed by a *STORE command: an empty one deletes the destination instead. */
  static void store(Db db, byte[] key, Object value, boolean empty) {
    if (empty) db.delete(new Key(key));
    else db.put(new Key(key), value);
  }

  /**
   * As {@link #store(Db, byte[], Object, boolean)}, then the keyspace events Redis sends: {@code event} of class
   * {@code type} for a stored value, "del" for an empty one that deleted the destination.
   */
  static void store(Db db, byte[] key, Object value, boolean empty, int type, String event) {
    if (empty) {
      if (db.delete(new Key(key))) db.notify(KeyspaceEvents.GENERIC, "del", key);
      return;
    }
    db.put(new Key(key), value);
    db.notify(type, event, key);
  }

  static final Reply MUST_BE_POSITIVE = Reply.error("ERR value is out of range, must be positive");
  static final Reply COUNT_OUT_OF_RANGE = Reply.error(
      "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
  static final Reply OUT_OF_RANGE = Reply.error("ERR value is out of range");
  static final Reply NUMKEYS_NOT_POSITIVE = Reply.error("ERR numkeys should be greater than 0");
  static final Reply NEGATIVE_LIMIT = Reply.error("ERR LIMIT can't be negative");
  /** {@code count} distinct positions out of {@code size}, in random order (a partial Fisher-Yates shuffle). */
  static int[] distinctPositions(int size, int count, Random random) {
    int[] positions = new int[size];
    for (int i = 0; i < size; i++) positions[i] = i;
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(size - i);
      int t = positions[i];
      positions[i] = positions[j];
      positions[j] = t;
    }
    return Arrays.copyOf(positions, count);
  }

  static final Reply COUNT_NOT_POSITIVE = Reply.error("ERR count should be greater than 0");

  /** Pops up to {@code count} from the first non-empty key among a[from..to), or answers null when all are empty. */
  interface MultiPop {
    Reply pop(Db db, byte[][] a, int from, int to, boolean first, long count, Consumer<byte[][]> effect);
  }

  /**
   * LMPOP's, ZMPOP's and their blocking forms' numkeys key... (first|second) [COUNT count]: the keys end at
   * {@code keysEnd} (the side argument), {@code first} is true for the first side.
   */
  record MpopArgs(int keysEnd, boolean first, long count) {
    /** Parsed with numkeys at {@code a[at]}: the MpopArgs, or the error Reply. */
    static Object parse(byte[][] a, int at, String first, String second) {
      Long numKeys = Args.parseLong(a[at]);
      if (numKeys == null || numKeys < 1) return NUMKEYS_NOT_POSITIVE;
      if (numKeys >= a.length - at - 1) return Reply.SYNTAX_ERROR;
      int where = at + 1 + numKeys.intValue();
      boolean firstSide;
      if (Args.is(a[where], first)) firstSide = true;
      else if (Args.is(a[where], second)) firstSide = false;
      else return Reply.SYNTAX_ERROR;
      long count = 1;
      boolean countSeen = false;
      for (int i = where + 1; i < a.length; i++) {
        if (Args.is(a[i], "count") && i + 1 < a.length && !countSeen) {
          Long parsed = Args.parseLong(a[++i]);
          if (parsed == null || parsed < 1) return COUNT_NOT_POSITIVE;
          count = parsed;
          countSeen = true;
        } else {
          return Reply.SYNTAX_ERROR;
        }
      }
      return new MpopArgs(where, firstSide, count);
    }
  }

  /** LMPOP and ZMPOP: numkeys key... side [COUNT count]; a nil array when every key is empty. */
  static Reply mpop(KeyedContext ctx, byte[][] a, String first, String second, MultiPop pop) {
    Object parsed = MpopArgs.parse(a, 1, first, second);
    if (parsed instanceof Reply error) return error;
    MpopArgs args = (MpopArgs) parsed;
    Reply popped = pop.pop(ctx.db(), a, 2, args.keysEnd(), args.first(), args.count(), ctx::propagate);
    return popped == null ? Reply.NULL_ARRAY : popped;
  }

  static final Reply INVALID_CURSOR = Reply.error("ERR invalid cursor");
  static final Reply EMPTY_SCAN = Reply.array(Reply.bulk("0"), Reply.EMPTY_ARRAY);

  /** One step of a collection's walk: adds the members visited from {@code cursor} and answers the next cursor. */
  interface ScanStep<T> {
    long visit(T value, long cursor, long count, List<Key> visited);
  }

  /** What a visited member that MATCH lets through adds to the reply: itself, and its value or score if any. */
  interface ScanItem<T> {
    void add(T value, Key member, List<Reply> items);
  }

  /**
   * HSCAN, SSCAN and ZSCAN key cursor [MATCH pattern] [COUNT count], checked in Redis's order: the cursor, the
   * key (absent: an empty scan), then the options. A compact encoding answers all its members at once with
   * cursor 0; a hashtable is walked COUNT members at a time, and MATCH filters what was visited.
   */
  static <T> Reply scan(Db db, byte[][] a, Class<T> type, ScanStep<T> step, ScanItem<T> item) {
    Long cursor = RedisNumbers.parseScanCursor(a[2]);
    if (cursor == null) return INVALID_CURSOR;
    T value = read(db, a[1], type);
    if (value == null) return EMPTY_SCAN;
    ScanOptions options = ScanOptions.parse(a, 3);
    if (options == null) return Reply.SYNTAX_ERROR;
    if (options.count() < 0) return Reply.NOT_INTEGER;
    List<Key> visited = new ArrayList<>();
    long next = step.visit(value, cursor, options.count(), visited);
    List<Reply> items = new ArrayList<>(visited.size() * 2);
    for (Key member : visited) if (options.matches(member.bytes())) item.add(value, member, items);
    return Reply.array(Reply.bulk(Long.toUnsignedString(next)), Reply.array(items));
  }

  /**
   * SSCAN's and ZSCAN's [MATCH pattern] [COUNT count]; {@code count} is -1 when COUNT was no integer. Null on a
   * syntax error (an unknown option, a missing value, COUNT below 1).
   */
  record ScanOptions(long count, byte[] pattern) {
    static ScanOptions parse(byte[][] a, int from) {
      long count = 10;
      byte[] pattern = null;
      for (int i = from; i < a.length; i += 2) {
        boolean hasValue = i + 1 < a.length;
        if (Args.is(a[i], "count") && hasValue) {
          Long parsed = Args.parseLong(a[i + 1]);
          if (parsed == null) return new ScanOptions(-1, null);
          if (parsed < 1) return null;
          count = parsed;
        } else if (Args.is(a[i], "match") && hasValue) {
          byte[] p = a[i + 1];
          pattern = p.length == 1 && p[0] == '*' ? null : p;
        } else {
          return null;
        }
      }
      return new ScanOptions(count, pattern);
    }

    boolean matches(byte[] member) {
      return pattern == null || Args.globMatch(pattern, member, false);
    }
  }
}
