package org.akkaredis.replication;

import java.util.function.LongSupplier;
import org.akkaredis.config.Settings;

/**
 * What both replication actors use of their node: the board they publish on, the live settings, how the data
 * is changed on a replica, and the clock.
 */
record NodeServices(ReplicationBoard board, Settings settings, Applier applier, LongSupplier clock) {

  /** The settings as they are now: CONFIG SET applies from the next message that reads them. */
  ReplicationSettings current() {
    return ReplicationSettings.of(settings);
  }

  long now() {
    return clock.getAsLong();
  }
}
