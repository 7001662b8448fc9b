package org.akkaredis.command;

import static org.akkaredis.command.TypedKeys.keyed;
import static org.akkaredis.command.TypedKeys.read;
import static org.akkaredis.command.TypedKeys.write;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.Map;
import java.util.Random;
import org.akkaredis.text.RedisNumbers;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Db;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceEvents;
import org.akkaredis.keyspace.RedisSet;
import org.akkaredis.keyspace.RedisZSet;
import org.akkaredis.keyspace.RedisZSet.Node;
import org.akkaredis.resp.Reply;

/**
 * The sorted-set commands (Redis 7.0 t_zset.c) over {@link RedisZSet}. Scores print as Redis 7.0 prints them
 * ("%.17g", {@link RedisNumbers#format17g}); with WITHSCORES, RESP3 nests [member, score] pairs where RESP2 lists them flat.
 */
public final class SortedSetCommands {
  private SortedSetCommands() {}

  private static final Reply NOT_A_FLOAT = Reply.error("ERR min or max is not a float");
  private static final Reply NOT_A_LEX_RANGE = Reply.error("ERR min or max not valid string range item");
  private static final Reply XX_AND_NX = Reply.error("ERR XX and NX options at the same time are not compatible");
  private static final Reply GT_LT_NX =
      Reply.error("ERR GT, LT, and/or NX options at the same time are not compatible");
  private static final Reply INCR_PAIR = Reply.error("ERR INCR option supports a single increment-element pair");
  private static final Reply NAN_SCORE = Reply.error("ERR resulting score is not a number (NaN)");
  private static final Reply LIMIT_NEEDS_BY = Reply.error(
      "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
  private static final Reply LEX_WITHSCORES = Reply.error(
      "ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  private static final Reply WEIGHT_NOT_FLOAT = Reply.error("ERR weight value is not a float");

  enum Kind { AUTO, RANK, SCORE, LEX }

  private enum Op { UNION, INTER, DIFF }

  public static void register(CommandTable.Builder b) {
    b.handle("zadd", keyed(SortedSetCommands::zadd));
    b.handle("zincrby", keyed(SortedSetCommands::zincrby));
    b.handle("zscore", keyed(SortedSetCommands::zscore));
    b.handle("zmscore", keyed(SortedSetCommands::zmscore));
    b.handle("zcard", keyed(SortedSetCommands::zcard));
    b.handle("zcount", keyed((ctx, a) -> count(ctx, a, false)));
    b.handle("zlexcount", keyed((ctx, a) -> count(ctx, a, true)));
    b.handle("zrange", keyed((ctx, a) -> range(ctx, a, Kind.AUTO, false, false)));
    b.handle("zrangestore", keyed((ctx, a) -> range(ctx, a, Kind.AUTO, false, true)));
    b.handle("zrangebyscore", keyed((ctx, a) -> range(ctx, a, Kind.SCORE, false, false)));
    b.handle("zrevrangebyscore", keyed((ctx, a) -> range(ctx, a, Kind.SCORE, true, false)));
    b.handle("zrangebylex", keyed((ctx, a) -> range(ctx, a, Kind.LEX, false, false)));
    b.handle("zrevrangebylex", keyed((ctx, a) -> range(ctx, a, Kind.LEX, true, false)));
    b.handle("zrevrange", keyed((ctx, a) -> range(ctx, a, Kind.RANK, true, false)));
    b.handle("zrank", keyed((ctx, a) -> rank(ctx, a, false)));
    b.handle("zrevrank", keyed((ctx, a) -> rank(ctx, a, true)));
    b.handle("zrem", keyed(SortedSetCommands::zrem));
    b.handle("zremrangebyrank", keyed((ctx, a) -> removeRange(ctx, a, Kind.RANK)));
    b.handle("zremrangebyscore", keyed((ctx, a) -> removeRange(ctx, a, Kind.SCORE)));
    b.handle("zremrangebylex", keyed((ctx, a) -> removeRange(ctx, a, Kind.LEX)));
    b.handle("zpopmin", keyed((ctx, a) -> zpop(ctx, a, true)));
    b.handle("zpopmax", keyed((ctx, a) -> zpop(ctx, a, false)));
    b.handle("zmpop", keyed(SortedSetCommands::zmpop));
    b.handle("zrandmember", keyed(SortedSetCommands::zrandmember));
    b.handle("zunion", keyed((ctx, a) -> combine(ctx, a, Op.UNION, false)));
    b.handle("zinter", keyed((ctx, a) -> combine(ctx, a, Op.INTER, false)));
    b.handle("zdiff", keyed((ctx, a) -> combine(ctx, a, Op.DIFF, false)));
    b.handle("zintercard", keyed(SortedSetCommands::zintercard));
    b.handle("zunionstore", keyed((ctx, a) -> combine(ctx, a, Op.UNION, true)));
    b.handle("zinterstore", keyed((ctx, a) -> combine(ctx, a, Op.INTER, true)));
    b.handle("zdiffstore", keyed((ctx, a) -> combine(ctx, a, Op.DIFF, true)));
    b.handle("zscan", keyed(SortedSetCommands::zscan));
  }

  // ---- shared helpers -----------------------------------------------------------------------------------------

  /** A sorted set made by a write, in the encoding Redis gives a new one for this first member. */
  private static RedisZSet create(Settings settings, byte[] firstMember) {
    return new RedisZSet(settings.zsetMaxListpackEntries(), settings.zsetMaxListpackValue(), firstMember.length);
  }

  private static boolean put(Settings settings, RedisZSet zset, Key member, double score) {
    return zset.put(member, score, settings.zsetMaxListpackEntries(), settings.zsetMaxListpackValue());
  }

  /** Adds a member and its score to a reply: flat, or as a [member, score] pair (RESP3). */
  /** A score reply: a RESP3 double, a bulk string in RESP2. */
  private static Reply scoreReply(double d) {
    return new Reply.Dbl(RedisNumbers.format17g(d));
  }

  private static void addEntry(List<Reply> out, Node node, boolean withScores, boolean nested) {
    Reply member = Reply.bulk(node.member.bytes());
    if (!withScores) {
      out.add(member);
    } else if (nested) {
      out.add(Reply.array(member, scoreReply(node.score)));
    } else {
      out.add(member);
      out.add(scoreReply(node.score));
    }
  }

  private static Reply entries(List<Node> nodes, boolean withScores, boolean nested) {
    List<Reply> out = new ArrayList<>(withScores && !nested ? nodes.size() * 2 : nodes.size());
    for (Node node : nodes) addEntry(out, node, withScores, nested);
    return Reply.array(out);
  }

  private static boolean resp3(KeyedContext ctx) {
    return ctx.session().protocol >= 3;
  }

  // ---- ZADD, ZINCRBY ----------------------------------------------------------------------------------------

  private static Reply zadd(KeyedContext ctx, byte[][] a) {
    boolean nx = false;
    boolean xx = false;
    boolean gt = false;
    boolean lt = false;
    boolean ch = false;
    boolean incr = false;
    int i = 2;
    for (; i < a.length; i++) {
      if (Args.is(a[i], "nx")) nx = true;
      else if (Args.is(a[i], "xx")) xx = true;
      else if (Args.is(a[i], "gt")) gt = true;
      else if (Args.is(a[i], "lt")) lt = true;
      else if (Args.is(a[i], "ch")) ch = true;
      else if (Args.is(a[i], "incr")) incr = true;
      else break;
    }
    int elements = a.length - i;
    if (elements % 2 != 0 || elements == 0) return Reply.SYNTAX_ERROR;
    if (nx && xx) return XX_AND_NX;
    if ((gt && nx) || (lt && nx) || (gt && lt)) return GT_LT_NX;
    if (incr && elements > 2) return INCR_PAIR;
    double[] scores = new double[elements / 2];
    for (int j = 0; j < scores.length; j++) {
      Double score = RedisNumbers.string2d(a[i + 2 * j]);
      if (score == null) return Reply.NOT_FLOAT;
      scores[j] = score;
    }
    return add(ctx, a[1], a, i, scores, nx, xx, gt, lt, ch, incr);
  }

  private static Reply zincrby(KeyedContext ctx, byte[][] a) {
    Double increment = RedisNumbers.string2d(a[2]);
    if (increment == null) return Reply.NOT_FLOAT;
    return add(ctx, a[1], a, 2, new double[] {increment}, false, false, false, false, false, true);
  }

  /** ZADD's core (zsetAdd for each pair): the score/member pairs start at {@code a[first]}. */
  static Reply add(KeyedContext ctx, byte[] keyBytes, byte[][] a, int first, double[] scores, boolean nx,
      boolean xx, boolean gt, boolean lt, boolean ch, boolean incr) {
    Db db = ctx.db();
    Settings settings = db.settings();
    RedisZSet zset = write(db, keyBytes, RedisZSet.class);
    if (zset == null && xx) return incr ? Reply.NULL : Reply.ZERO;
    boolean created = zset == null;
    if (created) zset = create(settings, a[first + 1]);
    long added = 0;
    long updated = 0;
    Double result = null;
    for (int j = 0; j < scores.length; j++) {
      Key member = new Key(a[first + 2 * j + 1]);
      double score = scores[j];
      Double current = zset.score(member);
      if (current != null) {
        if (nx) continue;
        if (incr) {
          score += current;
          if (Double.isNaN(score)) return NAN_SCORE; // INCR has a single pair: nothing changed yet
        }
        if ((gt && score <= current) || (lt && score >= current)) continue;
        result = score;
        if (score != current) {
          put(settings, zset, member, score);
          updated++;
        }
      } else {
        if (xx) continue;
        put(settings, zset, member, score);
        added++;
        result = score;
      }
    }
    if (created) {
      if (zset.size() > 0) db.put(new Key(keyBytes), zset);
    } else if (added + updated > 0) {
      db.modified(new Key(keyBytes));
    }
    if (added + updated > 0) db.notify(KeyspaceEvents.ZSET, incr ? "zincr" : "zadd", keyBytes);
    if (incr) return result == null ? Reply.NULL : scoreReply(result);
    return Reply.integer(ch ? added + updated : added);
  }

  // ---- reads ------------------------------------------------------------------------------------------------

  private static Reply zscore(KeyedContext ctx, byte[][] a) {
    RedisZSet zset = read(ctx.db(), a[1], RedisZSet.class);
    Double score = zset == null ? null : zset.score(new Key(a[2]));
    return score == null ? Reply.NULL : scoreReply(score);
  }

  private static Reply zmscore(KeyedContext ctx, byte[][] a) {
    RedisZSet zset = read(ctx.db(), a[1], RedisZSet.class);
    List<Reply> out = new ArrayList<>(a.length - 2);
    for (int i = 2; i < a.length; i++) {
      Double score = zset == null ? null : zset.score(new Key(a[i]));
      out.add(score == null ? Reply.NULL : scoreReply(score));
    }
    return Reply.array(out);
  }

  private static Reply zcard(KeyedContext ctx, byte[][] a) {
    RedisZSet zset = read(ctx.db(), a[1], RedisZSet.class);
    return Reply.integer(zset == null ? 0 : zset.size());
  }

  private static Reply rank(KeyedContext ctx, byte[][] a, boolean reverse) {
    RedisZSet zset = read(ctx.db(), a[1], RedisZSet.class);
    long rank = zset == null ? -1 : zset.rank(new Key(a[2]));
    if (rank < 0) return Reply.NULL;
    return Reply.integer(reverse ? zset.size() - 1 - rank : rank);
  }

  // ---- ranges -----------------------------------------------------------------------------------------------

  /**
   * A parsed range of one kind: by rank (start, stop), by score or by member (ZRANGEBYLEX). Score and lex
   * bounds are kept as given; {@link #nodes} walks them.
   */
  record Range(Kind kind, long start, long stop, double min, boolean minEx, double max, boolean maxEx,
      LexBound lexMin, LexBound lexMax) {

    /** The nodes in range, in ascending order or (reverse) descending, after {@code offset}, at most limit. */
    List<Node> nodes(RedisZSet zset, boolean reverse, long offset, long limit) {
      List<Node> out = new ArrayList<>();
      if (kind == Kind.RANK) {
        long size = zset.size();
        long from = start < 0 ? size + start : start;
        long to = stop < 0 ? size + stop : stop;
        if (from < 0) from = 0;
        if (from > to || from >= size) return out;
        if (to >= size) to = size - 1;
        Node n = zset.byRank(reverse ? size - 1 - from : from);
        for (long i = from; i <= to && n != null; i++, n = reverse ? n.prev() : n.next()) out.add(n);
        return out;
      }
      if (offset < 0) return out;
      Node n = reverse ? lastNode(zset) : firstNode(zset);
      for (; n != null && offset > 0; offset--) n = reverse ? n.prev() : n.next();
      for (; n != null && limit != 0 && (reverse ? aboveMin(n) : belowMax(n)); limit--) {
        out.add(n);
        n = reverse ? n.prev() : n.next();
      }
      return out;
    }

    private Node firstNode(RedisZSet zset) {
      if (kind == Kind.SCORE) return zset.firstWithScore(min, minEx);
      if (lexMin.infinity() > 0) return null;
      return zset.firstWithMember(lexMin.infinity() < 0 ? null : lexMin.bytes(), lexMin.exclusive());
    }

    private Node lastNode(RedisZSet zset) {
      if (kind == Kind.SCORE) return zset.lastWithScore(max, maxEx);
      if (lexMax.infinity() < 0) return null;
      return zset.lastWithMember(lexMax.infinity() > 0 ? null : lexMax.bytes(), lexMax.exclusive());
    }

    private boolean belowMax(Node n) {
      if (kind == Kind.SCORE) return maxEx ? n.score < max : n.score <= max;
      return lexMax.above(n.member.bytes());
    }

    private boolean aboveMin(Node n) {
      if (kind == Kind.SCORE) return minEx ? n.score > min : n.score >= min;
      return lexMin.below(n.member.bytes());
    }
  }

  /** A ZRANGEBYLEX bound: "-" (infinity -1), "+" (infinity 1), or "[member" / "(member". */
  record LexBound(int infinity, byte[] bytes, boolean exclusive) {
    static LexBound parse(byte[] arg) {
      if (arg.length == 1 && arg[0] == '+') return new LexBound(1, null, false);
      if (arg.length == 1 && arg[0] == '-') return new LexBound(-1, null, false);
      if (arg.length > 0 && (arg[0] == '(' || arg[0] == '[')) {
        return new LexBound(0, Arrays.copyOfRange(arg, 1, arg.length), arg[0] == '(');
      }
      return null;
    }

    /** Whether a member is within this bound taken as the maximum. */
    boolean above(byte[] member) {
      if (infinity != 0) return infinity > 0;
      int c = Arrays.compareUnsigned(member, bytes);
      return exclusive ? c < 0 : c <= 0;
    }

    /** Whether a member is within this bound taken as the minimum. */
    boolean below(byte[] member) {
      if (infinity != 0) return infinity < 0;
      int c = Arrays.compareUnsigned(member, bytes);
      return exclusive ? c > 0 : c >= 0;
    }
  }

  /**
   * One score bound as zslParseRange reads it: an optional '(' then strtod's number over the C string (not NaN;
   * "" and "(" are 0); null if invalid.
   */
  private static double[] scoreBound(byte[] arg) {
    boolean exclusive = arg.length > 0 && arg[0] == '(';
    Double value = RedisNumbers.strtodCString(exclusive ? Arrays.copyOfRange(arg, 1, arg.length) : arg);
    return value == null || value.isNaN() ? null : new double[] {value, exclusive ? 1 : 0};
  }

  /** The range in a[at], a[at + 1] (min, max in ascending terms); the error reply is returned through out[0]. */
  private static Range parseRange(Kind kind, byte[] minArg, byte[] maxArg, Reply[] error) {
    switch (kind) {
      case SCORE -> {
        double[] min = scoreBound(minArg);
        double[] max = scoreBound(maxArg);
        if (min == null || max == null) {
          error[0] = NOT_A_FLOAT;
          return null;
        }
        return new Range(kind, 0, 0, min[0], min[1] != 0, max[0], max[1] != 0, null, null);
      }
      case LEX -> {
        LexBound min = LexBound.parse(minArg);
        LexBound max = LexBound.parse(maxArg);
        if (min == null || max == null) {
          error[0] = NOT_A_LEX_RANGE;
          return null;
        }
        return new Range(kind, 0, 0, 0, false, 0, false, min, max);
      }
      default -> {
        Long start = Args.parseLong(minArg);
        Long stop = Args.parseLong(maxArg);
        if (start == null || stop == null) {
          error[0] = Reply.NOT_INTEGER;
          return null;
        }
        return new Range(Kind.RANK, start, stop, 0, false, 0, false, null, null);
      }
    }
  }

  /**
   * ZRANGE and its older forms, and ZRANGESTORE (zrangeGenericCommand): options, then the range, then the key.
   * {@code kind} and {@code reverse} are fixed by the older forms; ZRANGE and ZRANGESTORE take them as options.
   */
  private static Reply range(KeyedContext ctx, byte[][] a, Kind kind, boolean reverse, boolean store) {
    int src = store ? 2 : 1;
    boolean fixed = kind != Kind.AUTO;
    boolean revGiven = fixed;
    boolean withScores = false;
    long offset = 0;
    long limit = -1;
    boolean limitGiven = false;
    for (int j = src + 3; j < a.length; j++) {
      int left = a.length - j - 1;
      if (!store && Args.is(a[j], "withscores")) {
        withScores = true;
      } else if (Args.is(a[j], "limit") && left >= 2) {
        Long o = Args.parseLong(a[j + 1]);
        Long l = Args.parseLong(a[j + 2]);
        if (o == null || l == null) return Reply.NOT_INTEGER;
        offset = o;
        limit = l;
        limitGiven = true;
        j += 2;
      } else if (!revGiven && Args.is(a[j], "rev")) {
        reverse = true;
        revGiven = true;
      } else if (kind == Kind.AUTO && Args.is(a[j], "bylex")) {
        kind = Kind.LEX;
      } else if (kind == Kind.AUTO && Args.is(a[j], "byscore")) {
        kind = Kind.SCORE;
      } else {
        return Reply.SYNTAX_ERROR;
      }
    }
    if (kind == Kind.AUTO) kind = Kind.RANK;
    if (limitGiven && kind == Kind.RANK) return LIMIT_NEEDS_BY;
    if (withScores && kind == Kind.LEX) return LEX_WITHSCORES;
    boolean swap = reverse && kind != Kind.RANK;
    Reply[] error = new Reply[1];
    Range range = parseRange(kind, a[swap ? src + 2 : src + 1], a[swap ? src + 1 : src + 2], error);
    if (range == null) return error[0];
    Db db = ctx.db();
    RedisZSet zset = read(db, a[src], RedisZSet.class);
    List<Node> nodes = zset == null ? List.of() : range.nodes(zset, reverse, offset, limit);
    if (!store) return entries(nodes, withScores, resp3(ctx));
    Settings settings = db.settings();
    if (nodes.isEmpty()) {
      if (db.delete(new Key(a[1]))) db.notify(KeyspaceEvents.GENERIC, "del", a[1]);
      return Reply.ZERO;
    }
    RedisZSet result = create(settings, nodes.get(0).member.bytes());
    for (Node n : nodes) result.put(n.member, n.score, Long.MAX_VALUE, Long.MAX_VALUE);
    result.fitEncoding(settings.zsetMaxListpackEntries(), settings.zsetMaxListpackValue());
    db.put(new Key(a[1]), result);
    db.notify(KeyspaceEvents.ZSET, "zrangestore", a[1]);
    return Reply.integer(result.size());
  }

  private static Reply count(KeyedContext ctx, byte[][] a, boolean lex) {
    Reply[] error = new Reply[1];
    Range range = parseRange(lex ? Kind.LEX : Kind.SCORE, a[2], a[3], error);
    if (range == null) return error[0];
    RedisZSet zset = read(ctx.db(), a[1], RedisZSet.class);
    if (zset == null) return Reply.ZERO;
    Node first = range.firstNode(zset);
    Node last = range.lastNode(zset);
    if (first == null || last == null) return Reply.ZERO;
    long count = zset.rank(last.member) - zset.rank(first.member) + 1;
    return Reply.integer(Math.max(0, count));
  }

  private static Reply removeRange(KeyedContext ctx, byte[][] a, Kind kind) {
    Reply[] error = new Reply[1];
    Range range = parseRange(kind, a[2], a[3], error);
    if (range == null) return error[0];
    Db db = ctx.db();
    RedisZSet zset = write(db, a[1], RedisZSet.class);
    if (zset == null) return Reply.ZERO;
    List<Node> nodes = range.nodes(zset, false, 0, -1);
    for (Node n : nodes) zset.remove(n.member);
    if (!nodes.isEmpty()) {
      TypedKeys.changed(db, a[1], zset.size() == 0, KeyspaceEvents.ZSET, switch (kind) {
        case SCORE -> "zremrangebyscore";
        case LEX -> "zremrangebylex";
        default -> "zremrangebyrank";
      });
    }
    return Reply.integer(nodes.size());
  }

  private static Reply zrem(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    RedisZSet zset = write(db, a[1], RedisZSet.class);
    if (zset == null) return Reply.ZERO;
    long removed = 0;
    for (int i = 2; i < a.length && zset.size() > 0; i++) if (zset.remove(new Key(a[i]))) removed++;
    if (removed > 0) TypedKeys.changed(db, a[1], zset.size() == 0, KeyspaceEvents.ZSET, "zrem");
    return Reply.integer(removed);
  }

  // ---- pops -------------------------------------------------------------------------------------------------

  /** Pops up to {@code count} members from the low (min) or high end, deleting the key when it empties. */
  static List<Node> popMany(Db db, byte[] key, RedisZSet zset, boolean min, long count) {
    List<Node> out = new ArrayList<>((int) Math.min(count, zset.size()));
    while (out.size() < count && zset.size() > 0) {
      Node n = min ? zset.first() : zset.last();
      zset.remove(n.member);
      out.add(n);
    }
    TypedKeys.changed(db, key, zset.size() == 0, KeyspaceEvents.ZSET, min ? "zpopmin" : "zpopmax");
    return out;
  }

  private static Reply zpop(KeyedContext ctx, byte[][] a, boolean min) {
    if (a.length > 3) return Reply.SYNTAX_ERROR;
    long count = 1;
    if (a.length == 3) {
      Long parsed = Args.parseLong(a[2]);
      if (parsed == null || parsed < 0) return TypedKeys.MUST_BE_POSITIVE;
      count = parsed;
    }
    Db db = ctx.db();
    RedisZSet zset = write(db, a[1], RedisZSet.class);
    if (zset == null || count == 0) return Reply.EMPTY_ARRAY;
    return entries(popMany(db, a[1], zset, min, count), true, a.length == 3 && resp3(ctx));
  }

  private static Reply zmpop(KeyedContext ctx, byte[][] a) {
    return TypedKeys.mpop(ctx, a, "min", "max", SortedSetCommands::mpop);
  }

  static final byte[] ZPOPMIN = Args.bytes("ZPOPMIN");
  static final byte[] ZPOPMAX = Args.bytes("ZPOPMAX");

  /**
   * [key, [[member, score]...]] from the first non-empty sorted set among a[from..to), or null. The effect, as
   * Redis 7.0 propagates it, is ZPOPMIN/ZPOPMAX key n with n the number of members popped.
   */
  static Reply mpop(Db db, byte[][] a, int from, int to, boolean min, long count, Consumer<byte[][]> effect) {
    for (int i = from; i < to; i++) {
      RedisZSet zset = write(db, a[i], RedisZSet.class);
      if (zset == null) continue;
      List<Node> popped = popMany(db, a[i], zset, min, count);
      effect.accept(new byte[][] {min ? ZPOPMIN : ZPOPMAX, a[i], Args.bytes(popped.size())});
      return Reply.array(Reply.bulk(a[i]), entries(popped, true, true));
    }
    return null;
  }

  /** BZPOPMIN/BZPOPMAX's reply for one popped member: [key, member, score]. */
  static Reply popOne(Db db, byte[] key, RedisZSet zset, boolean min) {
    Node n = popMany(db, key, zset, min, 1).get(0);
    return Reply.array(Reply.bulk(key), Reply.bulk(n.member.bytes()), scoreReply(n.score));
  }

  // ---- ZRANDMEMBER, ZSCAN -----------------------------------------------------------------------------------

  private static Reply zrandmember(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    if (a.length == 2) {
      RedisZSet zset = read(db, a[1], RedisZSet.class);
      return zset == null ? Reply.NULL : Reply.bulk(zset.byRank(db.random().nextInt(zset.size())).member.bytes());
    }
    Long parsed = Args.parseLong(a[2]);
    if (parsed == null) return Reply.NOT_INTEGER;
    long count = parsed;
    if (count == Long.MIN_VALUE) return TypedKeys.COUNT_OUT_OF_RANGE;
    if (a.length > 4 || (a.length == 4 && !Args.is(a[3], "withscores"))) return Reply.SYNTAX_ERROR;
    boolean withScores = a.length == 4;
    if (withScores && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
      return TypedKeys.OUT_OF_RANGE;
    }
    RedisZSet zset = read(db, a[1], RedisZSet.class);
    if (zset == null || count == 0) return Reply.EMPTY_ARRAY;
    boolean nested = withScores && resp3(ctx);
    Random random = db.random();
    int size = zset.size();
    List<Node> picked = new ArrayList<>();
    if (count < 0) {
      if (-count > HashCommands.MAX_REPEATED_PICKS) return TypedKeys.OUT_OF_RANGE;
      for (long n = count; n < 0; n++) picked.add(zset.byRank(random.nextInt(size)));
    } else if (count >= size) {
      // The whole set, highest score first (Redis 7.0 answers this case with a reversed rank range).
      for (Node n = zset.last(); n != null; n = n.prev()) picked.add(n);
    } else {
      for (int i : TypedKeys.distinctPositions(size, (int) count, random)) picked.add(zset.byRank(i));
    }
    return entries(picked, withScores, nested);
  }

  private static Reply zscan(KeyedContext ctx, byte[][] a) {
    return TypedKeys.scan(ctx.db(), a, RedisZSet.class, (zset, cursor, count, visited) -> {
      if (!zset.isListpack()) return zset.scan(cursor, count, visited);
      for (Node n = zset.first(); n != null; n = n.next()) visited.add(n.member);
      return 0;
    }, (zset, member, items) -> {
      items.add(Reply.bulk(member.bytes()));
      items.add(Reply.bulk(RedisNumbers.d2string(zset.score(member))));
    });
  }

  // ---- ZUNION, ZINTER, ZDIFF, ZINTERCARD --------------------------------------------------------------------

  /** An input of ZUNION and friends: a sorted set, or a set whose members all score 1. */
  private record Source(RedisZSet zset, RedisSet set) {
    int size() {
      return zset != null ? zset.size() : set != null ? set.size() : 0;
    }

    Double score(Key member) {
      if (zset != null) return zset.score(member);
      return set != null && set.contains(member) ? 1.0 : null;
    }

    /** Members with their scores, in the source's order. */
    void forEach(java.util.function.ObjDoubleConsumer<Key> action) {
      if (zset != null) for (Node n = zset.first(); n != null; n = n.next()) action.accept(n.member, n.score);
      else if (set != null) for (Key member : set.members()) action.accept(member, 1.0);
    }
  }

  private static Source source(Db db, byte[] key) {
    // A read lookup for the *STORE forms too, as Redis's (a miss counts and says keymiss).
    Entry entry = db.lookup(new Key(key));
    if (entry == null) return new Source(null, null);
    if (entry.value instanceof RedisZSet zset) return new Source(zset, null);
    if (entry.value instanceof RedisSet set) return new Source(null, set);
    throw TypedKeys.WrongType.INSTANCE;
  }

  private static Reply combine(KeyedContext ctx, byte[][] a, Op op, boolean store) {
    int numkeysAt = store ? 2 : 1;
    Long parsed = Args.parseLong(a[numkeysAt]);
    if (parsed == null) return Reply.NOT_INTEGER;
    if (parsed < 1) {
      return Reply.error("ERR at least 1 input key is needed for '" + CommandTable.lowerAscii(a[0]) + "' command");
    }
    if (parsed > a.length - numkeysAt - 1) return Reply.SYNTAX_ERROR;
    int n = parsed.intValue();
    Db db = ctx.db();
    Source[] sources = new Source[n];
    for (int i = 0; i < n; i++) sources[i] = source(db, a[numkeysAt + 1 + i]);
    double[] weights = new double[n];
    Arrays.fill(weights, 1);
    int aggregate = 0; // 0 sum, 1 min, 2 max
    boolean withScores = false;
    for (int j = numkeysAt + 1 + n; j < a.length; j++) {
      int remaining = a.length - j - 1;
      if (op != Op.DIFF && remaining >= n && Args.is(a[j], "weights")) {
        for (int w = 0; w < n; w++) {
          Double weight = RedisNumbers.string2d(a[++j]);
          if (weight == null) return WEIGHT_NOT_FLOAT;
          weights[w] = weight;
        }
      } else if (op != Op.DIFF && remaining >= 1 && Args.is(a[j], "aggregate")) {
        j++;
        if (Args.is(a[j], "sum")) aggregate = 0;
        else if (Args.is(a[j], "min")) aggregate = 1;
        else if (Args.is(a[j], "max")) aggregate = 2;
        else return Reply.SYNTAX_ERROR;
      } else if (!store && Args.is(a[j], "withscores")) {
        withScores = true;
      } else {
        return Reply.SYNTAX_ERROR;
      }
    }
    Map<Key, Double> result = compute(sources, weights, aggregate, op, 0);
    Settings settings = db.settings();
    RedisZSet zset = new RedisZSet(Long.MAX_VALUE, Long.MAX_VALUE, 0);
    result.forEach((member, score) -> zset.put(member, score, Long.MAX_VALUE, Long.MAX_VALUE));
    zset.fitEncoding(settings.zsetMaxListpackEntries(), settings.zsetMaxListpackValue());
    if (store) {
      TypedKeys.store(db, a[1], zset, zset.size() == 0, KeyspaceEvents.ZSET, switch (op) {
        case UNION -> "zunionstore";
        case INTER -> "zinterstore";
        case DIFF -> "zdiffstore";
      });
      return Reply.integer(zset.size());
    }
    List<Node> nodes = new ArrayList<>(zset.size());
    for (Node node = zset.first(); node != null; node = node.next()) nodes.add(node);
    return entries(nodes, withScores, resp3(ctx));
  }

  /** The members of the combination with their scores; an intersection stops after {@code limit} (0: all). */
  private static Map<Key, Double> compute(Source[] sources, double[] weights, int aggregate, Op op, long limit) {
    Map<Key, Double> result = new LinkedHashMap<>();
    switch (op) {
      case UNION -> {
        for (int i = 0; i < sources.length; i++) {
          double weight = weights[i];
          sources[i].forEach((member, score) -> result.merge(member, weighted(score, weight),
              (x, y) -> aggregate(x, y, aggregate)));
        }
      }
      case INTER -> {
        Integer[] order = new Integer[sources.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt(i -> sources[i].size()));
        if (sources[order[0]].size() == 0) return result;
        sources[order[0]].forEach((member, score) -> {
          if (limit > 0 && result.size() >= limit) return;
          double total = weighted(score, weights[order[0]]);
          for (int k = 1; k < order.length; k++) {
            Double other = sources[order[k]].score(member);
            if (other == null) return;
            total = aggregate(total, weighted(other, weights[order[k]]), aggregate);
          }
          result.put(member, total);
        });
      }
      case DIFF -> sources[0].forEach((member, score) -> {
        for (int k = 1; k < sources.length; k++) if (sources[k].score(member) != null) return;
        result.put(member, score);
      });
    }
    return result;
  }

  private static double weighted(double score, double weight) {
    double value = score * weight;
    return Double.isNaN(value) ? 0 : value;
  }

  private static double aggregate(double x, double y, int how) {
    if (how == 1) return Math.min(x, y);
    if (how == 2) return Math.max(x, y);
    double sum = x + y;
    return Double.isNaN(sum) ? 0 : sum;
  }

  private static Reply zintercard(KeyedContext ctx, byte[][] a) {
    Long parsed = Args.parseLong(a[1]);
    if (parsed == null) return Reply.NOT_INTEGER;
    if (parsed < 1) return Reply.error("ERR at least 1 input key is needed for 'zintercard' command");
    if (parsed > a.length - 2) return Reply.SYNTAX_ERROR;
    int n = parsed.intValue();
    Db db = ctx.db();
    Source[] sources = new Source[n];
    for (int i = 0; i < n; i++) sources[i] = source(db, a[2 + i]);
    long limit = 0;
    for (int j = 2 + n; j < a.length; j++) {
      if (Args.is(a[j], "limit") && j + 1 < a.length) {
        Long l = Args.parseLong(a[++j]);
        if (l == null || l < 0) return TypedKeys.NEGATIVE_LIMIT;
        limit = l;
      } else {
        return Reply.SYNTAX_ERROR;
      }
    }
    double[] weights = new double[n];
    Arrays.fill(weights, 1);
    return Reply.integer(compute(sources, weights, 0, Op.INTER, limit).size());
  }
}
