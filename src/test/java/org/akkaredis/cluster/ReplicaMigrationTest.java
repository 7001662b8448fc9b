package org.akkaredis.cluster;

import static org.akkaredis.cluster.ClusterFixtures.flagsOf;
import static org.akkaredis.cluster.ClusterFixtures.id;
import static org.akkaredis.cluster.ClusterFixtures.known;
import static org.akkaredis.cluster.ClusterFixtures.slots;
import static org.akkaredis.cluster.ClusterFixtures.withReplicas;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ReplicaMigration, over a {@link SimulatedBus}. */
class ReplicaMigrationTest {
  private static final long TIMEOUT = 1000;
  private final SimulatedBus bus = new SimulatedBus(TIMEOUT);

  @Test
  void aReplicaMigratesToAnOrphanedMasterWhenItsOwnKeepsEnough() {
    List<ClusterState> masters = bus.threeMasters();
    List<ClusterState> replicas = withReplicas(bus, masters, 2, 1, 0);
    ClusterState b = masters.get(1);
    ClusterState r1 = replicas.get(0);
    ClusterState r2 = replicas.get(1);
    ClusterState rb = replicas.get(2);
    bus.isolate(rb);
    bus.runUntil("rb failed", 4 * TIMEOUT, () -> flagsOf(r1, rb).equals("slave,fail"));
    long orphanedAt = bus.now;
    ClusterState mover = id(r1).compareTo(id(r2)) < 0 ? r1 : r2;
    ClusterState stayer = mover == r1 ? r2 : r1;
    bus.runUntil("the smaller id migrates", 7000, () -> id(b).equals(mover.myself().masterId()));
    assertTrue(bus.now - orphanedAt > ReplicaMigration.MIGRATION_DELAY_MS, "orphaned for 5 s first");
    assertTrue(bus.logged(mover, "Migrating to orphaned master " + id(b)));
    assertEquals(id(masters.get(0)), stayer.myself().masterId());
    bus.run(1000);
    assertEquals("slave", flagsOf(masters.get(2), mover));
    assertEquals(id(b), masters.get(2).node(id(mover)).masterId());
  }

  @Test
  void noMigrationBelowTheBarrierOrWhenNotAllowed() {
    bus.settings.set(List.of("cluster-migration-barrier", "2"));
    List<ClusterState> masters = bus.threeMasters();
    List<ClusterState> replicas = withReplicas(bus, masters, 2, 1, 0);
    bus.isolate(replicas.get(2));
    bus.run(4 * TIMEOUT + 7000);
    assertEquals(id(masters.get(0)), replicas.get(0).myself().masterId(), "2 replicas do not exceed a barrier of 2");
    assertEquals(id(masters.get(0)), replicas.get(1).myself().masterId());
    bus.settings.set(List.of("cluster-migration-barrier", "1"));
    bus.settings.set(List.of("cluster-allow-replica-migration", "no"));
    bus.run(7000);
    assertEquals(id(masters.get(0)), replicas.get(0).myself().masterId(), "migration switched off");
    assertEquals(id(masters.get(0)), replicas.get(1).myself().masterId());
  }

  // ---- the part on its own

  /** Replica r of a (0-8191) with one sibling of id {@code sibling}; b (8192-16383) is an orphaned master. */
  private ClusterState replicaBesideAnOrphan(char sibling) {
    ClusterState r = bus.node(7004);
    ClusterNode a = known(r, 'a', 7001, ClusterNode.MASTER);
    r.slots.assign(a, slots(0, 8191));
    r.slots.assign(known(r, 'b', 7002, ClusterNode.MASTER | ClusterNode.MIGRATE_TO), slots(8192, 16383));
    assertNull(r.replicate(a.id(), 0));
    known(r, sibling, 7005, ClusterNode.SLAVE).masterId = a.id();
    r.updateState(bus.now);
    assertTrue(r.ok());
    r.effects().clear();
    return r;
  }

  @Test
  void theSmallestIdMovesAfterTheOrphanHasWaitedTheDelay() {
    ClusterState r = replicaBesideAnOrphan('f');
    String a = "a".repeat(40);
    String b = "b".repeat(40);
    r.migration.cron(bus.now);
    assertEquals(a, r.myself().masterId());
    assertEquals(bus.now, r.node(b).orphanedSinceMs);
    r.migration.cron(bus.now + ReplicaMigration.MIGRATION_DELAY_MS);
    assertEquals(a, r.myself().masterId(), "not before the delay is over");
    r.migration.cron(bus.now + ReplicaMigration.MIGRATION_DELAY_MS + 1);
    assertEquals(b, r.myself().masterId());
    assertEquals(List.of("Migrating to orphaned master " + b), r.effects().log);
    assertTrue(r.effects().save);
  }

  @Test
  void aReplicaWithALargerIdThanItsSiblingStays() {
    ClusterState r = replicaBesideAnOrphan('0');
    r.migration.cron(bus.now);
    r.migration.cron(bus.now + ReplicaMigration.MIGRATION_DELAY_MS + 1);
    assertEquals("a".repeat(40), r.myself().masterId());
    assertTrue(r.effects().log.isEmpty());
  }
}
