package org.akkaredis.command;

import static org.akkaredis.command.TypedKeys.keyed;
import static org.akkaredis.command.TypedKeys.read;
import static org.akkaredis.command.TypedKeys.write;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.akkaredis.text.LongDouble;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Db;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceEvents;
import org.akkaredis.keyspace.RedisHash;
import org.akkaredis.resp.Reply;

/**
 * The hash commands (Redis 7.0 t_hash.c). Field order is insertion order, as a listpack shows it; once a hash
 * is hashtable-encoded Redis shows hash-table order instead, which clients may not rely on.
 */
public final class HashCommands {
  private HashCommands() {}

  /** HRANDFIELD with a negative count repeats fields; beyond this many the reply would not fit in memory. */
  static final long MAX_REPEATED_PICKS = 1L << 24;

  private static final Reply OVERFLOW = Reply.error("ERR increment or decrement would overflow");
  private static final Reply HASH_NOT_INTEGER = Reply.error("ERR hash value is not an integer");
  private static final Reply HASH_NOT_FLOAT = Reply.error("ERR hash value is not a float");
  private static final Reply INCR_NAN_OR_INFINITY = Reply.error("ERR value is NaN or Infinity");
  private static final Reply RESULT_NAN_OR_INFINITY = Reply.error("ERR increment would produce NaN or Infinity");

  public static void register(CommandTable.Builder b) {
    b.handle("hset", keyed((ctx, args) -> setFields(ctx, args, "hset")));
    b.handle("hsetnx", keyed(HashCommands::hsetnx));
    b.handle("hget", keyed(HashCommands::hget));
    b.handle("hmset", keyed((ctx, args) -> setFields(ctx, args, "hmset")));
    b.handle("hmget", keyed(HashCommands::hmget));
    b.handle("hdel", keyed(HashCommands::hdel));
    b.handle("hlen", keyed(HashCommands::hlen));
    b.handle("hstrlen", keyed(HashCommands::hstrlen));
    b.handle("hexists", keyed(HashCommands::hexists));
    b.handle("hkeys", keyed((ctx, args) -> getAll(ctx, args, true, false)));
    b.handle("hvals", keyed((ctx, args) -> getAll(ctx, args, false, true)));
    b.handle("hgetall", keyed((ctx, args) -> getAll(ctx, args, true, true)));
    b.handle("hincrby", keyed(HashCommands::hincrby));
    b.handle("hincrbyfloat", keyed(HashCommands::hincrbyfloat));
    b.handle("hrandfield", keyed(HashCommands::hrandfield));
    b.handle("hscan", keyed(HashCommands::hscan));
  }

  /** The hash a write changes: the key's own, or a new one that {@link #stored} adds to the database. */
  private record Target(Key key, RedisHash hash, boolean created) {
    /** Throws WrongType when the key holds another type. */
    static Target of(Db db, byte[] key) {
      RedisHash hash = write(db, key, RedisHash.class);
      return new Target(new Key(key), hash == null ? new RedisHash() : hash, hash == null);
    }

    /** Adds a new hash to the database, or reports the in-place change of an existing one. */
    void stored(Db db) {
      if (created) db.put(key, hash);
      else db.modified(key);
    }
  }

  // ---- writes ----------------------------------------------------------------------------------------------

  /** HSET answers the number of new fields, HMSET answers OK; both refuse an odd field/value count first. */
  private static Reply setFields(KeyedContext ctx, byte[][] args, String name) {
    if (args.length % 2 != 0) return Reply.wrongArity(name);
    Db db = ctx.db();
    Target target = Target.of(db, args[1]);
    RedisHash hash = target.hash();
    Settings settings = db.settings();
    int maxEntries = settings.hashMaxListpackEntries();
    int maxValue = settings.hashMaxListpackValue();
    // Redis checks every argument's length before inserting (hashTypeTryConversion), even for updated fields.
    for (int i = 2; i < args.length; i += 2) hash.checkEncoding(maxEntries, maxValue, args[i], args[i + 1]);
    long added = 0;
    for (int i = 2; i < args.length; i += 2) {
      if (hash.fields.put(new Key(args[i]), args[i + 1]) == null) added++;
    }
    hash.checkEncoding(maxEntries, maxValue, null, null);
    target.stored(db);
    db.notify(KeyspaceEvents.HASH, "hset", args[1]);
    return name.equals("hset") ? Reply.integer(added) : Reply.OK;
  }

  private static Reply hsetnx(KeyedContext ctx, byte[][] args) {
    Db db = ctx.db();
    Target target = Target.of(db, args[1]);
    RedisHash hash = target.hash();
    Key field = new Key(args[2]);
    if (hash.fields.containsKey(field)) return Reply.ZERO;
    putField(db, hash, field, args[3]);
    target.stored(db);
    db.notify(KeyspaceEvents.HASH, "hset", args[1]);
    return Reply.ONE;
  }

