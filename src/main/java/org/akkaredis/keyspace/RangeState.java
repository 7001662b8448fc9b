package org.akkaredis.keyspace;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.akkaredis.config.Settings;

/**
 * The data of one contiguous range of slots, in every numbered database. It lives outside the SlotRange
 * actor's behaviour, so a restart after a crash keeps it; only the actor touches it (or whoever holds the range).
 */
public final class RangeState {
  /** Redis's active expiry: keys sampled per round, and the share of expired ones that makes it go on. */
  static final int EXPIRE_SAMPLE = 20;
  static final int EXPIRE_ACCEPTABLE_STALE_PERCENT = 10;

  private final int index;
  private final int firstSlot;
  private final int lastSlot;
  private final RangeDb[] dbs;
  /**
   * A replica's async load (repl-diskless-load swapdb): the master's data loads into these, numbered after the
   * visible ones ({@link #db} of databases() + n), which clients never reach; null until the first such load.
   */
  private RangeDb[] loadingDbs;
  private final Settings settings;
  private final LongSupplier clock;
  private final Supplier<SlotRouting> routing;
  private final Random random = new Random();
  private final BlockedClients blocked = new BlockedClients();
  private final Propagation propagation;
  private final EffectBuffer ownEffects = new EffectBuffer();
  /** Where effects are recorded: this range's own buffer, or the shared one of a hold that includes it. */
  private EffectBuffer effects = ownEffects;
  private boolean held;
  /** Counts every change to the data, as Redis's server.dirty: a write that left it alone propagates nothing. */
  private long dirty;
  /** The command being run comes from the master link of a replica: no effects, expired keys still visible. */
  private boolean applying;
  /** Off after DEBUG SET-ACTIVE-EXPIRE 0: keys then expire only when looked up, as Redis's active_expire_enabled. */
  private boolean activeExpire = true;
  private long now;
  /** The slot of the command's first key as routing already computed it, so lookups need not hash it again. */
  private byte[] hintKey;
  private int hintSlot;
  /** INFO stats counters of this range, summed over all ranges by INFO. */
  public long keyspaceHits;
  public long keyspaceMisses;
  public long expiredKeys;
  /** The node's keyspace notifications, shared with the other ranges. */
  private final KeyspaceEvents events;
  /**
   * The command being run publishes no keyspace events: it loads a snapshot (a replica's full sync, DEBUG RELOAD),
   * as Redis's RDB load adds keys without notifying. The start-up load is silenced by {@link Propagation#loading()}.
   */
  private boolean eventsMuted;
  /** The node's memory figures and limit, shared with the other ranges. */
  private final MemoryBudget memory;
  /** This range's number among the ranges sharing {@link #memory}. */
  private final int memorySlot;
  private final EvictionPool evictionPool = new EvictionPool();
  /**
   * Work sent to this range and not started yet (in its mailbox, or kept while it is held): raised by the sender,
   * lowered when the range takes or refuses it (the metrics' mailbox depth).
   */
  final LongAdder waiting = new LongAdder();
  /** Where the run time of each piece of work goes, in nanoseconds (the metrics' histogram; none by default). */
  volatile LongConsumer runNanos = nanos -> {};
  /** While held by a script past busy-reply-threshold: the BUSY text what waits on this range gets (BusyScript). */
  volatile String heldRefusal;
  private int poolEpoch;
  /** This range told the budget it has nothing the policy may evict. */
  private boolean saidExhausted;
  private int exhaustedEpoch;
  /** Round robin over the databases for the random policies, as Redis's next_db. */
  private int nextRandomDb;

  public RangeState(int index, int firstSlot, int lastSlot, int databases, Settings settings,
      LongSupplier clock, Supplier<SlotRouting> routing) {
    this(index, firstSlot, lastSlot, databases, settings, clock, routing, new Propagation());
  }

  public RangeState(int index, int firstSlot, int lastSlot, int databases, Settings settings,
      LongSupplier clock, Supplier<SlotRouting> routing, Propagation propagation) {
    this.index = index;
    this.propagation = propagation;
    this.firstSlot = firstSlot;
    this.lastSlot = lastSlot;
    this.settings = settings;
    this.clock = clock;
    this.routing = routing;
    this.memory = propagation.memory();
    memory.bind(settings);
    this.events = propagation.keyspaceEvents();
    events.bind(settings);
    this.memorySlot = memory.join();
    this.dbs = new RangeDb[databases];
    for (int i = 0; i < databases; i++) dbs[i] = new RangeDb(this, i);
    this.now = clock.getAsLong();
  }

