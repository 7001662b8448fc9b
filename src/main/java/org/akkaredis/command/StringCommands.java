package org.akkaredis.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.akkaredis.text.LongDouble;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Db;
import org.akkaredis.keyspace.EffectBuffer;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceEvents;
import org.akkaredis.resp.Reply;

/**
 * The string commands (Redis 7.0 t_string.c): GET/SET and their variants, counters, ranges and LCS. Also the
 * bookkeeping that lets OBJECT ENCODING and OBJECT REFCOUNT answer what Redis's object encodings would show.
 */
public final class StringCommands {
  private StringCommands() {}

  /**
   * Entry.flags bit: the string was created by a path that never encodes it as an integer (INCRBYFLOAT builds
   * its result with createStringObject), so OBJECT ENCODING says embstr or raw by length only.
   */
  static final int NOT_INT_STRING = 1 << 1;
  /**
   * Entry.flags bit: an integer string that is not Redis's shared integer object (COPY duplicates it; a
   * maxmemory LRU/LFU policy forbids sharing when it is written), so OBJECT REFCOUNT says 1.
   */
  static final int UNSHARED_INT = 1 << 2;

  /** Redis's OBJ_SHARED_INTEGERS: 0..9999 are stored as shared objects. */
  private static final long SHARED_INTEGERS = 10000;
  /** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
  private static final int EMBSTR_SIZE_LIMIT = 44;
  /** Redis's OBJ_SHARED_REFCOUNT (INT_MAX), the refcount OBJECT REFCOUNT shows for shared objects. */
  static final long SHARED_REFCOUNT = Integer.MAX_VALUE;

  private static final Reply OVERFLOW = Reply.error("ERR increment or decrement would overflow");
  private static final Reply DECREMENT_OVERFLOW = Reply.error("ERR decrement would overflow");
  private static final Reply NAN_OR_INFINITY = Reply.error("ERR increment would produce NaN or Infinity");
  private static final Reply OFFSET_OUT_OF_RANGE = Reply.error("ERR offset is out of range");
  private static final Reply STRING_TOO_LONG =
      Reply.error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  private static final Reply LCS_NOT_STRINGS = Reply.error("ERR The specified keys must contain string values");
  private static final Reply LCS_LEN_AND_IDX =
      Reply.error("ERR If you want both the length and indexes, please just use IDX.");
  private static final Reply LCS_TOO_LONG = Reply.error("ERR String too long for LCS");
  private static final Reply LCS_OVER_LIMIT =
      Reply.error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
  private static final Reply LCS_NO_MEMORY =
      Reply.error("ERR Insufficient memory, failed allocating transient memory for LCS");
  private static final Reply EMPTY_BULK = new Reply.Bulk(new byte[0]);
  private static final byte[] MATCHES = "matches".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LEN = "len".getBytes(StandardCharsets.US_ASCII);
  /** The largest byte array a JVM hands out; longer strings get Redis's proto-max-bulk-len error. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  // SET / GETEX option bits, as Redis's OBJ_SET_* / OBJ_* flags.
  private static final int NX = 1;
  private static final int XX = 1 << 1;
  private static final int GET = 1 << 2;
  private static final int KEEPTTL = 1 << 3;
  private static final int PERSIST = 1 << 4;
  private static final int EX = 1 << 5;
  private static final int PX = 1 << 6;
  private static final int EXAT = 1 << 7;
  private static final int PXAT = 1 << 8;

  public static void register(CommandTable.Builder b) {
    b.handle("get", (Handler.Keyed) StringCommands::get);
    b.handle("set", (Handler.Keyed) StringCommands::set);
    b.handle("setnx", (Handler.Keyed) StringCommands::setnx);
    b.handle("setex", (Handler.Keyed) (ctx, a) -> setWithExpire(ctx, a, EX, "setex"));
    b.handle("psetex", (Handler.Keyed) (ctx, a) -> setWithExpire(ctx, a, PX, "psetex"));
    b.handle("getset", (Handler.Keyed) StringCommands::getset);
    b.handle("getdel", (Handler.Keyed) StringCommands::getdel);
    b.handle("getex", (Handler.Keyed) StringCommands::getex);
    b.handle("mget", (Handler.Keyed) StringCommands::mget);
    b.handle("mset", (Handler.Keyed) (ctx, a) -> mset(ctx, a, false));
    b.handle("msetnx", (Handler.Keyed) (ctx, a) -> mset(ctx, a, true));
    b.handle("incr", (Handler.Keyed) (ctx, a) -> incrDecr(ctx, a[1], 1));
    b.handle("decr", (Handler.Keyed) (ctx, a) -> incrDecr(ctx, a[1], -1));
    b.handle("incrby", (Handler.Keyed) StringCommands::incrby);
    b.handle("decrby", (Handler.Keyed) StringCommands::decrby);
    b.handle("incrbyfloat", (Handler.Keyed) StringCommands::incrbyfloat);
    b.handle("append", (Handler.Keyed) StringCommands::append);
    b.handle("strlen", (Handler.Keyed) StringCommands::strlen);
    b.handle("getrange", (Handler.Keyed) StringCommands::getrange);
    b.handle("substr", (Handler.Keyed) StringCommands::getrange);
    b.handle("setrange", (Handler.Keyed) StringCommands::setrange);
    b.handle("lcs", (Handler.Keyed) StringCommands::lcs);
  }

  // ---- encoding bookkeeping ------------------------------------------------------------------------------

  /** What OBJECT ENCODING says for a string entry. */
  static String encoding(Entry entry) {
    byte[] value = (byte[]) entry.value;
    if ((entry.flags() & Entry.RAW_STRING) != 0) return "raw";
    if ((entry.flags() & NOT_INT_STRING) == 0 && Args.parseLong(value) != null) return "int";
    return value.length <= EMBSTR_SIZE_LIMIT ? "embstr" : "raw";
  }

