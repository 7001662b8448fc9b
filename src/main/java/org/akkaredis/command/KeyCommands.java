package org.akkaredis.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.akkaredis.text.RedisNumbers;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Db;
import org.akkaredis.keyspace.EffectBuffer;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceEvents;
import org.akkaredis.keyspace.Lfu;
import org.akkaredis.keyspace.KeyspaceAccess;
import org.akkaredis.keyspace.RangeDb;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.RedisHash;
import org.akkaredis.keyspace.RedisList;
import org.akkaredis.keyspace.RedisSet;
import org.akkaredis.keyspace.RedisZSet;
import org.akkaredis.keyspace.Slots;
import org.akkaredis.resp.Reply;

/**
 * The generic key commands (Redis 7.0 db.c, expire.c, object.c): DEL, EXISTS, TYPE, the EXPIRE and TTL
 * families, RENAME, COPY, TOUCH, OBJECT, and the node-wide KEYS, SCAN and RANDOMKEY.
 */
public final class KeyCommands {
  private KeyCommands() {}

  private static final Reply NO_SUCH_KEY = Reply.error("ERR no such key");
  private static final Reply SAME_OBJECT = Reply.error("ERR source and destination objects are the same");
  private static final Reply DB_OUT_OF_RANGE = Reply.error("ERR DB index is out of range");
  /** Redis's getIntFromObjectOrReply for an integer beyond 32 bits. */
  private static final Reply INT_OUT_OF_RANGE =
      Reply.error("ERR value is out of range, value must between -2147483648 and 2147483647");
  private static final Reply COPY_IN_CLUSTER =
      Reply.error("ERR Copying to another database is not allowed in cluster mode");
  private static final Reply MOVE_IN_CLUSTER = Reply.error("ERR MOVE is not allowed in cluster mode");
  private static final Reply NX_WITH_OTHERS =
      Reply.error("ERR NX and XX, GT or LT options at the same time are not compatible");
  private static final Reply GT_AND_LT = Reply.error("ERR GT and LT options at the same time are not compatible");
  private static final Reply INVALID_CURSOR = Reply.error("ERR invalid cursor");
  private static final Reply LFU_NOT_SELECTED = Reply.error("ERR An LFU maxmemory policy is not selected, access"
      + " frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will"
      + " take some time to adjust.");
  private static final Reply LFU_SELECTED = Reply.error("ERR An LFU maxmemory policy is selected, idle time not"
      + " tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time"
      + " to adjust.");
  private static final Reply OBJECT_HELP = helpReply(
      "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ENCODING <key>",
      "    Return the kind of internal representation used in order to store the value",
      "    associated with a <key>.",
      "FREQ <key>",
      "    Return the access frequency index of the <key>. The returned integer is",
      "    proportional to the logarithm of the recent access frequency of the key.",
      "IDLETIME <key>",
      "    Return the idle time of the <key>, that is the approximated number of",
      "    seconds elapsed since the last access to the key.",
      "REFCOUNT <key>",
      "    Return the number of references of the value associated with the specified",
      "    <key>.",
      "HELP",
      "    Prints this help.");

  private static final byte[] CURSOR_DONE = {'0'};

  // EXPIRE option bits, as Redis's EXPIRE_NX / XX / GT / LT.
  private static final int EXPIRE_NX = 1;
  private static final int EXPIRE_XX = 1 << 1;
  private static final int EXPIRE_GT = 1 << 2;
  private static final int EXPIRE_LT = 1 << 3;

