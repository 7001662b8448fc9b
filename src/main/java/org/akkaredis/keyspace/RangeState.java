package org.akkaredis.keyspace;

import java.util.Random;
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
  private final Settings settings;
  private final LongSupplier clock;
  private final Supplier<SlotRouting> routing;
  private final Random random = new Random();
  private final BlockedClients blocked = new BlockedClients();
  private long now;
  /** The slot of the command's first key as routing already computed it, so lookups need not hash it again. */
  private byte[] hintKey;
  private int hintSlot;
  /** INFO stats counters of this range, summed over all ranges by INFO. */
  public long keyspaceHits;
  public long keyspaceMisses;
  public long expiredKeys;

  public RangeState(int index, int firstSlot, int lastSlot, int databases, Settings settings,
      LongSupplier clock, Supplier<SlotRouting> routing) {
    this.index = index;
    this.firstSlot = firstSlot;
    this.lastSlot = lastSlot;
    this.settings = settings;
    this.clock = clock;
    this.routing = routing;
    this.dbs = new RangeDb[databases];
    for (int i = 0; i < databases; i++) dbs[i] = new RangeDb(this, i);
    this.now = clock.getAsLong();
  }

  public int index() {
    return index;
  }

  public int firstSlot() {
    return firstSlot;
  }

  public int lastSlot() {
    return lastSlot;
  }

  public RangeDb db(int index) {
    return dbs[index];
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

  /** Tells the range the slot of a key argument of the command about to run. */
  public void hintSlot(byte[] key, int slot) {
    hintKey = key;
    hintSlot = slot;
  }

  int slotOf(Key key) {
    return key.bytes() == hintKey ? hintSlot : key.slot();
  }

  /** Fixes the clock for the command about to run, as Redis caches the time per command. */
  public void tick() {
    now = clock.getAsLong();
  }

  /**
   * Redis's active expiry cycle for this range: per database, sample keys with a TTL and delete expired ones;
   * repeat while more than 10% of a sample had expired, within the time budget.
   */
  public int activeExpireCycle(long budgetNanos) {
    tick();
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
