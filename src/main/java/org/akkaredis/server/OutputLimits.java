package org.akkaredis.server;

import org.akkaredis.command.Session;
import org.akkaredis.config.Settings;
import org.akkaredis.resp.OutputBufferLimit;
import org.akkaredis.resp.OutputBufferLimit.ClientClass;

/**
 * client-output-buffer-limit as the connections read it: parsed once per change of the setting, read on every
 * reply. Also the rule for how much a connection queues before it stops running its client's commands: see
 * {@link #queueCap}.
 */
final class OutputLimits {
  /**
   * How much a connection without limits queues before it stops taking its client's commands. Redis's default
   * for normal clients is no limit, so a client that pipelines and never reads grows Redis's memory without end;
   * here it is held at this much, and its commands wait (in the socket) until it reads.
   */
  static final long UNLIMITED_QUEUE_CAP = 1024 * 1024;

  private volatile OutputBufferLimit[] byClass;

  OutputLimits(Settings settings) {
    read(settings);
    settings.addChangeListener((changed, names) -> {
      if (names.contains("client-output-buffer-limit")) read(changed);
    });
  }

  private void read(Settings settings) {
    String text = settings.rawValue("client-output-buffer-limit");
    OutputBufferLimit[] limits = new OutputBufferLimit[ClientClass.values().length];
    for (ClientClass clientClass : ClientClass.values()) limits[clientClass.ordinal()] = OutputBufferLimit.of(text, clientClass);
    byClass = limits;
  }

  /**
   * The limit of the session's class, as Redis's getClientType: replica after SYNC (a monitor is normal), pubsub
   * while it holds a subscription, normal otherwise.
   */
  OutputBufferLimit of(Session session) {
    ClientClass clientClass = session.replica ? ClientClass.REPLICA
        : session.subscribed() ? ClientClass.PUBSUB : ClientClass.NORMAL;
    return byClass[clientClass.ordinal()];
  }

  /**
   * How many bytes a connection queues before it stops taking more replies (and so running more commands): up to
   * the hard limit (reaching it closes the client, as in Redis), else up to the soft limit (staying there for the
   * soft-seconds closes it), else {@link #UNLIMITED_QUEUE_CAP}.
   */
  static long queueCap(OutputBufferLimit limit) {
    if (limit.hardBytes() != 0) return limit.hardBytes();
    if (limit.softBytes() != 0) return limit.softBytes();
    return UNLIMITED_QUEUE_CAP;
  }
}