  /** Sets one field, converting to hashtable when the field, the value or the field count crosses a limit. */
  private static void putField(Db db, RedisHash hash, Key field, byte[] value) {
    Settings settings = db.settings();
    int maxEntries = settings.hashMaxListpackEntries();
    int maxValue = settings.hashMaxListpackValue();
    hash.checkEncoding(maxEntries, maxValue, field.bytes(), value);
    hash.fields.put(field, value);
    hash.checkEncoding(maxEntries, maxValue, null, null);
  }

  private static Reply hdel(KeyedContext ctx, byte[][] args) {
    Db db = ctx.db();
    Key key = new Key(args[1]);
    RedisHash hash = write(db, args[1], RedisHash.class);
    if (hash == null) return Reply.ZERO;
    long deleted = 0;
    for (int i = 2; i < args.length; i++) {
      if (hash.fields.remove(new Key(args[i])) != null) {
        deleted++;
        if (hash.fields.isEmpty()) {
          db.delete(key);
          db.notify(KeyspaceEvents.HASH, "hdel", args[1]);
          db.notify(KeyspaceEvents.GENERIC, "del", args[1]);
          return Reply.integer(deleted);
        }
      }
    }
    if (deleted > 0) {
      db.modified(key);
      db.notify(KeyspaceEvents.HASH, "hdel", args[1]);
    }
    return Reply.integer(deleted);
  }

