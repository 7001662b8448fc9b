package org.akkaredis.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * One node as this node sees it (Redis's clusterNode). Mutable, and owned by the {@link ClusterState} that
 * holds it; nothing outside the cluster manager's actor touches it.
 */
public final class ClusterNode {
  public static final int MASTER = 1;
  public static final int SLAVE = 2;
  public static final int PFAIL = 4;
  public static final int FAIL = 8;
  public static final int MYSELF = 16;
  public static final int HANDSHAKE = 32;
  public static final int NOADDR = 64;
  public static final int MEET = 128;
  public static final int MIGRATE_TO = 256;
  public static final int NOFAILOVER = 512;

  /** CLUSTER NODES' flag words, in Redis's order. */
  private static final int[] FLAG_BITS = {MYSELF, MASTER, SLAVE, PFAIL, FAIL, HANDSHAKE, NOADDR, NOFAILOVER};
  private static final String[] FLAG_WORDS = {"myself", "master", "slave", "fail?", "fail", "handshake",
      "noaddr", "nofailover"};

  String id;
  String ip;
  int port;
  int cport;
  /** cluster-announce-hostname as the node announces it (a ping extension in Redis 7.0); "" for none. */
  String hostname = "";
  int flags;
  /** Null for a master (or a replica whose master is not known). */
  String masterId;
  long configEpoch;
  long replOffset;
  long createdMs;
  /** 0 when no ping is waiting for its pong. */
  long pingSentMs;
  long pongReceivedMs;
  long dataReceivedMs;
  long failTimeMs;
  /** Whether the outbound "link" is up: a ping was sent since the node was learned or the link was dropped. */
  boolean linked;
  long linkCreatedMs;
  /** When this master last got this node's vote for one of its replicas (Redis's voted_time). */
  long votedTimeMs;
  /** Since when this master has had no working replica, 0 if it has one (replica migration). */
  long orphanedSinceMs;
  /** Reporting master's id -> time of its latest report that this node is failing. */
  final Map<String, Long> failReports = new HashMap<>();

  ClusterNode(String id, String ip, int port, int cport, int flags, long nowMs) {
    this.id = id;
    this.ip = ip;
    this.port = port;
    this.cport = cport;
    this.flags = flags;
    this.createdMs = nowMs;
  }

  public String id() {
    return id;
  }

  public String ip() {
    return ip;
  }

  public int port() {
    return port;
  }

  public int cport() {
    return cport;
  }

  public String hostname() {
    return hostname;
  }

  /**
   * What MOVED/ASK, CLUSTER SLOTS and CLUSTER SHARDS name this node by (Redis 7.0's clusterGetPreferredEndpoint):
   * its IP, its hostname ("?" while it announces none), or "" for unknown-endpoint.
   */
  public String preferredEndpoint(String endpointType) {
    return switch (endpointType) {
      case "hostname" -> hostname.isEmpty() ? "?" : hostname;
      case "unknown-endpoint" -> "";
      default -> ip;
    };
  }

  public String masterId() {
    return masterId;
  }

  public long configEpoch() {
    return configEpoch;
  }

  public long replOffset() {
    return replOffset;
  }

  /** Whether this node pings it over a live link (Redis's node->link; a model here, see ClusterTexts). */
  public boolean linked() {
    return linked;
  }

  public long linkCreatedMs() {
    return linkCreatedMs;
  }

  public boolean has(int flag) {
    return (flags & flag) != 0;
  }

  public boolean isMaster() {
    return has(MASTER);
  }

  public boolean isReplica() {
    return has(SLAVE);
  }

  public boolean failing() {
    return has(FAIL | PFAIL);
  }

  /** "myself,master", or "noflags". */
  public String flagWords() {
    StringBuilder words = new StringBuilder();
    for (int i = 0; i < FLAG_BITS.length; i++) {
      if (has(FLAG_BITS[i])) words.append(words.length() > 0 ? "," : "").append(FLAG_WORDS[i]);
    }
    return words.length() == 0 ? "noflags" : words.toString();
  }

  /** The flags from a flag word list, as nodes.conf stores them; -1 for an unknown word. */
  static int parseFlags(String words) {
    int parsed = 0;
    for (String word : words.split(",")) {
      switch (word) {
        case "myself" -> parsed |= MYSELF;
        case "master" -> parsed |= MASTER;
        case "slave", "replica" -> parsed |= SLAVE;
        case "fail?" -> parsed |= PFAIL;
        case "fail" -> parsed |= FAIL;
        case "handshake" -> parsed |= HANDSHAKE;
        case "noaddr" -> parsed |= NOADDR;
        case "nofailover" -> parsed |= NOFAILOVER;
        case "noflags" -> { }
        default -> {
          return -1;
        }
      }
    }
    return parsed;
  }

  /** "ip:port@cport", then ",hostname" when the node announces one: the address token of CLUSTER NODES. */
  String address() {
    String address = ip + ":" + port + "@" + cport;
    return hostname.isEmpty() ? address : address + "," + hostname;
  }
}