  /** What OBJECT REFCOUNT says for a string entry: shared small integers report Redis's INT_MAX. */
  static long refcount(Entry entry) {
    if ((entry.flags() & UNSHARED_INT) != 0 || !"int".equals(encoding(entry))) return 1;
    long value = Args.parseLong((byte[]) entry.value);
    return value >= 0 && value < SHARED_INTEGERS ? SHARED_REFCOUNT : 1;
  }

  /**
   * After a string went through Redis's tryObjectEncoding (SET, MSET, APPEND to a new key, INCR ...): a small
   * integer becomes the shared object unless a maxmemory LRU/LFU policy is in force at that moment.
   */
  static void noteStoredString(Db db, Entry entry) {
    byte[] value = (byte[]) entry.value;
    if (value.length > 4) return;
    Long n = Args.parseLong(value);
    if (n == null || n < 0 || n >= SHARED_INTEGERS) return;
    if (!sharedIntegersAllowed(db.settings())) entry.addFlags(UNSHARED_INT);
  }

  /** Redis's MAXMEMORY_FLAG_NO_SHARED_INTEGERS test: a maxmemory limit with an LRU or LFU policy. */
  static boolean sharedIntegersAllowed(Settings settings) {
    String maxmemory = settings.rawValue("maxmemory");
    if (maxmemory == null || maxmemory.equals("0")) return true;
    String policy = settings.rawValue("maxmemory-policy");
    return policy == null || !(policy.contains("lru") || policy.contains("lfu"));
  }

  /** Stores a string as SET does (setKey): replaces any value; drops the TTL unless {@code keepTtl}. */
  private static Entry storeString(Db db, Key key, byte[] value, boolean keepTtl, Entry existing) {
    long ttl = keepTtl && existing != null ? existing.expireAt() : -1;
    Entry entry = db.put(key, value);
    if (ttl >= 0) db.expireAt(entry, ttl);
    noteStoredString(db, entry);
    return entry;
  }

  // ---- GET / SET family ---------------------------------------------------------------------------------

  private static Reply get(KeyedContext ctx, byte[][] a) {
    Entry entry = ctx.db().lookup(new Key(a[1]));
    if (entry == null) return Reply.NULL;
    if (!entry.isString()) return Reply.WRONGTYPE;
    return Reply.bulk((byte[]) entry.value);
  }

  /** Parsed SET / GETEX options: the flag bits and the argument of EX/PX/EXAT/PXAT. */
  private static final class Options {
    int flags;
    byte[] expire;
  }

  /** The flag of an EX, PX, EXAT or PXAT option, 0 for any other argument. */
  private static int expiryFlag(byte[] opt) {
    if (Args.is(opt, "ex")) return EX;
    if (Args.is(opt, "px")) return PX;
    if (Args.is(opt, "exat")) return EXAT;
    if (Args.is(opt, "pxat")) return PXAT;
    return 0;
  }

