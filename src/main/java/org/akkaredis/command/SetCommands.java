package org.akkaredis.command;

import static org.akkaredis.command.TypedKeys.keyed;
import static org.akkaredis.command.TypedKeys.read;
import static org.akkaredis.command.TypedKeys.write;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.akkaredis.keyspace.Db;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceEvents;
import org.akkaredis.keyspace.RedisSet;
import org.akkaredis.resp.Reply;

/**
 * The set commands (Redis 7.0 t_set.c). An intset-encoded set answers in numeric order as Redis's does; a
 * hashtable-encoded one in an order of its own, which clients may not rely on (Redis's is its hash table's).
 */
public final class SetCommands {
  private SetCommands() {}

  private static final Reply TOO_MANY_KEYS = Reply.error("ERR Number of keys can't be greater than number of args");
  private static final Reply EMPTY_SET = new Reply.SetReply(List.of());

  private enum Op { UNION, DIFF, INTER }

  public static void register(CommandTable.Builder b) {
    b.handle("sadd", keyed(SetCommands::sadd));
    b.handle("srem", keyed(SetCommands::srem));
    b.handle("scard", keyed(SetCommands::scard));
    b.handle("sismember", keyed(SetCommands::sismember));
    b.handle("smismember", keyed(SetCommands::smismember));
    b.handle("smembers", keyed((ctx, a) -> combine(ctx, a, 1, Op.INTER, null)));
    b.handle("srandmember", keyed(SetCommands::srandmember));
    b.handle("spop", keyed(SetCommands::spop));
    b.handle("smove", keyed(SetCommands::smove));
    b.handle("sinter", keyed((ctx, a) -> combine(ctx, a, 1, Op.INTER, null)));
    b.handle("sintercard", keyed(SetCommands::sintercard));
    b.handle("sunion", keyed((ctx, a) -> combine(ctx, a, 1, Op.UNION, null)));
    b.handle("sdiff", keyed((ctx, a) -> combine(ctx, a, 1, Op.DIFF, null)));
    b.handle("sinterstore", keyed((ctx, a) -> combine(ctx, a, 2, Op.INTER, a[1])));
    b.handle("sunionstore", keyed((ctx, a) -> combine(ctx, a, 2, Op.UNION, a[1])));
    b.handle("sdiffstore", keyed((ctx, a) -> combine(ctx, a, 2, Op.DIFF, a[1])));
    b.handle("sscan", keyed(SetCommands::sscan));
  }

  /** Adds a member to a set, as SADD, SMOVE and the *STORE commands do. */
  static boolean add(Db db, RedisSet set, byte[] member) {
    return set.add(new Key(member), Args.parseLong(member) != null, db.settings().setMaxIntsetEntries());
  }

  private static Reply sadd(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    RedisSet set = write(db, a[1], RedisSet.class);
    boolean created = set == null;
    if (created) set = new RedisSet();
    long added = 0;
    for (int i = 2; i < a.length; i++) if (add(db, set, a[i])) added++;
    if (created) db.put(new Key(a[1]), set);
    else if (added > 0) db.modified(new Key(a[1]));
    if (added > 0) db.notify(KeyspaceEvents.SET, "sadd", a[1]);
    return Reply.integer(added);
  }

  private static Reply srem(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    RedisSet set = write(db, a[1], RedisSet.class);
    if (set == null) return Reply.ZERO;
    long removed = 0;
    for (int i = 2; i < a.length && set.size() > 0; i++) if (set.remove(new Key(a[i]))) removed++;
    if (removed > 0) TypedKeys.changed(db, a[1], set.size() == 0, KeyspaceEvents.SET, "srem");
    return Reply.integer(removed);
  }

  private static Reply scard(KeyedContext ctx, byte[][] a) {
    RedisSet set = read(ctx.db(), a[1], RedisSet.class);
    return Reply.integer(set == null ? 0 : set.size());
  }

  private static Reply sismember(KeyedContext ctx, byte[][] a) {
    RedisSet set = read(ctx.db(), a[1], RedisSet.class);
    return set != null && set.contains(new Key(a[2])) ? Reply.ONE : Reply.ZERO;
  }

