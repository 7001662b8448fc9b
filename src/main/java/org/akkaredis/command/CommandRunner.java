package org.akkaredis.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.akkaredis.keyspace.Db;
import org.akkaredis.keyspace.EffectBuffer;
import org.akkaredis.keyspace.HeldKeyspace;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceAccess;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.Slots;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.keyspace.SpanningDb;
import org.akkaredis.resp.Reply;

/**
 * The steps every command goes through, whoever runs it (the per-read batch, EXEC): look it up, check arity
 * and authentication, find the ranges of its keys, and run it where its handler kind says.
 */
public final class CommandRunner {
  private CommandRunner() {}

  static final Reply NOAUTH = Reply.error("NOAUTH Authentication required.");
  public static final Reply CROSSSLOT = Reply.error("CROSSSLOT Keys in request don't hash to the same slot");

  /** A command looked up in the table: its row, or the error to answer instead. */
  public record Resolved(CommandSpec spec, Reply error) {}

  public static Resolved resolve(CommandTable table, byte[][] args) {
    CommandSpec spec = table.lookup(args[0]);
    if (spec == null) return new Resolved(null, unknownCommand(args));
    if (!spec.subcommands().isEmpty()) {
      if (!spec.arityOk(args.length)) return new Resolved(null, Reply.wrongArity(spec.name()));
      if (args.length == 1) return new Resolved(spec, null);
      CommandSpec sub = spec.subcommands().get(CommandTable.lowerAscii(args[1]));
      if (sub == null) {
        return new Resolved(null, Reply.error("ERR unknown subcommand '" + clip(Args.text(args[1]))
            + "'. Try " + spec.name().toUpperCase() + " HELP."));
      }
      spec = sub;
    }
    if (!spec.arityOk(args.length)) return new Resolved(null, Reply.wrongArity(spec.name()));
    return new Resolved(spec, null);
  }

  /**
   * The command (or subcommand) the arguments name, whatever their number: what Redis's processCommand has looked
   * up before its arity check, for counting a refused call under its command. Null when unknown.
   */
  static CommandSpec named(CommandTable table, byte[][] args) {
    CommandSpec spec = table.lookup(args[0]);
    if (spec == null || spec.subcommands().isEmpty() || args.length == 1) return spec;
    return spec.subcommands().get(CommandTable.lowerAscii(args[1]));
  }

  static Reply unknownCommand(byte[][] args) {
    StringBuilder text = new StringBuilder("ERR unknown command '").append(clip(Args.text(args[0])))
        .append("', with args beginning with: ");
    StringBuilder quoted = new StringBuilder();
    for (int i = 1; i < args.length && quoted.length() < 128; i++) {
      String arg = Args.text(args[i]);
      int room = 128 - quoted.length();
      quoted.append('\'').append(arg, 0, Math.min(arg.length(), room)).append("' ");
    }
    return Reply.error(text.append(quoted).toString());
  }

  private static String clip(String text) {
    return text.length() > 128 ? text.substring(0, 128) : text;
  }

  /**
   * Where a keyed command's keys live: the slot (or -1 when it has none) and the ranges (ascending).
   * In cluster mode all keys must share a slot; {@code crossSlot} is then set instead.
   */
  public record KeyPlacement(int slot, int[] ranges, boolean crossSlot) {}

  /**
   * A keyed command's cluster refusal (CROSSSLOT, MOVED, CLUSTERDOWN), or null when it may run here: Redis checks
   * this before its other refusals (OOM, MISCONF, NOREPLICAS), so a client that is to go elsewhere is sent there.
   * The master's client is never redirected.
   */
  static Reply routingRefusal(CommandSpec spec, byte[][] args, KeyspaceAccess keyspace, Session session) {
    if (!(spec.handler() instanceof Handler.Keyed) || session.replicationApplier) return null;
    // No data at hand here: a slot in migration whose answer depends on the keys is decided in its range.
    return slotRefusal(place(spec, args, keyspace), keyspace, session, query(spec, session, session.asking));
  }

  /**
   * CROSSSLOT, or where the placed keys' slot sends the command before any data is read; null: served here. Also
   * for the commands that route themselves (blocking pops, MIGRATE).
   */
  public static Reply slotRefusal(KeyPlacement placement, KeyspaceAccess keyspace, Session session, int query) {
    if (placement.crossSlot()) return CROSSSLOT;
    if (placement.slot() < 0 || session.replicationApplier) return null;
    String refusal = keyspace.routing().refusal(placement.slot(), query, null);
    return refusal == null ? null : Reply.error(refusal);
  }