  /** Redis's parseExtendedStringArgumentsOrReply, condition for condition; null when the syntax is wrong. */
  private static Options parseOptions(byte[][] a, int from, boolean forSet) {
    Options o = new Options();
    for (int j = from; j < a.length; j++) {
      byte[] opt = a[j];
      boolean hasNext = j < a.length - 1;
      int f = o.flags;
      int expiry = expiryFlag(opt);
      if (Args.is(opt, "nx") && (f & XX) == 0 && forSet) {
        o.flags |= NX;
      } else if (Args.is(opt, "xx") && (f & NX) == 0 && forSet) {
        o.flags |= XX;
      } else if (Args.is(opt, "get") && forSet) {
        o.flags |= GET;
      } else if (Args.is(opt, "keepttl") && (f & (PERSIST | EX | EXAT | PX | PXAT)) == 0 && forSet) {
        o.flags |= KEEPTTL;
      } else if (Args.is(opt, "persist") && !forSet && (f & (EX | EXAT | PX | PXAT | KEEPTTL)) == 0) {
        o.flags |= PERSIST;
      } else if (expiry != 0 && (f & (KEEPTTL | PERSIST | EX | EXAT | PX | PXAT) & ~expiry) == 0 && hasNext) {
        // EX, PX, EXAT and PXAT each exclude the others, KEEPTTL and PERSIST, but may be repeated.
        o.flags |= expiry;
        o.expire = a[++j];
      } else {
        return null;
      }
    }
    return o;
  }

  static Reply invalidExpireTime(String command) {
    return Reply.error("ERR invalid expire time in '" + command + "' command");
  }

  /**
   * Redis's getExpireMillisecondsOrReply: the absolute unix ms of an EX/PX/EXAT/PXAT argument, or -1 when it
   * is not positive or the conversion overflows (the arithmetic wraps as it does in C, and is caught the same way).
   */
  private static long absoluteExpire(long value, int flags, long now) {
    boolean seconds = (flags & (EX | EXAT)) != 0;
    if (value <= 0 || (seconds && value > Long.MAX_VALUE / 1000)) return -1;
    long ms = seconds ? value * 1000 : value;
    if ((flags & (EX | PX)) != 0) ms += now;
    return ms <= 0 ? -1 : ms;
  }

  private static Reply set(KeyedContext ctx, byte[][] a) {
    Options o = parseOptions(a, 3, true);
    if (o == null) return Reply.SYNTAX_ERROR;
    return setGeneric(ctx, a[1], a[2], o.flags, o.expire, "set");
  }

  private static Reply setWithExpire(KeyedContext ctx, byte[][] a, int unitFlag, String command) {
    return setGeneric(ctx, a[1], a[3], unitFlag, a[2], command);
  }

  /** Redis's setGenericCommand: expire check, optional GET of the old value, NX/XX, store, TTL. */
  private static Reply setGeneric(KeyedContext ctx, byte[] keyBytes, byte[] value, int flags, byte[] expire,
      String command) {
    Db db = ctx.db();
    long when = -1;
    if (expire != null) {
      Long n = Args.parseLong(expire);
      if (n == null) return Reply.NOT_INTEGER;
      when = absoluteExpire(n, flags, db.now());
      if (when < 0) return invalidExpireTime(command);
    }
    Key key = new Key(keyBytes);
    Reply old = null;
    if ((flags & GET) != 0) {
      Entry previous = db.lookup(key);
      if (previous != null && !previous.isString()) return Reply.WRONGTYPE;
      old = previous == null ? Reply.NULL : Reply.bulk((byte[]) previous.value);
    }
    Entry existing = KeyCommands.lookupWrite(db, key);
    if (((flags & NX) != 0 && existing != null) || ((flags & XX) != 0 && existing == null)) {
      return old != null ? old : Reply.NULL;
    }
    Entry entry = storeString(db, key, value, (flags & KEEPTTL) != 0, existing);
    db.notify(KeyspaceEvents.STRING, "set", keyBytes);
    if (when >= 0) {
      db.expireAt(entry, when);
      // As Redis 7.0: SET key value PXAT <absolute ms>, whatever the form (SETEX, EX, GET, NX ...).
      ctx.propagate(SET, keyBytes, value, PXAT_ARG, Args.bytes(when));
      db.notify(KeyspaceEvents.GENERIC, "expire", keyBytes);
    }
    return old != null ? old : Reply.OK;
  }

