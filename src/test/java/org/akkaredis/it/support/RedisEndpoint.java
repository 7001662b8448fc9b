package org.akkaredis.it.support;

import java.time.Duration;

/** A server that speaks RESP on a local port: our node, or a real redis-server. */
public interface RedisEndpoint extends AutoCloseable {
  /** Redis's writable delay is 2 s; this leaves room for a loaded CI machine. */
  Duration CLUSTER_OK_TIMEOUT = Duration.ofSeconds(15);

  int port();

  /** The cluster bus port; 0 when cluster mode is off. */
  int busPort();

  /** A short name for messages, e.g. "redis-server 7.0.15 :6379". */
  String describe();

  default RespConnection connect() {
    return RespConnection.open(port());
  }

  /** CLUSTER ADDSLOTSRANGE 0 16383: a one-node cluster owning every slot. */
  default void assignAllSlots() {
    try (RespConnection connection = connect()) {
      RespReply reply = connection.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
      if (!reply.escaped(100).equals("+OK\\r\\n")) {
        throw new AssertionError(describe() + ": CLUSTER ADDSLOTSRANGE 0 16383 answered " + reply);
      }
    }
  }

  /** Polls CLUSTER INFO until cluster_state:ok (it turns ok 2 s after start at the earliest). */
  default void awaitClusterStateOk() {
    try (RespConnection connection = connect()) {
      String[] last = {""};
      Await.until(describe() + " reports cluster_state:ok", CLUSTER_OK_TIMEOUT, () -> {
        RespReply info = connection.call("CLUSTER", "INFO");
        last[0] = info.toString();
        return !info.isError() && !info.isNull() && info.text().startsWith("cluster_state:ok\r\n");
      }, () -> last[0]);
    }
  }

  @Override
  void close();
}
