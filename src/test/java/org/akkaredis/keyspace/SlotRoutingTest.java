package org.akkaredis.keyspace;

import static org.akkaredis.keyspace.SlotRouting.ASKING;
import static org.akkaredis.keyspace.SlotRouting.MIGRATE;
import static org.akkaredis.keyspace.SlotRouting.READONLY_SESSION;
import static org.akkaredis.keyspace.SlotRouting.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.akkaredis.keyspace.SlotRouting.KeyCount;
import org.junit.jupiter.api.Test;

/**
 * The routing decision (Redis's getNodeByQuery) as plain function: the expected replies are what a redis-server
 * 7.0.15 pair answered with slot 100 migrating from one to the other (GET, MGET, SET, DEL, EXISTS; ASKING).
 */
class SlotRoutingTest {
  private static final String TRYAGAIN = "TRYAGAIN Multiple keys request during rehashing of slot";
  private static final KeyCount ONE_HERE = new KeyCount(1, 0, false);
  private static final KeyCount ONE_MISSING = new KeyCount(0, 1, false);
  private static final KeyCount SOME_MISSING = new KeyCount(1, 1, true);
  private static final KeyCount ALL_MISSING = new KeyCount(0, 2, true);
  private static final KeyCount ALL_HERE = new KeyCount(2, 0, true);

  /** Slot 100 migrating from here to 7002; slot 200 imported here from 7002; slot 300 of 7002; 400 ours. */
  private static SlotRouting migrations(boolean ok, boolean readsWhenDown) {
    String[] owners = new String[Slots.COUNT];
    owners[100] = SlotRouting.SELF;
    owners[200] = "127.0.0.1:7002";
    owners[300] = "127.0.0.1:7002";
    owners[400] = SlotRouting.SELF;
    String[] ask = new String[Slots.COUNT];
    ask[100] = "127.0.0.1:7002";
    BitSet importing = new BitSet();
    importing.set(200);
    return new SlotRouting(true, ok, readsWhenDown, owners, new BitSet(), ask, importing);
  }

  private final SlotRouting routing = migrations(true, false);

  @Test
  void theMigratingNodeServesKeysItHasAndSendsMissingOnesAfterThem() {
    assertTrue(routing.inMigration(100));
    assertNull(routing.refusal(100, 0, ONE_HERE));
    assertNull(routing.refusal(100, WRITE, ALL_HERE));
    assertEquals("ASK 100 127.0.0.1:7002", routing.refusal(100, 0, ONE_MISSING));
    assertEquals("ASK 100 127.0.0.1:7002", routing.refusal(100, WRITE, ALL_MISSING));
    assertEquals(TRYAGAIN, routing.refusal(100, 0, SOME_MISSING));
    assertEquals(TRYAGAIN, routing.refusal(100, WRITE, SOME_MISSING));
    // ASKING and READONLY change nothing on the source (redis-server: ASK after both)
    assertEquals("ASK 100 127.0.0.1:7002", routing.refusal(100, ASKING | READONLY_SESSION, ONE_MISSING));
    assertNull(routing.refusal(100, MIGRATE, ALL_MISSING), "MIGRATE works on the keys here");
    assertNull(routing.refusal(100, 0, null), "not counted yet: the range decides");
  }

  @Test
  void theImportingNodeServesOnlyRightAfterAsking() {
    assertTrue(routing.inMigration(200));
    assertEquals("MOVED 200 127.0.0.1:7002", routing.refusal(200, 0, ONE_HERE));
    assertEquals("MOVED 200 127.0.0.1:7002", routing.refusal(200, 0, null), "decided without the keys");
    assertEquals("MOVED 200 127.0.0.1:7002", routing.refusal(200, READONLY_SESSION, ONE_HERE));
    assertNull(routing.refusal(200, ASKING, ONE_MISSING), "a single missing key is served (GET: nil)");
    assertNull(routing.refusal(200, ASKING | WRITE, ONE_MISSING));
    assertNull(routing.refusal(200, ASKING, ALL_HERE));
    assertEquals(TRYAGAIN, routing.refusal(200, ASKING, SOME_MISSING));
    assertEquals(TRYAGAIN, routing.refusal(200, ASKING | WRITE, ALL_MISSING), "MSET of two new keys");
    assertNull(routing.refusal(200, ASKING, null), "multi-key or not: the range decides");
    assertNull(routing.refusal(200, MIGRATE, ALL_MISSING));
  }