  private static final byte[] SET = Args.bytes("SET");
  private static final byte[] PXAT_ARG = Args.bytes("PXAT");
  private static final byte[] KEEPTTL_ARG = Args.bytes("KEEPTTL");
  private static final byte[] DEL = Args.bytes("DEL");
  private static final byte[] PEXPIREAT = Args.bytes("PEXPIREAT");
  private static final byte[] PERSIST_ARG = Args.bytes("PERSIST");

  private static Reply setnx(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    Key key = new Key(a[1]);
    if (KeyCommands.lookupWrite(db, key) != null) return Reply.ZERO;
    storeString(db, key, a[2], false, null);
    db.notify(KeyspaceEvents.STRING, "set", a[1]);
    return Reply.ONE;
  }

  private static Reply getset(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    Key key = new Key(a[1]);
    Entry previous = db.lookup(key);
    if (previous != null && !previous.isString()) return Reply.WRONGTYPE;
    Reply old = previous == null ? Reply.NULL : Reply.bulk((byte[]) previous.value);
    storeString(db, key, a[2], false, previous);
    db.notify(KeyspaceEvents.STRING, "set", a[1]);
    return old;
  }

  private static Reply getdel(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    Key key = new Key(a[1]);
    Entry entry = db.lookup(key);
    if (entry == null) return Reply.NULL;
    if (!entry.isString()) return Reply.WRONGTYPE;
    db.delete(key);
    ctx.propagate(DEL, a[1]);
    db.notify(KeyspaceEvents.GENERIC, "del", a[1]);
    return Reply.bulk((byte[]) entry.value);
  }

  private static Reply getex(KeyedContext ctx, byte[][] a) {
    Options o = parseOptions(a, 2, false);
    if (o == null) return Reply.SYNTAX_ERROR;
    Db db = ctx.db();
    Key key = new Key(a[1]);
    Entry entry = db.lookup(key);
    if (entry == null) return Reply.NULL;
    if (!entry.isString()) return Reply.WRONGTYPE;
    long when = -1;
    if (o.expire != null) {
      Long n = Args.parseLong(o.expire);
      if (n == null) return Reply.NOT_INTEGER;
      when = absoluteExpire(n, o.flags, db.now());
      if (when < 0) return invalidExpireTime("getex");
    }
    Reply reply = Reply.bulk((byte[]) entry.value);
    if ((o.flags & (EXAT | PXAT)) != 0 && when <= db.now() && !ctx.session().replicationApplier) {
      // An absolute time already past deletes the key, as Redis's checkAlreadyExpired (not on a replica).
      db.delete(key);
      ctx.propagate(EffectBuffer.expiryDeletion(db.settings()), a[1]);
      db.notify(KeyspaceEvents.GENERIC, "del", a[1]);
    } else if (o.expire != null) {
      db.expireAt(entry, when);
      db.modified(key);
      ctx.propagate(PEXPIREAT, a[1], Args.bytes(when));
      db.notify(KeyspaceEvents.GENERIC, "expire", a[1]);
    } else if ((o.flags & PERSIST) != 0 && entry.expireAt() >= 0) {
      db.expireAt(entry, -1);
      db.modified(key);
      ctx.propagate(PERSIST_ARG, a[1]);
      db.notify(KeyspaceEvents.GENERIC, "persist", a[1]);
    }
    return reply;
  }

  private static Reply mget(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    List<Reply> values = new ArrayList<>(a.length - 1);
    for (int i = 1; i < a.length; i++) {
      Entry entry = db.lookup(new Key(a[i]));
      values.add(entry == null || !entry.isString() ? Reply.NULL : Reply.bulk((byte[]) entry.value));
    }
    return Reply.array(values);
  }

  private static Reply mset(KeyedContext ctx, byte[][] a, boolean onlyIfNoneExists) {
    if (a.length % 2 == 0) return Reply.wrongArity(onlyIfNoneExists ? "msetnx" : "mset");
    Db db = ctx.db();
    if (onlyIfNoneExists) {
      for (int i = 1; i < a.length; i += 2) {
        if (KeyCommands.lookupWrite(db, new Key(a[i])) != null) return Reply.ZERO;
      }
    }
    for (int i = 1; i < a.length; i += 2) {
      storeString(db, new Key(a[i]), a[i + 1], false, null);
      db.notify(KeyspaceEvents.STRING, "set", a[i]);
    }
    return onlyIfNoneExists ? Reply.ONE : Reply.OK;
  }

