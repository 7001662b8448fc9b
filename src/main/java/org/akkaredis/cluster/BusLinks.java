package org.akkaredis.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * The bus endpoint's links with its peers, as CLUSTER LINKS shows them (Redis's node->link and node->inbound_link).
 * Akka remoting (Artery) keeps one outbound association per peer address, with its own TCP connections; each side
 * opens its own, so a pair of nodes has a link each way as in Redis. A {@code to} link is this node's association to
 * a bus address: it is created when the endpoint first hands a message for that address to remoting. A {@code from}
 * link is a peer node's traffic to this node: created when the first message from that node id arrives. Both end
 * when remoting quarantines the peer's address (its incarnation is refused, as a Redis link ends when its connection
 * closes), and when the node is forgotten. Plain state: the endpoint applies the changes and publishes
 * {@link Snapshot}s; every change answers whether the snapshot changed.
 */
public final class BusLinks {

  /**
   * An inbound link: the bus address its messages say they come from, the sending endpoint's incarnation (0: not
   * told), and when the first one arrived.
   */
  public record From(String address, long incarnation, long createdMs) {}

  /** What CLUSTER LINKS reads: to-links by bus address, from-links by the sending node's id. Immutable. */
  public record Snapshot(Map<String, Long> to, Map<String, From> from) {
    public static final Snapshot NONE = new Snapshot(Map.of(), Map.of());

    /** When the link to the node at {@code host:cport} was created, or -1 if there is none. */
    public long toCreatedMs(String host, int cport) {
      return to.getOrDefault(address(host, cport), -1L);
    }

    /** When the link from node {@code id} was created, or -1 if there is none. */
    public long fromCreatedMs(String id) {
      From link = from.get(id);
      return link == null ? -1 : link.createdMs();
    }
  }

  private final Map<String, Long> to = new HashMap<>();
  private final Map<String, From> from = new HashMap<>();

  /** The key of a bus address, as the endpoint and the node table both spell it. */
  public static String address(String host, int cport) {
    return host + " " + cport;
  }

  /** A message for {@code host:cport} went to remoting: the link to that address is there from now on. */
  public boolean sent(String host, int cport, long nowMs) {
    return to.putIfAbsent(address(host, cport), nowMs) == null;
  }

  /**
   * A message from node {@code senderId}, whose bus address is {@code host:cport}, arrived from the endpoint
   * {@code incarnation}. A node that now speaks from another address is on a new link. A new incarnation at the
   * same address is the peer restarted: as Redis's links end with the peer's process, both are new, the link to it
   * from this node's next message on.
   */
  public boolean received(String senderId, String host, int cport, long incarnation, long nowMs) {
    String address = address(host, cport);
    From link = from.get(senderId);
    if (link != null && link.address().equals(address) && link.incarnation() == incarnation) return false;
    if (link != null && link.address().equals(address)) to.remove(address);
    from.put(senderId, new From(address, incarnation, nowMs));
    return true;
  }

  /** Remoting quarantined the peer at {@code host:cport}: both directions of its links are gone. */
  public boolean closed(String host, int cport) {
    String address = address(host, cport);
    boolean changed = to.remove(address) != null;
    return from.values().removeIf(link -> link.address().equals(address)) || changed;
  }

  /**
   * The node table dropped node {@code id} (or only changed its address: {@code id} null keeps its inbound link)
   * that was at {@code host:cport} ({@code host} null: another node is still there, the link to it stays).
   */
  public boolean dropped(String id, String host, int cport) {
    boolean changed = host != null && to.remove(address(host, cport)) != null;
    return id != null && from.remove(id) != null || changed;
  }

  public Snapshot snapshot() {
    return new Snapshot(Map.copyOf(to), Map.copyOf(from));
  }
}
