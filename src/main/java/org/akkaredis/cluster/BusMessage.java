package org.akkaredis.cluster;

import java.util.BitSet;
import java.util.List;

/**
 * Redis Cluster's bus protocol (cluster-spec, "The cluster bus") as typed values. Every message carries the
 * sender's {@link Header}; the types add what Redis's clusterMsgData adds. These are the node's own wire
 * messages between akka-redis-cluster nodes (serialized by the bus's own binary serializer), not Redis's
 * RCmb byte layout.
 */
public sealed interface BusMessage {
  Header header();

  /** What Redis's clusterMsg header says about the sender. */
  record Header(
      String sender,
      long currentEpoch,
      /** A replica sends its master's. */
      long configEpoch,
      long replOffset,
      /** Node flags (ClusterNode constants) as the sender sees itself. */
      int flags,
      /** The slots the sender serves, or its master serves when it is a replica. */
      BitSet slots,
      /** Null for a master. */
      String masterId,
      /** The IP the sender announces; empty when it does not know it yet (Redis then takes the socket's). */
      String myIp,
      /** The host of the sender's bus address, the socket address of Redis's links. */
      String busHost,
      int port,
      int cport,
      boolean stateOk,
      /** Redis's mflags: {@link #MF_PAUSED}, {@link #MF_FORCEACK}. */
      int mflags) {}

  int MF_PAUSED = 1;
  int MF_FORCEACK = 2;

  /** What a PING, PONG or MEET says about one other node. */
  record Gossip(String id, long pingSentMs, long pongReceivedMs, String ip, int port, int cport, int flags) {}

  enum PingKind { PING, PONG, MEET }

  /** {@code hostname}: the sender's cluster-announce-hostname, "" for none (Redis 7.0's hostname ping extension). */
  record Ping(PingKind kind, Header header, List<Gossip> gossip, String hostname) implements BusMessage {
    public Ping(PingKind kind, Header header, List<Gossip> gossip) {
      this(kind, header, gossip, "");
    }
  }

  /** A node was found failing by a majority of masters. */
  record Fail(Header header, String failing) implements BusMessage {}

  /** The sender's view of {@code node}'s slots is newer than the receiver's. */
  record Update(Header header, String node, long configEpoch, BitSet slots) implements BusMessage {}

  record FailoverAuthRequest(Header header) implements BusMessage {}

  record FailoverAuthAck(Header header) implements BusMessage {}

  /** Manual failover start, sent by a replica to its master. */
  record MfStart(Header header) implements BusMessage {}

  /**
   * PUBLISH: a message for the receiver's subscribers. Its header is light (sender and bus address only, see
   * ClusterState#lightHeader), as Valkey's light header does for this message: the serializer writes no more.
   */
  record Publish(Header header, byte[] channel, byte[] message, boolean shard) implements BusMessage {}

  /**
   * PUBLISH messages for one peer that were waiting together in the bus endpoint, sent as one bus message with one
   * light header (bus.BusEndpoint batches them): what each costs on the wire is its channel and message. Counted
   * and delivered as that many PUBLISH messages.
   */
  record Publishes(Header header, List<Publish> publishes) implements BusMessage {}

  /** Redis's names for the message types, as CLUSTER INFO's statistics print them. */
  static String statName(BusMessage message) {
    if (message instanceof Ping ping) {
      return switch (ping.kind()) {
        case PING -> "ping";
        case PONG -> "pong";
        case MEET -> "meet";
      };
    }
    if (message instanceof Fail) return "fail";
    if (message instanceof Update) return "update";
    if (message instanceof FailoverAuthRequest) return "auth-req";
    if (message instanceof FailoverAuthAck) return "auth-ack";
    if (message instanceof MfStart) return "mfstart";
    if (message instanceof Publishes) return "publish";
    return ((Publish) message).shard() ? "publishshard" : "publish";
  }

  /** CLUSTER INFO's order of the statistics. */
  List<String> STAT_NAMES = List.of("ping", "pong", "meet", "fail", "publish", "publishshard", "auth-req",
      "auth-ack", "update", "mfstart", "module");
}