  public static void register(CommandTable.Builder b) {
    b.handle("del", (Handler.Keyed) KeyCommands::del);
    b.handle("unlink", (Handler.Keyed) KeyCommands::del);
    b.handle("exists", (Handler.Keyed) KeyCommands::exists);
    b.handle("type", (Handler.Keyed) KeyCommands::type);
    b.handle("expire", (Handler.Keyed) (ctx, a) -> expire(ctx, a, true, true, "expire"));
    b.handle("pexpire", (Handler.Keyed) (ctx, a) -> expire(ctx, a, true, false, "pexpire"));
    b.handle("expireat", (Handler.Keyed) (ctx, a) -> expire(ctx, a, false, true, "expireat"));
    b.handle("pexpireat", (Handler.Keyed) (ctx, a) -> expire(ctx, a, false, false, "pexpireat"));
    b.handle("ttl", (Handler.Keyed) (ctx, a) -> ttl(ctx, a, false, false));
    b.handle("pttl", (Handler.Keyed) (ctx, a) -> ttl(ctx, a, true, false));
    b.handle("expiretime", (Handler.Keyed) (ctx, a) -> ttl(ctx, a, false, true));
    b.handle("pexpiretime", (Handler.Keyed) (ctx, a) -> ttl(ctx, a, true, true));
    b.handle("persist", (Handler.Keyed) KeyCommands::persist);
    b.handle("rename", (Handler.Keyed) (ctx, a) -> rename(ctx, a, false));
    b.handle("renamenx", (Handler.Keyed) (ctx, a) -> rename(ctx, a, true));
    b.handle("copy", (Handler.Keyed) KeyCommands::copy);
    b.handle("touch", (Handler.Keyed) KeyCommands::touch);
    b.handle("move", (Handler.Keyed) KeyCommands::move);

    b.handle("object|encoding", (Handler.Keyed) KeyCommands::objectEncoding);
    b.handle("object|refcount", (Handler.Keyed) KeyCommands::objectRefcount);
    b.handle("object|idletime", (Handler.Keyed) KeyCommands::objectIdletime);
    b.handle("object|freq", (Handler.Keyed) KeyCommands::objectFreq);
    b.handle("object|help", (Handler.OfSession) (session, a) -> OBJECT_HELP);

    b.handle("keys", (Handler.OfNode) KeyCommands::keys);
    b.handle("scan", (Handler.OfNode) KeyCommands::scan);
    b.handle("randomkey", (Handler.OfNode) KeyCommands::randomkey);
  }

  // ---- lookups as Redis's lookupKey flavours -------------------------------------------------------------

  /**
   * Redis's lookupKeyWrite: expires the key lazily and updates its access time, without counting a keyspace
   * hit or miss (writes never do).
   */
  static Entry lookupWrite(Db db, Key key) {
    Entry entry = db.peek(key);
    if (entry != null) db.touch(entry);
    return entry;
  }

  /**
   * Redis's lookup with LOOKUP_NOTOUCH (EXISTS, TYPE, TTL, OBJECT): counts the keyspace hit or miss but leaves
   * the access time alone.
   */
  static Entry lookupNoTouch(Db db, Key key) {
    return lookupNoTouch(db, key, true);
  }

  /** As {@link #lookupNoTouch(Db, Key)}; without {@code notifyMiss} a miss publishes no keymiss (OBJECT's). */
  private static Entry lookupNoTouch(Db db, Key key, boolean notifyMiss) {
    Entry entry = db.peek(key);
    if (entry == null) {
      if (notifyMiss) db.lookup(key);
      else db.lookupWithoutNotify(key);
      return null;
    }
    long lastAccess = entry.lastAccess();
    int lfu = entry.lfu();
    db.lookup(key);
    entry.lastAccess(lastAccess);
    entry.lfu(lfu);
    return entry;
  }

  // ---- DEL / EXISTS / TYPE / TOUCH ----------------------------------------------------------------------

  private static Reply del(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    long deleted = 0;
    for (int i = 1; i < a.length; i++) {
      Key key = new Key(a[i]);
      // peek first so an expired key counts as expired, not as deleted.
      if (db.peek(key) != null && db.delete(key)) {
        deleted++;
        db.notify(KeyspaceEvents.GENERIC, "del", a[i]);
      }
    }
    return Reply.integer(deleted);
  }

  private static Reply exists(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    long found = 0;
    for (int i = 1; i < a.length; i++) {
      if (lookupNoTouch(db, new Key(a[i])) != null) found++;
    }
    return Reply.integer(found);
  }

  private static Reply type(KeyedContext ctx, byte[][] a) {
    Entry entry = lookupNoTouch(ctx.db(), new Key(a[1]));
    return Reply.simple(entry == null ? "none" : entry.typeName());
  }

