package org.akkaredis.cluster;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.keyspace.Slots;

/**
 * This node's view of the cluster as a plain value: who it is, which slots it serves, its epochs and whether
 * the cluster is ok. Every change is a function returning a new value (or the error Redis gives), so the
 * rules are tested without actors; {@link ClusterManager} applies them.
 */
public record ClusterState(
    String myId,
    String ip,
    int port,
    int cport,
    BitSet mySlots,
    long currentEpoch,
    long configEpoch,
    long lastVoteEpoch,
    boolean ok,
    long startedAtMs) {

  /** Redis keeps a freshly started master in fail state this long (CLUSTER_WRITABLE_DELAY). */
  public static final long WRITABLE_DELAY_MS = 2000;

  public static ClusterState fresh(String myId, String ip, int port, int cport, long nowMs) {
    return new ClusterState(myId, ip, port, cport, new BitSet(Slots.COUNT), 0, 0, 0, false, nowMs);
  }

  /** The new state, or the error text (without '-') when the change is refused. */
  public record Outcome(ClusterState state, String error) {
    static Outcome refused(String error) {
      return new Outcome(null, error);
    }
  }

  public Outcome addSlots(int[] slots) {
    BitSet seen = new BitSet(Slots.COUNT);
    for (int slot : slots) {
      if (mySlots.get(slot)) return Outcome.refused("ERR Slot " + slot + " is already busy");
      if (seen.get(slot)) return Outcome.refused("ERR Slot " + slot + " specified multiple times");
      seen.set(slot);
    }
    BitSet updated = (BitSet) mySlots.clone();
    updated.or(seen);
    return new Outcome(withSlots(updated), null);
  }

  public Outcome delSlots(int[] slots) {
    BitSet seen = new BitSet(Slots.COUNT);
    for (int slot : slots) {
      if (!mySlots.get(slot)) return Outcome.refused("ERR Slot " + slot + " is already unassigned");
      if (seen.get(slot)) return Outcome.refused("ERR Slot " + slot + " specified multiple times");
      seen.set(slot);
    }
    BitSet updated = (BitSet) mySlots.clone();
    updated.andNot(seen);
    return new Outcome(withSlots(updated), null);
  }

  private ClusterState withSlots(BitSet slots) {
    return new ClusterState(myId, ip, port, cport, slots, currentEpoch, configEpoch, lastVoteEpoch, ok, startedAtMs);
  }

  /**
   * Redis's clusterUpdateState for a cluster of this one node: ok when every slot is served (or coverage is
   * not required) and a majority of slot-owning masters is reachable; a master that starts in fail stays
   * there for {@link #WRITABLE_DELAY_MS}.
   */
  public ClusterState evaluate(long nowMs, boolean requireFullCoverage) {
    if (!ok && nowMs - startedAtMs < WRITABLE_DELAY_MS) return this;
    int size = mySlots.isEmpty() ? 0 : 1;
    int reachableMasters = size;
    boolean covered = !requireFullCoverage || mySlots.cardinality() == Slots.COUNT;
    boolean nowOk = covered && reachableMasters >= size / 2 + 1;
    if (nowOk == ok) return this;
    return new ClusterState(myId, ip, port, cport, mySlots, currentEpoch, configEpoch, lastVoteEpoch, nowOk,
        startedAtMs);
  }

  public SlotRouting routing(boolean allowReadsWhenDown) {
    String[] owners = new String[Slots.COUNT];
    for (int slot = mySlots.nextSetBit(0); slot >= 0; slot = mySlots.nextSetBit(slot + 1)) {
      owners[slot] = SlotRouting.SELF;
    }
    return new SlotRouting(true, ok, allowReadsWhenDown, owners);
  }

  /** Maximal runs of consecutive slots, ascending, as {start, end} pairs. */
  public List<int[]> slotRuns() {
    List<int[]> runs = new ArrayList<>();
    int start = mySlots.nextSetBit(0);
    while (start >= 0) {
      int end = mySlots.nextClearBit(start) - 1;
      runs.add(new int[] {start, end});
      start = mySlots.nextSetBit(end + 1);
    }
    return runs;
  }

  /** One CLUSTER NODES line (with its final newline), in Redis 7.0's shape. */
  public String nodesText() {
    StringBuilder line = new StringBuilder()
        .append(myId).append(' ')
        .append(ip).append(':').append(port).append('@').append(cport)
        .append(" myself,master - 0 0 ").append(configEpoch).append(" connected");
    for (int[] run : slotRuns()) {
      line.append(' ').append(run[0]);
      if (run[1] != run[0]) line.append('-').append(run[1]);
    }
    return line.append('\n').toString();
  }

  /** CLUSTER INFO text: Redis 7.0's fields in its order, each line ending in CRLF. */
  public String infoText() {
    int assigned = mySlots.cardinality();
    return "cluster_state:" + (ok ? "ok" : "fail") + "\r\n"
        + "cluster_slots_assigned:" + assigned + "\r\n"
        + "cluster_slots_ok:" + assigned + "\r\n"
        + "cluster_slots_pfail:0\r\n"
        + "cluster_slots_fail:0\r\n"
        + "cluster_known_nodes:1\r\n"
        + "cluster_size:" + (assigned > 0 ? 1 : 0) + "\r\n"
        + "cluster_current_epoch:" + currentEpoch + "\r\n"
        + "cluster_my_epoch:" + configEpoch + "\r\n"
        + "cluster_stats_messages_sent:0\r\n"
        + "cluster_stats_messages_received:0\r\n"
        + "total_cluster_links_buffer_limit_exceeded:0\r\n";
  }
}
