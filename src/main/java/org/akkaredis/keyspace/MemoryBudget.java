package org.akkaredis.keyspace;

import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.akkaredis.config.Settings;

/**
 * The node's memory figures that maxmemory is enforced against, shared by every range of the node: the dataset
 * estimate each range keeps up to date with every write ({@link MemoryUsage} per key, added as a delta, so a write
 * costs O(1) here), the fixed structures of the keyspace, and the maxmemory settings as last changed.
 *
 * <p>used_memory here is {@code fixed + dataset + held}: {@code held} is what the node holds outside the keyspace
 * (client buffers, the replication backlog, the AOF buffer), measured by the command layer ({@link #held}). As
 * Redis compares {@code used_memory - mem_not_counted_for_evict} with maxmemory, the replicas' output buffers and
 * the AOF buffer are left out of the comparison ({@link #countedForEvict}). Each range evicts from its own keys while the node total is over
 * the limit ({@link RangeState#evictIfOverLimit}); a range that finds no candidate for the policy says so, and once
 * every range has, as under noeviction, the command path refuses commands flagged denyoom ({@link #refusesWrites}).
 */
public final class MemoryBudget implements Settings.ChangeListener {
  /** A budget without a limit, for keyspaces that keep no figures (test doubles). */
  public static final MemoryBudget UNLIMITED = new MemoryBudget(() -> false);

  private final AtomicLong dataset = new AtomicLong();
  private final AtomicLong fixed = new AtomicLong();
  /** What the node holds besides the keyspace, and the part of it maxmemory does not count (see {@link #held}). */
  private volatile long held;
  private volatile long notCounted;
  private final LongAdder evicted = new LongAdder();
  private final BooleanSupplier replica;
  private Settings bound;
  private volatile long maxmemory;
  private volatile EvictionPolicy policy = EvictionPolicy.NOEVICTION;
  private volatile int samples = 5;
  private volatile long lfuLogFactor = 10;
  private volatile long lfuDecayTime = 1;
  private volatile int tenacity = 10;
  private volatile boolean replicaIgnores = true;
  private volatile boolean lazyEviction;
  private volatile boolean loading;
  /** Bumped when the policy changes: pools sampled under the old one start over. */
  private volatile int policyEpoch;
  private int ranges;
  private final BitSet exhausted = new BitSet();
  private volatile boolean allExhausted;

  public MemoryBudget(BooleanSupplier replica) {
    this.replica = replica;
  }

  /** Follows these settings from now on (once; a range of the same node calling again changes nothing). */
  public synchronized void bind(Settings settings) {
    if (bound == settings || settings == null) return;
    bound = settings;
    read(settings);
    settings.addChangeListener(this);
  }

  /** A range joins the node: {@link #refusesWrites} waits for every range to have found nothing to evict. */
  synchronized int join() {
    return ranges++;
  }

  @Override public void settingsChanged(Settings settings, Set<String> changedNames) {
    read(settings);
  }

  private void read(Settings settings) {
    maxmemory = settings.longValue("maxmemory");
    EvictionPolicy newPolicy = EvictionPolicy.parse(settings.rawValue("maxmemory-policy"));
    if (newPolicy != policy) {
      policy = newPolicy;
      synchronized (this) {
        exhausted.clear();
        allExhausted = false;
      }
      policyEpoch++;
    }
    samples = (int) settings.longValue("maxmemory-samples");
    lfuLogFactor = settings.longValue("lfu-log-factor");
    lfuDecayTime = settings.longValue("lfu-decay-time");
    tenacity = (int) settings.longValue("maxmemory-eviction-tenacity");
    replicaIgnores = "yes".equals(settings.rawValue("replica-ignore-maxmemory"));
    lazyEviction = "yes".equals(settings.rawValue("lazyfree-lazy-eviction"));
  }

  /** The dataset estimate changed by {@code delta} bytes (a range's write). */
  void add(long delta) {
    dataset.addAndGet(delta);
  }

  /** Structures of the keyspace that exist whatever it holds (the per-slot tables of each range and database). */
  void addFixed(long bytes) {
    fixed.addAndGet(bytes);
  }

