package org.akkaredis.replication;

import java.util.Locale;
import org.slf4j.Logger;

/** A line for the node's log, as the replication cores ask their actors to write it. */
record LogLine(boolean warning, String message)
    implements ReplicaSyncState.Effect, ReplicaChannels.Effect {

  static LogLine info(String format, Object... args) {
    return new LogLine(false, String.format(Locale.ROOT, format, args));
  }

  static LogLine warn(String format, Object... args) {
    return new LogLine(true, String.format(Locale.ROOT, format, args));
  }

  void writeTo(Logger log) {
    if (warning) log.warn(message);
    else log.info(message);
  }
}
