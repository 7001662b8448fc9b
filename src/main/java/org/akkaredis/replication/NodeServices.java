package org.akkaredis.replication;

import java.util.function.LongSupplier;
import org.akkaredis.config.Settings;

/**
 * What both replication actors use of their node: the board they publish on, the live settings, how the data
 * is changed on a replica, and the clock.
 */
final class NodeServices {
  private final ReplicationBoard board;
  private final Settings settings;
  private final Applier applier;
  private final LongSupplier clock;
  /** Read once, and again after each CONFIG SET: every stream flush and acknowledgement reads them. */
  private volatile ReplicationSettings current;

  NodeServices(ReplicationBoard board, Settings settings, Applier applier, LongSupplier clock) {
    this.board = board;
    this.settings = settings;
    this.applier = applier;
    this.clock = clock;
    current = ReplicationSettings.of(settings);
    settings.addChangeListener((changed, names) -> current = ReplicationSettings.of(changed));
  }

  ReplicationBoard board() {
    return board;
  }

  /** The live settings, for what ReplicationSettings does not carry (the credentials of a sync). */
  Settings settings() {
    return settings;
  }

  Applier applier() {
    return applier;
  }

  /** The settings as they are now: CONFIG SET applies from the next message that reads them. */
  ReplicationSettings current() {
    return current;
  }

  long now() {
    return clock.getAsLong();
  }
}
