package org.akkaredis.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.akkaredis.config.Settings;
import org.akkaredis.resp.OutputBufferLimit;
import org.junit.jupiter.api.Test;

class ReplicationSettingsTest {
  @Test
  void redisDefaultsInTheUnitsReplicationUses() {
    assertEquals(new ReplicationSettings(1 << 20, 60_000, 10_000, 10_000,
            new OutputBufferLimit(256L << 20, 64L << 20, 60)),
        ReplicationSettings.of(Settings.defaults()));
  }

  @Test
  void theReplicaLimitIsRaisedToTheBacklogAndBoundedWhenUnlimited() {
    ReplicationSettings low = new ReplicationSettings(1 << 20, 0, 0, 0, new OutputBufferLimit(1000, 500, 60));
    assertEquals(new OutputBufferLimit(1 << 20, 500, 60), low.effectiveReplicaLimit(), "Redis's rule");
    ReplicationSettings none = new ReplicationSettings(1 << 20, 0, 0, 0, new OutputBufferLimit(0, 500, 60));
    assertEquals(new OutputBufferLimit(ReplicationSettings.UNLIMITED_REPLICA_QUEUE, 500, 60),
        none.effectiveReplicaLimit(), "no hard limit: still bounded");
    ReplicationSettings high = new ReplicationSettings(1 << 20, 0, 0, 0, new OutputBufferLimit(5 << 20, 0, 0));
    assertEquals(high.replicaLimit(), high.effectiveReplicaLimit());
  }
}