  private static Reply smismember(KeyedContext ctx, byte[][] a) {
    RedisSet set = read(ctx.db(), a[1], RedisSet.class);
    List<Reply> items = new ArrayList<>(a.length - 2);
    for (int i = 2; i < a.length; i++) {
      items.add(set != null && set.contains(new Key(a[i])) ? Reply.ONE : Reply.ZERO);
    }
    return Reply.array(items);
  }

  private static Reply smove(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    RedisSet source = write(db, a[1], RedisSet.class);
    if (source == null) return Reply.ZERO;
    RedisSet destination = write(db, a[2], RedisSet.class);
    Key member = new Key(a[3]);
    if (source == destination) return source.contains(member) ? Reply.ONE : Reply.ZERO;
    if (!source.remove(member)) return Reply.ZERO;
    TypedKeys.changed(db, a[1], source.size() == 0, KeyspaceEvents.SET, "srem");
    if (destination == null) {
      destination = new RedisSet();
      add(db, destination, a[3]);
      db.put(new Key(a[2]), destination);
      db.notify(KeyspaceEvents.SET, "sadd", a[2]);
    } else if (add(db, destination, a[3])) {
      db.modified(new Key(a[2]));
      db.notify(KeyspaceEvents.SET, "sadd", a[2]);
    }
    return Reply.ONE;
  }

  private static Reply members(List<Key> members) {
    List<Reply> items = new ArrayList<>(members.size());
    for (Key member : members) items.add(Reply.bulk(member.bytes()));
    return new Reply.SetReply(items);
  }

  /**
   * SINTER, SUNION, SDIFF (and SMEMBERS, an intersection of one) over the keys from {@code first} on; with a
   * destination, the *STORE form. A missing key is an empty set.
   */
  private static Reply combine(KeyedContext ctx, byte[][] a, int first, Op op, byte[] destination) {
    Db db = ctx.db();
    RedisSet[] sets = new RedisSet[a.length - first];
    for (int i = first; i < a.length; i++) {
      // A read lookup for the *STORE forms too, as Redis's (a miss counts and says keymiss).
      sets[i - first] = read(db, a[i], RedisSet.class);
    }
    RedisSet result = new RedisSet();
    List<Key> order = switch (op) {
      case INTER -> intersection(sets, 0);
      case UNION -> {
        List<Key> all = new ArrayList<>();
        for (RedisSet set : sets) if (set != null) all.addAll(set.members());
        yield all;
      }
      case DIFF -> {
        List<Key> rest = new ArrayList<>();
        if (sets[0] != null) {
          for (Key member : sets[0].members()) {
            boolean elsewhere = false;
            for (int i = 1; i < sets.length && !elsewhere; i++) elsewhere = sets[i] != null && sets[i].contains(member);
            if (!elsewhere) rest.add(member);
          }
        }
        yield rest;
      }
    };
    // An intersection streams in the smallest set's order; a union or difference answers from the built set.
    if (destination == null && op == Op.INTER) return members(order);
    for (Key member : order) add(db, result, member.bytes());
    if (destination == null) return members(result.members());
    TypedKeys.store(db, destination, result, result.size() == 0, KeyspaceEvents.SET, switch (op) {
      case INTER -> "sinterstore";
      case UNION -> "sunionstore";
      case DIFF -> "sdiffstore";
    });
    return Reply.integer(result.size());
  }

  /** The members common to all sets, in the order of the smallest; stops after {@code limit} (0: no limit). */
  private static List<Key> intersection(RedisSet[] sets, long limit) {
    for (RedisSet set : sets) if (set == null) return List.of();
    RedisSet[] bySize = sets.clone();
    Arrays.sort(bySize, Comparator.comparingInt(RedisSet::size));
    List<Key> out = new ArrayList<>();
    for (Key member : bySize[0].members()) {
      boolean everywhere = true;
      for (int i = 1; i < bySize.length && everywhere; i++) everywhere = bySize[i].contains(member);
      if (everywhere) {
        out.add(member);
        if (limit > 0 && out.size() >= limit) break;
      }
    }
    return out;
  }

