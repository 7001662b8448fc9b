package org.akkaredis.keyspace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Random;

/**
 * A set value. Members sit in an array (O(1) random picks for SPOP and SRANDMEMBER) with a map from member to
 * position. {@code intset} holds while every member is an integer (Redis's string2ll) and the size stays within
 * set-max-intset-entries; an intset answers in numeric order, as Redis's intset does. Redis never converts back.
 */
public final class RedisSet {
  private final HashMap<Key, Integer> index = new HashMap<>();
  private final ArrayList<Key> members = new ArrayList<>();
  private boolean intset = true;
  private long insertions;
  private ScanIndex scan;
  /** Its members' arrays as the dataset estimate counts them, kept with every change ({@link MemoryUsage#tracked}). */
  private long memberBytes;

  public int size() {
    return members.size();
  }

  long memberBytes() {
    return memberBytes;
  }

  public boolean contains(Key member) {
    return index.containsKey(member);
  }

  ScanIndex scanIndex() {
    return scan;
  }

  public String encoding() {
    return intset ? "intset" : "hashtable";
  }

  public boolean isIntset() {
    return intset;
  }

  /**
   * Adds a member, converting to hashtable when it is no integer (as Redis's string2ll reads one) or the set
   * grows past {@code maxIntset}.
   */
  public boolean add(Key member, boolean integer, long maxIntset) {
    if (index.containsKey(member)) return false;
    if (intset && (!integer || members.size() >= maxIntset)) intset = false;
    index.put(member, members.size());
    members.add(member);
    memberBytes += MemoryUsage.tracked(member.bytes().length);
    insertions++;
    return true;
  }

  public boolean remove(Key member) {
    Integer i = index.remove(member);
    if (i == null) return false;
    memberBytes -= MemoryUsage.tracked(member.bytes().length);
    Key last = members.remove(members.size() - 1);
    if (last != member && i < members.size()) {
      members.set(i, last);
      index.put(last, i);
    }
    return true;
  }

  public Key random(Random random) {
    return members.get(random.nextInt(members.size()));
  }

  public Key get(int position) {
    return members.get(position);
  }

  /** The members in the order Redis would list them: numeric for an intset, storage order otherwise. */
  public List<Key> members() {
    List<Key> out = new ArrayList<>(members);
    if (intset) out.sort(Comparator.comparingLong(k -> Long.parseLong(k.toString())));
    return out;
  }

  /** One SSCAN step over a hashtable-encoded set (see {@link ScanIndex}). */
  public long scan(long cursor, long count, List<Key> out) {
    if (scan == null) scan = new ScanIndex();
    long next = scan.scan(cursor, count, insertions, members, index::containsKey, out);
    if (next == 0) scan = null;
    return next;
  }

  public RedisSet copy() {
    RedisSet copy = new RedisSet();
    copy.index.putAll(index);
    copy.members.addAll(members);
    copy.intset = intset;
    copy.memberBytes = memberBytes;
    return copy;
  }
}