  private static Reply hincrby(KeyedContext ctx, byte[][] args) {
    Long increment = Args.parseLong(args[3]);
    if (increment == null) return Reply.NOT_INTEGER;
    Db db = ctx.db();
    Target target = Target.of(db, args[1]);
    RedisHash hash = target.hash();
    Key field = new Key(args[2]);
    byte[] current = hash.fields.get(field);
    long value = 0;
    if (current != null) {
      Long parsed = Args.parseLong(current);
      if (parsed == null) return HASH_NOT_INTEGER;
      value = parsed;
    }
    long incr = increment;
    if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
        || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
      return OVERFLOW;
    }
    value += incr;
    putField(db, hash, field, Args.bytes(value));
    target.stored(db);
    db.notify(KeyspaceEvents.HASH, "hincrby", args[1]);
    return Reply.integer(value);
  }

  private static final byte[] HSET = Args.bytes("HSET");

  private static Reply hincrbyfloat(KeyedContext ctx, byte[][] args) {
    LongDouble increment = LongDouble.parse(args[3]);
    if (increment == null) return Reply.NOT_FLOAT;
    if (increment.infinite()) return INCR_NAN_OR_INFINITY;
    Db db = ctx.db();
    Target target = Target.of(db, args[1]);
    RedisHash hash = target.hash();
    Key field = new Key(args[2]);
    byte[] current = hash.fields.get(field);
    LongDouble value = LongDouble.ZERO;
    if (current != null) {
      value = LongDouble.parse(current);
      if (value == null) return HASH_NOT_FLOAT;
    }
    LongDouble sum = value.add(increment);
    if (sum.infinite()) return RESULT_NAN_OR_INFINITY;
    byte[] text = sum.formatHuman().getBytes(StandardCharsets.US_ASCII);
    putField(db, hash, field, text);
    target.stored(db);
    // The result as a plain HSET, so that a copy does not redo the float arithmetic.
    ctx.propagate(HSET, args[1], args[2], text);
    db.notify(KeyspaceEvents.HASH, "hincrbyfloat", args[1]);
    return Reply.bulk(text);
  }

  // ---- reads -----------------------------------------------------------------------------------------------

  private static Reply hget(KeyedContext ctx, byte[][] args) {
    RedisHash hash = read(ctx.db(), args[1], RedisHash.class);
    if (hash == null) return Reply.NULL;
    return Reply.bulk(hash.fields.get(new Key(args[2])));
  }

  private static Reply hmget(KeyedContext ctx, byte[][] args) {
    RedisHash hash = read(ctx.db(), args[1], RedisHash.class);
    List<Reply> values = new ArrayList<>(args.length - 2);
    for (int i = 2; i < args.length; i++) {
      values.add(hash == null ? Reply.NULL : Reply.bulk(hash.fields.get(new Key(args[i]))));
    }
    return Reply.array(values);
  }

  private static Reply hlen(KeyedContext ctx, byte[][] args) {
    RedisHash hash = read(ctx.db(), args[1], RedisHash.class);
    if (hash == null) return Reply.ZERO;
    return Reply.integer(hash.fields.size());
  }

  private static Reply hstrlen(KeyedContext ctx, byte[][] args) {
    RedisHash hash = read(ctx.db(), args[1], RedisHash.class);
    if (hash == null) return Reply.ZERO;
    byte[] value = hash.fields.get(new Key(args[2]));
    return Reply.integer(value == null ? 0 : value.length);
  }

  private static Reply hexists(KeyedContext ctx, byte[][] args) {
    RedisHash hash = read(ctx.db(), args[1], RedisHash.class);
    if (hash == null) return Reply.ZERO;
    return hash.fields.containsKey(new Key(args[2])) ? Reply.ONE : Reply.ZERO;
  }

  /** HKEYS and HVALS answer a flat array; HGETALL a map (a flat array in RESP2). */
  private static Reply getAll(KeyedContext ctx, byte[][] args, boolean withFields, boolean withValues) {
    boolean both = withFields && withValues;
    RedisHash hash = read(ctx.db(), args[1], RedisHash.class);
    if (hash == null) return both ? Reply.map(List.of()) : Reply.EMPTY_ARRAY;
    List<Reply> items = new ArrayList<>(both ? hash.fields.size() * 2 : hash.fields.size());
    for (Map.Entry<Key, byte[]> field : hash.fields.entrySet()) {
      if (withFields) items.add(Reply.bulk(field.getKey().bytes()));
      if (withValues) items.add(Reply.bulk(field.getValue()));
    }
    return both ? Reply.map(items) : Reply.array(items);
  }

  /**
   * HRANDFIELD key [count [WITHVALUES]]. A positive count gives distinct fields (all of them, in hash order, when
   * count ≥ size); a negative one picks |count| times independently. With values, RESP3 nests [field, value]
   * pairs where RESP2 lists them flat.
   */
  private static Reply hrandfield(KeyedContext ctx, byte[][] args) {
    Db db = ctx.db();
    if (args.length == 2) {
      RedisHash hash = read(db, args[1], RedisHash.class);
      if (hash == null) return Reply.NULL;
      int skip = db.random().nextInt(hash.fields.size());
      Iterator<Key> fields = hash.fields.keySet().iterator();
      while (skip-- > 0) fields.next();
      return Reply.bulk(fields.next().bytes());
    }
    Long parsed = Args.parseLong(args[2]);
    if (parsed == null) return Reply.NOT_INTEGER;
    long requested = parsed;
    if (requested == Long.MIN_VALUE) return TypedKeys.COUNT_OUT_OF_RANGE;
    boolean withValues = false;
    if (args.length > 4 || (args.length == 4 && !Args.is(args[3], "withvalues"))) return Reply.SYNTAX_ERROR;
    if (args.length == 4) {
      withValues = true;
      // Redis 7.0's guard against count * 2 overflowing the reply length.
      if (requested < -Long.MAX_VALUE / 2 || requested > Long.MAX_VALUE / 2) return TypedKeys.OUT_OF_RANGE;
    }
    RedisHash hash = read(db, args[1], RedisHash.class);
    if (hash == null) return Reply.EMPTY_ARRAY;
    if (requested == 0) return Reply.EMPTY_ARRAY;

    boolean nested = withValues && ctx.session().protocol >= 3;
    int size = hash.fields.size();
    Key[] fields = hash.fields.keySet().toArray(new Key[0]);
    Random random = db.random();
    List<Reply> items;
    if (requested < 0) {
      long count = -requested;
      if (count > MAX_REPEATED_PICKS) return TypedKeys.OUT_OF_RANGE;
      Reply[] picks = new Reply[size];
      Reply[] values = withValues && !nested ? new Reply[size] : null;
      for (int i = 0; i < size; i++) {
        Reply field = Reply.bulk(fields[i].bytes());
        Reply value = withValues ? Reply.bulk(hash.fields.get(fields[i])) : null;
        picks[i] = nested ? Reply.array(field, value) : field;
        if (values != null) values[i] = value;
      }
      items = new ArrayList<>((int) (values != null ? count * 2 : count));
      for (long n = 0; n < count; n++) {
        int i = random.nextInt(size);
        items.add(picks[i]);
        if (values != null) items.add(values[i]);
      }
      return Reply.array(items);
    }

    int[] chosen;
    if (requested >= size) {
      chosen = new int[size];
      for (int i = 0; i < size; i++) chosen[i] = i;
    } else {
      // Distinct positions at random, answered in hash order.
      chosen = TypedKeys.distinctPositions(size, (int) requested, random);
      Arrays.sort(chosen);
    }
    items = new ArrayList<>(withValues && !nested ? chosen.length * 2 : chosen.length);
    for (int i : chosen) {
      Reply field = Reply.bulk(fields[i].bytes());
      if (!withValues) {
        items.add(field);
      } else {
        Reply value = Reply.bulk(hash.fields.get(fields[i]));
        if (nested) {
          items.add(Reply.array(field, value));
        } else {
          items.add(field);
          items.add(value);
        }
      }
    }
    return Reply.array(items);
  }

  /**
   * HSCAN key cursor [MATCH pattern] [COUNT count]. A listpack hash answers every (matching) field at once with
   * cursor 0, as Redis does. A hashtable hash is walked with {@link RedisHash#scan}: fields in order of a 32-bit
   * hash of their bytes, the cursor being the next hash value to visit, so that every field present during the
   * whole iteration is returned. COUNT bounds the fields visited per call (at least that many, plus any sharing
   * the last hash); MATCH then filters them, so a call may return fewer, even none, with a non-zero cursor.
   */
  private static Reply hscan(KeyedContext ctx, byte[][] args) {
    return TypedKeys.scan(ctx.db(), args, RedisHash.class, (hash, cursor, count, visited) -> {
      if (hash.hashtable) return hash.scan(cursor, count, visited);
      visited.addAll(hash.fields.keySet());
      return 0;
    }, (hash, field, items) -> {
      items.add(Reply.bulk(field.bytes()));
      items.add(Reply.bulk(hash.fields.get(field)));
    });
  }
}
