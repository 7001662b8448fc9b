package org.akkaredis.replication;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.akkaredis.config.Settings;

/**
 * What both replication actors use of their node: the board they publish on, the live settings, how the data
 * is changed on a replica, the clock, DEBUG SLEEP's hold on the link and whether CLIENT PAUSE holds syncs.
 */
final class NodeServices {
  private final ReplicationBoard board;
  private final Settings settings;
  private final Applier applier;
  private final LongSupplier clock;
  private final NodeSleep sleep;
  private final BooleanSupplier syncsPaused;
  /** Read once, and again after each CONFIG SET: every stream flush and acknowledgement reads them. */
  private volatile ReplicationSettings current;

  NodeServices(ReplicationBoard board, Settings settings, Applier applier, LongSupplier clock, NodeSleep sleep,
      BooleanSupplier syncsPaused) {
    this.board = board;
    this.sleep = sleep;
    this.syncsPaused = syncsPaused;
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

  /** DEBUG SLEEP's hold: while asleep the replica's link handles none of its messages. */
  NodeSleep sleep() {
    return sleep;
  }

  /**
   * Whether a replica's sync request waits now: CLIENT PAUSE ALL holds every client command, and a Redis
   * replica's handshake (PING, REPLCONF, PSYNC) is made of client commands. A WRITE pause does not hold them.
   */
  boolean syncsPaused() {
    return syncsPaused.getAsBoolean();
  }
}