  public int index() {
    return index;
  }

  /**
   * The node's function libraries' codes if this is the first range, else none. FUNCTION's writes hold every range
   * and record their effects as the first range's, so the libraries travel with that range's snapshot (an RDB part,
   * an AOF rewrite's part, a full sync's chunks): a snapshot and the effects after it never both carry a change.
   */
  public java.util.List<byte[]> libraryCodes() {
    return index == 0 ? propagation.libraryCodes() : java.util.List.of();
  }

  public int firstSlot() {
    return firstSlot;
  }

  public int lastSlot() {
    return lastSlot;
  }

  /** Database {@code index}; from {@link #databases()} on, the databases of an async load (see {@link #loadAside}). */
  public RangeDb db(int index) {
    return index < dbs.length ? dbs[index] : loadingDbs[index - dbs.length];
  }

  /**
   * An async load starts: the loading databases (databases() + n) exist and are empty. Their keys count in the
   * node's memory, as Redis counts its temporary databases, and record no effects.
   */
  public void loadAside() {
    if (loadingDbs == null) {
      loadingDbs = new RangeDb[dbs.length];
      for (int i = 0; i < dbs.length; i++) loadingDbs[i] = new RangeDb(this, dbs.length + i);
    } else {
      for (RangeDb db : loadingDbs) db.clear();
    }
  }

  /**
   * The async load is complete: each database takes the loaded keys and the old ones are dropped (Redis's
   * swapMainDbWithTempDb, then the old data freed). Watchers and blocked clients are told as for a swap.
   */
  public void swapInLoaded() {
    if (loadingDbs == null) return;
    for (int i = 0; i < dbs.length; i++) {
      dbs[i].swapWith(loadingDbs[i]);
      loadingDbs[i].clear();
    }
  }

  /** The async load failed: what it loaded is dropped, the databases keep their keys. */
  public void dropLoaded() {
    if (loadingDbs == null) return;
    for (RangeDb db : loadingDbs) db.clear();
  }

  /** Keys loaded aside so far (all loading databases). */
  public long loadedAside() {
    long keys = 0;
    if (loadingDbs != null) for (RangeDb db : loadingDbs) keys += db.size();
    return keys;
  }

  public int databases() {
    return dbs.length;
  }

  public Settings settings() {
    return settings;
  }

  public Random random() {
    return random;
  }

  /** The clients blocked on keys of this range. */
  public BlockedClients blocked() {
    return blocked;
  }

  public SlotRouting routing() {
    return routing.get();
  }

  public long now() {
    return now;
  }

  /**
   * Tells the range the slot of a key argument of the command about to run. A command without a slot (its keys
   * not found) leaves no hint: the hint outlives the command, and a later key with the same bytes array would
   * be placed at slot -1.
   */
  public void hintSlot(byte[] key, int slot) {
    hintKey = slot < 0 ? null : key;
    hintSlot = slot;
  }

  int slotOf(Key key) {
    return key.bytes() == hintKey ? hintSlot : key.slot();
  }

  /** Fixes the clock for the command about to run, as Redis caches the time per command. */
  public void tick() {
    now = clock.getAsLong();
    applying = false;
  }

  public Propagation propagation() {
    return propagation;
  }

  /** How many changes the data has seen; compared before and after a command. */
  public long dirty() {
    return dirty;
  }

  void changed() {
    dirty++;
  }

  /** A change to node-wide data this range records (the function libraries): counted as Redis's server.dirty++. */
  public void changedNodeData() {
    dirty++;
  }

  /** Says whether the command about to run loads data, which publishes no keyspace events. */
  public void muteEvents(boolean muted) {
    eventsMuted = muted;
  }

