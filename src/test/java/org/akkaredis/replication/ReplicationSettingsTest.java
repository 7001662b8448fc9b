package org.akkaredis.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.akkaredis.config.Settings;
import org.junit.jupiter.api.Test;

class ReplicationSettingsTest {
  @Test
  void redisDefaultsInTheUnitsReplicationUses() {
    assertEquals(new ReplicationSettings(1 << 20, 60_000, 10_000, 10_000, 256L << 20),
        ReplicationSettings.of(Settings.defaults()));
  }

  @Test
  void theReplicaClassHardLimitIsReadByEitherName() {
    assertEquals(1000, ReplicationSettings.replicaOutputLimit("normal 0 0 0 replica 1000 500 60"));
    assertEquals(0, ReplicationSettings.replicaOutputLimit("slave 0 0 0 pubsub 5 5 5"), "0: no limit");
    assertEquals(256L << 20, ReplicationSettings.replicaOutputLimit("normal 0 0 0"), "not given: Redis's default");
  }
}