  private static Reply touch(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    long found = 0;
    for (int i = 1; i < a.length; i++) {
      if (db.lookup(new Key(a[i])) != null) found++;
    }
    return Reply.integer(found);
  }

  // ---- EXPIRE family, TTL family, PERSIST ---------------------------------------------------------------

  /** Redis's expireGenericCommand: {@code relative} adds the command time, {@code seconds} scales by 1000. */
  private static Reply expire(KeyedContext ctx, byte[][] a, boolean relative, boolean seconds, String command) {
    int flags = 0;
    for (int j = 3; j < a.length; j++) {
      byte[] opt = a[j];
      if (Args.is(opt, "nx")) {
        flags |= EXPIRE_NX;
      } else if (Args.is(opt, "xx")) {
        flags |= EXPIRE_XX;
      } else if (Args.is(opt, "gt")) {
        flags |= EXPIRE_GT;
      } else if (Args.is(opt, "lt")) {
        flags |= EXPIRE_LT;
      } else {
        return Reply.error("ERR Unsupported option " + Args.text(opt));
      }
    }
    if ((flags & EXPIRE_NX) != 0 && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) != 0) return NX_WITH_OTHERS;
    if ((flags & EXPIRE_GT) != 0 && (flags & EXPIRE_LT) != 0) return GT_AND_LT;

