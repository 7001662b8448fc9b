package org.akkaredis.keyspace;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.akkaredis.config.Settings;

/** The node's slot ranges: spawns one SlotRange actor per range and sends work to them. */
public final class Keyspace implements KeyspaceAccess {
  /** The fewest ranges the default gives: what was measured fastest on 2 cores (docs/performance.md). */
  static final int MIN_DEFAULT_RANGES = 4;
  /** The most ranges the default gives: the old fixed default, the largest count the tests have long run with. */
  static final int MAX_DEFAULT_RANGES = 16;
  /** The number of ranges, from Akka's configuration (application.conf; {@code -Dakka-redis.slot-ranges=4}). */
  public static final String RANGES_CONFIG_PATH = "akka-redis.slot-ranges";
  /** The value of {@link #RANGES_CONFIG_PATH} that asks for {@link #defaultRangeCount(int)} of this machine. */
  public static final String AUTO_RANGES = "auto";

  /**
   * The default number of ranges for a machine with {@code processors} cores: twice the cores rounded up to a power of
   * two, from 4 to 16. Twice, so there are more ranges than default-dispatcher threads (1.5 a core) and every thread
   * can run range work; no more, since a pipelined read of random keys sends one message, future and deadline to
   * each range it touches, and fewer ranges were faster at -P 16 on 2 cores (docs/performance.md).
   */
  public static int defaultRangeCount(int processors) {
    int wanted = 2 * Math.min(Math.max(1, processors), MAX_DEFAULT_RANGES);
    int powerOfTwo = Integer.highestOneBit(wanted - 1) << 1; // wanted, rounded up to a power of two
    return Math.max(MIN_DEFAULT_RANGES, Math.min(MAX_DEFAULT_RANGES, powerOfTwo));
  }

  /**
   * The number of slot ranges the configuration asks for: {@link #defaultRangeCount(int)} of this machine when absent
   * or {@code auto}, else a power of two from 1 to 16384, so every range holds the same number of slots; anything
   * else is refused with one line saying so.
   */
  public static int rangeCount(Config config) {
    int auto = defaultRangeCount(Runtime.getRuntime().availableProcessors());
    if (!config.hasPath(RANGES_CONFIG_PATH)) return auto;
    String value = config.getValue(RANGES_CONFIG_PATH).unwrapped().toString();
    if (value.trim().equals(AUTO_RANGES)) return auto;
    int count;
    try {
      count = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      count = 0;
    }
    if (count < 1 || count > Slots.COUNT || Integer.bitCount(count) != 1) {
      throw new IllegalArgumentException(RANGES_CONFIG_PATH + " must be auto or a power of two from 1 to "
          + Slots.COUNT + ", not '" + value + "'");
    }
    return count;
  }

  private final List<ActorRef<SlotRange.Command>> ranges = new ArrayList<>();
  private final List<RangeState> states = new ArrayList<>();
  private final int slotsPerRange;
  private final Propagation propagation = new Propagation();
  private final Deadlines deadlines;
  /** The deadline of the work sent to each range (a window of batched timers, not a timer per message). */
  private final List<Deadlines.Window> windows = new ArrayList<>();
  private volatile SlotRouting routing;
  private final BusyScript busyScript;

  public Keyspace(ActorContext<?> context, int rangeCount, Settings settings, LongSupplier clock,
      SlotRouting initialRouting) {
    if (Slots.COUNT % rangeCount != 0) throw new IllegalArgumentException("range count must divide 16384");
    this.slotsPerRange = Slots.COUNT / rangeCount;
    this.routing = initialRouting;
    this.deadlines = Deadlines.of(context.getSystem());
    this.busyScript = new BusyScript(deadlines, range -> ranges.get(range).tell(new SlotRange.RefuseWaiting()));
    int databases = settings.clusterEnabled() ? 1 : settings.databases();
    for (int i = 0; i < rangeCount; i++) {
      int first = i * slotsPerRange;
      int last = first + slotsPerRange - 1;
      RangeState state = new RangeState(i, first, last, databases, settings, clock, this::routing, propagation);
      states.add(state);
      ranges.add(context.spawn(SlotRange.create(state, rangeCount), "slot-range-" + first + "-" + last));
      int range = i;
      String notTaken = notTaken(range);
      windows.add(deadlines.window(() -> notTaken));
    }
  }

