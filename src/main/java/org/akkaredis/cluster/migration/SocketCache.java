package org.akkaredis.cluster.migration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Redis's migrate_cached_sockets as a plain object: at most {@link #CAPACITY} connections, one per target name
 * ("host:port" as given), each remembering the database it last SELECTed; one idle longer than {@link #TTL_SECONDS}
 * is closed by {@link #sweep} (Redis's migrateCloseTimedoutSockets, run every second). Redis runs one MIGRATE at a
 * time; here several may run at once, so a cached connection is lent to one of them at a time ({@link #borrow}), and
 * a second MIGRATE to the same target meanwhile opens a connection of its own that is not kept. Thread-safe: a few
 * map operations per MIGRATE under this object's lock.
 *
 * @param <C> the connection
 */
public final class SocketCache<C extends SocketCache.Closeable> {
  /** MIGRATE_SOCKET_CACHE_ITEMS. */
  public static final int CAPACITY = 64;
  /** MIGRATE_SOCKET_CACHE_TTL: closed once idle for more than this. */
  public static final long TTL_SECONDS = 10;

  /** What the cache closes. */
  public interface Closeable {
    void close();
  }

  /** A connection lent to one MIGRATE: {@code lastDb} is the database it last SELECTed (-1: unknown). */
  public static final class Lease<C> {
    public final String name;
    public final C connection;
    public long lastDb = -1;
    private long lastUseSeconds;
    private boolean busy = true;
    private boolean cached;

    Lease(String name, C connection, long nowSeconds) {
      this.name = name;
      this.connection = connection;
      this.lastUseSeconds = nowSeconds;
    }

    /** Whether the cache keeps it after its use (false: a second connection to a busy target, or evicted). */
    public boolean cached() {
      return cached;
    }
  }

  private final Map<String, Lease<C>> byName = new LinkedHashMap<>();
  private final LongSupplier clockMs;
  private final Random random;

  public SocketCache(LongSupplier clockMs, Random random) {
    this.clockMs = clockMs;
    this.random = random;
  }

  /** The cached connection to {@code name}, lent to the caller; null when there is none or it is lent already. */
  public synchronized Lease<C> borrow(String name) {
    Lease<C> lease = byName.get(name);
    if (lease == null || lease.busy) return null;
    lease.busy = true;
    lease.lastUseSeconds = nowSeconds();
    return lease;
  }

  /**
   * A connection just opened to {@code name}, lent to the caller. It is cached unless another connection to that
   * name is (that one is in use); a full cache first closes one of its idle connections, picked at random (one in
   * use is dropped from the cache and closed when it is given back).
   */
  public synchronized Lease<C> add(String name, C connection) {
    Lease<C> lease = new Lease<>(name, connection, nowSeconds());
    if (byName.containsKey(name)) return lease;
    if (byName.size() >= CAPACITY) {
      List<String> names = new ArrayList<>(byName.keySet());
      Lease<C> evicted = byName.remove(names.get(random.nextInt(names.size())));
      evicted.cached = false;
      if (!evicted.busy) evicted.connection.close();
    }
    lease.cached = true;
    byName.put(name, lease);
    return lease;
  }

  /** The caller is done with the connection and it is fine: cached, it waits for the next MIGRATE. */
  public synchronized void giveBack(Lease<C> lease) {
    lease.busy = false;
    if (!lease.cached) lease.connection.close();
  }

  /** The connection failed: closed and dropped from the cache (Redis's migrateCloseSocket). */
  public synchronized void discard(Lease<C> lease) {
    lease.busy = false;
    if (lease.cached && byName.get(lease.name) == lease) byName.remove(lease.name);
    lease.cached = false;
    lease.connection.close();
  }

  /** Closes the idle connections unused for more than {@link #TTL_SECONDS}; returns how many. */
  public synchronized int sweep() {
    long now = nowSeconds();
    int closed = 0;
    for (var it = byName.values().iterator(); it.hasNext(); ) {
      Lease<C> lease = it.next();
      if (!lease.busy && now - lease.lastUseSeconds > TTL_SECONDS) {
        it.remove();
        lease.cached = false;
        lease.connection.close();
        closed++;
      }
    }
    return closed;
  }

  /** INFO's migrate_cached_sockets. */
  public synchronized int size() {
    return byName.size();
  }

  /** Closes every connection (the node stops). */
  public synchronized void closeAll() {
    for (Lease<C> lease : byName.values()) {
      lease.cached = false;
      if (!lease.busy) lease.connection.close();
    }
    byName.clear();
  }

  private long nowSeconds() {
    return clockMs.getAsLong() / 1000;
  }
}
