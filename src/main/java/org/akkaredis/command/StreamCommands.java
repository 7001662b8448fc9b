package org.akkaredis.command;

import static org.akkaredis.command.TypedKeys.keyed;
import static org.akkaredis.command.TypedKeys.read;
import static org.akkaredis.command.TypedKeys.write;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.akkaredis.keyspace.Db;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceEvents;
import org.akkaredis.keyspace.RedisStream;
import org.akkaredis.keyspace.RedisStream.Group;
import org.akkaredis.keyspace.RedisStream.Id;
import org.akkaredis.keyspace.RedisStream.Nack;
import org.akkaredis.resp.Reply;

/**
 * The stream commands (Redis 7.0 t_stream.c): XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM, the consumer groups'
 * XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XSETID and XINFO. XREAD and XREADGROUP wait like the blocking pops and
 * run through {@link BlockingCommands}; their reading is here ({@link #read}). Effects are Redis's: XADD with the id
 * it generated, an approximate trim as the exact one it did; a group read as XCLAIM and XGROUP SETID.
 */
public final class StreamCommands {
  private StreamCommands() {}

  static final Reply INVALID_ID = Reply.error("ERR Invalid stream ID specified as stream command argument");
  private static final Reply INVALID_START = Reply.error("ERR invalid start ID for the interval");
  private static final Reply INVALID_END = Reply.error("ERR invalid end ID for the interval");
  private static final Reply NO_SUCH_KEY = Reply.error("ERR no such key");

  static final byte[] XCLAIM = Args.bytes("XCLAIM");
  static final byte[] XGROUP = Args.bytes("XGROUP");
  private static final byte[] SETID = Args.bytes("SETID");
  private static final byte[] CREATECONSUMER = Args.bytes("CREATECONSUMER");
  private static final byte[] ENTRIESREAD = Args.bytes("ENTRIESREAD");
  private static final byte[] ZERO = Args.bytes("0");
  private static final byte[] TIME = Args.bytes("TIME");
  private static final byte[] RETRYCOUNT = Args.bytes("RETRYCOUNT");
  private static final byte[] FORCE = Args.bytes("FORCE");
  private static final byte[] JUSTID = Args.bytes("JUSTID");
  private static final byte[] LASTID = Args.bytes("LASTID");
  private static final byte[] EQUALS = Args.bytes("=");

  public static void register(CommandTable.Builder b) {
    b.handle("xadd", keyed(StreamCommands::xadd));
    b.handle("xrange", keyed((ctx, a) -> xrange(ctx, a, false)));
    b.handle("xrevrange", keyed((ctx, a) -> xrange(ctx, a, true)));
    b.handle("xlen", keyed(StreamCommands::xlen));
    b.handle("xdel", keyed(StreamCommands::xdel));
    b.handle("xtrim", keyed(StreamCommands::xtrim));
    b.handle("xsetid", keyed(StreamCommands::xsetid));
    b.handle("xack", keyed(StreamCommands::xack));
    b.handle("xpending", keyed(StreamCommands::xpending));
    b.handle("xclaim", keyed(StreamCommands::xclaim));
    b.handle("xautoclaim", keyed(StreamCommands::xautoclaim));
    b.handle("xgroup|create", keyed(StreamCommands::xgroup));
    b.handle("xgroup|setid", keyed(StreamCommands::xgroup));
    b.handle("xgroup|destroy", keyed(StreamCommands::xgroup));
    b.handle("xgroup|createconsumer", keyed(StreamCommands::xgroup));
    b.handle("xgroup|delconsumer", keyed(StreamCommands::xgroup));
    b.handle("xgroup|help", (Handler.OfSession) (session, a) -> XGROUP_HELP);
    b.handle("xinfo|stream", keyed(StreamCommands::xinfo));
    b.handle("xinfo|groups", keyed(StreamCommands::xinfo));
    b.handle("xinfo|consumers", keyed(StreamCommands::xinfo));
    b.handle("xinfo|help", (Handler.OfSession) (session, a) -> XINFO_HELP);
    b.handle("xread", BlockingCommands.streamRead());
    b.handle("xreadgroup", BlockingCommands.streamRead());
  }

  private static final Reply XGROUP_HELP = ConnectionCommands.help(List.of(
      "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CREATE <key> <groupname> <id|$> [option]",
      "    Create a new consumer group. Options are:",
      "    * MKSTREAM",
      "      Create the empty stream if it does not exist.",
      "    * ENTRIESREAD entries_read",
      "      Set the group's entries_read counter (internal use).",
      "CREATECONSUMER <key> <groupname> <consumer>",
      "    Create a new consumer in the specified group.",
      "DELCONSUMER <key> <groupname> <consumer>",
      "    Remove the specified consumer.",
      "DESTROY <key> <groupname>",
      "    Remove the specified group.",
      "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
      "    Set the current group ID and entries_read counter.",
      "HELP",
      "    Prints this help."));

  private static final Reply XINFO_HELP = ConnectionCommands.help(List.of(
      "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CONSUMERS <key> <groupname>",
      "    Show consumers of <groupname>.",
      "GROUPS <key>",
      "    Show the stream consumer groups.",
      "STREAM <key> [FULL [COUNT <count>]",
      "    Show information about the stream.",
      "HELP",
      "    Prints this help."));

  // ---- ids --------------------------------------------------------------------------------------------------

  /** An id as parsed: {@code seqGiven} false for "ms-*". */
  record ParsedId(Id id, boolean seqGiven) {}

  /**
   * streamGenericParseIDOrReply: "-", "+" (not when {@code strict}), "ms" (the sequence {@code missingSeq}),
   * "ms-seq", and "ms-*" where {@code starAllowed}. Null when invalid.
   */
  static ParsedId parseId(byte[] arg, long missingSeq, boolean strict, boolean starAllowed) {
    if (arg.length > 127) return null;
    if (arg.length == 1 && (arg[0] == '-' || arg[0] == '+')) {
      if (strict) return null;
      return new ParsedId(arg[0] == '-' ? Id.MIN : Id.MAX, true);
    }
    int dash = -1;
    for (int i = 0; i < arg.length; i++) {
      if (arg[i] == 0) break;
      if (arg[i] == '-') {
        dash = i;
        break;
      }
    }
    Long ms = string2ull(arg, 0, dash < 0 ? cLength(arg, 0) : dash);
    if (ms == null) return null;
    if (dash < 0) return new ParsedId(new Id(ms, missingSeq), true);
    int seqEnd = cLength(arg, dash + 1);
    if (starAllowed && seqEnd - dash - 1 == 1 && arg[dash + 1] == '*') return new ParsedId(new Id(ms, 0), false);
    Long seq = string2ull(arg, dash + 1, seqEnd);
    if (seq == null) return null;
    return new ParsedId(new Id(ms, seq), true);
  }

