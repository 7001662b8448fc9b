package akka.remote.artery;

import akka.actor.Address;
import akka.remote.UniqueAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import scala.Function1;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Artery's table of associations (by the peer's address and by its UID), replacing akka-remote 2.6.21's class of
 * the same name and binary signature (the shade plugin leaves Akka's copy out of the jar; on the test class path
 * the project's classes come first; {@code BusRegistryTest} checks that this one is loaded).
 *
 * <p>Why: the cluster bus forgets a quarantine after a few seconds (remove-quarantined-association-after in
 * application.conf), because Artery quarantines a peer after any failure of its control stream and a Redis link
 * must simply reconnect. Akka's registry removes an association from its two maps in two separate lock-free
 * passes, and a handshake from that peer running between them (or between setUID's look-up and its update)
 * leaves the UID mapped to an association that is no longer the address's. Every later handshake from that peer
 * then throws "UID collision" inside the inbound stream, which restarts it and aborts every inbound connection of
 * the node; the peers' control streams fail, they quarantine this node, and on a loaded machine the cluster falls
 * apart (docs/redis-tests.md, "The breakdown"). Here the maps change only under one lock, so they always agree:
 * removal takes an association out of both, and setUID maps the UID to the address's current association,
 * replacing a stale entry (one whose association was removed) instead of failing. Reads stay lock-free.
 */
public class AssociationRegistry {

  private final Function1<Address, Association> createAssociation;
  private final Object lock = new Object();
  // Copy-on-write under the lock, read without it.
  private volatile Map<Address, Association> byAddress = Map.of();
  private volatile Map<Long, Association> byUid = Map.of();

  public AssociationRegistry(Function1<Address, Association> createAssociation) {
    this.createAssociation = createAssociation;
  }

  /** The association to {@code remoteAddress}, created and started when there is none. */
  public final Association association(Address remoteAddress) {
    Association existing = byAddress.get(remoteAddress);
    if (existing != null) return existing;
    Association created;
    synchronized (lock) {
      existing = byAddress.get(remoteAddress);
      if (existing != null) return existing;
      created = createAssociation.apply(remoteAddress);
      byAddress = with(byAddress, remoteAddress, created);
    }
    created.associate(); // start it once, outside the lock, as Akka's registry does after its CAS
    return created;
  }

  /** The association of a peer's UID; null when none (Akka's OptionVal.None, erased). */
  public Association association(long uid) {
    return byUid.get(uid);
  }

  /** The peer completed a handshake: its UID now names the address's current association. */
  public final Association setUID(UniqueAddress peer) {
    while (true) {
      Association current = association(peer.address());
      synchronized (lock) {
        if (byAddress.get(peer.address()) != current) continue; // removed meanwhile: look it up again
        Association previous = byUid.get(peer.uid());
        if (previous != current && previous != null && byAddress.get(previous.remoteAddress()) == previous) {
          // Two live associations for one UID: the same peer reached under two addresses. Akka refuses it too.
          throw new IllegalArgumentException("UID collision old [" + previous + "] new [" + current + "]");
        }
        if (previous != current) byUid = with(byUid, peer.uid(), current);
        return current;
      }
    }
  }

  public scala.collection.immutable.Set<Association> allAssociations() {
    Set<Association> all = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    all.addAll(byAddress.values());
    return CollectionConverters.asScala(all).toSet();
  }

  /**
   * Removes the associations unused for {@code after} whose peer's UID is quarantined or unknown, from both maps
   * at once (Akka's rule for which ones).
   */
  public void removeUnusedQuarantined(FiniteDuration after) {
    List<Association> removed = new ArrayList<>();
    synchronized (lock) {
      long now = System.nanoTime();
      Map<Address, Association> addresses = new HashMap<>(byAddress);
      addresses.values().removeIf(association -> {
        boolean remove = removable(association, now, after.toNanos());
        if (remove) removed.add(association);
        return remove;
      });
      Map<Long, Association> uids = new HashMap<>(byUid);
      uids.values().removeIf(association -> {
        if (removed.contains(association)) return true;
        boolean remove = removable(association, now, after.toNanos());
        if (remove) removed.add(association);
        return remove;
      });
      if (removed.isEmpty()) return;
      byAddress = Map.copyOf(addresses);
      byUid = Map.copyOf(uids);
    }
    removed.forEach(Association::removedAfterQuarantined);
  }

  private static boolean removable(Association association, long now, long afterNanos) {
    AssociationState state = association.associationState();
    return now - state.lastUsedTimestamp().get() >= afterNanos
        && state.uniqueRemoteAddressState() != AssociationState.UidKnown$.MODULE$;
  }

  private static <K> Map<K, Association> with(Map<K, Association> map, K key, Association value) {
    Map<K, Association> copy = new HashMap<>(map);
    copy.put(key, value);
    return Map.copyOf(copy);
  }
}