  /** What routing needs to know of a command and its client ({@link SlotRouting#refusal(int, int, SlotRouting.KeyCount)}). */
  public static int query(CommandSpec spec, Session session, boolean asking) {
    int query = spec.isWrite() ? SlotRouting.WRITE : 0;
    if (session.readonly) query |= SlotRouting.READONLY_SESSION;
    // RESTORE-ASKING carries the flag itself (Redis's CMD_ASKING).
    if (asking || spec.hasFlag("asking")) query |= SlotRouting.ASKING;
    if (spec.name().equals("migrate")) query |= SlotRouting.MIGRATE;
    return query;
  }

  /**
   * The routing refusal of a keyed command where its keys are: for a slot in migration, what the node holds of
   * them decides (Redis's getNodeByQuery looks them up in database 0, expiring without touching).
   */
  static String routingRefusal(SlotRouting routing, int slot, CommandSpec spec, byte[][] args, Session session,
      boolean asking, Db db0) {
    // The common case first: ASKING and MIGRATE matter only for a slot in migration.
    if (!routing.inMigration(slot)) return routing.refusal(slot, spec.isWrite(), session.readonly);
    return routing.refusal(slot, query(spec, session, asking), countKeys(db0, spec, args));
  }

  /** How many of the command's keys {@code db} holds, and whether it names more than one distinct key. */
  static SlotRouting.KeyCount countKeys(Db db, CommandSpec spec, byte[][] args) {
    int[] positions = keyPositions(spec, args);
    int existing = 0;
    int missing = 0;
    boolean multiple = false;
    for (int position : positions) {
      byte[] key = args[position];
      multiple |= !Arrays.equals(key, args[positions[0]]);
      if (db.peek(new Key(key)) == null) {
        missing++;
      } else {
        existing++;
      }
    }
    return new SlotRouting.KeyCount(existing, missing, multiple);
  }

  /** The positions of a command's keys: its key specifications' for a command with movable keys. */
  static int[] keyPositions(CommandSpec spec, byte[][] args) {
    if (!spec.hasFlag("movablekeys")) return spec.keyPositions(args.length);
    List<KeyFinder.KeyRef> keys = KeyFinder.findKeys(spec, args);
    if (keys == null) return new int[0];
    int[] positions = new int[keys.size()];
    for (int i = 0; i < positions.length; i++) positions[i] = keys.get(i).position();
    return positions;
  }

  public static KeyPlacement place(CommandSpec spec, byte[][] args, KeyspaceAccess keyspace) {
    if (spec.hasFlag("movablekeys")) return placeMovable(spec, args, keyspace);
    int first = spec.firstKey();
    if (first <= 0 || first >= args.length) return NO_KEYS;
    int slot = Slots.slotOf(args[first]);
    int range = keyspace.rangeOfSlot(slot);
    if (spec.lastKey() == first) return new KeyPlacement(slot, SINGLE_RANGE[range], false);
    return placeAll(spec.keyPositions(args.length), args, keyspace);
  }

  /**
   * Keys found by the key specifications (SINTERCARD, LMPOP, ZUNION ... numkeys key ...). A command line whose
   * keys cannot be found runs in the first range without a slot, where it answers its own syntax error.
   */
  private static KeyPlacement placeMovable(CommandSpec spec, byte[][] args, KeyspaceAccess keyspace) {
    List<KeyFinder.KeyRef> keys = KeyFinder.findKeys(spec, args);
    if (keys == null || keys.isEmpty()) return MOVABLE_WITHOUT_KEYS;
    int[] positions = new int[keys.size()];
    for (int i = 0; i < positions.length; i++) positions[i] = keys.get(i).position();
    KeyPlacement placement = placeAll(positions, args, keyspace);
    // SORT's BY and GET patterns name keys only its run knows; in standalone mode they may be in any range.
    if (!placement.crossSlot() && !keyspace.routing().clusterEnabled()
        && KeyFinder.readsPatternKeys(spec.name(), args)) {
      int[] every = new int[keyspace.rangeCount()];
      for (int i = 0; i < every.length; i++) every[i] = i;
      return new KeyPlacement(placement.slot(), every, false);
    }
    return placement;
  }

  private static KeyPlacement placeAll(int[] positions, byte[][] args, KeyspaceAccess keyspace) {
    int slot = Slots.slotOf(args[positions[0]]);
    int range = keyspace.rangeOfSlot(slot);
    int[] ranges = null;
    for (int i = 1; i < positions.length; i++) {
      int other = Slots.slotOf(args[positions[i]]);
      if (other == slot) continue;
      if (keyspace.routing().clusterEnabled()) return new KeyPlacement(slot, new int[0], true);
      int otherRange = keyspace.rangeOfSlot(other);
      if (otherRange != range) {
        if (ranges == null) ranges = new int[] {range};
        ranges = addRange(ranges, otherRange);
      }
    }
    return new KeyPlacement(slot, ranges == null ? SINGLE_RANGE[range] : ranges, false);
  }

