package org.akkaredis.command;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.akkaredis.text.LongDouble;
import org.akkaredis.keyspace.BlockedClients;
import org.akkaredis.keyspace.Db;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.HeldKeyspace;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceAccess;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.RedisList;
import org.akkaredis.keyspace.RedisZSet;
import org.akkaredis.keyspace.Slots;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.keyspace.SpanningDb;
import org.akkaredis.resp.Reply;

/**
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP. Each first tries at once, holding the
 * range(s) of its keys; when every key is empty the client waits in those ranges ({@link BlockedClients}) until a
 * value stored under one of the keys serves it (in blocking order), its timeout passes (checked on the range's
 * periodic tick, as Redis checks on its cron), its slot moves away, or its connection closes. Inside EXEC they
 * never wait: an empty key answers as a timeout would.
 */
public final class BlockingCommands {
  private BlockingCommands() {}

  private static final Reply TIMEOUT_NOT_FLOAT = Reply.error("ERR timeout is not a float or out of range");
  private static final Reply TIMEOUT_NEGATIVE = Reply.error("ERR timeout is negative");
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
  private static final BigDecimal MAX_MS = BigDecimal.valueOf(Long.MAX_VALUE);

  /** What a blocked command takes from one key that holds a value of its type: the reply to send. */
  @FunctionalInterface
  interface Take {
    Reply from(Db db, byte[] key);
  }

  /**
   * A parsed blocking command: its keys a[from..to), the value type it takes, and how. {@code otherKey} says the
   * take also writes another key (BLMOVE's destination). A timeout answers a null array (even for BLMOVE, as
   * Redis 7.0 does); {@code inMulti} is the answer to an empty key inside EXEC.
   */
  private record Blocking(int from, int to, Class<?> type, Take take, Reply inMulti, boolean otherKey,
      StreamCommands.StreamRead streams) {
    Blocking(int from, int to, Class<?> type, Take take, Reply inMulti, boolean otherKey) {
      this(from, to, type, take, inMulti, otherKey, null);
    }
  }

  /**
   * XREAD and XREADGROUP: they try every stream at once ({@link StreamCommands.StreamRead#attempt}), and wait only
   * with BLOCK, for an entry past the id each stream was read from (or past the group's last id).
   */
  static Handler.OfNode streamRead() {
    return (ctx, session, a) -> {
      Object parsed = StreamCommands.StreamRead.parse(a, session);
      if (parsed instanceof Reply error) return done(error);
      StreamCommands.StreamRead read = (StreamCommands.StreamRead) parsed;
      Blocking blocking = new Blocking(read.streamsArg, read.streamsArg + read.streams,
          org.akkaredis.keyspace.RedisStream.class, read::take, Reply.NULL_ARRAY, false, read);
      return run(ctx, session, a, blocking, Math.max(0, read.timeoutMs), -1, false);
    };
  }

  /** Completes a waiter that must retry through its ranges (its destination lies in another range). */
  private static final Reply RETRY = Reply.simple("retry");

  public static void register(CommandTable.Builder b) {
    b.handle("blpop", node(a -> pop(a, true)));
    b.handle("brpop", node(a -> pop(a, false)));
    b.handle("blmove", node(a -> {
      Boolean from = ListCommands.side(a[3]);
      Boolean to = ListCommands.side(a[4]);
      if (from == null || to == null) return Reply.SYNTAX_ERROR;
      return move(a, from, to);
    }));
    b.handle("brpoplpush", node(a -> move(a, false, true)));
    b.handle("blmpop", node(a -> mpop(a, "left", "right", RedisList.class)));
    b.handle("bzpopmin", node(a -> zpop(a, true)));
    b.handle("bzpopmax", node(a -> zpop(a, false)));
    b.handle("bzmpop", node(a -> mpop(a, "min", "max", RedisZSet.class)));
    b.handle("client|unblock", (Handler.OfNode) BlockingCommands::clientUnblock);
  }

