package org.akkaredis.command;

import java.util.Collection;

/** The connected clients, for CLIENT LIST / KILL / INFO clients; the server layer keeps it. */
public interface ClientDirectory {
  Collection<Session> sessions();

  /** Closes a client's connection (after the replies already on their way); false if it is gone. */
  boolean kill(long clientId);

  /** INFO's client_recent_max_output_buffer: the largest output queue a client had in the last seconds. */
  long recentMaxOutputBuffer();

  /** The clients' reply buffers' shared settings and counters (DEBUG REPLYBUFFER, INFO stats). */
  ReplyBuffers replyBuffers();

  /** CLIENT PAUSE's state, shared by every connection. */
  ClientPause pause();

  /** The clients in MONITOR mode. */
  Monitors monitors();
}