  private static final KeyPlacement NO_KEYS = new KeyPlacement(-1, new int[0], false);
  private static final KeyPlacement MOVABLE_WITHOUT_KEYS = new KeyPlacement(-1, new int[] {0}, false);
  /** Shared one-element arrays (never modified) so the common single-range case allocates none. */
  private static final int[][] SINGLE_RANGE = new int[Slots.COUNT][];

  static {
    for (int i = 0; i < SINGLE_RANGE.length; i++) SINGLE_RANGE[i] = new int[] {i};
  }

  private static int[] addRange(int[] ranges, int range) {
    for (int r : ranges) if (r == range) return ranges;
    int[] grown = java.util.Arrays.copyOf(ranges, ranges.length + 1);
    grown[ranges.length] = range;
    java.util.Arrays.sort(grown);
    return grown;
  }

  /** A keyed command's context that keeps what its handler says its effect is ({@link KeyedContext#propagate}). */
  abstract static class Recording implements KeyedContext {
    /** The commands the handler propagated instead of itself, or null when it propagated none. */
    List<byte[][]> propagated;

    @Override public void propagate(byte[]... args) {
      if (propagated == null) propagated = new ArrayList<>(2);
      propagated.add(args);
    }

    @Override public void propagateNothing() {
      if (propagated == null) propagated = new ArrayList<>(0);
    }
  }

  /**
   * After a keyed command: records its effect, as Redis's call() propagates one whose run made server.dirty grow
   * (and only a command with the write flag): the command itself, or what its handler propagated instead.
   */
  static void record(RangeState state, int range, List<byte[][]> propagated, int db, CommandSpec spec,
      byte[][] args, boolean changed) {
    // A write to a database an async load fills (a replica's, numbered after the visible ones) is not propagated.
    if (!changed || !spec.isWrite() || !state.recording() || db >= state.databases()) return;
    EffectBuffer effects = state.effects();
    if (propagated == null) {
      effects.add(range, db, state.applying(), args);
      return;
    }
    int start = effects.begin();
    for (byte[][] command : propagated) effects.add(range, db, state.applying(), command);
    effects.end(start);
  }

  /**
   * A keyed command's view of one range; one per range message, re-pointed for each command in it, so that
   * running a command allocates nothing here.
   */
  static final class RangeContext extends Recording {
    private final RangeState state;
    private Session session;
    private int db;

    RangeContext(RangeState state) {
      this.state = state;
    }

    @Override public Db db() {
      return state.db(db);
    }

    @Override public Db db(int index) {
      return index >= 0 && index < state.databases() ? state.db(index) : null;
    }

    @Override public Session session() {
      return session;
    }

    /** Runs a keyed command inside the range that holds its slot; {@code asking}: right after ASKING. */
    Reply run(Session session, int db, CommandSpec spec, byte[][] args, int slot, boolean asking) {
      String refusal = slot < 0 || session.replicationApplier ? null
          : routingRefusal(state.routing(), slot, spec, args, session, asking, state.db(0));
      if (refusal != null) return Reply.error(refusal);
      this.session = session;
      this.db = db;
      propagated = null;
      state.applying(session.replicationApplier);
      state.muteEvents(session.loadsSnapshot);
      state.hintSlot(args[spec.firstKey()], slot);
      long dirty = state.dirty();
      Reply reply;
      try {
        reply = ((Handler.Keyed) spec.handler()).run(this, args);
      } catch (RuntimeException e) {
        reply = internalError(spec, e);
      }
      record(state, state.index(), propagated, db, spec, args, state.dirty() != dirty);
      state.applying(false);
      state.muteEvents(false);
      // As Redis does after each command: clients blocked on keys it filled are served before the next one.
      if (state.blocked().hasReadyKeys()) state.blocked().serveReady(state);
      return reply;
    }
  }