  /**
   * Publishes a keyspace event of Redis's class {@code type} on {@code key} of database {@code db}: not for the
   * databases of an async load, nor while the node loads its data or a command muted them.
   */
  public void notify(int type, String event, byte[] key, int db) {
    if (!events.enabled(type) || eventsMuted || db >= dbs.length || propagation.loading()) return;
    events.notify(type, event, key, db);
  }

  /** Says whether the command about to run is applied from a master (see {@link #applying()}). */
  public void applying(boolean fromMaster) {
    applying = fromMaster;
  }

  /** True while running a command that a replica applies from its master's stream. */
  public boolean applying() {
    return applying;
  }

  /**
   * Whether effects are wanted now: somebody listens (for a command replayed from a master only the AOF does,
   * since a replica's own replication history is its master's).
   */
  public boolean recording() {
    return (applying ? propagation.appliedSink() : propagation.sink()) != EffectSink.NONE;
  }

  /** The buffer effects are recorded in now. */
  public EffectBuffer effects() {
    return effects;
  }

  /** Records one effect command for database {@code db}, if effects are wanted. */
  public void effect(int db, byte[]... args) {
    // A change to a loading database is no change to the data yet (its copies learn the data by a new sync).
    if (db < dbs.length && recording()) effects.add(index, db, applying, args);
  }

  /** Several effects of one command at once: wrapped in MULTI ... EXEC when more than one, as Redis propagates. */
  public void effects(int db, java.util.List<byte[][]> commands) {
    if (commands.isEmpty() || db >= dbs.length || !recording()) return;
    int start = effects.begin();
    for (byte[][] command : commands) effects.add(index, db, applying, command);
    effects.end(start);
  }

  /**
   * While held: record into the hold's shared buffer (which may be this range's own), flushed by the holder when
   * it is done; {@code null} when released.
   */
  public void shareEffects(EffectBuffer shared) {
    effects = shared == null ? ownEffects : shared;
    held = shared != null;
  }

  /**
   * Hands this range's recorded effects to the sinks; while held, the holder does that when it is done. Returns
   * what a reply of the work that made them must wait for (the AOF's fsync with appendfsync always), or null.
   */
  public CompletionStage<Void> flushEffects() {
    return held ? null : ownEffects.flushTo(propagation);
  }

  /**
   * The range's data as commands that recreate it, Redis's AOF-rewrite form (see {@link RangeSnapshot}), in chunks
   * of about {@code maxChunkBytes}, each valid on its own.
   */
  public void snapshot(int maxChunkBytes, Consumer<byte[]> chunks) {
    RangeSnapshot.write(this, maxChunkBytes, chunks);
  }

  /** One key of database {@code db} as commands, as {@link #snapshot} writes it (for a value too big for a chunk). */
  public static void snapshotEntry(int db, Entry entry, int maxChunkBytes, Consumer<byte[]> chunks) {
    RangeSnapshot.writeEntry(db, entry, maxChunkBytes, chunks);
  }

  /** The node's memory figures (used_memory, maxmemory and its policy), shared by its ranges. */
  public MemoryBudget memory() {
    return memory;
  }

  /** This range's part of the dataset estimate, all databases. */
  public long datasetBytes() {
    long total = 0;
    for (RangeDb db : dbs) total += db.datasetBytes();
    return total;
  }

  /** A key the policy may evict was added: this range is no longer without candidates. */
  void evictable() {
    if (saidExhausted) {
      saidExhausted = false;
      memory.exhausted(memorySlot, false);
    }
  }

  /**
   * Redis's performEvictions for this range's keys: while the node is over maxmemory, evict the policy's best
   * candidate of this range (sampled into the pool as Redis does, or at random), within the time the budget allows;
   * the rest at the range's next turn. Run before a batch of commands and on the periodic tick, never inside a
   * command or a hold. Nothing while writes are paused (CLIENT PAUSE) or on a replica that ignores maxmemory.
   * Returns the number of keys evicted.
   */
  public int evictIfOverLimit() {
    if (!memory.overLimit()) return 0;
    EvictionPolicy policy = memory.policy();
    if (policy == EvictionPolicy.NOEVICTION || !propagation.keysExpire() && !propagation.replica()) return 0;
    if (poolEpoch != memory.policyEpoch()) {
      evictionPool.clear();
      poolEpoch = memory.policyEpoch();
    }
    long deadline = System.nanoTime() + memory.evictionBudgetNanos();
    int evicted = 0;
    while (memory.overLimit()) {
      if (!evictOne(policy)) {
        if (!saidExhausted || exhaustedEpoch != memory.policyEpoch()) {
          saidExhausted = true;
          exhaustedEpoch = memory.policyEpoch();
          memory.exhausted(memorySlot, true);
        }
        break;
      }
      evicted++;
      if ((evicted & 15) == 0 && System.nanoTime() > deadline) break;
    }
    return evicted;
  }

