package org.akkaredis.cluster.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SocketCacheTest {
  private static final class Connection implements SocketCache.Closeable {
    boolean closed;

    @Override public void close() {
      closed = true;
    }
  }

  private long nowMs = 1_000_000;
  private final SocketCache<Connection> cache = new SocketCache<>(() -> nowMs, new Random(1));

  @Test
  void aConnectionGivenBackIsLentAgainWithItsDatabase() {
    assertNull(cache.borrow("h:1"));
    Connection c = new Connection();
    SocketCache.Lease<Connection> lease = cache.add("h:1", c);
    assertTrue(lease.cached());
    assertEquals(-1, lease.lastDb);
    lease.lastDb = 3;
    assertNull(cache.borrow("h:1"), "lent to one MIGRATE at a time");
    cache.giveBack(lease);
    SocketCache.Lease<Connection> again = cache.borrow("h:1");
    assertSame(c, again.connection);
    assertEquals(3, again.lastDb);
    assertEquals(1, cache.size());
    assertFalse(c.closed);
  }

  @Test
  void aSecondConnectionToABusyTargetIsNotKept() {
    SocketCache.Lease<Connection> first = cache.add("h:1", new Connection());
    Connection extra = new Connection();
    SocketCache.Lease<Connection> second = cache.add("h:1", extra);
    assertFalse(second.cached());
    cache.giveBack(second);
    assertTrue(extra.closed);
    cache.giveBack(first);
    assertEquals(1, cache.size());
  }

  @Test
  void aFailedConnectionIsClosedAndForgotten() {
    Connection c = new Connection();
    SocketCache.Lease<Connection> lease = cache.add("h:1", c);
    cache.discard(lease);
    assertTrue(c.closed);
    assertEquals(0, cache.size());
    assertNull(cache.borrow("h:1"));
  }

  @Test
  void idleForMoreThanTenSecondsIsClosed() {
    Connection c = new Connection();
    cache.giveBack(cache.add("h:1", c));
    Connection busy = new Connection();
    cache.add("h:2", busy);
    nowMs += 10_000;
    assertEquals(0, cache.sweep(), "10 s idle: kept, as Redis closes after more than 10 s");
    nowMs += 1_000;
    assertEquals(1, cache.sweep());
    assertTrue(c.closed);
    assertFalse(busy.closed, "one in use is not idle");
    assertEquals(1, cache.size());
  }

  @Test
  void atMostSixtyFourConnections() {
    Connection[] connections = new Connection[SocketCache.CAPACITY];
    for (int i = 0; i < connections.length; i++) {
      connections[i] = new Connection();
      cache.giveBack(cache.add("h:" + i, connections[i]));
    }
    assertEquals(64, cache.size());
    cache.add("h:new", new Connection());
    assertEquals(64, cache.size());
    int closed = 0;
    for (Connection c : connections) if (c.closed) closed++;
    assertEquals(1, closed, "one idle connection, picked at random, made room");
  }

  @Test
  void anEvictedConnectionInUseIsClosedWhenGivenBack() {
    java.util.List<SocketCache.Lease<Connection>> leases = new java.util.ArrayList<>();
    for (int i = 0; i < SocketCache.CAPACITY; i++) leases.add(cache.add("h:" + i, new Connection()));
    // Every connection is in use: the one picked is dropped from the cache and closed once given back.
    cache.add("h:new", new Connection());
    assertEquals(64, cache.size());
    java.util.List<SocketCache.Lease<Connection>> evicted = leases.stream().filter(l -> !l.cached()).toList();
    assertEquals(1, evicted.size());
    assertFalse(evicted.get(0).connection.closed, "not closed under its MIGRATE");
    cache.giveBack(evicted.get(0));
    assertTrue(evicted.get(0).connection.closed);
  }
}
