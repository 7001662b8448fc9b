package org.akkaredis.command;

import akka.util.ByteString;

/**
 * Where the node sends a client bytes it did not ask for (MONITOR's lines; Pub/Sub's messages later): the client's
 * connection. Never blocks: a connection that cannot take more closes the client, as Redis closes a client over
 * its output buffer limit.
 */
public interface PushTarget {
  void push(ByteString bytes);
}