  /** Evicts one key chosen by the policy; false when this range has none the policy may evict. */
  boolean evictOne(EvictionPolicy policy) {
    if (policy.pick() == EvictionPolicy.Pick.RANDOM) {
      for (int i = 0; i < dbs.length; i++) {
        RangeDb db = dbs[nextRandomDb++ % dbs.length];
        Entry[] picked = new Entry[1];
        db.sample(policy, 1, e -> picked[0] = e);
        if (picked[0] != null) {
          db.evict(picked[0]);
          return true;
        }
      }
      return false;
    }
    boolean any = false;
    int samples = memory.samples();
    for (RangeDb db : dbs) {
      if (db.candidates(policy) == 0) continue;
      any = true;
      int dbIndex = db.index();
      db.sample(policy, samples, e -> evictionPool.offer(e, dbIndex, idleScore(policy, e)));
    }
    while (evictionPool.size() > 0) {
      Entry best = evictionPool.best();
      RangeDb db = dbs[evictionPool.bestDb()];
      evictionPool.dropBest();
      if (db.holds(best) && (!policy.volatileOnly() || best.expiryIndex >= 0)) {
        db.evict(best);
        return true;
      }
    }
    return any && evictOneAfterStaleRound(policy);
  }

  /** The pool held only keys gone since: one more sampling round (keys remain, so it finds some). */
  private boolean evictOneAfterStaleRound(EvictionPolicy policy) {
    int samples = memory.samples();
    for (RangeDb db : dbs) {
      int dbIndex = db.index();
      db.sample(policy, samples, e -> evictionPool.offer(e, dbIndex, idleScore(policy, e)));
    }
    Entry best = evictionPool.best();
    if (best == null) return false;
    RangeDb db = dbs[evictionPool.bestDb()];
    evictionPool.dropBest();
    db.evict(best);
    return true;
  }

  /** The pool's score (larger: evicted sooner), as Redis's evictionPoolPopulate. */
  long idleScore(EvictionPolicy policy, Entry e) {
    return switch (policy.pick()) {
      case LRU -> Math.max(0, now - e.lastAccess());
      case LFU -> 255 - Lfu.decayed(e.lfu(), now, memory.lfuDecayTime());
      case TTL -> Long.MAX_VALUE - e.expireAt;
      default -> 0;
    };
  }

  /** DEBUG SET-ACTIVE-EXPIRE: turns this range's active expiry cycle on or off. */
  public void activeExpire(boolean enabled) {
    activeExpire = enabled;
  }

  public boolean activeExpire() {
    return activeExpire;
  }

  /**
   * Redis's active expiry cycle for this range: per database, sample keys with a TTL and delete expired ones;
   * repeat while more than 10% of a sample had expired, within the time budget.
   */
  public int activeExpireCycle(long budgetNanos) {
    tick();
    // A replica's keys expire when its master says so (DEL in the stream); none expire while clients are paused
    // or while DEBUG PAUSE-CRON holds the node's periodic work, nor while the node loads its data.
    if (!propagation.keysExpire() || !activeExpire || propagation.cronPaused() || propagation.loading()) return 0;
    long deadline = System.nanoTime() + budgetNanos;
    int expiredTotal = 0;
    for (RangeDb db : dbs) {
      while (true) {
        int[] round = db.expireSample(EXPIRE_SAMPLE);
        expiredTotal += round[1];
        if (round[0] == 0 || round[1] * 100 <= round[0] * EXPIRE_ACCEPTABLE_STALE_PERCENT) break;
        if (System.nanoTime() > deadline) return expiredTotal;
      }
      db.pruneWatchers();
    }
    return expiredTotal;
  }
}