  @Test
  void slotsInNoMigrationAreUnchanged() {
    assertFalse(routing.inMigration(300));
    assertFalse(routing.inMigration(400));
    assertEquals("MOVED 300 127.0.0.1:7002", routing.refusal(300, ASKING, null));
    assertNull(routing.refusal(400, WRITE, null));
    assertEquals("CLUSTERDOWN Hash slot not served", routing.refusal(500, ASKING, null));
    assertEquals("MOVED 300 127.0.0.1:7002", routing.refusal(300, false, false));
  }

  @Test
  void aDownClusterRefusesBeforeAnyMigrationRule() {
    SlotRouting down = migrations(false, false);
    assertEquals("CLUSTERDOWN The cluster is down", down.refusal(100, 0, ONE_MISSING));
    assertEquals("CLUSTERDOWN The cluster is down", down.refusal(200, ASKING, ONE_HERE));
    SlotRouting readable = migrations(false, true);
    assertEquals("CLUSTERDOWN The cluster is down and only accepts read commands",
        readable.refusal(100, WRITE, ONE_HERE));
    assertEquals("ASK 100 127.0.0.1:7002", readable.refusal(100, 0, ONE_MISSING));
  }

  @Test
  void aReplicaWithReadonlyServesItsMastersSlotsAsBefore() {
    String[] owners = new String[Slots.COUNT];
    owners[100] = "127.0.0.1:7001";
    BitSet readable = new BitSet();
    readable.set(100);
    SlotRouting replica = new SlotRouting(true, true, false, owners, readable, null, new BitSet());
    assertFalse(replica.inMigration(100));
    assertNull(replica.refusal(100, READONLY_SESSION, null));
    assertEquals("MOVED 100 127.0.0.1:7001", replica.refusal(100, READONLY_SESSION | WRITE, null));
    assertEquals("MOVED 100 127.0.0.1:7001", replica.refusal(100, ASKING, null));
  }

  @Test
  void aMigrationWhoseSlotWentElsewhereRedirectsToTheNewOwner() {
    // The target's claim arrived before SETSLOT NODE on the source: redis-server answers MOVED to the target.
    String[] owners = new String[Slots.COUNT];
    owners[100] = "127.0.0.1:7002";
    String[] ask = new String[Slots.COUNT];
    ask[100] = "127.0.0.1:7002";
    SlotRouting stale = new SlotRouting(true, true, false, owners, new BitSet(), ask, new BitSet());
    assertFalse(stale.inMigration(100));
    assertEquals("MOVED 100 127.0.0.1:7002", stale.refusal(100, 0, null));
  }

  /** SSUBSCRIBE / SPUBLISH: a channel is no key (a slot in migration is its owner's), replicas serve without READONLY. */
  @Test
  void shardChannelsAreRoutedByTheirSlotAlone() {
    SlotRouting ok = migrations(true, false);
    assertNull(ok.shardRefusal(100, true), "migrating away: still served here");
    assertEquals("MOVED 200 127.0.0.1:7002", ok.shardRefusal(200, true), "importing: its owner's until it moves");
    assertEquals("MOVED 300 127.0.0.1:7002", ok.shardRefusal(300, true));
    assertNull(ok.shardRefusal(400, true));
    assertEquals("CLUSTERDOWN Hash slot not served", ok.shardRefusal(500, true));
    SlotRouting down = migrations(false, false);
    assertNull(down.shardRefusal(400, true), "cluster-allow-pubsubshard-when-down yes");
    assertEquals("CLUSTERDOWN The cluster is down", down.shardRefusal(400, false));
    assertEquals("CLUSTERDOWN Hash slot not served", down.shardRefusal(500, false));
    String[] owners = new String[Slots.COUNT];
    owners[7] = "127.0.0.1:7001";
    BitSet mastersSlots = new BitSet();
    mastersSlots.set(7);
    SlotRouting replica = new SlotRouting(true, true, false, owners, mastersSlots);
    assertNull(replica.shardRefusal(7, true), "a replica serves its master's slots");
    assertNull(SlotRouting.standalone().shardRefusal(7, false));
  }
}