    Long parsed = Args.parseLong(a[2]);
    if (parsed == null) return Reply.NOT_INTEGER;
    Db db = ctx.db();
    long when = parsed;
    long base = relative ? db.now() : 0;
    if (seconds) {
      if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
        return StringCommands.invalidExpireTime(command);
      }
      when *= 1000;
    }
    if (when > Long.MAX_VALUE - base) return StringCommands.invalidExpireTime(command);
    when += base;

    Key key = new Key(a[1]);
    Entry entry = lookupWrite(db, key);
    if (entry == null) return Reply.ZERO;
    if (flags != 0) {
      long current = entry.expireAt();
      if ((flags & EXPIRE_NX) != 0 && current != -1) return Reply.ZERO;
      if ((flags & EXPIRE_XX) != 0 && current == -1) return Reply.ZERO;
      // No TTL counts as an infinite one: GT never beats it, LT always does.
      if ((flags & EXPIRE_GT) != 0 && (when <= current || current == -1)) return Reply.ZERO;
      if ((flags & EXPIRE_LT) != 0 && current != -1 && when >= current) return Reply.ZERO;
    }
    if (when <= db.now() && !ctx.session().replicationApplier) {
      // A time already past deletes the key at once, as Redis's checkAlreadyExpired (not on a replica).
      db.delete(key);
      ctx.propagate(EffectBuffer.expiryDeletion(db.settings()), a[1]);
      db.notify(KeyspaceEvents.GENERIC, "del", a[1]);
      return Reply.ONE;
    }
    db.expireAt(entry, when);
    db.modified(key);
    db.notify(KeyspaceEvents.GENERIC, "expire", a[1]);
    if (!command.equals("pexpireat")) {
      // Propagated as PEXPIREAT with the absolute time; the NX/XX/GT/LT arguments stay as they were.
      byte[][] effect = a.clone();
      effect[0] = PEXPIREAT;
      effect[2] = Args.bytes(when);
      ctx.propagate(effect);
    }
    return Reply.ONE;
  }

  private static final byte[] PEXPIREAT = Args.bytes("PEXPIREAT");

  /** TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 for no key, -1 for no TTL; seconds are rounded to nearest. */
  private static Reply ttl(KeyedContext ctx, byte[][] a, boolean millis, boolean absolute) {
    Db db = ctx.db();
    Entry entry = lookupNoTouch(db, new Key(a[1]));
    if (entry == null) return Reply.integer(-2);
    long expireAt = entry.expireAt();
    if (expireAt == -1) return Reply.integer(-1);
    long ttl = absolute ? expireAt : expireAt - db.now();
    if (ttl < 0) ttl = 0;
    return Reply.integer(millis ? ttl : (ttl + 500) / 1000);
  }

  private static Reply persist(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    Key key = new Key(a[1]);
    Entry entry = lookupWrite(db, key);
    if (entry == null || entry.expireAt() == -1) return Reply.ZERO;
    db.expireAt(entry, -1);
    db.modified(key);
    db.notify(KeyspaceEvents.GENERIC, "persist", a[1]);
    return Reply.ONE;
  }

  // ---- RENAME / COPY ------------------------------------------------------------------------------------

  /** RENAME and RENAMENX: the value moves with its TTL and encoding; renaming a key onto itself changes nothing. */
  private static Reply rename(KeyedContext ctx, byte[][] a, boolean onlyIfAbsent) {
    Db db = ctx.db();
    Key source = new Key(a[1]);
    Key target = new Key(a[2]);
    Entry entry = lookupWrite(db, source);
    if (entry == null) return NO_SUCH_KEY;
    if (source.equals(target)) return onlyIfAbsent ? Reply.ZERO : Reply.OK;
    long expireAt = entry.expireAt();
    if (lookupWrite(db, target) != null) {
      if (onlyIfAbsent) return Reply.ZERO;
      db.delete(target);
    }
    Entry moved = db.put(target, entry.value);
    moved.flags(entry.flags());
    if (expireAt >= 0) db.expireAt(moved, expireAt);
    db.delete(source);
    db.notify(KeyspaceEvents.GENERIC, "rename_from", a[1]);
    db.notify(KeyspaceEvents.GENERIC, "rename_to", a[2]);
    return onlyIfAbsent ? Reply.ONE : Reply.OK;
  }

  private static Reply copy(KeyedContext ctx, byte[][] a) {
    Db source = ctx.db();
    int sourceIndex = source.index();
    int targetIndex = sourceIndex;
    boolean replace = false;
    for (int j = 3; j < a.length; j++) {
      int additional = a.length - j - 1;
      if (Args.is(a[j], "replace")) {
        replace = true;
      } else if (Args.is(a[j], "db") && additional >= 1) {
        Long n = Args.parseLong(a[j + 1]);
        if (n == null) return Reply.NOT_INTEGER;
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) return INT_OUT_OF_RANGE;
        if (n < 0 || n >= source.settings().databases()) return DB_OUT_OF_RANGE;
        targetIndex = n.intValue();
        j++;
      } else {
        return Reply.SYNTAX_ERROR;
      }
    }
    if (source.settings().clusterEnabled() && (sourceIndex != 0 || targetIndex != 0)) return COPY_IN_CLUSTER;
    Db target = targetIndex == sourceIndex ? source : ctx.db(targetIndex);
    if (target == null) return DB_OUT_OF_RANGE;
    Key sourceKey = new Key(a[1]);
    Key targetKey = new Key(a[2]);
    if (targetIndex == sourceIndex && sourceKey.equals(targetKey)) return SAME_OBJECT;

    Entry entry = source.lookup(sourceKey);
    if (entry == null) return Reply.ZERO;
    long expireAt = entry.expireAt();
    if (lookupWrite(target, targetKey) != null) {
      if (!replace) return Reply.ZERO;
      target.delete(targetKey);
    }
    Entry copied = target.put(targetKey, duplicate(entry.value));
    // A copy keeps the encoding; a duplicated integer is its own object, no longer the shared one.
    copied.flags(entry.flags() | StringCommands.UNSHARED_INT);
    if (expireAt >= 0) target.expireAt(copied, expireAt);
    target.notify(KeyspaceEvents.GENERIC, "copy_to", a[2]);
    return Reply.ONE;
  }

  /**
   * MOVE key db: the key goes with its TTL to another database of the same range (both hold its slot), unless it is
   * missing here or present there (0). Checks in Redis 7.0's order: cluster mode, the index, the same database.
   */
  private static Reply move(KeyedContext ctx, byte[][] a) {
    Db source = ctx.db();
    if (source.settings().clusterEnabled()) return MOVE_IN_CLUSTER;
    Long n = Args.parseLong(a[2]);
    if (n == null) return Reply.NOT_INTEGER;
    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) return INT_OUT_OF_RANGE;
    if (n < 0 || n >= source.settings().databases()) return DB_OUT_OF_RANGE;
    // A replica's master client during an async load numbers its databases from dbBase.
    int targetIndex = ctx.session().dbBase + n.intValue();
    if (targetIndex == source.index()) return SAME_OBJECT;
    Db target = ctx.db(targetIndex);
    if (target == null) return DB_OUT_OF_RANGE;
    Key key = new Key(a[1]);
    Entry entry = lookupWrite(source, key);
    if (entry == null) return Reply.ZERO;
    if (lookupWrite(target, key) != null) return Reply.ZERO;
    long expireAt = entry.expireAt();
    // put wakes the target's blocked clients and its watchers, delete the source's watchers.
    Entry moved = target.put(key, entry.value);
    moved.flags(entry.flags());
    if (expireAt >= 0) target.expireAt(moved, expireAt);
    source.delete(key);
    source.notify(KeyspaceEvents.GENERIC, "move_from", a[1]);
    target.notify(KeyspaceEvents.GENERIC, "move_to", a[1]);
    return Reply.ONE;
  }

  /** A deep copy of a value, so the copy and the original never change together. */
  private static Object duplicate(Object value) {
    if (value instanceof byte[] bytes) return bytes.clone();
    if (value instanceof RedisHash hash) {
      RedisHash copy = new RedisHash();
      for (Map.Entry<Key, byte[]> field : hash.fields.entrySet()) {
        copy.fields.put(field.getKey(), field.getValue().clone());
      }
      copy.hashtable = hash.hashtable;
      return copy;
    }
    if (value instanceof RedisList list) return list.copy();
    if (value instanceof RedisSet set) return set.copy();
    if (value instanceof RedisZSet zset) return zset.copy();
    if (value instanceof org.akkaredis.keyspace.RedisStream stream) return stream.copy();
    throw new IllegalStateException("COPY does not know how to duplicate a " + value.getClass().getSimpleName());
  }

  // ---- OBJECT ----------------------------------------------------------------------------------------------

  /** What OBJECT ENCODING reports; Redis says "unknown" for an encoding it has no name for. */
  static String encodingOf(Entry entry) {
    if (entry.value instanceof byte[]) return StringCommands.encoding(entry);
    if (entry.value instanceof RedisHash hash) return hash.encoding();
    if (entry.value instanceof RedisList) return "quicklist";
    if (entry.value instanceof RedisSet set) return set.encoding();
    if (entry.value instanceof RedisZSet zset) return zset.encoding();
    if (entry.value instanceof org.akkaredis.keyspace.RedisStream) return "stream";
    return "unknown";
  }

  private static Reply objectEncoding(KeyedContext ctx, byte[][] a) {
    Entry entry = lookupNoTouch(ctx.db(), new Key(a[2]), false);
    if (entry == null) return Reply.NULL;
    return Reply.bulk(encodingOf(entry));
  }

  private static Reply objectRefcount(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    Entry entry = lookupNoTouch(db, new Key(a[2]), false);
    if (entry == null) return Reply.NULL;
    if (!(entry.value instanceof byte[])) return Reply.ONE;
    // A shared integer stored while sharing was allowed stays shared; sharing is judged when it was written.
    return Reply.integer(StringCommands.refcount(entry));
  }

  static boolean lfuPolicy(Settings settings) {
    String policy = settings.rawValue("maxmemory-policy");
    return policy != null && policy.endsWith("lfu");
  }

  /** Seconds since the last access, on Redis's LRU clock (whole seconds), as estimateObjectIdleTime. */
  private static Reply objectIdletime(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    Entry entry = lookupNoTouch(db, new Key(a[2]), false);
    if (entry == null) return Reply.NULL;
    if (lfuPolicy(db.settings())) return LFU_SELECTED;
    long idle = db.now() / 1000 - entry.lastAccess() / 1000;
    return Reply.integer(Math.max(0, idle));
  }

  /** The key's LFU counter after its decay (Redis's LFUDecrAndReturn), left unchanged by this look. */
  private static Reply objectFreq(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    Entry entry = lookupNoTouch(db, new Key(a[2]), false);
    if (entry == null) return Reply.NULL;
    if (!lfuPolicy(db.settings())) return LFU_NOT_SELECTED;
    return Reply.integer(Lfu.decayed(entry.lfu(), db.now(), db.settings().longValue("lfu-decay-time")));
  }

  private static Reply helpReply(String... lines) {
    List<Reply> items = new ArrayList<>(lines.length);
    for (String line : lines) items.add(Reply.simple(line));
    return Reply.array(items);
  }

  // ---- KEYS / SCAN / RANDOMKEY (node-wide) --------------------------------------------------------------

  private static CompletionStage<Reply> keys(NodeContext ctx, Session session, byte[][] a) {
    byte[] pattern = a[1];
    boolean all = pattern.length == 1 && pattern[0] == '*';
    int dbIndex = session.db;
    return ctx.keyspace().onAll(state -> {
      List<Reply> found = new ArrayList<>();
      RangeDb db = state.db(dbIndex);
      if (db.size() == 0) return found;
      for (int slot = state.firstSlot(); slot <= state.lastSlot(); slot++) {
        db.forEachKeyInSlot(slot, entry -> {
          byte[] name = entry.key.bytes();
          if (all || Args.globMatch(pattern, name, false)) found.add(new Reply.Bulk(name));
        });
      }
      return found;
    }).thenApply(parts -> {
      List<Reply> keys = new ArrayList<>();
      for (List<Reply> part : parts) keys.addAll(part);
      return Reply.array(keys);
    });
  }

  /** One SCAN call's options. */
  private record ScanOptions(long count, byte[] pattern, String type, int dbIndex) {}

  /** What one range gave a SCAN call: the keys kept, how many it visited, and the slot to go on from. */
  private record ScanStep(List<Reply> keys, long visited, int nextSlot) {}

  /**
   * SCAN. The cursor is the next slot number to visit (0 starts, and 0 returned means the walk is over). One call
   * walks whole slots in ascending order until it has visited at least COUNT keys (before MATCH and TYPE filter
   * them, so COUNT bounds the work as in Redis) or has passed slot 16383. Slots are walked whole, so a key present
   * for the entire iteration is returned exactly once, whatever other keys come and go in between. The call only
   * visits the ranges it walks, one after the other.
   */
  private static CompletionStage<Reply> scan(NodeContext ctx, Session session, byte[][] a) {
    Long cursor = RedisNumbers.parseScanCursor(a[1]);
    if (cursor == null) return CompletableFuture.completedFuture(INVALID_CURSOR);
    long count = 10;
    byte[] pattern = null;
    String type = null;
    for (int i = 2; i < a.length; ) {
      int remaining = a.length - i;
      if (Args.is(a[i], "count") && remaining >= 2) {
        Long n = Args.parseLong(a[i + 1]);
        if (n == null) return CompletableFuture.completedFuture(Reply.NOT_INTEGER);
        if (n < 1) return CompletableFuture.completedFuture(Reply.SYNTAX_ERROR);
        count = n;
        i += 2;
      } else if (Args.is(a[i], "match") && remaining >= 2) {
        byte[] p = a[i + 1];
        pattern = p.length == 1 && p[0] == '*' ? null : p;
        i += 2;
      } else if (Args.is(a[i], "type") && remaining >= 2) {
        type = new String(a[i + 1], StandardCharsets.ISO_8859_1);
        i += 2;
      } else {
        return CompletableFuture.completedFuture(Reply.SYNTAX_ERROR);
      }
    }
    List<Reply> collected = new ArrayList<>();
    if (Long.compareUnsigned(cursor, Slots.COUNT) >= 0) {
      return CompletableFuture.completedFuture(scanReply(CURSOR_DONE, collected));
    }
    ScanOptions options = new ScanOptions(count, pattern, type, session.db);
    return scanFrom(ctx.keyspace(), cursor.intValue(), options, collected, 0);
  }

  private static CompletionStage<Reply> scanFrom(KeyspaceAccess keyspace, int slot, ScanOptions options,
      List<Reply> collected, long visited) {
    int range = keyspace.rangeOfSlot(slot);
    return keyspace.onRange(range, state -> scanRange(state, slot, options, options.count() - visited))
        .thenCompose(step -> {
          collected.addAll(step.keys());
          long total = visited + step.visited();
          if (step.nextSlot() >= Slots.COUNT) {
            return CompletableFuture.completedFuture(scanReply(CURSOR_DONE, collected));
          }
          if (total >= options.count()) {
            return CompletableFuture.completedFuture(
                scanReply(Long.toString(step.nextSlot()).getBytes(StandardCharsets.US_ASCII), collected));
          }
          return scanFrom(keyspace, step.nextSlot(), options, collected, total);
        });
  }

  /** Walks whole slots of one range from {@code slot} until {@code wanted} keys were visited or the range ends. */
  private static ScanStep scanRange(RangeState state, int slot, ScanOptions options, long wanted) {
    RangeDb db = state.db(options.dbIndex());
    List<Reply> keys = new ArrayList<>();
    List<Key> expired = new ArrayList<>();
    long now = state.now();
    long[] visited = {0};
    int next = slot;
    while (next <= state.lastSlot() && visited[0] < wanted) {
      db.forEachStoredInSlot(next, entry -> {
        visited[0]++;
        byte[] name = entry.key.bytes();
        if (options.pattern() != null && !Args.globMatch(options.pattern(), name, false)) return;
        if (entry.expireAt() >= 0 && entry.expireAt() <= now) {
          expired.add(entry.key);
          return;
        }
        if (options.type() != null && !options.type().equalsIgnoreCase(entry.typeName())) return;
        keys.add(new Reply.Bulk(name));
      });
      next++;
    }
    // As Redis's SCAN: an expired key it meets (and that matches the pattern) is deleted, and the DEL propagated.
    for (Key key : expired) db.peek(key);
    return new ScanStep(keys, visited[0], next);
  }

  private static Reply scanReply(byte[] cursor, List<Reply> keys) {
    return Reply.array(new Reply.Bulk(cursor), Reply.array(keys));
  }

  /** A range's random key and how many keys it holds, so the pick can be weighted by size. */
  private record RandomCandidate(byte[] key, long size) {}

  /**
   * A uniformly chosen live key of one database in one range: a slot weighted by its number of keys, then one of
   * its live keys. A slot holding only expired keys is tried again; the range's own sampling is the last resort.
   */
  private static Entry randomLiveEntry(RangeState state, RangeDb db) {
    Random random = state.random();
    for (int attempt = 0; attempt < 16; attempt++) {
      long size = db.size();
      if (size == 0) return null;
      long target = random.nextLong(size);
      for (int slot = state.firstSlot(); slot <= state.lastSlot(); slot++) {
        int inSlot = db.countKeysInSlot(slot);
        if (target >= inSlot) {
          target -= inSlot;
          continue;
        }
        List<Entry> live = new ArrayList<>(inSlot);
        db.forEachKeyInSlot(slot, live::add);
        if (!live.isEmpty()) return live.get(random.nextInt(live.size()));
        break;
      }
    }
    return db.size() == 0 ? null : db.randomEntry();
  }

  private static CompletionStage<Reply> randomkey(NodeContext ctx, Session session, byte[][] a) {
    int dbIndex = session.db;
    return ctx.keyspace().onAll(state -> {
      RangeDb db = state.db(dbIndex);
      Entry entry = randomLiveEntry(state, db);
      return new RandomCandidate(entry == null ? null : entry.key.bytes(), db.size());
    }).thenApply(candidates -> {
      long total = 0;
      for (RandomCandidate c : candidates) if (c.key() != null) total += c.size();
      if (total == 0) return Reply.NULL;
      long pick = ThreadLocalRandom.current().nextLong(total);
      for (RandomCandidate c : candidates) {
        if (c.key() == null) continue;
        if (pick < c.size()) return Reply.bulk(c.key());
        pick -= c.size();
      }
      return Reply.NULL;
    });
  }
}