  /** Runs a keyed command over several held ranges (keys in several ranges, or inside EXEC). */
  public static Reply runKeyedHeld(RangeState[] held, int rangeCount, Session session, int db, CommandSpec spec,
      byte[][] args, int slot, SlotRouting routing) {
    if (slot >= 0 && !session.replicationApplier) {
      // Run as a barrier (EXEC, keys in several ranges): the client's ASKING is still the one it sent for this.
      String refusal = routingRefusal(routing, slot, spec, args, session, session.asking,
          new SpanningDb(held, rangeCount, 0));
      if (refusal != null) return Reply.error(refusal);
    }
    int databases = held[0].databases();
    Recording ctx = new Recording() {
      @Override public Db db() {
        return new SpanningDb(held, rangeCount, db);
      }

      @Override public Db db(int index) {
        return index >= 0 && index < databases ? new SpanningDb(held, rangeCount, index) : null;
      }

      @Override public Session session() {
        return session;
      }
    };
    long dirty = 0;
    for (RangeState state : held) {
      state.applying(session.replicationApplier);
      state.muteEvents(session.loadsSnapshot);
      dirty += state.dirty();
    }
    Reply reply;
    try {
      reply = ((Handler.Keyed) spec.handler()).run(ctx, args);
    } catch (RuntimeException e) {
      reply = internalError(spec, e);
    }
    long after = 0;
    for (RangeState state : held) after += state.dirty();
    // The held ranges share one effect buffer (Keyspace.holding), so the first one records for all, under the
    // range of the command's slot (keys in several ranges happen only in standalone mode, which replicates not).
    int range = slot >= 0 ? slot / (Slots.COUNT / rangeCount) : -1;
    record(held[0], range, ctx.propagated, db, spec, args, after != dirty);
    for (RangeState state : held) {
      state.applying(false);
      state.muteEvents(false);
    }
    return reply;
  }

  /** A failing handler answers an error; it never takes the range (and its data) down with it. */
  static Reply internalError(CommandSpec spec, RuntimeException e) {
    return Reply.error("ERR internal error in '" + spec.name() + "': " + e);
  }

  /**
   * Runs one command of any kind while every range it may touch is already held: keyed commands on the
   * held states, node commands against a keyspace that answers at once. EXEC runs its queue through this.
   */
  public static CompletionStage<Reply> runHeld(NodeContext node, Session session, CommandSpec spec,
      byte[][] args, RangeState[] heldAll) {
    if (session.replicationApplier) return runHeldUncounted(node, session, spec, args, heldAll);
    // A transaction's commands count one by one in commandstats and the slow log, as Redis's EXEC calls call().
    long start = System.nanoTime();
    return runHeldUncounted(node, session, spec, args, heldAll).thenApply(reply -> {
      CommandCalls.finished(node, session, spec, args, start);
      if (reply instanceof Reply.Error error) {
        ServerStats.CommandCounters counters = node.stats().of(spec.name());
        if (error.refused()) {
          counters.calls.decrement();
          counters.rejectedCalls.increment();
        } else {
          counters.failedCalls.increment();
        }
        // Inside EXEC's array the connection does not see it as an error reply; Redis counts it all the same. A
        // script that passes it on as its own error does not count it again.
        if (!error.counted()) node.stats().error(error.text());
        return error.asCounted();
      }
      return reply;
    });
  }

  private static CompletionStage<Reply> runHeldUncounted(NodeContext node, Session session, CommandSpec spec,
      byte[][] args, RangeState[] heldAll) {
    Handler handler = spec.handler();
    if (handler instanceof Handler.OfSession h) {
      return CompletableFuture.completedFuture(h.run(session, args));
    }
    if (handler instanceof Handler.OfNode h) {
      NodeContext held = node.withKeyspace(new HeldKeyspace(node.keyspace(), heldAll));
      try {
        return h.run(held, session, args).exceptionally(e -> Reply.error("ERR " + e.getMessage()));
      } catch (RuntimeException e) {
        return CompletableFuture.completedFuture(internalError(spec, e));
      }
    }
    KeyPlacement placement = place(spec, args, node.keyspace());
    return CompletableFuture.completedFuture(runKeyedHeld(heldAll, node.keyspace().rangeCount(), session,
        session.db, spec, args, placement.slot(), node.keyspace().routing()));
  }

  /** Runs commands one after the other, each after the previous one's reply. */
  public static CompletionStage<List<Reply>> runAllHeld(NodeContext node, Session session,
      List<CommandSpec> specs, List<byte[][]> argsList, RangeState[] heldAll) {
    List<Reply> replies = new ArrayList<>(specs.size());
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (int i = 0; i < specs.size(); i++) {
      CommandSpec spec = specs.get(i);
      byte[][] args = argsList.get(i);
      chain = chain.thenCompose(v -> runHeld(node, session, spec, args, heldAll)).thenAccept(replies::add);
    }
    return chain.thenApply(v -> replies);
  }
}
