package org.akkaredis.pubsub;

import java.util.Arrays;

/** A channel name or pattern as a map key: binary-safe bytes compared by content. */
final class ChannelName {
  final byte[] bytes;
  private final int hash;

  ChannelName(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  @Override public boolean equals(Object other) {
    return other instanceof ChannelName name && name.hash == hash && Arrays.equals(name.bytes, bytes);
  }

  @Override public int hashCode() {
    return hash;
  }
}