  /** Where the C string starting at {@code from} ends (its first NUL, or the end). */
  private static int cLength(byte[] arg, int from) {
    for (int i = from; i < arg.length; i++) if (arg[i] == 0) return i;
    return arg.length;
  }

  /** Redis's string2ull: string2ll for non-negative values, else C's strtoull over the whole text. */
  static Long string2ull(byte[] arg, int from, int to) {
    byte[] part = java.util.Arrays.copyOfRange(arg, from, to);
    Long ll = Args.parseLong(part);
    if (ll != null) return ll < 0 ? null : ll;
    int i = 0;
    while (i < part.length && (part[i] == ' ' || (part[i] >= 9 && part[i] <= 13))) i++;
    boolean negative = false;
    if (i < part.length && (part[i] == '+' || part[i] == '-')) negative = part[i++] == '-';
    int digitsFrom = i;
    long value = 0;
    for (; i < part.length && part[i] >= '0' && part[i] <= '9'; i++) {
      int d = part[i] - '0';
      if (Long.compareUnsigned(value, Long.divideUnsigned(-1L, 10)) > 0) return null;
      long next = value * 10 + d;
      if (Long.compareUnsigned(next, value * 10) < 0) return null;
      value = next;
    }
    if (i == digitsFrom || i != part.length) return null;
    return negative ? -value : value;
  }

  /** A strict id, or null (answer {@link #INVALID_ID}). */
  static Id strictId(byte[] arg) {
    ParsedId parsed = parseId(arg, 0, true, false);
    return parsed == null ? null : parsed.id();
  }

  /** streamParseIntervalIDOrReply with the exclusive "(" form; the id as given (not yet moved past). */
  private record Interval(Id id, boolean exclusive) {}

  private static Interval interval(byte[] arg, long missingSeq) {
    boolean exclusive = arg.length > 1 && arg[0] == '(';
    ParsedId parsed = exclusive ? parseId(java.util.Arrays.copyOfRange(arg, 1, arg.length), missingSeq, true, false)
        : parseId(arg, missingSeq, false, false);
    return parsed == null ? null : new Interval(parsed.id(), exclusive);
  }

  // ---- replies ----------------------------------------------------------------------------------------------

  static Reply id(Id id) {
    return Reply.bulk(id.bytes());
  }

  static Reply item(RedisStream.Item item) {
    List<Reply> fields = new ArrayList<>(item.fieldsAndValues().length);
    for (byte[] element : item.fieldsAndValues()) fields.add(Reply.bulk(element));
    return Reply.array(id(item.id()), Reply.array(fields));
  }

  private static Reply items(List<RedisStream.Item> items) {
    List<Reply> out = new ArrayList<>(items.size());
    for (RedisStream.Item item : items) out.add(item(item));
    return Reply.array(out);
  }

  private static Reply noGroup(String text) {
    return Reply.error("NOGROUP " + text);
  }

  // ---- XADD, XTRIM ------------------------------------------------------------------------------------------

  /** XADD's and XTRIM's options (streamAddTrimArgs), or the error to answer. */
  private static final class TrimArgs {
    Id id;
    boolean idGiven;
    boolean seqGiven;
    boolean noMkStream;
    int strategy;
    int strategyArgAt;
    boolean approx;
    long limit;
    long maxLen;
    Id minId;
    int idPos;
  }

