package org.akkaredis.command;

import akka.util.ByteString;

/**
 * Where the node sends a client bytes it did not ask for (MONITOR's lines, Pub/Sub's messages): the client's
 * connection. Never blocks: a connection that cannot take more closes the client, as Redis closes a client over
 * its output buffer limit.
 */
public interface PushTarget {
  void push(ByteString bytes);

  /**
   * Pushes {@code bytes} once the replies of the client's commands run so far are on their way (MONITOR's line of
   * the monitor's own command comes after that command's reply, as in Redis). Called only from the client's own
   * command processing.
   */
  default void pushAfterReplies(ByteString bytes) {
    push(bytes);
  }

  /**
   * What is pushed from now on waits until the replies of the client's commands run so far are on their way: a
   * subscriber's messages never come before its SUBSCRIBE's reply. Called only from the client's own command
   * processing, before the subscription is made.
   */
  default void holdUntilRepliesSent() {}
}