  @Override public int rangeCount() {
    return ranges.size();
  }

  @Override public int rangeOfSlot(int slot) {
    return slot / slotsPerRange;
  }

  @Override public MemoryBudget memory() {
    return propagation.memory();
  }

  @Override public BusyScript busyScript() {
    return busyScript;
  }

  @Override public SlotRouting routing() {
    return routing;
  }

  /**
   * The node's change counter (Redis's server.dirty, for the save rules and rdb_changes_since_last_save): the
   * ranges' counters added up. Read from outside the ranges it may lag behind writes that are running.
   */
  public long dirty() {
    long dirty = 0;
    for (RangeState state : states) dirty += state.dirty();
    return dirty;
  }

  /** Where every range hands its write effects for replication from now on ({@link EffectSink#NONE}: nowhere). */
  public void effectSink(EffectSink sink) {
    propagation.sink(sink);
  }

  /**
   * Where the node's function libraries' codes are read from: they are node-wide data that the first range's
   * snapshots carry (see {@link RangeState#libraryCodes}).
   */
  public void functionLibraries(java.util.function.Supplier<java.util.List<byte[]>> codes) {
    propagation.libraries(codes);
  }

  /** Where every range publishes its keyspace notifications from now on ({@code null}: nowhere). */
  public void keyspaceEventSink(KeyspaceEventSink sink) {
    propagation.keyspaceEvents().sink(sink);
  }

  /** Where every range hands its write effects for the AOF from now on ({@link EffectSink#NONE}: nowhere). */
  public void aofSink(EffectSink sink) {
    propagation.aofSink(sink);
  }

  /**
   * Replica mode: keys no longer expire by themselves (no active cycle; a lookup of an expired key answers
   * "missing" without deleting it, except to the master's stream), since the master sends the DEL.
   */
  public void replica(boolean isReplica) {
    propagation.replica(isReplica);
  }

  /** Whether this node is a replica now ({@link #replica(boolean)}). */
  public boolean replica() {
    return propagation.replica();
  }

  /** The start-up load is under way (no key expires, nothing is evicted) or over. */
  public void loading(boolean loading) {
    propagation.loading(loading);
  }

  @Override public boolean cronPaused() {
    return propagation.cronPaused();
  }

  @Override public void pauseCron(boolean paused) {
    propagation.pauseCron(paused);
  }

  /** CLIENT PAUSE: until this wall-clock time (0: from now on) keys do not expire by themselves. */
  public void pauseExpiry(long untilMs) {
    propagation.expiryPausedUntil(untilMs);
  }

  /** Publishes who serves which slot; commands started after this see it. */
  public void publishRouting(SlotRouting routing) {
    this.routing = routing;
  }

  /** The slots of a range as text ("0-1023"), the metrics' label. */
  public String rangeName(int range) {
    return states.get(range).firstSlot() + "-" + states.get(range).lastSlot();
  }

  /** Work sent to a range that it has not started yet: its mailbox's depth (and what it keeps while held). */
  public long waiting(int range) {
    return states.get(range).waiting.sum();
  }

  /** Where a range's run time of each piece of work goes from now on, in nanoseconds. */
  public void runTimes(int range, LongConsumer nanos) {
    states.get(range).runNanos = nanos;
  }

  /** The deadline of every wait on a range (and of the AOF's confirmation a range's reply waits for). */
  public Deadlines deadlines() {
    return deadlines;
  }