  public long dataset() {
    return dataset.get();
  }

  /** What the node counts as used_memory_startup: the keyspace's fixed structures. */
  public long fixed() {
    return fixed.get();
  }

  /**
   * What the node holds besides the keyspace as last measured ({@code bytes}: client buffers, replication backlog,
   * AOF buffer), of which {@code notCountedForEvict} (replicas' output buffers and the AOF buffer) is left out of the
   * maxmemory comparison, as Redis's freeMemoryGetNotCountedMemory: evicting pushes DELs into those buffers, and
   * counting them would make eviction feed itself.
   */
  public void held(long bytes, long notCountedForEvict) {
    held = Math.max(0, bytes);
    notCounted = Math.max(0, Math.min(notCountedForEvict, bytes));
  }

  /** INFO's used_memory: the keyspace's fixed structures and dataset, and what the node holds for its clients. */
  public long used() {
    return fixed.get() + dataset.get() + held;
  }

  /** What the node holds besides the keyspace (INFO's used_memory_overhead less used_memory_startup). */
  public long held() {
    return held;
  }

  /** INFO's mem_not_counted_for_evict. */
  public long notCountedForEvict() {
    return notCounted;
  }

  /** The figure maxmemory is compared with: used_memory less mem_not_counted_for_evict, as Redis compares. */
  public long countedForEvict() {
    return Math.max(0, used() - notCounted);
  }

  public long maxmemory() {
    return maxmemory;
  }

  public EvictionPolicy policy() {
    return policy;
  }

  int policyEpoch() {
    return policyEpoch;
  }

  /** maxmemory-samples: keys sampled per eviction round and database. */
  public int samples() {
    return samples;
  }

  public long lfuLogFactor() {
    return lfuLogFactor;
  }

  public long lfuDecayTime() {
    return lfuDecayTime;
  }

  /**
   * How long one range may evict at a time before it lets other work run (Redis's evictionTimeLimitUs: 50 µs per
   * tenacity step up to 10, then growing by 15% per step; 100 is unlimited). The rest is evicted at its next turn.
   */
  long evictionBudgetNanos() {
    int t = tenacity;
    if (t >= 100) return Long.MAX_VALUE;
    if (t <= 10) return 50_000L * t;
    return (long) (500_000L * Math.pow(1.15, t - 10));
  }

  /** An eviction is propagated as UNLINK with lazyfree-lazy-eviction, else as DEL. */
  boolean lazyEviction() {
    return lazyEviction;
  }

  /**
   * While the node loads its data at start nothing is evicted (as Redis, which loads without performEvictions):
   * the AOF's later commands find the keys its earlier ones wrote. Eviction starts once loading is done.
   */
  public void loading(boolean loading) {
    this.loading = loading;
  }

  /**
   * Whether the node is over maxmemory now (a replica that ignores maxmemory never is, as Redis; nor a node that
   * is loading its data).
   */
  public boolean overLimit() {
    long limit = maxmemory;
    if (limit <= 0 || loading || countedForEvict() <= limit) return false;
    return !(replicaIgnores && replica.getAsBoolean());
  }

  /**
   * Whether commands flagged denyoom are refused with -OOM: the node is over maxmemory and nothing can be evicted,
   * because the policy is noeviction or no range has a key the policy may evict.
   */
  public boolean refusesWrites() {
    if (!overLimit()) return false;
    return policy == EvictionPolicy.NOEVICTION || allExhausted;
  }

  /** A range found no candidate under the current policy (a range without keys, or without keys with a TTL). */
  synchronized void exhausted(int range, boolean none) {
    if (none) exhausted.set(range);
    else exhausted.clear(range);
    allExhausted = ranges > 0 && exhausted.cardinality() == ranges;
  }

  void evicted() {
    evicted.increment();
  }

  /** INFO's evicted_keys. */
  public long evictedKeys() {
    return evicted.sum();
  }

  /** CONFIG RESETSTAT. */
  public void resetStats() {
    evicted.reset();
  }
}
