package org.akkaredis.cluster;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Slots;

/**
 * nodes.conf in Redis 7.0's format: the CLUSTER NODES lines of every node but those in handshake, then
 * {@code vars currentEpoch N lastVoteEpoch M}. Redis's own nodes.conf loads here and ours loads in Redis.
 */
public final class NodesConf {
  private NodesConf() {}

  /** A slot in migration, as myself's line records it: {@code [slot->-id]} (migrating) or {@code [slot-<-id]}. */
  record OpenSlot(int slot, boolean migrating, String nodeId) {}

  public static String format(ClusterState state) {
    return new StringBuilder(state.nodesConfLines()).append("vars currentEpoch ").append(state.currentEpoch())
        .append(" lastVoteEpoch ").append(state.lastVoteEpoch()).append('\n').toString();
  }

  /**
   * The state a nodes.conf describes. This node's ports are taken from its settings, as Redis does; pings and
   * pongs recorded as non-zero restart from now.
   *
   * @throws IllegalArgumentException naming the line that cannot be read
   */
  public static ClusterState parse(String text, int port, int cport, String busHost, Settings settings,
      Random random, long nowMs) {
    List<ClusterNode> loaded = new ArrayList<>();
    Map<ClusterNode, BitSet> slots = new HashMap<>();
    List<OpenSlot> openSlots = new ArrayList<>();
    long currentEpoch = 0;
    long lastVoteEpoch = 0;
    ClusterNode myself = null;
    int lineNumber = 0;
    for (String line : text.split("\n")) {
      lineNumber++;
      String[] fields = line.trim().split(" +");
      if (fields.length == 0 || fields[0].isEmpty()) continue;
      try {
        if (fields[0].equals("vars")) {
          for (int i = 1; i + 1 < fields.length; i += 2) {
            if (fields[i].equals("currentEpoch")) currentEpoch = Long.parseLong(fields[i + 1]);
            if (fields[i].equals("lastVoteEpoch")) lastVoteEpoch = Long.parseLong(fields[i + 1]);
          }
          continue;
        }
        if (fields.length < 8) throw new IllegalArgumentException("fewer than 8 fields");
        ClusterNode node = parseNode(fields, nowMs);
        if (node.has(ClusterNode.MYSELF)) {
          if (myself != null) throw new IllegalArgumentException("a second myself line");
          myself = node;
          node.port = port;
          node.cport = cport;
        }
        BitSet owned = new BitSet(Slots.COUNT);
        for (int i = 8; i < fields.length; i++) {
          if (fields[i].startsWith("[")) {
            openSlots.add(openSlot(fields[i]));
            continue;
          }
          int dash = fields[i].indexOf('-');
          int start = Integer.parseInt(dash < 0 ? fields[i] : fields[i].substring(0, dash));
          int end = dash < 0 ? start : Integer.parseInt(fields[i].substring(dash + 1));
          if (start < 0 || end >= Slots.COUNT || start > end) throw new IllegalArgumentException("bad slot range");
          owned.set(start, end + 1);
        }
        loaded.add(node);
        slots.put(node, owned);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Unrecoverable error: corrupted cluster config file \"" + line
            + "\" (line " + lineNumber + ": " + e.getMessage() + ")");
      }
    }
    if (myself == null) throw new IllegalArgumentException("Unrecoverable error: no myself line in the cluster "
        + "config file");
    ClusterState state = new ClusterState(myself.id, port, cport, busHost, settings, random, nowMs);
    state.restore(loaded, slots, openSlots, currentEpoch, lastVoteEpoch);
    return state;
  }

  /** {@code [slot->-id]} or {@code [slot-<-id]}. */
  private static OpenSlot openSlot(String field) {
    int arrow = field.indexOf("->-");
    if (arrow < 0) arrow = field.indexOf("-<-");
    if (arrow < 0 || !field.endsWith("]")) throw new IllegalArgumentException("bad slot in migration");
    int slot = Integer.parseInt(field.substring(1, arrow));
    if (slot < 0 || slot >= Slots.COUNT) throw new IllegalArgumentException("bad slot in migration");
    return new OpenSlot(slot, field.charAt(arrow + 1) == '>', field.substring(arrow + 3, field.length() - 1));
  }

  private static ClusterNode parseNode(String[] fields, long nowMs) {
    String id = fields[0];
    if (id.length() != 40) throw new IllegalArgumentException("bad node id");
    String address = fields[1];
    int comma = address.indexOf(',');
    String hostname = comma < 0 ? "" : address.substring(comma + 1);
    if (comma >= 0) address = address.substring(0, comma);
    int at = address.indexOf('@');
    String ipPort = at < 0 ? address : address.substring(0, at);
    int colon = ipPort.lastIndexOf(':');
    if (colon < 0) throw new IllegalArgumentException("bad address");
    int port = Integer.parseInt(ipPort.substring(colon + 1));
    int cport = at < 0 ? port + 10000 : Integer.parseInt(address.substring(at + 1));
    int flags = ClusterNode.parseFlags(fields[2]);
    if (flags < 0) throw new IllegalArgumentException("unknown flag");
    ClusterNode node = new ClusterNode(id, ipPort.substring(0, colon), port, cport, flags, nowMs);
    node.hostname = hostname;
    if (!fields[3].equals("-")) node.masterId = fields[3];
    if (Long.parseLong(fields[4]) != 0) node.pingSentMs = nowMs;
    if (Long.parseLong(fields[5]) != 0) node.pongReceivedMs = nowMs;
    node.configEpoch = node.isReplica() ? 0 : Long.parseLong(fields[6]);
    return node;
  }
}