  /**
   * Past the deadline, work a range has not started fails with {@link #notTaken} and never runs; work that has
   * started runs to its end (a range's message never waits on anything).
   */
  @Override public <T> CompletionStage<T> onRange(int range, Function<RangeState, T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Deadlines.Ticket ticket = windows.get(range).ticket(result);
    states.get(range).waiting.increment();
    ranges.get(range).tell(new SlotRange.Run<>(work, result, ticket));
    return result;
  }

  /** The error reply to a client whose work a range did not take within the deadline (stopped, stuck or held). */
  String notTaken(int range) {
    return "TRYAGAIN slot range " + (range * slotsPerRange) + "-" + ((range + 1) * slotsPerRange - 1)
        + " did not take the command within " + deadlines.millis() + " ms; the command was not run";
  }

  @Override public <T> CompletionStage<List<T>> onAll(Function<RangeState, T> work) {
    List<CompletableFuture<T>> parts = new ArrayList<>(ranges.size());
    for (int i = 0; i < ranges.size(); i++) parts.add(onRange(i, work).toCompletableFuture());
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .thenApply(done -> parts.stream().map(CompletableFuture::join).toList());
  }

  /**
   * Holds the ranges one after the other in ascending order (so two holders can never wait on each other),
   * runs the work once all are held, then releases them. A range that does not grant its hold within the deadline
   * fails the whole (with {@link #notTaken}): the ranges already held are released, the work does not run, and that
   * range will not hold for it later.
   */
  @Override public <T> CompletionStage<T> holding(int[] rangeIndexes,
      Function<RangeState[], CompletionStage<T>> work) {
    int[] sorted = Arrays.stream(rangeIndexes).distinct().sorted().toArray();
    CompletableFuture<Void> release = new CompletableFuture<>();
    RangeState[] held = new RangeState[sorted.length];
    CompletionStage<Void> acquired = CompletableFuture.completedFuture(null);
    for (int i = 0; i < sorted.length; i++) {
      int position = i;
      int range = sorted[i];
      acquired = acquired.thenCompose(previous -> {
        CompletableFuture<RangeState> granted = new CompletableFuture<>();
        Deadlines.Ticket ticket = windows.get(range).ticket(granted);
        states.get(range).waiting.increment();
        ranges.get(range).tell(new SlotRange.Hold(granted, release, ticket));
        return granted.thenAccept(state -> held[position] = state);
      });
    }
    // A hold that failed lets go of the ranges held so far (the one that did not answer holds nothing for it).
    acquired.whenComplete((all, failure) -> {
      if (failure != null) release.complete(null);
    });
    return acquired.thenCompose(all -> {
      CompletionStage<T> result;
      try {
        // The held ranges record into one buffer, so the work's effects keep their order (and MULTI wrapping).
        EffectBuffer shared = held.length > 0 ? held[0].effects() : null;
        for (RangeState state : held) {
          state.tick();
          state.shareEffects(shared);
        }
        result = work.apply(held);
      } catch (RuntimeException e) {
        result = CompletableFuture.failedFuture(e);
      }
      CompletableFuture<T> replied = new CompletableFuture<>();
      result.whenComplete((value, failure) -> {
        // Effects reach the sink before the work's reply and before any other work can run on these ranges; the
        // ranges go on at once, the reply waits for the AOF's fsync when appendfsync is always.
        for (RangeState state : held) {
          state.shareEffects(null);
          state.heldRefusal = null; // a busy script's refusal ends with its hold
        }
        CompletionStage<Void> synced = null;
        try {
          if (held.length > 0) synced = held[0].flushEffects();
        } finally {
          release.complete(null);
        }
        if (synced == null) complete(replied, value, failure);
        else {
          deadlines.bound(synced, () -> SlotRange.aofNotConfirmed(deadlines)).whenComplete((ok, syncFailure) ->
              complete(replied, value, failure != null ? failure : syncFailure));
        }
      });
      return replied;
    });
  }

  private static <T> void complete(CompletableFuture<T> future, T value, Throwable failure) {
    if (failure == null) future.complete(value);
    else future.completeExceptionally(failure);
  }
}