  private static Object parseAddOrTrim(KeyedContext ctx, byte[][] a, boolean xadd) {
    TrimArgs args = new TrimArgs();
    boolean limitGiven = false;
    int i = 2;
    for (; i < a.length; i++) {
      int more = a.length - 1 - i;
      byte[] opt = a[i];
      if (xadd && opt.length == 1 && opt[0] == '*') {
        break;
      } else if ((Args.is(opt, "maxlen") || Args.is(opt, "minid")) && more > 0) {
        boolean maxlen = Args.is(opt, "maxlen");
        if (args.strategy != 0) {
          return Reply.error("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
        }
        args.approx = false;
        byte[] next = a[i + 1];
        if (more >= 2 && next.length == 1 && next[0] == '~') {
          args.approx = true;
          i++;
        } else if (more >= 2 && next.length == 1 && next[0] == '=') {
          i++;
        }
        if (maxlen) {
          Long value = Args.parseLong(a[i + 1]);
          if (value == null) return Reply.NOT_INTEGER;
          if (value < 0) return Reply.error("ERR The MAXLEN argument must be >= 0.");
          args.maxLen = value;
          args.strategy = RedisStream.TRIM_MAXLEN;
        } else {
          Id id = strictId(a[i + 1]);
          if (id == null) return INVALID_ID;
          args.minId = id;
          args.strategy = RedisStream.TRIM_MINID;
        }
        i++;
        args.strategyArgAt = i;
      } else if (Args.is(opt, "limit") && more > 0) {
        Long value = Args.parseLong(a[i + 1]);
        if (value == null) return Reply.NOT_INTEGER;
        if (value < 0) return Reply.error("ERR The LIMIT argument must be >= 0.");
        args.limit = value;
        limitGiven = true;
        i++;
      } else if (xadd && Args.is(opt, "nomkstream")) {
        args.noMkStream = true;
      } else if (xadd) {
        ParsedId parsed = parseId(opt, 0, true, true);
        if (parsed == null) return INVALID_ID;
        args.id = parsed.id();
        args.seqGiven = parsed.seqGiven();
        args.idGiven = true;
        break;
      } else {
        return Reply.SYNTAX_ERROR;
      }
    }
    if (args.limit != 0 && args.strategy == 0) {
      return Reply.error("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
    }
    if (!xadd && args.strategy == 0) {
      return Reply.error("ERR syntax error, XTRIM must be called with a trimming strategy");
    }
    if (ctx.session().replicationApplier) {
      args.limit = 0;
    } else if (limitGiven) {
      if (!args.approx) return Reply.error("ERR syntax error, LIMIT cannot be used without the special ~ option");
    } else if (args.approx) {
      long limit = 100 * ctx.db().settings().streamNodeMaxEntries();
      if (limit <= 0) limit = 10000;
      if (limit > 1000000) limit = 1000000;
      args.limit = limit;
    } else {
      args.limit = 0;
    }
    args.idPos = i;
    return args;
  }

  private static Reply xadd(KeyedContext ctx, byte[][] a) {
    Object parsed = parseAddOrTrim(ctx, a, true);
    if (parsed instanceof Reply error) return error;
    TrimArgs args = (TrimArgs) parsed;
    int fieldPos = args.idPos + 1;
    if (a.length - fieldPos < 2 || (a.length - fieldPos) % 2 == 1) return Reply.wrongArity("xadd");
    if (args.idGiven && args.seqGiven && args.id.isZero()) {
      return Reply.error("ERR The ID specified in XADD must be greater than 0-0");
    }
    Db db = ctx.db();
    RedisStream stream = write(db, a[1], RedisStream.class);
    Key key = new Key(a[1]);
    if (stream == null) {
      if (args.noMkStream) return Reply.NULL;
      stream = new RedisStream();
      db.put(key, stream);
    }
    if (stream.lastId.equals(Id.MAX)) {
      return Reply.error("ERR The stream has exhausted the last possible ID, unable to add more items");
    }
    byte[][] fields = java.util.Arrays.copyOfRange(a, fieldPos, a.length);
    Object added = stream.append(fields, args.idGiven ? args.id : null, args.seqGiven, db.now(),
        db.settings().streamNodeMaxBytes(), db.settings().streamNodeMaxEntries());
    if (added instanceof RedisStream.AppendError error) {
      return Reply.error(error == RedisStream.AppendError.ID_TOO_SMALL
          ? "ERR The ID specified in XADD is equal or smaller than the target stream top item"
          : "ERR Elements are too large to be stored");
    }
    Id id = (Id) added;
    db.modified(key);
    db.notify(KeyspaceEvents.STREAM, "xadd", a[1]);
    byte[][] effect = a.clone();
    if (args.strategy != 0) {
      if (stream.trim(args.strategy, args.maxLen, args.minId, args.approx, args.limit) > 0) {
        db.notify(KeyspaceEvents.STREAM, "xtrim", a[1]);
      }
      if (args.approx) rewriteTrim(effect, stream, args);
    }
    if (!args.idGiven || !args.seqGiven) effect[args.idPos] = id.bytes();
    ctx.propagate(effect);
    db.signalReady(key);
    return id(id);
  }

  /** An approximate trim is propagated as the exact one it did: "=" and the length or first id it left. */
  private static void rewriteTrim(byte[][] effect, RedisStream stream, TrimArgs args) {
    effect[args.strategyArgAt - 1] = EQUALS;
    effect[args.strategyArgAt] = args.strategy == RedisStream.TRIM_MAXLEN ? Args.bytes(stream.length)
        : stream.edge(true, false).bytes();
  }

  private static Reply xtrim(KeyedContext ctx, byte[][] a) {
    Object parsed = parseAddOrTrim(ctx, a, false);
    if (parsed instanceof Reply error) return error;
    TrimArgs args = (TrimArgs) parsed;
    Db db = ctx.db();
    RedisStream stream = write(db, a[1], RedisStream.class);
    if (stream == null) return Reply.ZERO;
    long deleted = stream.trim(args.strategy, args.maxLen, args.minId, args.approx, args.limit);
    if (deleted > 0) {
      db.notify(KeyspaceEvents.STREAM, "xtrim", a[1]);
      byte[][] effect = a.clone();
      if (args.approx) rewriteTrim(effect, stream, args);
      ctx.propagate(effect);
      db.modified(new Key(a[1]));
    }
    return Reply.integer(deleted);
  }

  // ---- reads ------------------------------------------------------------------------------------------------

  private static Reply xrange(KeyedContext ctx, byte[][] a, boolean rev) {
    Interval from = interval(rev ? a[3] : a[2], 0);
    if (from == null) return INVALID_ID;
    Id start = from.id();
    if (from.exclusive()) {
      start = start.next();
      if (start == null) return INVALID_START;
    }
    Interval to = interval(rev ? a[2] : a[3], -1L);
    if (to == null) return INVALID_ID;
    Id end = to.id();
    if (to.exclusive()) {
      end = end.previous();
      if (end == null) return INVALID_END;
    }
    long count = -1;
    for (int j = 4; j < a.length; j++) {
      if (Args.is(a[j], "count") && a.length - j - 1 >= 1) {
        Long value = Args.parseLong(a[j + 1]);
        if (value == null) return Reply.NOT_INTEGER;
        count = Math.max(0, value);
        j++;
      } else {
        return Reply.SYNTAX_ERROR;
      }
    }
    RedisStream stream = read(ctx.db(), a[1], RedisStream.class);
    if (stream == null) return Reply.EMPTY_ARRAY;
    if (count == 0) return Reply.NULL_ARRAY;
    return items(stream.range(start, end, count < 0 ? 0 : count, rev));
  }

  private static Reply xlen(KeyedContext ctx, byte[][] a) {
    RedisStream stream = read(ctx.db(), a[1], RedisStream.class);
    return stream == null ? Reply.ZERO : Reply.integer(stream.length);
  }

  /**
   * streamReplyWithRange for a consumer group (XREADGROUP, served at once or after waiting): the entries after the
   * group's last id (or, with {@code history}, the consumer's own pending ones from {@code start}), each made
   * pending for the consumer unless NOACK; the group's state moves as Redis moves it, and each change is recorded
   * as Redis propagates it (XCLAIM per entry, XGROUP SETID for a NOACK read).
   */
  static Reply groupRange(RedisStream stream, Id start, long count, Group group, RedisStream.Consumer consumer,
      boolean noack, boolean history, byte[] key, byte[] groupName, long now, Consumer<byte[][]> effects) {
    if (history) {
      List<Reply> out = new ArrayList<>();
      for (Map.Entry<Id, Nack> pending : consumer.pel.tailMap(start, true).entrySet()) {
        if (count > 0 && out.size() >= count) break;
        RedisStream.Item item = stream.get(pending.getKey());
        if (item == null) {
          out.add(Reply.array(id(pending.getKey()), Reply.NULL_ARRAY));
        } else {
          pending.getValue().deliveryTime = now;
          pending.getValue().deliveryCount++;
          out.add(item(item));
        }
      }
      return Reply.array(out);
    }
    List<Reply> out = new ArrayList<>();
    boolean propagateLastId = false;
    RedisStream.Cursor cursor = stream.cursor(start, null, false);
    for (Id id = cursor.next(); id != null; id = cursor.next()) {
      if (id.compareTo(group.lastId) > 0) {
        stream.advance(group, id);
        if (noack) propagateLastId = true;
      }
      out.add(item(new RedisStream.Item(id, cursor.fields())));
      if (!noack) {
        Nack nack = group.pel.get(id);
        if (nack == null) {
          nack = new Nack(now, 1, consumer);
          group.pel.put(id, nack);
          consumer.pel.put(id, nack);
        } else {
          nack.consumer.pel.remove(id);
          nack.consumer = consumer;
          nack.deliveryTime = now;
          nack.deliveryCount = 1;
          consumer.pel.put(id, nack);
        }
        effects.accept(claimEffect(key, groupName, group, id.bytes(), nack));
      }
      if (count > 0 && out.size() >= count) break;
    }
    if (propagateLastId) effects.accept(setIdEffect(key, groupName, group));
    return Reply.array(out);
  }

  /** streamPropagateXCLAIM. */
  static byte[][] claimEffect(byte[] key, byte[] groupName, Group group, byte[] id, Nack nack) {
    return new byte[][] {XCLAIM, key, groupName, nack.consumer.name, ZERO, id, TIME, Args.bytes(nack.deliveryTime),
        RETRYCOUNT, Args.bytes(nack.deliveryCount), FORCE, JUSTID, LASTID, group.lastId.bytes()};
  }

  /** streamPropagateGroupID. */
  static byte[][] setIdEffect(byte[] key, byte[] groupName, Group group) {
    return new byte[][] {XGROUP, SETID, key, groupName, group.lastId.bytes(), ENTRIESREAD,
        Args.bytes(group.entriesRead)};
  }

  /** streamPropagateConsumerCreation. */
  static byte[][] consumerEffect(byte[] key, byte[] groupName, byte[] consumer) {
    return new byte[][] {XGROUP, CREATECONSUMER, key, groupName, consumer};
  }

  // ---- XREAD, XREADGROUP -----------------------------------------------------------------------------------

  /** XREAD_BLOCKED_DEFAULT_COUNT: what a woken reader without COUNT gets at most. */
  private static final long BLOCKED_DEFAULT_COUNT = 1000;

  /**
   * One XREAD or XREADGROUP: its options, then (in its ranges) its first try over all its streams, and, when it
   * waits, whether a stream can serve it and what it takes from one, as Redis's serveClientsBlockedOnStreamKey.
   */
  static final class StreamRead {
    private final byte[][] a;
    private final boolean group;
    private final int protocol;
    long timeoutMs = -1;
    private long count;
    int streamsArg;
    int streams;
    private byte[] groupName;
    private byte[] consumerName;
    private boolean noack;
    /** The id each key waits past, from the first try ("$" made the stream's last id then). */
    private final Map<Key, Id> waitingPast = new java.util.HashMap<>();

    private StreamRead(byte[][] a, boolean group, int protocol) {
      this.a = a;
      this.group = group;
      this.protocol = protocol;
    }

    /** The options, as xreadCommand reads them before it looks at a key: a StreamRead or the error. */
    static Object parse(byte[][] a, Session session) {
      StreamRead read = new StreamRead(a, a[0].length == 10, session.protocol);
      for (int i = 1; i < a.length; i++) {
        int more = a.length - i - 1;
        if (Args.is(a[i], "block") && more > 0) {
          if (session.scriptClient) {
            return Reply.error("ERR " + new String(a[0], java.nio.charset.StandardCharsets.ISO_8859_1)
                + " command is not allowed with BLOCK option from scripts");
          }
          Long timeout = Args.parseLong(a[++i]);
          if (timeout == null) return Reply.error("ERR timeout is not an integer or out of range");
          if (timeout < 0) return Reply.error("ERR timeout is negative");
          read.timeoutMs = timeout;
        } else if (Args.is(a[i], "count") && more > 0) {
          Long count = Args.parseLong(a[++i]);
          if (count == null) return Reply.NOT_INTEGER;
          read.count = Math.max(0, count);
        } else if (Args.is(a[i], "streams") && more > 0) {
          read.streamsArg = i + 1;
          int args = a.length - read.streamsArg;
          if (args % 2 != 0) {
            return Reply.error("ERR Unbalanced " + (read.group ? "XREADGROUP" : "XREAD") + " list of streams: for each"
                + " stream key an ID or '$' must be specified.");
          }
          read.streams = args / 2;
          break;
        } else if (Args.is(a[i], "group") && more >= 2) {
          if (!read.group) {
            return Reply.error("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
          }
          read.groupName = a[i + 1];
          read.consumerName = a[i + 2];
          i += 2;
        } else if (Args.is(a[i], "noack")) {
          if (!read.group) {
            return Reply.error("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
          }
          read.noack = true;
        } else {
          return Reply.SYNTAX_ERROR;
        }
      }
      if (read.streamsArg == 0) return Reply.SYNTAX_ERROR;
      if (read.group && read.groupName == null) return Reply.error("ERR Missing GROUP option for XREADGROUP");
      return read;
    }

    boolean blocks() {
      return timeoutMs >= 0;
    }

    /**
     * The first try: every key's id checked and resolved, then whatever the streams have past them; null when
     * nothing is there (the caller waits or answers a null array). Typed lookups may throw WrongType.
     */
    Reply attempt(Db db) {
      List<byte[][]> effects = new ArrayList<>();
      try {
        return attempt(db, effects);
      } finally {
        db.effects(effects);
      }
    }

    private Reply attempt(Db db, List<byte[][]> effects) {
      Id[] ids = new Id[streams];
      Group[] groups = new Group[streams];
      for (int i = streamsArg + streams; i < a.length; i++) {
        int at = i - streamsArg - streams;
        byte[] key = a[i - streams];
        RedisStream stream = read(db, key, RedisStream.class);
        if (group) {
          Group found = stream == null ? null : stream.group(groupName);
          if (found == null) {
            return noGroup("No such key '" + Args.text(key) + "' or consumer group '" + Args.text(groupName)
                + "' in XREADGROUP with GROUP option");
          }
          groups[at] = found;
        }
        if (a[i].length == 1 && a[i][0] == '$') {
          if (group) {
            return Reply.error("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the"
                + " history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $"
                + " ID would just return an empty result set.");
          }
          ids[at] = stream != null ? stream.lastId : Id.MIN;
          continue;
        } else if (a[i].length == 1 && a[i][0] == '>') {
          if (!group) {
            return Reply.error("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group>"
                + " <consumer> option.");
          }
          ids[at] = Id.MAX;
          continue;
        }
        Id id = strictId(a[i]);
        if (id == null) return INVALID_ID;
        ids[at] = id;
      }
      List<Reply> out = new ArrayList<>();
      for (int i = 0; i < streams; i++) {
        byte[] key = a[streamsArg + i];
        RedisStream stream = read(db, key, RedisStream.class);
        if (stream == null) continue;
        Id past = ids[i];
        boolean serve = false;
        boolean history = false;
        if (group) {
          if (!past.equals(Id.MAX)) {
            serve = true;
            history = true;
          } else if (stream.length > 0 && stream.lastValidId().compareTo(groups[i].lastId) > 0) {
            serve = true;
            past = groups[i].lastId;
          }
        } else if (stream.length > 0 && stream.lastValidId().compareTo(past) > 0) {
          serve = true;
        }
        if (!serve) continue;
        Id start = past.next();
        Reply entries = entries(db, key, stream, start == null ? Id.MIN : start, count, group ? groups[i] : null,
            history, effects);
        add(out, key, entries);
      }
      for (int i = 0; i < streams; i++) waitingPast.putIfAbsent(new Key(a[streamsArg + i]), ids[i]);
      if (out.isEmpty()) return null;
      return protocol == 2 ? Reply.array(out) : Reply.map(out);
    }

    private void add(List<Reply> out, byte[] key, Reply entries) {
      if (protocol == 2) {
        out.add(Reply.array(Reply.bulk(key), entries));
      } else {
        out.add(Reply.bulk(key));
        out.add(entries);
      }
    }

    private Reply entries(Db db, byte[] key, RedisStream stream, Id start, long max, Group group, boolean history,
        List<byte[][]> effects) {
      if (group == null) return items(stream.range(start, null, max, false));
      long now = db.now();
      RedisStream.Consumer consumer = group.consumers.get(consumerName);
      if (consumer != null) {
        consumer.seenTime = now;
      } else {
        consumer = group.createConsumer(consumerName, now);
        db.notify(KeyspaceEvents.STREAM, "xgroup-createconsumer", key);
        if (noack) effects.add(consumerEffect(key, groupName, consumerName));
      }
      return groupRange(stream, start, max, group, consumer, noack, history, key, groupName, now, effects::add);
    }

    /** Whether the stream now has something past what the waiter waits for. */
    boolean canServe(org.akkaredis.keyspace.Entry entry) {
      if (!(entry.value instanceof RedisStream stream)) return false;
      if (group) {
        Group found = stream.group(groupName);
        return found != null && stream.lastId.compareTo(found.lastId) > 0;
      }
      Id past = waitingPast.get(entry.key);
      return past != null && stream.lastId.compareTo(past) > 0;
    }

    /** A waiting XREADGROUP ends when its stream or its group goes. */
    String refusal(org.akkaredis.keyspace.Entry entry) {
      if (!group) return null;
      if (entry == null || !(entry.value instanceof RedisStream stream)) {
        return "UNBLOCKED the stream key no longer exists";
      }
      if (stream.group(groupName) == null) {
        return "NOGROUP the consumer group this client was blocked on no longer exists";
      }
      return null;
    }

    /** What a woken waiter takes from one stream. */
    Reply take(Db db, byte[] key) {
      RedisStream stream = (RedisStream) db.peek(new Key(key)).value;
      Group found = group ? stream.group(groupName) : null;
      Id past = group ? found.lastId : waitingPast.get(new Key(key));
      Id start = past.next();
      List<byte[][]> effects = new ArrayList<>();
      long max = count > 0 ? count : BLOCKED_DEFAULT_COUNT;
      Reply entries = entries(db, key, stream, start == null ? Id.MIN : start, max, found, false, effects);
      db.effects(effects);
      List<Reply> out = new ArrayList<>(2);
      add(out, key, entries);
      return protocol == 2 ? Reply.array(out) : Reply.map(out);
    }
  }

  // ---- XDEL, XSETID -----------------------------------------------------------------------------------------

  private static Reply xdel(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    RedisStream stream = write(db, a[1], RedisStream.class);
    if (stream == null) return Reply.ZERO;
    List<Id> ids = new ArrayList<>(a.length - 2);
    for (int j = 2; j < a.length; j++) {
      Id id = strictId(a[j]);
      if (id == null) return INVALID_ID;
      ids.add(id);
    }
    int deleted = stream.delete(ids);
    if (deleted > 0) {
      db.modified(new Key(a[1]));
      db.notify(KeyspaceEvents.STREAM, "xdel", a[1]);
    }
    return Reply.integer(deleted);
  }

  private static Reply xsetid(KeyedContext ctx, byte[][] a) {
    Id id = strictId(a[2]);
    if (id == null) return INVALID_ID;
    Id maxDeleted = Id.MIN;
    long entriesAdded = -1;
    for (int i = 3; i < a.length; ) {
      int more = a.length - 1 - i;
      if (Args.is(a[i], "entriesadded") && more > 0) {
        Long value = Args.parseLong(a[i + 1]);
        if (value == null) return Reply.NOT_INTEGER;
        if (value < 0) return Reply.error("ERR entries_added must be positive");
        entriesAdded = value;
        i += 2;
      } else if (Args.is(a[i], "maxdeletedid") && more > 0) {
        Id value = strictId(a[i + 1]);
        if (value == null) return INVALID_ID;
        if (id.compareTo(value) < 0) {
          return Reply.error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
        }
        maxDeleted = value;
        i += 2;
      } else {
        return Reply.SYNTAX_ERROR;
      }
    }
    Db db = ctx.db();
    RedisStream stream = write(db, a[1], RedisStream.class);
    if (stream == null) return NO_SUCH_KEY;
    if (stream.length > 0) {
      if (id.compareTo(stream.lastValidId()) < 0) {
        return Reply.error("ERR The ID specified in XSETID is smaller than the target stream top item");
      }
      if (entriesAdded != -1 && stream.length > entriesAdded) {
        return Reply.error("ERR The entries_added specified in XSETID is smaller than the target stream length");
      }
    }
    stream.lastId = id;
    if (entriesAdded != -1) stream.entriesAdded = entriesAdded;
    if (!maxDeleted.isZero()) stream.maxDeletedId = maxDeleted;
    db.dirtied(new Key(a[1]));
    db.notify(KeyspaceEvents.STREAM, "xsetid", a[1]);
    return Reply.OK;
  }

  // ---- XGROUP -----------------------------------------------------------------------------------------------

  private static Reply xgroup(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    String sub = Args.text(a[1]).toLowerCase(java.util.Locale.ROOT);
    boolean create = sub.equals("create");
    boolean setid = sub.equals("setid");
    boolean mkstream = false;
    long entriesRead = RedisStream.INVALID_ENTRIES_READ;
    RedisStream stream = null;
    byte[] groupName = a[3];
    Group group = null;
    for (int i = 5; i < a.length; ) {
      if (create && Args.is(a[i], "mkstream")) {
        mkstream = true;
        i++;
      } else if ((create || setid) && Args.is(a[i], "entriesread") && i + 1 < a.length) {
        Long value = Args.parseLong(a[i + 1]);
        if (value == null) return Reply.NOT_INTEGER;
        if (value < 0 && value != RedisStream.INVALID_ENTRIES_READ) {
          return Reply.error("ERR value for ENTRIESREAD must be positive or -1");
        }
        entriesRead = value;
        i += 2;
      } else {
        return subcommandSyntax(a);
      }
    }
    stream = write(db, a[2], RedisStream.class);
    if (!mkstream) {
      if (stream == null) {
        return Reply.error("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want"
            + " to use the MKSTREAM option to create an empty stream automatically.");
      }
      group = stream.group(groupName);
      if (group == null && (setid || sub.equals("createconsumer") || sub.equals("delconsumer"))) {
        return noGroup("No such consumer group '" + Args.text(groupName) + "' for key name '" + Args.text(a[2]) + "'");
      }
    }
    Key key = new Key(a[2]);
    switch (sub) {
      case "create" -> {
        if (a.length > 8) return subcommandSyntax(a);
        Id id;
        if (a[4].length == 1 && a[4][0] == '$') {
          id = stream != null ? stream.lastId : Id.MIN;
        } else {
          id = strictId(a[4]);
          if (id == null) return INVALID_ID;
        }
        boolean created = false;
        if (stream == null) {
          stream = new RedisStream();
          db.put(key, stream);
          created = true;
        }
        if (stream.createGroup(groupName, id, entriesRead) == null) {
          return Reply.error("BUSYGROUP Consumer Group name already exists");
        }
        if (created) db.modified(key);
        else db.dirtied(key);
        db.notify(KeyspaceEvents.STREAM, "xgroup-create", a[2]);
        return Reply.OK;
      }
      case "setid" -> {
        if (a.length != 5 && a.length != 7) return subcommandSyntax(a);
        Id id;
        if (a[4].length == 1 && a[4][0] == '$') {
          id = stream.lastId;
        } else {
          ParsedId parsed = parseId(a[4], 0, false, false);
          if (parsed == null) return INVALID_ID;
          id = parsed.id();
        }
        group.lastId = id;
        group.entriesRead = entriesRead;
        db.dirtied(key);
        db.notify(KeyspaceEvents.STREAM, "xgroup-setid", a[2]);
        return Reply.OK;
      }
      case "destroy" -> {
        if (a.length != 4) return subcommandSyntax(a);
        if (group == null) return Reply.ZERO;
        stream.destroyGroup(groupName);
        db.dirtied(key);
        db.notify(KeyspaceEvents.STREAM, "xgroup-destroy", a[2]);
        db.signalReady(key);
        return Reply.ONE;
      }
      case "createconsumer" -> {
        if (a.length != 5) return subcommandSyntax(a);
        RedisStream.Consumer made = group.createConsumer(a[4], db.now());
        if (made == null) return Reply.ZERO;
        db.dirtied(key);
        db.notify(KeyspaceEvents.STREAM, "xgroup-createconsumer", a[2]);
        return Reply.ONE;
      }
      default -> {
        if (a.length != 5) return subcommandSyntax(a);
        RedisStream.Consumer consumer = group.consumers.get(a[4]);
        long pending = 0;
        if (consumer != null) {
          pending = consumer.pel.size();
          group.deleteConsumer(consumer);
          db.dirtied(key);
          db.notify(KeyspaceEvents.STREAM, "xgroup-delconsumer", a[2]);
        }
        return Reply.integer(pending);
      }
    }
  }

  private static Reply subcommandSyntax(byte[][] a) {
    return Reply.error("ERR unknown subcommand or wrong number of arguments for '" + Args.text(a[1]) + "'. Try "
        + Args.text(a[0]).toUpperCase(java.util.Locale.ROOT) + " HELP.");
  }

  // ---- XACK, XPENDING ---------------------------------------------------------------------------------------

  private static Reply xack(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    RedisStream stream = read(db, a[1], RedisStream.class);
    Group group = stream == null ? null : stream.group(a[2]);
    if (group == null) return Reply.ZERO;
    List<Id> ids = new ArrayList<>(a.length - 3);
    for (int j = 3; j < a.length; j++) {
      Id id = strictId(a[j]);
      if (id == null) return INVALID_ID;
      ids.add(id);
    }
    long acknowledged = 0;
    for (Id id : ids) {
      Nack nack = group.pel.remove(id);
      if (nack != null) {
        nack.consumer.pel.remove(id);
        acknowledged++;
      }
    }
    if (acknowledged > 0) db.dirtied(new Key(a[1]));
    return Reply.integer(acknowledged);
  }

  private static Reply xpending(KeyedContext ctx, byte[][] a) {
    boolean justInfo = a.length == 3;
    if (a.length != 3 && (a.length < 6 || a.length > 9)) return Reply.SYNTAX_ERROR;
    Id start = null;
    Id end = null;
    long count = 0;
    long minIdle = 0;
    byte[] consumerName = null;
    if (a.length >= 6) {
      int at = 3;
      if (Args.is(a[3], "idle")) {
        Long value = Args.parseLong(a[4]);
        if (value == null) return Reply.NOT_INTEGER;
        minIdle = value;
        if (a.length < 8) return Reply.SYNTAX_ERROR;
        at += 2;
      }
      Long value = Args.parseLong(a[at + 2]);
      if (value == null) return Reply.NOT_INTEGER;
      count = Math.max(0, value);
      Interval from = interval(a[at], 0);
      if (from == null) return INVALID_ID;
      start = from.id();
      if (from.exclusive()) {
        start = start.next();
        if (start == null) return INVALID_START;
      }
      Interval to = interval(a[at + 1], -1L);
      if (to == null) return INVALID_ID;
      end = to.id();
      if (to.exclusive()) {
        end = end.previous();
        if (end == null) return INVALID_END;
      }
      if (at + 3 < a.length) consumerName = a[at + 3];
    }
    RedisStream stream = read(ctx.db(), a[1], RedisStream.class);
    Group group = stream == null ? null : stream.group(a[2]);
    if (group == null) {
      return noGroup("No such key '" + Args.text(a[1]) + "' or consumer group '" + Args.text(a[2]) + "'");
    }
    if (justInfo) {
      if (group.pel.isEmpty()) return Reply.array(Reply.ZERO, Reply.NULL, Reply.NULL, Reply.NULL_ARRAY);
      List<Reply> consumers = new ArrayList<>();
      for (RedisStream.Consumer consumer : group.consumers.values()) {
        if (consumer.pel.isEmpty()) continue;
        consumers.add(Reply.array(Reply.bulk(consumer.name), Reply.bulk(consumer.pel.size())));
      }
      return Reply.array(Reply.integer(group.pel.size()), id(group.pel.firstKey()), id(group.pel.lastKey()),
          Reply.array(consumers));
    }
    java.util.TreeMap<Id, Nack> pel = group.pel;
    if (consumerName != null) {
      RedisStream.Consumer consumer = group.consumers.get(consumerName);
      if (consumer == null) return Reply.EMPTY_ARRAY;
      pel = consumer.pel;
    }
    long now = ctx.db().now();
    List<Reply> out = new ArrayList<>();
    if (start.compareTo(end) <= 0) {
      for (Map.Entry<Id, Nack> pending : pel.subMap(start, true, end, true).entrySet()) {
        if (count == 0) break;
        Nack nack = pending.getValue();
        if (minIdle != 0 && now - nack.deliveryTime < minIdle) continue;
        count--;
        long elapsed = Math.max(0, now - nack.deliveryTime);
        out.add(Reply.array(id(pending.getKey()), Reply.bulk(nack.consumer.name), Reply.integer(elapsed),
            Reply.integer(nack.deliveryCount)));
      }
    }
    return Reply.array(out);
  }

  // ---- XCLAIM, XAUTOCLAIM -----------------------------------------------------------------------------------

  private static Reply xclaim(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    RedisStream stream = read(db, a[1], RedisStream.class);
    Group group = stream == null ? null : stream.group(a[2]);
    if (group == null) {
      return noGroup("No such key '" + Args.text(a[1]) + "' or consumer group '" + Args.text(a[2]) + "'");
    }
    Long minIdleArg = Args.parseLong(a[4]);
    if (minIdleArg == null) return Reply.error("ERR Invalid min-idle-time argument for XCLAIM");
    long minIdle = Math.max(0, minIdleArg);
    List<Id> ids = new ArrayList<>();
    int j = 5;
    for (; j < a.length; j++) {
      Id id = strictId(a[j]);
      if (id == null) break;
      ids.add(id);
    }
    long now = db.now();
    long retryCount = -1;
    long deliveryTime = -1;
    boolean force = false;
    boolean justId = false;
    Id lastId = Id.MIN;
    for (; j < a.length; j++) {
      int more = a.length - 1 - j;
      if (Args.is(a[j], "force")) {
        force = true;
      } else if (Args.is(a[j], "justid")) {
        justId = true;
      } else if (Args.is(a[j], "idle") && more > 0) {
        Long value = Args.parseLong(a[++j]);
        if (value == null) return Reply.error("ERR Invalid IDLE option argument for XCLAIM");
        deliveryTime = now - value;
      } else if (Args.is(a[j], "time") && more > 0) {
        Long value = Args.parseLong(a[++j]);
        if (value == null) return Reply.error("ERR Invalid TIME option argument for XCLAIM");
        deliveryTime = value;
      } else if (Args.is(a[j], "retrycount") && more > 0) {
        Long value = Args.parseLong(a[++j]);
        if (value == null) return Reply.error("ERR Invalid RETRYCOUNT option argument for XCLAIM");
        retryCount = value;
      } else if (Args.is(a[j], "lastid") && more > 0) {
        Id value = strictId(a[++j]);
        if (value == null) return INVALID_ID;
        lastId = value;
      } else {
        return Reply.error("ERR Unrecognized XCLAIM option '" + Args.text(a[j]) + "'");
      }
    }
    Key key = new Key(a[1]);
    boolean propagateLastId = false;
    if (lastId.compareTo(group.lastId) > 0) {
      group.lastId = lastId;
      propagateLastId = true;
    }
    if (deliveryTime != -1) {
      if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
    } else {
      deliveryTime = now;
    }
    RedisStream.Consumer consumer = null;
    boolean changed = false;
    List<Reply> out = new ArrayList<>();
    for (int k = 0; k < ids.size(); k++) {
      Id id = ids.get(k);
      byte[] idArg = a[5 + k];
      Nack nack = group.pel.get(id);
      if (!stream.exists(id)) {
        if (nack != null) {
          ctx.propagate(claimEffect(a[1], a[2], group, idArg, nack));
          propagateLastId = false;
          changed = true;
          group.pel.remove(id);
          nack.consumer.pel.remove(id);
        }
        continue;
      }
      if (force && nack == null) {
        nack = new Nack(now, 1, null);
        group.pel.put(id, nack);
      }
      if (nack == null) continue;
      if (nack.consumer != null && minIdle != 0 && now - nack.deliveryTime < minIdle) continue;
      if (consumer == null) consumer = lookupOrCreateConsumer(db, group, a[3], a[1], now);
      if (nack.consumer != consumer && nack.consumer != null) nack.consumer.pel.remove(id);
      nack.deliveryTime = deliveryTime;
      if (retryCount >= 0) nack.deliveryCount = retryCount;
      else if (!justId) nack.deliveryCount++;
      if (nack.consumer != consumer) {
        consumer.pel.put(id, nack);
        nack.consumer = consumer;
      }
      out.add(justId ? id(id) : item(stream.get(id)));
      ctx.propagate(claimEffect(a[1], a[2], group, idArg, nack));
      propagateLastId = false;
      changed = true;
    }
    if (propagateLastId) {
      ctx.propagate(setIdEffect(a[1], a[2], group));
      changed = true;
    }
    if (changed) db.dirtied(key);
    return Reply.array(out);
  }

  /** streamLookupConsumer (refreshing its seen time) or streamCreateConsumer with its keyspace event. */
  static RedisStream.Consumer lookupOrCreateConsumer(Db db, Group group, byte[] name, byte[] key, long now) {
    RedisStream.Consumer consumer = group.consumers.get(name);
    if (consumer != null) {
      consumer.seenTime = now;
      return consumer;
    }
    consumer = group.createConsumer(name, now);
    db.notify(KeyspaceEvents.STREAM, "xgroup-createconsumer", key);
    return consumer;
  }

  private static Reply xautoclaim(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    Long minIdleArg = Args.parseLong(a[4]);
    if (minIdleArg == null) return Reply.error("ERR Invalid min-idle-time argument for XAUTOCLAIM");
    long minIdle = Math.max(0, minIdleArg);
    Interval from = interval(a[5], 0);
    if (from == null) return INVALID_ID;
    Id start = from.id();
    if (from.exclusive()) {
      start = start.next();
      if (start == null) return INVALID_START;
    }
    long count = 100;
    boolean justId = false;
    for (int j = 6; j < a.length; j++) {
      int more = a.length - 1 - j;
      if (Args.is(a[j], "count") && more > 0) {
        Long value = Args.parseLong(a[j + 1]);
        long maxCount = Long.MAX_VALUE / 16;
        if (value == null || value < 1 || value > maxCount) return Reply.error("ERR COUNT must be > 0");
        count = value;
        j++;
      } else if (Args.is(a[j], "justid")) {
        justId = true;
      } else {
        return Reply.SYNTAX_ERROR;
      }
    }
    RedisStream stream = read(db, a[1], RedisStream.class);
    Group group = stream == null ? null : stream.group(a[2]);
    if (group == null) {
      return noGroup("No such key '" + Args.text(a[1]) + "' or consumer group '" + Args.text(a[2]) + "'");
    }
    long attempts = count * 10;
    long now = db.now();
    RedisStream.Consumer consumer = null;
    List<Reply> claimed = new ArrayList<>();
    List<Reply> deletedIds = new ArrayList<>();
    boolean changed = false;
    Id cursor = start;
    Id next = null;
    while (true) {
      Map.Entry<Id, Nack> pending = cursor == null ? null : group.pel.ceilingEntry(cursor);
      if (pending == null) {
        next = null;
        break;
      }
      if (!(attempts-- > 0 && count > 0)) {
        next = pending.getKey();
        break;
      }
      Id id = pending.getKey();
      Nack nack = pending.getValue();
      cursor = id.next();
      if (!stream.exists(id)) {
        ctx.propagate(claimEffect(a[1], a[2], group, id.bytes(), nack));
        changed = true;
        group.pel.remove(id);
        nack.consumer.pel.remove(id);
        deletedIds.add(id(id));
        count--;
        continue;
      }
      if (minIdle != 0 && now - nack.deliveryTime < minIdle) continue;
      if (consumer == null) consumer = lookupOrCreateConsumer(db, group, a[3], a[1], now);
      if (nack.consumer != consumer && nack.consumer != null) nack.consumer.pel.remove(id);
      nack.deliveryTime = now;
      if (!justId) nack.deliveryCount++;
      if (nack.consumer != consumer) {
        consumer.pel.put(id, nack);
        nack.consumer = consumer;
      }
      claimed.add(justId ? id(id) : item(stream.get(id)));
      count--;
      ctx.propagate(claimEffect(a[1], a[2], group, id.bytes(), nack));
      changed = true;
    }
    if (changed) db.dirtied(new Key(a[1]));
    return Reply.array(id(next == null ? Id.MIN : next), Reply.array(claimed), Reply.array(deletedIds));
  }

  // ---- XINFO ------------------------------------------------------------------------------------------------

  private static Reply xinfo(KeyedContext ctx, byte[][] a) {
    String sub = Args.text(a[1]).toLowerCase(java.util.Locale.ROOT);
    RedisStream stream = read(ctx.db(), a[2], RedisStream.class);
    if (stream == null) return NO_SUCH_KEY;
    long now = ctx.db().now();
    switch (sub) {
      case "consumers" -> {
        if (a.length != 4) return subcommandSyntax(a);
        Group group = stream.group(a[3]);
        if (group == null) {
          return noGroup("No such consumer group '" + Args.text(a[3]) + "' for key name '" + Args.text(a[2]) + "'");
        }
        List<Reply> out = new ArrayList<>();
        for (RedisStream.Consumer consumer : group.consumers.values()) {
          out.add(Reply.map(List.of(Reply.bulk("name"), Reply.bulk(consumer.name), Reply.bulk("pending"),
              Reply.integer(consumer.pel.size()), Reply.bulk("idle"),
              Reply.integer(Math.max(0, now - consumer.seenTime)))));
        }
        return Reply.array(out);
      }
      case "groups" -> {
        if (a.length != 3) return subcommandSyntax(a);
        List<Reply> out = new ArrayList<>();
        for (Map.Entry<byte[], Group> named : stream.groups().entrySet()) {
          Group group = named.getValue();
          out.add(Reply.map(List.of(Reply.bulk("name"), Reply.bulk(named.getKey()), Reply.bulk("consumers"),
              Reply.integer(group.consumers.size()), Reply.bulk("pending"), Reply.integer(group.pel.size()),
              Reply.bulk("last-delivered-id"), id(group.lastId), Reply.bulk("entries-read"), entriesRead(group),
              Reply.bulk("lag"), lag(stream, group))));
        }
        return Reply.array(out);
      }
      default -> {
        return streamInfo(stream, a);
      }
    }
  }

  private static Reply entriesRead(Group group) {
    return group.entriesRead != RedisStream.INVALID_ENTRIES_READ ? Reply.integer(group.entriesRead) : Reply.NULL;
  }

  private static Reply lag(RedisStream stream, Group group) {
    Long lag = stream.lag(group);
    return lag == null ? Reply.NULL : Reply.integer(lag);
  }

  private static Reply streamInfo(RedisStream stream, byte[][] a) {
    boolean full = a.length > 3;
    long count = 10;
    if (full) {
      int options = a.length - 3;
      if (options != 1 && options != 3) return subcommandSyntax(a);
      if (!Args.is(a[3], "full")) return subcommandSyntax(a);
      if (options == 3) {
        if (!Args.is(a[4], "count")) return subcommandSyntax(a);
        Long value = Args.parseLong(a[5]);
        if (value == null) return Reply.NOT_INTEGER;
        count = value < 0 ? 10 : value;
      }
    }
    List<Reply> map = new ArrayList<>();
    map.add(Reply.bulk("length"));
    map.add(Reply.integer(stream.length));
    map.add(Reply.bulk("radix-tree-keys"));
    map.add(Reply.integer(stream.nodeCount()));
    map.add(Reply.bulk("radix-tree-nodes"));
    map.add(Reply.integer(stream.radixTreeNodes()));
    map.add(Reply.bulk("last-generated-id"));
    map.add(id(stream.lastId));
    map.add(Reply.bulk("max-deleted-entry-id"));
    map.add(id(stream.maxDeletedId));
    map.add(Reply.bulk("entries-added"));
    map.add(Reply.integer(stream.entriesAdded));
    map.add(Reply.bulk("recorded-first-entry-id"));
    map.add(id(stream.firstId));
    if (!full) {
      map.add(Reply.bulk("groups"));
      map.add(Reply.integer(stream.groups().size()));
      List<RedisStream.Item> first = stream.range(null, null, 1, false);
      List<RedisStream.Item> last = stream.range(null, null, 1, true);
      map.add(Reply.bulk("first-entry"));
      map.add(first.isEmpty() ? Reply.NULL : item(first.get(0)));
      map.add(Reply.bulk("last-entry"));
      map.add(last.isEmpty() ? Reply.NULL : item(last.get(0)));
      return Reply.map(map);
    }
    map.add(Reply.bulk("entries"));
    map.add(items(stream.range(null, null, count, false)));
    map.add(Reply.bulk("groups"));
    List<Reply> groups = new ArrayList<>();
    for (Map.Entry<byte[], Group> named : stream.groups().entrySet()) {
      Group group = named.getValue();
      List<Reply> pending = new ArrayList<>();
      for (Map.Entry<Id, Nack> nack : group.pel.entrySet()) {
        if (count != 0 && pending.size() >= count) break;
        pending.add(Reply.array(id(nack.getKey()), Reply.bulk(nack.getValue().consumer.name),
            Reply.integer(nack.getValue().deliveryTime), Reply.integer(nack.getValue().deliveryCount)));
      }
      List<Reply> consumers = new ArrayList<>();
      for (RedisStream.Consumer consumer : group.consumers.values()) {
        List<Reply> own = new ArrayList<>();
        for (Map.Entry<Id, Nack> nack : consumer.pel.entrySet()) {
          if (count != 0 && own.size() >= count) break;
          own.add(Reply.array(id(nack.getKey()), Reply.integer(nack.getValue().deliveryTime),
              Reply.integer(nack.getValue().deliveryCount)));
        }
        consumers.add(Reply.map(List.of(Reply.bulk("name"), Reply.bulk(consumer.name), Reply.bulk("seen-time"),
            Reply.integer(consumer.seenTime), Reply.bulk("pel-count"), Reply.integer(consumer.pel.size()),
            Reply.bulk("pending"), Reply.array(own))));
      }
      groups.add(Reply.map(List.of(Reply.bulk("name"), Reply.bulk(named.getKey()), Reply.bulk("last-delivered-id"),
          id(group.lastId), Reply.bulk("entries-read"), entriesRead(group), Reply.bulk("lag"), lag(stream, group),
          Reply.bulk("pel-count"), Reply.integer(group.pel.size()), Reply.bulk("pending"), Reply.array(pending),
          Reply.bulk("consumers"), Reply.array(consumers))));
    }
    map.add(Reply.array(groups));
    return Reply.map(map);
  }
}