  private static Reply sintercard(KeyedContext ctx, byte[][] a) {
    Long numKeys = Args.parseLong(a[1]);
    if (numKeys == null || numKeys < 1) return TypedKeys.NUMKEYS_NOT_POSITIVE;
    if (numKeys > a.length - 2) return TOO_MANY_KEYS;
    int end = 2 + numKeys.intValue();
    long limit = 0;
    for (int i = end; i < a.length; i++) {
      if (Args.is(a[i], "limit") && i + 1 < a.length) {
        Long parsed = Args.parseLong(a[++i]);
        if (parsed == null || parsed < 0) return TypedKeys.NEGATIVE_LIMIT;
        limit = parsed;
      } else {
        return Reply.SYNTAX_ERROR;
      }
    }
    RedisSet[] sets = new RedisSet[end - 2];
    for (int i = 2; i < end; i++) sets[i - 2] = read(ctx.db(), a[i], RedisSet.class);
    return Reply.integer(intersection(sets, limit).size());
  }

  private static Reply srandmember(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    if (a.length == 2) {
      RedisSet set = read(db, a[1], RedisSet.class);
      return set == null ? Reply.NULL : Reply.bulk(set.random(db.random()).bytes());
    }
    if (a.length > 3) return Reply.SYNTAX_ERROR;
    Long count = Args.parseLong(a[2]);
    if (count == null) return Reply.NOT_INTEGER;
    if (count == Long.MIN_VALUE) return TypedKeys.COUNT_OUT_OF_RANGE;
    RedisSet set = read(db, a[1], RedisSet.class);
    if (set == null || count == 0) return Reply.EMPTY_ARRAY;
    Random random = db.random();
    List<Reply> items = new ArrayList<>();
    if (count < 0) {
      if (-count > HashCommands.MAX_REPEATED_PICKS) return TypedKeys.OUT_OF_RANGE;
      for (long n = count; n < 0; n++) items.add(Reply.bulk(set.random(random).bytes()));
      return Reply.array(items);
    }
    for (Key member : pick(set, count, random)) items.add(Reply.bulk(member.bytes()));
    return Reply.array(items);
  }

  /** {@code count} distinct members chosen at random, or all of them in set order when count ≥ size. */
  private static List<Key> pick(RedisSet set, long count, Random random) {
    if (count >= set.size()) return set.members();
    int size = set.size();
    List<Key> out = new ArrayList<>((int) count);
    for (int i : TypedKeys.distinctPositions(size, (int) count, random)) out.add(set.get(i));
    return out;
  }

  private static final byte[] SREM = Args.bytes("SREM");
  private static final byte[] DEL = Args.bytes("DEL");

  private static Reply spop(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    if (a.length > 3) return Reply.SYNTAX_ERROR;
    if (a.length == 2) {
      RedisSet set = write(db, a[1], RedisSet.class);
      if (set == null) return Reply.NULL;
      Key member = set.random(db.random());
      set.remove(member);
      TypedKeys.changed(db, a[1], set.size() == 0, KeyspaceEvents.SET, "spop");
      ctx.propagate(SREM, a[1], member.bytes());
      return Reply.bulk(member.bytes());
    }
    Long count = Args.parseLong(a[2]);
    if (count == null || count < 0) return TypedKeys.MUST_BE_POSITIVE;
    RedisSet set = write(db, a[1], RedisSet.class);
    if (set == null || count == 0) return EMPTY_SET;
    // As Redis 7.0: DEL when the whole set goes, else one SREM per member (wrapped in MULTI/EXEC).
    boolean all = count >= set.size();
    List<Key> popped = pick(set, count, db.random());
    for (Key member : popped) set.remove(member);
    TypedKeys.changed(db, a[1], set.size() == 0, KeyspaceEvents.SET, "spop");
    if (all) ctx.propagate(DEL, a[1]);
    else for (Key member : popped) ctx.propagate(SREM, a[1], member.bytes());
    return members(popped);
  }

  private static Reply sscan(KeyedContext ctx, byte[][] a) {
    return TypedKeys.scan(ctx.db(), a, RedisSet.class, (set, cursor, count, visited) -> {
      if (!set.isIntset()) return set.scan(cursor, count, visited);
      visited.addAll(set.members());
      return 0;
    }, (set, member, items) -> items.add(Reply.bulk(member.bytes())));
  }
}
