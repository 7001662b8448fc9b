package org.akkaredis.keyspace;

/**
 * Where keyspace notifications go: a pub/sub publish of {@code message} on {@code channel}. Called on the thread
 * that runs the range where the event happened, in the order the range's events happened, before the reply of
 * the command that made them; it must be thread-safe (ranges run in parallel) and must not block.
 */
@FunctionalInterface
public interface KeyspaceEventSink {
  KeyspaceEventSink NONE = (channel, message) -> {};

  void publish(byte[] channel, byte[] message);
}