  static final String UNBLOCKED = "UNBLOCKED client unblocked via CLIENT UNBLOCK";

  /**
   * CLIENT UNBLOCK client-id [TIMEOUT|ERROR]: a client waiting in one of these commands answers as on its timeout,
   * or with the UNBLOCKED error; 1 if it was unblocked, 0 if no such client waits. The reason is checked before
   * the id, as Redis does.
   */
  static CompletionStage<Reply> clientUnblock(NodeContext ctx, Session session, byte[][] a) {
    if (a.length > 4) {
      return done(Reply.error("ERR unknown subcommand or wrong number of arguments for '" + Args.text(a[1])
          + "'. Try CLIENT HELP."));
    }
    boolean error = false;
    if (a.length == 4) {
      if (Args.is(a[3], "error")) error = true;
      else if (!Args.is(a[3], "timeout")) return done(Reply.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"));
    }
    Long id = Args.parseLong(a[2]);
    if (id == null) return done(Reply.NOT_INTEGER);
    for (Session target : ctx.clients().sessions()) {
      if (target.id != id) continue;
      BlockedClients.Client waiting = target.blockedIn;
      return done(waiting != null && waiting.unblock(error ? UNBLOCKED : null) ? Reply.ONE : Reply.ZERO);
    }
    return done(Reply.ZERO);
  }

  // ---- the commands: what to take, from which keys --------------------------------------------------------

  // Each take records its effect as Redis 7.0 propagates a blocking pop: as the non-blocking command.
  private static final byte[] LMOVE = Args.bytes("LMOVE");
  private static final byte[] RPOPLPUSH = Args.bytes("RPOPLPUSH");

  private static Object pop(byte[][] a, boolean left) {
    return new Blocking(1, a.length - 1, RedisList.class, (db, key) -> {
      RedisList list = TypedKeys.write(db, key, RedisList.class);
      Reply reply = Reply.array(Reply.bulk(key), ListCommands.popMany(db, key, list, left, 1).get(0));
      db.effect(left ? ListCommands.LPOP : ListCommands.RPOP, key);
      return reply;
    }, Reply.NULL_ARRAY, false);
  }

  private static Object move(byte[][] a, boolean fromLeft, boolean toLeft) {
    boolean lmove = Args.is(a[0], "blmove");
    return new Blocking(1, 2, RedisList.class, (db, key) -> {
      Reply reply = ListCommands.move(db, a[1], a[2], fromLeft, toLeft);
      if (lmove) db.effect(LMOVE, a[1], a[2], a[3], a[4]);
      else db.effect(RPOPLPUSH, a[1], a[2]);
      return reply;
    }, Reply.NULL, true);
  }

  private static Object zpop(byte[][] a, boolean min) {
    return new Blocking(1, a.length - 1, RedisZSet.class, (db, key) -> {
      Reply reply = SortedSetCommands.popOne(db, key, TypedKeys.write(db, key, RedisZSet.class), min);
      db.effect(min ? SortedSetCommands.ZPOPMIN : SortedSetCommands.ZPOPMAX, key);
      return reply;
    }, Reply.NULL_ARRAY, false);
  }

  /** BLMPOP / BZMPOP timeout numkeys key... side [COUNT count]. */
  private static Object mpop(byte[][] a, String first, String second, Class<?> type) {
    Object parsed = TypedKeys.MpopArgs.parse(a, 2, first, second);
    if (parsed instanceof Reply error) return error;
    TypedKeys.MpopArgs args = (TypedKeys.MpopArgs) parsed;
    TypedKeys.MultiPop pop = type == RedisList.class ? ListCommands::mpop : SortedSetCommands::mpop;
    byte[][] one = new byte[2][];
    return new Blocking(3, args.keysEnd(), type, (db, key) -> {
      one[1] = key;
      return pop.pop(db, one, 1, 2, args.first(), args.count(), db::effect);
    }, Reply.NULL_ARRAY, false);
  }

  // ---- running one ----------------------------------------------------------------------------------------

  /**
   * A blocking command's handler: parses the timeout (the last argument, or the first for BLMPOP/BZMPOP), then
   * the rest ({@code parse} gives a {@link Blocking} or an error reply), then tries and, if need be, waits.
   */
  private static Handler.OfNode node(java.util.function.Function<byte[][], Object> parse) {
    return (ctx, session, a) -> {
      boolean timeoutFirst = Args.is(a[0], "blmpop") || Args.is(a[0], "bzmpop");
      Object timeout = timeoutMs(a[timeoutFirst ? 1 : a.length - 1]);
      if (timeout instanceof Reply error) return done(error);
      Object parsed = parse.apply(a);
      if (parsed instanceof Reply error) return done(error);
      return run(ctx, session, a, (Blocking) parsed, (Long) timeout, -1, false);
    };
  }

  /** Redis's getTimeoutFromObjectOrReply in seconds: a long double, in ms rounded up; 0 waits forever. */
  static Object timeoutMs(byte[] arg) {
    LongDouble seconds = LongDouble.parse(arg);
    if (seconds == null) return TIMEOUT_NOT_FLOAT;
    if (seconds.infinite()) return TIMEOUT_NEGATIVE;
    BigDecimal ms = seconds.value().multiply(THOUSAND).setScale(0, RoundingMode.CEILING);
    // Out of range, C's conversion to long long gives LLONG_MIN: "negative".
    if (ms.signum() < 0 || ms.compareTo(MAX_MS) > 0) return TIMEOUT_NEGATIVE;
    return ms.longValueExact();
  }

  /**
   * Tries the command on its held ranges, and registers the client in them when it finds nothing. The deadline
   * is absolute (0: none), or -1 to start {@code timeoutMs} from now. {@code woken}: a waiter that a range woke
   * to take through its ranges; whatever it leaves in its keys goes to the keys' next waiters.
   */
  private static CompletionStage<Reply> run(NodeContext ctx, Session session, byte[][] a, Blocking blocking,
      long timeoutMs, long deadline, boolean woken) {
    KeyspaceAccess keyspace = ctx.keyspace();
    CommandSpec spec = ctx.commands().lookup(a[0]);
    CommandRunner.KeyPlacement placement = CommandRunner.place(spec, a, keyspace);
    // A woken waiter was admitted when it blocked: like Redis's blocked clients, it stays in a slot being imported.
    Reply redirected = CommandRunner.slotRefusal(placement, keyspace, session,
        CommandRunner.query(spec, session, woken || session.asking) | SlotRouting.WRITE);
    if (redirected != null) return done(redirected);
    boolean mayWait = !(keyspace instanceof HeldKeyspace);
    // Served inside one range, a take that writes a key of another range cannot run there: the waiter retries.
    boolean retry = blocking.otherKey() && placement.ranges().length > 1;
    int dbIndex = session.db;
    Waiter[] waiter = new Waiter[1];
    return keyspace.holding(placement.ranges(), held -> {
      Db db = new SpanningDb(held, keyspace.rangeCount(), dbIndex);
      long now = held[0].now();
      long until = deadline >= 0 ? deadline : timeoutMs == 0 ? 0 : now + timeoutMs;
      if (!woken && placement.slot() >= 0 && !session.replicationApplier) {
        // A slot in migration: whether its keys are here decides (ASK, TRYAGAIN), as for any keyed command.
        String refusal = CommandRunner.routingRefusal(keyspace.routing(), placement.slot(), spec, a, session,
            session.asking, new SpanningDb(held, keyspace.rangeCount(), 0));
        if (refusal != null) return done(Reply.error(refusal));
      }
      if (woken) {
        // Served or not, the keys' next waiters get what is left once the ranges are released.
        for (int i = blocking.from(); i < blocking.to(); i++) {
          held[indexOf(held, keyspace.rangeOfSlot(Slots.slotOf(a[i])))].blocked().signal(dbIndex, new Key(a[i]));
        }
      }
      try {
        if (blocking.streams() != null) {
          Reply read = blocking.streams().attempt(db);
          if (read != null) return done(read);
          if (!blocking.streams().blocks()) return done(Reply.NULL_ARRAY);
        } else {
          for (int i = blocking.from(); i < blocking.to(); i++) {
            if (TypedKeys.write(db, a[i], blocking.type()) != null) return done(blocking.take().from(db, a[i]));
          }
        }
      } catch (TypedKeys.WrongType e) {
        return done(Reply.WRONGTYPE);
      }
      if (!mayWait) return done(blocking.inMulti());
      if (until > 0 && until <= now) return done(Reply.NULL_ARRAY);
      waiter[0] = new Waiter(blocking, until, placement.slot(), retry, session, ctx.clients());
      // Counted before it shows as blocked: whoever sees the 'b' flag sees the call.
      if (!woken) CommandCalls.blockedCall(ctx, spec);
      session.blocked = true;
      session.blockedAtNanos = System.nanoTime();
      session.blockedIn = waiter[0];
      waiter[0].reply.whenComplete((served, failure) -> {
        session.blocked = false;
        session.blockedIn = null;
      });
      for (RangeState state : held) {
        List<Key> keys = new ArrayList<>();
        for (int i = blocking.from(); i < blocking.to(); i++) {
          if (keyspace.rangeOfSlot(Slots.slotOf(a[i])) == state.index()) keys.add(new Key(a[i]));
        }
        if (!keys.isEmpty()) state.blocked().block(waiter[0], dbIndex, keys);
      }
      return CompletableFuture.completedFuture((Reply) null);
    }).thenCompose(reply -> reply != null ? done(reply) : waiter[0].reply.thenCompose(served -> served == RETRY
        ? run(ctx, session, a, blocking, timeoutMs, waiter[0].deadline(), true) : done(served)));
  }

  private static int indexOf(RangeState[] held, int range) {
    for (int i = 0; i < held.length; i++) {
      if (held[i].index() == range) return i;
    }
    throw new IllegalStateException("range " + range + " is not held");
  }

  private static CompletionStage<Reply> done(Reply reply) {
    return CompletableFuture.completedFuture(reply);
  }

  /** A client blocked by one of these commands. */
  static final class Waiter extends BlockedClients.Client {
    final CompletableFuture<Reply> reply = new CompletableFuture<>();
    private Reply served;
    private final Blocking blocking;
    private final boolean retry;
    private final Session session;
    private final ClientDirectory clients;

    Waiter(Blocking blocking, long deadline, int slot, boolean retry, Session session, ClientDirectory clients) {
      super(deadline, slot);
      this.blocking = blocking;
      this.retry = retry;
      this.session = session;
      this.clients = clients;
    }

    @Override protected boolean takesLater() {
      return retry;
    }

    @Override protected boolean canServe(Entry entry) {
      if (blocking.streams() != null) return blocking.streams().canServe(entry);
      return blocking.type().isInstance(entry.value);
    }

    @Override protected String refusal(Entry entry) {
      return blocking.streams() != null ? blocking.streams().refusal(entry) : null;
    }

    @Override protected void serve(Db db, Key key) {
      if (retry) {
        served = RETRY;
        return;
      }
      try {
        served = blocking.take().from(db, key.bytes());
      } catch (TypedKeys.WrongType e) {
        served = Reply.WRONGTYPE;
      }
    }

    /** The answer goes out only once the take's effect has reached the sink. */
    @Override protected void answer(String error) {
      reply.complete(error == null ? served : Reply.error(error));
    }

    @Override protected void finish(String error) {
      reply.complete(error == null ? Reply.NULL_ARRAY : Reply.error(error));
    }

    @Override protected boolean disconnected() {
      return session.disconnected || session.closeRequested
          || (clients != null && clients.sessions().stream().noneMatch(s -> s.id == session.id));
    }
  }
}
