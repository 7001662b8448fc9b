package org.akkaredis.cluster;

import java.util.List;
import java.util.Map;
import org.akkaredis.keyspace.Slots;

/**
 * The texts CLUSTER NODES and CLUSTER INFO print, in Redis 7.0's formats; nodes.conf ({@link NodesConf}) is
 * made of the same node lines. Part of {@link ClusterState}.
 */
final class ClusterTexts {
  private final ClusterState state;

  ClusterTexts(ClusterState state) {
    this.state = state;
  }

  /** One CLUSTER NODES line without its newline (Redis's clusterGenNodeDescription). */
  String describe(ClusterNode node) {
    return describe(node, state.slotRuns(node));
  }

  private String describe(ClusterNode node, List<int[]> runs) {
    StringBuilder line = new StringBuilder()
        .append(node.id).append(' ').append(node.address()).append(' ').append(node.flagWords()).append(' ')
        .append(node.masterId == null ? "-" : node.masterId).append(' ')
        .append(node.pingSentMs).append(' ').append(node.pongReceivedMs).append(' ')
        .append(state.epochOf(node)).append(' ')
        .append(node == state.myself || linkUp(node) ? "connected" : "disconnected");
    if (node.isMaster()) {
      for (int[] run : runs) {
        line.append(' ').append(run[0]);
        if (run[1] != run[0]) line.append('-').append(run[1]);
      }
    }
    // Only this node knows its slots in migration (Redis's clusterGenNodeDescription), and so nodes.conf keeps them.
    if (node == state.myself) {
      for (int slot = 0; slot < Slots.COUNT; slot++) {
        ClusterNode to = state.slots.migratingTo(slot);
        ClusterNode from = state.slots.importingFrom(slot);
        if (to != null) {
          line.append(" [").append(slot).append("->-").append(to.id).append(']');
        } else if (from != null) {
          line.append(" [").append(slot).append("-<-").append(from.id).append(']');
        }
      }
    }
    return line.toString();
  }

  /** CLUSTER NODES: one line per known node, each ending in a newline. */
  String nodesText() {
    return nodeLines(false);
  }

  /** nodes.conf's node lines: CLUSTER NODES' without the nodes in handshake. */
  String nodesConfLines() {
    return nodeLines(true);
  }

  private String nodeLines(boolean withoutHandshakes) {
    Map<ClusterNode, List<int[]>> runs = state.slots.slotRunsByOwner();
    StringBuilder text = new StringBuilder();
    for (ClusterNode node : state.nodes.values()) {
      if (withoutHandshakes && node.has(ClusterNode.HANDSHAKE)) continue;
      text.append(describe(node, runs.getOrDefault(node, List.of()))).append('\n');
    }
    return text.toString();
  }

  /** CLUSTER INFO text: Redis 7.0's fields in its order, each line ending in CRLF; the counts by message type. */
  String infoText(Map<String, Long> sent, Map<String, Long> received) {
    int assigned = 0;
    int pfail = 0;
    int fail = 0;
    for (int slot = 0; slot < Slots.COUNT; slot++) {
      ClusterNode owner = state.owner(slot);
      if (owner == null) continue;
      assigned++;
      if (owner.has(ClusterNode.FAIL)) {
        fail++;
      } else if (owner.has(ClusterNode.PFAIL)) {
        pfail++;
      }
    }
    StringBuilder text = new StringBuilder()
        .append("cluster_state:").append(state.ok() ? "ok" : "fail").append("\r\n")
        .append("cluster_slots_assigned:").append(assigned).append("\r\n")
        .append("cluster_slots_ok:").append(assigned - pfail - fail).append("\r\n")
        .append("cluster_slots_pfail:").append(pfail).append("\r\n")
        .append("cluster_slots_fail:").append(fail).append("\r\n")
        .append("cluster_known_nodes:").append(state.nodes.size()).append("\r\n")
        .append("cluster_size:").append(state.size()).append("\r\n")
        .append("cluster_current_epoch:").append(state.currentEpoch).append("\r\n")
        .append("cluster_my_epoch:").append(state.epochOf(state.myself)).append("\r\n");
    stats(text, "sent", sent);
    stats(text, "received", received);
    return text.append("total_cluster_links_buffer_limit_exceeded:0\r\n").toString();
  }

  private static void stats(StringBuilder text, String direction, Map<String, Long> counts) {
    long total = 0;
    for (String type : BusMessage.STAT_NAMES) {
      long count = counts.getOrDefault(type, 0L);
      if (count == 0) continue;
      total += count;
      text.append("cluster_stats_messages_").append(type).append('_').append(direction).append(':')
          .append(count).append("\r\n");
    }
    text.append("cluster_stats_messages_").append(direction).append(':').append(total).append("\r\n");
  }

  /**
   * Whether CLUSTER NODES calls the link connected. Akka remoting hides its TCP connections, so a link counts
   * as up while the node has answered within the node timeout, which a live node always does.
   */
  private boolean linkUp(ClusterNode node) {
    return node.linked && node.dataReceivedMs != 0 && state.lastNowMs - node.dataReceivedMs <= state.nodeTimeout();
  }
}