  // ---- counters -----------------------------------------------------------------------------------------

  private static Reply incrby(KeyedContext ctx, byte[][] a) {
    Long incr = Args.parseLong(a[2]);
    if (incr == null) return Reply.NOT_INTEGER;
    return incrDecr(ctx, a[1], incr);
  }

  private static Reply decrby(KeyedContext ctx, byte[][] a) {
    Long decr = Args.parseLong(a[2]);
    if (decr == null) return Reply.NOT_INTEGER;
    if (decr == Long.MIN_VALUE) return DECREMENT_OVERFLOW;
    return incrDecr(ctx, a[1], -decr);
  }

  private static Reply incrDecr(KeyedContext ctx, byte[] keyBytes, long incr) {
    Db db = ctx.db();
    Key key = new Key(keyBytes);
    Entry entry = KeyCommands.lookupWrite(db, key);
    if (entry != null && !entry.isString()) return Reply.WRONGTYPE;
    long value = 0;
    if (entry != null) {
      Long current = Args.parseLong((byte[]) entry.value);
      if (current == null) return Reply.NOT_INTEGER;
      value = current;
    }
    if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
        || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
      return OVERFLOW;
    }
    value += incr;
    byte[] text = Args.bytes(value);
    if (entry != null) {
      db.replaceValue(entry, text);
    } else {
      entry = db.put(key, text);
    }
    noteStoredString(db, entry);
    db.notify(KeyspaceEvents.STRING, "incrby", keyBytes);
    return Reply.integer(value);
  }

  private static Reply incrbyfloat(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    Key key = new Key(a[1]);
    Entry entry = KeyCommands.lookupWrite(db, key);
    if (entry != null && !entry.isString()) return Reply.WRONGTYPE;
    LongDouble value = entry == null ? LongDouble.ZERO : LongDouble.parse((byte[]) entry.value);
    if (value == null) return Reply.NOT_FLOAT;
    LongDouble incr = LongDouble.parse(a[2]);
    if (incr == null) return Reply.NOT_FLOAT;
    LongDouble sum = value.add(incr);
    if (sum.infinite()) return NAN_OR_INFINITY;
    byte[] text = sum.formatHuman().getBytes(StandardCharsets.US_ASCII);
    if (entry != null) {
      db.replaceValue(entry, text);
    } else {
      entry = db.put(key, text);
    }
    entry.addFlags(NOT_INT_STRING);
    // The sum as a plain SET, so that a copy does not redo the float arithmetic.
    ctx.propagate(SET, a[1], text, KEEPTTL_ARG);
    db.notify(KeyspaceEvents.STRING, "incrbyfloat", a[1]);
    return Reply.bulk(text);
  }

  // ---- APPEND / STRLEN / ranges ---------------------------------------------------------------------------

  /**
   * Redis's checkStringLength: a string of {@code size + append} bytes may not outgrow proto-max-bulk-len (nor
   * what a JVM array holds); a sum that overflows is too long as well.
   */
  private static boolean tooLong(Db db, long size, long append) {
    if (size > Long.MAX_VALUE - append) return true;
    long total = size + append;
    return total > db.settings().protoMaxBulkLen() || total > MAX_ARRAY;
  }

  private static Reply append(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    Key key = new Key(a[1]);
    Entry entry = KeyCommands.lookupWrite(db, key);
    if (entry == null) {
      entry = db.put(key, a[2]);
      noteStoredString(db, entry);
      db.notify(KeyspaceEvents.STRING, "append", a[1]);
      return Reply.integer(a[2].length);
    }
    if (!entry.isString()) return Reply.WRONGTYPE;
    byte[] old = (byte[]) entry.value;
    long total = (long) old.length + a[2].length;
    if (tooLong(db, old.length, a[2].length)) return STRING_TOO_LONG;
    byte[] joined = Arrays.copyOf(old, (int) total);
    System.arraycopy(a[2], 0, joined, old.length, a[2].length);
    db.replaceValue(entry, joined);
    entry.addFlags(Entry.RAW_STRING);
    db.notify(KeyspaceEvents.STRING, "append", a[1]);
    return Reply.integer(total);
  }

  private static Reply strlen(KeyedContext ctx, byte[][] a) {
    Entry entry = ctx.db().lookup(new Key(a[1]));
    if (entry == null) return Reply.ZERO;
    if (!entry.isString()) return Reply.WRONGTYPE;
    return Reply.integer(((byte[]) entry.value).length);
  }

  private static Reply getrange(KeyedContext ctx, byte[][] a) {
    Long startArg = Args.parseLong(a[2]);
    if (startArg == null) return Reply.NOT_INTEGER;
    Long endArg = Args.parseLong(a[3]);
    if (endArg == null) return Reply.NOT_INTEGER;
    Entry entry = ctx.db().lookup(new Key(a[1]));
    if (entry == null) return EMPTY_BULK;
    if (!entry.isString()) return Reply.WRONGTYPE;
    byte[] value = (byte[]) entry.value;
    long length = value.length;
    long start = startArg;
    long end = endArg;
    if (start < 0 && end < 0 && start > end) return EMPTY_BULK;
    if (start < 0) start = length + start;
    if (end < 0) end = length + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= length) end = length - 1;
    if (start > end || length == 0) return EMPTY_BULK;
    return Reply.bulk(Arrays.copyOfRange(value, (int) start, (int) end + 1));
  }

  private static Reply setrange(KeyedContext ctx, byte[][] a) {
    Long offsetArg = Args.parseLong(a[2]);
    if (offsetArg == null) return Reply.NOT_INTEGER;
    long offset = offsetArg;
    if (offset < 0) return OFFSET_OUT_OF_RANGE;
    byte[] patch = a[3];
    Db db = ctx.db();
    Key key = new Key(a[1]);
    Entry entry = KeyCommands.lookupWrite(db, key);
    byte[] old;
    if (entry == null) {
      if (patch.length == 0) return Reply.ZERO;
      if (tooLong(db, offset, patch.length)) return STRING_TOO_LONG;
      old = new byte[0];
    } else {
      if (!entry.isString()) return Reply.WRONGTYPE;
      old = (byte[]) entry.value;
      if (patch.length == 0) return Reply.integer(old.length);
      if (tooLong(db, offset, patch.length)) return STRING_TOO_LONG;
    }
    int size = (int) Math.max(old.length, offset + patch.length);
    byte[] updated = Arrays.copyOf(old, size);
    System.arraycopy(patch, 0, updated, (int) offset, patch.length);
    if (entry == null) {
      entry = db.put(key, updated);
    } else {
      db.replaceValue(entry, updated);
    }
    entry.addFlags(Entry.RAW_STRING);
    db.notify(KeyspaceEvents.STRING, "setrange", a[1]);
    return Reply.integer(size);
  }

  // ---- LCS ----------------------------------------------------------------------------------------------

  /** Redis 7.0's lcsCommand: the classic dynamic-programming table, walked back from the end to emit ranges. */
  private static Reply lcs(KeyedContext ctx, byte[][] args) {
    Db db = ctx.db();
    Entry entryA = db.lookup(new Key(args[1]));
    Entry entryB = db.lookup(new Key(args[2]));
    if ((entryA != null && !entryA.isString()) || (entryB != null && !entryB.isString())) return LCS_NOT_STRINGS;
    byte[] a = entryA == null ? new byte[0] : (byte[]) entryA.value;
    byte[] b = entryB == null ? new byte[0] : (byte[]) entryB.value;
    boolean getIdx = false;
    boolean getLen = false;
    boolean withMatchLen = false;
    long minMatchLen = 0;
    for (int j = 3; j < args.length; j++) {
      byte[] opt = args[j];
      boolean moreArgs = j < args.length - 1;
      if (Args.is(opt, "idx")) {
        getIdx = true;
      } else if (Args.is(opt, "len")) {
        getLen = true;
      } else if (Args.is(opt, "withmatchlen")) {
        withMatchLen = true;
      } else if (Args.is(opt, "minmatchlen") && moreArgs) {
        Long n = Args.parseLong(args[j + 1]);
        if (n == null) return Reply.NOT_INTEGER;
        minMatchLen = Math.max(0, n);
        j++;
      } else {
        return Reply.SYNTAX_ERROR;
      }
    }
    if (getIdx && getLen) return LCS_LEN_AND_IDX;
    if (a.length >= 0xFFFFFFFFL - 1 || b.length >= 0xFFFFFFFFL - 1) return LCS_TOO_LONG;
    int alen = a.length;
    int blen = b.length;
    long cells = (long) (alen + 1) * (blen + 1);
    if (cells * 4 > db.settings().protoMaxBulkLen()) return LCS_OVER_LIMIT;
    LcsTable table;
    try {
      table = LcsTable.build(a, b, cells);
    } catch (OutOfMemoryError e) {
      return LCS_NO_MEMORY;
    }
    if (table == null) return LCS_NO_MEMORY;
    int total = table.get(alen, blen);
    if (getLen && !getIdx) return Reply.integer(total);

    byte[] result = new byte[total];
    List<Reply> matches = getIdx ? new ArrayList<>() : null;
    int idx = total;
    int i = alen;
    int j = blen;
    // alen in arangeStart means "no range open", as in Redis.
    int arangeStart = alen;
    int arangeEnd = 0;
    int brangeStart = 0;
    int brangeEnd = 0;
    while (i > 0 && j > 0) {
      boolean emitRange = false;
      if (a[i - 1] == b[j - 1]) {
        result[idx - 1] = a[i - 1];
        if (arangeStart == alen) {
          arangeStart = i - 1;
          arangeEnd = i - 1;
          brangeStart = j - 1;
          brangeEnd = j - 1;
        } else if (arangeStart == i && brangeStart == j) {
          arangeStart--;
          brangeStart--;
        } else {
          emitRange = true;
        }
        if (arangeStart == 0 || brangeStart == 0) emitRange = true;
        idx--;
        i--;
        j--;
      } else {
        int up = table.get(i - 1, j);
        int left = table.get(i, j - 1);
        if (up > left) {
          i--;
        } else {
          j--;
        }
        if (arangeStart != alen) emitRange = true;
      }
      if (emitRange) {
        long matchLen = (long) arangeEnd - arangeStart + 1;
        if (matches != null && (minMatchLen == 0 || matchLen >= minMatchLen)) {
          List<Reply> match = new ArrayList<>(3);
          match.add(Reply.array(Reply.integer(arangeStart), Reply.integer(arangeEnd)));
          match.add(Reply.array(Reply.integer(brangeStart), Reply.integer(brangeEnd)));
          if (withMatchLen) match.add(Reply.integer(matchLen));
          matches.add(Reply.array(match));
        }
        arangeStart = alen;
      }
    }
    if (matches != null) {
      return Reply.map(List.of(new Reply.Bulk(MATCHES), Reply.array(matches), new Reply.Bulk(LEN),
          Reply.integer(total)));
    }
    return Reply.bulk(result);
  }

  /** The LCS length table, in chars when every length fits (half the memory), else in ints. */
  private static final class LcsTable {
    private final int width;
    private final char[] small;
    private final int[] large;

    private LcsTable(int width, char[] small, int[] large) {
      this.width = width;
      this.small = small;
      this.large = large;
    }

    /** Null when the table cannot be held in one array. */
    static LcsTable build(byte[] a, byte[] b, long cells) {
      if (cells > MAX_ARRAY) return null;
      int width = b.length + 1;
      boolean fitsChar = Math.min(a.length, b.length) <= Character.MAX_VALUE;
      LcsTable t = fitsChar ? new LcsTable(width, new char[(int) cells], null)
          : new LcsTable(width, null, new int[(int) cells]);
      for (int i = 1; i <= a.length; i++) {
        int row = i * width;
        int prev = row - width;
        for (int j = 1; j <= b.length; j++) {
          int v;
          if (a[i - 1] == b[j - 1]) {
            v = t.at(prev + j - 1) + 1;
          } else {
            v = Math.max(t.at(prev + j), t.at(row + j - 1));
          }
          t.put(row + j, v);
        }
      }
      return t;
    }

    private int at(int index) {
      return small != null ? small[index] : large[index];
    }

    private void put(int index, int value) {
      if (small != null) {
        small[index] = (char) value;
      } else {
        large[index] = value;
      }
    }

    int get(int i, int j) {
      return at(i * width + j);
    }
  }

  // ---- long double arithmetic for INCRBYFLOAT ---------------------------------------------------------------

}
